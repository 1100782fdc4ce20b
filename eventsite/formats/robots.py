"""``/robots.txt``: everything may be crawled; the sitemap's absolute URL.

Crawlers read robots.txt only at the root of a host. When ``base_url`` has a
path (``/busan2019/``), this file is served at ``/busan2019/robots.txt`` and
ignored: its ``Sitemap:`` line belongs in the host's own ``/robots.txt``
(docs/deploy.md). The 404 pages are not disallowed: a crawler must fetch them
to see their ``noindex``.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from ..page import Page


def render(page: Page) -> bytes:
    sitemap = page.links.absolute("/sitemap.xml")
    lines = []
    if urlsplit(page.site.config.base_url).path not in ("", "/"):
        lines += [
            "# Crawlers read robots.txt only at the root of a host: copy the Sitemap line",
            "# below into the robots.txt served at the root of this host.",
        ]
    lines += ["User-agent: *", "Allow: /", "", f"Sitemap: {sitemap}"]
    return ("\n".join(lines) + "\n").encode("utf-8")
