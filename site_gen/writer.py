"""The one writer of the output folder: a complete new site replaces the old one in one step.

Files are written into a staging folder beside the output, which then takes the output's place
with an atomic exchange where the system offers one (Linux `renameat2`). A failed or killed
build therefore leaves the last good site: readers see the old site or the new, never a mix.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import posixpath
import secrets
import shutil
from pathlib import Path

from .problems import Problem
from .sourcefile import display_path

MARKER = ".site-gen"  # marks a folder as made by this tool, so it is safe to replace
_MARKER_TEXT = b"Made by site-gen. This folder is replaced on every build; edit content/ instead.\n"
_STAGING = ".staging-"


def check_output_dir(output: Path, protected: dict[str, Path]) -> list[Problem]:
    """Reasons the output folder may not be used: it would replace the content, the templates or the project."""
    problems = []
    output = output.resolve()
    shown = display_path(output)
    for what, path in protected.items():
        path = path.resolve()
        if output == path or output in path.parents:
            relation = "is" if output == path else "contains"
            problems.append(Problem(shown, None, None, f"{relation} the {what} folder ({display_path(path)}); "
                                    "choose a folder of its own, such as output/"))
        elif what != "project" and path in output.parents:
            problems.append(Problem(shown, None, None, f"is inside the {what} folder; choose a folder outside it"))
    if output.exists() and not output.is_dir():
        problems.append(Problem(shown, None, None, "is a file, not a folder"))
    elif output.is_dir() and any(output.iterdir()) and not (output / MARKER).is_file():
        problems.append(Problem(shown, None, None, "already has files not made by site-gen; "
                                "empty it or choose another folder, as every build replaces it"))
    return problems


def write_output(files: dict[str, bytes], output: Path) -> None:
    """Replace the output folder with exactly these files; call only after every page rendered."""
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_staging(output)
    staging = output.parent / f".{output.name}{_STAGING}{secrets.token_hex(4)}"
    staging.mkdir()
    (staging / MARKER).write_bytes(_MARKER_TEXT)
    folders = {posixpath.dirname(rel) for rel in files}
    folders |= {parent for folder in folders for parent in _parents(folder)}
    for folder in sorted(folders - {""}):  # each folder once, after the one it is in
        os.mkdir(staging / folder)
    for rel, data in sorted(files.items()):
        target = staging / rel
        if not _link_if_same(output / rel, target, data):
            target.write_bytes(data)
    if not output.exists():
        os.rename(staging, output)
        return
    if _exchange(staging, output):
        shutil.rmtree(staging)  # now holds the previous site
        return
    # No atomic exchange on this system: two renames, with a brief moment of no output folder.
    previous = output.parent / f".{output.name}{_STAGING}old-{secrets.token_hex(4)}"
    os.rename(output, previous)
    os.rename(staging, output)
    shutil.rmtree(previous)


def _parents(folder: str) -> list[str]:
    """ "a/b/c" → ["a", "a/b"]."""
    parts = folder.split("/")
    return ["/".join(parts[:count]) for count in range(1, len(parts))]


def _link_if_same(previous: Path, target: Path, data: bytes) -> bool:
    """Reuse the previous build's file when its bytes are the same, so its modification time stays
    (sync tools and CDNs then upload only what changed). The bytes are compared, never assumed."""
    try:
        if previous.is_symlink() or previous.stat().st_size != len(data) or previous.read_bytes() != data:
            return False
        os.link(previous, target)
        return True
    except OSError:  # no previous file, or a file system without hard links
        return False


def _remove_stale_staging(output: Path) -> None:
    """Staging folders left by a killed build; only ones carrying this tool's marker."""
    for path in output.parent.glob(f".{output.name}{_STAGING}*"):
        if path.is_dir() and not path.is_symlink() and (path / MARKER).is_file():
            shutil.rmtree(path)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders atomically with Linux's renameat2(RENAME_EXCHANGE); False where unsupported."""
    libc_name = ctypes.util.find_library("c")
    if libc_name is None:
        return False
    renameat2 = getattr(ctypes.CDLL(libc_name, use_errno=True), "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))
