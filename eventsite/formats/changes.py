"""Atom (RFC 4287): ``/<lang>/schedule/changes.xml``, the programme's changes in each language.

The same list as the changes page (eventsite/timeline.py reads it from git),
newest first; entry times are the commits' times, never the build clock.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from .. import __version__
from ..page import Page
from ..views import SiteView
from . import content_stamp, utc, xml_document, xml_text

ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def render(page: Page) -> bytes:
    site_view = SiteView(page)
    changes = site_view.changes
    page_url = page.links.absolute_to("changes")
    feed = ET.Element("feed", {"xmlns": ATOM, XML_LANG: page.lang})
    xml_text(feed, "id", page_url)
    xml_text(feed, "title", f"{page.gettext('Programme changes')} · {site_view.title.value}")
    newest = changes[0].time if changes else content_stamp(page.site)
    xml_text(feed, "updated", utc(newest).isoformat().replace("+00:00", "Z"))
    ET.SubElement(feed, "link", rel="self", type="application/atom+xml", href=page.links.absolute(page.route.url))
    ET.SubElement(feed, "link", rel="alternate", type="text/html", hreflang=page.lang, href=page_url)
    author = ET.SubElement(feed, "author")
    organizer = site_view.organizer
    xml_text(author, "name", organizer["name"].value if organizer is not None else site_view.title.value)
    xml_text(feed, "generator", "eventsite", version=__version__)
    for change in changes:
        item = change.item
        entry = ET.SubElement(feed, "entry")
        stamp = utc(change.time).isoformat().replace("+00:00", "Z")
        xml_text(entry, "id", f"{item.absolute_url}#change-{utc(change.time):%Y%m%dT%H%M%SZ}")
        xml_text(entry, "title", f"{change.label}: {item.title.value if item.title else item.id}")
        xml_text(entry, "updated", stamp)
        ET.SubElement(entry, "link", rel="alternate", type="text/html", href=item.absolute_url)
        lines = [f"{field}: {before} → {after}" for field, before, after in change.rows]
        xml_text(entry, "summary", "\n".join(lines) or f"{change.label}: {item.time_range}, {item.day}")
    return xml_document(feed)
