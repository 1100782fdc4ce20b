"""The whole build, in order, in one function: :func:`build_site`.

Stages 1–4 (load, validate, model, plan) are one sequence, :func:`prepare`,
which the dev server's incremental builder runs too; only what follows
(render everything, or only what an edit made stale) differs.
"""

from __future__ import annotations

import gc
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

import jinja2

from . import og
from .anchors import AnchorClaim, anchor_problems
from .cache import DiskCache
from .depends import Recorder
from .entries import Site
from .errors import BuildError, Problem, display_path, relative_to_cwd
from .fields import normalize_base_url
from .fragments import FragmentStore
from .images import ImageCatalog, scan_images, thumbnail_cache, thumbnails
from .kinds import IMAGE_FIELDS, KINDS, PAGE_KINDS
from .l10n import load_translations
from .load import Changes, LoadCache, RawContent, load_content
from .model import ModelMemo, build_model
from .parallel import default_workers, render_routes
from .progress import Progress
from .project import BuildOptions, Project
from .fingerprint import ASSETS
from .publish import Finished, page_finisher, prepare_assets, run_post_build
from .render import Renderer, SharedBytecodeCache
from .routes import PageKind, RoutePlan, plan_routes
from .sourcelinks import source_link_problems
from .timeline import HistoryCache
from .validate import ValidationCache, validate_content
from .views import flag_path
from .write import StagedOutput, check_output_folder, count_files


@dataclass
class BuildResult:
    site: Site
    plan: RoutePlan
    pages_per_language: dict[str, int]
    warnings: list[Problem]
    seconds: float
    dependencies: dict[str, Recorder] = field(default_factory=dict)  # output path → what it read
    errors: list[Problem] = field(default_factory=list)  # only with BuildOptions(keep_going=True) (check)
    output: Path | None = None  # where the site was written
    files: int = 0  # every file written: pages, calendars, feeds, media, assets
    notes: list[str] = field(default_factory=list)
    content: RawContent | None = None  # what was read (the dev server patches it on each edit)
    # For the next build (eventsite/buildstate.py): each output's warnings and links to #fragments,
    # the fingerprinted names of static files.
    page_problems: dict[str, list[Problem]] = field(default_factory=dict)
    claims: dict[str, list[AnchorClaim]] = field(default_factory=dict)
    assets: dict[str, str] = field(default_factory=dict)
    rewritten: int | None = None  # a rebuild: the files it wrote again (None: a full build)
    removed: int = 0  # a rebuild: the files it deleted
    reused: frozenset[str] = frozenset()  # a rebuild: the URLs of pages not rendered again (their saved records hold)
    outputs: dict[str, list[int]] | None = None  # a rebuild in place: the output folder's listing, kept up to date (buildstate)
    fact_digests: dict[str, str] | None = None  # a rebuild: the digests of the site's facts it compared, for the next state

    def summary(self) -> str:
        """'wrote site/ in 1.18 s: 641 pages (64 in each of 10 languages, 1 language chooser at the root), 2,315 files in all'."""
        per_language = {lang: count for lang, count in self.pages_per_language.items() if lang != "-"}
        at_root = self.pages_per_language.get("-", 0)
        counts = set(per_language.values())
        if len(counts) == 1:
            shown = f"{counts.pop()} in each of {len(per_language)} language{'s' * (len(per_language) != 1)}"
        else:
            shown = ", ".join(f"{count} in {lang}" for lang, count in per_language.items())
        if at_root:
            shown += f", {at_root} at the root (the language chooser)" if at_root == 1 else f", {at_root} at the root"
        where = relative_to_cwd(self.output) + "/" if self.output is not None else "the output folder"
        total = sum(self.pages_per_language.values())
        if self.rewritten is not None:
            gone = f", {self.removed:,} removed" if self.removed else ""
            line = (f"updated {where} in {self.seconds:.2f} s: {self.rewritten:,} of {self.files:,} files written again{gone}; "
                    f"{total} pages ({shown})")
        else:
            line = f"wrote {where} in {self.seconds:.2f} s: {total} pages ({shown}), {self.files:,} files in all"
        return "\n".join([line, *self.notes])


@dataclass
class Caches:
    """What a long-running process (the dev server) keeps between builds.

    None of it changes the output: a build with fresh caches is identical.
    """

    documents: LoadCache = field(default_factory=LoadCache)
    validated: ValidationCache = field(default_factory=ValidationCache)
    templates: jinja2.BytecodeCache = field(default_factory=SharedBytecodeCache)
    markdown: DiskCache | None = None
    images: dict = field(default_factory=dict)  # image sizes by file signature (images.scan_images)
    model: ModelMemo = field(default_factory=ModelMemo)  # entries of unchanged files (model.ModelMemo)
    history: HistoryCache = field(default_factory=HistoryCache)  # git history, read again when HEAD moves

    @classmethod
    def for_project(cls, project: "Project") -> "Caches":
        """In-memory caches, backed by the project's cache folder when it has one."""
        if project.cache is None:
            return cls()
        (project.cache / "templates").mkdir(parents=True, exist_ok=True)
        return cls(
            templates=SharedBytecodeCache(jinja2.FileSystemBytecodeCache(str(project.cache / "templates"))),
            markdown=DiskCache(project.cache, "markdown"),
        )


@dataclass(frozen=True)
class Prepared:
    """Stages 1–4 done: what was read, the model, the routes, the images' sizes."""

    raw: RawContent
    site: Site
    plan: RoutePlan
    images: ImageCatalog
    warnings: tuple[Problem, ...] = ()  # of the content (unfinished work, overlaps…)


def page_kinds(options: BuildOptions) -> tuple[PageKind, ...]:
    """The page kinds a build makes: the dev server leaves out publish-only outputs (share cards)."""
    return tuple(kind for kind in PAGE_KINDS if not (options.dev and kind.published_only))


@dataclass(frozen=True)
class Examined:
    """Stages 1–3 run as far as the content allows: every problem, and the model of what is valid."""

    raw: RawContent
    site: Site | None  # None when site.yaml itself is unusable
    problems: tuple[Problem, ...]  # errors and warnings of every file
    skipped: tuple[str, ...] = ()  # what could not be checked, and why

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.severity == "error"]


def examine(project: Project, caches: Caches, *, since: Changes | None = None) -> Examined:
    """Load → validate → model, going on past every problem so that one run reports them all.

    When some files have errors, the links in every body are still checked,
    against the pages the site would have (eventsite/sourcelinks.py).
    """
    raw = load_content(project.content, caches.documents, since=since, keep_going=True)
    valid = validate_content(raw, caches.validated, keep_going=True)
    site = build_model(valid, caches.model, keep_going=True)
    if site is None:
        return Examined(raw, None, valid.problems, ("the model: site.yaml has errors, so rooms, sections, countries, "
                                                    "links and the built pages were not checked",))
    site = _with_base_url(project, site)
    tracked = {kind.folder: kind.changes for kind in KINDS if kind.changes}
    site = replace(site, history=caches.history.read(project.content, tracked))
    problems = list(site.problems)
    if any(problem.severity == "error" for problem in problems):
        problems += source_link_problems(raw, site, valid.invalid, project.theme)
    return Examined(raw, site, tuple(problems))


def prepare(
    project: Project,
    caches: Caches,
    options: BuildOptions,
    *,
    since: Changes | None = None,
    previous: RoutePlan | None = None,
) -> Prepared:
    """Load → validate → model → plan routes, or BuildError with every problem of the content.

    ``since`` and ``previous`` let the dev server reuse its last run.
    """
    examined = examine(project, caches, since=since)
    if examined.errors or examined.site is None:
        raise BuildError(examined.problems)
    site = examined.site
    plan = plan_routes(site, page_kinds(options), previous=previous)
    warnings = tuple(problem for problem in examined.problems if problem.severity == "warning")
    return Prepared(examined.raw, site, plan, scan_images(site, IMAGE_FIELDS, caches.images), warnings)


def settle(options: BuildOptions) -> None:
    """In a process that ends with this build (``options.one_shot``), take everything made so far out of
    the cycle collector's scans, and let it collect what comes next.

    What is loaded lives to the end anyway, and each full collection scanned
    it all again: ~0.5 s of a 3 s rebuild at 10 × 300 (the command line
    loads with the collector off). Forked workers inherit the frozen heap,
    and share the memory pages it sits in (the collector no longer writes to
    them).
    """
    if options.one_shot:
        gc.freeze()
        gc.enable()


def load_site(project: Project, caches: Caches | None = None) -> Site:
    """Stages 1–3: content folder → checked, typed model (or BuildError with every problem)."""
    examined = examine(project, caches or Caches())
    if examined.errors or examined.site is None:
        raise BuildError(examined.problems)
    return examined.site


def _with_base_url(project: Project, site: Site) -> Site:
    """``--base-url`` (e.g. a pull-request preview) over site.yaml's."""
    if not project.base_url:
        return site
    config = site.config.model_copy(update={"base_url": normalize_base_url(project.base_url)})
    return replace(site, config=config)


def build_site(
    project: Project,
    *,
    record_dependencies: bool = False,
    caches: Caches | None = None,
    options: BuildOptions | None = None,
    progress: Progress | None = None,
    fragments: FragmentStore | None = None,
    reuse_fragments: Callable[[Site, RoutePlan], FragmentStore] | None = None,
) -> BuildResult:
    """Load → validate → model → plan routes → render → write; all or nothing.

    ``fragments``: where to keep the parts of pages a later rebuild may reuse (eventsite/fragments.py).
    ``reuse_fragments``: that store, told (once the content is loaded) which kept parts of the last build
    this one may take.
    """
    started = time.perf_counter()
    caches = caches or Caches.for_project(project)
    options = options or BuildOptions()
    progress = progress or Progress()
    check_output_folder(project.output, [project.content, *project.theme.watched])
    with progress.phase("load"):
        prepared = prepare(project, caches, options)
        site, plan, images = prepared.site, prepared.plan, prepared.images
        if reuse_fragments is not None:
            fragments = reuse_fragments(site, plan)
        settle(options)
    with progress.phase("plan"):
        translations = load_translations(
            project.theme.locale_folders, site.languages, site.fallback_chains,
            DiskCache(project.cache, "catalogs") if project.cache is not None and caches.markdown is not None else None,
        )
        renderer = Renderer(
            site, plan, project.theme, translations, caches.templates, caches.markdown, images=images,
            cache_folder=project.cache if caches.markdown is not None else None, fragments=fragments,
        )
        settle(options)

    staged = StagedOutput(project.output)
    # Disk caches only when this build uses them (`check` builds with memory caches and leaves no folder).
    disk_cache = project.cache if caches.markdown is not None else None
    problems: list[Problem] = []
    finished = Finished(site, plan, staged.root, options, problems, renderer=renderer, cache=disk_cache)
    try:
        # The static assets first: their final bytes name them (fingerprints), and the pages link to those names.
        asset_routes = [route for route in plan.routes if route.output_path.startswith(ASSETS + "/")]
        page_routes = [route for route in plan.routes if not route.output_path.startswith(ASSETS + "/")]
        workers = options.workers or default_workers(len(page_routes))
        with progress.phase("render", total=len(plan.routes)):
            rendering = render_routes(renderer, asset_routes, staged, record=record_dependencies, workers=1, advance=progress.advance)
            copy_assets(site, project, staged, problems)
            prepare_assets(finished)
            rendering.update(render_routes(
                renderer, page_routes, staged, record=record_dependencies, workers=workers, advance=progress.advance,
                finishing=page_finisher(finished),
            ))
        finished.page_notes = rendering.notes
        dependencies = rendering.dependencies
        problems.extend(rendering.problems)
        problems.extend(anchor_problems(staged.root, rendering.claims))
        problems.extend(images.problems)
        with progress.phase("copy"):
            copy_media(site, project, staged, problems, images)
        with progress.phase("publish"):
            run_post_build(finished)
        errors = [problem for problem in problems if problem.severity == "error"]
        if errors and not options.keep_going:
            raise BuildError(errors)
        files = count_files(staged.root)  # os.walk: a fifth of the time of rglob and is_file at 5,000 files
        with progress.phase("swap"):
            staged.commit(remove_old_later=options.one_shot)
    except BaseException:
        staged.abort()
        raise

    pages = Counter(route.lang or "-" for route in plan.routes if route.kind.format == "html")
    warnings = sorted({*site.warnings, *prepared.warnings} | {p for p in problems if p.severity == "warning"})
    if not og.RAQM and any(route.kind.format == "og-png" for route in plan.routes):
        finished.notes.append("og images: this Pillow has no libraqm; Thai, Khmer, Lao and Myanmar are drawn unshaped")
    return BuildResult(
        site, plan, dict(pages), warnings, time.perf_counter() - started, dependencies,
        errors=errors, notes=finished.notes, content=prepared.raw, output=project.output, files=files,
        page_problems=rendering.problems_of, claims=rendering.claims_of, assets=finished.assets,
    )


def copy_media(
    site: Site, project: Project, staged: StagedOutput, problems: list[Problem], images: ImageCatalog | None = None
) -> None:
    """Media as they are, and thumbnails of raster images (eventsite/images.py)."""
    images = images if images is not None else scan_images(site, IMAGE_FIELDS)
    cache = thumbnail_cache(project.cache)
    for media in site.media.values():
        staged.copy(f"media/{media.relative}", media.path)
        info = images.get(media.relative)
        if info is not None and info.variants:
            made, thumbnail_problems = thumbnails(info, media, cache, site.root)
            problems.extend(thumbnail_problems)
            for relative, data in made:
                staged.write(f"media/{relative}", data)


def copy_assets(site: Site, project: Project, staged: StagedOutput, problems: list[Problem]) -> None:
    """The theme's static assets, and the flags the pages show."""
    for code in sorted(site.countries_named):  # only the flags pages show
        flag = project.theme.flag_file(code)
        if flag is not None:
            staged.copy(f"{ASSETS}/{flag_path(code)}", flag)
    for relative, source in project.theme.static_files().items():
        if source.is_symlink():
            problems.append(Problem(display_path(source, project.theme.templates), 0, "symbolic links are not copied"))
            continue
        staged.copy(f"{ASSETS}/{relative}", source)
