"""The programme offline at the venue: manifests, the service worker's list and version, and a real browser offline."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from urllib.parse import urljoin

import icalendar
import posixpath
import pytest
from lxml import html as lxml_html

from eventsite.build import Project, build_site
from eventsite.errors import BuildError
from eventsite.offline import ASSET_FOLDERS, DEV_WORKER, _asset_links
from eventsite.project import BuildOptions
from eventsite.theme import Theme

from tests.support.browser import watch_page

from .sitekit import PROJECT_ROOT, build, parse_html, write_site

BASE_URL = "https://example.org/forum/"  # the fixture site's base_url
FAST = BuildOptions(search=False)  # the search index plays no part here
THAI_OPENING = "---\ntitle: {title}\nsummary: เปิดการประชุม\n---\nยินดีต้อนรับ\n"


def kept_of(site: Path) -> tuple[str, dict[str, list[str]]]:
    """The worker's VERSION and KEPT, as sw.js declares them."""
    worker = (site / "sw.js").read_text(encoding="utf-8")
    version = re.search(r'^const VERSION = "([0-9a-f]+)";$', worker, re.M)
    kept = re.search(r"^const KEPT = (\{.*?\n\});$", worker, re.M | re.S)
    assert version is not None and kept is not None, worker[:500]
    return version.group(1), json.loads(kept.group(1))


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("offline")
    content = write_site(root, {"sessions/opening.th.md": THAI_OPENING.format(title="พิธีเปิด")})
    build(content, root / "site", options=FAST)
    return root / "site"


# --- the manifests ---------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "ko", "th"])
def test_each_language_has_a_manifest_browsers_can_install(built: Path, lang: str) -> None:
    address = f"{BASE_URL}offline/{lang}.webmanifest"
    manifest = json.loads((built / "offline" / f"{lang}.webmanifest").read_text(encoding="utf-8"))
    assert manifest["name"] == {"en": "Test Forum", "ko": "테스트 포럼", "th": "Test Forum"}[lang]  # th: the fallback
    assert manifest["lang"] == lang and manifest["dir"] == "ltr"
    assert manifest["display"] == "standalone"
    assert re.fullmatch(r"#[0-9a-f]{6}", manifest["theme_color"]) and re.fullmatch(r"#[0-9a-f]{6}", manifest["background_color"])
    assert urljoin(address, manifest["start_url"]) == f"{BASE_URL}{lang}/"
    assert urljoin(address, manifest["scope"]) == BASE_URL
    [icon] = manifest["icons"]
    assert icon["type"] == "image/svg+xml" and icon["sizes"] == "any"
    icon_file = urljoin(address, icon["src"]).removeprefix(BASE_URL)
    assert re.fullmatch(r"static/favicon\.[0-9a-f]{8}\.svg", icon_file) and (built / icon_file).is_file()


def test_every_page_links_the_manifest_of_its_language(built: Path) -> None:
    pages = sorted(built.rglob("*.html"))
    assert len(pages) > 30
    for path in pages:
        relative = path.relative_to(built).as_posix()
        page = parse_html(path)
        [href] = page.xpath("//head/link[@rel='manifest']/@href")
        target = urljoin(BASE_URL + relative, href).removeprefix(BASE_URL)
        assert (built / target).is_file(), (relative, href)
        lang = page.xpath("/html/@lang")[0]
        assert target == f"offline/{lang}.webmanifest", relative


def test_language_pages_register_the_worker_from_a_separate_script(built: Path) -> None:
    page = parse_html(built / "th" / "sessions" / "opening" / "index.html")
    [script] = page.xpath("//script[@data-worker]")
    assert re.fullmatch(r"(\.\./)+static/offline\.[0-9a-f]{8}\.js", script.get("src"))
    assert script.get("data-lang") == "th" and script.get("defer") is not None
    assert urljoin(BASE_URL + "th/sessions/opening/", script.get("data-worker")) == BASE_URL + "sw.js"
    assert not page.xpath("//script[not(@src) and not(@type='application/ld+json')]")  # nothing inline


# --- the worker ------------------------------------------------------------------------------


def test_the_worker_keeps_each_languages_programme_sessions_calendars_and_assets(built: Path) -> None:
    _, kept = kept_of(built)
    assert list(kept) == ["en", "ko", "th"]
    thai = kept["th"]
    for url in ("th/", "th/schedule/", "th/sessions/opening/", "th/sessions/talk/", "th/schedule.ics",
                "th/sessions/opening.ics", "th/sessions/talk.ics"):
        assert url in thai
    assert not [url for url in thai if url.startswith(("th/people/", "th/news/", "th/about/", "en/", "ko/"))]
    assets = [url for url in thai if url.startswith("static/")]
    for name in ("style", "offline", "schedule", "favicon"):
        assert any(re.fullmatch(rf"static/{name}\.[0-9a-f]{{8}}\.(css|js|svg)", url) for url in assets), name
    for url in thai:
        assert (built / (url + "index.html" if url.endswith("/") else url)).is_file(), url
    # What the worker names is served: a manifest of its own is not needed offline, pages are.
    assert "offline/th.webmanifest" not in thai


def test_the_worker_changes_with_any_kept_page_and_only_then(tmp_path: Path) -> None:
    content = write_site(tmp_path, {"sessions/opening.th.md": THAI_OPENING.format(title="พิธีเปิด")})
    build(content, tmp_path / "first", options=FAST)
    build(content, tmp_path / "again", options=FAST)
    assert (tmp_path / "first" / "sw.js").read_bytes() == (tmp_path / "again" / "sw.js").read_bytes()  # reproducible
    (content / "sessions" / "opening.th.md").write_text(THAI_OPENING.format(title="พิธีเปิดการประชุม"), encoding="utf-8")
    build(content, tmp_path / "changed", options=FAST)
    before, kept_before = kept_of(tmp_path / "first")
    after, kept_after = kept_of(tmp_path / "changed")
    assert before != after and kept_before == kept_after


def test_the_dev_server_gets_manifests_and_a_worker_that_keeps_nothing(tmp_path: Path) -> None:
    build(write_site(tmp_path), tmp_path / "site", options=BuildOptions(dev=True))
    worker = (tmp_path / "site" / "sw.js").read_text(encoding="utf-8")
    assert worker == DEV_WORKER and "fetch" not in worker and "caches.delete" in worker
    manifest = json.loads((tmp_path / "site" / "offline" / "en.webmanifest").read_text(encoding="utf-8"))
    assert manifest["icons"][0]["src"] == "../static/favicon.svg"  # the dev server keeps plain names


def test_a_theme_without_the_worker_is_an_error(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(PROJECT_ROOT / "templates", templates)
    (templates / "offline" / "sw.js").unlink()
    project = Project(write_site(tmp_path), tmp_path / "site", Theme(templates, PROJECT_ROOT / "locales", layered=False))
    with pytest.raises(BuildError) as raised:
        build_site(project, options=FAST)
    assert [str(problem) for problem in raised.value.problems] == [
        "templates/offline/sw.js: the theme has no service worker; the site is not kept offline"
    ]
    assert not (tmp_path / "site").exists()


# --- in a real browser -----------------------------------------------------------------------

WORKER_READY = """async () => {
  const registration = await navigator.serviceWorker.ready;
  const worker = registration.active;
  if (worker.state !== "activated") {
    await new Promise((resolve) => worker.addEventListener("statechange", () => worker.state === "activated" && resolve()));
  }
  return worker.scriptURL;
}"""


def kept_caches(page) -> list[str]:
    return sorted(page.evaluate("caches.keys()"))


def test_the_programme_opens_offline_in_the_readers_language_and_updates_online(tmp_path: Path, serve, browser) -> None:
    content = write_site(tmp_path, {"sessions/opening.th.md": THAI_OPENING.format(title="พิธีเปิด")})
    site = tmp_path / "site"
    build(content, site, options=FAST)
    version, _ = kept_of(site)
    base = serve(site, "/forum/")
    context = browser.new_context()
    try:
        page = context.new_page()
        problems = watch_page(page)
        page.goto(base + "th/schedule/", wait_until="load")
        assert page.evaluate(WORKER_READY) == base + "sw.js?lang=th"
        assert kept_caches(page) == [f"eventsite-offline-{version}-th"]  # installed: the precache is done
        # Chromium reads the page's manifest as valid.
        manifest = context.new_cdp_session(page).send("Page.getAppManifest")
        assert manifest["url"] == base + "offline/th.webmanifest" and manifest["errors"] == [], manifest

        # Offline, and the files gone from the server too: whatever shows now comes from the worker's cache.
        context.set_offline(True)
        shutil.move(site, tmp_path / "away")
        page.reload(wait_until="load")
        assert page.locator("html").get_attribute("lang") == "th"
        assert "พิธีเปิด" in page.locator("main").inner_text()
        assert page.evaluate("getComputedStyle(document.body).marginTop") == "0px"  # style.css came along
        page.goto(base + "th/sessions/opening/", wait_until="load")
        assert page.locator("h1").inner_text() == "พิธีเปิด"
        calendar = page.evaluate("fetch('../opening.ics').then((response) => response.text())")
        [event] = icalendar.Calendar.from_ical(calendar).walk("VEVENT")
        assert str(event["SUMMARY"]).startswith("พิธีเปิด")
        with pytest.raises(Exception, match="ERR_INTERNET_DISCONNECTED"):
            page.goto(base + "th/people/")  # not kept: the browser's own offline error
        shutil.move(tmp_path / "away", site)
        context.set_offline(False)

        # Back online, a new build: the next visit shows it, and the new worker fetches the new files.
        (content / "sessions" / "opening.th.md").write_text(THAI_OPENING.format(title="พิธีเปิดการประชุม"), encoding="utf-8")
        build(content, site, options=FAST)
        new_version, _ = kept_of(site)
        assert new_version != version
        problems.failed_requests.clear()
        page.goto(base + "th/sessions/opening/", wait_until="load")
        assert page.locator("h1").inner_text() == "พิธีเปิดการประชุม"
        both = ",".join(sorted(f"eventsite-offline-{each}-th" for each in (version, new_version)))
        page.wait_for_function(f"caches.keys().then((names) => names.sort().join() === '{both}')", timeout=15_000)
        # Installed, it waits: taking over while a page is open can leave a page loading for ever (sw.js).
        page.wait_for_function("navigator.serviceWorker.getRegistration().then((found) => found.waiting !== null)")
        assert problems.console_errors == [] and problems.page_errors == [], problems.format()
        # The reader closes the page: the new worker takes over and deletes the old version's cache.
        page.close()
        page = context.new_page()
        page.goto(base + "th/", wait_until="load")
        page.wait_for_function(
            f"caches.keys().then((names) => names.join() === 'eventsite-offline-{new_version}-th')", timeout=15_000
        )
        assert page.evaluate(WORKER_READY) == base + "sw.js?lang=th"
    finally:
        context.close()


def test_a_reader_switching_languages_quickly_gets_every_page_and_keeps_each_language(
    busan_site: Path, serve, browser
) -> None:
    """Every language switch registers sw.js?lang=xx, a new worker that takes over while the reader
    opens the next page. A worker that claimed the open pages on activation left Chromium's
    navigation waiting for ever now and then (the identity browser test hung on it in CI)."""
    version, _ = kept_of(busan_site)
    base = serve(busan_site, "/busan2019/")
    languages = ("en", "ko", "th", "km")
    for width in (1280, 390):
        context = browser.new_context(viewport={"width": width, "height": 900})
        try:
            page = context.new_page()
            problems = watch_page(page)
            for lang in languages * 3:
                page.goto(f"{base}{lang}/", wait_until="load", timeout=10_000)
                assert page.locator("html").get_attribute("lang") == lang
            wanted = ",".join(f"eventsite-offline-{version}-{lang}" for lang in sorted(languages))
            page.wait_for_function(f"caches.keys().then((names) => names.sort().join() === '{wanted}')", timeout=30_000)
            assert problems.console_errors == [] and problems.page_errors == [], problems.format()
        finally:
            context.close()


def test_the_worker_never_claims_open_pages() -> None:
    """The browser test above catches the hang only sometimes; this pins the cause (see sw.js)."""
    worker = (PROJECT_ROOT / "templates" / "offline" / "sw.js").read_text(encoding="utf-8")
    code = "\n".join(line for line in worker.splitlines() if not line.lstrip().startswith("//"))
    assert "clients.claim" not in code


def parsed_asset_links(page: str, data: bytes) -> list[str]:
    """The oracle for offline._asset_links: the page parsed by lxml and asked by XPath."""
    found = []
    for value in lxml_html.fromstring(data).xpath("//link[@rel='stylesheet' or @rel='icon']/@href | //script/@src | //img/@src"):
        link = str(value).split("#")[0].split("?")[0]
        if link and "://" not in link and not link.startswith(("data:", "//")):
            target = posixpath.normpath(posixpath.join(posixpath.dirname(page), link))
            if target.startswith(ASSET_FOLDERS):
                found.append(target)
    return found


def test_the_asset_scan_finds_what_a_parser_finds_on_every_busan_page(busan_site: Path) -> None:
    pages = sorted(busan_site.rglob("*.html"))
    assert len(pages) > 600
    differing = []
    for path in pages:
        page, data = path.relative_to(busan_site).as_posix(), path.read_bytes()
        if _asset_links(page, data) != parsed_asset_links(page, data):
            differing.append(page)
    assert not differing


AWKWARD = [
    # quotes, case, order of attributes, character references, a '>' inside a value
    """<html><head><LINK REL="stylesheet" HREF='../static/a.css?v=1'><link href="../static/b.css" rel="stylesheet">
    <link rel="icon" href=../static/icon.svg><link rel="preload" href="../static/font.woff2"></head>
    <body><img alt="a > b" src="../media/x&amp;y.png"><img src="../media/z.png#part" SRC="../media/second.png">""",
    # comments and the text of scripts and styles are not markup
    """<html><body><!-- <img src="../media/commented.png"> --><script>var s = '<img src="../media/in-script.png">';</script>
    <style>.a::after { content: '<img src="../media/in-style.png">' }</style><script src="../static/app.js" defer></script>
    <img src="../media/after.png"/></body></html>""",
    # what is not kept: other sites, data: URLs, protocol-relative links, folders outside the asset ones
    """<html><body><img src="https://cdn.example.org/static/x.png"><img src="data:image/png;base64,AAAA">
    <img src="//cdn.example.org/media/y.png"><img src="../other/z.png"><img src=""><script src="../../static/up.js"></script>
    <imgx src="../media/not-an-img.png"><img
      src="../media/new-line.png"></body></html>""",
]


@pytest.mark.parametrize("markup", AWKWARD, ids=["attributes", "raw-text", "left-out"])
def test_the_asset_scan_agrees_with_a_parser_on_awkward_markup(markup: str) -> None:
    data = markup.encode("utf-8")
    assert _asset_links("en/index.html", data) == parsed_asset_links("en/index.html", data)
    assert _asset_links("en/index.html", data)  # not vacuous: each case keeps something


def test_the_offline_pages_of_each_language_in_one_pass(tmp_path: Path) -> None:
    from eventsite.build import Caches, prepare
    from eventsite.offline import offline_pages

    from .sitekit import project_for

    project = project_for(write_site(tmp_path / "src"), tmp_path / "site")
    plan = prepare(project, Caches(), FAST).plan
    pages = offline_pages(plan)
    for lang in ("en", "th"):
        # What the worker keeps for a language: its offline pages, in the plan's order.
        assert pages[lang] == [route.output_path for route in plan.routes if route.kind.offline and route.lang == lang]
        assert f"{lang}/schedule/index.html" in pages[lang]
    assert not any(path.startswith("th/") for path in pages["en"])
