"""Tracks and the venue as readers see them, in headless Chromium: the track filter, the room-by-time
grid on a phone, and screenshots of the programme and a session page in en, ko, th and km at 1280 and
390 px (tests/artifacts/screenshots/tracks/, git-ignored, for reviewers to look at)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .sitekit import PROJECT_ROOT
from .support.axe import format_violations, run_axe
from .support.browser import open_page, screenshot, watch_page

FOLDER = PROJECT_ROOT / "tests" / "artifacts" / "screenshots" / "tracks"
LANGUAGES = ("en", "ko", "th", "km")
PAGES = {"programme": "schedule/", "session": "sessions/roundtable-session-2/", "home": ""}
WIDTHS = {"desktop": 1280, "phone": 390}


def test_track_filter_narrows_the_programme(busan_site: Path, serve, page) -> None:
    base = serve(busan_site, "/busan2019/")
    problems = watch_page(page)
    page.goto(f"{base}en/schedule/")
    page.wait_for_selector("#programme-filters:not([hidden])")
    options = page.eval_on_selector_all("select[name=track] option", "nodes => nodes.map(n => n.value)")
    assert options == ["", "roundtable", "exhibition", "bilateral"]  # site.yaml's order, only tracks in use
    page.select_option("select[name=track]", "bilateral")
    shown = page.eval_on_selector_all("article.session:not([hidden])", "nodes => nodes.map(n => n.dataset.track)")
    assert shown == ["bilateral"] * 4
    assert "4 of 15" in page.text_content("#programme-status")
    page.select_option("select[name=track]", "")
    page.select_option("select[name=kind]", "briefing")  # the one session without a track still filters by kind
    assert page.eval_on_selector_all("article.session:not([hidden])", "nodes => nodes.map(n => n.dataset.track)") == [""]
    assert not problems, problems.format()


def test_track_bars_are_drawn_from_the_generated_stylesheet(busan_site: Path, serve, page) -> None:
    base = serve(busan_site, "/busan2019/")
    problems = watch_page(page)
    page.goto(f"{base}en/schedule/")
    colour = page.eval_on_selector(
        "#session-roundtable-session-2", "node => getComputedStyle(node).borderInlineStartColor"
    )
    assert colour == "rgb(11, 92, 171)"  # #0b5cab, site.yaml's roundtable colour
    untracked = page.eval_on_selector("#session-media-briefing", "node => getComputedStyle(node).borderInlineStartColor")
    assert untracked != colour
    assert not problems, problems.format()  # no CSP violation: the colours come from /tracks.css


def test_the_grid_scrolls_inside_its_own_focusable_box_on_a_phone(busan_site: Path, serve, browser) -> None:
    base = serve(busan_site, "/busan2019/")
    with open_page(browser, viewport={"width": 390, "height": 800}) as page:
        page.goto(f"{base}en/schedule/")
        grid = page.locator("#day-2019-11-25 details.grid-view")
        grid.locator("summary").click()
        box = grid.locator(".table-scroll")
        assert box.get_attribute("tabindex") == "0" and box.get_attribute("role") == "region"
        assert page.evaluate("document.documentElement.scrollWidth") <= 390  # the page does not scroll sideways
        widths = box.evaluate("node => [node.scrollWidth, node.clientWidth]")
        assert widths[0] > widths[1]  # the table does, inside its box
        box.focus()
        page.keyboard.press("ArrowRight")
        # Keyboard scrolling is animated: the box moves over the next frames, not by the time the key is up.
        page.wait_for_function("(node) => node.scrollLeft > 0", arg=box.element_handle(), timeout=5_000)


def test_axe_finds_nothing_with_every_grid_open(busan_site: Path, serve, browser) -> None:
    """The gate in test_gates_site.py sees the grids closed; here they are open, on a phone, in two scripts."""
    base = serve(busan_site, "/busan2019/")
    with open_page(browser, viewport={"width": 390, "height": 800}) as page:
        for lang in ("en", "km"):
            page.goto(f"{base}{lang}/schedule/")
            for summary in page.locator("details.grid-view summary").all():
                summary.click()
            violations = run_axe(page)
            assert not violations, format_violations(violations)


def test_print_keeps_the_track_bars_and_drops_the_controls(busan_site: Path, serve, page) -> None:
    base = serve(busan_site, "/busan2019/")
    page.emulate_media(media="print")
    page.goto(f"{base}en/schedule/")
    shown = "node => getComputedStyle(node).display"
    assert page.eval_on_selector("#programme-filters", shown) == "none"
    assert page.eval_on_selector("details.grid-view", shown) == "none"
    bar = "node => getComputedStyle(node).borderInlineStartColor"
    assert page.eval_on_selector("#session-roundtable-session-2", bar) == "rgb(11, 92, 171)"
    screenshot(page, FOLDER / "en-programme-print.png")
    page.goto(f"{base}en/")
    assert page.eval_on_selector(".map-links", shown) == "none"
    assert page.eval_on_selector(".floor-plan img", shown) == "block"  # the plan is worth printing


@pytest.fixture()
def shots(busan_site: Path, serve, browser) -> dict[tuple[str, str, str], Path]:
    base = serve(busan_site, "/busan2019/")
    taken: dict[tuple[str, str, str], Path] = {}
    overflowing: list[str] = []
    for width_name, width in WIDTHS.items():
        for lang in LANGUAGES:
            with open_page(browser, viewport={"width": width, "height": 900}) as page:
                for name, path in PAGES.items():
                    page.goto(f"{base}{lang}/{path}", wait_until="load")
                    for summary in page.locator("details.grid-view summary").all():
                        summary.click()  # the grid open, so the pictures show it
                    wide = page.evaluate("document.documentElement.scrollWidth")
                    if wide > width:
                        overflowing.append(f"{lang} {name} {width_name}: {wide} px wide")
                    taken[(lang, name, width_name)] = screenshot(page, FOLDER / f"{lang}-{name}-{width_name}.png")
    assert not overflowing, overflowing
    return taken


def test_screenshots_of_tracks_and_venue(shots: dict[tuple[str, str, str], Path]) -> None:
    assert len(shots) == len(LANGUAGES) * len(PAGES) * len(WIDTHS)
    assert all(path.stat().st_size > 0 for path in shots.values())
