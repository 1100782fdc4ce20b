"""Languages as a visitor sees them: root negotiation, scripts, direction, screenshots.

Screenshots of the Korean, Thai, Khmer and Arabic home pages are written to
tests/artifacts/screenshots/ (git-ignored) on every run, for reviewers."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.support.browser import launch_browser, screenshot
from tests.support.lines import inside_a_syllable, line_ends

from .sitekit import PROJECT_ROOT

SCREENSHOTS = PROJECT_ROOT / "tests" / "artifacts" / "screenshots"


@pytest.fixture(scope="module")
def chromium():
    with launch_browser() as browser:
        yield browser


def visit_root(chromium, base: str, locale: str, then: str | None = None) -> str:
    context = chromium.new_context(locale=locale)
    try:
        page = context.new_page()
        page.goto(base + ("?choose" if then else ""))  # ?choose: stay on the chooser
        page.wait_for_load_state("load")
        if then:
            page.click(f"a[hreflang='{then}']")
            page.wait_for_url(f"**/{then}/")
            page.goto(base)
            page.wait_for_load_state("load")
        try:
            # The chooser's script sends the visitor on as it runs; on a busy machine that can take a while.
            page.wait_for_url(lambda url: url != base, timeout=5_000)
        except PlaywrightTimeout:
            pass  # no match: the visitor stays to choose
        return page.url
    finally:
        context.close()


def test_root_sends_visitors_to_their_language(busan_site: Path, serve, chromium) -> None:
    base = serve(busan_site, "/busan2019/")
    assert visit_root(chromium, base, "th-TH").endswith("/busan2019/th/")
    assert visit_root(chromium, base, "ko-KR").endswith("/busan2019/ko/")
    assert visit_root(chromium, base, "tl-PH").endswith("/busan2019/fil/")  # Tagalog → Filipino
    assert visit_root(chromium, base, "fr-FR").endswith("/busan2019/")  # no match: the visitor chooses


def test_an_explicit_choice_is_remembered(busan_site: Path, serve, chromium) -> None:
    base = serve(busan_site, "/busan2019/")
    assert visit_root(chromium, base, "th-TH", then="vi").endswith("/busan2019/vi/")


def test_root_without_script_lists_every_language(busan_site: Path, serve, chromium) -> None:
    base = serve(busan_site, "/busan2019/")
    context = chromium.new_context(java_script_enabled=False, locale="th-TH")
    page = context.new_page()
    page.goto(base)
    assert page.url.endswith("/busan2019/")
    names = page.locator("a[hreflang]").all_text_contents()
    assert names == ["English", "한국어", "ไทย", "Tiếng Việt", "Indonesia", "Melayu", "ខ្មែរ", "ລາວ", "မြန်မာ", "Filipino"]
    context.close()


@pytest.mark.parametrize("lang", ["ko", "th", "km", "ar"])
def test_home_pages_render_their_script(busan_rtl_site: Path, serve, chromium, lang: str) -> None:
    base = serve(busan_rtl_site)
    context = chromium.new_context(viewport={"width": 1000, "height": 900})
    page = context.new_page()
    page.goto(f"{base}{lang}/")
    direction = page.evaluate("getComputedStyle(document.body).direction")
    assert direction == ("rtl" if lang == "ar" else "ltr")
    if lang == "ar":
        # logical properties mirror the layout: the brand sits at the right edge, the emblem at its right
        box = page.locator(".brand").bounding_box()
        assert box is not None and box["x"] + box["width"] > 900 and box["x"] > 200
        logo = page.locator(".brand-logo").bounding_box()
        assert logo is not None and logo["x"] > page.locator(".brand-title").bounding_box()["x"]  # type: ignore[index]
    # the page's words are laid out without overflowing the viewport (no broken line breaking)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = screenshot(page, SCREENSHOTS / f"home-{lang}.png")
    assert path.stat().st_size > 10_000
    context.close()


@pytest.mark.parametrize(
    "path", ["th/about/", "th/news/forum-announced/", "th/exhibition/", "lo/about/", "lo/exhibits/automated-immigration-checks/"]
)
def test_words_the_dictionary_splits_stay_on_one_line(busan_site: Path, serve, chromium, path: str) -> None:
    """site.yaml keeps เมียนมา, ปูซาน, ອາຊຽນ… whole (Chromium's dictionaries break them at a line end)."""
    base = serve(busan_site)
    context = chromium.new_context(viewport={"width": 390, "height": 900})
    page = context.new_page()
    page.goto(f"{base}{path}")
    kept = page.evaluate(
        """() => [...document.querySelectorAll('main .keep')].map(span => ({
            text: span.textContent,
            lines: new Set([...span.getClientRects()].map(rect => Math.round(rect.top))).size,
            wrap: getComputedStyle(span).whiteSpace,
        }))"""
    )
    shown = [word for word in kept if word["lines"]]  # not those in closed menus and folded details
    assert len(shown) >= 3, kept
    assert all(word["lines"] == 1 and word["wrap"] == "nowrap" for word in shown), shown
    # No line starts with a repetition mark (ๆ, ໆ): each mark's box is on the line of the letter before it.
    starts = page.evaluate(
        r"""() => {
            const found = [];
            const walker = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
            const texts = [];
            for (let node; (node = walker.nextNode());) texts.push(node);
            const range = document.createRange();
            let seen = 0;
            texts.forEach((node, index) => {
                for (let i = 0; i < node.data.length; i++) {
                    if (!'ๆໆ'.includes(node.data[i])) continue;
                    seen++;
                    range.setStart(node, i); range.setEnd(node, i + 1);
                    const mark = range.getClientRects()[0];
                    // the letter before: in this text, or at the end of the text before (a kept word's span)
                    const [before, at] = i > 0 ? [node, i - 1] : [texts[index - 1], texts[index - 1]?.data.length - 1];
                    if (!mark || !before || at < 0) continue;
                    range.setStart(before, at); range.setEnd(before, at + 1);
                    const letter = range.getClientRects()[0];
                    if (letter && Math.abs(letter.top - mark.top) > 2) found.push(node.data.slice(Math.max(0, i - 10), i + 1));
                }
            });
            return {found, seen};
        }"""
    )
    assert starts["found"] == [], starts
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    context.close()


@pytest.mark.parametrize("width", [390, 1024])
@pytest.mark.parametrize("lang", ["th", "lo", "km", "my"])
def test_no_line_ends_inside_a_syllable(busan_site: Path, serve, chromium, lang: str, width: int) -> None:
    """On a phone and a desktop, no line of the longer pages ends inside a syllable (Chromium's Burmese
    dictionary broke အ|င်ဒိုနီးရှား and အွ|န်လိုင်း; site.yaml keeps such words whole)."""
    base = serve(busan_site)
    context = chromium.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    found, ends = [], 0
    for path in ["about/", "news/forum-announced/", "news/roundtable-programme/", "news/exhibition-opens/", "exhibition/",
                 "sessions/roundtable-session-2/", "schedule/changes/"]:
        page.goto(f"{base}{lang}/{path}")
        pairs = line_ends(page)
        ends += len(pairs)
        found += [f"{path}: {before} | {after}" for before, after in pairs if inside_a_syllable(before, after)]
    assert ends > (100 if width < 600 else 50)  # the pages were read, line by line
    assert found == []
    context.close()
