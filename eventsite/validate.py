"""Stage 2, validate: check each document against the schema of its kind.

The pydantic models here are the single source of truth for the content
format: validation, the JSON Schemas for editors' tools and the docs' field
tables all come from them. Every document is checked and every problem is
reported (with file, line and field) before the build stops.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Union
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, field_validator, model_validator

from . import paths
from .errors import BuildError, Problem
from .load import Document, RawContent

# --- field types --------------------------------------------------------------


def _check_id(value: str) -> str:
    why = paths.id_problem(value)
    if why:
        raise ValueError(why)
    return value


def _check_language(value: str) -> str:
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(value, sep="-")
    except (ValueError, UnknownLocaleError):
        raise ValueError(f"{value!r} is not a language known to CLDR") from None
    return value


@lru_cache(maxsize=1)
def _cldr_territories() -> frozenset[str]:
    from babel import Locale

    return frozenset(code for code in Locale("en").territories if len(code) == 2 and code.isalpha())


def _check_country(value: str) -> str:
    if value not in _cldr_territories():
        raise ValueError(f"{value!r} is not an ISO 3166 alpha-2 country code (e.g. 'KR', 'TH')")
    return value


def _check_url(value: str) -> str:
    # Autoescaping does not stop `javascript:` in an href: allow-list schemes.
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError("must be an absolute http:// or https:// URL")
    return value


def _check_media_path(value: str) -> str:
    why = paths.media_path_problem(value)
    if why:
        raise ValueError(why)
    return paths.nfc(value)


_LOCAL_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}$")


def _parse_local_time(value: Any) -> Any:
    if isinstance(value, str):
        if not _LOCAL_TIME.match(value.strip()):
            raise ValueError("expected local time as 'YYYY-MM-DD HH:MM'")
        try:
            return dt.datetime.strptime(value.strip().replace("T", " "), "%Y-%m-%d %H:%M")
        except ValueError:
            raise ValueError(f"{value.strip()!r} is not a real date and time (expected 'YYYY-MM-DD HH:MM')") from None
    return value


def _parse_date(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError("expected a date as 'YYYY-MM-DD'") from None
    return value


def _one_line(value: str) -> str:
    if "\n" in value.strip():
        raise ValueError("must be a single line")
    return value.strip()


Id = Annotated[str, AfterValidator(_check_id)]
Language = Annotated[str, AfterValidator(_check_language)]
Country = Annotated[str, AfterValidator(_check_country)]
Url = Annotated[str, AfterValidator(_check_url)]
MediaPath = Annotated[str, AfterValidator(_check_media_path)]
LocalTime = Annotated[dt.datetime, BeforeValidator(_parse_local_time)]
Date = Annotated[dt.date, BeforeValidator(_parse_date)]
Line = Annotated[str, AfterValidator(_one_line), Field(min_length=1)]
# A plain string (the default language) or a mapping {language: text}.
LocalizedText = Union[Line, dict[Language, Line]]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


# --- site.yaml ------------------------------------------------------------------


class DateRange(Strict):
    start: Date
    end: Date

    @model_validator(mode="after")
    def _ordered(self) -> "DateRange":
        if self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        return self


class Venue(Strict):
    name: LocalizedText
    address: LocalizedText | None = None
    city: LocalizedText | None = None
    country: Country | None = None
    url: Url | None = None


class Organizer(Strict):
    name: LocalizedText
    url: Url | None = None


class Room(Strict):
    name: LocalizedText


class Section(Strict):
    title: LocalizedText
    summary: LocalizedText | None = None


class Exhibition(Strict):
    sections: dict[Id, Section] = Field(default_factory=dict)


def _check_timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a folder such as 'Asia'
        raise ValueError(f"{value!r} is not an IANA time zone (e.g. 'Asia/Seoul')") from None
    return value


def normalize_base_url(value: str) -> str:
    """An absolute http(s) URL ending in '/'."""
    _check_url(value)
    return value if value.endswith("/") else value + "/"


class SiteConfig(Strict):
    """Event-wide settings: content/site.yaml."""

    title: LocalizedText = Field(description="the event's name")
    tagline: LocalizedText | None = Field(None, description="one line under the name")
    languages: list[Language] = Field(min_length=1, description="BCP 47 codes; the first is the default language")
    fallbacks: dict[Language, list[Language]] = Field(
        default_factory=dict, description="where a missing translation looks first, e.g. {ms: [id, en]}"
    )
    timezone: Annotated[str, AfterValidator(_check_timezone)] = Field(
        description="IANA zone; every time in the content is local time here (e.g. Asia/Seoul)"
    )
    dates: DateRange = Field(description="the event's first and last day; sessions must fall inside")
    venue: Venue | None = Field(None, description="where the event happens")
    base_url: Annotated[str, AfterValidator(normalize_base_url)] = Field(
        description="absolute URL the site is published at; may include a sub-path"
    )
    organizer: Organizer | None = Field(None, description="who organizes the event")
    countries: list[Country] = Field(
        default_factory=list, description="participating states as ISO 3166 alpha-2 codes; names come from CLDR"
    )
    rooms: dict[Id, Room] = Field(default_factory=dict, description="rooms that sessions refer to, by id")
    exhibition: Exhibition = Field(default_factory=Exhibition, description="exhibition sections, by id")
    nav: list[Id] = Field(
        default_factory=list, description="menu entries in order: schedule, exhibition, people, news and page ids"
    )

    @field_validator("languages")
    @classmethod
    def _unique_languages(cls, languages: list[str]) -> list[str]:
        # A field validator, so the problem points at the `languages:` line.
        # 'en' and 'EN' would be two output folders that are one on macOS and Windows.
        if len({language.lower() for language in languages}) != len(languages):
            raise ValueError("each language may be listed once (letter case does not count)")
        return languages


# --- front matter ---------------------------------------------------------------


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


class SessionMeta(Strict):
    """A programme item: content/sessions/<id>.md."""

    title: Line = Field(description="the session's title")
    start: LocalTime = Field(description="local start time in the event's zone, 'YYYY-MM-DD HH:MM'")
    end: LocalTime = Field(description="local end time, after start, 'YYYY-MM-DD HH:MM'")
    kind: SessionKind = Field(SessionKind.other, description="what kind of programme item this is")
    room: Id | None = Field(None, description="a room id from site.yaml rooms")
    speakers: list[Id] = Field(default_factory=list, description="people ids (files in people/)")
    moderators: list[Id] = Field(default_factory=list, description="people ids (files in people/)")
    countries: list[Country] = Field(default_factory=list, description="alpha-2 codes of the countries taking part")
    summary: Line | None = Field(None, description="one sentence shown in listings")


class ExhibitMeta(Strict):
    """An exhibition exhibit: content/exhibits/<id>.md."""

    title: Line = Field(description="the exhibit's title")
    section: Id = Field(description="a section id from site.yaml exhibition.sections")
    country: Country = Field(description="alpha-2 code of the presenting country")
    organization: Line | None = Field(None, description="who presents it")
    image: MediaPath | None = Field(None, description="an image below media/, e.g. exhibits/5g.jpg")
    image_alt: Line | None = Field(None, description="the image's text alternative")
    url: Url | None = Field(None, description="the service's own website (http or https)")
    summary: Line | None = Field(None, description="one sentence for the exhibit cards")


class PersonMeta(Strict):
    """A speaker, minister or moderator: content/people/<id>.md."""

    name: Line = Field(description="the person's name as it should be printed")
    role: Line | None = Field(None, description="title or function, e.g. Minister of the Interior and Safety")
    organization: Line | None = Field(None, description="ministry, agency or organization")
    country: Country | None = Field(None, description="alpha-2 code of the delegation")
    photo: MediaPath | None = Field(None, description="a portrait below media/")


class PageMeta(Strict):
    """A free page: content/pages/<id>.md."""

    title: Line = Field(description="the page's title")
    summary: Line | None = Field(None, description="one sentence under the title and in search results")


class NewsMeta(Strict):
    """A dated announcement: content/news/<id>.md."""

    title: Line = Field(description="the headline")
    date: Date = Field(description="publication date, 'YYYY-MM-DD'")
    summary: Line | None = Field(None, description="one sentence for the news list")


Fingerprint = Annotated[str, Field(pattern=r"^[0-9a-f]{12,64}$")]


class ReviewState(str, enum.Enum):
    draft = "draft"


class _TranslationBase(Strict):
    # Written by `build.py i18n sign-off`: the fingerprint of the source's
    # translatable text when the translation was last brought up to date.
    source_fingerprint: Fingerprint | None = None
    # A machine-drafted or unreviewed translation: published, counted apart in
    # the status report, marked on the page; `i18n sign-off` clears it.
    review: ReviewState | None = Field(None, description="'draft': published, but awaiting a reviewer's sign-off")


class TitledTranslation(_TranslationBase):
    title: Line | None = None
    summary: Line | None = None


class ExhibitTranslation(TitledTranslation):
    organization: Line | None = None
    image_alt: Line | None = None


class PersonTranslation(_TranslationBase):
    name: Line | None = None
    role: Line | None = None
    organization: Line | None = None


@dataclass(frozen=True)
class ContentKind:
    """How one folder of content is validated."""

    name: str
    folder: str
    meta: type[Strict]
    translation: type[_TranslationBase]


CONTENT_KINDS: dict[str, ContentKind] = {
    kind.name: kind
    for kind in (
        ContentKind("session", "sessions", SessionMeta, TitledTranslation),
        ContentKind("exhibit", "exhibits", ExhibitMeta, ExhibitTranslation),
        ContentKind("person", "people", PersonMeta, PersonTranslation),
        ContentKind("page", "pages", PageMeta, TitledTranslation),
        ContentKind("news", "news", NewsMeta, TitledTranslation),
    )
}


def translatable_fields(kind: str) -> tuple[str, ...]:
    return tuple(name for name in CONTENT_KINDS[kind].translation.model_fields if name not in TRANSLATION_RECORD_FIELDS)


# Fields of a translation file that say something about the translation, not text to translate.
TRANSLATION_RECORD_FIELDS = frozenset({"source_fingerprint", "review"})


# --- the stage ------------------------------------------------------------------


@dataclass(frozen=True)
class Valid:
    """A document whose front matter passed its schema."""

    document: Document
    meta: BaseModel


@dataclass(frozen=True)
class ValidContent:
    """The documents that passed, and the problems of those that did not.

    The model stage still cross-checks the valid ones, so one run reports a
    schema error in one file and a dangling reference in another together.
    """

    raw: RawContent
    site: SiteConfig
    documents: tuple[Valid, ...]
    problems: tuple[Problem, ...] = ()
    invalid: frozenset[tuple[str, str]] = frozenset()  # (kind, id) of sources that failed


class ValidationCache:
    """What the dev server keeps between edits: the result for each document it validated.

    ``metas`` by (path, sha), so a file saved unchanged reuses its metadata
    (and the model then reuses its entry); ``valid`` by path, holding the very
    Document it was made from, so an unchanged document costs one lookup.
    """

    def __init__(self) -> None:
        self.metas: dict[tuple[Path, str], Any] = {}
        self.valid: dict[Path, Valid] = {}


def validate_content(raw: RawContent, cache: ValidationCache | None = None) -> ValidContent:
    problems: list[Problem] = []
    cache = cache if cache is not None else ValidationCache()
    site_key = (raw.site.path, raw.site.sha)
    site = cache.metas.get(site_key)
    if site is None:
        site = _validate(raw.site, SiteConfig, problems)
        if site is not None:
            cache.metas[site_key] = site
    valid: list[Valid] = []
    invalid: set[tuple[str, str]] = set()
    known = cache.valid
    for document in raw.documents:
        found = known.get(document.path)
        if found is not None and found.document is document:
            valid.append(found)
            continue
        kind = CONTENT_KINDS[document.kind]
        schema = kind.meta if document.lang is None else kind.translation
        key = (document.path, document.sha)
        meta = cache.metas.get(key)
        if meta is None:
            meta = _validate(document, schema, problems)
            if meta is not None:
                cache.metas[key] = meta
        if meta is not None:
            valid.append(Valid(document, meta))
            known[document.path] = valid[-1]
        elif document.lang is None:
            invalid.add((document.kind, document.id))
    if site is None:
        # Without valid settings nothing else can be checked meaningfully.
        raise BuildError(problems)
    return ValidContent(raw, site, tuple(valid), tuple(problems), frozenset(invalid))


def _validate(document: Document, schema: type[BaseModel], problems: list[Problem]) -> Any:
    try:
        return schema.model_validate(document.meta.data)
    except ValidationError as error:
        for detail in error.errors():
            problems.append(schema_problem(document, schema, detail))
        return None


def schema_problem(document: Document, schema: type[BaseModel], detail: Any) -> Problem:
    """Turn one pydantic error into ``path:line:col: field: message``."""
    loc = tuple(detail["loc"])
    # Union members add their type name to the location; drop them.
    loc = tuple(part for part in loc if not (isinstance(part, str) and ("[" in part or part in ("str", "dict"))))
    line, column = document.meta.locate(loc)
    field = ".".join(str(part) for part in loc)
    kind = detail["type"]
    if kind == "missing":
        message = f"missing required field '{field}'"
        # At the mapping that lacks it; for front matter's top level, the opening '---'.
        line, column = document.meta.locate(loc[:-1])
        if not loc[:-1] and document.kind != "site":
            line, column = 1, 1
    elif kind == "extra_forbidden":
        allowed = ", ".join(_allowed_keys(schema, loc[:-1]))
        message = f"unknown field '{field}'" + (f" (allowed here: {allowed})" if allowed else "")
    else:
        text = detail["msg"].removeprefix("Value error, ")
        message = f"{field}: {text}" if field else text
    return Problem(document.display, line, message, column)


def _allowed_keys(schema: type[BaseModel], parent: tuple) -> list[str]:
    model: Any = schema
    for part in parent:
        field = getattr(model, "model_fields", {}).get(part) if isinstance(part, str) else None
        if field is None:
            return []
        annotation = field.annotation
        candidates = [annotation, *getattr(annotation, "__args__", ())]
        model = next((c for c in candidates if isinstance(c, type) and issubclass(c, BaseModel)), None)
        if model is None:
            return []
    return list(getattr(model, "model_fields", {}))
