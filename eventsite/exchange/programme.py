"""The imported programme, neutral of where it came from, and the content files it becomes.

Every reader (a spreadsheet, a frab XML, a C3VOC JSON) makes a :class:`Programme`:
items with a title, times, a room, the people taking part and texts, each with
the :class:`Place` in the source it came from. :func:`plan_programme` turns it
into :class:`PlannedFile` s for the programme's kind and for people, resolving
rooms against site.yaml and speakers against ``people/`` by name, and giving
every item a stable id. This is the one module of the exchange package that
knows the fields of those kinds; the writer only sees fields and values.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence
from zoneinfo import ZoneInfo

from .. import paths
from ..config import SiteConfig
from ..errors import Problem, Severity, did_you_mean
from ..kinds import BY_NAME
from ..kinds.session import KIND_LABELS, SessionKind

ITEM_KIND = "session"  # the programme's items
PERSON_KIND = "person"
ITEM_FOLDER = BY_NAME[ITEM_KIND].folder
PERSON_FOLDER = BY_NAME[PERSON_KIND].folder
# The texts of an item a source may give in other languages (besides the body).
TRANSLATED_FIELDS = ("title", "summary")
# What spreadsheets call a programme item's title column, besides 'title' (eventsite/exchange/columns.py).
ITEM_TITLE_HEADERS = ("session", "session title", "session name")
BODY = "body"  # the Markdown body, wherever a field name is expected


@dataclass(frozen=True)
class Place:
    """Where a value is in the source: a file (or URL) and a line or row, and a column."""

    path: str
    line: int = 0
    column: int = 0

    def problem(self, message: str, severity: Severity = "error") -> Problem:
        return Problem(self.path, self.line, message, self.column, severity)


@dataclass(frozen=True)
class Link:
    url: str
    title: str


@dataclass(frozen=True)
class Speaker:
    """A person as the source names them."""

    key: str  # stable within the source: 'guid:…', 'id:…' or 'name:<normalized name>'
    name: str
    place: Place
    biography: str = ""


@dataclass(frozen=True)
class Item:
    """One programme item as the source gives it. ``fields`` says which values the source owns."""

    key: str  # stable within the source: 'guid:…', 'id:…' or 'title:<slug>'
    place: Place
    title: str
    start: dt.datetime  # aware, or naive in the site's zone
    end: dt.datetime
    fields: frozenset[str]
    id: str | None = None  # an id the source asks for (a spreadsheet's id column)
    room: str | None = None  # the room's name or id as the source writes it
    speakers: tuple[Speaker, ...] = ()
    moderators: tuple[Speaker, ...] = ()
    kind: str | None = None  # one of the kind's values
    countries: tuple[str, ...] = ()
    summary: str | None = None
    body: str | None = None
    translations: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # lang → field → text
    places: Mapping[str, Place] = field(default_factory=dict)  # field → where its value is

    def at(self, name: str) -> Place:
        return self.places.get(name, self.place)


@dataclass(frozen=True)
class Programme:
    source: str  # what it was read from (a file name or URL), for messages and the record
    items: tuple[Item, ...]
    adds_rooms: bool  # rooms site.yaml lacks are added (schedule files) or are errors (spreadsheets)


# --- vocabulary ----------------------------------------------------------------------

KINDS = tuple(kind.value for kind in SessionKind)
# Words other tools use for a kind of programme item ('type' or 'track' in frab and pretalx).
KIND_WORDS: dict[str, tuple[str, ...]] = {
    "roundtable": ("round table", "panel", "panel discussion", "discussion"),
    "plenary": ("plenary session", "keynote", "keynote speech", "plenary talk"),
    "ceremony": ("opening ceremony", "closing ceremony", "opening", "closing"),
    "bilateral": ("bilateral meeting", "bilateral talks"),
    "exhibition": ("expo", "showcase", "poster session", "posters"),
    "briefing": ("press briefing", "media briefing", "press conference"),
    "workshop": ("tutorial", "training", "hands-on", "hands-on session", "lab"),
    "meal": ("lunch", "luncheon", "dinner", "breakfast"),
    "break": ("coffee break", "pause", "tea break"),
    "reception": ("cocktail", "welcome reception", "gala dinner"),
    "other": ("talk", "lecture", "lightning talk", "presentation", "session"),
}


def fold(text: str) -> str:
    """For comparing names: Unicode-normalized, case and spacing ignored."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def kind_of(text: str) -> str | None:
    """The kind a word names ('Keynote' → 'plenary'), or None."""
    wanted = fold(text).replace("_", " ")
    if not wanted:
        return None
    for kind in KINDS:
        if wanted in (kind, fold(KIND_LABELS[kind])) or wanted in KIND_WORDS.get(kind, ()):
            return kind
    return None


def kind_choices() -> list[str]:
    return [*KINDS, *(word for words in KIND_WORDS.values() for word in words)]


def slug(text: str) -> str:
    """An id from a title or a name: ASCII letters and digits joined by '-' ('' when none are left)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    value = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return value[: paths.MAX_ID_LENGTH - 8].strip("-")


def hashed_id(prefix: str, key: str) -> str:
    """An id for a name without Latin letters (a Korean title): stable, from the source's key."""
    return f"{prefix}-{hashlib.sha256(key.encode('utf-8')).hexdigest()[:8]}"


def one_line(text: str) -> str:
    return " ".join(text.split())


_LINK_START = re.compile(r"(?<!\\)\[([^\[\]\n]*)\]\(\s*<?([^)\s>]*)")
_LINK_TARGETS = ("http://", "https://", "mailto:", "/", "#")


def defuse_links(body: str) -> str:
    """Markdown links that lead nowhere a reader can go ('[a]([b](https://…))' written in another tool)
    become text: their '[' is escaped. Web, mail and site-relative links stay links."""
    return _LINK_START.sub(lambda match: match.group(0) if match.group(2).startswith(_LINK_TARGETS) else "\\" + match.group(0), body)


# --- what the programme becomes ------------------------------------------------------------


@dataclass(frozen=True)
class Existing:
    """A content file as it is now: its front matter (every value a string or a list) and body."""

    folder: str
    id: str
    lang: str | None
    data: Mapping[str, Any]
    body: str


@dataclass(frozen=True)
class PlannedFile:
    """A content file as the source wants it: the fields it owns, in the kind's order."""

    folder: str
    id: str
    lang: str | None
    key: str  # the source's key of the item or person (the record's)
    values: Mapping[str, Any]  # field → str or list[str]; the fields the source owns
    body: str | None  # None: the source says nothing about the body
    order: tuple[str, ...]  # every field of the kind's schema, in order (where new lines go)

    @property
    def relative(self) -> str:
        return f"{self.folder}/{self.id}" + (f".{self.lang}" if self.lang else "") + ".md"


@dataclass
class Plan:
    files: list[PlannedFile] = field(default_factory=list)
    rooms: dict[str, str] = field(default_factory=dict)  # rooms to add to site.yaml: id → name
    problems: list[Problem] = field(default_factory=list)
    item_keys: set[str] = field(default_factory=set)  # every item key this import has


@dataclass(frozen=True)
class SiteState:
    """What the import needs to know of the site as it is."""

    config: SiteConfig
    files: Mapping[str, Existing]  # 'sessions/x.md' → the file
    recorded: Mapping[str, str]  # record key ('sessions:guid:…') → the id an earlier import gave it

    def existing(self, folder: str, item_id: str, lang: str | None = None) -> Existing | None:
        return self.files.get(f"{folder}/{item_id}" + (f".{lang}" if lang else "") + ".md")

    def ids(self, folder: str) -> set[str]:
        return {existing.id for existing in self.files.values() if existing.folder == folder and existing.lang is None}


def record_key(folder: str, key: str) -> str:
    return f"{folder}:{key}"


def plan_programme(programme: Programme, site: SiteState) -> Plan:
    """Content files for every item and every new person; all problems of the programme at once."""
    plan = Plan()
    config = site.config
    zone = ZoneInfo(config.timezone)
    rooms = _RoomIndex(config)
    people = _PeopleIndex(site)
    claimed = {item_id for key, item_id in site.recorded.items() if key.startswith(ITEM_FOLDER + ":")}
    seen: dict[str, Item] = {}
    ids: dict[str, Item] = {}
    for item in programme.items:
        if item.key in seen:
            plan.problems.append(item.place.problem(f"the same item twice: {item.key.partition(':')[2]!r} is also at {_where(seen[item.key])}"))
            continue
        seen[item.key] = item
        plan.item_keys.add(item.key)
        item_id = _item_id(item, site, claimed, ids, plan)
        if item_id is None:
            continue
        if item_id in ids:
            plan.problems.append(item.at("id").problem(f"duplicate id {item_id!r}: also at {_where(ids[item_id])}"))
            continue
        ids[item_id] = item
        values = _item_values(item, config, zone, rooms, people, programme, plan)
        if values is None:
            continue
        order = tuple(BY_NAME[ITEM_KIND].meta.model_fields)
        body = defuse_links(item.body or "") if BODY in item.fields else None
        plan.files.append(PlannedFile(ITEM_FOLDER, item_id, None, item.key, values, body, order))
        translation_order = BY_NAME[ITEM_KIND].translatable
        for lang, texts in item.translations.items():
            if lang not in config.languages[1:]:
                plan.problems.append(item.place.problem(f"{lang!r} is not a translated language of this site ({', '.join(config.languages[1:])})"))
                continue
            tvalues = {name: one_line(texts[name]) for name in TRANSLATED_FIELDS if texts.get(name, "").strip()}
            tbody = defuse_links(texts[BODY]) if texts.get(BODY) else None
            if tvalues or (tbody and tbody.strip()):
                plan.files.append(PlannedFile(ITEM_FOLDER, item_id, lang, item.key, tvalues, tbody.strip() if tbody else None, translation_order))
    plan.files += people.planned()
    plan.rooms = rooms.added
    return plan


def _where(item: Item) -> str:
    place = item.place
    return f"line {place.line}" if place.line else place.path


def _item_id(item: Item, site: SiteState, claimed: set[str], ids: Mapping[str, Item], plan: Plan) -> str | None:
    recorded = site.recorded.get(record_key(ITEM_FOLDER, item.key))
    if recorded is not None:
        return recorded
    if item.id is not None:
        why = paths.id_problem(item.id)
        if why:
            plan.problems.append(item.at("id").problem(why))
            return None
        return item.id
    base = slug(item.title) or hashed_id("item", item.key)
    candidate, number = base, 1
    # A file of that id that no earlier import claims is taken to be this item (a lost record);
    # one that another key claims, or that this run gave to another item, is not.
    while candidate in ids or candidate in claimed:
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def _item_values(
    item: Item, config: SiteConfig, zone: ZoneInfo, rooms: "_RoomIndex", people: "_PeopleIndex", programme: Programme, plan: Plan
) -> dict[str, Any] | None:
    problems: list[Problem] = []
    start, end = _local(item.start, zone), _local(item.end, zone)
    if end <= start:
        problems.append(item.at("end").problem(f"end {end:%Y-%m-%d %H:%M} is not after start {start:%Y-%m-%d %H:%M}"))
    dates = config.dates
    for name, moment in (("start", start), ("end", end)):
        if not dates.start <= moment.date() <= dates.end:
            problems.append(item.at(name).problem(
                f"{name} {moment:%Y-%m-%d %H:%M} is outside the event's dates in site.yaml ({dates.start} to {dates.end})"
            ))
            break
    values: dict[str, Any] = {"title": one_line(item.title), "start": f"{start:%Y-%m-%d %H:%M}", "end": f"{end:%Y-%m-%d %H:%M}"}
    if "kind" in item.fields and item.kind:
        values["kind"] = item.kind
    if "room" in item.fields:
        if item.room:
            room = rooms.resolve(item.room, item.at("room"), programme.adds_rooms, problems)
            if room is not None:
                values["room"] = room
    for name in ("speakers", "moderators"):
        if name in item.fields:
            values[name] = [people.resolve(speaker) for speaker in getattr(item, name)]
    if "countries" in item.fields:
        unknown = [code for code in item.countries if code not in config.countries]
        for code in unknown:
            problems.append(item.at("countries").problem(
                f"country {code!r} is not in site.yaml countries{did_you_mean(code, config.countries)}"
            ))
        values["countries"] = list(item.countries)
    if "summary" in item.fields and item.summary and item.summary.strip():
        values["summary"] = one_line(item.summary)
    plan.problems.extend(problems)
    return None if problems else values


def _local(moment: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    if moment.tzinfo is not None:
        moment = moment.astimezone(zone).replace(tzinfo=None)
    return moment.replace(second=0, microsecond=0)


class _RoomIndex:
    """site.yaml's rooms by id and by every name; the ones to add."""

    def __init__(self, config: SiteConfig):
        self.ids = set(config.rooms)
        self.by_name: dict[str, str] = {}
        for room_id, room in config.rooms.items():
            names = room.name.values() if isinstance(room.name, dict) else [room.name]
            for name in names:
                self.by_name.setdefault(fold(name), room_id)
        self.added: dict[str, str] = {}

    def resolve(self, text: str, place: Place, adds: bool, problems: list[Problem]) -> str | None:
        name = one_line(text)
        if name in self.ids:
            return name
        found = self.by_name.get(fold(name))
        if found is not None:
            return found
        if not adds:
            known = [*self.ids, *(n for n in self.by_name)]
            problems.append(place.problem(
                f"unknown room {name!r}{did_you_mean(fold(name), known)}: rooms are listed in site.yaml "
                "(add it there, or import with --add-rooms)"
            ))
            return None
        base = slug(name) or hashed_id("room", name)
        room_id, number = base, 1
        while room_id in self.ids:
            number += 1
            room_id = f"{base}-{number}"
        self.ids.add(room_id)
        self.by_name[fold(name)] = room_id
        self.added[room_id] = name
        return room_id


class _PeopleIndex:
    """people/ by id and by every name (in any language); the people an import creates."""

    def __init__(self, site: SiteState):
        self.site = site
        self.ids = site.ids(PERSON_FOLDER)
        self.by_name: dict[str, str] = {}
        for existing in site.files.values():
            if existing.folder == PERSON_FOLDER and isinstance(existing.data.get("name"), str):
                self.by_name.setdefault(fold(existing.data["name"]), existing.id)
        self.created: dict[str, tuple[str, Speaker]] = {}  # id → (id, speaker)

    def resolve(self, speaker: Speaker) -> str:
        recorded = self.site.recorded.get(record_key(PERSON_FOLDER, speaker.key))
        if recorded is not None and (recorded in self.ids or recorded in self.created):
            if recorded not in self.created and self.site.existing(PERSON_FOLDER, recorded) is not None:
                self.created[recorded] = (recorded, speaker)  # created by an earlier import: still the source's
            return recorded
        found = self.by_name.get(fold(speaker.name))
        if found is not None:
            return found
        if speaker.name in self.ids:
            return speaker.name  # a cell that gives the person's id
        base = slug(speaker.name) or hashed_id("person", speaker.key)
        person_id, number = base, 1
        while person_id in self.ids or person_id in self.created:
            number += 1
            person_id = f"{base}-{number}"
        self.created[person_id] = (person_id, speaker)
        self.by_name[fold(speaker.name)] = person_id
        return person_id

    def planned(self) -> list[PlannedFile]:
        order = tuple(BY_NAME[PERSON_KIND].meta.model_fields)
        files = []
        for person_id, (_, speaker) in sorted(self.created.items()):
            body = speaker.biography.strip() or None
            files.append(PlannedFile(PERSON_FOLDER, person_id, None, speaker.key, {"name": one_line(speaker.name)}, body, order))
        return files


def speaker_key(name: str) -> str:
    return "name:" + fold(name)


def split_names(text: str) -> list[str]:
    """Names in one cell: separated by ';' or line breaks (commas belong to names: 'Lee, Min-ho')."""
    return [one_line(part) for part in re.split(r"[;\n]", text) if part.strip()]


def join_names(names: Sequence[str]) -> str:
    return "; ".join(names)
