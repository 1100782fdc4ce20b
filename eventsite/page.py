"""One page being rendered: its route, language, fallback chain, entry and dependency recorder.

Everything a view, a template or an output format asks while making one
output goes through its :class:`Page`, which records what was read (files and
facts) so the dev server knows what an edit makes stale. What all pages of a
build share (the model, the route plan, catalogs, converters) is one named
value, :class:`RenderContext`, made once by the renderer.
"""

from __future__ import annotations

import gettext as gettext_module
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Hashable, Mapping, TypeVar
from urllib.parse import unquote, urljoin

from markupsafe import Markup

from . import l10n
from .anchors import AnchorClaim
from .depends import Items, Recorder
from .entries import Entry, Site
from .errors import Problem
from .images import ImageCatalog, ImageInfo
from .l10n import Formatter
from .links import Links, unknown_link
from .documents import Document
from .markup import Conversions, TooComplex, locate_in_body
from .routes import Route, RoutePlan, entry_of
from .theme import Theme

if TYPE_CHECKING:
    from .fragments import KeptParts, PageFragments
    from .kinds.base import KindTable

V = TypeVar("V")


class Formatters:
    """One CLDR formatter per language, made on first use."""

    def __init__(self, site: Site) -> None:
        self._site = site
        self._made: dict[str, Formatter] = {}

    def __call__(self, lang: str) -> Formatter:
        found = self._made.get(lang)
        if found is None:
            site = self._site
            found = self._made[lang] = Formatter(site.language(lang), site.timezone, site.country_names(lang))
        return found


class FlagFiles:
    """The theme's flag of each country, looked up once per build: a page names its countries many times
    (7,500 lookups of two file checks each were ~1.5 % of the synthetic 1,000-item benchmark build)."""

    def __init__(self, theme: Theme) -> None:
        self._theme = theme
        self._found: dict[str, Path | None] = {}

    def __call__(self, code: str) -> Path | None:
        if code not in self._found:
            self._found[code] = self._theme.flag_file(code)
        return self._found[code]


class SharedValues:
    """Values that several pages of one build make alike (the programme exports' schedule), made once per
    process with what making them read, which is recorded again into every page that takes them.

    Only for values that depend on nothing of the page but what their key names; PageKind.rendered_with
    puts the pages that share one in the same worker.
    """

    def __init__(self) -> None:
        self._made: dict[Hashable, tuple[Any, Items]] = {}

    def get(self, page: "Page", key: Hashable, make: Callable[[], V]) -> V:
        recorder = page.recorder
        found = self._made.get(key)
        if found is not None:
            recorder.replay_items(found[1])
            return found[0]
        value, items = recorder.reading(make)
        self._made[key] = (value, items)
        return value


@dataclass(frozen=True)
class RenderContext:
    """What every page of one build shares."""

    site: Site
    plan: RoutePlan
    theme: Theme
    translations: Mapping[str, gettext_module.NullTranslations]  # UI catalogs by language
    formatters: Formatters
    images: ImageCatalog  # sizes and thumbnails of raster media
    conversions: Conversions  # Markdown bodies, converted once
    kinds: "KindTable"  # the content kinds (eventsite/kinds/), for what views look up by kind
    cache_folder: Path | None = None  # the project's cache (share cards are kept there between builds)
    fragments: "KeptParts | None" = None  # parts of pages kept between builds (eventsite/fragments.py)

    @cached_property  # on the instance's own __dict__: allowed on a frozen dataclass
    def flag_file(self) -> FlagFiles:
        return FlagFiles(self.theme)

    @cached_property
    def shared_values(self) -> SharedValues:
        return SharedValues()


@dataclass
class Page:
    """One output in the making."""

    context: RenderContext
    route: Route
    recorder: Recorder
    problems: list[Problem] = field(default_factory=list)
    claims: list[AnchorClaim] = field(default_factory=list)  # links to #fragments of other pages (anchors.py)

    @property
    def site(self) -> Site:
        return self.context.site

    @cached_property
    def lang(self) -> str:
        return self.route.lang or self.site.default_language

    @cached_property
    def chain(self) -> tuple[str, ...]:
        return self.site.chain(self.lang)

    @cached_property
    def entry(self) -> Entry | None:
        """The content item this page shows, if any."""
        return entry_of(self.site, self.route)

    @cached_property
    def language(self) -> l10n.Language:
        return self.site.language(self.lang)

    @cached_property
    def dir(self) -> str:
        return self.language.direction

    @property
    def formatter(self) -> Formatter:
        return self.context.formatters(self.lang)

    def gettext(self, message: str) -> str:
        return self.context.translations[self.lang].gettext(message)

    @cached_property
    def fragments(self) -> "PageFragments | None":
        """This page's kept fragments (eventsite/fragments.py): read on first use, when this build keeps them."""
        store = self.context.fragments
        return store.for_page(self.route.url) if store is not None and self.recorder.active else None

    @cached_property
    def links(self) -> Links:
        return Links(self)

    @cached_property
    def absolute_targets(self) -> "dict[str, tuple[str, Items]]":
        """Site-relative link targets in bodies → absolute URLs, as plain-text formats write them (formats.absolute_target)."""
        return {}

    @cached_property
    def person_nodes(self) -> "dict[str, tuple[dict, Items]]":
        """JSON-LD Person nodes by person id, made once per page: a programme names each speaker many times.
        Each with what making it read, recorded again where a kept fragment reuses it (eventsite/fragments.py)."""
        return {}

    def at(self, route: Route) -> "Page":
        """The same build's page for another route, recording into this page's recorder, problems dropped."""
        return replace(self, route=route, problems=[], claims=[])

    # --- reading the model (recorded) ---------------------------------------------------

    def collection(self, name: str) -> tuple:
        """A whole list of the site's items; the page now depends on that list."""
        self.recorder.record_fact(f"collection:{name}")
        return self.site.collection(name)

    def lookup(self, index: str, key: str) -> tuple:
        """One entry of a model index (e.g. a person's sessions), recorded."""
        self.recorder.record_fact(f"{index}:{key}")
        return self.site.index(index).get(key, ())

    def image(self, path: str) -> ImageInfo | None:
        """Size and thumbnails of the raster image at ``path`` below media/; the page now depends on the file."""
        media = self.site.media.get(path)
        if media is not None:
            self.recorder.record(media.path)
        return self.context.images.get(path)

    # --- languages -----------------------------------------------------------------------

    @property
    def translated_languages(self) -> tuple[str, ...]:
        entry = self.entry
        if entry is None:
            return self.site.languages
        self.recorder.record_fact(entry.languages_fact)  # a translation added or removed changes the answer
        return tuple(lang for lang in self.site.languages if lang in entry.languages)

    @property
    def is_translated(self) -> bool:
        return self.lang in self.translated_languages

    @property
    def og_locales(self) -> tuple[str, list[str]]:
        """This page's Open Graph locale and those of its other translations."""
        own = l10n.og_locale(self.lang)
        others = [l10n.og_locale(lang) for lang in self.translated_languages if lang != self.lang]
        return own, others if self.is_translated else []

    # --- content -------------------------------------------------------------------------

    def markdown(self, text: str, document: Document) -> Markup:
        """A body as safe HTML with its site links resolved for this page; problems are located in ``document``."""
        links = self.links
        if links.trace is not None:  # its links may come from the cache, made for this page's URL, untraced
            links.trace.shareable = False
        try:
            rendered, facts_read = self.context.conversions.convert(
                text, self.route.kind.url(self.route.key), links.resolve, links.fact_holds
            )
        except TooComplex as error:
            self.problems.append(Problem(document.display, document.body_line + error.line, error.message))
            return Markup("")
        for fact in facts_read:
            self.recorder.record_fact(fact)
        for target in rendered.unresolved_links:
            line = locate_in_body(text, f"({target}", document.body_line)
            self.problems.append(Problem(document.display, line, unknown_link(target, self.context.plan.by_url, self.site.languages)))
        for written, resolved in rendered.anchored:
            target, _, fragment = urljoin(self.route.url, resolved).partition("#")
            path = target.lstrip("/") + ("index.html" if target.endswith("/") else "")
            line = locate_in_body(text, written, document.body_line)
            self.claims.append(AnchorClaim(document.display, line, written, unquote(path), unquote(fragment)))
        for removed in rendered.removed:
            line = locate_in_body(text, removed.split(" ")[0], document.body_line)
            self.problems.append(Problem(document.display, line, f"removed unsafe HTML: {removed}", severity="warning"))
        return Markup(rendered.html)
