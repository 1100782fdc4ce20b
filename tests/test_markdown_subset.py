"""eventsite/markdown_subset.py: the common subset of Markdown, converted directly.

Python-Markdown is the oracle. For every body (the real content, the
benchmark's synthetic bodies, random Markdown from the characters that
matter) the subset either declines (None) or gives exactly what Python-Markdown
gives: the page's HTML with heading ids and resolved links, the list of
unresolved and anchored links, and the HTML the calendars' plain text is
made from.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path
from unittest import mock

import markdown
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eventsite import markdown_subset, plaintext
from eventsite.documents import split_front_matter
from eventsite.markup import MarkdownRenderer, Rendered, slugify

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import make_site  # noqa: E402  (the benchmark's body generator)


def resolve(target: str) -> str | None:
    """A resolver with both outcomes: targets containing 'missing' do not resolve."""
    return None if "missing" in target else "../.." + target


def reference(text: str) -> Rendered:
    with mock.patch.object(markdown_subset, "convert", return_value=None):
        return MarkdownRenderer().render(text, resolve)


def reference_plain_html(text: str) -> str:
    return markdown.markdown(text, extensions=["tables", "sane_lists"], output_format="html")


def assert_same_as_reference(text: str) -> bool:
    """True if the subset took ``text``; fails if it took it and differs from Python-Markdown."""
    quick = markdown_subset.convert(text, slugify, resolve)
    if quick is None:
        assert markdown_subset.convert(text) is None  # ids and links do not decide what is in the subset
        return False
    renderer = MarkdownRenderer()
    fast = renderer.render(text, resolve)
    assert renderer._python_markdown is None, "the subset's result must not touch Python-Markdown"
    assert fast == reference(text), text
    plain = markdown_subset.convert(text)
    assert plain is not None and plain.html == reference_plain_html(text), text
    return True


def real_bodies() -> list[tuple[str, str]]:
    bodies = []
    for path in sorted((ROOT / "content").rglob("*.md")):
        split = split_front_matter(path.read_text(encoding="utf-8"))
        bodies.append((str(path.relative_to(ROOT)), split[1] if split else ""))
    return bodies


def test_every_real_body_converts_as_python_markdown_does() -> None:
    bodies = real_bodies()
    taken = [name for name, body in bodies if assert_same_as_reference(body)]
    # The accelerator must serve: the Busan bodies are headings, paragraphs, lists and links.
    assert len(taken) >= 0.9 * len(bodies), sorted(set(name for name, _ in bodies) - set(taken))[:10]


def test_the_benchmark_bodies_are_all_in_the_subset() -> None:
    rng = random.Random(7)
    for _ in range(60):
        body = make_site.body(rng, rng.choice(["en", "th", "ko", "km"]), ["/sessions/a/", "/people/b/#bio", "/missing/"])
        assert assert_same_as_reference(body), body


@pytest.mark.parametrize(
    "text",
    [
        "## Same\n\n## Same\n\n## Same 1\n\n# Same\n\n### ក្រុម",  # ids made unique as the toc extension does
        "**[A strong link](/sessions/a/)**, *[an emphasized one](/missing/)* and [a plain one](/x/#part).",
        "a*b*c and **x**y and *one* *two*",
        "x > y\n\n## 1 > 0",
        "3. third\n4. fourth",
        "1. first\n2. second\n\nThen:\n\n- a bullet\n- *another*",
        "| Item | Value |\n| --- | --- |\n| a *b* |  |\n| [c](/x/) | 2 |",
        "- **ก: ข** ค\n- [ง](/x/) จ",
        "Text (with parentheses) and [a link](https://example.org/a-b/c.html?x=1#top).",
        "\n\nLeading and trailing blank lines\n\n",
        "ก่อน\nหลัง",
        "text\xa0\n\n## Title\u3000two\n\n- item\xa0\n\n| a\xa0 | b |\n| --- | --- |\n| \u3000c | d |",
    ],
)
def test_constructs_in_the_subset(text: str) -> None:
    assert assert_same_as_reference(text)


@pytest.mark.parametrize(
    "text",
    [
        "line  \nbreak",  # trailing spaces: a <br>
        "- a\n\n- b",  # a loose list
        "- a\ncontinued",  # a lazy continuation line
        "* star bullet",
        "1) paren",
        "Para\n- not a list",
        "Para\n===",  # a setext heading
        "    code",
        "> quote",
        "```\ncode\n```",
        "a_b_c",
        "&amp; <b>html</b>",
        "back\\slash",
        "![image](/a.png)",
        "[ref]\n\n[ref]: /x/",
        "[unclosed link",
        "* not em *",
        "**a*",
        "| a | b |\n| :-- | --: |\n| 1 | 2 |",  # aligned columns
        "| a | b |\n| --- | --- |\n| 1 | 2 | 3 |",  # a ragged row
        "Term\n: definition",
        "*[HTML]: HyperText Markup Language",
        "## Heading #",
        "####### seven",
        "- # heading in an item",
        "a\n\n\n\nb",
        "tab\there",
        "\xa0no-break space first",  # Python-Markdown strips it: found by comparing, once
        "a\n\u3000b",
    ],
)
def test_constructs_outside_the_subset_go_to_python_markdown(text: str) -> None:
    assert markdown_subset.convert(text, slugify, resolve) is None
    assert MarkdownRenderer().render(text, resolve) == reference(text)


# Python's str.strip() and Python-Markdown's lstrip() take these for spaces; the subset's ' ' checks do not.
_UNICODE_SPACES = ["\xa0", "\u3000", "\u2003", "\x85", "\u200b", "\u202f", "\x1c"]
_INLINE = st.sampled_from([
    "a", "b", "Word", " ", " ", "ก", "ា", "ß", "Σ", "9", ".", ":", "(", ")", "*", "**", ">", "#", "-", "=", "!",
    "[", "]", "](", "/x/", "[a](/x/)", "[b c](/missing/#q)", "**b**", "*c*", "\"", "'", "|", "+", "  ",
    *_UNICODE_SPACES,
])
_BLOCK_START = st.sampled_from([
    "", "", "", "# ", "## ", "###### ", "####### ", "#", "- ", "1. ", "2. ", "-  ", "| ", "> ", " ", *_UNICODE_SPACES,
])


@st.composite
def markdown_texts(draw: st.DrawFn) -> str:
    lines = []
    for _ in range(draw(st.integers(1, 6))):
        line = draw(_BLOCK_START) + "".join(draw(st.lists(_INLINE, min_size=1, max_size=8)))
        if line.startswith("| "):
            width = draw(st.integers(1, 3))
            line = "| " + " | ".join(["".join(draw(st.lists(_INLINE, min_size=1, max_size=3)))] * width) + " |"
            line += "\n|" + "|".join(draw(st.sampled_from([" --- ", "---", " :-- ", "--"])) for _ in range(width)) + "|"
        lines.append(line)
        lines.append(draw(st.sampled_from(["\n", "\n\n", "\n\n", "\n\n\n"])))
    return "".join(lines)


@settings(max_examples=400, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(markdown_texts())
def test_random_markdown_is_declined_or_converted_exactly(text: str) -> None:
    assert_same_as_reference(text)


def test_random_markdown_is_often_in_the_subset() -> None:
    """The property above would hold for a subset that declines everything; this one would not."""
    rng = random.Random(3)
    taken = 0
    for _ in range(300):
        blocks = []
        for _ in range(rng.randint(1, 4)):
            words = " ".join(rng.choice(["a", "Word", "ก", "[a](/x/)", "**b**", "*c*", "x > y"]) for _ in range(5))
            blocks.append(rng.choice(["", "## ", "- ", "1. "]) + words)
        taken += assert_same_as_reference("\n\n".join(blocks))
    assert taken > 150


def test_the_plain_text_of_a_subset_body_is_unchanged() -> None:
    body = "## Plan\n\nSee [the hall](https://example.org/hall) and **bring** *this*:\n\n1. a badge\n2. a pass"
    with mock.patch.object(markdown_subset, "convert", return_value=None):
        want = plaintext.markdown_to_text.__wrapped__(body)
    assert plaintext.markdown_to_text.__wrapped__(body) == want
    assert want == "Plan\n\nSee the hall (https://example.org/hall) and bring this:\n\n1. a badge\n2. a pass"
