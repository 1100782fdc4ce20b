"""Free pages: about, venue, press, contact — ``content/pages/<id>.md`` at ``/<lang>/<id>/``.

Their ids may stand in site.yaml ``nav``; an id that a built-in page or
another kind's folder uses is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from pydantic import Field

from ..entries import Entry
from ..fields import Line, Strict
from ..routes import PageKind, entry_keys, entry_lookup
from ..structured import breadcrumbs
from ..views import EntryView, ShareText, SiteView
from .base import ContentKind, SearchGroup, TitledTranslation, _

if TYPE_CHECKING:
    from ..model import ModelContext, Source
    from ..page import Page as RenderedPage


class PageMeta(Strict):
    """A free page: content/pages/<id>.md."""

    title: Line = Field(description="the page's title")
    summary: Line | None = Field(None, description="one sentence under the title and in search results")


@dataclass(frozen=True, eq=False)
class Page(Entry[PageMeta]):
    pass


def _build(context: "ModelContext", source: "Source") -> Page:
    return context.make(source, Page)


class PageView(EntryView[Page]):
    pass


def _site_pages(site: SiteView) -> list[PageView]:
    """The free-standing pages (about, venue…), for the search page's list of every page."""
    page = site.page
    return [PageView(entry, page) for entry in page.collection("page")]


def _page_nodes(page: "RenderedPage", site: SiteView, entry: PageView) -> list[dict]:
    return [breadcrumbs(page, [(str(entry.title), page.route.url)])]


def _share_card(page: "RenderedPage") -> ShareText:
    """A page about the event (about, venue): its title, the event's dates and venue."""
    return ShareText.about_event(page, PageView(page.entry, page).title)  # type: ignore[arg-type]


KIND = ContentKind(
    name="page",
    folder="pages",
    meta=PageMeta,
    translation=TitledTranslation,
    entry=Page,
    view=PageView,
    build=_build,
    pages=(
        PageKind(
            "page", "html", "page.html", lambda key: f"/{key}/", entry_keys("page"),
            entry=entry_lookup("page"), json_ld=_page_nodes, share_card=_share_card,
        ),
    ),
    item_page="page",
    search=SearchGroup(_("Pages"), "pages"),
    site_members={"pages": _site_pages},
    in_nav=True,
)
