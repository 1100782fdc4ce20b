"""The programme offline at the venue: a web app manifest per language and a service worker, ``/sw.js``.

Conference wifi fails when the hall fills up. After one visit, the reader's
language's home page and programme, each item's page and calendar (the page kinds
marked ``PageKind.offline``), with the styles, scripts and pictures they
load, stay readable without a network (docs/deploy.md, "Offline at the venue").

A post-build step, so that it sees the pages as published (minified, assets
fingerprinted) and runs again on every build and rebuild:

- ``offline/<lang>.webmanifest``: the site's name in that language, its home
  page as ``start_url``, the favicon as icon;
- ``sw.js`` at the root (its scope is the whole site): the theme's
  ``offline/sw.js`` with what to keep for each language and a version, a
  digest of every file kept. Any change to one of them changes the worker's
  bytes, so browsers install the new worker, which fetches the new files into
  a new cache and deletes the old ones.

The dev server gets a worker that keeps nothing and deletes what a published
build's worker kept on the same address: stale copies while editing would be
confusing, and ``static/offline.js`` registers ``sw.js`` whatever the build.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import posixpath
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping, Sequence

from .errors import Problem
from .theme import Theme, default_folders
from .filememo import FileMemo, read_memo, signature, write_memo
from .write import write_file_atomic

if TYPE_CHECKING:
    from .publish import Finished
    from .routes import Route, RoutePlan

WORKER = "sw.js"  # at the output's root: a worker's scope is its own folder and below
FOLDER = "offline"  # the manifests: offline/<lang>.webmanifest
SOURCE = "offline/sw.js"  # the worker's code in the theme (not below static/: it must not be fingerprinted)
Note = tuple[bytes, list[str]]  # a written file's SHA-256 and, for a page, the files below the asset folders it loads
ICON = "static/favicon.svg"
THEME_COLOUR = "#0b4f8a"  # --brand in templates/static/style.css
BACKGROUND_COLOUR = "#ffffff"  # --paper
# What a kept page loads that must come along (folders below the output's root).
ASSET_FOLDERS = ("static/", "media/")
ASSET_REFERENCES = "//link[@rel='stylesheet' or @rel='icon']/@href | //script/@src | //img/@src"

# The dev server's worker: no cache, and none left from a published build served on the same address.
DEV_WORKER = """\
// eventsite dev server: this worker keeps nothing (docs/deploy.md, "Offline at the venue").
self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => {
  const kept = (name) => name.startsWith("eventsite-offline-");
  event.waitUntil(caches.keys().then((names) => Promise.all(names.filter(kept).map((name) => caches.delete(name)))));
});
"""


def manifest_path(lang: str) -> str:
    return f"{FOLDER}/{lang}.webmanifest"


def publish_offline(finished: "Finished") -> None:
    root = finished.root
    site = finished.site
    icon = finished.assets.get(ICON, ICON)
    for lang in site.languages:
        path = root / manifest_path(lang)
        if path.exists():
            # A rebuild's copy of the last output (eventsite/rebuild.py): what a manifest is made of
            # (site.yaml, the favicon) is what makes any change a full build, so the kept one is right.
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(manifest(finished, lang, icon), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    if finished.options.dev:
        write_file_atomic(root / WORKER, DEV_WORKER.encode("utf-8"))
        return
    theme = finished.renderer.theme if finished.renderer is not None else Theme(*default_folders())
    source = theme.template_file(SOURCE)
    if not source.is_file():
        finished.problems.append(Problem(f"templates/{SOURCE}", 0, "the theme has no service worker; the site is not kept offline"))
        return
    pages = offline_pages(finished.plan)
    noted = finished.noted("offline")  # the pages this build wrote: their digests and assets (note_offline_page)
    last = LastRun.load(finished.cache, root, finished.listing, finished.changed)
    if last is not None:  # an in-place rebuild after the run that wrote this sw.js: only its new files are looked at
        kept, digests, links = last.update(root, pages, site.languages, noted)
    else:
        scan = PageScan.load(finished.cache, finished.listing, noted)
        kept = {lang: kept_files(root, pages.get(lang, []), scan) for lang in site.languages}
        for kept_paths in kept.values():  # the calendars and assets too, by signature: only a file written again is read
            for relative in kept_paths:
                scan.digest_of(root, relative)
        scan.save(finished.cache)
        digests, links = scan.digests, scan.links_of
    data = worker(source.read_text(encoding="utf-8"), version(root, kept, digests), kept).encode("utf-8")
    write_file_atomic(root / WORKER, data)
    LastRun.save(finished.cache, root, data, kept, digests, links)


def manifest(finished: "Finished", lang: str, icon: str) -> dict:
    """What browsers need to install the site as an app; URLs relative to offline/<lang>.webmanifest."""
    site = finished.site
    chain = site.chain(lang)
    manifest: dict = {
        "id": f"../{lang}/",
        "name": site.title.get(chain).value,
        "lang": lang,
        "dir": site.language(lang).direction,
        "start_url": f"../{lang}/",
        "scope": "../",
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": [{"src": f"../{icon}", "sizes": "any", "type": "image/svg+xml"}],
    }
    if site.tagline is not None:
        manifest["description"] = site.tagline.get(chain).value
    return manifest


class PageScan:
    """The asset references of pages by the digest of their bytes, kept in the cache folder.

    Parsing every offline page was most of a one-edit rebuild's time at
    3,000 pages; a page whose bytes did not change has the same references.
    The digests are reused for the worker's version.
    """

    FILE = "offline-assets.memo"  # filememo.read_memo

    DIGESTS_FILE = "offline-digests.memo"  # a page's signature (filememo.py) → the sha256 of its bytes

    def __init__(
        self, known: dict[str, list[str]], signed: FileMemo | None = None, listing: Mapping[str, Sequence[int]] | None = None,
        noted: Mapping[str, Note] | None = None,
    ):
        self.known = known  # a page's path and sha256 → the files it loads (before checking they exist)
        self.noted = noted or {}  # the files this build wrote: their digest and assets (note_offline_page), never read
        # The output folder's, when the build has it (filememo.signature): a rebuild in place, where no step
        # before this one writes a file (those that minify and rename assets run in full builds only).
        self.listing = listing
        self.used: dict[str, list[str]] = {}
        self.digests: dict[str, bytes] = {}  # path below the root → sha256 of its bytes
        self.signed = signed if signed is not None else FileMemo(None, self.DIGESTS_FILE)
        self.exists: dict[str, bool] = {}
        self.links_of: dict[str, list[str]] = {}  # page → the files it loads that exist (kept_files)

    @classmethod
    def load(cls, cache: Path | None, listing: Mapping[str, Sequence[int]] | None = None, noted: Mapping[str, Note] | None = None) -> "PageScan":
        known = read_memo(cache / cls.FILE if cache is not None else None)
        return cls(known, FileMemo(cache, cls.DIGESTS_FILE), listing, noted)

    def save(self, cache: Path | None) -> None:
        """Keep this build's pages only (the file does not grow from build to build)."""
        self.signed.save()
        if cache is None or self.used == self.known:
            return
        write_memo(cache / self.FILE, self.used)

    def is_file(self, root: Path, target: str) -> bool:
        """Asked once per asset, not once per page that loads it (the step writes no asset)."""
        return _exists(root, target, self.exists)

    def digest_of(self, root: Path, path: str) -> bytes:
        """The SHA-256 of a kept file, read only when its signature is new."""
        found = self.digests.get(path)
        if found is None:
            signed = signature(root, path, self.listing)
            note = self.noted.get(path)
            hexdigest = note[0].hex() if note is not None else self.signed.get(signed)
            if not isinstance(hexdigest, str):
                hexdigest = hashlib.sha256((root / path).read_bytes()).hexdigest()
            self.signed.put(signed, hexdigest)
            found = self.digests[path] = bytes.fromhex(hexdigest)
        return found

    def links(self, root: Path, page: str) -> list[str]:
        """The page's asset links; its bytes are read only when its signature is new (a page written again)."""
        signed = signature(root, page, self.listing)  # kept with the digest for the next build, noted or not
        note = self.noted.get(page)
        hexdigest: Any = note[0].hex() if note is not None else self.signed.get(signed)
        found: Any = note[1] if note is not None else self.known.get(f"{page}\0{hexdigest}") if isinstance(hexdigest, str) else None
        if not isinstance(found, list):
            data = (root / page).read_bytes()
            hexdigest = hashlib.sha256(data).hexdigest()
            found = self.known.get(f"{page}\0{hexdigest}")  # relative links depend on where the page is
            if not isinstance(found, list):
                found = _asset_links(page, data)
        assert isinstance(hexdigest, str)
        self.signed.put(signed, hexdigest)
        self.digests[page] = bytes.fromhex(hexdigest)
        self.used[f"{page}\0{hexdigest}"] = found
        return found


class LastRun:
    """What the last build's offline step found: each kept file's digest, each page's assets, and which
    ``sw.js`` it wrote (its size, time and inode, as the output's listing has them).

    After a rebuild that wrote a few pages in place, every other file is as that build left it (the build
    state checked the output folder against its listing, and ``sw.js`` is the one it wrote): those pages'
    assets and every unchanged file's digest are taken from here, and only the new files are read. Looking
    up 9,000 files by signature (PageScan) was ~0.14 s of a rebuild at 10 × 300.
    """

    FILE = "offline-last.memo"

    def __init__(self, changed: frozenset[str], digests: dict[str, bytes], links: dict[str, list[str]]):
        self.changed = changed
        self.digests = digests
        self.links = links

    @classmethod
    def load(
        cls, cache: Path | None, root: Path, listing: Mapping[str, Sequence[int]] | None, changed: frozenset[str] | None,
    ) -> "LastRun | None":
        """The last run's findings when they describe the output as it is now but for ``changed``; else None.

        They are that run's when the output's ``sw.js`` is the file it wrote, with the bytes it wrote (one
        cache folder serves builds into several output folders).
        """
        if cache is None or listing is None or changed is None or WORKER in changed:
            return None
        saved = read_memo(cache / cls.FILE)
        worker_listed = listing.get(WORKER)
        digests, links = saved.get("digests"), saved.get("links")
        if worker_listed is None or saved.get("worker") != list(worker_listed):
            return None
        if not isinstance(digests, dict) or not isinstance(links, dict):
            return None
        try:
            if hashlib.sha256((root / WORKER).read_bytes()).digest() != saved.get("worker_digest"):
                return None
        except OSError:
            return None
        return cls(changed, digests, links)

    def update(
        self, root: Path, pages: Mapping[str | None, list[str]], languages: Sequence[str], noted: Mapping[str, Note] | None = None,
    ) -> tuple[dict[str, list[str]], dict[str, bytes], dict[str, list[str]]]:
        """The kept files by language, their digests and the pages' assets, reading only the changed files
        that ``noted`` (this build's pages: note_offline_page) does not cover."""
        noted = noted or {}
        changed = self.changed
        digests = {path: digest for path, digest in self.digests.items() if path not in changed}
        links = {page: found for page, found in self.links.items() if page not in changed}
        exists: dict[str, bool] = {}
        kept: dict[str, list[str]] = {}
        for lang in languages:
            assets: set[str] = set()
            for page in pages.get(lang, []):
                if not page.endswith(".html"):
                    continue
                found = links.get(page)
                if found is None:
                    note = noted.get(page) or _note_of(page, (root / page).read_bytes())
                    digests[page] = note[0]
                    found = links[page] = [target for target in note[1] if _exists(root, target, exists)]
                assets.update(found)
            kept[lang] = pages.get(lang, []) + sorted(assets)
        for paths in kept.values():
            for path in paths:
                if path not in digests:
                    digests[path] = (noted.get(path) or _note_of(path, (root / path).read_bytes()))[0]
        return kept, digests, links

    @classmethod
    def save(
        cls, cache: Path | None, root: Path, written: bytes, kept: dict[str, list[str]], digests: dict[str, bytes],
        links: dict[str, list[str]],
    ) -> None:
        """Keep this run's findings for the next rebuild: the current kept files only, with the worker just written."""
        if cache is None:
            return
        try:
            info = os.stat(root / WORKER)
        except OSError:
            return
        every = {path for paths in kept.values() for path in paths}
        write_memo(cache / cls.FILE, {
            "worker": [info.st_size, info.st_mtime_ns, info.st_ino],
            "worker_digest": hashlib.sha256(written).digest(),
            "digests": {path: digests[path] for path in every if path in digests},
            "links": {page: found for page, found in links.items() if page in every},
        })


def _exists(root: Path, target: str, known: dict[str, bool]) -> bool:
    """Whether ``target`` is a file below ``root``, asked once per asset (the step writes no asset)."""
    found = known.get(target)
    if found is None:
        found = known[target] = (root / target).is_file()
    return found


def note_offline_page(route: "Route", data: bytes) -> Note | None:
    """What the offline step needs of a file kept offline, taken as it is written (publish.PostBuildStep.note)."""
    return _note_of(route.output_path, data) if route.kind.offline else None


def _note_of(path: str, data: bytes) -> Note:
    return hashlib.sha256(data).digest(), (_asset_links(path, data) if path.endswith(".html") else [])


def offline_pages(plan: "RoutePlan") -> dict[str | None, list[str]]:
    """The pages kept offline, by language, in the plan's order (one pass over 15,000 routes, not one per language)."""
    pages: dict[str | None, list[str]] = {}
    for route in plan.routes:
        if route.kind.offline:
            pages.setdefault(route.lang, []).append(route.output_path)
    return pages


def kept_files(root: Path, pages: list[str], scan: PageScan | None = None) -> list[str]:
    """The files a reader of a language keeps: its offline ``pages``, then the assets they load; paths below
    the root."""
    scan = scan if scan is not None else PageScan({})
    assets: set[str] = set()
    for page in pages:
        if page.endswith(".html"):
            found = scan.links_of[page] = [target for target in scan.links(root, page) if scan.is_file(root, target)]
            assets.update(found)
    return pages + sorted(assets)


def _asset_links(page: str, data: bytes) -> list[str]:
    """The files below the asset folders that the page at ``page`` loads (whether they exist is checked later).

    The stylesheets and icons it links, the scripts and images it loads: the
    values of ``//link[@rel='stylesheet' or @rel='icon']/@href | //script/@src
    | //img/@src``. Found by a scan of the tags rather than a parse of the
    page (a programme page is ~1 MB: 15 ms to parse, ~1 ms to scan);
    comments and the text of scripts and styles are skipped as a parser
    skips them. tests/test_offline.py checks it against lxml on every page of
    the Busan site and on awkward markup.
    """
    found = []
    at = 0
    while (match := _TAG.search(data, at)) is not None:
        at = match.end()
        name = match.group(1)
        if name is None:  # a comment
            end = data.find(b"-->", at)
            at = len(data) if end < 0 else end + 3
            continue
        name = name.lower()
        attributes = _attributes(match.group(2))
        if name in _RAW_TEXT:  # not markup until the element ends
            closing = _RAW_TEXT[name].search(data, at)
            at = len(data) if closing is None else closing.start()
        if name == b"link":
            value = attributes.get("href") if attributes.get("rel") in ("stylesheet", "icon") else None
        else:
            value = attributes.get("src") if name != b"style" else None
        if value is None:
            continue
        link = value.split("#")[0].split("?")[0]
        if not link or "://" in link or link.startswith(("data:", "//")):
            continue
        # Relative links, or path-absolute ones below base_url (the 404 pages are not kept).
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page), link))
        if target.startswith(ASSET_FOLDERS):
            found.append(target)
    return found


_TAG = re.compile(rb"""<!--|<(link|script|img|style)(?=[\s/>])((?:[^>"']|"[^"]*"|'[^']*')*)>""", re.IGNORECASE)
_ATTRIBUTE = re.compile(rb"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")
_RAW_TEXT = {b"script": re.compile(rb"</script", re.IGNORECASE), b"style": re.compile(rb"</style", re.IGNORECASE)}


def _attributes(text: bytes) -> dict[str, str]:
    """A tag's attributes, names in lower case, character references resolved; the first of a name counts."""
    found: dict[str, str] = {}
    for match in _ATTRIBUTE.finditer(text):
        name = match.group(1).decode("utf-8", "replace").lower()
        if name not in found:
            raw = next((value for value in match.group(2, 3, 4) if value is not None), b"")
            found[name] = html.unescape(raw.decode("utf-8", "replace"))
    return found


def version(root: Path, kept: dict[str, list[str]], digests: dict[str, bytes] | None = None) -> str:
    """A digest of every kept file's name and bytes: the worker changes whenever one of them does."""
    digests = digests or {}
    digest = hashlib.sha256()
    for path in sorted({path for paths in kept.values() for path in paths}):
        known = digests.get(path)
        digest.update(path.encode("utf-8") + b"\0" + (known if known is not None else hashlib.sha256((root / path).read_bytes()).digest()))
    return digest.hexdigest()[:16]


def url_of(path: str) -> str:
    """A kept file's URL relative to the worker (the root): 'th/schedule/index.html' → 'th/schedule/'."""
    return path[: -len("index.html")] if path == "index.html" or path.endswith("/index.html") else path


def worker(source: str, version: str, kept: dict[str, list[str]]) -> str:
    """The theme's worker with its settings first: the version and, per language, the URLs to keep."""
    languages = ",\n".join(
        f"  {json.dumps(lang)}: {json.dumps([url_of(path) for path in paths], ensure_ascii=False)}" for lang, paths in kept.items()
    )
    settings = (
        "// Made by eventsite (eventsite/offline.py) for this build.\n"
        f"const VERSION = {json.dumps(version)};\n"
        f"const KEPT = {{\n{languages}\n}};\n"  # JSON as well: tests read it
    )
    return settings + source
