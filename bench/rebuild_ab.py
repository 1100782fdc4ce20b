#!/usr/bin/env python3
"""Two checkouts of eventsite, side by side, on one kind of command-line rebuild (A/B).

    python bench/rebuild_ab.py OLD_CHECKOUT NEW_CHECKOUT [--edit time|text|full|cold|decide] [--runs 7]

On a shared machine one rebuild's wall time varies by ±20 %: comparing
medians measured minutes apart says little about a 0.3 s change. This runs
the two checkouts' ``build.py`` interleaved (A, B, A, B…) on the same
synthetic site (make_site.py, each with its own output and cache folder),
and prints the minimum and the median of each, wall and CPU (its processes
and their children).

Each run puts the edited session back as it was (a rebuild, untimed), then
edits it (``time``: its start and end an hour later; ``text``: a sentence
appended) and times the rebuild that follows. ``full`` times a whole build
instead (the output deleted first, untimed; the cache folder warm), ``cold``
the same with ``--no-cache``. ``decide`` appends a sentence once and times,
again and again, only what a rebuild does before it renders: comparing with
the saved state, importing, and the decision between a rebuild and a full
build (:data:`DECIDE`, run in each checkout). ``PYTHONDONTWRITEBYTECODE``
is removed from the environment: a user's install has its bytecode.
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

# What build.py does up to the rebuild's decision (eventsite/commands/build.py), timed from the start of the
# process; the checkout, the output folder. An older checkout's compare() gives the decision at once.
DECIDE = """
import argparse, sys, time
started = time.perf_counter()
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from eventsite.buildstate import compare
from eventsite.commands import project_from
from eventsite.project import BuildOptions
args = argparse.Namespace(content=Path("content"), out=Path(sys.argv[2]), no_cache=False, base_url=None)
comparison = compare(project_from(args, Path(sys.argv[1])), BuildOptions(search=False, one_shot=True))
from eventsite.build import build_site
from eventsite.progress import stderr_progress
from eventsite.rebuild import build_with_state
previous = comparison.previous() if hasattr(comparison, "previous") else comparison
assert previous.state is not None and previous.changed, previous.reason
print(time.perf_counter() - started)
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("checkouts", nargs=2, type=Path, help="two folders with build.py (A, then B)")
    parser.add_argument("--edit", choices=("time", "text", "full", "cold", "decide"), default="time")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--sessions", type=int, default=300)
    parser.add_argument("--languages", type=int, default=10)
    args = parser.parse_args()
    environment = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.TemporaryDirectory(prefix="bench-ab-") as temporary:
        work = Path(temporary)
        content = work / "content"
        subprocess.run([sys.executable, str(ROOT / "bench" / "make_site.py"), "--sessions", str(args.sessions),
                        "--languages", str(args.languages), "--out", str(content)], check=True, stdout=subprocess.DEVNULL)
        sources = sorted(path for path in (content / "sessions").glob("*.md") if path.suffixes == [".md"])
        session = sources[len(sources) // 2]
        original = session.read_text(encoding="utf-8")
        if args.edit == "time":
            edited = re.sub(r'^((?:start|end): "[0-9-]+ )(\d\d)', lambda m: m[1] + f"{int(m[2]) + 1:02d}", original, flags=re.M)
        else:
            edited = original + "\nOne more sentence.\n"
        variants = {"A": args.checkouts[0].resolve(), "B": args.checkouts[1].resolve()}
        samples: dict[str, list[tuple[float, float]]] = {label: [] for label in variants}

        def build(label: str) -> tuple[float, float]:
            # Each checkout with its own output; its cache folder is its own (below the checkout).
            command = [sys.executable, str(variants[label] / "build.py"), "--content", str(content),
                       "--out", str(work / f"site-{label}"), "--no-search", *(["--no-cache"] if args.edit == "cold" else [])]
            before_wall, before = time.perf_counter(), os.times()
            subprocess.run(command, cwd=work, env=environment, check=True, capture_output=True)
            after = os.times()
            cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
            return time.perf_counter() - before_wall, cpu

        def decide(label: str) -> tuple[float, float]:
            before = os.times()
            done = subprocess.run([sys.executable, "-c", DECIDE, str(variants[label]), f"site-{label}"], cwd=work,
                                  env=environment, check=True, capture_output=True, text=True)
            after = os.times()
            return float(done.stdout), (after.children_user - before.children_user) + (after.children_system - before.children_system)

        for label in variants:  # the first, full builds, untimed
            build(label)
        if args.edit == "decide":
            session.write_text(edited, encoding="utf-8")
        for _ in range(args.runs):
            for label in variants:
                if args.edit == "decide":
                    samples[label].append(decide(label))
                    continue
                if args.edit in ("full", "cold"):
                    set_aside(work / f"site-{label}", work / "trash")  # not deleted before the timed build (bench/aside.py)
                    samples[label].append(build(label))
                    continue
                session.write_text(original, encoding="utf-8")
                build(label)
                session.write_text(edited, encoding="utf-8")
                samples[label].append(build(label))
    what = {"full": "a full build (warm cache)", "cold": "a full build (--no-cache)",
            "decide": "up to a rebuild's decision (one session's text)"}.get(args.edit, f"one session's {args.edit}")
    print(f"\n{what}, {args.sessions} sessions × {args.languages} languages, {args.runs} runs each, "
          f"interleaved, {os.cpu_count()} cores\n")
    print("| checkout | wall min (s) | wall median (s) | CPU min (s) | CPU median (s) |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for label, found in samples.items():
        walls, cpus = [wall for wall, _ in found], [cpu for _, cpu in found]
        print(f"| {label}: {variants[label]} | {min(walls):.2f} | {statistics.median(walls):.2f} | "
              f"{min(cpus):.2f} | {statistics.median(cpus):.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
