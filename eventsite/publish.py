"""Stage 6b, publish: steps that run over the whole staged output before it is swapped in.

Things that need every page to exist first — a search index, asset
fingerprints, host configuration files — are steps in one table,
:data:`POST_BUILD_STEPS`, run in order by :func:`run_post_build`. Each step
works on the staged folder only, so a failing step leaves the live output
untouched like any other build error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from .admin import publish_admin
from .entries import Site
from .errors import Problem
from .fingerprint import fingerprint_assets
from .hosting import write_host_files
from .minify import minify_output
from .routes import RoutePlan
from .search import index_site

if TYPE_CHECKING:
    from .render import Renderer


@dataclass(frozen=True)
class BuildOptions:
    """Switches of one build that change what is published (not what is read)."""

    minify: bool = False
    search: bool = True
    dev: bool = False  # the dev server: skip slow, publish-only steps
    workers: int | None = None  # render processes; None: as many as cores for large builds (same bytes either way)
    # Write the output even when pages have errors, and return them (check, into a temporary folder).
    keep_going: bool = False


@dataclass
class Finished:
    """What a post-build step sees: the model, the routes and the staged folder."""

    site: Site
    plan: RoutePlan
    root: Path  # the staged output folder
    options: BuildOptions
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # one-line remarks for the build summary
    renderer: "Renderer | None" = None  # for steps that render more from the model
    cache: Path | None = None  # the project's cache folder, if it has one
    # Top-level folders published with a Content-Security-Policy of their own (admin/: the web editor),
    # kept out of the site's policy header (hosting.py).
    own_policies: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class PostBuildStep:
    name: str
    run: Callable[[Finished], None]
    in_dev: bool = True  # also run by the dev server's full builds


POST_BUILD_STEPS: tuple[PostBuildStep, ...] = (
    # First: it reads the pages as rendered; /pagefind/ names its own files by content hash.
    PostBuildStep("search", index_site, in_dev=False),  # eventsite/search.py; ~1 s for the Busan site
    # Published builds only: the dev server's incremental updates run no step, so its output must not need them.
    PostBuildStep("minify", minify_output, in_dev=False),  # eventsite/minify.py: --minify only; before the hashes
    PostBuildStep("fingerprint", fingerprint_assets, in_dev=False),  # eventsite/fingerprint.py: hashes final bytes
    # After search, minify and fingerprint, which leave a third-party app alone; also in the dev server,
    # where an editor can open /admin/ on 127.0.0.1 and work on the checkout (docs/editing.md).
    PostBuildStep("admin", publish_admin),  # eventsite/admin.py: the web editor, when site.yaml asks for it
    PostBuildStep("host-files", write_host_files, in_dev=False),  # eventsite/hosting.py: reads the CSP of the pages
)


def run_post_build(finished: Finished) -> None:
    for step in POST_BUILD_STEPS:
        if finished.options.dev and not step.in_dev:
            continue
        step.run(finished)
