"""The event's identity (site.yaml logo, colors, key_visual): brand.css, icons, the header's logo,
the home page's key visual, and the contrast check that stops a build with unreadable colours."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from eventsite import brand
from eventsite.errors import BuildError

from .sitekit import SITE_YAML, build, parse_html, snapshot, write_site

IDENTITY = """\
logo:
  file: brand/emblem.png
  alt: {en: Forum emblem, ko: 포럼 엠블럼}
colors: {primary: "#1d4e89", accent: "#a4262c"}
key_visual:
  file: brand/key-visual.png
  alt: {en: Abstract waves, ko: 추상적인 물결}
  focal_point: 30% 70%
"""


def png(size: tuple[int, int], colour: str = "#1d4e89") -> bytes:
    image = Image.new("RGBA", size, (0, 0, 0, 0))
    ImageDraw.Draw(image).ellipse((4, 4, size[0] - 4, size[1] - 4), fill=colour)
    stream = io.BytesIO()
    image.save(stream, "PNG")
    return stream.getvalue()


def identity_site(root: Path, identity: str = IDENTITY) -> Path:
    return write_site(root, {
        "site.yaml": SITE_YAML + identity,
        "media/brand/emblem.png": png((400, 400)),
        "media/brand/key-visual.png": png((1600, 900), "#2a7ab0"),
    })


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("identity")
    build(identity_site(root), root / "site")
    return root / "site"


def static(site: Path, name: str) -> Path:
    """A file below static/ by its name before fingerprinting (static/brand.css → static/brand.1a2b3c4d.css)."""
    stem, suffix = name.rsplit(".", 1)
    (found,) = [p for p in (site / "static").iterdir() if re.fullmatch(rf"{re.escape(stem)}(\.[0-9a-f]{{8,}})?\.{suffix}", p.name)]
    return found


def named(href: str, name: str) -> bool:
    """Does a link name static/<name> (fingerprinted or not)?"""
    stem, suffix = name.rsplit(".", 1)
    return re.search(rf"static/{re.escape(stem)}(\.[0-9a-f]{{8,}})?\.{suffix}$", href) is not None


def links(page, rel: str) -> list[dict]:
    return [dict(link.attrib) for link in page.xpath(f"//head/link[@rel='{rel}']")]


@pytest.mark.parametrize("path", ["index.html", "en/index.html", "ko/schedule/index.html", "404.html", "th/404.html"])
def test_every_page_links_the_brand_stylesheet_after_the_theme(built: Path, path: str) -> None:
    page = parse_html(built / path)
    hrefs = [link["href"] for link in links(page, "stylesheet")]
    assert len(hrefs) == 2 and named(hrefs[0], "style.css") and named(hrefs[1], "brand.css")
    assert not page.xpath("//*[@style]") and not page.xpath("//style")  # the CSP allows no inline styles
    icons = {link["rel"] + " " + link.get("type", ""): link for link in (*links(page, "icon"), *links(page, "apple-touch-icon"))}
    assert named(icons["icon image/png"]["href"], "favicon.png") and icons["icon image/png"]["sizes"] == "48x48"
    assert named(icons["apple-touch-icon "]["href"], "touch-icon.png")


def test_brand_css_holds_the_colours_and_the_focal_point(built: Path) -> None:
    css = static(built, "brand.css").read_text()
    assert re.search(r"--brand: #1d4e89;", css) and "--accent: #a4262c;" in css
    dark = re.search(r"--brand-dark: (#[0-9a-f]{6});", css)
    assert dark and brand.contrast(dark.group(1), "#ffffff") > brand.contrast("#1d4e89", "#ffffff")
    assert ".key-visual img { object-position: 30% 70%; }" in css


def test_icons_are_made_from_the_logo(built: Path) -> None:
    touch = Image.open(static(built, "touch-icon.png"))
    assert touch.format == "PNG" and touch.size == (180, 180)
    assert touch.convert("RGB").getpixel((2, 2)) == (255, 255, 255)  # opaque: iOS would fill transparency black
    assert touch.convert("RGB").getpixel((90, 90)) == (0x1D, 0x4E, 0x89)
    assert Image.open(static(built, "favicon.png")).size == (48, 48)


@pytest.mark.parametrize("lang, alt", [("en", "Forum emblem"), ("ko", "포럼 엠블럼"), ("th", "Forum emblem")])
def test_the_header_shows_the_logo_with_its_alt_in_the_page_language(built: Path, lang: str, alt: str) -> None:
    page = parse_html(built / lang / "people" / "index.html")
    (logo,) = page.xpath("//header//a[contains(@class, 'brand')]/img[@class='brand-logo']")
    assert logo.get("alt") == alt and logo.get("src") == "../../media/brand/emblem.png"
    assert (logo.get("width"), logo.get("height")) == ("400", "400")


def test_the_home_page_shows_the_key_visual(built: Path) -> None:
    page = parse_html(built / "ko" / "index.html")
    (image,) = page.xpath("//main//figure[@class='key-visual']/img")
    assert image.get("alt") == "추상적인 물결" and (image.get("width"), image.get("height")) == ("1600", "900")
    assert "_thumbs/" in image.get("srcset") and image.get("sizes")
    assert not parse_html(built / "ko" / "schedule" / "index.html").xpath("//figure[@class='key-visual']")


def test_without_identity_the_theme_stays_as_it_was(tmp_path: Path) -> None:
    build(write_site(tmp_path), tmp_path / "site")
    page = parse_html(tmp_path / "site" / "en" / "index.html")
    (stylesheet,) = links(page, "stylesheet")
    assert named(stylesheet["href"], "style.css")
    (icon,) = links(page, "icon")
    assert named(icon.pop("href"), "favicon.svg") and icon == {"rel": "icon", "type": "image/svg+xml"}
    assert not links(page, "apple-touch-icon") and not page.xpath("//img[@class='brand-logo'] | //figure[@class='key-visual']")
    assert not list((tmp_path / "site" / "static").glob("brand.*"))


def test_an_svg_logo_is_the_favicon_and_its_raster_the_touch_icon(tmp_path: Path) -> None:
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle cx="5" cy="5" r="5" fill="#1d4e89"/></svg>'
    content = write_site(tmp_path, {
        "site.yaml": SITE_YAML + "logo: {file: emblem.svg, raster: emblem.png, alt: Emblem}\n",
        "media/emblem.svg": svg, "media/emblem.png": png((256, 256)),
    })
    build(content, tmp_path / "site")
    page = parse_html(tmp_path / "site" / "en" / "index.html")
    png_icon, svg_icon = links(page, "icon")
    assert named(png_icon["href"], "favicon.png") and svg_icon["href"] == "../media/emblem.svg"
    assert Image.open(static(tmp_path / "site", "touch-icon.png")).size == (180, 180)
    assert not list((tmp_path / "site" / "static").glob("brand.*"))  # a logo alone changes no colour


def test_contrast_follows_wcag() -> None:
    assert brand.contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert brand.contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # the classic just-failing grey
    assert brand.ratio_text(4.499) == "4.4:1" and brand.ratio_text(2.16) == "2.1:1"
    assert brand.contrast("#0b4f8a", "#ffffff") >= 4.5 and brand.contrast("#b3261e", "#ffffff") >= 4.5  # the theme's own


def test_colours_below_aa_stop_the_build_and_leave_the_site_as_it_was(tmp_path: Path) -> None:
    content = identity_site(tmp_path)
    build(content, tmp_path / "site")
    before = snapshot(tmp_path / "site")
    site_yaml = content / "site.yaml"
    text = site_yaml.read_text().replace('primary: "#1d4e89", accent: "#a4262c"', 'primary: "#aabbcc", accent: "#e07020"')
    site_yaml.write_text(text)
    with pytest.raises(BuildError) as raised:
        build(content, tmp_path / "site")
    line = 1 + text.splitlines().index('colors: {primary: "#aabbcc", accent: "#e07020"}')
    problems = raised.value.problems
    assert all(problem.path.endswith("content/site.yaml") and problem.line == line for problem in problems)
    messages = [str(problem) for problem in problems]
    assert f"{problems[0].path}:{line}: colour primary #aabbcc on #ffffff has contrast 1.9:1, below 4.5:1 (WCAG AA)" in messages
    assert f"{problems[0].path}:{line}: colour primary #aabbcc on #f3f5f8 has contrast 1.7:1, below 4.5:1 (WCAG AA)" in messages
    assert f"{problems[0].path}:{line}: colour accent #e07020 on #ffffff has contrast 3.2:1, below 4.5:1 (WCAG AA)" in messages
    assert snapshot(tmp_path / "site") == before


def test_missing_and_wrong_identity_files_are_reported_where_they_are_named(tmp_path: Path) -> None:
    content = write_site(tmp_path, {
        "site.yaml": SITE_YAML + "logo: {file: emblem.gif, alt: Emblem}\nkey_visual:\n  file: missing.jpg\n  alt: Waves\n",
        "media/emblem.gif": png((10, 10)),
    })
    with pytest.raises(BuildError) as raised:
        build(content, tmp_path / "site")
    messages = [problem.message for problem in raised.value.problems]
    assert "logo.file: media/emblem.gif is not SVG or PNG" in messages
    assert "key_visual.file: media/missing.jpg does not exist" in messages
    lines = {problem.message: problem.line for problem in raised.value.problems}
    assert lines["key_visual.file: media/missing.jpg does not exist"] == SITE_YAML.count("\n") + 3


def test_a_colour_must_be_hex(tmp_path: Path) -> None:
    content = write_site(tmp_path, {"site.yaml": SITE_YAML + "colors: {primary: navy}\n"})
    with pytest.raises(BuildError) as raised:
        build(content, tmp_path / "site")
    (problem,) = raised.value.problems
    assert problem.line == SITE_YAML.count("\n") + 1 and "'navy' is not a colour" in problem.message


def test_a_focal_point_is_two_percentages(tmp_path: Path) -> None:
    content = identity_site(tmp_path, IDENTITY.replace("focal_point: 30% 70%", "focal_point: 130% left"))
    with pytest.raises(BuildError) as raised:
        build(content, tmp_path / "site")
    (problem,) = raised.value.problems
    assert problem.line == SITE_YAML.count("\n") + IDENTITY.count("\n") and "'130% left' is not a point of the picture" in problem.message
