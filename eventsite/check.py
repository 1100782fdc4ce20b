"""``build.py check``: everything wrong with the content and the built site, at once.

The site is built into a temporary folder (``site/`` is never touched) and
the built pages are then read back with a real HTML parser: every internal
link must reach a file, every ``#fragment`` an ``id`` on its target page,
and every image must have alt text. Problems in a page's text are reported
against the content file and line the text came from; problems only a
template can cause are reported against the built page.

When a file cannot even be read (a bad file name, broken YAML), the loader
stops the build; check then validates the other files without it, so one
typo does not hide every other problem. Links are only checked once the
site builds.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Iterable, Iterator
from urllib.parse import unquote, urljoin, urlsplit

from lxml import etree

from . import paths
from .build import BuildResult, Caches, Project, build_site
from .errors import BuildError, Problem, display_path
from .l10n import language
from .documents import Document
from .entries import Entry, Site
from .kinds import FOLDERS as CONTENT_FOLDERS
from .kinds import KINDS
from .load import MEDIA_FOLDER, SITE_FILE, load_content
from .model import build_model
from .routes import entry_of
from .validate import validate_content

IMAGE_LIMIT = 500 * 1024  # bytes; a phone on a slow connection feels more than this
IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".svg"})
LINK_ATTRIBUTES = {
    "a": ("href",),
    "link": ("href",),
    "img": ("src", "srcset"),
    "script": ("src",),
    "source": ("src", "srcset"),
}
SKIPPED = "links, anchors and images in the built pages were not checked: the site does not build yet"


@dataclass
class Report:
    problems: list[Problem]
    skipped: str | None = None  # why the built-site checks did not run

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def strict(self) -> "Report":
        """Warnings count as errors (``--strict``)."""
        return Report([replace(p, severity="error") for p in self.problems], self.skipped)

    def counts(self) -> str:
        errors, warnings = len(self.errors), len(self.warnings)
        return f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"


def check_project(project: Project) -> Report:
    """Check content, build into a temporary folder, check the built pages."""
    caches = Caches()
    try:
        load_content(project.content, caches.documents)
    except BuildError as error:
        return _report([*error.problems, *recheck_without(project.content, error.problems)], SKIPPED)
    with tempfile.TemporaryDirectory(prefix="eventsite-check-") as folder:
        output = Path(folder) / "site"
        try:
            result = build_site(replace(project, output=output), caches=caches)
        except BuildError as error:
            return _report(error.problems, SKIPPED)
        return _report([*result.warnings, *content_warnings(result.site), *check_output(output, result)])


def _report(problems: Iterable[Problem], skipped: str | None = None) -> Report:
    return Report(sorted(set(problems), key=lambda p: (p.path, p.line, p.column, p.message, p.severity)), skipped)


# --- when the loader gives up ---------------------------------------------------------


def recheck_without(content: Path, load_problems: Iterable[Problem]) -> list[Problem]:
    """Validate and cross-check every file the loader could read.

    The readable files are copied into a temporary content folder with the
    same name (so paths in messages are the same). An unreadable entry is
    replaced by an empty one, which fails validation and so silences the
    "unknown person" errors its references would otherwise cause.
    """
    root = content.resolve()
    bad = {problem.path for problem in load_problems}
    if display_path(root / SITE_FILE, root) in bad or not (root / SITE_FILE).is_file():
        return []  # without valid settings nothing else can be checked
    with tempfile.TemporaryDirectory(prefix="eventsite-check-") as folder:
        mirror = Path(folder) / root.name
        _mirror(root, mirror, bad)
        for _ in range(5):  # each round drops the files whose names the loader refuses
            try:
                raw = load_content(mirror)
                break
            except BuildError as error:
                refused = [mirror.parent / p.path for p in error.problems if (mirror.parent / p.path).is_file()]
                if not refused:
                    return []
                for path in refused:
                    path.unlink()
        else:
            return []
        try:
            build_model(validate_content(raw))
        except BuildError as error:
            return [p for p in error.problems if p.path not in bad]
    return []


def _mirror(root: Path, mirror: Path, bad: set[str]) -> None:
    seen: set[str] = set()
    for folder, dirnames, filenames in os.walk(root, followlinks=True):
        here = Path(folder)
        seen.add(os.path.realpath(here))
        dirnames[:] = [
            name for name in dirnames
            if display_path(here / name, root) not in bad
            and paths.is_inside(here / name, root)
            and os.path.realpath(here / name) not in seen
        ]
        relative = here.relative_to(root)
        (mirror / relative).mkdir(parents=True, exist_ok=True)
        for name in filenames:
            source, target = here / name, mirror / relative / name
            if display_path(source, root) in bad:
                if here.parent == root and here.name in CONTENT_FOLDERS:
                    target.write_text("---\n---\n", encoding="utf-8")  # fails its schema: references stay quiet
            elif not paths.is_inside(source, root):
                continue
            elif relative.parts[:1] == (MEDIA_FOLDER,):
                target.touch()  # the model needs media names, not their bytes
            else:
                shutil.copyfile(source, target)


# --- content warnings ---------------------------------------------------------------


def content_warnings(site: Site) -> list[Problem]:
    """Things that build but that a reader would miss."""
    found: list[Problem] = []
    for entry in _entries(site):
        missing = [lang for lang in site.languages if lang not in entry.languages]
        if missing:
            names = ", ".join(f"{language(lang).english_name} ({lang})" for lang in missing)
            found.append(Problem(entry.document.display, 0, f"no translation into {names}", severity="warning"))
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


def _entries(site: Site) -> Iterator[Entry]:
    for kind in KINDS:
        yield from site.items(kind.name)


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
