"""Atom (RFC 4287): ``/<lang>/news/atom.xml``, one feed per language.

Entries carry the text a reader of that language sees on the site (with the
same fallbacks), marked with ``xml:lang`` where it is another language. All
times come from the news dates, never the build clock. Entry ids are tag URIs
(RFC 4151) of each language's page: stable across rebuilds, and distinct per
language because a translation is a different text.
"""

from __future__ import annotations

import datetime as dt
import html
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from .. import __version__
from ..kinds.news import NewsView
from ..page import Page
from ..views import SiteView
from . import host_of, local_midnight, xml_document, xml_text

ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def render(page: Page) -> bytes:
    site = page.site
    site_view = SiteView(page)
    gettext = page.gettext
    feed_url = page.links.absolute(page.route.url)
    news = site_view.news()  # newest first; recorded for incremental builds
    newest = news[0].date if news else site.config.dates.start

    feed = ET.Element("feed", {"xmlns": ATOM, XML_LANG: page.lang})
    xml_text(feed, "id", _tag_uri(page, site.config.dates.start, page.links.absolute_to("news-index")))
    xml_text(feed, "title", f"{gettext('News')} · {site_view.title.value}")
    if site_view.tagline:
        xml_text(feed, "subtitle", site_view.tagline.value)
    xml_text(feed, "updated", _instant(page, newest))
    ET.SubElement(feed, "link", rel="self", type="application/atom+xml", href=feed_url)
    ET.SubElement(feed, "link", rel="alternate", type="text/html", hreflang=page.lang, href=page.links.absolute_to("news-index"))
    author = ET.SubElement(feed, "author")
    organizer = site_view.organizer
    if organizer is not None:
        xml_text(author, "name", organizer["name"].value)
        if organizer["url"]:
            xml_text(author, "uri", organizer["url"])
    else:
        xml_text(author, "name", site_view.title.value)
    xml_text(feed, "generator", "eventsite", version=__version__)
    for item in news:
        _entry(feed, page, item)

    return xml_document(feed)


def _entry(feed: ET.Element, page: Page, item: NewsView) -> None:
    url = item.absolute_url
    entry = ET.SubElement(feed, "entry")
    xml_text(entry, "id", _tag_uri(page, item.date, url))
    title = item.title
    xml_text(entry, "title", title.value if title else item.id, **_lang_if_other(page, title.lang if title else page.lang))
    xml_text(entry, "published", _instant(page, item.date))
    xml_text(entry, "updated", _instant(page, item.date))
    ET.SubElement(entry, "link", rel="alternate", type="text/html", hreflang=page.lang, href=url)
    summary = item.summary
    if summary:
        xml_text(entry, "summary", summary.value, **_lang_if_other(page, summary.lang))
    body_html, body_lang = _body_html(page, item, url)
    xml_text(entry, "content", body_html, type="html", **_lang_if_other(page, body_lang))


def _body_html(page: Page, item: NewsView, url: str) -> tuple[str, str]:
    """The sanitized body as on the item's page, with every link made absolute.

    Links are resolved as on that page (a view for its route); problems are
    not reported again here, the HTML page already reports them.
    """
    route = page.context.plan.find("news", page.lang, item.id)
    on_its_page = NewsView(item.model, page.at(route)) if route is not None else item
    return absolutize_links(str(on_its_page.body), url), item.body_lang


class _LinkAbsolutizer(HTMLParser):
    """Re-serializes sanitized HTML, resolving href/src against a base URL."""

    def __init__(self, base: str):
        super().__init__(convert_charrefs=False)
        self.base = base
        self.out: list[str] = []

    def _tag(self, tag: str, attrs: list[tuple[str, str | None]], close: str) -> str:
        parts = [tag]
        for name, value in attrs:
            if value is None:
                parts.append(name)
                continue
            if name in ("href", "src"):
                value = urljoin(self.base, value)
            parts.append(f'{name}="{html.escape(value, quote=True)}"')
        return "<" + " ".join(parts) + close + ">"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.out.append(self._tag(tag, attrs, ""))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.out.append(self._tag(tag, attrs, " /"))

    def handle_endtag(self, tag: str) -> None:
        self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        self.out.append(data)

    def handle_entityref(self, name: str) -> None:
        self.out.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.out.append(f"&#{name};")


def absolutize_links(fragment: str, base: str) -> str:
    parser = _LinkAbsolutizer(base)
    parser.feed(fragment)
    parser.close()
    return "".join(parser.out)


def _tag_uri(page: Page, day: dt.date, url: str) -> str:
    """tag:host,date:/path (RFC 4151); the date is one from the content."""
    return f"tag:{host_of(page.site)},{day.isoformat()}:{urlsplit(url).path}"


def _instant(page: Page, day: dt.date) -> str:
    """A news date as an RFC 3339 instant: local midnight at the event."""
    return local_midnight(day, page.site.timezone).isoformat()


def _lang_if_other(page: Page, lang: str) -> dict[str, str]:
    return {XML_LANG: lang} if lang != page.lang else {}

