"""eventsite/timeline.py: calendars notice a moved or cancelled session (SEQUENCE, DTSTAMP from git),
and only those; the rest of a calendar stays byte for byte the same."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import icalendar
from lxml import etree

from eventsite.timeline import read_history

from .sitekit import build, parse_html, text_of, write_site

TRACKED = {"sessions": ("start", "end", "room", "title", "status")}


def git(repository: Path, *arguments: str, when: str) -> None:
    environment = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when, "GIT_AUTHOR_NAME": "Editor",
                   "GIT_AUTHOR_EMAIL": "editor@example.org", "GIT_COMMITTER_NAME": "Editor",
                   "GIT_COMMITTER_EMAIL": "editor@example.org", "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(repository)}
    subprocess.run(["git", "-C", str(repository), *arguments], check=True, capture_output=True, env=environment)


def commit_all(repository: Path, message: str, when: str) -> None:
    git(repository, "add", "-A", when=when)
    git(repository, "commit", "-q", "-m", message, when=when)


def events(path: Path) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    return {str(event["URL"]).rstrip("/").rsplit("/", 1)[-1]: event for event in calendar.walk("VEVENT")}


def event_node(page: Path) -> dict:
    data = json.loads(parse_html(page).xpath("//script[@type='application/ld+json']")[0].text)
    return next(node for node in data["@graph"] if node.get("@type") == "Event")


def test_a_moved_session_gets_a_new_sequence_and_stamp_and_the_rest_stays_the_same(tmp_path: Path) -> None:
    content = write_site(tmp_path)
    git(tmp_path, "init", "-q", "-b", "main", when="2019-10-01T09:00:00+00:00")
    commit_all(tmp_path, "the programme", when="2019-10-01T09:00:00+00:00")
    before = tmp_path / "before"
    build(content, before)

    opening = content / "sessions/opening.md"
    opening.write_text(opening.read_text().replace('start: "2019-11-25 09:00"', 'start: "2019-11-25 09:30"')
                       .replace('end: "2019-11-25 10:00"', 'end: "2019-11-25 10:30"'))
    talk = content / "sessions/talk.md"
    talk.write_text(talk.read_text().replace("kind: roundtable", "kind: roundtable\nstatus: cancelled"))
    commit_all(tmp_path, "move the opening, cancel the talk", when="2019-11-20T08:00:00+00:00")
    after = tmp_path / "after"
    build(content, after)

    for lang in ("en", "ko"):
        old, new = events(before / lang / "schedule.ics"), events(after / lang / "schedule.ics")
        assert int(old["opening"]["SEQUENCE"]) == 0 and int(new["opening"]["SEQUENCE"]) == 1
        assert new["opening"]["DTSTAMP"].dt.isoformat() == "2019-11-20T08:00:00+00:00"
        assert old["opening"]["DTSTAMP"].dt.isoformat() == "2019-10-01T09:00:00+00:00"
        assert str(new["talk"]["STATUS"]) == "CANCELLED" and int(new["talk"]["SEQUENCE"]) == 1
        assert str(old["talk"]["STATUS"]) == "CONFIRMED"
        # The talk's JSON-LD says so too, in both languages.
        assert event_node(after / lang / "sessions/talk/index.html")["eventStatus"] == "https://schema.org/EventCancelled"
        assert event_node(after / lang / "sessions/opening/index.html")["eventStatus"] == "https://schema.org/EventScheduled"
    # Both on the changes page and in its feed, in the reader's language.
    for lang, moved_label in (("en", "Moved"), ("ko", "시간 변경")):
        page = parse_html(after / lang / "schedule/changes/index.html")
        items = page.xpath("//ul[@class='changes-list']/li")
        assert [item.xpath(".//a/@href")[0].split("/")[-2] for item in items] == ["opening", "talk"]
        assert items[0].xpath(".//span[@class='status']")[0].text == moved_label
        if lang == "en":  # local times, in the reader's formats
            assert [text_of(cell) for cell in items[0].xpath(".//dd/del")] == ["Mon, Nov 25, 2019, 9:00 AM", "Mon, Nov 25, 2019, 10:00 AM"]
            assert [text_of(cell) for cell in items[0].xpath(".//dd/ins")] == ["Mon, Nov 25, 2019, 9:30 AM", "Mon, Nov 25, 2019, 10:30 AM"]
        assert page.xpath("//ul[@class='changes-list']/li[2]//span[@class='status']")[0].text != "Moved"
        feed = etree.fromstring((after / lang / "schedule/changes.xml").read_bytes())
        atom = {"a": "http://www.w3.org/2005/Atom"}
        assert [link.split("/")[-2] for link in feed.xpath("//a:entry/a:link/@href", namespaces=atom)] == ["opening", "talk"]
        assert feed.xpath("//a:entry[1]/a:updated/text()", namespaces=atom) == ["2019-11-20T08:00:00Z"]
    assert not parse_html(before / "en" / "schedule/changes/index.html").xpath("//ul[@class='changes-list']")
    # A session nobody touched: its calendar is the same bytes.
    untouched = {"opening", "talk"}
    for path in before.rglob("sessions/*.ics"):
        if path.stem not in untouched:
            assert path.read_bytes() == (after / path.relative_to(before)).read_bytes()


def test_only_significant_changes_count_and_an_uncommitted_edit_is_one_more(tmp_path: Path) -> None:
    content = write_site(tmp_path)
    git(tmp_path, "init", "-q", "-b", "main", when="2019-10-01T09:00:00+00:00")
    commit_all(tmp_path, "the programme", when="2019-10-01T09:00:00+00:00")
    opening = content / "sessions/opening.md"
    opening.write_text(opening.read_text().replace("The forum opens.", "The forum opens its doors."))  # not significant
    (content / "sessions/opening.ko.md").write_text("---\ntitle: 개막식\n---\n환영합니다.\n")  # a translation: not tracked
    commit_all(tmp_path, "reword", when="2019-10-05T09:00:00+00:00")
    history = read_history(content, TRACKED)
    data = {"title": "Opening ceremony", "start": "2019-11-25 09:00", "end": "2019-11-25 10:00", "room": "hall-a"}
    stamp = history.stamp("sessions", "opening", data)
    assert (stamp.sequence, stamp.changed.isoformat()) == (0, "2019-10-01T09:00:00+00:00")
    moved = history.stamp("sessions", "opening", {**data, "room": "hall-b"})
    assert moved.sequence == 1 and moved.changed == history.head_time
    assert [change.fields for change in moved.changes] == [("room",)]


def test_without_git_every_sequence_is_zero_and_the_history_says_why(tmp_path: Path) -> None:
    content = write_site(tmp_path)
    history = read_history(content, TRACKED)
    assert history.revisions == {} and "not in a git repository" in (history.note or "")
    output = tmp_path / "site"
    build(content, output)
    assert {int(event["SEQUENCE"]) for event in events(output / "en" / "schedule.ics").values()} == {0}


def test_the_busan_sample_changes_show_in_every_edition(busan_site: Path) -> None:
    for lang in ("en", "ko", "th", "km", "my"):
        briefing = parse_html(busan_site / lang / "sessions/media-briefing/index.html")
        badge = briefing.xpath("//*[contains(@class, 'status-moved-online')]")
        assert badge and text_of(badge[0]), lang  # its words may sit in a kept word's span (linebreaks.py)
        assert briefing.xpath("//ul[@class='session-links']//a/@href") == [
            "https://example.org/korea-asean-forum/live/media-briefing"
        ]
        node = event_node(busan_site / lang / "sessions/media-briefing/index.html")
        assert node["eventStatus"] == "https://schema.org/EventMovedOnline"
        assert node["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
        assert node["location"] == {"@type": "VirtualLocation", "url": "https://example.org/korea-asean-forum/live/media-briefing"}
        moved = event_node(busan_site / lang / "sessions/roundtable-session-2/index.html")
        assert moved["previousStartDate"] == "2019-11-26T10:45:00+09:00"
        assert moved["eventStatus"] == "https://schema.org/EventRescheduled"
        session_1 = parse_html(busan_site / lang / "sessions/roundtable-session-1/index.html")
        kinds = session_1.xpath("//ul[@class='session-links']/li/@class")
        assert kinds == ["link-recording", "link-slides", "link-attachment"]
        assert event_node(busan_site / lang / "sessions/roundtable-session-1/index.html")["recordedIn"]["url"].startswith("https://example.org/")
    english_badges = {"Moved online", "Rescheduled"}
    for lang in ("ko", "th", "km", "my"):
        page = parse_html(busan_site / lang / "schedule/index.html")
        shown = {text_of(badge) for badge in page.xpath("//*[contains(@class, 'status ')]")}
        assert shown and not shown & english_badges, (lang, shown)


def test_a_status_set_for_the_first_time_reads_from_scheduled(busan_site: Path) -> None:
    page = parse_html(busan_site / "en" / "schedule/changes/index.html")
    befores = [text_of(cell) for cell in page.xpath("//ul[@class='changes-list']//dd/del")]
    assert befores and "—" not in befores and "Scheduled" in befores
