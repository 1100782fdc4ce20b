"""The calendars dates are written in for readers: Gregorian, and the Buddhist era of Thai official texts.

Babel formats the Gregorian calendar only. The Buddhist calendar (CLDR's
``buddhist``: the Gregorian months and days, years counted from 543 BCE) is
the same patterns with another year and era, so it is made here on top of
Babel's pattern machinery: a ``DateTimeFormat`` whose year is the Gregorian
year + 543 and whose era is the Buddhist one, and CLDR's interval algorithm
(as Babel implements it) applied with that format. Only what pages show is
affected; calendars, JSON-LD, schedule files and ``datetime`` attributes stay
Gregorian ISO.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable

from babel import Locale
from babel import dates as babel_dates
from babel.dates import DateTimeFormat, parse_pattern

# CLDR's era names of the Buddhist calendar (ca-buddhist.xml, "abbreviated"/"wide"): Babel does not carry them.
BUDDHIST_ERAS = {
    "th": ("พ.ศ.", "พุทธศักราช"),
    "lo": ("ພ.ສ.", "ພຸດທະສັກກະລາດ"),
    "km": ("ព.ស.", "ពុទ្ធសករាជ"),
    "my": ("သာသနာ", "သာသနာနှစ်"),
    "en": ("BE", "BE"),
}
BUDDHIST_OFFSET = 543


class _BuddhistFormat(DateTimeFormat):
    """Babel's field formatting with the Buddhist year and era."""

    def format_year(self, char: str, num: int) -> str:
        assert isinstance(self.value, dt.date)  # a date or datetime: calendars format days
        year = self.value.year + BUDDHIST_OFFSET
        text = self.format(year, num)
        return text[-2:] if num == 2 else text

    def format_era(self, char: str, num: int) -> str:
        abbreviated, wide = BUDDHIST_ERAS.get(self.locale.language, BUDDHIST_ERAS["en"])
        return wide if num == 4 else abbreviated

    def extract(self, char: str) -> int:
        value = super().extract(char)
        return value + BUDDHIST_OFFSET if str(char)[0] == "y" else value


@dataclass(frozen=True)
class Calendar:
    name: str
    make: Callable[[dt.date, Locale], DateTimeFormat]

    def format(self, value: dt.date, pattern: str, locale: Locale) -> str:
        """``value`` in a CLDR pattern ('d MMMM G y')."""
        return parse_pattern(pattern) % self.make(value, locale)

    def interval(self, start: dt.date, end: dt.date, skeleton: str, locale: Locale) -> str:
        """Two dates as CLDR writes an interval (``babel.dates.format_interval`` with this calendar)."""
        if self.name == "gregorian":
            return babel_dates.format_interval(start, end, skeleton, locale=locale)
        formats = locale.interval_formats
        if skeleton not in formats:
            skeleton = babel_dates.match_skeleton(skeleton, formats) or skeleton
        patterns = formats.get(skeleton)
        single = locale.datetime_skeletons.get(skeleton)
        if start == end or patterns is None:
            return self.format(start, str(single) if single else str(locale.date_formats["medium"].pattern), locale)
        first, last = self.make(start, locale), self.make(end, locale)
        for field in babel_dates.PATTERN_CHAR_ORDER:  # largest to smallest, as CLDR says
            if field in patterns and first.extract(field) != last.extract(field):
                return "".join(parse_pattern(pattern) % self.make(value, locale) for pattern, value in zip(patterns[field], (start, end)))
        fallback = str(formats.get(None, "{0}–{1}"))
        pattern = str(single) if single else str(locale.date_formats["medium"].pattern)
        return fallback.replace("{0}", self.format(start, pattern, locale)).replace("{1}", self.format(end, pattern, locale))


CALENDARS = {
    "gregorian": Calendar("gregorian", lambda value, locale: DateTimeFormat(value, locale)),
    "buddhist": Calendar("buddhist", lambda value, locale: _BuddhistFormat(value, locale)),
}
