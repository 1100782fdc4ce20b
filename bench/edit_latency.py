#!/usr/bin/env python3
"""Time from saving one session file to its rebuilt page on disk (the dev server's loop).

    python bench/edit_latency.py                      # the Busan site
    python bench/edit_latency.py --sessions 1250 --languages 4   # a ~5,000-page synthetic site

Runs the same incremental builder the dev server uses (without the HTTP
part and without the 50 ms settle delay the server adds for bursts of
saves): one full build, then several edits of one session's title, each
timed from the write to the moment its page in every language is on disk.
Prints every figure and the median.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from eventsite.build import Project  # noqa: E402
from eventsite.incremental import IncrementalBuilder  # noqa: E402
from make_site import make_site  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=0, help="synthetic site size (0: the real Busan content)")
    parser.add_argument("--languages", type=int, default=4)
    parser.add_argument("--edits", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-edit-") as temporary:
        work = Path(temporary)
        if args.sessions:
            content = make_site(work / "content", args.sessions, args.languages, 0.5, 2019)
            session = content / "sessions" / "session-1.md"
        else:
            content = work / "content"
            shutil.copytree(ROOT / "content", content)
            session = content / "sessions" / "roundtable-session-2.md"
        project = Project.at(ROOT, content=content, output=work / "site")
        project = Project(project.content, project.output, project.theme, cache=work / "cache")
        builder = IncrementalBuilder(project)
        started = time.perf_counter()
        result = builder.full_build()
        print(f"full build: {sum(result.pages_per_language.values())} pages in {time.perf_counter() - started:.2f} s")
        original = session.read_text(encoding="utf-8")
        figures, totals = [], []
        for index in range(args.edits):
            text = original.replace('title: "', f'title: "Edited {index} ', 1)
            started = time.perf_counter()
            session.write_text(text, encoding="utf-8")
            update = builder.update({session})
            page = project.output / result.site.languages[0] / "sessions" / session.stem / "index.html"
            assert f"Edited {index}" in page.read_text(encoding="utf-8")
            elapsed = (time.perf_counter() - started) * 1000
            figures.append(update.first_seconds * 1000)
            totals.append(elapsed)
            print(
                f"edit {index + 1}: page on disk after {update.first_seconds * 1000:.0f} ms; "
                f"all {update.rendered} stale outputs after {elapsed:.0f} ms ({len(update.written)} files changed)"
            )
        print(f"median: edited page {statistics.median(figures):.0f} ms, everything {statistics.median(totals):.0f} ms, over {len(figures)} edits")
    return 0


if __name__ == "__main__":
    sys.exit(main())
