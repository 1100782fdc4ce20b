"""Language data: CLDR formatting through Babel, and gettext UI catalogs.

Nothing here touches the process locale (no ``locale.setlocale``): every
function takes its language explicitly, so pages in ten languages can be
rendered side by side, in one process or many.
"""

from __future__ import annotations

import base64
import datetime as dt
import gettext
import hashlib
import io
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Mapping, Protocol, Sequence
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from babel import __version__ as babel_version
from babel import dates as babel_dates
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po

from . import calendars
from .cache import DiskCache, seal, unseal
from .errors import BuildError, Problem, display_path

CATALOG_DOMAIN = "messages"


@dataclass(frozen=True)
class Language:
    code: str  # as written in site.yaml (BCP 47, '-' separated)
    locale: Locale  # the CLDR data dates, numbers and names are formatted with (its own, or borrowed)
    name: str  # in its own language and script: 한국어, ไทย, ខ្មែរ
    english_name: str
    direction: str  # 'ltr' or 'rtl', from CLDR
    calendar: str = "gregorian"  # of the dates people read; machine formats are always Gregorian
    borrowed: bool = False  # CLDR lacks the language: ``locale`` is another one's (site.yaml locales)
    keep_together: tuple[str, ...] = ()  # words its pages keep on one line (linebreaks.py)


class Settings(Protocol):
    """What site.yaml ``locales`` may say about one language (config.LocaleSettings)."""

    name: str | None
    english_name: str | None
    formats: str | None
    calendar: str
    direction: str | None
    keep_together: tuple[str, ...]


def known_to_cldr(code: str) -> bool:
    try:
        Locale.parse(code, sep="-")
    except (ValueError, UnknownLocaleError):
        return False
    return True


@lru_cache(maxsize=None)
def language(code: str, settings: Settings | None = None) -> Language:
    """A language as the site publishes it: CLDR's data (or the locale ``settings.formats`` names,
    e.g. en-GB formats for the English edition, or en for a language CLDR lacks), with the name,
    calendar and direction site.yaml gives."""
    borrowed = not known_to_cldr(code)
    formats = settings.formats if settings is not None and settings.formats else None
    locale = Locale.parse(formats or (code if not borrowed else "en"), sep="-")
    if borrowed:
        own = code
        english = Locale("en").languages.get(code.split("-")[0]) or code
        direction = "rtl" if locale.character_order == "right-to-left" else "ltr"
    else:
        itself = Locale.parse(code, sep="-")
        own = itself.get_display_name(itself) or code
        own = own[:1].upper() + own[1:] if own[:1].islower() and itself.language not in ("ko", "ja", "zh") else own
        english = itself.get_display_name(Locale("en")) or code
        direction = "rtl" if itself.character_order == "right-to-left" else "ltr"
    calendar = "gregorian"
    keep_together: tuple[str, ...] = ()
    if settings is not None:
        own = settings.name or own
        english = settings.english_name or english
        direction = settings.direction or direction
        calendar = settings.calendar
        keep_together = settings.keep_together
    return Language(code, locale, own, english, direction, calendar, borrowed, keep_together)


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


# Where Facebook's list of Open Graph locales differs from CLDR's likely subtags.
OG_LOCALES = {"fil": "tl_PH"}  # Facebook knows Filipino as Tagalog (tl_PH); fil_PH is refused


@lru_cache(maxsize=None)
def og_locale(code: str) -> str:
    """Open Graph's language_TERRITORY form (ko → ko_KR), from CLDR's likely subtags."""
    from babel.core import get_global

    if code in OG_LOCALES:
        return OG_LOCALES[code]
    if not known_to_cldr(code):
        return code.replace("-", "_")
    locale = Locale.parse(code, sep="-")
    territory = locale.territory
    if territory is None:
        likely = get_global("likely_subtags").get(locale.language, "")
        territory = likely.split("_")[-1] if "_" in likely else None
    return f"{locale.language}_{territory}" if territory else locale.language


class Formatter:
    """Dates, times, countries and languages for one language, from CLDR (in that language's calendar)."""

    def __init__(self, lang: Language | str, zone: ZoneInfo, country_names: Mapping[str, str] | None = None):
        self._memo: dict[tuple, str] = {}
        self._patterns: dict[tuple[str, bool], object] = {}  # skeleton → CLDR's pattern (Babel weighs every skeleton per call)
        self.language = lang if isinstance(lang, Language) else language(lang)
        self.locale = self.language.locale
        self.zone = zone
        self._country_names = country_names or {}
        # CLDR's preferred hour cycle for this language: 'h' (12-hour) or 'H'.
        self._hour = "h" if "h" in str(self.locale.time_formats["short"].pattern) else "H"
        self._calendar = calendars.CALENDARS[self.language.calendar]

    def _pattern(self, skeleton: str, exact_first: bool = False):
        """The locale's pattern for ``skeleton``: Babel's match (``exact_first``: as ``format_skeleton`` finds it)."""
        found = self._patterns.get((skeleton, exact_first))
        if found is None:
            skeletons = self.locale.datetime_skeletons
            matched: str | None = skeleton
            if not (exact_first and skeleton in skeletons):
                matched = babel_dates.match_skeleton(skeleton, skeletons) or (skeleton if exact_first else None)
            found = self._patterns[(skeleton, exact_first)] = skeletons[matched]
        return found

    def _skeleton(self, skeleton: str, value: dt.date) -> str:
        return self._calendar.format(value, str(self._pattern(skeleton)), self.locale)

    @_memoized
    def day(self, value: dt.date) -> str:
        """A day heading: 'Tuesday, 26 November 2019', '2019년 11월 26일 (화)', 'อ. 26 พ.ย. 2562'."""
        return self._skeleton("yMMMEd", value)

    @_memoized
    def weekday(self, value: dt.date) -> str:
        return babel_dates.format_date(value, "EEEE", locale=self.locale)

    @_memoized
    def short_day(self, value: dt.date) -> str:
        return self._skeleton("MMMEd", value)

    @_memoized
    def date(self, value: dt.date) -> str:
        return self._calendar.format(value, str(self.locale.date_formats["long"].pattern), self.locale)

    @_memoized
    def date_range(self, start: dt.date, end: dt.date) -> str:
        return self._calendar.interval(start, end, "yMMMd", self.locale)

    @_memoized
    def time(self, value: dt.datetime) -> str:
        # babel_dates.format_skeleton, with the pattern found once
        return babel_dates.format_datetime(value, self._pattern(self._hour + "m", exact_first=True), tzinfo=self.zone, locale=self.locale)

    @_memoized
    def time_range(self, start: dt.datetime, end: dt.datetime) -> str:
        return babel_dates.format_interval(start, end, self._hour + "m", tzinfo=self.zone, locale=self.locale)

    def clock(self) -> dict[str, object]:
        """What the browser needs to write a time the way this page does (schedule.js, "your time"):
        CLDR's patterns and names, so a browser without this locale (Khmer, Lao, Burmese in many)
        still writes it in the page's language rather than in English."""
        skeletons = self.locale.datetime_skeletons
        periods = self.locale.day_periods["format"]["abbreviated"]
        return {
            "time": str(skeletons[babel_dates.match_skeleton(self._hour + "m", skeletons)]),
            "weekdayTime": str(skeletons[babel_dates.match_skeleton("E" + self._hour + "m", skeletons)]),
            "days": [self.locale.days["format"]["abbreviated"][index] for index in range(7)],  # Monday first
            "am": periods.get("am", "AM"),
            "pm": periods.get("pm", "PM"),
            "gmt": str(self.locale.zone_formats["gmt"]).replace("%s", "{0}"),
            "range": str(self.locale.interval_formats.get(None, "{0} – {1}")),
        }

    @_memoized
    def zone_name(self, value: dt.datetime) -> str:
        """The event's zone as readers know it ('GMT+09:00', 'Korean Standard Time')."""
        return babel_dates.get_timezone_name(value.astimezone(self.zone), width="long", locale=self.locale)

    @_memoized
    def zone_offset(self, value: dt.datetime) -> str:
        return babel_dates.get_timezone_gmt(value.astimezone(self.zone), width="short", locale=self.locale)

    @_memoized
    def country(self, code: str) -> str:
        """The country's name: site.yaml ``country_names`` first, else CLDR's (its short form where CLDR's
        common one adds a parenthesis: 'Myanmar (Burma)' is 'Myanmar')."""
        if code in self._country_names:
            return self._country_names[code]
        name = self.locale.territories.get(code, code)
        return SHORT_FORM.sub("", name) if code in CLDR_NAMES_WITH_ALTERNATIVE else name

    @_memoized
    def language_name(self, code: str) -> str:
        """Another language's name in this page's language."""
        if known_to_cldr(code):
            return Locale.parse(code, sep="-").get_display_name(self.locale) or code
        return self.locale.languages.get(code.split("-")[0], code)


# CLDR's common name of these territories carries its alternative in parentheses, and Babel
# leaves out CLDR's short form ('Myanmar (Burma)' / 'Myanmar'): the name before the parenthesis.
CLDR_NAMES_WITH_ALTERNATIVE = frozenset({"MM"})
SHORT_FORM = re.compile(r"\s*[(（][^()（）]*[)）]\s*$")


# --- gettext catalogs -------------------------------------------------------------


def catalog_path(locales_dir: Path, lang: str) -> Path:
    return locales_dir / lang.replace("-", "_") / "LC_MESSAGES" / f"{CATALOG_DOMAIN}.po"


def load_translations(
    locales: Path | Sequence[Path], languages: tuple[str, ...], chains: Mapping[str, tuple[str, ...]] | None = None,
    cache: DiskCache | None = None,
) -> Mapping[str, gettext.NullTranslations]:
    """Compile each language's .po catalogs in memory (no .mo files in the project; with ``cache``,
    each catalog's compiled bytes are kept in the cache folder by the digest of its text).

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
                    catalogs.setdefault(lang, []).append(compile_mo_kept(path, lang, cache))
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


def read_catalog(path: Path, lang: str, text: bytes | None = None) -> Catalog:
    """The catalog at ``path``, or of ``text`` read from it already."""
    if text is not None:
        return read_po(io.BytesIO(text), locale=Locale.parse(lang, sep="-"), abort_invalid=True)
    with path.open("rb") as handle:
        return read_po(handle, locale=Locale.parse(lang, sep="-"), abort_invalid=True)


def compile_catalog(path: Path, lang: str) -> gettext.GNUTranslations:
    return gettext.GNUTranslations(io.BytesIO(compile_mo(path, lang)))


def compile_mo(path: Path, lang: str, text: bytes | None = None) -> bytes:
    """The .mo bytes of the catalog's complete, non-fuzzy messages (of ``text``, when read already)."""
    catalog = read_catalog(path, lang, text)
    complete = Catalog(locale=catalog.locale, domain=CATALOG_DOMAIN)
    for message in catalog:
        if message.id and is_translated(message, catalog.num_plurals):
            complete[message.id] = message
    buffer = io.BytesIO()
    write_mo(buffer, complete)
    return buffer.getvalue()


MO_VERSION = "1"  # bump when compile_mo makes other bytes of the same catalog
_MO_MAGIC = b"eventsite-mo\n"  # a kept catalog is sealed (eventsite/cache.py): every byte checked before gettext reads it


def compile_mo_kept(path: Path, lang: str, cache: DiskCache | None) -> bytes:
    """compile_mo, from ``cache`` when this text of the catalog was compiled before: reading and compiling
    ten catalogs was ~50 ms of every command-line build. Only a catalog without errors is kept."""
    if cache is None:
        return compile_mo(path, lang)
    text = path.read_bytes()  # compiled from these bytes: a save in between must not go under their key
    key = cache.key("mo", MO_VERSION, _compiler_digest(), babel_version, lang, hashlib.sha256(text).hexdigest())
    kept = cache.get(key)
    if isinstance(kept, str):
        try:
            return bytes(unseal(_MO_MAGIC, base64.b64decode(kept, validate=True)))
        except ValueError:
            pass  # a damaged entry is compiled again, never read as a catalog
    data = compile_mo(path, lang, text)
    cache.put(key, base64.b64encode(seal(_MO_MAGIC, data)).decode("ascii"))
    return data


@lru_cache(maxsize=1)
def _compiler_digest() -> str:
    """This module's code (compile_mo, is_translated): a change to how catalogs compile is a miss, bumped or not."""
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()


def is_translated(message, num_plurals: int) -> bool:
    if message.fuzzy:
        return False
    if isinstance(message.string, (tuple, list)):
        return len(message.string) >= num_plurals and all(message.string[:num_plurals])
    return bool(message.string)


def _po_error_line(error: Exception) -> int:
    return int(getattr(error, "lineno", 0) or 0)
