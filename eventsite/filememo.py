"""What a whole-site step reads from an output file, kept in the cache folder by the file's signature.

The offline worker and the host files read every page again after any
rebuild (the worker's version is a digest of the pages; the ``_headers``
policy is the union of the pages' meta policies): 6,000 pages at 10 × 300
was a second of a one-edit rebuild. A page a rebuild did not write keeps
its path, size, modification time and inode, so what was read from it still
holds; a page written again has another inode and time (written by rename).
The output folder is trusted the same way when a rebuild compares it with
the saved state (eventsite/buildstate.py).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Mapping, Sequence

from .write import write_file_atomic


def signature(root: Path | str, relative: str, listing: Mapping[str, Sequence[int]] | None = None) -> str:
    """``relative``'s path, size, modification time and inode: another file, or the same one changed, has another.

    ``listing``: the output folder's listing when the caller has it, as up to date as the folder
    (buildstate.scan_outputs: [size, mtime_ns, inode]); a ``stat`` for each of 6,000 pages took ~0.1 s of a
    rebuild. A file it does not list is asked for.
    """
    listed = listing.get(relative) if listing is not None else None
    if listed is None:
        info = os.stat(os.path.join(root, relative))
        listed = (info.st_size, info.st_mtime_ns, info.st_ino)
    size, modified, inode = listed
    return f"{relative}\0{size}\0{modified}\0{inode}"


class FileMemo:
    """Signature → a JSON value, loaded from and saved to one file of the cache folder (this build's files only)."""

    def __init__(self, cache: Path | None, name: str):
        self._file = cache / name if cache is not None else None
        try:
            known = json.loads(self._file.read_bytes()) if self._file is not None else {}
        except (OSError, ValueError):
            known = {}
        self._known: dict[str, Any] = known if isinstance(known, dict) else {}
        self._used: dict[str, Any] = {}

    def get(self, key: str) -> Any | None:
        found = self._known.get(key)
        if found is not None:
            self._used[key] = found
        return found

    def put(self, key: str, value: Any) -> None:
        self._used[key] = value

    def save(self) -> None:
        """Keep the entries of this build's files only (the file does not grow from build to build)."""
        if self._file is None or self._used == self._known:
            return
        try:
            self._file.parent.mkdir(parents=True, exist_ok=True)
            write_file_atomic(self._file, json.dumps(self._used, sort_keys=True).encode("utf-8"))
        except OSError:
            pass  # a read-only cache only costs speed
