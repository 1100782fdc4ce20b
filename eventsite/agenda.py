"""The room-by-time grid of a programme day.

Rows are the intervals between consecutive start/end times of the day's
items; columns are rooms. An item spans the rows of its duration
(``rowspan``), so parallel items sit side by side. Only days where two
items in different rooms overlap get a grid: for the others the list
already says everything.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Generic, Sequence, TypeVar

Item = TypeVar("Item")


@dataclass(frozen=True)
class Cell(Generic[Item]):
    item: Item | None  # None: an empty slot
    rowspan: int = 1


@dataclass(frozen=True)
class Row(Generic[Item]):
    start: dt.datetime
    end: dt.datetime
    cells: tuple[Cell[Item], ...]  # covered slots are left out, as in HTML tables


@dataclass(frozen=True)
class Grid(Generic[Item]):
    rooms: tuple[str, ...]
    rows: tuple[Row[Item], ...]


def has_parallel_sessions(slots: Sequence[tuple[str, dt.datetime, dt.datetime]]) -> bool:
    """True when two slots in different rooms overlap in time."""
    ordered = sorted(slots, key=lambda slot: slot[1])
    for index, (room, start, end) in enumerate(ordered):
        for other_room, other_start, _ in ordered[index + 1 :]:
            if other_start >= end:
                break
            if other_room != room:
                return True
    return False


def room_grid(items: Sequence[tuple[Item, str, dt.datetime, dt.datetime]], room_order: Sequence[str]) -> Grid[Item] | None:
    """Lay out ``(item, room, start, end)`` tuples; None when nothing runs in parallel."""
    if not has_parallel_sessions([(room, start, end) for _, room, start, end in items]):
        return None
    rooms = tuple(room for room in room_order if any(item_room == room for _, item_room, _, _ in items))
    times = sorted({moment for _, _, start, end in items for moment in (start, end)})
    index_of = {moment: index for index, moment in enumerate(times)}
    placed: dict[tuple[int, str], tuple[Item, int]] = {}
    covered: set[tuple[int, str]] = set()
    for item, room, start, end in sorted(items, key=lambda entry: (entry[2], entry[3])):
        first, last = index_of[start], index_of[end]
        span = range(first, last)
        if any((row, room) in covered for row in span):
            continue  # a clash in one room (check warns about it); the list still shows it
        placed[(first, room)] = (item, last - first)
        covered.update((row, room) for row in span)
    rows = []
    for row_index in range(len(times) - 1):
        cells: list[Cell[Item]] = []
        for room in rooms:
            if (row_index, room) in placed:
                item, rows_spanned = placed[(row_index, room)]
                cells.append(Cell(item, rows_spanned))
            elif (row_index, room) not in covered:
                cells.append(Cell(None))
        rows.append(Row(times[row_index], times[row_index + 1], tuple(cells)))
    return Grid(rooms, tuple(rows))
