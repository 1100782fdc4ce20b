#!/usr/bin/env python3
"""How long creating a site's worth of files takes, right after deleting as many (bench/aside.py).

    python bench/file_creation.py [--folders 2500] [--runs 4] [--dir /tmp] [--aside]

Each run makes ``--folders`` folders with two 20 kB files each (a page and its
share card), times that, then deletes them (or, with ``--aside``, renames the
folder away and deletes everything at the end). On ext4 without a journal the
creation time grows with every run that follows a deletion; elsewhere it stays flat.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--folders", type=int, default=2500)
    parser.add_argument("--runs", type=int, default=4)
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()))
    parser.add_argument("--aside", action="store_true", help="rename each run's folder away instead of deleting it")
    args = parser.parse_args()
    data = b"x" * 20_000
    with tempfile.TemporaryDirectory(prefix="bench-files-", dir=args.dir) as temporary:
        work = Path(temporary)
        for run in range(args.runs):
            root = work / f"out-{run}"
            started = time.perf_counter()
            for number in range(args.folders):
                folder = root / "sessions" / f"s{number}"
                folder.mkdir(parents=True)
                for name in ("index.html", "og.png"):
                    with open(folder / name, "xb") as stream:
                        stream.write(data)
            created = time.perf_counter() - started
            started = time.perf_counter()
            if args.aside:
                root.rename(work / f"aside-{run}")
            else:
                shutil.rmtree(root)
            removed = time.perf_counter() - started
            print(f"run {run + 1}: created {2 * args.folders:,} files in {created:.2f} s, "
                  f"{'set aside' if args.aside else 'deleted'} in {removed:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
