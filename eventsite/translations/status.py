"""Translation status: which translations are missing, outdated, drafts or unsigned; which UI strings are missing.

The content side compares each translation's recorded fingerprint with its
source's (eventsite/translations/fingerprints.py); the UI side compares each
language's gettext catalog with ``locales/messages.pot``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import PoFileError, read_po

from .. import l10n
from ..entries import Entry, Site
from ..errors import display_path
from ..kinds import KINDS
from .catalogs import TEMPLATE_NAME
from .fingerprints import entry_digest, fingerprint, matches
from .wordcount import entry_words

UP_TO_DATE, DRAFT, OUTDATED, UNSIGNED, MISSING = "up_to_date", "draft", "outdated", "unsigned", "missing"
# DRAFT: matches its source but is marked `review: draft` (published, awaiting a reviewer).
STATES = (UP_TO_DATE, DRAFT, OUTDATED, UNSIGNED, MISSING)


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
    every: list[Entry] = [entry for kind in KINDS for entry in site.items(kind.name)]
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


def read_template(locales: Path | Sequence[Path]) -> Catalog | None:
    """``messages.pot``: of the first folder that has one (a site's own, else the default theme's)."""
    for folder in [locales] if isinstance(locales, Path) else locales:
        path = folder / TEMPLATE_NAME
        if path.is_file():
            with path.open("rb") as handle:
                return read_po(handle, abort_invalid=True)
    return None


def ui_status(template: Catalog, locales: Path | Sequence[Path], lang: str) -> UiStatus:
    """How much of the interface ``lang``'s catalogs translate (a message counts if any layer has it)."""
    folders = [locales] if isinstance(locales, Path) else list(locales)
    paths = [l10n.catalog_path(folder, lang) for folder in folders]
    existing = [(path, folder) for path, folder in zip(paths, folders) if path.is_file()]
    shown_path, shown_folder = existing[0] if existing else (paths[0], folders[0])
    shown = display_path(shown_path, shown_folder)
    wanted = [message for message in template if message.id]
    if not existing:
        return UiStatus(shown, False, len(wanted), 0, tuple(message_key(m) for m in wanted))
    catalogs: list[Catalog] = []
    errors: list[str] = []
    for path, _folder in existing:
        try:
            catalogs.append(l10n.read_catalog(path, lang))
        except (PoFileError, ValueError) as error:
            errors.append(f"catalog error: {error}")
    missing: list[str] = []
    for message in wanted:
        translated = any(
            (found := catalog.get(message.id, context=message.context)) is not None
            and l10n.is_translated(found, catalog.num_plurals)
            for catalog in catalogs
        )
        if not translated:
            missing.append(message_key(message))
    errors += [
        f"{message_key(message)!r}: {'; '.join(str(error) for error in problems)}"
        for catalog in catalogs
        for message, problems in catalog.check()
        if l10n.is_translated(message, catalog.num_plurals)
    ]
    return UiStatus(shown, True, len(wanted), len(wanted) - len(missing), tuple(missing), tuple(errors))


# --- the report ------------------------------------------------------------------


@dataclass(frozen=True)
class LanguageStatus:
    lang: str
    name: str  # in its own language
    english_name: str
    fallbacks: tuple[str, ...]  # the chain after the language itself
    items: tuple[ItemStatus, ...]
    ui: UiStatus | None  # None when there is no messages.pot
    # Source words to translate, for quoting a job: 'new' (missing items) and 'outdated' (their whole source).
    words: Mapping[str, int] = field(default_factory=dict)

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
            "words": dict(language.words),
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


def translation_report(site: Site, locales: Path | Sequence[Path], languages: Iterable[str] | None = None) -> Report:
    """Every non-default language (or those asked for), every item, every UI string."""
    wanted = set(languages) if languages is not None else None
    template = read_template(locales)
    first = locales if isinstance(locales, Path) else locales[0]
    listed = entries(site)
    words = {(entry.kind, entry.id): entry_words(entry) for entry in listed}
    statuses: list[LanguageStatus] = []
    for lang in site.languages[1:]:
        if wanted is not None and lang not in wanted:
            continue
        chain = site.chain(lang)
        info = site.language(lang)
        items = tuple(item_status(entry, lang, chain, site.root) for entry in listed)
        statuses.append(
            LanguageStatus(
                lang,
                info.name,
                info.english_name,
                chain[1:],
                items,
                ui_status(template, locales, lang) if template is not None else None,
                {
                    "new": sum(words[(item.kind, item.id)] for item in items if item.state == MISSING),
                    "outdated": sum(words[(item.kind, item.id)] for item in items if item.state == OUTDATED),
                },
            )
        )
    template_path = first / TEMPLATE_NAME
    return Report(site.default_language, display_path(template_path, first), template is not None, tuple(statuses))
