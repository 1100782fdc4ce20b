"""Search: the Pagefind index over the real Busan site (eventsite/search.py), what the
templates mark up for it, the search page in headless Chromium, and the build without it."""

from __future__ import annotations

import gzip
import json
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest

from eventsite import search
from eventsite.search import ENTRY, find_pagefind, is_extended

from .sitekit import PROJECT_ROOT, build, parse_html, text_of, write_site
from .support.browser import open_page, watch_page

CONTENT = PROJECT_ROOT / "content"
CONTENT_KINDS = {"sessions": "session", "exhibits": "exhibit", "people": "person", "news": "news", "pages": "page"}
URL_FOLDERS = {"sessions": "sessions/", "exhibits": "exhibits/", "people": "people/", "news": "news/", "pages": ""}
RESULT_LINKS = "#search-results li h2 a"


def translated_pages(lang: str) -> set[str]:
    """URLs (below /<lang>/) of the content pages really written in ``lang``."""
    found = set()
    for folder in CONTENT_KINDS:
        for path in (CONTENT / folder).glob("*.md"):
            stem, *middle = path.name[: -len(".md")].split(".")
            if (middle[0] if middle else "en") == lang:
                found.add(f"/{lang}/{URL_FOLDERS[folder]}{stem}/")
    return found


def fragments(site: Path, lang: str) -> list[dict]:
    """The page records Pagefind stored for one language (gzip of 'pagefind_dcd' + JSON)."""
    records = []
    for path in sorted((site / "pagefind" / "fragment").glob(f"{lang}_*.pf_fragment")):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(b"pagefind_dcd")
        records.append(json.loads(data[len(b"pagefind_dcd"):]))
    return records


def bundle_bytes(site: Path) -> dict[str, bytes]:
    folder = site / "pagefind"
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# --- the index -------------------------------------------------------------------------------


def test_the_extended_pagefind_binary_is_installed() -> None:
    """A dependency in pyproject.toml (pagefind-bin-extended): no download at build time."""
    binary = find_pagefind()
    assert binary is not None and binary.is_file(), "pip install pagefind-bin-extended"
    assert is_extended(binary)  # segments Thai (and Chinese, Japanese)


def test_one_index_per_language_with_translated_pages_only(busan_site: Path) -> None:
    entry = json.loads((busan_site / "pagefind" / ENTRY).read_text(encoding="utf-8"))
    languages = entry["languages"]
    assert list(languages) == sorted(languages)  # normalized: Pagefind writes them in random order
    expected = {lang: len(translated_pages(lang)) for lang in ("en", "ko", "th", "vi", "km", "lo", "my", "id", "ms", "fil")}
    assert {lang: info["page_count"] for lang, info in languages.items()} == {
        lang: count for lang, count in expected.items() if count
    }
    for lang in ("th", "ko", "km"):
        urls = {record["url"] for record in fragments(busan_site, lang)}
        assert urls == translated_pages(lang), lang  # no fallback page, no listing, no search page
    # Only the JS API is published, not Pagefind's ready-made UIs (they need inline styles).
    assert not list((busan_site / "pagefind").glob("pagefind-*ui*")) and (busan_site / "pagefind" / "pagefind.js").is_file()


def test_fallback_text_stays_out_of_the_thai_index(busan_partial_site: Path) -> None:
    """English shown on Thai pages (untranslated pages, fields or bodies) is not in the Thai index."""
    busan_site = busan_partial_site  # no Thai media briefing
    tree = parse_html(busan_site / "th" / "sessions" / "media-briefing" / "index.html")
    assert tree.xpath("//*[@data-pagefind-body]") == []  # the fallback page is not indexed at all
    thai = fragments(busan_site, "th")
    content = " ".join(record["content"] for record in thai)
    assert "BEXCO (Busan Exhibition and Convention Center)" not in content  # the venue's English name (a fallback field)
    assert re.search(r"[\u0E00-\u0E7F]", content)
    # Untranslated fields on a translated page are marked as such (views.Shown) and ignored.
    page = parse_html(busan_site / "th" / "sessions" / "roundtable-session-2" / "index.html")
    for span in page.xpath("//article//span[@lang and @lang!='th']"):
        assert span.get("data-pagefind-ignore") is not None, text_of(span)
    assert "media-briefing" not in " ".join(record["url"] for record in thai)


def test_a_translated_title_over_an_untranslated_body_indexes_the_title_only(tmp_path: Path) -> None:
    content = write_site(tmp_path, {"sessions/talk.th.md": "---\ntitle: การบรรยายเรื่องการจราจร\n---\n"})
    build(content, tmp_path / "site")
    page = parse_html(tmp_path / "site" / "th" / "sessions" / "talk" / "index.html")
    assert page.xpath("//article/@data-pagefind-body") == [""]
    body = page.xpath("//div[@class='body']")[0]
    assert body.get("lang") == "en" and body.get("data-pagefind-ignore") is not None
    (record,) = [r for r in fragments(tmp_path / "site", "th") if r["url"] == "/th/sessions/talk/"]
    assert record["meta"]["title"] == "การบรรยายเรื่องการจราจร"
    assert "Background" not in record["content"] and "Traffic" not in record["content"]


def test_content_pages_carry_filters_and_title(busan_site: Path) -> None:
    exhibit = parse_html(busan_site / "th" / "exhibits" / "smart-traffic-system" / "index.html")
    body = exhibit.xpath("//*[@data-pagefind-body]")
    assert len(body) == 1 and body[0].tag == "article"
    assert body[0].get("data-pagefind-filter") == "kind:exhibit"
    assert [text_of(e) for e in exhibit.xpath("//*[@data-pagefind-filter='country']")] == ["สาธารณรัฐเกาหลี"]  # site.yaml country_names, in Thai
    assert text_of(exhibit.xpath("//*[@data-pagefind-meta='title']")[0]) == "ระบบจราจรอัจฉริยะ"
    session = parse_html(busan_site / "ko" / "sessions" / "bilateral-cambodia" / "index.html")
    assert session.xpath("//article/@data-pagefind-filter") == ["kind:session"]
    assert [text_of(e) for e in session.xpath("//*[@data-pagefind-filter='country']")] == ["대한민국", "캄보디아"]
    for kind, path in [("person", "en/people/chin-young"), ("news", "en/news/forum-announced"), ("page", "en/about")]:
        tree = parse_html(busan_site / path / "index.html")
        assert tree.xpath("//article/@data-pagefind-filter") == [f"kind:{kind}"], path
    # Listings, the root chooser and the search page itself are not indexed.
    for path in ["index.html", "en/index.html", "en/schedule/index.html", "en/exhibition/index.html",
                 "en/people/index.html", "en/news/index.html", "en/countries/kh/index.html", "en/search/index.html"]:
        assert parse_html(busan_site / path).xpath("//*[@data-pagefind-body]") == [], path


def test_two_builds_publish_identical_search_bundles(busan_site: Path, tmp_path: Path) -> None:
    again = tmp_path / "site"
    result = build(CONTENT, again)
    assert any(note.startswith("search: ") and "pages indexed" in note for note in result.notes)
    assert bundle_bytes(again) == bundle_bytes(busan_site)


def test_cbor_round_trip_is_byte_exact(busan_site: Path) -> None:
    """normalize_bundle re-encodes Pagefind's metadata and filters: byte for byte what Pagefind writes."""
    for path in sorted((busan_site / "pagefind").rglob("*.pf_index"))[:20] + sorted((busan_site / "pagefind").glob("*.pf_meta")):
        data = gzip.decompress(path.read_bytes())
        value, end = search._cbor_decode(data, len(search.SIGNATURE))
        assert end == len(data)
        assert search.SIGNATURE + search._cbor_encode(value) == data, path.name


# --- without Pagefind ---------------------------------------------------------------------------


@pytest.mark.parametrize("how", ["missing", "failing", "not installed"])
def test_the_build_succeeds_without_search(tmp_path: Path, monkeypatch, how: str) -> None:
    if how == "missing":
        monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-such-pagefind"))
    elif how == "failing":
        script = tmp_path / "pagefind"
        script.write_text("#!/bin/sh\necho 'Error: something broke' >&2\nmkdir -p \"$2/pagefind\"\nexit 3\n")
        script.chmod(0o755)
        monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(script))
    else:
        monkeypatch.setattr(search, "find_pagefind", lambda: None)
    content = write_site(tmp_path)
    result = build(content, tmp_path / "site")
    notes = [note for note in result.notes if note.startswith("search:")]
    assert len(notes) == 1 and "search: off" in notes[0] and "list every page" in notes[0], notes
    if how == "failing":
        assert "exit 3: Error: something broke" in notes[0]
    if how == "not installed":
        assert "pip install pagefind-bin-extended" in notes[0]
    assert not (tmp_path / "site" / "pagefind").exists()  # nothing half-written
    tree = parse_html(tmp_path / "site" / "en" / "search" / "index.html")
    assert tree.xpath("//section[@id='search-all']//a[contains(@href, 'sessions/opening/')]")


# --- the pages: search box, search page ------------------------------------------------------------


def test_every_page_has_a_search_box_in_its_header(busan_site: Path) -> None:
    for path in ["en/index.html", "th/exhibits/smart-traffic-system/index.html", "ko/schedule/index.html"]:
        tree = parse_html(busan_site / path)
        forms = tree.xpath("//header//form[@role='search']")
        assert len(forms) == 1, path
        form = forms[0]
        assert form.get("method") == "get"
        lang = path.split("/")[0]
        depth = path.count("/") - 1
        assert form.get("action") == "../" * depth + "search/", path  # relative: works under any sub-path
        field = form.xpath(".//input[@name='q']")[0]
        label = tree.xpath(f"//label[@for='{field.get('id')}']")
        assert len(label) == 1 and text_of(label[0]), path
        assert tree.getroot().get("lang") == lang
    search_page = parse_html(busan_site / "en" / "search" / "index.html")
    assert len(search_page.xpath("//form[@role='search']")) == 1  # its own form, not a second one in the header


def test_only_the_search_page_allows_webassembly(busan_site: Path) -> None:
    def policy(path: str) -> str:
        return parse_html(busan_site / path).xpath("//meta[@http-equiv='Content-Security-Policy']/@content")[0]

    base = policy("en/about/index.html")
    assert "wasm-unsafe-eval" not in base and "unsafe-inline" not in base
    assert policy("th/search/index.html") == base.replace("script-src 'self'", "script-src 'self' 'wasm-unsafe-eval'")
    tree = parse_html(busan_site / "th" / "search" / "index.html")
    assert not tree.xpath("//script[not(@src) and not(@type='application/ld+json')]")  # no inline scripts
    assert not tree.xpath("//*[@style]")


def test_without_script_the_search_page_lists_every_page(busan_site: Path, serve, browser) -> None:
    base = serve(busan_site, "/busan2019/")
    with open_page(browser, f"{base}th/search/?q=x", java_script_enabled=False) as page:
        links = page.eval_on_selector_all("#search-all a", "nodes => nodes.map(n => n.href)")
        assert not page.locator("#search-form").is_visible()
        assert page.locator("#search-all").is_visible()
    counts = {folder: len({p.name.split(".")[0] for p in (CONTENT / folder).glob("*.md")}) for folder in CONTENT_KINDS}
    assert len(links) == sum(counts.values())
    assert all(link.startswith(f"{base}th/") for link in links)
    assert f"{base}th/exhibits/smart-traffic-system/" in links
    assert f"{base}th/sessions/media-briefing/" in links  # untranslated pages too: they are pages of /th/


@pytest.fixture()
def searching(busan_site: Path, serve, page):
    return make_searching(busan_site, serve, page)


@pytest.fixture()
def searching_partial(busan_partial_site: Path, serve, page):
    """Searching the Busan site with Khmer translated for Cambodia only (sitekit.busan_partially_translated)."""
    return make_searching(busan_partial_site, serve, page)


def make_searching(busan_site: Path, serve, page):
    base = serve(busan_site, "/busan2019/")
    problems = watch_page(page)

    def open_(lang: str, query: str = "", extra: str = ""):
        page.goto(f"{base}{lang}/search/" + (f"?q={quote(query)}{extra}" if query or extra else ""))
        page.wait_for_selector("#search-form:not([hidden])")
        if query or extra:
            page.wait_for_selector("#search-status:not(:empty)")
        return page

    open_.base = base  # type: ignore[attr-defined]
    open_.problems = problems  # type: ignore[attr-defined]
    return open_


def result_urls(page) -> list[str]:
    return page.eval_on_selector_all(RESULT_LINKS, "nodes => nodes.map(n => n.href)")


def wait_for_results(page, previous: list[str]) -> list[str]:
    # (wait_for_function with a string predicate would need 'unsafe-eval': poll instead)
    for _ in range(100):
        current = result_urls(page)
        if current != previous:
            return current
        page.wait_for_timeout(50)
    return result_urls(page)


def test_a_korean_query_from_the_header_finds_the_korean_session_first(busan_site: Path, serve, page) -> None:
    base = serve(busan_site, "/busan2019/")
    problems = watch_page(page)
    page.goto(f"{base}ko/exhibits/smart-traffic-system/")
    page.fill("header input[name=q]", "디지털 기술")  # from content/sessions/roundtable-session-2.ko.md
    page.press("header input[name=q]", "Enter")
    page.wait_for_url(re.compile(r"/ko/search/\?q="))
    page.wait_for_selector(f"{RESULT_LINKS}")
    urls = result_urls(page)
    assert urls[0] == f"{base}ko/sessions/roundtable-session-2/"
    assert len(urls) > 3 and all(url.startswith(f"{base}ko/") for url in urls)
    assert page.input_value("#search-q") == "디지털 기술"
    assert page.text_content(f"{RESULT_LINKS} >> nth=0") == "세션 2: 디지털 기술과 공공서비스"
    assert page.locator("#search-results mark").count() > 0  # the excerpt highlights the words
    assert page.locator("#search-all").is_hidden()
    assert not problems, problems.format()


def test_a_thai_word_inside_an_unspaced_title_finds_the_thai_exhibit(searching) -> None:
    page = searching("th")
    page.fill("#search-q", "อัจฉริยะ")  # 'smart', in the middle of ระบบจราจรอัจฉริยะ: Pagefind's Thai segmentation
    page.press("#search-q", "Enter")
    urls = wait_for_results(page, [])
    base = searching.base
    assert urls[0] == f"{base}th/exhibits/smart-traffic-system/"
    assert all(url.startswith(f"{base}th/") for url in urls)  # the Thai index only
    assert "q=%E0%B8%AD" in page.url  # the query is kept in the address
    status = page.text_content("#search-status")
    assert status.strip() and re.search(r"\d", status)
    assert not searching.problems, searching.problems.format()


def test_the_kind_and_country_filters_narrow_the_results(searching) -> None:
    page = searching("th", "อัจฉริยะ")
    every = result_urls(page)
    assert {url.split("/")[-3] for url in every} >= {"sessions", "exhibits", "news"}
    page.select_option("select[name=kind]", "session")
    sessions = wait_for_results(page, every)
    assert 0 < len(sessions) < len(every) and all("/th/sessions/" in url for url in sessions)
    assert "kind=session" in page.url
    # Country names are the index's own filter values: CLDR names in Thai.
    options = page.eval_on_selector_all("select[name=country] option", "nodes => nodes.map(n => n.value)")
    assert "กัมพูชา" in options and "Cambodia" not in options
    # A filter alone (no query), from the address: every Thai page about Cambodia.
    page = searching("th", extra="&country=" + quote("กัมพูชา"))
    assert page.input_value("select[name=country]") == "กัมพูชา"
    cambodia = result_urls(page)
    assert f"{searching.base}th/sessions/exhibition-day-1/" in cambodia
    metas = page.eval_on_selector_all("#search-results .search-meta", "nodes => nodes.map(n => n.textContent)")
    assert len(metas) == len(cambodia) > 0 and all("กัมพูชา" in meta for meta in metas)
    assert not searching.problems, searching.problems.format()


def test_a_language_without_translations_keeps_the_list(busan_partial_site: Path, serve, page) -> None:
    """No Lao page is translated: no Lao index, and Pagefind must not answer from another language's."""
    base = serve(busan_partial_site, "/busan2019/")
    problems = watch_page(page)
    page.goto(f"{base}lo/search/?q=Busan")
    page.wait_for_selector("#search-status:not(:empty)")
    assert page.locator("#search-all").is_visible()
    assert page.locator("#search-results li").count() == 0
    assert not problems, problems.format()


def test_search_works_on_the_main_thread_under_the_page_policy(busan_site: Path, serve, page) -> None:
    """Without the worker, Pagefind compiles its WebAssembly in the page: 'wasm-unsafe-eval' is what allows it."""
    base = serve(busan_site, "/busan2019/")
    page.route("**/pagefind-worker.js", lambda route: route.abort())
    problems = watch_page(page)
    page.goto(f"{base}ko/search/?q={quote('개인정보')}")
    page.wait_for_selector(RESULT_LINKS)
    assert result_urls(page) == [f"{base}ko/sessions/roundtable-session-2/"]
    assert not problems.csp_violations, problems.format()


@pytest.mark.parametrize("lang, query", [("th", "อัจฉริยะ"), ("ko", ""), ("lo", "x")])
def test_axe_finds_nothing_on_the_search_page(busan_site: Path, serve, page, lang: str, query: str) -> None:
    """With results (Thai), with the list and the filters (Korean), and without an index (Lao)."""
    from .support.axe import format_violations, run_axe

    base = serve(busan_site, "/busan2019/")
    page.goto(f"{base}{lang}/search/" + (f"?q={quote(query)}" if query else ""))
    if query:
        page.wait_for_selector("#search-status:not(:empty)")
    else:
        page.wait_for_selector("#search-form:not([hidden])")
    violations = run_axe(page)
    assert not violations, format_violations(violations)


def test_khmer_offers_only_the_types_and_countries_its_index_has(searching_partial) -> None:
    searching = searching_partial
    page = searching("km", "កម្ពុជា")  # starts a space-separated phrase: found (docs/search.md)
    kinds = page.eval_on_selector_all("select[name=kind] option", "nodes => nodes.map(n => n.value)")
    assert kinds == ["", "session", "person"]
    urls = result_urls(page)
    assert set(urls) == {f"{searching.base}km/sessions/bilateral-cambodia/", f"{searching.base}km/people/head-of-delegation-cambodia/"}
    assert not searching.problems, searching.problems.format()


def test_no_search_on_the_command_line_skips_the_index_and_says_so(tmp_path: Path) -> None:
    content = write_site(tmp_path)
    command = [sys.executable, str(PROJECT_ROOT / "build.py"), "--content", str(content), "--out", str(tmp_path / "out")]
    done = subprocess.run([*command, "--no-search"], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "search: off (not requested)" in done.stdout
    assert not (tmp_path / "out" / "pagefind").exists()
    assert (tmp_path / "out" / "en" / "search" / "index.html").is_file()  # the plain list stays
