"""Language data: CLDR formatting through Babel, and gettext UI catalogs.

Nothing here touches the process locale (no ``locale.setlocale``): every
function takes its language explicitly, so pages in ten languages can be
rendered side by side, in one process or many.
"""

from __future__ import annotations

import datetime as dt
import gettext
import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Mapping, Sequence
from zoneinfo import ZoneInfo

from babel import Locale
from babel import dates as babel_dates
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po

from .errors import BuildError, Problem, display_path

CATALOG_DOMAIN = "messages"


@dataclass(frozen=True)
class Language:
    code: str  # as written in site.yaml (BCP 47, '-' separated)
    locale: Locale
    name: str  # in its own language and script: 한국어, ไทย, ខ្មែរ
    english_name: str
    direction: str  # 'ltr' or 'rtl', from CLDR


@lru_cache(maxsize=None)
def language(code: str) -> Language:
    locale = Locale.parse(code, sep="-")
    own = locale.get_display_name(locale) or code
    own = own[:1].upper() + own[1:] if own[:1].islower() and locale.language not in ("ko", "ja", "zh") else own
    direction = "rtl" if locale.character_order == "right-to-left" else "ltr"
    return Language(code, locale, own, locale.get_display_name(Locale("en")) or code, direction)


def _memoized(method):
    """Cache a Formatter method per instance: pages ask for the same dates again and again."""

    def wrapper(self, *args):
        key = (method.__name__, *args)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = method(self, *args)
        return found

    wrapper.__name__ = method.__name__
    wrapper.__doc__ = method.__doc__
    return wrapper


@lru_cache(maxsize=None)
def og_locale(code: str) -> str:
    """Open Graph's language_TERRITORY form (ko → ko_KR), from CLDR's likely subtags."""
    from babel.core import get_global

    locale = Locale.parse(code, sep="-")
    territory = locale.territory
    if territory is None:
        likely = get_global("likely_subtags").get(locale.language, "")
        territory = likely.split("_")[-1] if "_" in likely else None
    return f"{locale.language}_{territory}" if territory else locale.language


class Formatter:
    """Dates, times, countries and languages for one language, from CLDR."""

    def __init__(self, code: str, zone: ZoneInfo):
        self._memo: dict[tuple, str] = {}
        self.language = language(code)
        self.locale = self.language.locale
        self.zone = zone
        # CLDR's preferred hour cycle for this language: 'h' (12-hour) or 'H'.
        self._hour = "h" if "h" in str(self.locale.time_formats["short"].pattern) else "H"

    @_memoized
    def day(self, value: dt.date) -> str:
        """A day heading: 'Tuesday, 26 November 2019', '2019년 11월 26일 (화)'."""
        return babel_dates.format_skeleton("yMMMEd", value, locale=self.locale)

    @_memoized
    def weekday(self, value: dt.date) -> str:
        return babel_dates.format_date(value, "EEEE", locale=self.locale)

    @_memoized
    def short_day(self, value: dt.date) -> str:
        return babel_dates.format_skeleton("MMMEd", value, locale=self.locale)

    @_memoized
    def date(self, value: dt.date) -> str:
        return babel_dates.format_date(value, "long", locale=self.locale)

    @_memoized
    def date_range(self, start: dt.date, end: dt.date) -> str:
        return babel_dates.format_interval(start, end, "yMMMd", locale=self.locale)

    @_memoized
    def time(self, value: dt.datetime) -> str:
        return babel_dates.format_skeleton(self._hour + "m", value, tzinfo=self.zone, locale=self.locale)

    @_memoized
    def time_range(self, start: dt.datetime, end: dt.datetime) -> str:
        return babel_dates.format_interval(start, end, self._hour + "m", tzinfo=self.zone, locale=self.locale)

    @_memoized
    def zone_name(self, value: dt.datetime) -> str:
        """The event's zone as readers know it ('GMT+09:00', 'Korean Standard Time')."""
        return babel_dates.get_timezone_name(value.astimezone(self.zone), width="long", locale=self.locale)

    @_memoized
    def zone_offset(self, value: dt.datetime) -> str:
        return babel_dates.get_timezone_gmt(value.astimezone(self.zone), width="short", locale=self.locale)

    @_memoized
    def country(self, code: str) -> str:
        return self.locale.territories.get(code, code)

    @_memoized
    def language_name(self, code: str) -> str:
        """Another language's name in this page's language."""
        return Locale.parse(code, sep="-").get_display_name(self.locale) or code


# --- gettext catalogs -------------------------------------------------------------


def catalog_path(locales_dir: Path, lang: str) -> Path:
    return locales_dir / lang.replace("-", "_") / "LC_MESSAGES" / f"{CATALOG_DOMAIN}.po"


def load_translations(
    locales: Path | Sequence[Path], languages: tuple[str, ...], chains: Mapping[str, tuple[str, ...]] | None = None
) -> Mapping[str, gettext.NullTranslations]:
    """Compile each language's .po catalogs in memory (no .mo files on disk).

    ``locales`` are catalog folders in order (a site's own, then the default
    theme's): for each language, the first folder's translation of a message
    wins and the next fill in. A message missing from every catalog of a
    language is looked up along its fallback chain (site.yaml ``fallbacks``;
    by default straight to the default language), then falls back to the
    template's own text. A plural message with any form left empty counts as
    untranslated as a whole, so an incomplete plural never shows the singular
    where the plural belongs.
    """
    problems: list[Problem] = []
    catalogs: dict[str, list[bytes]] = {}  # compiled .mo data per language, first layer first
    folders = [locales] if isinstance(locales, Path) else list(locales)
    for lang in languages:
        for folder in folders:
            path = catalog_path(folder, lang)
            if path.is_file():
                try:
                    catalogs.setdefault(lang, []).append(compile_mo(path, lang))
                except (PoFileError, ValueError) as error:
                    problems.append(Problem(display_path(path, folder), _po_error_line(error), f"catalog error: {error}"))
    if problems:
        raise BuildError(problems)
    default = languages[0]
    compiled: dict[str, gettext.NullTranslations] = {}
    for lang in languages:
        chain = (chains or {}).get(lang) or (lang, default)
        # Each language gets its own objects: add_fallback mutates the chain.
        links = [
            gettext.GNUTranslations(io.BytesIO(data)) for code in dict.fromkeys(chain) for data in catalogs.get(code, ())
        ]
        head: gettext.NullTranslations = links[0] if links else gettext.NullTranslations()
        for link in links[1:]:
            head.add_fallback(link)
        compiled[lang] = head
    return compiled


def read_catalog(path: Path, lang: str) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=Locale.parse(lang, sep="-"), abort_invalid=True)


def compile_catalog(path: Path, lang: str) -> gettext.GNUTranslations:
    return gettext.GNUTranslations(io.BytesIO(compile_mo(path, lang)))


def compile_mo(path: Path, lang: str) -> bytes:
    """The .mo bytes of the catalog's complete, non-fuzzy messages."""
    catalog = read_catalog(path, lang)
    complete = Catalog(locale=catalog.locale, domain=CATALOG_DOMAIN)
    for message in catalog:
        if message.id and is_translated(message, catalog.num_plurals):
            complete[message.id] = message
    buffer = io.BytesIO()
    write_mo(buffer, complete)
    return buffer.getvalue()


def is_translated(message, num_plurals: int) -> bool:
    if message.fuzzy:
        return False
    if isinstance(message.string, (tuple, list)):
        return len(message.string) >= num_plurals and all(message.string[:num_plurals])
    return bool(message.string)


def _po_error_line(error: Exception) -> int:
    return int(getattr(error, "lineno", 0) or 0)
