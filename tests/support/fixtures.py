"""pytest fixtures for the trust gates.

Register once, in tests/conftest.py:

    pytest_plugins = ["tests.support.fixtures"]
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from .browser import launch_browser, open_page
from .static_server import serve_directory


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One headless Chromium per test module (start-up ~0.5-1 s)."""
    with launch_browser() as instance:
        yield instance


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh context + page (real CSP enforced), closed after the test."""
    with open_page(browser) as new_page:
        yield new_page


@pytest.fixture
def serve() -> Iterator[Callable[..., str]]:
    """Factory: ``serve(directory, mount="/busan2019/", not_found=None) -> base URL``.

    Every server started through it stops at the end of the test.
    """
    with ExitStack() as stack:

        def start(directory: Path, mount: str = "/", not_found: str | None = None) -> str:
            return stack.enter_context(serve_directory(directory, mount, not_found))

        yield start
