"""A throwaway static file server for browser tests and link crawlers.

Serves a built site the way a plain static host would, optionally mounted
under a sub-path (``/busan2019/``) so that tests catch root-relative links
that ignore the site's base path: anything outside the mount is a 404.
"""

from __future__ import annotations

import io
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import quote, urlsplit, urlunsplit

from eventsite.hosting import CONTENT_TYPES


class _Handler(SimpleHTTPRequestHandler):
    # The types a host sends for our files (eventsite.hosting, also used by `deploy`), not the machine's mime.types.
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, **CONTENT_TYPES}

    def __init__(self, *args: Any, mount: str, not_found: str | None = None, **kwargs: Any) -> None:
        self.mount = mount  # quoted, starts and ends with "/"
        self.not_found = not_found  # a file below the site served (as 404) for any miss, as hosts do
        super().__init__(*args, **kwargs)

    def send_head(self) -> BinaryIO | None:
        parts = urlsplit(self.path)
        if self.mount != "/" and parts.path == self.mount[:-1]:
            # "/busan2019" -> "/busan2019/", as static hosts do.
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", urlunsplit(parts._replace(path=self.mount)))
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        if not parts.path.startswith(self.mount):
            self.send_error(HTTPStatus.NOT_FOUND, "outside the mounted site")
            return None
        if self.not_found is not None and self._missing(self.translate_path(self.path)):
            return self._send_not_found_page()
        return super().send_head()

    def _missing(self, path: str) -> bool:
        if os.path.isdir(path):
            return self.path.split("?")[0].endswith("/") and not os.path.isfile(os.path.join(path, "index.html"))
        return not os.path.isfile(path)

    def _send_not_found_page(self) -> BinaryIO:
        page = open(os.path.join(self.directory, self.not_found or ""), "rb")  # noqa: SIM115 (closed by the caller)
        self.send_response(HTTPStatus.NOT_FOUND)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(os.fstat(page.fileno()).st_size))
        self.end_headers()
        return page

    def translate_path(self, path: str) -> str:
        # Strip the mount; the parent maps the rest inside `directory` and
        # already refuses to climb out of it with "..".
        rest = urlsplit(path).path[len(self.mount) - 1 :]
        return super().translate_path(rest)

    def list_directory(self, path: str | os.PathLike[str]) -> io.BytesIO | None:
        # A static host has no directory listings: a folder without
        # index.html is a 404, and a crawler must see it as one.
        self.send_error(HTTPStatus.NOT_FOUND, "no index.html")
        return None

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet: tests assert on responses, not on access logs


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # browsers drop keep-alive/prefetch sockets; not a test failure


@contextmanager
def serve_directory(directory: Path, mount: str = "/", not_found: str | None = None) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1 (free port); yield the base URL.

    ``mount`` is the URL path the directory appears under, e.g.
    ``"/busan2019/"`` yields ``http://127.0.0.1:PORT/busan2019/``.
    ``not_found`` (e.g. ``"404.html"``) is served with status 404 for any
    missing file below the mount, as GitHub Pages and most hosts do.
    """
    root = Path(directory).resolve()
    if not root.is_dir():
        raise NotADirectoryError(root)
    mount = "/" + mount.strip("/") + "/" if mount.strip("/") else "/"
    quoted_mount = quote(mount)
    handler = partial(_Handler, directory=str(root), mount=quoted_mount, not_found=not_found)
    server = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(
        target=server.serve_forever,
        kwargs={"poll_interval": 0.05},
        name=f"static-server:{root.name}",
        daemon=True,
    )
    thread.start()
    try:
        port = server.server_address[1]
        yield f"http://127.0.0.1:{port}{quoted_mount}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
