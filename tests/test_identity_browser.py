"""The Busan site's identity as readers see it: the emblem in the header, the event's colours from
brand.css, the key visual on the home page, in English, Korean, Thai and Khmer, on a desktop (1280 px)
and a phone (390 px). Screenshots go to tests/artifacts/screenshots/identity/ (git-ignored) for review."""

from __future__ import annotations

from pathlib import Path

import pytest

from .sitekit import PROJECT_ROOT
from .support.browser import open_page, screenshot

FOLDER = PROJECT_ROOT / "tests" / "artifacts" / "screenshots" / "identity"
PRIMARY = "rgb(23, 74, 132)"  # content/site.yaml colors.primary, #174a84


@pytest.mark.parametrize("width", [1280, 390])
def test_home_page_shows_the_emblem_colours_and_key_visual(busan_site: Path, serve, browser, width: int) -> None:
    base = serve(busan_site, "/busan2019/")
    with open_page(browser, viewport={"width": width, "height": 900}) as page:
        for lang in ("en", "ko", "th", "km"):
            page.goto(f"{base}{lang}/", wait_until="load")
            state = page.evaluate(
                """() => {
                  const logo = document.querySelector('.brand-logo');
                  const visual = document.querySelector('.key-visual img');
                  const box = visual.getBoundingClientRect();
                  return {
                    header: getComputedStyle(document.querySelector('.site-header')).backgroundColor,
                    button: getComputedStyle(document.querySelector('.hero .button')).backgroundColor,
                    logo: logo.complete && logo.naturalWidth > 0 ? logo.getBoundingClientRect().height : 0,
                    visual: visual.complete && visual.naturalWidth > 0 ? box.width / box.height : 0,
                    position: getComputedStyle(visual).objectPosition,
                    wide: document.documentElement.scrollWidth,
                  };
                }"""
            )
            assert state["header"] == PRIMARY and state["button"] == PRIMARY, (lang, state)
            assert 36 <= state["logo"] <= 56, (lang, state)  # the emblem loaded, at the header's scale
            assert state["visual"] == pytest.approx(3 if width > 640 else 16 / 9, rel=0.02), (lang, state)
            assert state["position"] == "66% 30%" and state["wide"] <= width, (lang, state)
            screenshot(page, FOLDER / f"{lang}-home-{width}.png")
