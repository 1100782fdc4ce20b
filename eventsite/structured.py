"""schema.org JSON-LD for every page: what search engines and assistants read.

Built from the same views the templates use, so the structured data always
says what the page says, in the page's language. Serialized by the template
with ``|tojson`` (never pasted into a script by hand: a ``</script>`` in a
title must not end the block). Each page kind adds its nodes
(``PageKind.json_ld``) after the site's own; the event node of the home page
gathers what the content kinds contribute (``ContentKind.event_parts``).

A node kept from the last build (a programme item's sub-event, a kept
fragment: eventsite/fragments.py) is kept serialized, as :class:`JSONText`,
and :func:`dumps` (the templates' ``|tojson``) puts its text in as it is: the
JSON of a programme of 300 items was most of what rendering its page again
cost. The bytes are those of serializing the whole graph at once.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
from dataclasses import dataclass, field
from typing import Any, Mapping

from .lifecycle import SCHEMA_ATTENDANCE, SCHEMA_STATUS
from .page import Page
from .views import SiteView


# How the templates serialize JSON (render.py's ``json.dumps_kwargs``): readable, stable, and what
# JSONText is serialized with. |tojson then escapes <, >, & and ' (so a title cannot end the script).
JSON_OPTIONS: Mapping[str, Any] = {"sort_keys": True, "ensure_ascii": False}


@dataclass(frozen=True)
class JSONText:
    """A node already serialized with JSON_OPTIONS; :func:`dumps` splices it in where it stands."""

    text: str


@dataclass(frozen=True)
class JSONRun:
    """Several items of a list, each serialized with JSON_OPTIONS, joined as that list joins them: :func:`dumps`
    splices them in where the run stands, one item each (a programme day's sub-events, kept as one part)."""

    text: str

    @staticmethod
    def of(items: list[JSONText]) -> "JSONRun":
        return JSONRun(ITEM_SEPARATOR.join(item.text for item in items))


ITEM_SEPARATOR = ", "  # json.dumps's between list items when no indent or separators are given (JSON_OPTIONS)


def serialized(node: dict) -> JSONText:
    return JSONText(json.dumps(node, **JSON_OPTIONS))


def dumps(value: Any, **options: Any) -> str:
    """``json.dumps(value, **options)``, each :class:`JSONText` and :class:`JSONRun` in ``value`` written as
    the JSON it holds.

    The encoder hands each one to ``default``, which stands a unique string in
    for it; the stand-ins are then replaced by the texts. Without indentation
    a value's JSON does not depend on where it stands, so this gives the bytes
    of serializing the nodes themselves.
    """
    if options != JSON_OPTIONS:  # not as the texts were serialized (indented, say): read them back as data
        return json.dumps(_as_data(value), default=lambda found: json.loads(_text_of(found)), **options)
    texts: list[str] = []
    token = secrets.token_hex(8)  # a stand-in no content can spell

    def stand_in(found: object) -> str:
        texts.append(_text_of(found))
        return f"{token}:{len(texts) - 1}"

    dumped = json.dumps(value, default=stand_in, **options)
    if not texts:
        return dumped
    return re.sub(f'"{token}:([0-9]+)"', lambda match: texts[int(match[1])], dumped)


def _as_data(value: Any) -> Any:
    """``value`` with each run's items read back into the list that holds it (runs stand in lists only)."""
    if isinstance(value, dict):
        return {key: _as_data(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        found: list[Any] = []
        for item in value:
            if isinstance(item, JSONRun):
                found.extend(json.loads(f"[{item.text}]"))
            else:
                found.append(_as_data(item))
        return found
    return value


def _text_of(found: object) -> str:
    if not isinstance(found, (JSONText, JSONRun)):
        raise TypeError(f"Object of type {type(found).__name__} is not JSON serializable")
    return found.text


@dataclass(frozen=True)
class EventParts:
    """What a content kind adds to the event's node: sub-events, and the span they cover."""

    sub_events: list[dict | JSONText | JSONRun]
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    # Organizations by the event's property that names them ('organizer', 'sponsor', 'funder').
    roles: Mapping[str, list[dict]] = field(default_factory=dict)


def text(value: Any) -> str | None:
    return str(value) if value else None


def clean(data: dict) -> dict:
    """Without the values that say nothing: None, "", [] and {} (0 and False stay)."""
    # Truthy values first: comparing every value with four others was a tenth of a programme page.
    return {key: value for key, value in data.items() if value or (value is not None and not isinstance(value, (str, list, dict)))}


def place(site: SiteView, room_name: str | None = None) -> dict | None:
    venue = site.venue
    if venue is None and room_name is None:
        return None
    address = None
    if venue is not None:
        address = clean(
            {
                "@type": "PostalAddress",
                "streetAddress": text(venue["address"]),
                "addressLocality": text(venue["city"]),
                "addressCountry": venue["country"].code if venue["country"] else None,
            }
        )
    venue_name = text(venue["name"]) if venue else None
    name = ", ".join(part for part in (room_name, venue_name) if part)
    point = venue["map"] if venue else None
    return clean(
        {
            "@type": "Place",
            "name": name,
            "address": address if address and len(address) > 1 else None,
            "geo": {"@type": "GeoCoordinates", "latitude": point.lat, "longitude": point.lon} if point else None,
            "hasMap": point.openstreetmap if point else None,
        }
    )


def organizer(site: SiteView) -> dict | None:
    found = site.organizer
    if found is None:
        return None
    return clean({"@type": "Organization", "name": text(found["name"]), "url": found["url"]})


def event_id(page: Page) -> dict:
    """A reference to the event's node (on the home page)."""
    return {"@id": page.links.absolute_to("home") + "#event"}


def event(page: Page, site: SiteView, entry: Any = None, *, with_parts: bool = True) -> list[dict]:
    """The event itself, with what the content kinds add (the sessions as sub-events)."""
    parts = [kind.event_parts(page, site) for kind in page.context.kinds.kinds if kind.event_parts is not None]
    starts = [part.start for part in parts if part.start is not None]
    ends = [part.end for part in parts if part.end is not None]
    sub_events = [node for part in parts for node in part.sub_events]
    roles: dict[str, list[dict]] = {}
    site_organizer = organizer(site)
    if site_organizer is not None:
        roles["organizer"] = [site_organizer]
    for part in parts:
        for role, nodes in part.roles.items():
            known = roles.setdefault(role, [])
            for node in nodes:
                # site.yaml's organizer is often also the host a kind lists: name it once, with the kind's details.
                same = next((index for index, seen in enumerate(known) if seen.get("name") == node.get("name")), None)
                if same is None:
                    known.append(node)
                else:
                    known[same] = {**known[same], **node}
    return [
        clean(
            {
                "@type": "Event",
                "@id": page.links.absolute_to("home") + "#event",
                "name": text(site.title),
                "description": text(site.tagline),
                "startDate": (min(starts) if starts else site.start_date).isoformat(),
                "endDate": (max(ends) if ends else site.end_date).isoformat(),
                "location": place(site),
                "organizer": _one_or_list(roles.get("organizer")),
                "sponsor": _one_or_list(roles.get("sponsor")),
                "funder": _one_or_list(roles.get("funder")),
                "inLanguage": page.lang,
                "eventAttendanceMode": SCHEMA_ATTENDANCE[page.site.config.attendance],
                "eventStatus": SCHEMA_STATUS[page.site.config.status],
                "url": page.links.absolute_to("home"),
                "offers": offers(page),
                "subEvent": sub_events if with_parts else None,
            }
        )
    ]


def offers(page: Page) -> dict | None:
    """site.yaml ``registration`` as a schema.org Offer (Google wants a price: none given, none said)."""
    registration = page.site.config.registration
    if registration is None:
        return None
    return clean(
        {
            "@type": "Offer",
            "url": registration.url,
            "price": registration.price,
            "priceCurrency": registration.currency,
            "validThrough": registration.closes.isoformat() if registration.closes else None,
            "availability": "https://schema.org/InStock",
        }
    )


def _one_or_list(nodes: list[dict] | None) -> dict | list[dict] | None:
    """One node as itself (as the event's organizer always was), several as a list."""
    if not nodes:
        return None
    return nodes[0] if len(nodes) == 1 else nodes


def breadcrumbs(page: Page, trail: list[tuple[str, str]]) -> dict:
    """A BreadcrumbList of (name, site-absolute URL), from the home page to this one."""
    home = (page.gettext("Home"), page.links.route_url("home"))
    return {
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": index, "name": name, "item": page.links.absolute(url)}
            for index, (name, url) in enumerate([home, *trail], start=1)
        ],
    }


# The nodes that take the page's share card as their image when they have none of their own.
IMAGE_TYPES = frozenset({"Event", "NewsArticle", "Person"})


def json_ld(page: Page, site: SiteView, entry: Any, image: str | None = None) -> dict:
    """The page's structured data as one JSON-LD document with a @graph.

    ``image`` (the page's share card) goes on the page's own node when it is an
    Event, a NewsArticle or a Person without a picture: search engines show
    events and articles with an image.
    """
    graph: list[dict] = [
        clean(
            {
                "@type": "WebSite",
                "name": text(site.title),
                "url": page.links.absolute_to("home"),
                "inLanguage": page.lang,
            }
        )
    ]
    nodes = page.route.kind.json_ld
    if page.route.kind.name == "home":
        graph += event(page, site)
    elif nodes is not None:
        graph += nodes(page, site, entry)
    main = graph[1] if len(graph) > 1 else None
    if image and main is not None and main.get("@type") in IMAGE_TYPES and "image" not in main:
        main["image"] = image
    return {"@context": "https://schema.org", "@graph": graph}
