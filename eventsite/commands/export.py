"""``build.py export``: the programme as a spreadsheet (XLSX or CSV), for printing, sharing and the round trip.

The logic is in :mod:`eventsite.exchange.sheet_out`; this module parses and writes.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from . import add_project_arguments, project_from

HELP = "the programme as a spreadsheet: --format xlsx|csv, --lang LANG (headers and texts in that language), --out FILE"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_project_arguments(parser, writes=False)
    parser.add_argument("--format", choices=("xlsx", "csv"), help="default: from --out's name, else xlsx")
    parser.add_argument(
        "--lang", "-l",
        help="one language's edition, headers included (for reading); without it, every language, for `import` to read back",
    )
    parser.add_argument("--out", type=Path, help="the file to write (default: programme.xlsx or programme.csv here)")


def run(args: argparse.Namespace, root: Path) -> int:
    from ..build import load_site
    from ..errors import BuildError, Problem, relative_to_cwd
    from ..exchange import sheet_out

    project = project_from(args, root)
    fmt = args.format or (args.out.suffix.lower().lstrip(".") if args.out and args.out.suffix.lower() in (".csv", ".xlsx") else "xlsx")
    site = load_site(project)
    if args.lang is not None and args.lang not in site.languages:
        raise BuildError([Problem("--lang", 0, f"{args.lang!r} is not a language of this site ({', '.join(site.languages)})")])
    sheets = sheet_out.programme_sheets(site, args.lang)
    stamp = dt.datetime.combine(site.config.dates.start, dt.time(0))
    data = sheet_out.to_xlsx(sheets, stamp) if fmt == "xlsx" else sheet_out.to_csv(sheets)
    out = args.out or Path.cwd() / f"programme.{fmt}"
    out.write_bytes(data)
    print(f"export: {len(sheets[0].rows)} programme items, {len(sheets) - 1} translation{'s' * (len(sheets) != 2)} → {relative_to_cwd(out)}")
    return 0
