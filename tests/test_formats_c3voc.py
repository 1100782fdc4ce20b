"""C3VOC schedule.json: valid against the shared JSON Schema, same data as schedule.xml."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from pathlib import Path

import jsonschema
import pytest
from lxml import etree

from .sitekit import SHARED, parse_html
from .test_formats_frab import xml_instants
from .test_formats_ics import DST_FILES, DST_UTC, HOST, KATHMANDU_UTC, LANGS, build_fixture, instants, linked_file, uid

# Shared fixtures (built once per module that uses them).
from .test_formats_ics import base_site, dst_site, kathmandu_site  # noqa: F401

UTC = dt.timezone.utc
SCHEMA = SHARED / "schemas" / "schedule.json.schema.json"
BASE_URL = "https://example.org/forum/"


@pytest.fixture(scope="module")
def validator() -> jsonschema.protocols.Validator:
    if not SCHEMA.is_file():
        pytest.skip(f"../shared/schemas not present: {SCHEMA} is needed to validate schedule.json")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=jsonschema.FormatChecker())


def load(site: Path) -> dict:
    return json.loads((site / "schedule.json").read_text(encoding="utf-8"))


def events(data: dict) -> list[dict]:
    return [event for day in data["schedule"]["conference"]["days"] for room in day["rooms"].values() for event in room]


def json_instants(data: dict) -> dict[str, tuple[str, str]]:
    return {
        f"{event['guid']}@{HOST}": (
            dt.datetime.fromisoformat(event["date"]).astimezone(UTC).isoformat(),
            dt.datetime.fromisoformat(event["end"]).astimezone(UTC).isoformat(),
        )
        for event in events(data)
    }


@pytest.mark.parametrize("fixture", ["base_site", "dst_site", "kathmandu_site"])
def test_valid_against_the_shared_schema(request, validator, fixture: str) -> None:
    data = load(request.getfixturevalue(fixture))
    errors = sorted(validator.iter_errors(data), key=lambda error: list(error.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)
    for event in events(data):  # draft-06 has no uuid format: check GUIDs ourselves
        assert str(uuid.UUID(event["guid"])) == event["guid"]


@pytest.mark.parametrize("fixture", ["base_site", "dst_site", "kathmandu_site"])
def test_same_events_as_the_xml_and_the_calendars(request, fixture: str) -> None:
    site: Path = request.getfixturevalue(fixture)
    data = load(site)
    from_json = json_instants(data)
    assert from_json == xml_instants(etree.parse(str(site / "schedule.xml")))
    for lang in LANGS:
        assert instants(site / lang / "schedule.ics") == from_json, lang
    # Durations agree with start and end (elapsed time), and with the XML's.
    xml = {e.get("guid"): e for e in etree.parse(str(site / "schedule.xml")).iterfind("day/room/event")}
    for event in events(data):
        element = xml[event["guid"]]
        for name in ("duration", "start", "room", "title", "slug", "url", "track", "type", "abstract", "description"):
            assert event[name] == (element.findtext(name) or ""), name
        assert event["id"] == int(element.get("id"))
        assert [p["name"] for p in event["persons"]] == [p.text for p in element.iterfind("persons/person")]
        assert [p["guid"] for p in event["persons"]] == [p.get("guid") for p in element.iterfind("persons/person")]


@pytest.mark.parametrize("fixture, expected", [("dst_site", DST_UTC), ("kathmandu_site", KATHMANDU_UTC)])
def test_utc_instants_are_right(request, fixture: str, expected: dict) -> None:
    data = load(request.getfixturevalue(fixture))
    assert json_instants(data) == {uid(BASE_URL, sid): times for sid, times in expected.items()}


def test_days_follow_the_local_calendar(dst_site: Path) -> None:
    days = load(dst_site)["schedule"]["conference"]["days"]
    assert [(d["index"], d["date"], d["day_start"], d["day_end"]) for d in days] == [
        (1, "2019-11-02", "2019-11-02T00:00:00-04:00", "2019-11-03T00:00:00-04:00"),
        (2, "2019-11-03", "2019-11-03T00:00:00-04:00", "2019-11-04T00:00:00-05:00"),
        (3, "2019-11-04", "2019-11-04T00:00:00-05:00", "2019-11-05T00:00:00-05:00"),
    ]
    for day in days:
        for event in (e for room in day["rooms"].values() for e in room):
            assert dt.datetime.fromisoformat(event["date"]).date().isoformat() == day["date"]


def test_people_keep_their_roles_and_rooms_their_guids(base_site: Path) -> None:
    data = load(base_site)
    (walkabout,) = [e for e in events(data) if e["title"] == "Walkabout"]
    assert [(p["name"], p["role"]) for p in walkabout["persons"]] == [("The Minister", "SPEAKER"), ("A Moderator", "MODERATOR")]
    assert walkabout["persons"][0]["url"] == BASE_URL + "en/people/minister/"
    rooms = {room["name"]: room["guid"] for room in data["schedule"]["conference"]["rooms"]}
    assert set(rooms) == {"Hall A", "Hall B", "Test Hall"}  # the venue stands in for a missing room
    assert walkabout["room"] == "Test Hall"
    xml_rooms = {e.get("name"): e.get("guid") for e in etree.parse(str(base_site / "schedule.xml")).iterfind("day/room")}
    assert xml_rooms == rooms


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    first = build_fixture(tmp_path / "one", DST_FILES)
    second = build_fixture(tmp_path / "two", DST_FILES)
    assert (first / "schedule.json").read_bytes() == (second / "schedule.json").read_bytes()


def test_schedule_page_links_the_json(base_site: Path) -> None:
    for lang in LANGS:
        page = base_site / lang / "schedule" / "index.html"
        (href,) = parse_html(page).xpath("//a[@type='application/json']/@href")
        assert linked_file(page, href) == base_site / "schedule.json"
