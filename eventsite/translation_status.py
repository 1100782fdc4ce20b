"""Translation status: which translations are missing, outdated or unsigned.

A translation file records, in ``source_fingerprint:``, a fingerprint of
its source's translatable text at the moment a translator last brought it up
to date (``build.py i18n sign-off``). Comparing that with the source's
fingerprint now needs no file times, no git history and no service, so the
report is the same in a shallow CI checkout as on a translator's laptop.

The UI side compares each language's gettext catalog with
``locales/messages.pot``; keeping those catalogs up to date (extraction
through Babel's API, merging) is at the end of this module.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import subprocess
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping

from babel import Locale
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import PoFileError, escape, read_po, write_po

from . import l10n
from .errors import BuildError, Problem, display_path
from .load import CONTENT_FOLDERS, decode_text, split_front_matter
from .model import Entry, Site
from .validate import translatable_fields
from .yaml_strict import YamlProblem, parse

FINGERPRINT_LENGTH = 16  # hex digits written by sign-off; the schema accepts 12–64
TEMPLATE_NAME = f"{l10n.CATALOG_DOMAIN}.pot"

UP_TO_DATE, DRAFT, OUTDATED, UNSIGNED, MISSING = "up_to_date", "draft", "outdated", "unsigned", "missing"
# DRAFT: matches its source but is marked `review: draft` (published, awaiting a reviewer).
STATES = (UP_TO_DATE, DRAFT, OUTDATED, UNSIGNED, MISSING)


# --- fingerprints ------------------------------------------------------------------


def normalize(text: str) -> str:
    """What a translator sees: line endings, Unicode composition and edge spaces don't count."""
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n")).strip()


def source_digest(kind: str, data: Mapping[str, object], body: str) -> str:
    """sha256 (hex) of the translatable front-matter fields and the body.

    Computed from the raw front matter rather than the validated model, so
    that an old revision from git (which may not validate any more) gives the
    same value as the file did when it was current. Absent and empty fields
    are left out, so adding an optional field to a schema changes nothing.
    """
    fields: dict[str, str] = {}
    for name in translatable_fields(kind):
        value = data.get(name)
        text = normalize(str(value)) if value is not None else ""
        if text:
            fields[name] = text
    payload = json.dumps({"body": normalize(body), "fields": fields}, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def fingerprint(digest: str) -> str:
    return digest[:FINGERPRINT_LENGTH]


def matches(recorded: str | None, digest: str) -> bool:
    """A recorded fingerprint is a prefix of the digest (any length the schema allows)."""
    return bool(recorded) and len(recorded) >= 12 and digest.startswith(recorded.lower())  # type: ignore[union-attr]


def entry_digest(entry: Entry) -> str:
    return source_digest(entry.kind, entry.document.meta.data, entry.body)


def text_digest(kind: str, raw: bytes, shown: str = "source") -> str:
    """The digest of a source file's bytes (the working tree's or a git revision's)."""
    problems: list[Problem] = []
    text = decode_text(raw, shown, problems)
    if text is None:
        raise BuildError(problems)
    split = split_front_matter(text)
    if split is None:
        raise BuildError([Problem(shown, 1, "expected front matter: a first line '---', YAML, then a line '---'")])
    yaml_text, body, _line = split
    try:
        data = parse(yaml_text, first_line=2).data
    except YamlProblem as problem:
        raise BuildError([Problem(shown, problem.line, problem.message, problem.column)]) from None
    return source_digest(kind, data if isinstance(data, dict) else {}, body)


# --- content status ------------------------------------------------------------------


@dataclass(frozen=True)
class ItemStatus:
    """One content item in one language."""

    kind: str
    id: str
    state: str  # one of STATES
    source: str  # display path of the source file
    translation: str  # display path of the translation (where it would be, when missing)
    shown_in: str  # the language readers of this language see this item in
    recorded: str | None = None  # the fingerprint in the translation's front matter
    current: str = ""  # the source's fingerprint now


def entries(site: Site) -> list[Entry]:
    every: list[Entry] = [*site.sessions, *site.exhibits.values(), *site.people.values(), *site.pages.values(), *site.news]
    return sorted(every, key=lambda entry: entry.document.display)


def item_status(entry: Entry, lang: str, chain: tuple[str, ...], content_root: Path) -> ItemStatus:
    digest = entry_digest(entry)
    translation = entry.translations.get(lang)
    source = entry.document
    if translation is None:
        expected = source.path.with_name(f"{entry.id}.{lang}.md")
        return ItemStatus(
            entry.kind, entry.id, MISSING, source.display, display_path(expected, content_root),
            entry.text_language(chain), None, fingerprint(digest),
        )
    recorded: str | None = getattr(translation.meta, "source_fingerprint", None)
    draft = getattr(translation.meta, "review", None) is not None
    if not recorded:
        state = UNSIGNED
    elif not matches(recorded, digest):
        state = OUTDATED
    else:
        state = DRAFT if draft else UP_TO_DATE
    return ItemStatus(
        entry.kind, entry.id, state, source.display, translation.document.display, lang, recorded, fingerprint(digest)
    )


# --- UI catalogs ------------------------------------------------------------------


@dataclass(frozen=True)
class UiStatus:
    catalog: str  # display path of the .po file
    exists: bool
    total: int
    translated: int
    missing: tuple[str, ...]  # msgids (the singular, for plurals)
    errors: tuple[str, ...] = ()  # translations that would break a page (e.g. a lost %(name)s)


def message_key(message: Message) -> str:
    return message.id[0] if isinstance(message.id, (tuple, list)) else message.id


def read_template(locales: Path) -> Catalog | None:
    path = locales / TEMPLATE_NAME
    if not path.is_file():
        return None
    with path.open("rb") as handle:
        return read_po(handle, abort_invalid=True)


def ui_status(template: Catalog, locales: Path, lang: str) -> UiStatus:
    path = l10n.catalog_path(locales, lang)
    shown = display_path(path, locales)
    wanted = [message for message in template if message.id]
    if not path.is_file():
        return UiStatus(shown, False, len(wanted), 0, tuple(message_key(m) for m in wanted))
    try:
        catalog = l10n.read_catalog(path, lang)
    except (PoFileError, ValueError) as error:
        return UiStatus(shown, True, len(wanted), 0, tuple(message_key(m) for m in wanted), (f"catalog error: {error}",))
    missing: list[str] = []
    for message in wanted:
        found = catalog.get(message.id, context=message.context)
        if found is None or not l10n.is_translated(found, catalog.num_plurals):
            missing.append(message_key(message))
    errors = tuple(
        f"{message_key(message)!r}: {'; '.join(str(error) for error in problems)}"
        for message, problems in catalog.check()
        if l10n.is_translated(message, catalog.num_plurals)
    )
    return UiStatus(shown, True, len(wanted), len(wanted) - len(missing), tuple(missing), errors)


# --- the report ------------------------------------------------------------------


@dataclass(frozen=True)
class LanguageStatus:
    lang: str
    name: str  # in its own language
    english_name: str
    fallbacks: tuple[str, ...]  # the chain after the language itself
    items: tuple[ItemStatus, ...]
    ui: UiStatus | None  # None when there is no messages.pot

    def count(self, state: str) -> int:
        return sum(1 for item in self.items if item.state == state)

    def with_state(self, state: str) -> list[ItemStatus]:
        return [item for item in self.items if item.state == state]


@dataclass(frozen=True)
class Report:
    default_language: str
    template: str  # display path of messages.pot
    template_exists: bool
    languages: tuple[LanguageStatus, ...] = field(default_factory=tuple)

    def any(self, state: str) -> bool:
        """Is any content item (or, for MISSING, any UI string) in ``state``?"""
        for language in self.languages:
            if language.count(state):
                return True
            if state == MISSING and language.ui is not None and language.ui.missing:
                return True
        return False

    def to_json(self) -> dict:
        """The shape documented in docs/translating.md ("Machine-readable status")."""
        return {
            "default_language": self.default_language,
            "ui_template": self.template if self.template_exists else None,
            "languages": {language.lang: _language_json(language) for language in self.languages},
        }


def _language_json(language: LanguageStatus) -> dict:
    items = [item for item in language.items if item.state != UP_TO_DATE]
    ui = language.ui
    return {
        "name": language.name,
        "english_name": language.english_name,
        "fallbacks": list(language.fallbacks),
        "content": {
            "total": len(language.items),
            "translated": len(language.items) - language.count(MISSING),
            **{state: language.count(state) for state in STATES},
            "items": [
                {
                    "kind": item.kind,
                    "id": item.id,
                    "state": item.state,
                    "source": item.source,
                    "translation": item.translation,
                    "shown_in": item.shown_in,
                    "recorded_fingerprint": item.recorded,
                    "source_fingerprint": item.current,
                }
                for item in items
            ],
        },
        "ui": None
        if ui is None
        else {
            "catalog": ui.catalog,
            "exists": ui.exists,
            "total": ui.total,
            "translated": ui.translated,
            "missing": len(ui.missing),
            "missing_messages": list(ui.missing),
            "errors": list(ui.errors),
        },
    }


def translation_report(site: Site, locales: Path, languages: Iterable[str] | None = None) -> Report:
    """Every non-default language (or those asked for), every item, every UI string."""
    wanted = set(languages) if languages is not None else None
    template = read_template(locales)
    listed = entries(site)
    statuses: list[LanguageStatus] = []
    for lang in site.languages[1:]:
        if wanted is not None and lang not in wanted:
            continue
        chain = site.chain(lang)
        info = l10n.language(lang)
        statuses.append(
            LanguageStatus(
                lang,
                info.name,
                info.english_name,
                chain[1:],
                tuple(item_status(entry, lang, chain, site.root) for entry in listed),
                ui_status(template, locales, lang) if template is not None else None,
            )
        )
    template_path = locales / TEMPLATE_NAME
    return Report(site.default_language, display_path(template_path, locales), template is not None, tuple(statuses))


# --- sign-off ------------------------------------------------------------------


@dataclass(frozen=True)
class TranslationFile:
    path: Path
    kind: str
    id: str
    lang: str

    @property
    def source(self) -> Path:
        return self.path.with_name(f"{self.id}.md")


def translation_file(path: Path) -> TranslationFile:
    """``content/sessions/opening.ko.md`` → its kind, id, language and source."""
    parts = path.name.split(".")
    kind = CONTENT_FOLDERS.get(path.parent.name)
    if kind is None or len(parts) != 3 or parts[-1] != "md":
        folders = ", ".join(CONTENT_FOLDERS)
        raise BuildError([Problem(path.as_posix(), 0, f"not a translation file: expected <{folders}>/<id>.<lang>.md")])
    return TranslationFile(path, kind, parts[0], parts[1])


_FINGERPRINT_LINE = re.compile(r"^source_fingerprint[ \t]*:")
_REVIEW_LINE = re.compile(r"^review[ \t]*:")


def set_fingerprint(raw: bytes, value: str, shown: str = "translation", *, draft: bool = False) -> bytes:
    """Write ``source_fingerprint: "<value>"`` into the front matter; every other byte stays.

    An existing line is replaced in place; otherwise the line goes just
    before the closing ``---``. The file's BOM and line endings are kept.
    ``draft``: also write ``review: draft`` (a draft made against this
    source); without it a ``review:`` line is removed (signed off).
    """
    bom = b"\xef\xbb\xbf" if raw.startswith(b"\xef\xbb\xbf") else b""
    try:
        text = raw[len(bom):].decode("utf-8")
    except UnicodeDecodeError as error:
        raise BuildError([Problem(shown, 0, f"not valid UTF-8 at byte {error.start}: save the file as UTF-8")]) from None
    newline = "\n" if "\n" in text else ("\r" if "\r" in text else "\n")
    lines = text.split(newline)
    # With '\n' splitting, a CRLF file's lines keep their '\r': match with rstrip, write it back.
    if not lines or lines[0].rstrip() != "---":
        raise BuildError([Problem(shown, 1, "expected front matter: a first line '---', YAML, then a line '---'")])
    closing = next((index for index in range(1, len(lines)) if lines[index].rstrip() in ("---", "...")), None)
    if closing is None:
        raise BuildError([Problem(shown, 1, "front matter has no closing '---' line")])
    ending = "\r" if lines[0].endswith("\r") else ""
    _set_line(lines, closing, _FINGERPRINT_LINE, f'source_fingerprint: "{value}"', ending)
    closing = next(index for index in range(1, len(lines)) if lines[index].rstrip() in ("---", "..."))
    _set_line(lines, closing, _REVIEW_LINE, "review: draft" if draft else None, ending)
    return bom + newline.join(lines).encode("utf-8")


def _set_line(lines: list[str], closing: int, pattern: re.Pattern, new_line: str | None, ending: str) -> None:
    """Replace (or with None remove) the front-matter line matching ``pattern``; add it before ``closing`` if absent."""
    for index in range(1, closing):
        if pattern.match(lines[index]):
            if new_line is None:
                del lines[index]
            else:
                lines[index] = new_line + ("\r" if lines[index].endswith("\r") else "")
            return
    if new_line is not None:
        lines.insert(closing, new_line + ending)


def recorded_fingerprint(raw: bytes, shown: str = "translation") -> str | None:
    """The ``source_fingerprint`` in a translation file's front matter, if any."""
    problems: list[Problem] = []
    text = decode_text(raw, shown, problems)
    split = split_front_matter(text) if text is not None else None
    if split is None:
        raise BuildError(problems or [Problem(shown, 1, "expected front matter")])
    try:
        data = parse(split[0], first_line=2).data
    except YamlProblem as problem:
        raise BuildError([Problem(shown, problem.line, problem.message, problem.column)]) from None
    value = data.get("source_fingerprint") if isinstance(data, dict) else None
    return str(value).strip() if value else None


# --- the source at sign-off, from git ------------------------------------------------------


class HistoryUnavailable(Exception):
    """git, the repository or the signed-off revision is not there (exit status 2)."""


@dataclass(frozen=True)
class Revision:
    commit: str
    path: str  # relative to the repository's top, as of that commit
    raw: bytes
    summary: str  # "abc1234 2019-11-20 Subject"


def _git(cwd: Path, *args: str) -> bytes:
    try:
        done = subprocess.run(["git", "-c", "core.quotepath=off", *args], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError:
        raise HistoryUnavailable("git is not installed (or not on PATH)") from None
    if done.returncode != 0:
        raise HistoryUnavailable(f"git {args[0]} failed: {done.stderr.decode('utf-8', 'replace').strip()}")
    return done.stdout


def signed_off_revision(source: Path, kind: str, recorded: str) -> Revision:
    """The newest committed revision of ``source`` whose text has the ``recorded`` fingerprint."""
    folder = source.resolve().parent
    top = Path(_git(folder, "rev-parse", "--show-toplevel").decode("utf-8").strip())
    relative = source.resolve().relative_to(top.resolve()).as_posix()
    log = _git(top, "log", "--follow", "--format=%x00%H", "--name-only", "--", relative).decode("utf-8")
    for chunk in log.split("\x00"):
        lines = [line for line in chunk.split("\n") if line.strip()]
        if len(lines) < 2:
            continue
        commit, path = lines[0].strip(), lines[-1].strip()
        try:
            raw = _git(top, "show", f"{commit}:{path}")
            digest = text_digest(kind, raw, path)
        except (HistoryUnavailable, BuildError):
            continue  # the commit that deleted the file, or a revision that did not parse
        if matches(recorded, digest):
            summary = _git(top, "log", "-1", "--format=%h %ad %s", "--date=short", commit).decode("utf-8").strip()
            return Revision(commit, path, raw, summary)
    shallow = _git(top, "rev-parse", "--is-shallow-repository").decode("utf-8").strip() == "true"
    hint = " This is a shallow clone: `git fetch --unshallow` fetches the rest of the history." if shallow else ""
    raise HistoryUnavailable(
        f"no commit of {relative} has the signed-off fingerprint {recorded} "
        f"(signed off against an uncommitted version, or the history is incomplete).{hint}"
    )


# --- UI catalogs: extraction and merging ---------------------------------------------


def extract_template(root: Path, mapping: Path) -> Catalog:
    """Run the extractors named in ``mapping`` (babel.cfg) over ``root``, as Babel's API."""
    with mapping.open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle, str(mapping))
    roots = _pattern_roots(pattern for pattern, method in method_map if method != "ignore")

    def only_mapped(path: str) -> bool:
        # Don't walk node_modules/, site/ or content/: only folders a pattern can reach.
        relative = Path(path).relative_to(root).as_posix()
        reachable = any(not r or relative == r or relative.startswith(r + "/") or r.startswith(relative + "/") for r in roots)
        return reachable and not Path(path).name.startswith((".", "_"))  # Babel's own rule: no .git, __pycache__

    template = Catalog(project="eventsite", domain=l10n.CATALOG_DOMAIN, fuzzy=False)
    current = [mapping.name]  # the file being read, for the error message (Jinja's errors lack it)
    try:
        found = list(
            extract_from_dir(
                root, method_map, options_map, keywords={}, directory_filter=only_mapped,
                callback=lambda filename, method, options: current.__setitem__(0, filename),
            )
        )
    except Exception as error:  # a template syntax error (silent = false), an unreadable file
        line = int(getattr(error, "lineno", 0) or 0)
        raise BuildError([Problem(current[0], line, f"extraction failed: {error}")]) from None
    for filename, lineno, message, comments, context in found:
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return template


def _pattern_roots(patterns: Iterable[str]) -> tuple[str, ...]:
    """The literal folder part of each glob: 'templates/**.html' → 'templates'."""
    roots = []
    for pattern in patterns:
        literal = []
        for part in pattern.split("/")[:-1]:
            if any(char in part for char in "*?["):
                break
            literal.append(part)
        roots.append("/".join(literal))
    return tuple(roots)


def _placeholder(value: str) -> bool:
    # Babel fills unknown header fields with templates such as 'FULL NAME <EMAIL@ADDRESS>'.
    return any(marker in value for marker in ("FULL NAME", "LANGUAGE <", "YEAR-MO-DA", "EMAIL@ADDRESS", "<LL@li.org>"))


def render_catalog(catalog: Catalog, header: list[tuple[str, str]], comment: str) -> bytes:
    """A PO file with a header we write ourselves: no dates, no tool versions, so no churn."""
    head = "".join(f"# {line}".rstrip() + "\n" for line in comment.splitlines())
    head += 'msgid ""\nmsgstr ""\n'
    head += "".join(escape(f"{key}: {value}\n") + "\n" for key, value in header) + "\n"
    body = io.BytesIO()
    write_po(body, catalog, width=76, omit_header=True, sort_output=True, ignore_obsolete=True, include_lineno=False)
    return head.encode("utf-8") + body.getvalue().rstrip(b"\n") + b"\n"


_COMMON_HEADER = [
    ("MIME-Version", "1.0"),
    ("Content-Type", "text/plain; charset=UTF-8"),
    ("Content-Transfer-Encoding", "8bit"),
]


def template_bytes(template: Catalog) -> bytes:
    comment = "Interface strings of the eventsite templates and views.\nGenerated by `python build.py i18n extract`: do not edit."
    return render_catalog(template, [("Project-Id-Version", "eventsite"), *_COMMON_HEADER], comment)


def merged_catalog_bytes(template: Catalog, lang: str, existing: bytes | None) -> bytes:
    """``lang``'s catalog brought in line with ``template``, translations kept.

    New strings arrive empty; a string whose English changed slightly arrives
    fuzzy (not shown until a translator confirms it); removed strings go.
    """
    locale = Locale.parse(lang, sep="-")
    if existing is None:
        catalog = Catalog(locale=locale, domain=l10n.CATALOG_DOMAIN, fuzzy=False)
    else:
        catalog = read_po(io.BytesIO(existing), locale=locale, abort_invalid=True)
    catalog.update(template, update_creation_date=False)
    header = [("Project-Id-Version", "eventsite"), ("Language", lang.replace("-", "_"))]
    for key in ("Language-Team", "Last-Translator", "PO-Revision-Date"):
        value = dict(catalog.mime_headers).get(key, "")
        if value and not _placeholder(value):
            header.append((key, value))  # a PO editor's record of who translated when
    header += [*_COMMON_HEADER, ("Plural-Forms", Catalog(locale=locale).plural_forms)]
    info = l10n.language(lang)
    comment = (
        f"{info.english_name} ({lang}) translation of the site's interface strings.\n"
        "Edit with any PO editor; `python build.py i18n extract` adds new strings."
    )
    return render_catalog(catalog, header, comment)


@dataclass(frozen=True)
class CatalogChange:
    path: Path
    state: str  # 'created', 'updated' or 'unchanged'


def write_if_changed(path: Path, data: bytes, *, dry_run: bool = False) -> CatalogChange:
    """Only rewrite a file whose bytes differ, so mtimes (and the dev server) stay quiet."""
    old = path.read_bytes() if path.is_file() else None
    state = "unchanged" if old == data else ("created" if old is None else "updated")
    if state != "unchanged" and not dry_run:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(path.name + ".tmp")
        temporary.write_bytes(data)
        os.replace(temporary, path)
    return CatalogChange(path, state)


def update_catalogs(root: Path, mapping: Path, locales: Path, languages: tuple[str, ...], *, dry_run: bool = False) -> list[CatalogChange]:
    """Extract ``messages.pot`` and merge it into every non-default language's catalog.

    Every file is computed before any is written: an unreadable catalog stops
    the run with nothing changed.
    """
    template = extract_template(root, mapping)
    outputs = [(locales / TEMPLATE_NAME, template_bytes(template))]
    problems: list[Problem] = []
    for lang in languages[1:]:  # the default language is the templates' own text
        path = l10n.catalog_path(locales, lang)
        existing = path.read_bytes() if path.is_file() else None
        try:
            outputs.append((path, merged_catalog_bytes(template, lang, existing)))
        except (PoFileError, ValueError) as error:
            line = int(getattr(error, "lineno", 0) or 0)
            problems.append(Problem(display_path(path, locales), line, f"catalog error: {error}"))
    if problems:
        raise BuildError(problems)
    return [write_if_changed(path, data, dry_run=dry_run) for path, data in outputs]
