"""Words to translate, for quoting a translation job: ``build.py i18n`` counts them per language.

Words are counted as translation agencies count a source text: runs of
letters and digits (an apostrophe or hyphen inside a word keeps it one word),
each Chinese or Japanese character a word. Markdown that is not text (link
targets, HTML tags, heading and list markers) is left out. Scripts written
without spaces between words (Thai, Lao, Khmer, Burmese) have no such rule
here: a source in them counts each run of text between spaces as one word.
"""

from __future__ import annotations

import re
import unicodedata

from ..entries import Entry
from ..kinds import BY_NAME

_LINK_TARGET = re.compile(r"\]\([^)]*\)|^[ ]{0,3}\[[^\]]+\]:.*$", re.MULTILINE)
_TAG = re.compile(r"<[^>]+>")
_URL = re.compile(r"https?://\S+")


def _is_ideograph(char: str) -> bool:
    code = ord(char)
    return 0x3040 <= code <= 0x30FF or 0x3400 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0x20000 <= code <= 0x2FFFF


def count_words(text: str) -> int:
    text = _URL.sub(" ", _TAG.sub(" ", _LINK_TARGET.sub("]", text)))
    words = 0
    in_word = False
    for index, char in enumerate(text):
        if _is_ideograph(char):
            words += 1
            in_word = False
            continue
        category = unicodedata.category(char)
        if category[0] in "LNM":
            if not in_word:
                words += 1
                in_word = True
        elif char in "'’-" and in_word and index + 1 < len(text) and unicodedata.category(text[index + 1])[0] in "LN":
            continue  # don't, e-government
        else:
            in_word = False
    return words


def entry_words(entry: Entry) -> int:
    """The words of an item's source: its translatable fields and its body."""
    fields = [str(getattr(entry.meta, name, None) or "") for name in BY_NAME[entry.kind].translatable]
    return sum(count_words(text) for text in fields) + count_words(entry.body)
