"""Open Graph images of session pages: drawn in the page's language and script, never with tofu."""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, features

from eventsite import fonts, og
from eventsite.build import Caches, build_site
from eventsite.publish import BuildOptions

from .sitekit import build, parse_html, project_for, write_site

BASE = "https://example.org/forum/"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("og")
    build(write_site(root), root / "site")
    return root / "site"


def meta(page, name: str) -> list[str]:
    return page.xpath(f"//meta[@property='{name}']/@content")


def chunks(png: bytes) -> list[bytes]:
    found, at = [], 8
    while at < len(png):
        length = int.from_bytes(png[at : at + 4], "big")
        found.append(png[at + 4 : at + 8])
        at += 12 + length
    return found


@pytest.mark.parametrize("lang", ["en", "ko", "th"])
def test_session_pages_have_a_card(built: Path, lang: str) -> None:
    page = parse_html(built / lang / "sessions" / "opening" / "index.html")
    card = "en" if lang == "th" else lang  # not translated into Thai: the card of the canonical page, like og:url
    assert meta(page, "og:image") == [f"{BASE}{card}/sessions/opening/og.png"]
    assert meta(page, "og:url") == [f"{BASE}{card}/sessions/opening/"]
    assert meta(page, "og:image:width") == ["1200"] and meta(page, "og:image:height") == ["630"]
    alt = meta(page, "og:image:alt")[0]
    assert ("개회식" if lang == "ko" else "Opening ceremony") in alt
    png = (built / card / "sessions" / "opening" / "og.png").read_bytes()
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.size == (1200, 630)
    assert not {b"tIME", b"tEXt", b"iTXt", b"zTXt", b"eXIf"} & set(chunks(png))  # nothing that changes per build


def test_cards_say_the_session_in_the_page_language(built: Path, tmp_path: Path) -> None:
    cards = {lang: (built / lang / "sessions" / "opening" / "og.png").read_bytes() for lang in ("en", "ko")}
    assert cards["en"] != cards["ko"]
    assert (built / "en" / "sessions" / "talk" / "og.png").read_bytes() != cards["en"]
    # Translated into Thai: a Thai card (Thai title, dates and room), drawn with a font that has Thai.
    content = write_site(tmp_path, {"sessions/talk.th.md": "---\ntitle: การบรรยายเรื่องการจราจรอัจฉริยะ\n---\n"})
    build(content, tmp_path / "site")
    thai = parse_html(tmp_path / "site" / "th" / "sessions" / "talk" / "index.html")
    assert meta(thai, "og:image") == [f"{BASE}th/sessions/talk/og.png"]
    assert "การบรรยาย" in meta(thai, "og:image:alt")[0] and "พ.ย." in meta(thai, "og:image:alt")[0]
    assert (tmp_path / "site" / "th" / "sessions" / "talk" / "og.png").read_bytes() != (built / "en" / "sessions" / "talk" / "og.png").read_bytes()


def test_not_found_pages_have_no_card_and_fallback_pages_no_file(built: Path) -> None:
    assert not meta(parse_html(built / "404.html"), "og:image")
    page = parse_html(built / "en" / "404.html")
    assert not meta(page, "og:image") and page.xpath("//meta[@name='twitter:card']/@content") == ["summary"]
    cards = {p.relative_to(built).as_posix() for p in built.rglob("og.png")}
    assert {"en/sessions/opening/og.png", "en/sessions/talk/og.png", "ko/sessions/opening/og.png"} <= cards
    assert "ko/sessions/talk/og.png" not in cards and "th/sessions/opening/og.png" not in cards  # translated pages only


def test_no_font_no_card(tmp_path: Path) -> None:
    """A title no installed font covers (a private-use character): neither the image nor the meta, no tofu."""
    content = write_site(tmp_path, {"sessions/talk.ko.md": "---\ntitle: \U000f0000 토론\n---\n"})
    build(content, tmp_path / "site")
    ko = parse_html(tmp_path / "site" / "ko" / "sessions" / "talk" / "index.html")
    assert not meta(ko, "og:image")
    assert not (tmp_path / "site" / "ko" / "sessions" / "talk" / "og.png").exists()
    assert (tmp_path / "site" / "en" / "sessions" / "talk" / "og.png").is_file()


def test_fonts_cover_the_scripts_of_the_busan_languages() -> None:
    samples = {
        "th": "พิธีเปิดการประชุม", "km": "ពិធីបើកសន្និសីទ", "lo": "ພິທີເປີດກອງປະຊຸມ", "my": "ဖွင့်ပွဲအခမ်းအနား",
        "ko": "개회식", "vi": "Lễ khai mạc", "en": "Opening – 2019",
    }
    for lang, text in samples.items():
        face = fonts.font_for(text, (lang,))
        assert face is not None, lang
        assert fonts.coverage(face).covers(ord(c) for c in text if not c.isspace()), (lang, face)
    assert fonts.font_for("\U000f0000", ("en",)) is None


BUSAN_PATTERNS = [f":lang={lang}{bold}" for lang in ("en", "ko", "th", "km", "my", "id", "ms", "lo", "vi", "fil", "ar", "zz")
                  for bold in ("", ":weight=bold")] + [":family=Noto Sans CJK KR:weight=bold", ":family=nonexistent font"]


def test_fontconfig_in_this_process_answers_as_fc_match_does() -> None:
    """fonts.Fontconfig asks fontconfig's library what ``fc-match`` asks it, and gets the same font."""
    import shutil
    import subprocess

    if shutil.which("fc-match") is None:
        pytest.skip("fontconfig's fc-match is not installed (scripts/install-test-deps installs it)")
    library = fonts.fontconfig()
    assert library is not None, "libfontconfig.so.1 is installed with fc-match but could not be loaded"
    for pattern in BUSAN_PATTERNS:
        printed = subprocess.run(["fc-match", "-f", "%{file}\t%{index}", pattern], capture_output=True, text=True, check=True).stdout
        path, _, index = printed.partition("\t")
        assert library.match(pattern) == (Path(path), int(index)), pattern
    # A pattern fontconfig cannot parse: fc-match fails, the library answers None (no font, no card).
    assert subprocess.run(["fc-match", ":weight=heavy-ish"], capture_output=True).returncode != 0
    assert library.match(":weight=heavy-ish") is None


def test_without_fontconfigs_library_the_fc_match_process_answers_the_same(monkeypatch) -> None:
    if fonts.fontconfig() is None or fonts._fc_match_program() is None:
        pytest.skip("fontconfig is not installed (scripts/install-test-deps installs it)")
    in_process = {pattern: fonts.fc_match.__wrapped__(pattern) for pattern in BUSAN_PATTERNS}
    monkeypatch.setattr(fonts, "fontconfig", lambda: None)
    assert {pattern: fonts.fc_match.__wrapped__(pattern) for pattern in BUSAN_PATTERNS} == in_process
    assert in_process[":lang=th"] is not None and in_process[":lang=my:weight=bold"] is not None


def test_what_a_font_covers_is_kept_while_the_file_is_the_same(tmp_path: Path, monkeypatch) -> None:
    """fonts.remember_coverages: read once, then from the cache folder; a changed or damaged entry is read again."""
    from eventsite.cache import DiskCache

    source = fonts.font_for("개회식", ("ko",))  # the largest cmap: a CJK font
    assert source is not None
    copy = tmp_path / source.path.name
    copy.write_bytes(source.path.read_bytes())
    face, cache = fonts.Face(copy, source.index), DiskCache(tmp_path / "cache", "fonts")
    monkeypatch.setattr(fonts, "_coverages", {})
    fonts.remember_coverages([face], cache)
    read = fonts.coverage(face)
    assert len(read) > 20_000 and ord("개") in read

    def unread(face: fonts.Face) -> frozenset[int]:
        raise AssertionError(f"{face.path} read again")

    monkeypatch.setattr(fonts, "_coverages", {})
    monkeypatch.setattr(fonts, "_read_coverage", unread)
    fonts.remember_coverages([face], cache)  # a later build: from the cache
    assert fonts.coverage(face) == read

    # Another file at the same path (other size and time): read again, and kept again.
    monkeypatch.undo()
    copy.write_bytes(copy.read_bytes() + b"\0" * 4)
    fonts._signature.cache_clear()
    monkeypatch.setattr(fonts, "_coverages", {})
    calls: list[fonts.Face] = []
    real = fonts._read_coverage
    monkeypatch.setattr(fonts, "_read_coverage", lambda face: calls.append(face) or real(face))
    fonts.remember_coverages([face], cache)
    assert calls == [face] and fonts.coverage(face) == read

    # A damaged entry is a miss, never a wrong answer.
    key = cache.key("font-coverage", fonts.CMAP_VERSION, face.signature)
    cache.put(key, [[70, 60]])
    monkeypatch.setattr(fonts, "_coverages", {})
    fonts.remember_coverages([face], cache)
    assert len(calls) == 2 and fonts.coverage(face) == read
    assert cache.get(key) == read.runs


def test_lines_break_between_syllables_only() -> None:
    thai = "การมีส่วนร่วม"  # ก า ร ม ี ส ่ ว น ร ่ ว ม
    allowed = [i for i in range(1, len(thai)) if og._can_break_before(thai, i)]
    for i in allowed:
        assert thai[i] in "กขคงจฉชซญดตถทธนบปผพฟภมยรลวศสหอฮ" or thai[i] in "เแโใไ", thai[i]
    assert 3 in allowed and 1 not in allowed  # before ม (a new syllable), not before า
    assert not og._can_break_before("เก", 1)  # a leading vowel stays with its consonant
    assert not og._can_break_before("เครือข่าย", 4) and not og._can_break_before("ตัว", 2)  # อ and ว of a vowel
    assert not og._can_break_before("เครือ", 2) and og._can_break_before("เครือข่าย", 5)  # a cluster after a leading vowel
    assert not og._can_break_before("ក្ក", 2)  # a Khmer subscript (coeng + consonant) stays
    assert not og._can_break_before("ကင်", 1)  # a Myanmar killed consonant (asat) ends the syllable before it
    assert not og._can_break_before("word", 2) and og._can_break_before("two words", 4)


def test_long_titles_wrap_and_shrink_within_the_card(tmp_path: Path) -> None:
    long_title = "การประชุมโต๊ะกลมระดับรัฐมนตรีว่าด้วยนวัตกรรมการบริการภาครัฐและการมีส่วนร่วมของประชาชน" * 3
    face = fonts.font_for(long_title, ("th",), bold=True)
    assert face is not None
    line = og.Line(long_title, "th", face, og.TITLE_SIZES[0], True)
    sized, lines = og._fit_title(line, 1200 - 2 * og.MARGIN, 300)
    assert sized.size == og.TITLE_SIZES[-1] and 1 <= len(lines) <= 3 and lines[-1].endswith("…")
    for text in lines:
        assert og._length(sized, text) <= 1200 - 2 * og.MARGIN


def test_cards_are_cached_and_drawing_is_fast_enough(tmp_path: Path) -> None:
    content = write_site(tmp_path)
    project = project_for(content, tmp_path / "site")
    project = type(project)(project.content, project.output, project.theme, project.base_url, tmp_path / "cache")
    build_site(project, caches=Caches.for_project(project))
    cached = sorted((tmp_path / "cache" / "og").rglob("*.png"))
    drawn = {path.read_bytes() for path in (tmp_path / "site").rglob("og.png")}
    assert len(cached) == len(drawn) > 20  # one entry per distinct card (the root's is the default language's)
    first = (tmp_path / "site" / "ko" / "sessions" / "opening" / "og.png").read_bytes()
    for entry in cached:
        entry.write_bytes(b"stale")  # proves the second build reads the cache
    build_site(project, caches=Caches.for_project(project))
    assert (tmp_path / "site" / "ko" / "sessions" / "opening" / "og.png").read_bytes() == b"stale"
    assert first.startswith(b"\x89PNG")
    # Drawing itself takes about 15 ms a card here; the bound only catches an accident (a loaded CI machine).
    face = fonts.font_for("Opening ceremony", ("en",))
    assert face is not None
    line = og.Line("Opening ceremony", "en", face, 40)
    card = og.Card("u", "p", "a", line, line, line, None)
    started = time.perf_counter()
    for _ in range(5):
        data = og.draw(card)
    assert (time.perf_counter() - started) / 5 < 0.5
    assert data == og.draw(card)  # same bytes every time


def test_raqm_is_reported() -> None:
    """Complex scripts are shaped only with libraqm; docs/deploy.md says what happens without it."""
    assert og.RAQM == features.check("raqm")


def test_dev_builds_draw_no_cards_but_keep_the_meta(tmp_path: Path) -> None:
    build(write_site(tmp_path), tmp_path / "site", options=BuildOptions(dev=True))
    assert not list((tmp_path / "site").rglob("og.png"))
    page = parse_html(tmp_path / "site" / "en" / "sessions" / "opening" / "index.html")
    assert meta(page, "og:image") == [f"{BASE}en/sessions/opening/og.png"]  # the published site's URL


# Lines in the scripts of the Busan editions, with marks above and below the letters (Thai tone marks,
# Khmer and Myanmar stacked consonants) that reach outside a line's nominal height.
REPEATED_LINES = {
    "en": "Room 203, BEXCO Convention Hall",
    "ko": "25일(월) 오후 2:00 – 오후 3:30 · 컨벤션홀 203호",
    "th": "ห้องประชุม ๒๐๓ ศูนย์ประชุมเบ็กซ์โก้ ปูซาน",
    "km": "សាលប្រជុំ ២០៣ មជ្ឈមណ្ឌលសន្និសីទ",
    "my": "အစည်းအဝေးခန်းမ ၂၀၃ ဘူဆန်မြို့",
}


def repeated_line(lang: str) -> og.Line:
    text = REPEATED_LINES[lang]
    face = fonts.font_for(text, (lang,))
    if face is None:
        pytest.skip(f"no font on this machine covers {lang}")
    return og.Line(text, lang, face, 30)


@pytest.mark.parametrize("lang", sorted(REPEATED_LINES))
@pytest.mark.parametrize("y", [400, 0, 610, -12])  # in the card, at the top edge, cut by the bottom and the top
def test_a_copied_line_has_the_pixels_of_a_drawn_one(lang: str, y: int) -> None:
    line = repeated_line(lang)
    drawn, copied = (Image.new("L", (og.WIDTH, og.HEIGHT), 0) for _ in range(2))
    after_drawn = og._text(ImageDraw.Draw(drawn), line, line.text, y, og.DIM, og.MARGIN, og.WIDTH - og.MARGIN)
    for _ in range(2):  # the second time from the kept strip
        copied.paste(0, (0, 0, og.WIDTH, og.HEIGHT))
        after_copied = og._repeated_text(copied, ImageDraw.Draw(copied), line, line.text, y, og.DIM, og.MARGIN, og.WIDTH - og.MARGIN)
        assert after_copied == after_drawn
        assert copied.tobytes() == drawn.tobytes()
    assert drawn.getbbox() is not None  # something was drawn at all


@pytest.mark.parametrize("lang", ["th", "my"])
def test_a_line_over_drawn_pixels_is_drawn_not_copied(lang: str) -> None:
    """Drawing blends glyphs with what is under them; a copied strip would wipe it out."""
    line = repeated_line(lang)
    images = [Image.new("L", (og.WIDTH, og.HEIGHT), 0) for _ in range(2)]
    for image in images:
        ImageDraw.Draw(image).rectangle((0, 395, og.WIDTH, 405), fill=120)  # something already there
    og._text(ImageDraw.Draw(images[0]), line, line.text, 380, 255, og.MARGIN, og.WIDTH - og.MARGIN)
    og._repeated_text(images[1], ImageDraw.Draw(images[1]), line, line.text, 380, 255, og.MARGIN, og.WIDTH - og.MARGIN)
    assert images[1].tobytes() == images[0].tobytes()
    assert images[1].getpixel((5, 400)) == 120  # the rectangle outside the glyphs survives


def test_cards_sharing_a_room_still_differ_by_their_titles() -> None:
    """The copied line goes only where it belongs: two cards with one room keep their own titles."""
    room = repeated_line("th")
    title_face = fonts.font_for("Opening ceremony", ("en",), bold=True)
    assert title_face is not None
    cards = [
        og.Card("u", "p", "a", None, og.Line(title, "en", title_face, og.TITLE_SIZES[0], True), None, room)
        for title in ("Opening ceremony", "Closing ceremony")
    ]
    first, second = (Image.open(io.BytesIO(og.draw(card))) for card in cards)
    assert first.tobytes() != second.tobytes()
    # The bottom lines (the room) are the same pixels on both.
    bottom = (0, og.HEIGHT - og.MARGIN - 60, og.WIDTH, og.HEIGHT)
    assert first.crop(bottom).tobytes() == second.crop(bottom).tobytes()


def test_a_coverage_answers_as_the_set_of_its_code_points_would() -> None:
    """fonts.Coverage keeps runs and looks code points up by bisection: the same answers as a set."""
    import random

    generator = random.Random(19)
    for _ in range(200):
        points = frozenset(generator.sample(range(0, 400), generator.randint(0, 120)))
        covered = fonts.Coverage.of(points)
        assert len(covered) == len(points)
        assert covered == fonts.Coverage(fonts._runs(points)) and fonts._are_runs(covered.runs)
        for code in range(-2, 402):
            assert (code in covered) == (code in points), code
        needed = frozenset(generator.sample(range(0, 400), generator.randint(0, 5)))
        assert covered.covers(needed) == (needed <= points)
    # A cache entry is taken only as runs bisection can look up in: in order, not overlapping, not empty.
    assert fonts._are_runs([[5, 9], [9, 12]]) and [code for code in range(15) if code in fonts.Coverage([[5, 9], [9, 12]])] == list(range(5, 12))
    assert not fonts._are_runs([[10, 12], [1, 3]]) and not fonts._are_runs([[1, 5], [4, 8]])
    assert not fonts._are_runs([[3, 3]]) and not fonts._are_runs([[1, True]]) and not fonts._are_runs({"1": 2})

