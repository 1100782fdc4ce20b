"""The command line: ``python build.py [build|serve|check|i18n|new|schemas] …``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .build import Project, build_site
from .errors import BuildError, Problem


def _project_arguments(parser: argparse.ArgumentParser, *, writes: bool) -> None:
    parser.add_argument("--content", type=Path, help="content folder (default: ./content)")
    parser.add_argument("--templates", type=Path, help="templates folder (default: ./templates)")
    parser.add_argument("--locales", type=Path, help="gettext catalogs folder (default: ./locales)")
    if writes:
        parser.add_argument("--out", type=Path, help="output folder (default: ./site)")
        parser.add_argument("--base-url", help="override site.yaml base_url (e.g. for a preview deploy)")


def project_from(args: argparse.Namespace, root: Path) -> Project:
    project = Project.at(root, content=args.content, output=getattr(args, "out", None), base_url=getattr(args, "base_url", None))
    theme = project.theme
    if args.templates or args.locales:
        from .render import Theme

        theme = Theme(templates=args.templates or theme.templates, locales=args.locales or theme.locales)
    return Project(project.content, project.output, theme, project.base_url)


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="build.py", description="Build a multilingual event site.")
    commands = parser.add_subparsers(dest="command")
    build = commands.add_parser("build", help="build the site (the default)")
    _project_arguments(build, writes=True)
    return parser


def main(argv: list[str] | None = None, root: Path | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = make_parser()
    if not argv or argv[0].startswith("-") and argv[0] not in ("-h", "--help"):
        argv.insert(0, "build")
    args = parser.parse_args(argv)
    root = root or Path.cwd()
    try:
        if args.command == "build":
            return run_build(args, root)
    except BuildError as error:
        report(error.problems)
        return 1
    parser.print_help()
    return 2


def run_build(args: argparse.Namespace, root: Path) -> int:
    project = project_from(args, root)
    if project.base_url:
        try:
            from .validate import normalize_base_url

            normalize_base_url(project.base_url)
        except ValueError as error:
            raise BuildError([Problem("--base-url", 0, str(error))]) from None
    result = build_site(project)
    for warning in result.warnings:
        print(warning.format(), file=sys.stderr)
    print(result.summary())
    return 0


def report(problems: list[Problem]) -> None:
    errors = [p for p in problems if p.severity == "error"]
    for problem in problems:
        print(problem.format(), file=sys.stderr)
    print(f"{len(errors)} error{'s' if len(errors) != 1 else ''}; nothing was written", file=sys.stderr)
