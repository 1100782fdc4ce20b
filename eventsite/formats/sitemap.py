"""The sitemap (sitemaps.org 0.9): ``/sitemap.xml``, every page a search engine should index.

Only pages really written in their language are listed: a fallback page
(the English text under ``/th/``) names another page as canonical and stays
out, exactly as :class:`~eventsite.links.Links` decides for the
``<link rel="canonical">`` and ``hreflang`` links of the page itself. Each
URL carries the same ``hreflang`` alternates as its page (``xhtml:link``,
reciprocal among the translated versions, plus ``x-default``).

``<lastmod>`` comes from the content only — a news item's date, the newest
news date for the news index — never from the build clock or file times, so
the file is byte-reproducible; other pages have none.

A route, not a post-build step, so the dev server keeps it current. It
records which pages exist (``ROUTES_FACT``: a page added or removed), each
listed item's translations and, for dated items, their front matter. The
URLs are sorted, so moving an item in the programme (which reorders the
routes) leaves the file as it is and does not make it stale.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

from ..entries import Entry, front_fact
from ..errors import Problem
from ..page import Page
from ..routes import ROUTES_FACT, Route
from . import xml_document, xml_text

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"
URL_LIMIT = 50_000  # per file, by the protocol


def render(page: Page) -> bytes:
    page.recorder.record_fact(ROUTES_FACT)
    urlset = ET.Element("urlset", {"xmlns": SITEMAP, "xmlns:xhtml": XHTML})
    count = 0
    for route in sorted(page.context.plan.routes, key=_url_order):
        if route.kind.format != "html" or not route.kind.listed:
            continue
        other = page.at(route)
        entry = other.entry
        if entry is not None:
            if hasattr(entry.meta, "date"):  # its date is the lastmod; nothing else of its front matter shows here
                page.recorder.record_fact(front_fact(entry.document.path))
            page.recorder.record_fact(entry.languages_fact)  # a translation added or removed moves this page in or out
        if not other.is_translated:
            continue
        url = ET.SubElement(urlset, "url")
        xml_text(url, "loc", other.links.canonical)
        lastmod = _lastmod(page, route, entry)
        if lastmod is not None:
            xml_text(url, "lastmod", lastmod.isoformat())
        for hreflang, href in other.links.alternates:
            ET.SubElement(url, "xhtml:link", rel="alternate", hreflang=hreflang, href=href)
        count += 1
    if count > URL_LIMIT:
        page.problems.append(Problem("sitemap.xml", 0, f"{count} URLs: a sitemap holds at most {URL_LIMIT}", severity="warning"))
    return xml_document(urlset)


def _url_order(route: Route) -> tuple[str, str]:
    """By path, then language: independent of the programme's order, which the routes follow."""
    path = route.url.removeprefix(f"/{route.lang}") if route.lang else route.url
    return path, route.lang or ""


def _lastmod(page: Page, route: Route, entry: Entry | None) -> dt.date | None:
    """A dated entry's date; for a listing of dated entries, the newest one's (dates come from the content)."""
    date = getattr(entry.meta, "date", None) if entry is not None else None
    if isinstance(date, dt.date):
        return date
    for kind in page.context.kinds.kinds:
        if kind.listing is not None and kind.listing.page == route.kind.name and kind.newest_first:
            items = page.collection(kind.name)  # recorded: which one is the newest
            newest = getattr(items[0].meta, "date", None) if items else None
            return newest if isinstance(newest, dt.date) else None
    return None
