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

from . import markdown_subset

VERSION = "1"  # bump when the text made of a body changes (cached with the Markdown conversions, eventsite/markup.py)
_BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table", "hr", "div", "dl"}
_HIDDEN = {"script", "style", "template", "iframe", "object"}  # code, not text: nothing of it is shown
_SPACES = re.compile(r"[ \t\r\n]+")


@lru_cache(maxsize=4096)
def markdown_to_text(source: str) -> str:
    """The text a reader of ``source`` sees, with paragraphs separated by a blank line."""
    if not source.strip():
        return ""
    # Imported here: a rebuild takes its calendars' texts from the cache and never needs either (~30 ms).
    from lxml import html as lxml_html

    quick = markdown_subset.convert(source)  # the same HTML, faster, for the common subset
    if quick is not None:
        rendered = quick.html
    else:
        import markdown

        rendered = markdown.markdown(source, extensions=["tables", "sane_lists"], output_format="html")
    root = lxml_html.fragment_fromstring(rendered, create_parent="div")
    paragraphs: list[str] = []
    _blocks(root, paragraphs, depth=0)
    return "\n\n".join(paragraph for paragraph in paragraphs if paragraph)


# --- one conversion for every language -------------------------------------------------------------
# A calendar's DESCRIPTION is the body with its site links made absolute, so the same body shown in ten
# languages is ten sources that differ only in link targets. The text is made once from the source with
# each target replaced by a numbered stand-in, and the targets are put back into that text.

_TARGET = re.compile(r"(\]\(\s*|^[ ]{0,3}\[[^\]\n]+\]:[ \t]*)([^)\s]+)", re.MULTILINE)  # as formats.body_markdown finds them
# The same where there is no "]:" (so no reference definition): a literal start, which the regex engine looks for ~5× faster.
_INLINE_TARGET = re.compile(r"(\]\(\s*)([^)\s]+)")
# Nothing Markdown or HTML could read as markup were it not a link after all ("_", "*", "&", "~" could).
_PLAIN_URL = re.compile(r"https?://[A-Za-z0-9.:/?#@!$+,=%-]+")
_STAND_IN = "https://eventsite.invalid/link/{}/"


def without_targets(source: str) -> tuple[str, tuple[str, ...]]:
    """``source`` with its absolute link targets replaced by stand-ins, and the targets in order.

    A target is replaced only where it is a plain absolute URL that appears in ``source`` nowhere
    but as link targets: then the text made of the stand-in version, with the targets put back
    (:func:`with_targets`), is the text of ``source`` (tests/test_plaintext.py compares them).
    """
    if "eventsite.invalid" in source:
        return source, ()
    targets: list[str] = []
    counted: dict[str, int] = {}
    pattern = _TARGET if "]:" in source else _INLINE_TARGET
    for match in pattern.finditer(source):
        counted[match[2]] = counted.get(match[2], 0) + 1
    replaceable = {target for target, count in counted.items() if _PLAIN_URL.fullmatch(target) and source.count(target) == count}
    if not replaceable:
        return source, ()

    def stand_in(match: re.Match[str]) -> str:
        if match[2] not in replaceable:
            return match[0]
        targets.append(match[2])
        return match[1] + _STAND_IN.format(len(targets) - 1)

    return pattern.sub(stand_in, source), tuple(targets)


def with_targets(text: str, targets: tuple[str, ...]) -> str:
    """The text of a stand-in source with its targets back."""
    for number, target in enumerate(targets):
        text = text.replace(_STAND_IN.format(number), target)
    return text


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
