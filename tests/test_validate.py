"""validate: every schema problem as ``path:line:col: field: message``, at the right line, all at once."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pydantic import ValidationError

from eventsite.errors import BuildError, Problem
from eventsite.load import load_content
from eventsite.config import SiteConfig
from eventsite.fields import normalize_base_url
from eventsite.kinds import BY_NAME
from eventsite.kinds.session import SessionMeta
from eventsite.validate import ValidContent, ValidationCache, validate_content

from .sitekit import SITE_YAML, write_site

# Line numbers below are those of these texts.
SESSION = """\
---
title: Opening ceremony
start: "2019-11-25 09:00"
end: "2019-11-25 10:00"
kind: ceremony
room: hall-a
speakers: [minister]
countries: [KR, NO]
---
Body.
"""


def validated(tmp_path: Path, files: dict) -> ValidContent:
    return validate_content(load_content(write_site(tmp_path, files)))


def problems(tmp_path: Path, files: dict) -> list[Problem]:
    """Every validation problem, whether the site settings were valid (returned) or not (raised)."""
    raw = load_content(write_site(tmp_path, files))
    try:
        return list(validate_content(raw).problems)
    except BuildError as error:
        return error.problems


def session(**changes: str | None) -> str:
    """SESSION with lines replaced (key → new line, or None to drop), keeping the other lines in place."""
    lines = SESSION.split("\n")
    for key, new in changes.items():
        index = next(i for i, line in enumerate(lines) if line.startswith(f"{key}:"))
        if new is None:
            del lines[index]
        else:
            lines[index] = new
    return "\n".join(lines)


def site(old: str, new: str) -> str:
    assert old in SITE_YAML
    return SITE_YAML.replace(old, new)


def site_line(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.split("\n"), 1) if needle in line)


def only(found: list[Problem]) -> Problem:
    assert len(found) == 1, [p.format() for p in found]
    return found[0]


def field_of(problem: Problem) -> str:
    """The field a message is about: ``field: …`` or ``… field 'field' …``."""
    head = problem.message.split(":")[0]
    return head.split("'")[1] if "'" in head else head


def at(problem: Problem, path: str, line: int, column: int | None = None) -> None:
    assert (problem.path, problem.line) == (path, line), problem.format()
    if column is not None:
        assert problem.column == column, problem.format()
    assert problem.format().startswith(f"{path}:{line}:{problem.column}: ")
    assert problem.severity == "error"


# --- the happy path -----------------------------------------------------------------------


def test_base_fixture_is_valid(tmp_path: Path) -> None:
    valid = validated(tmp_path, {})
    assert valid.problems == () and valid.invalid == frozenset()
    assert len(valid.documents) == 8
    assert valid.site.languages == ["en", "ko", "th"]
    assert valid.site.countries == ["KR", "TH", "NO"]


def test_values_are_converted(tmp_path: Path) -> None:
    valid = validated(tmp_path, {"sessions/x.md": SESSION.replace('"2019-11-25 09:00"', "2019-11-25T09:00")})
    (meta,) = [v.meta for v in valid.documents if v.document.id == "x"]
    assert isinstance(meta, SessionMeta)
    assert meta.start == dt.datetime(2019, 11, 25, 9, 0) and meta.start.tzinfo is None
    assert meta.countries == ["KR", "NO"]
    assert meta.kind.value == "ceremony"
    assert valid.site.dates.start == dt.date(2019, 11, 25)


def test_base_url_gets_a_trailing_slash() -> None:
    assert normalize_base_url("https://example.org/forum") == "https://example.org/forum/"
    assert normalize_base_url("https://example.org/") == "https://example.org/"


def test_translatable_fields() -> None:
    assert BY_NAME["session"].translatable == ("title", "summary")
    assert BY_NAME["person"].translatable == ("name", "role", "organization")
    assert "source_fingerprint" not in BY_NAME["exhibit"].translatable
    assert "review" not in BY_NAME["exhibit"].translatable
    assert set(BY_NAME) == {"session", "exhibit", "person", "partner", "page", "news"}


# --- missing fields --------------------------------------------------------------------------


def test_missing_required_fields_point_at_the_front_matter(tmp_path: Path) -> None:
    found = problems(tmp_path, {"sessions/x.md": session(title=None, start=None)})
    assert sorted(p.message for p in found) == ["missing required field 'start'", "missing required field 'title'"]
    for problem in found:
        at(problem, "content/sessions/x.md", 1, 1)


def test_missing_field_with_a_leading_comment_still_points_at_the_opening_line(tmp_path: Path) -> None:
    text = "---\n# Opening\n\nstart: '2019-11-25 09:00'\nend: '2019-11-25 10:00'\n---\n"
    problem = only(problems(tmp_path, {"sessions/x.md": text}))
    assert "'title'" in problem.message
    at(problem, "content/sessions/x.md", 1, 1)


def test_missing_fields_in_an_empty_front_matter(tmp_path: Path) -> None:
    found = problems(tmp_path, {"news/x.md": "---\n---\nBody.\n"})
    assert {p.message for p in found} == {"missing required field 'title'", "missing required field 'date'"}
    assert {p.line for p in found} == {1}


def test_missing_top_level_field_in_site_yaml(tmp_path: Path) -> None:
    text = site("timezone: Asia/Seoul\n", "")
    problem = only(problems(tmp_path, {"site.yaml": text}))
    assert "missing" in problem.message and "'timezone'" in problem.message
    at(problem, "content/site.yaml", 1)


def test_missing_nested_field_points_at_its_mapping(tmp_path: Path) -> None:
    text = site('dates: {start: "2019-11-25", end: "2019-11-26"}', 'dates: {start: "2019-11-25"}')
    text = text.replace("hall-b: {name: Hall B}", "hall-b: {}")
    found = problems(tmp_path, {"site.yaml": text})
    by_field = {p.message: p for p in found}
    assert set(by_field) == {"missing required field 'dates.end'", "missing required field 'rooms.hall-b.name'"}
    at(by_field["missing required field 'dates.end'"], "content/site.yaml", site_line(text, "dates:"))
    at(by_field["missing required field 'rooms.hall-b.name'"], "content/site.yaml", site_line(text, "hall-b:"))


# --- unknown keys ------------------------------------------------------------------------------


def test_unknown_key_lists_the_allowed_keys(tmp_path: Path) -> None:
    problem = only(problems(tmp_path, {"sessions/x.md": session(kind="layout: ../../x")}))
    at(problem, "content/sessions/x.md", 5, 9)
    assert "unknown field 'layout'" in problem.message
    allowed = problem.message.split("allowed here:")[1]
    for name in ("title", "start", "end", "kind", "room", "speakers", "moderators", "countries", "summary"):
        assert name in allowed


def test_unknown_key_in_a_nested_mapping_lists_that_mapping_s_keys(tmp_path: Path) -> None:
    text = site("venue: {name: Test Hall, city: Busan, country: KR}", "venue: {name: Test Hall, city: Busan, colour: red}")
    problem = only(problems(tmp_path, {"site.yaml": text}))
    at(problem, "content/site.yaml", site_line(text, "venue:"))
    assert "'venue.colour'" in problem.message
    allowed = problem.message.split("allowed here:")[1]
    assert {part.strip(" )") for part in allowed.split(",")} == {"name", "address", "city", "country", "url", "geo", "floor_plan"}


def test_unknown_key_in_site_yaml(tmp_path: Path) -> None:
    text = SITE_YAML + "theme: ../../../etc\n"
    problem = only(problems(tmp_path, {"site.yaml": text}))
    at(problem, "content/site.yaml", site_line(text, "theme:"))
    assert "'theme'" in problem.message and "base_url" in problem.message


# --- wrong types and values ---------------------------------------------------------------------


def test_list_where_text_is_expected(tmp_path: Path) -> None:
    found = problems(tmp_path, {"people/x.md": "---\nname: [a, b]\n---\n"})
    assert found and all(p.message.startswith("name: ") for p in found)
    for problem in found:
        at(problem, "content/people/x.md", 2, 7)


def test_text_where_a_list_is_expected(tmp_path: Path) -> None:
    problem = only(problems(tmp_path, {"sessions/x.md": session(speakers="speakers: minister")}))
    at(problem, "content/sessions/x.md", 7, 11)
    assert problem.message.startswith("speakers: ") and "list" in problem.message


def test_multi_line_title(tmp_path: Path) -> None:
    text = session(title="title: |\n  one\n  two")
    problem = only(problems(tmp_path, {"sessions/x.md": text}))
    at(problem, "content/sessions/x.md", 2, 8)
    assert problem.message.startswith("title: ") and "single line" in problem.message


def test_empty_title(tmp_path: Path) -> None:
    problem = only(problems(tmp_path, {"sessions/x.md": session(title="title: '  '")}))
    at(problem, "content/sessions/x.md", 2)
    assert problem.message.startswith("title: ")


def test_unknown_session_kind_lists_the_kinds(tmp_path: Path) -> None:
    problem = only(problems(tmp_path, {"sessions/x.md": session(kind="kind: party")}))
    at(problem, "content/sessions/x.md", 5, 7)
    assert problem.message == (
        "kind: 'party' is not one of: roundtable, plenary, ceremony, bilateral, exhibition, briefing, workshop, meal, "
        "break, reception, other"
    )


def test_bad_id_in_a_list_names_its_index_and_line(tmp_path: Path) -> None:
    problem = only(problems(tmp_path, {"sessions/x.md": session(speakers="speakers: [minister, B]")}))
    at(problem, "content/sessions/x.md", 7, 22)
    assert problem.message.startswith("speakers.1: ") and "'B'" in problem.message and "lowercase" in problem.message


def test_bad_id_in_a_block_list(tmp_path: Path) -> None:
    text = session(speakers="speakers:\n  - minister\n  - con\n  - moderator")
    problem = only(problems(tmp_path, {"sessions/x.md": text}))
    at(problem, "content/sessions/x.md", 9, 5)
    assert problem.message.startswith("speakers.1: ") and "reserved" in problem.message


def test_bad_room_id(tmp_path: Path) -> None:
    problem = only(problems(tmp_path, {"sessions/x.md": session(room="room: Hall A")}))
    at(problem, "content/sessions/x.md", 6, 7)
    assert problem.message.startswith("room: ")


def test_bad_id_as_a_mapping_key_in_site_yaml(tmp_path: Path) -> None:
    text = site("hall-b: {name: Hall B}", "Hall_B: {name: Hall B}")
    found = problems(tmp_path, {"site.yaml": text})
    problem = next(problem for problem in found if problem.path == "content/site.yaml")
    at(problem, "content/site.yaml", site_line(text, "Hall_B"))
    assert problem.message.startswith("rooms.Hall_B: ")
    # and the session that names hall-b is told the room does not exist (the key is Hall_B)
    assert [p.message.split(" (")[0] for p in found if p.path != "content/site.yaml"] == ["unknown room 'hall-b'"]


@pytest.mark.parametrize("code", ["kr", "KOR", "XX", "K1", "", "Korea"])
def test_bad_country_codes(tmp_path: Path, code: str) -> None:
    text = session(countries=f"countries: [KR, '{code}']")
    problem = only(problems(tmp_path, {"sessions/x.md": text}))
    at(problem, "content/sessions/x.md", 8, 17)
    assert problem.message.startswith("countries.1: ") and "country code" in problem.message


def test_norway_is_a_country_not_false(tmp_path: Path) -> None:
    valid = validated(tmp_path, {"people/x.md": "---\nname: X\ncountry: NO\n---\n"})
    (meta,) = [v.meta for v in valid.documents if v.document.id == "x"]
    assert meta.country == "NO"


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "ftp://example.org/",
        "//example.org/",
        "example.org",
        "/about/",
        "https://",
        "http:/example.org",
        "mailto:a@example.org",
    ],
)
def test_bad_urls(tmp_path: Path, url: str) -> None:
    text = f"---\ntitle: E\nsection: korea\ncountry: KR\nurl: {url!r}\n---\n".replace("\\t", "\t")
    problem = only(problems(tmp_path, {"exhibits/x.md": text}))
    at(problem, "content/exhibits/x.md", 5, 6)
    assert problem.message.startswith("url: ") and "http" in problem.message


def test_good_urls(tmp_path: Path) -> None:
    for index, url in enumerate(["https://example.org", "http://example.org/a?b=c#d", "HTTPS://EXAMPLE.ORG/"]):
        text = f"---\ntitle: E\nsection: korea\ncountry: KR\nurl: {url!r}\n---\n"
        assert problems(tmp_path / str(index), {"exhibits/x.md": text}) == []


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("2019-11-25 25:99", ["25:99"]),
        ("2019-11-25 24:00", ["24:00"]),
        ("2019-02-30 10:00", ["2019-02-30"]),
        ("2019-11-25 9:00", ["YYYY-MM-DD HH:MM"]),
        ("2019-11-25", ["YYYY-MM-DD HH:MM"]),
        ("09:00", ["YYYY-MM-DD HH:MM"]),
        ("25/11/2019 09:00", ["YYYY-MM-DD HH:MM"]),
        ("tomorrow", ["YYYY-MM-DD HH:MM"]),
    ],
)
def test_bad_times(tmp_path: Path, value: str, words: list[str]) -> None:
    problem = only(problems(tmp_path, {"sessions/x.md": session(end=f'end: "{value}"')}))
    at(problem, "content/sessions/x.md", 4, 6)
    assert problem.message.startswith("end: ")
    for word in words:
        assert word in problem.message
    assert "%H" not in problem.message  # no strptime jargon for editors


@pytest.mark.parametrize("value", ["2019-02-30", "2019-13-01", "25/11/2019", "2019-11-5", "Nov 20", "2019"])
def test_bad_dates(tmp_path: Path, value: str) -> None:
    problem = only(problems(tmp_path, {"news/x.md": f"---\ntitle: N\ndate: '{value}'\n---\n"}))
    at(problem, "content/news/x.md", 3, 7)
    assert problem.message.startswith("date: ") and "YYYY-MM-DD" in problem.message


def test_empty_date(tmp_path: Path) -> None:
    problem = only(problems(tmp_path, {"news/x.md": "---\ntitle: N\ndate:\n---\n"}))
    at(problem, "content/news/x.md", 3)
    assert problem.message.startswith("date: ")


@pytest.mark.parametrize(("value", "word"), [("../secret.jpg", "'..'"), ("/etc/passwd", "relative"), ("C:x.jpg", "relative"), ("a\\\\b.jpg", "'/'"), ("%2e%2e/x.jpg", "percent")])
def test_bad_media_paths(tmp_path: Path, value: str, word: str) -> None:
    problem = only(problems(tmp_path, {"people/x.md": f'---\nname: X\nphoto: "{value}"\n---\n'}))
    at(problem, "content/people/x.md", 3, 8)
    assert problem.message.startswith("photo: ") and word in problem.message


# --- translations ------------------------------------------------------------------------------------


def test_translation_with_a_non_translatable_field(tmp_path: Path) -> None:
    text = "---\ntitle: 개회식\nstart: '2019-11-25 09:00'\n---\n"
    problem = only(problems(tmp_path, {"sessions/opening.ko.md": text}))
    at(problem, "content/sessions/opening.ko.md", 3, 8)
    assert "unknown field 'start'" in problem.message
    allowed = problem.message.split("allowed here:")[1]
    assert "title" in allowed and "summary" in allowed and "start" not in allowed


def test_person_translation_cannot_change_the_country(tmp_path: Path) -> None:
    problem = only(problems(tmp_path, {"people/minister.ko.md": "---\nname: 장관\ncountry: KR\n---\n"}))
    at(problem, "content/people/minister.ko.md", 3)
    assert "'country'" in problem.message and "name" in problem.message.split("allowed here:")[1]


def test_translation_fields_are_all_optional(tmp_path: Path) -> None:
    valid = validated(tmp_path, {"sessions/opening.th.md": "---\n---\nเนื้อหา\n"})
    assert valid.problems == ()


def test_bad_source_fingerprint(tmp_path: Path) -> None:
    text = "---\ntitle: 개회식\nsource_fingerprint: XYZ\n---\n"
    problem = only(problems(tmp_path, {"sessions/opening.ko.md": text}))
    at(problem, "content/sessions/opening.ko.md", 3)
    assert problem.message.startswith("source_fingerprint: ")


def test_invalid_sources_are_listed_but_translations_are_not(tmp_path: Path) -> None:
    valid = validated(
        tmp_path,
        {"sessions/talk.md": session(title=None), "sessions/opening.ko.md": "---\nstart: x\n---\n"},
    )
    assert valid.invalid == frozenset({("session", "talk")})
    assert {v.document.display for v in valid.documents} >= {"content/sessions/opening.md"}
    assert "content/sessions/talk.md" not in {v.document.display for v in valid.documents}
    assert "content/sessions/opening.ko.md" not in {v.document.display for v in valid.documents}


# --- site.yaml ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("zone", ["Asia/Seol", "asia/seoul", "Asia", "", "../../etc/passwd", "/etc/localtime", "Asia/Seoul/", "KST"])
def test_bad_timezone(tmp_path: Path, zone: str) -> None:
    text = site("timezone: Asia/Seoul", f"timezone: '{zone}'")
    problem = only(problems(tmp_path, {"site.yaml": text}))
    at(problem, "content/site.yaml", site_line(text, "timezone:"), 11)
    assert problem.message.startswith("timezone: ") and "IANA" in problem.message


def site_problems(tmp_path: Path, files: dict) -> list[Problem]:
    """Problems of site.yaml found by validation and by the model (where languages meet CLDR)."""
    from eventsite.build import Caches, examine

    from .sitekit import project_for

    content = write_site(tmp_path, files)
    return list(examine(project_for(content, tmp_path / "site"), Caches()).problems)


def test_language_not_of_the_site_as_a_localized_key(tmp_path: Path) -> None:
    text = site("  ko: 테스트 포럼\n", "  ko: 테스트 포럼\n  xx: Bad\n")
    problem = only(site_problems(tmp_path, {"site.yaml": text}))
    at(problem, "content/site.yaml", site_line(text, "xx: Bad"))
    assert problem.message == "title: language 'xx' is not in languages"


# One mistake in site.yaml → one problem on its line: (replace, with, the line that has, column, message prefix, the message mentions).
SITE_MISTAKES = [
    *(
        pytest.param(
            "languages: [en, ko, th]", f"languages: [en, ko, '{code}']", "languages:", None, "languages.2: ", "not a language code",
            id=f"language-{code}",
        )
        for code in ["klingon", "en_US", "en-", "12"]
    ),
    pytest.param("languages: [en, ko, th]", "languages: [en, ko, xx]", "languages:", None, "'xx' is not a language known to CLDR",
                 "locales: {xx:", id="language-unknown-to-cldr"),
    pytest.param(
        "languages: [en, ko, th]\n", "languages: [en, ko, th]\nfallbacks:\n  th: [en, zz]\n", "th: [en, zz]", None,
        "fallbacks: 'zz' is not in languages", "", id="fallback-not-a-site-language",
    ),
    pytest.param("languages: [en, ko, th]", "languages: [en, ko, th, ko]", "languages:", None, "languages: ", "once", id="language-twice"),
    pytest.param("languages: [en, ko, th]", "languages: []", "languages:", None, "languages: ", "", id="no-languages"),
    *(
        pytest.param("base_url: https://example.org/forum/", f"base_url: '{url}'", "base_url:", 11, "base_url: ", "http", id=f"base-url-{url}")
        for url in ["ftp://example.org/", "example.org/forum/", "javascript:alert(1)", "/forum/", "file:///tmp/site/"]
    ),
    pytest.param('end: "2019-11-26"', 'end: "2019-11-24"', "dates:", None, "dates: ", "before", id="dates-out-of-order"),
    pytest.param('end: "2019-11-26"', 'end: "2019-11-31"', "dates:", None, "dates.end: ", "YYYY-MM-DD", id="bad-date"),
]


@pytest.mark.parametrize(("old", "new", "line_with", "column", "prefix", "mentions"), SITE_MISTAKES)
def test_one_site_yaml_mistake_is_one_problem_on_its_line(
    tmp_path: Path, old: str, new: str, line_with: str, column: int | None, prefix: str, mentions: str
) -> None:
    text = site(old, new)
    problem = only(site_problems(tmp_path, {"site.yaml": text}))
    at(problem, "content/site.yaml", site_line(text, line_with), column)
    assert problem.message.startswith(prefix) and mentions in problem.message


def test_site_problems_stop_the_stage(tmp_path: Path) -> None:
    raw = load_content(write_site(tmp_path, {"site.yaml": site("timezone: Asia/Seoul", "timezone: Mars/Olympus")}))
    with pytest.raises(BuildError):
        validate_content(raw)


def test_site_config_model_directly() -> None:
    with pytest.raises(ValidationError) as caught:
        SiteConfig.model_validate({"title": "x", "languages": ["en"], "timezone": "UTC", "base_url": "https://e.org"})
    assert [error["loc"] for error in caught.value.errors()] == [("dates",)]


# --- all at once ---------------------------------------------------------------------------------------


def test_many_problems_across_many_files_are_reported_together(tmp_path: Path) -> None:
    site_text = site("timezone: Asia/Seoul", "timezone: Asia/Seol")
    found = problems(
        tmp_path,
        {
            "site.yaml": site_text,
            "sessions/a.md": session(title=None, speakers="speakers: [a, B]"),
            "sessions/b.md": session(end='end: "2019-11-25 25:99"', kind="layout: x"),
            "sessions/opening.ko.md": "---\ntitle: 개회식\nroom: hall-a\n---\n",
            "people/p.md": "---\nname: P\ncountry: kr\n---\n",
            "exhibits/e.md": "---\ntitle: E\nsection: korea\ncountry: KR\nurl: javascript:alert(1)\n---\n",
            "news/n.md": "---\ntitle: N\ndate: 2019-02-30\n---\n",
        },
    )
    located = sorted((p.path, p.line, field_of(p)) for p in found)
    assert located == sorted(
        [
            ("content/site.yaml", site_line(site_text, "timezone:"), "timezone"),
            ("content/sessions/a.md", 1, "title"),
            ("content/sessions/a.md", 6, "speakers.1"),
            ("content/sessions/a.md", 6, "a"),  # unknown person 'a': checked although the file fails its schema
            ("content/sessions/b.md", 4, "end"),
            ("content/sessions/b.md", 5, "layout"),
            ("content/sessions/opening.ko.md", 3, "room"),
            ("content/people/p.md", 3, "country"),
            ("content/exhibits/e.md", 5, "url"),
            ("content/news/n.md", 3, "date"),
        ]
    )


def test_problems_of_valid_settings_are_returned_not_raised(tmp_path: Path) -> None:
    valid = validated(tmp_path, {"people/p.md": "---\nname: P\ncountry: kr\n---\n", "news/n.md": "---\ntitle: N\n---\n"})
    assert {p.path for p in valid.problems} == {"content/people/p.md", "content/news/n.md"}
    assert valid.invalid == frozenset({("person", "p"), ("news", "n")})


def test_validation_cache_is_used_by_path_and_hash(tmp_path: Path) -> None:
    content = write_site(tmp_path)
    raw = load_content(content)
    cache = ValidationCache()
    first = validate_content(raw, cache)
    assert len(cache.metas) == 8 + 1  # every document, and site.yaml
    second = validate_content(raw, cache)
    assert second.site is first.site
    # The same documents: the very same results.
    assert all(a is b for a, b in zip(first.documents, second.documents))
    # The same bytes read again (a save without a change): new documents, the same metadata.
    touched = content / "sessions" / "opening.md"
    touched.write_bytes(touched.read_bytes())
    reread = load_content(content)
    third = validate_content(reread, cache)
    assert all(a.document is not b.document and a.meta is b.meta for a, b in zip(first.documents, third.documents))
    # Other bytes under the same path: validated again.
    touched.write_text(touched.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
    fourth = validate_content(load_content(content), cache)
    (before,) = [item for item in third.documents if item.document.path == touched]
    (after,) = [item for item in fourth.documents if item.document.path == touched]
    assert after.meta is not before.meta and after.meta == before.meta
