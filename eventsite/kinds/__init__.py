"""The content kinds, and the one table every stage loops over.

Each kind is one module (its schema, entry, view, pages, lists, references);
:data:`KINDS` lists them in the order the site shows them (pages, search
groups, sitemap). Adding a kind is a new module here, its templates, and a
line in this table: see docs/architecture.md, "Adding a content kind".
"""

from __future__ import annotations

from ..brand import BRAND_FILES
from dataclasses import replace

from ..og import SITE_CARDS, card_kind
from ..routes import HOME, SITE_FILES, SITE_PAGES, PageKind
from . import exhibit, news, page, partner, person, session
from .base import ContentKind, KindTable

KINDS: tuple[ContentKind, ...] = (session.KIND, exhibit.KIND, person.KIND, news.KIND, page.KIND, partner.KIND)

# The HTML pages: the home page, each kind's pages, the site's own pages (with their share cards, eventsite/og.py).
HTML_PAGES: tuple[PageKind, ...] = tuple(
    replace(page_kind, share_card=SITE_CARDS.get(page_kind.name, page_kind.share_card))
    for page_kind in (HOME, *(page_kind for kind in KINDS for page_kind in kind.pages), *SITE_PAGES)
)

# The one table of pages: the HTML pages, each kind's other outputs (calendars, feeds), the share
# cards of the HTML pages, then the files for hosts and crawlers, and the event's stylesheet and
# icons (eventsite/brand.py).
PAGE_KINDS: tuple[PageKind, ...] = (
    *HTML_PAGES,
    *(page_kind for kind in KINDS for page_kind in kind.feeds),
    *(card_kind(page_kind) for page_kind in HTML_PAGES if page_kind.share_card is not None),
    *SITE_FILES,
    *BRAND_FILES,
)

TABLE = KindTable(KINDS)
BY_NAME = TABLE.by_name
BY_FOLDER = TABLE.by_folder
FOLDERS = {kind.folder: kind.name for kind in KINDS}  # content/<folder>/ → kind name
IMAGE_FIELDS = tuple((kind.name, image.field) for kind in KINDS for image in kind.images)  # fields holding pictures
