"""``build.py build``: content → site, all or nothing."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..build import build_site
from ..errors import BuildError, Problem
from ..validate import normalize_base_url
from . import add_project_arguments, project_from

HELP = "build the site into --out (the default command)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_project_arguments(parser, writes=True)


def run(args: argparse.Namespace, root: Path) -> int:
    project = project_from(args, root)
    if project.base_url:
        try:
            normalize_base_url(project.base_url)
        except ValueError as error:
            raise BuildError([Problem("--base-url", 0, str(error))]) from None
    result = build_site(project)
    for warning in result.warnings:
        print(warning.format(), file=sys.stderr)
    print(result.summary())
    return 0
