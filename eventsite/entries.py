"""What every content item is in the model: an :class:`Entry` with its translations.

Kinds (eventsite/kinds/) subclass :class:`Entry` with their own typed fields
(times made aware in the event's zone, resolved references); this module holds what
all of them share: picking a text along a reader's fallback chain, the
files an entry was made from, the links its bodies make to other items.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Generic, Mapping, Sequence, TypeVar

from zoneinfo import ZoneInfo

from .config import SiteConfig
from . import l10n
from .errors import Problem
from .l10n import Language
from .fields import LocalizedText, Strict, TranslationBase
from .documents import Document, MediaFile
from .timeline import History

Meta = TypeVar("Meta", bound=Strict)


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
    meta: TranslationBase
    body: str
    document: Document


@dataclass(frozen=True, eq=False)
class Entry(Generic[Meta]):
    """What every content item has: an id, a source file, translations."""

    kind: str
    id: str
    meta: Meta
    body: str
    document: Document
    default_language: str
    translations: Mapping[str, Translation]

    @functools.cached_property
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

    def body_sources(self, chain: Sequence[str]) -> tuple[Path, ...]:
        """The files :meth:`body_text` read for ``chain``: the translation whose body is shown, or (when
        there is none, or its body is empty) the item's own file too. Which translation that is follows
        from which exist (:attr:`languages_fact`); so an edit of the English text leaves the pages that
        show the Thai text alone, and a Thai body emptied again is an edit of the Thai file."""
        translation = self.translations.get(self.text_language(chain))
        if translation is None:
            return (self.document.path,)
        if translation.body.strip():
            return (translation.document.path,)
        return (translation.document.path, self.document.path)

    def body_document(self, lang: str) -> Document:
        translation = self.translations.get(lang)
        return translation.document if translation is not None else self.document

    @property
    def sources(self) -> tuple[Path, ...]:
        return (self.document.path, *(t.document.path for t in self.translations.values()))

    def sources_for(self, chain: Sequence[str]) -> tuple[Path, ...]:
        """The files whose text a reader with ``chain`` can see: the item's own document and its
        translations along the chain. What a page records, so that editing the Thai translation
        re-renders the Thai pages only; which translations exist is :attr:`languages_fact`."""
        return (self.document.path, *(self.translations[lang].document.path for lang in chain if lang in self.translations))

    def front_facts(self, chain: tuple[str, ...]) -> tuple[str, ...]:
        """:func:`front_fact` of each of :meth:`sources_for` ``chain``: what every view of the item records
        (asked some 50,000 times for a programme of 300 items in 10 languages, so kept per chain)."""
        found = self._front_facts.get(chain)
        if found is None:
            found = self._front_facts[chain] = tuple(front_fact(source) for source in self.sources_for(chain))
        return found

    @functools.cached_property
    def _front_facts(self) -> dict[tuple[str, ...], tuple[str, ...]]:
        return {}

    @functools.cached_property
    def languages_fact(self) -> str:
        """The fact 'which languages this item is in' (language switchers, sitemap alternates; Site.facts)."""
        return f"languages:{self.kind}:{self.id}"

    def links_into(self, folder: str) -> tuple[str, ...]:
        """Ids of items of ``folder`` ('exhibits') the body links to in any language, first mention first."""
        found = self._links.get(folder)
        if found is None:
            bodies = [self.body, *(translation.body for translation in self.translations.values())]
            found = tuple(dict.fromkeys(item_id for body in bodies for item_id in _links_into(body, folder)))
            self._links[folder] = found
        return found

    @functools.cached_property
    def _links(self) -> dict[str, tuple[str, ...]]:
        return {}


def link_pattern(folder: str) -> re.Pattern[str]:
    """A site-relative link to an item page of ``folder`` in a Markdown body (inline, reference
    or raw HTML link), optionally with a language prefix: ``(/exhibits/5g/)``, ``[x]: /exhibits/5g/``,
    ``href="/th/exhibits/5g/#a"``. Group 1 is the id."""
    return _pattern(folder)


@functools.lru_cache(maxsize=None)
def _pattern(folder: str) -> re.Pattern[str]:
    return re.compile(
        r"(?<![\w./-])(?:/[a-z]{2,3}(?:-[A-Za-z0-9]{1,8})*)?/" + re.escape(folder)
        + r"/([a-z0-9]+(?:-[a-z0-9]+)*)(?=[/#?)\s\"'>]|$)"
    )


@functools.lru_cache(maxsize=1 << 14)
def _links_into(body: str, folder: str) -> tuple[str, ...]:
    # Memoized: the dev server rebuilds the model on every edit, and scanning
    # every body with this pattern was half of that time at 5,000 pages.
    if f"/{folder}/" not in body:
        return ()
    return tuple(match.group(1) for match in _pattern(folder).finditer(body))


def front_fact(path: Path) -> str:
    """The fact 'the front matter of this content file': what a page that lists an item reads of it.
    A page that shows the body records the file itself (views.EntryView)."""
    return f"front:{path}"


@dataclass(frozen=True, eq=False)
class Room:
    id: str
    name: Localized
    marker: str | None = None  # its label on the venue's floor plan
    location: Localized | None = None  # where it is in the venue


@dataclass(frozen=True, eq=False)
class Track:
    """A strand of the programme (site.yaml ``tracks``): its name and the colour of its bar."""

    id: str
    name: Localized
    color: str  # #rrggbb, lower case


@dataclass(frozen=True, eq=False)
class Section:
    id: str
    title: Localized
    summary: Localized | None


@dataclass(frozen=True, eq=False)
class Site:
    """The whole event, ready to be rendered. Immutable once built (eventsite/model.py builds it).

    Entries are kept per content kind (``items('person')``, ``get('person', id)``),
    in the order each kind lists them; ``index(name)`` and ``derived(name)`` are
    the lookups and lists the kinds declare (a person's sessions, the days of the
    programme), made once here so that no page scans every other page.
    """

    root: Path  # the content folder
    config: SiteConfig
    languages: tuple[str, ...]
    fallback_chains: Mapping[str, tuple[str, ...]]
    timezone: ZoneInfo
    title: Localized
    tagline: Localized | None
    rooms: Mapping[str, Room]
    sections: Mapping[str, Section]
    media: Mapping[str, MediaFile]
    entries: Mapping[str, tuple[Entry, ...]]  # kind name → entries, in the kind's order
    entry_map: Mapping[str, Mapping[str, Entry]]  # kind name → id → entry
    indexes: Mapping[str, Mapping[str, tuple]]  # index name → key → items
    lists: Mapping[str, tuple]  # derived lists by name (e.g. the programme's days)
    editions: Mapping[str, Language] = field(default_factory=dict)  # each language as published (l10n.language)
    tracks: Mapping[str, Track] = field(default_factory=dict)  # site.yaml tracks, in its order
    countries_named: frozenset[str] = frozenset()  # every country code a page may show (for their flags)
    warnings: tuple[Problem, ...] = ()
    history: History = field(default_factory=History)  # the tracked kinds' revisions in git (eventsite/timeline.py)
    # Errors of a model built to check as much as possible (build_model(keep_going=True)):
    # such a site is never rendered for publication.
    problems: tuple[Problem, ...] = ()

    @property
    def default_language(self) -> str:
        return self.languages[0]

    def chain(self, lang: str) -> tuple[str, ...]:
        return self.fallback_chains[lang]

    def language(self, code: str) -> Language:
        """A language as this site publishes it (its name, direction, calendar, formats): site.yaml
        ``locales`` over CLDR."""
        found = self.editions.get(code)
        return found if found is not None else l10n.language(code)

    def country_names(self, lang: str) -> dict[str, str]:
        """site.yaml ``country_names`` in ``lang`` (countries it names in that language)."""
        return {code: names[lang] for code, names in self.config.country_names.items() if lang in names}

    def items(self, kind: str) -> tuple[Entry, ...]:
        return self.entries.get(kind, ())

    def get(self, kind: str, item_id: str) -> Entry | None:
        return self.entry_map.get(kind, {}).get(item_id)

    def index(self, name: str) -> Mapping[str, tuple]:
        return self.indexes[name]

    def collection(self, name: str) -> tuple:
        """A whole list by name: a kind's entries ('person') or a derived list ('days')."""
        return self.entries[name] if name in self.entries else self.lists[name]

    def facts(self) -> dict[str, tuple]:
        """What listing pages read besides single entries, as comparable values.

        The incremental builder compares these before and after an edit: a
        page that read ``sessions_by_person:minister`` is stale when that
        list of ids changed, even if none of the files it read did.
        """
        found: dict[str, tuple] = {}
        for name, items in (*self.entries.items(), *self.lists.items()):
            found[f"collection:{name}"] = tuple(_fact_id(item) for item in items)
        found["history"] = self.history.fact
        for items in self.entries.values():
            for entry in items:
                found[entry.languages_fact] = tuple(sorted(entry.languages))
                for document in (entry.document, *(translation.document for translation in entry.translations.values())):
                    found[front_fact(document.path)] = document.meta.data
        for index_name, index in self.indexes.items():
            for key, items in index.items():
                found[f"{index_name}:{key}"] = tuple(item.id for item in items)
        return found


def _fact_id(item: object) -> object:
    """An entry by its id; anything else (a programme day) by what identifies it."""
    fact_id = getattr(item, "fact_id", None)
    return fact_id if fact_id is not None else getattr(item, "id")
