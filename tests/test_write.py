"""Atomic output: a failed, interrupted or killed build leaves the previous site exactly as it was."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from eventsite import parallel
from eventsite.errors import BuildError
from eventsite.write import StagedOutput, UnsafeOutputPath, check_output_folder, safe_output_file

from .sitekit import PROJECT_ROOT, big_site, build, kill_while_rendering, snapshot, write_site


@pytest.mark.parametrize("relative", ["../x", "/etc/passwd", "a/../../x", "a\\..\\x", "nul\x00x", ""])
def test_writes_outside_the_output_are_refused(tmp_path: Path, relative: str) -> None:
    with pytest.raises(UnsafeOutputPath):
        safe_output_file(tmp_path, relative)


def test_symlinked_folder_in_the_output_cannot_redirect_a_write(tmp_path: Path) -> None:
    output = tmp_path / "site"
    output.mkdir()
    (output / "en").symlink_to(tmp_path)
    with pytest.raises(UnsafeOutputPath):
        safe_output_file(output, "en/index.html")


def test_output_folder_that_would_replace_the_sources_is_refused(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    for output in (tmp_path, content, content / "sub"):
        with pytest.raises(BuildError):
            check_output_folder(output, [content])


def test_exception_at_page_n_leaves_the_previous_output_untouched(tmp_path: Path, monkeypatch) -> None:
    content = write_site(tmp_path)
    output = tmp_path / "site"
    build(content, output)
    before = snapshot(output)
    (content / "pages" / "about.md").write_text("---\ntitle: Changed\n---\nChanged.\n")
    calls = {"count": 0}
    original = parallel.render_route

    def failing(renderer, route, recorder):
        calls["count"] += 1
        if calls["count"] == 7:
            raise RuntimeError("disk on fire")
        return original(renderer, route, recorder)

    monkeypatch.setattr(parallel, "render_route", failing)
    with pytest.raises(RuntimeError):
        build(content, output)
    assert snapshot(output) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".site.")]  # staging folder removed


def test_kill_9_mid_build_leaves_the_previous_output_complete(tmp_path: Path) -> None:
    content = big_site(tmp_path)
    output = tmp_path / "site"
    command = [sys.executable, str(PROJECT_ROOT / "build.py"), "--content", str(content), "--out", str(output), "--no-cache", "--workers", "1"]
    subprocess.run(command, check=True, capture_output=True)
    before = snapshot(output)
    (content / "pages" / "about.md").write_text("---\ntitle: Changed\n---\nChanged.\n")
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    kill_while_rendering(process, tmp_path)  # once its staging folder has pages in it
    assert snapshot(output) == before  # the old site, complete and unchanged
    leftovers = list(tmp_path.glob(".site.tmp-*"))
    assert leftovers  # the killed build's leftovers…
    subprocess.run(command, check=True, capture_output=True)
    assert not any(leftover.exists() for leftover in leftovers)  # …are cleaned up by the next build
    assert "Changed" in (output / "en" / "about" / "index.html").read_text()
    assert gone_soon(tmp_path, ".site.*")  # and the output it replaced, by a process of its own (write.remove_folder)


def gone_soon(folder: Path, pattern: str, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while list(folder.glob(pattern)):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def test_a_build_that_is_the_whole_process_leaves_the_old_output_to_a_process_of_its_own(tmp_path: Path) -> None:
    """build.py swaps the new output in and ends; the old one, swapped out, is deleted by a process that
    holds nothing of the build's (a caller reading its output to the end is not kept waiting)."""
    output = tmp_path / "site"
    old = StagedOutput(output)
    old.write("old.html", b"old")
    old.commit()
    new = StagedOutput(output)
    new.write("index.html", b"new")
    new.commit(remove_old_later=True)
    assert sorted(path.name for path in output.iterdir()) == ["index.html"]  # the new output, whole, at once
    assert gone_soon(tmp_path, ".site.*")
    # In-process (the tests, the dev server): at once.
    again = StagedOutput(output)
    again.write("index.html", b"again")
    again.commit()
    assert not list(tmp_path.glob(".site.*")) and (output / "index.html").read_bytes() == b"again"


def test_staged_output_refuses_two_sources_for_one_file(tmp_path: Path) -> None:
    staged = StagedOutput(tmp_path / "site")
    staged.write("en/index.html", b"one")
    with pytest.raises(BuildError):
        staged.write("en/index.html", b"two")
    staged.abort()
    assert not (tmp_path / "site").exists()


def test_parallel_and_single_process_builds_are_byte_identical(tmp_path: Path) -> None:
    from eventsite.build import build_site
    from eventsite.publish import BuildOptions

    from .sitekit import project_for

    content = big_site(tmp_path, sessions=120)
    build_site(project_for(content, tmp_path / "one"), options=BuildOptions(workers=1))
    build_site(project_for(content, tmp_path / "two"), options=BuildOptions(workers=2))
    assert snapshot(tmp_path / "one") == snapshot(tmp_path / "two")


def test_cached_and_uncached_builds_are_byte_identical(tmp_path: Path) -> None:
    from dataclasses import replace

    from eventsite.build import build_site

    from .sitekit import project_for

    content = big_site(tmp_path, sessions=60)
    plain = replace(project_for(content, tmp_path / "plain"), cache=None)
    cached = replace(project_for(content, tmp_path / "cached"), cache=tmp_path / "cache")
    build_site(plain)
    build_site(cached)  # fills the cache
    build_site(cached)  # reads it
    assert snapshot(tmp_path / "plain") == snapshot(tmp_path / "cached")
    assert any((tmp_path / "cache").rglob("*.json"))


def test_a_rebuild_stages_only_the_files_whose_bytes_changed(tmp_path: Path) -> None:
    """An unchanged page rendered again is neither staged nor moved: it keeps its file (and inode)."""
    from eventsite.write import PatchedOutput

    output = tmp_path / "site"
    (output / "en" / "same").mkdir(parents=True)
    (output / "en" / "other").mkdir(parents=True)
    (output / "en" / "same" / "index.html").write_bytes(b"<p>same</p>")
    (output / "en" / "other" / "index.html").write_bytes(b"<p>old</p>")
    inode = (output / "en" / "same" / "index.html").stat().st_ino
    patch = PatchedOutput(output)
    patch.write("en/same/index.html", b"<p>same</p>")
    patch.write("en/other/index.html", b"<p>new</p>")
    patch.write("en/new/index.html", b"<p>added</p>")
    staged = sorted(path.relative_to(patch.root).as_posix() for path in patch.root.rglob("*") if path.is_file())
    assert staged == ["en%2Fnew%2Findex.html", "en%2Fother%2Findex.html"]  # flat: no folder made per page
    assert patch.live("en/same/index.html") == output / "en" / "same" / "index.html"
    assert patch.live("en/other/index.html").read_bytes() == b"<p>new</p>"
    assert sorted(patch.commit()) == ["en/new/index.html", "en/other/index.html"]
    assert (output / "en" / "same" / "index.html").stat().st_ino == inode
    assert (output / "en" / "other" / "index.html").read_bytes() == b"<p>new</p>"
    assert (output / "en" / "new" / "index.html").read_bytes() == b"<p>added</p>"
    assert not patch.root.exists()


def test_a_rebuilds_staged_names_come_back_as_their_paths(tmp_path: Path) -> None:
    """Escaped names decode to the path written, ``%`` and ``%2F`` in a path included; a path whose
    escaped name is too long for one file name is staged as a tree and moved in as well."""
    from eventsite.write import PatchedOutput

    output = tmp_path / "site"
    output.mkdir()
    long = "/".join(["x" * 60] * 6) + "/index.html"  # 376 bytes as one name
    paths = ["a%2F/b%25c/index.html", "a%/%2F.txt", "%long", "top.html", long]
    patch = PatchedOutput(output)
    for number, relative in enumerate(paths):
        patch.write(relative, f"{number}".encode())
    for number, relative in enumerate(paths):
        assert patch.live(relative).read_bytes() == f"{number}".encode()
    with pytest.raises(BuildError, match="two sources map to the same output file"):
        patch.write("top.html", b"again")
    assert sorted(patch.commit()) == sorted(paths)
    for number, relative in enumerate(paths):
        assert (output / relative).read_bytes() == f"{number}".encode()
    assert not patch.root.exists()


def test_a_rebuild_still_refuses_to_write_outside_the_output(tmp_path: Path) -> None:
    from eventsite.write import PatchedOutput

    output = tmp_path / "site"
    output.mkdir()
    (tmp_path / "secret.html").write_bytes(b"x")
    (output / "en").symlink_to(tmp_path)
    patch = PatchedOutput(output)
    with pytest.raises(UnsafeOutputPath):
        patch.write("en/secret.html", b"x")
    with pytest.raises(UnsafeOutputPath):
        patch.write("../secret.html", b"x")
    patch.abort()
