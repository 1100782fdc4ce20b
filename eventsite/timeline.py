"""The programme's history, read from git: what calendars need to notice a
change (``SEQUENCE``, ``DTSTAMP``) and what the changes page lists.

The site is edited by pull requests, so the history of a kind's folder on
the main line (``git log --first-parent``, merges diffed against their first
parent) is the history of what was published. A kind that tracks changes
names its *significant* fields (``ContentKind.changes``: for the programme
its time, room, title and status — RFC 5546 names time, place and status;
the title is what people recognise). For each item's source file,
``SEQUENCE`` is the number of times they changed after the item was first
committed, and ``DTSTAMP`` the commit time of the last such change, so both
are reproducible from the repository and stay the same when only the
description or a translation changes. A working tree that differs from the
last commit counts as one more change, stamped with the time of the last
commit (a preview; the commit that publishes it sets the real time).

Without history — no git, or a shallow clone — every item has
``SEQUENCE:0`` and the changes page is empty; the build says so in a note.
The GitHub workflow fetches the whole history (``fetch-depth: 0``).

Everything is read with two git processes (``git log`` and one
``git cat-file --batch``), once per build; the dev server reads it again
only when the repository's HEAD moved.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping

from . import yaml_strict
from .documents import split_front_matter

UTC = dt.timezone.utc

State = tuple[str, ...]  # the significant fields of one revision, as written ("" when absent)


@dataclass(frozen=True)
class Revision:
    time: dt.datetime  # the commit's time, UTC
    state: State | None  # None: the file was deleted in this commit


@dataclass(frozen=True)
class Change:
    """One published change of an item: what each changed field was and became."""

    item_id: str
    time: dt.datetime
    before: Mapping[str, str] | None  # None: the item was added
    after: Mapping[str, str]

    @property
    def fields(self) -> tuple[str, ...]:
        """The fields that changed, in the kind's order."""
        if self.before is None:
            return ()
        return tuple(name for name in self.after if self.before.get(name, "") != self.after[name])


@dataclass(frozen=True)
class Stamp:
    """What an item's calendar event says about its revisions."""

    sequence: int
    changed: dt.datetime | None  # the last significant change (DTSTAMP); None without history
    changes: tuple[Change, ...]  # every change after the item was added, oldest first


@dataclass(frozen=True)
class History:
    """The committed revisions of every tracked item's source file, oldest first."""

    revisions: Mapping[str, tuple[Revision, ...]] = field(default_factory=dict)  # '<folder>/<id>' → revisions
    fields: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # folder → its significant fields
    head_time: dt.datetime | None = None  # the time of the last commit: 'now' for this content
    signature: str = ""  # which HEAD this was read at ('' without git)
    note: str | None = None  # why there is no (whole) history
    # Stamps made, by item: (the front matter they were made from, the stamp). Every language's pages ask
    # again with the same front matter object; it is held here so that "is" compares it safely.
    _stamps: dict[tuple, tuple[Any, "Stamp"]] = field(default_factory=dict, compare=False, repr=False)

    def stamp(self, folder: str, item_id: str, data: Any, *, since: dt.date | None = None) -> Stamp:
        """SEQUENCE, DTSTAMP and the changes of an item whose source's front matter is now ``data``."""
        key = (folder, item_id, since)
        made = self._stamps.get(key)
        if made is not None and made[0] is data:
            return made[1]
        stamp = self._stamp(folder, item_id, data, since)
        self._stamps[key] = (data, stamp)
        return stamp

    def _stamp(self, folder: str, item_id: str, data: Any, since: dt.date | None) -> Stamp:
        names = self.fields.get(folder, ())
        current = state_of(data, names)
        key = f"{folder}/{item_id}"
        sequence = 0
        changed: dt.datetime | None = None
        changes: list[Change] = []
        previous: State | None = None
        for revision in self.revisions.get(key, ()):
            if revision.state is None:
                previous = None  # deleted; added again later, it starts anew
                continue
            if previous is None:
                changed = revision.time
                if since is not None:  # added after the programme was announced
                    changes.append(Change(item_id, revision.time, None, _named(names, revision.state)))
            elif revision.state != previous:
                sequence += 1
                changed = revision.time
                changes.append(Change(item_id, revision.time, _named(names, previous), _named(names, revision.state)))
            previous = revision.state
        if previous is not None and current != previous and self.head_time is not None:
            sequence += 1  # edited, not yet committed
            changed = self.head_time
            changes.append(Change(item_id, self.head_time, _named(names, previous), _named(names, current)))
        listed = tuple(change for change in changes if since is None or change.time.date() >= since)
        return Stamp(sequence, changed, listed)

    @property
    def fact(self) -> tuple:
        """Compared by incremental builds: pages that read the history are stale when it moved."""
        return (self.signature, self.head_time)


def state_of(data: Any, names: tuple[str, ...]) -> State:
    """The significant fields of a front matter (as parsed: every scalar a string)."""
    if not isinstance(data, dict):
        return ("",) * len(names)
    return tuple(_scalar(data.get(name)) for name in names)


def _scalar(value: Any) -> str:
    return " ".join(str(value).split()) if isinstance(value, (str, int, float)) else ""


def _named(names: tuple[str, ...], state: State) -> dict[str, str]:
    return dict(zip(names, state))


class HistoryCache:
    """Kept by a long-running process (the dev server): the history is read again only when HEAD moved."""

    def __init__(self) -> None:
        self._last: tuple[tuple, History] | None = None

    def read(self, content: Path, fields: Mapping[str, tuple[str, ...]]) -> History:
        key = (str(content.resolve()), head_signature(content), tuple(sorted(fields.items())))
        if self._last is None or self._last[0] != key:
            self._last = (key, read_history(content, fields))
        return self._last[1]


# --- reading git ----------------------------------------------------------------------


def head_signature(content: Path) -> str:
    """The commit HEAD names, read from the files (no process): '' when not in a git work tree."""
    git_dir = _git_dir(content.resolve())
    if git_dir is None:
        return ""
    try:
        head = (git_dir / "HEAD").read_text().strip()
        if not head.startswith("ref: "):
            return head
        ref = head[5:]
        common = _common_dir(git_dir)
        for folder in (git_dir, common):
            if (folder / ref).is_file():
                return (folder / ref).read_text().strip()
        packed = common / "packed-refs"
        if packed.is_file():
            for line in packed.read_text().splitlines():
                if line.endswith(" " + ref):
                    return line.split(" ", 1)[0]
        return ref  # an unborn branch
    except OSError:
        return ""


def _git_dir(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        candidate = folder / ".git"
        if candidate.is_dir():
            return candidate
        if candidate.is_file():  # a worktree or submodule: 'gitdir: <path>'
            text = candidate.read_text().strip()
            if text.startswith("gitdir: "):
                return (folder / text[8:]).resolve()
    return None


def _common_dir(git_dir: Path) -> Path:
    common = git_dir / "commondir"
    return (git_dir / common.read_text().strip()).resolve() if common.is_file() else git_dir


def read_history(content: Path, fields: Mapping[str, tuple[str, ...]]) -> History:
    """The committed revisions of ``content/<folder>/<id>.md`` (source files, not translations) for each
    folder of ``fields`` (folder → its significant fields)."""
    content = content.resolve()
    signature = head_signature(content)
    if not fields:
        return History(signature=signature)
    if not signature:
        return History(fields=fields, note="the content is not in a git repository: SEQUENCE stays 0 and no changes are listed")
    try:
        top = Path(_git(content, "rev-parse", "--show-toplevel").strip())
        shallow = _git(content, "rev-parse", "--is-shallow-repository").strip() == "true"
        log = _git(
            content, "log", "--first-parent", "--diff-merges=first-parent", "--raw", "--no-renames", "--no-abbrev",
            "--format=%x00%ct", "--", *(str(content / folder) for folder in fields),
        )
    except (OSError, subprocess.CalledProcessError):
        return History(fields=fields, signature=signature, note="git could not read the history: SEQUENCE stays 0")
    prefixes = {(content / folder).relative_to(top).as_posix() + "/": folder for folder in fields}
    changes: list[tuple[int, str, str, str]] = []  # (commit time, folder, id, blob or '' when deleted)
    for commit in log.split("\0")[1:]:
        lines = commit.strip().splitlines()
        if not lines:
            continue
        seconds = int(lines[0])
        for line in lines[1:]:
            meta, _, path = line.partition("\t")
            parts = meta.split()
            prefix, _, name = path.rpartition("/")
            folder = prefixes.get(prefix + "/")
            if len(parts) < 5 or folder is None or not name.endswith(".md") or "." in name[:-3]:
                continue  # another folder, or a translation (<id>.<lang>.md)
            blob = "" if parts[4].startswith("D") else parts[3]
            changes.append((seconds, folder, name[:-3], blob))
    texts = _blobs({blob for _, _, _, blob in changes if blob}, content)
    revisions: dict[str, list[Revision]] = {}
    for seconds, folder, item_id, blob in reversed(changes):  # git log lists the newest first
        state = state_of(_front_matter(texts[blob]), fields[folder]) if blob in texts else None
        revisions.setdefault(f"{folder}/{item_id}", []).append(Revision(dt.datetime.fromtimestamp(seconds, UTC), state))
    note = ("a shallow clone: the history before its first commit is missing, so SEQUENCE and the changes page "
            "start there (fetch the whole history: git fetch --unshallow)") if shallow else None
    return History(
        {key: tuple(found) for key, found in revisions.items()}, fields, _head_time(content), signature, note
    )


def _head_time(content: Path) -> dt.datetime | None:
    try:
        return dt.datetime.fromtimestamp(int(_git(content, "log", "-1", "--format=%ct").strip()), UTC)
    except (OSError, ValueError, subprocess.CalledProcessError):
        return None  # an unborn branch: nothing committed yet


def _blobs(blobs: Iterable[str], content: Path) -> dict[str, bytes]:
    """Each blob's bytes, read by one ``git cat-file --batch``."""
    wanted = sorted(blobs)
    if not wanted:
        return {}
    process = subprocess.run(
        ["git", "-C", str(content), "cat-file", "--batch"], input="\n".join(wanted).encode() + b"\n",
        capture_output=True, check=True, env=_environment(),
    )
    found: dict[str, bytes] = {}
    data, position = process.stdout, 0
    for blob in wanted:
        end = data.index(b"\n", position)
        header = data[position:end].split()
        position = end + 1
        if len(header) < 3 or header[1] == b"missing":
            continue
        size = int(header[2])
        found[blob] = data[position:position + size]
        position += size + 1
    return found


def _front_matter(raw: bytes) -> Any:
    try:
        split = split_front_matter(raw.decode("utf-8-sig"))
        return yaml_strict.parse(split[0]).data if split is not None else None
    except (UnicodeDecodeError, yaml_strict.YamlProblem, ValueError):
        return None  # a revision that did not parse counts as having no significant fields


def _git(content: Path, *arguments: str) -> str:
    return subprocess.run(
        ["git", "-C", str(content), *arguments], capture_output=True, check=True, text=True, env=_environment()
    ).stdout


def _environment() -> dict[str, str]:
    # Reproducible: no pager, no user configuration of the output, times as numbers.
    return {**os.environ, "GIT_PAGER": "cat", "LC_ALL": "C", "GIT_CONFIG_NOSYSTEM": "1"}
