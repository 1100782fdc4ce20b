"""What earlier imports wrote: ``content/.eventsite/imports.json``.

For every file an import wrote, the record keeps the source's key of the
item (its guid, id or title), and the value the source gave each field it
owns (the body as a hash). On the next import a field whose value on disk is
still the recorded one is updated; a field whose value differs was edited
here and is kept. The record holds values, not line numbers or bytes, so any
edit of the content files (reordering, quoting, comments, other fields)
leaves it meaningful. Commit it with the content. Deleting it is safe: the
next import then keeps every value that differs from the source's and says so.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import BuildError, Problem
from ..translations.fingerprints import normalize

FOLDER = ".eventsite"
NAME = "imports.json"
ABOUT = (
    "Written by `build.py import`: the values each import gave the fields it owns, so that the next import updates "
    "them and keeps what was edited here. Commit it with the content; deleting it is safe."
)


@dataclass(frozen=True)
class Written:
    """One file as an import last wrote it."""

    source: str
    key: str
    fields: dict[str, Any]  # field → value ('body' → 'sha256:…')

    def to_json(self) -> dict:
        return {"source": self.source, "key": self.key, "fields": self.fields}


@dataclass
class Record:
    files: dict[str, Written] = field(default_factory=dict)  # 'sessions/x.md' → what was written

    def recorded_ids(self) -> dict[str, str]:
        """'sessions:guid:…' → the id of the file an import made for that key (source files only)."""
        found = {}
        for relative, written in self.files.items():
            folder, _, name = relative.partition("/")
            stem = name.removesuffix(".md")
            if "." not in stem:
                found[f"{folder}:{written.key}"] = stem
        return found

    def render(self) -> bytes:
        data = {"about": ABOUT, "files": {path: self.files[path].to_json() for path in sorted(self.files)}}
        return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n").encode("utf-8")


def path_of(content: Path) -> Path:
    return content / FOLDER / NAME


def read_record(content: Path, shown: str) -> Record:
    path = path_of(content)
    if not path.is_file():
        return Record()
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError:
        raise BuildError([Problem(shown, 0, "not UTF-8: fix it, or delete it (the next import then keeps every difference it finds)")]) from None
    except json.JSONDecodeError as error:
        message = f"not JSON ({error.msg}): fix it, or delete it (the next import then keeps every difference it finds)"
        raise BuildError([Problem(shown, error.lineno, message, error.colno)]) from None
    files = data.get("files") if isinstance(data, dict) else None
    record = Record()
    for relative, entry in (files or {}).items():
        if isinstance(entry, dict) and isinstance(entry.get("key"), str) and isinstance(entry.get("fields"), dict):
            record.files[str(relative)] = Written(str(entry.get("source", "")), entry["key"], dict(entry["fields"]))
    return record


def body_hash(body: str) -> str:
    return "sha256:" + hashlib.sha256(normalize(body).encode("utf-8")).hexdigest()
