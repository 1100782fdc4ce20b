"""What templates see: the model, localized for one page.

Templates never touch the model directly. Each view is made for one page in
one language: it picks the right translation (following the fallback chain),
formats dates through CLDR, makes links relative to the page, and records in
the page's :class:`~eventsite.depends.Recorder` every content file it reads.
Texts keep the language they are really written in, so a fallback title on
a Thai page is marked up as ``<span lang="en">``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Callable, Iterable

from markupsafe import Markup, escape

from . import l10n
from .agenda import Grid, room_grid
from .model import Entry, Exhibit, Localized, NewsItem, Person, Session, Site, Text
from .paths import relative_url

if TYPE_CHECKING:
    from .images import ImageInfo
    from .render import PageContext

# The translatable label of each session kind, in template-extraction form.
def _(message: str) -> str:  # marks strings for pybabel extract; translated at render time
    return message


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


@dataclass(frozen=True)
class Shown:
    """A text as shown on a page: marked with its language when it differs."""

    value: str
    lang: str
    page_lang: str

    def __str__(self) -> str:
        return self.value

    def __bool__(self) -> bool:
        return bool(self.value)

    def __html__(self) -> str:
        if self.lang == self.page_lang:
            return str(escape(self.value))
        info = l10n.language(self.lang)
        direction = f' dir="{info.direction}"' if info.direction != l10n.language(self.page_lang).direction else ""
        # A text not translated yet stays out of this language's search index (eventsite/search.py).
        return f'<span lang="{escape(self.lang)}"{direction} data-pagefind-ignore>{escape(self.value)}</span>'


def session_guid(site: Site, session_id: str) -> str:
    """Stable across builds and languages: UUIDv5 of the site's URL and the id."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{site.config.base_url}sessions/{session_id}"))


class EntryView:
    def __init__(self, entry: Entry, page: "PageContext"):
        self._entry = entry
        self._page = page
        page.recorder.record(*entry.sources)

    @property
    def id(self) -> str:
        return self._entry.id

    @property
    def kind(self) -> str:
        return self._entry.kind

    @cached_property
    def lang(self) -> str:
        """The language the text is written in (may differ from the page's)."""
        return self._entry.text_language(self._page.chain)

    @property
    def is_fallback(self) -> bool:
        return self.lang != self._page.lang

    @property
    def is_draft(self) -> bool:
        """The text shown is a translation marked ``review: draft`` (not yet reviewed)."""
        translation = self._entry.translations.get(self.lang)
        return translation is not None and getattr(translation.meta, "review", None) is not None

    @property
    def original_url(self) -> str:
        """This page in the default language (the text a translation was made from)."""
        return self._page.link(self._kind_route, self.id, lang=self._page.site.default_language)

    @property
    def translated_into(self) -> frozenset[str]:
        return self._entry.languages

    def _text(self, name: str) -> Shown | None:
        found: Text | None = self._entry.field(name, self._page.chain)
        return Shown(found.value, found.lang, self._page.lang) if found else None

    @property
    def title(self) -> Shown | None:
        return self._text("title")

    @property
    def summary(self) -> Shown | None:
        return self._text("summary")

    @property
    def url(self) -> str:
        return self._page.link(self._kind_route, self.id)

    _kind_route = "page"

    @cached_property
    def body(self) -> Markup:
        text = self._entry.body_text(self._page.chain)
        document = self._entry.body_document(text.lang)
        return self._page.markdown(text.value, document)

    @property
    def body_lang(self) -> str:
        return self._entry.body_text(self._page.chain).lang


class PersonView(EntryView):
    _kind_route = "person"

    @property
    def name(self) -> Shown:
        return self._text("name")  # type: ignore[return-value]

    @property
    def title(self) -> Shown:
        return self.name

    @property
    def role(self) -> Shown | None:
        return self._text("role")

    @property
    def organization(self) -> Shown | None:
        return self._text("organization")

    @property
    def country(self) -> "CountryView | None":
        code = self._entry.meta.country  # type: ignore[attr-defined]
        return CountryView(code, self._page) if code else None

    @cached_property
    def sessions(self) -> list["SessionView"]:
        return [SessionView(s, self._page) for s in self._page.lookup("sessions_by_person", self.id)]


class SessionView(EntryView):
    _kind_route = "session"
    _entry: Session

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
    def room(self) -> "RoomView | None":
        return RoomView(self._entry.room.id, self._entry.room.name, self._page) if self._entry.room else None

    @cached_property
    def speakers(self) -> list[PersonView]:
        return [PersonView(p, self._page) for p in self._entry.speakers]

    @cached_property
    def moderators(self) -> list[PersonView]:
        return [PersonView(p, self._page) for p in self._entry.moderators]

    @property
    def countries(self) -> list["CountryView"]:
        return [CountryView(code, self._page) for code in self._entry.countries]


class ExhibitView(EntryView):
    _kind_route = "exhibit"
    _entry: Exhibit

    @property
    def section(self) -> "SectionView":
        return SectionView(self._entry.section.id, self._entry.section.title, self._entry.section.summary, self._page)

    @property
    def country(self) -> "CountryView":
        return CountryView(self._entry.country, self._page)

    @property
    def organization(self) -> Shown | None:
        return self._text("organization")

    @property
    def website(self) -> str | None:
        return self._entry.meta.url  # type: ignore[attr-defined]

    @property
    def image_path(self) -> str | None:
        """The image below media/, as written in the front matter."""
        return self._entry.meta.image  # type: ignore[attr-defined]

    @property
    def image(self) -> str | None:
        return self._page.media_url(self.image_path) if self.image_path else None

    @property
    def image_alt(self) -> Shown | None:
        return self._text("image_alt")

    @cached_property
    def _image_info(self) -> "ImageInfo | None":
        """Real size and thumbnails (eventsite/images.py); records the image file for rebuilds."""
        return self._page.image(self.image_path) if self.image_path else None

    @property
    def image_width(self) -> int | None:
        """The image's real (displayed) width in pixels, for the width attribute."""
        return self._image_info.width if self._image_info else None

    @property
    def image_height(self) -> int | None:
        return self._image_info.height if self._image_info else None

    @property
    def srcset(self) -> str | None:
        """Thumbnails and the original as a srcset ('… 480w, … 960w, … 1200w'); None without thumbnails."""
        info = self._image_info
        if info is None or not info.variants:
            return None
        return ", ".join(f"{self._page.media_url(path)} {width}w" for path, width in info.candidates())

    @property
    def image_small(self) -> str | None:
        """The narrowest file of the image (for cards); the original when it has no thumbnails."""
        info = self._image_info
        if info is not None and info.variants:
            return self._page.media_url(info.variants[0].relative)
        return self.image

    @property
    def image_large(self) -> str | None:
        """The widest thumbnail (for the exhibit's own page); the original when it has none."""
        info = self._image_info
        if info is not None and info.variants:
            return self._page.media_url(info.variants[-1].relative)
        return self.image

    @cached_property
    def related_sessions(self) -> list["SessionView"]:
        """Sessions whose description links to this exhibit (model index sessions_by_exhibit)."""
        return [SessionView(s, self._page) for s in self._page.lookup("sessions_by_exhibit", self.id)]


class NewsView(EntryView):
    _kind_route = "news"
    _entry: NewsItem

    @property
    def date(self) -> dt.date:
        return self._entry.date

    @property
    def date_label(self) -> str:
        return self._page.formatter.date(self._entry.date)


class PageView(EntryView):
    _kind_route = "page"


VIEW_OF_KIND: dict[str, Callable] = {
    "session": SessionView,
    "exhibit": ExhibitView,
    "person": PersonView,
    "news": NewsView,
    "page": PageView,
}


def view_of(entry: Entry, page: "PageContext") -> EntryView:
    return VIEW_OF_KIND[entry.kind](entry, page)


@dataclass(frozen=True)
class RoomView:
    id: str
    localized: Localized
    page: "PageContext"

    @property
    def name(self) -> Shown:
        text = self.localized.get(self.page.chain)
        return Shown(text.value, text.lang, self.page.lang)


@dataclass(frozen=True)
class SectionView:
    id: str
    localized_title: Localized
    localized_summary: Localized | None
    page: "PageContext"

    @property
    def title(self) -> Shown:
        text = self.localized_title.get(self.page.chain)
        return Shown(text.value, text.lang, self.page.lang)

    @property
    def summary(self) -> Shown | None:
        if self.localized_summary is None:
            return None
        text = self.localized_summary.get(self.page.chain)
        return Shown(text.value, text.lang, self.page.lang)

    @property
    def anchor(self) -> str:
        return f"section-{self.id}"

    @cached_property
    def exhibits(self) -> list[ExhibitView]:
        return [ExhibitView(e, self.page) for e in self.page.lookup("exhibits_by_section", self.id)]


@dataclass(frozen=True)
class CountryView:
    code: str
    page: "PageContext"

    @property
    def name(self) -> str:
        return self.page.formatter.country(self.code)

    @property
    def flag(self) -> str:
        """The flag emoji (regional indicator symbols); decorative only."""
        return "".join(chr(0x1F1E6 + ord(letter) - ord("A")) for letter in self.code)

    @property
    def url(self) -> str | None:
        """The country's page, for participating countries."""
        if self.code not in self.page.site.config.countries:
            return None
        return self.page.link("country", self.code)

    @cached_property
    def delegation(self) -> list[PersonView]:
        return [PersonView(p, self.page) for p in self.page.lookup("people_by_country", self.code)]

    @cached_property
    def sessions(self) -> list[SessionView]:
        return [SessionView(s, self.page) for s in self.page.lookup("sessions_by_country", self.code)]

    @cached_property
    def exhibits(self) -> list[ExhibitView]:
        return [ExhibitView(e, self.page) for e in self.page.lookup("exhibits_by_country", self.code)]


@dataclass(frozen=True)
class DayView:
    date: dt.date
    sessions: list[SessionView]
    page: "PageContext"

    @property
    def label(self) -> str:
        return self.page.formatter.day(self.date)

    @property
    def anchor(self) -> str:
        return f"day-{self.date.isoformat()}"

    @cached_property
    def grid(self) -> "Grid[SessionView] | None":
        """The room-by-time grid, for days with parallel sessions."""
        placed = [(view, view.room.id, view.start, view.end) for view in self.sessions if view.room]
        return room_grid(placed, list(self.page.site.rooms))

    def room_name(self, room_id: str) -> Shown:
        return RoomView(room_id, self.page.site.rooms[room_id].name, self.page).name

    def time(self, moment: dt.datetime) -> str:
        return self.page.formatter.time(moment)


@dataclass(frozen=True)
class NavItem:
    id: str
    label: Shown | str
    url: str
    current: bool


class SiteView:
    """The event as one page in one language sees it."""

    def __init__(self, page: "PageContext"):
        self._page = page
        self._site = page.site

    def _localized(self, value: Localized | None) -> Shown | None:
        if value is None:
            return None
        text = value.get(self._page.chain)
        return Shown(text.value, text.lang, self._page.lang)

    @property
    def default_language(self) -> str:
        return self._site.default_language

    @cached_property
    def title(self) -> Shown:
        return self._localized(self._site.title)  # type: ignore[return-value]

    @property
    def tagline(self) -> Shown | None:
        return self._localized(self._site.tagline)

    @cached_property
    def dates(self) -> str:
        config = self._site.config.dates
        return self._page.formatter.date_range(config.start, config.end)

    @property
    def start_date(self) -> dt.date:
        return self._site.config.dates.start

    @property
    def end_date(self) -> dt.date:
        return self._site.config.dates.end

    @cached_property
    def venue(self) -> dict | None:
        venue = self._site.config.venue
        if venue is None:
            return None
        default = self._site.default_language
        return {
            "name": self._localized(Localized.of(venue.name, default)),
            "address": self._localized(Localized.of(venue.address, default)),
            "city": self._localized(Localized.of(venue.city, default)),
            "country": CountryView(venue.country, self._page) if venue.country else None,
            "url": venue.url,
        }

    @cached_property
    def organizer(self) -> dict | None:
        organizer = self._site.config.organizer
        if organizer is None:
            return None
        return {
            "name": self._localized(Localized.of(organizer.name, self._site.default_language)),
            "url": organizer.url,
        }

    @cached_property
    def sessions(self) -> list[SessionView]:
        return [SessionView(s, self._page) for s in self._page.collection("sessions")]

    @cached_property
    def days(self) -> list[DayView]:
        by_id = {view.id: view for view in self.sessions}
        return [DayView(day.date, [by_id[s.id] for s in day.sessions], self._page) for day in self._page.collection("days")]

    @cached_property
    def people(self) -> list[PersonView]:
        return [PersonView(p, self._page) for p in self._page.collection("people")]

    @cached_property
    def sections(self) -> list[SectionView]:
        return [SectionView(s.id, s.title, s.summary, self._page) for s in self._site.sections.values()]

    @cached_property
    def exhibits(self) -> list[ExhibitView]:
        return [ExhibitView(e, self._page) for e in self._page.collection("exhibits")]

    @cached_property
    def pages(self) -> list[PageView]:
        """The free-standing pages (about, venue…), for the search page's list of every page."""
        return [PageView(p, self._page) for p in self._page.collection("pages")]

    def news(self, limit: int | None = None) -> list[NewsView]:
        items = self._page.collection("news")
        items = items if limit is None else items[:limit]
        return [NewsView(item, self._page) for item in items]

    @property
    def countries(self) -> list[CountryView]:
        return [CountryView(code, self._page) for code in self._site.config.countries]

    @property
    def country(self) -> CountryView | None:
        """The country a country page is about."""
        route = self._page.route
        return CountryView(route.key, self._page) if route.kind.name == "country" and route.key else None

    @property
    def rooms(self) -> list[RoomView]:
        return [RoomView(room.id, room.name, self._page) for room in self._site.rooms.values()]

    @property
    def kinds(self) -> list[tuple[str, str]]:
        used = dict.fromkeys(s.session_kind for s in self._page.collection("sessions"))
        return [(kind, self._page.gettext(KIND_LABELS[kind])) for kind in used]

    @cached_property
    def nav(self) -> list[NavItem]:
        gettext = self._page.gettext
        labels = {
            "schedule": gettext("Programme"),
            "exhibition": gettext("Exhibition"),
            "people": gettext("People"),
            "news": gettext("News"),
        }
        routes = {"schedule": "schedule", "exhibition": "exhibition", "people": "people", "news": "news-index"}
        items = []
        for entry_id in self._site.config.nav:
            if entry_id in labels:
                kind, key, label = routes[entry_id], None, labels[entry_id]
            else:
                page = self._site.pages[entry_id]
                self._page.recorder.record(*page.sources)
                kind, key = "page", entry_id
                found = page.field("title", self._page.chain)
                label = Shown(found.value, found.lang, self._page.lang) if found else entry_id
            url = self._page.link(kind, key)
            current = self._page.route.kind.name == kind and self._page.route.key == key
            items.append(NavItem(entry_id, label, url, current))
        return items

    def people_by_country(self) -> list[tuple[CountryView | None, list[PersonView]]]:
        """Delegations in the order of site.yaml countries; people without a country last."""
        groups: list[tuple[CountryView | None, list[PersonView]]] = []
        for code in self._site.config.countries:
            members = self._page.lookup("people_by_country", code)
            if members:
                groups.append((CountryView(code, self._page), [PersonView(p, self._page) for p in members]))
        others = [PersonView(p, self._page) for p in self._page.collection("people") if not p.country]
        if others:
            groups.append((None, others))
        return groups


def iter_views(entries: Iterable[Entry], page: "PageContext") -> list[EntryView]:
    return [view_of(entry, page) for entry in entries]
