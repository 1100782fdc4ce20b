"""What templates and output formats see: the model, localized for one page.

Nothing renders the model directly. Each view is made for one page in one
language: it picks the right translation (following the fallback chain),
formats dates through CLDR, makes links relative to the page, and records in
the page's :class:`~eventsite.depends.Recorder` every content file it reads.
Texts keep the language they are really written in, so a fallback title on
a Thai page is marked up as ``<span lang="en">``.

This module holds what every kind shares (:class:`EntryView`, countries,
rooms, pictures, the site); each kind's own view is in its module in
eventsite/kinds/.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Generic, TypeVar

from markupsafe import Markup, escape

from .entries import Entry, Localized, Text, Track, front_fact
from .fields import Status
from .lifecycle import STATUS_LABELS
from .page import Page

if TYPE_CHECKING:
    from .images import ImageInfo

E = TypeVar("E", bound=Entry)
V = TypeVar("V")


def remembered(holder: Any, page: Page, name: str, compute: Callable[[], V], keep: Callable[[V], bool] = lambda value: True) -> V:
    """``compute()`` once per holder (a view); what it read is recorded again on every later read.

    A kept fragment (eventsite/fragments.py) records what it reads on its own; a value first computed
    outside it (the programme's list of days, an item's speakers) would otherwise reach it unrecorded.
    A value whose making read nothing becomes a plain attribute (read without a call from then on).
    """
    recorder = page.recorder
    slot = "_remembered_" + name
    found = holder.__dict__.get(slot)
    if found is not None:
        if recorder.capturing:
            recorder.replay_items(found[1])
        return found[0]
    value, items = recorder.reading(compute)
    if keep(value):
        holder.__dict__[slot if items else name] = (value, items) if items else value
    return value


class recorded_property(Generic[V]):
    """A cached_property for views, whose later reads record what the first one read (:func:`remembered`)."""

    def __init__(self, compute: Callable[[Any], V]):
        self._compute = compute
        self._name = compute.__name__
        self.__doc__ = compute.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    def __get__(self, view: Any, owner: type | None = None) -> V:
        if view is None:
            return self  # type: ignore[return-value]
        attributes = view.__dict__
        page = attributes["_page"] if "_page" in attributes else view.page
        found = attributes.get("_remembered_" + self._name)
        if found is not None:  # the common case first, without making a closure
            if page.recorder.capturing:
                page.recorder.replay_items(found[1])
            return found[0]
        return remembered(view, page, self._name, lambda: self._compute(view))


@dataclass(frozen=True)
class Shown:
    """A text as shown on a page: marked with its language (and direction) when it differs."""

    value: str
    lang: str
    page_lang: str
    dir: str = ""  # the text's direction when it differs from the page's ('rtl' English on an Arabic page: 'ltr')

    def __str__(self) -> str:
        return self.value

    def __bool__(self) -> bool:
        return bool(self.value)

    def __html__(self) -> str:
        if self.lang == self.page_lang:
            return str(escape(self.value))
        direction = f' dir="{self.dir}"' if self.dir else ""
        # A text not translated yet stays out of this language's search index (eventsite/search.py).
        return f'<span lang="{escape(self.lang)}"{direction} data-pagefind-ignore>{escape(self.value)}</span>'


def shown(page: Page, text: Text | None) -> Shown | None:
    if not text:
        return None
    if text.lang == page.lang:
        return Shown(text.value, text.lang, page.lang)
    direction = page.site.language(text.lang).direction
    return Shown(text.value, text.lang, page.lang, direction if direction != page.dir else "")


def localized(page: Page, value: Localized | None) -> Shown | None:
    """A site.yaml text in the page's language (or along its fallback chain)."""
    return shown(page, value.get(page.chain)) if value is not None else None


class RelatedLists:
    """``view.<attribute>`` for the lists other kinds declare about an owner (kinds.base.Related):
    a person's sessions, a country's exhibits. Unknown attributes raise AttributeError as usual."""

    _page: Page
    _owner: str
    _key: str

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        related = self._page.context.kinds.related.get((self._owner, name))
        if related is None:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        index, kind = related
        page = self._page
        return remembered(self, page, name, lambda: [page.context.kinds.view(entry, page) for entry in page.lookup(index, self._key)])


class EntryView(RelatedLists, Generic[E]):
    """One content item on one page. Subclasses (in eventsite/kinds/) add their kind's fields."""

    def __init__(self, entry: E, page: Page):
        self._entry = entry
        self._page = page
        self._owner = entry.kind
        self._key = entry.id
        # Every page that shows the item reads its front matter along the page's chain and the languages
        # it is in; only a page that shows the body reads the files themselves (_body_text). An edit of
        # an item's text then leaves the programme, which lists its title and time, alone.
        facts = (*entry.front_facts(page.chain), entry.languages_fact)
        recorder = page.recorder
        for fact in facts:
            recorder.record_fact(fact)
        self._facts = facts  # recorded again by a kept fragment that shows this view (eventsite/fragments.py)

    def record_again(self) -> None:
        """Record once more what making this view recorded (it was made outside the fragment that shows it)."""
        recorder = self._page.recorder
        for fact in self._facts:
            recorder.record_fact(fact)

    @property
    def id(self) -> str:
        return self._entry.id

    @property
    def kind(self) -> str:
        return self._entry.kind

    @property
    def model(self) -> E:
        """The entry this view shows (for output formats that need its typed fields)."""
        return self._entry

    @recorded_property
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
    def translated_into(self) -> frozenset[str]:
        return self._entry.languages

    def text(self, name: str) -> Shown | None:
        """A translatable field in the page's language, or along its fallback chain."""
        return shown(self._page, self._entry.field(name, self._page.chain))

    @property
    def title(self) -> Shown | None:
        return self.text("title")

    @property
    def summary(self) -> Shown | None:
        return self.text("summary")

    @property
    def url(self) -> str:
        return self._page.links.to(self._page.context.kinds.item_page(self._entry.kind), self.id)

    @property
    def absolute_url(self) -> str:
        return self._page.links.absolute_to(self._page.context.kinds.item_page(self._entry.kind), self.id)

    @property
    def original_url(self) -> str:
        """This page in the default language (the text a translation was made from)."""
        item_page = self._page.context.kinds.item_page(self._entry.kind)
        return self._page.links.to(item_page, self.id, lang=self._page.site.default_language)

    def _body_text(self) -> Text:
        """The body shown in this page's language; the page now depends on the files it comes from (see __init__)."""
        self._page.recorder.record(*self._entry.body_sources(self._page.chain))
        return self._entry.body_text(self._page.chain)

    @recorded_property
    def body(self) -> Markup:
        text = self._body_text()
        document = self._entry.body_document(text.lang)
        return self._page.markdown(text.value, document)

    @property
    def body_lang(self) -> str:
        return self._body_text().lang

    @property
    def body_source(self) -> Text:
        """The Markdown of the body shown in this language (for plain-text formats)."""
        return self._body_text()


class Picture:
    """An image from media/ as a page shows it: its URLs, real size and thumbnails."""

    def __init__(self, page: Page, path: str, alt: Shown | None):
        self._page = page
        self.path = path  # below media/, as written in the front matter
        self.alt = alt

    @property
    def url(self) -> str:
        return self._page.links.media(self.path)

    @recorded_property
    def _info(self) -> "ImageInfo | None":
        """Real size and thumbnails (eventsite/images.py); records the image file for rebuilds."""
        return self._page.image(self.path)

    @property
    def width(self) -> int | None:
        """The image's real (displayed) width in pixels, for the width attribute."""
        return self._info.width if self._info else None

    @property
    def height(self) -> int | None:
        return self._info.height if self._info else None

    @property
    def srcset(self) -> str | None:
        """Thumbnails and the original as a srcset ('… 480w, … 960w, … 1200w'); None without thumbnails."""
        info = self._info
        if info is None or not info.variants:
            return None
        return ", ".join(f"{self._page.links.media(path)} {width}w" for path, width in info.candidates())

    @property
    def small(self) -> str:
        """The narrowest file of the image (for cards); the original when it has no thumbnails."""
        info = self._info
        if info is not None and info.variants:
            return self._page.links.media(info.variants[0].relative)
        return self.url

    @property
    def large(self) -> str:
        """The widest thumbnail (for an item's own page); the original when it has none."""
        info = self._info
        if info is not None and info.variants:
            return self._page.links.media(info.variants[-1].relative)
        return self.url


def flag_path(code: str) -> str:
    """Where a country's flag is published, below static/."""
    return f"flags/{code.lower()}.svg"


@dataclass(frozen=True)
class RoomView:
    id: str
    localized: Localized
    page: Page

    @property
    def name(self) -> Shown:
        return localized(self.page, self.localized)  # type: ignore[return-value]

    @property
    def marker(self) -> str | None:
        """Its label on the venue's floor plan."""
        room = self.page.site.rooms.get(self.id)
        return room.marker if room else None

    @property
    def location(self) -> Shown | None:
        """Where it is in the venue, in this language."""
        room = self.page.site.rooms.get(self.id)
        return localized(self.page, room.location) if room and room.location else None


@dataclass(frozen=True)
class TrackView:
    """A track as pages show it: its name here, and the class that draws its colour (formats/tracks.py)."""

    track: Track
    page: Page

    @property
    def id(self) -> str:
        return self.track.id

    @property
    def name(self) -> Shown:
        return localized(self.page, self.track.name)  # type: ignore[return-value]

    @property
    def color(self) -> str:
        return self.track.color

    @property
    def css_class(self) -> str:
        return track_class(self.track.id)


def track_class(track_id: str) -> str:
    """The class the generated stylesheet colours (ids are [a-z0-9-], so any id makes a valid class)."""
    return f"track-{track_id}"


@dataclass(frozen=True)
class MapLinks:
    """A point opened elsewhere: OpenStreetMap's page, and the visitor's own map app (a geo: URI, RFC 5870)."""

    lat: float
    lon: float

    @property
    def openstreetmap(self) -> str:
        lat, lon = degrees(self.lat), degrees(self.lon)
        return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=17/{lat}/{lon}"

    @property
    def geo_uri(self) -> str:
        return f"geo:{degrees(self.lat)},{degrees(self.lon)}"


def degrees(value: float) -> str:
    """Decimal degrees as written by hand (35.169, not 35.169000 or 3.5e-05); 6 places is 0.1 m."""
    return f"{value:.6f}".rstrip("0").rstrip(".")


class CountryView(RelatedLists):
    """A country: its name in this language (CLDR), its flag, its page; kinds add its lists."""

    def __init__(self, code: str, page: Page):
        self.code = code
        self._page = page
        self._owner = "country"
        self._key = code

    @property
    def name(self) -> str:
        return self._page.formatter.country(self.code)

    @property
    def flag(self) -> str | None:
        """The flag's picture (an SVG of the theme's, static/flags/<code>.svg), or None; decorative only.

        Pictures, not emoji: Windows shows no flag emoji, and Khmer fonts turn them into letter pairs."""
        relative = flag_path(self.code)
        if self._page.context.flag_file(self.code) is None:
            return None
        return self._page.links.asset(relative)

    @property
    def url(self) -> str | None:
        """The country's page, for participating countries."""
        if self.code not in self._page.site.config.countries:
            return None
        return self._page.links.to("country", self.code)


@dataclass(frozen=True)
class ShareText:
    """What a page's share card says (eventsite/og.py draws it): a title, two lines under it, a picture."""

    title: Shown | None  # None: the event's title
    when: str = ""  # in the page's language; '' for none
    where: Shown | None = None
    picture: str | None = None  # below media/: drawn beside the texts (a portrait, an item's picture, the key visual)
    focus: tuple[int, int] = (50, 50)  # the point of the picture kept in view, in percent from the top left
    over: Shown | None = None  # the line above the title; None: the event's name

    @staticmethod
    def about_event(page: Page, title: Shown | str | None) -> "ShareText":
        """A card for a page about the whole event (a listing): its title, the event's dates and venue."""
        site = SiteView(page)
        shown_title = title if not isinstance(title, str) else Shown(title, page.lang, page.lang)
        return ShareText(shown_title, site.dates, site.venue["name"] if site.venue else None)


def listing_card(label: str) -> Callable[[Page], ShareText]:
    """The share card of a page listing part of the event (the programme, the people): its translated label."""
    return lambda page: ShareText.about_event(page, page.gettext(label))


@dataclass(frozen=True)
class NavItem:
    id: str
    label: Shown | str
    url: str
    current: bool


class SiteView:
    """The event as one page in one language sees it.

    The content kinds add their lists (``site.sessions``, ``site.days``,
    ``site.exhibits``…) through ``ContentKind.site_members``.
    """

    def __init__(self, page: Page):
        self._page = page
        self._site = page.site

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        member = self._page.context.kinds.site_members.get(name)
        if member is None:
            raise AttributeError(f"'SiteView' object has no attribute {name!r}")
        # Computed once per page (a function member, such as a lookup by id, is not a value to keep).
        return remembered(self, self._page, name, lambda: member(self), keep=lambda found: not callable(found))

    @property
    def page(self) -> Page:
        return self._page

    @property
    def default_language(self) -> str:
        return self._site.default_language

    @recorded_property
    def title(self) -> Shown:
        return localized(self._page, self._site.title)  # type: ignore[return-value]

    @property
    def tagline(self) -> Shown | None:
        return localized(self._page, self._site.tagline)

    @recorded_property
    def dates(self) -> str:
        config = self._site.config.dates
        return self._page.formatter.date_range(config.start, config.end)

    @property
    def status_label(self) -> str | None:
        """The event's status when it is not simply taking place as announced."""
        status = self._site.config.status
        return None if status is Status.scheduled else self._page.gettext(STATUS_LABELS[status])

    @recorded_property
    def registration(self) -> dict | None:
        """site.yaml ``registration``: where to register and, if given, the last day (in this language's format)."""
        registration = self._site.config.registration
        if registration is None:
            return None
        closes = self._page.formatter.day(registration.closes) if registration.closes else None
        return {"url": registration.url, "closes": closes}

    @property
    def start_date(self) -> dt.date:
        return self._site.config.dates.start

    @property
    def end_date(self) -> dt.date:
        return self._site.config.dates.end

    @property
    def config(self) -> Any:
        return self._site.config

    @recorded_property
    def venue(self) -> dict | None:
        venue = self._site.config.venue
        if venue is None:
            return None
        default = self._site.default_language
        return {
            "name": localized(self._page, Localized.of(venue.name, default)),
            "address": localized(self._page, Localized.of(venue.address, default)),
            "city": localized(self._page, Localized.of(venue.city, default)),
            "country": CountryView(venue.country, self._page) if venue.country else None,
            "url": venue.url,
            "map": MapLinks(venue.geo.lat, venue.geo.lon) if venue.geo else None,
            "floor_plan": (
                Picture(self._page, venue.floor_plan.image, localized(self._page, Localized.of(venue.floor_plan.alt, default)))
                if venue.floor_plan else None
            ),
        }

    @recorded_property
    def organizer(self) -> dict | None:
        organizer = self._site.config.organizer
        if organizer is None:
            return None
        return {
            "name": localized(self._page, Localized.of(organizer.name, self._site.default_language)),
            "url": organizer.url,
        }

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

    def room(self, room_id: str) -> RoomView:
        return RoomView(room_id, self._site.rooms[room_id].name, self._page)

    # --- identity (site.yaml logo, colors, key_visual; eventsite/brand.py) ----------------------

    def _picture(self, path: str, alt: Any) -> Picture:
        return Picture(self._page, path, localized(self._page, Localized.of(alt, self._site.default_language)))

    @recorded_property
    def logo(self) -> Picture | None:
        logo = self._site.config.logo
        return self._picture(logo.file, logo.alt) if logo is not None else None

    @recorded_property
    def key_visual(self) -> Picture | None:
        visual = self._site.config.key_visual
        return self._picture(visual.file, visual.alt) if visual is not None else None

    def _brand_file(self, kind: str) -> str | None:
        """The link to one of the files brand.py makes, when this site has it."""
        found = self._page.context.plan.find(kind, None)
        return self._page.links.url(found.url) if found is not None else None

    @property
    def brand_css(self) -> str | None:
        """static/brand.css: the event's colours over the theme's (none without site.yaml colors)."""
        return self._brand_file("brand-css")

    @property
    def icons(self) -> list[dict]:
        """<link> attributes of the favicon and touch icon: the logo's when it has one, else the theme's."""
        found: list[dict] = []
        icon = lambda rel, href, kind=None, sizes=None: {"rel": rel, "href": href, "type": kind, "sizes": sizes}  # noqa: E731
        png = self._brand_file("favicon-png")
        if png is not None:
            found.append(icon("icon", png, "image/png", "48x48"))
        logo = self._site.config.logo
        if logo is not None and logo.file.lower().endswith(".svg"):
            found.append(icon("icon", self._page.links.media(logo.file), "image/svg+xml"))
        elif png is None:
            found.append(icon("icon", self._page.links.asset("favicon.svg"), "image/svg+xml"))
        touch = self._brand_file("touch-icon")
        if touch is not None:
            found.append(icon("apple-touch-icon", touch, sizes="180x180"))
        return found

    @property
    def tracks(self) -> list[TrackView]:
        return [TrackView(track, self._page) for track in self._site.tracks.values()]

    @recorded_property
    def nav(self) -> list[NavItem]:
        """site.yaml ``nav``: the kinds' listings by their nav id, free pages by their id."""
        kinds = self._page.context.kinds
        items = []
        for entry_id in self._site.config.nav:
            listing = kinds.listings.get(entry_id)
            label: Shown | str
            if listing is not None:
                kind, key, label = listing.page, None, self._page.gettext(listing.label)
                # A listing the site has no page for (no partners yet) is left out of the menu.
                target = self._page.links.route_url(kind)
                self._page.recorder.record_fact(f"route:{target}")
                if target not in self._page.context.plan.by_url:
                    continue
            else:
                entry = kinds.nav_page(self._site, entry_id)
                for source in entry.sources_for(self._page.chain):
                    self._page.recorder.record_fact(front_fact(source))
                kind, key = kinds.item_page(entry.kind), entry_id
                label = shown(self._page, entry.field("title", self._page.chain)) or entry_id
            url = self._page.links.to(kind, key)
            current = self._page.route.kind.name == kind and self._page.route.key == key
            items.append(NavItem(entry_id, label, url, current))
        return items

    @recorded_property
    def search_groups(self) -> list[tuple[str, str, "ListedViews"]]:
        """(kind, label, entries) of every kind the search page lists, in the kinds' order."""
        kinds = self._page.context.kinds
        groups = []
        for name, group in kinds.search_groups:
            items = getattr(self, group.member)
            groups.append((name, self._page.gettext(group.label), ListedViews(name, tuple(items() if callable(items) else items))))
        return groups


@dataclass(frozen=True)
class ListedViews:
    """Items listed together (a kind's lines on the search page): iterable as they are, and a kept part's
    argument that names them (fragments.KeptGroup), so that the whole list is kept as one part made of
    its lines' parts."""

    name: str
    views: tuple[EntryView, ...]

    def __iter__(self) -> Any:
        return iter(self.views)

    def __len__(self) -> int:
        return len(self.views)

    def fragment_key(self) -> tuple[tuple[Any, ...], tuple[EntryView, ...]]:
        return ("listed", self.name, *((view.kind, view.id) for view in self.views)), self.views
