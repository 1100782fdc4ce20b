"""News: dated announcements — ``content/news/<id>.md``, newest first, with an Atom feed per language."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from pydantic import Field

from ..entries import Entry
from ..fields import Date, Line, Strict
from ..routes import PageKind, entry_keys, entry_lookup, single
from ..structured import breadcrumbs, clean, organizer, text
from ..views import EntryView, ShareText, SiteView, listing_card
from .base import ContentKind, Listing, SearchGroup, TitledTranslation, _

if TYPE_CHECKING:
    from ..model import ModelContext, Source
    from ..page import Page


class NewsMeta(Strict):
    """A dated announcement: content/news/<id>.md."""

    title: Line = Field(description="the headline")
    date: Date = Field(description="publication date, 'YYYY-MM-DD'")
    summary: Line | None = Field(None, description="one sentence for the news list")


@dataclass(frozen=True, eq=False)
class NewsItem(Entry[NewsMeta]):
    @property
    def date(self) -> dt.date:
        return self.meta.date


def _build(context: "ModelContext", source: "Source") -> NewsItem:
    return context.make(source, NewsItem)


class NewsView(EntryView[NewsItem]):
    @property
    def date(self) -> dt.date:
        return self._entry.date

    @property
    def date_label(self) -> str:
        return self._page.formatter.date(self._entry.date)


def _site_news(site: SiteView) -> Callable[..., list[NewsView]]:
    def news(limit: int | None = None) -> list[NewsView]:
        """The news, newest first; the first ``limit`` items."""
        page = site.page
        items = page.collection("news")
        items = items if limit is None else items[:limit]
        return [NewsView(item, page) for item in items]

    return news


def _page_nodes(page: "Page", site: SiteView, item: NewsView) -> list[dict]:
    node = clean(
        {
            "@type": "NewsArticle",
            "headline": text(item.title),
            "description": text(item.summary),
            "datePublished": item.date.isoformat(),
            "inLanguage": item.lang,
            "publisher": organizer(site),
            "url": page.links.absolute(page.route.url),
        }
    )
    trail = [(page.gettext("News"), page.links.route_url("news-index")), (str(item.title), page.route.url)]
    return [node, breadcrumbs(page, trail)]


def _share_card(page: "Page") -> ShareText:
    item = NewsView(page.entry, page)  # type: ignore[arg-type]
    return ShareText(item.title, item.date_label)


KIND = ContentKind(
    name="news",
    folder="news",
    meta=NewsMeta,
    translation=TitledTranslation,
    entry=NewsItem,
    view=NewsView,
    build=_build,
    sort_key=lambda item: (item.date, item.id),
    newest_first=True,
    pages=(
        PageKind("news-index", "html", "news_index.html", lambda key: "/news/", single, share_card=listing_card(_("News"))),
        PageKind(
            "news", "html", "news.html", lambda key: f"/news/{key}/", entry_keys("news"),
            entry=entry_lookup("news"), json_ld=_page_nodes, share_card=_share_card,
        ),
    ),
    feeds=(PageKind("news-atom", "atom", None, lambda key: "/news/atom.xml", single),),
    item_page="news",
    listing=Listing("news", "news-index", _("News")),
    search=SearchGroup(_("News"), "news"),
    site_members={"news": _site_news},
    placeholders=lambda config, item_id, today: {"date": today.isoformat()},
    reserved_ids=frozenset({"news"}),
)
