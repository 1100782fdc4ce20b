"""``build.py new``: start a content file or a translation from a scaffold."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..program import program

HELP = "start something: new site DIR, new KIND ID (a content file with every field), new translation FOLDER/ID LANG"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "kind", help="'site', a content kind by its name in the singular (a wrong one lists them all), or 'translation'"
    )
    parser.add_argument(
        "target",
        help="for a site, the new folder; the new id (e.g. opening-ceremony); for a translation FOLDER/ID, e.g. sessions/opening",
    )
    parser.add_argument("lang", nargs="?", help="for a translation: the language, e.g. ko")
    parser.add_argument("--content", type=Path, help="content folder (default: ./content)")


def run(args: argparse.Namespace, root: Path) -> int:
    from ..errors import display_path
    from ..scaffold import ScaffoldError, new_entry, new_site, new_translation

    content = args.content or root / "content"
    try:
        if args.kind == "site":
            folder = Path.cwd() / args.target  # where the command runs, not where build.py lives
            written_files = new_site(folder)
            print(f"wrote a new event site in {args.target}/ ({len(written_files)} files). Next:")
            print(f"  cd {args.target} && eventsite serve     # preview it on http://127.0.0.1:8000/")
            print("  eventsite check --strict && eventsite build   # check it, then write it into site/")
            return 0
        if args.kind == "translation":
            if not args.lang:
                raise ScaffoldError(f"which language? e.g. `{program()} new translation sessions/opening ko`")
            written = new_translation(content, args.target, args.lang)
        else:
            if args.lang:
                raise ScaffoldError(f"unexpected {args.lang!r}: only a translation takes a language")
            written = new_entry(content, args.kind, args.target)
    except ScaffoldError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"wrote {display_path(written, content)}")
    return 0
