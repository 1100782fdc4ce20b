#!/usr/bin/env python3
"""Time from saving one session file to its rebuilt page on disk (the dev server's loop).

    python bench/edit_latency.py                      # the Busan site
    python bench/edit_latency.py --sessions 660 --languages 4   # a ~5,000-page synthetic site
    python bench/edit_latency.py --edit time                  # move the session's end instead of retitling it

Runs the same incremental builder the dev server uses (without the HTTP
part and without the 50 ms settle delay the server adds for bursts of
saves): one full build, then several edits of one session (its title, or
with ``--edit time`` its end time, which also reorders listings), each
timed from the write to the moment its page is on disk, and to the moment
every stale output is.
Prints every figure and the median.
"""

from __future__ import annotations

import argparse
import re
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
    parser.add_argument("--edit", choices=("title", "time"), default="title", help="what each edit changes")
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
        page = project.output / result.site.languages[0] / "sessions" / session.stem / "index.html"
        figures, totals = [], []
        for index in range(args.edits):
            before = page.read_bytes()
            if args.edit == "title":
                text = original.replace('title: "', f'title: "Edited {index} ', 1)
            else:  # end a minute earlier each time (still after the start)
                text = re.sub(r'(end: "\d{4}-\d\d-\d\d \d\d:)(\d\d)', lambda match: f"{match[1]}{int(match[2]) - index - 1:02d}", original, count=1)
            started = time.perf_counter()
            session.write_text(text, encoding="utf-8")
            update = builder.update({session})
            assert page.read_bytes() != before, "the edited page was not rewritten"
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
