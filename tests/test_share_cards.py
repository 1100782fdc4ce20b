"""Share cards on every page: og:image (1200×630 PNG), its size, twitter:card, and the JSON-LD image.

Cards are drawn for published builds only (PageKind.published_only): these tests build like a
release does. The pages that have none are the 404 pages (a host serves them at missing URLs).
"""

from __future__ import annotations

import io
import json
from collections import defaultdict
from pathlib import Path

import pytest
from PIL import Image

from eventsite.build import BuildResult

from .sitekit import SITE_YAML, build, parse_html, write_site
from .test_identity import png

BASE = "https://example.org/forum/"
NO_CARD = {"not-found", "not-found-root"}


def picture(colour: tuple[int, int, int], size: tuple[int, int]) -> bytes:
    stream = io.BytesIO()
    Image.new("RGB", size, colour).save(stream, "PNG")
    return stream.getvalue()


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> tuple[Path, BuildResult]:
    root = tmp_path_factory.mktemp("share")
    content = write_site(root, {
        "site.yaml": SITE_YAML + """\
colors: {primary: "#1d4e89"}
key_visual: {file: brand/key-visual.png, alt: Waves, focal_point: 20% 50%}
logo: {file: brand/emblem.png, alt: Emblem}
""",
        "media/brand/key-visual.png": picture((0x20, 0xA0, 0x60), (1600, 900)),
        "media/brand/emblem.png": png((200, 200)),
        "media/people/minister.png": picture((0xC0, 0x30, 0x30), (300, 400)),
        "people/minister.md": "---\nname: The Minister\nrole: Minister\ncountry: KR\nphoto: people/minister.png\n---\nBio.\n",
        "people/minister.ko.md": "---\nname: 장관\nrole: 장관\n---\n약력.\n",
    })
    result = build(content, root / "site")
    return root / "site", result


def near(pixel: tuple[int, ...], colour: tuple[int, int, int]) -> bool:
    """Cards with a picture are stored in 256 colours: a colour may move by a few levels."""
    return all(abs(a - b) <= 8 for a, b in zip(pixel, colour))


def meta(page, name: str) -> list[str]:
    return page.xpath(f"//meta[@property='{name}']/@content")


def card_file(built: Path, url: str) -> Path:
    assert url.startswith(BASE), url
    return built / url.removeprefix(BASE)


def graph(page) -> list[dict]:
    (data,) = page.xpath("//script[@type='application/ld+json']/text()")
    return json.loads(data)["@graph"]


def test_every_html_page_kind_has_a_card(site) -> None:
    built, result = site
    pages_by_kind: dict[str, list[str]] = defaultdict(list)
    for route in result.plan.routes:
        if route.kind.format in ("html", "not-found"):
            pages_by_kind[route.kind.name].append(route.output_path)
    assert set(pages_by_kind) - NO_CARD >= {
        "home", "schedule", "session", "people", "person", "exhibition", "exhibit", "news-index", "news", "page",
        "country", "search", "language-chooser",
    }
    for kind, paths in pages_by_kind.items():
        for path in paths:
            page = parse_html(built / path)
            images = meta(page, "og:image")
            if kind in NO_CARD:
                assert not images, path
                continue
            assert len(images) == 1, path
            assert meta(page, "og:image:width") == ["1200"] and meta(page, "og:image:height") == ["630"], path
            assert meta(page, "og:image:type") == ["image/png"] and meta(page, "og:image:alt")[0], path
            assert page.xpath("//meta[@name='twitter:card']/@content") == ["summary_large_image"], path
            with Image.open(card_file(built, images[0])) as image:
                assert image.format == "PNG" and image.size == (1200, 630), path


def test_cards_are_in_the_page_language_and_its_colours(site) -> None:
    built, _result = site
    en = (built / "en" / "people" / "og.png").read_bytes()
    ko = (built / "ko" / "people" / "og.png").read_bytes()
    assert en != ko  # 'People' and '사람들'… in each language
    with Image.open(io.BytesIO(ko)) as image:
        assert image.convert("RGB").getpixel((8, 8)) == (0x1D, 0x4E, 0x89)  # site.yaml colors.primary


def test_pictures_are_drawn_beside_the_texts(site) -> None:
    built, _result = site
    with Image.open(built / "ko" / "people" / "minister" / "og.png") as image:
        rgb = image.convert("RGB")
        assert near(rgb.getpixel((1100, 315)), (0xC0, 0x30, 0x30))  # the portrait fills the end of the card
        assert near(rgb.getpixel((8, 8)), (0x1D, 0x4E, 0x89))
    with Image.open(built / "en" / "og.png") as image:
        assert near(image.convert("RGB").getpixel((1000, 600)), (0x20, 0xA0, 0x60))  # the home page: the key visual
    with Image.open(built / "en" / "people" / "moderator" / "og.png") as image:
        assert image.convert("RGB").getpixel((1100, 315)) == (0x1D, 0x4E, 0x89)  # no photo: no panel


def test_the_root_page_shares_the_default_language_card(site) -> None:
    built, _result = site
    root = parse_html(built / "index.html")
    assert meta(root, "og:image") == [f"{BASE}og.png"]
    assert (built / "og.png").read_bytes() == (built / "en" / "og.png").read_bytes()


def test_json_ld_names_an_image_for_events_articles_and_people(site) -> None:
    built, _result = site
    home = graph(parse_html(built / "ko" / "index.html"))
    (event,) = [node for node in home if node["@type"] == "Event"]
    assert event["image"] == f"{BASE}ko/og.png"
    session = graph(parse_html(built / "en" / "sessions" / "opening" / "index.html"))[1]
    assert session["@type"] == "Event" and session["image"] == f"{BASE}en/sessions/opening/og.png"
    news = graph(parse_html(built / "en" / "news" / "launch" / "index.html"))[1]
    assert news["@type"] == "NewsArticle" and news["image"] == f"{BASE}en/news/launch/og.png"
    minister = graph(parse_html(built / "ko" / "people" / "minister" / "index.html"))[1]
    assert minister["@type"] == "Person" and minister["image"] == f"{BASE}media/people/minister.png"  # the portrait
    moderator = graph(parse_html(built / "en" / "people" / "moderator" / "index.html"))[1]
    assert moderator["image"] == f"{BASE}en/people/moderator/og.png"  # no portrait: the card


def test_the_busan_site_has_a_card_on_every_shared_page(busan_site: Path) -> None:
    pages = [path for path in busan_site.rglob("index.html")]
    assert len(pages) > 600
    checked: set[Path] = set()
    for path in pages:
        page = parse_html(path)
        (url,) = meta(page, "og:image")
        assert page.xpath("//meta[@name='twitter:card']/@content") == ["summary_large_image"], path
        card = card_file(busan_site, url.replace("https://forum.example.org/busan2019/", BASE))
        if card not in checked:
            with Image.open(card) as image:
                assert image.size == (1200, 630), card
            checked.add(card)
    assert len(checked) == len(pages)  # every page of the Busan site is translated: a card each
