"""Content-Security-Policy in a real browser: the Busan site runs under its own policy with nothing blocked.

Every page carries ``<meta http-equiv="Content-Security-Policy">`` (templates/base.html,
templates/root.html): scripts, styles and images only from the site itself, no inline
script, no plugins, no ``<base>``. If a theme change adds an inline script or
handler, or content smuggles one past the sanitizer, Chromium blocks it and
reports a violation, which these tests turn into a failure.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.support.browser import watch_page

POLICY = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'"

PAGES = [
    ("en", ""),
    ("en", "schedule/"),
    ("en", "sessions/roundtable-session-1/"),
    ("th", ""),
    ("th", "schedule/"),
    ("th", "sessions/roundtable-session-1/"),
    ("en", "exhibition/"),  # exhibition.js: filters
    (None, ""),  # the language chooser: choose-language.js
]


@pytest.mark.parametrize(("lang", "path"), PAGES, ids=[f"{lang or 'root'}/{path}" for lang, path in PAGES])
def test_busan_pages_load_with_no_csp_violation_and_no_console_error(busan_site: Path, serve, page, lang, path) -> None:
    base = serve(busan_site, "/busan2019/")
    url = base + (f"{lang}/" if lang else "") + path + ("" if lang else "?choose")  # ?choose: the chooser stays put
    problems = watch_page(page)
    response = page.goto(url, wait_until="load")
    assert response is not None and response.status == 200
    page.wait_for_load_state("networkidle")
    policy = page.locator('meta[http-equiv="Content-Security-Policy"]')
    assert policy.count() == 1
    assert policy.get_attribute("content") == POLICY
    if path == "schedule/":
        # The page's own script runs under the policy: its filter narrows the list.
        page.select_option("select[name=kind]", "bilateral")
        assert re.findall(r"\d+", page.text_content("#programme-status")) == ["4", "15"]  # "4 of 15", in either language
    assert problems.csp_violations == []
    assert problems.console_errors == [] and problems.page_errors == [], problems.format()
    assert problems.failed_requests == [], problems.format()


def test_every_busan_html_page_declares_the_policy(busan_site: Path) -> None:
    pages = sorted(busan_site.rglob("*.html"))
    assert len(pages) > 100
    for html in pages:
        head = html.read_text(encoding="utf-8").split("</head>", 1)[0]
        assert head.count('http-equiv="Content-Security-Policy"') == 1, html
        assert "'unsafe-inline'" not in head and "'unsafe-eval'" not in head, html


def test_the_policy_really_blocks_inline_script(tmp_path: Path, serve, page) -> None:
    """The control: an inline script and an inline handler under the same policy are blocked and reported."""
    (tmp_path / "index.html").write_text(
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{POLICY}"><title>x</title></head>'
        '<body><script>document.title = "ran"</script><img src="data:," onload="document.title = \'ran\'" alt=""></body></html>',
        encoding="utf-8",
    )
    problems = watch_page(page)
    page.goto(serve(tmp_path), wait_until="load")
    for _ in range(100):  # the reports arrive as console messages after load; a busy machine is slower
        if len(problems.csp_violations) >= 2:
            break
        page.wait_for_timeout(50)
    assert page.title() == "x"
    assert len(problems.csp_violations) == 2, problems.format()
