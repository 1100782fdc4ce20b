"""What a content kind is: :class:`ContentKind`, the description every stage reads.

A kind (the programme's items, people, exhibits, pages, news…) is one module in this
package that makes one :class:`ContentKind`: its folder, its schemas, how
its entries are built and what they refer to, its pages, the lists and
lookups it adds to the site, and what it shows in shared places (the site's
navigation, search, country pages). Stages loop over
:data:`eventsite.kinds.KINDS`; none of them names a kind.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping

from ..config import SiteConfig
from ..entries import Entry, Site
from ..errors import Problem
from ..fields import TRANSLATION_RECORD_FIELDS, Line, Strict, TranslationBase
from ..routes import PageKind

if TYPE_CHECKING:
    from ..model import ModelContext, Source
    from ..structured import EventParts
    from ..page import Page
    from ..views import EntryView, SiteView


def _(message: str) -> str:
    """Marks a label for `build.py i18n extract`; it is translated when a page shows it."""
    return message


# --- references -----------------------------------------------------------------


@dataclass(frozen=True)
class Reference:
    """A front-matter field that names something else: checked in validate, with "did you mean".

    ``target`` is a content kind's name ('person'), or one of the site's own
    lists: 'room', 'track', 'section' (site.yaml), 'country' (site.yaml countries),
    'media' (a file below media/), 'page' (a free page or built-in listing).
    """

    field: str
    target: str
    many: bool = False  # a list of names
    key: str | None = None  # the name is this key of each item (attachments: [{file: …}])


# --- what a kind adds to the site ---------------------------------------------------


@dataclass(frozen=True)
class Index:
    """A lookup made once per model: key → entries of this kind (in the kind's order).

    ``keys`` says under which keys an entry is listed (a programme item under each of
    its people). Pages read one key through ``page.lookup`` (recorded).
    """

    name: str
    keys: Callable[[Any, Site], Iterable[str]]


@dataclass(frozen=True)
class Related:
    """``<owner view>.<attribute>``: the entries of this kind an index lists under the owner's key.

    Declared by the kind that holds the reference: the programme's kind gives
    person pages their ``sessions`` and country pages theirs, so the person
    kind does not know sessions exist.
    """

    owner: str  # a kind name, or 'country'
    attribute: str
    index: str


@dataclass(frozen=True)
class Listing:
    """A kind's listing page as a navigation entry (site.yaml ``nav``)."""

    nav: str  # the id editors write in nav: 'schedule'
    page: str  # the page kind: 'schedule'
    label: str  # msgid: 'Programme'


@dataclass(frozen=True)
class SearchGroup:
    """How the search page names this kind (filter and no-script list)."""

    label: str  # msgid: 'Sessions'
    member: str  # the SiteView member listing the entries: 'sessions'


@dataclass(frozen=True)
class Image:
    """A media field that holds a picture, and the field with its text alternative."""

    field: str
    alt: str | None = None  # None: the alternative is the entry's name or title


# --- the kind -----------------------------------------------------------------------


@dataclass(frozen=True)
class ContentKind:
    """Everything the stages need to know about one kind of content."""

    name: str  # 'person': in messages, schemas, dependency facts
    folder: str  # 'sessions': content/<folder>/<id>.md
    meta: type[Strict]  # the source file's front matter
    translation: type[TranslationBase]  # a translation file's front matter
    entry: type[Entry]
    view: type["EntryView"]
    # Make the entry from its validated source (references resolved through the context); None leaves it out.
    build: Callable[["ModelContext", "Source"], Entry | None]
    sort_key: Callable[[Any], Any] = lambda entry: entry.id
    newest_first: bool = False
    references: tuple[Reference, ...] = ()
    images: tuple[Image, ...] = ()
    indexes: tuple[Index, ...] = ()
    related: tuple[Related, ...] = ()
    lists: Mapping[str, Callable[[Site], tuple]] = field(default_factory=dict)  # derived lists ('days')
    pages: tuple[PageKind, ...] = ()  # HTML pages: the listing first, then one per entry
    feeds: tuple[PageKind, ...] = ()  # other outputs: calendars, schedule files, feeds
    item_page: str | None = None  # the page kind that shows one entry
    listing: Listing | None = None
    search: SearchGroup | None = None
    # What templates see as site.<name> (views.SiteView), e.g. 'sessions', 'days'.
    site_members: Mapping[str, Callable[["SiteView"], Any]] = field(default_factory=dict)
    # Checks that need more than the document (site dates, other entries), on valid metadata.
    checks: Callable[[SiteConfig, "Source"], Iterable[Problem]] | None = None
    site_checks: Callable[[Site], Iterable[Problem]] | None = None  # over the whole model (room overlaps)
    # Values for required fields of a new file that pass validation (`build.py new`): field → value.
    placeholders: Callable[[SiteConfig, str, dt.date], Mapping[str, Any]] | None = None
    reserved_ids: frozenset[str] = frozenset()  # ids that would collide with built-in pages
    in_nav: bool = False  # site.yaml nav may name its entries by id (free pages)
    # Fields whose change calendars must notice: SEQUENCE and DTSTAMP from git history (eventsite/timeline.py).
    changes: tuple[str, ...] = ()
    # What the kind adds to the event's JSON-LD node (sub-events and their span; eventsite/structured.py).
    event_parts: Callable[["Page", "SiteView"], "EventParts"] | None = None

    @property
    def translatable(self) -> tuple[str, ...]:
        return tuple(name for name in self.translation.model_fields if name not in TRANSLATION_RECORD_FIELDS)


class KindTable:
    """The lookups over a table of kinds that pages ask for again and again."""

    def __init__(self, kinds: tuple[ContentKind, ...]):
        self.kinds = kinds
        self.by_name = {kind.name: kind for kind in kinds}
        self.by_folder = {kind.folder: kind for kind in kinds}
        self.related = {(item.owner, item.attribute): (item.index, kind.name) for kind in kinds for item in kind.related}
        self.site_members = {name: member for kind in kinds for name, member in kind.site_members.items()}
        self.listings = {kind.listing.nav: kind.listing for kind in kinds if kind.listing is not None}
        self.search_groups = [(kind.name, kind.search) for kind in kinds if kind.search is not None]

    def view(self, entry: Entry, page: "Page") -> "EntryView":
        return self.by_name[entry.kind].view(entry, page)

    def item_page(self, kind: str) -> str:
        page = self.by_name[kind].item_page
        if page is None:
            raise ValueError(f"kind {kind!r} has no item page")
        return page

    def nav_page(self, site: Site, item_id: str) -> Entry:
        """The entry a nav id names (a free page), for kinds whose entries may be nav entries."""
        for kind in self.kinds:
            if kind.in_nav:
                entry = site.get(kind.name, item_id)
                if entry is not None:
                    return entry
        raise KeyError(item_id)


# --- schema pieces several kinds share -------------------------------------------------


class TitledTranslation(TranslationBase):
    """A translation of an item whose texts are a title and a summary."""

    title: Line | None = None
    summary: Line | None = None
