"""The dev server, for real: HTTP on 127.0.0.1, file edits, live errors, path attacks."""

from __future__ import annotations

import http.client
import shutil
import socket
import time
from pathlib import Path
from urllib.request import Request, urlopen
from urllib.error import HTTPError

import pytest

from eventsite.build import Project
from eventsite.theme import Theme
from eventsite.serve import DevServer

from .sitekit import PROJECT_ROOT, write_site


@pytest.fixture()
def served(tmp_path: Path):
    content = write_site(tmp_path)
    templates = tmp_path / "templates"
    shutil.copytree(PROJECT_ROOT / "templates", templates)
    (tmp_path / "secret.txt").write_text("top secret")
    project = Project(content=content, output=tmp_path / "site", theme=Theme(templates, PROJECT_ROOT / "locales"))
    server = DevServer(project, port=0, log=lambda line: None)
    url = server.start_in_thread()
    yield server, url, content, templates, tmp_path
    server.stop()


def fetch(url: str) -> tuple[int, str]:
    try:
        with urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def wait_for(url: str, predicate, timeout: float = 1.0) -> tuple[float, str]:
    """Poll until predicate(body) holds; returns the seconds it took."""
    started = time.perf_counter()
    while True:
        status, body = fetch(url)
        if predicate(status, body):
            return time.perf_counter() - started, body
        if time.perf_counter() - started > timeout:
            raise AssertionError(f"not seen within {timeout} s; last status {status}: {body[:300]}")
        time.sleep(0.02)


def raw_get(port: int, path: str, host: str | None = None) -> tuple[int, bytes]:
    """Send the path exactly as given (no client-side normalization), like curl --path-as-is."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: {host or f'127.0.0.1:{port}'}\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    status = int(data.split(b" ", 2)[1])
    return status, data.split(b"\r\n\r\n", 1)[-1]


def test_serves_pages_with_the_livereload_script(served) -> None:
    server, url, *_ = served
    status, body = fetch(url + "en/")
    assert status == 200
    assert f'<script src="/livereload.js?port={server.port}"></script></body>' in body
    assert fetch(url + "livereload.js")[0] == 200


def test_content_edit_is_served_within_a_second(served) -> None:
    server, url, content, *_ = served
    path = content / "sessions" / "talk.md"
    path.write_text(path.read_text().replace("Talk on smart traffic", "Talk on smart mobility"))
    seconds, _ = wait_for(url + "en/sessions/talk/", lambda status, body: "Talk on smart mobility" in body)
    assert seconds < 1.0


def test_template_edit_is_served(served) -> None:
    server, url, content, templates, _ = served
    base = templates / "base.html"
    base.write_text(base.read_text().replace("<footer class=\"site-footer\">", "<footer class=\"site-footer\" data-edited=\"yes\">"))
    wait_for(url + "en/people/", lambda status, body: 'data-edited="yes"' in body)


def test_broken_file_shows_overlay_and_fix_recovers(served) -> None:
    server, url, content, *_ = served
    path = content / "sessions" / "talk.md"
    good = path.read_text()
    path.write_text(good.replace("room: hall-b", "room: <b>nowhere</b>"))
    _, body = wait_for(url + "en/", lambda status, body: status == 500)
    assert "content/sessions/talk.md:6" in body
    assert "<b>nowhere</b>" not in body and "&lt;b&gt;nowhere&lt;/b&gt;" in body  # escaped
    assert "livereload.js" in body  # so the fix reloads the page by itself
    path.write_text(good.replace("Talk on smart traffic", "Recovered talk"))
    wait_for(url + "en/sessions/talk/", lambda status, body: status == 200 and "Recovered talk" in body)


def test_burst_of_saves_and_editor_litter(served) -> None:
    server, url, content, *_ = served
    path = content / "sessions" / "talk.md"
    text = path.read_text()
    for index in range(10):
        (content / "sessions" / ".talk.md.swp").write_bytes(b"\x00garbage")
        (content / "sessions" / "4913").write_text("vim probe")
        path.write_text(text.replace("Talk on smart traffic", f"Talk number {index}"))
        time.sleep(0.02)
    wait_for(url + "en/sessions/talk/", lambda status, body: status == 200 and "Talk number 9" in body, timeout=3)
    assert server.state.problems == []


@pytest.mark.parametrize(
    "path",
    ["/../secret.txt", "/..%2fsecret.txt", "/%2e%2e/secret.txt", "/%2e%2e%2fsecret.txt", "//../secret.txt",
     "/en/../../secret.txt", "/..\\secret.txt", "/%00", "//etc/passwd", "/../../../../etc/passwd"],
)
def test_no_file_outside_the_output_is_served(served, path: str) -> None:
    server, *_ = served
    status, body = raw_get(server.port, path)
    assert status in (400, 403, 404)
    assert b"top secret" not in body and b"root:" not in body


def test_symlink_inside_output_pointing_out_is_not_followed(served) -> None:
    server, url, content, templates, tmp_path = served
    (tmp_path / "site" / "leak.txt").symlink_to(tmp_path / "secret.txt")
    status, body = raw_get(server.port, "/leak.txt")
    assert status == 404 and b"top secret" not in body


def test_foreign_host_header_is_refused(served) -> None:
    server, *_ = served
    status, _ = raw_get(server.port, "/en/", host="evil.example:80")
    assert status == 400


def test_websocket_from_foreign_origin_is_refused(served) -> None:
    from tornado.httpclient import HTTPClientError, HTTPRequest
    from tornado.ioloop import IOLoop
    from tornado.websocket import websocket_connect

    server, *_ = served

    async def connect(origin: str) -> bool:
        request = HTTPRequest(f"ws://127.0.0.1:{server.port}/livereload", headers={"Origin": origin})
        try:
            connection = await websocket_connect(request)
        except HTTPClientError:
            return False
        connection.close()
        return True

    loop = IOLoop(make_current=False)
    try:
        assert loop.run_sync(lambda: connect(f"http://127.0.0.1:{server.port}")) is True
        assert loop.run_sync(lambda: connect("http://evil.example")) is False
    finally:
        loop.close()


# --- editors' save patterns (hostile-inputs.md item 21) ---------------------------------------


def test_emacs_lock_symlinks_are_ignored(served) -> None:
    # Emacs marks a file it edits with a dangling symlink '.#name' → 'user@host.pid:boot-time'.
    server, url, content, *_ = served
    (content / "sessions" / ".#talk.md").symlink_to("editor@laptop.4242:1700000000")
    (content / "media").mkdir(exist_ok=True)
    (content / "media" / ".#plan.pdf").symlink_to("editor@laptop.4242:1700000000")
    path = content / "sessions" / "talk.md"
    path.write_text(path.read_text().replace("Talk on smart traffic", "Edited under an Emacs lock"))
    wait_for(url + "en/sessions/talk/", lambda status, body: status == 200 and "Edited under an Emacs lock" in body)
    assert server.state.problems == []
    assert not (server.project.output / "media" / ".#plan.pdf").exists()
    server.builder.full_build()  # a full build ignores them too
    assert server.state.problems == []


def test_rename_mid_build_ends_in_the_final_state(served) -> None:
    import threading

    server, url, content, *_ = served
    real_update, running = server.builder.update, threading.Event()

    def slow_update(changed, on_first=None):
        running.set()
        time.sleep(0.3)  # a long build: the rename below happens while it runs
        return real_update(changed, on_first)

    server.builder.update = slow_update
    source = content / "sessions" / "talk.md"
    source.write_text(source.read_text().replace("Talk on smart traffic", "Renamed talk"))
    assert running.wait(5)
    source.rename(content / "sessions" / "renamed.md")
    wait_for(url + "en/sessions/renamed/", lambda status, body: status == 200 and "Renamed talk" in body, timeout=5)
    wait_for(url + "en/sessions/talk/", lambda status, body: status == 404, timeout=5)
    assert server.state.problems == []
    assert "Renamed talk" in fetch(url + "en/schedule/")[1]


def test_a_file_renamed_while_the_loader_reads_it_is_no_crash(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The loader lists a folder, then the editor's save renames a file before it is read."""
    from eventsite.load import load_content

    content = write_site(tmp_path)
    real_is_file = Path.is_file

    def is_file_then_renamed(self: Path) -> bool:
        found = real_is_file(self)
        if found and self.name == "talk.md":
            self.rename(self.with_name("talk-renamed.md"))  # gone between the check and the read
        return found

    monkeypatch.setattr(Path, "is_file", is_file_then_renamed)
    raw = load_content(content)
    monkeypatch.undo()
    assert "talk" not in {document.id for document in raw.documents}
    assert "talk-renamed" in {document.id for document in load_content(content).documents}  # the next build sees it


def test_binds_to_loopback_by_default_and_has_no_forcereload(served) -> None:
    from eventsite.cli import make_parser

    server, *_ = served
    assert make_parser().parse_args(["serve"]).host == "127.0.0.1"
    assert {sock.getsockname()[0] for sock in server._server._sockets.values()} == {"127.0.0.1"}
    # python-livereload lets anyone GET /forcereload; this server has no such route.
    status, body = raw_get(server.port, "/forcereload")
    assert status == 404


# --- when the browser reloads ------------------------------------------------------------------------


class ReloadListener:
    """A livereload client (the protocol livereload.js speaks) that notes when each reload arrives."""

    def __init__(self, port: int):
        import json
        import threading

        from tornado.ioloop import IOLoop
        from tornado.websocket import websocket_connect

        self.reloads: list[float] = []
        self._ready = threading.Event()

        async def listen() -> None:
            connection = await websocket_connect(f"ws://127.0.0.1:{port}/livereload")
            await connection.write_message(json.dumps({"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"]}))
            await connection.read_message()  # the server's hello
            await connection.write_message(json.dumps({"command": "info", "url": f"http://127.0.0.1:{port}/en/"}))
            self._ready.set()
            while (message := await connection.read_message()) is not None:
                if json.loads(message)["command"] == "reload":
                    self.reloads.append(time.perf_counter())

        self._loop = IOLoop(make_current=False)
        self._thread = threading.Thread(target=lambda: self._loop.run_sync(listen), daemon=True)
        self._thread.start()
        assert self._ready.wait(5)
        time.sleep(0.1)  # the 'info' message is handled after it is sent


@pytest.mark.parametrize(("rest_seconds", "expected"), [(0.05, 1), (1.0, 2)])
def test_the_browser_reloads_early_only_when_the_rest_takes_a_while(served, rest_seconds: float, expected: int) -> None:
    """A quick update reloads once; a slow one shows the edited page after EARLY_RELOAD_SECONDS, then reloads again."""
    from eventsite import serve
    from eventsite.incremental import Update

    server, url, content, *_ = served
    first_pages: list[float] = []

    def slow_update(changed, on_first=None):
        update = Update(rendered=10, pending=9)
        first_pages.append(time.perf_counter())
        on_first(update)
        time.sleep(rest_seconds)  # the listings and feeds
        update.pending = 0
        return update

    server.builder.update = slow_update
    listener = ReloadListener(server.port)
    (content / "pages" / "about.md").write_text("---\ntitle: About us\n---\nNew text.\n", encoding="utf-8")
    deadline = time.perf_counter() + 5
    while len(listener.reloads) < expected and time.perf_counter() < deadline:
        time.sleep(0.02)
    time.sleep(0.5)  # no further reload arrives
    assert len(listener.reloads) == expected, listener.reloads
    assert len(first_pages) == 1
    if expected == 2:
        early = listener.reloads[0] - first_pages[0]
        assert serve.EARLY_RELOAD_SECONDS <= early < rest_seconds, early


def test_a_busy_port_is_a_hint_before_any_build(tmp_path: Path) -> None:
    import socket
    import subprocess
    import sys

    content = write_site(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, str(PROJECT_ROOT / "build.py"), "serve", "--content", str(content), "--out", str(tmp_path / "site"),
             "--port", str(port)],
            capture_output=True, text=True, timeout=60, check=False,
        )
    assert done.returncode == 2
    assert done.stderr.strip() == (
        f"serve: port {port} on 127.0.0.1 is already in use (another preview?): try --port {port + 1}, or --port 0 for any free port"
    )
    assert not (tmp_path / "site").exists()  # refused before building
