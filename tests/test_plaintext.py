"""eventsite/plaintext.py: Markdown read as text, for calendars and schedule apps; and every calendar of
the Busan site carries plain text that two parsers read."""

from __future__ import annotations

import re
from pathlib import Path

import icalendar
import pytest
import vobject

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
