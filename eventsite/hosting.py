"""What static hosts need besides the pages: ``.nojekyll``, ``_headers``, ``_redirects``.

One cache policy for every host (:func:`cache_control`, also used by
``build.py deploy`` for S3): a fingerprinted asset (``static/style.1a2b3c4d.css``,
eventsite/fingerprint.py) never changes under its name, so it is cached for
a year; everything else — pages, feeds, calendars, media — is revalidated on
every use (``no-cache``: the browser keeps it but asks first, and gets a
cheap 304 while it has not changed).

``_headers`` and ``_redirects`` follow the syntax that Netlify and
Cloudflare Pages share. No two rules set the same header for one path
(Cloudflare joins such values with commas, Netlify keeps one): the security
headers go on ``/*``, ``Cache-Control`` on rules that do not overlap.
Paths carry base_url's path; see docs/deploy.md for hosting under a sub-path.
"""

from __future__ import annotations

import html
import mimetypes
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Mapping, Sequence
from urllib.parse import urlsplit

from .filememo import FileMemo, signature
from .write import write_file_atomic

if TYPE_CHECKING:
    from .publish import Finished
    from .routes import Route

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
REFERRER_POLICY = "strict-origin-when-cross-origin"
HOST_FILES = frozenset({".nojekyll", "_headers", "_redirects"})  # read by hosts, never served
RULE_LIMIT = 100  # Cloudflare Pages reads at most this many _headers rules
FINGERPRINTED = re.compile(r"^static/(?:.+/)?[^/]+\.[0-9a-f]{8}(?:\.[A-Za-z0-9]+)+$")

# Explicit types for what a site ships: the platform's guess depends on /etc/mime.types.
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".webmanifest": "application/manifest+json",  # offline/<lang>.webmanifest (eventsite/offline.py)
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
    ".ics": "text/calendar; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".gif": "image/gif",
    ".ico": "image/vnd.microsoft.icon",
    ".pdf": "application/pdf",
    ".wasm": "application/wasm",
    ".woff2": "font/woff2",
}


def is_fingerprinted(relative: str) -> bool:
    return FINGERPRINTED.match(relative) is not None


def cache_control(relative: str) -> str:
    return IMMUTABLE if is_fingerprinted(relative) else REVALIDATE


def content_type(relative: str) -> str:
    suffix = Path(relative).suffix.lower()
    if relative.endswith("atom.xml"):
        return "application/atom+xml"
    return CONTENT_TYPES.get(suffix) or mimetypes.guess_type(relative)[0] or "application/octet-stream"


# --- the post-build step ---------------------------------------------------------------


def write_host_files(finished: "Finished") -> None:
    root = finished.root
    base_path = urlsplit(finished.site.config.base_url).path or "/"
    # GitHub Pages: serve the folder as it is (no Jekyll run, which would drop files starting with "_").
    # Written by rename, and only when the bytes change: a rebuild runs this over the live output (eventsite/rebuild.py).
    write_file_atomic(root / ".nojekyll", b"")
    memo = FileMemo(finished.cache, POLICIES_FILE)
    files = sorted((name for name in finished.listing if name.endswith(".html")), key=lambda relative: relative.split("/")) \
        if finished.listing is not None else None
    policy = page_policy(root, skip=tuple(finished.own_policies), memo=memo, files=files, listing=finished.listing,
                         noted=finished.noted("host-files"))
    memo.save()
    if policy is None:
        finished.notes.append("_headers: the pages have no Content-Security-Policy meta tag; none is sent as a header")
    rules = headers_rules(root, base_path, policy, finished.own_policies)
    if len(rules) > RULE_LIMIT:
        finished.notes.append(f"_headers: {len(rules)} rules; Cloudflare Pages reads only the first {RULE_LIMIT}")
    write_file_atomic(root / "_headers", format_rules(rules).encode("utf-8"))
    write_file_atomic(root / "_redirects", redirects(finished, base_path).encode("utf-8"))


def headers_rules(
    root: Path, base_path: str, policy: str | None, own_policies: dict[str, str] | None = None
) -> list[tuple[str, list[tuple[str, str]]]]:
    """``own_policies``: top-level folders with a policy of their own (admin/, the web editor).

    With none, the site's policy goes on ``/*``. With some, no rule may give
    those folders the site's policy as well: a host sends the policies of all
    matching rules (Cloudflare joins them) and a browser enforces each one, so
    the policy goes on each top-level entry's rule instead, the folder's own on its rule.
    """
    own_policies = own_policies or {}
    security = [("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", REFERRER_POLICY)]
    if policy and not own_policies:
        security.insert(0, ("Content-Security-Policy", policy))

    def scoped(name: str, is_folder: bool) -> list[tuple[str, str]]:
        if not own_policies:
            return []
        chosen = (own_policies.get(name) if is_folder else None) or policy
        return [("Content-Security-Policy", chosen)] if chosen else []

    rules: list[tuple[str, list[tuple[str, str]]]] = [(base_path + "*", security)]
    static = root / "static"
    assets = [path for path in static.rglob("*") if path.is_file()] if static.is_dir() else []
    hashed = all(is_fingerprinted(path.relative_to(root).as_posix()) for path in assets)
    # One Cache-Control rule per top-level entry, so that no two rules overlap.
    for entry in sorted(root.iterdir(), key=lambda path: path.name):
        if entry.name in HOST_FILES:
            continue
        if entry.is_dir():
            value = IMMUTABLE if entry.name == "static" and hashed else REVALIDATE
            rules.append((f"{base_path}{entry.name}/*", [*scoped(entry.name, True), ("Cache-Control", value)]))
        else:
            rules.append((base_path + entry.name, [*scoped(entry.name, False), ("Cache-Control", cache_control(entry.name))]))
            if entry.name == "index.html":  # the root page, by its usual URL
                rules.append((base_path, [*scoped(entry.name, False), ("Cache-Control", REVALIDATE)]))
    return rules


def format_rules(rules: list[tuple[str, list[tuple[str, str]]]]) -> str:
    lines = ["# Netlify and Cloudflare Pages: response headers (written by eventsite; docs/deploy.md)."]
    for path, headers in rules:
        lines += ["", path, *(f"  {name}: {value}" for name, value in headers)]
    return "\n".join(lines) + "\n"


def redirects(finished: "Finished", base_path: str) -> str:
    """No redirect of the root: it is the language chooser (see docs/deploy.md); per-language 404 pages."""
    lines = [
        "# Netlify and Cloudflare Pages: redirects (written by eventsite; docs/deploy.md).",
        f"# {base_path} is not redirected to one language: it is the language chooser, which sends a",
        "# visitor to the language they chose before or their browser's, and lists every language",
        "# for everyone else (and for search engines, as the x-default page).",
        "# Missing pages: Cloudflare Pages serves the nearest 404.html by itself; for Netlify:",
    ]
    for route in finished.plan.routes:
        if route.kind.served_anywhere and route.lang is not None:
            lines.append(f"{base_path}{route.lang}/*  {base_path}{route.output_path}  404")
    return "\n".join(lines) + "\n"


# --- the Content-Security-Policy of the pages ----------------------------------------------


_META = re.compile(r"<meta\b([^>]*)>", re.IGNORECASE)
_HEAD_END = re.compile(rb"</head>", re.IGNORECASE)
_ATTRIBUTE = re.compile(r"""([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")


def _meta_policy(tag: str) -> str | None:
    attributes = {m[1].lower(): html.unescape(m[2] or m[3] or m[4] or "") for m in _ATTRIBUTE.finditer(tag)}
    if attributes.get("http-equiv", "").lower() == "content-security-policy":
        return attributes.get("content")
    return None


POLICIES_FILE = "page-policies.memo"  # in the cache folder: each page's meta policy by its signature (filememo.py)


def page_policy(
    root: Path, skip: tuple[str, ...] = (), memo: FileMemo | None = None, files: list[str] | None = None,
    listing: Mapping[str, Sequence[int]] | None = None, noted: Mapping[str, str] | None = None,
) -> str | None:
    """The policy of the pages' meta tags; when pages differ, the union of their directives.

    A page's own meta tag still applies on top of the header, so a page keeps
    its stricter policy, and a page that needs more (the search page runs
    WebAssembly) is not blocked by the header. Pages in the top-level folders
    ``skip`` (the web editor's) have a header of their own and do not widen the site's.
    ``files``: the .html files below ``root`` when the caller knows them (else the folder is walked), and
    ``listing`` the folder's listing they come from (filememo.signature). ``noted``: the policies of the
    pages this build wrote, as :func:`note_policy` took them; only the others are read (or found in ``memo``).
    """
    policies: dict[str, None] = {}
    noted = noted or {}
    for relative in files if files is not None else _html_files(root):
        if relative.split("/", 1)[0] in skip:
            continue
        key = signature(root, relative, listing) if memo is not None else ""
        known = noted.get(relative)
        if known is None and memo is not None:
            known = memo.get(key)
        policy = known if isinstance(known, str) else (_policy_of(root / relative) or "")
        if memo is not None:
            memo.put(key, policy)
        if not policy:
            return None  # a page without a policy: a header would impose one on it
        policies[policy] = None
    return union(list(policies)) if policies else None


def _html_files(root: Path) -> list[str]:
    """The .html files below ``root`` (relative, '/'-separated), in the order of ``sorted(root.rglob("*.html"))``."""
    found: list[str] = []
    top = os.fspath(root)
    for folder, _, names in os.walk(top):
        # os.walk names every folder below top as top + sep + …: slicing is what relpath does, 20 µs a folder cheaper.
        prefix = folder[len(top) + 1:].replace(os.sep, "/")
        found.extend(f"{prefix}/{name}" if prefix else name for name in names if name.endswith(".html"))
    return sorted(found, key=lambda relative: relative.split("/"))


def _policy_of(path: Path) -> str | None:
    """The page's meta policy: the <meta> tags of the head (quoted or not, as minified), read only as far as needed."""
    head = ""
    with path.open(encoding="utf-8", errors="replace") as stream:
        while True:
            chunk = stream.read(4096)
            head += chunk
            end = head.lower().find("</head>")
            policy = _policy_in(head if end < 0 else head[:end])
            if policy is not None or not chunk or end >= 0:
                return policy


def _policy_in(head: str) -> str | None:
    """The policy of the first <meta> tag in ``head`` that gives one."""
    for match in _META.finditer(head):
        policy = _meta_policy(match[1])
        if policy is not None:
            return policy
    return None


def note_policy(route: "Route", data: bytes) -> str | None:
    """A written page's meta policy ("": none), for :func:`page_policy` (publish.PostBuildStep.note)."""
    if not route.output_path.endswith(".html"):
        return None
    end = _HEAD_END.search(data)  # the first, in any case (as _policy_of finds it)
    return _policy_in((data if end is None else data[:end.start()]).decode("utf-8", "replace")) or ""


def union(policies: list[str]) -> str:
    """Directive by directive, every source any policy allows ('none' only where nothing else is)."""
    merged: dict[str, list[str]] = {}
    for policy in policies:
        for directive in policy.split(";"):
            if not directive.strip():
                continue
            name, *sources = directive.split()
            known = merged.setdefault(name.lower(), [])
            known.extend(source for source in sources if source not in known)
    parts = []
    for name, sources in merged.items():
        if len(sources) > 1 and "'none'" in sources:
            sources = [source for source in sources if source != "'none'"]
        parts.append(" ".join([name, *sources]))
    return "; ".join(parts)
