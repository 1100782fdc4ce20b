"""Stage 2, validate: check each document against the schema of its kind.

The pydantic models are the single source of truth for the content format:
site.yaml's is in eventsite/config.py, each kind's in its module in
eventsite/kinds/; validation, the JSON Schemas for editors' tools and the
docs' field tables all come from them. Every document is checked and every
problem is reported (with file, line and field) before the build stops.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .brand import brand_problems
from .config import SiteConfig
from .documents import Document
from .errors import BuildError, Problem, did_you_mean
from .kinds import BY_NAME
from .load import RawContent


# --- the stage ------------------------------------------------------------------


@dataclass(frozen=True)
class Valid:
    """A document whose front matter passed its schema."""

    document: Document
    meta: Any  # the kind's schema (or its translation schema), validated


@dataclass(frozen=True)
class ValidContent:
    """The documents that passed, and the problems of those that did not.

    The model stage still cross-checks the valid ones, so one run reports a
    schema error in one file and a dangling reference in another together.
    """

    raw: RawContent
    site: SiteConfig | None  # None only when validated with keep_going and site.yaml is unusable
    documents: tuple[Valid, ...]
    problems: tuple[Problem, ...] = ()
    invalid: frozenset[tuple[str, str]] = frozenset()  # (kind, id) of sources that failed


class ValidationCache:
    """What the dev server keeps between edits: the result for each document it validated.

    ``metas`` by (path, sha), so a file saved unchanged reuses its metadata
    (and the model then reuses its entry); ``valid`` by path, holding the very
    Document it was made from, so an unchanged document costs one lookup.
    """

    def __init__(self) -> None:
        self.metas: dict[tuple[Path, str], Any] = {}
        self.valid: dict[Path, Valid] = {}


def validate_content(raw: RawContent, cache: ValidationCache | None = None, *, keep_going: bool = False) -> ValidContent:
    """Every document against its kind's schema, and what can be checked without building the model:
    references to rooms, people, sections, countries and media files (with "did you mean"), and
    each translation's language and source. Schema problems in one part of a file do not hide
    reference problems in another, nor do a source's problems hide its translations'.

    Raises BuildError when site.yaml is unusable, unless ``keep_going``.
    """
    problems: list[Problem] = list(raw.problems)
    cache = cache if cache is not None else ValidationCache()
    site: SiteConfig | None = None
    if raw.site is not None:
        site_key = (raw.site.path, raw.site.sha)
        site = cache.metas.get(site_key)
        if site is None:
            site = _validate(raw.site, SiteConfig, problems)
            if site is not None:
                cache.metas[site_key] = site
    if site is not None and raw.site is not None:
        problems.extend(brand_problems(site, raw.site, (item.relative for item in raw.media)))
    valid: list[Valid] = []
    invalid: set[tuple[str, str]] = {(kind, item_id) for kind, item_id, lang in raw.unreadable if lang is None}
    failed: dict[Path, set[tuple]] = {}  # per file, the paths of values its schema refused
    known = cache.valid
    for document in raw.documents:
        found = known.get(document.path)
        if found is not None and found.document is document:
            valid.append(found)
            continue
        kind = BY_NAME[document.kind]
        schema = kind.meta if document.lang is None else kind.translation
        key = (document.path, document.sha)
        meta = cache.metas.get(key)
        if meta is None:
            meta = _validate(document, schema, problems, failed.setdefault(document.path, set()))
            if meta is not None:
                cache.metas[key] = meta
        if meta is not None:
            valid.append(Valid(document, meta))
            known[document.path] = valid[-1]
        elif document.lang is None:
            invalid.add((document.kind, document.id))
    problems.extend(reference_problems(raw, site, failed))
    problems.extend(translation_problems(raw, site))
    problems.extend(unfinished_problems(raw))
    if site is None and not keep_going:
        raise BuildError(problems)
    return ValidContent(raw, site, tuple(valid), tuple(problems), frozenset(invalid))


# --- unfinished work ---------------------------------------------------------------------

# The body `build.py new` writes (eventsite/scaffold.py): a file still saying it is unfinished.
PLACEHOLDER_BODY = re.compile(r"\A\s*Write the [\w ]+ text here, in Markdown\.\s*\Z")


def unfinished_problems(raw: RawContent) -> list[Problem]:
    """Files that would publish unfinished work: a scaffold's placeholder text, a translation that is
    still its source's text (`build.py new translation` prefills it). Warnings (errors with --strict)."""
    sources = {(document.kind, document.id): document for document in raw.documents if document.lang is None}
    found = []
    for document in raw.documents:
        if document.lang is None:
            if PLACEHOLDER_BODY.match(document.body):
                message = f"still the placeholder text of `build.py new`: write the {document.kind}'s text"
                found.append(Problem(document.display, document.body_line, message, severity="warning"))
            continue
        source = sources.get((document.kind, document.id))
        if source is not None and is_unchanged(document, source):
            message = (
                f"the same text as {source.path.name}: translate it (until then readers see the "
                f"{source.path.name} text, marked as not yet translated)"
            )
            found.append(Problem(document.display, 0, message, severity="warning"))
    return found


def is_unchanged(translation: Document, source: Document) -> bool:
    """A translation file with nothing translated: every text in it is its source's text (or it has none)."""
    data, source_data = translation.meta.data, source.meta.data
    if not isinstance(data, dict) or not isinstance(source_data, dict):
        return False
    for name in BY_NAME[translation.kind].translatable:
        value = data.get(name)
        if value and _normalized(value) != _normalized(source_data.get(name)):
            return False
    body = _normalized(translation.body)
    return not body or body == _normalized(source.body)


def _normalized(value: object) -> str:
    return unicodedata.normalize("NFC", str(value or "")).strip()


# --- references and translations, on the documents as written ---------------------------


def reference_problems(raw: RawContent, site: SiteConfig | None, failed: dict[Path, set[tuple]] | None = None) -> list[Problem]:
    """Names in front matter that name nothing: an unknown room, person, section, country or media file.

    Checked on the raw data of every source that could be read (valid or not), against every
    file that exists (readable or not), so one mistake is reported once, where it is.
    """
    site_data = raw.site.meta.data if raw.site is not None and isinstance(raw.site.meta.data, dict) else {}
    ids: dict[str, set[str]] = {}
    for document in raw.documents:
        if document.lang is None:
            ids.setdefault(document.kind, set()).add(document.id)
    for kind, item_id, lang in raw.unreadable:
        if lang is None:
            ids.setdefault(kind, set()).add(item_id)
    exhibition = site_data.get("exhibition")
    lists: dict[str, set[str] | None] = {
        "room": _keys(site_data.get("rooms")),
        "track": _keys(site_data.get("tracks")),
        "section": _keys(exhibition.get("sections")) if isinstance(exhibition, dict) else set(),
        "country": set(site.countries) if site is not None else None,
        "media": {item.relative for item in raw.media},
    }
    found: list[Problem] = []
    for document in raw.documents:
        data = document.meta.data
        if document.lang is not None or not isinstance(data, dict):
            continue
        for reference in BY_NAME[document.kind].references:
            value = data.get(reference.field)
            items = list(enumerate(value)) if reference.many and isinstance(value, list) else [(None, value)]
            for index, name in items:
                if reference.key is not None:
                    name = name.get(reference.key) if isinstance(name, dict) else None
                if not isinstance(name, str) or not name:
                    continue  # a missing or mistyped value is the schema's to report
                if reference.target == "media" and "://" in name:
                    continue  # a URL where a file or a URL may be given (a recording)
                known = lists[reference.target] if reference.target in lists else ids.get(reference.target, set())
                if known is None or name in known or (reference.target == "country" and not known):
                    continue  # countries: any code when site.yaml lists none
                path: tuple[str | int, ...] = (reference.field,) if index is None else (reference.field, index)
                if reference.key is not None:
                    path += (reference.key,)
                refused = (failed or {}).get(document.path, set())
                if path in refused or (reference.field,) in refused:
                    continue  # the schema already said what is wrong with this value
                line, column = document.meta.locate(path)
                message = _unknown(reference.target, name) + did_you_mean(name, known)
                found.append(Problem(document.display, line, message, column))
    return found


def _keys(value: object) -> set[str]:
    return {key for key in value if isinstance(key, str)} if isinstance(value, dict) else set()


def _unknown(target: str, name: str) -> str:
    if target == "room":
        return f"unknown room {name!r} (rooms are listed in site.yaml)"
    if target == "track":
        return f"unknown track {name!r} (tracks are listed in site.yaml)"
    if target == "section":
        return f"unknown exhibition section {name!r} (sections are in site.yaml)"
    if target == "country":
        return f"country {name!r} is not in site.yaml countries"
    if target == "media":
        return f"media/{name} does not exist"
    return f"unknown {target} {name!r} (no {BY_NAME[target].folder}/{name}.md)"


def translation_problems(raw: RawContent, site: SiteConfig | None) -> list[Problem]:
    """Each translation file's language and source, whatever state its source is in."""
    sources: dict[str, set[str]] = {}
    for document in raw.documents:
        if document.lang is None:
            sources.setdefault(document.kind, set()).add(document.id)
    for kind, item_id, lang in raw.unreadable:
        if lang is None:
            sources.setdefault(kind, set()).add(item_id)
    languages = tuple(site.languages) if site is not None else None
    found: list[Problem] = []
    for document in raw.documents:
        lang = document.lang
        if lang is None:
            continue
        if document.id not in sources.get(document.kind, set()):
            message = f"translation of {document.id}.md, which does not exist"
            found.append(Problem(document.display, 0, message + did_you_mean(document.id, sources.get(document.kind, ()))))
        if languages is None:
            continue
        if lang not in languages:
            message = f"language {lang!r} is not in site.yaml languages ({', '.join(languages)})"
            found.append(Problem(document.display, 0, message + did_you_mean(lang, languages)))
        elif lang == languages[0]:
            found.append(Problem(document.display, 0, f"{lang!r} is the default language: edit {document.id}.md instead"))
    return found


def _validate(
    document: Document, schema: type[BaseModel], problems: list[Problem], failed: set[tuple] | None = None
) -> Any:
    """The validated metadata, or None with its problems; ``failed`` collects the paths of bad values."""
    try:
        return schema.model_validate(document.meta.data)
    except ValidationError as error:
        seen: set[tuple] = set()
        for detail in error.errors():
            loc = _clean_loc(tuple(detail["loc"]))
            if loc in seen and detail["type"] in _UNION_BRANCH_ERRORS:
                continue  # one problem per value: a text-or-mapping field fails as both
            seen.add(loc)
            problems.append(schema_problem(document, schema, detail))
            if failed is not None:
                failed.add(loc)
        return None


# Errors pydantic reports once per member of a union (a text, or a mapping {language: text}).
_UNION_BRANCH_ERRORS = frozenset({"string_type", "dict_type", "model_type"})


def _clean_loc(loc: tuple) -> tuple:
    """Union members add their type name to a location ('str', 'dict[str,str]'): drop them."""
    return tuple(part for part in loc if not (isinstance(part, str) and ("[" in part or part in ("str", "dict"))))


def schema_problem(document: Document, schema: type[BaseModel], detail: Any) -> Problem:
    """Turn one pydantic error into ``path:line:col: field: message``."""
    loc = _clean_loc(tuple(detail["loc"]))
    line, column = document.meta.locate(loc)
    field = ".".join(str(part) for part in loc)
    kind = detail["type"]
    if kind == "missing":
        message = f"missing required field '{field}'"
        # At the mapping that lacks it; for front matter's top level, the opening '---'.
        line, column = document.meta.locate(loc[:-1])
        if not loc[:-1] and document.kind != "site":
            line, column = 1, 1
    elif kind == "extra_forbidden":
        allowed = _allowed_keys(schema, loc[:-1])
        message = f"unknown field '{field}'" + did_you_mean(loc[-1] if loc else "", allowed).replace("?)", "?")
        if allowed:
            message += ("; " if "did you mean" in message else " (") + f"allowed here: {', '.join(allowed)})"
    else:
        text = _plain(detail, loc, schema)
        message = f"{field}: {text}" if field else text
    return Problem(document.display, line, message, column)


def _plain(detail: Any, loc: tuple, schema: type[BaseModel]) -> str:
    """pydantic's message in an editor's words: what was expected here, what was found, an example."""
    kind, value = detail["type"], detail.get("input")
    found = _describe(value)
    if kind in ("model_type", "dict_type"):
        if value is None:
            return "is empty: write its fields indented below it (e.g. '  name: …')"
        inner = _allowed_keys(schema, loc) if loc else []
        hint = ""
        if isinstance(loc[-1], str) and loc[-1] in inner:
            hint = f"; is '{loc[-1]}:' meant to be indented under the line above it?"
        fields = f" (such as {', '.join(inner[:3])})" if inner else ""
        if kind == "dict_type" and not inner:
            return f"expected a text, or a mapping {{language: text}}; found {found}"
        return f"expected fields indented below it{fields}, found {found}{hint}"
    if kind == "string_type":
        return f"expected one line of text, found {found}"
    if kind == "list_type":
        example = f" such as [{value}]" if isinstance(value, str) else ""
        return f"expected a list{example}, found {found}"
    if kind == "enum":
        choices = [str(choice) for choice in detail.get("ctx", {}).get("expected", "").replace("'", "").replace(" or ", ", ").split(", ") if choice]
        return f"{value!r} is not one of: {', '.join(choices)}" + did_you_mean(value, choices)
    if kind in ("too_short", "string_too_short"):
        return "must not be empty"
    if kind == "literal_error":
        return f"{value!r} is not one of: {detail.get('ctx', {}).get('expected', '')}"
    if kind == "string_pattern_mismatch":
        return f"{value!r} does not have the expected form"
    return str(detail["msg"]).removeprefix("Value error, ")


def _describe(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a group of fields"
    return f"the text {value!r}"


def _allowed_keys(schema: type[BaseModel], parent: tuple) -> list[str]:
    """The fields of the model at ``parent`` (a path of field names and dict keys), or []."""
    model: Any = schema
    for part in parent:
        fields = getattr(model, "model_fields", None)
        if fields is not None:
            field = fields.get(part) if isinstance(part, str) else None
            if field is None:
                return []
            model = field.annotation
        else:  # a dict[str, Model] (rooms, sections): the key, then the model of its values
            arguments = getattr(model, "__args__", ())
            model = arguments[-1] if arguments else None
        model = _model_in(model)
        if model is None:
            return []
    return list(getattr(model, "model_fields", {}))


def _model_in(annotation: Any) -> Any:
    """The model (or dict of models) inside an annotation such as ``Venue | None``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if getattr(annotation, "__origin__", None) is dict:
        return annotation
    for argument in getattr(annotation, "__args__", ()):
        found = _model_in(argument)
        if found is not None:
            return found
    return None
