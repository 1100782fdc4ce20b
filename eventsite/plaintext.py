"""Markdown → plain text, for places that show text as typed: calendar
DESCRIPTION, the schedule exports' abstracts and descriptions, feeds' titles.

Calendar apps (Outlook, Thunderbird, Google, Apple) show DESCRIPTION as it
is: ``**bold**`` and ``[text](https://…)`` would be read as typed. The
Markdown is rendered to HTML by the same library the pages use, then walked:
paragraphs and headings become paragraphs, list items get a bullet (``•``,
or their number), links keep their address as "text (URL)", images their
alt text, emphasis and code lose their markers. Raw HTML in the source is
reduced to its text (nothing is executed or fetched here).
"""

from __future__ import annotations

import re
from functools import lru_cache

import markdown
from lxml import html as lxml_html

VERSION = "1"  # bump when the text made of a body changes (cached with the Markdown conversions, eventsite/markup.py)
_BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table", "hr", "div", "dl"}
_HIDDEN = {"script", "style", "template", "iframe", "object"}  # code, not text: nothing of it is shown
_SPACES = re.compile(r"[ \t\r\n]+")


@lru_cache(maxsize=4096)
def markdown_to_text(source: str) -> str:
    """The text a reader of ``source`` sees, with paragraphs separated by a blank line."""
    if not source.strip():
        return ""
    rendered = markdown.markdown(source, extensions=["tables", "sane_lists"], output_format="html")
    root = lxml_html.fragment_fromstring(rendered, create_parent="div")
    paragraphs: list[str] = []
    _blocks(root, paragraphs, depth=0)
    return "\n\n".join(paragraph for paragraph in paragraphs if paragraph)


def _blocks(element, paragraphs: list[str], depth: int) -> None:  # noqa: ANN001 (lxml element)
    """Append the block-level paragraphs under ``element``; inline runs between blocks are paragraphs too."""
    inline: list[str] = [element.text or ""]
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in _HIDDEN:
            pass
        elif tag in ("ul", "ol"):
            _flush(inline, paragraphs)
            paragraphs.append("\n".join(_list_items(child, depth)))
        elif tag == "table":
            _flush(inline, paragraphs)
            paragraphs.append("\n".join(_table_rows(child)))
        elif tag == "hr":
            _flush(inline, paragraphs)
        elif tag in _BLOCKS:
            _flush(inline, paragraphs)
            if tag in ("blockquote", "div", "dl"):
                _blocks(child, paragraphs, depth)
            elif tag == "pre":
                paragraphs.append(child.text_content().strip("\n"))
            else:
                paragraphs.append(_inline(child))
        else:
            inline.append(_inline_element(child))
        inline.append(child.tail or "")
    _flush(inline, paragraphs)


def _flush(inline: list[str], paragraphs: list[str]) -> None:
    text = _SPACES.sub(" ", "".join(inline)).strip()
    if text:
        paragraphs.append(text)
    inline.clear()


def _list_items(list_element, depth: int) -> list[str]:  # noqa: ANN001
    lines = []
    ordered = list_element.tag == "ol"
    start = int(list_element.get("start", "1") or 1) if ordered else 1
    for number, item in enumerate((child for child in list_element if child.tag == "li"), start=start):
        marker = f"{number}." if ordered else "•"
        own: list[str] = [item.text or ""]
        nested: list[str] = []
        for child in item:
            if child.tag in ("ul", "ol"):
                nested += _list_items(child, depth + 1)
            elif child.tag == "p":
                own.append(" " + _inline(child))
            else:
                own.append(_inline_element(child))
            own.append(child.tail or "")
        lines.append("  " * depth + f"{marker} " + _SPACES.sub(" ", "".join(own)).strip())
        lines += nested
    return lines


def _table_rows(table) -> list[str]:  # noqa: ANN001
    return [" – ".join(_inline(cell) for cell in row if cell.tag in ("td", "th")) for row in table.iter("tr")]


def _inline(element) -> str:  # noqa: ANN001
    """An element's text with its inline children (links, images, emphasis) read as text."""
    parts = [element.text or ""]
    for child in element:
        parts.append(_inline_element(child))
        parts.append(child.tail or "")
    return _SPACES.sub(" ", "".join(parts)).strip()


def _inline_element(element) -> str:  # noqa: ANN001
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag == "br":
        return "\n"
    if tag in _HIDDEN:
        return ""
    if tag == "img":
        return element.get("alt", "")
    text = _inline(element)
    if tag == "a":
        href = (element.get("href") or "").strip()
        if href.startswith("mailto:"):
            href = href.removeprefix("mailto:")
        if href and href != text and not href.startswith("#"):
            return f"{text} ({href})" if text else href
    return text
