"""JSON Schemas for editors: generated from validate.py, committed, and true to the build."""

from __future__ import annotations

import json
import re
import shutil
import textwrap
from pathlib import Path

import jsonschema
import pytest

from eventsite import paths
from eventsite.cli import main
from eventsite.kinds import BY_NAME as CONTENT_KINDS
from eventsite.kinds import FOLDERS as CONTENT_FOLDERS
from eventsite.load import split_front_matter
from eventsite.schemas import generate
from eventsite.yaml_strict import parse

from .sitekit import BASE_FILES, PROJECT_ROOT

COMMITTED = PROJECT_ROOT / "schemas"
KIND_OF_FOLDER = CONTENT_FOLDERS


def schema(name: str) -> dict:
    return json.loads((COMMITTED / name).read_text(encoding="utf-8"))


def validator(name: str) -> jsonschema.Draft7Validator:
    return jsonschema.Draft7Validator(schema(name))


def schema_name(relative: str) -> str:
    """'sessions/opening.ko.md' → 'session.translation.schema.json'."""
    folder, _, name = relative.partition("/")
    translation = name.count(".") == 2
    return f"{KIND_OF_FOLDER[folder]}{'.translation' if translation else ''}.schema.json"


def front_matter(text: str) -> dict:
    split = split_front_matter(text)
    assert split is not None
    return parse(split[0], first_line=2).data


def test_committed_schemas_are_up_to_date(tmp_path: Path, capsys) -> None:
    assert main(["schemas", "--dir", str(tmp_path)], root=tmp_path) == 0
    fresh = {path.name: path.read_bytes() for path in tmp_path.iterdir()}
    committed = {path.name: path.read_bytes() for path in COMMITTED.glob("*.schema.json")}
    assert fresh == committed, "run `python3 build.py schemas` and commit schemas/"
    assert main(["schemas", "--check"], root=PROJECT_ROOT) == 0


def test_check_fails_on_a_stale_or_extra_file(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "schemas"
    shutil.copytree(COMMITTED, folder)
    assert main(["schemas", "--check", "--dir", str(folder)]) == 0
    (folder / "old.schema.json").write_text("{}\n")
    assert main(["schemas", "--check", "--dir", str(folder)]) == 1
    (folder / "old.schema.json").unlink()
    session = folder / "session.schema.json"
    session.write_text(session.read_text().replace('"title"', '"titel"', 1))
    assert main(["schemas", "--check", "--dir", str(folder)]) == 1
    assert "session.schema.json" in capsys.readouterr().err
    assert main(["schemas", "--dir", str(folder)]) == 0
    assert main(["schemas", "--check", "--dir", str(folder)]) == 0


def test_generation_is_stable() -> None:
    assert generate() == generate()


def test_one_schema_per_kind_and_translation() -> None:
    names = set(generate())
    assert "site.schema.json" in names
    for kind in CONTENT_KINDS:
        assert {f"{kind}.schema.json", f"{kind}.translation.schema.json"} <= names


@pytest.mark.parametrize("name", sorted(generate()))
def test_schema_shape(name: str) -> None:
    document = schema(name)
    jsonschema.Draft7Validator.check_schema(document)
    assert list(document)[:4] == ["$schema", "$id", "title", "description"]
    assert document["$id"].endswith(name.removesuffix(".schema.json"))
    assert document["additionalProperties"] is False
    assert "$ref" not in json.dumps(document)  # self-contained, for the YAML language server


def test_localized_text_is_string_or_language_map() -> None:
    title = schema("site.schema.json")["properties"]["title"]
    types = [choice["type"] for choice in title["anyOf"]]
    assert types == ["string", "object"]
    check = validator("site.schema.json")
    site = parse(textwrap.dedent(BASE_FILES["site.yaml"])).data
    for value, ok in [("Forum", True), ({"en": "Forum", "ko": "포럼"}, True), (["Forum"], False), ({"EN!": "x"}, False)]:
        assert check.is_valid({**site, "title": value}) is ok, value


def test_ids_and_countries_carry_the_build_rules() -> None:
    session = schema("session.schema.json")["properties"]
    assert session["speakers"]["items"]["pattern"] == paths.ID_PATTERN.pattern
    assert re.fullmatch(session["countries"]["items"]["pattern"], "KR")
    assert session["kind"]["enum"][-1] == "other" and session["kind"]["default"] == "other"
    check = validator("session.schema.json")
    good = {"title": "T", "start": "2019-11-25 09:00", "end": "2019-11-25 10:00"}
    assert check.is_valid(good)
    assert not check.is_valid({**good, "start": "25/11/2019 9am"})
    assert not check.is_valid({**good, "speakers": ["Not_An_Id"]})
    assert not check.is_valid({**good, "title": "two\nlines"})
    assert not check.is_valid({key: value for key, value in good.items() if key != "end"})


def _real_documents() -> list[tuple[str, Path]]:
    found = []
    for folder in KIND_OF_FOLDER:
        for path in sorted((PROJECT_ROOT / "content" / folder).glob("*.md")):
            found.append((f"{folder}/{path.name}", path))
    return found


@pytest.mark.parametrize("relative, path", _real_documents(), ids=lambda value: str(value) if isinstance(value, str) else "")
def test_real_front_matter_validates(relative: str, path: Path) -> None:
    data = front_matter(path.read_text(encoding="utf-8"))
    errors = [error.message for error in validator(schema_name(relative)).iter_errors(data)]
    assert not errors, (relative, errors)


def test_real_and_fixture_site_yaml_validate() -> None:
    check = validator("site.schema.json")
    for text in ((PROJECT_ROOT / "content" / "site.yaml").read_text(encoding="utf-8"), textwrap.dedent(BASE_FILES["site.yaml"])):
        data = parse(text).data
        assert not [error.message for error in check.iter_errors(data)]


FIXTURES = sorted(name for name in BASE_FILES if name.endswith(".md"))


@pytest.mark.parametrize("relative", FIXTURES)
def test_fixture_front_matter_validates_and_unknown_keys_are_rejected(relative: str) -> None:
    data = front_matter(textwrap.dedent(BASE_FILES[relative]))
    check = validator(schema_name(relative))
    assert check.is_valid(data)
    errors = list(check.iter_errors({**data, "subtitle": "not a field"}))
    assert errors and all(error.validator == "additionalProperties" for error in errors)


def test_site_yaml_rejects_unknown_keys_at_every_level() -> None:
    check = validator("site.schema.json")
    site = parse(textwrap.dedent(BASE_FILES["site.yaml"])).data
    assert not check.is_valid({**site, "colour": "blue"})
    assert not check.is_valid({**site, "venue": {**site["venue"], "floor": "3"}})
    assert not check.is_valid({**site, "dates": {**site["dates"], "days": "2"}})
