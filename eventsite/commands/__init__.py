"""Subcommands of ``build.py``: one module each, listed in one table.

Each module has ``HELP`` (one line), ``add_arguments(parser)`` and
``run(args, root) -> int``. Modules are imported only when their command runs,
so ``build.py build`` does not pay for the dev server's imports.
"""

from __future__ import annotations

import argparse
import importlib
from pathlib import Path
from types import ModuleType

from ..project import Project
from ..theme import Theme

COMMANDS: dict[str, str] = {
    "build": "eventsite.commands.build",
    "check": "eventsite.commands.check",
    "schemas": "eventsite.commands.schemas",
    "new": "eventsite.commands.new",
    "serve": "eventsite.commands.serve",
    "i18n": "eventsite.commands.i18n",
    "deploy": "eventsite.commands.deploy",
    "import": "eventsite.commands.import_",
    "export": "eventsite.commands.export",
}


def load_command(name: str) -> ModuleType:
    return importlib.import_module(COMMANDS[name])


def add_project_arguments(parser: argparse.ArgumentParser, *, writes: bool) -> None:
    """The options every command shares, so they mean the same everywhere."""
    parser.add_argument("--content", type=Path, help="content folder (default: ./content)")
    parser.add_argument("--templates", type=Path, help="templates folder (default: ./templates)")
    parser.add_argument("--locales", type=Path, help="gettext catalogs folder (default: ./locales)")
    if writes:
        parser.add_argument("--out", type=Path, help="output folder (default: ./site)")
        parser.add_argument("--base-url", help="override site.yaml base_url (e.g. for a preview deploy)")
        parser.add_argument("--no-cache", action="store_true", help="ignore the cache folder .cache/eventsite (same output, slower)")


def project_from(args: argparse.Namespace, root: Path) -> Project:
    defaults = Project.at(root)
    theme = Theme(
        templates=getattr(args, "templates", None) or defaults.theme.templates,
        locales=getattr(args, "locales", None) or defaults.theme.locales,
    )
    return Project(
        content=getattr(args, "content", None) or defaults.content,
        output=getattr(args, "out", None) or defaults.output,
        theme=theme,
        base_url=getattr(args, "base_url", None),
        cache=None if getattr(args, "no_cache", False) else defaults.cache,
    )
