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
