"""Change one field (or the body) of a content file and leave every other byte as it was.

An import or a returned translation rewrites what it owns; comments, the
order of fields, quoting, line endings and a BOM are the editor's and stay.
A field is the line ``name: …`` at the start of a line in the front matter
and the lines that continue it (indented lines, list items ``- …``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Sequence

from ..errors import BuildError, Problem


@dataclass
class FrontMatterText:
    bom: str
    newline: str
    lines: list[str]  # the front matter's lines, between the two '---' lines
    opening: str  # the first line ('---')
    closing: str  # the line that ends the front matter
    body: str  # everything after it, as written

    def render(self) -> bytes:
        text = self.newline.join([self.opening, *self.lines, self.closing]) + self.newline + self.body
        return (self.bom + text).encode("utf-8")


def split(raw: bytes, shown: str) -> FrontMatterText:
    bom = "\ufeff" if raw.startswith(b"\xef\xbb\xbf") else ""
    try:
        text = raw[len(bom.encode()):].decode("utf-8")
    except UnicodeDecodeError as error:
        raise BuildError([Problem(shown, 0, f"not valid UTF-8 at byte {error.start}: save the file as UTF-8")]) from None
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.split(newline)
    if not lines or lines[0].rstrip() != "---":
        raise BuildError([Problem(shown, 1, "expected front matter: a first line '---', YAML, then a line '---'")])
    closing = next((index for index in range(1, len(lines)) if lines[index].rstrip() in ("---", "...")), None)
    if closing is None:
        raise BuildError([Problem(shown, 1, "front matter has no closing '---' line")])
    return FrontMatterText(bom, newline, lines[1:closing], lines[0], lines[closing], newline.join(lines[closing + 1:]))


def new_text(values: dict[str, Any], body: str | None) -> bytes:
    lines = [f"{name}: {yaml_value(value)}" for name, value in values.items() if value not in (None, "", [])]
    text = "\n".join(["---", *lines, "---", (body or "").strip()]) + "\n"
    return text.encode("utf-8")


def yaml_value(value: Any) -> str:
    """A one-line YAML value: lists in flow style, text double-quoted (JSON strings are YAML)."""
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_plain_or_quoted(str(item)) for item in value) + "]"
    text = str(value)
    return text if _SAFE_WORD.fullmatch(text) and text.casefold() not in _NULLS else json.dumps(text, ensure_ascii=False)


_SAFE_WORD = re.compile(r"[a-z][a-z0-9-]*")  # ids and kinds read the same unquoted
_SAFE_ITEM = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]*")  # ids and country codes, in a list
_NULLS = {"null", "~"}  # what YAML would read as nothing


def _plain_or_quoted(text: str) -> str:
    return text if _SAFE_ITEM.fullmatch(text) and text.casefold() not in _NULLS else json.dumps(text, ensure_ascii=False)


def _key_line(name: str) -> re.Pattern:
    return re.compile(rf"^{re.escape(name)}[ \t]*:(?:[ \t]|$)")


def _entry(lines: Sequence[str], name: str) -> tuple[int, int] | None:
    """The lines [start, end) of field ``name``."""
    pattern = _key_line(name)
    for start, line in enumerate(lines):
        if pattern.match(line):
            end = start + 1
            while end < len(lines) and _continues(lines, end):
                end += 1
            return start, end
    return None


def _continues(lines: Sequence[str], index: int) -> bool:
    line = lines[index]
    if line.startswith((" ", "\t", "- ")) or line.rstrip() == "-":
        return True
    if not line.strip():  # a blank line belongs to the field when an indented line follows (a block scalar)
        following = next((later for later in lines[index + 1:] if later.strip()), "")
        return following.startswith((" ", "\t"))
    return False


def set_field(front: FrontMatterText, name: str, value: Any, order: Sequence[str]) -> None:
    """Write ``name: value`` in place (None removes the field); a new field goes where ``order`` puts it."""
    found = _entry(front.lines, name)
    if value is None:
        if found is not None:
            del front.lines[found[0]:found[1]]
        return
    line = f"{name}: {yaml_value(value)}"
    if found is not None:
        front.lines[found[0]:found[1]] = [line]
        return
    position = order.index(name) if name in order else len(order)
    after = [entry for earlier in order[:position] if (entry := _entry(front.lines, earlier)) is not None]
    if after:
        front.lines.insert(max(end for _, end in after), line)
        return
    before = [entry for later in order[position + 1:] if (entry := _entry(front.lines, later)) is not None]
    if before:
        front.lines.insert(min(start for start, _ in before), line)
        return
    while front.lines and not front.lines[-1].strip():
        front.lines.pop()
    front.lines.append(line)


def set_body(front: FrontMatterText, body: str) -> None:
    text = body.strip("\n")
    front.body = (text.replace("\n", front.newline) + front.newline) if text else ""
