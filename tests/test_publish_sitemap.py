"""/sitemap.xml and /robots.txt: valid, only translated pages, reciprocal hreflang, base_url honoured."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from lxml import etree

from eventsite.build import Project, build_site
from eventsite.entries import front_fact
from eventsite.incremental import IncrementalBuilder
from eventsite.publish import BuildOptions
from eventsite.routes import ROUTES_FACT

from .sitekit import PROJECT_ROOT, build, parse_html, project_for, snapshot, write_site

SCHEMA = PROJECT_ROOT / "tests" / "data" / "sitemap-hreflang.xsd"  # sitemaps.org 0.9 + the xhtml:link element
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
BASE = "https://example.org/forum/"


def sitemap_of(site: Path) -> dict[str, dict]:
    """loc → {"lastmod": str | None, "alternates": {hreflang: href}}, validated against the schema first."""
    tree = etree.parse(str(site / "sitemap.xml"))
    schema = etree.XMLSchema(etree.parse(str(SCHEMA)))
    assert schema.validate(tree), schema.error_log
    found = {}
    for url in tree.getroot().iterfind("s:url", NS):
        loc = url.findtext("s:loc", namespaces=NS)
        assert loc not in found, f"{loc} listed twice"
        found[loc] = {
            "lastmod": url.findtext("s:lastmod", namespaces=NS),
            "alternates": {link.get("hreflang"): link.get("href") for link in url.iterfind("x:link", NS)},
        }
    return found


def assert_reciprocal(entries: dict[str, dict]) -> None:
    for loc, entry in entries.items():
        alternates = entry["alternates"]
        if not alternates:
            continue
        assert loc in alternates.values(), f"{loc} does not list itself"
        assert "x-default" in alternates, loc
        for hreflang, href in alternates.items():
            assert href in entries, f"{loc} → {hreflang} {href}: not in the sitemap"
            assert entries[href]["alternates"] == alternates, f"{loc} and {href} disagree about their alternates"


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("sitemap")
    content = write_site(root)
    build(content, root / "site")
    return root / "site"


def test_sitemap_is_valid_and_lists_only_translated_pages(fixture_site: Path) -> None:
    entries = sitemap_of(fixture_site)
    assert f"{BASE}en/sessions/talk/" in entries
    assert f"{BASE}ko/sessions/opening/" in entries  # translated into Korean
    assert f"{BASE}ko/sessions/talk/" not in entries  # English text under /ko/: canonical is /en/
    assert f"{BASE}th/sessions/opening/" not in entries
    assert f"{BASE}th/schedule/" in entries  # listings exist in every language
    assert f"{BASE}" in entries  # the language chooser
    assert not any("404" in loc for loc in entries)
    assert not any(loc.endswith((".ics", ".xml", ".json")) for loc in entries)
    assert all(loc.startswith(BASE) for loc in entries)
    assert_reciprocal(entries)
    assert entries[f"{BASE}en/sessions/opening/"]["alternates"] == {
        "en": f"{BASE}en/sessions/opening/", "ko": f"{BASE}ko/sessions/opening/", "x-default": f"{BASE}en/sessions/opening/",
    }


def test_sitemap_says_what_the_pages_say(fixture_site: Path) -> None:
    """Every listed page is its own canonical, with the same hreflang links; no unlisted page claims to be canonical."""
    entries = sitemap_of(fixture_site)
    for loc, entry in entries.items():
        page = parse_html(fixture_site / loc[len(BASE):] / "index.html")
        assert page.xpath("//link[@rel='canonical']/@href") == [loc]
        links = {link.get("hreflang"): link.get("href") for link in page.xpath("//link[@rel='alternate'][@hreflang]")}
        assert links == entry["alternates"], loc
    assert_listed_iff_own_canonical(fixture_site, BASE, entries)


def test_lastmod_comes_from_the_content_and_the_file_is_reproducible(fixture_site: Path, tmp_path: Path) -> None:
    entries = sitemap_of(fixture_site)
    assert entries[f"{BASE}en/news/launch/"]["lastmod"] == "2019-11-20"
    assert entries[f"{BASE}ko/news/"]["lastmod"] == "2019-11-20"  # the newest news item
    assert entries[f"{BASE}en/sessions/opening/"]["lastmod"] is None
    again = tmp_path / "again"
    build(write_site(tmp_path), again)
    assert (again / "sitemap.xml").read_bytes() == (fixture_site / "sitemap.xml").read_bytes()


def test_robots_points_to_the_sitemap(fixture_site: Path) -> None:
    robots = (fixture_site / "robots.txt").read_text(encoding="utf-8")
    assert "User-agent: *" in robots
    assert f"Sitemap: {BASE}sitemap.xml" in robots.splitlines()
    assert "host" in robots  # under a sub-path: says where the Sitemap line must go


def test_base_url_with_another_sub_path_is_honoured(tmp_path: Path) -> None:
    content = write_site(tmp_path)
    build_site(project_for(content, tmp_path / "site", base_url="https://preview.example.net/pr-7"))
    entries = sitemap_of(tmp_path / "site")
    assert entries and all(loc.startswith("https://preview.example.net/pr-7/") for loc in entries)
    assert_reciprocal(entries)
    robots = (tmp_path / "site" / "robots.txt").read_text(encoding="utf-8")
    assert "Sitemap: https://preview.example.net/pr-7/sitemap.xml" in robots


def test_site_at_the_host_root_needs_no_robots_note(tmp_path: Path) -> None:
    content = write_site(tmp_path)
    build_site(project_for(content, tmp_path / "site", base_url="https://forum.example.org/"))
    robots = (tmp_path / "site" / "robots.txt").read_text(encoding="utf-8")
    assert robots == "User-agent: *\nAllow: /\n\nSitemap: https://forum.example.org/sitemap.xml\n"


def test_the_dev_server_keeps_the_sitemap_current(tmp_path: Path) -> None:
    """A new translation, a new news item, a deleted one: the sitemap follows, byte for byte a full build's."""
    content = write_site(tmp_path)
    project = Project.at(PROJECT_ROOT, content=content, output=tmp_path / "site")
    builder = IncrementalBuilder(project)
    builder.full_build()
    edits = [
        (content / "sessions/talk.th.md", "---\ntitle: การบรรยาย\n---\nเนื้อหา\n"),
        (content / "news/later.md", '---\ntitle: Later\ndate: "2019-11-27"\n---\nText.\n'),
        (content / "news/launch.md", None),
    ]
    for path, text in edits:
        if text is None:
            path.unlink()
        else:
            path.write_text(text, encoding="utf-8")
        update = builder.update({path})
        assert "sitemap.xml" in update.written
        reference = tmp_path / "reference"
        build_site(Project.at(PROJECT_ROOT, content=content, output=reference), options=BuildOptions(dev=True))
        assert (project.output / "sitemap.xml").read_bytes() == (reference / "sitemap.xml").read_bytes()
        shutil.rmtree(reference)
    entries = sitemap_of(project.output)
    assert f"{BASE}th/sessions/talk/" in entries
    assert entries[f"{BASE}en/news/"]["lastmod"] == "2019-11-27"
    assert not any("/news/launch/" in loc for loc in entries)


def test_busan_sitemap(busan_site: Path) -> None:
    base = "https://forum.example.org/busan2019/"
    entries = sitemap_of(busan_site)
    assert_reciprocal(entries)
    assert all(loc.startswith(base) for loc in entries)
    indexable = assert_listed_iff_own_canonical(busan_site, base, entries)
    # The Busan content is translated into all its languages: every page is listed but the ones
    # not for search engines (room signs); that fallback pages stay out is tested on the fixture site above.
    assert len(entries) == indexable


def is_noindex(tree) -> bool:
    """The page asks search engines to leave it out (utility pages: the room signs)."""
    return any("noindex" in value for value in tree.xpath("//meta[@name='robots']/@content"))


def assert_listed_iff_own_canonical(site: Path, base: str, entries: dict[str, dict]) -> int:
    """A page is listed exactly when it names itself canonical (fallback pages name another).

    Returns how many pages do not ask to be left out (each page parsed once: html5lib is slow)."""
    indexable = 0
    for path in site.rglob("index.html"):
        tree = parse_html(path)
        canonical = tree.xpath("//link[@rel='canonical']/@href")
        own = base + path.parent.relative_to(site).as_posix() + "/" if path.parent != site else base
        if is_noindex(tree):
            assert own not in entries, f"{own} asks not to be indexed but is listed"
            continue
        indexable += 1
        if canonical and canonical[0] == own:
            assert own in entries, f"{own} is its own canonical but not in the sitemap"
        elif canonical:
            assert own not in entries, f"{own} is a fallback page (canonical {canonical[0]}) but is listed"
    return indexable


def test_the_sitemap_reads_an_items_date_and_languages_not_its_time(tmp_path: Path) -> None:
    """Moving a programme item does not render the sitemap again (it shows no time); a news date does."""
    content = write_site(tmp_path)
    project = Project.at(PROJECT_ROOT, content=content, output=tmp_path / "site")
    builder = IncrementalBuilder(project)
    builder.full_build()
    assert builder._state is not None
    index = builder._state.dependencies
    talk, launch = (content / "sessions/talk.md").resolve(), (content / "news/launch.md").resolve()
    assert "/sitemap.xml" not in index.readers(set(), {front_fact(talk)})
    assert "/en/schedule/" in index.readers(set(), {front_fact(talk)})
    assert "/sitemap.xml" in index.readers(set(), {front_fact(launch)})
    # Which pages exist, not the programme's order (the URLs are sorted).
    assert "/sitemap.xml" not in index.readers(set(), {"collection:session"})
    assert "/sitemap.xml" in index.readers(set(), {ROUTES_FACT})
    talk_file = content / "sessions/talk.md"
    talk_file.write_text(talk_file.read_text(encoding="utf-8").replace("2019-11-26 14:00", "2019-11-25 08:00")
                         .replace("2019-11-26 15:30", "2019-11-25 08:30"), encoding="utf-8")
    moved = builder.update({talk_file}).written
    assert "sitemap.xml" not in moved and "en/schedule/index.html" in moved, sorted(moved)
    launch_file = content / "news/launch.md"
    launch_file.write_text(launch_file.read_text(encoding="utf-8").replace("2019-11-20", "2019-10-20"), encoding="utf-8")
    assert "sitemap.xml" in builder.update({launch_file}).written
    reference = tmp_path / "reference"
    build_site(Project.at(PROJECT_ROOT, content=content, output=reference), options=BuildOptions(dev=True))
    assert (project.output / "sitemap.xml").read_bytes() == (reference / "sitemap.xml").read_bytes()
    assert snapshot(project.output) == snapshot(reference)


def test_the_urls_are_in_order_of_path_then_language(fixture_site: Path) -> None:
    """Independent of the programme's order: moving a session must not reorder (and so rewrite) the file."""
    locs = list(sitemap_of(fixture_site))
    keys = [(loc.removeprefix(BASE).partition("/")[2], loc.removeprefix(BASE).partition("/")[0]) for loc in locs]
    assert keys == sorted(keys)
