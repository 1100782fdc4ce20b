"""Stage 4, plan routes: every output file the site will have.

One table, :data:`PAGE_KINDS`, says which pages exist, where they go and
which template or output format renders them; nothing else in the code
enumerates pages. Routes are planned before anything is rendered, so links
in Markdown can be checked against the real set of pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Callable, Iterable

from .model import Entry, Site

LISTINGS = ("schedule", "exhibition", "people", "news")


@dataclass(frozen=True)
class PageKind:
    name: str
    format: str  # a key of render.OUTPUT_FORMATS
    template: str | None  # for the html format
    url: Callable[[str | None], str]  # key → URL below the language prefix (or the root)
    keys: Callable[[Site], Iterable[str | None]]
    per_language: bool = True
    entry: Callable[[Site, str], Entry] | None = None  # the content item a page shows, if any
    listed: bool = True  # in /sitemap.xml (HTML pages only; fallback pages never are)
    served_anywhere: bool = False  # a host serves it for any missing URL: links path-absolute, not relative


def _single(site: Site) -> Iterable[None]:
    return (None,)


PAGE_KINDS: tuple[PageKind, ...] = (
    PageKind("home", "html", "home.html", lambda key: "/", _single),
    PageKind("schedule", "html", "schedule.html", lambda key: "/schedule/", _single),
    PageKind(
        "session", "html", "session.html", lambda key: f"/sessions/{key}/",
        lambda site: (s.id for s in site.sessions), entry=lambda site, key: site.session_map[key],
    ),
    PageKind("exhibition", "html", "exhibition.html", lambda key: "/exhibition/", _single),
    PageKind(
        "exhibit", "html", "exhibit.html", lambda key: f"/exhibits/{key}/",
        lambda site: site.exhibits.keys(), entry=lambda site, key: site.exhibits[key],
    ),
    PageKind("people", "html", "people.html", lambda key: "/people/", _single),
    PageKind(
        "person", "html", "person.html", lambda key: f"/people/{key}/",
        lambda site: site.people.keys(), entry=lambda site, key: site.people[key],
    ),
    PageKind("news-index", "html", "news_index.html", lambda key: "/news/", _single),
    PageKind(
        "news", "html", "news.html", lambda key: f"/news/{key}/",
        lambda site: (item.id for item in site.news), entry=lambda site, key: site.news_map[key],
    ),
    PageKind(
        "page", "html", "page.html", lambda key: f"/{key}/",
        lambda site: site.pages.keys(), entry=lambda site, key: site.pages[key],
    ),
    PageKind(
        "country", "html", "country.html", lambda key: f"/countries/{key.lower()}/",  # type: ignore[union-attr]
        lambda site: site.config.countries,
    ),
    # Search (eventsite/search.py indexes the built pages): every page as a plain list, Pagefind on top.
    PageKind("search", "html", "search.html", lambda key: "/search/", _single),
    PageKind("language-chooser", "html", "root.html", lambda key: "/", _single, per_language=False),
    # Calendars, schedule exchange files and the news feed (eventsite/formats/).
    PageKind("schedule-ics", "ics", None, lambda key: "/schedule.ics", _single),
    PageKind(
        "session-ics", "ics", None, lambda key: f"/sessions/{key}.ics",
        lambda site: (s.id for s in site.sessions), entry=lambda site, key: site.session_map[key],
    ),
    PageKind("schedule-xml", "frab-xml", None, lambda key: "/schedule.xml", _single, per_language=False),
    PageKind("schedule-json", "c3voc-json", None, lambda key: "/schedule.json", _single, per_language=False),
    PageKind("news-atom", "atom", None, lambda key: "/news/atom.xml", _single),
    # Not found: a host serves these for missing URLs at any depth (docs/deploy.md); the root one guesses the language.
    PageKind("not-found", "not-found", "404.html", lambda key: "/404.html", _single, listed=False, served_anywhere=True),
    PageKind(
        "not-found-root", "not-found", "404_root.html", lambda key: "/404.html", _single,
        per_language=False, listed=False, served_anywhere=True,
    ),
    # For crawlers (eventsite/formats/sitemap.py, robots.py): routes, so dev-server edits keep them current.
    PageKind("sitemap", "sitemap", None, lambda key: "/sitemap.xml", _single, per_language=False),
    PageKind("robots", "robots", None, lambda key: "/robots.txt", _single, per_language=False),
)
KINDS_BY_NAME = {kind.name: kind for kind in PAGE_KINDS}


@dataclass(frozen=True)
class Route:
    kind: PageKind
    lang: str | None  # None for language-neutral files at the root
    key: str | None
    url: str  # site-absolute, '/'-rooted, without base_url's path

    @cached_property  # looked up for every route on every dev-server edit
    def output_path(self) -> str:
        """The file below the output folder."""
        path = self.url.lstrip("/")
        return path + "index.html" if path.endswith("/") or not path else path

    @property
    def name(self) -> str:
        return f"{self.kind.name}:{self.lang or '-'}:{self.key or ''}"


@dataclass(frozen=True)
class RoutePlan:
    routes: tuple[Route, ...]
    by_url: dict[str, Route]
    shape: tuple = ()  # languages and the keys of every kind: equal shapes plan equal routes

    def find(self, kind: str, lang: str | None, key: str | None = None) -> Route | None:
        url = language_url(lang, KINDS_BY_NAME[kind].url(key))
        return self.by_url.get(url)


def language_url(lang: str | None, path: str) -> str:
    return f"/{lang}{path}" if lang else path


def plan_routes(site: Site, previous: RoutePlan | None = None) -> RoutePlan:
    """Every output of the site; ``previous`` is returned as is when the site has the same shape.

    (The dev server passes its last plan: most edits change no page's existence.)
    """
    keys_by_kind = [tuple(kind.keys(site)) for kind in PAGE_KINDS]
    shape = (site.languages, tuple(keys_by_kind))
    if previous is not None and previous.shape == shape:
        return previous
    routes: list[Route] = []
    for kind, keys in zip(PAGE_KINDS, keys_by_kind):
        for lang in site.languages if kind.per_language else (None,):
            for key in keys:
                routes.append(Route(kind, lang, key, language_url(lang, kind.url(key))))
    by_url = {route.url: route for route in routes}
    return RoutePlan(tuple(routes), by_url, shape)


def entry_of(site: Site, route: Route) -> Entry | None:
    if route.kind.entry is None or route.key is None:
        return None
    return route.kind.entry(site, route.key)
