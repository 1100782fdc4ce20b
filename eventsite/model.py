"""Stage 3, model: the typed, cross-referenced event.

Takes validated documents and builds the :class:`~eventsite.entries.Site`:
each kind's entries with their translations attached and their references
resolved (rooms, people, sections), local times made aware in the event's
zone, and the indexes and lists the kinds declare, so that no page has to
scan every other page. Problems that need more than one file to see (an
unknown speaker, a time outside the event's dates, a translation without
a source) are found here, all of them, before anything is rendered.
"""

from __future__ import annotations

import operator
from collections import defaultdict
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any, Callable, Mapping, Sequence, TypeVar
from zoneinfo import ZoneInfo

from pydantic import BaseModel

from .config import SiteConfig
from .entries import Entry, Localized, Room, Section, Site, Track, Translation
from . import l10n
from .errors import BuildError, Problem, did_you_mean
from .fields import language_hint
from .kinds import KINDS
from .kinds.base import ContentKind, Index
from .documents import Document
from .validate import Valid, ValidContent, is_unchanged

T = TypeVar("T")

# Page ids that would collide with built-in pages or output folders; the kinds add their own.
RESERVED_IDS = frozenset({"countries", "search", "media", "static", "pagefind", "index", "404"})


@dataclass(frozen=True)
class Source:
    """One item as validated: its source file and metadata, and its translations by language."""

    kind: str
    id: str
    meta: Any  # the kind's schema, validated
    document: Document
    translations: Mapping[str, Valid]


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


@dataclass
class ModelContext:
    """What a kind's ``build`` may use: the settings, the site.yaml lists, the entries built so far."""

    config: SiteConfig
    default_language: str
    zone: ZoneInfo
    rooms: Mapping[str, Room]
    sections: Mapping[str, Section]
    memo: ModelMemo
    built: dict[str, dict[str, Entry]] = field(default_factory=dict)  # kind → id → entry (kinds earlier in KINDS)
    tracks: Mapping[str, Track] = field(default_factory=dict)

    def get(self, kind: str, item_id: str) -> Entry | None:
        return self.built.get(kind, {}).get(item_id)

    def make(self, source: Source, entry_type: type[T], depends_on: Sequence[object] = (), **fields: Any) -> T:
        """The entry for ``source``: the previous model's when nothing it is made of changed.

        ``depends_on`` lists the resolved references (a room, people) the entry holds;
        ``fields`` are the kind's own fields besides those every entry has.
        """
        inputs: list[object] = [self.config, source.meta, source.document, *depends_on]
        translations = source.translations
        for lang in sorted(translations) if len(translations) > 1 else translations:
            inputs += [translations[lang].document, translations[lang].meta]

        def construct() -> T:
            return entry_type(  # type: ignore[call-arg]
                kind=source.kind,
                id=source.id,
                meta=source.meta,
                body=source.document.body,
                document=source.document,
                default_language=self.default_language,
                translations=MappingProxyType({
                    lang: Translation(lang, valid.meta, valid.document.body, valid.document)
                    for lang, valid in sorted(translations.items())
                }),
                **fields,
            )

        return self.memo.get((source.kind, source.id), tuple(inputs), construct)


def build_model(
    content: ValidContent, memo: ModelMemo | None = None, kinds: tuple[ContentKind, ...] = KINDS, *, keep_going: bool = False
) -> Site | None:
    """The model of every valid document; raises BuildError with every problem found so far.

    ``keep_going``: return the model of what is valid (``Site.problems`` lists
    every problem), or None when site.yaml itself is unusable.
    """
    memo = memo or ModelMemo()
    config = content.site
    site_doc = content.raw.site
    problems: list[Problem] = list(content.problems)
    if config is None or site_doc is None:
        if keep_going:
            return None
        raise BuildError(problems)
    warnings: list[Problem] = []

    def site_problem(path: tuple, message: str) -> None:
        line, column = site_doc.meta.locate(path)
        problems.append(Problem(site_doc.display, line, message, column))

    languages = tuple(config.languages)
    default = languages[0]
    chains = _fallback_chains(config, site_problem)
    _check_localized_keys(config, languages, site_problem)
    warnings.extend(_check_languages(config, site_doc, site_problem))
    editions = MappingProxyType({code: l10n.language(code, config.locales.get(code)) for code in languages})
    rooms, sections = memo.get(("site", "rooms"), (config,), lambda: _rooms_and_sections(config, default))
    tracks = memo.get(("site", "tracks"), (config,), lambda: _tracks(config, default))
    sources = _sources(content, languages)
    media = {item.relative: item for item in content.raw.media}
    _check_floor_plan(config, media, site_problem)
    context = ModelContext(config, default, ZoneInfo(config.timezone), rooms, sections, memo, tracks=tracks)

    reserved = RESERVED_IDS | {name for kind in kinds for name in kind.reserved_ids}
    entries: dict[str, tuple[Entry, ...]] = {}
    for kind in build_order(kinds):
        built: dict[str, Entry] = {}
        for item_id in sorted(sources.get(kind.name, {})):
            source = sources[kind.name][item_id]
            if kind.in_nav and item_id in reserved:
                problems.append(Problem(source.document.display, 0, f"page id {item_id!r} is reserved for a built-in page"))
                continue
            if kind.checks is not None:
                problems.extend(kind.checks(config, source))
            entry = kind.build(context, source)
            if entry is not None:
                built[item_id] = entry
        context.built[kind.name] = built
        entries[kind.name] = tuple(sorted(built.values(), key=kind.sort_key, reverse=kind.newest_first))

    entries = {kind.name: entries[kind.name] for kind in kinds}  # the table's order, not the build order
    listings = {kind.listing.nav for kind in kinds if kind.listing is not None}
    nav_ids = {item_id for kind in kinds if kind.in_nav for item_id in context.built[kind.name]}
    invalid_nav = {item_id for kind in kinds if kind.in_nav for (name, item_id) in content.invalid if name == kind.name}
    for index, entry_id in enumerate(config.nav):
        if entry_id not in listings and entry_id not in nav_ids and entry_id not in invalid_nav:
            site_problem(("nav", index), f"nav entry {entry_id!r} is neither a built-in listing nor a page id")

    if problems and not keep_going:
        raise BuildError(problems)

    site = Site(
        root=content.raw.root,
        config=config,
        languages=languages,
        fallback_chains=MappingProxyType(chains),
        timezone=context.zone,
        title=Localized.of(config.title, default),  # type: ignore[arg-type]
        tagline=Localized.of(config.tagline, default),
        rooms=MappingProxyType(rooms),
        tracks=MappingProxyType(tracks),
        sections=MappingProxyType(sections),
        media=MappingProxyType(media),
        entries=MappingProxyType(entries),
        entry_map=MappingProxyType({name: MappingProxyType({e.id: e for e in items}) for name, items in entries.items()}),
        editions=editions,
        indexes=MappingProxyType({}),
        lists=MappingProxyType({}),
    )
    indexes = {index.name: _index(site, kind.name, index) for kind in kinds for index in kind.indexes}
    lists = {name: make(site) for kind in kinds for name, make in kind.lists.items()}
    site = replace(site, indexes=MappingProxyType(indexes), lists=MappingProxyType(lists), countries_named=_countries_named(site, kinds))
    for kind in kinds:
        if kind.site_checks is not None:
            warnings.extend(kind.site_checks(site))
    return replace(site, warnings=tuple(warnings), problems=tuple(problems))


def build_order(kinds: tuple[ContentKind, ...]) -> list[ContentKind]:
    """The kinds, each after the kinds its references name (sessions after people), else in table order."""
    names = {kind.name for kind in kinds}
    ordered: list[ContentKind] = []
    pending = list(kinds)
    while pending:
        ready = next(
            kind for kind in pending
            if all(ref.target not in names or ref.target == kind.name or any(done.name == ref.target for done in ordered)
                   for ref in kind.references)
        )
        ordered.append(ready)
        pending.remove(ready)
    return ordered


def _sources(content: ValidContent, languages: tuple[str, ...]) -> dict[str, dict[str, Source]]:
    """Valid source documents by kind and id, with their valid translations attached.

    A translation without a valid source, in a language the site does not
    have or in the default language is left out (validate reports each).
    """
    found: dict[tuple[str, str], Valid] = {}
    translations: dict[tuple[str, str], dict[str, Valid]] = defaultdict(dict)
    translated: list[Valid] = []
    for valid in content.documents:
        document = valid.document
        if document.lang is None:
            found[(document.kind, document.id)] = valid
        else:
            translated.append(valid)
    for valid in translated:
        document = valid.document
        key = (document.kind, document.id)
        if key in found and document.lang in languages[1:] and not is_unchanged(document, found[key].document):
            translations[key][document.lang] = valid  # (an unchanged one is not a translation: validate warns)
    sources: dict[str, dict[str, Source]] = defaultdict(dict)
    for (kind, item_id), valid in found.items():
        sources[kind][item_id] = Source(kind, item_id, valid.meta, valid.document, translations.get((kind, item_id), {}))
    return sources


def _countries_named(site: Site, kinds: tuple[ContentKind, ...]) -> frozenset[str]:
    """site.yaml's countries and venue, and every country an entry names."""
    found = set(site.config.countries)
    if site.config.venue is not None and site.config.venue.country:
        found.add(site.config.venue.country)
    for kind in kinds:
        for reference in kind.references:
            if reference.target != "country":
                continue
            for entry in site.items(kind.name):
                value = getattr(entry.meta, reference.field, None)
                found.update(value if isinstance(value, list) else [value] if value else [])
    return frozenset(found)


def _rooms_and_sections(config: SiteConfig, default: str) -> tuple[dict[str, Room], dict[str, Section]]:
    rooms = {
        rid: Room(rid, Localized.of(room.name, default), room.marker, Localized.of(room.location, default))  # type: ignore[arg-type]
        for rid, room in config.rooms.items()
    }
    sections = {
        sid: Section(sid, Localized.of(sec.title, default), Localized.of(sec.summary, default))  # type: ignore[arg-type]
        for sid, sec in config.exhibition.sections.items()
    }
    return rooms, sections


def _tracks(config: SiteConfig, default: str) -> dict[str, Track]:
    return {tid: Track(tid, Localized.of(track.name, default), track.color) for tid, track in config.tracks.items()}  # type: ignore[arg-type]


def _check_floor_plan(config: SiteConfig, media: Mapping[str, object], site_problem: Callable[[tuple, str], None]) -> None:
    plan = config.venue.floor_plan if config.venue else None
    if plan is not None and plan.image not in media:
        site_problem(("venue", "floor_plan", "image"), f"media/{plan.image} does not exist")


def _index(site: Site, kind: str, index: Index) -> Mapping[str, tuple]:
    """key → the kind's entries listed under it (in the kind's order), each once per key."""
    groups: dict[str, list] = defaultdict(list)
    for entry in site.items(kind):
        for key in dict.fromkeys(index.keys(entry, site)):
            groups[key].append(entry)
    return MappingProxyType({key: tuple(value) for key, value in groups.items()})


def _fallback_chains(config: SiteConfig, site_problem: Callable[[tuple, str], None]) -> dict[str, tuple[str, ...]]:
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


def _check_localized_keys(config: SiteConfig, languages: tuple[str, ...], site_problem: Callable[[tuple, str], None]) -> None:
    def visit(value: object, path: tuple) -> None:
        if isinstance(value, BaseModel):
            for name in type(value).model_fields:
                visit(getattr(value, name), path + (name,))
        elif isinstance(value, dict):
            is_text = all(isinstance(v, str) for v in value.values()) and value and path[-1:] != ("fallbacks",)
            for key, item in value.items():
                if is_text and key not in languages:
                    site_problem(path + (key,), f"{'.'.join(map(str, path))}: language {key!r} is not in languages")
                visit(item, path + (key,))

    for name in ("title", "tagline", "venue", "organizer", "rooms", "tracks", "exhibition", "country_names"):
        visit(getattr(config, name), (name,))


def _check_languages(config: SiteConfig, site_doc: Document, site_problem: Callable[[tuple, str], None]) -> list[Problem]:
    """Every language is one CLDR knows, or one site.yaml ``locales`` declares with formats to borrow
    (a warning says so). Returns the warnings."""
    warnings = []
    for index, code in enumerate(config.languages):
        if l10n.known_to_cldr(code):
            continue
        settings = config.locales.get(code)
        if settings is None or settings.formats is None:
            site_problem(("languages", index), f"{code!r} is not a language known to CLDR{language_hint(code)}")
            continue
        info = l10n.language(code, settings)
        line, column = site_doc.meta.locate(("locales", code))
        message = (
            f"CLDR has no data for {info.english_name} ({code}): its dates and names follow {settings.formats!r} "
            f"(locales.{code}.formats); give it a catalog in locales/{code}/ for its interface"
        )
        warnings.append(Problem(site_doc.display, line, message, column, severity="warning"))
    for code in config.locales:
        if code not in config.languages:
            site_problem(("locales", code), f"locales: {code!r} is not in languages" + did_you_mean(code, config.languages))
    return warnings
