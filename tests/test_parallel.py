"""eventsite/parallel.py: how a worker collects the cycles its routes leave (the rest: test_render.py, test_write.py)."""

from __future__ import annotations

import gc
import multiprocessing
import os
import time
import weakref
from typing import Any, Callable, Iterator

import pytest

from eventsite import parallel


class Node:
    """Stands for a page's objects: made in a cycle, as Jinja's macros and their context are."""

    def __init__(self) -> None:
        self.itself = self


@pytest.fixture
def as_in_a_worker(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[weakref.ref[Any]]]:
    """_render_chunk with the collector off (as _start_worker leaves a worker), each route leaving a cycle."""
    left: list[weakref.ref[Any]] = []

    def render_one(*arguments: Any) -> parallel.Outcome:
        left.append(weakref.ref(Node()))
        return parallel.Outcome(arguments[3], [], [], None, None)

    monkeypatch.setattr(parallel, "_worker", (object(), object()))
    monkeypatch.setattr(parallel, "_routes", [None] * 3)
    monkeypatch.setattr(parallel, "_rendered", 0)
    monkeypatch.setattr(parallel, "_render_one", render_one)
    was_enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        yield left
    finally:
        if was_enabled:
            gc.enable()


def test_a_worker_collects_each_routes_cycles(as_in_a_worker: list[weakref.ref[Any]]) -> None:
    outcomes = parallel._render_chunk([0, 1, 2])
    assert [outcome.number for outcome in outcomes] == [0, 1, 2]
    assert len(as_in_a_worker) == 3
    assert all(reference() is None for reference in as_in_a_worker)


def test_without_the_collection_the_cycles_stay(as_in_a_worker: list[weakref.ref[Any]], monkeypatch: pytest.MonkeyPatch) -> None:
    # What the test above guards against: with the collector off, nothing else frees them.
    monkeypatch.setattr(parallel, "_collect", lambda: None)
    parallel._render_chunk([0, 1, 2])
    assert all(reference() is not None for reference in as_in_a_worker)


def test_older_generations_are_collected_now_and_then(monkeypatch: pytest.MonkeyPatch) -> None:
    generations: list[int] = []

    def collect(generation: int = 2) -> int:
        generations.append(generation)
        return 0

    monkeypatch.setattr(parallel.gc, "collect", collect)
    monkeypatch.setattr(parallel, "_rendered", 0)
    for _ in range(2 * parallel.COLLECT_ALL_EVERY):
        parallel._collect()
    everything = [number for number, generation in enumerate(generations, start=1) if generation == 2]
    middle = [number for number, generation in enumerate(generations, start=1) if generation == 1]
    assert everything == [parallel.COLLECT_ALL_EVERY, 2 * parallel.COLLECT_ALL_EVERY]
    assert middle == [number for number in range(1, 2 * parallel.COLLECT_ALL_EVERY + 1)
                      if number % parallel.COLLECT_MIDDLE_EVERY == 0 and number % parallel.COLLECT_ALL_EVERY != 0]
    assert generations.count(0) == 2 * parallel.COLLECT_ALL_EVERY - len(everything) - len(middle)


def test_chunks_put_grouped_whole_site_pages_first_and_split_single_pages_by_worker() -> None:
    """The exports rendered together go first (the largest chunk); single pages come after, in
    chunks of about a quarter of a worker's share, so that the workers end together."""
    from eventsite.routes import PageKind, Route

    def kind(name: str, rendered_with: str = "") -> PageKind:
        return PageKind(name, name, None, lambda key: f"/{name}/{key or ''}", lambda site: [None], rendered_with=rendered_with)

    home, export, page = kind("home"), kind("schedule-xml", "schedule"), kind("page")
    other_export = kind("schedule-json", "schedule")
    routes = [Route(home, "en", None, f"/en/{index}/") for index in range(3)]
    routes += [Route(page, "en", f"item-{index}", f"/en/item-{index}/") for index in range(100)]
    routes += [Route(export, None, None, "/schedule.xml"), Route(other_export, None, None, "/schedule.json")]
    chunks = parallel.plan_chunks(routes, workers=2)
    assert chunks[0] == [103, 104]
    assert chunks[1:4] == [[0], [1], [2]]
    singles = chunks[4:]
    assert [number for chunk in singles for number in chunk] == list(range(3, 103))
    assert {len(chunk) for chunk in singles[:-1]} == {13}  # 100 pages, 2 workers: ⌈100 / 8⌉
    assert max(len(chunk) for chunk in parallel.plan_chunks(routes[3:103] * 100, workers=2)) == parallel.CHUNK


# --- rendering in this process and in forked workers ------------------------------------------------------


class QuietRenderer:
    def warm_up(self, routes: Any) -> None:
        pass


def single_routes(count: int) -> list[Any]:
    from eventsite.routes import PageKind, Route

    page = PageKind("page", "page", None, lambda key: f"/en/{key}/", lambda site: [None])
    return [Route(page, "en", f"item-{index}", f"/en/item-{index}/") for index in range(count)]


def rendered_by_pid(renderer: Any, staged: Any, route: Any, index: int, record: bool, finishing: Any) -> parallel.Outcome:
    time.sleep(0.002)  # long enough that the worker, once forked, takes chunks too
    return parallel.Outcome(index, [], [], None, None, notes={"by": os.getpid()})


def test_this_process_and_the_workers_share_the_routes_each_rendered_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "_render_one", rendered_by_pid)
    routes = single_routes(400)
    advanced: list[int] = []
    rendering = parallel.render_routes(QuietRenderer(), routes, object(), record=False, workers=2, advance=advanced.append)  # type: ignore[arg-type]
    by = rendering.notes["by"]
    assert sorted(by) == sorted(route.output_path for route in routes) and sum(advanced) == 400
    assert os.getpid() in by.values() and len(set(by.values())) == 2  # this process and one worker
    assert gc.isenabled()  # as it was before


def failing_at(number: int, failure: Callable[[], Any]) -> Callable[..., parallel.Outcome]:
    def render_one(renderer: Any, staged: Any, route: Any, index: int, record: bool, finishing: Any) -> parallel.Outcome:
        if index == number:
            failure()
        return parallel.Outcome(index, [], [], None, None)
    return render_one


class Unpicklable(Exception):
    def __reduce__(self) -> Any:
        raise TypeError("not this one")


def dying_in_a_worker(renderer: Any, staged: Any, route: Any, index: int, record: bool, finishing: Any) -> parallel.Outcome:
    if multiprocessing.parent_process() is not None:  # a worker dies without a word, as under the OOM killer
        os._exit(3)
    time.sleep(0.005)  # this process renders slowly enough that the worker, once forked, takes a chunk
    return parallel.Outcome(index, [], [], None, None)


@pytest.mark.parametrize(("failure", "raised", "message"), [
    (lambda: (_ for _ in ()).throw(ValueError("page 7 failed")), ValueError, "page 7 failed"),  # as itself
    (lambda: (_ for _ in ()).throw(Unpicklable("page 7")), (Unpicklable, RuntimeError), "page 7"),  # or as its text
])
def test_a_failure_in_a_worker_or_here_is_raised_by_the_build(
    monkeypatch: pytest.MonkeyPatch, failure: Callable[[], Any], raised: Any, message: str,
) -> None:
    monkeypatch.setattr(parallel, "_render_one", failing_at(7, failure))
    with pytest.raises(raised, match=message):
        parallel.render_routes(QuietRenderer(), single_routes(40), object(), record=False, workers=2)  # type: ignore[arg-type]
    assert gc.isenabled()


def test_a_worker_that_dies_is_an_error_not_a_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    """A Pool waits forever for the chunk of a worker the kernel killed; this build says so and stops."""
    monkeypatch.setattr(parallel, "_render_one", dying_in_a_worker)
    monkeypatch.setattr(parallel, "plan_chunks", lambda routes, workers: [[number] for number in range(len(routes))])
    with pytest.raises(RuntimeError, match=r"ended unexpectedly \(exit code 3\)"):
        parallel.render_routes(QuietRenderer(), single_routes(100), object(), record=False, workers=2)  # type: ignore[arg-type]
    assert gc.isenabled()
