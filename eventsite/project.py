"""Where a build reads from and writes to, and its switches: light values every command needs.

Kept free of heavy imports (Jinja, pydantic, Babel…) so that ``--help`` and
a build with nothing to do (eventsite/buildstate.py) start fast.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .theme import Theme


@dataclass(frozen=True)
class Project:
    """Where a build reads from and writes to."""

    content: Path
    output: Path
    theme: Theme
    base_url: str | None = None  # overrides site.yaml, e.g. for pull-request previews
    cache: Path | None = None  # speeds up later builds; never changes their output

    @classmethod
    def at(cls, root: Path, content: Path | None = None, output: Path | None = None, base_url: str | None = None) -> "Project":
        return cls(
            content=(content or root / "content"),
            output=(output or root / "site"),
            theme=Theme(templates=root / "templates", locales=root / "locales"),
            base_url=base_url,
            cache=root / ".cache" / "eventsite",
        )


@dataclass(frozen=True)
class BuildOptions:
    """Switches of one build: what it publishes (not what it reads), and how it runs."""

    minify: bool = False
    search: bool = True
    dev: bool = False  # the dev server: skip slow, publish-only steps
    workers: int | None = None  # render processes; None: as many as cores for large builds (same bytes either way)
    # Write the output even when pages have errors, and return them (check, into a temporary folder).
    keep_going: bool = False
    # The process ends with this build (the command line): what it loads is frozen out of the
    # cycle collector's scans (build.settle). Not for the dev server, which lives on and frees.
    one_shot: bool = False
