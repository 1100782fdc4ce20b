"""Rebuild only what an edit made stale (the dev server's build).

After a full build every output knows what it read (:class:`Recorder`):
content files, templates, catalogs, and *facts* such as "the list of
sessions" or "the sessions of person X". On an edit we reload the model
(cached per file, so only changed files are parsed), compare the facts
before and after, and re-render exactly the outputs that read a changed file
or fact, plus new routes; outputs of removed routes are deleted. A stale
listing takes the parts of its last rendering that read nothing changed
(:class:`~eventsite.fragments.MemoryFragments`). All stale
pages are rendered in memory first and written only if every one succeeded,
each by an atomic rename, so the browser never sees half a site. The result is
byte-identical to a full build of the same inputs (tests/test_incremental.py
checks that with random edits).
"""

from __future__ import annotations

import gc
import gettext
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Mapping

from .anchors import AnchorClaim, anchor_problems
from .build import BuildResult, Caches, Project, build_site, prepare
from .contentpath import parse_path
from .depends import DependencyIndex, Recorder
from .entries import Site
from .errors import BuildError, Problem
from .fragments import MemoryFragments
from .kinds import IMAGE_FIELDS
from .images import ImageCatalog, scan_images, thumbnail_cache, thumbnail_paths, thumbnails
from .l10n import load_translations
from .load import MEDIA_FOLDER, SITE_FILE, Changes, RawContent, missed_changes
from .paths import is_below, nfc
from .publish import BuildOptions
from .render import Renderer, render_route
from .routes import Route, RoutePlan, entry_of, route_changes
from .write import safe_output_file, write_file_atomic

DEV = BuildOptions(dev=True)  # publish-only steps and outputs (search index, share cards) are left out


@dataclass
class Update:
    """What one rebuild did."""

    written: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    rendered: int = 0
    full: bool = False
    seconds: float = 0.0
    first_seconds: float = 0.0  # until the edited items' own pages were on disk
    pending: int = 0  # outputs still to render after the first batch
    warnings: list[Problem] = field(default_factory=list)


@dataclass
class _State:
    content: RawContent  # what the site was made from; the next edit patches it
    site: Site
    plan: RoutePlan
    facts: dict[str, object]
    dependencies: DependencyIndex  # keyed by route URL


def site_facts(site: Site) -> dict[str, object]:
    """The facts outputs may read, except which routes exist (see _changed_facts)."""
    facts: dict[str, object] = dict(site.facts())
    facts.update({f"media:{path}": media.size for path, media in site.media.items()})
    return facts


def _changed_facts(facts: dict[str, object], plan: RoutePlan, state: "_State") -> set[str]:
    changed = {key for key in facts.keys() | state.facts.keys() if facts.get(key) != state.facts.get(key)}
    if plan is not state.plan:  # a reused plan has the same routes: no 'route:' fact changed
        changed.update(route_changes(plan.by_url.keys(), state.plan.by_url.keys()))
    return changed


class IncrementalBuilder:
    def __init__(self, project: Project):
        self.project = project
        self.caches = Caches.for_project(project)  # the cache folder, as the command line uses it (none with --no-cache)
        self._state: _State | None = None
        # Changes of a failed update, applied with the next one: fixing file B
        # must also bring in the earlier edit of A that failed because of B.
        self._unapplied: set[Path] = set()
        self._translations: Mapping[str, gettext.NullTranslations] | None = None
        self._translations_for: tuple[str, ...] = ()
        self._environments: dict = {}
        # The programme's cards and other kept parts of the pages rendered since the last full build.
        self.fragments = MemoryFragments()

    def full_build(self) -> BuildResult:
        self._translations = None  # catalogs may have changed
        self.fragments.clear()
        gc.unfreeze()  # the previous build's record (frozen below) may be garbage now
        # Dev options: publish-only steps (fingerprints, search index…) would not survive the incremental updates.
        result = build_site(self.project, record_dependencies=True, caches=self.caches, options=DEV)
        records = {route.url: result.dependencies[route.output_path] for route in result.plan.routes}
        assert result.content is not None
        self._state = _State(
            result.content, result.site, result.plan, site_facts(result.site), DependencyIndex(records)
        )
        self._prepare_for_edits(result.site, result.plan)
        # The record lives as long as the server: keep it out of every later
        # collection's scan (what it holds is freed by reference counting).
        gc.collect()
        gc.freeze()
        return result

    def _prepare_for_edits(self, site: Site, plan: RoutePlan) -> None:
        """Read the catalogs, compile the templates and map their graph now, not on the first save.

        The full build rendered in other processes; without this the first
        edit after starting the server paid ~150 ms for it at 5,000 pages.
        """
        renderer = self._renderer(site, plan, scan_images(site, IMAGE_FIELDS, self.caches.images))
        for name in sorted({route.kind.template for route in plan.routes if route.kind.template}):
            renderer.template_files(name)
            for lang in site.languages:
                renderer.environment(lang).get_template(name)

    def update(self, changed: set[Path], on_first: Callable[[Update], None] | None = None) -> Update:
        """Bring the output up to date after ``changed`` files changed (or appeared, or vanished).

        ``on_first`` is called once the edited items' own pages are on disk,
        before the listings and feeds that mention them are rendered.
        """
        started = time.perf_counter()
        changed = {_absolute(Path(path)) for path in changed} | self._unapplied
        self._unapplied = changed

        def first(update: Update) -> None:
            update.first_seconds = time.perf_counter() - started
            if on_first is not None:
                on_first(update)

        # No cycle collection while the editor waits: with a large site in
        # memory one full collection took longer than the rest of the edit.
        # Garbage is collected once the update is done.
        collecting = gc.isenabled()
        gc.disable()
        try:
            update = self._update(changed, first)
            if not update.full:
                self._catch_up(update)
        finally:
            if collecting:
                gc.enable()
        self._unapplied = set()
        update.seconds = time.perf_counter() - started
        gc.collect()
        return update

    def _update(self, changed: set[Path], on_first: Callable[[Update], None]) -> Update:
        started = time.perf_counter()
        if self._state is None or self._needs_full_build(changed):
            result = self.full_build()
            return Update(full=True, rendered=len(result.plan.routes), seconds=time.perf_counter() - started, warnings=result.warnings)

        state = self._state
        templates = [folder.resolve() for folder in self.project.theme.template_folders]
        templates_changed = any(is_below(path, folder) for path in changed for folder in templates)
        if templates_changed:
            # includes/extends may have changed: recompute the template graph
            self._environments.pop("template_files", None)
            self._environments.pop("references", None)
        # Only the files the watcher reported are read again (see _catch_up for the safety net).
        prepared = prepare(self.project, self.caches, DEV, since=Changes(state.content, frozenset(changed)), previous=state.plan)
        content, site, plan, images = prepared.raw, prepared.site, prepared.plan, prepared.images
        image_errors = [problem for problem in images.problems if problem.severity == "error"]
        if image_errors:
            raise BuildError(image_errors)
        touched_media = self._touched_media(site, state.site, changed)
        made_thumbnails = self._make_thumbnails(site, images, touched_media)  # before any write: may fail
        facts = site_facts(site)
        changed_facts = _changed_facts(facts, plan, state)
        changed_sources = affected_sources(changed, self.project.content.resolve())

        # New routes, and routes that read a changed file or fact (found through the reverse index).
        stale_urls = (plan.by_url.keys() - state.plan.by_url.keys()) | state.dependencies.readers(changed_sources, changed_facts)
        stale = [plan.by_url[url] for url in sorted(stale_urls) if url in plan.by_url]
        self.fragments.begin(frozenset(changed_sources), frozenset(changed_facts), reusable=not templates_changed)
        renderer = self._renderer(site, plan, images, self.fragments)
        # The edited item's own pages first (usually the page the editor is
        # looking at), then listings and feeds that mention it.
        # The edited item's own page in the edited file's language first (the
        # page the editor is most likely looking at), then its other languages,
        # then the listings and feeds that mention it.
        own = [route for route in stale if _shows(route, site, changed_sources)]
        edited_languages = _edited_languages(changed, site)
        first = [route for route in own if route.lang in edited_languages] or own
        rest = [route for route in own if route not in first] + [route for route in stale if not _shows(route, site, changed_sources)]
        update = Update(rendered=len(stale), pending=len(rest))
        update.warnings.extend(problem for problem in images.problems if problem.severity == "warning")
        recorders: dict[str, Recorder] = {}  # route URL → what it read
        self._render_and_write(renderer, first, recorders, update)
        on_first(update)
        self._render_and_write(renderer, rest, recorders, update)
        update.pending = 0
        output = self.project.output
        removed = state.plan.by_url.keys() - plan.by_url.keys()
        for relative in sorted(state.plan.by_url[url].output_path for url in removed):
            _delete(output, relative)
            update.deleted.append(relative)
        self._sync_files(site, touched_media, changed, update)
        self._sync_thumbnails(made_thumbnails, update)

        # Only now, with everything written: a failed update must leave the old record intact.
        for url in removed:
            state.dependencies.remove(url)
        for url, recorder in recorders.items():
            state.dependencies.put(url, recorder)
        self.fragments.commit(recorders, removed)
        self._state = _State(content, site, plan, facts, state.dependencies)
        return update

    def _catch_up(self, update: Update) -> None:
        """Apply what the watcher missed: after each patched load, one stat per file checks the rest.

        Costs what a full scan costs, but after the edited pages are on disk.
        """
        assert self._state is not None
        missed = missed_changes(self.project.content, self._state.content, self.caches.documents)
        if missed:
            self._unapplied = missed
            more = self._update(missed, lambda _: None)
            update.written += more.written
            update.deleted += more.deleted
            update.rendered += more.rendered
            update.warnings += more.warnings
            update.full = more.full

    def _renderer(
        self, site: Site, plan: RoutePlan, images: ImageCatalog | None = None, fragments: MemoryFragments | None = None
    ) -> Renderer:
        """A renderer for the new model that reuses the compiled per-language environments.

        They depend only on templates (reloaded by Jinja when a file changes)
        and catalogs (a catalog change is a full build).
        """
        translations = self._translations
        if translations is None or self._translations_for != site.languages:
            translations = load_translations(self.project.theme.locale_folders, site.languages, site.fallback_chains)
            self._translations, self._translations_for = translations, site.languages
            self._environments = {}
        renderer = Renderer(
            site, plan, self.project.theme, translations, self.caches.templates, self.caches.markdown, images=images,
            fragments=fragments,
        )
        renderer.share_environments(self._environments)
        return renderer

    def _render_and_write(self, renderer: Renderer, routes: list[Route], recorders: dict[str, Recorder], update: Update) -> None:
        """Render a batch in memory; write it (each file atomically) only if all of it rendered."""
        rendered: dict[str, bytes] = {}
        problems: list[Problem] = []
        claims: list[AnchorClaim] = []
        for route in routes:
            recorder = Recorder()
            made = render_route(renderer, route, recorder)
            problems.extend(made.problems)
            claims.extend(made.claims)
            if made.data is not None:
                rendered[route.output_path] = made.data
            recorders[route.url] = recorder
        errors = [problem for problem in problems if problem.severity == "error"]
        if errors:
            raise BuildError(errors)
        update.warnings.extend(problem for problem in problems if problem.severity == "warning")
        output = self.project.output
        for relative, data in rendered.items():
            if write_file_atomic(safe_output_file(output, relative), data):
                update.written.append(relative)
        # After the write (the target may be a page of this batch); shown like warnings: the pages are out.
        update.warnings.extend(anchor_problems(output, claims))

    def _needs_full_build(self, changed: set[Path]) -> bool:
        """site.yaml and catalogs change every page; a full build is simplest and exact."""
        content = self.project.content.resolve()
        locales = [folder.resolve() for folder in self.project.theme.locale_folders]
        for path in changed:
            if path == content / SITE_FILE or any(is_below(path, folder) for folder in locales):
                return True
        return False

    def _touched_media(self, site: Site, previous: Site, changed: set[Path]) -> set[str]:
        """Media files (paths below media/) to copy, thumbnail or delete.

        Files that came or went however they were reported (a removed folder
        may be reported as the folder alone), plus every file at or below a
        reported path.
        """
        media_root = (self.project.content / MEDIA_FOLDER).resolve()
        touched = set(site.media.keys() ^ previous.media.keys())
        for path in changed:
            if not is_below(path, media_root):
                continue
            relative = "" if path == media_root else nfc(path.relative_to(media_root).as_posix())
            prefix = relative + "/" if relative else ""
            touched.update(name for name in site.media if name == relative or name.startswith(prefix))
        return touched

    def _sync_files(self, site: Site, touched_media: set[str], changed: set[Path], update: Update) -> None:
        """Copy changed media and static assets; delete removed ones."""
        output = self.project.output
        for relative in sorted(touched_media):
            media = site.media.get(relative)
            if media is not None:
                if write_file_atomic(safe_output_file(output, "media/" + relative), media.path.read_bytes()):
                    update.written.append("media/" + relative)
            elif _delete(output, "media/" + relative):
                update.deleted.append("media/" + relative)
        theme = self.project.theme
        for static_root in (folder.resolve() / "static" for folder in theme.template_folders):
            for path in sorted(changed):
                if not is_below(path, static_root):
                    continue
                # A folder moved in (or out) is reported alone: every file below it, as the layers now give it.
                below = sorted(path.rglob("*")) if path.is_dir() else [path]
                for file in below if path.exists() else [path]:
                    relative = file.relative_to(static_root).as_posix()
                    source = theme.static_file(relative)
                    if source is None or not source.is_file():  # gone from every layer (or a link to nothing)
                        if _delete(output, "static/" + relative):
                            update.deleted.append("static/" + relative)
                    elif not source.is_symlink():  # links are not copied (see build.copy_files)
                        if write_file_atomic(safe_output_file(output, "static/" + relative), source.read_bytes()):
                            update.written.append("static/" + relative)

    def _make_thumbnails(self, site: Site, images: ImageCatalog, touched_media: set[str]) -> dict[str, list[tuple[str, bytes]]]:
        """The thumbnails of each touched media file (path below media/ → files), an empty list when it has none."""
        cache = thumbnail_cache(self.project.cache)
        made: dict[str, list[tuple[str, bytes]]] = {}
        problems: list[Problem] = []
        for relative in sorted(touched_media):
            info, media = images.get(relative), site.media.get(relative)
            files: list[tuple[str, bytes]] = []
            if info is not None and media is not None:
                files, failed = thumbnails(info, media, cache, site.root)
                problems.extend(failed)
            made[relative] = files
        if problems:
            raise BuildError(problems)
        return made

    def _sync_thumbnails(self, made: dict[str, list[tuple[str, bytes]]], update: Update) -> None:
        """Write the thumbnails of changed images; delete those an image no longer has (or a removed image had)."""
        output = self.project.output
        for relative, files in made.items():
            for thumbnail, data in files:
                if write_file_atomic(safe_output_file(output, "media/" + thumbnail), data):
                    update.written.append("media/" + thumbnail)
            kept = {thumbnail for thumbnail, _ in files}
            for thumbnail in thumbnail_paths(relative):
                if thumbnail not in kept and safe_output_file(output, "media/" + thumbnail).is_file():
                    _delete(output, "media/" + thumbnail)
                    update.deleted.append("media/" + thumbnail)


def affected_sources(changed: set[Path], content: Path) -> set[Path]:
    """The changed files. Pages record the translations they can show (``Entry.sources_for``); a translation
    added or removed changes its item's ``languages:`` fact, which reaches every page that shows the item."""
    return set(changed)


def _shows(route: Route, site: Site, changed: set[Path]) -> bool:
    """Whether ``route`` is the HTML page of an item whose files changed."""
    if route.kind.format != "html":
        return False
    entry = entry_of(site, route)
    return entry is not None and not changed.isdisjoint(entry.sources)


def _absolute(path: Path) -> Path:
    """``path`` with its folders resolved but not the file itself: a document that is a link keeps its own name."""
    if path.name in ("", ".", ".."):
        return path.resolve()
    return path.parent.resolve() / path.name


def _edited_languages(changed: set[Path], site: Site) -> set[str]:
    """The languages of the changed content files: 'x.th.md' is Thai, 'x.md' the default language."""
    languages = set()
    for path in changed:
        found = parse_path(path)
        if found is not None:
            languages.add(found.lang or site.default_language)
    return languages


def _delete(output: Path, relative: str) -> bool:
    """Remove an output file (or a whole folder), then the folders it leaves empty; whether anything was there."""
    target = safe_output_file(output, relative)
    if target.is_dir() and not target.is_symlink():
        shutil.rmtree(target)
    elif target.exists() or target.is_symlink():
        target.unlink()
    else:
        return False
    folder = target.parent
    while folder != output and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
    return True
