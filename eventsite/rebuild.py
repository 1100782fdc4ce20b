"""Render again only what changed since the last command-line build (its state: eventsite/buildstate.py).

The dev server keeps its last build in memory (eventsite/incremental.py);
this is the same idea for ``build.py`` run again and again, by an editor or
by CI with a cache:

- nothing changed: nothing is done (eventsite/commands/build.py stops after
  comparing, before this module is even imported);
- content documents or page templates changed: the model is loaded again
  (the Markdown cache keeps that cheap), the facts are compared, and the
  pages that read a changed file or fact are rendered again into a copy of
  the output made of hard links. Minify and fingerprints are applied to those
  pages alone; the steps over the whole site (search index, host files) run
  again over the copy; then the copy is swapped in like a full build's
  folder, so a failure leaves the output as it was;
- anything else (site.yaml, catalogs, static files, media, a file no page
  read): a full build, and the summary says why.

Either way the bytes are those of a full build (tests/test_rebuild.py
checks it with random edits), and the new state is saved.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Callable, Iterable

from . import contentcache
from .anchors import AnchorClaim, anchor_problems
from .build import BuildResult, Caches, build_site, prepare, settle
from .buildstate import (
    BuildState, PageRecord, Previous, build_key, fragment_folder, holds_any, pack, save, scan_outputs, unpack, updated_outputs,
)
from .cache import DiskCache
from .contentpath import parse_path
from .depends import Recorder
from .errors import BuildError, Problem, display_path
from .fragments import FragmentStore, forget_resolved_paths, normal_path
from .incremental import affected_sources, site_facts
from .l10n import load_translations
from .load import MEDIA_FOLDER, SITE_FILE
from .parallel import default_workers, render_routes, weight
from .entries import Site
from .routes import RoutePlan, route_changes
from .paths import is_below
from .progress import Progress
from .project import BuildOptions, Project
from .publish import Finished, PostBuildStep, page_finisher, steps_of
from .render import Renderer
from .write import PatchedOutput, StagedOutput, check_output_folder, count_files


class FullBuildNeeded(Exception):
    """This change cannot be traced to the pages it touches; the message says why."""


def build_with_state(project: Project, options: BuildOptions, previous: Previous, progress: Progress) -> BuildResult:
    """A rebuild when the last build's state allows it, else a full build; then the new state is saved."""
    reason = previous.reason
    result: BuildResult | None = None
    started_ns, key = time.time_ns(), build_key(project, options)
    forget_resolved_paths()
    folder = fragment_folder(project)
    fragments = FragmentStore(folder, FragmentStore.new_stamp()) if folder is not None else None  # reusing none yet
    if previous.compared:  # also for a full build after the output was deleted: the inputs were compared
        caches = contentcache.restore(project, key, previous.changed)  # the files parsed last time, where unchanged
    else:
        caches = Caches.for_project(project)  # with no state of this key, nothing says which files changed
    try:
        if previous.state is not None and reason is None:
            try:
                result = rebuild_site(project, options, previous, progress, caches, fragments)
            except FullBuildNeeded as needed:
                reason = str(needed)
        if result is None:
            result = build_site(
                project, options=options, progress=progress, record_dependencies=True, caches=caches, fragments=fragments,
                reuse_fragments=kept_for_full_build(project, previous, fragments) if previous.state is None else None,  # not when a rebuild could not trace the change
            )
            if reason:
                result.notes.insert(0, f"full build: {reason}")
    finally:
        # Also after a failed build: what each file parsed to does not depend on the others.
        contentcache.keep(project, key, caches, started_ns)
    save(project, state_of(project, options, result, previous.inputs, previous.state if result.rewritten is not None else None, key))
    return result


def rebuild_site(
    project: Project, options: BuildOptions, previous: Previous, progress: Progress, caches: Caches | None = None,
    fragments: FragmentStore | None = None,
) -> BuildResult:
    started = time.perf_counter()
    state = previous.state
    assert state is not None
    index = SavedIndex(state)
    content = project.content.resolve()
    reason = full_build_reason(project, previous.changed, index)
    if reason is not None:
        raise FullBuildNeeded(reason)
    check_output_folder(project.output, [project.content, *project.theme.watched])
    caches = caches or Caches.for_project(project)
    with progress.phase("load"):
        prepared = prepare(project, caches, options)
        settle(options)
    site, plan, images = prepared.site, prepared.plan, prepared.images
    if sorted(site.countries_named) != state.flags:
        raise FullBuildNeeded("the countries the pages show changed (their flags are published with the site)")

    digests = fact_digests(site)  # once: the new state saves them too (~30 ms at 10 × 300: a digest per document)
    changed_facts = facts_changed(state, digests, plan)
    urls, urls_before = plan.by_url.keys(), state.pages.keys()
    stale_urls = (urls - urls_before) | (index.readers(affected_sources(previous.changed, content), changed_facts) & urls)
    stale = [route for route in plan.routes if route.url in stale_urls]
    if fragments is not None:  # the parts of stale pages whose reads did not change are reused
        fragments = reusing(fragments, project, state, previous.changed, changed_facts, stale_urls & urls_before)
    removed = urls_before - urls
    kept_urls = urls - stale_urls

    whole_site_steps = [step for step in steps_of(options) if step.page is None]
    rewritten = stale or removed
    replaced = {state.pages[url].output for url in (stale_urls & urls_before) | removed}
    gone = {state.pages[url].output for url in removed}  # files to delete: those no route of this build writes
    if gone:  # (every route's output path: 15,000 of them, for the rare rebuild that removes a page)
        gone -= {route.output_path for route in plan.routes}

    problems: list[Problem] = [problem for problem in images.problems]
    # Only pages that have some (as parallel.render_routes keeps them): most have none.
    kept_records = [state.pages[url] for url in kept_urls]
    page_problems = {record.output: [Problem(*fields) for fields in record.problems] for record in kept_records if record.problems}
    claims = {record.output: [AnchorClaim(*fields) for fields in record.claims] for record in kept_records if record.claims}
    records: dict[str, Recorder] = {}  # of the pages rendered again; the others keep their saved record (state_of)
    notes: list[str] = []
    with progress.phase("plan"):
        translations = load_translations(
            project.theme.locale_folders, site.languages, site.fallback_chains,
            DiskCache(project.cache, "catalogs") if project.cache is not None else None,
        )
        renderer = Renderer(
            site, plan, project.theme, translations, caches.templates, caches.markdown, images=images,
            cache_folder=project.cache, fragments=fragments,
        )
        settle(options)
    finished = Finished(site, plan, project.output, options, problems, renderer=renderer, cache=project.cache, assets=dict(state.assets))
    # In place: only the new pages are written (next to the output) and moved in once all are valid.
    # A whole-site step that rewrites a folder (the search index) needs a whole copy of the output instead.
    in_place = not any(not step.in_place and step.wanted(finished) for step in whole_site_steps)
    staged: StagedOutput = PatchedOutput(project.output) if in_place else StagedOutput(project.output)
    written = 0
    moved: list[str] = []
    try:
        kept = []
        if not in_place:
            kept = [name for name in state.outputs if name not in replaced and not (rewritten and _written_by(name, whole_site_steps))]
            staged.keep(kept)
            finished.root = staged.root
        workers = options.workers or default_workers(weight(stale, sum(len(items) for items in site.entries.values())))
        with progress.phase("render", total=len(stale)):
            rendering = render_routes(
                renderer, stale, staged, record=True, workers=workers, advance=progress.advance, finishing=page_finisher(finished),
            )
        finished.page_notes = rendering.notes
        page_problems.update(rendering.problems_of)
        claims.update(rendering.claims_of)
        records.update(rendering.dependencies)
        problems.extend(problem for found in page_problems.values() for problem in found)
        every_claim = [claim for found in claims.values() for claim in found]
        if isinstance(staged, PatchedOutput):
            patch = staged
            # A route that gives no file now (the share card of a page that lost its translation) had one before.
            gone |= {route.output_path for route in stale if route.url in urls_before and route.output_path in rendering.without_file}
            nowhere = patch.root / ".gone"  # a page of the last build that this one removes
            problems.extend(anchor_problems(lambda relative: nowhere if relative in gone else patch.live(relative), every_claim))
        else:
            problems.extend(anchor_problems(staged.root, every_claim))
        errors = [problem for problem in problems if problem.severity == "error"]
        if errors:  # before anything of the live output changed
            raise BuildError(errors)
        if isinstance(staged, PatchedOutput):
            with progress.phase("swap"):
                moved = staged.commit()
                written = len(moved)
                for relative in sorted(gone):
                    staged.remove(relative)
        if in_place and previous.outputs is not None:
            finished.listing = updated_outputs(project.output, previous.outputs, [*moved, *gone])
            finished.changed = frozenset([*moved, *gone])
        with progress.phase("publish"):
            if rewritten:
                # In place, after the pages: an error here leaves output and saved state apart, so the next build is a full one.
                for step in whole_site_steps:
                    step.run(finished)
                notes = finished.notes
            else:
                notes = list(state.notes)
        errors = [problem for problem in problems if problem.severity == "error"]
        if errors:
            raise BuildError(errors)
        files: int | None = None
        if not in_place:
            # The workers' writes are not in this process's list: count what is in the copy but was not kept.
            files = count_files(staged.root)  # once: the copy becomes the output
            written = files - len(kept)
            with progress.phase("swap"):
                staged.commit(remove_old_later=options.one_shot)
        outputs = None
        # In place, no step rewrote a whole folder (those are never in place), so the files touched are all there is.
        if in_place and previous.outputs is not None:
            listed = finished.listing if finished.listing is not None else previous.outputs
            outputs = updated_outputs(project.output, listed, [*moved, *gone, *(name for step in whole_site_steps for name in step.writes)])
        if files is None:
            files = len(outputs) if outputs is not None else count_files(project.output)
    except BaseException:
        staged.abort()
        raise

    pages = Counter(route.lang or "-" for route in plan.routes if route.kind.format == "html")
    warnings = sorted({*site.warnings, *prepared.warnings} | {problem for problem in problems if problem.severity == "warning"})
    changed = ", ".join(sorted(display_path(path, content) for path in previous.changed)[:3])
    more = len(previous.changed) - 3
    notes.insert(0, f"since the last build: {changed}" + (f" and {more} more" if more > 0 else "") + " changed")
    return BuildResult(
        site, plan, dict(pages), warnings, time.perf_counter() - started, records,
        notes=notes, content=prepared.raw, output=project.output, files=files,
        page_problems=page_problems, claims=claims, assets=dict(state.assets), rewritten=written, removed=len(removed),
        reused=frozenset(kept_urls), outputs=outputs, fact_digests=digests,
    )


def fact_digests(site: Site) -> dict[str, str]:
    """The site's facts as the build state keeps them."""
    return {name: fact_digest(value) for name, value in site_facts(site).items()}


def facts_changed(state: BuildState, facts: dict[str, str], plan: RoutePlan) -> set[str]:
    """The facts (``facts``: :func:`fact_digests`) that differ from the last build's, pages that appeared or went included."""
    changed = {name for name in facts.keys() | state.facts.keys() if facts.get(name) != state.facts.get(name)}
    return changed | route_changes(plan.by_url.keys(), state.pages.keys())


def reusing(
    fragments: FragmentStore, project: Project, state: BuildState, changed: set[Path], changed_facts: set[str], urls: Iterable[str],
) -> FragmentStore:
    """The store, told which fragments of the last build the pages ``urls`` may take: those whose reads did not
    change, none after a template changed (a fragment's record does not name the templates)."""
    templates = [folder.resolve() for folder in project.theme.template_folders]
    return replace(
        fragments,
        expected={url: state.pages[url].fragments for url in urls if state.pages[url].fragments},
        changed_sources=frozenset(normal_path(path) for path in changed),
        changed_facts=frozenset(changed_facts),
        reusable=not any(is_below(path, folder) for path in changed for folder in templates),
    )


def kept_for_full_build(project: Project, previous: Previous, fragments: FragmentStore | None) -> Callable[[Site, RoutePlan], FragmentStore] | None:
    """After the output was deleted or edited, a full build may still take the last build's kept parts of
    pages, as a rebuild would: when its state is whole and only content documents changed since."""
    earlier = previous.earlier
    if fragments is None or earlier is None or full_build_reason(project, previous.changed, SavedIndex(earlier)) is not None:
        return None
    store = fragments
    return lambda site, plan: reusing(
        store, project, earlier, previous.changed, facts_changed(earlier, fact_digests(site), plan), earlier.pages.keys() & plan.by_url.keys()
    )


def full_build_reason(project: Project, changed: set[Path], index: "SavedIndex") -> str | None:
    """Why these changed files need a full build; None when the pages that read them can be found."""
    content = project.content.resolve()
    locales = [folder.resolve() for folder in project.theme.locale_folders]
    templates = [folder.resolve() for folder in project.theme.template_folders]
    for path in sorted(changed):
        if path == content / SITE_FILE:
            return f"{display_path(path, content)} changed, and every page shows it"
        if is_below(path, content / MEDIA_FOLDER):
            return f"{display_path(path, content)} changed (media files are copied and measured by a full build)"
        if is_below(path, content):
            if parse_path(path, content) is None:
                return f"{display_path(path, content)} changed, and it is not a content document"
            continue
        if any(is_below(path, folder) for folder in locales):
            return f"{display_path(path, content)} changed (a catalog changes every page of its language)"
        if any(is_below(path, folder) for folder in templates) and index.has_source(path):
            continue
        return f"{display_path(path, content)} changed, and no page was rendered with it as a template"
    return None


def _written_by(name: str, steps: list[PostBuildStep]) -> bool:
    return any(name == written or (written.endswith("/") and name.startswith(written)) for step in steps for written in step.writes)


def fact_digest(value: object) -> str:
    """Facts are tuples of ids and dates: their repr is stable from run to run."""
    return hashlib.sha256(repr(value).encode("utf-8")).hexdigest()[:20]


SEARCHED_AT_MOST = 12  # changed numbers searched for in a record's bytes; more: its numbers made a list (SavedIndex)


class SavedIndex:
    """The saved records, asked which pages read a file or a fact, without a Recorder per page.

    Making 12,000 Recorders (sets of Paths) and their reverse maps cost a
    second of every rebuild; the questions asked are a few, so each one walks
    the numbered records once.
    """

    def __init__(self, state: BuildState):
        self.state = state
        self._numbers_by_name = {path: number for number, path in enumerate(state.paths)}
        self._numbers_by_path: dict[Path, int] | None = None  # made only for a file not found by its name
        self._fact_numbers = {fact: number for number, fact in enumerate(state.fact_names)}

    def _path_number(self, source: Path) -> int | None:
        # The state names files as the build recorded them (resolved folders): found by that name without
        # making 3,000 Paths; one written another way is found as a Path.
        number = self._numbers_by_name.get(os.fspath(source))
        if number is None:
            if self._numbers_by_path is None:
                self._numbers_by_path = {Path(path): number for number, path in enumerate(self.state.paths)}
            number = self._numbers_by_path.get(source)
        return number

    def has_source(self, source: Path) -> bool:
        """Whether any page read ``source``."""
        number = self._path_number(source)
        if number is None:
            return False
        wanted = [pack([number])]
        return any(holds_any(record.sources, wanted) for record in self.state.pages.values())

    def readers(self, sources: set[Path], facts: set[str]) -> set[str]:
        """The URLs of the pages that read any of ``sources`` or ``facts``."""
        numbers = [self._path_number(source) for source in sources]
        source_numbers = {number for number in numbers if number is not None}
        fact_numbers = {self._fact_numbers[fact] for fact in facts if fact in self._fact_numbers}
        pages = self.state.pages
        if len(source_numbers) + len(fact_numbers) > SEARCHED_AT_MOST:
            # Many changed: each record's numbers as a list once, rather than one search of its bytes per number.
            return {
                url for url, record in pages.items()
                if not source_numbers.isdisjoint(unpack(record.sources)) or not fact_numbers.isdisjoint(unpack(record.facts))
            }
        packed_sources = [pack([number]) for number in source_numbers]
        packed_facts = [pack([number]) for number in fact_numbers]
        return {url for url, record in pages.items() if holds_any(record.sources, packed_sources) or holds_any(record.facts, packed_facts)}


def state_of(
    project: Project, options: BuildOptions, result: BuildResult, inputs: dict, before: BuildState | None = None, key: str | None = None,
) -> BuildState:
    """What the next build needs to know of this one.

    A rebuild's pages that were not rendered again (``result.reused``) keep
    their records of ``before`` as they are: the numbering of its files and
    facts is kept, and extended.
    """
    reusing = before is not None and bool(result.reused)
    paths: dict[str, int] = {path: number for number, path in enumerate(before.paths)} if reusing and before else {}
    fact_names: dict[str, int] = {fact: number for number, fact in enumerate(before.fact_names)} if reusing and before else {}
    normal: dict[Path, str] = {}  # the folders resolved, as the input scan writes paths
    folders: dict[Path, str] = {}  # resolved once per folder: a programme page reads thousands of files in a few folders
    pages: dict[str, PageRecord] = {}
    for route in result.plan.routes:
        if reusing and before is not None and route.url in result.reused:
            pages[route.url] = before.pages[route.url]
            continue
        recorder = result.dependencies.get(route.output_path, Recorder())
        sources = []
        for source in recorder.sources:
            shown = normal.get(source)
            if shown is None:
                folder = folders.get(source.parent)
                if folder is None:
                    folder = folders[source.parent] = str(source.parent.resolve())
                shown = normal[source] = os.path.join(folder, source.name)
            sources.append(paths.setdefault(shown, len(paths)))
        problems = [
            [problem.path, problem.line, problem.message, problem.column, problem.severity]
            for problem in result.page_problems.get(route.output_path, []) if problem.severity == "warning"
        ]
        claims = [[claim.document, claim.line, claim.written, claim.target, claim.fragment] for claim in result.claims.get(route.output_path, [])]
        pages[route.url] = PageRecord(
            route.output_path, pack(sources), pack(fact_names.setdefault(fact, len(fact_names)) for fact in recorder.facts),
            problems, claims, recorder.fragments,
        )
    return BuildState(
        key=key or build_key(project, options),
        inputs=inputs,
        outputs=result.outputs if result.outputs is not None else scan_outputs(project.output),
        paths=list(paths),
        fact_names=list(fact_names),
        facts=result.fact_digests if result.fact_digests is not None else fact_digests(result.site),
        pages=pages,
        assets=result.assets,
        flags=sorted(result.site.countries_named),
        notes=[note for note in result.notes if not note.startswith(("full build:", "since the last build:"))],
    )
