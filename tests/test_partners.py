"""Partners: the kind validates (a bad tier is a located error), renders grouped by tier on the home page
and on /<lang>/partners/ in two languages, appears in the menu only when there are partners, and names
them in the event's JSON-LD; the Busan host is there."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from PIL import Image

from eventsite.errors import BuildError

from .sitekit import SITE_YAML, build, parse_html, text_of, write_site


def png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGBA", (width, height), (11, 79, 138, 255)).save(buffer, "PNG")
    return buffer.getvalue()


def partner(name: str, tier: str, *extra: str) -> str:
    lines = "\n".join(extra)
    return f"---\nname: {name}\ntier: {tier}\n{lines}\n---\n"


PARTNERS = {
    "site.yaml": SITE_YAML.replace("nav: [schedule, exhibition, people, news, about]", "nav: [schedule, people, partners, about]"),
    "partners/ministry.md": partner("Test Ministry", "host", "logo: partners/ministry.png", 'url: "https://ministry.example.org/"'),
    "partners/ministry.ko.md": "---\nname: 시험부\n---\n",
    "partners/zeta-bank.md": partner("Zeta Bank", "supporter", "order: 1"),
    "partners/alpha-fund.md": partner("Alpha Fund", "supporter", "order: 2", "logo: partners/alpha.png"),
    "partners/city.md": partner("Test City", "supporter", "order: 1"),
    "partners/daily.md": partner("The Daily", "media"),
    "media/partners/ministry.png": png(720, 288),
    "media/partners/alpha.png": png(300, 300),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("partners")
    build(write_site(root, PARTNERS), root / "site")
    return root / "site"


def groups(tree, scope: str) -> list[tuple[str, list[str]]]:
    """(tier heading, the partners' names — a logo's alt text or the name shown) in page order."""
    found = []
    for section in tree.xpath(f"{scope}//section[@class='partner-tier']"):
        heading = section.xpath("h2|h3")[0]
        names = [item.xpath("string(.//img/@alt)") or text_of(item) for item in section.xpath(".//li[@class='partner']")]
        found.append((text_of(heading), names))
    return found


def test_the_partners_page_groups_by_tier_in_order(site: Path) -> None:
    english = parse_html(site / "en" / "partners" / "index.html")
    assert text_of(english.xpath("//h1")[0]) == "Partners"
    assert groups(english, "//main") == [
        ("Hosted by", ["Test Ministry"]),
        ("Supported by", ["Test City", "Zeta Bank", "Alpha Fund"]),  # by order, then by id
        ("Media partners", ["The Daily"]),
    ]
    korean = parse_html(site / "ko" / "partners" / "index.html")
    assert text_of(korean.xpath("//h1")[0]) == "협력 기관"
    assert groups(korean, "//main") == [
        ("주최", ["시험부"]),
        ("후원", ["Test City", "Zeta Bank", "Alpha Fund"]),
        ("미디어 협력사", ["The Daily"]),
    ]


def test_logos_have_their_size_thumbnails_and_the_name_as_alt(site: Path) -> None:
    tree = parse_html(site / "ko" / "partners" / "index.html")
    [ministry] = tree.xpath("//img[@alt='시험부']")
    assert ministry.get("class") == "partner-logo"
    assert (ministry.get("width"), ministry.get("height")) == ("720", "288")
    assert ministry.get("loading") == "lazy"
    assert ministry.get("lang") is None
    assert [part.split()[-1] for part in ministry.get("srcset").split(",")] == ["480w", "720w"]
    assert ministry.getparent().get("href") == "https://ministry.example.org/"
    [alpha] = tree.xpath("//img[@alt='Alpha Fund']")
    assert alpha.get("lang") == "en"  # the name is not translated: its language is marked
    assert alpha.get("srcset") is None and (alpha.get("width"), alpha.get("height")) == ("300", "300")
    # Without a logo or a website: the name, in a box of the same size.
    [city] = tree.xpath("//li[@class='partner'][normalize-space()='Test City']")
    assert city.xpath("span[@class='partner-box']/span[@class='partner-name']")


def test_the_home_page_shows_the_partners_under_one_heading(site: Path) -> None:
    for lang, heading, host in (("en", "Partners", "Hosted by"), ("ko", "협력 기관", "주최")):
        tree = parse_html(site / lang / "index.html")
        [section] = tree.xpath("//section[@class='partners']")
        assert text_of(section.xpath("h2")[0]) == heading
        found = groups(tree, "//section[@class='partners']")
        assert [tier for tier, _ in found][0] == host and len(found) == 3
        assert len(section.xpath(".//section[@class='partner-tier']/h3")) == 3


def test_the_menu_names_the_partners_page(site: Path) -> None:
    tree = parse_html(site / "ko" / "people" / "index.html")
    links = {text_of(a): a.get("href") for a in tree.xpath("//nav[@class='site-nav']//a")}
    assert links["협력 기관"] == "../partners/"


def test_the_event_names_its_partners_by_role(site: Path) -> None:
    tree = parse_html(site / "en" / "index.html")
    graph = json.loads(tree.xpath("//script[@type='application/ld+json']")[0].text)["@graph"]
    [event] = [node for node in graph if node["@type"] == "Event"]
    organizers = event["organizer"] if isinstance(event["organizer"], list) else [event["organizer"]]
    # site.yaml's organizer and the host ministry are the same organization: named once, with the logo.
    assert organizers == [
        {
            "@type": "Organization",
            "name": "Test Ministry",
            "url": "https://ministry.example.org/",
            "logo": "https://example.org/forum/media/partners/ministry.png",
        }
    ]
    assert [node["name"] for node in event["sponsor"]] == ["Test City", "Zeta Bank", "Alpha Fund", "The Daily"]
    assert "funder" not in event


def test_without_partners_there_is_no_page_menu_entry_or_section(tmp_path: Path) -> None:
    files = {"site.yaml": PARTNERS["site.yaml"]}
    build(write_site(tmp_path, files), tmp_path / "site")
    assert not (tmp_path / "site" / "en" / "partners").exists()
    tree = parse_html(tmp_path / "site" / "en" / "index.html")
    assert [a.get("href") for a in tree.xpath("//nav[@class='site-nav']//a")] == ["schedule/", "people/", "about/"]
    assert not tree.xpath("//section[@class='partners']")


def test_a_bad_tier_and_a_missing_logo_are_located_errors(tmp_path: Path) -> None:
    files = {
        "partners/acme.md": partner("Acme", "sponsor", "logo: partners/acme.png", "order: first"),
    }
    with pytest.raises(BuildError) as raised:
        build(write_site(tmp_path, files), tmp_path / "site")
    found = {(problem.path.rsplit("/", 1)[-1], problem.line): problem.message for problem in raised.value.problems}
    assert "tier" in found[("acme.md", 3)] and "host" in found[("acme.md", 3)]
    assert "order" in found[("acme.md", 5)]
    assert "acme.png" in found[("acme.md", 4)]


def test_busan_names_its_host(busan_site: Path) -> None:
    for lang, name, heading in (("en", "Ministry of the Interior and Safety, Republic of Korea", "Hosted by"), ("km", "ក្រសួងមហាផ្ទៃ និងសុវត្ថិភាព នៃសាធារណរដ្ឋកូរ៉េ", "ម្ចាស់ផ្ទះ")):
        tree = parse_html(busan_site / lang / "partners" / "index.html")
        assert groups(tree, "//main") == [(heading, [name])]
        [logo] = tree.xpath("//img[@class='partner-logo']")
        assert logo.get("srcset") and logo.get("width") == "720"


def test_the_first_partner_adds_the_page_and_the_menu_entry_incrementally(tmp_path: Path) -> None:
    from eventsite.build import Project, build_site
    from eventsite.incremental import IncrementalBuilder
    from eventsite.publish import BuildOptions
    from eventsite.theme import Theme

    from .sitekit import PROJECT_ROOT, snapshot

    def project(output: str) -> Project:
        return Project(content=content, output=tmp_path / output, theme=Theme(PROJECT_ROOT / "templates", PROJECT_ROOT / "locales"))

    content = write_site(tmp_path, {"site.yaml": PARTNERS["site.yaml"]})
    builder = IncrementalBuilder(project("site"))
    builder.full_build()
    first = content / "partners" / "daily.md"
    first.parent.mkdir()
    first.write_text(PARTNERS["partners/daily.md"], encoding="utf-8")
    update = builder.update({first})
    assert {"en/partners/index.html", "en/people/index.html", "ko/index.html"} <= set(update.written)
    build_site(project("reference"), options=BuildOptions(dev=True))
    assert snapshot(tmp_path / "site") == snapshot(tmp_path / "reference")

    first.unlink()
    builder.update({first})
    assert not (tmp_path / "site" / "en" / "partners").exists()
    assert "partners/" not in (tmp_path / "site" / "en" / "people" / "index.html").read_text()
