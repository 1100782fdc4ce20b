"""New content files with every field written out: ``build.py new``.

An editor starts from a file that already builds: required fields hold
placeholders that pass validation (a time on the event's first day,
09:00–10:00), optional fields are commented out with a line saying what
they take. The field list and the explanations come from the pydantic
models, so a field added to validate.py shows up here without an edit.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from babel.dates import format_interval
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from . import paths
from .errors import Problem, display_path
from .l10n import language
from .config import SiteConfig
from .documents import Document
from .kinds import BY_FOLDER, BY_NAME
from .load import SITE_FILE, decode_text, split_front_matter
from .model import RESERVED_IDS
from .program import program
from .schemas import property_help
from .schemas import write as write_schemas
from .validate import schema_problem
from .yaml_strict import YamlProblem, parse




class ScaffoldError(Exception):
    """Why a file was not written; every line is meant for the editor."""


def new_entry(content: Path, kind: str, item_id: str, today: dt.date | None = None) -> Path:
    """Write ``content/<folder>/<item_id>.md`` for a new item of ``kind``."""
    if kind not in BY_NAME:
        raise ScaffoldError(f"unknown kind {kind!r}: use one of {', '.join(BY_NAME)} or 'translation'")
    why = paths.id_problem(item_id)
    if why:
        raise ScaffoldError(f"{why} (it becomes the file name and the page address)")
    if BY_NAME[kind].in_nav and item_id in RESERVED_IDS | {name for other in BY_NAME.values() for name in other.reserved_ids}:
        raise ScaffoldError(f"page id {item_id!r} is reserved for a built-in page")
    site = read_site(content)
    target = content / BY_NAME[kind].folder / f"{item_id}.md"
    _write(target, entry_text(kind, item_id, site, today or dt.date.today()), content)
    return target


def new_translation(content: Path, source: str, lang: str) -> Path:
    """Write ``<folder>/<id>.<lang>.md`` prefilled with the source's texts."""
    kind, folder, item_id = _parse_source(source, content)
    site = read_site(content)
    if lang not in site.languages:
        raise ScaffoldError(f"language {lang!r} is not in site.yaml languages ({', '.join(site.languages)})")
    if lang == site.languages[0]:
        raise ScaffoldError(f"{lang!r} is the default language: edit {folder}/{item_id}.md itself")
    source_path = content / folder / f"{item_id}.md"
    if not source_path.is_file():
        raise ScaffoldError(f"{display_path(source_path, content)} does not exist")
    meta, body = _read_source(source_path, content, kind)
    target = content / folder / f"{item_id}.{lang}.md"
    _write(target, translation_text(kind, meta, body, lang, display_path(target, content)), content)
    return target


# --- reading ---------------------------------------------------------------------


def read_site(content: Path) -> SiteConfig:
    """site.yaml, validated on its own: a scaffold needs its dates and languages."""
    path = content / SITE_FILE
    if not path.is_file():
        raise ScaffoldError(f"{display_path(path, content)} not found: is --content right?")
    data = _parse_yaml(path, content, path.read_bytes(), first_line=1)
    return _validated(SiteConfig, data, path, content, "site")  # type: ignore[return-value]


def _read_source(path: Path, content: Path, kind: str) -> tuple[BaseModel, str]:
    shown = display_path(path, content)
    problems: list[Problem] = []
    text = decode_text(path.read_bytes(), shown, problems)
    split = split_front_matter(text) if text is not None else None
    if problems or split is None:
        raise ScaffoldError("\n".join(p.format() for p in problems) or f"{shown}: no front matter")
    yaml_text, body, _ = split
    data = _parse_yaml(path, content, yaml_text.encode("utf-8"), first_line=2)
    return _validated(BY_NAME[kind].meta, data, path, content, kind), body


def _parse_yaml(path: Path, content: Path, raw: bytes, first_line: int) -> Any:
    shown = display_path(path, content)
    problems: list[Problem] = []
    text = decode_text(raw, shown, problems)
    if text is None:
        raise ScaffoldError("\n".join(p.format() for p in problems))
    try:
        return parse(text, first_line=first_line)
    except YamlProblem as problem:
        raise ScaffoldError(Problem(shown, problem.line, problem.message, problem.column).format()) from None


def _validated(model: type[BaseModel], parsed: Any, path: Path, content: Path, kind: str) -> BaseModel:
    try:
        return model.model_validate(parsed.data)
    except ValidationError as error:
        # A Document only so the errors are located exactly as the build locates them.
        document = Document(path, display_path(path, content), kind, "", None, parsed, "", 0, "")
        lines = [schema_problem(document, model, detail).format() for detail in error.errors()]
        raise ScaffoldError("\n".join(lines + [f"fix these first: `{program()} check` lists every problem"])) from None


def _parse_source(source: str, content: Path) -> tuple[str, str, str]:
    """'sessions/opening' (or 'content/sessions/opening.md') → kind, folder, id."""
    text = source.replace("\\", "/").removesuffix(".md")
    text = text.removeprefix(content.name + "/") if text.count("/") > 1 else text
    folder, _, item_id = text.partition("/")
    kinds = {kind.name: kind.folder for kind in BY_NAME.values()}
    folder = kinds.get(folder, folder)
    if folder not in BY_FOLDER or not item_id:
        raise ScaffoldError(f"expected FOLDER/ID such as sessions/opening (folders: {', '.join(BY_FOLDER)})")
    why = paths.id_problem(item_id)
    if why:
        raise ScaffoldError(why)
    return BY_FOLDER[folder].name, folder, item_id


def _write(target: Path, text: str, content: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(target, "x", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
    except FileExistsError:
        raise ScaffoldError(f"{display_path(target, content)} already exists; not overwritten") from None


# --- writing -----------------------------------------------------------------------


def entry_text(kind: str, item_id: str, site: SiteConfig, today: dt.date) -> str:
    model = BY_NAME[kind].meta
    lines = ["---", f"# {_doc(model)}", "# Required fields hold placeholders: replace them.",
             "# Optional fields are commented out: delete the '# ' in front of one to use it."]
    for name, field in model.model_fields.items():
        note = _note(model, name)
        if field.is_required():
            lines.append(f"{name}: {_yaml(_placeholder(kind, name, item_id, site, today))}{note}")
        else:
            lines.append(f"# {name}: {_yaml(_example(field))}{note}")
    lines += ["---", f"Write the {kind} text here, in Markdown.", ""]
    return "\n".join(lines)


def translation_text(kind: str, meta: BaseModel, body: str, lang: str, shown: str) -> str:
    model = BY_NAME[kind].translation
    names = language(lang)
    lines = [
        "---",
        f"# {names.english_name} ({lang}) translation. Translate every text below into {names.english_name},",
        f"# then run: {program()} i18n sign-off {shown}",
        "# A field you delete is shown from the source, in the source's language.",
    ]
    for name in BY_NAME[kind].translatable:
        value = getattr(meta, name, None)
        note = _note(model, name)
        lines.append(f"{name}: {_yaml(value)}{note}" if value else f"# {name}: \"\"{note}")
    lines += ["---", body.strip("\n"), ""]
    return "\n".join(lines)


def _placeholder(kind: str, name: str, item_id: str, site: SiteConfig, today: dt.date) -> Any:
    """A value for a required field that passes validation and cross-checks."""
    if name in ("title", "name"):
        return item_id.replace("-", " ").capitalize()
    make = BY_NAME[kind].placeholders
    try:
        values = make(site, item_id, today) if make is not None else {}
    except ValueError as error:  # the kind needs something site.yaml lacks
        raise ScaffoldError(str(error)) from None
    if name in values:
        return values[name]
    raise ScaffoldError(f"no placeholder for the required field {kind}.{name}: give the kind's placeholders one")


def _example(field: FieldInfo) -> Any:
    if field.default_factory is not None:
        value = field.default_factory()  # type: ignore[call-arg]
        return value if isinstance(value, list) else ""
    if field.default is PydanticUndefined or field.default is None:
        return ""
    return getattr(field.default, "value", field.default)  # enums by their YAML spelling


def _note(model: type[BaseModel], name: str) -> str:
    text = property_help(model, name)
    return f"  # {text}" if text else ""


def _doc(model: type[BaseModel]) -> str:
    return " ".join((model.__doc__ or model.__name__).split())


def _yaml(value: Any) -> str:
    """A YAML flow value; JSON strings are valid YAML double-quoted scalars."""
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_yaml(item) for item in value) + "]"
    if value is None:
        return '""'
    return json.dumps(str(value), ensure_ascii=False)


# --- a new site ---------------------------------------------------------------------

STARTER = Path(__file__).resolve().parent / "starter"


def new_site(target: Path, title: str = "Our Event", today: dt.date | None = None) -> list[Path]:
    """A small working event in ``target`` (a new or empty folder): site.yaml with every key
    explained, two sessions (one translated), a person and a page; it builds and passes
    ``check --strict`` as it is. Dates start four weeks from ``today``."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise ScaffoldError(f"{target} exists and is not empty: choose a new folder")
    start = (today or dt.date.today()) + dt.timedelta(days=28)
    end = start + dt.timedelta(days=1)
    values = {
        "{title}": title,
        "{city}": "Paris",
        "{start}": start.isoformat(),
        "{end}": end.isoformat(),
        "{dates}": format_interval(start, end, "yMMMd", locale="en"),
    }
    written: list[Path] = []
    for source in sorted(STARTER.rglob("*")):
        if not source.is_file():
            continue
        relative = source.relative_to(STARTER)
        destination = target / (".gitignore" if relative.as_posix() == "gitignore" else relative)
        text = source.read_text(encoding="utf-8")
        for token, value in values.items():
            text = text.replace(token, value)
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_text(text, encoding="utf-8", newline="\n")
        written.append(destination)
    written += write_schemas(target / "schemas")  # the JSON Schemas editors' tools read (site.yaml names them)
    return written
