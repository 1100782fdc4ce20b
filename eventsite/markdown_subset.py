"""The common subset of Markdown, converted directly; Python-Markdown stays the reference.

Python-Markdown costs ~5 ms a body (a tree, twenty inline patterns, a
serializer), and a build without its cache converts every body twice: for
the page and for the calendars' plain text. Most bodies use a handful of
constructs: ``#`` headings, paragraphs, ``-`` lists, pipe tables, ``[links](…)``,
``*emphasis*`` and ``**strong**``. :func:`convert` turns such a body into the
HTML Python-Markdown makes of it, character for character, in a tenth of the
time, and returns None for anything else, which then goes to Python-Markdown.

It is an accelerator, not a second dialect: anything it is unsure of (a
character that could start other markup, an indented line, a list item of
two lines) sends the body to the reference. tests/test_markdown_subset.py
compares both on the real content, the synthetic benchmark bodies and
random Markdown built from the characters that matter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

# Characters after which Python-Markdown could do more than this module does:
# raw HTML and entities, escapes, code, underscore emphasis, control characters
# Python-Markdown uses as placeholders, and whitespace it would normalize.
_OUTSIDE = re.compile(r"[<&\\`_\t\r\x00-\x08\x0b-\x1f\x7f\u2028\u2029]|!\[|\]:| \n| $|\n\n\n")
# A line that could start a construct other than a paragraph line.
# A '*' before a letter is emphasis; before a space or another '*' it could start a list or a rule.
# Any whitespace first (not only ' '): Python-Markdown strips a paragraph's leading no-break or ideographic space.
_SPECIAL_START = re.compile(r"^(?:[\s#>+\-=|:~]|\*(?!\*?[^\s*])|\d+[.)])", re.MULTILINE)
_HEADING = re.compile(r"(#{1,6}) ([^#\s](?:[^#\n]*[^#\s])?)")
# A letter or a link first: anything else could start a block inside the item.
_BULLET = re.compile(r"- ((?:[^\W\d_]|\[|\*\*?(?=[^\s*]))[^\n]*)")
_NUMBERED = re.compile(r"(\d+)\. ((?:[^\W\d_]|\[|\*\*?(?=[^\s*]))[^\n]*)")
_TABLE_ROW = re.compile(r"\| ?([^|\n]*(?:\|[^|\n]*)*?) ?\|")
_SEPARATOR_CELL = re.compile(r" *-{3,} *")
# An inline link without title, nested brackets or parentheses; its target has no space, quote or parenthesis.
_LINK = re.compile(r"\[([^\[\]\n*\s](?:[^\[\]\n*]*[^\[\]\n*\s])?)\]\(([^\s()<>\"'*\[\]]+)\)")
_EMPHASIS = re.compile(r"(?<!\*)(\*\*|\*)(?=[^\s*])([^*\n]*?[^\s*])\1(?!\*)")
_TAGS = re.compile(r"<[^>]*>")
_LISTS = ("bullets", "numbered")
_PLACEHOLDER = re.compile("\x02([0-9]+)\x03")


@dataclass
class Converted:
    html: str
    unresolved_links: list[str] = field(default_factory=list)
    anchored: list[tuple[str, str]] = field(default_factory=list)


LinkResolver = Callable[[str], "str | None"]
Slugify = Callable[[str, str], str]


def convert(text: str, slugify: Slugify | None = None, resolve: LinkResolver | None = None) -> Converted | None:
    """The HTML Python-Markdown makes of ``text``, or None where ``text`` leaves the subset.

    ``slugify`` given: headings get ids as the toc extension gives them.
    ``resolve`` given: site-relative link targets are rewritten as markup.py's tree processor does.
    """
    text = text.strip("\n")
    if not text:
        return Converted("")
    if _OUTSIDE.search(text):
        return None
    converter = _Converter(slugify, resolve)
    html = []
    previous = ""
    for block in text.split("\n\n"):
        kind = _kind_of(block)
        if kind is None or (kind in _LISTS and previous in _LISTS):  # lists apart by a blank line can merge into a loose one
            return None
        made = converter.block(kind, block)
        if made is None:
            return None
        html.append(made)
        previous = kind
    return Converted("\n".join(html), converter.unresolved, converter.anchored)


def _kind_of(block: str) -> str | None:
    first = block[0]
    if first == "|":
        return "table"
    if "|" in block:  # Python-Markdown could read a block with a pipe as a table
        return None
    if first == "#":
        return "heading" if "\n" not in block else None
    if first == "-":
        return "bullets"
    if first.isdigit() and _NUMBERED.match(block):
        return "numbered"
    if _SPECIAL_START.search(block):
        return None
    return "paragraph"


class _Converter:
    def __init__(self, slugify: Slugify | None, resolve: LinkResolver | None) -> None:
        self.slugify = slugify
        self.resolve = resolve
        self.used_ids: set[str] = set()
        self.unresolved: list[str] = []
        self.anchored: list[tuple[str, str]] = []

    def block(self, kind: str, block: str) -> str | None:
        if kind == "paragraph":
            inline = self.inline(block)
            return None if inline is None else f"<p>{inline}</p>"
        if kind == "heading":
            return self.heading(block)
        if kind in _LISTS:
            return self.list(kind, block)
        return self.table(block)

    def heading(self, block: str) -> str | None:
        match = _HEADING.fullmatch(block)
        if match is None:
            return None
        inline = self.inline(match[2])
        if inline is None:
            return None
        tag = f"h{len(match[1])}"
        if self.slugify is None:
            return f"<{tag}>{inline}</{tag}>"
        name = " ".join(_TAGS.sub("", inline).split()).replace("&gt;", ">")
        # Python-Markdown's own rule, for the same ids; imported here, as most builds convert no body (~12 ms).
        from markdown.extensions.toc import unique

        # No counters cache: Markdown 3.6 (our lowest) takes two arguments, and the cache changes no id.
        heading_id = unique(self.slugify(name, "-"), self.used_ids)
        return f'<{tag} id="{_attribute(heading_id)}">{inline}</{tag}>'

    def list(self, kind: str, block: str) -> str | None:
        pattern = _BULLET if kind == "bullets" else _NUMBERED
        items = []
        for line in block.split("\n"):
            match = pattern.fullmatch(line)
            if match is None:
                return None
            inline = self.inline(match[match.lastindex or 1])
            if inline is None:
                return None
            items.append(f"<li>{inline}</li>")
        if kind == "bullets":
            opening = "<ul>"
        else:  # sane_lists: numbered from the first item's number, as written
            start = block[:block.index(".")]
            opening = "<ol>" if start == "1" else f'<ol start="{start}">'
        return "\n".join([opening, *items, "</ul>" if kind == "bullets" else "</ol>"])

    def table(self, block: str) -> str | None:
        lines = block.split("\n")
        if len(lines) < 3:
            return None
        rows = []
        for line in lines:
            match = _TABLE_ROW.fullmatch(line)
            if match is None:
                return None
            rows.append([cell.strip(" ") for cell in match[1].split("|")])
        header, separator, body = rows[0], rows[1], rows[2:]
        width = len(header)
        if width < 2 or len(separator) != width or not all(_SEPARATOR_CELL.fullmatch(cell) for cell in separator):
            return None
        if any(not cell for cell in header) or any(len(row) != width for row in body):
            return None
        parts = ["<table>", "<thead>", "<tr>"]
        for cell in header:
            inline = self.inline(cell)
            if inline is None:
                return None
            parts.append(f"<th>{inline}</th>")
        parts += ["</tr>", "</thead>", "<tbody>"]
        for row in body:
            parts.append("<tr>")
            for cell in row:
                inline = self.inline(cell)
                if inline is None:
                    return None
                parts.append(f"<td>{inline}</td>")
            parts.append("</tr>")
        parts += ["</tbody>", "</table>"]
        return "\n".join(parts)

    def inline(self, text: str) -> str | None:
        """Links, emphasis and strong emphasis; None if a bracket or asterisk is left that they do not explain.

        As in Python-Markdown, links are found first and stand in as placeholders
        while emphasis is found, so ``**[a](/x)**`` is a strong link.
        """
        links: list[str] = []
        if "[" in text or "]" in text:

            def stand_in(match: re.Match[str]) -> str:
                links.append(f'<a href="{_attribute(self.target(match[2]))}">{match[1].replace(">", "&gt;")}</a>')
                return f"\x02{len(links) - 1}\x03"

            text = _LINK.sub(stand_in, text)
            if "[" in text or "]" in text:
                return None
        marked = _emphasis(text)
        if marked is None or not links:
            return marked
        return _PLACEHOLDER.sub(lambda match: links[int(match[1])], marked)

    def target(self, target: str) -> str:
        return rewrite_site_link(target, self.resolve, self.unresolved, self.anchored)


def rewrite_site_link(
    target: str, resolve: LinkResolver | None, unresolved: list[str], anchored: list[tuple[str, str]]
) -> str:
    """A site-relative ``target`` resolved (noted in ``unresolved`` or, with a #fragment, ``anchored``); others as written.

    Shared with markup.py's tree processor, so both converters rewrite links by one rule.
    """
    if resolve is None or not target.startswith("/") or target.startswith("//"):
        return target
    resolved = resolve(target)
    if resolved is None:
        unresolved.append(target)
        return target
    if "#" in target:
        anchored.append((target, resolved))
    return resolved




def _emphasis(text: str) -> str | None:
    """``text`` with *emphasis* and **strong** marked up and ``>`` escaped; None if a stray asterisk remains."""
    if "*" not in text:
        return text.replace(">", "&gt;")
    pieces = []
    at = 0
    for match in _EMPHASIS.finditer(text):
        between = text[at:match.start()]
        if "*" in between:
            return None
        tag = "strong" if len(match[1]) == 2 else "em"
        pieces.append(between.replace(">", "&gt;"))
        pieces.append(f"<{tag}>{match[2].replace('>', '&gt;')}</{tag}>")
        at = match.end()
    if "*" in text[at:]:
        return None
    pieces.append(text[at:].replace(">", "&gt;"))
    return "".join(pieces)


def _attribute(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
