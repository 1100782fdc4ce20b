"""Printed room signs: a page per room and day in every language, listing that room's sessions of the day
with QR codes of their pages (templates/sign.html, eventsite/kinds/session.py, eventsite/qr.py).

What the signs list is checked against the content files themselves (not the model the code builds);
the QR codes are read back from screenshots of real pages with zxing-cpp; printing is checked as a PDF
from Chromium (one A4 page per sign). vnu and axe check every sign page.
"""

from __future__ import annotations

import io
import re
import shutil
from collections import defaultdict
from pathlib import Path

import pytest
import yaml
from PIL import Image

from eventsite.build import Project, build_site
from eventsite.errors import BuildError
from eventsite.incremental import IncrementalBuilder
from eventsite.publish import BuildOptions
from tests.support.axe import format_violations, preload_axe, run_axe
from tests.support.vnu import check_html, format_messages

from .sitekit import PROJECT_ROOT, build, parse_html, snapshot, text_of, write_site
from .support.browser import open_page, screenshot

CONTENT = PROJECT_ROOT / "content"
SCREENSHOTS = PROJECT_ROOT / "tests" / "artifacts" / "screenshots" / "signs"
BUSAN_BASE = "https://forum.example.org/busan2019/"


def front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---", 2)[1]) or {}


def busan_languages() -> list[str]:
    return list(yaml.safe_load((CONTENT / "site.yaml").read_text(encoding="utf-8"))["languages"])


def expected_signs() -> dict[tuple[str, str], list[str]]:
    """(room, YYYY-MM-DD) → the ids of the sessions that start there that day, by start time: read from the files."""
    found: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for path in sorted((CONTENT / "sessions").glob("*.md")):
        if "." in path.stem:  # a translation: <id>.<lang>.md
            continue
        meta = front_matter(path)
        if meta.get("room"):
            start = str(meta["start"])
            found[(meta["room"], start[:10])].append((start, path.stem))
    return {key: [session_id for _, session_id in sorted(items)] for key, items in found.items()}


def session_title(session_id: str, lang: str) -> str:
    translation = CONTENT / "sessions" / f"{session_id}.{lang}.md"
    if translation.is_file() and front_matter(translation).get("title"):
        return front_matter(translation)["title"]
    return front_matter(CONTENT / "sessions" / f"{session_id}.md")["title"]


def sign_rows(path: Path) -> list[dict]:
    tree = parse_html(path)
    rows = []
    for item in tree.xpath("//ol[@class='sign-sessions']/li"):
        also = item.xpath(".//p[@class='sign-also']")
        image = item.xpath(".//img[@class='sign-qr']")[0]
        rows.append(
            {
                "id": item.get("data-session"),
                "title": text_of(item.xpath(".//h2")[0]),
                "also": text_of(also[0]) if also else None,
                "also_lang": also[0].xpath("./span/@lang")[0] if also else None,
                "href": item.xpath(".//h2/a/@href")[0],
                "src": image.get("src"),
                "alt": image.get("alt"),
            }
        )
    return rows


# --- the real site -------------------------------------------------------------------------------


def test_every_room_and_day_has_a_sign_in_every_language(busan_site: Path) -> None:
    expected = expected_signs()
    assert len(expected) >= 5 and len({room for room, _ in expected}) >= 4
    for lang in busan_languages():
        folder = busan_site / lang / "signs"
        made = {(path.parent.parent.name, path.parent.name) for path in folder.glob("*/*/index.html")}
        assert made == set(expected), lang
        for (room, day), session_ids in expected.items():
            page = folder / room / day / "index.html"
            rows = sign_rows(page)
            assert [row["id"] for row in rows] == session_ids, f"{lang} {room} {day}"
            tree = parse_html(page)
            assert tree.xpath("/html/@lang") == [lang]
            assert tree.xpath("//p[@class='sign-day']/time/@datetime") == [day]
            for row in rows:
                assert row["title"] == session_title(row["id"], lang)
                assert row["href"] == f"../../../sessions/{row['id']}/"
                assert row["src"].startswith("data:image/svg+xml")
                assert "style" not in row["src"].lower()  # nothing the CSP would block
                assert row["title"] in row["alt"]
                if lang == "en":
                    assert row["also"] is None
                else:  # every guest can read the default language too
                    assert (row["also"], row["also_lang"]) == (session_title(row["id"], "en"), "en")


def test_the_signs_index_lists_every_sign_and_the_programme_links_to_it(busan_site: Path) -> None:
    expected = expected_signs()
    for lang in busan_languages():
        index = parse_html(busan_site / lang / "signs" / "index.html")
        links = index.xpath("//ul[@class='signs-list']/li/a/@href")
        assert sorted(links) == sorted(f"{room}/{day}/" for room, day in expected)
        days = index.xpath("//section[@class='signs-day']/h2/time/@datetime")
        assert days == sorted({day for _, day in expected})
        programme = parse_html(busan_site / lang / "schedule" / "index.html")
        assert programme.xpath("//main//a[@href='../signs/']"), lang


def test_signs_stay_out_of_the_sitemap_and_the_search_index(busan_site: Path) -> None:
    sitemap = (busan_site / "sitemap.xml").read_text(encoding="utf-8")
    assert "/signs/" not in sitemap
    for path in (busan_site / "ko" / "signs").rglob("index.html"):
        tree = parse_html(path)
        assert tree.xpath("//meta[@name='robots']/@content") == ["noindex"]
        assert not tree.xpath("//*[@data-pagefind-body]")


def test_every_sign_page_is_valid_html(busan_site: Path) -> None:
    files = sorted(busan_site.glob("*/signs/**/index.html"))
    assert len(files) == len(busan_languages()) * (1 + len(expected_signs()))
    report = check_html(files)
    assert len(report.checked) == len(files)
    assert not report.errors, format_messages(report.errors)


# --- a small site: fallbacks, rooms, edits, reserved ids -------------------------------------------


def test_titles_in_the_page_language_and_the_default_one(tmp_path: Path) -> None:
    content = write_site(
        tmp_path,
        {
            "sessions/lunch.md": """\
                ---
                title: Lunch
                start: "2019-11-25 12:00"
                end: "2019-11-25 13:00"
                kind: meal
                ---
                No room: on no sign.
                """,
        },
    )
    build(content, tmp_path / "site")
    site = tmp_path / "site"
    assert {path.parent.relative_to(site).as_posix() for path in site.glob("en/signs/*/*/index.html")} == {
        "en/signs/hall-a/2019-11-25",
        "en/signs/hall-b/2019-11-26",
    }
    [korean] = sign_rows(site / "ko" / "signs" / "hall-a" / "2019-11-25" / "index.html")
    assert (korean["title"], korean["also"], korean["also_lang"]) == ("개회식", "Opening ceremony", "en")
    # Not translated into Thai: the English title, marked as English, and not twice.
    thai_page = site / "th" / "signs" / "hall-a" / "2019-11-25" / "index.html"
    [thai] = sign_rows(thai_page)
    assert (thai["title"], thai["also"]) == ("Opening ceremony", None)
    assert parse_html(thai_page).xpath("//h2[@class='sign-title']//span/@lang") == ["en"]
    # Rooms: the page's language, and the default one under it when they differ.
    ko_sign = parse_html(site / "ko" / "signs" / "hall-a" / "2019-11-25" / "index.html")
    assert text_of(ko_sign.xpath("//h1")[0]) == "A홀"
    assert text_of(ko_sign.xpath("//p[contains(@class, 'sign-room-also')]")[0]) == "Hall A"
    en_sign = parse_html(site / "en" / "signs" / "hall-a" / "2019-11-25" / "index.html")
    assert not en_sign.xpath("//p[contains(@class, 'sign-room-also')]")


def test_a_site_without_rooms_has_an_empty_signs_index_and_no_link(tmp_path: Path) -> None:
    roomless = {
        "sessions/opening.md": '---\ntitle: Opening\nstart: "2019-11-25 09:00"\nend: "2019-11-25 10:00"\n---\nText.\n',
        "sessions/opening.ko.md": None,
        "sessions/talk.md": None,
    }
    content = write_site(tmp_path, roomless)
    build(content, tmp_path / "site")
    assert not list((tmp_path / "site" / "en" / "signs").glob("*/*/index.html"))
    programme = parse_html(tmp_path / "site" / "en" / "schedule" / "index.html")
    assert not programme.xpath("//a[@href='../signs/']")


def test_signs_is_a_reserved_page_id(tmp_path: Path) -> None:
    content = write_site(tmp_path, {"pages/signs.md": "---\ntitle: Signs\n---\nText.\n"})
    with pytest.raises(BuildError) as raised:
        build(content, tmp_path / "site")
    assert any("'signs' is reserved" in problem.message for problem in raised.value.problems)


def test_the_dev_server_keeps_the_signs_current(tmp_path: Path) -> None:
    """Moving a session to another room and day, retitling it: the signs follow, byte for byte a full build's."""
    content = write_site(tmp_path)
    project = Project.at(PROJECT_ROOT, content=content, output=tmp_path / "site")
    builder = IncrementalBuilder(project)
    builder.full_build()
    talk = content / "sessions" / "talk.md"
    edits = [
        talk.read_text(encoding="utf-8").replace("room: hall-b", "room: hall-a").replace("2019-11-26", "2019-11-25"),
        talk.read_text(encoding="utf-8").replace("room: hall-b", "room: hall-a").replace("2019-11-26", "2019-11-25")
        .replace("Talk on smart traffic", "Talk on smarter traffic"),
    ]
    for text in edits:
        talk.write_text(text, encoding="utf-8")
        builder.update({talk})
        reference = tmp_path / "reference"
        build_site(Project.at(PROJECT_ROOT, content=content, output=reference), options=BuildOptions(dev=True))
        signs = {name: data for name, data in snapshot(reference).items() if "/signs/" in f"/{name}"}
        assert signs == {name: data for name, data in snapshot(project.output).items() if "/signs/" in f"/{name}"}
        shutil.rmtree(reference)
    rows = sign_rows(project.output / "en" / "signs" / "hall-a" / "2019-11-25" / "index.html")
    assert [(row["id"], row["title"]) for row in rows] == [("opening", "Opening ceremony"), ("talk", "Talk on smarter traffic")]
    assert not (project.output / "en" / "signs" / "hall-b").exists()


# --- in a browser: what the codes say, how the signs print, axe ------------------------------------

SHOWN = ("roundtable-hall", "2019-11-26")  # the busiest room of the busiest day


def decode(png: bytes) -> list[str]:
    import zxingcpp

    with Image.open(io.BytesIO(png)) as image:
        return [result.text for result in zxingcpp.read_barcodes(image.convert("L")) if result.format == zxingcpp.BarcodeFormat.QRCode]


@pytest.mark.parametrize("lang", ["ko", "th"])
def test_the_qr_codes_read_back_as_the_session_pages(busan_site: Path, serve, browser, lang: str) -> None:
    base = serve(busan_site, "/busan2019/")
    room, day = SHOWN
    session_ids = expected_signs()[SHOWN]
    urls = {f"{BUSAN_BASE}{lang}/sessions/{session_id}/" for session_id in session_ids}
    with open_page(browser, viewport={"width": 1000, "height": 1000}) as page:
        page.goto(f"{base}{lang}/signs/{room}/{day}/", wait_until="load")
        assert page.evaluate("document.documentElement.lang") == lang
        shot = screenshot(page, SCREENSHOTS / f"{lang}-{room}-{day}.png")
        # The whole sign: exactly its sessions' pages, each once.
        found = decode(shot.read_bytes())
        assert sorted(found) == sorted(urls)
        # Each code beside its own session.
        for row in page.locator("li.sign-session").all():
            session_id = row.get_attribute("data-session")
            assert decode(row.locator("img.sign-qr").screenshot()) == [f"{BUSAN_BASE}{lang}/sessions/{session_id}/"]
        # The same page on paper: only the sign.
        page.emulate_media(media="print")
        screenshot(page, SCREENSHOTS / f"{lang}-{room}-{day}-print.png")
        assert page.locator(".site-header").is_hidden() and page.locator(".breadcrumbs").is_hidden()
        assert sorted(decode(page.screenshot(full_page=True))) == sorted(urls)


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


def test_every_sign_prints_on_one_a4_page(busan_site: Path, serve, browser) -> None:
    """In every language: Burmese and Khmer lines are taller than Latin ones, Vietnamese titles longer."""
    base = serve(busan_site, "/busan2019/")
    with open_page(browser) as page:
        for lang, (room, day) in ((lang, sign) for lang in busan_languages() for sign in expected_signs()):
            page.goto(f"{base}{lang}/signs/{room}/{day}/", wait_until="load")
            pdf = page.pdf(prefer_css_page_size=True)
            assert pdf_pages(pdf) == 1, f"{lang} {room} {day}: {pdf_pages(pdf)} pages"
            # A4 portrait: 210 × 297 mm in PostScript points (Chromium writes 594.96 × 841.92).
            [box] = set(re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf))
            assert (round(float(box[0])), round(float(box[1]))) == (595, 842), f"{lang} {room} {day}: {box}"


def test_axe_finds_nothing_on_the_signs(busan_site: Path, serve, page) -> None:
    preload_axe(page)
    base = serve(busan_site, "/busan2019/")
    failures = []
    for lang in ("en", "ko", "th", "km", "my"):
        for path in ("signs/", *(f"signs/{room}/{day}/" for room, day in expected_signs())):
            page.goto(f"{base}{lang}/{path}")
            violations = run_axe(page)
            if violations:
                failures.append(f"/{lang}/{path}:\n{format_violations(violations)}")
    assert not failures, "\n".join(failures)


def test_a_busy_room_still_prints_on_one_page_with_readable_codes(tmp_path: Path, serve, browser) -> None:
    """Nine sessions in one room and day: smaller type and codes (sign-crowded), still one sheet, every code read."""
    busy = {
        f"sessions/busy-{hour}.md": (
            f'---\ntitle: "Panel {hour}: capacity-building of local governments and regional development"\n'
            f'start: "2019-11-25 {hour:02d}:00"\nend: "2019-11-25 {hour:02d}:45"\nroom: hall-a\n---\nText.\n'
        )
        for hour in range(10, 18)
    }
    content = write_site(tmp_path, busy)
    build(content, tmp_path / "site")
    base = serve(tmp_path / "site")
    expected = {f"https://example.org/forum/ko/sessions/{name}/" for name in ["opening", *(f"busy-{hour}" for hour in range(10, 18))]}
    # Three device pixels to the CSS pixel: about 290 dpi, what a printer gives the 17 mm codes.
    with open_page(browser, device_scale_factor=3) as page:
        page.goto(f"{base}ko/signs/hall-a/2019-11-25/", wait_until="load")
        assert page.locator("article.sign-crowded li.sign-session").count() == 9
        assert pdf_pages(page.pdf(prefer_css_page_size=True)) == 1
        page.emulate_media(media="print")
        assert sorted(decode(page.screenshot(full_page=True))) == sorted(expected)
