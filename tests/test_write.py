"""Atomic output: a failed, interrupted or killed build leaves the previous site exactly as it was."""

from __future__ import annotations

import subprocess
import sys
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
    assert list(tmp_path.glob(".site.tmp-*"))  # the killed build's leftovers…
    subprocess.run(command, check=True, capture_output=True)
    assert not list(tmp_path.glob(".site.tmp-*"))  # …are cleaned up by the next build
    assert "Changed" in (output / "en" / "about" / "index.html").read_text()


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
