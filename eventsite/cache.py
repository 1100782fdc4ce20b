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
from importlib.metadata import version
from pathlib import Path
from typing import Any

VERSION = 3  # bump when a cached conversion changes


def _library_versions() -> str:
    return ",".join(f"{name}={version(name)}" for name in ("markdown", "nh3"))


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
