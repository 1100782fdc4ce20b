"""eventsite/plaintext.py: Markdown read as text, for calendars and schedule apps; and every calendar of
the Busan site carries plain text that two parsers read."""

from __future__ import annotations

import re
from pathlib import Path

import icalendar
import pytest
import vobject
from hypothesis import given, settings
from hypothesis import strategies as st

from eventsite.markup import Conversions
from eventsite.plaintext import markdown_to_text


@pytest.mark.parametrize(
    "source, expected",
    [
        ("Some **bold**, *italic* and `code`.", "Some bold, italic and code."),
        ("See [the forum](https://example.org/forum).", "See the forum (https://example.org/forum)."),
        ("<https://example.org/>", "https://example.org/"),
        ("Write to [us](mailto:desk@example.org).", "Write to us (desk@example.org)."),
        ("- one\n- two\n", "• one\n• two"),
        ("1. first\n2. second\n", "1. first\n2. second"),
        ("# Title\n\nText.", "Title\n\nText."),
        ("> quoted *text*", "quoted text"),
        ("![A map of the hall](/media/plan.png)", "A map of the hall"),
        ("| a | b |\n|---|---|\n| 1 | 2 |\n", "a – b\n1 – 2"),
        ("<script>alert(1)</script>\n\nText <style>p{}</style>", "Text"),
        ("첫 문단.\n\n**둘째** 문단.", "첫 문단.\n\n둘째 문단."),
        ("", ""),
    ],
)
def test_markdown_reads_as_text(source: str, expected: str) -> None:
    assert markdown_to_text(source) == expected


# What Markdown looks like when shown as typed: emphasis markers, link syntax, list markers, headings.
MARKDOWN_SYNTAX = re.compile(r"\*\*|__|\]\(|^\s*[-*+] |^#{1,6} |`", re.MULTILINE)


def test_the_syntax_check_can_fail() -> None:
    assert MARKDOWN_SYNTAX.search("- a list item")
    assert MARKDOWN_SYNTAX.search("see [x](https://x.org)")
    assert not MARKDOWN_SYNTAX.search(markdown_to_text("- a list item\n\nsee [x](https://x.org) **now**"))


def test_every_busan_calendar_has_plain_descriptions_that_two_parsers_read(busan_site: Path) -> None:
    calendars = sorted(busan_site.rglob("*.ics"))
    assert len(calendars) > 100
    events = 0
    for path in calendars:
        data = path.read_bytes()
        parsed = icalendar.Calendar.from_ical(data)
        other = vobject.readOne(data.decode("utf-8"))
        descriptions = [str(event["DESCRIPTION"]) for event in parsed.walk("VEVENT")]
        assert [str(event.description.value) for event in other.vevent_list] == descriptions, path
        for description in descriptions:
            assert not MARKDOWN_SYNTAX.search(description), f"{path}: {description[:200]!r}"
        events += len(descriptions)
    assert events > 150


# --- the same body in every language, converted once (eventsite/plaintext.py, without_targets) -----------

LINK_TARGETS = [
    "https://example.org/forum/en/about/",
    "https://example.org/forum/th/about/",
    "https://example.org/forum/en/",  # a prefix of the first
    "https://example.org/forum/en/sessions/opening/#speakers",
    "https://example.org/a_b_/",  # markup characters: left as they are
    "https://example.org/?a=1&copy=2",
    "https://example.org/x*y*/",
    "mailto:desk@example.org",
    "/en/about/",
]
PIECES = [
    "Welcome to the forum.", "**bold**", "_em_", "`code [x](https://example.org/forum/en/about/)`", "\n\n", "\n\n- ", "\n\n1. ",
    "\n\n## Heading\n\n", "\n\n| a | b |\n| --- | --- |\n| 1 | 2 |\n\n", " (", ")", "\\]", "<b>raw</b>", "&amp;",
]


def link(rng, target: str) -> str:
    text = rng.choice(["the page", target, "", "see " + target, "**x**"])
    form = rng.randrange(4)
    if form == 0:
        return f"[{text}]({target})"
    if form == 1:
        return f'[{text}]( {target} "a title")'
    if form == 2:
        return f"![{text}]({target})"
    return f"[{text or 'ref'}][r{len(target)}]\n\n[r{len(target)}]: {target}\n\n"


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=2**32))
def test_a_body_converted_with_stand_ins_reads_as_converted_directly(seed: int) -> None:
    import random

    rng = random.Random(seed)
    parts = [rng.choice(PIECES) if rng.random() < 0.6 else link(rng, rng.choice(LINK_TARGETS)) for _ in range(rng.randint(1, 12))]
    if rng.random() < 0.2:
        parts.append(rng.choice(LINK_TARGETS))  # a target also in the text: not replaced
    source = " ".join(parts)
    assert Conversions().plain_text(source) == markdown_to_text(source), source


def test_one_conversion_for_the_same_body_in_every_language(monkeypatch) -> None:
    from eventsite import plaintext

    calls: list[str] = []
    convert = plaintext.markdown_to_text.__wrapped__
    monkeypatch.setattr(plaintext, "markdown_to_text", lambda source: calls.append(source) or convert(source))
    conversions = Conversions()
    body = "See [the venue]({base}/venue/) and [the programme]({base}/schedule/).\n\n- [Opening]({base}/sessions/opening/)"
    texts = {lang: conversions.plain_text(body.format(base=f"https://example.org/forum/{lang}")) for lang in ("en", "ko", "th", "km")}
    assert len(calls) == 1
    assert texts["th"] == (
        "See the venue (https://example.org/forum/th/venue/) and the programme (https://example.org/forum/th/schedule/).\n\n"
        "• Opening (https://example.org/forum/th/sessions/opening/)"
    )
    assert conversions.plain_text("Look at https://eventsite.invalid/link/0/ [x](https://example.org/)") == (
        "Look at https://eventsite.invalid/link/0/ x (https://example.org/)"
    )


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(list("[]():\n \tab/x.-") + ["](", "](https://a.example/", "]: ", "\n   ["]), max_size=40).map("".join))
def test_without_a_reference_definition_the_inline_pattern_finds_the_same_targets(source: str) -> None:
    """plaintext._INLINE_TARGET stands in for _TARGET where a source has no "]:": the same matches, in the same places."""
    from eventsite import plaintext

    if "]:" in source:
        return
    full = [(match.span(), match.groups()) for match in plaintext._TARGET.finditer(source)]
    assert [(match.span(), match.groups()) for match in plaintext._INLINE_TARGET.finditer(source)] == full
