"""iCalendar (RFC 5545): ``/<lang>/schedule.ics`` and ``/<lang>/sessions/<id>.ics``.

Times are written in the event's zone (``DTSTART;TZID=…``) with a generated
``VTIMEZONE``, so calendar apps show the local time of the venue and convert
correctly across DST. ``UID`` is the session GUID (the one in schedule.xml),
so re-importing the programme in another language updates the same events
instead of duplicating them.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from functools import lru_cache

from icalendar import Calendar, Event, Timezone

from ..model import Session
from ..views import session_guid
from . import (
    absolute_link,
    body_text,
    content_stamp,
    field_text,
    host_of,
    kind_label,
    localized,
    person_name,
    stable_uuid,
    venue_name,
)

if TYPE_CHECKING:
    from ..render import PageContext


def render(page: "PageContext") -> bytes:
    site = page.site
    entry = page.entry
    sessions = (entry,) if isinstance(entry, Session) else page.collection("sessions")
    title = localized(page, site.title)
    calendar = Calendar.new(
        prodid=f"-//eventsite//{page.lang}",
        name=title.value,  # NAME and X-WR-CALNAME
        uid=stable_uuid(site, page.route.url.lstrip("/")),  # Calendar.new would pick a random one
        url=absolute_link(page, "schedule"),
        source=page.absolute(page.route.url),
        method="PUBLISH",
    )
    for session in sessions:
        calendar.add_component(_event(page, session))
    # Only the years the event touches: a compact VTIMEZONE that is still exact.
    dates = site.config.dates
    zone = _vtimezone(site.config.timezone, dt.date(dates.start.year, 1, 1), dt.date(dates.end.year + 1, 1, 1))
    calendar.subcomponents.insert(0, zone)
    return serialize(calendar)


def serialize(calendar: Calendar) -> bytes:
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
def _vtimezone(tzid: str, first: dt.date, last: dt.date) -> Timezone:
    """Computing a VTIMEZONE walks the zone's transitions (~30 ms): once per build is enough."""
    return Timezone.from_tzid(tzid, first_date=first, last_date=last)


def _event(page: "PageContext", session: Session) -> Event:
    site = page.site
    event = Event()
    title = field_text(page, session, "title")
    url = absolute_link(page, "session", session.id)
    event.add("uid", f"{session_guid(site, session.id)}@{host_of(site)}")
    event.add("dtstamp", content_stamp(site))  # reproducible builds: never the clock
    event.add("sequence", 0)
    event.add("dtstart", session.start)  # aware, in the event zone → TZID parameter
    event.add("dtend", session.end)
    if title:
        event.add("summary", title.value, parameters={"LANGUAGE": title.lang})
    event.add("description", _description(page, session, url))
    location = _location(page, session)
    if location:
        event.add("location", location)
    event.add("categories", [kind_label(page, session)])
    event.add("url", url)
    return event


def _location(page: "PageContext", session: Session) -> str:
    parts = [localized(page, session.room.name).value] if session.room else []
    venue = venue_name(page)
    if venue:
        parts.append(venue.value)
    return ", ".join(parts)


def _description(page: "PageContext", session: Session, url: str) -> str:
    """Plain text: summary, body (Markdown reads as text), people, and the page URL.

    The URL is repeated here because several calendar apps ignore ``URL``.
    """
    parts = []
    summary = field_text(page, session, "summary")
    if summary:
        parts.append(summary.value)
    body = body_text(page, session)
    if body.value:
        parts.append(body.value)
    for label, people in ((page.gettext("Speakers"), session.speakers), (page.gettext("Moderators"), session.moderators)):
        if people:
            parts.append(f"{label}: " + ", ".join(person_name(page, person).value for person in people))
    parts.append(url)
    return "\n\n".join(parts)
