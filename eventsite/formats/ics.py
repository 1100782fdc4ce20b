"""iCalendar (RFC 5545): ``/<lang>/schedule.ics`` and ``/<lang>/sessions/<id>.ics``.

Times are written in the event's zone (``DTSTART;TZID=…``) with a generated
``VTIMEZONE``, so calendar apps show the local time of the venue and convert
correctly across DST. ``UID`` is the session GUID (the one in schedule.xml),
so re-importing the programme in another language updates the same events
instead of duplicating them.

The lines are written directly (:func:`render`): building icalendar's
component model cost ~3 ms per calendar, most of a large programme's build.
:func:`calendar_of` builds the same calendar with icalendar; it is the
oracle that tests/test_formats_ics.py compares the bytes with, and the
generated ``VTIMEZONE`` still comes from icalendar.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from urllib.parse import urljoin

from typing import TYPE_CHECKING, Iterator

from ..kinds.session import Session, SessionView
from ..lifecycle import ICAL_STATUS
from ..page import Page
from ..views import SiteView
from ..ids import stable_uuid
from . import content_stamp, host_of, plain_body, utc, venue_name

if TYPE_CHECKING:
    from icalendar import Calendar, Event, Timezone


def render(page: Page) -> bytes:
    """The calendar's bytes, exactly as ``calendar_of(page).to_ical()`` with :func:`fold`."""
    site_view = SiteView(page)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:" + _text(f"-//eventsite//{page.lang}"),
        "METHOD:PUBLISH",
        "NAME:" + _text(site_view.title.value),
        "X-WR-CALNAME:" + _text(site_view.title.value),
        "SOURCE:" + page.links.absolute(page.route.url),
        "UID:" + _text(stable_uuid(page.site, page.route.url.lstrip("/"))),
        "URL:" + page.links.absolute_to("schedule"),
    ]
    encoded = [fold(line) for line in lines]
    encoded.append(_vtimezone_bytes(*_zone_span(page)))
    for session in _sessions(page, site_view):
        encoded.extend(fold(line) for line in _event_lines(page, site_view, session))
    encoded.append(b"END:VCALENDAR")
    return b"\r\n".join(encoded) + b"\r\n"


def _sessions(page: Page, site_view: SiteView) -> list[SessionView]:
    entry = page.entry
    return [SessionView(entry, page)] if isinstance(entry, Session) else site_view.sessions


def _zone_span(page: Page) -> tuple[str, dt.date, dt.date]:
    """Only the years the event touches: a compact VTIMEZONE that is still exact."""
    dates = page.site.config.dates
    return page.site.config.timezone, dt.date(dates.start.year, 1, 1), dt.date(dates.end.year + 1, 1, 1)


def _event_lines(page: Page, site_view: SiteView, session: SessionView) -> Iterator[str]:
    """One VEVENT, its properties in the order icalendar writes them (its canonical order, then A–Z)."""
    title = session.title
    url = session.absolute_url
    yield "BEGIN:VEVENT"
    if title:
        yield f"SUMMARY;LANGUAGE={_parameter(title.lang)}:" + _text(title.value)
    yield f"DTSTART;TZID={_parameter(_tzid(session.start))}:" + _local(session.start)
    yield f"DTEND;TZID={_parameter(_tzid(session.end))}:" + _local(session.end)
    revision = session.revision
    yield "DTSTAMP:" + utc(revision.changed or content_stamp(page.site)).strftime("%Y%m%dT%H%M%SZ")
    yield "UID:" + _text(f"{session.guid}@{host_of(page.site)}")
    yield f"SEQUENCE:{revision.sequence}"
    yield "CATEGORIES:" + _text(session.kind_label)
    yield "DESCRIPTION:" + _text(_description(page, session, url))
    location = _location(site_view, session)
    if location:
        yield "LOCATION:" + _text(location)
    yield "STATUS:" + ICAL_STATUS[session.status]
    yield "URL:" + url
    yield "END:VEVENT"


def _text(value: str) -> str:
    """RFC 5545 TEXT escaping, as icalendar does it (including its reading of a literal '\\N')."""
    return (
        value.replace("\\N", "\n").replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
        .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")
    )


def _parameter(value: str) -> str:
    value = value.replace('"', "'")
    return f'"{value}"' if any(mark in value for mark in ",;:\u2019") else value


def _tzid(moment: dt.datetime) -> str:
    zone = moment.tzinfo
    return str(getattr(zone, "key", None) or zone)


def _local(moment: dt.datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%S")


@lru_cache(maxsize=8)
def _vtimezone_bytes(tzid: str, first: dt.date, last: dt.date) -> bytes:
    return b"\r\n".join(fold(line) for line in _vtimezone(tzid, first, last).content_lines() if line)


def calendar_of(page: Page) -> "Calendar":
    """The same calendar as icalendar objects (the oracle of :func:`render`; slow)."""
    from icalendar import Calendar

    site = page.site
    site_view = SiteView(page)
    sessions = _sessions(page, site_view)
    calendar = Calendar.new(
        prodid=f"-//eventsite//{page.lang}",
        name=site_view.title.value,  # NAME and X-WR-CALNAME
        uid=stable_uuid(site, page.route.url.lstrip("/")),  # Calendar.new would pick a random one
        url=page.links.absolute_to("schedule"),
        source=page.links.absolute(page.route.url),
        method="PUBLISH",
    )
    for session in sessions:
        calendar.add_component(_event(page, site_view, session))
    calendar.subcomponents.insert(0, _vtimezone(*_zone_span(page)))
    return calendar


def serialize(calendar: "Calendar") -> bytes:
    """The bytes of ``calendar.to_ical()``, folded without a Python step per character.

    icalendar folds each content line one character at a time, which was
    three quarters of the time of a programme calendar (~2 ms per event with
    its description). tests/test_formats_ics.py checks the bytes are the same.
    """
    return b"\r\n".join(fold(line) for line in calendar.content_lines() if line) + b"\r\n"


FOLD_OCTETS = 74  # RFC 5545: lines SHOULD NOT be longer than 75 octets; icalendar keeps them under


def fold(line: str) -> bytes:
    """One content line folded as icalendar folds it: at most 74 octets per
    piece, never inside a UTF-8 sequence, and never right after a backslash
    or caret (the escape moves to the next piece, as icalendar does for
    clients that would misread a split escape)."""
    data = line.encode("utf-8")
    if len(data) <= FOLD_OCTETS:
        return data
    pieces = []
    start = 0
    while len(data) - start > FOLD_OCTETS:
        end = start + FOLD_OCTETS
        while data[end] & 0xC0 == 0x80:  # a continuation byte: end before its character
            end -= 1
        if data[end - 1] in b"\\^" and end - 1 > start:
            end -= 1
        pieces.append(data[start:end])
        start = end
    pieces.append(data[start:])
    return b"\r\n ".join(pieces)


@lru_cache(maxsize=8)
def _vtimezone(tzid: str, first: dt.date, last: dt.date) -> "Timezone":
    """Computing a VTIMEZONE walks the zone's transitions (~30 ms): once per build is enough."""
    from icalendar import Timezone

    return Timezone.from_tzid(tzid, first_date=first, last_date=last)


def _event(page: Page, site_view: SiteView, session: SessionView) -> "Event":
    from icalendar import Event

    site = page.site
    event = Event()
    title = session.title
    url = session.absolute_url
    event.add("uid", f"{session.guid}@{host_of(site)}")
    revision = session.revision
    event.add("dtstamp", revision.changed or content_stamp(site))  # reproducible builds: never the clock
    event.add("sequence", revision.sequence)
    event.add("dtstart", session.start)  # aware, in the event zone → TZID parameter
    event.add("dtend", session.end)
    if title:
        event.add("summary", title.value, parameters={"LANGUAGE": title.lang})
    event.add("description", _description(page, session, url))
    location = _location(site_view, session)
    if location:
        event.add("location", location)
    event.add("categories", [session.kind_label])
    event.add("status", ICAL_STATUS[session.status])
    event.add("url", url)
    return event


def _location(site_view: SiteView, session: SessionView) -> str:
    parts = [session.room.name.value] if session.room else []
    venue = venue_name(site_view)
    if venue:
        parts.append(venue.value)
    return ", ".join(parts)


def _description(page: Page, session: SessionView, url: str) -> str:
    """Plain text: summary, body (Markdown read as text: eventsite/plaintext.py), people, and the page URL.

    The URL is repeated here because several calendar apps ignore ``URL``.
    """
    parts = []
    summary = session.summary
    if summary:
        parts.append(summary.value)
    body = plain_body(page, session)
    if body.value:
        parts.append(body.value)
    for label, people in ((page.gettext("Speakers"), session.speakers), (page.gettext("Moderators"), session.moderators)):
        if people:
            parts.append(f"{label}: " + ", ".join(person.name.value for person in people))
    for link in session.links:  # livestream, recording, slides: the addresses, as calendars show text
        parts.append(f"{link.label}: " + (urljoin(url, link.url) if link.is_file else link.url))
    parts.append(url)
    return "\n\n".join(parts)
