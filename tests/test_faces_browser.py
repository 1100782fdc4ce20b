"""Faces and partners as readers see them, in headless Chromium over the Busan build: the person page,
the people index and the partners page in English, Korean, Thai and Khmer, on a desktop and a phone.

Screenshots go to tests/artifacts/screenshots/faces/ (git-ignored) for reviewers. Checked here: the
page's CSP holds (no console errors), axe finds nothing, nothing overflows the phone's width, every
portrait is a loaded picture or a circle of initials of the same size, and every logo sits in a box
of one size.
"""

from __future__ import annotations

from pathlib import Path

from tests.support.axe import format_violations, run_axe

from .sitekit import PROJECT_ROOT
from .support.browser import open_page, screenshot, watch_page

FOLDER = PROJECT_ROOT / "tests" / "artifacts" / "screenshots" / "faces"
LANGUAGES = ("en", "ko", "th", "km")
PAGES = {"person": "people/chin-young/", "person-initials": "people/head-of-delegation-thailand/", "people": "people/", "partners": "partners/"}
WIDTHS = {"desktop": 1280, "phone": 390}

MEASURE = """() => {
  const box = (element) => { const r = element.getBoundingClientRect(); return [Math.round(r.width), Math.round(r.height)]; };
  return {
    photos: [...document.querySelectorAll('main img.portrait')].map((img) => ({size: box(img), loaded: img.complete && img.naturalWidth > 0})),
    initials: [...document.querySelectorAll('main .initials')].map((span) => ({size: box(span), text: span.textContent})),
    logos: [...document.querySelectorAll('main .partner-box')].map(box),
    wide: document.documentElement.scrollWidth,
  };
}"""


def test_faces_and_partners_in_four_scripts(busan_site: Path, serve, browser) -> None:
    base = serve(busan_site, "/busan2019/")
    failures: list[str] = []
    for width_name, width in WIDTHS.items():
        for lang in LANGUAGES:
            for name, path in PAGES.items():
                with open_page(browser, viewport={"width": width, "height": 900}) as page:
                    problems = watch_page(page)
                    page.goto(f"{base}{lang}/{path}", wait_until="load")
                    # Lazy pictures below the fold load as a reader scrolls: scroll so that every one is measured loaded.
                    page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
                    page.wait_for_function("() => [...document.querySelectorAll('main img')].every((img) => img.complete)")
                    screenshot(page, FOLDER / f"{lang}-{name}-{width_name}.png")
                    where = f"{lang} {name} {width_name}"
                    found = page.evaluate(MEASURE)
                    if problems:
                        failures.append(f"{where}: {problems.format()}")
                    if found["wide"] > width:
                        failures.append(f"{where}: {found['wide']} px wide")
                    photos, initials = found["photos"], found["initials"]
                    if not photos + initials and name != "partners":
                        failures.append(f"{where}: no portrait")
                    for photo in photos:
                        if not photo["loaded"] or photo["size"][0] != photo["size"][1]:
                            failures.append(f"{where}: photo {photo}")
                    for circle in initials:
                        if circle["size"][0] != circle["size"][1] or not circle["text"]:
                            failures.append(f"{where}: initials {circle}")
                    if name == "partners" and (not found["logos"] or len({tuple(size) for size in found["logos"]}) != 1):
                        failures.append(f"{where}: logo boxes {found['logos']}")
                    if width_name == "desktop":
                        violations = run_axe(page)
                        if violations:
                            failures.append(f"{where}:\n{format_violations(violations)}")
    assert not failures, "\n".join(failures)
