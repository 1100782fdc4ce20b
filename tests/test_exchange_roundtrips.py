"""Round trips: the Busan programme through XLSX and CSV into a site without a programme; a language
through XLIFF (valid against the OASIS schema) and back; word counts for quoting a job."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from lxml import etree

from eventsite.build import Project, load_site
from eventsite.exchange.sheet_out import programme_sheets
from eventsite.translations import status
from eventsite.translations.wordcount import entry_words

from .sitekit import PROJECT_ROOT, snapshot, write_site
from .test_import import run, strict_check

XSD = PROJECT_ROOT / "tests" / "data" / "xliff_core_2.0.xsd"
XLIFF = "urn:oasis:names:tc:xliff:document:2.0"


def site_of(content: Path):
    return load_site(Project.at(PROJECT_ROOT, content=content))


def programme(content: Path) -> dict:
    """Every programme item as readers see it: texts in every language, times, room, people by name."""
    site = site_of(content)
    items = {}
    for entry in site.items("session"):
        translations = {
            lang: (getattr(t.meta, "title", None), getattr(t.meta, "summary", None), t.body.strip())
            for lang, t in sorted(entry.translations.items())
        }
        items[entry.id] = (
            entry.meta.title, entry.start.isoformat(), entry.end.isoformat(), entry.room.id if entry.room else None,
            tuple(person.meta.name for person in entry.speakers), tuple(person.meta.name for person in entry.moderators),
            tuple(entry.meta.countries), entry.meta.kind.value, entry.meta.summary, entry.body.strip(), translations,
        )
    return items


def busan_without_programme(root: Path) -> Path:
    """The real site without its programme: the people (whom the sheet names), pages and exhibits
    (which the texts link to) stay, and site.yaml requires every translation of all of them."""
    content = root / "content"
    shutil.copytree(PROJECT_ROOT / "content", content)
    shutil.rmtree(content / "sessions")
    return content


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_busan_programme_exported_and_imported_into_an_empty_site_is_the_same_programme(tmp_path, capsys, fmt: str) -> None:
    sheet = tmp_path / f"programme.{fmt}"
    code, out, err = run(capsys, "export", "--format", fmt, "--out", str(sheet))
    assert code == 0, err
    content = busan_without_programme(tmp_path)
    code, out, err = run(capsys, "import", str(sheet), "--content", str(content))
    assert code == 0, err
    assert programme(content) == programme(PROJECT_ROOT / "content")
    # A second import of the same file changes nothing.
    before = snapshot(content)
    code, out, err = run(capsys, "import", str(sheet), "--content", str(content))
    assert code == 0 and snapshot(content) == before, out


def test_an_export_for_reading_has_headers_and_texts_in_its_language(tmp_path, capsys) -> None:
    sheet = tmp_path / "programme-ko.xlsx"
    assert run(capsys, "export", "--lang", "ko", "--out", str(sheet))[0] == 0
    from openpyxl import load_workbook

    rows = list(load_workbook(sheet).worksheets[0].iter_rows(values_only=True))
    assert rows[0][:4] == ("id", "제목", "날짜", "시작")
    site = site_of(PROJECT_ROOT / "content")
    first = site.get("session", rows[1][0])
    assert rows[1][1] == first.translations["ko"].meta.title


# --- XLIFF ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def xliff_schema():
    xmlschema = pytest.importorskip("xmlschema", reason="xmlschema is in the test extra")
    return xmlschema.XMLSchema(str(XSD))


def test_the_busan_xliff_is_valid_against_the_oasis_schema(tmp_path, capsys, xliff_schema) -> None:
    out = tmp_path / "vi.xlf"
    assert run(capsys, "i18n", "export", "--lang", "vi", "--all", "--out", str(out))[0] == 0
    xliff_schema.validate(str(out))
    tree = etree.parse(str(out))
    files = tree.findall(f"{{{XLIFF}}}file")
    assert len(files) == len(list((PROJECT_ROOT / "content").glob("*/*.vi.md")))
    opening = tree.find(f"{{{XLIFF}}}file[@original='sessions/roundtable-session-1.md']")
    units = {unit.get("id"): unit for unit in opening.iter(f"{{{XLIFF}}}unit")}
    assert {"title", "summary", "b1", "b2"} <= set(units)
    assert units["b2"].get("name") == "body: paragraph" and units["b3"].get("name") == "body: list item"
    assert opening.get("{urn:eventsite:xliff}fingerprint")


def test_returning_an_unchanged_xliff_changes_no_file(tmp_path, capsys) -> None:
    content = tmp_path / "content"
    shutil.copytree(PROJECT_ROOT / "content", content)
    out = tmp_path / "th.xlf"
    assert run(capsys, "i18n", "export", "--lang", "th", "--all", "--content", str(content), "--out", str(out))[0] == 0
    before = snapshot(content)
    code, printed, err = run(capsys, "i18n", "import", str(out), "--content", str(content))
    assert code == 0, err
    assert snapshot(content) == before
    assert "0 translation files changed" in printed


def fill(path: Path, state: str, prefix: str = "TH ") -> None:
    """A translator's work: every unit translated, in the state a CAT tool sets."""
    tree = etree.parse(str(path))
    for segment in tree.iter(f"{{{XLIFF}}}segment"):
        source = segment.find(f"{{{XLIFF}}}source")
        target = segment.find(f"{{{XLIFF}}}target")
        if target is None:
            target = etree.SubElement(segment, f"{{{XLIFF}}}target")
        target.text = prefix + source.text
        segment.set("state", state)
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")


def status_json(capsys, content: Path, lang: str) -> dict:
    code, out, err = run(capsys, "i18n", "--format", "json", "-l", lang, "--content", str(content))
    assert code == 0, err
    return json.loads(out)["languages"][lang]["content"]


def test_xliff_round_trip_export_fill_import_status_translated(tmp_path, capsys, xliff_schema) -> None:
    content = write_site(tmp_path)  # English, Korean (partly) and Thai (nothing)
    before = status_json(capsys, content, "th")
    assert before["missing"] == before["total"] > 0
    site = site_of(content)
    assert before["words"] == {"new": sum(entry_words(entry) for entry in status.entries(site)), "outdated": 0}
    out = tmp_path / "th.xlf"
    assert run(capsys, "i18n", "export", "--lang", "th", "--content", str(content), "--out", str(out))[0] == 0
    xliff_schema.validate(str(out))
    fill(out, "reviewed")
    code, printed, err = run(capsys, "i18n", "import", str(out), "--content", str(content))
    assert code == 0, err
    after = status_json(capsys, content, "th")
    assert after["up_to_date"] == after["total"] and after["missing"] == 0
    assert after["words"] == {"new": 0, "outdated": 0}
    talk = (content / "sessions" / "talk.th.md").read_text(encoding="utf-8")
    assert 'title: "TH Talk on smart traffic"' in talk and "---\n## TH Background\nTH Traffic.\n" in talk  # the source's structure
    assert "source_fingerprint:" in talk and "review:" not in talk
    assert strict_check(content) == []


def test_state_translated_becomes_a_draft(tmp_path, capsys) -> None:
    content = write_site(tmp_path)
    out = tmp_path / "th.xlf"
    assert run(capsys, "i18n", "export", "--lang", "th", "--content", str(content), "--out", str(out))[0] == 0
    fill(out, "translated")
    assert run(capsys, "i18n", "import", str(out), "--content", str(content))[0] == 0
    assert status_json(capsys, content, "th")["draft"] == status_json(capsys, content, "th")["total"]
    assert "review: draft" in (content / "people" / "minister.th.md").read_text(encoding="utf-8")


def test_units_left_initial_are_not_imported(tmp_path, capsys) -> None:
    content = write_site(tmp_path)
    out = tmp_path / "th.xlf"
    assert run(capsys, "i18n", "export", "--lang", "th", "--content", str(content), "--out", str(out))[0] == 0
    fill(out, "initial")
    before = snapshot(content)
    code, printed, err = run(capsys, "i18n", "import", str(out), "--content", str(content))
    assert code == 0 and snapshot(content) == before
    assert "still 'initial'" in printed


def test_an_xliff_whose_source_changed_is_refused_and_nothing_is_written(tmp_path, capsys) -> None:
    content = write_site(tmp_path)
    out = tmp_path / "th.xlf"
    assert run(capsys, "i18n", "export", "--lang", "th", "--content", str(content), "--out", str(out))[0] == 0
    fill(out, "final")
    talk = content / "sessions" / "talk.md"
    talk.write_text(talk.read_text(encoding="utf-8").replace("Traffic.", "Traffic and transport."), encoding="utf-8")
    before = snapshot(content)
    code, printed, err = run(capsys, "i18n", "import", str(out), "--content", str(content))
    assert code == 1
    assert snapshot(content) == before
    assert "sessions/talk.md, unit 'b2' (body: paragraph): the English text changed since this file was exported" in err
    assert err.split(":")[1].isdigit(), "the message names a line of the XLIFF file"


def test_word_counts_count_new_and_outdated_source_words(tmp_path, capsys) -> None:
    content = write_site(tmp_path)
    (content / "sessions" / "talk.ko.md").write_text('---\ntitle: 교통\nsource_fingerprint: "0000000000000000"\n---\n', encoding="utf-8")
    words = status_json(capsys, content, "ko")["words"]
    site = site_of(content)
    assert words["outdated"] == entry_words(site.get("session", "talk")) == 6  # Talk on smart traffic / Background / Traffic.
    code, out, err = run(capsys, "i18n", "-l", "ko", "--content", str(content))
    assert f"words    {words['new']:,} new, 6 outdated" in out
