"""What each output was made from, for incremental rebuilds.

A :class:`Recorder` is handed explicitly to everything that reads content
while a page renders (never a global), and collects the files that page
touched. Lektor's builder works the same way; our record is kept in memory
by the dev server and compared against changed paths.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, NamedTuple, TypeVar

V = TypeVar("V")
Items = tuple[Path | str, ...]  # what a part read, in order: files (Path) and facts (str)


class Reads(NamedTuple):
    """What one part of a page read (a kept fragment, a view's cached value): recorded again when reused.

    A named tuple, not a frozen dataclass: a rebuild makes one for each of ~40,000 kept parts it reads,
    and a tuple is made five times faster."""

    sources: frozenset[Path] = frozenset()
    facts: frozenset[str] = frozenset()

    def stale(self, sources: frozenset[Path] | set[Path], facts: frozenset[str] | set[str]) -> bool:
        """Whether any of these changed files or facts was read."""
        return not self.sources.isdisjoint(sources) or not self.facts.isdisjoint(facts)


class Part:
    """What a captured block read (:meth:`Recorder.capture`), filled in when it ends."""

    items: Items = ()

    @property
    def sources(self) -> set[Path]:
        return {item for item in self.items if isinstance(item, Path)}

    @property
    def facts(self) -> set[str]:
        return {item for item in self.items if isinstance(item, str)}

    def reads(self) -> Reads:
        return Reads(frozenset(self.sources), frozenset(self.facts))


@dataclass
class Recorder:
    sources: set[Path] = field(default_factory=set)
    facts: set[str] = field(default_factory=set)
    fragments: str = ""  # the version of the page's kept fragments saved by this build (eventsite/fragments.py), if any
    # Every read in order while a part is being made, so that the part (a kept fragment, a cached value being
    # made) takes what it read as a slice from where it began: cheap enough for the ~200,000 cached values of a
    # build. Reads while no part is open are the page's alone (its sets have them), and the log starts again.
    _log: list[Path | str] = field(default_factory=list, repr=False, compare=False)
    _open: int = field(default=0, repr=False, compare=False)  # parts being made
    active = True

    def record(self, *paths: Path) -> None:
        self.sources.update(paths)
        if self._open:
            self._log.extend(paths)

    def record_fact(self, fact: str) -> None:
        self.facts.add(fact)
        if self._open:
            self._log.append(fact)

    @property
    def capturing(self) -> bool:
        """Whether a part of the page is being made (then cached values record their reads again)."""
        return self._open > 0

    def begin(self) -> int:
        """Start a part: what is read until :meth:`end` is the part's (the page's record gets it too)."""
        if not self._open:
            self._log.clear()  # no part holds a place in it
        self._open += 1
        return len(self._log)

    def end(self, mark: int) -> Items:
        self._open -= 1
        return tuple(self._log[mark:])

    @contextmanager
    def capture(self) -> Iterator[Part]:
        """The block as a part: the yielded :class:`Part` holds what it read once the block ends."""
        part = Part()
        mark = self.begin()
        try:
            yield part
        finally:
            part.items = self.end(mark)

    def replay(self, reads: Reads) -> None:
        """Record again what a reused part read (into the page and every part being made around it)."""
        self.sources.update(reads.sources)
        self.facts.update(reads.facts)
        if self._open:
            self._log.extend(reads.sources)
            self._log.extend(reads.facts)

    def replay_items(self, items: Items) -> None:
        for item in items:
            if isinstance(item, str):
                self.facts.add(item)
            else:
                self.sources.add(item)
        if self._open:
            self._log.extend(items)

    def reading(self, compute: Callable[[], V]) -> tuple[V, Items]:
        """``compute()`` and what it read (recorded into the page and the parts being made as well)."""
        mark = self.begin()
        try:
            value = compute()
        finally:
            items = self.end(mark)
        return value, items

    def memo(self, store: dict[Any, tuple[V, Items]], key: Any, compute: Callable[[], V], keep: Callable[[V], bool] = lambda value: True) -> V:
        """``store[key]``, made by ``compute()`` the first time (and kept if ``keep`` says so).

        What making it read is kept with it and recorded again on every later use while a part is
        being made: a value cached on a page or a view may first be made outside the kept fragment
        that uses it (eventsite/fragments.py), and the fragment's record must still name what it
        depends on (and so must any cached value made from it).
        """
        found = store.get(key)
        if found is not None:
            if self._open:
                self.replay_items(found[1])
            return found[0]
        value, items = self.reading(compute)
        if keep(value):
            store[key] = (value, items)
        return value


class NullRecorder(Recorder):
    active = False

    def record(self, *paths: Path) -> None:  # a full build needs no record
        return None

    def record_fact(self, fact: str) -> None:
        return None

    def replay(self, reads: Reads) -> None:
        return None

    def replay_items(self, items: Items) -> None:
        return None


class DependencyIndex:
    """Every output's record, and the reverse: which outputs read a file or a fact.

    The reverse maps make finding the stale outputs of an edit cost in
    proportion to what the edit touched, not to the size of the site.
    """

    def __init__(self, records: dict[str, Recorder]):
        self.records: dict[str, Recorder] = {}
        self._by_source: dict[Path, set[str]] = {}
        self._by_fact: dict[str, set[str]] = {}
        for output, recorder in records.items():
            self.put(output, recorder)

    def put(self, output: str, recorder: Recorder) -> None:
        self.remove(output)
        self.records[output] = recorder
        for source in recorder.sources:
            self._by_source.setdefault(source, set()).add(output)
        for fact in recorder.facts:
            self._by_fact.setdefault(fact, set()).add(output)

    def remove(self, output: str) -> None:
        old = self.records.pop(output, None)
        if old is None:
            return
        for source in old.sources:
            self._by_source[source].discard(output)
        for fact in old.facts:
            self._by_fact[fact].discard(output)

    def has_source(self, source: Path) -> bool:
        """Whether any output read ``source``."""
        return bool(self._by_source.get(source))

    def readers(self, sources: set[Path], facts: set[str]) -> set[str]:
        """The outputs that read any of ``sources`` or ``facts``."""
        found: set[str] = set()
        for source in sources:
            found |= self._by_source.get(source, set())
        for fact in facts:
            found |= self._by_fact.get(fact, set())
        return found
