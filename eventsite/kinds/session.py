"""Sessions: the programme's items — ``content/sessions/<id>.md``.

A session has a time in the event's zone, a room from site.yaml, speakers
and moderators (people) and the countries taking part. This kind gives the
site its programme page and days, a page and a calendar file per session,
the whole-programme calendar and the schedule files apps read
(eventsite/formats/), the lists of sessions on person, country and
exhibit pages, and the printed room signs: a page per room and day that
lists the sessions held there, each with a QR code of its page.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable

from babel.dates import get_timezone_gmt
from pydantic import Field

from ..agenda import Grid, room_grid
from ..config import SiteConfig
from ..entries import Entry, Localized, Room, Site, Track
from ..errors import Problem
from ..fragments import keep
from ..fields import Attachment, Attendance, Country, Id, Line, LocalTime, Resource, Status, Strict, Url
from ..lifecycle import (
    ATTENDANCE_LABELS, LINK_LABELS, SCHEMA_ATTENDANCE, SCHEMA_STATUS, STATUS_LABELS, attendance_of, is_off,
)
from ..ids import entry_guid
from ..qr import cached_svg_data_uri
from ..routes import PageKind, entry_keys, entry_lookup, single
from ..structured import EventParts, JSONRun, JSONText, breadcrumbs, clean, event, event_id, organizer, place, serialized, text
from ..timeline import Change, Stamp
from ..views import CountryView, EntryView, RoomView, ShareText, Shown, SiteView, TrackView, listing_card, localized, recorded_property, shown
from .base import ContentKind, Index, Listing, Reference, Related, SearchGroup, TitledTranslation, _
from .person import Person, PersonView, person_node

if TYPE_CHECKING:
    from ..model import ModelContext, Source
    from ..page import Page


class SessionKind(str, enum.Enum):
    roundtable = "roundtable"
    plenary = "plenary"
    ceremony = "ceremony"
    bilateral = "bilateral"
    exhibition = "exhibition"
    briefing = "briefing"
    workshop = "workshop"
    meal = "meal"
    break_ = "break"
    reception = "reception"
    other = "other"


# The translatable label of each session kind (translated at render time).
KIND_LABELS = {
    "roundtable": _("Roundtable"),
    "plenary": _("Plenary"),
    "ceremony": _("Ceremony"),
    "bilateral": _("Bilateral meeting"),
    "exhibition": _("Exhibition"),
    "briefing": _("Briefing"),
    "workshop": _("Workshop"),
    "meal": _("Meal"),
    "break": _("Break"),
    "reception": _("Reception"),
    "other": _("Other"),
}


class SessionMeta(Strict):
    """A programme item: content/sessions/<id>.md."""

    title: Line = Field(description="the session's title")
    start: LocalTime = Field(description="local start time in the event's zone, 'YYYY-MM-DD HH:MM'")
    end: LocalTime = Field(description="local end time, after start, 'YYYY-MM-DD HH:MM'")
    kind: SessionKind = Field(SessionKind.other, description="what kind of programme item this is")
    room: Id | None = Field(None, description="a room id from site.yaml rooms")
    track: Id | None = Field(None, description="a track id from site.yaml tracks")
    speakers: list[Id] = Field(default_factory=list, description="people ids (files in people/)")
    moderators: list[Id] = Field(default_factory=list, description="people ids (files in people/)")
    countries: list[Country] = Field(default_factory=list, description="alpha-2 codes of the countries taking part")
    summary: Line | None = Field(None, description="one sentence shown in listings")
    status: Status = Field(
        Status.scheduled, description="scheduled, cancelled, postponed, rescheduled or moved-online; a cancelled session stays listed"
    )
    previous_start: LocalTime | None = Field(
        None, description="the start it was announced with, for a moved session: 'YYYY-MM-DD HH:MM' (shown, and JSON-LD previousStartDate)"
    )
    attendance: Attendance | None = Field(None, description="in-person, online or hybrid; the event's when not given")
    stream: Url | None = Field(None, description="where to watch it live")
    recording: Resource | None = Field(None, description="the recording: a URL or a file below media/")
    slides: Resource | None = Field(None, description="the slides: a file below media/ or a URL")
    attachments: list[Attachment] = Field(default_factory=list, description="other documents: [{title: …, file: …}]")


@dataclass(frozen=True, eq=False)
class Session(Entry[SessionMeta]):
    start: dt.datetime = None  # type: ignore[assignment]  # aware, in the event's zone
    end: dt.datetime = None  # type: ignore[assignment]
    room: Room | None = None
    track: Track | None = None
    speakers: tuple[Person, ...] = ()
    moderators: tuple[Person, ...] = ()

    @property
    def countries(self) -> list[str]:
        return self.meta.countries

    @property
    def session_kind(self) -> str:
        return self.meta.kind.value


@dataclass(frozen=True)
class Day:
    """A day of the programme: the sessions that start on it (local time)."""

    date: dt.date
    sessions: tuple[Session, ...]

    @property
    def fact_id(self) -> tuple:
        return (self.date, tuple(session.id for session in self.sessions))


@dataclass(frozen=True)
class Sign:
    """A room's printed sign for one day: the sessions that start there that day (local time)."""

    room: Room
    date: dt.date
    sessions: tuple[Session, ...]

    @property
    def key(self) -> str:
        return sign_key(self.room.id, self.date)

    @property
    def fact_id(self) -> tuple:
        return (self.key, tuple(session.id for session in self.sessions))


def sign_key(room_id: str, date: dt.date) -> str:
    """The key (and the URL below /signs/) of a room's sign for a day: 'roundtable-hall/2019-11-26'."""
    return f"{room_id}/{date.isoformat()}"


def session_guid(site: Site, session_id: str) -> str:
    """Stable across builds and languages (eventsite/ids.py)."""
    return entry_guid(site, "sessions", session_id)


# --- the model ------------------------------------------------------------------------


def _build(context: "ModelContext", source: "Source") -> Session:
    meta: SessionMeta = source.meta
    speakers = tuple(person for person in map(_person(context), meta.speakers) if person is not None)
    moderators = tuple(person for person in map(_person(context), meta.moderators) if person is not None)
    zone = context.zone
    return context.make(
        source, Session, (context.rooms, context.tracks, *speakers, None, *moderators),
        start=meta.start.replace(tzinfo=zone),
        end=meta.end.replace(tzinfo=zone),
        room=context.rooms.get(meta.room) if meta.room else None,
        track=context.tracks.get(meta.track) if meta.track else None,
        speakers=speakers,
        moderators=moderators,
    )


def _person(context: "ModelContext"):  # noqa: ANN202
    return lambda person_id: context.get("person", person_id)


def _checks(config: SiteConfig, source: "Source") -> Iterable[Problem]:
    meta: SessionMeta = source.meta
    document = source.document
    # Naive here: aware datetimes of one zone compare exactly like their naive local times.
    if meta.end <= meta.start:
        line, column = document.meta.locate(("end",))
        yield Problem(document.display, line, f"end {meta.end:%H:%M} is not after start {meta.start:%H:%M}", column)
    dates = config.dates
    if meta.start.date() < dates.start or meta.end.date() > dates.end:
        where = ("start",) if meta.start.date() < dates.start or meta.start.date() > dates.end else ("end",)
        line, column = document.meta.locate(where)
        yield Problem(document.display, line, f"session is outside the event's dates ({dates.start} to {dates.end})", column)


def _room_overlaps(site: Site) -> list[Problem]:
    warnings = []
    by_room: dict[str, list[Session]] = defaultdict(list)
    for session in _sessions(site):
        if session.room:
            by_room[session.room.id].append(session)
    for room_sessions in by_room.values():
        latest: Session | None = None
        for session in room_sessions:  # already sorted by start
            if latest is not None and session.start < latest.end:
                line, column = session.document.meta.locate(("start",))
                message = f"overlaps {latest.id} in room {session.room.id}"  # type: ignore[union-attr]
                warnings.append(Problem(session.document.display, line, message, column, severity="warning"))
            if latest is None or session.end > latest.end:
                latest = session
    return warnings


def _site_checks(site: Site) -> list[Problem]:
    """Room overlaps, and people who take part in no session (a typo in an id, or a file left behind)."""
    warnings = _room_overlaps(site)
    taking_part = site.index("sessions_by_person")
    for person in site.items("person"):
        if person.id not in taking_part:
            message = "person is not a speaker or moderator of any session"
            warnings.append(Problem(person.document.display, 0, message, severity="warning"))
    return warnings


def _sessions(site: Site) -> tuple[Session, ...]:
    return site.items("session")  # type: ignore[return-value]


def _days(site: Site) -> tuple[Day, ...]:
    by_date: dict[dt.date, list[Session]] = defaultdict(list)
    for session in _sessions(site):
        by_date[session.start.date()].append(session)
    return tuple(Day(date, tuple(by_date[date])) for date in sorted(by_date))


def _signs(site: Site) -> tuple[Sign, ...]:
    """Every room's sign for every day it is used, by day, then in site.yaml's order of rooms."""
    by_key: dict[tuple[dt.date, int], list[Session]] = defaultdict(list)
    order = {room_id: position for position, room_id in enumerate(site.rooms)}
    for session in _sessions(site):
        if session.room is not None:
            by_key[(session.start.date(), order[session.room.id])].append(session)
    rooms = list(site.rooms.values())
    return tuple(Sign(rooms[position], date, tuple(by_key[(date, position)])) for date, position in sorted(by_key))


def _room_day(session: Session, site: Site) -> list[str]:
    """The sign a session is listed on (none without a room)."""
    return [sign_key(session.room.id, session.start.date())] if session.room is not None else []


def _linked_exhibits(session: Session, site: Site) -> list[str]:
    """Ids of the exhibits a session's body links to, in any of its languages (first mention first)."""
    return [exhibit_id for exhibit_id in session.links_into("exhibits") if site.get("exhibit", exhibit_id) is not None]


# --- what pages see ---------------------------------------------------------------------


class SessionView(EntryView[Session]):
    @property
    def start(self) -> dt.datetime:
        return self._entry.start

    @property
    def end(self) -> dt.datetime:
        return self._entry.end

    @property
    def guid(self) -> str:
        return session_guid(self._page.site, self.id)

    @property
    def day(self) -> str:
        return self._page.formatter.day(self._entry.start.date())

    @property
    def time_range(self) -> str:
        return self._page.formatter.time_range(self._entry.start, self._entry.end)

    @property
    def zone(self) -> str:
        return self._page.formatter.zone_name(self._entry.start)

    @property
    def kind_id(self) -> str:
        return self._entry.session_kind

    @property
    def kind_label(self) -> str:
        return self._page.gettext(KIND_LABELS[self._entry.session_kind])

    @property
    def room(self) -> RoomView | None:
        return RoomView(self._entry.room.id, self._entry.room.name, self._page) if self._entry.room else None

    @property
    def track(self) -> TrackView | None:
        return TrackView(self._entry.track, self._page) if self._entry.track else None

    @recorded_property
    def speakers(self) -> list[PersonView]:
        return [PersonView(person, self._page) for person in self._entry.speakers]

    @recorded_property
    def moderators(self) -> list[PersonView]:
        return [PersonView(person, self._page) for person in self._entry.moderators]

    @property
    def countries(self) -> list[CountryView]:
        return [CountryView(code, self._page) for code in self._entry.countries]

    # --- its life: status, attendance, links ---------------------------------------------

    @property
    def status(self) -> Status:
        return self._entry.meta.status

    @property
    def status_id(self) -> str:
        return self.status.value

    @property
    def status_label(self) -> str | None:
        """Shown beside the title unless the session simply takes place as announced."""
        status = self.status
        return None if status is Status.scheduled else self._page.gettext(STATUS_LABELS[status])

    @property
    def is_off(self) -> bool:
        return is_off(self.status)

    @property
    def previous_start(self) -> dt.datetime | None:
        previous = self._entry.meta.previous_start
        return previous.replace(tzinfo=self._entry.start.tzinfo) if previous else None

    @property
    def previous_time(self) -> str | None:
        """'25 November, 14:00', when the session was announced for another time."""
        previous = self.previous_start
        if previous is None:
            return None
        formatter = self._page.formatter
        return f"{formatter.day(previous.date())}, {formatter.time(previous)}"

    @recorded_property
    def revision(self) -> Stamp:
        """SEQUENCE, DTSTAMP and the published changes, from git history (eventsite/timeline.py)."""
        page = self._page
        page.recorder.record_fact("history")
        since = page.site.config.changes.since
        return page.site.history.stamp(KIND.folder, self.id, self._entry.document.meta.data, since=since)

    @property
    def updated(self) -> str | None:
        """'25 November 2019' while a change is recent (site.yaml changes.marker_days before the last commit)."""
        revision = self.revision
        history = self._page.site.history
        if not revision.changes or revision.changed is None or history.head_time is None:
            return None
        window = dt.timedelta(days=self._page.site.config.changes.marker_days)
        if history.head_time - revision.changed > window:
            return None
        return self._page.formatter.day(revision.changed.astimezone(self._page.site.timezone).date())

    @property
    def stream(self) -> str | None:
        return self._entry.meta.stream

    @property
    def attendance(self) -> Attendance:
        return attendance_of(self.status, self._entry.meta.attendance, self._page.site.config.attendance)

    @property
    def attendance_label(self) -> str | None:
        """Said only when it is not the event's own (an online session at an in-person forum)."""
        attendance = self.attendance
        return None if attendance is self._page.site.config.attendance else self._page.gettext(ATTENDANCE_LABELS[attendance])

    @recorded_property
    def links(self) -> list["SessionLink"]:
        """Livestream, recording, slides and attachments, each with its label in the page's language."""
        meta = self._entry.meta
        found = [
            SessionLink(kind, self._page.gettext(LINK_LABELS[kind]), self._resource_url(target), None)
            for kind, target in (("stream", meta.stream), ("recording", meta.recording), ("slides", meta.slides))
            if target
        ]
        for attachment in meta.attachments:
            title = localized(self._page, Localized.of(attachment.title, self._page.site.default_language))
            found.append(SessionLink("attachment", str(title), self._resource_url(attachment.file), title))
        return found

    def _resource_url(self, target: str) -> str:
        return target if "://" in target else self._page.links.media(target)


@dataclass(frozen=True)
class SessionLink:
    kind: str  # stream, recording, slides, attachment
    label: str  # in the page's language
    url: str
    title: Shown | None = None  # an attachment's own title (marked with its language when it falls back)

    @property
    def is_file(self) -> bool:
        return "://" not in self.url


@dataclass(frozen=True)
class DayView:
    date: dt.date
    sessions: list[SessionView]
    page: "Page"

    @property
    def label(self) -> str:
        return self.page.formatter.day(self.date)

    @property
    def anchor(self) -> str:
        return f"day-{self.date.isoformat()}"

    @recorded_property
    def grid(self) -> Grid[SessionView] | None:
        """The room-by-time grid, for days with parallel sessions."""
        placed = [(view, view.room.id, view.start, view.end) for view in self.sessions if view.room]
        return room_grid(placed, list(self.page.site.rooms))

    def room_name(self, room_id: str) -> Shown:
        return RoomView(room_id, self.page.site.rooms[room_id].name, self.page).name

    def time(self, moment: dt.datetime) -> str:
        return self.page.formatter.time(moment)

    def fragment_key(self) -> tuple[tuple[str, ...], tuple[SessionView, ...]]:
        """As a kept part's argument (fragments.KeptGroup): the date and which items; what the items say is
        recorded by their views."""
        return ("day", self.date.isoformat(), *(view.id for view in self.sessions)), tuple(self.sessions)


# --- what changed -----------------------------------------------------------------------

# How the changes page names a change, by the first field that changed (fields in KIND.changes order).
CHANGE_LABELS = {
    "added": _("Added"),
    "start": _("Moved"),
    "end": _("Moved"),
    "room": _("Room changed"),
    "title": _("Renamed"),
    "status": _("Status changed"),
}
FIELD_LABELS = {"start": _("Start"), "end": _("End"), "room": _("Room"), "title": _("Title"), "status": _("Status")}


@dataclass(frozen=True)
class ChangeView:
    """One change of the programme as the changes page and its feed show it, in the page's language."""

    session: SessionView
    change: Change
    page: "Page"

    @property
    def item(self) -> SessionView:
        """The changed item, by the name the feeds use for any kind's items."""
        return self.session

    @property
    def time(self) -> dt.datetime:
        return self.change.time

    @property
    def date(self) -> str:
        return self.page.formatter.day(self.change.time.astimezone(self.page.site.timezone).date())

    @property
    def label(self) -> str:
        if self.change.before is None:
            key = "added"
        elif self.change.after.get("status") == Status.cancelled.value:
            return self.page.gettext(STATUS_LABELS[Status.cancelled])
        else:
            key = self.change.fields[0] if self.change.fields else "status"
        return self.page.gettext(CHANGE_LABELS[key])

    @property
    def rows(self) -> list[tuple[str, str, str]]:
        """(field, before, after) for each field that changed, as readers of this language see them."""
        return [
            (self.page.gettext(FIELD_LABELS[name]), self._shown(name, self.change.before.get(name, "")), self._shown(name, self.change.after[name]))
            for name in self.change.fields
        ] if self.change.before is not None else []

    def _shown(self, name: str, value: str) -> str:
        formatter = self.page.formatter
        if name == "status" and not value:
            value = Status.scheduled.value  # a file without `status` is scheduled
        if not value:
            return "—"
        if name in ("start", "end"):
            try:
                moment = dt.datetime.strptime(value.replace("T", " "), "%Y-%m-%d %H:%M").replace(tzinfo=self.page.site.timezone)
            except ValueError:
                return value
            return f"{formatter.day(moment.date())}, {formatter.time(moment)}"
        if name == "room":
            room = self.page.site.rooms.get(value)
            return str(RoomView(value, room.name, self.page).name) if room else value
        if name == "status":
            try:
                return self.page.gettext(STATUS_LABELS[Status(value)])
            except ValueError:
                return value
        return value


def _site_changes(site: SiteView) -> list[ChangeView]:
    """Every published change of the programme, newest first; the changes of one commit in programme order."""
    page = site.page
    found = [ChangeView(session, change, page) for session in site.sessions for change in session.revision.changes]
    return sorted(found, key=lambda view: -view.time.timestamp())  # stable: site.sessions is in programme order


def _site_sessions(site: SiteView) -> list[SessionView]:
    page = site.page
    return [SessionView(session, page) for session in page.collection("session")]


def _site_days(site: SiteView) -> list[DayView]:
    page = site.page
    by_id = {view.id: view for view in site.sessions}
    return [DayView(day.date, [by_id[session.id] for session in day.sessions], page) for day in page.collection("days")]


class SignLine:
    """A session on a room's sign: its title, in the event's default language too, and a QR code of its page."""

    def __init__(self, session: SessionView, page: "Page"):
        self.session = session
        self._page = page

    @property
    def also(self) -> Shown | None:
        """The title in the event's default language, when the page shows it in another: readable by every guest."""
        default = self._page.site.default_language
        title = self.session.title
        if title is None or title.lang == default:
            return None
        return shown(self._page, self.session.model.field("title", (default,)))

    @property
    def qr(self) -> str:
        """A QR code of the session's page in this language (absolute: it is read off paper)."""
        return cached_svg_data_uri(self.session.absolute_url, self._page.context.conversions.disk_cache)


class SignView:
    """A room's sign for one day, as a page in one language sees it."""

    def __init__(self, sign: Sign, page: "Page"):
        self._sign = sign
        self._page = page
        self.key = sign.key
        self.date = sign.date
        self.room = RoomView(sign.room.id, sign.room.name, page)

    @property
    def room_also(self) -> Shown | None:
        """The room's name in the default language, when the page shows another (guests follow the venue's signs)."""
        default = self._page.site.default_language
        if self.room.name.lang == default:
            return None
        return shown(self._page, self._sign.room.name.get((default,)))

    @property
    def label(self) -> str:
        return self._page.formatter.day(self.date)

    @property
    def url(self) -> str:
        return self._page.links.to("sign", self.key)

    @recorded_property
    def lines(self) -> list[SignLine]:
        return [SignLine(SessionView(session, self._page), self._page) for session in self._sign.sessions]


def _site_signs(site: SiteView) -> list[SignView]:
    page = site.page
    return [SignView(sign, page) for sign in page.collection("signs")]


def _site_sign(site: SiteView) -> SignView | None:
    return _sign_of(site.page)


def _sign_of(page: "Page") -> SignView | None:
    """The sign a sign page shows (its sessions read through the index: an edit elsewhere leaves it alone)."""
    route = page.route
    if route.kind.name != "sign" or route.key is None:
        return None
    room_id, _, day = route.key.partition("/")
    sessions = page.lookup("sessions_by_sign", route.key)
    return SignView(Sign(page.site.rooms[room_id], dt.date.fromisoformat(day), sessions), page)


def _site_tracks(site: SiteView) -> list[TrackView]:
    """The tracks the programme uses, in site.yaml's order (for the programme's filter)."""
    used = {session.track.id for session in site.page.collection("session") if session.track}
    return [track for track in site.tracks if track.id in used]


def _site_kinds(site: SiteView) -> list[tuple[str, str]]:
    """The kinds of session the programme has, with their labels (for the programme's filter)."""
    page = site.page
    used = dict.fromkeys(session.session_kind for session in page.collection("session"))
    return [(kind, page.gettext(KIND_LABELS[kind])) for kind in used]


# --- JSON-LD -------------------------------------------------------------------------------


def session_node(page: "Page", site: SiteView, session: SessionView) -> dict:
    url = session.absolute_url
    return clean(
        {
            "@type": "Event",
            "@id": url + "#event",
            "name": text(session.title),
            "description": text(session.summary),
            "startDate": session.start.isoformat(),
            "endDate": session.end.isoformat(),
            "location": _location(site, session),
            "organizer": organizer(site),
            "performer": [_performer(page, person) for person in session.speakers],
            "inLanguage": session.lang,
            "eventAttendanceMode": SCHEMA_ATTENDANCE[session.attendance],
            "eventStatus": SCHEMA_STATUS[session.status],
            "previousStartDate": session.previous_start.isoformat() if session.previous_start else None,
            "url": url,
            "identifier": session.guid,
            "recordedIn": _recorded_in(page, session),
        }
    )


def _performer(page: "Page", person: PersonView) -> dict:
    return page.recorder.memo(page.person_nodes, person.id, lambda: person_node(page, person))


def _location(site: SiteView, session: SessionView) -> dict | list | None:
    """The room at the venue, the stream, or both (schema.org: a Place and a VirtualLocation)."""
    physical = place(site, text(session.room.name) if session.room else None)
    stream = session.stream
    if session.attendance is Attendance.in_person or not stream:
        return physical
    virtual = {"@type": "VirtualLocation", "url": stream}
    if session.attendance is Attendance.online or physical is None:
        return virtual
    return [physical, virtual]


def _recorded_in(page: "Page", session: SessionView) -> dict | None:
    recording = next((link for link in session.links if link.kind == "recording"), None)
    if recording is None:
        return None
    return {"@type": "CreativeWork", "url": page.links.absolute(recording.url) if recording.is_file else recording.url}


def _kept_node(page: "Page", site: SiteView, session: SessionView) -> JSONText:
    """An item's node kept with what it read (eventsite/fragments.py), serialized: moving one item
    makes and serializes one node again."""
    return keep(page, ("json-ld", session.id), lambda: serialized(session_node(page, site, session)), (session,))


def _kept_day_nodes(page: "Page", site: SiteView, day: DayView) -> JSONRun:
    """A day's nodes kept as one part made of its items' kept nodes: moving one item makes its day's run
    again from the others' nodes, and takes every other day's run whole (600 parts were most of what
    rendering a home page again cost)."""
    key, views = day.fragment_key()
    return keep(page, ("json-ld", *key), lambda: JSONRun.of([_kept_node(page, site, session) for session in day.sessions]), views)


def _event_parts(page: "Page", site: SiteView) -> EventParts:
    sessions = site.sessions
    # The days hold every item once, in programme order (by start, so by date first).
    return EventParts(
        [_kept_day_nodes(page, site, day) for day in site.days],
        sessions[0].start if sessions else None,
        max(session.end for session in sessions) if sessions else None,
    )


def _session_page_nodes(page: "Page", site: SiteView, session: SessionView) -> list[dict]:
    node = session_node(page, site, session)
    node["superEvent"] = event_id(page)
    trail = [(page.gettext("Programme"), page.links.route_url("schedule")), (str(session.title), page.route.url)]
    return [node, breadcrumbs(page, trail)]


def _sign_card(page: "Page") -> ShareText:
    """A sign's share card: the room and the day (a sign is shared to say where to go)."""
    sign = _sign_of(page)
    assert sign is not None  # a sign route always has its sign
    return ShareText(sign.room.name, sign.label, None, over=Shown(page.gettext("Room signs"), page.lang, page.lang))


def _share_card(page: "Page") -> ShareText:
    session = SessionView(page.entry, page)  # type: ignore[arg-type]
    offset = get_timezone_gmt(session.start, width="long", locale=page.formatter.locale)  # "GMT+09:00": short, exact
    when = f"{session.day} · {session.time_range} ({offset})"
    return ShareText(session.title, when, session.room.name if session.room else None)


KIND = ContentKind(
    name="session",
    folder="sessions",
    meta=SessionMeta,
    translation=TitledTranslation,
    entry=Session,
    view=SessionView,
    build=_build,
    sort_key=lambda session: (session.start, session.end, session.id),
    references=(
        Reference("room", "room"),
        Reference("track", "track"),
        Reference("speakers", "person", many=True),
        Reference("moderators", "person", many=True),
        Reference("countries", "country", many=True),
        Reference("recording", "media"),
        Reference("slides", "media"),
        Reference("attachments", "media", many=True, key="file"),
    ),
    indexes=(
        Index("sessions_by_person", lambda session, site: [person.id for person in (*session.speakers, *session.moderators)]),
        Index("sessions_by_country", lambda session, site: session.countries),
        Index("sessions_by_exhibit", _linked_exhibits),  # sessions whose text links to the exhibit
        Index("sessions_by_sign", _room_day),  # a room's sessions of a day (the printed signs)
    ),
    related=(
        Related("person", "sessions", "sessions_by_person"),
        Related("country", "sessions", "sessions_by_country"),
        Related("exhibit", "related_sessions", "sessions_by_exhibit"),
    ),
    lists={"days": _days, "signs": _signs},
    pages=(
        PageKind(
            "schedule", "html", "schedule.html", lambda key: "/schedule/", single, json_ld=event,
            share_card=listing_card(_("Programme")), offline=True,
        ),
        PageKind("changes", "html", "changes.html", lambda key: "/schedule/changes/", single, offline=True, share_card=listing_card(_("Programme changes"))),
        PageKind(
            "session", "html", "session.html", lambda key: f"/sessions/{key}/", entry_keys("session"),
            entry=entry_lookup("session"), json_ld=_session_page_nodes, share_card=_share_card, offline=True,
        ),
        # Printed room signs (docs/content.md): for the venue's doors, not for search or crawlers.
        PageKind("signs", "html", "signs.html", lambda key: "/signs/", single, listed=False, share_card=listing_card(_("Room signs"))),
        PageKind(
            "sign", "html", "sign.html", lambda key: f"/signs/{key}/",
            lambda site: (sign.key for sign in site.collection("signs")), listed=False, share_card=_sign_card,
        ),
    ),
    feeds=(
        # Calendars and schedule exchange files (eventsite/formats/).
        PageKind("schedule-ics", "ics", None, lambda key: "/schedule.ics", single, offline=True),
        PageKind(
            "session-ics", "ics", None, lambda key: f"/sessions/{key}.ics", entry_keys("session"),
            entry=entry_lookup("session"), offline=True,
        ),
        PageKind("changes-atom", "changes-atom", None, lambda key: "/schedule/changes.xml", single),
        PageKind("schedule-xml", "frab-xml", None, lambda key: "/schedule.xml", single, per_language=False, rendered_with="schedule"),
        PageKind("schedule-json", "c3voc-json", None, lambda key: "/schedule.json", single, per_language=False, rendered_with="schedule"),
    ),
    item_page="session",
    listing=Listing("schedule", "schedule", _("Programme")),
    search=SearchGroup(_("Sessions"), "sessions"),
    site_members={
        "sessions": _site_sessions, "days": _site_days, "kinds": _site_kinds, "changes": _site_changes,
        "signs": _site_signs, "sign": _site_sign, "session_tracks": _site_tracks,
    },
    checks=_checks,
    site_checks=_site_checks,
    placeholders=lambda config, item_id, today: {
        "start": f"{config.dates.start.isoformat()} 09:00",
        "end": f"{config.dates.start.isoformat()} 10:00",
    },
    reserved_ids=frozenset({"schedule", "sessions", "signs"}),
    event_parts=_event_parts,
    changes=("start", "end", "room", "title", "status"),
)
