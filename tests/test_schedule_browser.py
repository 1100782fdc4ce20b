"""The programme page in headless Chromium: filters, grid, now/next, personal agenda."""

from __future__ import annotations

from pathlib import Path

import icalendar
import pytest

from .sitekit import PROJECT_ROOT, parse_html


@pytest.fixture()
def schedule(busan_site: Path, serve, page):
    base = serve(busan_site, "/busan2019/")

    def open_(lang: str = "en", query: str = ""):
        page.goto(f"{base}{lang}/schedule/{query}")
        page.wait_for_selector("#programme-filters:not([hidden])")
        return page

    return open_


def visible_titles(page) -> list[str]:
    return page.eval_on_selector_all(
        "article.session:not([hidden]) .session-title", "nodes => nodes.map(n => n.textContent.trim())"
    )


def test_without_script_every_session_is_listed(busan_site: Path) -> None:
    tree = parse_html(busan_site / "en" / "schedule" / "index.html")
    sessions = tree.xpath("//div[@id='programme']//article[contains(@class,'session')]")
    sources = [path for path in (PROJECT_ROOT / "content" / "sessions").glob("*.md") if path.name.count(".") == 1]
    assert len(sessions) == len(sources) == 15
    assert tree.xpath("//form[@id='programme-filters']/@hidden") == [""]  # shown only by the script


def test_filters_narrow_without_reload(schedule) -> None:
    page = schedule()
    total = len(visible_titles(page))
    page.evaluate("window.marker = 'same page'")
    page.select_option("select[name=kind]", "bilateral")
    titles = visible_titles(page)
    assert len(titles) == 4 and all("Bilateral meeting" in title for title in titles)
    assert "4 of 15" in page.text_content("#programme-status")
    page.select_option("select[name=kind]", "")
    page.select_option("select[name=country]", "KH")
    assert {"Bilateral meeting: Republic of Korea – Cambodia"} <= set(visible_titles(page))
    assert len(visible_titles(page)) < total
    page.select_option("select[name=room]", "banquet-hall")
    page.select_option("select[name=country]", "")
    assert visible_titles(page) == ["Luncheon for heads of delegation"]
    assert page.evaluate("window.marker") == "same page"  # no reload happened
    # a day with nothing left is hidden with its heading
    assert page.eval_on_selector_all("section.day:not([hidden])", "nodes => nodes.length") == 1


def test_now_and_next_with_a_fixed_clock(schedule) -> None:
    page = schedule(query="?now=2019-11-26T10:00:00%2B09:00")
    now = page.eval_on_selector_all("article.is-now .session-title", "nodes => nodes.map(n => n.textContent.trim())")
    assert "Session 1: Citizen engagement and government innovation" in now
    nexts = page.eval_on_selector_all("article.is-next .session-title", "nodes => nodes.map(n => n.textContent.trim())")
    assert nexts == ["Session 2: Digital technologies and public services"]
    before = schedule(query="?now=2019-10-01T10:00:00%2B09:00")
    assert before.eval_on_selector_all("article.is-now, article.is-next", "nodes => nodes.length") == 0


def test_grid_for_days_with_parallel_sessions(schedule) -> None:
    page = schedule()
    grids = page.locator("details.grid-view")
    assert grids.count() >= 1
    first = grids.first
    first.locator("summary").click()
    headers = first.locator("thead th").all_text_contents()
    assert headers[0] == "Time" and "Exhibition Hall" in headers
    assert first.locator("td.grid-session").count() >= 2


def test_personal_agenda_persists_and_exports(schedule, tmp_path: Path) -> None:
    page = schedule()
    first = page.locator("article.session").nth(2)
    guid = first.get_attribute("data-guid")
    star = first.locator("button.star")
    assert star.get_attribute("aria-pressed") == "false"
    star.click()
    assert star.get_attribute("aria-pressed") == "true"
    page.reload()
    page.wait_for_selector("#programme-filters:not([hidden])")
    assert page.locator(f"article[data-guid='{guid}'] button.star").get_attribute("aria-pressed") == "true"
    page.click("#programme-mine")
    assert len(visible_titles(page)) == 1
    with page.expect_download() as download:
        page.click("#programme-export")
    path = tmp_path / "agenda.ics"
    download.value.save_as(path)
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    [event] = calendar.walk("VEVENT")
    assert str(event["UID"]).startswith(guid)
    assert event["DTSTART"].dt.isoformat() == "2019-11-25T02:00:00+00:00"  # 11:00 in Seoul


def test_filter_labels_are_translated(schedule) -> None:
    page = schedule("ko")
    assert page.text_content("#programme-filters legend").strip() != "Filter the programme"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        # 2019-11-26 09:30–10:45 in Seoul is 01:30–02:45 in Paris (GMT+01:00); the English edition is British.
        ("en", "Your time: Tue 01:30\u2009–\u200902:45 (GMT+01:00)"),
        # Khmer, whose locale this browser may lack: CLDR's Khmer names and pattern, shipped in the page.
        ("km", "ម៉ោងរបស់អ្នក: អង្គារ 1:30 AM - 2:45 AM (ម៉ោង\u200bសកល +01:00)"),
        ("th", "เวลาของท่าน: อังคาร 01:30 น. – 02:45 น. (GMT+01:00)"),
    ],
)
def test_the_visitors_own_time_is_written_in_the_pages_language(busan_site: Path, serve, browser, lang: str, expected: str) -> None:
    from .support.browser import open_page

    base = serve(busan_site, "/busan2019/")
    with open_page(browser, f"{base}{lang}/schedule/", timezone_id="Europe/Paris") as page:
        page.wait_for_selector("#session-roundtable-session-1 .local-time")
        text = page.text_content("#session-roundtable-session-1 .local-time").strip()
    catalog_label = expected.split(":")[0]
    assert text.startswith(catalog_label + ": "), text
    assert text == expected, text
