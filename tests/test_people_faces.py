"""People with faces: a photo (thumbnails in srcset, real size, lazy) or initials on a colour from the id,
on person pages, the people index, the programme and session pages — over a fixture site and the Busan build."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from eventsite.errors import BuildError
from eventsite.kinds.person import first_letter, initials, tone

from .sitekit import build, parse_html, text_of, write_site


def jpeg(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (40, 90, 140)).save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


PHOTO_SITE = {
    "people/minister.md": """\
        ---
        name: The Minister
        role: Minister
        country: KR
        photo: people/minister.jpg
        ---
        Bio.
        """,
    "people/moderator.ko.md": """\
        ---
        name: 사회자
        ---
        사회를 맡습니다.
        """,
    "media/people/minister.jpg": jpeg(1000, 800),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("faces")
    build(write_site(root, PHOTO_SITE), root / "site")
    return root / "site"


# --- initials ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Chin Young", "CY"),  # cased scripts: first and last word
        ("Nguyễn Xuân Phúc", "NP"),
        ("Minister", "M"),
        ("진영", "진"),  # a Hangul syllable is one letter
        ("王毅", "王"),
        ("ប្រធានគណៈប្រតិភូថៃ", "ប្រ"),  # Khmer: the subscript consonant stays with its base (coeng)
        ("ស្រី", "ស្រី"),
        ("ဗီယက်နမ်နိုင်ငံ", "ဗီ"),  # Myanmar: the vowel sign stays with its consonant
        ("စင်္ကာပူ", "စ"),  # Myanmar: the kinzi (င်္) sits on the next consonant, not on this one
        ("หัวหน้าคณะผู้แทน", "หั"),  # Thai: the mark above stays
        ("เวียดนาม", "เวี"),  # Thai: a pre-base vowel is no initial on its own
        ("ໄຊ", "ໄຊ"),  # Lao, likewise
        ("محمد علي", "م"),
        ("   ", ""),
    ],
)
def test_initials_take_the_first_letter_as_a_reader_sees_it(name: str, expected: str) -> None:
    assert initials(name) == expected


def test_first_letter_never_ends_in_a_joiner() -> None:
    for word in ("ប្រ", "ក្ស", "သ္တ", "ក\u200dខ"):
        assert first_letter(word)[-1] not in "\u17d2\u1039\u200d"


def test_the_tone_is_stable_and_spread() -> None:
    assert tone("chin-young") == tone("chin-young")
    assert {tone(f"person-{n}") for n in range(60)} == set(range(6))


# --- a fixture site ------------------------------------------------------------------------------


def photo_of(tree, scope: str = "") -> list:
    return tree.xpath(f"{scope}//img[contains(concat(' ', @class, ' '), ' portrait ')]")


def initials_of(tree, scope: str = "") -> list:
    return tree.xpath(f"{scope}//span[contains(concat(' ', @class, ' '), ' initials ')]")


def assert_thumbnail(img, sizes: str) -> None:
    assert img.get("width") == "1000" and img.get("height") == "800"  # the real size: no layout shift
    assert img.get("loading") == "lazy"
    assert img.get("alt") == ""  # the name is right beside it: read once
    assert img.get("src").endswith("media/_thumbs/people/minister-480.jpg")
    candidates = [part.strip().rsplit(" ", 1) for part in img.get("srcset").split(",")]
    assert [width for _, width in candidates] == ["480w", "960w", "1000w"]
    assert candidates[-1][0].endswith("media/people/minister.jpg")
    assert img.get("sizes") == sizes


def assert_initials(span, letters: str, person_id: str) -> None:
    assert text_of(span) == letters
    assert span.get("aria-hidden") == "true"
    assert f"avatar-tone-{tone(person_id)}" in span.get("class").split()
    assert span.get("style") is None  # CSP: colours are classes


def test_person_pages_show_the_photo_or_the_initials(site: Path) -> None:
    minister = parse_html(site / "en" / "people" / "minister" / "index.html")
    [img] = photo_of(minister, "//main")
    assert_thumbnail(img, "10rem")
    assert "portrait-large" in img.get("class")
    assert img.getparent().xpath("h1")  # beside the name
    assert not initials_of(minister, "//main")
    assert (site / "media" / "_thumbs" / "people" / "minister-480.jpg").is_file()

    moderator = parse_html(site / "en" / "people" / "moderator" / "index.html")
    assert not photo_of(moderator, "//main")
    [span] = initials_of(moderator, "//main")
    assert_initials(span, "AM", "moderator")
    # In the page's script: the Korean page shows the Korean name's first letter.
    [korean] = initials_of(parse_html(site / "ko" / "people" / "moderator" / "index.html"), "//main")
    assert_initials(korean, "사", "moderator")
    # A Thai page without a Thai name shows the English name's initials, marked as English.
    [thai] = initials_of(parse_html(site / "th" / "people" / "moderator" / "index.html"), "//main")
    assert text_of(thai) == "AM" and thai.get("lang") == "en"


def test_the_people_index_has_a_face_for_everyone(site: Path) -> None:
    tree = parse_html(site / "en" / "people" / "index.html")
    items = tree.xpath("//ul[@class='people-list']/li")
    assert len(items) == 2
    for item in items:
        assert len(photo_of(item, ".") + initials_of(item, ".")) == 1
    [img] = photo_of(tree, "//main")
    assert_thumbnail(img, "2.5rem")
    [span] = initials_of(tree, "//main")
    assert_initials(span, "AM", "moderator")


def test_the_programme_and_session_pages_show_faces_beside_names(site: Path) -> None:
    programme = parse_html(site / "en" / "schedule" / "index.html")
    opening = programme.xpath("//article[@id='session-opening']")[0]
    [img] = photo_of(opening, ".")
    assert_thumbnail(img, "2.5rem")
    link = img.getparent()
    assert link.tag == "a" and link.get("href") == "../people/minister/"
    assert text_of(link) == "The Minister"  # one accessible name: the image adds nothing to it
    talk = programme.xpath("//article[@id='session-talk']")[0]
    [span] = initials_of(talk, ".")
    assert_initials(span, "AM", "moderator")

    session = parse_html(site / "ko" / "sessions" / "talk" / "index.html")
    [span] = initials_of(session, "//main")
    assert_initials(span, "사", "moderator")
    [img] = photo_of(parse_html(site / "en" / "sessions" / "opening" / "index.html"), "//main")
    assert_thumbnail(img, "2.5rem")


def test_a_photo_that_is_not_there_is_a_located_error(tmp_path: Path) -> None:
    files = {**PHOTO_SITE, "media/people/minister.jpg": None}
    with pytest.raises(BuildError) as raised:
        build(write_site(tmp_path, files), tmp_path / "site")
    [problem] = [problem for problem in raised.value.problems if "minister.jpg" in problem.message]
    assert problem.path.endswith("people/minister.md") and problem.line == 5


def test_a_photo_pillow_cannot_read_is_a_located_error(tmp_path: Path) -> None:
    files = {**PHOTO_SITE, "media/people/minister.jpg": b"not a picture"}
    with pytest.raises(BuildError) as raised:
        build(write_site(tmp_path, files), tmp_path / "site")
    [problem] = [problem for problem in raised.value.problems if "minister.jpg" in problem.message]
    assert problem.path.endswith("people/minister.md") and problem.line == 5


# --- the Busan site ------------------------------------------------------------------------------


def test_busan_people_have_sample_portraits_or_initials(busan_site: Path) -> None:
    for lang in ("en", "ko", "th", "km", "my"):
        tree = parse_html(busan_site / lang / "people" / "index.html")
        items = tree.xpath("//ul[@class='people-list']/li")
        assert len(items) == 15
        photos = [img for item in items for img in photo_of(item, ".")]
        assert len(photos) == 4
        for img in photos:
            assert img.get("srcset") and img.get("width") == "800" and img.get("loading") == "lazy" and img.get("alt") == ""
        for span in initials_of(tree, "//main"):
            letters = text_of(span)
            assert letters and letters[-1] not in "\u17d2\u1039"  # never a dangling stacking sign
    khmer = parse_html(busan_site / "km" / "people" / "head-of-delegation-thailand" / "index.html")
    assert [text_of(span) for span in initials_of(khmer, "//main")] == ["ប្រ"]
    korean = parse_html(busan_site / "ko" / "people" / "chin-young" / "index.html")
    [img] = photo_of(korean, "//main")
    assert img.get("src").endswith("_thumbs/people/chin-young-480.jpg")
