"""What whole-site steps read from output pages, kept by the pages' signatures (eventsite/filememo.py)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from eventsite import hosting, offline
from eventsite.buildstate import scan_outputs
from eventsite.filememo import FileMemo, signature


def page(policy: str) -> str:
    return f'<!doctype html><html><head><meta http-equiv="Content-Security-Policy" content="{policy}"></head><body>' \
           f'<link rel="stylesheet" href="../static/style.css"></body></html>'


@pytest.fixture
def root(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    (site / "en").mkdir(parents=True)
    (site / "static").mkdir()
    (site / "static" / "style.css").write_text("body{}")
    (site / "en" / "index.html").write_text(page("default-src 'self'"))
    (site / "en" / "b.html").write_text(page("default-src 'none'; img-src 'self'"))
    return site


def test_the_policy_of_unchanged_pages_is_not_read_again(root: Path, tmp_path: Path, monkeypatch) -> None:
    cache = tmp_path / "cache"
    memo = FileMemo(cache, hosting.POLICIES_FILE)
    first = hosting.page_policy(root, memo=memo)
    memo.save()
    assert first == hosting.page_policy(root)  # the same as without a memo
    monkeypatch.setattr(hosting, "_policy_of", lambda path: pytest.fail(f"{path} read again"))
    assert hosting.page_policy(root, memo=FileMemo(cache, hosting.POLICIES_FILE)) == first


def test_a_page_written_again_is_read_again(root: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    memo = FileMemo(cache, hosting.POLICIES_FILE)
    hosting.page_policy(root, memo=memo)
    memo.save()
    target = root / "en" / "b.html"
    before = target.stat()
    temporary = root / "en" / ".b.tmp"  # as rebuilds write: by rename, same size and the same time
    temporary.write_text(page("default-src 'none'; img-src 'data'"))
    os.utime(temporary, ns=(before.st_atime_ns, before.st_mtime_ns))
    os.replace(temporary, target)
    assert target.stat().st_size == before.st_size and target.stat().st_mtime_ns == before.st_mtime_ns
    assert "img-src 'data'" in (hosting.page_policy(root, memo=FileMemo(cache, hosting.POLICIES_FILE)) or "")


def test_a_page_without_a_policy_still_means_no_header(root: Path, tmp_path: Path) -> None:
    (root / "en" / "c.html").write_text("<html><head></head></html>")
    memo = FileMemo(tmp_path / "cache", hosting.POLICIES_FILE)
    assert hosting.page_policy(root, memo=memo) is None
    memo.save()
    assert hosting.page_policy(root, memo=FileMemo(tmp_path / "cache", hosting.POLICIES_FILE)) is None


def test_the_offline_scan_reads_only_pages_with_a_new_signature(root: Path, tmp_path: Path, monkeypatch) -> None:
    cache = tmp_path / "cache"
    scan = offline.PageScan.load(cache)
    assert scan.links(root, "en/index.html") == ["static/style.css"]
    scan.links(root, "en/b.html")
    scan.save(cache)
    again = offline.PageScan.load(cache)
    real_read = Path.read_bytes
    read: list[str] = []
    monkeypatch.setattr(Path, "read_bytes", lambda path: read.append(path.name) or real_read(path))
    (root / "en" / "b.html").write_text(page("default-src 'self'; font-src 'self'"))
    assert again.links(root, "en/index.html") == ["static/style.css"]
    assert again.links(root, "en/b.html") == ["static/style.css"]
    assert read == ["b.html"]
    for name in ("index.html", "b.html"):
        assert again.digests[f"en/{name}"] == hashlib.sha256(real_read(root / "en" / name)).digest()


def test_signatures_differ_by_path_and_content(root: Path) -> None:
    assert signature(root, "en/index.html") != signature(root, "en/b.html")
    assert signature(root, "en/index.html") == signature(root, "en/index.html")


def test_a_listing_gives_the_signatures_a_stat_would(root: Path, monkeypatch) -> None:
    listing = scan_outputs(root)
    assert set(listing) == {"en/index.html", "en/b.html", "static/style.css"}
    for relative in listing:
        assert signature(root, relative, listing) == signature(root, relative)
    (root / "en" / "new.html").write_text(page("default-src 'self'"))  # not listed: asked for
    assert signature(root, "en/new.html", listing) == signature(root, "en/new.html")
    # A listed file is not asked for again: what a rebuild's whole-site steps save for 6,000 pages.
    real_stat = os.stat
    asked: list[str] = []
    monkeypatch.setattr(os, "stat", lambda path, *args, **kwargs: asked.append(os.fspath(path)) or real_stat(path, *args, **kwargs))
    for relative in listing:
        signature(root, relative, listing)
    assert asked == []


def test_a_rebuild_s_listing_serves_the_policy_and_the_offline_scan(root: Path, tmp_path: Path, monkeypatch) -> None:
    listing = scan_outputs(root)
    cache = tmp_path / "cache"
    memo = FileMemo(cache, hosting.POLICIES_FILE)
    expected = hosting.page_policy(root)
    monkeypatch.setattr("eventsite.filememo.os.stat", lambda *args, **kwargs: pytest.fail("a listed file asked for again"))
    assert hosting.page_policy(root, memo=memo, files=["en/b.html", "en/index.html"], listing=listing) == expected
    scan = offline.PageScan.load(cache, listing)
    assert scan.links(root, "en/index.html") == ["static/style.css"]
    assert scan.digest_of(root, "static/style.css") == hashlib.sha256(b"body{}").digest()


def test_a_memo_file_comes_back_as_written_and_a_damaged_one_as_empty(tmp_path: Path) -> None:
    from eventsite.filememo import read_memo, write_memo

    path = tmp_path / "cache" / "x.memo"
    values = {"en/index.html\x0012\x003\x004": ["static/style.css"], "b": "Ünïcode ✓", "c": {"d": [1, None, True]}}
    write_memo(path, values)
    assert read_memo(path) == values
    data = path.read_bytes()
    for position in (0, len(data) // 2, len(data) - 1):  # one changed byte anywhere: empty, never a crash or a wrong value
        damaged = bytearray(data)
        damaged[position] ^= 0x01
        path.write_bytes(bytes(damaged))
        assert read_memo(path) == {}
    path.write_bytes(b'{"a": 1}')  # an earlier build's JSON memo: not this kind of file
    assert read_memo(path) == {}
    assert read_memo(tmp_path / "missing.memo") == {} and read_memo(None) == {}
