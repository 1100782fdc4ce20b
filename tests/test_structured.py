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


# --- kept nodes spliced in serialized (structured.dumps, the templates' json.dumps_function) -------------

def _plain(value):
    """The value with every JSONText read back as data, and every run's items in its list: what dumps must serialize."""
    from eventsite.structured import JSONRun, JSONText

    if isinstance(value, JSONText):
        return json.loads(value.text)
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        plain = []
        for item in value:
            if isinstance(item, JSONRun):
                plain.extend(json.loads(f"[{item.text}]"))
            else:
                plain.append(_plain(item))
        return plain
    return value


SPLICED_CASES = [
    {"@graph": [{"@type": "Event", "subEvent": ["NODE", "NODE"]}]},
    {"only": "NODE"},
    ["NODE", {"b": ["NODE", 1, None, True], "a": "x"}, "NODE"],
    # content that spells a stand-in (without the build's random token) is left alone
    {"name": "0123456789abcdef:0", "subEvent": ["NODE"], "quote": '"</script><!--', "ünïcode": "서울 กรุงเทพ"},
    # runs: a programme day's nodes as one part, beside single nodes and plain values
    {"@graph": [{"@type": "Event", "subEvent": ["RUN3", "RUN1", "NODE", {"x": 1}, "RUN2"]}]},
    [["RUN2"], "RUN1"],
]


@pytest.mark.parametrize("case", range(len(SPLICED_CASES)))
def test_kept_nodes_serialize_to_the_bytes_of_the_whole(case: int) -> None:
    from eventsite.structured import JSON_OPTIONS, JSONRun, dumps, serialized

    nodes = iter([
        {"@type": "Event", "name": f"Item {index} </script> & 'x'", "z": [1, 2.5, None], "a": {"b": "ไทย", "a": index}}
        for index in range(20)
    ])

    def filled(value):
        if value == "NODE":
            return serialized(next(nodes))
        if isinstance(value, str) and value.startswith("RUN"):
            return JSONRun.of([serialized(next(nodes)) for _ in range(int(value[3:]))])
        if isinstance(value, dict):
            return {key: filled(item) for key, item in value.items()}
        if isinstance(value, list):
            return [filled(item) for item in value]
        return value

    value = filled(SPLICED_CASES[case])
    assert dumps(value, **JSON_OPTIONS) == json.dumps(_plain(value), **JSON_OPTIONS)
    # Asked with other options (a theme's own |tojson settings), the texts are serialized that way.
    assert dumps(value, indent=2) == json.dumps(_plain(value), indent=2)


def test_tojson_escapes_spliced_nodes_like_the_rest() -> None:
    import jinja2

    from eventsite.structured import JSON_OPTIONS, dumps, serialized

    environment = jinja2.Environment(autoescape=True)
    environment.policies["json.dumps_kwargs"] = dict(JSON_OPTIONS)
    plain = environment.from_string("{{ value|tojson }}").render(value={"items": [{"title": "</script><b>&'"}]})
    environment.policies["json.dumps_function"] = dumps
    spliced = environment.from_string("{{ value|tojson }}").render(value={"items": [serialized({"title": "</script><b>&'"})]})
    assert spliced == plain
    assert "</script>" not in spliced


def test_anything_else_json_cannot_write_is_still_an_error() -> None:
    from eventsite.structured import JSON_OPTIONS, dumps

    with pytest.raises(TypeError, match="not JSON serializable"):
        dumps({"when": dt.date(2019, 11, 25)}, **JSON_OPTIONS)
