"""eventsite/cache.py: the disk cache never changes a build's output; a damaged entry is a miss."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from eventsite.cache import DiskCache


def entry_file(cache: DiskCache, key: str) -> Path:
    return cache.folder / key[:2] / f"{key}.json"


def test_what_is_put_is_got_back(tmp_path: Path) -> None:
    cache = DiskCache(tmp_path, "markdown")
    key = cache.key("body", "/en/about/")
    cache.put(key, {"html": "<p>Ünïcode ✓</p>", "lines": [1, 2]})
    assert cache.get(key) == {"html": "<p>Ünïcode ✓</p>", "lines": [1, 2]}
    assert entry_file(cache, key).is_file()
    assert [path.name for path in entry_file(cache, key).parent.iterdir()] == [f"{key}.json"]  # no temporary left


def test_keys_differ_by_every_part_and_by_namespace(tmp_path: Path) -> None:
    cache = DiskCache(tmp_path, "markdown")
    assert cache.key("a", "b") != cache.key("ab")
    assert cache.key("a", "b") != cache.key("b", "a")
    assert len({cache.key("a"), cache.key("a", ""), cache.key("")}) == 3
    other = DiskCache(tmp_path, "ics-events")
    key = cache.key("x")
    cache.put(key, 1)
    assert other.get(key) is None


@pytest.mark.parametrize("damage", [b"", b"{not json", b"\xff\xfe\x00", b'{"cut": "sho'])
def test_a_damaged_entry_is_a_miss(tmp_path: Path, damage: bytes) -> None:
    cache = DiskCache(tmp_path, "markdown")
    key = cache.key("body")
    cache.put(key, "value")
    entry_file(cache, key).write_bytes(damage)
    assert cache.get(key) is None
    cache.put(key, "again")  # and is written over
    assert cache.get(key) == "again"


def test_a_read_only_folder_only_costs_speed(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        # root writes through permissions; a file where the folder should be refuses everyone.
        (tmp_path / "markdown").write_text("not a folder", encoding="utf-8")
    else:
        (tmp_path / "markdown").mkdir()
        (tmp_path / "markdown").chmod(0o500)
    cache = DiskCache(tmp_path, "markdown")
    key = cache.key("body")
    cache.put(key, "value")  # no exception
    assert cache.get(key) is None
