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
import hashlib
import importlib.metadata
import importlib.resources
import json
import zoneinfo
from functools import lru_cache
from pathlib import Path
from urllib.parse import urljoin

from typing import TYPE_CHECKING, Callable, Iterator, NamedTuple

from ..fragments import keep
from ..kinds.session import Session, SessionView
from ..lifecycle import ICAL_STATUS
from ..page import Page
from ..views import SiteView
from ..ids import stable_uuid
from ..markup import plain_text_version
from . import body_markdown, content_stamp, host_of, utc, venue_name

if TYPE_CHECKING:
    from icalendar import Calendar, Event, Timezone

    from ..cache import DiskCache


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
    encoded.append(_kept_vtimezone(page, *_zone_span(page)))
    blocks = _EventBlocks(page)
    for session in _sessions(page, site_view):
        encoded.append(_event_block(page, site_view, session, blocks))
    blocks.save()
    encoded.append(b"END:VCALENDAR")
    return b"\r\n".join(encoded) + b"\r\n"


EVENT_LINES_VERSION = "1"  # bump when _event_lines writes an _Event differently


class _Event(NamedTuple):
    """Everything one VEVENT is written from: its JSON is the key of the event's cached lines."""

    title: tuple[str, str] | None  # (language, text)
    start: tuple[str, str]  # (TZID, local time)
    end: tuple[str, str]
    stamp: str  # DTSTAMP, in UTC
    uid: str
    sequence: int
    category: str
    description: "_Description"
    location: str
    status: str
    url: str


class _Description(NamedTuple):
    summary: str
    body: str  # Markdown, site links made absolute; converted to plain text when written
    after: tuple[str, ...]  # people, links and the page URL, one paragraph each


class _EventBlocks:
    """Each event's folded lines, kept in the disk cache per calendar and keyed by a digest of its :class:`_Event`.

    A programme calendar has every item with its text (300 events: ~1 ms
    each to convert and fold): a build that makes every event finds most of
    them here. The key holds every input of the lines (and the versions of
    the code that converts the body), so an entry is never stale; one entry
    per calendar keeps only its current events.

    A rebuild that reuses kept events (eventsite/fragments.py: each kept
    event carries its own lines) neither reads nor writes the entry: reading
    and writing its ~300 KB of JSON was half of a programme calendar's time
    after one item moved. The entry then lags until the next build that makes
    every event, which finds the events that changed since in the cache no
    longer and makes those again.
    """

    def __init__(self, page: Page):
        conversions = page.context.conversions
        self._plain_text = conversions.plain_text
        self._cache = conversions.disk_cache
        self._salt = f"{EVENT_LINES_VERSION};{plain_text_version()};"
        self._key = self._cache.key("ics-events", page.route.url) if self._cache is not None else ""
        self._stored: dict[str, str] | None = None  # read on first use
        self._used: dict[str, str] = {}
        self.reused = 0  # events taken from kept fragments

    @property
    def stored(self) -> dict[str, str]:
        if self._stored is None:
            found = self._cache.get(self._key) if self._cache is not None and not self.reused else None
            self._stored = found if isinstance(found, dict) else {}
        return self._stored

    def made(self, event: _Event) -> tuple[str, str]:
        """The event's key and its folded lines, from the cache when they are there."""
        # JSON of the nested tuples (the C encoder; a namedtuple's repr was a fifth of a programme calendar).
        digest = hashlib.sha256((self._salt + json.dumps(event, ensure_ascii=False)).encode("utf-8")).hexdigest()
        text = self.stored.get(digest)
        if not isinstance(text, str):
            text = b"\r\n".join(fold(line) for line in _event_lines(event, self._plain_text)).decode("utf-8")
        return digest, text

    def use(self, digest: str, text: str) -> bytes:
        """The event's bytes in this calendar; its lines stay in the cache."""
        self._used[digest] = text
        return text.encode("utf-8")

    def save(self) -> None:
        if self._cache is not None and not self.reused and self._used != self.stored:
            self._cache.put(self._key, self._used)


DIGEST_LENGTH = 64  # a kept event is its digest (hex SHA-256) followed by its lines


def _event_block(page: Page, site_view: SiteView, session: SessionView, blocks: _EventBlocks) -> bytes:
    """One VEVENT's bytes. In a programme calendar, the event's digest and lines are kept as a fragment
    with what it read (eventsite/fragments.py): after one item moved, the others' lines come from
    there without gathering their inputs again."""
    if page.entry is not None:  # the item's own calendar: it is stale exactly when its one event is
        return blocks.use(*blocks.made(_event_of(page, site_view, session)))
    made: tuple[str, str] | None = None

    def make() -> bytes:
        nonlocal made
        made = blocks.made(_event_of(page, site_view, session))
        return (made[0] + made[1]).encode("utf-8")

    kept = keep(page, ("ics", session.id), make, (session,))
    if made is None:  # kept from the last build: its bytes as they are (the cache entry is not written, see _EventBlocks)
        blocks.reused += 1
        return kept[DIGEST_LENGTH:]
    return blocks.use(*made)


def _sessions(page: Page, site_view: SiteView) -> list[SessionView]:
    entry = page.entry
    return [SessionView(entry, page)] if isinstance(entry, Session) else site_view.sessions


def _zone_span(page: Page) -> tuple[str, dt.date, dt.date]:
    """Only the years the event touches: a compact VTIMEZONE that is still exact."""
    dates = page.site.config.dates
    return page.site.config.timezone, dt.date(dates.start.year, 1, 1), dt.date(dates.end.year + 1, 1, 1)


def _event_of(page: Page, site_view: SiteView, session: SessionView) -> _Event:
    title = session.title
    revision = session.revision
    url = session.absolute_url
    return _Event(
        title=(title.lang, title.value) if title else None,
        start=(_tzid(session.start), _local(session.start)),
        end=(_tzid(session.end), _local(session.end)),
        stamp=_local(utc(revision.changed or content_stamp(page.site))) + "Z",
        uid=f"{session.guid}@{host_of(page.site)}",
        sequence=revision.sequence,
        category=session.kind_label,
        description=_description_of(page, session, url),
        location=_location(site_view, session),
        status=ICAL_STATUS[session.status],
        url=url,
    )


def _event_lines(event: _Event, plain_text: Callable[[str], str]) -> Iterator[str]:
    """One VEVENT, its properties in the order icalendar writes them (its canonical order, then A–Z)."""
    yield "BEGIN:VEVENT"
    if event.title:
        lang, title = event.title
        yield f"SUMMARY;LANGUAGE={_parameter(lang)}:" + _text(title)
    yield f"DTSTART;TZID={_parameter(event.start[0])}:" + event.start[1]
    yield f"DTEND;TZID={_parameter(event.end[0])}:" + event.end[1]
    yield "DTSTAMP:" + event.stamp
    yield "UID:" + _text(event.uid)
    yield f"SEQUENCE:{event.sequence}"
    yield "CATEGORIES:" + _text(event.category)
    yield "DESCRIPTION:" + _text(_description_text(event.description, plain_text))
    if event.location:
        yield "LOCATION:" + _text(event.location)
    yield "STATUS:" + event.status
    yield "URL:" + event.url
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
    """``moment.strftime("%Y%m%dT%H%M%S")``, four times faster (three per event)."""
    return f"{moment.year:04d}{moment.month:02d}{moment.day:02d}T{moment.hour:02d}{moment.minute:02d}{moment.second:02d}"


def _kept_vtimezone(page: Page, tzid: str, first: dt.date, last: dt.date) -> bytes:
    """:func:`_vtimezone_bytes` through the disk cache: a rebuild that writes a calendar need not import icalendar (~40 ms).

    The key holds icalendar's version and the zone's rules as the machine has them (its TZif file),
    so a new tz database or a new icalendar computes it again.
    """
    cache = page.context.conversions.disk_cache
    rules = _zone_rules_digest(tzid) if cache is not None else None
    if cache is None or rules is None:
        return _vtimezone_bytes(tzid, first, last)
    return _cached_vtimezone(cache, tzid, first, last, rules)


@lru_cache(maxsize=8)
def _cached_vtimezone(cache: "DiskCache", tzid: str, first: dt.date, last: dt.date, rules: str) -> bytes:
    """Read from the cache folder once per process, not once per calendar (a programme has one per item)."""
    key = cache.key("vtimezone", importlib.metadata.version("icalendar"), tzid, first.isoformat(), last.isoformat(), rules)
    found = cache.get(key)
    if isinstance(found, str):
        return found.encode("utf-8")
    made = _vtimezone_bytes(tzid, first, last)
    cache.put(key, made.decode("utf-8"))
    return made


@lru_cache(maxsize=8)
def _zone_rules_digest(tzid: str) -> str | None:
    """The digest of the TZif file zoneinfo reads for ``tzid`` (the system's, else the tzdata package's); None if not found."""
    for root in zoneinfo.TZPATH:
        path = Path(root, tzid)
        if path.is_file():
            return hashlib.sha256(path.read_bytes()).hexdigest()
    try:
        return hashlib.sha256(importlib.resources.files("tzdata.zoneinfo").joinpath(*tzid.split("/")).read_bytes()).hexdigest()
    except (ModuleNotFoundError, OSError, ValueError):
        return None


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
    event.add("description", _description_text(_description_of(page, session, url), page.context.conversions.plain_text))
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


def _description_of(page: Page, session: SessionView, url: str) -> _Description:
    """Plain text once written (:func:`_description_text`): summary, body (Markdown read as text:
    eventsite/plaintext.py), people, and the page URL.

    The URL is repeated here because several calendar apps ignore ``URL``.
    """
    summary = session.summary
    after = []
    for label, people in ((page.gettext("Speakers"), session.speakers), (page.gettext("Moderators"), session.moderators)):
        if people:
            after.append(f"{label}: " + ", ".join(person.name.value for person in people))
    for link in session.links:  # livestream, recording, slides: the addresses, as calendars show text
        after.append(f"{link.label}: " + (urljoin(url, link.url) if link.is_file else link.url))
    after.append(url)
    return _Description(summary.value if summary else "", body_markdown(page, session).value, tuple(after))


def _description_text(description: _Description, plain_text: Callable[[str], str]) -> str:
    body = plain_text(description.body)
    return "\n\n".join(part for part in (description.summary, body, *description.after) if part)
