"""Crawl the built site over HTTP, as a visitor's browser would fetch it, under /busan2019/ and at /.

From the root language chooser, every link, stylesheet, script, icon, image,
feed (rel=alternate) and search form is followed within the site; absolute
links into the site (canonical, hreflang, og:image) are fetched at the
server. Every page must be reached, and nothing may answer other than 200.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urldefrag, urljoin, urlsplit
from urllib.request import urlopen

import html5lib
import pytest

from eventsite.build import build_site

from .sitekit import PROJECT_ROOT, project_for

PUBLISHED = "https://forum.example.org/busan2019/"  # content/site.yaml base_url
# Where a page names another URL: (tag, attribute). html5lib's etree builder is twice as fast as lxml's.
LINKS = {"a": ("href",), "link": ("href",), "script": ("src",), "img": ("src", "srcset"), "source": ("src", "srcset"), "form": ("action",)}


def links_in(body: bytes) -> list[str]:
    found = []
    for element in html5lib.parse(body, treebuilder="etree", namespaceHTMLElements=False).iter():
        tag = element.tag
        if tag == "meta" and element.get("property") == "og:image":
            found.append(element.get("content", ""))
        for attribute in LINKS.get(tag, ()) if isinstance(tag, str) else ():
            value = element.get(attribute)
            if value is None or (tag == "form" and element.get("method", "get").lower() != "get"):
                continue
            if attribute == "srcset":
                found += [candidate.split()[0] for candidate in value.split(",") if candidate.strip()]
            else:
                found.append(value)
    return found


@dataclass
class Crawl:
    fetched: dict[str, int] = field(default_factory=dict)  # URL → status
    pages: set[str] = field(default_factory=set)  # HTML URLs
    referrers: dict[str, str] = field(default_factory=dict)

    @property
    def failures(self) -> list[str]:
        return [f"{status} {url} (from {self.referrers.get(url, 'the start')})" for url, status in sorted(self.fetched.items()) if status != 200]


def crawl(base: str, published: str, seeds: list[str]) -> Crawl:
    """Breadth-first from ``seeds`` (below ``base``); ``published`` URLs are fetched at ``base``."""
    result = Crawl()
    queue = deque(seeds)
    seen = set(seeds)
    while queue:
        url = queue.popleft()
        try:
            with urlopen(url, timeout=30) as response:
                status, body, kind = response.status, response.read(), response.headers.get_content_type()
        except HTTPError as error:
            result.fetched[url] = error.code
            continue
        result.fetched[url] = status
        if kind != "text/html":
            continue
        result.pages.add(url)
        for value in links_in(body):
            target = urldefrag(urljoin(url, value.strip()))[0]
            if target.startswith(published):
                target = base + target[len(published):]
            target = target.split("?")[0]
            if target.startswith(base) and target not in seen:
                seen.add(target)
                result.referrers[target] = url
                queue.append(target)
    return result


def html_urls(site: Path, base: str) -> set[str]:
    urls = set()
    for path in site.rglob("*.html"):
        relative = path.relative_to(site).as_posix()
        urls.add(base + (relative[: -len("index.html")] if relative.endswith("index.html") else relative))
    return urls


def check_site(site: Path, base: str, published: str) -> Crawl:
    not_found = [base + "404.html", *(base + f"{path.parent.name}/404.html" for path in site.glob("*/404.html"))]
    result = crawl(base, published, [base, base + "sitemap.xml", base + "robots.txt", *not_found])
    assert not result.failures, "\n".join(result.failures[:40])
    unreached = sorted(html_urls(site, base) - result.pages)
    assert not unreached, f"{len(unreached)} pages no link leads to: {unreached[:20]}"
    kinds = {Path(urlsplit(url).path).suffix for url in result.fetched}
    assert {".css", ".js", ".svg", ".xml", ".ics", ".json", ".png"} <= kinds, kinds
    return result


def test_crawl_under_a_sub_path(busan_site: Path, serve) -> None:
    base = serve(busan_site, "/busan2019/")
    result = check_site(busan_site, base, PUBLISHED)
    assert any("/static/style." in url for url in result.fetched)
    assert any(url.endswith("/atom.xml") for url in result.fetched)  # feeds linked with rel=alternate
    assert any(url.endswith("/og.png") for url in result.fetched)


@pytest.fixture(scope="module")
def busan_at_root(tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("busan-root") / "site"
    build_site(project_for(PROJECT_ROOT / "content", output, base_url="https://forum.example.org/"))
    return output


def test_crawl_at_the_root(busan_at_root: Path, serve) -> None:
    base = serve(busan_at_root, "/")
    check_site(busan_at_root, base, "https://forum.example.org/")


def test_a_missing_url_is_a_404_not_a_listing(busan_site: Path, serve) -> None:
    base = serve(busan_site, "/busan2019/")
    with pytest.raises(HTTPError) as missing:
        urlopen(base + "th/nope/")
    assert missing.value.code == 404
