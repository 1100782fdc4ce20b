"""Rendering many routes on every core.

Markdown and Jinja are pure Python, so threads would queue on the GIL:
large builds fork worker processes instead, and this process renders
alongside them (one worker fewer to fork, and its pages touch no copied
memory). Each worker inherits the
renderer (site, routes, compiled templates) through ``fork`` — nothing is
pickled but route numbers going in and, coming out, each page's problems,
its links to #fragments, (when recorded) what it read and what the post-build
steps need to know of its file (:class:`Finishing`) — and writes its
pages straight into the staged folder. Small sites render in-process: a
pool costs more than it saves below :data:`THRESHOLD` routes.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
from dataclasses import dataclass, field
import os
from pathlib import Path
import queue
import signal
import threading
import traceback
from typing import Any, Callable, NamedTuple, Sequence

from .anchors import AnchorClaim
from .depends import NullRecorder, Recorder
from .errors import Problem
from .render import Renderer, render_route
from .routes import Route
from .write import StagedOutput

Finish = Callable[[str, bytes], bytes]  # (output path, bytes) → the bytes to write
Note = Callable[[Route, bytes], dict[str, Any]]  # (route, the bytes written) → step name → what it needs of them


class Finishing(NamedTuple):
    """What happens to each rendered file around its writing (eventsite/publish.py: the post-build steps).

    ``finish`` makes the bytes to write (minified, assets' fingerprinted names); ``note`` takes from them
    what a step that runs once every page is written needs of each page (the offline worker: its digest
    and assets; the host files: its security policy). The process that wrote the page has its bytes
    at hand: read back from the staged folder, one page after the other, that was ~1.2 s of a build
    at 10 × 300 in the main process alone.
    """

    finish: Finish | None = None
    note: Note | None = None

THRESHOLD = 500  # routes; below it a pool costs more than it saves (docs/performance.md)
CHUNK = 64

# Set in each worker by _start_worker (the pool initializer): process-local, never shared.
_worker: tuple[Renderer, StagedOutput] | None = None
_rendered = 0  # routes this worker rendered, for its collection schedule (_collect)

# A worker collects cycles itself, after each route (see _collect): the young generation after every one, the
# middle one after this many, everything after that many.
COLLECT_MIDDLE_EVERY = 50
COLLECT_ALL_EVERY = 1000


ITEMS_PER_PAGE = 30  # a listing (programme, feed, home page) costs about one single page per 30 items it shows


def default_workers(routes: int) -> int:
    """``routes``: how many there are, or their :func:`weight`."""
    if routes < THRESHOLD or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(os.cpu_count() or 1, 8))


def weight(routes: Sequence[Route], items: int) -> int:
    """The work of rendering ``routes``, in single pages, on a site of ``items`` content items: a rebuild after
    an item moved renders few routes, but on a large site they are the programmes, home pages and calendars
    of every language (300 items: each ~10 single pages; worth a pool)."""
    listing = max(1, items // ITEMS_PER_PAGE)
    return sum(listing if route.key is None else 1 for route in routes)


def render_routes(
    renderer: Renderer,
    routes: Sequence[Route],
    staged: StagedOutput,
    *,
    record: bool,
    workers: int,
    advance: Callable[[int], None] = lambda count: None,
    finishing: Finishing = Finishing(),
) -> Rendering:
    """Render and write every route; its problems, links to #fragments, (if ``record``) dependency records
    and the post-build steps' notes of its file (``finishing``)."""
    rendering = Rendering()
    # Here too when rendering in this process: the fonts' coverages then come from the cache folder
    # instead of each font file (~40 ms for a build in ten languages).
    renderer.warm_up(routes)  # once here, inherited by every worker, rather than once in each
    if workers <= 1:
        for index, route in enumerate(routes):
            rendering.add(route, _render_one(renderer, staged, route, index, record, finishing))
            advance(1)
        return rendering

    context = multiprocessing.get_context("fork")
    chunks = plan_chunks(routes, workers)
    taken = context.Value("l", 0)  # the next chunk to take, by whichever process is free first
    helpers: list[_Helper] = []

    def take_in(outcomes: list[Outcome]) -> None:
        for outcome in outcomes:
            rendering.add(routes[outcome.number], outcome)
        advance(len(outcomes))

    collecting = gc.isenabled()
    gc.disable()  # as in a worker: collected between routes (_collect), not in the middle of a page
    try:
        for _ in range(workers - 1):  # in the try: a fork that fails stops the workers already started
            helpers.append(_Helper.start(context, (renderer, staged, list(routes), record, finishing, os.getpid()), chunks, taken))
        def receive() -> None:  # between routes: a worker's outcomes do not wait for the end of a chunk here
            for helper in helpers:
                helper.receive(take_in, wait=False)

        while (chunk := _next_chunk(chunks, taken)) is not None:
            take_in(_render_indexes(renderer, staged, routes, chunk, record, finishing, receive))
        for helper in helpers:
            helper.receive(take_in, wait=True)
    finally:
        for helper in helpers:
            helper.stop()
        if collecting:
            gc.enable()
    return rendering


def _next_chunk(chunks: list[list[int]], taken: Any) -> list[int] | None:
    with taken.get_lock():
        number = taken.value
        if number >= len(chunks):
            return None
        taken.value = number + 1
    return chunks[number]


class _Failed(NamedTuple):
    """A worker's exception, sent back to be raised here (as itself when it can be pickled)."""

    error: BaseException | None
    text: str


class _Helper:
    """A forked worker taking chunks until none is left, and sending back each chunk's outcomes, then None.

    Unlike a multiprocessing.Pool, whose map waits forever for the chunk of a worker that was killed
    (by the kernel's OOM killer, say), a worker that ends without its None is an error here.
    """

    def __init__(self, process: Any, reader: Any):
        self.process = process
        self.reader = reader
        self.done = False

    @classmethod
    def start(cls, context: Any, initargs: tuple, chunks: list[list[int]], taken: Any) -> "_Helper":
        reader, writer = context.Pipe(duplex=False)
        process = context.Process(target=_help, args=(initargs, chunks, taken, writer), daemon=True)
        process.start()
        writer.close()  # the worker's end: this process sees the pipe's end when the worker's is closed
        return cls(process, reader)

    def receive(self, take_in: Callable[[list[Outcome]], None], *, wait: bool) -> None:
        """Take in what the worker sent; with ``wait``, until it says it is done."""
        while not self.done and (wait or self.reader.poll()):
            try:
                message = self.reader.recv()
            except EOFError:
                self.process.join(5)
                raise RuntimeError(f"a render worker ended unexpectedly (exit code {self.process.exitcode})") from None
            if message is None:
                self.done = True
            elif isinstance(message, _Failed):
                self.done = True
                if message.error is not None:
                    raise message.error
                raise RuntimeError(f"a render worker failed:\n{message.text}")
            else:
                take_in(message)

    def stop(self) -> None:
        if self.process.is_alive() and not self.done:
            self.process.terminate()
        self.process.join()
        self.reader.close()


def _help(initargs: tuple, chunks: list[list[int]], taken: Any, writer: Any) -> None:
    """A worker's life: take chunks, send their outcomes, then None (or what failed).

    A thread sends them: the build's process reads between the routes it renders itself, and a worker
    waiting on a full pipe meanwhile would idle for as long as that route takes.
    """
    outbox: queue.SimpleQueue[Any] = queue.SimpleQueue()

    def send() -> None:
        while True:
            message = outbox.get()
            try:
                writer.send(message)
            except Exception:  # what cannot be pickled (an exception of a library): its text
                writer.send(_Failed(None, message.text if isinstance(message, _Failed) else traceback.format_exc()))
                return
            if message is None or isinstance(message, _Failed):
                return

    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    try:
        _start_worker(*initargs)
        while (chunk := _next_chunk(chunks, taken)) is not None:
            outbox.put(_render_chunk(chunk))
        outbox.put(None)
    except BaseException as error:  # sent back whole: the build reports it as it would its own
        outbox.put(_Failed(error, traceback.format_exc()))
    sender.join()
    writer.close()


class Outcome(NamedTuple):
    """What rendering one route gave besides its file; sent back from a worker (so: plain values)."""

    number: int  # the route's place in the list
    problems: list[Problem]
    claims: list[AnchorClaim]
    sources: tuple[str, ...] | None  # what it read, if recorded
    facts: tuple[str, ...] | None
    fragments: str = ""  # the stamp of the page's kept fragments, if it saved any (eventsite/fragments.py)
    file: bool = True  # False: the route gave no file (the share card of a page without its own text)
    notes: dict[str, Any] | None = None  # what post-build steps need of its file, by step (Finishing.note)


@dataclass
class Rendering:
    """What rendering every route gave besides the files, by output path."""

    problems_of: dict[str, list[Problem]] = field(default_factory=dict)
    claims_of: dict[str, list[AnchorClaim]] = field(default_factory=dict)  # links to #fragments, checked once all pages exist
    dependencies: dict[str, Recorder] = field(default_factory=dict)  # output path → what it read
    without_file: set[str] = field(default_factory=set)  # output paths of routes that gave no file
    notes: dict[str, dict[str, Any]] = field(default_factory=dict)  # step name → output path → its note (Finishing.note)
    # One Path per file read: a programme page reads every programme item's files, and making thousands
    # of Paths per listing page was seconds of a rebuild.
    _paths: dict[str, Path] = field(default_factory=dict)

    def add(self, route: Route, outcome: Outcome) -> None:
        if outcome.problems:
            self.problems_of[route.output_path] = outcome.problems
        if outcome.claims:
            self.claims_of[route.output_path] = outcome.claims
        if not outcome.file:
            self.without_file.add(route.output_path)
        if outcome.notes:
            for step, note in outcome.notes.items():
                self.notes.setdefault(step, {})[route.output_path] = note
        if outcome.sources is not None and outcome.facts is not None:
            paths = self._paths
            sources = {paths.get(source) or paths.setdefault(source, Path(source)) for source in outcome.sources}
            self.dependencies[route.output_path] = Recorder(sources, set(outcome.facts), outcome.fragments)

    def update(self, other: "Rendering") -> None:
        """Take in what rendering other routes gave (each output path is one route's)."""
        self.problems_of.update(other.problems_of)
        self.claims_of.update(other.claims_of)
        self.dependencies.update(other.dependencies)
        self.without_file.update(other.without_file)
        for step, notes in other.notes.items():
            self.notes.setdefault(step, {}).update(notes)

    @property
    def problems(self) -> list[Problem]:
        return sorted(problem for found in self.problems_of.values() for problem in found)

    @property
    def claims(self) -> list[AnchorClaim]:
        return [claim for found in self.claims_of.values() for claim in found]


def plan_chunks(routes: Sequence[Route], workers: int = 2) -> list[list[int]]:
    """Route numbers in the order workers take them: the whole-site pages first, one per chunk.

    A programme, feed or sitemap costs as much as a hundred single pages on a large site; queued
    last, two of them on one worker kept the other one idle at the end. Pages whose kinds are
    rendered together (PageKind.rendered_with) share one chunk, so the second takes what the
    first made; such a chunk goes first, as the largest. The single pages follow in chunks small
    enough that the workers end together: about four per worker, at most :data:`CHUNK` routes (a
    rebuild's hundred single pages in two chunks of 64 and 36 left one worker waiting for the other).
    """
    whole: dict[tuple[str, int], list[int]] = {}
    single = []
    for index, route in enumerate(routes):
        if route.key is not None:
            single.append(index)
        else:
            group = route.kind.rendered_with
            whole.setdefault((group, -1) if group else ("", index), []).append(index)
    size = max(1, min(CHUNK, -(-len(single) // (max(1, workers) * 4))))
    groups = sorted(whole.values(), key=len, reverse=True)  # stable: otherwise in the plan's order
    return groups + [single[start:start + size] for start in range(0, len(single), size)]


_routes: list[Route] = []
_record = False
_finishing = Finishing()


def _start_worker(
    renderer: Renderer, staged: StagedOutput, routes: list[Route], record: bool, finishing: Finishing, parent: int | None = None
) -> None:
    global _worker, _routes, _record, _finishing, _rendered
    if parent is not None:
        _die_with(parent)
    _worker = (renderer, staged)
    _routes, _record, _finishing = routes, record, finishing
    _rendered = 0
    gc.disable()  # the worker process is ours: _collect runs the collector between routes instead


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


def _render_chunk(indexes: list[int]) -> list[Outcome]:
    assert _worker is not None
    renderer, staged = _worker
    return _render_indexes(renderer, staged, _routes, indexes, _record, _finishing)


def _render_indexes(
    renderer: Renderer, staged: StagedOutput, routes: Sequence[Route], indexes: list[int], record: bool, finishing: Finishing,
    between: Callable[[], None] = lambda: None,
) -> list[Outcome]:
    """A chunk's routes, in a worker or in the build's own process, the collector run after each (``between`` too)."""
    outcomes = []
    for index in indexes:
        outcomes.append(_render_one(renderer, staged, routes[index], index, record, finishing))
        _collect()
        between()
    return outcomes


def _collect() -> None:
    """Collect the cycles a route left, once it is rendered.

    Every page leaves a few hundred objects in reference cycles (Jinja's macros and their context, a page and
    its views), so the collector must run. Left to itself it ran every 700 allocations, in the middle of a
    page, and scanned the page's live objects, again in older generations once they survived: ~1 s of a
    worker's 10 s in a full build at 10 × 300. Between routes, the young generation holds only what the
    last route left: its cycles and what it added to the worker's caches (docs/performance.md, thirteenth
    round).
    """
    global _rendered
    _rendered += 1
    gc.collect(2 if _rendered % COLLECT_ALL_EVERY == 0 else 1 if _rendered % COLLECT_MIDDLE_EVERY == 0 else 0)


def _render_one(renderer: Renderer, staged: StagedOutput, route: Route, index: int, record: bool, finishing: Finishing) -> Outcome:
    recorder = Recorder() if record else NullRecorder()
    output = render_route(renderer, route, recorder)
    file = output.data is not None
    notes = None
    if output.data is not None:
        data = output.data if finishing.finish is None else finishing.finish(route.output_path, output.data)
        staged.write(route.output_path, data)
        if finishing.note is not None:
            notes = finishing.note(route, data)
    if not record:
        return Outcome(index, output.problems, output.claims, None, None, file=file, notes=notes)
    return Outcome(
        index, output.problems, output.claims, tuple(map(str, recorder.sources)), tuple(recorder.facts), recorder.fragments, file, notes
    )
