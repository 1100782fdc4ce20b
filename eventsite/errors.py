"""Errors that point at a place in the content: ``path:line:col: message``.

Every stage collects problems into a list instead of stopping at the first,
so an editor sees everything wrong with a pull request in one run.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Iterable, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input, located as precisely as we can."""

    path: str  # relative to the project (or absolute when outside it)
    line: int  # 1-based; 0 when the whole file is meant
    message: str
    column: int = 0
    severity: Severity = "error"

    def format(self) -> str:
        where = self.path
        if self.line:
            where += f":{self.line}"
            if self.column:
                where += f":{self.column}"
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{where}: {prefix}{self.message}"

    def __str__(self) -> str:
        return self.format()


class BuildError(Exception):
    """Raised by a stage with every problem it found."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(set(problems))
        super().__init__("\n".join(p.format() for p in self.problems))


def display_path(path: Path, root: Path) -> str:
    """The path as an editor can open it: relative to the working directory when the file is below
    it (clickable in terminals and editors), else relative to the project (``root``'s parent).

    String prefixes rather than Path.relative_to: it is called for every file a build reads.
    """
    text = os.fspath(path)
    try:
        bases = [os.getcwd(), os.fspath(root.parent)]
    except OSError:  # the working directory was deleted
        bases = [os.fspath(root.parent)]
    for base in bases:
        if text == base:
            return "."
        prefix = base if base.endswith(os.sep) else base + os.sep
        if os.path.isabs(text) == os.path.isabs(base) and text.startswith(prefix) and base != ".":
            return PurePath(text[len(prefix):]).as_posix()
    return path.as_posix()


def relative_to_cwd(path: Path) -> str:
    """``path`` as typed from the working directory ('site', '../out'), or absolute when far away."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix() or "."
    except (ValueError, OSError):
        return path.as_posix()


def did_you_mean(value: object, known: Iterable[str]) -> str:
    """' (did you mean 'x'?)' for the closest of ``known``, or '' when none is close."""
    if not isinstance(value, str) or not value:
        return ""
    candidates = list(known)
    by_fold = {candidate.casefold(): candidate for candidate in candidates}
    if value.casefold() in by_fold and by_fold[value.casefold()] != value:
        return f" (did you mean {by_fold[value.casefold()]!r}?)"
    found = difflib.get_close_matches(value, candidates, n=1, cutoff=0.7)
    return f" (did you mean {found[0]!r}?)" if found else ""
