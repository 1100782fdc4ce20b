"""Stage 6b, publish: steps that run over the whole staged output before it is swapped in.

Things that need every page to exist first — a search index, the offline
worker, host configuration files — are steps in one table,
:data:`POST_BUILD_STEPS`, run in order by :func:`run_post_build`. Each step
works on the staged folder only, so a failing step leaves the live output
untouched like any other build error.

Two steps change the pages themselves (minify, asset fingerprints). They
have a per-page form that the render stage applies to each page as it is
written (:func:`page_finisher`), in full builds and rebuilds alike, after
their whole-folder form has run over the static assets alone
(:func:`prepare_assets`): reading every page back and writing it again was a
second write of the whole site.

Steps that read every page once it is written (the offline worker, the host
files) say what they need of a page in a ``note`` of its bytes, which the
process that writes the page takes (:class:`~eventsite.parallel.Finishing`);
they read only the pages no note covers (a rebuild's kept pages, through
their memos).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from .admin import FOLDER as ADMIN_FOLDER, publish_admin
from .entries import Site
from .errors import Problem
from .project import BuildOptions
from .fingerprint import fingerprint_assets, fingerprint_page
from .hosting import HOST_FILES, note_policy, write_host_files
from .minify import minify_assets, minify_page
from .offline import WORKER, note_offline_page, publish_offline
from .parallel import Finishing
from .routes import Route, RoutePlan
from .search import BUNDLE, index_site

if TYPE_CHECKING:
    from .render import Renderer


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
    assets: dict[str, str] = field(default_factory=dict)  # static/x.css → static/x.1a2b3c4d.css (the fingerprint step)
    # Top-level folders published with a Content-Security-Policy of their own (admin/: the web editor),
    # kept out of the site's policy header (hosting.py).
    own_policies: dict[str, str] = field(default_factory=dict)
    # The files below root (relative path → [size, mtime_ns]) when the build already knows them (an
    # in-place rebuild: the last listing with its changes), so steps need not walk 6,000 folders.
    listing: dict[str, list[int]] | None = None
    # With ``listing``: the files below root this build wrote or removed (an in-place rebuild's new pages).
    # Every other file is as the last build left it (the build state checked the folder against it).
    changed: frozenset[str] | None = None
    # Step name → output path → what the step's ``note`` took from the file as it was written (this build's files only).
    page_notes: dict[str, dict[str, Any]] = field(default_factory=dict)

    def noted(self, step: str) -> dict[str, Any]:
        return self.page_notes.get(step, {})


@dataclass(frozen=True)
class PostBuildStep:
    name: str
    # Over the staged folder once every page is written; for a step with a page form, over the
    # static assets only, before any page is rendered (the pages link to the names it gives them).
    run: Callable[[Finished], None]
    in_dev: bool = True  # also run by the dev server's full builds
    # The step's work on one rendered file (output path, bytes → bytes), applied as it is written.
    # A rebuild (eventsite/rebuild.py) renders a few pages again: it applies the page forms to those
    # pages only, and runs every other step again over the whole folder, after the files it writes
    # (``writes``; folders end in '/') are removed.
    page: Callable[[Finished, str, bytes], bytes] | None = None
    # What the step needs of each file the render stage writes (route, final bytes → a plain value, or None:
    # nothing), taken by the process that writes it; the step finds it in Finished.noted(name).
    note: Callable[[Route, bytes], Any] | None = None
    notes_wanted: Callable[[Finished], bool] = lambda finished: True  # whether this build's run of the step reads them
    writes: tuple[str, ...] = ()
    # Whether a rebuild may run the step again over the live output, after the new pages are in:
    # its files are written by rename and only when they change. A step that rewrites a whole folder
    # (a search bundle) is not: a rebuild that needs it ("wanted") copies the output and swaps it instead.
    in_place: bool = True
    wanted: Callable[[Finished], bool] = lambda finished: True


POST_BUILD_STEPS: tuple[PostBuildStep, ...] = (
    # Published builds only: the dev server's incremental updates run no step, so its output must not need them.
    PostBuildStep("minify", minify_assets, in_dev=False, page=minify_page),  # eventsite/minify.py: --minify only; before the hashes
    PostBuildStep("fingerprint", fingerprint_assets, in_dev=False, page=fingerprint_page),  # eventsite/fingerprint.py: hashes final bytes
    # After minify and fingerprint: the worker's version is a digest of the pages and assets as published.
    # Also in the dev server, which gets manifests and a worker that keeps nothing (eventsite/offline.py).
    # A rebuild keeps the manifests (offline/): only a full build can change them.
    PostBuildStep("offline", publish_offline, note=note_offline_page, writes=(WORKER,),
                  notes_wanted=lambda finished: not finished.options.dev),  # the dev server's worker keeps nothing
    # It reads the pages as published; /pagefind/ names its own files by content hash.
    PostBuildStep("search", index_site, in_dev=False, writes=(BUNDLE + "/",), in_place=False,
                  wanted=lambda finished: finished.options.search),  # eventsite/search.py; ~1 s for the Busan site
    # After search, minify and fingerprint, which leave a third-party app alone; also in the dev server,
    # where an editor can open /admin/ on 127.0.0.1 and work on the checkout (docs/editing.md).
    PostBuildStep("admin", publish_admin, writes=(ADMIN_FOLDER + "/",), in_place=False,
                  wanted=lambda finished: finished.site.config.admin is not None),  # eventsite/admin.py: the web editor, when site.yaml asks for it
    PostBuildStep("host-files", write_host_files, in_dev=False, note=note_policy, writes=tuple(sorted(HOST_FILES))),  # eventsite/hosting.py: reads the CSP of the pages
)


def steps_of(options: BuildOptions) -> list[PostBuildStep]:
    """The steps a build with these options runs (the dev server's skip the published-only ones)."""
    return [step for step in POST_BUILD_STEPS if step.in_dev or not options.dev]


def prepare_assets(finished: Finished) -> None:
    """The page-changing steps' work on the static assets, before any page is rendered."""
    for step in steps_of(finished.options):
        if step.page is not None:
            step.run(finished)


def page_finisher(finished: Finished) -> Finishing:
    """What the render stage does with each file it writes: the page forms of the steps, in order, then their notes."""
    steps = steps_of(finished.options)
    forms = [step.page for step in steps if step.page is not None]
    notes = [(step.name, step.note) for step in steps if step.note is not None and step.notes_wanted(finished)]

    def finish(output_path: str, data: bytes) -> bytes:
        for form in forms:
            data = form(finished, output_path, data)
        return data

    def note(route: Route, data: bytes) -> dict[str, Any]:
        taken = {}
        for name, take in notes:
            found = take(route, data)
            if found is not None:
                taken[name] = found
        return taken

    return Finishing(finish if forms else None, note if notes else None)


def run_post_build(finished: Finished) -> None:
    """The steps that need every page written: all but the page-changing ones (run as the pages were rendered)."""
    for step in steps_of(finished.options):
        if step.page is None:
            step.run(finished)
