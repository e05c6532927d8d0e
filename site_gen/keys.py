"""Keys of work: a hash of everything a result depends on."""

from __future__ import annotations

import hashlib


def key_of(*parts: object) -> str:
    """A hash of a step's inputs (strings, bytes, numbers, tuples of them)."""
    digest = hashlib.sha256()
    for part in parts:
        # Strings as they are (a repr would copy page bodies to escape them), tagged so that no
        # string, bytes or other value hashes like another.
        if isinstance(part, str):
            data = b"s" + part.encode("utf-8", "surrogatepass")
        elif isinstance(part, bytes):
            data = b"b" + part
        else:
            data = b"r" + repr(part).encode("utf-8", "surrogatepass")
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()
