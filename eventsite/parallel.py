"""Rendering many routes on every core.

Markdown and Jinja are pure Python, so threads would queue on the GIL:
large builds fork worker processes instead. Each worker inherits the
renderer (site, routes, compiled templates) through ``fork`` — nothing is
pickled but route numbers going in and problems coming out — and writes its
pages straight into the staged folder. Small sites render in-process: a
pool costs more than it saves below :data:`THRESHOLD` routes.
"""

from __future__ import annotations

import ctypes
import multiprocessing
from dataclasses import dataclass, field
import os
import signal
from typing import Callable, Sequence

from .anchors import AnchorClaim
from .depends import NullRecorder, Recorder
from .errors import Problem
from .render import Renderer, render_route
from .routes import Route
from .write import StagedOutput

THRESHOLD = 500  # routes; below it a pool costs more than it saves (docs/performance.md)
CHUNK = 64

# Set in each worker by _start_worker (the pool initializer): process-local, never shared.
_worker: tuple[Renderer, StagedOutput] | None = None


def default_workers(routes: int) -> int:
    if routes < THRESHOLD or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(os.cpu_count() or 1, 8))


def render_routes(
    renderer: Renderer,
    routes: Sequence[Route],
    staged: StagedOutput,
    *,
    record: bool,
    workers: int,
    advance: Callable[[int], None] = lambda count: None,
) -> Rendering:
    """Render and write every route; its problems, links to #fragments and (if ``record``) dependency records."""
    rendering = Rendering()
    if workers <= 1 or record:
        # The dev server records dependencies: it renders in-process.
        for route in routes:
            recorder = Recorder() if record else NullRecorder()
            output = render_route(renderer, route, recorder)
            rendering.problems.extend(output.problems)
            rendering.claims.extend(output.claims)
            if output.data is not None:
                staged.write(route.output_path, output.data)
            if record:
                rendering.dependencies[route.output_path] = recorder
            advance(1)
        return rendering

    chunks = [list(range(start, min(start + CHUNK, len(routes)))) for start in range(0, len(routes), CHUNK)]
    context = multiprocessing.get_context("fork")
    with context.Pool(workers, initializer=_start_worker, initargs=(renderer, staged, list(routes), os.getpid())) as pool:
        for chunk_problems, chunk_claims, count in pool.imap_unordered(_render_chunk, chunks):
            rendering.problems.extend(chunk_problems)
            rendering.claims.extend(chunk_claims)
            advance(count)
    rendering.problems.sort()
    return rendering


_routes: list[Route] = []


@dataclass
class Rendering:
    """What rendering every route gave besides the files."""

    problems: list[Problem] = field(default_factory=list)
    claims: list[AnchorClaim] = field(default_factory=list)  # links to #fragments, checked once all pages exist
    dependencies: dict[str, Recorder] = field(default_factory=dict)  # output path → what it read


def _start_worker(renderer: Renderer, staged: StagedOutput, routes: list[Route], parent: int | None = None) -> None:
    global _worker, _routes
    if parent is not None:
        _die_with(parent)
    _worker = (renderer, staged)
    _routes = routes


def _die_with(parent: int) -> None:
    """A killed build (kill -9) must not leave workers writing into its staging folder.

    Linux ends the worker when its parent dies (PR_SET_PDEATHSIG); elsewhere an
    orphan still stops after its current chunk, when the task queue closes.
    """
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1: PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux
        return
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _render_chunk(indexes: list[int]) -> tuple[list[Problem], list[AnchorClaim], int]:
    assert _worker is not None
    renderer, staged = _worker
    problems: list[Problem] = []
    claims: list[AnchorClaim] = []
    for index in indexes:
        route = _routes[index]
        output = render_route(renderer, route, NullRecorder())
        problems.extend(output.problems)
        claims.extend(output.claims)
        if output.data is not None:
            staged.write(route.output_path, output.data)
    return problems, claims, len(indexes)
