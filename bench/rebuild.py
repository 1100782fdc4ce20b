#!/usr/bin/env python3
"""Command-line rebuilds against the full build, on a synthetic site (issue 19's targets).

    python bench/rebuild.py --sessions 300 --languages 10 [--search] [--runs 3]

Makes the site with make_site.py in a temporary folder, then times, in one
process tree each and with its peak resident memory:

1. a full build with a warm cache (the output deleted first; the Markdown and
   template caches filled by an untimed build before),
2. the same command again with nothing changed,
3. the same command after one session's text changed (a different sentence
   appended each run; the session's file in the default language),
4. the same after one translation of another session changed (its language's pages only),
5. the same after that session's start and end moved (listings and calendars change).

Prints a table with each as a share of the full build. Medians of --runs.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from aside import set_aside  # noqa: E402


def timed(command: list[str], cwd: Path) -> tuple[float, float]:
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if status != 0:
        raise RuntimeError(process.stderr.read().decode(errors="replace")[-2000:])
    return seconds, usage.ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=300)
    parser.add_argument("--languages", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--search", action="store_true", help="build the Pagefind index too (a published build)")
    args = parser.parse_args()
    # The builds run as on a user's machine, whose install has its modules' bytecode: a sandbox's
    # PYTHONDONTWRITEBYTECODE would make every timed process compile ~90 modules again (~0.13 s).
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    with tempfile.TemporaryDirectory(prefix="bench-rebuild-") as temporary:
        work = Path(temporary)
        content = work / "content"
        subprocess.run([sys.executable, str(ROOT / "bench" / "make_site.py"), "--sessions", str(args.sessions),
                        "--languages", str(args.languages), "--out", str(content)], check=True, stdout=subprocess.DEVNULL)
        output = work / "site"
        command = [sys.executable, str(ROOT / "build.py"), "--content", str(content), "--out", str(output)]
        if not args.search:
            command.append("--no-search")
        # A session in the default language (x.md, not x.th.md), and one translation of another session.
        sources = sorted(path for path in (content / "sessions").glob("*.md") if path.suffixes == [".md"])
        session = sources[len(sources) // 2]
        translation = sorted((content / "sessions").glob(f"{sources[len(sources) // 2 + 1].stem}.*.md"))[0]
        timed(command, work)  # fill the caches, untimed
        pages = sum(1 for _ in output.rglob("*.html"))
        samples: dict[str, list[tuple[float, float]]] = {"full build (warm cache)": [], "nothing changed": [],
                                                         "one session's text": [], "one translation's text": [],
                                                         "one session's time": []}
        for run in range(args.runs):
            set_aside(output, work / "trash")  # not deleted before the timed build (bench/aside.py)
            samples["full build (warm cache)"].append(timed(command, work))
            samples["nothing changed"].append(timed(command, work))
            session.write_text(session.read_text(encoding="utf-8") + f"\nOne more sentence, run {run}.\n", encoding="utf-8")
            samples["one session's text"].append(timed(command, work))
            translation.write_text(translation.read_text(encoding="utf-8") + f"\nOne more sentence, run {run}.\n", encoding="utf-8")
            samples["one translation's text"].append(timed(command, work))
            text = session.read_text(encoding="utf-8")
            # Start and end an hour later (both, so that the end stays after the start).
            session.write_text(re.sub(r'^((?:start|end): "[0-9-]+ )(\d\d)', lambda m: m[1] + f"{int(m[2]) + 1:02d}", text, flags=re.M),
                               encoding="utf-8")
            samples["one session's time"].append(timed(command, work))
    full = statistics.median(seconds for seconds, _ in samples["full build (warm cache)"])
    search = "with" if args.search else "without"
    print(f"\n{args.sessions} sessions × {args.languages} languages ({pages:,} HTML pages), {search} search, "
          f"medians of {args.runs} runs, {os.cpu_count()} cores\n")
    print("| build | median wall (s) | share of the full build | peak RSS (MB) |")
    print("| --- | ---: | ---: | ---: |")
    for name, found in samples.items():
        wall = statistics.median(seconds for seconds, _ in found)
        print(f"| {name} | {wall:.2f} | {wall / full:.0%} | {max(memory for _, memory in found):.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
