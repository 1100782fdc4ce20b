#!/usr/bin/env python3
"""Set msgstr values in the gettext catalogs from a JSON file (a translator's batch tool).

    python scripts/set_translations.py batch.json

batch.json: {"ko": {"Now": "지금", ...}, "th": {...}}. Entries set this way
lose their fuzzy flag; ids not in a catalog are reported and skipped.
Run `python build.py i18n extract` first so the catalogs know every id.
"""

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    batch = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    status = 0
    for lang, strings in batch.items():
        path = ROOT / "locales" / lang / "LC_MESSAGES" / "messages.po"
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=lang)
        for msgid, msgstr in strings.items():
            message = catalog.get(msgid)
            if message is None:
                print(f"{path}: no msgid {msgid!r}", file=sys.stderr)
                status = 1
                continue
            message.string = msgstr
            message.flags.discard("fuzzy")
        with path.open("wb") as handle:
            write_po(handle, catalog, width=0, include_lineno=False, sort_output=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
