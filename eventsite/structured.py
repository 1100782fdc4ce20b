"""schema.org JSON-LD for every page: what search engines and assistants read.

Built from the same views the templates use, so the structured data always
says what the page says, in the page's language. Serialized by the template
with ``|tojson`` (never pasted into a script by hand: a ``</script>`` in a
title must not end the block).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .views import EntryView, ExhibitView, NewsView, PersonView, SessionView, SiteView

if TYPE_CHECKING:
    from .render import PageContext

OFFLINE = "https://schema.org/OfflineEventAttendanceMode"
SCHEDULED = "https://schema.org/EventScheduled"


def _text(value: Any) -> str | None:
    return str(value) if value else None


def _clean(data: dict) -> dict:
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}


def _place(site: SiteView, room_name: str | None = None) -> dict | None:
    venue = site.venue
    if venue is None and room_name is None:
        return None
    address = None
    if venue is not None:
        address = _clean(
            {
                "@type": "PostalAddress",
                "streetAddress": _text(venue["address"]),
                "addressLocality": _text(venue["city"]),
                "addressCountry": venue["country"].code if venue["country"] else None,
            }
        )
    venue_name = _text(venue["name"]) if venue else None
    name = ", ".join(part for part in (room_name, venue_name) if part)
    return _clean({"@type": "Place", "name": name, "address": address if address and len(address) > 1 else None})


def _organizer(site: SiteView) -> dict | None:
    organizer = site.organizer
    if organizer is None:
        return None
    return _clean({"@type": "Organization", "name": _text(organizer["name"]), "url": organizer["url"]})


def _person(page: "PageContext", person: PersonView) -> dict:
    return _clean(
        {
            "@type": "Person",
            "name": _text(person.name),
            "jobTitle": _text(person.role),
            "affiliation": _clean({"@type": "Organization", "name": _text(person.organization)}) if person.organization else None,
            "nationality": _clean({"@type": "Country", "name": person.country.name}) if person.country else None,
            "url": page.absolute(page.route_url("person", person.id)),
        }
    )


def _session(page: "PageContext", site: SiteView, session: SessionView) -> dict:
    return _clean(
        {
            "@type": "Event",
            "@id": page.absolute(page.route_url("session", session.id)) + "#event",
            "name": _text(session.title),
            "description": _text(session.summary),
            "startDate": session.start.isoformat(),
            "endDate": session.end.isoformat(),
            "location": _place(site, _text(session.room.name) if session.room else None),
            "organizer": _organizer(site),
            "performer": [_person(page, person) for person in session.speakers],
            "inLanguage": session.lang,
            "eventAttendanceMode": OFFLINE,
            "eventStatus": SCHEDULED,
            "url": page.absolute(page.route_url("session", session.id)),
            "identifier": session.guid,
        }
    )


def _event(page: "PageContext", site: SiteView, with_sessions: bool) -> dict:
    sessions = site.sessions
    start = sessions[0].start.isoformat() if sessions else site.start_date.isoformat()
    end = max(session.end for session in sessions).isoformat() if sessions else site.end_date.isoformat()
    return _clean(
        {
            "@type": "Event",
            "@id": page.absolute(page.route_url("home")) + "#event",
            "name": _text(site.title),
            "description": _text(site.tagline),
            "startDate": start,
            "endDate": end,
            "location": _place(site),
            "organizer": _organizer(site),
            "inLanguage": page.lang,
            "eventAttendanceMode": OFFLINE,
            "eventStatus": SCHEDULED,
            "url": page.absolute(page.route_url("home")),
            "subEvent": [_session(page, site, session) for session in sessions] if with_sessions else None,
        }
    )


def _breadcrumbs(page: "PageContext", trail: list[tuple[str, str]]) -> dict:
    return {
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": index, "name": name, "item": page.absolute(url)}
            for index, (name, url) in enumerate(trail, start=1)
        ],
    }


def json_ld(page: "PageContext", site: SiteView, entry: EntryView | None) -> dict:
    """The page's structured data as one JSON-LD document with a @graph."""
    graph: list[dict] = [
        _clean(
            {
                "@type": "WebSite",
                "name": _text(site.title),
                "url": page.absolute(page.route_url("home")),
                "inLanguage": page.lang,
            }
        )
    ]
    kind = page.route.kind.name
    home = (page.gettext("Home"), page.route_url("home"))
    if kind in ("home", "schedule"):
        graph.append(_event(page, site, with_sessions=True))
    elif isinstance(entry, SessionView):
        event = _session(page, site, entry)
        event["superEvent"] = {"@id": page.absolute(page.route_url("home")) + "#event"}
        graph.append(event)
        graph.append(_breadcrumbs(page, [home, (page.gettext("Programme"), page.route_url("schedule")), (str(entry.title), page.route.url)]))
    elif isinstance(entry, PersonView):
        graph.append(_person(page, entry))
        graph.append(_breadcrumbs(page, [home, (page.gettext("People"), page.route_url("people")), (str(entry.name), page.route.url)]))
    elif isinstance(entry, NewsView):
        graph.append(
            _clean(
                {
                    "@type": "NewsArticle",
                    "headline": _text(entry.title),
                    "description": _text(entry.summary),
                    "datePublished": entry.date.isoformat(),
                    "inLanguage": entry.lang,
                    "publisher": _organizer(site),
                    "url": page.absolute(page.route.url),
                }
            )
        )
        graph.append(_breadcrumbs(page, [home, (page.gettext("News"), page.route_url("news-index")), (str(entry.title), page.route.url)]))
    elif isinstance(entry, ExhibitView):
        graph.append(
            _clean(
                {
                    "@type": "CreativeWork",
                    "name": _text(entry.title),
                    "description": _text(entry.summary),
                    "creator": _clean({"@type": "Organization", "name": _text(entry.organization)}) if entry.organization else None,
                    "countryOfOrigin": _clean({"@type": "Country", "name": entry.country.name}),
                    "inLanguage": entry.lang,
                    "image": page.absolute("/media/" + entry.image_path) if entry.image_path else None,
                    "url": page.absolute(page.route.url),
                    "isPartOf": {"@type": "ExhibitionEvent", "name": str(entry.section.title), "superEvent": {"@id": page.absolute(page.route_url("home")) + "#event"}},
                }
            )
        )
        graph.append(_breadcrumbs(page, [home, (page.gettext("Exhibition"), page.route_url("exhibition")), (str(entry.title), page.route.url)]))
    elif kind == "exhibition":
        graph.append(
            _clean(
                {
                    "@type": "ExhibitionEvent",
                    "name": page.gettext("Exhibition"),
                    "location": _place(site),
                    "organizer": _organizer(site),
                    "superEvent": {"@id": page.absolute(page.route_url("home")) + "#event"},
                    "url": page.absolute(page.route.url),
                }
            )
        )
    elif entry is not None:
        graph.append(_breadcrumbs(page, [home, (str(entry.title), page.route.url)]))
    return {"@context": "https://schema.org", "@graph": graph}
