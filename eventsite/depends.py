"""What each output was made from, for incremental rebuilds.

A :class:`Recorder` is handed explicitly to everything that reads content
while a page renders (never a global), and collects the files that page
touched. Lektor's builder works the same way; our record is kept in memory
by the dev server and compared against changed paths.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Recorder:
    sources: set[Path] = field(default_factory=set)
    facts: set[str] = field(default_factory=set)
    active = True

    def record(self, *paths: Path) -> None:
        self.sources.update(paths)

    def record_fact(self, fact: str) -> None:
        self.facts.add(fact)


class NullRecorder(Recorder):
    active = False

    def record(self, *paths: Path) -> None:  # a full build needs no record
        return None

    def record_fact(self, fact: str) -> None:
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
