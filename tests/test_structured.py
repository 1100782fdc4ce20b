"""JSON-LD and Open Graph data, read back the way a crawler reads it."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from .sitekit import build, parse_html, write_site


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("structured")
    content = write_site(root, {"sessions/evil.md": '---\ntitle: "</script><script>alert(1)</script>"\nstart: "2019-11-26 16:00"\nend: "2019-11-26 17:00"\n---\n'})
    build(content, root / "site")
    return root / "site"


def graph(site: Path, path: str) -> list[dict]:
    tree = parse_html(site / path / "index.html")
    [script] = tree.xpath("//script[@type='application/ld+json']")
    data = json.loads(script.text)
    assert data["@context"] == "https://schema.org"
    return data["@graph"]


def of_type(nodes: list[dict], kind: str) -> list[dict]:
    return [node for node in nodes if node["@type"] == kind]


def test_home_has_the_event_with_every_session(built: Path) -> None:
    nodes = graph(built, "en")
    [website] = of_type(nodes, "WebSite")
    assert website["url"] == "https://example.org/forum/en/"
    [event] = of_type(nodes, "Event")
    names = {sub["name"] for sub in event["subEvent"]}
    assert {"Opening ceremony", "Talk on smart traffic"} <= names
    for sub in event["subEvent"]:
        start = dt.datetime.fromisoformat(sub["startDate"])
        assert start.utcoffset() == dt.timedelta(hours=9)
        assert sub["eventAttendanceMode"].endswith("OfflineEventAttendanceMode")
        assert sub["eventStatus"].endswith("EventScheduled")
    opening = next(sub for sub in event["subEvent"] if sub["name"] == "Opening ceremony")
    assert opening["startDate"] == "2019-11-25T09:00:00+09:00"
    assert opening["performer"][0]["name"] == "The Minister"
    assert opening["location"]["address"]["addressCountry"] == "KR"
    assert event["organizer"]["name"] == "Test Ministry"


def test_session_page_is_an_event_in_the_page_language(built: Path) -> None:
    nodes = graph(built, "ko/sessions/opening")
    [event] = of_type(nodes, "Event")
    assert event["name"] == "개회식" and event["inLanguage"] == "ko"
    assert event["superEvent"]["@id"] == "https://example.org/forum/ko/#event"
    [crumbs] = of_type(nodes, "BreadcrumbList")
    assert [item["position"] for item in crumbs["itemListElement"]] == [1, 2, 3]
    # a fallback page says which language its text is really in
    [fallback] = of_type(graph(built, "th/sessions/opening"), "Event")
    assert fallback["inLanguage"] == "en"


def test_person_news_and_exhibit_types(built: Path) -> None:
    assert of_type(graph(built, "en/people/minister"), "Person")[0]["jobTitle"] == "Minister"
    article = of_type(graph(built, "en/news/launch"), "NewsArticle")[0]
    assert article["datePublished"] == "2019-11-20"
    work = of_type(graph(built, "en/exhibits/five-g"), "CreativeWork")[0]
    assert work["isPartOf"]["@type"] == "ExhibitionEvent"
    assert of_type(graph(built, "en/exhibition"), "ExhibitionEvent")


def test_script_breaking_title_stays_data(built: Path) -> None:
    tree = parse_html(built / "en/sessions/evil/index.html")
    scripts = tree.xpath("//script")
    assert all(script.get("type") == "application/ld+json" or script.get("src") for script in scripts)
    [event] = of_type(graph(built, "en/sessions/evil"), "Event")
    assert event["name"] == "</script><script>alert(1)</script>"


def test_open_graph_locales(built: Path) -> None:
    tree = parse_html(built / "ko/sessions/opening/index.html")
    meta = {m.get("property"): m.get("content") for m in tree.xpath("//meta[@property]") if m.get("property") != "og:locale:alternate"}
    assert meta["og:locale"] == "ko_KR"
    assert meta["og:url"] == "https://example.org/forum/ko/sessions/opening/"
    assert meta["og:title"].startswith("개회식")
    alternates = tree.xpath("//meta[@property='og:locale:alternate']/@content")
    assert alternates == ["en_US"]
