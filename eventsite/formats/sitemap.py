"""The sitemap (sitemaps.org 0.9): ``/sitemap.xml``, every page a search engine should index.

Only pages really written in their language are listed: a fallback page
(the English text under ``/th/``) names another page as canonical and stays
out, exactly as :class:`~eventsite.render.PageContext` decides for the
``<link rel="canonical">`` and ``hreflang`` links of the page itself. Each
URL carries the same ``hreflang`` alternates as its page (``xhtml:link``,
reciprocal among the translated versions, plus ``x-default``).

``<lastmod>`` comes from the content only — a news item's date, the newest
news date for the news index — never from the build clock or file times, so
the file is byte-reproducible; other pages have none.

A route, not a post-build step, so the dev server keeps it current: it reads
the lists of items through ``page.collection`` and every listed item's files
through the recorder.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

from ..model import Entry, NewsItem
from ..routes import Route
from . import xml_document, xml_text

if TYPE_CHECKING:
    from ..render import PageContext

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"
URL_LIMIT = 50_000  # per file, by the protocol
# The item lists that decide which routes exist (routes.PAGE_KINDS keys) and which news is newest.
COLLECTIONS = ("sessions", "people", "exhibits", "pages", "news")


def render(page: "PageContext") -> bytes:
    for name in COLLECTIONS:
        page.collection(name)  # recorded: an item added or removed changes the list
    news = page.site.news  # newest first
    urlset = ET.Element("urlset", {"xmlns": SITEMAP, "xmlns:xhtml": XHTML})
    count = 0
    for route in page.renderer.plan.routes:
        if route.kind.format != "html" or not route.kind.listed:
            continue
        other = dataclasses.replace(page, route=route, problems=[])
        entry = other.entry
        if entry is not None:
            page.recorder.record(*entry.sources)  # a translation added or removed moves this page in or out
        if not other.is_translated:
            continue
        url = ET.SubElement(urlset, "url")
        xml_text(url, "loc", other.canonical)
        lastmod = _lastmod(route, entry, news)
        if lastmod is not None:
            xml_text(url, "lastmod", lastmod.isoformat())
        for hreflang, href in other.alternates:
            ET.SubElement(url, "xhtml:link", rel="alternate", hreflang=hreflang, href=href)
        count += 1
    if count > URL_LIMIT:
        from ..errors import Problem

        page.problems.append(Problem("sitemap.xml", 0, f"{count} URLs: a sitemap holds at most {URL_LIMIT}", severity="warning"))
    return xml_document(urlset)


def _lastmod(route: Route, entry: Entry | None, news: tuple[NewsItem, ...]) -> dt.date | None:
    if isinstance(entry, NewsItem):
        return entry.date
    if route.kind.name == "news-index" and news:
        return news[0].date
    return None
