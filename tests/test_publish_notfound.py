"""/404.html (every language, the reader's first) and /<lang>/404.html: links that work at any depth."""

from __future__ import annotations

from pathlib import Path
from urllib.error import HTTPError
from urllib.request import urlopen

import pytest

from eventsite.build import build_site
from eventsite.check import check_output

from tests.support.axe import format_violations, run_axe
from tests.support.browser import open_page, watch_page
from tests.support.vnu import check_html, format_messages

from .sitekit import build, parse_html, project_for, text_of, write_site

BASE_PATH = "/forum/"  # the path of the fixture site's base_url


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("notfound")
    result = build(write_site(root), root / "site")
    return root / "site", result


def links_of(page) -> list[str]:
    return page.xpath("//a/@href | //link/@href | //script/@src | //form/@action")


def test_root_404_offers_every_language_with_path_absolute_links(built) -> None:
    site, _ = built
    page = parse_html(site / "404.html")
    choices = page.xpath("//section[@data-lang]")
    assert [choice.get("lang") for choice in choices] == ["en", "ko", "th"]
    assert page.xpath("//meta[@name='robots']/@content") == ["noindex"]
    assert page.xpath("//html/@data-base") == [BASE_PATH]
    korean = choices[1]
    assert text_of(korean.xpath(".//h2")[0]).startswith("페이지를 찾을 수 없습니다")
    assert korean.xpath(".//a/@href") == ["/forum/ko/", "/forum/ko/schedule/", "/forum/ko/search/"]
    for url in links_of(page):
        assert url.startswith(BASE_PATH), f"{url}: relative links break when served at /forum/a/b/c"
        assert _exists(site, url), url
    scripts = page.xpath("//script/@src")
    assert len(scripts) == 1 and "/static/404." in scripts[0]
    assert not page.xpath("//script[not(@src)]")  # CSP: no inline script


def test_language_404_pages_link_path_absolute_and_say_it_in_their_language(built) -> None:
    site, _ = built
    for lang, heading in (("en", "Page not found"), ("ko", "페이지를 찾을 수 없습니다"), ("th", "ไม่พบหน้านี้")):
        page = parse_html(site / lang / "404.html")
        assert page.xpath("//html/@lang") == [lang]
        assert text_of(page.xpath("//h1")[0]) == heading
        assert page.xpath("//meta[@name='robots']/@content") == ["noindex"]
        offered = page.xpath("//main//a/@href")
        assert offered == [f"/forum/{lang}/", f"/forum/{lang}/schedule/", f"/forum/{lang}/search/"]
        for url in links_of(page):
            if url.startswith("https://example.org/forum/"):  # canonical, hreflang: absolute anyway
                assert _exists(site, url[len("https://example.org"):]), url
            elif not url.startswith(("#", "https://")):
                assert url.startswith(BASE_PATH), f"/{lang}/404.html: {url}"
                assert _exists(site, url), url


def test_404_pages_are_valid_html_and_pass_the_link_check(built) -> None:
    site, result = built
    files = [site / "404.html", *(site / lang / "404.html" for lang in ("en", "ko", "th"))]
    report = check_html(files)
    assert not report.errors, format_messages(report.errors)
    problems = [problem for problem in check_output(site, result) if "404" in problem.path]
    assert not problems, [problem.format() for problem in problems]


def test_404_pages_follow_another_base_url(tmp_path: Path) -> None:
    build_site(project_for(write_site(tmp_path), tmp_path / "site", base_url="https://preview.example.net/pr-7/"))
    page = parse_html(tmp_path / "site" / "404.html")
    assert all(url.startswith("/pr-7/") for url in links_of(page))


def test_hosts_serve_the_404_page_at_any_depth(busan_site: Path, serve) -> None:
    """Emulating GitHub Pages: a miss deep below /busan2019/ gets /404.html, whose assets still load."""
    base = serve(busan_site, "/busan2019/", not_found="404.html")
    with pytest.raises(HTTPError) as missing:
        urlopen(base + "th/sessions/nope/deeper/")
    assert missing.value.code == 404
    page = missing.value.read()
    assert b'data-lang="th"' in page
    origin = base[: base.index("/busan2019/")]
    for url in parse_html_bytes(page).xpath("//link/@href | //script/@src | //a/@href"):
        with urlopen(origin + url) as response:
            assert response.status == 200, url


@pytest.mark.parametrize(
    ("path", "locale", "first"),
    [
        ("th/nope/", "en-US", "th"),  # the /xx/ prefix decides
        ("km/sessions/gone/", "ko-KR", "km"),
        ("nope/", "ko-KR", "ko"),  # else the browser's languages
        ("nope.html", "fil-PH", "fil"),
        ("xx/nope/", "tl", "fil"),  # Tagalog speakers get Filipino
    ],
)
def test_the_readers_language_comes_first(busan_site: Path, serve, browser, path: str, locale: str, first: str) -> None:
    base = serve(busan_site, "/busan2019/", not_found="404.html")
    with open_page(browser, locale=locale) as page:
        problems = watch_page(page)
        response = page.goto(base + path)
        assert response is not None and response.status == 404
        order = page.eval_on_selector_all("[data-lang]", "els => els.map(e => e.dataset.lang)")
        assert order[0] == first and len(order) == 10
        assert page.evaluate("document.documentElement.lang") == first
        links = page.eval_on_selector_all(".guessed a", "els => els.map(e => e.getAttribute('href'))")
        assert links == [f"/busan2019/{first}/", f"/busan2019/{first}/schedule/", f"/busan2019/{first}/search/"]
        assert page.is_visible(f".guessed a[href='/busan2019/{first}/schedule/']")
        assert not problems.csp_violations and not problems.page_errors
        assert [failed for failed in problems.failed_requests if not failed.endswith(path)] == []


def test_without_a_match_every_language_stays_in_order(busan_site: Path, serve, browser) -> None:
    base = serve(busan_site, "/busan2019/", not_found="404.html")
    with open_page(browser, locale="de-DE") as page:
        page.goto(base + "nope/")
        order = page.eval_on_selector_all("[data-lang]", "els => els.map(e => e.dataset.lang)")
        assert order == ["en", "ko", "th", "vi", "id", "ms", "km", "lo", "my", "fil"]
        assert page.eval_on_selector_all(".guessed", "els => els.length") == 0


def test_thai_reader_is_offered_thai_links(busan_site: Path, serve, page) -> None:
    """The issue's case: /busan2019/th/nope/ in Chromium offers the Thai home, programme and search."""
    base = serve(busan_site, "/busan2019/", not_found="404.html")
    page.goto(base + "th/nope/")
    guessed = page.locator(".guessed")
    assert guessed.get_attribute("lang") == "th"
    assert guessed.locator("h2").inner_text().startswith("ไม่พบหน้านี้")
    assert guessed.locator("a").first.inner_text() == "หน้าแรก"
    page.locator(".guessed a").nth(1).click()
    page.wait_for_url(base + "th/schedule/")
    assert page.evaluate("document.documentElement.lang") == "th"


def test_404_pages_pass_axe(busan_site: Path, serve, page) -> None:
    base = serve(busan_site, "/busan2019/", not_found="404.html")
    failures = []
    for path in ("th/nope/", "404.html", "th/404.html", "my/404.html"):
        page.goto(base + path)
        violations = run_axe(page)
        if violations:
            failures.append(f"{path}:\n{format_violations(violations)}")
    assert not failures, "\n".join(failures)


def _exists(site: Path, url: str) -> bool:
    path = url[len(BASE_PATH):]
    target = site / path
    return target.is_file() or (target / "index.html").is_file()


def parse_html_bytes(data: bytes):
    import html5lib

    return html5lib.parse(data, treebuilder="lxml", namespaceHTMLElements=False)
