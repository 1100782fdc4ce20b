"""site.yaml: the event's settings, as one pydantic model (:class:`SiteConfig`).

The source of truth for site.yaml's format: validation (eventsite/validate.py),
the JSON Schema editors' tools use (eventsite/schemas.py) and the docs' key
table all come from it.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal, Union

from pydantic import AfterValidator, Field, field_validator, model_validator

from .colours import contrast, ratio_text
from .fields import (
    Attendance,
    BaseUrl,
    Country,
    Date,
    Id,
    KeptWord,
    Language,
    LanguageTag,
    Line,
    LocalizedText,
    Status,
    MediaPath,
    Strict,
    TimeZone,
    Url,
)


class DateRange(Strict):
    start: Date
    end: Date

    @model_validator(mode="after")
    def _ordered(self) -> "DateRange":
        if self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        return self


# The loader reads every YAML scalar as a string (yaml_strict.py), so the JSON Schema accepts degrees written either way.
_DEGREES: dict = {"type": ["number", "string"], "pattern": r"^-?[0-9]+(\.[0-9]+)?$"}


class GeoPoint(Strict):
    """A point on the map, in WGS 84 degrees (what OpenStreetMap, geo: URIs and schema.org use)."""

    lat: float = Field(ge=-90, le=90, description="latitude in degrees, north positive, e.g. 35.1690", json_schema_extra=_DEGREES)
    lon: float = Field(ge=-180, le=180, description="longitude in degrees, east positive, e.g. 129.1361", json_schema_extra=_DEGREES)


class FloorPlan(Strict):
    image: MediaPath = Field(description="a picture below media/, e.g. venue/floor-plan.svg")
    alt: LocalizedText = Field(description="what the plan shows, for readers who cannot see it, per language")


class Venue(Strict):
    name: LocalizedText
    address: LocalizedText | None = None
    city: LocalizedText | None = None
    country: Country | None = None
    url: Url | None = None
    geo: GeoPoint | None = Field(None, description="the venue's entrance on the map: {lat: 35.1690, lon: 129.1361}")
    floor_plan: FloorPlan | None = Field(None, description="a plan of the venue shown with the rooms' locations: {image, alt}")


class Organizer(Strict):
    name: LocalizedText
    url: Url | None = None


class Room(Strict):
    name: LocalizedText
    marker: Line | None = Field(None, description="the room's label on the floor plan, e.g. 1 or A")
    location: LocalizedText | None = Field(None, description="where the room is in the venue, e.g. Exhibition Centre 1, ground floor")


_HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


def _check_colour(value: str) -> str:
    if not _HEX_COLOUR.match(value):
        raise ValueError(f"{value!r} is not a colour: write it as # and six hex digits, e.g. '#0b4f8a' (quoted: # starts a YAML comment)")
    return value.lower()


Colour = Annotated[str, AfterValidator(_check_colour)]


# A track's colour is drawn as a bar beside text, never behind it, so text contrast never depends on
# it; the bar itself must stand out from the page (WCAG 1.4.11, non-text contrast: 3:1 on white).
PAGE_BACKGROUND = "#ffffff"
MINIMUM_BAR_CONTRAST = 3.0


def _check_bar_colour(value: str) -> str:
    value = _check_colour(value)
    ratio = contrast(value, PAGE_BACKGROUND)
    if ratio < MINIMUM_BAR_CONTRAST:
        raise ValueError(
            f"{value} is too light to see on the page's white ({ratio_text(ratio)}; a track's colour bar needs "
            f"{MINIMUM_BAR_CONTRAST:.0f}:1): choose a darker shade"
        )
    return value


BarColour = Annotated[str, AfterValidator(_check_bar_colour)]


class Track(Strict):
    """A strand of the programme (the roundtable, the exhibition): a name and a colour."""

    name: LocalizedText = Field(description="the track's name, per language")
    color: BarColour = Field(description="#rrggbb, drawn as a bar beside the track's sessions; at least 3:1 against white")


class Registration(Strict):
    """How to register: a call to action on the home page, and JSON-LD ``offers``."""

    url: Url = Field(description="the registration page")
    price: Annotated[str, Field(pattern=r"^\d+(\.\d{1,2})?$")] | None = Field(
        None, description="the fee as a decimal number, e.g. '0' (free) or '150.00'"
    )
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] | None = Field(None, description="ISO 4217 code, e.g. KRW")
    closes: Date | None = Field(None, description="the last day to register")


class ChangeSettings(Strict):
    """The programme changes page: what counts as a change (eventsite/timeline.py)."""

    since: Date | None = Field(
        None, description="list changes committed from this day on (before it, the programme was still being drafted)"
    )
    marker_days: int = Field(14, ge=0, le=366, description="how many days a changed item shows 'updated on …'")


class Section(Strict):
    title: LocalizedText
    summary: LocalizedText | None = None


class Exhibition(Strict):
    sections: dict[Id, Section] = Field(default_factory=dict)


class LocaleSettings(Strict):
    """How one edition writes dates and names, where CLDR's defaults for its language are not the event's."""

    name: Line | None = Field(None, description="the language's name in itself (needed for a language CLDR lacks), e.g. Gagana Sāmoa")
    english_name: Line | None = Field(None, description="its name in English, e.g. Samoan")
    formats: Language | None = Field(
        None, description="a CLDR locale whose date formats and names this edition uses: en-GB for British English, "
        "en for a language CLDR lacks",
    )
    calendar: Literal["gregorian", "buddhist"] = Field(
        "gregorian", description="the calendar of the dates readers see (buddhist: the Thai era); machine formats stay Gregorian"
    )
    direction: Literal["ltr", "rtl"] | None = Field(None, description="the text direction, for a language CLDR lacks")
    keep_together: tuple[KeptWord, ...] = Field(
        (), description="words the browser's line breaker would split, kept on one line wherever pages show them: "
        "names and compounds in scripts without spaces (th: [ปูซาน, เมียนมา]); docs/translating.md",
    )




class Colours(Strict):
    """The event's colours. Each must keep the text pairs the theme draws with it readable (eventsite/brand.py)."""

    primary: Colour = Field(description="the header, buttons and links, e.g. '#0b4f8a'; white text sits on it")
    accent: Colour | None = Field(None, description="highlights such as the 'now' badge, e.g. '#b3261e'; white text sits on it")


class Logo(Strict):
    file: MediaPath = Field(description="an SVG or PNG below media/, e.g. brand/emblem.svg")
    alt: LocalizedText = Field(description="what the logo says, per language, e.g. {en: Forum emblem}")
    raster: MediaPath | None = Field(
        None, description="a PNG of the same logo (at least 180 px square) for the touch icon and share cards, when file is an SVG"
    )


_FOCAL_POINT = re.compile(r"^(\d{1,3})%\s+(\d{1,3})%$")


def _check_focal_point(value: str) -> str:
    found = _FOCAL_POINT.match(value)
    if not found or int(found.group(1)) > 100 or int(found.group(2)) > 100:
        raise ValueError(f"{value!r} is not a point of the picture: write it as 'x% y%' from the top left, e.g. '50% 40%'")
    return f"{int(found.group(1))}% {int(found.group(2))}%"


FocalPoint = Annotated[str, AfterValidator(_check_focal_point)]


def focal_point(value: str) -> tuple[int, int]:
    """'66% 30%' → (66, 30)."""
    x, y = value.split()
    return int(x.rstrip("%")), int(y.rstrip("%"))


class KeyVisual(Strict):
    file: MediaPath = Field(description="a JPEG or PNG below media/, at least 1200 px wide, e.g. brand/key-visual.jpg")
    alt: LocalizedText = Field(description="what the picture shows, per language")
    focal_point: FocalPoint = Field(
        "50% 50%", description="the point that stays in view when the picture is cropped, from the top left: '66% 30%'"
    )


_REPOSITORY = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?/[A-Za-z0-9._-]+$")


def _check_repository(value: str) -> str:
    if not _REPOSITORY.match(value) or value.endswith((".git", "/.", "/..")):
        raise ValueError(f"{value!r} is not a GitHub repository: write its owner and name, e.g. 'ministry/forum-site'")
    return value


def _check_folder(value: str) -> str:
    parts = value.strip("/").split("/")
    if value.startswith("/") or "\\" in value or any(part in ("", ".", "..") for part in parts):
        raise ValueError(f"{value!r} is not a folder inside the repository, e.g. 'content' or 'sites/busan/content'")
    return value.strip("/")


class AdminSettings(Strict):
    """The web editor at /admin/ (eventsite/admin.py): where it reads and proposes changes."""

    backend: Literal["github"] = Field(description="where the repository is hosted: github")
    repo: Annotated[str, AfterValidator(_check_repository)] = Field(
        description="the repository as owner/name, e.g. ministry/forum-site"
    )
    branch: Line = Field("main", description="the branch the site is published from; saving opens a pull request against it")
    auth_url: Url | None = Field(
        None, description="the OAuth client that signs editors in with GitHub, e.g. a Sveltia CMS Authenticator at "
        "https://auth.example.org; without it, sign-in goes through Netlify (for a site Netlify hosts) or uses a personal access token",
    )
    content_folder: Annotated[str, AfterValidator(_check_folder)] = Field(
        "content", description="the content folder's path in the repository"
    )


class SiteConfig(Strict):
    """Event-wide settings: content/site.yaml."""

    title: LocalizedText = Field(description="the event's name")
    tagline: LocalizedText | None = Field(None, description="one line under the name")
    languages: list[LanguageTag] = Field(min_length=1, description="BCP 47 codes; the first is the default language")
    locales: dict[LanguageTag, LocaleSettings] = Field(
        default_factory=dict,
        description="per language: another CLDR locale's formats (en: {formats: en-GB}), a calendar (th: {calendar: buddhist}), "
        "or the name of a language CLDR lacks (sm: {name: Gagana Sāmoa, formats: en})",
    )
    fallbacks: dict[LanguageTag, list[LanguageTag]] = Field(
        default_factory=dict, description="where a missing translation looks first, e.g. {ms: [id, en]}"
    )
    timezone: TimeZone = Field(
        description="IANA zone; every time in the content is local time here (e.g. Asia/Seoul)"
    )
    dates: DateRange = Field(description="the event's first and last day; sessions must fall inside")
    venue: Venue | None = Field(None, description="where the event happens")
    base_url: BaseUrl = Field(
        description="absolute URL the site is published at; may include a sub-path"
    )
    organizer: Organizer | None = Field(None, description="who organizes the event")
    countries: list[Country] = Field(
        default_factory=list, description="participating states as ISO 3166 alpha-2 codes; names come from CLDR"
    )
    country_names: dict[Country, dict[LanguageTag, Line]] = Field(
        default_factory=dict,
        description="official names where CLDR's common ones will not do, per country and language: {LA: {en: Lao PDR}}",
    )
    rooms: dict[Id, Room] = Field(default_factory=dict, description="rooms that sessions refer to, by id")
    tracks: dict[Id, Track] = Field(
        default_factory=dict, description="strands of the programme that sessions refer to, by id: {name, color}"
    )
    exhibition: Exhibition = Field(default_factory=Exhibition, description="exhibition sections, by id")
    nav: list[Id] = Field(
        default_factory=list, description="menu entries in order: schedule, exhibition, people, news and page ids"
    )
    require_translations: dict[LanguageTag, Union[Literal["all", "none"], Id, list[Id]]] = Field(
        default_factory=dict,
        description="which translations block a release, per language: all, none, or kinds such as [person, page]; "
        "other gaps are reported as status, not errors",
    )
    status: Status = Field(Status.scheduled, description="scheduled, cancelled, postponed, rescheduled or moved-online")
    attendance: Attendance = Field(Attendance.in_person, description="in-person, online or hybrid; sessions may say otherwise")
    registration: Registration | None = Field(None, description="{url: …, price: '0', currency: KRW, closes: YYYY-MM-DD}")
    changes: ChangeSettings = Field(ChangeSettings(since=None, marker_days=14), description="the programme changes page and 'updated' markers")
    logo: Logo | None = Field(None, description="the event's emblem in the header, favicon and share cards: {file: brand/emblem.svg, alt: {en: …}}")
    colors: Colours | None = Field(None, description="the event's colours, checked for contrast (WCAG AA): {primary: '#0b4f8a', accent: '#b3261e'}")
    key_visual: KeyVisual | None = Field(
        None, description="the picture on the home page and its share card: {file: brand/key-visual.jpg, alt: {en: …}, focal_point: 50% 40%}"
    )
    admin: AdminSettings | None = Field(
        None, description="publish a web editor at /admin/ whose saves open pull requests: {backend: github, repo: owner/name, branch: main}"
    )

    @field_validator("languages")
    @classmethod
    def _unique_languages(cls, languages: list[str]) -> list[str]:
        # A field validator, so the problem points at the `languages:` line.
        # 'en' and 'EN' would be two output folders that are one on macOS and Windows.
        if len({language.lower() for language in languages}) != len(languages):
            raise ValueError("each language may be listed once (letter case does not count)")
        return languages
