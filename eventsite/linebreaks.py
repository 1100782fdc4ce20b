"""Line breaks an edition's readers expect where the browser's own would be wrong.

Browsers break Thai, Lao, Khmer and Burmese text (no spaces between words) with
a dictionary, and the dictionary splits some names and compounds: Chromium
breaks เมียนมา ('Myanmar') as เมีย|นมา and ปูซาน ('Busan') as ปู|ซาน. site.yaml
``locales.<lang>.keep_together`` lists such words; each of them in a page's
running text is wrapped in ``<span class="keep">``, which the stylesheet keeps
on one line. A line must not start with the repetition marks ๆ (Thai) and ໆ
(Lao): the space before one becomes a no-break space, and a mark written
straight after its word is kept with the letter before it.

Only running text is changed: not tags and their attributes, character
references, scripts, styles, titles, a select's options, SVG, MathML, code
(which readers copy), and nothing before <body> (metadata, JSON-LD).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

NO_BREAK_SPACE = "\u00a0"
KEEP = '<span class="keep">'

# Elements whose content is not running text, may not hold a <span> (an <option>, SVG) or is copied
# as it is (code); comments; character references; and tags, quoted attribute values included.
_NOT_TEXT = re.compile(
    r"<(script|style|textarea|title|svg|math|pre|code)(?=[\s/>]).*?</\1\s*>"
    r"|<option(?=[\s/>]).*?(?:</option\s*>|(?=<option[\s/>]|<optgroup[\s/>]|</select|</datalist|</optgroup))"
    r"|<!--.*?-->"
    r"|&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);"
    r"""|<[^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*>""",
    re.S | re.I,
)
_BODY = re.compile(r"<body[\s>]", re.I)
_MARKS = "ๆໆ"
_SPACE_BEFORE_MARK = re.compile(rf"[ \t\r\n]+(?=[{_MARKS}])")
# Combining marks of the scripts that need this (Thai, Lao, Khmer, Myanmar) and Latin's: a kept word
# must not end before one of its cluster's marks, nor start after a Khmer coeng or Myanmar virama.
_COMBINING = (
    "\u0300-\u036f\u0e31\u0e34-\u0e3a\u0e47-\u0e4e\u0eb1\u0eb4-\u0ebc\u0ec8-\u0ece\u17b4-\u17d3\u17dd"
    "\u102b-\u103e\u1056-\u1059\u105e-\u1060\u1062-\u1064\u1067-\u106d\u1071-\u1074\u1082-\u108d\u108f\u109a-\u109d"
)
# A Thai or Lao letter with its marks, and the repetition mark written straight after it.
_ATTACHED_MARK = re.compile(rf"[\u0e01-\u0e45\u0e81-\u0eb3\u0ebd-\u0ec4\u0edc-\u0edf][{_COMBINING}]*[{_MARKS}]")


class _Patterns(NamedTuple):
    words: re.Pattern[str] | None  # the listed words (None: none listed)
    words_or_marks: re.Pattern[str]  # the same, or a repetition mark after its letter: for text that has marks
    ascii_words: bool  # some word is all ASCII (so ASCII text must be searched too)


@lru_cache(maxsize=32)
def _patterns(words: tuple[str, ...]) -> _Patterns:
    # Longest first, so that a listed compound wins over a listed word inside it; a word's spaces
    # before a repetition mark are the no-break spaces the text has by then.
    ordered = sorted({_SPACE_BEFORE_MARK.sub(NO_BREAK_SPACE, word) for word in words if word}, key=len, reverse=True)
    if not ordered:
        return _Patterns(None, _ATTACHED_MARK, False)
    found = rf"(?<![\u17d2\u1039])(?:{'|'.join(re.escape(word) for word in ordered)})[{_MARKS}]?(?![{_COMBINING}])"
    # A listed word takes its mark along; the second alternative only runs where the text has marks (slow).
    return _Patterns(re.compile(found), re.compile(f"{found}|{_ATTACHED_MARK.pattern}"), any(word.isascii() for word in ordered))


def _keep(match: re.Match[str]) -> str:
    return f"{KEEP}{match.group()}</span>"


def _mend(text: str, patterns: _Patterns) -> str:
    if not patterns.ascii_words and text.isascii():
        return text  # white space between tags, numbers: most pieces of a page
    if "ๆ" in text or "ໆ" in text:  # rare: the patterns for marks run only where they are
        return patterns.words_or_marks.sub(_keep, _SPACE_BEFORE_MARK.sub(NO_BREAK_SPACE, text))
    return patterns.words.sub(_keep, text) if patterns.words is not None else text


def keep_together(html: str, words: tuple[str, ...]) -> str:
    """``html`` with ``words`` kept on one line and no line starting with a repetition mark."""
    marks = "ๆ" in html or "ໆ" in html
    if not words and not marks:
        return html  # most editions' pages: a substring search, no regular expression
    body = _BODY.search(html)
    start = body.start() if body is not None else 0
    patterns = _patterns(words)
    if not marks and (patterns.words is None or patterns.words.search(html, start) is None):
        return html  # nothing to do, no copy
    pieces = [html[:start]]
    position = start
    for markup in _NOT_TEXT.finditer(html, start):
        pieces.append(_mend(html[position : markup.start()], patterns))
        pieces.append(markup.group())
        position = markup.end()
    pieces.append(_mend(html[position:], patterns))
    return "".join(pieces)
