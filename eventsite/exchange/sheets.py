"""A spreadsheet file → tables of cells that know their row and column.

CSV must be UTF-8 (Excel: "CSV UTF-8"; a BOM is fine) or UTF-16 with a BOM
("Unicode text"); the separator is found from the header line (comma,
semicolon as European Excel writes, or tab). XLSX is read with openpyxl,
every sheet a table; cells keep their type (a date, a time, a number), and a
formula is refused: its value is whatever the spreadsheet program last
computed, which the file may not even hold.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from typing import Union

from ..errors import BuildError, Problem
from .programme import Place

CellValue = Union[str, int, float, dt.datetime, dt.date, dt.time, None]
SEPARATORS = ",;\t"


@dataclass(frozen=True)
class Cell:
    value: CellValue
    place: Place

    @property
    def text(self) -> str:
        """The value as text, for cells that hold words."""
        value = self.value
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value).strip()


@dataclass(frozen=True)
class Table:
    name: str  # the sheet's name ('' for a CSV file)
    path: str  # display path of the file
    header: tuple[Cell, ...]
    rows: tuple[tuple[Cell, ...], ...]  # every row below the header that has a value, as wide as the header


def column_letter(number: int) -> str:
    """1 → 'A', 27 → 'AA'."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


XLSX_MAGIC = b"PK\x03\x04"  # a zip file, which an XLSX workbook is


def read_tables(raw: bytes, shown: str) -> list[Table]:
    if raw.startswith(XLSX_MAGIC):
        return read_xlsx(raw, shown)
    return [read_csv(raw, shown)]


# --- CSV --------------------------------------------------------------------------------


def decode_csv(raw: bytes, shown: str) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    try:
        return raw.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        raise BuildError([Problem(
            shown, line, f"not UTF-8 (byte {error.start}): save the spreadsheet as 'CSV UTF-8' "
            "(Excel: File → Save As → CSV UTF-8; LibreOffice: character set Unicode (UTF-8))", column,
        )]) from None


def read_csv(raw: bytes, shown: str) -> Table:
    text = decode_csv(raw, shown)
    first = text.split("\n", 1)[0]
    counts = {separator: first.count(separator) for separator in SEPARATORS}
    separator = max(counts, key=lambda key: counts[key]) if any(counts.values()) else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    rows: list[tuple[Cell, ...]] = []
    header: tuple[Cell, ...] = ()
    line = 1
    try:
        for values in reader:
            cells = tuple(Cell(value, Place(shown, line, column)) for column, value in enumerate(values, start=1))
            line = reader.line_num + 1
            if not header:
                header = cells
            elif any(cell.text for cell in cells):
                rows.append(cells)
    except csv.Error as error:
        raise BuildError([Problem(shown, reader.line_num, f"not a CSV table: {error}")]) from None
    if not header:
        raise BuildError([Problem(shown, 1, "the file is empty: the first row must name the columns")])
    return Table("", shown, header, tuple(_widen(row, header, shown) for row in rows))


def _widen(row: tuple[Cell, ...], header: tuple[Cell, ...], shown: str) -> tuple[Cell, ...]:
    if len(row) >= len(header):
        return row
    line = row[0].place.line if row else 0
    return row + tuple(Cell(None, Place(shown, line, column)) for column in range(len(row) + 1, len(header) + 1))


# --- XLSX -------------------------------------------------------------------------------


def read_xlsx(raw: bytes, shown: str) -> list[Table]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        # Not read_only: formulas are refused, so they must be seen as formulas.
        book = load_workbook(io.BytesIO(raw), data_only=False)
    except (InvalidFileException, KeyError, OSError, ValueError, zipfile.BadZipFile) as error:
        raise BuildError([Problem(shown, 0, f"not an XLSX workbook that can be read ({error.__class__.__name__})")]) from None
    problems: list[Problem] = []
    tables = []
    for sheet in book.worksheets:
        where = f"{shown}[{sheet.title}]"
        grid: list[tuple[Cell, ...]] = []
        for row in sheet.iter_rows():
            cells = []
            for cell in row:
                place = Place(where, cell.row, cell.column)
                if cell.data_type == "f":
                    problems.append(place.problem(
                        f"cell {column_letter(cell.column)}{cell.row} is a formula ({cell.value}): "
                        "the import needs the value; copy the column and paste it as values"
                    ))
                    cells.append(Cell(None, place))
                    continue
                cells.append(Cell(cell.value, place))
            grid.append(tuple(cells))
        filled = [row for row in grid if any(cell.text for cell in row)]
        if not filled:
            continue
        header, *rows = filled
        tables.append(Table(sheet.title, where, header, tuple(_widen(row, header, where) for row in rows)))
    if problems:
        raise BuildError(problems)
    if not tables:
        raise BuildError([Problem(shown, 0, "the workbook has no sheet with a table")])
    return tables
