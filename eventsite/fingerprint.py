"""Asset fingerprints: ``static/style.css`` → ``static/style.1a2b3c4d.css``, every reference rewritten.

A name that changes with the content lets hosts cache assets for a year
(``immutable``, eventsite/hosting.py) while a new build is seen at once. A
post-build step for published builds only: the dev server keeps the plain
names, so its incremental updates (which run no post-build step) stay right.

Every file below ``static/`` is renamed (the hash is of its bytes, so the
build stays reproducible) before the pages are rendered; then, as each page
is written, every ``href``/``src`` attribute whose URL resolves to a renamed
file — relative (``../../static/``), path-absolute below base_url (the 404
pages) or absolute — gets the new name. Media are published as they are.
Assets that name other assets (a ``url()`` in CSS, a path in a script) would
need the same rewrite; the theme has none, and a test says so.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit, urlunsplit

if TYPE_CHECKING:
    from .publish import Finished

# What may precede a value that names an asset: href= or src=, and an optional quote (none after minify).
_ATTRIBUTE_END = re.compile(rb"\b(?:href|src)=[\"']?$")
_VALUE_START = (b'"', b"'", b"=", b" ", b"\n", b"\t")
_VALUE_END = (b'"', b"'", b" ", b">", b"\n", b"\t")


ASSETS = "static"  # the folder below the output root whose files are named by their bytes


def fingerprint_assets(finished: "Finished") -> None:
    """Rename the static assets, before any page is rendered: each page then links to the new names as it is
    written (:func:`fingerprint_page`)."""
    finished.assets = rename_assets(finished.root)


def fingerprint_page(finished: "Finished", relative: str, data: bytes) -> bytes:
    """One page, its asset links renamed (a rebuild's pages: as the last full build renamed them)."""
    if not finished.assets or not relative.endswith(".html"):
        return data
    return rewrite_references(data, relative, finished.assets, finished.site.config.base_url)


def rename_assets(root: Path) -> dict[str, str]:
    """Rename every file below static/; old → new path below the root."""
    static = root / ASSETS
    renamed: dict[str, str] = {}
    if not static.is_dir():
        return renamed
    for path in sorted(item for item in static.rglob("*") if item.is_file() and not item.is_symlink()):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:8]
        stem, dot, suffix = path.name.partition(".")
        target = path.with_name(f"{stem}.{digest}{dot}{suffix}" if dot else f"{stem}.{digest}")
        path.rename(target)
        renamed[path.relative_to(root).as_posix()] = target.relative_to(root).as_posix()
    return renamed


def rewrite_references(html: bytes, page: str, renamed: dict[str, str], base_url: str) -> bytes:
    """``html`` of the page at ``page`` (below the root) with links to renamed files renamed.

    Finds each "static/" and the attribute value around it (a few per page:
    much faster than a regex over every attribute of every page).
    """
    base_path = urlsplit(base_url).path or "/"
    out: list[bytes] = []
    last = 0
    at = html.find(b"static/")
    while at >= 0:
        start = max(html.rfind(mark, 0, at) for mark in _VALUE_START) + 1
        ends = [found for found in (html.find(mark, at) for mark in _VALUE_END) if found >= 0]
        end = min(ends) if ends else len(html)
        if _ATTRIBUTE_END.search(html, max(0, start - 8), start):
            value = html[start:end].decode("utf-8")
            target = _target(value, page, base_url, base_path)
            if target in renamed:
                parts = urlsplit(value)
                folder = parts.path[: parts.path.rfind("/") + 1]
                out += [html[last:start], urlunsplit(parts._replace(path=folder + posixpath.basename(renamed[target]))).encode("utf-8")]
                last = end
        at = html.find(b"static/", end)
    out.append(html[last:])
    return b"".join(out)


def _target(value: str, page: str, base_url: str, base_path: str) -> str | None:
    """The file below the output root that a link from ``page`` points at, if it is inside the site."""
    if value.startswith(base_url):
        path = unquote(urlsplit(value).path)[len(base_path):]
    else:
        parts = urlsplit(value)
        if parts.scheme or parts.netloc:
            return None
        path = unquote(parts.path)
        if path.startswith("/"):
            if not path.startswith(base_path):
                return None
            path = path[len(base_path):]
        else:
            path = posixpath.join(posixpath.dirname(page), path)
    normal = posixpath.normpath(path)
    return None if normal.startswith("../") else normal
