"""The trust gates themselves are tested: each must pass good input AND fail
bad input, so that a green suite means something.

Runs real vnu.jar, real Chromium and real axe-core (scripts/install-test-deps).
"""

from __future__ import annotations

import subprocess
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.support.axe import axe_check, format_violations, run_axe
from tests.support.browser import PlaywrightError, screenshot, watch_page
from tests.support.vnu import (
    VnuReport,
    check_html,
    format_messages,
    html_files_under,
    validate_html,
)


CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'"

GOOD_PAGE = f"""\
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<title>Busan Forum 2019</title>
<link rel="stylesheet" href="style.css">
</head>
<body>
<header><nav aria-label="Main"><a href="./">Home</a> <a href="ko/">한국어</a></nav></header>
<main>
<h1>Busan Forum 2019</h1>
<p>The forum brings together ministers and engineers to discuss smart cities,
traffic and disaster response across the region.</p>
<img src="logo.svg" alt="Forum logo" width="40" height="40">
</main>
</body>
</html>
"""

# Each error on its own known line, so the tests can check line numbers.
BAD_PAGE = """\
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Broken</title>
</head>
<body>
<p id="intro">one</p>
<p id="intro">two</p>
<span><div>block inside inline</div></span>
<img src="logo.svg">
</body>
</html>
"""

# Low contrast comes from the external stylesheet: under our CSP an inline
# style attribute would be blocked and never reach the rendering axe sees.
A11Y_BAD_PAGE = f"""\
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<title>Inaccessible</title>
<link rel="stylesheet" href="style.css">
</head>
<body>
<main>
<h1>Inaccessible</h1>
<p class="faint">Barely readable grey text.</p>
<img src="logo.svg">
</main>
</body>
</html>
"""

STYLE_CSS = """\
body { color: #222; background: #fff; font-family: sans-serif; }
.faint { color: #c8c8c8; }
"""

LOGO_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40">'
    '<circle cx="20" cy="20" r="18" fill="#0b5394"/></svg>'
)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("site")
    write(root / "index.html", GOOD_PAGE)
    write(root / "broken.html", BAD_PAGE)
    # Non-ASCII directory: vnu silently skips such files under a C locale.
    write(root / "한국어 페이지" / "broken.html", BAD_PAGE)
    write(root / "a11y-bad.html", A11Y_BAD_PAGE)
    write(root / "style.css", STYLE_CSS)
    write(root / "logo.svg", LOGO_SVG)
    return root


@pytest.fixture(scope="module")
def vnu_report(site: Path, tmp_path_factory: pytest.TempPathFactory) -> VnuReport:
    # One JVM for every vnu assertion in this module. Run with no UTF-8
    # locale in the environment, as CI may be; check_html must cope.
    with pytest.MonkeyPatch.context() as mp:
        for var in ("LANG", "LC_ALL", "LC_CTYPE"):
            mp.delenv(var, raising=False)
        return check_html(
            [site / "index.html", site / "broken.html", site / "한국어 페이지" / "broken.html"]
        )


# --- vnu -------------------------------------------------------------------


def test_vnu_passes_valid_page(vnu_report: VnuReport, site: Path) -> None:
    errors = [m for m in vnu_report.errors if m.path == site / "index.html"]
    assert errors == [], format_messages(errors)
    assert site / "index.html" in vnu_report.checked


@pytest.mark.parametrize(
    "relative", ["broken.html", "한국어 페이지/broken.html"], ids=["ascii", "non-ascii-path"]
)
def test_vnu_reports_errors_with_lines(vnu_report: VnuReport, site: Path, relative: str) -> None:
    errors = [m for m in vnu_report.errors if m.path == site / relative]
    found = {(m.line, m.message.split("“")[0].strip()) for m in errors}
    assert (9, "Duplicate ID") in found, format_messages(errors)
    assert (10, "Element") in found, format_messages(errors)  # div in span
    assert (11, "An") in found, format_messages(errors)  # img without alt
    div = next(m for m in errors if m.line == 10)
    assert "“div” not allowed as child of element “span”" in div.message
    assert div.column == 7
    # The secondary "first occurrence" note is a warning, not an error.
    assert any(w.line == 8 and w.path == site / relative for w in vnu_report.warnings)
    assert f"{site / relative}:9:1: [error] Duplicate ID" in format_messages(errors)


def test_validate_html_returns_only_errors(site: Path) -> None:
    errors = validate_html(html_files_under(site))
    assert {m.path for m in errors} == {
        site / "broken.html",
        site / "한국어 페이지" / "broken.html",
        site / "a11y-bad.html",  # <img> without alt is also invalid HTML
    }
    assert all(m.is_error for m in errors)


def test_vnu_refuses_missing_files(tmp_path: Path) -> None:
    # vnu itself would skip a missing file and report success.
    with pytest.raises(FileNotFoundError):
        check_html([tmp_path / "nope.html"])


# --- static server -----------------------------------------------------------


def http_status(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.geturl()
    except urllib.error.HTTPError as error:
        return error.code, url


def test_static_server_mounts_under_sub_path(site: Path, serve: Callable[..., str]) -> None:
    base = serve(site, "/busan2019/")
    origin = base.removesuffix("/busan2019/")
    assert base.endswith("/busan2019/")
    assert http_status(base) == (200, base)
    assert http_status(base + "style.css")[0] == 200
    assert http_status(origin + "/busan2019") == (200, base)  # redirected
    assert http_status(origin + "/index.html")[0] == 404  # outside the mount
    assert http_status(base + "missing.html")[0] == 404
    (site / "no-index").mkdir(exist_ok=True)
    assert http_status(base + "no-index/")[0] == 404  # no directory listings


# --- browser, CSP and axe ----------------------------------------------------


def test_csp_is_enforced_and_axe_passes_good_page(
    site: Path, serve: Callable[..., str], page: Page
) -> None:
    base = serve(site, "/busan2019/")
    problems = watch_page(page)
    page.goto(base)
    assert not problems, problems.format()
    # The meta CSP really applies in our default context: inline script
    # injection (add_script_tag) is refused ...
    with pytest.raises(PlaywrightError, match="Content Security Policy"):
        page.add_script_tag(content="window.injected = true")
    # ... and axe still runs, on the page as visitors get it.
    results = axe_check(page)
    assert results.version == "4.14.1"
    assert results.violations == (), format_violations(results.violations)
    assert results.incomplete == (), format_violations(results.incomplete)


def test_axe_reports_missing_alt_and_low_contrast(
    site: Path, serve: Callable[..., str], page: Page
) -> None:
    page.goto(serve(site) + "a11y-bad.html")
    violations = {v.id: v for v in run_axe(page)}
    assert {"image-alt", "color-contrast"} <= violations.keys(), format_violations(
        list(violations.values())
    )
    assert [n.html for n in violations["image-alt"].nodes] == ['<img src="logo.svg">']
    assert [n.html for n in violations["color-contrast"].nodes] == [
        '<p class="faint">Barely readable grey text.</p>'
    ]
    assert violations["color-contrast"].impact == "serious"
    assert "image-alt" in format_violations(list(violations.values()))


def test_watch_page_catches_csp_violations_and_404s(
    tmp_path: Path, serve: Callable[..., str], page: Page
) -> None:
    write(
        tmp_path / "index.html",
        GOOD_PAGE.replace(
            "</main>",
            '<script>document.title = "inline";</script>\n'
            '<img src="missing.png" alt="Missing">\n</main>',
        ),
    )
    write(tmp_path / "style.css", STYLE_CSS)
    write(tmp_path / "logo.svg", LOGO_SVG)
    problems = watch_page(page)
    page.goto(serve(tmp_path))
    page.wait_for_load_state("networkidle")
    assert any("script-src" in m for m in problems.csp_violations), problems.format()
    assert any(
        r.startswith("404 ") and r.endswith("/missing.png") for r in problems.failed_requests
    ), problems.format()
    assert page.title() == "Busan Forum 2019"  # the inline script never ran


def test_screenshot_writes_png(
    site: Path, serve: Callable[..., str], page: Page, tmp_path: Path
) -> None:
    page.goto(serve(site))
    shot = screenshot(page, tmp_path / "shots" / "index.png")
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 1000


# --- fonts -------------------------------------------------------------------


@pytest.mark.parametrize(
    "lang", ["ko", "ja", "zh-cn", "th", "km", "lo", "my", "vi", "ar", "hi", "ru"]
)
def test_fonts_cover_script(lang: str) -> None:
    # Without a covering font Chromium draws tofu boxes: screenshots and
    # visual checks of that language would be meaningless.
    families = subprocess.run(
        ["fc-list", f":lang={lang}", "family"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\n")
    assert any(f.strip() for f in families), f"no installed font covers {lang!r}"
