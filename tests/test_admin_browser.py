"""The web editor, used as an editor would in headless Chromium: edit a session's title and
translate it into Korean in /admin/ (Sveltia CMS, vendored), save, and the content files on disk
are exactly what the build expects.

The site is a fixture with ``admin:`` in site.yaml, built and served on 127.0.0.1 under its
base path. The CMS runs in its local-repository mode ("Work with Local Repository", which Sveltia
offers on 127.0.0.1 and localhost): it reads and writes the checkout directly, as an editor's
would with ``build.py serve``. Headless Chromium cannot answer the folder picker that mode opens,
so the test answers it (tests/support/local_repository.py says how and why); everything else is
the published page under its own Content-Security-Policy.
"""

from __future__ import annotations

import re
import subprocess
import textwrap
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Browser

from eventsite import admin
from eventsite.cli import main
from tests.support.browser import DEFAULT_VIEWPORT, watch_page
from tests.support.local_repository import offer_repository

from .sitekit import (
    BASE_FILES,
    SITE_YAML,
    build,
    parse_html,
    snapshot,
    text_of,
    write_site,
)

ADMIN = "admin: {backend: github, repo: ministry/forum-site, branch: main}\n"

# What the CMS writes for the edited session: the title changed, every other value as it was.
# Sveltia writes YAML its own way (plain scalars, block lists, a blank line before the body);
# the build reads every value as text, so the site is the same (docs/editing.md says so).
TALK_AFTER = """\
---
title: Talk on smart traffic and road safety
start: 2019-11-26 14:00
end: 2019-11-26 15:30
kind: roundtable
room: hall-b
moderators:
  - moderator
countries:
  - TH
  - NO
---

## Background
Traffic.
"""
# The new translation holds only what was translated (fields.TranslationBase: no times, no room).
TALK_KO = """\
---
title: 스마트 교통과 도로 안전 토론
summary: 교통 혁신에 관한 원탁회의입니다.
---
"""

# Requests the editor's policy blocks on purpose (eventsite/admin.py): Sveltia's update check and
# GitHub's status page. Any other blocked request fails the test.
BLOCKED_ON_PURPOSE = ("https://unpkg.com/@sveltia/cms/package.json", "https://www.githubstatus.com/api/v2/status.json")
# Sveltia 0.221.1 throws this once the entry is saved and its draft closed: its locale switcher
# still asks for the validation state of the closed draft's locales (Object.values of undefined).
# The files are written by then; any other uncaught exception fails the test.
SVELTIA_AFTER_SAVE = "Cannot convert undefined or null to object"


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    """A checkout: content/ with admin enabled, under git (the CMS looks for .git)."""
    root = tmp_path / "repository"
    write_site(root, {"site.yaml": SITE_YAML + ADMIN})
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    return root


@pytest.fixture
def editor(browser: Browser, repository: Path):
    """A fresh browser context whose folder picker picks the repository."""
    context = browser.new_context(viewport=DEFAULT_VIEWPORT, locale="en-US")  # type: ignore[arg-type]
    disk = offer_repository(context, repository)
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page, disk
    context.close()


def test_edit_a_title_and_translate_it_into_korean(editor, repository: Path, tmp_path: Path, serve, capsys) -> None:
    page, disk = editor
    content = repository / "content"
    site = tmp_path / "site"
    build(content, site)
    before = snapshot(content)
    problems = watch_page(page)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    base = serve(site, "/forum/")

    page.goto(base + "admin/", wait_until="load")
    assert page.locator('meta[http-equiv="Content-Security-Policy"]').get_attribute("content") == admin.policy()
    page.get_by_role("button", name=re.compile("Work with Local Repository")).click()
    page.get_by_text("Talk on smart traffic").first.click()
    page.get_by_role("textbox", name="Title").first.fill("Talk on smart traffic and road safety")
    page.get_by_role("radio", name=re.compile("Korean")).first.click()
    page.get_by_role("button", name=re.compile("Enable.*Korean")).click()
    page.get_by_role("textbox", name="Title").first.fill("스마트 교통과 도로 안전 토론")
    page.get_by_role("textbox", name="Summary").first.fill("교통 혁신에 관한 원탁회의입니다.")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Entry saved").wait_for()

    after = snapshot(content)
    changed = sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))
    assert changed == ["sessions/talk.ko.md", "sessions/talk.md"]
    assert after["sessions/talk.md"].decode("utf-8") == TALK_AFTER
    assert after["sessions/talk.ko.md"].decode("utf-8") == TALK_KO
    assert sorted(disk.written) == ["content/sessions/talk.ko.md", "content/sessions/talk.md"]

    # The build agrees: no problem even under --strict, and the pages say what the editor typed.
    assert main(["check", "--strict", "--content", str(content)]) == 0, capsys.readouterr().out
    build(content, site)
    assert text_of(parse_html(site / "en/sessions/talk/index.html").xpath("//h1")[0]) == "Talk on smart traffic and road safety"
    assert text_of(parse_html(site / "ko/sessions/talk/index.html").xpath("//h1")[0]) == "스마트 교통과 도로 안전 토론"

    # Under its own policy: nothing blocked but what is blocked on purpose, nothing fetched from elsewhere.
    blocked = {url for url in BLOCKED_ON_PURPOSE if any(url in message for message in problems.csp_violations)}
    others = [message for message in problems.csp_violations if not any(url in message for url in BLOCKED_ON_PURPOSE)]
    assert others == [], problems.format()
    assert BLOCKED_ON_PURPOSE[0] in blocked  # the policy is in force: the update check was refused
    assert [error for error in problems.page_errors if SVELTIA_AFTER_SAVE not in error] == [], problems.format()
    assert problems.failed_requests == [], problems.format()
    assert [url for url in requested if not url.startswith((base, "data:", "blob:"))] == []
    assert any(url == base + "admin/fonts/material-symbols-outlined-latin-wght-normal.woff2" for url in requested)


def test_a_signed_off_translation_keeps_its_record_when_edited(editor, repository: Path, tmp_path: Path, serve, capsys) -> None:
    """Editing the Korean summary of a signed-off translation keeps its source_fingerprint (a hidden field)."""
    page, disk = editor
    content = repository / "content"
    assert main(["i18n", "sign-off", "--content", str(content), str(content / "sessions/opening.ko.md")]) == 0
    signed = (content / "sessions/opening.ko.md").read_text(encoding="utf-8")
    fingerprint = re.search(r'^source_fingerprint: "?([0-9a-f]+)"?$', signed, re.M)
    assert fingerprint is not None
    site = tmp_path / "site"
    build(content, site)

    page.goto(serve(site, "/forum/") + "admin/", wait_until="load")
    page.get_by_role("button", name=re.compile("Work with Local Repository")).click()
    page.get_by_text("Opening ceremony").first.click()
    page.get_by_role("radio", name=re.compile("Korean")).first.click()
    page.get_by_role("textbox", name="Summary").first.fill("포럼이 공식적으로 시작됩니다.")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Entry saved").wait_for()

    # save_all_locales: Sveltia writes every language of the entry; the source keeps its values (in Sveltia's style).
    assert sorted(disk.written) == ["content/sessions/opening.ko.md", "content/sessions/opening.md"]
    assert (content / "sessions/opening.ko.md").read_text(encoding="utf-8") == (
        "---\ntitle: 개회식\nsummary: 포럼이 공식적으로 시작됩니다.\n" + f"source_fingerprint: {fingerprint.group(1)}\n---\n\n환영합니다. [소개](/about/)\n"
    )
    assert front_matter(content / "sessions/opening.md") == front_matter_of(textwrap.dedent(BASE_FILES["sessions/opening.md"]))
    assert main(["check", "--strict", "--content", str(content)]) == 0, capsys.readouterr().out


def front_matter(path: Path) -> tuple[dict, str]:
    return front_matter_of(path.read_text(encoding="utf-8"))


def front_matter_of(text: str) -> tuple[dict, str]:
    """Values as the build reads them (every scalar text), and the body without its edge blank lines."""
    _, head, body = text.split("---\n", 2)
    return yaml.load(head, Loader=yaml.BaseLoader), body.strip()
