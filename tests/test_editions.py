"""Every edition wholly in its own language: complete catalogs, no English interface text labelled as
another language, official country names, one calendar, languages CLDR lacks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from lxml import etree

from eventsite import l10n
from eventsite.translations.catalogs import shipped_languages

from .sitekit import PROJECT_ROOT, SITE_YAML, build, busan_with_languages, parse_html, text_of, write_site

LOCALES = PROJECT_ROOT / "locales"
BUSAN_LANGUAGES = ("ko", "th", "vi", "id", "ms", "km", "lo", "my", "fil")
UN_AND_MORE = ("ar", "zh", "fr", "ru", "es", "ja", "de", "pt")


# --- the catalogs ------------------------------------------------------------------------------


def catalog_problems(path: Path, lang: str) -> list[str]:
    """What keeps a catalog from being complete: untranslated, fuzzy or plural-incomplete messages, broken placeholders."""
    catalog = l10n.read_catalog(path, lang)
    found = []
    for message in catalog:
        if not message.id:
            continue
        key = message.id[0] if isinstance(message.id, (tuple, list)) else message.id
        if message.fuzzy:
            found.append(f"fuzzy: {key!r}")
        elif not l10n.is_translated(message, catalog.num_plurals):
            found.append(f"untranslated or plural-incomplete: {key!r}")
    for message, errors in catalog.check():
        found += [f"{message.id!r}: {error}" for error in errors]
    return found


def test_the_generator_ships_complete_catalogs_for_the_busan_and_un_languages() -> None:
    assert set(BUSAN_LANGUAGES) | set(UN_AND_MORE) <= set(shipped_languages(LOCALES))


@pytest.mark.parametrize("lang", shipped_languages(LOCALES))
def test_every_shipped_catalog_is_complete(lang: str) -> None:
    assert catalog_problems(l10n.catalog_path(LOCALES, lang), lang) == []


def test_the_completeness_check_can_fail(tmp_path: Path) -> None:
    path = l10n.catalog_path(tmp_path, "fil")
    path.parent.mkdir(parents=True)
    path.write_text(
        'msgid ""\nmsgstr ""\n"Language: fil\\n"\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
        'msgid "Home"\nmsgstr ""\n\n#, fuzzy\nmsgid "News"\nmsgstr "Balita"\n\n'
        'msgid "%(count)s day"\nmsgid_plural "%(count)s days"\nmsgstr[0] "%(count)s araw"\nmsgstr[1] ""\n\n'
        '#, python-format\nmsgid "Shown in %(language)s"\nmsgstr "Ipinapakita sa %(wika)s"\n',
        encoding="utf-8",
    )
    found = catalog_problems(path, "fil")
    assert any("untranslated" in item and "'Home'" in item for item in found)
    assert any(item.startswith("fuzzy: 'News'") for item in found)
    assert any("plural-incomplete" in item and "day" in item for item in found)
    assert any("Shown in" in item and "placeholder" in item for item in found), found


# --- no English interface text on a page in another language -------------------------------------


def translated_messages(lang: str) -> set[str]:
    """The catalog's messages whose translation is not the English text itself (what must not show in English)."""
    catalog: Catalog = l10n.read_catalog(l10n.catalog_path(LOCALES, lang), lang)
    found = set()
    for message in catalog:
        if message.id and not isinstance(message.id, (tuple, list)) and "%(" not in message.id:
            if message.string and message.string != message.id:
                found.add(message.id)
    return found


def english_interface(site: Path, languages: tuple[str, ...]) -> list[tuple[str, str, str]]:
    """(page, language, text) of every catalog message shown in English in an element of another language."""
    messages = {lang: translated_messages(lang) for lang in languages}
    found = []
    for path in sorted(site.rglob("*.html")):
        tree = parse_html(path)
        for node in tree.xpath("//text()[normalize-space()] | //@aria-label | //@title | //@alt | //@placeholder"):
            owner = node.getparent()
            if getattr(node, "is_tail", False):
                owner = owner.getparent()
            if owner is None or owner.tag in ("script", "style"):
                continue
            lang = next((element.get("lang") for element in owner.iterancestors(etree.Element) if element.get("lang")), None)
            lang = owner.get("lang") or lang
            if lang not in messages:
                continue
            text = " ".join(str(node).split()).rstrip(":")
            if text in messages[lang]:
                found.append((path.relative_to(site).as_posix(), lang, text))
    return found


def site_in(*languages: str) -> dict[str, str | None]:
    """The fixture site's files with other languages than the fixture's Korean and Thai."""
    text = SITE_YAML.replace("languages: [en, ko, th]", f"languages: [{', '.join(languages)}]").replace("  ko: 테스트 포럼\n", "")
    text = text.replace("{en: Hall A, ko: A홀}", "{en: Hall A}").replace("{en: Korea, ko: 한국}", "{en: Korea}")
    return {"site.yaml": text, "sessions/opening.ko.md": None}


@pytest.fixture(scope="module")
def fixture_in_three_languages(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("fr-ar-km")
    content = write_site(root, site_in("en", "fr", "ar", "km"))
    build(content, root / "site")
    return root / "site"


@pytest.fixture(scope="module")
def busan_in_more_languages(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("busan-fr-ar")
    build(busan_with_languages(root, ["fr", "ar"]), root / "site")
    return root / "site"


def test_no_english_interface_on_the_fixture_in_french_arabic_and_khmer(fixture_in_three_languages: Path) -> None:
    assert english_interface(fixture_in_three_languages, ("fr", "ar", "km")) == []


def test_no_english_interface_on_the_busan_site(busan_site: Path, busan_in_more_languages: Path) -> None:
    assert english_interface(busan_site, BUSAN_LANGUAGES) == []
    assert english_interface(busan_in_more_languages, ("fr", "ar", "km")) == []


def test_the_english_interface_check_can_fail(tmp_path: Path) -> None:
    """A Khmer catalog that lacks 'Skip to content' and 'Speakers': the English shows, labelled Khmer, and is found."""
    from eventsite.build import Project, build_site
    from eventsite.theme import Theme

    locales = tmp_path / "locales"
    source = l10n.catalog_path(LOCALES, "km").read_text(encoding="utf-8")
    for msgid in ("Skip to content", "Speakers"):
        source = re.sub(rf'(msgid "{msgid}"\nmsgstr )"[^"]*"', r'\1""', source)
    target = l10n.catalog_path(locales, "km")
    target.parent.mkdir(parents=True)
    target.write_text(source, encoding="utf-8")
    content = write_site(tmp_path, site_in("en", "km"))
    build_site(Project(content, tmp_path / "site", Theme(PROJECT_ROOT / "templates", locales, layered=False)))
    found = {text for _, lang, text in english_interface(tmp_path / "site", ("km",))}
    assert {"Skip to content", "Speakers"} <= found


# --- official names, one calendar ------------------------------------------------------------------


def test_official_country_names_in_every_edition(busan_site: Path) -> None:
    home = parse_html(busan_site / "en" / "index.html")
    names = [text_of(item) for item in home.xpath("//ul[@class='country-list']/li")]
    assert "Republic of Korea" in names and "Lao PDR" in names and "Viet Nam" in names and "Myanmar" in names
    assert not [name for name in names if name in ("South Korea", "Laos", "Vietnam") or "Burma" in name]
    footer = text_of(home.xpath("//footer")[0])
    assert "Busan, Republic of Korea" in footer and "South Korea" not in footer
    thai = [text_of(item) for item in parse_html(busan_site / "th" / "index.html").xpath("//ul[@class='country-list']/li")]
    assert "สาธารณรัฐเกาหลี" in thai and "สปป. ลาว" in thai and not any("พม่า" in name for name in thai)
    for lang in BUSAN_LANGUAGES:
        page = (busan_site / lang / "people" / "index.html").read_text(encoding="utf-8")
        assert "(Burma)" not in page and "(พม่า)" not in page and "(ភូមា)" not in page, lang


def test_flags_are_pictures_next_to_their_names(busan_site: Path) -> None:
    page = parse_html(busan_site / "km" / "index.html")
    labels = page.xpath("//ul[@class='country-list']//span[@class='country']")
    assert len(labels) == 11
    for label in labels:
        (flag,) = label.xpath("img[@class='flag']")
        assert flag.get("alt") == "" and flag.get("src").endswith(".svg")
        assert not re.search("[\U0001F1E6-\U0001F1FF]", text_of(label))  # no regional-indicator emoji
    flags = sorted(path.name.split(".")[0] for path in (busan_site / "static" / "flags").iterdir())
    assert flags == ["bn", "id", "kh", "kr", "la", "mm", "my", "ph", "sg", "th", "vn"]  # only the flags shown


def test_one_calendar_per_edition(busan_site: Path) -> None:
    thai = (busan_site / "th" / "schedule" / "index.html").read_text(encoding="utf-8")
    visible = re.sub(r"<[^>]+>", " ", thai)
    assert "2562" in visible and not re.search(r"\b2019\b", visible.replace("2019-", "")), "Thai pages count years in the Buddhist era"
    assert "ค.ศ." not in thai
    news = parse_html(busan_site / "th" / "news" / "index.html")
    dates = [text_of(time) for time in news.xpath("//time")]
    assert dates and all("2562" in date and "พ.ศ." in date for date in dates)
    # Machine-readable dates stay Gregorian ISO.
    assert all(value.startswith("2019-") for value in news.xpath("//time/@datetime"))
    assert "DTSTART;TZID=Asia/Seoul:20191126T" in (busan_site / "th" / "schedule.ics").read_text(encoding="utf-8")
    # The English edition is British throughout.
    english = text_of(parse_html(busan_site / "en" / "index.html").xpath("//dl[@class='facts']")[0])
    assert "25–27 November 2019" in english.replace("\u2009", "") or "25 – 27 Nov 2019" in english


# --- languages CLDR lacks, regional formats -------------------------------------------------------


SAMOAN = site_in("en", "fr", "sm")
SAMOAN["site.yaml"] += "locales:\n  sm: {name: Gagana Sāmoa, english_name: Samoan, formats: en}\n"


def test_a_site_in_english_french_and_samoan(tmp_path: Path, capsys) -> None:
    from eventsite.cli import main

    content = write_site(tmp_path, SAMOAN)
    result = build(content, tmp_path / "site")
    assert any("CLDR has no data for Samoan (sm)" in warning.message for warning in result.warnings)
    french = parse_html(tmp_path / "site" / "fr" / "schedule" / "index.html")
    assert french.getroot().get("lang") == "fr"
    assert text_of(french.xpath("//a[contains(@class,'skip-link')]")[0]) == "Aller au contenu"
    assert english_interface(tmp_path / "site", ("fr",)) == []
    samoan = parse_html(tmp_path / "site" / "sm" / "index.html")
    assert samoan.getroot().get("lang") == "sm"
    switcher = {link.get("lang"): text_of(link) for link in samoan.xpath("//nav[@class='languages wrap']//a")}
    assert switcher["sm"] == "Gagana Sāmoa"
    code = main(["check", "--content", str(content)], root=tmp_path)
    out = capsys.readouterr().out
    assert code == 0
    assert "no interface catalog for Samoan (sm)" in out and "warning:" in out


def test_a_language_cldr_lacks_needs_its_declaration(tmp_path: Path) -> None:
    from eventsite.errors import BuildError

    content = write_site(tmp_path, {**SAMOAN, "site.yaml": SAMOAN["site.yaml"].split("locales:")[0]})
    with pytest.raises(BuildError) as caught:
        build(content, tmp_path / "site")
    (problem,) = [p for p in caught.value.problems if "sm" in p.message]
    assert problem.line == 4 and "locales: {sm: {name: …, formats: en}}" in problem.message  # the languages line
