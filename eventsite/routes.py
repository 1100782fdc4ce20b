"""Stage 4, plan routes: every output file the site will have.

One table of page kinds (:data:`eventsite.kinds.PAGE_KINDS`: the site's own
pages below, and each content kind's) says which pages exist, where they go
and which template or output format renders them; nothing else in the code
enumerates pages. Routes are planned before anything is rendered, so links
in Markdown can be checked against the real set of pages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import AbstractSet, Any, Callable, Iterable, Mapping, Sequence

from .entries import Entry, Site


@dataclass(frozen=True)
class PageKind:
    name: str
    format: str  # a key of render.OUTPUT_FORMATS
    template: str | None  # for the html format
    url: Callable[[str | None], str]  # key → URL below the language prefix (or the root)
    keys: Callable[[Site], Iterable[str | None]]
    per_language: bool = True
    entry: Callable[[Site, str], Entry | None] | None = None  # the content item a page shows, if any
    listed: bool = True  # in /sitemap.xml (HTML pages only; fallback pages never are)
    served_anywhere: bool = False  # a host serves it for any missing URL: links path-absolute, not relative
    published_only: bool = False  # not made by the dev server (slow, and nobody previews it there)
    offline: bool = False  # kept by the service worker in its language after a first visit (eventsite/offline.py)
    # schema.org nodes of an HTML page after the site's own (page, site view, entry view) → nodes (structured.py).
    json_ld: Callable[[Any, Any, Any], list[dict]] | None = None
    # The texts of the page's share card (eventsite/og.py; page → views.ShareText); None: no card.
    share_card: Callable[[Any], Any] | None = None
    # Pages of kinds with the same group are rendered one after the other by one worker, where they take what
    # they make alike from the first (page.SharedValues: the programme exports' schedule). "": none.
    rendered_with: str = ""


def single(site: Site) -> Iterable[None]:
    """The keys of a page kind with one page (per language)."""
    return (None,)


def entry_keys(kind: str) -> Callable[[Site], Iterable[str]]:
    """The keys of a page per entry of a content kind: its ids, in the kind's order."""
    return lambda site: (entry.id for entry in site.items(kind))


def entry_lookup(kind: str) -> Callable[[Site, str], Entry | None]:
    return lambda site, key: site.get(kind, key)


# The site's own pages. kinds.PAGE_KINDS puts them around the content kinds' pages:
# HOME, then the kinds' pages, SITE_PAGES, the kinds' feeds, SITE_FILES.
HOME = PageKind("home", "html", "home.html", lambda key: "/", single, offline=True)  # the installed app's start_url
SITE_PAGES: tuple[PageKind, ...] = (
    PageKind(
        "country", "html", "country.html", lambda key: f"/countries/{(key or '').lower()}/",
        lambda site: site.config.countries,
    ),
    # Search (eventsite/search.py indexes the built pages): every page as a plain list, Pagefind on top.
    PageKind("search", "html", "search.html", lambda key: "/search/", single),
    PageKind("language-chooser", "html", "root.html", lambda key: "/", single, per_language=False),
)
SITE_FILES: tuple[PageKind, ...] = (
    # Not found: a host serves these for missing URLs at any depth (docs/deploy.md); the root one guesses the language.
    PageKind("not-found", "not-found", "404.html", lambda key: "/404.html", single, listed=False, served_anywhere=True),
    PageKind(
        "not-found-root", "not-found", "404_root.html", lambda key: "/404.html", single,
        per_language=False, listed=False, served_anywhere=True,
    ),
    # For crawlers (eventsite/formats/sitemap.py, robots.py): routes, so dev-server edits keep them current.
    PageKind("sitemap", "sitemap", None, lambda key: "/sitemap.xml", single, per_language=False),
    PageKind("robots", "robots", None, lambda key: "/robots.txt", single, per_language=False),
    # The tracks' colours (eventsite/formats/tracks.py): a stylesheet, as the policy allows no inline styles.
    PageKind(
        "tracks-css", "tracks-css", None, lambda key: "/tracks.css", lambda site: (None,) if site.tracks else (),
        per_language=False, listed=False,
    ),
)
# Page kind names built-in pages link to; content kinds may or may not provide them.
BUILT_IN_NAMES = frozenset(kind.name for kind in (HOME, *SITE_PAGES, *SITE_FILES))


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
    kinds: Mapping[str, PageKind] = field(default_factory=dict)  # page kinds by name
    shape: tuple = ()  # languages and the keys of every kind: equal shapes plan equal routes

    def find(self, kind: str, lang: str | None, key: str | None = None) -> Route | None:
        page_kind = self.kinds.get(kind)
        if page_kind is None:
            return None
        return self.by_url.get(language_url(lang if page_kind.per_language else None, page_kind.url(key)))

    def has_kind(self, kind: str) -> bool:
        return kind in self.kinds


ROUTES_FACT = "routes"  # which pages exist at all; read by outputs that list every page (the sitemap)


def route_changes(urls: AbstractSet[str], urls_before: AbstractSet[str]) -> set[str]:
    """The facts that pages added or removed change: ``route:<url>`` of each, and :data:`ROUTES_FACT` if any."""
    changed = {f"route:{url}" for url in urls ^ urls_before}
    return changed | {ROUTES_FACT} if changed else changed


def language_url(lang: str | None, path: str) -> str:
    return f"/{lang}{path}" if lang else path


def plan_routes(site: Site, page_kinds: Sequence[PageKind], previous: RoutePlan | None = None) -> RoutePlan:
    """Every output of the site; ``previous`` is returned as is when the site has the same shape.

    (The dev server passes its last plan: most edits change no page's existence.)
    """
    keys_by_kind = [tuple(kind.keys(site)) for kind in page_kinds]
    shape = (site.languages, tuple(keys_by_kind))
    if previous is not None and previous.shape == shape:
        return previous
    routes: list[Route] = []
    for kind, keys in zip(page_kinds, keys_by_kind):
        for lang in site.languages if kind.per_language else (None,):
            for key in keys:
                routes.append(Route(kind, lang, key, language_url(lang, kind.url(key))))
    by_url = {route.url: route for route in routes}
    return RoutePlan(tuple(routes), by_url, {kind.name: kind for kind in page_kinds}, shape)


def entry_of(site: Site, route: Route) -> Entry | None:
    if route.kind.entry is None or route.key is None:
        return None
    return route.kind.entry(site, route.key)
