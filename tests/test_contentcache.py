"""The parsed content kept between command-line builds (eventsite/contentcache.py).

A rebuild reads again only the files that changed, reports the problems of
the files it did not read as before, gives the bytes of a full build, and
treats a damaged or foreign cache file as an empty cache.
"""

from __future__ import annotations

import os
import pickle
import random
import shutil
import time
from pathlib import Path

import pytest

from eventsite import contentcache, load
from eventsite.cache import unseal
from eventsite.load import LoadCache
from eventsite.project import Project
from eventsite.theme import Theme

from .sitekit import PROJECT_ROOT
from .test_incremental import EDITS, apply, session_text
from .test_rebuild import Workspace, warnings


def settle(folder: Path) -> None:
    """Date files written in the last minute an hour back: files changed within 2 s of a build are not
    kept (the racy rule). Older files keep their time, so their documents stay valid in the cache."""
    now = time.time_ns()
    an_hour_ago = now - 3600 * 10**9
    for path in folder.rglob("*"):
        if path.is_file() and path.stat().st_mtime_ns > now - 60 * 10**9:
            os.utime(path, ns=(an_hour_ago, an_hour_ago))


def cache_location(space: Workspace) -> Path:
    project = Project(space.content, space.output, Theme(space.templates, PROJECT_ROOT / "locales"), cache=space.root / ".cache" / "eventsite")
    location = contentcache.cache_file(project)
    assert location is not None
    return location


def saved_documents(space: Workspace) -> LoadCache:
    return pickle.loads(unseal(contentcache.MAGIC, cache_location(space).read_bytes()))[2]


def count_reads(monkeypatch) -> list[str]:
    """The content files the build parses (not taken from a cache)."""
    read: list[str] = []
    original = load.decode_text  # called with the bytes of each file read from disk

    def reading(raw, shown, *args, **named):
        read.append(shown.rsplit("/", 1)[-1])
        return original(raw, shown, *args, **named)

    monkeypatch.setattr(load, "decode_text", reading)
    return read


def test_a_rebuild_parses_only_the_file_that_changed(tmp_path: Path, capsys, monkeypatch) -> None:
    space = Workspace(tmp_path)
    settle(space.content)
    assert space.build(capsys)[0] == 0
    files = sum(1 for path in space.content.rglob("*.md")) + 1  # and site.yaml
    assert len(saved_documents(space)) == files
    read = count_reads(monkeypatch)
    apply(space.content / "sessions" / "talk.md", session_text("Talk (moved)", 6, 15, room="hall-b"))
    code, out, err = space.build(capsys)
    assert code == 0 and out.startswith("updated "), err
    assert read == ["talk.md"]
    assert "Talk (moved)" in (space.output / "en" / "sessions" / "talk" / "index.html").read_text(encoding="utf-8")
    space.assert_same_as_a_full_build()


@pytest.mark.parametrize("output", ["deleted", "edited"])
def test_a_full_build_after_the_output_was_deleted_or_edited_parses_only_what_changed(
    tmp_path: Path, capsys, monkeypatch, output: str
) -> None:
    """The output cannot be reused, so every page is made again; the parsed content still can."""
    space = Workspace(tmp_path)
    settle(space.content)
    assert space.build(capsys)[0] == 0
    if output == "deleted":
        shutil.rmtree(space.output)
    else:
        (space.output / "en" / "index.html").write_text("edited by hand", encoding="utf-8")
    read = count_reads(monkeypatch)
    apply(space.content / "sessions" / "talk.md", session_text("Talk (moved)", 6, 15, room="hall-b"))
    code, out, err = space.build(capsys)
    assert code == 0 and out.startswith("wrote "), err
    assert "full build: site/ is empty or missing" in out or "full build: site/ was changed" in out, out
    assert read == ["talk.md"]
    space.assert_same_as_a_full_build()


def test_a_full_build_with_another_key_parses_everything(tmp_path: Path, capsys, monkeypatch) -> None:
    """Other options (here --base-url) make another build key: nothing of the last build is trusted."""
    space = Workspace(tmp_path)
    settle(space.content)
    assert space.build(capsys)[0] == 0
    read = count_reads(monkeypatch)
    code, out, err = space.build(capsys, "--base-url", "https://elsewhere.example.org/")
    assert code == 0 and out.startswith("wrote "), err
    assert len(read) == sum(1 for path in space.content.rglob("*.md")) + 1


def test_files_changed_just_before_a_build_are_not_kept(tmp_path: Path, capsys) -> None:
    """Saved again within the same tick of the clock, a file keeps its signature: a recent one is read again next time."""
    space = Workspace(tmp_path)
    assert space.build(capsys)[0] == 0
    assert len(saved_documents(space)) == 0  # every file was written a moment ago
    settle(space.content)
    apply(space.content / "pages" / "about.md", "---\ntitle: About us\n---\nAbout.\n")
    assert space.build(capsys)[0] == 0
    kept = saved_documents(space)
    assert 0 < len(kept) == sum(1 for path in space.content.rglob("*.md"))  # all but about.md, and site.yaml
    assert kept.get(space.content / "pages" / "about.md", (space.content / "pages" / "about.md").stat()) is None


def test_problems_of_files_not_read_again_are_still_reported(tmp_path: Path, capsys, monkeypatch) -> None:
    space = Workspace(tmp_path, {
        "sessions/clash.md": session_text("Clash", 5, 9),  # the same room and time as the opening: a warning
        "sessions/broken.md": "---\ntitle: Broken\nstart: \"2019-11-25 11:00\"\nend: \"2019-11-25 12:00\"\nroom: nowhere\n---\n",
    })
    settle(space.content)
    code, _, first = space.build(capsys)
    assert code == 1 and "content/sessions/broken.md" in first and "nowhere" in first
    apply(space.content / "pages" / "about.md", "---\ntitle: About us\n---\nAbout.\n")
    code, _, second = space.build(capsys)
    assert code == 1 and warnings(second) == warnings(first)
    apply(space.content / "sessions" / "broken.md", None)
    code, out, third = space.build(capsys)
    assert code == 0, third
    assert any("warning: overlaps clash in room hall-a" in line for line in warnings(third)), third
    settle(space.content)
    read = count_reads(monkeypatch)
    apply(space.content / "pages" / "about.md", "---\ntitle: About the forum\n---\nAbout.\n")
    code, out, fourth = space.build(capsys)
    assert code == 0 and read == ["about.md"], fourth
    assert warnings(fourth) == warnings(third)  # the overlap of two files not read again, still shown
    space.assert_same_as_a_full_build()


@pytest.mark.parametrize("damage", ["garbage", "truncated", "a-changed-byte", "another-key", "another-format", "a-folder"])
def test_a_damaged_or_foreign_cache_is_an_empty_one(tmp_path: Path, capsys, monkeypatch, damage: str) -> None:
    space = Workspace(tmp_path)
    settle(space.content)
    assert space.build(capsys)[0] == 0
    location = cache_location(space)
    data = location.read_bytes()
    if damage == "garbage":
        location.write_bytes(b"not a pickle at all")
    elif damage == "truncated":
        location.write_bytes(data[: len(data) // 2])
    elif damage == "a-changed-byte":  # pickle is not read at all: its digest no longer matches
        middle = len(data) // 2
        location.write_bytes(data[:middle] + bytes([data[middle] ^ 0x01]) + data[middle + 1:])
    elif damage in ("another-key", "another-format"):
        saved = list(pickle.loads(unseal(contentcache.MAGIC, data)))
        saved[0 if damage == "another-format" else 1] = "something else"
        location.write_bytes(contentcache.encode(tuple(saved)))
    else:
        location.unlink()
        location.mkdir()
    read = count_reads(monkeypatch)
    apply(space.content / "sessions" / "talk.md", session_text("Talk (moved)", 6, 15, room="hall-b"))
    code, out, err = space.build(capsys)
    assert code == 0 and out.startswith("updated "), err
    assert len(read) == sum(1 for path in space.content.rglob("*.md")) + 1  # everything read again
    space.assert_same_as_a_full_build()


def test_no_cache_keeps_no_content(tmp_path: Path, capsys) -> None:
    space = Workspace(tmp_path)
    settle(space.content)
    assert space.build(capsys, "--no-cache")[0] == 0
    assert not cache_location(space).exists()


def test_random_edits_with_the_content_cache_match_full_builds(tmp_path: Path, capsys, monkeypatch) -> None:
    space = Workspace(tmp_path)
    settle(space.content)
    space.build(capsys)
    rng = random.Random(7)
    touched: set[str] = set()  # files written since the last build that ran (a same-bytes write is "nothing changed")
    for step in range(8):
        path, text = rng.choice(EDITS)(space.content, rng)
        if text is not None:
            touched.add(path.name)
        apply(path, text)
        settle(space.content)  # an edit saved a while ago: kept by this build (test_files_changed_just_before…: the other case)
        read = count_reads(monkeypatch)
        code, out, err = space.build(capsys)
        assert code == 0, err
        if out.startswith("nothing changed"):  # the same edit drawn twice: the file's time changed, its bytes not
            assert read == []
            continue
        assert sorted(read) == sorted(touched & {found.name for found in space.content.rglob("*")}), out
        touched.clear()
        space.assert_same_as_a_full_build(f"step {step}: {path.name}\n{out}")


def test_the_file_is_written_again_only_when_there_is_more_to_keep(tmp_path: Path, capsys) -> None:
    space = Workspace(tmp_path)
    settle(space.content)
    assert space.build(capsys)[0] == 0
    location = cache_location(space)
    written = location.stat().st_ino  # written by rename: a new inode each time
    apply(space.content / "sessions" / "talk.md", session_text("Talk (moved)", 6, 15, room="hall-b"))
    assert space.build(capsys)[0] == 0  # talk.md was saved a moment ago: not kept, so nothing new to keep
    assert location.stat().st_ino == written
    settle(space.content)
    apply(space.content / "pages" / "about.md", "---\ntitle: About us\n---\nAbout.\n")
    assert space.build(capsys)[0] == 0  # talk.md, read again, is settled now
    assert location.stat().st_ino != written
    talk = space.content / "sessions" / "talk.md"
    assert saved_documents(space).get(talk, talk.stat()) is not None
    space.assert_same_as_a_full_build()
