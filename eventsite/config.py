"""site.yaml: the event's settings, as one pydantic model (:class:`SiteConfig`).

The source of truth for site.yaml's format: validation (eventsite/validate.py),
the JSON Schema editors' tools use (eventsite/schemas.py) and the docs' key
table all come from it.
"""

from __future__ import annotations

from typing import Literal, Union

from pydantic import Field, field_validator, model_validator

from .fields import (
    BaseUrl,
    Country,
    Date,
    Id,
    Language,
    LanguageTag,
    Line,
    LocalizedText,
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
    exhibition: Exhibition = Field(default_factory=Exhibition, description="exhibition sections, by id")
    nav: list[Id] = Field(
        default_factory=list, description="menu entries in order: schedule, exhibition, people, news and page ids"
    )
    require_translations: dict[LanguageTag, Union[Literal["all", "none"], Id, list[Id]]] = Field(
        default_factory=dict,
        description="which translations block a release, per language: all, none, or kinds such as [person, page]; "
        "other gaps are reported as status, not errors",
    )

    @field_validator("languages")
    @classmethod
    def _unique_languages(cls, languages: list[str]) -> list[str]:
        # A field validator, so the problem points at the `languages:` line.
        # 'en' and 'EN' would be two output folders that are one on macOS and Windows.
        if len({language.lower() for language in languages}) != len(languages):
            raise ValueError("each language may be listed once (letter case does not count)")
        return languages
