"""The exhibition page in headless Chromium: filters by section and country, the count, pictures."""

from __future__ import annotations

from pathlib import Path

import pytest

from .sitekit import PROJECT_ROOT, parse_html
from .support.browser import open_page, watch_page

EXHIBITS = sorted(path.stem for path in (PROJECT_ROOT / "content" / "exhibits").glob("*.md") if path.name.count(".") == 1)
CARD = "article.exhibit-card"
VISIBLE_CARD = "article.exhibit-card:not([hidden])"


@pytest.fixture()
def exhibition(busan_site: Path, serve, page):
    base = serve(busan_site, "/busan2019/")
    problems = watch_page(page)

    def open_(lang: str = "en", query: str = ""):
        page.goto(f"{base}{lang}/exhibition/{query}")
        page.wait_for_selector("#exhibition-filters:not([hidden])")
        return page

    open_.base = base  # type: ignore[attr-defined]
    open_.problems = problems  # type: ignore[attr-defined]
    return open_


def visible(page, attribute: str) -> list[str]:
    return page.eval_on_selector_all(VISIBLE_CARD, f"nodes => nodes.map(n => n.dataset.{attribute})")


def visible_titles(page) -> list[str]:
    return page.eval_on_selector_all(f"{VISIBLE_CARD} h3", "nodes => nodes.map(n => n.textContent.trim())")


def status(page) -> str:
    return page.text_content("#exhibition-status").strip()


def test_without_script_every_exhibit_is_listed(busan_site: Path) -> None:
    tree = parse_html(busan_site / "en" / "exhibition" / "index.html")
    assert len(tree.xpath("//article[contains(@class,'exhibit-card')]")) == len(EXHIBITS) == 10
    assert tree.xpath("//form[@id='exhibition-filters']/@hidden") == [""]  # shown only by the script
    status = tree.xpath("//*[@id='exhibition-status']")[0]
    assert status.get("role") == "status"
    assert not tree.xpath("//script[not(@src) and not(@type='application/ld+json')]")  # no inline scripts
    assert not tree.xpath("//*[@style]")


def test_without_javascript_in_a_browser_every_card_shows(busan_site: Path, serve, browser) -> None:
    base = serve(busan_site, "/busan2019/")
    with open_page(browser, f"{base}en/exhibition/", java_script_enabled=False) as page:
        assert page.locator(CARD).count() == 10
        assert all(card.is_visible() for card in page.locator(CARD).all())
        assert not page.locator("#exhibition-filters").is_visible()


def test_filter_by_section_narrows_without_reload(exhibition) -> None:
    page = exhibition()
    assert len(visible(page, "section")) == 10
    assert status(page) == "10 of 10 exhibits shown"
    page.evaluate("window.marker = 'same page'")
    page.select_option("select[name=section]", "asean")
    assert visible(page, "section") == ["asean"] * 3
    assert status(page) == "3 of 10 exhibits shown"
    assert page.locator("#section-korea").is_hidden() and page.locator("#section-asean").is_visible()
    assert page.locator(".section-tabs a[href='#section-korea']").is_hidden()
    assert "section=asean" in page.url
    assert page.evaluate("window.marker") == "same page"  # no reload happened
    assert not exhibition.problems, exhibition.problems.format()


def test_filter_by_country_and_both_and_reset(exhibition) -> None:
    page = exhibition()
    page.evaluate("window.marker = 'same page'")
    page.select_option("select[name=country]", "KR")
    assert visible(page, "country") == ["KR"] * 7
    assert status(page) == "7 of 10 exhibits shown"
    page.select_option("select[name=country]", "TH")
    assert visible_titles(page) == ["Biz Portal"]
    assert status(page) == "1 of 10 exhibits shown"
    # Nothing left: every section hides and a notice says so.
    page.select_option("select[name=section]", "korea")
    assert visible(page, "country") == []
    assert status(page) == "0 of 10 exhibits shown"
    assert page.locator("#exhibition-empty").is_visible()
    page.click("#exhibition-filters button[type=reset]")
    page.wait_for_function("() => document.querySelectorAll('article.exhibit-card:not([hidden])').length === 10")
    assert status(page) == "10 of 10 exhibits shown"
    assert page.locator("#exhibition-empty").is_hidden()
    assert page.evaluate("window.marker") == "same page"


def test_only_countries_with_exhibits_are_offered(exhibition) -> None:
    page = exhibition()
    values = page.eval_on_selector_all("select[name=country] option", "nodes => nodes.map(n => n.value)")
    assert values == ["", "KR", "ID", "MM", "TH"]


def test_filters_come_back_from_the_address(exhibition) -> None:
    page = exhibition(query="?section=asean&country=ID")
    assert visible(page, "country") == ["ID"]
    assert page.input_value("select[name=section]") == "asean"
    page = exhibition(query="?section=nonsense")
    assert len(visible(page, "section")) == 10  # an unknown value is ignored


def test_the_count_is_translated(exhibition) -> None:
    page = exhibition("ko")
    page.select_option("select[name=section]", "asean")
    assert status(page) == "전체 10개 전시물 중 3개 표시"
    assert page.text_content("#exhibition-filters legend") == "전시물 필터"


def test_pictures_load_lazily_from_thumbnails(exhibition) -> None:
    page = exhibition()
    images = page.locator(f"{CARD} img:not(.flag)")
    assert images.count() == 10
    for image in images.all():
        assert image.get_attribute("loading") == "lazy" and image.get_attribute("decoding") == "async"
        assert image.get_attribute("width") == "1200" and image.get_attribute("height") == "800"
        assert image.get_attribute("srcset") and image.get_attribute("sizes")
    # Scroll every card into view, then wait for the pictures to arrive (a function: the CSP forbids eval).
    for image in images.all():
        image.scroll_into_view_if_needed()
    page.wait_for_function(
        "() => [...document.querySelectorAll('article.exhibit-card img:not(.flag)')].every(i => i.complete && i.naturalWidth > 0)"
    )
    sources = page.eval_on_selector_all(f"{CARD} img:not(.flag)", "nodes => nodes.map(n => n.currentSrc)")
    assert all("/media/_thumbs/exhibits/" in source for source in sources), sources  # a 20rem card needs no 1200px file
    # Reserved space: a card picture is laid out at 3:2 before and after loading.
    ratio = page.eval_on_selector(f"{CARD} img:not(.flag)", "n => n.getBoundingClientRect().width / n.getBoundingClientRect().height")
    assert abs(ratio - 1.5) < 0.02
    assert not exhibition.problems, exhibition.problems.format()


def test_an_exhibit_page_shows_its_picture_and_related_sessions(busan_site: Path, serve, page) -> None:
    base = serve(busan_site, "/busan2019/")
    problems = watch_page(page)
    page.goto(f"{base}en/exhibits/disaster-response-5g/")
    page.wait_for_function("() => document.querySelector('img.entry-image').complete")
    assert page.eval_on_selector("img.entry-image", "n => n.naturalWidth") > 0
    assert page.get_attribute("img.entry-image", "alt").startswith("Illustration: concentric radio waves")
    related = page.eval_on_selector_all(".related-sessions li a", "nodes => nodes.map(n => n.textContent.trim())")
    assert related == ["Session 2: Digital technologies and public services"]
    page.click(".related-sessions li a")
    page.wait_for_url("**/sessions/roundtable-session-2/")
    page.go_back()
    page.click(".details a[href$='#section-korea']")
    page.wait_for_url("**/exhibition/#section-korea")
    assert not problems, problems.format()
