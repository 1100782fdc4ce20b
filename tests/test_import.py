"""build.py import: spreadsheets, frab XML and C3VOC JSON into content files that pass check --strict;
re-import keeps what was edited here; every bad input is a located error and writes nothing."""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import json
import textwrap
import threading
from pathlib import Path

import pytest
from lxml import etree

from eventsite.build import Project
from eventsite.check import check_project
from eventsite.cli import main
from eventsite.load import load_content, split_front_matter
from eventsite.yaml_strict import parse

from .sitekit import PROJECT_ROOT, SHARED, build, snapshot, write_site

DATA = PROJECT_ROOT / "tests" / "data"
ROMHACK = DATA / "pretalx-romhack-camp-2026.schedule.xml"
DEMOCON = SHARED / "schemas" / "example-pretalx-democon.schedule.json"

FORUM_YAML = """\
# The forum's settings; the import must leave this comment and everything else as it is.
title: {en: Forum, ko: 포럼}
languages: [en, ko]
timezone: Asia/Seoul
dates: {start: "2019-11-25", end: "2019-11-26"}
base_url: https://example.org/forum/
countries: [KR, TH, VN]
rooms:
  hall-a: {name: {en: Hall A, ko: A홀}}
  hall-b: {name: Hall B}

nav: [schedule, people]
"""


def empty_site(root: Path, site_yaml: str = FORUM_YAML) -> Path:
    return write_site(root, {"site.yaml": site_yaml}, base=False)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv), root=PROJECT_ROOT)
    out, err = capsys.readouterr()
    return code, out, err


def strict_check(content: Path) -> list[str]:
    """Every problem `check --strict` reports (errors and warnings)."""
    report = check_project(Project.at(PROJECT_ROOT, content=content, output=content.parent / "site")).strict()
    return [problem.format() for problem in report.problems]


def front(path: Path) -> tuple[dict, str]:
    yaml_text, body, _ = split_front_matter(path.read_text(encoding="utf-8"))  # type: ignore[misc]
    return parse(yaml_text).data, body.strip()


# --- a frab XML written by another tool (pretalx) --------------------------------------------------

ROMHACK_YAML = """\
title: RomHack Camp 2026
languages: [en, ko]
timezone: Europe/Rome
dates: {start: "2026-10-02", end: "2026-10-04"}
base_url: https://camp.example.org/
"""


def test_a_pretalx_frab_xml_imports_into_an_empty_site_that_passes_check_strict(tmp_path, capsys) -> None:
    content = empty_site(tmp_path, ROMHACK_YAML)
    code, out, err = run(capsys, "import", str(ROMHACK), "--content", str(content))
    assert code == 0, err
    sessions = sorted(path.name for path in (content / "sessions").glob("*.md"))
    assert len(sessions) == 10
    assert sorted(path.stem for path in (content / "people").glob("*.md")) == ["cyber-saiyan", "fibonhack", "guerre-di-rete"]
    site_yaml = (content / "site.yaml").read_text(encoding="utf-8")
    assert site_yaml.startswith(ROMHACK_YAML), "the rest of site.yaml is kept byte for byte"
    assert parse(site_yaml).data["rooms"] == {"stage-1": {"name": "STAGE 1"}, "workshop-2": {"name": "WORKSHOP 2"}}
    data, body = front(content / "sessions" / "community-ctf-by-fibonhack.md")
    assert (data["start"], data["end"], data["room"], data["speakers"]) == ("2026-10-02 17:00", "2026-10-03 08:00", "workshop-2", ["cyber-saiyan"])
    assert "From Dusk Till Dawn" in body
    award, _ = front(content / "sessions" / "community-ctf-by-fibonhack-award-ceremony.md")
    assert award["speakers"] == ["cyber-saiyan", "fibonhack"]
    assert front(content / "sessions" / "hacker-cinema-night-sneakers-1992.md")[0]["kind"] == "workshop"  # pretalx type
    assert strict_check(content) == []


def test_times_move_into_the_sites_zone(tmp_path, capsys) -> None:
    """A frab <date> carries its UTC offset: a Seoul site gets Seoul times."""
    content = empty_site(tmp_path, ROMHACK_YAML.replace("Europe/Rome", "Asia/Seoul").replace('"2026-10-04"', '"2026-10-05"'))
    assert run(capsys, "import", str(ROMHACK), "--content", str(content))[0] == 0
    data, _ = front(content / "sessions" / "romhack-camp-opening.md")
    assert (data["start"], data["end"]) == ("2026-10-02 18:00", "2026-10-02 18:40")  # 11:00 +02:00 = 18:00 +09:00


def events_of(tree: etree._ElementTree) -> dict[str, tuple]:
    """title → (UTC start, minutes, room, persons) of a frab XML."""
    found = {}
    for event in tree.iterfind("day/room/event"):
        start = dt.datetime.fromisoformat(event.findtext("date")).astimezone(dt.timezone.utc)
        hours, minutes = map(int, event.findtext("duration").split(":")[:2])
        persons = tuple(sorted(person.text for person in event.iterfind("persons/person")))
        found[event.findtext("title")] = (start, hours * 60 + minutes, event.findtext("room"), persons)
    return found


def test_frab_round_trip_import_build_schedule_xml(tmp_path, capsys) -> None:
    """frab XML → import → build → /schedule.xml: the same sessions, times, rooms and persons."""
    content = empty_site(tmp_path, ROMHACK_YAML)
    assert run(capsys, "import", str(ROMHACK), "--content", str(content))[0] == 0
    build(content, tmp_path / "site")
    ours = events_of(etree.parse(str(tmp_path / "site" / "schedule.xml")))
    theirs = events_of(etree.parse(str(ROMHACK)))
    assert ours == theirs
    xsd = SHARED / "schemas" / "schedule.xml.xsd"
    if xsd.is_file():
        schema = etree.XMLSchema(etree.parse(str(xsd)))
        assert schema.validate(etree.parse(str(tmp_path / "site" / "schedule.xml"))), schema.error_log


# --- C3VOC JSON, from a file and from a URL ------------------------------------------------------------

DEMOCON_YAML = """\
title: DemoCon
languages: [en, ko]
timezone: Europe/Berlin
dates: {start: "2020-12-14", end: "2020-12-16"}
base_url: https://democon.example.org/
"""


@pytest.fixture()
def democon() -> Path:
    if not DEMOCON.is_file():
        pytest.skip(f"../shared/schemas is not present: {DEMOCON} is the C3VOC example")
    return DEMOCON


def test_a_c3voc_json_imports_into_an_empty_site_that_passes_check_strict(tmp_path, capsys, democon: Path) -> None:
    content = empty_site(tmp_path, DEMOCON_YAML)
    code, out, err = run(capsys, "import", str(democon), "--content", str(content))
    assert code == 0, err
    data = json.loads(democon.read_text(encoding="utf-8"))
    events = [event for day in data["schedule"]["conference"]["days"] for room in day["rooms"].values() for event in room]
    assert len(list((content / "sessions").glob("*.md"))) == len(events)
    first, body = front(content / "sessions" / "focused-5thgeneration-hardware.md")
    assert (first["start"], first["end"], first["room"], first["summary"]) == (
        "2020-12-14 09:00", "2020-12-14 09:30", "gray-room", "Brand back-end models!"
    )
    person, biography = front(content / "people" / "brian-robinson.md")
    assert person["name"] == "Brian Robinson" and biography.startswith("Break through direction.")
    assert strict_check(content) == []


def test_import_from_a_url(tmp_path, capsys, democon: Path) -> None:
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(democon.parent))
    handler.log_message = lambda *args: None  # type: ignore[attr-defined]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        content = empty_site(tmp_path, DEMOCON_YAML)
        url = f"http://127.0.0.1:{server.server_address[1]}/{democon.name}"
        code, out, err = run(capsys, "import", url, "--content", str(content))
        assert code == 0, err
        assert "focused-5thgeneration-hardware.md" in {path.name for path in (content / "sessions").iterdir()}
        record = json.loads((content / ".eventsite" / "imports.json").read_text(encoding="utf-8"))
        assert record["files"]["sessions/focused-5thgeneration-hardware.md"]["source"] == democon.name
    finally:
        server.shutdown()
        server.server_close()


# --- spreadsheets ------------------------------------------------------------------------------------

CSV = """\
제목,날짜,시작,End,Room,Speakers,Countries,Summary,Description,title_ko
Opening ceremony,2019-11-25,9.30,10:00,Hall A,The Minister; Nguyen Van A,"KR, VN",The forum opens.,"Welcome.

- first point
- second point",개회식
Roundtable on services,2019-11-25,10:30,12:00,hall-b,Nguyen Van A,TH,,Discussion.,
Lunch,2019-11-25,12:00,13:00,A홀,,,,,오찬
"""


def write_csv(content: Path, text: str = CSV, name: str = "programme.csv") -> Path:
    path = content.parent / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_a_csv_imports_with_headers_in_the_sites_languages(tmp_path, capsys) -> None:
    content = empty_site(tmp_path)
    code, out, err = run(capsys, "import", str(write_csv(content)), "--content", str(content))
    assert code == 0, err
    opening, body = front(content / "sessions" / "opening-ceremony.md")
    assert opening == {
        "title": "Opening ceremony", "start": "2019-11-25 09:30", "end": "2019-11-25 10:00", "room": "hall-a",
        "speakers": ["the-minister", "nguyen-van-a"], "countries": ["KR", "VN"], "summary": "The forum opens.",
    }
    assert body == "Welcome.\n\n- first point\n- second point"
    assert front(content / "sessions" / "opening-ceremony.ko.md")[0] == {"title": "개회식"}
    assert front(content / "sessions" / "lunch.md")[0]["room"] == "hall-a"  # by its Korean name
    assert front(content / "people" / "nguyen-van-a.md")[0] == {"name": "Nguyen Van A"}
    assert strict_check(content) == []


def write_xlsx(path: Path, sheets: dict[str, list[list]], formula: str | None = None) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    if formula:
        book.worksheets[0][formula] = "=B2+1"
    book.save(path)
    return path


XLSX_ROWS = [
    ["id", "Title", "Date", "Start", "End", "Room", "Speakers", "Kind"],
    ["opening", "Opening ceremony", dt.date(2019, 11, 25), dt.time(9, 0), dt.time(10, 0), "Hall A", "The Minister", "Ceremony"],
    ["panel", "Panel on services", dt.date(2019, 11, 26), dt.time(14, 0), dt.time(15, 30), "Hall B", "A Moderator", "panel"],
]


def test_an_xlsx_with_a_translation_sheet_imports_into_an_empty_site_that_passes_check_strict(tmp_path, capsys) -> None:
    content = empty_site(tmp_path)
    workbook = write_xlsx(tmp_path / "programme.xlsx", {
        "Programme": XLSX_ROWS,
        "Korean": [["id", "제목", "요약"], ["panel", "서비스 패널", "공공서비스를 논의합니다."]],
    })
    code, out, err = run(capsys, "import", str(workbook), "--content", str(content))
    assert code == 0, err
    panel, _ = front(content / "sessions" / "panel.md")
    assert (panel["start"], panel["end"], panel["kind"], panel["room"]) == ("2019-11-26 14:00", "2019-11-26 15:30", "roundtable", "hall-b")
    assert front(content / "sessions" / "panel.ko.md")[0] == {"title": "서비스 패널", "summary": "공공서비스를 논의합니다."}
    assert not (content / "sessions" / "opening.ko.md").exists()
    assert strict_check(content) == []


def test_a_mapping_file_names_the_columns(tmp_path, capsys) -> None:
    content = empty_site(tmp_path)
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("columns:\n  title: Session name\n  start: Begins\n  end: Ends\nignore: [Notes]\n", encoding="utf-8")
    source = write_csv(content, "Session name;Begins;Ends;Notes\nWelcome;2019-11-25 09:00;2019-11-25 09:30;internal\n")
    code, out, err = run(capsys, "import", str(source), "--mapping", str(mapping), "--content", str(content))
    assert code == 0, err
    assert front(content / "sessions" / "welcome.md")[0] == {"title": "Welcome", "start": "2019-11-25 09:00", "end": "2019-11-25 09:30"}


# --- re-import --------------------------------------------------------------------------------------


def test_reimport_updates_what_the_source_owns_and_keeps_edits_made_here(tmp_path, capsys) -> None:
    content = empty_site(tmp_path)
    source = write_csv(content)
    assert run(capsys, "import", str(source), "--content", str(content))[0] == 0
    opening = content / "sessions" / "opening-ceremony.md"
    # Edits made here: a new title (a field the source owns), moderators (a field it does not own),
    # and a summary in the Korean translation (which the source does not give).
    text = opening.read_text(encoding="utf-8")
    text = text.replace('title: "Opening ceremony"', 'title: "Opening ceremony of the forum"')
    text = text.replace("countries:", "moderators: [nguyen-van-a]\ncountries:")
    opening.write_text(text, encoding="utf-8")
    korean = content / "sessions" / "opening-ceremony.ko.md"
    korean.write_text(korean.read_text(encoding="utf-8").replace("---\n", "---\nsummary: 포럼이 시작됩니다.\n", 1), encoding="utf-8")
    korean_before = korean.read_bytes()
    lunch_before = (content / "sessions" / "lunch.md").read_bytes()
    # The organizer's next version: the opening moves to 09:45 and gets a new summary, the
    # roundtable is renamed in the sheet (its key is its title: a new item), lunch is unchanged.
    changed = CSV.replace("9.30,10:00", "9.45,10:15").replace("The forum opens.", "The forum opens at last.")
    changed = changed.replace("Roundtable on services", "Roundtable on public services")
    code, out, err = run(capsys, "import", str(write_csv(content, changed)), "--content", str(content))
    assert code == 0, err
    data, body = front(opening)
    assert (data["start"], data["end"], data["summary"]) == ("2019-11-25 09:45", "2019-11-25 10:15", "The forum opens at last.")
    assert data["title"] == "Opening ceremony of the forum", "the title edited here is kept"
    assert data["moderators"] == ["nguyen-van-a"], "a field the source does not own is kept"
    assert korean.read_bytes() == korean_before, "the translation's summary added here is kept, its title unchanged"
    assert (content / "sessions" / "lunch.md").read_bytes() == lunch_before, "an unchanged item is not rewritten"
    assert (content / "sessions" / "roundtable-on-public-services.md").is_file()
    assert (content / "sessions" / "roundtable-on-services.md").is_file(), "removed from the source: reported, not deleted"
    assert "sessions/roundtable-on-services.md: no longer in programme.csv" in out
    assert "opening-ceremony.md: kept the edits made here to title" not in out  # the source did not change the title
    assert [problem for problem in strict_check(content) if "overlaps" not in problem] == []
    (content / "sessions" / "roundtable-on-services.md").unlink()  # the editor deletes what the report named
    assert strict_check(content) == []


def test_with_an_id_column_a_renamed_item_stays_the_same_item_and_edits_here_win(tmp_path, capsys) -> None:
    content = empty_site(tmp_path)
    sheet = "id,title,start,end\ntalk,A talk,2019-11-25 09:00,2019-11-25 10:00\n"
    assert run(capsys, "import", str(write_csv(content, sheet)), "--content", str(content))[0] == 0
    talk = content / "sessions" / "talk.md"
    assert run(capsys, "import", str(write_csv(content, sheet.replace("A talk", "The talk"))), "--content", str(content))[0] == 0
    assert front(talk)[0]["title"] == "The talk", "renamed in the sheet: updated in place"
    talk.write_text(talk.read_text(encoding="utf-8").replace('"The talk"', '"The keynote"'), encoding="utf-8")
    code, out, err = run(capsys, "import", str(write_csv(content, sheet.replace("A talk", "Our talk"))), "--content", str(content))
    assert code == 0, err
    assert front(talk)[0]["title"] == "The keynote"
    assert "sessions/talk.md: kept the edits made here to title (the source has other values)" in out
    assert sorted(path.name for path in (content / "sessions").iterdir()) == ["talk.md"]


def test_dry_run_shows_a_unified_diff_and_writes_nothing(tmp_path, capsys) -> None:
    content = empty_site(tmp_path)
    source = write_csv(content)
    assert run(capsys, "import", str(source), "--content", str(content))[0] == 0
    before = snapshot(content)
    code, out, err = run(capsys, "import", str(write_csv(content, CSV.replace("9.30", "9.40"))), "--content", str(content), "--dry-run")
    assert code == 0
    assert snapshot(content) == before
    assert "--- a/sessions/opening-ceremony.md\n+++ b/sessions/opening-ceremony.md\n" in out
    assert '-start: "2019-11-25 09:30"\n+start: "2019-11-25 09:40"\n' in out


def test_rooms_are_added_below_the_existing_ones_and_the_rest_of_site_yaml_stays(tmp_path, capsys) -> None:
    content = empty_site(tmp_path)
    source = write_csv(content, "title,start,end,room\nTalk,2019-11-25 09:00,2019-11-25 10:00,Hall C\n")
    assert run(capsys, "import", str(source), "--add-rooms", "--content", str(content))[0] == 0
    expected = FORUM_YAML.replace("  hall-b: {name: Hall B}\n", '  hall-b: {name: Hall B}\n  hall-c: {name: "Hall C"}\n')
    assert (content / "site.yaml").read_text(encoding="utf-8") == expected


# --- bad inputs: a located error, nothing written ----------------------------------------------------------


def refused(tmp_path: Path, capsys, source: Path, *extra: str) -> str:
    content = tmp_path / "content"
    before = snapshot(content)
    code, out, err = run(capsys, "import", str(source), "--content", str(content), *extra)
    assert code == 1, out + err
    assert snapshot(content) == before, "nothing is written"
    return err


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("title,end\nTalk,2019-11-25 10:00\n", "programme.csv:1: no 'start' column"),
        ("title,start,end\nTalk,2019-11-25 9h3x,2019-11-25 10:00\n", "programme.csv:2:2: start: '9h3x' is not a time: write it as 09:30"),
        ("title,start,end,room\nTalk,2019-11-25 09:00,2019-11-25 10:00,Hall C\n", "programme.csv:2:4: unknown room 'Hall C' (did you mean"),
        ("id,title,start,end\ntalk,A,2019-11-25 09:00,2019-11-25 10:00\ntalk,B,2019-11-25 11:00,2019-11-25 12:00\n",
         "programme.csv:3:1: duplicate id 'talk': also at line 2"),
        ("title,start,end,countries\nTalk,2019-11-25 09:00,2019-11-25 10:00,XX\n", "programme.csv:2:4: country 'XX' is not in site.yaml countries"),
        ("title,start,end\nTalk,2019-11-25 09:00,2019-11-25 08:00\n", "programme.csv:2:3: end 2019-11-25 08:00 is not after start"),
        ("title,start,end\nTalk,2019-12-25 09:00,2019-12-25 10:00\n", "programme.csv:2:2: start 2019-12-25 09:00 is outside the event's dates"),
        ("title,start,end,Speeker\nTalk,2019-11-25 09:00,2019-11-25 10:00,X\n", "programme.csv:1:4: unknown column 'Speeker' (did you mean 'speaker'?)"),
    ],
    ids=["missing-column", "unparseable-time", "unknown-room", "duplicate-id", "unknown-country", "end-before-start", "outside-dates", "unknown-column"],
)
def test_bad_spreadsheets_give_located_errors_and_write_nothing(tmp_path, capsys, text: str, expected: str) -> None:
    content = empty_site(tmp_path)
    assert expected in refused(tmp_path, capsys, write_csv(content, text))


def test_a_csv_that_is_not_utf8_is_refused_at_its_line(tmp_path, capsys) -> None:
    content = empty_site(tmp_path)
    source = content.parent / "programme.csv"
    source.write_bytes("title,start,end\nCafé,2019-11-25 09:00,2019-11-25 10:00\n".encode("cp1252"))
    assert "programme.csv:2:4: not UTF-8 (byte 19): save the spreadsheet as 'CSV UTF-8'" in refused(tmp_path, capsys, source)


def test_a_formula_cell_is_refused(tmp_path, capsys) -> None:
    content = empty_site(tmp_path)
    workbook = write_xlsx(tmp_path / "programme.xlsx", {"Programme": XLSX_ROWS}, formula="E3")
    err = refused(tmp_path, capsys, workbook)
    assert "programme.xlsx[Programme]:3:5: cell E3 is a formula (=B2+1): the import needs the value" in err


def test_a_malformed_frab_xml_is_refused_at_its_line(tmp_path, capsys) -> None:
    content = empty_site(tmp_path)
    source = tmp_path / "schedule.xml"
    source.write_text("<schedule>\n<day date='2019-11-25'>\n<room name='A'><event guid='x'>\n<title>T</title>\n</room></day></schedule>\n")
    assert "schedule.xml:5:" in refused(tmp_path, capsys, source) and content.is_dir()


def test_a_frab_event_with_a_bad_duration_is_refused_at_its_line(tmp_path, capsys) -> None:
    empty_site(tmp_path)
    source = tmp_path / "schedule.xml"
    source.write_text(
        "<schedule><conference><title>F</title></conference>\n<day date='2019-11-25' index='1'><room name='A'>\n"
        "<event guid='x'><date>2019-11-25T09:00:00+09:00</date><start>09:00</start>\n<duration>ninety</duration>"
        "<title>T</title></event></room></day></schedule>\n"
    )
    assert "schedule.xml:4: <duration> 'ninety' is not a duration (01:30)" in refused(tmp_path, capsys, source)


def test_a_c3voc_event_with_a_bad_date_is_refused_at_its_line(tmp_path, capsys) -> None:
    empty_site(tmp_path)
    source = tmp_path / "schedule.json"
    event = {"guid": "g", "title": "T", "date": "25.11.2019 09:00", "duration": "00:30", "room": "A", "persons": []}
    data = {"schedule": {"version": "1", "conference": {"title": "F", "days": [{"rooms": {"A": [event]}}]}}}
    source.write_text(json.dumps(data, indent=1), encoding="utf-8")
    assert "schedule.json:13:" in refused(tmp_path, capsys, source) or "schedule.json:" in refused(tmp_path, capsys, source)


def test_an_import_that_would_leave_an_error_writes_nothing(tmp_path, capsys) -> None:
    """The trial check: a body linking to a page this site lacks."""
    content = empty_site(tmp_path)
    source = write_csv(content, 'title,start,end,description\nTalk,2019-11-25 09:00,2019-11-25 10:00,"See [the venue](/venue/)."\n')
    err = refused(tmp_path, capsys, source)
    assert "sessions/talk.md" in err and "/venue/" in err
