"""The one rule for content file names: ``<folder>/<id>.md`` and ``<folder>/<id>.<lang>.md``.

The loader, the translators' commands, the scaffolder and the dev server all
ask this module what a path means, so the rule is written once.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import paths

SUFFIX = "md"


@dataclass(frozen=True)
class ContentPath:
    """What a content file's name says: its folder, the item's id and (for a translation) the language."""

    folder: str
    id: str
    lang: str | None  # None: the source file, in the default language

    @property
    def name(self) -> str:
        return f"{self.id}.{self.lang}.{SUFFIX}" if self.lang else f"{self.id}.{SUFFIX}"

    @property
    def source(self) -> "ContentPath":
        """The source file this one translates (itself for a source)."""
        return ContentPath(self.folder, self.id, None)

    def translation(self, lang: str) -> "ContentPath":
        return ContentPath(self.folder, self.id, lang)

    def under(self, content: Path) -> Path:
        return content / self.folder / self.name


class NotContent(ValueError):
    """A name that breaks the rule; the message says how, for the editor."""


def parse_name(folder: str, name: str) -> ContentPath:
    """``opening.th.md`` in ``sessions`` → ContentPath('sessions', 'opening', 'th'); NotContent otherwise."""
    name = paths.nfc(name)
    parts = name.split(".")
    if parts[-1] != SUFFIX or len(parts) not in (2, 3):
        raise NotContent(f"expected <id>.{SUFFIX} or <id>.<lang>.{SUFFIX}")
    item_id = parts[0]
    lang = parts[1] if len(parts) == 3 else None
    why = paths.id_problem(item_id)
    if why:
        raise NotContent(f"file name: {why}")
    if lang is not None and not looks_like_language(lang):
        raise NotContent(f"{lang!r} is not a language code (expected e.g. 'ko', 'zh-Hant')")
    return ContentPath(folder, item_id, lang)


def parse_path(path: Path, content: Path | None = None) -> ContentPath | None:
    """The content path of a file ``<content>/<folder>/<name>`` (any content folder when
    ``content`` is None); None when it is not one (another folder, a sub-folder, a bad name)."""
    if content is not None and path.parent.parent != content:
        return None
    try:
        return parse_name(path.parent.name, path.name)
    except NotContent:
        return None


def looks_like_language(code: str) -> bool:
    pieces = code.split("-")
    return 2 <= len(pieces[0]) <= 3 and pieces[0].isascii() and pieces[0].isalpha() and pieces[0].islower() and all(
        piece.isascii() and piece.isalnum() and 1 <= len(piece) <= 8 for piece in pieces[1:]
    )
