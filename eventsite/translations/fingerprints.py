"""Fingerprints of a source's translatable text, and writing them into translation files.

A translation file records, in ``source_fingerprint:``, a fingerprint of its
source's translatable text at the moment a translator last brought it up to
date (``build.py i18n sign-off``). Comparing that with the source's
fingerprint now needs no file times, no git history and no service, so the
status is the same in a shallow CI checkout as on a translator's laptop.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from ..contentpath import parse_path
from ..entries import Entry
from ..errors import BuildError, Problem
from ..kinds import BY_FOLDER, BY_NAME
from ..load import decode_text, split_front_matter
from ..yaml_strict import YamlProblem, parse

FINGERPRINT_LENGTH = 16  # hex digits written by sign-off; the schema accepts 12–64


def normalize(text: str) -> str:
    """What a translator sees: line endings, Unicode composition and edge spaces don't count."""
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n")).strip()


def source_digest(kind: str, data: Mapping[str, object], body: str) -> str:
    """sha256 (hex) of the translatable front-matter fields and the body.

    Computed from the raw front matter rather than the validated model, so
    that an old revision from git (which may not validate any more) gives the
    same value as the file did when it was current. Absent and empty fields
    are left out, so adding an optional field to a schema changes nothing.
    """
    fields: dict[str, str] = {}
    for name in BY_NAME[kind].translatable:
        value = data.get(name)
        text = normalize(str(value)) if value is not None else ""
        if text:
            fields[name] = text
    payload = json.dumps({"body": normalize(body), "fields": fields}, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def fingerprint(digest: str) -> str:
    return digest[:FINGERPRINT_LENGTH]


def matches(recorded: str | None, digest: str) -> bool:
    """A recorded fingerprint is a prefix of the digest (any length the schema allows)."""
    return recorded is not None and len(recorded) >= 12 and digest.startswith(recorded.lower())


def entry_digest(entry: Entry) -> str:
    return source_digest(entry.kind, entry.document.meta.data, entry.body)


def text_digest(kind: str, raw: bytes, shown: str = "source") -> str:
    """The digest of a source file's bytes (the working tree's or a git revision's)."""
    problems: list[Problem] = []
    text = decode_text(raw, shown, problems)
    if text is None:
        raise BuildError(problems)
    split = split_front_matter(text)
    if split is None:
        raise BuildError([Problem(shown, 1, "expected front matter: a first line '---', YAML, then a line '---'")])
    yaml_text, body, _line = split
    try:
        data = parse(yaml_text, first_line=2).data
    except YamlProblem as problem:
        raise BuildError([Problem(shown, problem.line, problem.message, problem.column)]) from None
    return source_digest(kind, data if isinstance(data, dict) else {}, body)


@dataclass(frozen=True)
class TranslationFile:
    path: Path
    kind: str
    id: str
    lang: str

    @property
    def source(self) -> Path:
        return self.path.with_name(f"{self.id}.md")


def translation_file(path: Path) -> TranslationFile:
    """``content/sessions/opening.ko.md`` → its kind, id, language and source."""
    found = parse_path(path)
    kind = BY_FOLDER.get(found.folder) if found is not None else None
    if found is None or kind is None or found.lang is None:
        folders = ", ".join(BY_FOLDER)
        raise BuildError([Problem(path.as_posix(), 0, f"not a translation file: expected <{folders}>/<id>.<lang>.md")])
    return TranslationFile(path, kind.name, found.id, found.lang)


_FINGERPRINT_LINE = re.compile(r"^source_fingerprint[ \t]*:")
_REVIEW_LINE = re.compile(r"^review[ \t]*:")


def set_fingerprint(raw: bytes, value: str, shown: str = "translation", *, draft: bool = False) -> bytes:
    """Write ``source_fingerprint: "<value>"`` into the front matter; every other byte stays.

    An existing line is replaced in place; otherwise the line goes just
    before the closing ``---``. The file's BOM and line endings are kept.
    ``draft``: also write ``review: draft`` (a draft made against this
    source); without it a ``review:`` line is removed (signed off).
    """
    bom = b"\xef\xbb\xbf" if raw.startswith(b"\xef\xbb\xbf") else b""
    try:
        text = raw[len(bom):].decode("utf-8")
    except UnicodeDecodeError as error:
        raise BuildError([Problem(shown, 0, f"not valid UTF-8 at byte {error.start}: save the file as UTF-8")]) from None
    newline = "\n" if "\n" in text else ("\r" if "\r" in text else "\n")
    lines = text.split(newline)
    # With '\n' splitting, a CRLF file's lines keep their '\r': match with rstrip, write it back.
    if not lines or lines[0].rstrip() != "---":
        raise BuildError([Problem(shown, 1, "expected front matter: a first line '---', YAML, then a line '---'")])
    closing = next((index for index in range(1, len(lines)) if lines[index].rstrip() in ("---", "...")), None)
    if closing is None:
        raise BuildError([Problem(shown, 1, "front matter has no closing '---' line")])
    ending = "\r" if lines[0].endswith("\r") else ""
    _set_line(lines, closing, _FINGERPRINT_LINE, f'source_fingerprint: "{value}"', ending)
    closing = next(index for index in range(1, len(lines)) if lines[index].rstrip() in ("---", "..."))
    _set_line(lines, closing, _REVIEW_LINE, "review: draft" if draft else None, ending)
    return bom + newline.join(lines).encode("utf-8")


def _set_line(lines: list[str], closing: int, pattern: re.Pattern, new_line: str | None, ending: str) -> None:
    """Replace (or with None remove) the front-matter line matching ``pattern``; add it before ``closing`` if absent."""
    for index in range(1, closing):
        if pattern.match(lines[index]):
            if new_line is None:
                del lines[index]
            else:
                lines[index] = new_line + ("\r" if lines[index].endswith("\r") else "")
            return
    if new_line is not None:
        lines.insert(closing, new_line + ending)


def recorded_fingerprint(raw: bytes, shown: str = "translation") -> str | None:
    """The ``source_fingerprint`` in a translation file's front matter, if any."""
    problems: list[Problem] = []
    text = decode_text(raw, shown, problems)
    split = split_front_matter(text) if text is not None else None
    if split is None:
        raise BuildError(problems or [Problem(shown, 1, "expected front matter")])
    try:
        data = parse(split[0], first_line=2).data
    except YamlProblem as problem:
        raise BuildError([Problem(shown, problem.line, problem.message, problem.column)]) from None
    value = data.get("source_fingerprint") if isinstance(data, dict) else None
    return str(value).strip() if value else None
