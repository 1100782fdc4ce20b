"""Stage 2, validate: check each document against the schema of its kind.

The pydantic models are the single source of truth for the content format:
site.yaml's is in eventsite/config.py, each kind's in its module in
eventsite/kinds/; validation, the JSON Schemas for editors' tools and the
docs' field tables all come from them. Every document is checked and every
problem is reported (with file, line and field) before the build stops.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .config import SiteConfig
from .documents import Document
from .errors import BuildError, Problem
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
    site: SiteConfig
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


def validate_content(raw: RawContent, cache: ValidationCache | None = None) -> ValidContent:
    problems: list[Problem] = []
    cache = cache if cache is not None else ValidationCache()
    site_key = (raw.site.path, raw.site.sha)
    site = cache.metas.get(site_key)
    if site is None:
        site = _validate(raw.site, SiteConfig, problems)
        if site is not None:
            cache.metas[site_key] = site
    valid: list[Valid] = []
    invalid: set[tuple[str, str]] = set()
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
            meta = _validate(document, schema, problems)
            if meta is not None:
                cache.metas[key] = meta
        if meta is not None:
            valid.append(Valid(document, meta))
            known[document.path] = valid[-1]
        elif document.lang is None:
            invalid.add((document.kind, document.id))
    if site is None:
        # Without valid settings nothing else can be checked meaningfully.
        raise BuildError(problems)
    return ValidContent(raw, site, tuple(valid), tuple(problems), frozenset(invalid))


def _validate(document: Document, schema: type[BaseModel], problems: list[Problem]) -> Any:
    try:
        return schema.model_validate(document.meta.data)
    except ValidationError as error:
        for detail in error.errors():
            problems.append(schema_problem(document, schema, detail))
        return None


def schema_problem(document: Document, schema: type[BaseModel], detail: Any) -> Problem:
    """Turn one pydantic error into ``path:line:col: field: message``."""
    loc = tuple(detail["loc"])
    # Union members add their type name to the location; drop them.
    loc = tuple(part for part in loc if not (isinstance(part, str) and ("[" in part or part in ("str", "dict"))))
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
        allowed = ", ".join(_allowed_keys(schema, loc[:-1]))
        message = f"unknown field '{field}'" + (f" (allowed here: {allowed})" if allowed else "")
    else:
        text = detail["msg"].removeprefix("Value error, ")
        message = f"{field}: {text}" if field else text
    return Problem(document.display, line, message, column)


def _allowed_keys(schema: type[BaseModel], parent: tuple) -> list[str]:
    model: Any = schema
    for part in parent:
        field = getattr(model, "model_fields", {}).get(part) if isinstance(part, str) else None
        if field is None:
            return []
        annotation = field.annotation
        candidates = [annotation, *getattr(annotation, "__args__", ())]
        model = next((c for c in candidates if isinstance(c, type) and issubclass(c, BaseModel)), None)
        if model is None:
            return []
    return list(getattr(model, "model_fields", {}))
