"""iCalendar (RFC 5545): ``/<lang>/schedule.ics`` and ``/<lang>/sessions/<id>.ics``.

Times are written in the event's zone (``DTSTART;TZID=…``) with a generated
``VTIMEZONE``, so calendar apps show the local time of the venue and convert
correctly across DST. ``UID`` is the session GUID (the one in schedule.xml),
so re-importing the programme in another language updates the same events
instead of duplicating them.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from icalendar import Calendar, Event, Timezone

from ..kinds.session import Session, SessionView
from ..page import Page
from ..views import SiteView
from ..ids import stable_uuid
from . import content_stamp, host_of, plain_body, venue_name


def render(page: Page) -> bytes:
    site = page.site
    site_view = SiteView(page)
    entry = page.entry
    sessions = [SessionView(entry, page)] if isinstance(entry, Session) else site_view.sessions
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


def _event(page: Page, site_view: SiteView, session: SessionView) -> Event:
    site = page.site
    event = Event()
    title = session.title
    url = session.absolute_url
    event.add("uid", f"{session.guid}@{host_of(site)}")
    event.add("dtstamp", content_stamp(site))  # reproducible builds: never the clock
    event.add("sequence", 0)
    event.add("dtstart", session.start)  # aware, in the event zone → TZID parameter
    event.add("dtend", session.end)
    if title:
        event.add("summary", title.value, parameters={"LANGUAGE": title.lang})
    event.add("description", _description(page, session, url))
    location = _location(site_view, session)
    if location:
        event.add("location", location)
    event.add("categories", [session.kind_label])
    event.add("url", url)
    return event


def _location(site_view: SiteView, session: SessionView) -> str:
    parts = [session.room.name.value] if session.room else []
    venue = venue_name(site_view)
    if venue:
        parts.append(venue.value)
    return ", ".join(parts)


def _description(page: Page, session: SessionView, url: str) -> str:
    """Plain text: summary, body (Markdown reads as text), people, and the page URL.

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
    parts.append(url)
    return "\n\n".join(parts)
