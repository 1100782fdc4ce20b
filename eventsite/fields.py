"""The types of content fields: ids, languages, countries, URLs, media paths, times, texts.

Every kind's schema (eventsite/kinds/) and site.yaml's (eventsite/config.py)
are made of these, so a rule such as "an id is lowercase a-z, 0-9 and '-'" is
written once, and eventsite/schemas.py can translate each validator into
JSON Schema for editors' tools.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from functools import lru_cache
from typing import Annotated, Any, Union
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from . import paths
from .contentpath import looks_like_language

def _check_id(value: str) -> str:
    why = paths.id_problem(value)
    if why:
        raise ValueError(why)
    return value


def _check_language(value: str) -> str:
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(value, sep="-")
    except (ValueError, UnknownLocaleError):
        raise ValueError(f"{value!r} is not a language known to CLDR{language_hint(value)}") from None
    return value


def language_hint(value: str) -> str:
    """How to add a language CLDR has no data for ('sm', Samoan), or: 'vn' is Viet Nam's country code, the language is 'vi'."""
    from babel import Locale
    from babel.core import get_global

    name = Locale("en").languages.get(value)
    if name:
        return (
            f": it has no data for {name}; to publish in it, give its own name and a language to borrow "
            f"date formats from: locales: {{{value}: {{name: …, formats: en}}}}"
        )
    if not looks_like_language(value):
        return ""
    likely = get_global("likely_subtags").get(f"und_{value.upper()}")
    if likely:
        language = likely.split("_")[0]
        return f" ({value.upper()} is a country code; its language is {language!r})"
    return f" (to publish in it anyway, give its name and a language to borrow formats from: locales: {{{value}: {{name: …, formats: en}}}})"


@lru_cache(maxsize=1)
def _cldr_territories() -> frozenset[str]:
    from babel import Locale

    return frozenset(code for code in Locale("en").territories if isinstance(code, str) and len(code) == 2 and code.isalpha())


def _check_country(value: str) -> str:
    if value not in _cldr_territories():
        raise ValueError(f"{value!r} is not an ISO 3166 alpha-2 country code (e.g. 'KR', 'TH')")
    return value


def _check_url(value: str) -> str:
    # Autoescaping does not stop `javascript:` in an href: allow-list schemes.
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError("must be an absolute http:// or https:// URL")
    return value


def _check_media_path(value: str) -> str:
    why = paths.media_path_problem(value)
    if why:
        raise ValueError(why)
    return paths.nfc(value)


def _check_resource(value: str) -> str:
    """A link an item offers (a recording): a file below media/ or an absolute http(s) URL."""
    if urlsplit(value).scheme:
        return _check_url(value)
    return _check_media_path(value)


_LOCAL_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}$")
_LOOSE_TIME = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2})[:.](\d{2})$")


def _parse_local_time(value: Any) -> Any:
    if isinstance(value, str):
        text = value.strip()
        if not _LOCAL_TIME.match(text):
            raise ValueError(f"{text!r} is not a local time 'YYYY-MM-DD HH:MM'{_time_hint(text)}")
        try:
            return dt.datetime.strptime(text.replace("T", " "), "%Y-%m-%d %H:%M")
        except ValueError:
            raise ValueError(f"{text!r} is not a real date and time (expected 'YYYY-MM-DD HH:MM'){_time_hint(text)}") from None
    return value


def _time_hint(text: str) -> str:
    """How to write a time that is almost right: '9:30' → '09:30', '24:00' → the next day's '00:00'."""
    match = _LOOSE_TIME.match(text)
    if not match:
        return " (e.g. '2019-11-25 09:30')"
    year, month, day, hour, minute = (int(part) for part in match.groups())
    if hour == 24 and minute == 0:
        try:
            following = dt.date(year, month, day) + dt.timedelta(days=1)
        except ValueError:
            return ""
        return f": midnight at the end of the day is the next day's 00:00, '{following.isoformat()} 00:00'"
    try:
        fixed = dt.datetime(year, month, day, hour, minute)
    except ValueError:
        return ""
    return f": write '{fixed:%Y-%m-%d %H:%M}' (two digits for the month, day and hour)"


def _parse_date(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"{value.strip()!r} is not a date: expected a date as 'YYYY-MM-DD' (e.g. '2019-11-25')") from None
    return value


def _one_line(value: str) -> str:
    if "\n" in value.strip():
        raise ValueError("must be a single line")
    return value.strip()


def _check_kept_word(value: str) -> str:
    value = _one_line(value)
    # Matched against the page's HTML, where these are written as character references.
    if any(character in value for character in "&<>\"'"):
        raise ValueError("may not contain & < > \" or ' (write the word as it reads, e.g. ปูซาน)")
    return value


def _check_language_tag(value: str) -> str:
    if not looks_like_language(value.lower()):  # BCP 47 ignores case; listing 'en' and 'EN' is refused apart
        raise ValueError(f"{value!r} is not a language code (e.g. 'ko', 'zh-Hant', 'en-GB')")
    return value


Id = Annotated[str, AfterValidator(_check_id)]
# A language of the site: any BCP 47 code (CLDR's knowledge is checked in the model, where site.yaml
# ``locales`` can declare a language CLDR lacks); a Language is one CLDR knows (to borrow formats from).
LanguageTag = Annotated[str, AfterValidator(_check_language_tag)]
Language = Annotated[str, AfterValidator(_check_language)]
Country = Annotated[str, AfterValidator(_check_country)]
Url = Annotated[str, AfterValidator(_check_url)]
MediaPath = Annotated[str, AfterValidator(_check_media_path)]
Resource = Annotated[str, AfterValidator(_check_resource)]  # a media file or an http(s) URL
LocalTime = Annotated[dt.datetime, BeforeValidator(_parse_local_time)]
Date = Annotated[dt.date, BeforeValidator(_parse_date)]
Line = Annotated[str, AfterValidator(_one_line), Field(min_length=1)]
# A word or short name kept on one line (site.yaml locales.*.keep_together): a longer one kept whole in a
# heading would not fit a phone's line.
KeptWord = Annotated[str, StringConstraints(min_length=1, max_length=20), AfterValidator(_check_kept_word)]
# A plain string (the default language) or a mapping {language: text}.
LocalizedText = Union[Line, dict[LanguageTag, Line]]



class Strict(BaseModel):
    # defer_build: a model is built when first used; a rebuild that validates one changed file skips the others (~50 ms at start-up).
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, defer_build=True)


class Status(str, enum.Enum):
    """Where an event or a programme item stands (schema.org's EventStatusType, and 'moved-online')."""

    scheduled = "scheduled"
    cancelled = "cancelled"
    postponed = "postponed"
    rescheduled = "rescheduled"
    moved_online = "moved-online"


class Attendance(str, enum.Enum):
    """How people take part (schema.org's EventAttendanceModeEnumeration)."""

    in_person = "in-person"
    online = "online"
    hybrid = "hybrid"


class Attachment(Strict):
    """A document offered with an item: a title and a file below media/ or a URL."""

    title: LocalizedText = Field(description="what it is, e.g. 'Programme booklet', or {en: …, ko: …}")
    file: Resource = Field(description="a file below content/media/ or an absolute http(s) URL")


def _check_timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a folder such as 'Asia'
        raise ValueError(f"{value!r} is not an IANA time zone (e.g. 'Asia/Seoul')") from None
    return value


def normalize_base_url(value: str) -> str:
    """An absolute http(s) URL ending in '/'."""
    _check_url(value)
    return value if value.endswith("/") else value + "/"



Fingerprint = Annotated[str, Field(pattern=r"^[0-9a-f]{12,64}$")]


class ReviewState(str, enum.Enum):
    draft = "draft"


class TranslationBase(Strict):
    """What every translation file may say about itself besides its texts."""

    # Written by `build.py i18n sign-off`: the fingerprint of the source's
    # translatable text when the translation was last brought up to date.
    source_fingerprint: Fingerprint | None = None
    # A machine-drafted or unreviewed translation: published, counted apart in
    # the status report, marked on the page; `i18n sign-off` clears it.
    review: ReviewState | None = Field(None, description="'draft': published, but awaiting a reviewer's sign-off")


# Fields of a translation file that say something about the translation, not text to translate.
TRANSLATION_RECORD_FIELDS = frozenset({"source_fingerprint", "review"})


TimeZone = Annotated[str, AfterValidator(_check_timezone)]
BaseUrl = Annotated[str, AfterValidator(normalize_base_url)]
