"""JSON Schemas for editors, generated from the pydantic models (config.py, eventsite/kinds/).

The models stay the one source of truth: this module only translates them, adding what pydantic cannot see inside our validator functions (the
id pattern, country codes, the local-time format) so that an editor can
complete and check values the way the build will.

The schemas are self-contained (no ``$ref``) and use only draft-07 keywords,
because the YAML language server in VS Code ignores keywords next to a
``$ref`` and has long supported draft-07 best. They are written with a fixed
key order and formatting so that the committed files diff cleanly.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema
from pydantic_core import core_schema

from . import paths
from .config import SiteConfig
from .kinds import KINDS

DIALECT = "http://json-schema.org/draft-07/schema#"
ID_PREFIX = "urn:eventsite:schema:"  # an identifier, not a place to download from
SUFFIX = ".schema.json"

# What each validator function of fields.py means, in JSON Schema terms.
# Keyed by function name; tests check that ids and countries get their patterns.
VALIDATOR_HINTS: dict[str, dict[str, Any]] = {
    "_check_id": {
        "pattern": paths.ID_PATTERN.pattern,
        "maxLength": paths.MAX_ID_LENGTH,
        "description": f"an id: {paths.ID_RULE}",
    },
    "_check_language": {
        "pattern": r"^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$",
        "description": "a BCP 47 language code, e.g. 'ko' or 'zh-Hant'",
    },
    "_check_language_tag": {
        "pattern": r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$",
        "description": "a BCP 47 language code, e.g. 'ko', 'zh-Hant' or 'en-GB'",
    },
    "_check_country": {
        "pattern": r"^[A-Z]{2}$",
        "description": "an ISO 3166-1 alpha-2 country code, e.g. 'KR'",
    },
    "_check_url": {"pattern": r"^https?://[^/]", "description": "an absolute http:// or https:// URL"},
    "normalize_base_url": {
        "pattern": r"^https?://[^/]",
        "description": "where the site is published: an absolute http:// or https:// URL",
    },
    "_check_media_path": {
        "pattern": r"^[^/\\%][^\\%]*$",
        "description": "a file below content/media/, e.g. 'exhibits/photo.jpg'",
    },
    "_check_resource": {
        "pattern": r"^(https?://[^/]|[^/\\%:][^\\%]*$)",
        "description": "a file below content/media/ (e.g. 'slides/opening.pdf') or an absolute http:// or https:// URL",
    },
    "_check_timezone": {"description": "an IANA time zone, e.g. 'Asia/Seoul'"},
    "_check_repository": {"pattern": r"^[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9._-]+$", "description": "a repository as owner/name"},
    "_check_folder": {"pattern": r"^[^/\\]", "description": "a folder inside the repository, e.g. 'content'"},
    # Leading and trailing line breaks are stripped before the build checks.
    "_one_line": {"pattern": r"^\s*[^\n]*\s*$", "description": "one line of text"},
}
LOCAL_TIME = {
    "type": "string",
    "pattern": r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}$",
    "description": "local time in the event's time zone: 'YYYY-MM-DD HH:MM'",
}
DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$", "description": "a date: 'YYYY-MM-DD'"}
LOCALIZED = "text in the default language, or a mapping {language: text}"


class _Generator(GenerateJsonSchema):
    """pydantic's generator, taught the meaning of our validators."""

    def field_title_should_be_set(self, schema: Any) -> bool:
        return False  # "Base Url" as a title adds nothing to the field name

    def function_after_schema(self, schema: core_schema.AfterValidatorFunctionSchema) -> dict[str, Any]:
        generated = dict(self.generate_inner(schema["schema"]))
        function = schema.get("function", {}).get("function")
        generated.update(VALIDATOR_HINTS.get(getattr(function, "__name__", ""), {}))
        return generated

    def datetime_schema(self, schema: core_schema.DatetimeSchema) -> dict[str, Any]:
        return dict(LOCAL_TIME)

    def date_schema(self, schema: core_schema.DateSchema) -> dict[str, Any]:
        return dict(DATE)

    def dict_schema(self, schema: core_schema.DictSchema) -> dict[str, Any]:
        # pydantic turns a key pattern into patternProperties, which lets any
        # other key through; propertyNames keeps unknown keys errors.
        keys = self.generate_inner(schema["keys_schema"]) if "keys_schema" in schema else {}
        values = dict(self.generate_inner(schema["values_schema"])) if "values_schema" in schema else {}
        values.pop("title", None)
        result: dict[str, Any] = {"type": "object", "additionalProperties": values or True}
        names = {key: keys[key] for key in ("pattern", "maxLength") if key in keys}
        if names:
            result["propertyNames"] = names
        return result

    def union_schema(self, schema: core_schema.UnionSchema) -> dict[str, Any]:
        generated = dict(super().union_schema(schema))
        types = [choice.get("type") for choice in generated.get("anyOf", [])]
        if types[:2] == ["string", "object"]:
            generated.setdefault("description", LOCALIZED)
        return generated

    def nullable_schema(self, schema: core_schema.NullableSchema) -> dict[str, Any]:
        # `LocalizedText | None`: one flat anyOf, not an anyOf inside an anyOf.
        inner = dict(self.generate_inner(schema["schema"]))
        if "anyOf" in inner:
            inner["anyOf"] = [*inner["anyOf"], {"type": "null"}]
            return inner
        outer: dict[str, Any] = {"anyOf": [inner, {"type": "null"}]}
        if "description" in inner:
            outer["description"] = inner.pop("description")  # where editors show it on hover
        return outer


@dataclass(frozen=True)
class SchemaFile:
    name: str  # file name in schemas/
    model: type[BaseModel]
    title: str
    description: str


def schema_files() -> list[SchemaFile]:
    """Every schema, from the one table of content kinds."""
    files = [SchemaFile("site" + SUFFIX, SiteConfig, "eventsite site.yaml", _doc(SiteConfig))]
    for kind in KINDS:
        files.append(SchemaFile(f"{kind.name}{SUFFIX}", kind.meta, f"eventsite {kind.name}", _doc(kind.meta)))
        files.append(
            SchemaFile(
                f"{kind.name}.translation{SUFFIX}",
                kind.translation,
                f"eventsite {kind.name} translation",
                f"A translation of content/{kind.folder}/<id>.md: content/{kind.folder}/<id>.<lang>.md. "
                "Fields left out are shown from the source.",
            )
        )
    return files


def _doc(model: type[BaseModel]) -> str:
    return " ".join((model.__doc__ or "").split())


def json_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The model's schema without ``$ref``s (none of our models is recursive)."""
    generated = model.model_json_schema(schema_generator=_Generator, mode="validation")
    definitions = generated.pop("$defs", {})
    return _sorted(_inline(generated, definitions))


def _inline(node: Any, definitions: dict[str, Any]) -> Any:
    if isinstance(node, list):
        return [_inline(item, definitions) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        target = dict(definitions[node["$ref"].rsplit("/", 1)[-1]])
        target.pop("title", None)  # a Python class name means nothing to an editor
        return {**_inline(target, definitions), **{k: v for k, v in node.items() if k != "$ref"}}
    return {key: _inline(value, definitions) for key, value in node.items()}


def _sorted(node: Any, parent: str = "") -> Any:
    """Keys in alphabetical order, except fields, which keep the model's order."""
    if isinstance(node, list):
        return [_sorted(item) for item in node]
    if not isinstance(node, dict) or parent == "default":
        return node
    keys = list(node) if parent == "properties" else sorted(node)
    return {key: _sorted(node[key], key) for key in keys}


def document(spec: SchemaFile) -> dict[str, Any]:
    body = json_schema(spec.model)
    body.pop("title", None)
    body.pop("description", None)
    body["additionalProperties"] = False  # Strict models forbid extras; say so even if pydantic did not
    head = {"$schema": DIALECT, "$id": ID_PREFIX + spec.name.removesuffix(SUFFIX), "title": spec.title}
    if spec.description:
        head["description"] = spec.description
    return {**head, **body}


def render(spec: SchemaFile) -> str:
    return json.dumps(document(spec), indent=2, ensure_ascii=False) + "\n"


def generate() -> dict[str, str]:
    """File name → text, for every schema."""
    return {spec.name: render(spec) for spec in schema_files()}


def write(folder: Path) -> list[Path]:
    """Write every schema into ``folder``; returns the files that changed."""
    folder.mkdir(parents=True, exist_ok=True)
    changed = []
    for name, text in generate().items():
        target = folder / name
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8", newline="\n")
            changed.append(target)
    return changed


def differences(folder: Path) -> list[str]:
    """Why the committed schemas in ``folder`` are not what the models generate."""
    found = []
    fresh = generate()
    for name, text in fresh.items():
        target = folder / name
        if not target.is_file():
            found.append(f"{name}: missing")
        elif target.read_text(encoding="utf-8") != text:
            found.append(f"{name}: differs from the models (eventsite/config.py, eventsite/kinds/)")
    if folder.is_dir():
        for stale in sorted(folder.glob("*" + SUFFIX)):
            if stale.name not in fresh:
                found.append(f"{stale.name}: no model generates it any more")
    return found


def property_help(model: type[BaseModel], name: str) -> str:
    """One line about a field, for comments in scaffolded files."""
    field = model.model_fields[name]
    schema = json_schema(model)["properties"].get(name, {})
    choices = _choices(schema)
    if field.description:
        return field.description + (f" ({choices})" if choices else "")
    return _describe(schema)


def _choices(schema: dict[str, Any]) -> str:
    if "enum" in schema:
        return "one of: " + ", ".join(map(str, schema["enum"]))
    for choice in schema.get("anyOf", []):
        if "enum" in choice:
            return _choices(choice)
    return ""


def _describe(schema: dict[str, Any]) -> str:
    if "description" in schema:
        return schema["description"]
    if "enum" in schema:
        return "one of: " + ", ".join(map(str, schema["enum"]))
    if schema.get("type") == "array":
        inner = _describe(schema.get("items", {}))
        return f"a list; each item is {inner}" if inner else "a list"
    for choice in schema.get("anyOf", []):
        if choice.get("type") != "null":
            return _describe(choice)
    return ""
