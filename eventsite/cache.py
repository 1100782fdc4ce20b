"""A cache folder that makes warm builds fast and never changes their output.

Entries are JSON files named by a hash of everything that determines them
(the input text, where it is shown, and :data:`VERSION` plus the versions of
the libraries that produce them), written atomically. A build with
``--no-cache`` ignores the folder; a corrupt or foreign entry is a miss.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

from .versions import installed_version

VERSION = 4  # bump when a cached conversion changes (4: definitions nested too deep are refused)


DIGEST_SIZE = 32  # SHA-256


def seal(magic: bytes, payload: bytes) -> bytes:
    """A cache file's bytes: ``magic``, the SHA-256 of ``payload``, then ``payload`` (read back by :func:`unseal`).

    The state, the kept fragments and the kept content are :mod:`marshal` or
    :mod:`pickle` data, and both may crash the interpreter on damaged input
    (a changed back-reference), not only raise: every byte is checked before
    they read one. ~3 ms for 6 MB.
    """
    return magic + hashlib.sha256(payload).digest() + payload


def unseal(magic: bytes, data: bytes) -> memoryview:
    """The payload of a file written by :func:`seal`; ValueError for another kind of file or a damaged one."""
    if not data.startswith(magic):
        raise ValueError("not a file of this kind")
    view = memoryview(data)[len(magic):]
    digest, payload = view[:DIGEST_SIZE], view[DIGEST_SIZE:]
    if len(digest) < DIGEST_SIZE or hashlib.sha256(payload).digest() != digest:
        raise ValueError("a damaged file (its digest does not match)")
    return payload


@lru_cache(maxsize=1)  # the same for the whole process; asked for each cache a build opens (~2 ms each)
def _library_versions() -> str:
    return ",".join(f"{name}={installed_version(name)}" for name in ("markdown", "nh3"))


class DiskCache:
    def __init__(self, folder: Path, namespace: str):
        self.folder = folder / namespace
        self._root = os.fspath(self.folder)  # entries are found by string joins: pathlib cost 50 µs an entry
        self._salt = f"{VERSION};{_library_versions()};"

    def key(self, *parts: str) -> str:
        digest = hashlib.sha256(self._salt.encode())
        for part in parts:
            digest.update(b"\0" + part.encode("utf-8"))
        return digest.hexdigest()

    def get(self, key: str) -> Any | None:
        try:
            with open(os.path.join(self._root, key[:2], key + ".json"), "rb") as stream:
                return json.loads(stream.read().decode("utf-8"))
        except (OSError, ValueError):
            return None

    def put(self, key: str, value: Any) -> None:
        folder = os.path.join(self._root, key[:2])
        target = os.path.join(folder, key + ".json")
        try:
            os.makedirs(folder, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=folder, prefix=".tmp-")
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                stream.write(json.dumps(value, ensure_ascii=False))  # dumps: the C encoder (dump is pure Python)
            os.replace(temporary, target)
        except OSError:
            pass  # a read-only or full disk only costs speed
