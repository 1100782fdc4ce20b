"""On the real Busan site: every session has the same instants everywhere it is published.

The agenda page, the session's JSON-LD, its own .ics, the whole-programme
.ics in every language, schedule.xml (frab) and schedule.json (C3VOC) are
each parsed with a real parser and compared in UTC."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import icalendar
from lxml import etree

from .sitekit import PROJECT_ROOT, parse_html

UTC = dt.timezone.utc


def session_ids() -> list[str]:
    return sorted(path.stem for path in (PROJECT_ROOT / "content" / "sessions").glob("*.md") if path.name.count(".") == 1)


def utc(value: dt.datetime) -> dt.datetime:
    assert value.tzinfo is not None, value
    return value.astimezone(UTC)


def test_every_session_has_the_same_instants_everywhere(busan_site: Path) -> None:
    ids = session_ids()
    # 1. the agenda page (data attributes the scripts use, and <time datetime>)
    agenda = parse_html(busan_site / "en" / "schedule" / "index.html")
    from_agenda = {}
    for article in agenda.xpath("//div[@id='programme']//article[contains(@class,'session')]"):
        key = article.get("id").removeprefix("session-")
        from_agenda[key] = (utc(dt.datetime.fromisoformat(article.get("data-start"))), utc(dt.datetime.fromisoformat(article.get("data-end"))))
    assert sorted(from_agenda) == ids

    # 2. JSON-LD on each session page
    for key in ids:
        tree = parse_html(busan_site / "en" / "sessions" / key / "index.html")
        graph = json.loads(tree.xpath("//script[@type='application/ld+json']")[0].text)["@graph"]
        [event] = [node for node in graph if node["@type"] == "Event"]
        assert (utc(dt.datetime.fromisoformat(event["startDate"])), utc(dt.datetime.fromisoformat(event["endDate"]))) == from_agenda[key]

    # 3. calendars: the session's own and the whole programme, in every language
    guids = {}
    for lang in ("en", "ko", "th", "km"):
        whole = icalendar.Calendar.from_ical((busan_site / lang / "schedule.ics").read_bytes())
        by_uid = {str(event["UID"]): event for event in whole.walk("VEVENT")}
        assert len(by_uid) == len(ids)
        for key in ids:
            own = icalendar.Calendar.from_ical((busan_site / lang / "sessions" / f"{key}.ics").read_bytes())
            [event] = own.walk("VEVENT")
            instants = (utc(event["DTSTART"].dt), utc(event["DTEND"].dt))
            assert instants == from_agenda[key], (lang, key)
            uid = str(event["UID"])
            assert guids.setdefault(key, uid) == uid  # the same UID in every language
            assert (utc(by_uid[uid]["DTSTART"].dt), utc(by_uid[uid]["DTEND"].dt)) == instants

    # 4. frab XML
    schedule = etree.parse(str(busan_site / "schedule.xml"))
    from_xml = {}
    for event in schedule.iter("event"):
        start = utc(dt.datetime.fromisoformat(event.findtext("date")))
        hours, minutes = map(int, event.findtext("duration").split(":"))
        from_xml[event.get("guid")] = (start, start + dt.timedelta(hours=hours, minutes=minutes))
    assert set(from_xml) == {uid.split("@")[0] for uid in guids.values()}
    assert sorted(from_xml.values()) == sorted(from_agenda.values())

    # 5. C3VOC JSON
    data = json.loads((busan_site / "schedule.json").read_text(encoding="utf-8"))
    from_json = []
    for day in data["schedule"]["conference"]["days"]:
        for events in day["rooms"].values():
            for event in events:
                start = utc(dt.datetime.fromisoformat(event["date"]))
                hours, minutes = map(int, event["duration"].split(":"))
                from_json.append((start, start + dt.timedelta(hours=hours, minutes=minutes)))
                assert event["guid"] in {uid.split("@")[0] for uid in guids.values()}
    assert sorted(from_json) == sorted(from_agenda.values())
