"""frab/Pentabarf schedule XML (what frab, pretalx and Indico-based tools publish) → Programme.

An event's time is its ``<date>`` (an ISO time with its UTC offset) when it has
one, else the day's date and ``<start>`` in the conference's time zone (events
before ``<day_change>`` belong to the next calendar day). Persons, the room,
links (added to the body as a list) and the type or track (the kind, when it
names one) are read; the guid keeps an event the same item on every
re-import. The XML is parsed without DTDs, entities or network access.
"""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from lxml import etree

from ..errors import BuildError, Problem
from .programme import BODY, Item, Link, Place, Programme, Speaker, kind_of, one_line, speaker_key

_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")
_DURATION = re.compile(r"^(\d{1,3}):(\d{2})(?::\d{2})?$")


def parse_xml(raw: bytes, shown: str) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True)
    try:
        return etree.fromstring(raw, parser)
    except etree.XMLSyntaxError as error:
        line, column = error.position if error.position else (0, 0)
        raise BuildError([Problem(shown, line, f"not well-formed XML: {error.msg}", column)]) from None


def read_programme(raw: bytes, shown: str, source: str, site_zone: ZoneInfo) -> Programme:
    root = parse_xml(raw, shown)
    if root.tag != "schedule":
        raise BuildError([Problem(shown, root.sourceline or 0, f"not a frab schedule: the root element is <{root.tag}>, not <schedule>")])
    problems: list[Problem] = []
    zone = _zone(root, site_zone, shown, problems)
    day_change = _clock(root.findtext("conference/day_change") or "") or dt.time(0)
    items = []
    for day in root.iterfind("day"):
        for room in day.iterfind("room"):
            for event in room.iterfind("event"):
                item = _event(event, day, room, zone, day_change, shown, problems)
                if item is not None:
                    items.append(item)
    if not items and not problems:
        problems.append(Problem(shown, root.sourceline or 0, "the schedule has no events"))
    if problems:
        raise BuildError(problems)
    return Programme(source, tuple(items), adds_rooms=True)


def _zone(root: etree._Element, site_zone: ZoneInfo, shown: str, problems: list[Problem]) -> ZoneInfo:
    element = root.find("conference/time_zone_name")
    name = (element.text or "").strip() if element is not None else ""
    if not name:
        return site_zone
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(Problem(shown, element.sourceline or 0, f"time_zone_name {name!r} is not an IANA time zone"))
        return site_zone


def _clock(text: str) -> dt.time | None:
    match = _CLOCK.match(text.strip())
    if not match:
        return None
    hour, minute = int(match.group(1)), int(match.group(2))
    return dt.time(hour, minute) if hour < 24 and minute < 60 else None


def _text(event: etree._Element, tag: str) -> str:
    return (event.findtext(tag) or "").strip()


def _event(
    event: etree._Element, day: etree._Element, room: etree._Element, zone: ZoneInfo, day_change: dt.time,
    shown: str, problems: list[Problem],
) -> Item | None:
    place = Place(shown, event.sourceline or 0)
    before = len(problems)

    def at(tag: str) -> Place:
        element = event.find(tag)
        return Place(shown, element.sourceline or 0) if element is not None else place

    start = _start(event, day, zone, day_change, at, problems)
    duration = _duration(_text(event, "duration"), at("duration"), problems)
    title = one_line(_text(event, "title"))
    if not title:
        problems.append(at("title").problem("event without a <title>"))
    if problems[before:] or start is None or duration is None:
        return None
    guid = event.get("guid") or ""
    key = f"guid:{guid}" if guid else (f"id:{event.get('id')}" if event.get("id") else f"slug:{_text(event, 'slug') or title}")
    speakers = tuple(
        Speaker(_person_key(person), one_line(person.text or ""), Place(shown, person.sourceline or 0))
        for person in event.iterfind("persons/person")
        if (person.text or "").strip()
    )
    links = tuple(
        Link(link.get("href", "").strip(), one_line(link.text or link.findtext("title") or "") or link.get("href", "").strip())
        for link in event.iterfind("links/link")
        if link.get("href", "").strip().startswith(("http://", "https://"))
    )
    abstract = _text(event, "abstract")
    summary, body = summary_and_body(abstract, _text(event, "description"), _text(event, "subtitle"), links)
    room_name = one_line(_text(event, "room") or room.get("name", ""))
    kind = kind_of(_text(event, "type")) or kind_of(_text(event, "track"))
    fields = {"title", "start", "end", "speakers", "summary", BODY}
    if room_name:
        fields.add("room")
    if kind:
        fields.add("kind")
    return Item(
        key=key, place=place, title=title, start=start, end=start + duration, fields=frozenset(fields),
        room=room_name or None, speakers=speakers, kind=kind, summary=summary, body=body,
        places={"start": at("date") if event.find("date") is not None else at("start"), "end": at("duration"),
                "room": at("room"), "title": at("title")},
    )


def _person_key(person: etree._Element) -> str:
    if person.get("guid"):
        return f"guid:{person.get('guid')}"
    if person.get("id"):
        return f"id:{person.get('id')}"
    return speaker_key(person.text or "")


def _start(event: etree._Element, day: etree._Element, zone: ZoneInfo, day_change: dt.time, at, problems: list[Problem]) -> dt.datetime | None:  # noqa: ANN001
    text = _text(event, "date")
    if text:
        try:
            moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            problems.append(at("date").problem(f"<date> {text!r} is not an ISO date and time (2019-11-26T09:30:00+09:00)"))
            return None
        return moment if moment.tzinfo is not None else moment.replace(tzinfo=zone)
    clock = _clock(_text(event, "start"))
    if clock is None:
        problems.append(at("start").problem(f"<start> {_text(event, 'start')!r} is not a time (09:30)"))
        return None
    try:
        date = dt.date.fromisoformat(day.get("date", ""))
    except ValueError:
        problems.append(Place(at("start").path, day.sourceline or 0).problem(f"<day date={day.get('date')!r}> is not a date (2019-11-26)"))
        return None
    if clock < day_change:
        date += dt.timedelta(days=1)  # after midnight, still listed under the evening's day
    return dt.datetime.combine(date, clock, tzinfo=zone)


def _duration(text: str, place: Place, problems: list[Problem]) -> dt.timedelta | None:
    """'01:30' (hours and minutes) or '01:30:00' (and seconds, which are dropped)."""
    match = _DURATION.match(text)
    if not match:
        problems.append(place.problem(f"<duration> {text!r} is not a duration (01:30)"))
        return None
    return dt.timedelta(hours=int(match.group(1)), minutes=int(match.group(2)))


def summary_and_body(abstract: str, description: str, subtitle: str, links: tuple[Link, ...]) -> tuple[str | None, str]:
    """A one-line abstract is the summary; a longer one opens the body. Links end it as a list."""
    parts = []
    summary = None
    abstract = abstract.strip()
    if abstract and "\n" not in abstract and len(abstract) <= 300:
        summary = abstract
    elif abstract:
        parts.append(abstract)
    if not summary and subtitle:
        summary = one_line(subtitle)
    if description.strip() and description.strip() != abstract:
        parts.append(description.strip())
    if links:
        parts.append("\n".join(f"- [{_link_text(link.title)}]({link.url})" for link in links))
    return summary, "\n\n".join(_dedent(part) for part in parts)


def _link_text(text: str) -> str:
    return text.replace("[", "(").replace("]", ")")


def _dedent(text: str) -> str:
    """Exported XML often indents every line after the first; Markdown would read them as code."""
    first, _, rest = text.replace("\r\n", "\n").partition("\n")
    return (first + "\n" + textwrap.dedent(rest)).strip() if rest else first
