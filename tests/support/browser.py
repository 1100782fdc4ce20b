"""Headless Chromium for tests, through Playwright's sync API.

We launch Debian's ``/usr/bin/chromium`` (``executable_path``): Playwright's
own browser downloads are not available here, only its driver (bundled in
the Python wheel) is used.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Request,
    Response,
    sync_playwright,
)
from playwright.sync_api import (
    Error as PlaywrightError,
)

from .tools import chromium_executable

# The first six are required by the project rules; the rest keep Chromium
# from phoning home or showing first-run UI, so runs are quiet and offline.
CHROMIUM_ARGS: tuple[str, ...] = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
)

DEFAULT_VIEWPORT = {"width": 1280, "height": 800}


@contextmanager
def launch_browser(*, timeout_ms: float = 30_000) -> Iterator[Browser]:
    """Start headless Chromium; close it (and the Playwright driver) on exit.

    Typical use is a module- or session-scoped fixture (see ``fixtures.py``):
    starting the browser costs ~0.5-1 s, a new context/page only ~50 ms.
    """
    executable = chromium_executable()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(executable),
            headless=True,
            args=list(CHROMIUM_ARGS),
            timeout=timeout_ms,
        )
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def open_page(
    browser: Browser,
    url: str | None = None,
    *,
    bypass_csp: bool = False,
    locale: str = "en-US",
    viewport: dict[str, int] | None = None,
    **context_options: Any,
) -> Iterator[Page]:
    """A page in a fresh context (no shared cookies/storage), closed on exit.

    ``bypass_csp`` defaults to False so pages run under their real
    Content-Security-Policy; ``run_axe`` does not need it (see axe.py).
    """
    context: BrowserContext = browser.new_context(
        bypass_csp=bypass_csp,
        locale=locale,
        viewport=viewport or DEFAULT_VIEWPORT,  # type: ignore[arg-type]
        **context_options,
    )
    try:
        page = context.new_page()
        if url is not None:
            page.goto(url, wait_until="load")
        yield page
    finally:
        context.close()


def screenshot(page: Page, path: Path, *, full_page: bool = True) -> Path:
    """Save a PNG of the page (parents created) and return its path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Web fonts may still be loading right after "load".
    page.evaluate("() => document.fonts.ready.then(() => true)")
    page.screenshot(path=str(path), full_page=full_page)
    return path


@dataclass
class PageProblems:
    """What went wrong while a page loaded, as a visitor's browser saw it."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)  # uncaught exceptions
    failed_requests: list[str] = field(default_factory=list)  # 4xx/5xx/network

    @property
    def csp_violations(self) -> list[str]:
        return [m for m in self.console_errors if "Content Security Policy" in m]

    def __bool__(self) -> bool:
        return bool(self.console_errors or self.page_errors or self.failed_requests)

    def format(self) -> str:
        lines = [f"console error: {m}" for m in self.console_errors]
        lines += [f"uncaught exception: {m}" for m in self.page_errors]
        lines += [f"failed request: {m}" for m in self.failed_requests]
        return "\n".join(lines)


def watch_page(page: Page) -> PageProblems:
    """Start recording console errors, exceptions and failed requests.

    Call before ``page.goto``; the returned object fills in as the page runs.
    CSP violations show up as console errors (see ``csp_violations``).
    """
    problems = PageProblems()

    def on_console(message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        # Chromium probes /favicon.ico at the origin root on its own; under a
        # sub-path mount that 404s whatever the site does, so it is no finding.
        if urlsplit(message.location.get("url", "")).path == "/favicon.ico":
            return
        problems.console_errors.append(message.text)

    def on_response(response: Response) -> None:
        if response.status >= 400:
            problems.failed_requests.append(f"{response.status} {response.url}")

    def on_failed(request: Request) -> None:
        # ERR_ABORTED is the browser cancelling a load because the test
        # navigated on (a favicon still loading when a link is clicked): a
        # race of the test, not a fault of the page. Blocked and missing
        # resources fail with other codes and are still reported.
        if request.failure == "net::ERR_ABORTED":
            return
        problems.failed_requests.append(f"{request.failure or 'failed'} {request.url}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.page_errors.append(str(error)))
    page.on("response", on_response)
    page.on("requestfailed", on_failed)
    return problems


__all__ = [
    "CHROMIUM_ARGS",
    "PageProblems",
    "PlaywrightError",
    "launch_browser",
    "open_page",
    "screenshot",
    "watch_page",
]
