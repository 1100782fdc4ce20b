"""frab/pentabarf schedule.xml: valid against the shared XSD, same data as the calendars."""

from __future__ import annotations

from urllib.parse import quote

import datetime as dt
from pathlib import Path

import pytest
from lxml import etree

from .sitekit import SHARED, parse_html
from .test_formats_ics import (
    DST_FILES,
    DST_UTC,
    HOST,
    KATHMANDU_UTC,
    LANGS,
    build_fixture,
    instants,
    linked_file,
    uid,
)

# Shared fixtures (built once per module that uses them).
from .test_formats_ics import base_site, dst_site, kathmandu_site  # noqa: F401

UTC = dt.timezone.utc
XSD = SHARED / "schemas" / "schedule.xml.xsd"
BASE_URL = "https://example.org/forum/"


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    if not XSD.is_file():
        pytest.skip(f"../shared/schemas not present: {XSD} is needed to validate schedule.xml")
    return etree.XMLSchema(etree.parse(str(XSD)))


def parse(site: Path) -> etree._ElementTree:
    return etree.parse(str(site / "schedule.xml"))


def xml_instants(tree: etree._ElementTree) -> dict[str, tuple[str, str]]:
    """GUID@host → (start, end) in UTC, from <date> and <duration>."""
    found = {}
    for event in tree.iterfind("day/room/event"):
        start = dt.datetime.fromisoformat(event.findtext("date"))
        hours, minutes = map(int, event.findtext("duration").split(":"))
        end = start + dt.timedelta(hours=hours, minutes=minutes)  # fixed offset: elapsed time
        found[f"{event.get('guid')}@{HOST}"] = (start.astimezone(UTC).isoformat(), end.astimezone(UTC).isoformat())
    return found


@pytest.mark.parametrize("fixture", ["base_site", "dst_site", "kathmandu_site"])
def test_valid_against_the_shared_xsd(request, schema: etree.XMLSchema, fixture: str) -> None:
    tree = parse(request.getfixturevalue(fixture))
    assert schema.validate(tree), schema.error_log


@pytest.mark.parametrize("fixture", ["base_site", "dst_site", "kathmandu_site"])
def test_same_guids_and_utc_instants_as_every_calendar(request, fixture: str) -> None:
    site: Path = request.getfixturevalue(fixture)
    from_xml = xml_instants(parse(site))
    assert len(from_xml) == len(list((site / "en" / "sessions").glob("*.ics")))
    for lang in LANGS:
        assert instants(site / lang / "schedule.ics") == from_xml, lang


@pytest.mark.parametrize("fixture, expected", [("dst_site", DST_UTC), ("kathmandu_site", KATHMANDU_UTC)])
def test_utc_instants_are_right(request, fixture: str, expected: dict) -> None:
    from_xml = xml_instants(parse(request.getfixturevalue(fixture)))
    assert from_xml == {uid(BASE_URL, sid): times for sid, times in expected.items()}


def test_dst_days_and_durations(dst_site: Path) -> None:
    tree = parse(dst_site)
    days = {day.get("date"): (day.get("index"), day.get("start"), day.get("end")) for day in tree.iterfind("day")}
    assert days == {
        "2019-11-02": ("1", "2019-11-02T00:00:00-04:00", "2019-11-03T00:00:00-04:00"),
        "2019-11-03": ("2", "2019-11-03T00:00:00-04:00", "2019-11-04T00:00:00-05:00"),  # 25 hours
        "2019-11-04": ("3", "2019-11-04T00:00:00-05:00", "2019-11-05T00:00:00-05:00"),
    }
    night = tree.find("day/room/event[title='Night watch']")
    assert night.findtext("slug") == f"forum-{night.get('id')}-night"
    assert night.findtext("start") == "00:30"  # local wall time
    assert night.findtext("duration") == "03:30"  # elapsed, not 02:30 on the wall clock
    assert night.findtext("date") == "2019-11-03T00:30:00-04:00"
    assert tree.findtext("conference/time_zone_name") == "America/New_York"
    assert tree.findtext("conference/days") == "3"


def test_kathmandu_offsets(kathmandu_site: Path) -> None:
    tree = parse(kathmandu_site)
    dates = [event.findtext("date") for event in tree.iterfind("day/room/event")]
    assert dates and all(value.endswith("+05:45") for value in dates)
    assert tree.find("day").get("start") == "2019-11-25T00:00:00+05:45"


def test_rooms_people_and_the_venue_pseudo_room(base_site: Path) -> None:
    tree = parse(base_site)
    walkabout = tree.find("day/room/event[title='Walkabout']")
    room = walkabout.getparent()
    assert room.get("name") == walkabout.findtext("room") == "Test Hall"  # the venue: the session has no room
    assert [p.text for p in walkabout.iterfind("persons/person")] == ["The Minister", "A Moderator"]
    opening = tree.find("day/room/event[title='Opening ceremony']")
    assert opening.findtext("room") == "Hall A" and opening.getparent().get("name") == "Hall A"
    assert opening.findtext("track") == "Ceremony" and opening.findtext("type") == "ceremony"
    assert opening.findtext("abstract") == "The forum opens."
    assert opening.findtext("url") == BASE_URL + "en/sessions/opening/"
    assert "https://example.org/forum/en/about/" in opening.findtext("description")
    # Every room element of a day is listed with one GUID, the same on every day.
    guids = {}
    for element in tree.iterfind("day/room"):
        assert guids.setdefault(element.get("name"), element.get("guid")) == element.get("guid")
    assert len(set(guids.values())) == len(guids)


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    first = build_fixture(tmp_path / "one", DST_FILES)
    second = build_fixture(tmp_path / "two", DST_FILES)
    assert (first / "schedule.xml").read_bytes() == (second / "schedule.xml").read_bytes()
    # The version shown by apps changes with the programme, and only then.
    renamed = build_fixture(tmp_path / "three", {**DST_FILES, "sessions/talk.md": DST_FILES["sessions/talk.md"].replace("Talk", "Panel")})
    assert parse(renamed).findtext("version") != parse(first).findtext("version")
    assert [e.get("guid") for e in parse(renamed).iterfind("day/room/event")] == [e.get("guid") for e in parse(first).iterfind("day/room/event")]


def test_schedule_page_links_the_xml_and_giggity(base_site: Path) -> None:
    for lang in LANGS:
        page = base_site / lang / "schedule" / "index.html"
        tree = parse_html(page)
        (xml_link,) = tree.xpath("//a[@type='application/xml']/@href")
        assert linked_file(page, xml_link) == base_site / "schedule.xml"
        giggity = [href for href in tree.xpath("//a/@href") if href.startswith("https://ggt.gaa.st/")]
        assert giggity == ["https://ggt.gaa.st/#url=" + quote(f"{BASE_URL}schedule.xml", safe="")]  # a URL inside a URL: encoded
