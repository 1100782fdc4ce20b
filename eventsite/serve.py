"""The editors' preview: a real HTTP server on 127.0.0.1 that rebuilds on save.

* Watches content, templates and catalogs (watchdog/inotify), waits for a
  burst of saves to settle, then runs an incremental rebuild on a worker
  thread while pages keep being served.
* Tells the browser to reload through the livereload protocol. The
  livereload script is injected as an *external* ``<script src>`` so pages
  keep their Content-Security-Policy.
* A content or template error never stops the server: every HTML page is
  replaced by an overlay listing each problem as ``file:line: message``
  until the next good save.
* Serves only files inside the output folder (no ``..``, no symlinks that
  leave it), answers only to its own Host, and accepts the livereload
  websocket only from its own origin (python-livereload accepts any).
"""

from __future__ import annotations

import asyncio
import errno
import html
import mimetypes
import posixpath
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from tornado import httpserver, ioloop, netutil, web

from .build import Project
from .errors import BuildError, Problem
from .incremental import IncrementalBuilder
from .paths import is_editor_litter

# When the listings and feeds an edit made stale take longer than this after
# the edited pages are on disk, the browser reloads then, and again at the end.
EARLY_RELOAD_SECONDS = 0.3
SETTLE_SECONDS = 0.05  # a burst of saves (or an editor's write-rename dance) becomes one rebuild
LIVERELOAD_SCRIPT = b'<script src="/livereload.js?port={port}"></script>'


@dataclass
class ServerState:
    """What the request handlers read; replaced whole by the build thread."""

    problems: list[Problem] = field(default_factory=list)
    builds: int = 0
    last_seconds: float = 0.0


class _Watcher:
    """Lives on the watchdog thread; hands changed paths to the IO loop."""

    def __init__(self, folders: list[Path], on_change: Callable[[set[Path]], None]):
        from watchdog.events import FileSystemEventHandler
        from watchdog.observers import Observer

        watcher = self

        class Handler(FileSystemEventHandler):
            def on_any_event(self, event):  # noqa: N802 (watchdog's name)
                if event.event_type in ("opened", "closed_no_write"):
                    return
                paths = {Path(event.src_path)}
                if getattr(event, "dest_path", None):
                    paths.add(Path(event.dest_path))
                paths = {path for path in paths if not is_editor_litter(path.name)}
                if paths:
                    watcher.on_change(paths)

        self.on_change = on_change
        self.observer = Observer()
        for folder in folders:
            if folder.is_dir():
                self.observer.schedule(Handler(), str(folder), recursive=True)

    def start(self) -> None:
        self.observer.start()

    def stop(self) -> None:
        self.observer.stop()
        self.observer.join(timeout=2)


class PortUnavailable(Exception):
    """The port cannot be used; the message says what to do."""


class DevServer:
    def __init__(self, project: Project, host: str = "127.0.0.1", port: int = 8000, log: Callable[[str], None] = print):
        self.project = project
        self.host = host
        self.port = port
        self.log = log
        self.state = ServerState()
        self.builder = IncrementalBuilder(project)
        self._pending: set[Path] = set()
        self._timer: object | None = None
        self._early_reload: object | None = None
        self._building = False
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="rebuild")
        self._loop: ioloop.IOLoop | None = None
        self._server: httpserver.HTTPServer | None = None
        self._watcher: _Watcher | None = None
        self.ready = threading.Event()
        self._stopped: asyncio.Event | None = None

    # --- building ------------------------------------------------------------------

    def initial_build(self) -> None:
        started = time.perf_counter()
        try:
            result = self.builder.full_build()
            self.state = ServerState([], 1, time.perf_counter() - started)
            self.log(result.summary())
        except BuildError as error:
            self.state = ServerState(error.problems, 0)
            self._log_problems(error.problems)
            self.project.output.mkdir(parents=True, exist_ok=True)

    def _changed(self, paths: set[Path]) -> None:
        """Called on the watchdog thread."""
        if self._loop is not None:
            self._loop.add_callback(self._schedule, paths)

    def _schedule(self, paths: set[Path]) -> None:
        self._pending |= paths
        if self._timer is not None:
            self._loop.remove_timeout(self._timer)  # type: ignore[union-attr]
        self._timer = self._loop.call_later(SETTLE_SECONDS, self._start_rebuild)  # type: ignore[union-attr]

    def _start_rebuild(self) -> None:
        self._timer = None
        if self._building or not self._pending:
            return  # the running build reschedules itself when it finishes
        changed, self._pending = self._pending, set()
        self._building = True
        future = self._executor.submit(self._rebuild, changed)
        self._loop.add_future(future, self._rebuilt)  # type: ignore[union-attr]

    def _rebuild(self, changed: set[Path]) -> ServerState:
        started = time.perf_counter()
        try:
            if self.state.builds == 0:
                self.builder.full_build()  # the first build failed: start over
            else:
                update = self.builder.update(changed, on_first=self._first_pages_ready)
                if update.full:  # site.yaml or a catalog: every page
                    self.log(f"rebuilt the whole site ({update.rendered} outputs) in {update.seconds * 1000:.0f} ms")
                else:
                    unchanged = update.rendered - len(update.written)
                    self.log(
                        f"rebuilt {update.rendered} output(s), {len(update.written)} changed"
                        + (f" ({unchanged} came out the same)" if unchanged > 0 else "")
                        + f", {len(update.deleted)} deleted in {update.seconds * 1000:.0f} ms"
                        + f" (edited pages after {update.first_seconds * 1000:.0f} ms)"
                    )
            return ServerState([], self.state.builds + 1, time.perf_counter() - started)
        except BuildError as error:
            self._log_problems(error.problems)
            return ServerState(error.problems, self.state.builds, time.perf_counter() - started)
        except Exception as error:  # a bug must not kill the preview; show it like a content error
            problem = Problem("(build)", 0, f"internal error: {type(error).__name__}: {error}")
            self._log_problems([problem])
            return ServerState([problem], self.state.builds, time.perf_counter() - started)

    def _first_pages_ready(self, update) -> None:
        """Called on the build thread once the edited pages are on disk."""
        if update.pending and self._loop is not None:
            self._loop.add_callback(self._arm_early_reload)

    def _arm_early_reload(self) -> None:
        # Runs before _rebuilt (callbacks keep their order), which disarms it
        # if the rest was quick: then the browser reloads once, at the end.
        self._early_reload = self._loop.call_later(EARLY_RELOAD_SECONDS, self._reload_early)  # type: ignore[union-attr]

    def _reload_early(self) -> None:
        self._early_reload = None
        LiveReloadHandler.reload_waiters("*")

    def _rebuilt(self, future) -> None:
        if self._early_reload is not None:
            self._loop.remove_timeout(self._early_reload)  # type: ignore[union-attr]
            self._early_reload = None
        self.state = future.result()
        self._building = False
        LiveReloadHandler.reload_waiters("*")
        if self._pending:
            self._start_rebuild()

    def _log_problems(self, problems: list[Problem]) -> None:
        for problem in problems:
            self.log(problem.format())

    # --- serving -------------------------------------------------------------------

    def application(self) -> web.Application:
        LiveReloadHandler.watcher = _NoWatcher()  # livereload logs watcher.filepath
        allowed = self.allowed_hosts()
        return web.Application(
            [
                (r"/livereload", _GuardedLiveReload, {"allowed": allowed}),
                (r"/livereload\.js", _GuardedScript, {"allowed": allowed}),
                (r"/(.*)", _SiteHandler, {"server": self, "allowed": allowed}),
            ],
            websocket_ping_interval=20,
        )

    def allowed_hosts(self) -> set[str]:
        names = {self.host, "127.0.0.1", "localhost", "[::1]"} if self.host in ("127.0.0.1", "localhost") else {self.host}
        return {f"{name}:{self.port}" for name in names}

    def bind(self) -> list:
        """Take the port now, before a long first build: a busy port is a clear message, not a traceback."""
        try:
            sockets = netutil.bind_sockets(self.port, address=self.host)
        except OSError as error:
            if error.errno in (errno.EADDRINUSE, errno.EACCES):
                why = "is already in use (another preview?)" if error.errno == errno.EADDRINUSE else "may not be used"
                raise PortUnavailable(
                    f"port {self.port} on {self.host} {why}: try --port {self.port + 1}, or --port 0 for any free port"
                ) from None
            raise
        self.port = sockets[0].getsockname()[1]
        return sockets

    def listen(self, sockets: list | None = None) -> None:
        """Serve on the bound sockets (port 0 picks a free one) on the current IO loop."""
        sockets = sockets if sockets is not None else self.bind()
        self._server = httpserver.HTTPServer(self.application())
        self._server.add_sockets(sockets)
        self._loop = ioloop.IOLoop.current()
        folders = [self.project.content, *self.project.theme.watched]
        self._watcher = _Watcher([folder.resolve() for folder in folders], self._changed)
        self._watcher.start()
        self.ready.set()

    def serve_forever(self) -> None:
        sockets = self.bind()
        self.initial_build()
        asyncio.run(self._run(announce=True, sockets=sockets))

    async def _run(self, announce: bool = False, sockets: list | None = None) -> None:
        self._stopped = asyncio.Event()
        self.listen(sockets)
        if announce:
            self.log(f"serving {self.project.output} on http://{self.host}:{self.port}/ (Ctrl-C to stop)")
        try:
            await self._stopped.wait()
        finally:
            self.close()

    def start_in_thread(self) -> str:
        """For tests: build, serve on a background thread, return the base URL."""
        self.initial_build()
        thread = threading.Thread(target=lambda: asyncio.run(self._run()), name="devserver", daemon=True)
        thread.start()
        self.ready.wait(10)
        return f"http://{self.host}:{self.port}/"

    def stop(self) -> None:
        if self._loop is not None and self._stopped is not None:
            self._loop.add_callback(self._stopped.set)

    def close(self) -> None:
        if self._watcher is not None:
            self._watcher.stop()
            self._watcher = None
        if self._server is not None:
            self._server.stop()
            self._server = None
        self._executor.shutdown(wait=False, cancel_futures=True)


class _NoWatcher:
    filepath = None


def _host_allowed(handler: web.RequestHandler, allowed: set[str]) -> bool:
    return handler.request.host in allowed


class _GuardedLiveReload(LiveReloadHandler):
    def initialize(self, allowed: set[str]) -> None:
        self.allowed = allowed

    def prepare(self):
        if not _host_allowed(self, self.allowed):
            raise web.HTTPError(400, "unknown Host")

    def check_origin(self, origin: str) -> bool:
        parts = urlsplit(origin)
        return parts.scheme in ("http", "https") and parts.netloc in self.allowed


class _GuardedScript(LiveReloadJSHandler):
    def initialize(self, allowed: set[str]) -> None:
        self.allowed = allowed

    def prepare(self):
        if not _host_allowed(self, self.allowed):
            raise web.HTTPError(400, "unknown Host")


class _SiteHandler(web.RequestHandler):
    def initialize(self, server: DevServer, allowed: set[str]) -> None:
        self.server = server
        self.allowed = allowed

    def prepare(self):
        if not _host_allowed(self, self.allowed):
            raise web.HTTPError(400, "unknown Host")

    def head(self, path: str) -> None:
        self.get(path, include_body=False)

    def get(self, path: str, include_body: bool = True) -> None:
        root = self.server.project.output.resolve()
        target = resolve_request_path(root, self.request.path)
        if target is None:
            raise web.HTTPError(404)
        if target.is_dir():
            if not self.request.path.endswith("/"):
                self.redirect(self.request.path + "/")
                return
            target = target / "index.html"
        state = self.server.state
        is_html = target.suffix == ".html"
        if state.problems and (is_html or not target.is_file()):
            self._send_overlay(state.problems, include_body)
            return
        if not target.is_file():
            not_found = root / "404.html"
            if not_found.is_file():
                self.set_status(404)
                self._send(not_found, include_body)
                return
            raise web.HTTPError(404)
        self._send(target, include_body)

    def _send(self, target: Path, include_body: bool) -> None:
        data = target.read_bytes()
        content_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if content_type.startswith("text/") or content_type in ("application/javascript", "application/json"):
            content_type += "; charset=utf-8"
        if target.suffix == ".html":
            data = inject_script(data, self.server.port)
        self.set_header("Content-Type", content_type)
        self.set_header("Cache-Control", "no-store")
        if include_body:
            self.write(data)

    def _send_overlay(self, problems: list[Problem], include_body: bool) -> None:
        self.set_status(500)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        if include_body:
            self.write(inject_script(overlay_page(problems).encode("utf-8"), self.server.port))


def resolve_request_path(root: Path, request_path: str) -> Path | None:
    """The file a URL path names inside ``root``, or None if it would leave it."""
    from urllib.parse import unquote

    path = unquote(request_path.split("?", 1)[0])
    if "\x00" in path or "\\" in path:
        return None
    parts = [part for part in path.split("/") if part]
    if any(part in ("..", ".") or part.startswith("..") for part in parts):
        return None
    normalized = posixpath.normpath("/" + "/".join(parts))
    target = root.joinpath(*[part for part in normalized.split("/") if part])
    try:
        resolved = target.resolve()
    except OSError:
        return None
    if resolved != root and root not in resolved.parents:
        return None  # a symlink inside the output that points elsewhere
    return resolved


def inject_script(data: bytes, port: int) -> bytes:
    script = LIVERELOAD_SCRIPT.replace(b"{port}", str(port).encode())
    index = data.rfind(b"</body>")
    return data[:index] + script + data[index:] if index >= 0 else data + script


def overlay_page(problems: list[Problem]) -> str:
    """The page shown instead of the site while the content has errors."""
    items = "\n".join(f"<li><code>{html.escape(problem.format())}</code></li>" for problem in problems)
    count = len(problems)
    return f"""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Build error</title>
<link rel="stylesheet" href="/static/style.css">
</head>
<body>
<main class="wrap build-error" id="main">
<h1>The site could not be rebuilt</h1>
<p>{count} problem{'s' if count != 1 else ''}. Fix {'them' if count != 1 else 'it'} and save: this page reloads by itself.</p>
<ul class="problems">
{items}
</ul>
</main>
</body>
</html>
"""
