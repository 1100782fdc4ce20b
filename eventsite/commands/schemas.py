"""``build.py schemas``: write the JSON Schemas for editors into schemas/."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..program import program

HELP = "write JSON Schemas of site.yaml and front matter to schemas/ (--check: fail if out of date)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--check", action="store_true", help="only compare; exit 1 if the files are out of date")
    parser.add_argument("--dir", type=Path, help="folder to write or compare (default: ./schemas)")


def run(args: argparse.Namespace, root: Path) -> int:
    from ..schemas import differences, write

    folder = args.dir or root / "schemas"
    if args.check:
        found = differences(folder)
        for line in found:
            print(f"{folder.name}/{line}", file=sys.stderr)
        if found:
            print(f"schemas are out of date: run `{program()} schemas` and commit the result", file=sys.stderr)
            return 1
        print(f"schemas are up to date ({folder})")
        return 0
    changed = write(folder)
    for path in changed:
        print(f"wrote {path}")
    if not changed:
        print(f"schemas are up to date ({folder})")
    return 0
