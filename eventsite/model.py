"""Stage 3, model: the typed, cross-referenced event.

Takes validated documents and builds the :class:`Site`: entries with their
translations attached, references resolved (rooms, people, sections,
countries), local times made aware in the event's zone, and the indexes that
listing pages need so that no page has to scan every other page. Problems
that need more than one file to see (an unknown speaker, a session outside
the event's dates, a translation without a source) are found here, all of
them, before anything is rendered.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Callable, Iterable, Mapping, Sequence, TypeVar
from zoneinfo import ZoneInfo

from pydantic import BaseModel

from .errors import BuildError, Problem
from .load import Document, MediaFile
from .validate import (
    ExhibitMeta,
    LocalizedText,
    NewsMeta,
    PageMeta,
    PersonMeta,
    SessionMeta,
    SiteConfig,
    Valid,
    ValidContent,
    translatable_fields,
)

# Page ids that would collide with built-in listings or output folders.
RESERVED_PAGE_IDS = frozenset(
    {"schedule", "exhibition", "people", "news", "sessions", "exhibits", "countries", "search", "media", "static", "pagefind", "index", "404"}
)


@dataclass(frozen=True)
class Text:
    """A piece of content text and the language it is actually written in."""

    value: str
    lang: str

    def __str__(self) -> str:
        return self.value

    def __bool__(self) -> bool:
        return bool(self.value)


@dataclass(frozen=True)
class Localized:
    """A site.yaml text in several languages."""

    values: Mapping[str, str]

    def get(self, chain: Sequence[str]) -> Text:
        for lang in chain:
            if lang in self.values:
                return Text(self.values[lang], lang)
        lang, value = next(iter(self.values.items()))
        return Text(value, lang)

    @staticmethod
    def of(value: LocalizedText | None, default_language: str) -> "Localized | None":
        if value is None:
            return None
        if isinstance(value, str):
            return Localized(MappingProxyType({default_language: value}))
        return Localized(MappingProxyType(dict(value)))


@dataclass(frozen=True)
class Translation:
    lang: str
    meta: BaseModel
    body: str
    document: Document


@dataclass(frozen=True, eq=False)
class Entry:
    """What every content item has: an id, a source file, translations."""

    kind: str
    id: str
    meta: BaseModel
    body: str
    document: Document
    default_language: str
    translations: Mapping[str, Translation]

    @property
    def languages(self) -> frozenset[str]:
        """Languages this item is translated into (the default always is)."""
        return frozenset({self.default_language, *self.translations})

    def text_language(self, chain: Sequence[str]) -> str:
        """The language whose text is shown for a reader with ``chain``."""
        for lang in chain:
            if lang in self.languages:
                return lang
        return self.default_language

    def field(self, name: str, chain: Sequence[str]) -> Text | None:
        """Field ``name`` in the first language of ``chain`` that has it."""
        for lang in chain:
            translation = self.translations.get(lang)
            if translation is not None:
                value = getattr(translation.meta, name, None)
                if value:
                    return Text(value, lang)
            elif lang == self.default_language:
                break
        value = getattr(self.meta, name, None)
        return Text(value, self.default_language) if value else None

    def body_text(self, chain: Sequence[str]) -> Text:
        lang = self.text_language(chain)
        translation = self.translations.get(lang)
        if translation is not None and translation.body.strip():
            return Text(translation.body, lang)
        return Text(self.body, self.default_language)

    def body_document(self, lang: str) -> Document:
        translation = self.translations.get(lang)
        return translation.document if translation is not None else self.document

    @property
    def sources(self) -> tuple[Path, ...]:
        return (self.document.path, *(t.document.path for t in self.translations.values()))

    @functools.cached_property
    def exhibit_links(self) -> tuple[str, ...]:
        """Exhibit ids the body links to in any language, first mention first (existing or not)."""
        bodies = [self.body, *(translation.body for translation in self.translations.values())]
        return tuple(dict.fromkeys(exhibit_id for body in bodies for exhibit_id in _exhibit_links(body)))


@dataclass(frozen=True, eq=False)
class Room:
    id: str
    name: Localized


@dataclass(frozen=True, eq=False)
class Section:
    id: str
    title: Localized
    summary: Localized | None


@dataclass(frozen=True, eq=False)
class Person(Entry):
    @property
    def name(self) -> str:
        return self.meta.name  # type: ignore[attr-defined]

    @property
    def country(self) -> str | None:
        return self.meta.country  # type: ignore[attr-defined]


@dataclass(frozen=True, eq=False)
class Session(Entry):
    start: dt.datetime = None  # type: ignore[assignment]  # aware, in the event's zone
    end: dt.datetime = None  # type: ignore[assignment]
    room: Room | None = None
    speakers: tuple[Person, ...] = ()
    moderators: tuple[Person, ...] = ()

    @property
    def countries(self) -> list[str]:
        return self.meta.countries  # type: ignore[attr-defined]

    @property
    def session_kind(self) -> str:
        return self.meta.kind.value  # type: ignore[attr-defined]


@dataclass(frozen=True, eq=False)
class Exhibit(Entry):
    section: Section = None  # type: ignore[assignment]

    @property
    def country(self) -> str:
        return self.meta.country  # type: ignore[attr-defined]


@dataclass(frozen=True, eq=False)
class Page(Entry):
    pass


@dataclass(frozen=True, eq=False)
class NewsItem(Entry):
    @property
    def date(self) -> dt.date:
        return self.meta.date  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Day:
    date: dt.date
    sessions: tuple[Session, ...]


@dataclass(frozen=True, eq=False)
class Site:
    """The whole event, ready to be rendered. Immutable once built."""

    root: Path  # the content folder
    config: SiteConfig
    languages: tuple[str, ...]
    fallback_chains: Mapping[str, tuple[str, ...]]
    timezone: ZoneInfo
    title: Localized
    tagline: Localized | None
    rooms: Mapping[str, Room]
    sections: Mapping[str, Section]
    sessions: tuple[Session, ...]  # by start, end, id
    people: Mapping[str, Person]  # by id
    exhibits: Mapping[str, Exhibit]
    pages: Mapping[str, Page]
    news: tuple[NewsItem, ...]  # newest first
    media: Mapping[str, MediaFile]
    warnings: tuple[Problem, ...] = ()
    session_map: Mapping[str, Session] = field(default_factory=dict)
    news_map: Mapping[str, NewsItem] = field(default_factory=dict)
    day_list: tuple[Day, ...] = ()
    # Indexes, so no page scans every session.
    sessions_by_person: Mapping[str, tuple[Session, ...]] = field(default_factory=dict)
    sessions_by_country: Mapping[str, tuple[Session, ...]] = field(default_factory=dict)
    exhibits_by_section: Mapping[str, tuple[Exhibit, ...]] = field(default_factory=dict)
    exhibits_by_country: Mapping[str, tuple[Exhibit, ...]] = field(default_factory=dict)
    people_by_country: Mapping[str, tuple[Person, ...]] = field(default_factory=dict)
    sessions_by_exhibit: Mapping[str, tuple[Session, ...]] = field(default_factory=dict)  # sessions whose text links to it

    @property
    def default_language(self) -> str:
        return self.languages[0]


    @property
    def days(self) -> tuple[Day, ...]:
        return self.day_list

    def chain(self, lang: str) -> tuple[str, ...]:
        return self.fallback_chains[lang]

    def collection(self, name: str) -> tuple:
        """A whole list of items, by name: see COLLECTIONS."""
        return COLLECTIONS[name](self)

    def facts(self) -> dict[str, tuple]:
        """What listing pages read besides single entries, as comparable values.

        The incremental builder compares these before and after an edit: a
        page that read ``sessions_by_person:minister`` is stale when that
        list of ids changed, even if none of the files it read did.
        """
        found: dict[str, tuple] = {}
        for name, items in ((name, getter(self)) for name, getter in COLLECTIONS.items()):
            found[f"collection:{name}"] = tuple(_fact_id(item) for item in items)
        for index in INDEXES:
            for key, items in getattr(self, index).items():
                found[f"{index}:{key}"] = tuple(item.id for item in items)
        return found


def _fact_id(item) -> object:
    if isinstance(item, Day):
        return (item.date, tuple(session.id for session in item.sessions))
    return item.id


COLLECTIONS = {
    "sessions": lambda site: site.sessions,
    "days": lambda site: site.days,
    "people": lambda site: tuple(site.people.values()),
    "exhibits": lambda site: tuple(site.exhibits.values()),
    "pages": lambda site: tuple(site.pages.values()),
    "news": lambda site: site.news,
}
INDEXES = (
    "sessions_by_person", "sessions_by_country", "exhibits_by_section", "exhibits_by_country", "people_by_country",
    "sessions_by_exhibit",
)

# A site-relative link to an exhibit page in a Markdown body (inline, reference or raw HTML link),
# optionally with a language prefix: (/exhibits/5g/), [x]: /exhibits/5g/, href="/th/exhibits/5g/#a".
EXHIBIT_LINK = re.compile(r"(?<![\w./-])(?:/[a-z]{2,3}(?:-[A-Za-z0-9]{1,8})*)?/exhibits/([a-z0-9]+(?:-[a-z0-9]+)*)(?=[/#?)\s\"'>]|$)")


def linked_exhibits(session: Entry, exhibits: Mapping[str, "Exhibit"]) -> list[str]:
    """Ids of the exhibits a session's body links to, in any of its languages (first mention first)."""
    return [exhibit_id for exhibit_id in session.exhibit_links if exhibit_id in exhibits]


@functools.lru_cache(maxsize=1 << 14)
def _exhibit_links(body: str) -> tuple[str, ...]:
    # Memoized: the dev server rebuilds the model on every edit, and scanning
    # every body with this pattern was half of that time at 5,000 pages.
    if "/exhibits/" not in body:
        return ()
    return tuple(match.group(1) for match in EXHIBIT_LINK.finditer(body))


T = TypeVar("T")


class ModelMemo:
    """Entries of the previous model, reused when every input is the very same object.

    The dev server rebuilds the model on each edit; documents and validated
    metadata of unchanged files come from its caches as the same objects, so
    an entry whose inputs are all identical (``is``) is the entry it built
    before. Identity, not equality: it costs nothing and cannot be fooled.
    The memo holds its inputs, so their ids stay unique while it does.
    """

    def __init__(self) -> None:
        self._made: dict[tuple[str, str], tuple[tuple, object]] = {}

    def get(self, key: tuple[str, str], inputs: tuple, make: Callable[[], T]) -> T:
        found = self._made.get(key)
        if found is not None and len(found[0]) == len(inputs) and all(map(operator.is_, found[0], inputs)):
            return found[1]  # type: ignore[return-value]
        made = make()
        self._made[key] = (inputs, made)
        return made


def build_model(content: ValidContent, memo: ModelMemo | None = None) -> Site:
    memo = memo or ModelMemo()
    config = content.site
    site_doc = content.raw.site
    problems: list[Problem] = list(content.problems)
    warnings: list[Problem] = []

    def site_problem(path: tuple, message: str) -> None:
        line, column = site_doc.meta.locate(path)
        problems.append(Problem(site_doc.display, line, message, column))

    languages = tuple(config.languages)
    default = languages[0]
    chains = _fallback_chains(config, site_problem)
    _check_localized_keys(config, languages, site_problem)
    participating = set(config.countries)
    if config.venue and config.venue.country and config.venue.country not in participating and participating:
        pass  # the host venue may be anywhere

    rooms, sections = memo.get(("site", "rooms"), (config,), lambda: _rooms_and_sections(config, default))

    sources: dict[tuple[str, str], Document] = {}
    metas: dict[tuple[str, str], BaseModel] = {}
    translations: dict[tuple[str, str], dict[str, Valid]] = defaultdict(dict)  # made into Translations only when needed
    translated: list[Valid] = []
    for valid in content.documents:
        document = valid.document
        if document.lang is None:
            key = (document.kind, document.id)
            sources[key] = document
            metas[key] = valid.meta
        else:
            translated.append(valid)
    for valid in translated:
        document = valid.document
        key = (document.kind, document.id)
        if key in content.invalid:
            continue  # its source's problems are reported already
        if key not in sources:
            problems.append(Problem(document.display, 0, f"translation of {document.id}.md, which does not exist"))
        elif document.lang not in languages:
            problems.append(
                Problem(document.display, 0, f"language {document.lang!r} is not in site.yaml languages ({', '.join(languages)})")
            )
        elif document.lang == default:
            problems.append(
                Problem(document.display, 0, f"{document.lang!r} is the default language: edit {document.id}.md instead")
            )
        else:
            translations[key][document.lang] = valid

    def inputs(key: tuple[str, str], *more: object) -> tuple:
        """What an entry is made of (see ModelMemo)."""
        found = [config, metas[key], sources[key], *more]
        of_entry = translations.get(key)
        if of_entry:
            for lang in sorted(of_entry) if len(of_entry) > 1 else of_entry:
                found += [of_entry[lang].document, of_entry[lang].meta]
        return tuple(found)

    def entry_args(key: tuple[str, str]) -> dict:
        document = sources[key]
        return dict(
            kind=key[0],
            id=key[1],
            meta=metas[key],
            body=document.body,
            document=document,
            default_language=default,
            translations=MappingProxyType({
                lang: Translation(lang, valid.meta, valid.document.body, valid.document)
                for lang, valid in sorted(translations.get(key, {}).items())
            }),
        )

    def ref_problem(document: Document, path: tuple, message: str) -> None:
        line, column = document.meta.locate(path)
        problems.append(Problem(document.display, line, message, column))

    def check_country(document: Document, path: tuple, code: str | None) -> None:
        if code and participating and code not in participating:
            ref_problem(document, path, f"country {code!r} is not in site.yaml countries")

    media = {item.relative: item for item in content.raw.media}

    def check_media(document: Document, path: tuple, value: str | None) -> None:
        if value and value not in media:
            ref_problem(document, path, f"media/{value} does not exist")

    people: dict[str, Person] = {}
    for key in sorted(k for k in sources if k[0] == "person"):
        meta: PersonMeta = metas[key]  # type: ignore[assignment]
        check_country(sources[key], ("country",), meta.country)
        check_media(sources[key], ("photo",), meta.photo)
        people[key[1]] = memo.get(key, inputs(key), lambda: Person(**entry_args(key)))

    zone = ZoneInfo(config.timezone)
    sessions: list[Session] = []
    for key in sorted(k for k in sources if k[0] == "session"):
        document = sources[key]
        smeta: SessionMeta = metas[key]  # type: ignore[assignment]
        # Naive here: aware datetimes of one zone compare exactly like their naive local times.
        if smeta.end <= smeta.start:
            ref_problem(document, ("end",), f"end {smeta.end:%H:%M} is not after start {smeta.start:%H:%M}")
        if smeta.start.date() < config.dates.start or smeta.end.date() > config.dates.end:
            where = ("start",) if smeta.start.date() < config.dates.start or smeta.start.date() > config.dates.end else ("end",)
            ref_problem(
                document, where, f"session is outside the event's dates ({config.dates.start} to {config.dates.end})"
            )
        if smeta.room and smeta.room not in rooms:
            ref_problem(document, ("room",), f"unknown room {smeta.room!r} (rooms are listed in site.yaml)")
        for role in ("speakers", "moderators"):
            for index, person_id in enumerate(getattr(smeta, role)):
                if person_id not in people and ("person", person_id) not in content.invalid:
                    ref_problem(document, (role, index), f"unknown person {person_id!r} (no people/{person_id}.md)")
        for index, code in enumerate(smeta.countries):
            check_country(document, ("countries", index), code)
        speakers = tuple(people[pid] for pid in smeta.speakers if pid in people)
        moderators = tuple(people[pid] for pid in smeta.moderators if pid in people)
        sessions.append(
            memo.get(
                key,
                inputs(key, rooms, *speakers, None, *moderators),
                lambda: Session(
                    **entry_args(key),
                    start=smeta.start.replace(tzinfo=zone),
                    end=smeta.end.replace(tzinfo=zone),
                    room=rooms.get(smeta.room) if smeta.room else None,
                    speakers=speakers,
                    moderators=moderators,
                ),
            )
        )
    sessions.sort(key=lambda s: (s.start, s.end, s.id))

    exhibits: dict[str, Exhibit] = {}
    for key in sorted(k for k in sources if k[0] == "exhibit"):
        emeta: ExhibitMeta = metas[key]  # type: ignore[assignment]
        document = sources[key]
        if emeta.section not in sections:
            ref_problem(document, ("section",), f"unknown exhibition section {emeta.section!r} (sections are in site.yaml)")
        check_country(document, ("country",), emeta.country)
        check_media(document, ("image",), emeta.image)
        if emeta.section in sections:
            exhibits[key[1]] = memo.get(key, inputs(key, sections), lambda: Exhibit(**entry_args(key), section=sections[emeta.section]))

    pages: dict[str, Page] = {}
    for key in sorted(k for k in sources if k[0] == "page"):
        if key[1] in RESERVED_PAGE_IDS:
            problems.append(Problem(sources[key].display, 0, f"page id {key[1]!r} is reserved for a built-in page"))
            continue
        pages[key[1]] = memo.get(key, inputs(key), lambda: Page(**entry_args(key)))

    news = [memo.get(key, inputs(key), lambda: NewsItem(**entry_args(key))) for key in sorted(k for k in sources if k[0] == "news")]
    news.sort(key=lambda item: (item.date, item.id), reverse=True)

    for index, entry in enumerate(config.nav):
        if entry not in ("schedule", "exhibition", "people", "news") and entry not in pages and ("page", entry) not in content.invalid:
            site_problem(("nav", index), f"nav entry {entry!r} is neither a built-in listing nor a page id")

    if problems:
        raise BuildError(problems)

    warnings.extend(_room_overlaps(sessions))
    referenced = {p.id for s in sessions for p in (*s.speakers, *s.moderators)}
    for person in people.values():
        if person.id not in referenced:
            warnings.append(Problem(person.document.display, 0, "person is not a speaker or moderator of any session", severity="warning"))

    return Site(
        root=content.raw.root,
        config=config,
        languages=languages,
        fallback_chains=MappingProxyType(chains),
        timezone=zone,
        title=Localized.of(config.title, default),  # type: ignore[arg-type]
        tagline=Localized.of(config.tagline, default),
        rooms=MappingProxyType(rooms),
        sections=MappingProxyType(sections),
        sessions=tuple(sessions),
        people=MappingProxyType(people),
        exhibits=MappingProxyType(exhibits),
        pages=MappingProxyType(pages),
        news=tuple(news),
        media=MappingProxyType(media),
        warnings=tuple(warnings),
        session_map=MappingProxyType({session.id: session for session in sessions}),
        news_map=MappingProxyType({item.id: item for item in news}),
        day_list=_days(sessions),
        sessions_by_person=_group(sessions, lambda s: [p.id for p in (*s.speakers, *s.moderators)]),
        sessions_by_country=_group(sessions, lambda s: s.countries),
        exhibits_by_section=_group(exhibits.values(), lambda e: [e.section.id]),
        exhibits_by_country=_group(exhibits.values(), lambda e: [e.country]),
        people_by_country=_group(people.values(), lambda p: [p.country] if p.country else []),
        sessions_by_exhibit=_group(sessions, lambda s: linked_exhibits(s, exhibits)),
    )


def _rooms_and_sections(config: SiteConfig, default: str) -> tuple[dict[str, Room], dict[str, Section]]:
    rooms = {rid: Room(rid, Localized.of(room.name, default)) for rid, room in config.rooms.items()}  # type: ignore[arg-type]
    sections = {
        sid: Section(sid, Localized.of(sec.title, default), Localized.of(sec.summary, default))  # type: ignore[arg-type]
        for sid, sec in config.exhibition.sections.items()
    }
    return rooms, sections


def _days(sessions: list[Session]) -> tuple[Day, ...]:
    by_date: dict[dt.date, list[Session]] = defaultdict(list)
    for session in sessions:
        by_date[session.start.date()].append(session)
    return tuple(Day(date, tuple(by_date[date])) for date in sorted(by_date))


def _group(items: Iterable, keys_of) -> Mapping[str, tuple]:
    groups: dict[str, list] = defaultdict(list)
    for item in items:
        for key in dict.fromkeys(keys_of(item)):
            groups[key].append(item)
    return MappingProxyType({key: tuple(value) for key, value in groups.items()})


def _fallback_chains(config: SiteConfig, site_problem) -> dict[str, tuple[str, ...]]:
    languages = list(config.languages)
    default = languages[0]
    chains: dict[str, tuple[str, ...]] = {}
    for lang, chain in config.fallbacks.items():
        if lang not in languages:
            site_problem(("fallbacks", lang), f"fallbacks: {lang!r} is not in languages")
        for index, other in enumerate(chain):
            if other not in languages:
                site_problem(("fallbacks", lang, index), f"fallbacks: {other!r} is not in languages")
    for lang in languages:
        chain = [lang, *(other for other in config.fallbacks.get(lang, []) if other in languages), default]
        chains[lang] = tuple(dict.fromkeys(chain))
    return chains


def _check_localized_keys(config: SiteConfig, languages: tuple[str, ...], site_problem) -> None:
    def visit(value, path: tuple) -> None:
        if isinstance(value, BaseModel):
            for name in type(value).model_fields:
                visit(getattr(value, name), path + (name,))
        elif isinstance(value, dict):
            is_text = all(isinstance(v, str) for v in value.values()) and value and path[-1:] != ("fallbacks",)
            for key, item in value.items():
                if is_text and key not in languages:
                    site_problem(path + (key,), f"{'.'.join(map(str, path))}: language {key!r} is not in languages")
                visit(item, path + (key,))

    for name in ("title", "tagline", "venue", "organizer", "rooms", "exhibition"):
        visit(getattr(config, name), (name,))


def _room_overlaps(sessions: list[Session]) -> list[Problem]:
    warnings = []
    by_room: dict[str, list[Session]] = defaultdict(list)
    for session in sessions:
        if session.room:
            by_room[session.room.id].append(session)
    for room_sessions in by_room.values():
        latest: Session | None = None
        for session in room_sessions:  # already sorted by start
            if latest is not None and session.start < latest.end:
                line, column = session.document.meta.locate(("start",))
                warnings.append(
                    Problem(
                        session.document.display, line,
                        f"overlaps {latest.id} in room {session.room.id}",  # type: ignore[union-attr]
                        column, severity="warning",
                    )
                )
            if latest is None or session.end > latest.end:
                latest = session
    return warnings


def translatable(entry: Entry) -> tuple[str, ...]:
    return translatable_fields(entry.kind)
