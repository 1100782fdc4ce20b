"""A programme spreadsheet (CSV or XLSX) → :class:`~eventsite.exchange.programme.Programme`.

One row per programme item. Times are spreadsheet cells (date, time or date
and time) or text: ``09:30``, ``9.30``, ``9:30 pm``, ``2019-11-26 09:30``; a
date column may hold the day while the start and end columns hold times, and
a duration (minutes, ``1:30``, ``1h30``) may stand for the end. Every value
that cannot be read is a problem at its row and column; all are reported.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterable

from babel import Locale, UnknownLocaleError

from ..errors import BuildError, Problem, did_you_mean
from . import columns as cols
from .programme import BODY, Item, Place, Programme, Speaker, kind_choices, kind_of, one_line, slug, speaker_key, split_names
from .sheets import Cell, Table, read_tables

_DATE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_TIME = re.compile(r"^(\d{1,2})(?:\s*[:.hH]\s*(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?$", re.IGNORECASE)
_COMPACT_TIME = re.compile(r"^(\d{2})(\d{2})$")
_DATE_TIME = re.compile(r"^(\d{4}[-/.]\d{1,2}[-/.]\d{1,2})(?:[ T]+|\s*,\s*)(.+)$")
_DURATION = re.compile(r"^(?:(\d+)\s*(?:h|hours?|:)\s*)?(\d+)?\s*(?:m|min|mins|minutes?)?$", re.IGNORECASE)


class CellError(ValueError):
    """A value that cannot be read; the message says how to write it."""


@dataclass(frozen=True)
class Options:
    languages: tuple[str, ...]  # the site's; the first is the default
    mapping: cols.Mapping
    adds_rooms: bool = False


def read_programme(raw: bytes, shown: str, source: str, options: Options) -> Programme:
    tables = read_tables(raw, shown)
    translations = {table.name: lang for table in tables if (lang := sheet_language(table.name, options.languages)) is not None}
    if options.mapping.sheet is not None:
        main = next((table for table in tables if table.name == options.mapping.sheet), None)
        if main is None:
            names = [table.name for table in tables]
            raise BuildError([Problem(shown, 0, f"no sheet {options.mapping.sheet!r}{did_you_mean(options.mapping.sheet, names)} (sheets: {', '.join(names)})")])
    else:
        main = next((table for table in tables if table.name not in translations), tables[0])
    problems: list[Problem] = []
    items = read_items(main, options, problems)
    for table in tables:
        if table is not main and table.name in translations:
            add_translation_sheet(table, translations[table.name], items, options, problems)
    if problems:
        raise BuildError(problems)
    return Programme(source, tuple(items), options.adds_rooms)


def sheet_language(name: str, languages: Iterable[str]) -> str | None:
    """The translated language a sheet is named after: 'ko', 'Korean' or '한국어'."""
    wanted = cols.normalize(name)
    for lang in list(languages)[1:]:
        names = {lang}
        try:
            locale = Locale.parse(lang, sep="-")
            names |= {locale.get_display_name("en") or "", locale.get_display_name(locale) or "", locale.get_language_name("en") or ""}
        except (ValueError, UnknownLocaleError):
            pass
        if wanted in {cols.normalize(item) for item in names if item}:
            return lang
    return None


# --- columns ------------------------------------------------------------------------------


def table_columns(table: Table, options: Options, problems: list[Problem], allowed: Iterable[str] = cols.FIELDS) -> dict[int, cols.Column]:
    words = cols.header_words(options.languages)
    allowed = set(allowed)
    found: dict[int, cols.Column] = {}
    seen: dict[cols.Column, Cell] = {}
    for index, cell in enumerate(table.header):
        header = cell.text
        if not header or cols.normalize(header) in options.mapping.ignore:
            continue
        column = cols.column_of(header, words, options.languages[1:], options.mapping)
        if column is None or column.field not in allowed:
            known = sorted({word for word, name in words.items() if name in allowed})
            hint = did_you_mean(cols.normalize(header), known)
            problems.append(cell.place.problem(
                f"unknown column {header!r}{hint}: name it after a field ({', '.join(sorted(allowed))}), "
                "or map or ignore it in a mapping file (--mapping)"
            ))
            continue
        if column in seen:
            problems.append(cell.place.problem(f"two columns for {_label(column)}: {seen[column].text!r} and {header!r}"))
            continue
        seen[column] = cell
        found[index] = column
    return found


def _label(column: cols.Column) -> str:
    return column.field + (f" ({column.lang})" if column.lang else "")


def read_items(table: Table, options: Options, problems: list[Problem]) -> list[Item]:
    found = table_columns(table, options, problems)
    present = {column.field for column in found.values() if column.lang is None}
    header_place = table.header[0].place if table.header else Place(table.path, 1)
    for required in ("title", "start"):
        if required not in present:
            problems.append(Place(table.path, header_place.line).problem(
                f"no {required!r} column: name one {cols.header_in(required, 'en')!r} (or in a language of the site), "
                "or map it in a mapping file (--mapping)"
            ))
    if not {"end", "duration"} & present and "start" in present:
        problems.append(Place(table.path, header_place.line).problem("no 'end' or 'duration' column: when does each item end?"))
    if problems:
        return []
    items = []
    keys: Counter[str] = Counter()
    for row in table.rows:
        item = read_row(row, found, options, problems, keys)
        if item is not None:
            items.append(item)
    return items


def read_row(row: tuple[Cell, ...], found: dict[int, cols.Column], options: Options, problems: list[Problem], keys: Counter[str]) -> Item | None:
    cells: dict[str, Cell] = {}
    translations: dict[str, dict[str, str]] = {}
    for index, column in found.items():
        cell = row[index] if index < len(row) else None
        if cell is None:
            continue
        if column.lang is None:
            cells[column.field] = cell
        elif cell.text:
            translations.setdefault(column.lang, {})[BODY if column.field == "description" else column.field] = _text(cell)
    before = len(problems)
    row_place = row[0].place

    def read(name: str, parse):  # noqa: ANN001, ANN202
        cell = cells.get(name)
        if cell is None or not cell.text:
            return None
        try:
            return parse(cell)
        except CellError as error:
            problems.append(cell.place.problem(f"{name}: {error}"))
            return None

    title = read("title", _text)
    if not title:
        place = cells["title"].place if "title" in cells else row_place
        problems.append(place.problem("title: empty (every row needs a title)"))
    day = read("date", parse_date)
    start = read("start", lambda cell: parse_moment(cell, day))
    end = read("end", lambda cell: parse_moment(cell, day if day else (start.date() if start else None)))
    duration = read("duration", parse_duration)
    if start is None and "start" in cells and not cells["start"].text:
        problems.append(cells["start"].place.problem("start: empty (every row needs a start time)"))
    if start is not None and end is None:
        if duration is not None:
            end = start + duration
        elif not problems[before:]:
            place = cells.get("end", cells.get("duration", cells["start"])).place
            problems.append(place.problem("end: empty (give an end time or a duration)"))
    if start is not None and end is not None and end <= start and "end" in cells and _is_time_only(cells["end"]):
        end += dt.timedelta(days=1) if end.time() == dt.time(0) else dt.timedelta(0)  # '00:00' ends at midnight
    kind = read("kind", _kind)
    countries = read("countries", _countries) or ()
    speakers = read("speakers", _speakers) or ()
    moderators = read("moderators", _speakers) or ()
    item_id = read("id", _text)
    if problems[before:] or title is None or start is None or end is None:
        return None
    fields = {name for name, cell in cells.items() if name not in ("date", "duration", "id")}
    fields |= {"start", "end"}
    if "description" in fields:
        fields = (fields - {"description"}) | {BODY}
    base = f"id:{item_id}" if item_id else f"title:{slug(title) or title}@{start.date().isoformat()}"
    keys[base] += 1
    key = base if keys[base] == 1 else f"{base}#{keys[base]}"
    places = {name: cell.place for name, cell in cells.items()}
    if "end" not in places and "duration" in places:
        places["end"] = places["duration"]
    return Item(
        key=key, place=row_place, title=one_line(title), start=start, end=end, fields=frozenset(fields), id=item_id or None,
        room=_text(cells["room"]) if "room" in cells and cells["room"].text else None,
        speakers=speakers, moderators=moderators, kind=kind, countries=tuple(countries),
        summary=_text(cells["summary"]) if "summary" in cells else None,
        body=_text(cells["description"]) if "description" in cells else None,
        translations=translations, places=places,
    )


def add_translation_sheet(table: Table, lang: str, items: list[Item], options: Options, problems: list[Problem]) -> None:
    """A sheet of translations: rows matched to items by id, or else in the same order."""
    found = table_columns(table, options, problems, allowed=("id", *cols.TRANSLATABLE))
    by_field = {column.field: index for index, column in found.items() if column.lang is None}
    by_id = {item.id: position for position, item in enumerate(items) if item.id}
    if "id" not in by_field and len(table.rows) != len(items):
        problems.append(Place(table.path, 1).problem(
            f"{len(table.rows)} rows, but the programme has {len(items)}: give the sheet an id column, "
            "or keep its rows in the programme's order"
        ))
        return
    for number, row in enumerate(table.rows):
        if "id" in by_field:
            cell = row[by_field["id"]]
            position = by_id.get(cell.text)
            if position is None:
                problems.append(cell.place.problem(f"id {cell.text!r} is not in the programme sheet{did_you_mean(cell.text, by_id)}"))
                continue
        else:
            position = number
        texts = {
            (BODY if name == "description" else name): _text(row[index])
            for name, index in by_field.items()
            if name != "id" and row[index].text
        }
        if texts:
            item = items[position]
            merged: dict[str, dict[str, str]] = {name: dict(values) for name, values in item.translations.items()}
            merged[lang] = {**merged.get(lang, {}), **texts}
            items[position] = _replace_translations(item, merged)


def _replace_translations(item: Item, translations: dict[str, dict[str, str]]) -> Item:
    from dataclasses import replace

    return replace(item, translations=translations)


# --- values -----------------------------------------------------------------------------


def _text(cell: Cell) -> str:
    value = cell.value
    if isinstance(value, str):
        return value.replace("\r\n", "\n").strip()
    return cell.text


def _is_time_only(cell: Cell) -> bool:
    value = cell.value
    return isinstance(value, dt.time) or (isinstance(value, str) and bool(_TIME.match(value.strip()) or _COMPACT_TIME.match(value.strip())))


def parse_date(cell: Cell) -> dt.date:
    value = cell.value
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    match = _DATE.match(cell.text)
    if match:
        try:
            return dt.date(*(int(part) for part in match.groups()))
        except ValueError:
            pass
    raise CellError(f"{cell.text!r} is not a date: write it as 2019-11-26 (year-month-day), or use a date cell")


def parse_time(text: str) -> dt.time:
    match = _TIME.match(text) or _COMPACT_TIME.match(text)
    if match:
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        suffix = (match.group(3) or "").lower().replace(".", "") if match.re is _TIME else ""
        if suffix:
            if not 1 <= hour <= 12:
                raise CellError(f"{text!r} is not a time: {hour} {suffix}?")
            hour = hour % 12 + (12 if suffix == "pm" else 0)
        if hour == 24 and minute == 0:
            return dt.time(0)
        if hour < 24 and minute < 60:
            return dt.time(hour, minute)
    raise CellError(f"{text!r} is not a time: write it as 09:30 (or 9.30, 9:30 pm, 2019-11-26 09:30)")


def parse_moment(cell: Cell, day: dt.date | None) -> dt.datetime:
    value = cell.value
    if isinstance(value, dt.datetime):
        return value.replace(second=0, microsecond=0, tzinfo=None)
    if isinstance(value, dt.time):
        clock = value
    elif isinstance(value, dt.date):
        raise CellError(f"{value.isoformat()} is a date without a time: give the time too (2019-11-26 09:30)")
    elif isinstance(value, float) and 0 <= value < 1:
        minutes = round(value * 24 * 60)
        clock = dt.time(minutes // 60 % 24, minutes % 60)
    else:
        text = cell.text
        if isinstance(value, float):
            text = f"{value:.2f}"  # 9.3 typed as a number: 9.30
        match = _DATE_TIME.match(text)
        if match:
            day = parse_date(Cell(match.group(1), cell.place))
            text = match.group(2).strip()
        clock = parse_time(text)
    if day is None:
        raise CellError(f"{cell.text!r} has no date: give a date column, or write the date with the time (2019-11-26 09:30)")
    return dt.datetime.combine(day, clock)


def parse_duration(cell: Cell) -> dt.timedelta:
    value = cell.value
    if isinstance(value, dt.time):
        return dt.timedelta(hours=value.hour, minutes=value.minute)
    if isinstance(value, dt.timedelta):
        return value
    if isinstance(value, (int, float)) and value > 0:
        return dt.timedelta(minutes=round(value))
    match = _DURATION.match(cell.text)
    if match and (match.group(1) or match.group(2)):
        hours, minutes = int(match.group(1) or 0), int(match.group(2) or 0)
        if hours or minutes:
            return dt.timedelta(hours=hours, minutes=minutes)
    raise CellError(f"{cell.text!r} is not a duration: write minutes (45), or hours and minutes (1:30, 1h30)")


def _kind(cell: Cell) -> str:
    found = kind_of(cell.text)
    if found is None:
        raise CellError(f"{cell.text!r} is not a kind of programme item{did_you_mean(cell.text.lower(), kind_choices())}")
    return found


def _countries(cell: Cell) -> list[str]:
    return [code.upper() for code in re.split(r"[\s,;]+", cell.text) if code]


def _speakers(cell: Cell) -> tuple[Speaker, ...]:
    return tuple(Speaker(speaker_key(name), name, cell.place) for name in split_names(_text(cell)))
