"""UI catalogs: extraction, merging, the committed catalogs, and gettext fallback in pages."""

from __future__ import annotations

import io
import re
import textwrap
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from eventsite import l10n
from eventsite.translations import catalogs
from eventsite.translations import status as report
from eventsite.build import Project, build_site
from eventsite.cli import main
from eventsite.theme import Theme

from .sitekit import PROJECT_ROOT, parse_html, text_of, write_site

MAPPING = PROJECT_ROOT / "babel.cfg"
COMMITTED = PROJECT_ROOT / "locales"


def ids(catalog) -> set:
    return {(message.id, message.context) for message in catalog if message.id}


def po(lang: str, entries: str, plural_forms: str = "nplurals=1; plural=0;") -> str:
    header = f'msgid ""\nmsgstr ""\n"Language: {lang}\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Plural-Forms: {plural_forms}\\n"\n\n'
    return header + textwrap.dedent(entries)


def write_po(locales: Path, lang: str, text: str) -> Path:
    path = l10n.catalog_path(locales, lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --- extraction ------------------------------------------------------------------


@pytest.fixture(scope="module")
def template():
    return catalogs.extract_template(PROJECT_ROOT, MAPPING)


def test_extraction_finds_template_and_python_strings(template) -> None:
    found = {message.id: message for message in template if message.id}
    assert "Skip to content" in found  # a template string
    assert "Bilateral meeting" in found  # the session kind's KIND_LABELS, marked with _()
    locations = {path for path, _line in found["Programme"].locations}
    assert "eventsite/kinds/session.py" in locations  # the nav label of the kind's listing, _("Programme")
    assert any(path.startswith("templates/") for path in locations)
    notice = next(m for m in found if m.startswith("This page has not been translated"))
    assert "python-format" in found[notice].flags  # PO editors check the %(name)s placeholders
    assert not any(path.startswith(("tests/", "node_modules/", "content/")) for m in found.values() for path, _ in m.locations)


def test_extract_is_reproducible_and_creates_catalogs_for_site_languages(tmp_path: Path, capsys) -> None:
    write_site(tmp_path)  # languages: en, ko, th
    args = ["i18n", "extract", "--content", str(tmp_path / "content"), "--locales", str(tmp_path / "locales")]
    assert main(args, root=PROJECT_ROOT) == 0
    assert sorted(p.relative_to(tmp_path / "locales").as_posix() for p in (tmp_path / "locales").rglob("*.po*")) == [
        "ko/LC_MESSAGES/messages.po",
        "messages.pot",
        "th/LC_MESSAGES/messages.po",
    ]  # en is the templates' own text: no catalog
    first = {p: p.read_bytes() for p in (tmp_path / "locales").rglob("*.po*")}
    capsys.readouterr()
    assert main(args, root=PROJECT_ROOT) == 0
    assert capsys.readouterr().out.count("unchanged") == 3
    assert {p: p.read_bytes() for p in (tmp_path / "locales").rglob("*.po*")} == first
    assert main([*args, "--check"], root=PROJECT_ROOT) == 0

    pot = (tmp_path / "locales/messages.pot").read_text(encoding="utf-8")
    assert "POT-Creation-Date" not in pot and "PO-Revision-Date" not in pot and "Generated-By" not in pot
    assert not re.search(r"^#: .*:\d+", pot, re.MULTILINE)  # no line numbers to churn
    msgids = re.findall(r'^msgid "(.+)"$', pot, re.MULTILINE)
    assert msgids == sorted(msgids)
    th = (tmp_path / "locales/th/LC_MESSAGES/messages.po").read_text(encoding="utf-8")
    assert '"Language: th\\n"' in th and '"Plural-Forms: nplurals=1; plural=0;\\n"' in th


def test_merge_keeps_translations_and_the_translator_header(template) -> None:
    existing = po("th", """\
        msgid "Programme"
        msgstr "กำหนดการ"

        msgid "A string the templates no longer use"
        msgstr "สตริงเก่า"
        """).replace('"Language: th\\n"', '"Language: th\\n"\n"Last-Translator: Somchai <s@example.org>\\n"')
    merged = read_po(io.BytesIO(catalogs.merged_catalog_bytes(template, "th", existing.encode("utf-8"))))
    assert merged.get("Programme").string == "กำหนดการ"
    assert merged.get("A string the templates no longer use") is None
    assert merged.get("Skip to content") is not None and merged.get("Skip to content").string == ""
    assert merged.last_translator == "Somchai <s@example.org>"
    assert ids(merged) == ids(template)


def test_extract_check_fails_when_catalogs_are_stale(tmp_path: Path, capsys) -> None:
    write_site(tmp_path)
    args = ["i18n", "extract", "--content", str(tmp_path / "content"), "--locales", str(tmp_path / "locales")]
    assert main([*args, "--check"], root=PROJECT_ROOT) == 1  # nothing extracted yet
    assert not (tmp_path / "locales").exists()  # --check writes nothing
    assert "would be created" in capsys.readouterr().out


# --- the committed catalogs ------------------------------------------------------------------


def test_committed_catalogs_match_the_templates(template) -> None:
    """Fails after a template or views.py string changes: run `python3 build.py i18n extract`."""
    committed = report.read_template(COMMITTED)
    assert committed is not None, "no locales/messages.pot: run `python3 build.py i18n extract`"
    assert ids(committed) == ids(template), "locales/messages.pot is stale: run `python3 build.py i18n extract`"
    catalogs = sorted(COMMITTED.glob("*/LC_MESSAGES/messages.po"))
    assert {path.parts[-3] for path in catalogs} >= {"ko", "th", "vi", "id", "ms", "km", "lo", "my", "fil"}
    for path in catalogs:
        catalog = l10n.read_catalog(path, path.parts[-3])
        assert ids(catalog) == ids(template), f"{path} is stale: run `python3 build.py i18n extract`"


def test_committed_translations_keep_their_placeholders() -> None:
    for path in sorted(COMMITTED.glob("*/LC_MESSAGES/messages.po")):
        catalog = l10n.read_catalog(path, path.parts[-3])
        problems = [(message.id, errors) for message, errors in catalog.check() if message.string]
        assert problems == [], path
        for message in catalog:
            if message.id and message.string:
                assert not set("<>&") & set(str(message.string)), (path, message.id)  # inserted into HTML as is


# --- gettext at render time ------------------------------------------------------------------


def test_untranslated_string_falls_back_to_english_on_a_thai_page(tmp_path: Path) -> None:
    content = write_site(tmp_path)
    locales = tmp_path / "locales"
    write_po(locales, "th", po("th", """\
        msgid "Programme"
        msgstr "กำหนดการ"

        #, fuzzy
        msgid "Speakers"
        msgstr "วิทยากร"
        """))  # "Skip to content" is not in the catalog at all; "Speakers" is only fuzzy
    # This catalog alone (not over the default theme's, which translates everything).
    theme = Theme(templates=PROJECT_ROOT / "templates", locales=locales, layered=False)
    build_site(Project(content, tmp_path / "site", theme))
    tree = parse_html(tmp_path / "site/th/schedule/index.html")
    assert text_of(tree.xpath("//h1")[0]) == "กำหนดการ"
    assert text_of(tree.xpath("//a[contains(@class,'skip-link')]")[0]) == "Skip to content"
    labels = [text_of(label) for label in tree.xpath("//*[contains(@class,'session-people')]/span[@class='label']")]
    assert labels and all(label == "Speakers:" or label == "Moderators:" for label in labels)
    # The same catalog does not leak into other languages.
    ko = parse_html(tmp_path / "site/ko/schedule/index.html")
    assert text_of(ko.xpath("//h1")[0]) == "Programme"


def test_an_incomplete_plural_is_not_used(tmp_path: Path) -> None:
    # Filipino has two plural forms in CLDR, so msgstr[1] matters.
    write_po(tmp_path, "fil", po("fil", """\
        msgid "%(count)s session"
        msgid_plural "%(count)s sessions"
        msgstr[0] "%(count)s sesyon"
        msgstr[1] ""

        msgid "%(count)s day"
        msgid_plural "%(count)s days"
        msgstr[0] "%(count)s araw"
        msgstr[1] "%(count)s na araw"
        """, "nplurals=2; plural=(n != 1);"))
    translations = l10n.load_translations(tmp_path, ("en", "fil"))["fil"]
    assert translations.ngettext("%(count)s session", "%(count)s sessions", 1) == "%(count)s session"
    assert translations.ngettext("%(count)s session", "%(count)s sessions", 5) == "%(count)s sessions"
    assert translations.ngettext("%(count)s day", "%(count)s days", 1) == "%(count)s araw"
    # The status counts the incomplete plural as missing.
    template = read_po(io.BytesIO(po("fil", """\
        msgid "%(count)s session"
        msgid_plural "%(count)s sessions"
        msgstr[0] ""
        msgstr[1] ""

        msgid "%(count)s day"
        msgid_plural "%(count)s days"
        msgstr[0] ""
        msgstr[1] ""
        """).encode("utf-8")))
    status = report.ui_status(template, tmp_path, "fil")
    assert status.missing == ("%(count)s session",) and status.translated == 1


def test_ui_status_reports_missing_fuzzy_and_broken_translations(tmp_path: Path, template) -> None:
    notice = next(m.id for m in template if m.id and str(m.id).startswith("This page has not been translated"))
    write_po(tmp_path, "th", po("th", f"""\
        msgid "Programme"
        msgstr "กำหนดการ"

        #, fuzzy
        msgid "News"
        msgstr "ข่าวสาร"

        msgid "{notice}"
        msgstr "หน้านี้ยังไม่ได้แปลเป็นภาษา%(lang)s"
        """))
    status = report.ui_status(template, tmp_path, "th")
    assert status.exists and status.total == len(ids(template))
    assert "Programme" not in status.missing and "News" in status.missing
    assert status.translated == 2  # Programme and the (broken) notice
    assert len(status.errors) == 1 and "This page has not been translated" in status.errors[0]
    missing_catalog = report.ui_status(template, tmp_path, "ko")
    assert not missing_catalog.exists and missing_catalog.translated == 0


def test_extraction_problems_are_located_and_nothing_is_written(tmp_path: Path) -> None:
    from eventsite.errors import BuildError

    (tmp_path / "templates").mkdir()
    (tmp_path / "templates/good.html").write_text('{{ _("Fine") }}\n', encoding="utf-8")
    (tmp_path / "templates/bad.html").write_text('{{ _("Oops") }\n', encoding="utf-8")
    (tmp_path / "babel.cfg").write_text(MAPPING.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(BuildError) as raised:
        catalogs.extract_template(tmp_path, tmp_path / "babel.cfg")
    assert raised.value.problems[0].path == "templates/bad.html"

    (tmp_path / "templates/bad.html").unlink()
    locales = tmp_path / "locales"
    write_po(locales, "th", 'msgid "Fine"\nmsgstr "ดี"\nbogus line\n')
    with pytest.raises(BuildError) as raised:
        catalogs.update_catalogs(tmp_path, tmp_path / "babel.cfg", locales, ("en", "ko", "th"))
    assert raised.value.problems[0].path == "locales/th/LC_MESSAGES/messages.po"
    assert not (locales / "messages.pot").exists() and not (locales / "ko").exists()
