"""Line breaks an edition's readers expect where the browser's own would be wrong.

Browsers break Thai, Lao, Khmer and Burmese text (no spaces between words) with
a dictionary, and the dictionary splits some names and compounds: Chromium
breaks เมียนมา ('Myanmar') as เมีย|นมา and ปูซาน ('Busan') as ปู|ซาน. site.yaml
``locales.<lang>.keep_together`` lists such words; each of them in a page's
running text is wrapped in ``<span class="keep">``, which the stylesheet keeps
on one line. The repetition marks ๆ (Thai) and ໆ (Lao) are written after a
space, and a line must not start with one, so that space becomes a no-break one.

Only running text is changed: not tags and their attributes, not scripts,
styles, titles, a select's options or SVG, and nothing before <body>
(metadata, JSON-LD).
"""

from __future__ import annotations

import re
from functools import lru_cache

NO_BREAK_SPACE = "\u00a0"

# Elements whose content is not running text or may not hold a <span> (an <option>, SVG), comments,
# and tags (whose attributes must stay as they are).
_NOT_TEXT = re.compile(r"<(script|style|textarea|title|option|svg|math)\b.*?</\1\s*>|<!--.*?-->|<[^>]*>", re.S | re.I)
_SPACE_BEFORE_REPETITION = re.compile(r" (?=[ๆໆ])")
_REPETITION_MARKS = ("ๆ", "ໆ")


@lru_cache(maxsize=32)
def _words_pattern(words: tuple[str, ...]) -> re.Pattern[str] | None:
    # Longest first, so that a listed compound wins over a listed word inside it.
    ordered = sorted({word for word in words if word}, key=len, reverse=True)
    return re.compile("|".join(re.escape(word) for word in ordered)) if ordered else None


def _keep(match: re.Match[str]) -> str:
    return f'<span class="keep">{match.group()}</span>'


def _mend(text: str, words: re.Pattern[str] | None) -> str:
    if " " in text:
        text = _SPACE_BEFORE_REPETITION.sub(NO_BREAK_SPACE, text)
    return words.sub(_keep, text) if words is not None else text


def keep_together(html: str, words: tuple[str, ...]) -> str:
    """``html`` with ``words`` kept on one line and no line starting with a repetition mark."""
    pattern = _words_pattern(words)
    start = html.find("<body")
    start = 0 if start < 0 else start
    if (pattern is None or pattern.search(html, start) is None) and not any(mark in html for mark in _REPETITION_MARKS):
        return html  # the common case: nothing to do, no copy
    pieces = [html[:start]]
    position = start
    for markup in _NOT_TEXT.finditer(html, start):
        pieces.append(_mend(html[position : markup.start()], pattern))
        pieces.append(markup.group())
        position = markup.end()
    pieces.append(_mend(html[position:], pattern))
    return "".join(pieces)
