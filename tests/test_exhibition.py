"""Exhibits and the sessions that mention them: the sessions_by_exhibit index, its page and its rebuilds."""

from __future__ import annotations

from pathlib import Path

from eventsite.build import Project, build_site, load_site
from eventsite.incremental import IncrementalBuilder
from eventsite.publish import BuildOptions
from eventsite.entries import link_pattern
from eventsite.theme import Theme

from .sitekit import PROJECT_ROOT, parse_html, snapshot, text_of, write_site


def theme() -> Theme:
    return Theme(templates=PROJECT_ROOT / "templates", locales=PROJECT_ROOT / "locales")


def test_the_link_pattern() -> None:
    def ids(text: str) -> list[str]:
        return [match.group(1) for match in link_pattern("exhibits").finditer(text)]

    assert ids("See [5G](/exhibits/five-g/) and [it](/exhibits/five-g/#map).") == ["five-g", "five-g"]
    assert ids('[x]: /exhibits/ref-link/\n<a href="/th/exhibits/in-thai/">') == ["ref-link", "in-thai"]
    assert ids("(/exhibits/no-slash) (/exhibits/q?x=1)") == ["no-slash", "q"]
    assert ids("https://example.org/exhibits/elsewhere/ /media/exhibits/photo.jpg ../exhibits/rel/") == []


def test_busan_sessions_by_exhibit_reads_every_language() -> None:
    site = load_site(Project.at(PROJECT_ROOT))
    related = {key: [session.id for session in sessions] for key, sessions in site.index("sessions_by_exhibit").items()}
    assert related["disaster-response-5g"] == ["roundtable-session-2"]
    # Session 3 links to the corps only in its translations.
    assert "roundtable-session-3" in related["korea-asean-cooperation-corps"]
    assert set(related) <= {exhibit.id for exhibit in site.items("exhibit")}
    for sessions in site.index("sessions_by_exhibit").values():  # programme order
        assert list(sessions) == sorted(sessions, key=lambda s: (s.start, s.end, s.id))


def test_busan_exhibit_pages_list_related_sessions(busan_site: Path) -> None:
    tree_ = parse_html(busan_site / "th" / "exhibits" / "korea-asean-cooperation-corps" / "index.html")
    section = tree_.xpath("//section[contains(@class,'related-sessions')]")[0]
    assert text_of(section.xpath("h2")[0]) == "ช่วงการประชุมที่เกี่ยวข้อง"
    links = section.xpath(".//li/a/@href")
    assert links == [
        "../../sessions/bilateral-indonesia/", "../../sessions/bilateral-cambodia/",
        "../../sessions/roundtable-session-3/", "../../sessions/exhibition-day-3/",
    ]
    assert all(item.xpath(".//time/@datetime") for item in section.xpath(".//li"))


def test_a_new_mention_updates_the_exhibit_page_incrementally(tmp_path: Path) -> None:
    content = write_site(tmp_path)
    project = Project(content=content, output=tmp_path / "site", theme=theme())
    builder = IncrementalBuilder(project)
    builder.full_build()
    page = tmp_path / "site" / "en" / "exhibits" / "five-g" / "index.html"
    assert "related-sessions" not in page.read_text()

    talk = content / "sessions" / "talk.ko.md"
    talk.write_text("---\ntitle: 교통 토론\n---\n[5G 전시](/exhibits/five-g/)를 참고하세요.\n", encoding="utf-8")
    update = builder.update({talk})
    assert "en/exhibits/five-g/index.html" in update.written
    assert [text_of(a) for a in parse_html(page).xpath("//section[contains(@class,'related-sessions')]//a")] == ["Talk on smart traffic"]
    build_site(Project(content=content, output=tmp_path / "reference", theme=theme()), options=BuildOptions(dev=True))
    assert snapshot(tmp_path / "site") == snapshot(tmp_path / "reference")

    talk.unlink()
    update = builder.update({talk})
    assert "en/exhibits/five-g/index.html" in update.written
    assert "related-sessions" not in page.read_text()
