"""Small fixture sites written by tests, and helpers to build and parse them."""

from __future__ import annotations

import os
import signal
import subprocess
import textwrap
import time
from pathlib import Path

import html5lib
from lxml import etree

from eventsite.build import BuildResult, Project, build_site

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SHARED = PROJECT_ROOT.parent / "shared"

SITE_YAML = """\
title:
  en: Test Forum
  ko: 테스트 포럼
tagline: A small forum for tests
languages: [en, ko, th]
timezone: Asia/Seoul
dates: {start: "2019-11-25", end: "2019-11-26"}
base_url: https://example.org/forum/
venue: {name: Test Hall, city: Busan, country: KR}
organizer: {name: Test Ministry, url: "https://example.org/"}
countries: [KR, TH, NO]
rooms:
  hall-a: {name: {en: Hall A, ko: A홀}}
  hall-b: {name: Hall B}
exhibition:
  sections:
    korea: {title: {en: Korea, ko: 한국}}
nav: [schedule, exhibition, people, news, about]
"""

BASE_FILES: dict[str, str] = {
    "site.yaml": SITE_YAML,
    "sessions/opening.md": """\
        ---
        title: Opening ceremony
        start: "2019-11-25 09:00"
        end: "2019-11-25 10:00"
        kind: ceremony
        room: hall-a
        speakers: [minister]
        countries: [KR]
        summary: The forum opens.
        ---
        Welcome. See [the about page](/about/) and [the programme](/schedule/).
        """,
    "sessions/opening.ko.md": """\
        ---
        title: 개회식
        summary: 포럼이 시작됩니다.
        ---
        환영합니다. [소개](/about/)
        """,
    "sessions/talk.md": """\
        ---
        title: Talk on smart traffic
        start: "2019-11-26 14:00"
        end: "2019-11-26 15:30"
        kind: roundtable
        room: hall-b
        moderators: [moderator]
        countries: [TH, NO]
        ---
        ## Background
        Traffic.
        """,
    "people/minister.md": """\
        ---
        name: The Minister
        role: Minister
        country: KR
        ---
        Bio.
        """,
    "people/moderator.md": """\
        ---
        name: A Moderator
        country: NO
        ---
        Moderates.
        """,
    "pages/about.md": """\
        ---
        title: About
        summary: About the forum.
        ---
        About text.
        """,
    "news/launch.md": """\
        ---
        title: Launch
        date: "2019-11-20"
        ---
        News text.
        """,
    "exhibits/five-g.md": """\
        ---
        title: 5G disaster response
        section: korea
        country: KR
        organization: Test Ministry
        ---
        Exhibit body.
        """,
}


def write_site(root: Path, files: dict[str, str | bytes | None] | None = None, *, base: bool = True) -> Path:
    """Write a content folder under ``root``; ``None`` as a value deletes a base file."""
    content = root / "content"
    merged: dict[str, str | bytes | None] = dict(BASE_FILES) if base else {}
    merged.update(files or {})
    for relative, text in merged.items():
        if text is None:
            continue
        path = content / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text), encoding="utf-8")
    return content


def project_for(content: Path, output: Path, base_url: str | None = None) -> Project:
    project = Project.at(PROJECT_ROOT, content=content, output=output, base_url=base_url)
    return project


def build(content: Path, output: Path, **kwargs) -> BuildResult:
    return build_site(project_for(content, output), **kwargs)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` (relative '/' path → bytes): to compare whole outputs."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def parse_html(path: Path) -> etree._Element:
    """Parse like a browser does (html5lib), into lxml elements without namespaces."""
    return html5lib.parse(path.read_bytes(), treebuilder="lxml", namespaceHTMLElements=False)


def text_of(element) -> str:
    return " ".join("".join(element.itertext()).split())


def busan_with_languages(root: Path, extra: list[str]) -> Path:
    """A copy of the real content with languages appended to site.yaml, nothing else changed."""
    import re
    import shutil

    content = root / "content"
    shutil.copytree(PROJECT_ROOT / "content", content)
    site_yaml = content / "site.yaml"
    text = site_yaml.read_text(encoding="utf-8")
    text, count = re.subn(r"^languages: \[(.*)\]$", lambda m: f"languages: [{m.group(1)}, {', '.join(extra)}]", text, flags=re.M)
    assert count == 1, "site.yaml languages must be a one-line list"
    site_yaml.write_text(text, encoding="utf-8")
    return content


def busan_partially_translated(root: Path) -> Path:
    """A copy of the real content as it was before every edition was translated: no Lao at all,
    Khmer only for Cambodia's head of delegation and bilateral meeting, Thai without the media
    briefing. Fallback pages, partial search indexes and the like are tested on it."""
    import shutil

    content = root / "content"
    shutil.copytree(PROJECT_ROOT / "content", content)
    kept_khmer = {"head-of-delegation-cambodia.km.md", "bilateral-cambodia.km.md"}
    for path in content.rglob("*.md"):
        if path.name.endswith(".lo.md") or (path.name.endswith(".km.md") and path.name not in kept_khmer):
            path.unlink()
    (content / "sessions" / "media-briefing.th.md").unlink()
    return content


def big_site(root: Path, sessions: int = 400, paragraphs: int = 20) -> Path:
    """A site whose build takes seconds: long enough to be interrupted in the middle."""
    files: dict[str, str | bytes | None] = {}
    for index in range(sessions):
        hour = 8 + index % 12
        files[f"sessions/extra-{index}.md"] = (
            f"---\ntitle: Extra {index}\nstart: \"2019-11-26 {hour:02d}:00\"\nend: \"2019-11-26 {hour:02d}:30\"\n---\n"
            + "Body text with *emphasis* and a [link](/about/).\n\n" * paragraphs
        )
    return write_site(root, files)


def kill_while_rendering(process: subprocess.Popen, folder: Path, timeout: float = 120) -> list[Path]:
    """SIGKILL a build once its staging folder in ``folder`` holds pages; return the staging folders seen."""
    deadline = time.monotonic() + timeout
    staged: list[Path] = []
    while time.monotonic() < deadline and process.poll() is None:
        staged = [p for p in folder.glob(".site.tmp-*") if any(p.rglob("index.html"))]
        if staged:
            break
        time.sleep(0.005)
    assert staged, "the build finished before it could be killed: make big_site larger"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    return staged
