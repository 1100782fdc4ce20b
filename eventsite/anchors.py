"""Links to a ``#fragment`` of another page: every one must find an element with that id.

While pages render, each Markdown link with a fragment becomes a claim (the
file it points at, the id it expects, where it was written); once every page
of a build is in its staging folder, :func:`anchor_problems` reads the ids of
just the pages claimed and reports each claim that fails, at its content
file and line. ``build`` and ``check`` report the same problems.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from .errors import Problem

_ID = re.compile(rb"""\s(?:id|name)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+))""")


@dataclass(frozen=True)
class AnchorClaim:
    """A content link to ``#fragment`` on the page written to ``target`` (below the output folder)."""

    document: str  # display path of the content file
    line: int
    written: str  # the link as the editor wrote it, e.g. /schedule/#day-2
    target: str  # output file, e.g. en/schedule/index.html
    fragment: str

    def problem(self) -> Problem:
        return Problem(self.document, self.line, f"link to {self.written}: the page has no element with id {self.fragment!r}")


def ids_of(data: bytes) -> set[str]:
    """The ids (and <a name>s) of an HTML page we wrote (well-formed, attributes quoted)."""
    return {html.unescape((double or single or bare).decode("utf-8", "replace")) for double, single, bare in _ID.findall(data)}


def anchor_problems(root: Path | Callable[[str], Path], claims: Iterable[AnchorClaim]) -> list[Problem]:
    """One problem per claim whose target page (in ``root``, or where ``root`` says it is) has no such id; 'top' always exists."""
    found: set[Problem] = set()
    ids: dict[str, set[str]] = {}
    for claim in claims:
        if claim.fragment.lower() == "top":
            continue
        if claim.target not in ids:
            path = root / claim.target if isinstance(root, Path) else root(claim.target)
            ids[claim.target] = ids_of(path.read_bytes()) if path.is_file() else set()
        if claim.fragment not in ids[claim.target]:
            found.add(claim.problem())
    return sorted(found)
