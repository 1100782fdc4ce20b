"""A Markdown body as a sequence of blocks a translator translates one by one.

A block is a heading, a paragraph, a list item, a table or a fenced code
block (which is not translated). Joining every block's ``prefix``, ``text``
and ``trailer`` gives the body back exactly, so a translation can be put
together from the source's structure (its headings' '#'s, its list markers,
its blank lines) and the translated texts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_FENCE = re.compile(r"^[ ]{0,3}(```|~~~)")
_HEADING = re.compile(r"^([ ]{0,3}#{1,6}[ \t]+)(.*)$")
_ITEM = re.compile(r"^([ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+)(.*)$")
_TABLE = re.compile(r"^[ ]{0,3}\|")

KINDS = {"heading": "heading", "item": "list item", "paragraph": "paragraph", "table": "table", "code": "code"}


@dataclass(frozen=True)
class Block:
    kind: str  # one of KINDS
    prefix: str  # '## ', '- ', '1. ' (kept from the source)
    text: str  # what is translated
    trailer: str  # the line breaks up to the next block

    @property
    def translatable(self) -> bool:
        return self.kind != "code" and bool(self.text.strip())


def split_blocks(body: str) -> list[Block]:
    lines = body.strip("\n").replace("\r\n", "\n").split("\n")
    if lines == [""]:
        return []
    blocks: list[Block] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if not line.strip():
            index += 1
            continue
        if _FENCE.match(line):
            fence = _FENCE.match(line).group(1)  # type: ignore[union-attr]
            end = index + 1
            while end < len(lines) and not lines[end].lstrip().startswith(fence):
                end += 1
            end = min(end + 1, len(lines))
            kind, prefix, text = "code", "", "\n".join(lines[index:end])
        elif (heading := _HEADING.match(line)) is not None:
            end = index + 1
            kind, prefix, text = "heading", heading.group(1), heading.group(2)
        elif (item := _ITEM.match(line)) is not None:
            end = index + 1
            while end < len(lines) and lines[end].strip() and not _starts_block(lines[end]):
                end += 1
            kind, prefix, text = "item", item.group(1), "\n".join([item.group(2), *lines[index + 1:end]])
        elif _TABLE.match(line):
            end = index + 1
            while end < len(lines) and _TABLE.match(lines[end]):
                end += 1
            kind, prefix, text = "table", "", "\n".join(lines[index:end])
        else:
            end = index + 1
            while end < len(lines) and lines[end].strip() and not _starts_block(lines[end]):
                end += 1
            kind, prefix, text = "paragraph", "", "\n".join(lines[index:end])
        blank = end
        while blank < len(lines) and not lines[blank].strip():
            blank += 1
        trailer = "\n" * (blank - end + 1) if blank < len(lines) else ""
        blocks.append(Block(kind, prefix, text, trailer))
        index = blank
    return blocks


def _starts_block(line: str) -> bool:
    return bool(_FENCE.match(line) or _HEADING.match(line) or _ITEM.match(line) or _TABLE.match(line))


def join_blocks(blocks: list[Block], texts: dict[int, str] | None = None) -> str:
    """The body with block ``i``'s text replaced by ``texts[i]`` (continuation lines of a list item
    keep the item's indentation)."""
    texts = texts or {}
    out = []
    for index, block in enumerate(blocks):
        text = texts.get(index, block.text)
        if block.kind == "item" and index in texts:
            first, *rest = text.split("\n")
            indent = " " * len(block.prefix)
            text = "\n".join([first, *(line if line.startswith((" ", "\t")) else indent + line for line in rest)])
        out.append(block.prefix + text + block.trailer)
    return "".join(out)


def shape(blocks: list[Block]) -> tuple[tuple[str, str], ...]:
    """What two bodies must share for their blocks to be paired one by one."""
    return tuple((block.kind, block.prefix.strip()[:1]) for block in blocks)
