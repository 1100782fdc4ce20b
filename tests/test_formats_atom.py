"""Atom news feeds: one per language, in that language, with stable ids and absolute links."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest
from lxml import etree

from .sitekit import parse_html
from .test_formats_ics import EXTRA_FILES, LANGS, build_fixture, linked_file

A = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
BASE_URL = "https://example.org/forum/"

NEWS_FILES: dict[str, str | None] = {
    **EXTRA_FILES,
    "news/agenda.md": """\
        ---
        title: Agenda published
        date: "2019-11-22"
        summary: The agenda is out.
        ---
        Read [the programme](/schedule/) or [jump down](#details).

        ## Details
        More.
        """,
    "news/agenda.ko.md": """\
        ---
        title: 일정 발표
        summary: 일정이 나왔습니다.
        ---
        [프로그램](/schedule/)을 읽어 보세요.
        """,
}
NEWS_IDS = ["agenda", "launch"]  # newest first


@pytest.fixture(scope="module")
def news_site(tmp_path_factory) -> Path:
    return build_fixture(tmp_path_factory.mktemp("news"), NEWS_FILES)


def feed(site: Path, lang: str) -> etree._Element:
    return etree.parse(str(site / lang / "news" / "atom.xml")).getroot()


def output_file(site: Path, url: str) -> Path:
    assert url.startswith(BASE_URL), url
    path = url[len(BASE_URL):].split("#")[0]
    return site / (path + "index.html" if path.endswith("/") or not path else path)


def test_one_feed_per_language_with_one_entry_per_news_item(news_site: Path) -> None:
    for lang in LANGS:
        root = feed(news_site, lang)
        assert root.tag == f"{A}feed" and root.get(XML_LANG) == lang
        entries = root.findall(f"{A}entry")
        assert [output_file(news_site, e.find(f"{A}link[@rel='alternate']").get("href")).parent.name for e in entries] == NEWS_IDS
        for entry in entries:  # RFC 4287 4.1.2: id, title and updated are required
            assert entry.findtext(f"{A}id") and entry.findtext(f"{A}title") and entry.findtext(f"{A}updated")
        assert root.findtext(f"{A}author/{A}name") == "Test Ministry"


def test_entries_are_in_the_feed_language_with_fallbacks_marked(news_site: Path) -> None:
    def titles(lang: str) -> list[tuple[str, str | None]]:
        return [(e.findtext(f"{A}title"), e.find(f"{A}title").get(XML_LANG)) for e in feed(news_site, lang).iter(f"{A}entry")]

    assert titles("en") == [("Agenda published", None), ("Launch", None)]
    assert titles("ko") == [("일정 발표", None), ("Launch", "en")]
    assert titles("th") == [("Agenda published", "en"), ("Launch", "en")]
    ko_agenda = feed(news_site, "ko").find(f"{A}entry")
    assert ko_agenda.findtext(f"{A}summary") == "일정이 나왔습니다."
    assert "프로그램" in ko_agenda.findtext(f"{A}content")


def test_links_are_absolute_and_lead_to_pages_in_that_language(news_site: Path) -> None:
    for lang in LANGS:
        root = feed(news_site, lang)
        self_link = root.find(f"{A}link[@rel='self']").get("href")
        assert self_link == f"{BASE_URL}{lang}/news/atom.xml" and output_file(news_site, self_link).is_file()
        assert root.find(f"{A}link[@rel='alternate']").get("href") == f"{BASE_URL}{lang}/news/"
        for entry in root.iter(f"{A}entry"):
            page = entry.find(f"{A}link[@rel='alternate']").get("href")
            assert page.startswith(f"{BASE_URL}{lang}/news/") and output_file(news_site, page).is_file()
            content = entry.find(f"{A}content")
            assert content.get("type") == "html"
            body = lxml.html.fragment_fromstring(content.text, create_parent="div")
            hrefs = body.xpath("//@href | //@src")
            assert all(href.startswith("https://") for href in hrefs), hrefs
            if page.endswith("/agenda/"):
                assert f"{BASE_URL}{lang}/schedule/" in hrefs
    en_agenda = feed(news_site, "en").find(f"{A}entry")
    assert f"{BASE_URL}en/news/agenda/#details" in lxml.html.fragment_fromstring(en_agenda.findtext(f"{A}content"), create_parent="div").xpath("//@href")


def test_times_come_from_the_news_dates(news_site: Path) -> None:
    root = feed(news_site, "en")
    assert root.findtext(f"{A}updated") == "2019-11-22T00:00:00+09:00"  # the newest item, midnight in Seoul
    assert [e.findtext(f"{A}updated") for e in root.iter(f"{A}entry")] == ["2019-11-22T00:00:00+09:00", "2019-11-20T00:00:00+09:00"]


def test_ids_are_unique_and_stable_across_builds(tmp_path: Path, news_site: Path) -> None:
    again = build_fixture(tmp_path, NEWS_FILES)
    all_ids: list[str] = []
    for lang in LANGS:
        assert (again / lang / "news" / "atom.xml").read_bytes() == (news_site / lang / "news" / "atom.xml").read_bytes()
        all_ids += [feed(news_site, lang).findtext(f"{A}id")] + [e.findtext(f"{A}id") for e in feed(news_site, lang).iter(f"{A}entry")]
    assert len(all_ids) == len(set(all_ids)) == len(LANGS) * (1 + len(NEWS_IDS))
    assert all(item.startswith("tag:example.org,") for item in all_ids)


def test_a_site_without_news_has_an_empty_valid_feed(tmp_path: Path) -> None:
    site = build_fixture(tmp_path, {"news/launch.md": None})
    root = feed(site, "en")
    assert root.findall(f"{A}entry") == []
    assert root.findtext(f"{A}updated") == "2019-11-25T00:00:00+09:00"  # falls back to the event's first day


def test_every_page_announces_the_feed_of_its_language(news_site: Path) -> None:
    for lang in LANGS:
        for page in (news_site / lang / "index.html", news_site / lang / "sessions" / "talk" / "index.html"):
            (href,) = parse_html(page).xpath("//head/link[@rel='alternate'][@type='application/atom+xml']/@href")
            assert linked_file(page, href) == news_site / lang / "news" / "atom.xml"
        index = news_site / lang / "news" / "index.html"
        (visible,) = parse_html(index).xpath("//main//a[@type='application/atom+xml']/@href")
        assert linked_file(index, visible) == news_site / lang / "news" / "atom.xml"
