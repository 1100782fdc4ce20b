"""Stage 5, render: each planned route into bytes, in its language.

One Jinja2 environment per language (with that language's gettext catalog
installed) shares one in-memory bytecode cache, so each template is compiled
once however many languages the site has. Templates see only views
(eventsite/views.py and each kind's), never the raw model; content text is
data, never template source. :data:`OUTPUT_FORMATS` is the one table of what
turns a route into bytes.
"""

from __future__ import annotations

import gettext as gettext_module
from pathlib import Path
from types import CodeType
from typing import Callable, Mapping, NamedTuple, Sequence
from urllib.parse import quote

import jinja2
from jinja2 import meta as jinja_meta

from . import brand, linebreaks, notfound, og, structured
from .anchors import AnchorClaim
from .cache import DiskCache
from .depends import Recorder
from .entries import Site
from .errors import Problem, display_path
from .formats import atom, c3voc, changes, frab, ics, robots, sitemap, tracks
from .fragments import KeptParts, SharedParts, keep_macro, keep_shared_macro
from .images import ImageCatalog, scan_images
from .kinds import IMAGE_FIELDS, TABLE
from .kinds.base import KindTable
from .markup import Conversions
from .page import Formatters, Page, RenderContext
from .routes import Route, RoutePlan
from .theme import Theme
from .views import SiteView


class SharedBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates shared by the per-language environments, in memory and, when given, on disk.

    Each language has its own environment (its translations are the
    environment's globals), and each loads every template it renders. The
    code is the same for all of them: it is kept here as a code object, read
    from ``backing`` (the cache folder's files) at most once per process.
    Reading it ten times was ~5 % of a worker's time after a moved programme
    item at 10 × 300. A code object is never changed; each environment runs it
    into a namespace of its own (``Template.from_code``).
    """

    def __init__(self, backing: jinja2.BytecodeCache | None = None) -> None:
        self._backing = backing
        self._codes: dict[str, tuple[str, CodeType]] = {}  # a template's key → its source's checksum, code

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        found = self._codes.get(bucket.key)
        if found is not None and found[0] == bucket.checksum:
            bucket.code = found[1]
            return
        if self._backing is not None:
            self._backing.load_bytecode(bucket)
            if bucket.code is not None:
                self._codes[bucket.key] = (bucket.checksum, bucket.code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.code is None:
            return
        self._codes[bucket.key] = (bucket.checksum, bucket.code)
        if self._backing is not None:
            self._backing.dump_bytecode(bucket)


class Renderer:
    """Holds what is expensive to make and safe to reuse across pages."""

    def __init__(
        self,
        site: Site,
        plan: RoutePlan,
        theme: Theme,
        translations: Mapping[str, gettext_module.NullTranslations],
        bytecode: jinja2.BytecodeCache | None = None,
        disk_cache: DiskCache | None = None,
        images: ImageCatalog | None = None,
        kinds: KindTable = TABLE,
        cache_folder: Path | None = None,
        fragments: KeptParts | None = None,
    ):
        self.context = RenderContext(
            site=site,
            plan=plan,
            theme=theme,
            translations=translations,
            formatters=Formatters(site),
            images=images if images is not None else scan_images(site, IMAGE_FIELDS),
            conversions=Conversions(disk_cache),
            kinds=kinds,
            cache_folder=cache_folder,
            fragments=fragments,
        )
        self.shared_parts = SharedParts()  # made once for the pages of a folder (keep_shared), this build only
        self._bytecode = bytecode or SharedBytecodeCache()
        self._environments: dict[str, jinja2.Environment] = {}
        self._template_files: dict[str, frozenset[Path]] = {}
        self._references: dict[str, tuple[str, ...]] = {}
        # Which templates a template names, by its source: parsing base.html for that took ~15 ms a build.
        self._references_cache = DiskCache(cache_folder, "template-references") if cache_folder is not None and disk_cache is not None else None

    @property
    def site(self) -> Site:
        return self.context.site

    @property
    def plan(self) -> RoutePlan:
        return self.context.plan

    @property
    def theme(self) -> Theme:
        return self.context.theme

    def environment(self, lang: str) -> jinja2.Environment:
        environment = self._environments.get(lang)
        if environment is None:
            environment = jinja2.Environment(
                loader=jinja2.FileSystemLoader(self.theme.template_folders),
                autoescape=True,
                undefined=jinja2.StrictUndefined,
                extensions=["jinja2.ext.i18n"],
                bytecode_cache=self._bytecode,
                trim_blocks=True,
                lstrip_blocks=True,
                keep_trailing_newline=True,
            )
            environment.install_gettext_translations(self.context.translations[lang], newstyle=True)  # type: ignore[attr-defined]
            environment.filters["iso"] = lambda value: value.isoformat()
            # A URL carried inside another URL (an app's deep link): every reserved character encoded.
            environment.filters["component"] = lambda value: quote(str(value), safe="")
            # Readable, stable JSON-LD; |tojson still escapes <, >, & and '.
            environment.policies["json.dumps_kwargs"] = dict(structured.JSON_OPTIONS)
            environment.policies["json.dumps_function"] = structured.dumps  # kept nodes spliced in as they were
            self._environments[lang] = environment
        return environment

    def share_environments(self, environments: dict) -> None:
        """Use (and fill) environments kept by a long-running process across builds.

        The template dependency graph is kept with them; a template edit
        clears it (the builder calls :meth:`forget_templates`).
        """
        self._environments = environments.setdefault("environments", {})
        self._template_files = environments.setdefault("template_files", {})
        self._references = environments.setdefault("references", {})

    def template_files(self, name: str) -> frozenset[Path]:
        """The template and every template it extends, includes or imports."""
        found = self._template_files.get(name)
        if found is None:
            seen: set[str] = set()
            pending = [name]
            while pending:
                current = pending.pop()
                if current not in seen:
                    seen.add(current)
                    pending.extend(self._direct_references(current))
            found = frozenset(self.theme.template_file(item).resolve() for item in seen)
            self._template_files[name] = found
        return found

    def _direct_references(self, name: str) -> tuple[str, ...]:
        references = self._references.get(name)
        if references is None:
            environment = self.environment(self.site.default_language)
            source = environment.loader.get_source(environment, name)[0]  # type: ignore[union-attr]
            cache = self._references_cache
            key = cache.key(jinja2.__version__, source) if cache is not None else ""
            saved = cache.get(key) if cache is not None else None
            if isinstance(saved, list) and all(isinstance(item, str) for item in saved):
                references = tuple(saved)
            else:
                found = jinja_meta.find_referenced_templates(environment.parse(source))
                references = tuple(item for item in found if item)
                if cache is not None:
                    cache.put(key, list(references))
            self._references[name] = references
        return references

    def warm_up(self, routes: Sequence[Route]) -> None:
        """What every worker would look up the same way: the fonts of share cards (fontconfig runs one
        process per language and style, ~50 ms; then each font's characters)."""
        if any(route.kind.share_card is not None for route in routes):
            og.warm_up(self.site.languages, self.context.cache_folder)

    def page(self, route: Route, recorder: Recorder) -> Page:
        return Page(self.context, route, recorder)


# --- output formats --------------------------------------------------------------


def render_html(page: Page, renderer: Renderer, **extra: object) -> bytes:
    template_name = page.route.kind.template
    assert template_name is not None
    if page.recorder.active:
        page.recorder.record(*renderer.template_files(template_name))
    template = renderer.environment(page.lang).get_template(template_name)
    entry = page.entry
    site = SiteView(page)
    entry_view = page.context.kinds.view(entry, page) if entry is not None else None
    card = og.card(page)
    html = template.render(
        page=page,
        links=page.links,
        site=site,
        entry=entry_view,
        json_ld=structured.json_ld(page, site, entry_view, card.url if card is not None else None),
        og_image=card,
        keep=lambda macro, *arguments: keep_macro(page, entry_view, macro, *arguments),
        keep_shared=lambda macro, *arguments: keep_shared_macro(renderer.shared_parts, page, entry_view, macro, *arguments),
        **extra,
    )
    return linebreaks.keep_together(html, page.language.keep_together).encode("utf-8")


# One table of output formats; page kinds name theirs. None: this route has no file (e.g. no share card).
OUTPUT_FORMATS: dict[str, Callable[[Page, Renderer], bytes | None]] = {
    "html": render_html,
    "ics": lambda page, renderer: ics.render(page),
    "frab-xml": lambda page, renderer: frab.render(page),
    "c3voc-json": lambda page, renderer: c3voc.render(page),
    "atom": lambda page, renderer: atom.render(page),
    "changes-atom": lambda page, renderer: changes.render(page),
    "not-found": lambda page, renderer: render_html(page, renderer, choices=notfound.choices(page)),
    "sitemap": lambda page, renderer: sitemap.render(page),
    "robots": lambda page, renderer: robots.render(page),
    "og-png": lambda page, renderer: og.render(page),
    "brand-css": lambda page, renderer: brand.render_stylesheet(page),
    "brand-icon": lambda page, renderer: brand.render_icon(page),
    "tracks-css": lambda page, renderer: tracks.render(page),
}


class RouteOutput(NamedTuple):
    """What rendering one route gives: its bytes (None: no file), its problems, its links to #fragments."""

    data: bytes | None
    problems: list[Problem]
    claims: list[AnchorClaim]


def render_route(renderer: Renderer, route: Route, recorder: Recorder) -> RouteOutput:
    """Render one route; a template's mistake becomes a problem at its template line.

    Only Jinja's own errors are caught: an exception from Python code (a view,
    a format) is a bug in the generator and keeps its traceback.
    """
    page = renderer.page(route, recorder)
    try:
        data = OUTPUT_FORMATS[route.kind.format](page, renderer)
        store = renderer.context.fragments
        if store is not None and "fragments" in page.__dict__ and page.fragments is not None:  # this page kept some
            recorder.fragments = store.save(route.url, page.fragments)
        return RouteOutput(data, page.problems, page.claims)
    except jinja2.TemplateSyntaxError as error:
        source = Path(error.filename) if error.filename else renderer.theme.templates / (error.name or "?")
        problem = Problem(display_path(source, renderer.theme.templates), error.lineno, f"template syntax: {error.message}")
    except jinja2.TemplateError as error:
        shown, line = _template_frame(error, renderer.theme.templates)
        problem = Problem(shown, line, f"template error while rendering {route.url}: {error}")
    return RouteOutput(b"", [*page.problems, problem], [])


def _template_frame(error: BaseException, templates: Path) -> tuple[str, int]:
    """The innermost template file and line in an exception's traceback."""
    found = (display_path(templates, templates), 0)
    traceback = error.__traceback__
    while traceback is not None:
        filename = traceback.tb_frame.f_code.co_filename
        if filename.endswith(".html") or filename.endswith(".xml") or filename.startswith(str(templates)):
            found = (display_path(Path(filename), templates), traceback.tb_lineno)
        traceback = traceback.tb_next
    return found
