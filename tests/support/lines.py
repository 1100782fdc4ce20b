"""Where a browser ends the lines of a page's text, and which of those ends fall inside a syllable.

Used by ``scripts/line-ends`` (a translator's tool) and the browser tests of line breaking.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page

# Every character of <main>'s text whose box starts lower than the one before it in the same block
# (across links, kept words and other inline elements): a line end.
LINE_ENDS = r"""(context) => {
  const found = [];
  const blockOf = (node) => {
    let element = node.parentElement;
    while (element && getComputedStyle(element).display.startsWith('inline')) element = element.parentElement;
    return element;
  };
  const walker = document.createTreeWalker(document.querySelector('main') || document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  let block = null, top = null, before = '';
  for (let node; (node = walker.nextNode());) {
    const here = blockOf(node);
    if (here !== block) { block = here; top = null; before = ''; }
    const text = node.data;
    for (let i = 0; i < text.length; i++) {
      range.setStart(node, i); range.setEnd(node, i + 1);
      const box = range.getClientRects()[0];
      if (!box) continue;
      if (top !== null && box.top > top + 2 && before.trim() && text.slice(i).trim())
        found.push(before.slice(-context) + ' | ' + text.slice(i, i + context));
      top = box.top;
      before += text[i];
    }
  }
  return found;
}"""

# A line end inside a syllable: the next line starts with a mark or following vowel of its cluster
# (Thai ะ า, Lao ະ າ, Khmer vowel signs, Myanmar signs, a Myanmar consonant with asat or virama,
# Latin combining marks), or the line ends with a leading vowel, a coeng or a virama.
_STARTS_INSIDE = re.compile(
    r"^(?:[\u1000-\u1021][\u103a\u1039]|[\u102b-\u103e]|[\u17b6-\u17d3]"
    r"|[\u0e30-\u0e3a\u0e45\u0e47-\u0e4e]|[\u0eb0-\u0ebc\u0ec8-\u0ecd]|[\u0300-\u036f])"
)
_ENDS_OPEN = re.compile(r"[\u0e40-\u0e44\u0ec0-\u0ec4\u17d2\u1039]$")


def line_ends(page: Page, context: int = 12) -> list[tuple[str, str]]:
    """Each line end in the page's <main>: (text before, text after), ``context`` characters each."""
    return [tuple(found.split(" | ", 1)) for found in page.evaluate(LINE_ENDS, context)]  # type: ignore[misc]


def inside_a_syllable(before: str, after: str) -> bool:
    return bool(_STARTS_INSIDE.match(after) or _ENDS_OPEN.search(before))
