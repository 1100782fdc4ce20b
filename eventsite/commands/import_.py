"""``build.py import SOURCE``: a programme from a spreadsheet, a frab XML or a C3VOC JSON, into content files.

The logic is in :mod:`eventsite.exchange.importer`; this module parses and prints.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

from . import add_project_arguments, project_from

HELP = "import a programme: a spreadsheet (CSV, XLSX), frab/Pentabarf XML or C3VOC JSON, from a file or a URL"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_project_arguments(parser, writes=False)
    parser.add_argument("source", help="a file (programme.xlsx, schedule.xml, schedule.json, programme.csv) or an http(s) URL")
    parser.add_argument("--dry-run", action="store_true", help="change nothing; show what would change as a unified diff per file")
    parser.add_argument("--mapping", type=Path, help="a YAML file naming the spreadsheet's columns (docs/editing.md)")
    parser.add_argument("--add-rooms", action="store_true", help="spreadsheets: add rooms site.yaml lacks instead of refusing them")
    parser.add_argument("--format", choices=("csv", "xlsx", "frab", "c3voc"), help="the source's format (default: from its name or content)")


def run(args: argparse.Namespace, root: Path) -> int:
    from ..check import check_project
    from ..exchange import importer

    project = project_from(args, root)
    content = project.content
    shown_root = content.resolve()
    options = importer.ImportOptions(mapping=args.mapping, add_rooms=args.add_rooms, format=args.format)
    source = importer.fetch(args.source, shown_root, args.format)
    outcome = importer.plan_import(source, content, options, shown_root)
    if args.dry_run:
        from ..exchange.writer import unified_diff

        sys.stdout.write(unified_diff(outcome.changes))
        for note in outcome.notes:
            print(f"note: {note}", file=sys.stderr)
        print(f"import (dry run): {_counts(outcome)}; nothing was written", file=sys.stderr)
        return 0

    def errors_of(folder: Path) -> list:
        # What `check` would say: the content, and the pages a build makes of it (links, anchors).
        # With the project's cache folder: what it keeps never changes a build, and four builds of the
        # site without it (before and after, each import) made every thumbnail and card again.
        trial = replace(project, content=folder, output=folder.parent / "site")
        return list(check_project(trial).errors)

    importer.write_import(content, outcome, errors_of)
    for note in outcome.notes:
        print(f"note: {note}")
    print(f"import: {_counts(outcome)} from {source.shown}")
    return 0


def _counts(outcome) -> str:  # noqa: ANN001
    return f"{outcome.created} new, {outcome.updated} updated, {outcome.unchanged} unchanged file{'s' * (outcome.unchanged != 1)}"
