"""``build.py check``: every problem at once, without touching site/."""

from __future__ import annotations

import argparse
from pathlib import Path

from . import add_project_arguments, project_from

HELP = "check the content and a trial build (in a temporary folder); exit 1 on errors"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_project_arguments(parser, writes=False)
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    parser.add_argument(
        "--format", choices=("text", "github"), default="text",
        help="text: path:line:col: message; github: GitHub Actions annotations",
    )
    parser.add_argument("--verbose", "-v", action="store_true", help="also list every translation still missing")
    parser.add_argument("--no-cache", action="store_true", help="ignore the cache folder .cache/eventsite (same report, slower)")


def run(args: argparse.Namespace, root: Path) -> int:
    from ..check import check_project, github_command

    report = check_project(project_from(args, root))
    if args.strict:
        report = report.strict()
    for problem in report.problems:
        print(github_command(problem) if args.format == "github" else problem.format())
    if report.coverage:
        print("translations (status; site.yaml require_translations says which gaps are errors):")
        for line in report.coverage:
            print(f"  {line}")
        if args.verbose:
            for line in report.details:
                print(f"  {line}")
    for note in report.skipped:
        print(f"note: {note}")
    print(report.counts())
    return 1 if report.errors else 0
