"""Raster images: thumbnails for srcset, real sizes in width/height, located errors, caches that change nothing."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest
from PIL import Image

from eventsite.build import Project, build_site
from eventsite.errors import BuildError
from eventsite.images import THUMB_WIDTHS, make_thumbnail, thumbnail_path
from eventsite.incremental import IncrementalBuilder
from eventsite.publish import BuildOptions
from eventsite.theme import Theme

from .sitekit import PROJECT_ROOT, parse_html, snapshot, write_site

DEV = BuildOptions(dev=True)  # incremental output = a build without the publish-only steps


def picture(width: int, height: int, image_format: str = "JPEG", *, orientation: int | None = None, mode: str = "RGB") -> bytes:
    """A small synthetic picture with some structure (so that scaling is not trivial)."""
    image = Image.new(mode, (width, height), (230, 236, 242) if mode == "RGB" else 0)
    for index in range(0, width, 37):
        image.paste((11, 79, 138) if mode == "RGB" else 3, (index, 0, min(width, index + 9), height))
    out = io.BytesIO()
    options = {}
    if orientation is not None:
        exif = Image.Exif()
        exif[0x0112] = orientation
        options["exif"] = exif.tobytes()
    image.save(out, image_format, **options)
    return out.getvalue()


def exhibit(image: str, title: str = "5G disaster response") -> str:
    return (
        f"---\ntitle: {title}\nsection: korea\ncountry: KR\nimage: {image}\n"
        f"image_alt: \"Illustration: radio waves\"\n---\nExhibit body.\n"
    )


IMAGES: dict[str, bytes] = {
    "media/exhibits/big.jpg": picture(1200, 800),
    "media/exhibits/medium.png": picture(700, 500, "PNG"),
    "media/exhibits/exact.jpg": picture(960, 640),
    "media/exhibits/small.jpg": picture(300, 200),
    "media/exhibits/palette.png": picture(600, 400, "PNG", mode="P"),
    "media/floor-plan.pdf": b"%PDF-1.4\n% not an image\n",
    "media/notes.txt": b"plain text\n",
}
FILES: dict[str, str | bytes | None] = {
    **IMAGES,
    "exhibits/five-g.md": exhibit("exhibits/big.jpg"),
    "exhibits/customs.md": exhibit("exhibits/medium.png", "Customs"),
    "exhibits/traffic.md": exhibit("exhibits/small.jpg", "Traffic"),
}


def project(tmp_path: Path, content: Path, name: str = "site", cache: Path | None = None) -> Project:
    theme = Theme(templates=PROJECT_ROOT / "templates", locales=PROJECT_ROOT / "locales")
    return Project(content=content, output=tmp_path / name, theme=theme, cache=cache)


@pytest.fixture()
def built(tmp_path: Path) -> Path:
    content = write_site(tmp_path, FILES)
    build_site(project(tmp_path, content))
    return tmp_path / "site"


def size_of(path: Path) -> tuple[int, int]:
    with Image.open(path) as image:
        return image.size


# --- thumbnails -------------------------------------------------------------------------


def test_thumbnails_at_each_width_narrower_than_the_original(built: Path) -> None:
    thumbs = built / "media" / "_thumbs"
    assert size_of(thumbs / "exhibits/big-480.jpg") == (480, 320)
    assert size_of(thumbs / "exhibits/big-960.jpg") == (960, 640)
    assert size_of(thumbs / "exhibits/medium-480.png") == (480, 343)
    assert size_of(thumbs / "exhibits/palette-480.png") == (480, 320)
    # Never upscaled: no thumbnail as wide as (or wider than) the original.
    assert not (thumbs / "exhibits/medium-960.png").exists()
    assert not (thumbs / "exhibits/exact-960.jpg").exists() and (thumbs / "exhibits/exact-480.jpg").exists()
    assert not list(thumbs.glob("exhibits/small-*"))
    made = sorted(p.relative_to(thumbs).as_posix() for p in thumbs.rglob("*") if p.is_file())
    assert made == [
        "exhibits/big-480.jpg", "exhibits/big-960.jpg", "exhibits/exact-480.jpg",
        "exhibits/medium-480.png", "exhibits/palette-480.png",
    ]


def test_thumbnails_keep_the_format_and_carry_no_metadata(built: Path) -> None:
    thumbs = built / "media" / "_thumbs" / "exhibits"
    with Image.open(thumbs / "big-480.jpg") as image:
        assert image.format == "JPEG" and image.info.get("progressive")
        assert not image.getexif() and "exif" not in image.info
    with Image.open(thumbs / "medium-480.png") as image:
        assert image.format == "PNG" and not image.getexif()
        assert not {"tIME", "date:create", "date:modify"} & set(image.info)


def test_originals_are_copied_byte_for_byte_and_other_media_as_before(built: Path, tmp_path: Path) -> None:
    content = tmp_path / "content"
    for relative in IMAGES:
        assert (built / relative).read_bytes() == (content / relative).read_bytes(), relative
    assert not (built / "media" / "_thumbs" / "floor-plan-480.pdf").exists()
    assert not list((built / "media" / "_thumbs").glob("notes*"))


def test_same_bytes_in_every_build(tmp_path: Path) -> None:
    content = write_site(tmp_path, FILES)
    build_site(project(tmp_path, content, "first"))
    build_site(project(tmp_path, content, "second"))
    first, second = snapshot(tmp_path / "first"), snapshot(tmp_path / "second")
    assert first == second
    assert any(name.startswith("media/_thumbs/") for name in first)


def test_the_thumbnail_cache_never_changes_the_output(tmp_path: Path) -> None:
    content = write_site(tmp_path, FILES)
    cache = tmp_path / "cache"
    build_site(project(tmp_path, content, "uncached"))
    build_site(project(tmp_path, content, "cold", cache))
    entries = sorted(p for p in (cache / "thumbs").rglob("*") if p.is_file())
    assert len(entries) == 5  # one per thumbnail
    build_site(project(tmp_path, content, "warm", cache))
    # A damaged entry is a miss, never output.
    entries[0].write_bytes(entries[0].read_bytes()[:-100] + b"\0" * 100)
    entries[1].write_bytes(b"")
    build_site(project(tmp_path, content, "repaired", cache))
    reference = snapshot(tmp_path / "uncached")
    for name in ("cold", "warm", "repaired"):
        assert snapshot(tmp_path / name) == reference, name


def test_a_warm_cache_skips_the_work(tmp_path: Path, monkeypatch) -> None:
    content = write_site(tmp_path, FILES)
    cache = tmp_path / "cache"
    build_site(project(tmp_path, content, "cold", cache))
    import eventsite.images as images

    def refuse(*args, **kwargs):
        raise AssertionError("thumbnail made again despite a warm cache")

    monkeypatch.setattr(images, "make_thumbnail", refuse)
    build_site(project(tmp_path, content, "warm", cache))


def test_thumbnails_are_deterministic_in_process() -> None:
    source = picture(1200, 800)
    assert make_thumbnail(source, 480, 320) == make_thumbnail(source, 480, 320)


def test_exif_orientation_is_applied_to_sizes_and_thumbnails(tmp_path: Path) -> None:
    # Stored 1200×800 but marked "rotate 90°": browsers show it 800×1200.
    content = write_site(tmp_path, {"media/turned.jpg": picture(1200, 800, orientation=6), "exhibits/five-g.md": exhibit("turned.jpg")})
    build_site(project(tmp_path, content))
    site = tmp_path / "site"
    assert size_of(site / "media/_thumbs/turned-480.jpg") == (480, 720)
    img = parse_html(site / "en/exhibits/five-g/index.html").xpath("//img[contains(@class,'entry-image')]")[0]
    assert (img.get("width"), img.get("height")) == ("800", "1200")


# --- what pages say about images -------------------------------------------------------------


def srcset_candidates(value: str) -> list[tuple[str, int]]:
    found = []
    for candidate in value.split(","):
        url, width = candidate.split()
        assert width.endswith("w")
        found.append((url, int(width[:-1])))
    return found


def check_images_of(page: Path, site: Path) -> int:
    """Every exhibit picture on a page: width/height and each srcset width are the real files' sizes."""
    checked = 0
    for img in parse_html(page).xpath("//img[contains(@class,'entry-image')] | //article[contains(@class,'exhibit-card')]//img[not(contains(@class,'flag'))]"):
        src = (page.parent / img.get("src")).resolve()
        assert src.is_file(), img.get("src")
        original = None
        if img.get("srcset"):
            candidates = srcset_candidates(img.get("srcset"))
            for url, width in candidates:
                file = (page.parent / url).resolve()
                assert size_of(file)[0] == width, url
            original = (page.parent / candidates[-1][0]).resolve()
            assert "/_thumbs/" not in candidates[-1][0]
            assert img.get("sizes")
        else:
            original = src
        assert (int(img.get("width")), int(img.get("height"))) == size_of(original)
        assert img.get("decoding") == "async"
        checked += 1
    return checked


def test_width_height_and_srcset_match_the_files(built: Path) -> None:
    assert check_images_of(built / "en/exhibition/index.html", built) == 3
    assert check_images_of(built / "ko/exhibits/five-g/index.html", built) == 1
    cards = parse_html(built / "en/exhibition/index.html").xpath("//article[contains(@class,'exhibit-card')]//img[not(contains(@class,'flag'))]")
    assert all(img.get("loading") == "lazy" for img in cards)
    by_alt = {img.get("src").rsplit("/", 1)[-1]: img for img in cards}
    assert "big-480.jpg" in by_alt and "medium-480.png" in by_alt  # cards show the small file
    assert "small.jpg" in by_alt and by_alt["small.jpg"].get("srcset") is None  # nothing smaller to offer
    page = parse_html(built / "en/exhibits/five-g/index.html").xpath("//img[contains(@class,'entry-image')]")[0]
    assert page.get("src").endswith("_thumbs/exhibits/big-960.jpg")  # the large one on the exhibit's page
    assert page.get("loading") is None  # above the fold


def test_busan_exhibit_pictures(busan_site: Path) -> None:
    exhibits = sorted(p.stem for p in (PROJECT_ROOT / "content" / "exhibits").glob("*.md") if p.name.count(".") == 1)
    assert exhibits
    for exhibit_id in exhibits:
        original = busan_site / "media" / "exhibits" / f"{exhibit_id}.jpg"
        assert size_of(original) == (1200, 800)
        assert original.read_bytes() == (PROJECT_ROOT / "content/media/exhibits" / f"{exhibit_id}.jpg").read_bytes()
        for width in THUMB_WIDTHS:
            assert size_of(busan_site / "media" / thumbnail_path(f"exhibits/{exhibit_id}.jpg", width)) == (width, width * 2 // 3)
        assert check_images_of(busan_site / "th" / "exhibits" / exhibit_id / "index.html", busan_site) == 1
    assert check_images_of(busan_site / "en" / "exhibition" / "index.html", busan_site) == len(exhibits)


def test_busan_pictures_are_described_in_korean(busan_site: Path) -> None:
    for img in parse_html(busan_site / "ko" / "exhibition" / "index.html").xpath("//article[contains(@class,'exhibit-card')]//img[not(contains(@class,'flag'))]"):
        assert img.get("alt").startswith("일러스트:") and img.get("lang") is None


def test_an_alt_text_in_another_language_is_marked(built: Path) -> None:
    img = parse_html(built / "th/exhibition/index.html").xpath("//article[contains(@class,'exhibit-card')]//img[not(contains(@class,'flag'))]")[0]
    assert img.get("lang") == "en"


# --- mistakes -----------------------------------------------------------------------------


def test_an_exhibit_image_pillow_cannot_read_is_a_located_error(tmp_path: Path) -> None:
    content = write_site(tmp_path, {
        "media/broken.jpg": b"\xff\xd8\xff\xe0 this is not really a JPEG",
        "media/drawing.svg": b"<svg xmlns='http://www.w3.org/2000/svg'/>",
        "exhibits/five-g.md": exhibit("broken.jpg"),
        "exhibits/vector.md": exhibit("drawing.svg", "Vector"),
    })
    output = tmp_path / "site"
    output.mkdir()
    (output / "keep.html").write_text("previous build")
    with pytest.raises(BuildError) as raised:
        build_site(project(tmp_path, content))
    messages = [problem.format() for problem in raised.value.problems]
    assert "content/exhibits/five-g.md:5: media/broken.jpg is not an image Pillow can read" in messages
    assert "content/exhibits/vector.md:5: media/drawing.svg is not an image Pillow can read" in messages
    assert snapshot(output) == {"keep.html": b"previous build"}  # all or nothing


def test_an_unreadable_picture_nobody_shows_is_copied_with_a_warning(tmp_path: Path) -> None:
    content = write_site(tmp_path, {"media/odd.jpg": b"not a picture"})
    result = build_site(project(tmp_path, content))
    assert (tmp_path / "site/media/odd.jpg").read_bytes() == b"not a picture"
    assert any(p.path == "content/media/odd.jpg" and "Pillow" in p.message for p in result.warnings)


def test_the_thumbnail_folder_name_is_reserved(tmp_path: Path) -> None:
    content = write_site(tmp_path, {"media/_thumbs/x.jpg": picture(100, 100)})
    with pytest.raises(BuildError) as raised:
        build_site(project(tmp_path, content))
    assert [p.path for p in raised.value.problems] == ["content/media/_thumbs/x.jpg"]


# --- the dev server -------------------------------------------------------------------------


def test_a_changed_image_regenerates_its_thumbnails_and_pages(tmp_path: Path) -> None:
    content = write_site(tmp_path, FILES)
    builder = IncrementalBuilder(project(tmp_path, content))
    builder.full_build()
    output = tmp_path / "site"
    image = content / "media/exhibits/big.jpg"

    # Narrower and taller: new sizes in the pages, the 960 thumbnail goes.
    image.write_bytes(picture(800, 1000))
    update = builder.update({image})
    assert "en/exhibits/five-g/index.html" in update.written and "en/exhibition/index.html" in update.written
    assert "media/_thumbs/exhibits/big-480.jpg" in update.written
    assert "media/_thumbs/exhibits/big-960.jpg" in update.deleted
    assert size_of(output / "media/_thumbs/exhibits/big-480.jpg") == (480, 600)
    build_site(project(tmp_path, content, "reference"), options=DEV)  # as the dev server builds
    assert snapshot(output) == snapshot(tmp_path / "reference")
    shutil.rmtree(tmp_path / "reference")

    # Broken: nothing is written, the error names the exhibit; fixed: all caught up.
    before = snapshot(output)
    image.write_bytes(b"garbage")
    with pytest.raises(BuildError) as raised:
        builder.update({image})
    assert raised.value.problems[0].path == "content/exhibits/five-g.md"
    assert snapshot(output) == before
    image.write_bytes(picture(1600, 900))
    builder.update({image})
    build_site(project(tmp_path, content, "reference"), options=DEV)  # as the dev server builds
    assert snapshot(output) == snapshot(tmp_path / "reference")


def test_a_removed_image_takes_its_thumbnails_along(tmp_path: Path) -> None:
    content = write_site(tmp_path, {**FILES, "exhibits/traffic.md": exhibit("exhibits/big.jpg", "Traffic")})
    builder = IncrementalBuilder(project(tmp_path, content))
    builder.full_build()
    removed = content / "media/exhibits/medium.png"
    page = content / "exhibits/customs.md"
    removed.unlink()
    page.write_text(exhibit("exhibits/big.jpg", "Customs"))
    update = builder.update({removed, page})
    assert "media/_thumbs/exhibits/medium-480.png" in update.deleted
    build_site(project(tmp_path, content, "reference"), options=DEV)  # as the dev server builds
    assert snapshot(tmp_path / "site") == snapshot(tmp_path / "reference")


def test_page_html_has_no_width_without_an_image(built: Path) -> None:
    html = (built / "en/exhibition/index.html").read_text()
    assert not re.search(r'width="None"|srcset="None"', html)
