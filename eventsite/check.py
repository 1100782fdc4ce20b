"""``build.py check``: everything wrong with the content and the built site, at once.

The content is examined as far as it allows (eventsite/build.py ``examine``):
a file that cannot be read or fails its schema does not stop the others from
being checked, its references and its translations are still checked, and
links in every body are checked against the pages the site would have.
When the content has no errors, the site is built into a temporary folder
(``site/`` is never touched) and the built pages are read back with a real
HTML parser: every internal link must reach a file, every ``#fragment`` an
``id`` on its target page, and every image must have alt text. Problems in a
page's text are reported against the content file and line the text came
from; problems only a template can cause are reported against the built page.

Translation coverage is editorial status, not an error: one line per
language says how far it is, and site.yaml ``require_translations`` says
which gaps block a release.
"""

from __future__ import annotations

import re
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

from lxml import etree

from . import paths
from .build import BuildResult, Caches, Project, build_site, examine
from .publish import BuildOptions
from .documents import Document
from .entries import Entry, Site
from .errors import BuildError, Problem, display_path
from .kinds import KINDS
from .routes import entry_of
from .translations.coverage import coverage_report

IMAGE_LIMIT = 500 * 1024  # bytes; a phone on a slow connection feels more than this
IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".svg"})
LINK_ATTRIBUTES = {
    "a": ("href",),
    "link": ("href",),
    "img": ("src", "srcset"),
    "script": ("src",),
    "source": ("src", "srcset"),
}
SKIPPED = "anchors, images and template links in the built pages were not checked: the site does not build yet"


@dataclass
class Report:
    problems: list[Problem]
    skipped: list[str] = field(default_factory=list)  # what could not be checked, and why
    coverage: list[str] = field(default_factory=list)  # one line per language: how far its translation is
    details: list[str] = field(default_factory=list)  # what each language still lacks (--verbose)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def strict(self) -> "Report":
        """Warnings count as errors (``--strict``)."""
        return replace(self, problems=[replace(p, severity="error") for p in self.problems])

    def counts(self) -> str:
        errors, warnings = len(self.errors), len(self.warnings)
        return f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"


def check_project(project: Project) -> Report:
    """Examine the content; when it has no errors, build into a temporary folder and check the built pages.

    With the project's cache folder, as a build: converted bodies, calendar texts, QR codes and share
    cards are taken from it (they never change what is built), so a check costs what a warm build does.
    """
    caches = Caches.for_project(project)
    examined = examine(project, caches)
    problems = list(examined.problems)
    skipped = list(examined.skipped)
    coverage, details = [], []
    if examined.site is not None:
        site = examined.site
        problems += content_warnings(site)
        covered = coverage_report(site, project.theme.locale_folders)
        problems += covered.problems
        coverage, details = covered.summary, covered.details
    if examined.errors or examined.site is None:
        return _report(problems, [*skipped, SKIPPED], coverage, details)
    with tempfile.TemporaryDirectory(prefix="eventsite-check-") as folder:
        output = Path(folder) / "site"
        try:
            result = build_site(replace(project, output=output), caches=caches, options=BuildOptions(keep_going=True))
        except BuildError as error:  # media that cannot be read, a publish step that failed
            return _report([*problems, *error.problems], [*skipped, SKIPPED], coverage, details)
        problems += [*result.errors, *result.warnings, *check_output(output, result)]
    return _report(problems, skipped, coverage, details)


def _report(problems: list[Problem], skipped: list[str], coverage: list[str], details: list[str]) -> Report:
    ordered = sorted(set(problems), key=lambda p: (p.path, p.line, p.column, p.message, p.severity))
    return Report(ordered, skipped, coverage, details)


# --- content warnings ---------------------------------------------------------------


def content_warnings(site: Site) -> list[Problem]:
    """Things that build but that a reader would miss."""
    found: list[Problem] = []
    for kind in KINDS:
        for image in kind.images:
            if image.alt is None:
                continue  # described by the entry's name
            for entry in site.items(kind.name):
                if getattr(entry.meta, image.field, None) and not getattr(entry.meta, image.alt, None):
                    line, column = entry.document.meta.locate((image.field,))
                    message = f"{image.field} has no {image.alt}: describe the picture for people who cannot see it"
                    found.append(Problem(entry.document.display, line, message, column, "warning"))
    for media in site.media.values():
        if media.path.suffix.lower() in IMAGE_SUFFIXES and media.size > IMAGE_LIMIT:
            message = f"image is {media.size // 1024} KB, over the {IMAGE_LIMIT // 1024} KB limit: resize or compress it"
            found.append(Problem(display_path(media.path, site.root), 0, message, severity="warning"))
    return found


def _entries(site: Site) -> list[Entry]:
    return [entry for kind in KINDS for entry in site.items(kind.name)]


# --- the built site -------------------------------------------------------------------


@dataclass
class _Page:
    ids: set[str] = field(default_factory=set)
    links: list[tuple[str, str]] = field(default_factory=list)  # (tag, url)
    images: list[tuple[str, str | None]] = field(default_factory=list)  # (src, alt)


@dataclass(frozen=True)
class _Source:
    """The content text a built page shows, to point problems at its lines."""

    document: Document

    def locate(self, *needles: str) -> int | None:
        body = self.document.body
        for needle in needles:
            index = body.find(needle) if needle else -1
            if index >= 0:
                return self.document.body_line + body.count("\n", 0, index)
        return None

    def written(self, line: int, needles: tuple[str, ...]) -> str | None:
        """The link target on ``line`` that contains one of ``needles``, as typed."""
        lines = self.document.body.split("\n")
        index = line - self.document.body_line
        text = lines[index] if 0 <= index < len(lines) else ""
        for needle in needles:
            match = re.search(r"[(<\"']([^()<>\"'\s]*" + re.escape(needle) + r"[^()<>\"'\s]*)", text) if needle else None
            if match:
                return match.group(1)
        return None


def check_output(output: Path, result: BuildResult) -> list[Problem]:
    """Links, anchors and alt texts of every built HTML page."""
    files = {path.relative_to(output).as_posix() for path in output.rglob("*") if path.is_file()}
    # Planned pages first, in plan order, so a template problem is shown on the default language's page.
    planned = [route.output_path for route in result.plan.routes if route.output_path in files]
    order = dict.fromkeys([*planned, *sorted(files)])
    pages = {name: _parse(output / name) for name in order if name.endswith(".html")}
    sources = _sources(result)
    base = result.site.config.base_url
    base_path = urlsplit(base).path or "/"
    on_pages: dict[tuple[str, str], list[str]] = defaultdict(list)  # (page without language, message) → pages
    # 404 pages are served at any depth: their links are path-absolute below base_url on purpose.
    anywhere = {route.output_path for route in result.plan.routes if route.kind.served_anywhere}
    found: list[Problem] = []

    def report(page: str, url: str, needles: tuple[str, ...], message: str, severity: str = "error") -> None:
        """``message`` has a ``{url}``: the link as the editor wrote it when we find it in the text."""
        source = sources.get(page)
        line = source.locate(*needles) if source is not None else None
        if source is not None and line is not None:
            written = source.written(line, needles) or url
            found.append(Problem(source.document.display, line, message.replace("{url}", written), severity=severity))  # type: ignore[arg-type]
        else:
            key = (_without_language(page, result.site.languages), severity + ":" + message.replace("{url}", url))
            on_pages[key].append(page)

    for name, page in pages.items():
        for tag, url in page.links:
            if url.startswith(base):
                url = "/" + url[len(base):]  # canonical and hreflang links: absolute, into this site
            elif name in anywhere and url.startswith(base_path):
                url = "/" + url[len(base_path):]
            elif url.startswith("/") and not url.startswith("//") and base_path != "/":
                report(name, url, (url,), f"link to {{url}} starts with '/' and breaks under {base_path}: make it relative")
                continue
            target = _resolve(name, url)
            if target is None:
                continue
            path, fragment = target
            file = _file_for(path, files)
            if file is None:
                report(name, url, (url, PurePosixPath(path).name), "link to {url}: no such page or file in the built site")
            elif fragment and fragment.lower() != "top" and file in pages and fragment not in pages[file].ids:
                report(name, url, ("#" + fragment, url), f"link to {{url}}: the page has no element with id {fragment!r}")
        for src, alt in page.images:
            if alt is None:
                report(name, src, (src, PurePosixPath(src).name), "image {url} has no alt attribute", "warning")
            elif not alt.strip() and name in sources and sources[name].locate(f"![]({src}", PurePosixPath(src).name):
                message = "image {url} has no alt text: describe it inside the brackets of ![…]"
                report(name, src, (PurePosixPath(src).name,), message, "warning")

    for (_, key), where in on_pages.items():
        severity, message = key.split(":", 1)
        also = f" (and {len(where) - 1} other language version{'s' * (len(where) > 2)})" if len(where) > 1 else ""
        found.append(Problem(where[0], 0, f"in the built page: {message}{also}", severity=severity))  # type: ignore[arg-type]
    return found


def _parse(path: Path) -> _Page:
    # libxml2's HTML parser rather than html5lib: ~30 times faster, and the
    # ids and links of our own well-formed output come out the same.
    tree = etree.fromstring(path.read_bytes(), _PARSER)
    page = _Page()
    if tree is None:
        return page
    for element in _INTERESTING(tree):
        tag = element.tag
        if element.get("id"):
            page.ids.add(element.get("id"))
        if tag == "a" and element.get("name"):
            page.ids.add(element.get("name"))
        for attribute in LINK_ATTRIBUTES.get(tag, ()):
            value = element.get(attribute)
            if value is not None:
                urls = _srcset(value) if attribute == "srcset" else [value.strip()]
                page.links.extend((tag, url) for url in urls if url)
        if tag == "img":
            page.images.append((element.get("src", ""), element.get("alt")))
    return page


_PARSER = etree.HTMLParser(encoding="utf-8")
_INTERESTING = etree.XPath("//*[@id] | //a | //link | //img | //script | //source")


def _srcset(value: str) -> list[str]:
    return [candidate.split()[0] for candidate in value.split(",") if candidate.strip()]


def _resolve(page: str, url: str) -> tuple[str, str] | None:
    """(site path, fragment) of an internal link from ``page``; None when external."""
    if url and url[0] not in "#?":  # the page's own name matters only to these: others resolve alike in its folder
        return _resolve_in(page.rpartition("/")[0], url)
    return _resolve_uncached(page, url)


@lru_cache(maxsize=1 << 16)  # the navigation's links are the same on every page of a folder
def _resolve_in(folder: str, url: str) -> tuple[str, str] | None:
    return _resolve_uncached(folder + "/" if folder else "", url)


def _resolve_uncached(page: str, url: str) -> tuple[str, str] | None:
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return None  # other sites, mailto:, data: — no network in check
    absolute = urlsplit(urljoin("/" + page, url))
    return unquote(absolute.path), unquote(parts.fragment)


def _file_for(path: str, files: set[str]) -> str | None:
    relative = paths.nfc(path.lstrip("/"))
    for candidate in (relative, relative.rstrip("/") + "/index.html" if relative else "index.html"):
        if candidate in files:
            return candidate
    return None


def _without_language(page: str, languages: tuple[str, ...]) -> str:
    first, _, rest = page.partition("/")
    return rest if first in languages else page


def _sources(result: BuildResult) -> dict[str, _Source]:
    """Built page → the document whose body it shows (a translation, or the source)."""
    site = result.site
    found: dict[str, _Source] = {}
    for route in result.plan.routes:
        entry = entry_of(site, route)
        if entry is None or route.lang is None:
            continue
        lang = entry.text_language(site.chain(route.lang))
        translation = entry.translations.get(lang)
        shown = translation.document if translation is not None and translation.body.strip() else entry.document
        found[route.output_path] = _Source(shown)
    return found


# --- output -------------------------------------------------------------------------


def github_command(problem: Problem) -> str:
    """A GitHub Actions workflow command that annotates the file and line."""
    properties = [f"file={_escape_property(problem.path)}"]
    if problem.line:
        properties.append(f"line={problem.line}")
        if problem.column:
            properties.append(f"col={problem.column}")
    return f"::{problem.severity} {','.join(properties)}::{_escape_data(problem.message)}"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
