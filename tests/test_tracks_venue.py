"""Tracks (site.yaml ``tracks``, a session's ``track``) and the venue (``geo``, ``floor_plan``, rooms'
markers): what the pages, the generated stylesheet, JSON-LD and the schedule files say, and the
located errors for what is wrong. Over a small fixture site and the real Busan content."""

from __future__ import annotations

import io
import json
import re
import textwrap
from pathlib import Path

import jsonschema
import pytest
from lxml import etree
from PIL import Image

from eventsite.colours import contrast as contrast_ratio
from eventsite.errors import BuildError

from .sitekit import BASE_FILES, SHARED, SITE_YAML, build, parse_html, text_of, write_site

TRACKS_YAML = """\
tracks:
  main:
    color: "#0B5CAB"
    name: {en: Main programme, ko: 본 행사}
  side:
    color: "#a23b72"
    name: Side events
"""
VENUE = "venue: {name: Test Hall, city: Busan, country: KR}"
VENUE_WITH_MAP = """\
venue:
  name: Test Hall
  city: Busan
  country: KR
  geo: {lat: 35.1690, lon: 129.1361}
  floor_plan:
    image: venue/plan.png
    alt: {en: Plan of the test hall, ko: 테스트 홀 배치도}
"""
ROOMS = """\
rooms:
  hall-a: {name: {en: Hall A, ko: A홀}}
  hall-b: {name: Hall B}
"""
ROOMS_WITH_MARKERS = """\
rooms:
  hall-a: {name: {en: Hall A, ko: A홀}, marker: "1", location: {en: Level 2, ko: 2층}}
  hall-b: {name: Hall B}
"""


def plan_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (600, 400), (221, 230, 240)).save(out, format="PNG")
    return out.getvalue()


def site_yaml(tracks: str = TRACKS_YAML) -> str:
    text = SITE_YAML.replace(VENUE + "\n", VENUE_WITH_MAP).replace(ROOMS, ROOMS_WITH_MARKERS)
    assert "floor_plan" in text and 'marker: "1"' in text
    return text.replace("exhibition:\n", tracks + "exhibition:\n", 1)


def session(title: str, start: str, end: str, room: str, extra: str = "") -> str:
    return f'---\ntitle: {title}\nstart: "{start}"\nend: "{end}"\nkind: workshop\nroom: {room}\n{extra}---\nText.\n'


def with_tracks(opening_track: str = "main") -> dict[str, str | bytes | None]:
    """Opening (main) and a parallel side event (side) on day 1; the base's talk on day 2 has no track."""
    opening = textwrap.dedent(BASE_FILES["sessions/opening.md"]).replace("room: hall-a\n", f"track: {opening_track}\nroom: hall-a\n")
    return {
        "site.yaml": site_yaml(),
        "sessions/opening.md": opening,
        "sessions/side.md": session("Side event", "2019-11-25 09:30", "2019-11-25 10:30", "hall-b", "track: side\n"),
        "media/venue/plan.png": plan_png(),
    }



@pytest.fixture(scope="module")
def tracked_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("tracks")
    build(write_site(root, with_tracks()), root / "site")
    return root / "site"


@pytest.fixture(scope="module")
def plain_site(tmp_path_factory) -> Path:
    """The base fixture: no tracks, no map, no floor plan."""
    root = tmp_path_factory.mktemp("plain")
    build(write_site(root), root / "site")
    return root / "site"


def build_errors(tmp_path: Path, files: dict[str, str | bytes | None]) -> list[str]:
    with pytest.raises(BuildError) as raised:
        build(write_site(tmp_path, files), tmp_path / "site")
    return [problem.format() for problem in raised.value.problems]


def line_of(text: str, needle: str) -> int:
    return next(number for number, line in enumerate(text.split("\n"), 1) if needle in line)


# --- located errors ------------------------------------------------------------------------


def test_an_unknown_track_is_an_error_at_its_line(tmp_path: Path) -> None:
    files = with_tracks(opening_track="mian")
    errors = build_errors(tmp_path, files)
    line = line_of(files["sessions/opening.md"], "track:")  # type: ignore[arg-type]
    assert [error for error in errors if "track" in error] == [
        f"content/sessions/opening.md:{line}:8: unknown track 'mian' (tracks are listed in site.yaml) (did you mean 'main'?)"
    ]


@pytest.mark.parametrize(
    ("colour", "message"),
    [
        ("blue", "'blue' is not a colour: write it as # and six hex digits"),
        ("#0b5cab80", "is not a colour"),
        ("#f2a900", "#f2a900 is too light to see on the page's white (2.0:1; a track's colour bar needs 3:1)"),
    ],
)
def test_a_track_colour_must_be_hex_and_visible_on_white(tmp_path: Path, colour: str, message: str) -> None:
    files = with_tracks()
    files["site.yaml"] = site_yaml(TRACKS_YAML.replace('"#a23b72"', f'"{colour}"'))
    errors = build_errors(tmp_path, files)
    line = line_of(files["site.yaml"], colour)  # type: ignore[arg-type]
    assert len(errors) == 1 and errors[0].startswith(f"content/site.yaml:{line}:"), errors
    assert message in errors[0]


def test_contrast_ratio_is_wcag_s() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1)
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)  # the well-known AA grey


def test_a_missing_floor_plan_and_a_language_not_on_the_site_are_errors(tmp_path: Path) -> None:
    files = with_tracks()
    files["media/venue/plan.png"] = None
    files["site.yaml"] = site_yaml().replace("ko: 테스트 홀 배치도", "ko: 테스트 홀 배치도, vi: Sơ đồ")
    errors = build_errors(tmp_path, files)
    text = files["site.yaml"]
    assert f"content/site.yaml:{line_of(text, 'image: venue/plan.png')}:12: media/venue/plan.png does not exist" in errors  # type: ignore[arg-type]
    assert any("venue.floor_plan.alt: language 'vi' is not in languages" in error for error in errors), errors


def test_coordinates_must_be_on_the_earth(tmp_path: Path) -> None:
    files = with_tracks()
    files["site.yaml"] = site_yaml().replace("lat: 35.1690", "lat: 135.1690")
    errors = build_errors(tmp_path, files)
    assert len(errors) == 1 and "lat" in errors[0] and "less than or equal to 90" in errors[0], errors


# --- pages ---------------------------------------------------------------------------------


def test_the_generated_stylesheet_has_one_class_per_track(tracked_site: Path) -> None:
    css = (tracked_site / "tracks.css").read_text(encoding="utf-8")
    assert re.findall(r"^\.(track-[a-z0-9-]+) \{ --track-color: (#[0-9a-f]{6}); \}$", css, re.M) == [
        ("track-main", "#0b5cab"),  # written in lower case, as site.yaml's colour is normalized
        ("track-side", "#a23b72"),
    ]


def test_programme_cards_and_grid_cells_carry_their_track(tracked_site: Path) -> None:
    tree = parse_html(tracked_site / "en" / "schedule" / "index.html")
    assert tree.xpath("//head/link[@rel='stylesheet']/@href")[-1] == "../../tracks.css"
    card = tree.xpath("//article[@id='session-opening']")[0]
    assert {"has-tracks", "track-main"} <= set(card.get("class").split()) and card.get("data-track") == "main"
    assert text_of(card.xpath(".//*[@class='track-name']")[0]) == "Main programme"
    untracked = tree.xpath("//article[@id='session-talk']")[0]
    assert untracked.get("data-track") == "" and not [c for c in untracked.get("class").split() if c.startswith("track-")]
    cells = {text_of(cell.xpath("a")[0]): cell.get("class").split() for cell in tree.xpath("//td[contains(@class,'grid-session')]")}
    assert "track-main" in cells["Opening ceremony"] and "track-side" in cells["Side event"]
    region = tree.xpath("//div[@class='table-scroll']")[0]
    assert region.get("tabindex") == "0" and region.get("role") == "region"
    assert tree.xpath(f"//caption[@id='{region.get('aria-labelledby')}']")
    options = tree.xpath("//select[@name='track']/option")
    assert [(o.get("value"), text_of(o)) for o in options] == [("", "All tracks"), ("main", "Main programme"), ("side", "Side events")]
    assert not tree.xpath("//*[@style]")  # the policy forbids inline styles


def test_the_session_page_names_its_track_and_room_location(tracked_site: Path) -> None:
    tree = parse_html(tracked_site / "ko" / "sessions" / "opening" / "index.html")
    details = tree.xpath("//dl[contains(@class,'details')]")[0]
    assert "track-main" in details.get("class").split()
    rows = {text_of(row.xpath("dt")[0]): text_of(row.xpath("dd")[0]) for row in details.xpath("div")}
    assert rows["트랙"] == "본 행사"
    assert rows["장소"].startswith("A홀 (2층)")
    assert "tracks.css" in tree.xpath("//head/link[@rel='stylesheet']/@href")[-1]


def test_every_page_links_the_track_colours_where_cards_may_show(tracked_site: Path) -> None:
    for path in ("en/countries/kr/index.html", "ko/index.html", "en/404.html"):
        tree = parse_html(tracked_site / path)
        assert [href for href in tree.xpath("//head/link[@rel='stylesheet']/@href") if href.endswith("tracks.css")], path
    card = parse_html(tracked_site / "en" / "countries" / "kr" / "index.html").xpath("//article[@id='session-opening']")[0]
    assert "track-main" in card.get("class").split()


def test_without_tracks_nothing_changes(plain_site: Path) -> None:
    assert not (plain_site / "tracks.css").exists()
    tree = parse_html(plain_site / "en" / "schedule" / "index.html")
    assert not tree.xpath("//select[@name='track']") and not tree.xpath("//link[contains(@href,'tracks.css')]")
    assert not tree.xpath("//article[contains(@class,'has-tracks')]")
    home = parse_html(plain_site / "en" / "index.html")
    assert not home.xpath("//section[@id='venue']") and not home.xpath("//a[starts-with(@href,'geo:')]")


def test_home_page_links_the_venue_to_maps_and_shows_the_floor_plan(tracked_site: Path) -> None:
    osm = "https://www.openstreetmap.org/?mlat=35.169&mlon=129.1361#map=17/35.169/129.1361"
    for lang, alt, location in (("en", "Plan of the test hall", "Level 2"), ("ko", "테스트 홀 배치도", "2층")):
        tree = parse_html(tracked_site / lang / "index.html")
        venue = tree.xpath("//section[@id='venue']")[0]
        links = [a.get("href") for a in venue.xpath(".//a")]
        assert links == [osm, "geo:35.169,129.1361"]
        image = venue.xpath(".//div[@class='floor-plan']/img")[0]
        assert image.get("alt") == alt and (image.get("width"), image.get("height")) == ("600", "400")
        assert image.get("src").endswith("media/venue/plan.png")
        rooms = venue.xpath(".//ul[@class='room-locations']/li")
        assert text_of(rooms[0].xpath("*[@class='room-marker']")[0]) == "1"
        assert location in text_of(rooms[0])
        assert tree.xpath("//footer//a/@href")[-1] == osm
    assert (tracked_site / "media" / "venue" / "plan.png").is_file()


def test_json_ld_place_has_geo_coordinates(tracked_site: Path) -> None:
    for path in ("en/index.html", "en/sessions/opening/index.html"):
        tree = parse_html(tracked_site / path)
        graph = json.loads(tree.xpath("//script[@type='application/ld+json']")[0].text)["@graph"]
        event = next(node for node in graph if node["@type"] == "Event")
        assert event["location"]["geo"] == {"@type": "GeoCoordinates", "latitude": 35.169, "longitude": 129.1361}
        assert event["location"]["hasMap"].startswith("https://www.openstreetmap.org/?mlat=35.169&")


# --- schedule files ----------------------------------------------------------------------------


def test_schedule_xml_names_each_session_s_track(tracked_site: Path) -> None:
    xsd = SHARED / "schemas" / "schedule.xml.xsd"
    if not xsd.is_file():
        pytest.skip("../shared/schemas not present")
    tree = etree.parse(str(tracked_site / "schedule.xml"))
    schema = etree.XMLSchema(etree.parse(str(xsd)))
    assert schema.validate(tree), schema.error_log
    tracks = [(t.get("name"), t.get("slug"), t.get("color")) for t in tree.iterfind("conference/track")]
    assert tracks == [("Main programme", "main", "#0b5cab"), ("Side events", "side", "#a23b72"), ("Roundtable", "roundtable", None)]
    by_title = {event.findtext("title"): event.findtext("track") for event in tree.iterfind("day/room/event")}
    assert by_title == {"Opening ceremony": "Main programme", "Side event": "Side events", "Talk on smart traffic": "Roundtable"}


def test_schedule_json_lists_tracks_with_colours(tracked_site: Path) -> None:
    schema_path = SHARED / "schemas" / "schedule.json.schema.json"
    if not schema_path.is_file():
        pytest.skip("../shared/schemas not present")
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    data = json.loads((tracked_site / "schedule.json").read_text(encoding="utf-8"))
    validator = jsonschema.validators.validator_for(schema)(schema, format_checker=jsonschema.FormatChecker())
    assert not [error.message for error in validator.iter_errors(data)]
    conference = data["schedule"]["conference"]
    assert conference["tracks"] == [
        {"name": "Main programme", "slug": "main", "color": "#0b5cab"},
        {"name": "Side events", "slug": "side", "color": "#a23b72"},
        {"name": "Roundtable", "slug": "roundtable"},
    ]
    events = [event for day in conference["days"] for room in day["rooms"].values() for event in room]
    assert {event["title"]: event["track"] for event in events}["Side event"] == "Side events"


def test_a_kind_named_like_a_track_gets_its_own_slug(tmp_path: Path) -> None:
    files = with_tracks()
    files["site.yaml"] = site_yaml(TRACKS_YAML.replace("  side:", "  roundtable:"))
    files["sessions/side.md"] = session("Side event", "2019-11-25 09:30", "2019-11-25 10:30", "hall-b", "track: roundtable\n")
    build(write_site(tmp_path, files), tmp_path / "site")
    slugs = [t.get("slug") for t in etree.parse(str(tmp_path / "site" / "schedule.xml")).iterfind("conference/track")]
    assert slugs == ["main", "roundtable", "type-roundtable"]  # the untracked talk is a roundtable


# --- the real content --------------------------------------------------------------------------


def test_busan_tracks_venue_and_plan(busan_site: Path) -> None:
    tree = parse_html(busan_site / "th" / "schedule" / "index.html")
    tracks = {card.get("id"): card.get("data-track") for card in tree.xpath("//article[contains(@class,'session')]")}
    assert tracks["session-roundtable-session-1"] == "roundtable"
    assert tracks["session-exhibition-opening-ceremony"] == "exhibition"
    assert tracks["session-bilateral-lao-pdr"] == "bilateral"
    assert tracks["session-media-briefing"] == ""  # it covers both the roundtable and the exhibition
    assert [text_of(o) for o in tree.xpath("//select[@name='track']/option")][1] == "การประชุมโต๊ะกลมระดับรัฐมนตรี"
    for colour in re.findall(r"#[0-9a-f]{6}", (busan_site / "tracks.css").read_text(encoding="utf-8")):
        assert contrast_ratio(colour, "#ffffff") >= 4.5  # Busan's bars would even pass as text colours
    home = parse_html(busan_site / "km" / "index.html")
    image = home.xpath("//div[@class='floor-plan']/img")[0]
    assert image.get("alt").startswith("ប្លង់គំនូសសង្ខេបនៃ BEXCO") and image.get("srcset")
    markers = [text_of(m) for m in home.xpath("//ul[@class='room-locations']//*[@class='room-marker']")]
    assert markers == ["1", "2", "3", "4", "5"]
    lat, lon = map(float, home.xpath("//a[starts-with(@href,'geo:')]/@href")[0][4:].split(","))
    assert 35.16 < lat < 35.18 and 129.12 < lon < 129.15  # BEXCO, Centum City, Haeundae-gu
