"""Stage 5, render: each planned route into bytes, in its language.

One Jinja2 environment per language (with that language's gettext catalog
installed) shares one in-memory bytecode cache, so each template is compiled
once however many languages the site has. Templates see only
:mod:`eventsite.views`, never the raw model; content text is data, never
template source.
"""

from __future__ import annotations

import gettext as gettext_module
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Callable, Mapping
from urllib.parse import urlsplit

import jinja2
from jinja2 import meta as jinja_meta
from markupsafe import Markup

from . import l10n, notfound, og
from .cache import DiskCache
from .depends import Recorder
from .errors import Problem, display_path
from .formats import atom, c3voc, frab, ics, robots, sitemap
from .images import ImageCatalog, ImageInfo, scan_images
from .l10n import Formatter
from .load import Document
from .markup import MarkdownRenderer, Rendered, TooComplex, locate_in_body
from .model import Site
from .paths import media_path_problem, nfc, relative_url
from .routes import KINDS_BY_NAME, Route, RoutePlan, entry_of, language_url
from .views import SiteView, view_of


class SharedBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates shared by the per-language environments."""

    def __init__(self) -> None:
        self._store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._store.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._store[bucket.key] = bucket.bytecode_to_string()


@dataclass(frozen=True)
class Theme:
    """Where a site's look comes from."""

    templates: Path  # Jinja templates; static assets in templates/static/
    locales: Path  # gettext catalogs: <lang>/LC_MESSAGES/messages.po

    @property
    def static(self) -> Path:
        return self.templates / "static"


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
    ):
        self.site = site
        self.plan = plan
        self.theme = theme
        self.translations = translations
        self.markdown = MarkdownRenderer()
        self.markdown_memo: dict[tuple[str, str], tuple[Rendered, frozenset[str]]] = {}
        self.disk_cache = disk_cache  # Markdown conversions kept between builds
        self.images = images if images is not None else scan_images(site)  # sizes and thumbnails of raster media
        self._bytecode = bytecode or SharedBytecodeCache()
        self._environments: dict[str, jinja2.Environment] = {}
        self._formatters: dict[str, Formatter] = {}
        self._template_files: dict[str, frozenset[Path]] = {}
        self._references: dict[str, tuple[str, ...]] = {}

    def environment(self, lang: str) -> jinja2.Environment:
        environment = self._environments.get(lang)
        if environment is None:
            environment = jinja2.Environment(
                loader=jinja2.FileSystemLoader(self.theme.templates),
                autoescape=True,
                undefined=jinja2.StrictUndefined,
                extensions=["jinja2.ext.i18n"],
                bytecode_cache=self._bytecode,
                trim_blocks=True,
                lstrip_blocks=True,
                keep_trailing_newline=True,
            )
            environment.install_gettext_translations(self.translations[lang], newstyle=True)  # type: ignore[attr-defined]
            environment.filters["iso"] = lambda value: value.isoformat()
            # Readable, stable JSON-LD; |tojson still escapes <, >, & and '.
            environment.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False}
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

    def formatter(self, lang: str) -> Formatter:
        formatter = self._formatters.get(lang)
        if formatter is None:
            formatter = self._formatters[lang] = Formatter(lang, self.site.timezone)
        return formatter

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
            found = frozenset((self.theme.templates / item).resolve() for item in seen)
            self._template_files[name] = found
        return found

    def _direct_references(self, name: str) -> tuple[str, ...]:
        references = self._references.get(name)
        if references is None:
            environment = self.environment(self.site.default_language)
            source = environment.loader.get_source(environment, name)[0]  # type: ignore[union-attr]
            found = jinja_meta.find_referenced_templates(environment.parse(source))
            references = self._references[name] = tuple(item for item in found if item)
        return references


@dataclass
class PageContext:
    """Everything one page's templates may ask about, for one language."""

    renderer: Renderer
    route: Route
    recorder: Recorder
    problems: list[Problem] = field(default_factory=list)

    @property
    def site(self) -> Site:
        return self.renderer.site

    @cached_property
    def lang(self) -> str:
        return self.route.lang or self.site.default_language

    @cached_property
    def chain(self) -> tuple[str, ...]:
        return self.site.chain(self.lang)

    @property
    def language(self) -> l10n.Language:
        return l10n.language(self.lang)

    @property
    def dir(self) -> str:
        return self.language.direction

    @property
    def formatter(self) -> Formatter:
        return self.renderer.formatter(self.lang)

    def gettext(self, message: str) -> str:
        return self.renderer.translations[self.lang].gettext(message)

    def collection(self, name: str) -> tuple:
        """A whole list of the site's items; the page now depends on that list."""
        self.recorder.record_fact(f"collection:{name}")
        return self.site.collection(name)

    def lookup(self, index: str, key: str) -> tuple:
        """One entry of a model index (e.g. a person's sessions), recorded."""
        self.recorder.record_fact(f"{index}:{key}")
        return getattr(self.site, index).get(key, ())

    # --- links -----------------------------------------------------------------

    def url(self, target: str) -> str:
        """A site-absolute URL ('/en/schedule/') as a link relative to this page."""
        if self.route.kind.served_anywhere:
            # A 404 page is served at the missing URL, whatever its depth: relative links would break.
            return self.base_path + target.lstrip("/")
        return relative_url(self.route.url, target)

    @property
    def base_path(self) -> str:
        """The path of base_url ('/busan2019/'), where the site's root is served."""
        return urlsplit(self.site.config.base_url).path or "/"

    def link(self, kind: str, key: str | None = None, lang: str | None = None) -> str:
        page_kind = KINDS_BY_NAME[kind]
        target_lang = None if not page_kind.per_language else (lang or self.lang)
        return self.url(language_url(target_lang, page_kind.url(key)))

    def route_url(self, kind: str, key: str | None = None, lang: str | None = None) -> str:
        """The site-absolute URL of a page (for absolute links: canonical, feeds, JSON-LD)."""
        page_kind = KINDS_BY_NAME[kind]
        return language_url(None if not page_kind.per_language else (lang or self.lang), page_kind.url(key))

    def json_ld(self, site, entry) -> dict:
        from .structured import json_ld

        return json_ld(self, site, entry)

    def asset(self, path: str) -> str:
        return self.url("/static/" + path)

    def media_url(self, path: str) -> str:
        return self.url("/media/" + path)

    def image(self, path: str) -> ImageInfo | None:
        """Size and thumbnails of the raster image at ``path`` below media/; the page now depends on the file."""
        media = self.site.media.get(path)
        if media is not None:
            self.recorder.record(media.path)
        return self.renderer.images.get(path)

    def absolute(self, url: str) -> str:
        return self.site.config.base_url + url.lstrip("/")

    def og_image(self) -> "og.Card | None":
        """This page's Open Graph image, or None when none is published (eventsite/og.py)."""
        return og.card(self)

    # --- languages -----------------------------------------------------------------

    @property
    def entry(self):
        return entry_of(self.site, self.route)

    @property
    def translated_languages(self) -> tuple[str, ...]:
        entry = self.entry
        if entry is None:
            return self.site.languages
        return tuple(lang for lang in self.site.languages if lang in entry.languages)

    @property
    def is_translated(self) -> bool:
        return self.lang in self.translated_languages

    @property
    def canonical(self) -> str:
        """Fallback pages point search engines at the page whose text they show."""
        entry = self.entry
        lang = self.lang if entry is None or self.is_translated else entry.text_language(self.chain)
        return self.absolute(self._url_in(lang))

    def _url_in(self, lang: str | None) -> str:
        if not self.route.kind.per_language:
            return self.route.url
        return language_url(lang, self.route.kind.url(self.route.key))

    @property
    def alternates(self) -> list[tuple[str, str]]:
        """hreflang links: reciprocal among translated versions, plus x-default."""
        if not self.route.kind.per_language or not self.is_translated:
            return []
        links = [(lang, self.absolute(self._url_in(lang))) for lang in self.translated_languages]
        links.append(("x-default", self.absolute(self._url_in(self.site.default_language))))
        return links

    @property
    def og_locales(self) -> tuple[str, list[str]]:
        """This page's Open Graph locale and those of its other translations."""
        own = l10n.og_locale(self.lang)
        others = [l10n.og_locale(lang) for lang in self.translated_languages if lang != self.lang]
        return own, others if self.is_translated else []

    @property
    def switcher(self) -> list[dict]:
        translated = set(self.translated_languages)
        items = []
        for lang in self.site.languages:
            info = l10n.language(lang)
            items.append(
                {
                    "code": lang,
                    "name": info.name,
                    "dir": info.direction,
                    "url": self.url(self._url_in(lang)) if self.route.kind.per_language else self.url(f"/{lang}/"),
                    "translated": lang in translated,
                    "current": lang == self.lang and self.route.kind.per_language,
                }
            )
        return items

    # --- content -----------------------------------------------------------------

    def markdown(self, text: str, document: Document) -> Markup:
        # Relative links from /th/sessions/x/ and /en/sessions/x/ are the same
        # strings, so a body converts once for all languages that show it.
        key = (text, self.route.kind.url(self.route.key))
        memo = self.renderer.markdown_memo.get(key)
        if memo is None:
            try:
                memo = self.renderer.markdown_memo[key] = self._convert(text, key[1])
            except TooComplex as error:
                self.problems.append(Problem(document.display, document.body_line + error.line, error.message))
                return Markup("")
        rendered, facts_read = memo
        for fact in facts_read:
            self.recorder.record_fact(fact)
        for target in rendered.unresolved_links:
            line = locate_in_body(text, f"({target}", document.body_line)
            self.problems.append(Problem(document.display, line, f"link to {target}: no such page or file"))
        for removed in rendered.removed:
            line = locate_in_body(text, removed.split(" ")[0], document.body_line)
            self.problems.append(
                Problem(document.display, line, f"removed unsafe HTML: {removed}", severity="warning")
            )
        return Markup(rendered.html)


    def _convert(self, text: str, where: str) -> tuple[Rendered, frozenset[str]]:
        """Markdown → HTML through the disk cache; an entry counts only if its links resolve the same today."""
        cache = self.renderer.disk_cache
        key = cache.key(text, where) if cache is not None else ""
        entry = cache.get(key) if cache is not None else None
        if isinstance(entry, dict) and all(self.fact_holds(fact) == held for fact, held in entry.get("facts", [])):
            rendered = Rendered(entry["html"], list(entry["unresolved"]), list(entry["removed"]))
            return rendered, frozenset(fact for fact, _ in entry["facts"])
        facts = Recorder()
        rendered = self.renderer.markdown.render(text, lambda target: resolve_site_link(self, target, facts))
        if cache is not None:
            held = sorted((fact, self.fact_holds(fact)) for fact in facts.facts)
            cache.put(key, {"html": rendered.html, "unresolved": rendered.unresolved_links, "removed": rendered.removed, "facts": held})
        return rendered, frozenset(facts.facts)

    def fact_holds(self, fact: str) -> bool:
        """Whether a recorded link fact ('route:/en/x/', 'media:a.pdf') is true for this build."""
        kind, _, value = fact.partition(":")
        if kind == "route":
            return value in self.renderer.plan.by_url
        if kind == "media":
            return value in self.site.media
        if kind == "static":
            # media_path_problem: no '..', absolute or escaped segments, so nothing outside static/ is probed.
            return media_path_problem(value) is None and (self.renderer.theme.static / value).is_file()
        return False


def resolve_site_link(page: PageContext, target: str, recorder: Recorder) -> str | None:
    """``/sessions/x/#a`` → this language's page, relative to ``page``; None if absent."""
    path, hash_mark, fragment = target.partition("#")
    path, query_mark, query = path.partition("?")
    path = nfc(path)  # a file name pasted from macOS is NFD; media names are NFC
    suffix = (query_mark + query) + (hash_mark + fragment)
    plan = page.renderer.plan
    candidates = [language_url(page.lang, path), path]
    if not path.endswith("/") and "." not in path.rsplit("/", 1)[-1]:
        candidates += [language_url(page.lang, path + "/"), path + "/"]
    for candidate in candidates:
        recorder.record_fact(f"route:{candidate}")
        if candidate in plan.by_url:
            return page.url(candidate) + suffix
    if path.startswith("/media/"):
        recorder.record_fact(f"media:{path[len('/media/'):]}")
        if path[len("/media/"):] in page.site.media:
            return page.url(path) + suffix
    if path.startswith("/static/"):
        recorder.record_fact(f"static:{path[len('/static/'):]}")  # so a cached conversion is checked again
        if page.fact_holds(f"static:{path[len('/static/'):]}"):
            return page.url(path) + suffix
    return None


# --- output formats --------------------------------------------------------------


def render_html(page: PageContext, **extra: object) -> bytes:
    renderer = page.renderer
    template_name = page.route.kind.template
    assert template_name is not None
    if page.recorder.active:
        page.recorder.record(*renderer.template_files(template_name))
    template = renderer.environment(page.lang).get_template(template_name)
    entry = page.entry
    html = template.render(
        page=page,
        site=SiteView(page),
        entry=view_of(entry, page) if entry is not None else None,
        **extra,
    )
    return html.encode("utf-8")


# One table of output formats; page kinds name theirs in routes.PAGE_KINDS.
OUTPUT_FORMATS: dict[str, Callable[[PageContext], bytes]] = {
    "html": render_html,
    "ics": ics.render,
    "frab-xml": frab.render,
    "c3voc-json": c3voc.render,
    "atom": atom.render,
    "not-found": lambda page: render_html(page, choices=notfound.choices(page)),
    "sitemap": sitemap.render,
    "robots": robots.render,
}


def render_route(renderer: Renderer, route: Route, recorder: Recorder) -> tuple[bytes, list[Problem]]:
    """Render one route; a template error becomes a located problem, not a traceback."""
    page = PageContext(renderer, route, recorder)
    try:
        return OUTPUT_FORMATS[route.kind.format](page), page.problems
    except jinja2.TemplateSyntaxError as error:
        path = Path(error.filename) if error.filename else renderer.theme.templates / (error.name or "?")
        problem = Problem(display_path(path, renderer.theme.templates), error.lineno, f"template syntax: {error.message}")
    except (jinja2.TemplateError, TypeError, AttributeError, KeyError, ValueError) as error:
        path, line = _template_frame(error, renderer.theme.templates)
        problem = Problem(path, line, f"template error while rendering {route.url}: {error}")
    return b"", [*page.problems, problem]


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
