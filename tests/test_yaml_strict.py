"""yaml_strict: every scalar stays text, harmful YAML features are refused, lines are exact."""

from __future__ import annotations

import pytest
import yaml

from eventsite import yaml_strict
from eventsite.yaml_strict import ParsedYaml, YamlProblem, parse

PARSERS = {"python": yaml.SafeLoader}
if hasattr(yaml, "CSafeLoader"):
    PARSERS["libyaml"] = yaml.CSafeLoader


@pytest.fixture(autouse=True, params=sorted(PARSERS))
def parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every test runs with libyaml's parser (when PyYAML has it) and with the pure-Python one."""
    monkeypatch.setattr(yaml_strict, "_Parser", PARSERS[request.param])
    return request.param


def problem_of(text: str, first_line: int = 1) -> YamlProblem:
    with pytest.raises(YamlProblem) as caught:
        parse(text, first_line=first_line)
    return caught.value


def kept_problem(text: str, first_line: int = 1) -> YamlProblem:
    """The one problem of a text that still parses (the rest of the file is checked)."""
    parsed = parse(text, first_line=first_line)
    assert len(parsed.problems) == 1, parsed.problems
    return parsed.problems[0]


# --- scalars stay strings -------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "NO", "no", "No", "yes", "Yes", "on", "off", "y", "n", "true", "False",  # YAML 1.1 booleans
        "12:30", "1:20:30",  # sexagesimal integers
        "1.10", "1e3", ".inf", "-.inf", ".nan",  # floats
        "010", "0x1F", "0b101", "0o17", "+1", "1_000",  # integers
        "2019-11-25", "2019-11-25 09:00", "2019-11-25T09:00:00Z",  # timestamps
        "=",  # the 'value' tag
    ],
)
def test_implicitly_typed_scalars_stay_exactly_as_written(value: str) -> None:
    assert parse(f"a: {value}\nb: [{value}]\n").data == {"a": value, "b": [value]}


def test_quoted_scalars_keep_their_text() -> None:
    data = parse("a: 'NO'\nb: \"12:30\"\nc: '~'\nd: 'null'\ne: ''\n").data
    assert data == {"a": "NO", "b": "12:30", "c": "~", "d": "null", "e": ""}


@pytest.mark.parametrize("value", ["", "~", "null", "Null", "NULL"])
def test_plain_nulls_become_none(value: str) -> None:
    assert parse(f"a: {value}\n").data == {"a": None}


def test_keys_stay_strings_too() -> None:
    data = parse("NO: a\n1.10: b\nyes: c\n12:30: d\n").data
    assert data == {"NO": "a", "1.10": "b", "yes": "c", "12:30": "d"}
    assert all(isinstance(key, str) for key in data)


def test_block_scalars_and_nested_structures() -> None:
    text = "title: |\n  line one\n  line two\nlist:\n  - a\n  - {b: 1, c: [x, NO]}\n"
    assert parse(text).data == {
        "title": "line one\nline two\n",
        "list": ["a", {"b": "1", "c": ["x", "NO"]}],
    }


def test_merge_key_is_just_a_key() -> None:
    # `<<` merges only work through aliases, which are refused; as a plain key it stays inert.
    assert parse("<<: {a: 1}\n").data == {"<<": {"a": "1"}}


def test_empty_document_is_an_empty_mapping() -> None:
    for text in ("", "\n", "# only a comment\n"):
        parsed = parse(text)
        assert parsed.data == {}
        assert parsed.locations == {}


def test_non_mapping_documents_are_returned_as_is() -> None:
    assert parse("- a\n- b\n").data == ["a", "b"]
    assert parse("just text").data == "just text"


def test_non_specific_tag_is_harmless_and_allowed() -> None:
    assert parse("a: ! 12\n").data == {"a": "12"}


# --- refused features -------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "a: !!python/object/apply:os.system ['echo pwned']\n",
        "a: !!python/name:os.system\n",
        "a: !!python/object/new:subprocess.Popen [[ls]]\n",
        "!!python/object/apply:os.system ['echo pwned']\n",
        "a: !!str 12\n",
        "a: !!int 12\n",
        "a: !!binary aGVsbG8=\n",
        "a: !custom x\n",
        "a: !!map {b: 1}\n",
        "a: !!seq [1]\n",
    ],
)
def test_explicit_tags_are_rejected(text: str) -> None:
    problem = problem_of(text)
    assert "tag" in problem.message
    assert problem.line == 1


def test_tag_is_rejected_where_it_is_written() -> None:
    problem = problem_of("title: ok\nlist:\n  - fine\n  - !!python/object/apply:os.system [x]\n", first_line=2)
    assert "python/object/apply:os.system" in problem.message
    assert (problem.line, problem.column) == (5, 5)


def test_tag_directive_cannot_smuggle_a_tag() -> None:
    problem = problem_of("%TAG ! tag:yaml.org,2002:python/\n---\na: !object/apply:os.system [x]\n")
    assert "tag" in problem.message and problem.line == 3


def test_anchor_is_rejected() -> None:
    problem = problem_of("a: &x value\nb: other\n")
    assert "anchor" in problem.message
    assert (problem.line, problem.column) == (1, 4)


def test_alias_is_rejected() -> None:
    problem = problem_of("a: [x]\nb: *x\n")
    assert "alias" in problem.message
    assert (problem.line, problem.column) == (2, 4)


def test_anchor_on_a_collection_is_rejected() -> None:
    assert "anchor" in problem_of("base: &b {a: 1}\n").message
    assert "anchor" in problem_of("- &l [1, 2]\n").message


def test_alias_bomb_is_refused_at_its_first_anchor_before_any_expansion() -> None:
    # "Billion laughs": 9 levels of 9 aliases each would be 9**9 strings if expanded.
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level, name in enumerate("bcdefghi"):
        prev = "abcdefghi"[level]
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    problem = problem_of("\n".join(lines) + "\n")
    assert "anchor" in problem.message
    assert problem.line == 1  # stopped at the very first anchor


def test_bare_alias_bomb_without_anchors_is_refused_too() -> None:
    problem = problem_of("x: [" + ",".join(["*a"] * 1000) + "]\n")
    assert "alias" in problem.message and problem.line == 1


def test_duplicate_key_names_both_lines() -> None:
    problem = kept_problem("title: one\nsummary: s\ntitle: two\n", first_line=2)
    assert "written twice" in problem.message and "'title'" in problem.message
    assert problem.line == 4  # the second occurrence
    assert "line 2" in problem.message  # the first occurrence
    assert problem.column == 1


def test_duplicate_nested_key_is_rejected_at_its_own_line() -> None:
    problem = kept_problem("rooms:\n  hall-a: {name: A}\n  hall-b: {name: B}\n  hall-a: {name: C}\n")
    assert "written twice" in problem.message and "hall-a" in problem.message
    assert (problem.line, problem.column) == (4, 3)
    assert "line 2" in problem.message


def test_duplicate_key_in_flow_mapping() -> None:
    problem = kept_problem("dates: {start: a, start: b}\n")
    assert "written twice" in problem.message and problem.line == 1


def test_the_first_of_two_keys_counts_and_the_rest_of_the_file_is_read() -> None:
    parsed = parse("title: one\ntitle: two\nrooms:\n  a: {name: A}\n")
    assert parsed.data == {"title": "one", "rooms": {"a": {"name": "A"}}}
    assert parsed.locate(("title",)) == (1, 8) and parsed.locate(("rooms", "a")) == (4, 6)


def test_same_key_in_different_mappings_is_fine() -> None:
    assert parse("a: {name: x}\nb: {name: y}\n").data == {"a": {"name": "x"}, "b": {"name": "y"}}


def test_complex_keys_are_rejected() -> None:
    problem = problem_of("? [a, b]\n: value\n")
    assert "key" in problem.message and problem.line == 1


def test_too_many_values_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yaml_strict, "MAX_NODES", 10)
    parse("a: [" + ",".join(["x"] * 8) + "]\n")  # 1 mapping + 1 list + 8 = 10: fine
    problem = problem_of("a: [" + ",".join(["x"] * 9) + "]\n")
    assert "10" in problem.message and problem.line == 1


def test_a_second_document_is_refused() -> None:
    problem = problem_of("a: 1\n---\nb: 2\n", first_line=2)
    assert "document" in problem.message
    assert problem.line == 3


# --- syntax errors ------------------------------------------------------------------


def test_syntax_error_line_and_column_are_one_based() -> None:
    problem = problem_of("a: 1\nb: [1, 2\nc: 3\n")
    assert problem.message.startswith("a list in [brackets] opened here is not closed")
    assert (problem.line, problem.column) == (2, 4)  # where the list opens


def test_syntax_error_is_offset_by_first_line() -> None:
    text = "a: 1\nb: [1, 2\nc: 3\n"
    plain = problem_of(text)
    offset = problem_of(text, first_line=2)
    assert offset.line == plain.line + 1
    assert offset.column == plain.column


def test_unterminated_quote() -> None:
    problem = problem_of("title: ok\nsummary: 'no end\n", first_line=2)
    assert "never closed" in problem.message
    assert (problem.line, problem.column) == (3, 10)  # where the quote opens


def test_tab_indentation_is_reported_where_it_is() -> None:
    problem = problem_of("a: 1\n\tb: 2\n", first_line=10)
    assert "tab" in problem.message and "spaces" in problem.message
    assert (problem.line, problem.column) == (11, 1)


def test_bad_indentation_points_at_the_line() -> None:
    problem = problem_of("a:\n  b: 1\n c: 2\n", first_line=2)
    assert problem.line == 4


def test_control_character_is_located_and_reported_on_one_line() -> None:
    # A vertical tab is what a paste from a word processor leaves behind.
    problem = problem_of("title: ok\nsummary: soft\x0bbreak\n", first_line=2)
    assert (problem.line, problem.column) == (3, 14)
    assert "\n" not in problem.message
    assert "#x000b" in problem.message.lower() or "0b" in problem.message.lower()


def test_problem_is_an_exception_with_its_place() -> None:
    problem = YamlProblem("msg", 3, 4)
    assert isinstance(problem, Exception)
    assert (problem.message, problem.line, problem.column) == ("msg", 3, 4)
    assert str(problem) == "msg"


# --- locations ---------------------------------------------------------------------------


def test_locations_point_at_each_value() -> None:
    text = (
        "title: Opening\n"  # 2
        "speakers:\n"  # 3
        "  - minister\n"  # 4
        "  - moderator\n"  # 5
        "dates: {start: '2019-11-25', end: x}\n"  # 6
        "rooms:\n"  # 7
        "  hall-a:\n"  # 8
        "    name: {en: Hall A, ko: A홀}\n"  # 9
    )
    parsed = parse(text, first_line=2)
    loc = parsed.locations
    assert loc[()] == (2, 1)
    assert loc[("title",)] == (2, 8)
    assert loc[("speakers", 0)] == (4, 5)
    assert loc[("speakers", 1)] == (5, 5)
    assert loc[("dates",)] == (6, 8)
    assert loc[("dates", "start")] == (6, 16)
    assert loc[("dates", "end")] == (6, 35)
    assert loc[("rooms", "hall-a")][0] == 9
    assert loc[("rooms", "hall-a", "name")] == (9, 11)
    assert loc[("rooms", "hall-a", "name", "en")] == (9, 16)
    assert loc[("rooms", "hall-a", "name", "ko")] == (9, 28)


def test_every_value_has_a_location() -> None:
    parsed = parse("a: [1, {b: [2, 3]}]\nc: {d: e}\n")
    assert set(parsed.locations) == {
        (), ("a",), ("a", 0), ("a", 1), ("a", 1, "b"), ("a", 1, "b", 0), ("a", 1, "b", 1), ("c",), ("c", "d"),
    }


def test_locate_falls_back_to_the_nearest_located_ancestor() -> None:
    parsed = parse("intro: x\nspeakers: [a, b]\n", first_line=2)
    assert parsed.locate(("speakers", 1)) == (3, 15)
    assert parsed.locate(("speakers", 7)) == parsed.locations[("speakers",)]
    assert parsed.locate(("speakers", 7, "deep")) == parsed.locations[("speakers",)]
    assert parsed.locate(("missing",)) == parsed.locations[()] == (2, 1)


def test_locate_on_an_empty_document() -> None:
    assert parse("").locate(("title",)) == (1, 1)
    assert ParsedYaml(data={}).locate(()) == (1, 1)


def test_crlf_free_text_with_comments_keeps_lines() -> None:
    parsed = parse("# comment\n\n# more\ntitle: x\n", first_line=5)
    assert parsed.locations[("title",)] == (8, 8)
