"""What the loader makes of a file: a :class:`Document` (front matter and body) or a :class:`MediaFile`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import Problem
from .yaml_strict import ParsedYaml


@dataclass(frozen=True)
class Document:
    """One content file: its front matter (with line numbers) and its body."""

    path: Path
    display: str  # the path as shown in messages
    kind: str  # a content kind's name (eventsite/kinds/); 'site' for site.yaml
    id: str
    lang: str | None  # None for the source file, else the translation's language
    meta: ParsedYaml
    body: str
    body_line: int  # line of the file where the body starts
    sha: str  # hash of the raw bytes, for caches and dependency records
    problems: tuple[Problem, ...] = ()  # found reading it that did not stop the reading (a duplicate key)


@dataclass(frozen=True)
class MediaFile:
    path: Path
    relative: str  # NFC, '/'-separated, relative to media/
    size: int
    modified_ns: int = 0  # only to notice a change the watcher missed (missed_changes)


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """Split ``---\\nYAML\\n---\\nbody`` into (yaml, body, first body line)."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return None
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            yaml_text = "\n".join(lines[1:index])
            body = "\n".join(lines[index + 1 :])
            return yaml_text, body, index + 2
    return None
