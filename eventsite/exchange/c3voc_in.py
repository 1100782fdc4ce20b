"""C3VOC schedule JSON (what pretalx publishes as schedule.json) → Programme.

The same data as the frab XML (eventsite/exchange/frab_in.py), in JSON: events
under ``schedule.conference.days[].rooms.<room>[]``. Lines for messages come
from reading the JSON as (strict) YAML, which JSON is; a file that reader
refuses is still imported, its problems then point at the file alone.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..errors import BuildError, Problem
from ..yaml_strict import KeyPath, YamlProblem, parse
from .frab_in import summary_and_body
from .programme import BODY, Item, Link, Place, Programme, Speaker, kind_of, one_line, speaker_key


class _Locator:
    def __init__(self, text: str, shown: str):
        self.shown = shown
        try:
            self.locations = parse(text).locations
        except (YamlProblem, RecursionError):
            self.locations = {}

    def at(self, path: KeyPath) -> Place:
        while path and path not in self.locations:
            path = path[:-1]
        line, column = self.locations.get(path, (0, 0))
        return Place(self.shown, line, column)


def read_programme(raw: bytes, shown: str, source: str, site_zone: ZoneInfo) -> Programme:
    try:
        text = raw.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
        data = json.loads(text)
    except UnicodeDecodeError as error:
        raise BuildError([Problem(shown, 0, f"not UTF-8 (byte {error.start}): a schedule.json is UTF-8")]) from None
    except json.JSONDecodeError as error:
        raise BuildError([Problem(shown, error.lineno, f"not JSON: {error.msg}", error.colno)]) from None
    locate = _Locator(text, shown)
    conference = data.get("schedule", {}).get("conference") if isinstance(data, dict) and isinstance(data.get("schedule"), dict) else None
    if not isinstance(conference, dict):
        raise BuildError([Problem(shown, 1, "not a C3VOC schedule: expected {\"schedule\": {\"conference\": …}}")])
    problems: list[Problem] = []
    zone = site_zone
    zone_name = conference.get("time_zone_name")
    if isinstance(zone_name, str) and zone_name.strip():
        try:
            zone = ZoneInfo(zone_name.strip())
        except (ZoneInfoNotFoundError, ValueError):
            problems.append(locate.at(("schedule", "conference", "time_zone_name")).problem(f"time_zone_name {zone_name!r} is not an IANA time zone"))
    items = []
    for day_index, day in enumerate(conference.get("days") or []):
        rooms = day.get("rooms") if isinstance(day, dict) else None
        if not isinstance(rooms, dict):
            continue
        for room_name, events in rooms.items():
            for index, event in enumerate(events if isinstance(events, list) else []):
                path: KeyPath = ("schedule", "conference", "days", day_index, "rooms", room_name, index)
                item = _event(event, str(room_name), path, zone, locate, problems)
                if item is not None:
                    items.append(item)
    if not items and not problems:
        problems.append(locate.at(("schedule", "conference")).problem("the schedule has no events"))
    if problems:
        raise BuildError(problems)
    return Programme(source, tuple(items), adds_rooms=True)


def _string(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ("" if value is None else str(value))


def _event(event: Any, room_name: str, path: KeyPath, zone: ZoneInfo, locate: _Locator, problems: list[Problem]) -> Item | None:
    place = locate.at(path)
    if not isinstance(event, dict):
        problems.append(place.problem("an event must be an object"))
        return None
    before = len(problems)
    title = one_line(_string(event.get("title")))
    if not title:
        problems.append(locate.at((*path, "title")).problem("event without a title"))
    start = None
    text = _string(event.get("date"))
    try:
        start = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        start = start if start.tzinfo is not None else start.replace(tzinfo=zone)
    except ValueError:
        problems.append(locate.at((*path, "date")).problem(f"date {text!r} is not an ISO date and time (2019-11-26T09:30:00+09:00)"))
    end = None
    duration = _string(event.get("duration"))
    parts = duration.split(":")
    if len(parts) in (2, 3) and all(part.isdigit() for part in parts):
        if start is not None:
            end = start + dt.timedelta(hours=int(parts[0]), minutes=int(parts[1]))
    elif _string(event.get("end")) and start is not None:
        try:
            end = dt.datetime.fromisoformat(_string(event.get("end")))
        except ValueError:
            end = None
    if end is None and start is not None:
        problems.append(locate.at((*path, "duration")).problem(f"duration {duration!r} is not a duration (01:30)"))
    if problems[before:] or start is None or end is None:
        return None
    guid = _string(event.get("guid"))
    key = f"guid:{guid}" if guid else (f"id:{_string(event.get('id'))}" if _string(event.get("id")) else f"slug:{_string(event.get('slug')) or title}")
    speakers = []
    for index, person in enumerate(event.get("persons") or []):
        if not isinstance(person, dict):
            continue
        name = one_line(_string(person.get("public_name") or person.get("name") or person.get("full_public_name")))
        if not name:
            continue
        person_key = (
            f"guid:{_string(person['guid'])}" if _string(person.get("guid")) else
            f"code:{_string(person['code'])}" if _string(person.get("code")) else
            f"id:{_string(person['id'])}" if _string(person.get("id")) else speaker_key(name)
        )
        speakers.append(Speaker(person_key, name, locate.at((*path, "persons", index)), _string(person.get("biography"))))
    links = []
    for link in event.get("links") or []:
        url = _string(link.get("url") or link.get("href")) if isinstance(link, dict) else _string(link)
        if url.startswith(("http://", "https://")):
            title_text = one_line(_string(link.get("title"))) if isinstance(link, dict) else ""
            links.append(Link(url, title_text or url))
    summary, body = summary_and_body(_string(event.get("abstract")), _string(event.get("description")), _string(event.get("subtitle")), tuple(links))
    room = one_line(_string(event.get("room")) or room_name)
    kind = kind_of(_string(event.get("type"))) or kind_of(_string(event.get("track")))
    fields = {"title", "start", "end", "speakers", "summary", BODY}
    if room:
        fields.add("room")
    if kind:
        fields.add("kind")
    return Item(
        key=key, place=place, title=title, start=start, end=end, fields=frozenset(fields), room=room or None,
        speakers=tuple(speakers), kind=kind, summary=summary, body=body,
        places={"start": locate.at((*path, "date")), "end": locate.at((*path, "duration")), "room": locate.at((*path, "room")),
                "title": locate.at((*path, "title"))},
    )
