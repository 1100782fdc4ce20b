"""eventsite/publish.py: the post-build steps' notes of each page, taken as it is written (parallel.Finishing).

The offline worker and the host files used to read every page back once all were written; they now take
what they need of a page from its bytes in the process that writes it. These tests hold the notes to what
reading the files gives, and the published files to those of steps that note nothing.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from eventsite import hosting, offline, publish
from eventsite.project import BuildOptions

from .sitekit import build, snapshot, write_site

THAI = {"sessions/opening.th.md": "---\ntitle: พิธีเปิด\nsummary: เปิดการประชุม\n---\nยินดีต้อนรับ\n"}


@pytest.mark.parametrize("workers", [1, 2])  # in this process, and in forked workers whose notes are pickled back
def test_steps_that_note_each_page_publish_what_steps_reading_every_page_back_publish(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int,
) -> None:
    content = write_site(tmp_path, THAI)
    options = BuildOptions(search=False, workers=workers)
    build(content, tmp_path / "noted", options=options)
    reading = tuple(dataclasses.replace(step, note=None) for step in publish.POST_BUILD_STEPS)
    monkeypatch.setattr(publish, "POST_BUILD_STEPS", reading)
    build(content, tmp_path / "read", options=options)
    noted, read = snapshot(tmp_path / "noted"), snapshot(tmp_path / "read")
    assert noted.keys() == read.keys()
    for name in ("sw.js", "_headers", "_redirects"):
        assert noted[name] == read[name], name
    assert "const KEPT" in noted["sw.js"].decode() and "Content-Security-Policy" in noted["_headers"].decode()


@pytest.fixture
def taken(monkeypatch: pytest.MonkeyPatch) -> dict[str, dict[str, object]]:
    """The notes a full build's steps were given (Finished.page_notes), by step."""
    found: dict[str, dict[str, object]] = {}
    run_post_build = publish.run_post_build

    def keep_notes(finished: publish.Finished) -> None:
        found.update(finished.page_notes)
        run_post_build(finished)

    monkeypatch.setattr("eventsite.build.run_post_build", keep_notes)
    return found


def test_the_notes_are_what_reading_each_written_file_gives(tmp_path: Path, taken: dict[str, dict[str, object]]) -> None:
    content = write_site(tmp_path, THAI)
    result = build(content, tmp_path / "site", options=BuildOptions(search=False, workers=2))
    site = tmp_path / "site"
    offline_routes = [route for route in result.plan.routes if route.kind.offline]
    html_routes = [route for route in result.plan.routes if route.output_path.endswith(".html")]
    assert offline_routes and taken["offline"].keys() == {route.output_path for route in offline_routes}
    assert taken["host-files"].keys() == {route.output_path for route in html_routes}
    for route in offline_routes:
        data = (site / route.output_path).read_bytes()
        links = offline._asset_links(route.output_path, data) if route.output_path.endswith(".html") else []
        assert taken["offline"][route.output_path] == (offline.hashlib.sha256(data).digest(), links), route.output_path
    for route in html_routes:
        assert taken["host-files"][route.output_path] == (hosting._policy_of(site / route.output_path) or ""), route.output_path


@pytest.mark.parametrize("page", [
    '<!doctype html><html><head><meta http-equiv="Content-Security-Policy" content="default-src \'self\'"></head><body></body></html>',
    "<!DOCTYPE html><HTML><HEAD><META HTTP-EQUIV=content-security-policy CONTENT=\"img-src 'self'\"></HEAD></HTML>",
    '<html><head><title>no policy</title></head><body><meta http-equiv="Content-Security-Policy" content="x"></body></html>',
    '<html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="a &amp; b"></head></html>',
    '<meta http-equiv="Content-Security-Policy" content="no head at all">',
    "<html><head><title>ไทย မြန်မာ</title></head></html>",
    "",
])
def test_a_noted_policy_is_the_one_read_from_the_file(tmp_path: Path, page: str) -> None:
    path = tmp_path / "index.html"
    path.write_text(page, encoding="utf-8")
    route = type("Route", (), {"output_path": "en/index.html"})()
    assert hosting.note_policy(route, page.encode("utf-8")) == (hosting._policy_of(path) or "")  # type: ignore[arg-type]


def test_files_that_steps_need_nothing_of_get_no_note() -> None:
    calendar = type("Route", (), {"output_path": "en/people.json", "kind": type("Kind", (), {"offline": False})()})()
    assert hosting.note_policy(calendar, b"{}") is None  # type: ignore[arg-type]
    assert offline.note_offline_page(calendar, b"{}") is None  # type: ignore[arg-type]


def test_the_dev_server_takes_no_offline_notes(tmp_path: Path, taken: dict[str, dict[str, object]]) -> None:
    """Its worker keeps nothing (offline.DEV_WORKER): a digest and the assets of each page would be made for nothing."""
    build(write_site(tmp_path), tmp_path / "site", options=BuildOptions(dev=True, workers=2))
    assert "offline" not in taken and (tmp_path / "site" / "sw.js").read_text(encoding="utf-8") == offline.DEV_WORKER
