"""Planned content files + the files as they are → the changes to make, shown or written.

For each field a source owns (eventsite/exchange/record.py):

- the file does not exist yet: the source's value is written;
- the value on disk is the one the last import wrote: the source's new value replaces it;
- the value on disk differs (edited here): it is kept, and if the source changed it too, the
  report says so.

Fields the source does not own, and translations it does not give, are never touched.
Items an earlier import wrote that the source no longer has are reported, not deleted.
Before anything is written, the changed content is checked in a copy of the content
folder: an import that would leave an error writes nothing.
"""

from __future__ import annotations

import difflib
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from ..errors import BuildError, Problem, display_path
from . import frontmatter, record as records, siteyaml
from .programme import BODY, ITEM_FOLDER, Existing, Plan, PlannedFile, SiteState

SITE_FILE = "site.yaml"


@dataclass(frozen=True)
class Change:
    relative: str  # below the content folder, '/'-separated
    old: bytes | None  # None: a new file
    new: bytes


@dataclass
class Outcome:
    changes: list[Change] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the editor should know: kept edits, removed items
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def plan_changes(plan: Plan, site: SiteState, record: records.Record, content: Path, source: str) -> Outcome:
    outcome = Outcome()
    new_record = records.Record(dict(record.files))
    for planned in plan.files:
        relative = planned.relative
        existing = site.files.get(relative)
        written = record.files.get(relative)
        if existing is None and written is not None and written.key == planned.key and planned.lang is None:
            outcome.notes.append(f"{relative}: deleted here after an earlier import; not written again")
            continue
        path = content / relative
        old = path.read_bytes() if existing is not None and path.is_file() else None
        new, fields = merge(planned, existing, written, old, relative, outcome.notes)
        new_record.files[relative] = records.Written(source, planned.key, fields)
        if old is None:
            outcome.created += 1
            outcome.changes.append(Change(relative, None, new))
        elif new != old:
            outcome.updated += 1
            outcome.changes.append(Change(relative, old, new))
        else:
            outcome.unchanged += 1
    for relative, written in sorted(record.files.items()):
        folder, _, name = relative.partition("/")
        if folder == ITEM_FOLDER and name.count(".") == 1 and written.key not in plan.item_keys and written.source == source:
            if relative in site.files:
                outcome.notes.append(f"{relative}: no longer in {source}; kept (delete it by hand if it was cancelled)")
    if plan.rooms:
        site_path = content / SITE_FILE
        old_site = site_path.read_bytes()
        outcome.changes.append(Change(SITE_FILE, old_site, siteyaml.add_rooms(old_site, plan.rooms, display_path(site_path, content))))
        outcome.notes += [f"site.yaml: room {room_id!r} added ({name})" for room_id, name in plan.rooms.items()]
    if outcome.changes:
        record_path = records.path_of(content)
        old_record = record_path.read_bytes() if record_path.is_file() else None
        rendered = new_record.render()
        if rendered != old_record:
            outcome.changes.append(Change(f"{records.FOLDER}/{records.NAME}", old_record, rendered))
    return outcome


def _same(a: Any, b: Any) -> bool:
    def norm(value: Any) -> Any:
        if value is None or value == "" or value == []:
            return None
        if isinstance(value, (list, tuple)):
            return [str(item).strip() for item in value]
        return " ".join(str(value).split())

    return norm(a) == norm(b)


def merge(
    planned: PlannedFile, existing: Existing | None, written: records.Written | None, old: bytes | None, relative: str, notes: list[str]
) -> tuple[bytes, dict[str, Any]]:
    """The file's new bytes, and the values to record (the source's)."""
    recorded: dict[str, Any] = {name: value for name, value in planned.values.items()}
    if planned.body is not None:
        recorded[BODY] = records.body_hash(planned.body)
    if existing is None or old is None:
        return frontmatter.new_text(dict(planned.values), planned.body), recorded
    front = frontmatter.split(old, relative)
    last = written.fields if written is not None and written.key == planned.key else None
    edits: list[str] = []
    owned = list(planned.values)
    if last is not None:
        owned += [name for name in last if name not in planned.values and name != BODY]  # given last time, not now
    for name in owned:
        wanted = planned.values.get(name)
        current = existing.data.get(name)
        if _same(current, wanted):
            continue
        if _untouched(current, last, name):
            frontmatter.set_field(front, name, wanted, planned.order)
        elif wanted is not None and (last is None or not _same(last.get(name), wanted)):
            edits.append(name)
    if planned.body is not None:
        current_hash = records.body_hash(existing.body)
        if current_hash != recorded[BODY]:
            if last is not None and last.get(BODY) == current_hash or (last is None and not existing.body.strip()):
                frontmatter.set_body(front, planned.body)
            elif last is None or last.get(BODY) != recorded[BODY]:
                edits.append("the text")
    if edits:
        notes.append(f"{relative}: kept the edits made here to {', '.join(edits)} (the source has other values)")
    return front.render(), recorded


def _untouched(current: Any, last: dict[str, Any] | None, name: str) -> bool:
    """Is the value on disk the one the last import wrote (or is there none)?"""
    if current is None or current == "" or current == []:
        return last is None or last.get(name) in (None, "", [])  or _same(current, last.get(name))
    return last is not None and _same(current, last.get(name))


# --- showing and writing ------------------------------------------------------------------


def unified_diff(changes: list[Change]) -> str:
    out: list[str] = []
    for change in changes:
        old = _lines(change.old) if change.old is not None else []
        new = _lines(change.new)
        fromfile = f"a/{change.relative}" if change.old is not None else "/dev/null"
        out.extend(difflib.unified_diff(old, new, fromfile=fromfile, tofile=f"b/{change.relative}"))
    return "".join(out)


def _lines(raw: bytes) -> list[str]:
    text = raw.removeprefix(b"\xef\xbb\xbf").decode("utf-8", "replace").replace("\r\n", "\n")
    return [line + "\n" for line in text.removesuffix("\n").split("\n")] if text else []


def trial_check(content: Path, changes: list[Change], examine: Callable[[Path], list[Problem]]) -> list[Problem]:
    """The errors the changed content would have that the content has now, found in a copy."""
    before = {_key(problem, content) for problem in examine(content)}
    with tempfile.TemporaryDirectory(prefix=".eventsite-import-") as folder:
        copy = Path(folder) / content.name
        shutil.copytree(content, copy, symlinks=True)
        apply(copy, changes)
        after = examine(copy)
        return [_relocated(problem, copy, content) for problem in after if _key(problem, copy) not in before]


def _key(problem: Problem, content: Path) -> tuple[str, int, str]:
    return (_relative(problem.path, content), problem.line, problem.message.replace(str(content), ""))


def _relative(shown: str, content: Path) -> str:
    """A problem's path below the content folder, however it was displayed."""
    path = Path(shown)
    try:
        return (path if path.is_absolute() else (Path.cwd() / path)).resolve().relative_to(content.resolve()).as_posix()
    except (ValueError, OSError):
        pass
    prefix = content.name + "/"
    return shown[len(prefix):] if shown.startswith(prefix) else shown


def _relocated(problem: Problem, copy: Path, content: Path) -> Problem:
    relative = _relative(problem.path, copy)
    shown = display_path((content / relative).resolve(), content.resolve()) if relative != problem.path else problem.path
    return Problem(shown, problem.line, problem.message, problem.column, problem.severity)


def apply(content: Path, changes: list[Change]) -> None:
    """Write every change; each file is replaced whole (a temporary file renamed over it)."""
    for change in changes:
        path = content / change.relative
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.import-tmp")
        temporary.write_bytes(change.new)
        os.replace(temporary, path)


def refuse(problems: list[Problem]) -> None:
    if problems:
        raise BuildError(problems)
