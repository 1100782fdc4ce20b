"""The room-by-time grid."""

from __future__ import annotations

import datetime as dt

from eventsite.agenda import has_parallel_sessions, room_grid


def at(hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2019, 11, 26, hour, minute)


def test_no_grid_without_parallel_sessions() -> None:
    items = [("a", "hall", at(9), at(10)), ("b", "hall", at(10), at(11)), ("c", "room", at(11), at(12))]
    assert room_grid(items, ["hall", "room"]) is None


def test_parallel_sessions_side_by_side_with_rowspans() -> None:
    items = [
        ("long", "hall", at(9), at(11)),
        ("first", "room", at(9), at(10)),
        ("second", "room", at(10), at(11)),
        ("late", "hall", at(11, 30), at(12)),
    ]
    grid = room_grid(items, ["hall", "room", "unused"])
    assert grid is not None
    assert grid.rooms == ("hall", "room")
    assert [row.start for row in grid.rows] == [at(9), at(10), at(11), at(11, 30)]
    first, second, gap, last = grid.rows
    assert [(cell.item, cell.rowspan) for cell in first.cells] == [("long", 2), ("first", 1)]
    assert [(cell.item, cell.rowspan) for cell in second.cells] == [("second", 1)]  # the hall is covered
    assert [cell.item for cell in gap.cells] == [None, None]
    assert [cell.item for cell in last.cells] == ["late", None]
    # every row of a valid HTML table has one cell per column, counting rowspans
    columns = len(grid.rooms)
    coverage = [0] * len(grid.rows)
    for index, row in enumerate(grid.rows):
        for cell in row.cells:
            for covered in range(index, index + cell.rowspan):
                coverage[covered] += 1
    assert coverage == [columns] * len(grid.rows)


def test_a_clash_in_one_room_keeps_the_first_only() -> None:
    items = [("a", "hall", at(9), at(10)), ("b", "hall", at(9, 30), at(10, 30)), ("c", "room", at(9), at(10))]
    grid = room_grid(items, ["hall", "room"])
    assert grid is not None
    placed = [cell.item for row in grid.rows for cell in row.cells if cell.item]
    assert sorted(placed) == ["a", "c"]


def test_has_parallel_sessions() -> None:
    assert not has_parallel_sessions([])
    assert not has_parallel_sessions([("a", at(9), at(10)), ("b", at(10), at(11))])
    assert has_parallel_sessions([("a", at(9), at(10)), ("b", at(9, 59), at(11))])
