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

import marshal
import os
from pathlib import Path
from typing import Any, Mapping, Sequence

from .cache import seal, unseal
from .write import write_file_atomic

MAGIC = b"eventsite-memo\n"


def read_memo(path: Path | None) -> dict[str, Any]:
    """A memo file's mapping; empty when there is none, or it is damaged or of another kind (only costs time).

    marshal, sealed with its digest: the three memos of a rebuild at 10 × 300 (3.5 MB) took ~15 ms to read
    and ~15 ms to write as JSON, ~3 ms as marshal.
    """
    if path is None:
        return {}
    try:
        found = marshal.loads(unseal(MAGIC, path.read_bytes()))
    except (OSError, ValueError, EOFError, TypeError):
        return {}
    return found if isinstance(found, dict) else {}


def write_memo(path: Path, values: dict[str, Any]) -> None:
    """Write a memo file by rename; a read-only cache only costs time."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_file_atomic(path, seal(MAGIC, marshal.dumps(values)))
    except (OSError, ValueError):  # ValueError: a value marshal cannot write (none of ours)
        pass


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
    """Signature → a value (strings, numbers, lists, dicts), loaded from and saved to one file of the cache
    folder (read_memo; this build's files only)."""

    def __init__(self, cache: Path | None, name: str):
        self._file = cache / name if cache is not None else None
        self._known: dict[str, Any] = read_memo(self._file)
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
        write_memo(self._file, self._used)
