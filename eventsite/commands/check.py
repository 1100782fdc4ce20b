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


def run(args: argparse.Namespace, root: Path) -> int:
    from ..check import check_project, github_command

    report = check_project(project_from(args, root))
    if args.strict:
        report = report.strict()
    for problem in report.problems:
        print(github_command(problem) if args.format == "github" else problem.format())
    if report.skipped:
        print(f"note: {report.skipped}")
    print(report.counts())
    return 1 if report.errors else 0
