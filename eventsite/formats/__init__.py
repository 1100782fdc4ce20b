"""Output formats besides HTML: calendars, schedule exchange files, news feed.

Each module here exposes ``render(page) -> bytes`` and is registered in
``render.OUTPUT_FORMATS``; ``routes.PAGE_KINDS`` says where its files go.

This package module holds what several formats share, so that
``schedule.xml``, ``schedule.json`` and the ``.ics`` files cannot disagree
about GUIDs, numbers, rooms, days or instants:

- all arithmetic on times is done in UTC (Python subtracts two aware
  datetimes of the *same* zone as wall-clock times, which is wrong across a
  DST switch);
- identifiers are UUIDv5 of ``base_url`` + a path (eventsite/ids.py), so
  they survive rebuilds and are the same in every language;
- nothing depends on the build clock (reproducible output).

Schedule days follow the HTML programme (``Site.days``): a session belongs to
the local calendar day it starts on, and a day runs from local midnight to
the next local midnight (23 or 25 hours on a DST switch). frab's usual 04:00
day change is not used, so the apps show the same days as the website; a
session may run past its day's end, which the frab format permits.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import re
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Iterable
from urllib.parse import urljoin, urlsplit
from zoneinfo import ZoneInfo

from ..entries import Site, Text
from ..fragments import keep
from ..ids import entry_guid, room_guid, stable_numbers
from ..kinds.session import SessionView
from ..page import Page
from ..views import EntryView, SiteView

UTC = dt.timezone.utc


# --- time ------------------------------------------------------------------------


def utc(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(UTC)


def minutes_between(start: dt.datetime, end: dt.datetime) -> int:
    """Elapsed minutes (not wall-clock minutes: a DST switch counts)."""
    return int((utc(end) - utc(start)).total_seconds() // 60)


def hours_minutes(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def local_midnight(day: dt.date, zone: ZoneInfo) -> dt.datetime:
    """The first instant of ``day`` in ``zone`` (normalized if midnight falls in a DST gap)."""
    return dt.datetime.combine(day, dt.time(0), tzinfo=zone).astimezone(UTC).astimezone(zone)


def event_dates(site: Site) -> list[dt.date]:
    start, end = site.config.dates.start, site.config.dates.end
    return [start + dt.timedelta(days=offset) for offset in range((end - start).days + 1)]


def content_stamp(site: Site) -> dt.datetime:
    """A fixed 'generated at' instant derived from content, never the build clock."""
    return dt.datetime.combine(site.config.dates.start, dt.time(0), tzinfo=UTC)


def xml_document(root: ET.Element) -> bytes:
    """Indented UTF-8 XML with the conventional double-quoted declaration."""
    ET.indent(root)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode").encode("utf-8") + b"\n"


def xml_text(parent: ET.Element, tag: str, text: str, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attributes)
    element.text = text
    return element


# --- identifiers -----------------------------------------------------------------


def person_guid(site: Site, person_id: str) -> str:
    return entry_guid(site, "people", person_id)


def host_of(site: Site) -> str:
    return urlsplit(site.config.base_url).hostname or "localhost"


def acronym_of(site: Site) -> str:
    """A conference acronym both schemas accept: [a-z0-9_], at least 4 characters.

    From the last segment of base_url's path, else the default-language title,
    else the host name; short ones get the event's year appended.
    """
    parsed = urlsplit(site.config.base_url)
    segments = [part for part in parsed.path.split("/") if part]
    candidates = [
        segments[-1] if segments else "",
        site.title.get(site.chain(site.default_language)).value,
        (parsed.hostname or "").removeprefix("www.").split(".")[0],
    ]
    for candidate in candidates:
        ascii_text = unicodedata.normalize("NFKD", candidate).encode("ascii", "ignore").decode()
        slug = re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")
        if slug:
            return slug if len(slug) >= 4 else f"{slug}{site.config.dates.start.year}"
    return f"event{site.config.dates.start.year}"


# --- text ------------------------------------------------------------------------


def plain_body(page: Page, view: EntryView) -> Text:
    """The body as plain text (eventsite/plaintext.py): calendars and schedule apps show text as typed.

    Site-relative link targets (``](/about/)``) mean nothing in a calendar or
    an app, so they become absolute URLs of the pages in this language first.
    """
    text = body_markdown(page, view)
    return Text(page.context.conversions.plain_text(text.value), text.lang)


def body_markdown(page: Page, view: EntryView) -> Text:
    """The body's Markdown with its site-relative link targets made absolute (what :func:`plain_body` converts)."""
    text = view.body_source
    value = text.value.strip()
    # Without a "]:" there is no reference definition, and the inline pattern alone is ten times faster.
    pattern = _SITE_LINK if "]:" in value else _INLINE_SITE_LINK
    return Text(pattern.sub(lambda match: match[1] + absolute_target(page, match[2]), value), text.lang)


# An inline link/image target or a reference definition that starts with one '/'.
_SITE_LINK = re.compile(r"(\]\(\s*|^[ ]{0,3}\[[^\]]+\]:[ \t]*)(/(?!/)[^)\s]*)", re.MULTILINE)
_INLINE_SITE_LINK = re.compile(r"(\]\(\s*)(/(?!/)[^)\s]*)")


def absolute_target(page: Page, target: str) -> str:
    """``/about/`` → the absolute URL of this language's page, as the HTML links it.

    Kept per page: a programme calendar resolves the same targets in hundreds
    of bodies (what the answer depends on is recorded again at each use inside a kept fragment).
    """
    return page.recorder.memo(page.absolute_targets, target, lambda: _absolute_target(page, target))


def _absolute_target(page: Page, target: str) -> str:
    resolved = page.links.resolve(target, page.recorder)
    return urljoin(page.links.absolute(page.route.url), resolved) if resolved is not None else page.links.absolute(target)


def venue_name(site: SiteView) -> Text | None:
    venue = site.venue
    return venue["name"] if venue is not None else None


# --- the programme, as schedule.xml and schedule.json both describe it -------------


@dataclass(frozen=True)
class ScheduleRoom:
    name: str
    guid: str
    id: str | None  # None for the venue pseudo-room


@dataclass(frozen=True)
class SchedulePerson:
    id: str
    number: int
    guid: str
    name: str
    role: str  # "SPEAKER" or "MODERATOR" (the vocabulary of C3VOC schedule v2)
    url: str


@dataclass(frozen=True)
class ScheduleLink:
    url: str  # absolute
    title: str
    type: str  # C3VOC's Reference type: media (stream, recording), slides, paper (other documents)
    is_file: bool  # a file of the site (frab <attachments>), else a link (frab <links>)


@dataclass(frozen=True)
class ScheduleTrack:
    slug: str  # the track's id; for a session without a track, its kind's
    name: str
    color: str | None  # #rrggbb; kinds have none


@dataclass(frozen=True)
class ScheduleEvent:
    session: SessionView
    guid: str
    number: int
    slug: str
    url: str
    room: ScheduleRoom
    title: Text
    abstract: str
    description: str
    track: str  # the session's track name; without one, the localized kind label
    type: str  # the kind id
    persons: tuple[SchedulePerson, ...]
    subtitle: str = ""  # the status when it is not 'scheduled' (neither format has a field for it)
    links: tuple[ScheduleLink, ...] = ()

    @property
    def start(self) -> dt.datetime:
        return self.session.start

    @property
    def end(self) -> dt.datetime:
        return self.session.end

    @property
    def duration(self) -> str:
        return hours_minutes(minutes_between(self.start, self.end))


@dataclass(frozen=True)
class ScheduleDay:
    index: int  # from 1
    date: dt.date
    start: dt.datetime
    end: dt.datetime
    events: tuple[ScheduleEvent, ...]

    def rooms(self, all_rooms: Iterable[ScheduleRoom]) -> list[tuple[ScheduleRoom, list[ScheduleEvent]]]:
        """Every room of the programme, each with its events of this day."""
        return [(room, [event for event in self.events if event.room == room]) for room in all_rooms]


@dataclass(frozen=True)
class Schedule:
    title: str
    acronym: str
    start: dt.date
    end: dt.date
    time_zone_name: str
    timeslot_duration: str
    base_url: str
    rooms: tuple[ScheduleRoom, ...]
    tracks: tuple[ScheduleTrack, ...]
    days: tuple[ScheduleDay, ...]
    version: str

    @property
    def events(self) -> list[ScheduleEvent]:
        return [event for day in self.days for event in day.events]


def schedule_of(page: Page) -> Schedule:
    """The whole programme in the page's language (the default one for the feeds), from the same views as the pages.

    Made once for schedule.xml and schedule.json (rendered together: their kinds' ``rendered_with``). What it
    holds depends only on the page's language and folder: links in bodies are made absolute from there.
    """
    folder = page.route.url.rsplit("/", 1)[0]
    return page.context.shared_values.get(page, ("schedule", page.lang, folder), lambda: _schedule_of(page))


def _schedule_of(page: Page) -> Schedule:
    site = page.site
    site_view = SiteView(page)
    acronym = acronym_of(site)
    sessions = site_view.sessions  # recorded: the feeds list every session
    numbers = stable_numbers((session.id for session in sessions), "sessions")
    person_numbers = stable_numbers((person.id for person in page.collection("person")), "people")
    venue = venue_name(site_view)
    pseudo_room = ScheduleRoom((venue or site_view.title).value, room_guid(site, None), None)
    rooms = {room.id: ScheduleRoom(room.name.value, room_guid(site, room.id), room.id) for room in site_view.rooms}

    def persons_of(session: SessionView) -> tuple[SchedulePerson, ...]:
        found: dict[str, SchedulePerson] = {}
        for role, people in (("SPEAKER", session.speakers), ("MODERATOR", session.moderators)):
            for person in people:
                if person.id not in found:  # one entry per person; the first role wins
                    found[person.id] = SchedulePerson(
                        person.id, person_numbers[person.id], person_guid(site, person.id),
                        person.name.value, role, person.absolute_url,
                    )
        return tuple(found.values())

    def track_of(session: SessionView) -> ScheduleTrack:
        # Apps group and colour events by track: a session without one is grouped by its kind, as before tracks.
        track = session.track
        if track is None:
            slug = session.kind_id if session.kind_id not in site.tracks else f"type-{session.kind_id}"  # two slugs, two names
            return ScheduleTrack(slug, session.kind_label, None)
        return ScheduleTrack(track.id, track.name.value, track.color)

    def event_of(session: SessionView) -> ScheduleEvent:
        summary = session.summary
        return ScheduleEvent(
            session=session,
            guid=session.guid,
            number=numbers[session.id],
            slug=f"{acronym}-{numbers[session.id]}-{session.id}",
            url=session.absolute_url,
            room=rooms[session.room.id] if session.room else pseudo_room,
            title=session.title or Text(session.id, site.default_language),  # type: ignore[arg-type]
            abstract=summary.value if summary else "",
            description=_kept_description(page, session),
            track=tracks[session.id].name,
            type=session.kind_id,
            persons=persons_of(session),
            subtitle=session.status_label or "",
            links=tuple(links_of(session)),
        )

    def links_of(session: SessionView) -> Iterable[ScheduleLink]:
        for link in session.links:
            url = urljoin(session.absolute_url, link.url) if link.is_file else link.url
            kind = {"stream": "media", "recording": "media", "slides": "slides"}.get(link.kind, "paper")
            yield ScheduleLink(url, link.label, kind, link.is_file)

    tracks = {session.id: track_of(session) for session in sessions}
    events = [event_of(session) for session in sessions]
    by_date: dict[dt.date, list[ScheduleEvent]] = {}
    for event in events:
        by_date.setdefault(event.start.date(), []).append(event)
    days = tuple(
        ScheduleDay(index, day, local_midnight(day, site.timezone), local_midnight(day + dt.timedelta(days=1), site.timezone), tuple(by_date.get(day, ())))
        for index, day in enumerate(event_dates(site), start=1)
    )
    used = {event.room for event in events}
    ordered_rooms = tuple(room for room in (*rooms.values(), pseudo_room) if room in used)
    # site.yaml's tracks in its order, then the kinds standing in for a track, in order of first use.
    track_order = {track_id: index for index, track_id in enumerate(site.tracks)}
    first_use = list(dict.fromkeys(tracks[event.session.id] for event in events))
    used_tracks = tuple(sorted(first_use, key=lambda track: (track.color is None, track_order.get(track.slug, 0))))
    return Schedule(
        title=site_view.title.value,
        acronym=acronym,
        start=site.config.dates.start,
        end=site.config.dates.end,
        time_zone_name=site.timezone.key,
        timeslot_duration=hours_minutes(_timeslot_minutes(events)),
        base_url=site.config.base_url,
        rooms=ordered_rooms,
        tracks=used_tracks,
        days=days,
        version=_version(events),
    )


def _kept_description(page: Page, session: SessionView) -> str:
    """The body as plain text, kept between builds with what it read (eventsite/fragments.py): converting
    300 bodies, each from its own cache file, was half of making the schedule again after an item moved."""
    return keep(page, ("description", session.id), lambda: plain_body(page, session).value, (session,))


def _timeslot_minutes(events: list[ScheduleEvent]) -> int:
    """The coarsest grid (a divisor of 60) that every start and length fits."""
    grid = 60
    for event in events:
        grid = math.gcd(grid, event.start.hour * 60 + event.start.minute, minutes_between(event.start, event.end))
    return grid or 1


def _version(events: list[ScheduleEvent]) -> str:
    """Changes exactly when the published programme does (apps show it to users)."""
    data = [
        [e.guid, utc(e.start).isoformat(), utc(e.end).isoformat(), e.room.name, e.title.value, e.abstract, e.description,
         [p.name for p in e.persons], e.subtitle, [link.url for link in e.links]]
        for e in events
    ]
    return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode()).hexdigest()[:12]
