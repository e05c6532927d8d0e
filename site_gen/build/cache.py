"""A cache of pure work: results that depend only on their inputs, kept in `.cache/` between builds.

The pipeline wraps its pure steps in it (reading a content file, converting a body, estimating
print spacing, rendering a page); the steps themselves know nothing of it. Each result is kept
under a key made of everything its inputs are, and every file of the cache is stamped with the
tool's own code (every file of the package, hashed) and the versions of the libraries doing the
work: after any change to either, nothing cached before is used, so no update can serve a stale
page. The folder is safe to delete. A file that is truncated, corrupt or from other code is
ignored: every file carries a checksum of its contents, checked before use.
"""

from __future__ import annotations

import functools
import os
import pickle
import sys
import tempfile
import zlib
from pathlib import Path
from typing import Any, Callable, TypeVar

from site_gen.keys import key_of

T = TypeVar("T")

PACKAGE = Path(__file__).resolve().parent.parent  # site_gen/: its code, default theme and data
_LIBRARIES = ("markdown", "pyyaml", "jinja2", "markupsafe", "zxing-cpp", "pyphen", "rcssmin", "rjsmin", "phonenumbers",
              "pycountry", "tzfpy", "tzdata", "pillow", "defusedxml")


@functools.lru_cache(maxsize=1)
def code_stamp() -> str:
    """A hash of every file of the package and the installed versions of the libraries it uses:
    what, besides their inputs, every cached result was made by."""
    files = sorted(path for path in PACKAGE.rglob("*") if path.is_file() and "__pycache__" not in path.parts)
    return key_of(*(part for path in files for part in (path.relative_to(PACKAGE).as_posix(), path.read_bytes())),
                  _versions())


def _versions() -> str:
    """The installed versions of the libraries whose results the cache keeps.

    Read from the names of the installed packages' metadata folders (`markdown-3.11.3.dist-info`),
    the first on Python's path as for an import; importing importlib.metadata, which is asked only
    for a package installed some other way, takes a tenth of a rebuild's imports.
    """
    installed: dict[str, str] = {}
    for folder in sys.path:
        try:
            names = os.listdir(folder or ".")
        except OSError:  # not a folder: a zip file, a path hook
            continue
        for name in names:
            if name.endswith(".dist-info"):
                package, _, version = name.removesuffix(".dist-info").partition("-")
                installed.setdefault(_normal(package), version)
    found = []
    for package in _LIBRARIES:
        version = installed.get(_normal(package))
        if version is None:
            from importlib import metadata

            try:
                version = metadata.version(package)
            except metadata.PackageNotFoundError:
                version = "?"
        found.append(f"{package}={version}")
    return ";".join(found)


def _normal(name: str) -> str:
    """A package's name as its metadata folder spells it (PEP 503, with underscores): zxing-cpp → zxing_cpp."""
    return name.lower().replace("-", "_").replace(".", "_")


# The many-entry kinds (rendered pages, read content files, Markdown) are kept in 16 files each,
# by the first digit of their key: after an edit only the files holding changed entries are
# written again, not one file of every page.
SHARDS = "0123456789abcdef"


def sharded(kind: str, key: str) -> str:
    """The kind under which an entry of a many-entry kind is kept: `pages-3` for a key starting with 3."""
    return f"{kind}-{key[0]}"


class Cache:
    """Results by kind and key, read lazily from `folder` and written back by `save()`."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.stamp = code_stamp()
        self._tables: dict[str, dict[str, Any]] = {}
        self._used: dict[str, set[str]] = {}
        self._changed: set[str] = set()

    def memo(self, kind: str, key: str, compute: Callable[[], T]) -> T:
        """The cached result for `key`, or `compute()`'s, remembered for next time."""
        table = self._table(kind)
        if key not in table:
            self.put(kind, key, compute())
        self._used.setdefault(kind, set()).add(key)
        return table[key]

    def get(self, kind: str, key: str) -> Any:
        """The cached result for `key`, or None."""
        table = self._table(kind)
        if key not in table:
            return None
        self._used.setdefault(kind, set()).add(key)
        return table[key]

    def put(self, kind: str, key: str, value: Any) -> None:
        """Remember a result."""
        self._table(kind)[key] = value
        self._used.setdefault(kind, set()).add(key)
        self._changed.add(kind)

    def forget_unused(self, kind: str) -> None:
        """Drop the entries of a kind this build has not used so far (save() would not keep them),
        freeing their memory before the build makes new ones."""
        used = self._used.get(kind, set())
        table = self._table(kind)
        if len(table) > len(used):
            self._tables[kind] = {key: table[key] for key in used if key in table}
            self._changed.add(kind)

    def _table(self, kind: str) -> dict[str, Any]:
        if kind not in self._tables:
            self._tables[kind] = self._read(kind)
        return self._tables[kind]

    def _read(self, kind: str) -> dict[str, Any]:
        if self.folder is None:
            return {}
        try:
            data = (self.folder / f"{kind}.pickle").read_bytes()
            stamp, checksum, _ = data[:4096].split(b"\n", 2)
            # A view, not a copy: the rendered pages alone can be hundreds of megabytes.
            payload = memoryview(data)[len(stamp) + len(checksum) + 2:]
            if stamp.decode() != self.stamp or checksum.decode() != _checksum(payload):
                return {}
            table = pickle.loads(payload)  # our own file, checked above, in the project's own folder
            return table if isinstance(table, dict) else {}
        except (OSError, ValueError, UnicodeDecodeError, pickle.UnpicklingError, EOFError, AttributeError,
                ImportError, IndexError, TypeError):
            return {}

    def save(self) -> None:
        """Write back each changed kind, keeping only the entries this build used."""
        if self.folder is None:
            return
        unused = {kind for kind, table in self._tables.items() if set(table) - self._used.get(kind, set())}
        for kind in sorted(self._changed | unused):
            table = {key: value for key, value in self._tables[kind].items() if key in self._used.get(kind, ())}
            self._tables[kind] = table
            payload = pickle.dumps(table, protocol=pickle.HIGHEST_PROTOCOL)
            self.folder.mkdir(parents=True, exist_ok=True)
            # Written beside, then renamed: a killed build leaves the old file or the new one.
            handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=f".{kind}.")
            with os.fdopen(handle, "wb") as file:
                file.write(self.stamp.encode() + b"\n" + _checksum(payload).encode() + b"\n")
                file.write(payload)
            os.replace(temporary, self.folder / f"{kind}.pickle")
        self._changed.clear()

    def start_build(self) -> None:
        """Drop what the last build did not use and start counting afresh (for the dev server,
        which keeps one cache in memory across its builds)."""
        for kind in list(self._used):
            self.forget_unused(kind)
        self._used = {}


def _checksum(payload: bytes | memoryview) -> str:
    """A CRC-32 of a cache file's contents: it catches truncation and damage (its job here) at a
    third of SHA-256's time over the tens of megabytes a large site's cache holds."""
    return f"{zlib.crc32(payload):08x}"
