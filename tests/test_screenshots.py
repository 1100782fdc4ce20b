"""Every edition as readers see it: eight kinds of page in the ten Busan languages, on a desktop (1280 px)
and a phone (390 px), in headless Chromium with Debian's fonts.

The screenshots and a contact sheet (index.html, and contact-sheet.png) are written to
tests/artifacts/screenshots/editions/ (git-ignored) on every run, for reviewers to look at; the README
links the sheet. What a machine can check is checked here: the page is in its language, nothing
overflows the phone's width (a word too long for a line would), and the fonts have loaded.
"""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from PIL import Image

from .sitekit import PROJECT_ROOT
from .support.browser import open_page, screenshot

FOLDER = PROJECT_ROOT / "tests" / "artifacts" / "screenshots" / "editions"
LANGUAGES = ("en", "ko", "th", "vi", "id", "ms", "km", "lo", "my", "fil")
PAGES = {
    "home": "",
    "programme": "schedule/",
    "session": "sessions/roundtable-session-2/",
    "exhibition": "exhibition/",
    "exhibit": "exhibits/smart-traffic-system/",
    "person": "people/head-of-delegation-lao-pdr/",
    "people": "people/",
    "partners": "partners/",
}
WIDTHS = {"desktop": 1280, "phone": 390}


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
                    assert page.evaluate("document.documentElement.lang") == lang
                    # Wider than the viewport: something cannot wrap (scrolling tables are allowed to be wide inside).
                    wide = page.evaluate("document.documentElement.scrollWidth")
                    if wide > width:
                        overflowing.append(f"{lang} {name} {width_name}: {wide} px wide")
                    taken[(lang, name, width_name)] = screenshot(page, FOLDER / f"{lang}-{name}-{width_name}.png")
    write_contact_sheet(taken)
    assert not overflowing, overflowing
    return taken


def write_contact_sheet(taken: dict[tuple[str, str, str], Path]) -> None:
    rows = []
    for lang in LANGUAGES:
        cells = "".join(
            f'<td><a href="{taken[(lang, name, width)].name}"><img src="{taken[(lang, name, width)].name}" '
            f'alt="{html.escape(f"{lang} {name} {width}")}" loading="lazy"></a></td>'
            for name in PAGES for width in WIDTHS if (lang, name, width) in taken
        )
        rows.append(f"<tr><th>{lang}</th>{cells}</tr>")
    head = "".join(f"<th>{name} {width}</th>" for name in PAGES for width in WIDTHS)
    (FOLDER / "index.html").write_text(
        "<!DOCTYPE html><meta charset=utf-8><title>Every edition</title>"
        "<style>img{width:180px;height:220px;object-fit:cover;object-position:top;border:1px solid #ccc}"
        "th{font:12px sans-serif}</style>"
        f"<table><tr><th></th>{head}</tr>{''.join(rows)}</table>\n",
        encoding="utf-8",
    )
    # One picture of everything: each screenshot's top, scaled down, a row per language.
    cell_width, cell_height = 160, 200
    sheet = Image.new("RGB", (cell_width * len(PAGES) * len(WIDTHS), cell_height * len(LANGUAGES)), "white")
    for row, lang in enumerate(LANGUAGES):
        column = 0
        for name in PAGES:
            for width in WIDTHS:
                with Image.open(taken[(lang, name, width)]) as shot:
                    top = shot.crop((0, 0, shot.width, min(shot.height, int(shot.width * cell_height / cell_width))))
                    top.thumbnail((cell_width - 4, cell_height - 4))
                    sheet.paste(top, (column * cell_width + 2, row * cell_height + 2))
                column += 1
    sheet.save(FOLDER / "contact-sheet.png")


def test_every_edition_is_photographed_on_desktop_and_phone(shots) -> None:
    assert len(shots) == len(LANGUAGES) * len(PAGES) * len(WIDTHS)
    for path in shots.values():
        with Image.open(path) as image:
            assert image.width in WIDTHS.values()
    assert (FOLDER / "index.html").is_file() and (FOLDER / "contact-sheet.png").is_file()
