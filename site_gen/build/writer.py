"""The one writer of the output folder: a complete new site replaces the old one in one step.

The new site is put together in a folder beside the output, which then takes the output's place
with an atomic exchange where the system offers one (Linux `renameat2`). A failed or killed
build therefore leaves the last good site: readers see the old site or the new, never a mix.

The folder swapped out, the site before, is kept beside the output (`.output.previous`) and
brought up to date in place by the next build: only changed files are written, unchanged ones
are hard links to the current site's (so their modification times stay), and the ~2,000
folders of a large site are not made again each build. It is safe to delete. A build whose files
the output already holds, byte for byte and nothing else, touches nothing.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import secrets
import shutil
import stat as stat_module
from pathlib import Path
from typing import Iterator

try:
    import fcntl
except ImportError:  # not on Windows: there each build uses a fresh folder
    fcntl = None

from site_gen.content.problems import Problem
from site_gen.content.sourcefile import display_path

MARKER = ".site-gen"  # marks a folder as made by this tool, so it is safe to replace
_MARKER_TEXT = b"Made by site-gen. This folder is replaced on every build; edit content/ instead.\n"
_STAGING = ".staging-"
_PREVIOUS = ".previous"  # the spare folder: the site before the current one


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
    files = {MARKER: _MARKER_TEXT, **files}  # the marker too: one file, linked like the rest
    # Each file the live site already holds byte for byte, with its status (one read of the site).
    held = {rel: stat for rel in files if (stat := _stat_if_holds(f"{output}/{rel}", files[rel])) is not None}
    if len(held) == len(files) and _holds_nothing_else(output, files):
        return  # the site is already exactly this: nothing is written, so nothing needs swapping
    output.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_staging(output)
    spare = output.parent / f".{output.name}{_PREVIOUS}"
    with _claim(spare, output.exists()) as claimed:
        folder = spare if claimed else _new_staging(output)
        _update(folder, files, output, held)
        if not output.exists():
            os.rename(folder, output)
        elif _exchange(folder, output):
            if folder != spare:
                _keep_as_spare(folder, spare)  # it holds the previous site now
        else:
            # No atomic exchange on this system: two renames, with a brief moment of no output folder.
            previous = output.parent / f".{output.name}{_STAGING}old-{secrets.token_hex(4)}"
            os.rename(output, previous)
            os.rename(folder, output)
            _keep_as_spare(previous, spare)


@contextlib.contextmanager
def _claim(spare: Path, wanted: bool) -> Iterator[bool]:
    """Whether this build may update the spare folder: it is this tool's, and no other build (the dev
    server, another terminal) is using it; held until the swap is done. Else a fresh folder is used."""
    if not wanted or fcntl is None or spare.is_symlink() or not (spare / MARKER).is_file():
        yield False
        return
    handle = os.open(spare, os.O_RDONLY | os.O_DIRECTORY)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            yield False
            return
        # Another build may have swapped this folder into the output's place before the lock was ours.
        yield os.path.samestat(os.fstat(handle), os.stat(spare, follow_symlinks=False))
    finally:
        os.close(handle)  # releases the lock


def _keep_as_spare(previous: Path, spare: Path) -> None:
    """Keep the site just replaced for the next build to update, unless something has the spare's name."""
    if os.path.lexists(spare):
        shutil.rmtree(previous)
    else:
        os.rename(previous, spare)


def _new_staging(output: Path) -> Path:
    staging = output.parent / f".{output.name}{_STAGING}{secrets.token_hex(4)}"
    staging.mkdir()
    (staging / MARKER).write_bytes(_MARKER_TEXT)
    return staging


def _holds_nothing_else(folder: Path, files: dict[str, bytes]) -> bool:
    """Whether `folder` has no file or folder besides those `files` need."""
    if not folder.is_dir():
        return False
    found, found_folders = _walk(folder)
    return found.keys() == files.keys() and found_folders == _folders(files)


def _folders(files: dict[str, bytes]) -> set[str]:
    return {parent for rel in files for parent in _parents(rel)}


def _update(folder: Path, files: dict[str, bytes], live: Path, held: dict[str, os.stat_result]) -> None:
    """Make `folder` (this tool's, not served) hold exactly `files`. A file the live site `held`
    already becomes a hard link to it; a file shared with the live site is replaced, never written into."""
    found, found_folders = _walk(folder)
    needed = _folders(files)
    for rel in found.keys() - files.keys():
        os.unlink(folder / rel)
    for rel in sorted(found_folders - needed, reverse=True):  # deepest first, each empty by now
        os.rmdir(folder / rel)
    for rel in sorted(needed - found_folders):  # each after the one it is in
        os.mkdir(folder / rel)
    # Paths as strings, not Path objects: this loop runs for every file of the site.
    folder_str, live_str = str(folder), str(live)
    same_device = live.is_dir() and os.stat(live).st_dev == os.stat(folder).st_dev
    for rel, data in files.items():
        target, live_path, current = f"{folder_str}/{rel}", f"{live_str}/{rel}", found.get(rel)
        is_file = current is not None and current.is_file(follow_symlinks=False)
        live_stat = held.get(rel)
        if live_stat is not None:
            if is_file and same_device and current.inode() == live_stat.st_ino:
                continue  # already a link to the live file
        elif is_file and _stat_if_holds(target, data) is not None:
            continue  # an older file with these bytes, not the live site's
        if live_stat is not None and _link(live_path, target, live_stat):
            continue
        if current is not None:
            os.unlink(target)
        _write_new(target, data)


def _write_new(path: str, data: bytes) -> None:
    """Create a file holding `data`: three system calls, where Python's open() and its buffer make
    seven, for each of a site's thousands of files."""
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(handle, view):]
    finally:
        os.close(handle)


def _walk(folder: Path) -> tuple[dict[str, os.DirEntry], set[str]]:
    """Every entry under `folder` by relative path, and the relative paths of its folders; symbolic
    links are entries, never followed."""
    entries, folders, pending = {}, set(), [""]
    while pending:
        rel = pending.pop()
        with os.scandir(f"{folder}/{rel}") as scan:
            for entry in scan:
                path = f"{rel}/{entry.name}" if rel else entry.name
                if entry.is_dir(follow_symlinks=False):
                    folders.add(path)
                    pending.append(path)
                else:
                    entries[path] = entry
    return entries, folders


def _parents(rel: str) -> list[str]:
    """ "a/b/c.html" → ["a", "a/b"]."""
    parts = rel.split("/")
    return ["/".join(parts[:count]) for count in range(1, len(parts))]


def _stat_if_holds(path: str, data: bytes) -> os.stat_result | None:
    """The status of `path` if it is a regular file holding exactly `data` (the bytes are compared,
    never assumed), else None."""
    try:
        stat = os.stat(path, follow_symlinks=False)
        if stat_module.S_ISREG(stat.st_mode) and stat.st_size == len(data) and _read(path) == data:
            return stat
    except OSError:
        pass
    return None


def _read(path: str) -> bytes:
    with open(path, "rb") as file:
        return file.read()


def _link(source: str, target: str, expected: os.stat_result) -> bool:
    """Make `target` a hard link to `source`, replacing whatever is there in one step (a killed
    build never leaves the marker missing); False where the file system has no hard links, or when
    `source` is no longer the file whose bytes were compared (another build swapped the site since)."""
    temporary = f"{os.path.dirname(target)}/.link-{secrets.token_hex(4)}"
    try:
        os.link(source, temporary)
    except OSError:
        return False
    if not os.path.samestat(os.stat(temporary), expected):
        os.unlink(temporary)
        return False
    os.replace(temporary, target)
    return True


def _remove_stale_staging(output: Path) -> None:
    """Staging folders left by a killed build; only ones carrying this tool's marker."""
    for path in output.parent.glob(f".{output.name}{_STAGING}*"):
        if path.is_dir() and not path.is_symlink() and (path / MARKER).is_file():
            shutil.rmtree(path)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders atomically with Linux's renameat2(RENAME_EXCHANGE); False where unsupported."""
    renameat2 = _renameat2()
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    import ctypes

    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


@functools.lru_cache(maxsize=1)
def _renameat2():
    """libc's renameat2, or None; looked up once (finding libc asks the system's linker cache).
    ctypes is imported here: a first build, with no site to swap, never needs it."""
    import ctypes
    import ctypes.util

    libc_name = ctypes.util.find_library("c")
    return getattr(ctypes.CDLL(libc_name, use_errno=True), "renameat2", None) if libc_name else None
