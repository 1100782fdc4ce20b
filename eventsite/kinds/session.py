"""Sessions: the programme's items — ``content/sessions/<id>.md``.

A session has a time in the event's zone, a room from site.yaml, speakers
and moderators (people) and the countries taking part. This kind gives the
site its programme page and days, a page and a calendar file per session,
the whole-programme calendar and the schedule files apps read
(eventsite/formats/), and the lists of sessions on person, country and
exhibit pages.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Iterable

from babel.dates import get_timezone_gmt
from pydantic import Field

from ..agenda import Grid, room_grid
from ..config import SiteConfig
from ..entries import Entry, Room, Site, Track
from ..errors import Problem
from ..fields import Country, Id, Line, LocalTime, Strict
from ..ids import entry_guid
from ..routes import PageKind, entry_keys, entry_lookup, single
from ..structured import EventParts, breadcrumbs, clean, event, event_id, organizer, place, text
from ..views import CountryView, EntryView, RoomView, ShareText, Shown, SiteView, TrackView
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

    @cached_property
    def speakers(self) -> list[PersonView]:
        return [PersonView(person, self._page) for person in self._entry.speakers]

    @cached_property
    def moderators(self) -> list[PersonView]:
        return [PersonView(person, self._page) for person in self._entry.moderators]

    @property
    def countries(self) -> list[CountryView]:
        return [CountryView(code, self._page) for code in self._entry.countries]


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

    @cached_property
    def grid(self) -> Grid[SessionView] | None:
        """The room-by-time grid, for days with parallel sessions."""
        placed = [(view, view.room.id, view.start, view.end) for view in self.sessions if view.room]
        return room_grid(placed, list(self.page.site.rooms))

    def room_name(self, room_id: str) -> Shown:
        return RoomView(room_id, self.page.site.rooms[room_id].name, self.page).name

    def time(self, moment: dt.datetime) -> str:
        return self.page.formatter.time(moment)


def _site_sessions(site: SiteView) -> list[SessionView]:
    page = site.page
    return [SessionView(session, page) for session in page.collection("session")]


def _site_days(site: SiteView) -> list[DayView]:
    page = site.page
    by_id = {view.id: view for view in site.sessions}
    return [DayView(day.date, [by_id[session.id] for session in day.sessions], page) for day in page.collection("days")]


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
            "location": place(site, text(session.room.name) if session.room else None),
            "organizer": organizer(site),
            "performer": [person_node(page, person) for person in session.speakers],
            "inLanguage": session.lang,
            "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
            "eventStatus": "https://schema.org/EventScheduled",
            "url": url,
            "identifier": session.guid,
        }
    )


def _event_parts(page: "Page", site: SiteView) -> EventParts:
    sessions = site.sessions
    return EventParts(
        [session_node(page, site, session) for session in sessions],
        sessions[0].start if sessions else None,
        max(session.end for session in sessions) if sessions else None,
    )


def _session_page_nodes(page: "Page", site: SiteView, session: SessionView) -> list[dict]:
    node = session_node(page, site, session)
    node["superEvent"] = event_id(page)
    trail = [(page.gettext("Programme"), page.links.route_url("schedule")), (str(session.title), page.route.url)]
    return [node, breadcrumbs(page, trail)]


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
    ),
    indexes=(
        Index("sessions_by_person", lambda session, site: [person.id for person in (*session.speakers, *session.moderators)]),
        Index("sessions_by_country", lambda session, site: session.countries),
        Index("sessions_by_exhibit", _linked_exhibits),  # sessions whose text links to the exhibit
    ),
    related=(
        Related("person", "sessions", "sessions_by_person"),
        Related("country", "sessions", "sessions_by_country"),
        Related("exhibit", "related_sessions", "sessions_by_exhibit"),
    ),
    lists={"days": _days},
    pages=(
        PageKind("schedule", "html", "schedule.html", lambda key: "/schedule/", single, json_ld=event),
        PageKind(
            "session", "html", "session.html", lambda key: f"/sessions/{key}/", entry_keys("session"),
            entry=entry_lookup("session"), json_ld=_session_page_nodes, share_card=_share_card,
        ),
    ),
    feeds=(
        # Calendars and schedule exchange files (eventsite/formats/).
        PageKind("schedule-ics", "ics", None, lambda key: "/schedule.ics", single),
        PageKind(
            "session-ics", "ics", None, lambda key: f"/sessions/{key}.ics", entry_keys("session"),
            entry=entry_lookup("session"),
        ),
        PageKind("schedule-xml", "frab-xml", None, lambda key: "/schedule.xml", single, per_language=False),
        PageKind("schedule-json", "c3voc-json", None, lambda key: "/schedule.json", single, per_language=False),
        # The session pages' share cards (eventsite/og.py): drawn for published builds only.
        PageKind(
            "session-card", "og-png", None, lambda key: f"/sessions/{key}/og.png", entry_keys("session"),
            entry=entry_lookup("session"), listed=False, published_only=True,
        ),
    ),
    item_page="session",
    listing=Listing("schedule", "schedule", _("Programme")),
    search=SearchGroup(_("Sessions"), "sessions"),
    site_members={"sessions": _site_sessions, "days": _site_days, "kinds": _site_kinds, "session_tracks": _site_tracks},
    checks=_checks,
    site_checks=_site_checks,
    placeholders=lambda config, item_id, today: {
        "start": f"{config.dates.start.isoformat()} 09:00",
        "end": f"{config.dates.start.isoformat()} 10:00",
    },
    reserved_ids=frozenset({"schedule", "sessions"}),
    event_parts=_event_parts,
)
