#!/usr/bin/env python3
"""The same Markdown pages built by eventsite, Hugo, Jekyll, Pelican and MkDocs.

    python bench/compare.py --pages 1000 [--runs 3] [--tools eventsite,hugo,jekyll,pelican,mkdocs]

Every tool gets the same N pages (same titles, same ~600-word bodies) and a
minimal equivalent template (title, body, a link home). Tools run one after
another inside each round, so they share the machine's state; the table
shows the median wall time over the rounds, pages per second, peak resident
memory of the tool's process tree, and each tool's time as a multiple of
ours. Deleting the previous output is not timed. A tool that is not
installed is skipped, and the table says so.

eventsite is measured three times: *cold* (``--no-cache``: every Markdown
body converted) and *warm* (its cache folder filled by a previous build, the
way an editor or CI with a cache rebuilds), both ``--no-search`` because no
peer builds a search index, and *warm+search*, what a published build with
its Pagefind index costs. eventsite renders its full theme (header, language
switcher, JSON-LD…), not a minimal template: the peers get the lighter job. Install the peers with
``apt-get install hugo jekyll`` and ``pip install pelican mkdocs``.

Rows that go beyond the peers' job (the targets of issue 19, docs/performance.md):

- *eventsite-no-change*: the same command again, the output left in place
  (the last build's state says nothing changed);
- *eventsite-one-edit*: one page's text changed before each run;
- *sessions-N*: ``make_site.py --sessions N --languages 1`` (a programme of
  N sessions with their people, exhibits and calendars), warm, no search;
- *busan*, *busan-no-change*, *busan-one-edit*: this repository's site as
  published (search index, share cards, fingerprints), warm; then run again
  unchanged, then with one session's text changed.

    python bench/compare.py --pages 1000 --tools hugo,eventsite-warm,sessions,eventsite-no-change,eventsite-one-edit,busan,busan-no-change,busan-one-edit
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from aside import set_aside  # noqa: E402
from make_site import body  # noqa: E402

import random  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PAGE = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title></head><body><main><h1>{title}</h1>{content}</main><a href=\"{home}\">Home</a></body></html>\n"


@dataclass
class Job:
    """One timed command; ``before`` runs untimed before each run; ``keep`` leaves the output in place."""

    command: list[str]
    output: Path
    before: "callable | None" = None
    keep: bool = False


def pages(count: int, seed: int = 7) -> list[tuple[str, str, str]]:
    """(slug, title, body) × count, ~600 words each."""
    rng = random.Random(seed)
    found = []
    for index in range(count):
        text = body(rng, "en", ["/about/"]) + "\n" + body(rng, "en", [])[:1200]
        found.append((f"page-{index}", f"Page {index}: " + " ".join(text.split()[1:5]), text.replace("(/about/)", "(https://example.org/)")))
    return found


def setup_eventsite(work: Path, items, *, cache: bool, search: bool = False) -> tuple[list[str], Path]:
    content = work / "content"
    (content / "pages").mkdir(parents=True)
    (content / "site.yaml").write_text(
        'title: Benchmark\nlanguages: [en]\ntimezone: UTC\ndates: {start: "2030-01-01", end: "2030-01-01"}\n'
        "base_url: https://bench.example.org/\n",
        encoding="utf-8",
    )
    for slug, title, text in items:
        (content / "pages" / f"{slug}.md").write_text(f'---\ntitle: "{title}"\n---\n{text}', encoding="utf-8")
    command = [sys.executable, str(ROOT / "build.py"), "--content", str(content), "--out", str(work / "out")]
    if not cache:
        command.append("--no-cache")
    if not search:
        command.append("--no-search")  # the peers index nothing: compare equal work
    return command, work / "out"


def setup_rebuild(work: Path, items, *, edit: bool) -> Job:
    command, output = setup_eventsite(work, items, cache=True)
    page = work / "content" / "pages" / f"{items[len(items) // 2][0]}.md"
    counter = iter(range(10**6))
    before = (lambda: page.write_text(page.read_text(encoding="utf-8") + f"\nEdit {next(counter)}.\n", encoding="utf-8")) if edit else None
    return Job(command, output, before, keep=True)


def setup_sessions(work: Path, items) -> tuple[list[str], Path]:
    content = work / "content"
    subprocess.run([sys.executable, str(ROOT / "bench" / "make_site.py"), "--sessions", str(len(items)), "--languages", "1",
                    "--out", str(content)], check=True, stdout=subprocess.DEVNULL)
    return [sys.executable, str(ROOT / "build.py"), "--content", str(content), "--out", str(work / "out"), "--no-search"], work / "out"


def setup_busan(work: Path, items, *, again: bool = False, edit: bool = False) -> Job:
    shutil.copytree(ROOT / "content", work / "content")
    command = [sys.executable, str(ROOT / "build.py"), "--content", str(work / "content"), "--out", str(work / "out")]
    session = sorted((work / "content" / "sessions").glob("*.md"))[0]
    counter = iter(range(10**6))
    before = (lambda: session.write_text(session.read_text(encoding="utf-8") + f"\nEdit {next(counter)}.\n", encoding="utf-8")) if edit else None
    return Job(command, work / "out", before, keep=again or edit)


def setup_hugo(work: Path, items) -> tuple[list[str], Path]:
    (work / "layouts" / "_default").mkdir(parents=True)
    (work / "content").mkdir()
    (work / "hugo.toml").write_text('baseURL = "https://bench.example.org/"\ntitle = "Benchmark"\ndisableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n')
    (work / "layouts" / "_default" / "single.html").write_text(PAGE.format(title="{{ .Title }}", content="{{ .Content }}", home="/"))
    (work / "layouts" / "_default" / "list.html").write_text(PAGE.format(title="{{ .Title }}", content="", home="/"))
    for slug, title, text in items:
        (work / "content" / f"{slug}.md").write_text(f'---\ntitle: "{title}"\n---\n{text}', encoding="utf-8")
    return ["hugo", "--quiet", "--destination", str(work / "out")], work / "out"


def setup_jekyll(work: Path, items) -> tuple[list[str], Path]:
    (work / "_layouts").mkdir(parents=True)
    (work / "_config.yml").write_text("title: Benchmark\nmarkdown: kramdown\n")
    (work / "_layouts" / "default.html").write_text(PAGE.format(title="{{ page.title }}", content="{{ content }}", home="/"))
    for slug, title, text in items:
        (work / f"{slug}.md").write_text(f'---\nlayout: default\ntitle: "{title}"\n---\n{text}', encoding="utf-8")
    return ["jekyll", "build", "--quiet", "--source", str(work), "--destination", str(work / "out")], work / "out"


def setup_pelican(work: Path, items) -> tuple[list[str], Path]:
    theme = work / "theme" / "templates"
    theme.mkdir(parents=True)
    (work / "content").mkdir()
    for name in ("article", "page"):
        (theme / f"{name}.html").write_text(PAGE.format(title="{{ %s.title }}" % name, content="{{ %s.content }}" % name, home="/"))
    for name in ("index", "archives", "tags", "categories", "authors", "period_archives", "tag", "category", "author"):
        (theme / f"{name}.html").write_text(PAGE.format(title="Benchmark", content="", home="/"))
    (work / "pelicanconf.py").write_text(
        "SITENAME = 'Benchmark'\nPATH = 'content'\nTHEME = 'theme'\nTIMEZONE = 'UTC'\nDEFAULT_DATE = (2030, 1, 1)\n"
        "FEED_ALL_ATOM = None\nCATEGORY_FEED_ATOM = None\nAUTHOR_FEED_ATOM = None\nAUTHOR_FEED_RSS = None\nTRANSLATION_FEED_ATOM = None\n"
        "DIRECT_TEMPLATES = []\nARCHIVES_SAVE_AS = ''\nTAGS_SAVE_AS = ''\nCATEGORIES_SAVE_AS = ''\nAUTHORS_SAVE_AS = ''\n"
        "CATEGORY_SAVE_AS = ''\nTAG_SAVE_AS = ''\nAUTHOR_SAVE_AS = ''\nCACHE_CONTENT = False\nLOAD_CONTENT_CACHE = False\n"
    )
    for slug, title, text in items:
        (work / "content" / f"{slug}.md").write_text(f"Title: {title}\nSlug: {slug}\n\n{text}", encoding="utf-8")
    return [sys.executable, "-m", "pelican", str(work / "content"), "-s", str(work / "pelicanconf.py"), "-o", str(work / "out"), "-q"], work / "out"


def setup_mkdocs(work: Path, items) -> tuple[list[str], Path]:
    (work / "docs").mkdir(parents=True)
    (work / "theme").mkdir()
    (work / "theme" / "main.html").write_text(PAGE.format(title="{{ page.title }}", content="{{ page.content }}", home="/"))
    (work / "mkdocs.yml").write_text("site_name: Benchmark\ntheme:\n  name: null\n  custom_dir: theme\n")
    (work / "docs" / "index.md").write_text("# Benchmark\n")
    for slug, title, text in items:
        (work / "docs" / f"{slug}.md").write_text(f"# {title}\n\n{text}", encoding="utf-8")
    return [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(work / "mkdocs.yml"), "-d", str(work / "out")], work / "out"


def module_available(name: str) -> bool:
    return subprocess.run([sys.executable, "-c", f"import {name}"], capture_output=True).returncode == 0


TOOLS = {
    "eventsite-cold": (lambda work, items: setup_eventsite(work, items, cache=False), lambda: True),
    "eventsite-warm": (lambda work, items: setup_eventsite(work, items, cache=True), lambda: True),
    # What a published build costs: warm, plus the Pagefind index the peers do not make.
    "eventsite-warm+search": (lambda work, items: setup_eventsite(work, items, cache=True, search=True), lambda: True),
    "eventsite-no-change": (lambda work, items: setup_rebuild(work, items, edit=False), lambda: True),
    "eventsite-one-edit": (lambda work, items: setup_rebuild(work, items, edit=True), lambda: True),
    "sessions": (setup_sessions, lambda: True),
    "busan": (lambda work, items: setup_busan(work, items), lambda: True),
    "busan-no-change": (lambda work, items: setup_busan(work, items, again=True), lambda: True),
    "busan-one-edit": (lambda work, items: setup_busan(work, items, edit=True), lambda: True),
    "hugo": (setup_hugo, lambda: shutil.which("hugo") is not None),
    "jekyll": (setup_jekyll, lambda: shutil.which("jekyll") is not None),
    "pelican": (setup_pelican, lambda: module_available("pelican")),
    "mkdocs": (setup_mkdocs, lambda: module_available("mkdocs")),
}


def run_once(job: Job, cwd: Path, trash: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one build; the old output is set aside into ``trash`` first (unless
    kept), untimed (bench/aside.py: deleting it here would slow the next builds' file creation)."""
    command, output = job.command, job.output
    if not job.keep:
        set_aside(output, trash)
    if job.before is not None:
        job.before()
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if status != 0:
        raise RuntimeError(f"{command[0]} failed: {process.stderr.read().decode(errors='replace')[-2000:]}")
    return seconds, usage.ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--tools", default=",".join(TOOLS))
    args = parser.parse_args()
    # The builds run as on a user's machine, whose install has its modules' bytecode: a sandbox's
    # PYTHONDONTWRITEBYTECODE would make every timed process compile ~90 modules again (~0.13 s).
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    items = pages(args.pages)
    chosen = [name for name in args.tools.split(",") if name]
    results: dict[str, list[tuple[float, float]]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-compare-") as temporary:
        trash = Path(temporary) / "trash"  # old outputs, deleted with the folder after the last round
        prepared = {}
        for name in chosen:
            setup, available = TOOLS[name]
            if not available():
                print(f"skipping {name}: not installed", file=sys.stderr)
                continue
            work = Path(temporary) / name
            work.mkdir()
            made = setup(work, items)
            prepared[name] = (made if isinstance(made, Job) else Job(*made), work)
            results[name] = []
        for name, (job, work) in prepared.items():  # fill the caches (and make the output to rebuild) once, untimed
            if name != "eventsite-cold" and name.startswith(("eventsite", "sessions", "busan")):
                run_once(Job(job.command, job.output, keep=job.keep), work, trash)
        for round_index in range(args.runs):
            for name, (job, work) in prepared.items():
                results[name].append(run_once(job, work, trash))
                print(f"round {round_index + 1}: {name} {results[name][-1][0]:.2f} s", file=sys.stderr)
    reference = next((name for name in ("eventsite-cold", "hugo") if name in results), None)
    ours = statistics.median(seconds for seconds, _ in results[reference]) if reference else None
    print(f"\n{args.pages} pages, {args.runs} runs, {platform.node()} ({os.cpu_count()} cores, Python {platform.python_version()})\n")
    print(f"| tool | median wall (s) | pages/s | peak RSS (MB) | time ÷ {reference or '–'} |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, samples in results.items():
        wall = statistics.median(seconds for seconds, _ in samples)
        peak = max(memory for _, memory in samples)
        ratio = f"{wall / ours:.2f}" if ours else "–"
        print(f"| {name} | {wall:.2f} | {args.pages / wall:.0f} | {peak:.0f} | {ratio} |")
    for name in chosen:
        if name not in results:
            print(f"| {name} | not installed | | | |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
