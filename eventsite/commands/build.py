"""``build.py build``: content → site, all or nothing."""

from __future__ import annotations

import argparse
import gc
import os
import sys
from pathlib import Path

from ..errors import BuildError, Problem
from ..project import BuildOptions
from . import add_project_arguments, project_from

HELP = "build the site into --out (the default command)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_project_arguments(parser, writes=True)
    parser.add_argument("--timings", action="store_true", help="print how long each phase took")
    parser.add_argument("--workers", type=int, help="render processes (default: one per core for large sites)")
    parser.add_argument("--minify", action="store_true", help="minify HTML and CSS (minify-html; off by default)")
    parser.add_argument(
        "--no-search", action="store_true", help="skip the Pagefind index (faster; the search pages list every page)"
    )


def run(args: argparse.Namespace, root: Path) -> int:
    from ..buildstate import compare
    from ..errors import relative_to_cwd

    if args.owns_process:
        # Loading (the saved state, the content) allocates a great deal and frees almost nothing: no
        # cycle collection until what it loaded is frozen and collection resumes (build.settle).
        gc.disable()
    project = project_from(args, root)
    options = BuildOptions(workers=args.workers, minify=args.minify, search=not args.no_search,
                           one_shot=args.owns_process)
    if project.base_url:
        from ..fields import normalize_base_url

        try:
            normalize_base_url(project.base_url)
        except ValueError as error:
            raise BuildError([Problem("--base-url", 0, str(error))]) from None
    comparison = compare(project, options) if project.cache is not None else None
    if comparison is not None and comparison.up_to_date:
        previous = comparison.previous()
        # Checked before anything heavy is imported: this is the common case of a build run again.
        print(f"nothing changed since the last build: {relative_to_cwd(project.output)}/ is up to date "
              f"({previous.checked:,} files compared in {previous.seconds:.2f} s; --no-cache builds everything)")
        return 0

    from ..build import build_site
    from ..progress import stderr_progress
    from ..rebuild import build_with_state

    progress = stderr_progress()
    if comparison is None:
        result = build_site(project, options=options, progress=progress)
    else:  # the output folder's listing is taken now: it was made while the modules above were imported
        result = build_with_state(project, options, comparison.previous(), progress)
    for warning in result.warnings:
        print(warning.format(), file=sys.stderr)
    print(result.summary())
    if args.timings:
        print(progress.table())
    if args.owns_process:
        end_process(0)
    return 0


def end_process(status: int) -> None:
    """End this process now, its output flushed: everything it holds is freed at once rather than object
    by object (~40 ms for the ~150 MB a rebuild at 10 × 300 loaded). Every file is written and closed, the
    workers have ended, and no thread or exit handler of this command is left to run."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)
