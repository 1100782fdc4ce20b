"""The programme as a spreadsheet: ``build.py export --format xlsx|csv``.

Without ``--lang`` the file is made for the round trip: English headers (the
import reads them in any language), the default language's texts, and every
translation (XLSX: a sheet per language, rows matched by id; CSV: columns
``title_ko``…), which ``build.py import`` reads back into the same programme.
With ``--lang`` it is made for reading: headers and texts in that language
(along its fallback chain), for printing and sharing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from typing import Any, Sequence

from ..entries import Entry, Site
from . import columns as cols
from .programme import ITEM_KIND, join_names

COLUMNS = ("id", "title", "date", "start", "end", "kind", "room", "speakers", "moderators", "countries", "summary", "description")


@dataclass(frozen=True)
class Sheet:
    name: str
    header: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]  # str, dt.date, dt.time or dt.datetime cells


def programme_sheets(site: Site, lang: str | None = None) -> list[Sheet]:
    """The main sheet, then (without ``lang``) one per language that has translations."""
    shown = lang or site.default_language
    chain = site.chain(shown) if lang else (site.default_language,)
    items = sorted(site.items(ITEM_KIND), key=lambda entry: (entry.start, entry.id))  # type: ignore[attr-defined]
    header = tuple(cols.header_in(name, shown) if lang else name for name in COLUMNS)
    rows = tuple(_row(entry, site, chain) for entry in items)
    sheets = [Sheet("Programme" if not lang else shown, header, rows)]
    if lang is None:
        for other in site.languages[1:]:
            translated = [entry for entry in items if other in entry.translations]
            if translated:
                sheets.append(Sheet(other, ("id", "title", "summary", "description"), tuple(_translation_row(entry, other) for entry in translated)))
    return sheets


def _row(entry: Entry, site: Site, chain: Sequence[str]) -> tuple[Any, ...]:
    start: dt.datetime = entry.start.replace(tzinfo=None)  # type: ignore[attr-defined]
    end: dt.datetime = entry.end.replace(tzinfo=None)  # type: ignore[attr-defined]
    room = entry.room  # type: ignore[attr-defined]
    title = entry.field("title", chain)
    summary = entry.field("summary", chain)
    return (
        entry.id,
        title.value if title else "",
        start.date(),
        start.time(),
        end.time() if end.date() == start.date() else end,
        entry.meta.kind.value,
        room.name.get(chain).value if room is not None else "",
        join_names([_name(person, chain) for person in entry.speakers]),  # type: ignore[attr-defined]
        join_names([_name(person, chain) for person in entry.moderators]),  # type: ignore[attr-defined]
        ", ".join(entry.meta.countries),
        summary.value if summary else "",
        entry.body_text(chain).value.strip(),
    )


def _name(person: Entry, chain: Sequence[str]) -> str:
    found = person.field("name", chain)
    return found.value if found else person.id


def _translation_row(entry: Entry, lang: str) -> tuple[str, ...]:
    translation = entry.translations[lang]
    return (
        entry.id,
        getattr(translation.meta, "title", None) or "",
        getattr(translation.meta, "summary", None) or "",
        translation.body.strip(),
    )


# --- files ---------------------------------------------------------------------------------


def to_csv(sheets: list[Sheet]) -> bytes:
    """One table: the main sheet, with each translation sheet's texts as suffixed columns (title_ko)."""
    main, *translations = sheets
    header = list(main.header)
    by_id: dict[str, dict[str, str]] = {}
    for sheet in translations:
        header += [f"{name}_{sheet.name}" for name in sheet.header[1:]]
        for row in sheet.rows:
            by_id.setdefault(row[0], {}).update({f"{name}_{sheet.name}": value for name, value in zip(sheet.header[1:], row[1:])})
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in main.rows:
        extra = by_id.get(row[0], {})
        writer.writerow([_text(value) for value in row] + [extra.get(name, "") for name in header[len(main.header):]])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # the BOM tells Excel it is UTF-8


def _text(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return f"{value:%H:%M}"
    return str(value)


def to_xlsx(sheets: list[Sheet], stamp: dt.datetime) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    book.remove(book.active)
    for sheet in sheets:
        table = book.create_sheet(sheet.name[:31])
        table.append(list(sheet.header))
        for cell in table[1]:
            cell.font = Font(bold=True)
        for row in sheet.rows:
            table.append(list(row))
        for row in table.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, dt.datetime):
                    cell.number_format = "yyyy-mm-dd hh:mm"
                elif isinstance(cell.value, dt.date):
                    cell.number_format = "yyyy-mm-dd"
                elif isinstance(cell.value, dt.time):
                    cell.number_format = "hh:mm"
                elif isinstance(cell.value, str) and "\n" in cell.value:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
        table.freeze_panes = "A2"
    # The file's own dates from the content, not the clock: the same programme gives the same workbook.
    book.properties.created = stamp
    book.properties.modified = stamp
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
