"""Build progress on a terminal, plain lines elsewhere, and per-phase timings.

Nothing is shown for a build that finishes quickly: the bar appears only
once a phase has run for ``DELAY`` seconds, so the editor's everyday build
stays one summary line. ``EVENTSITE_PROGRESS=off`` in the environment
turns the lines off (the test suite does: on a loaded machine a small build
is slow enough to print them between the errors the tests read).
"""

from __future__ import annotations

import os
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Iterator, TextIO

DELAY = 2.0  # seconds before anything is shown


@dataclass
class Progress:
    stream: TextIO | None = None  # None: silent (library use, tests)
    timings: dict[str, float] = field(default_factory=dict)
    _phase: str = ""
    _total: int = 0
    _done: int = 0
    _started: float = 0.0
    _build_started: float = field(default_factory=time.perf_counter)
    _last_draw: float = 0.0
    _last_line: int = -1

    @property
    def is_terminal(self) -> bool:
        return self.stream is not None and self.stream.isatty()

    @contextmanager
    def phase(self, name: str, total: int = 0) -> Iterator["Progress"]:
        self._phase, self._total, self._done = name, total, 0
        self._started = time.perf_counter()
        try:
            yield self
        finally:
            elapsed = time.perf_counter() - self._started
            self.timings[name] = self.timings.get(name, 0.0) + elapsed
            if self.is_terminal and self._last_draw:
                self.stream.write("\r\033[K")  # type: ignore[union-attr]
                self.stream.flush()  # type: ignore[union-attr]
            elif self.stream is not None and not self.is_terminal and self._shown():
                print(f"{name}: done in {elapsed:.2f} s", file=self.stream, flush=True)
            self._last_draw = 0.0
            self._last_line = -1

    def advance(self, count: int = 1) -> None:
        self._done += count
        if self.stream is None or not self._shown():
            return
        now = time.perf_counter()
        if self.is_terminal:
            if now - self._last_draw < 0.1 and self._done < self._total:
                return
            self._last_draw = now
            share = self._done / self._total if self._total else 0.0
            bar = "#" * int(share * 30)
            self.stream.write(f"\r\033[K{self._phase:<8} [{bar:<30}] {self._done}/{self._total}")
            self.stream.flush()
        else:
            quarter = int(4 * self._done / self._total) if self._total else 0
            if quarter > self._last_line:
                self._last_line = quarter
                print(f"{self._phase}: {self._done}/{self._total}", file=self.stream, flush=True)

    def _shown(self) -> bool:
        return time.perf_counter() - self._build_started >= DELAY

    def table(self) -> str:
        """The per-phase timing table printed by ``--timings``."""
        total = sum(self.timings.values()) or 1.0
        lines = [f"{'phase':<10}{'seconds':>9}{'share':>8}"]
        for name, seconds in self.timings.items():
            lines.append(f"{name:<10}{seconds:>9.3f}{seconds / total:>8.0%}")
        lines.append(f"{'total':<10}{total:>9.3f}")
        return "\n".join(lines)


def stderr_progress() -> Progress:
    """The command line's progress: on stderr, unless EVENTSITE_PROGRESS=off (timings are still kept)."""
    if os.environ.get("EVENTSITE_PROGRESS", "").lower() in ("off", "0", "no"):
        return Progress()
    return Progress(stream=sys.stderr)
