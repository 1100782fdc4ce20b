"""End to end: fixture sites built through the public entry points, HTML parsed."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from eventsite.errors import BuildError

from .sitekit import PROJECT_ROOT, build, parse_html, text_of, write_site

LANGS = ["en", "ko", "th"]
PAGES = [
    "",
    "schedule/",
    "sessions/opening/",
    "sessions/talk/",
    "exhibition/",
    "exhibits/five-g/",
    "people/",
    "people/minister/",
    "people/moderator/",
    "news/",
    "news/launch/",
    "about/",
]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("fixture")
    content = write_site(root)
    build(content, root / "site")
    return root / "site"


def page(site: Path, lang: str, path: str):
    return parse_html(site / lang / path / "index.html")


def test_every_language_gets_the_whole_site(built: Path) -> None:
    for lang in LANGS:
        for path in PAGES:
            assert (built / lang / path / "index.html").is_file(), (lang, path)
    assert (built / "index.html").is_file()
    assert len(list((built / "static").glob("style.*.css"))) == 1  # fingerprinted: eventsite/fingerprint.py


def test_html_lang_dir_and_absolute_canonical(built: Path) -> None:
    for lang in LANGS:
        for path in PAGES:
            tree = page(built, lang, path)
            html = tree.getroot()
            assert html.get("lang") == lang
            assert html.get("dir") == "ltr"
            canonical = tree.xpath("//link[@rel='canonical']/@href")
            assert len(canonical) == 1 and canonical[0].startswith("https://example.org/forum/")


def test_root_chooser_links_every_language_named_in_itself(built: Path) -> None:
    tree = parse_html(built / "index.html")
    links = {a.get("hreflang"): (a.get("href"), a.get("lang"), text_of(a)) for a in tree.xpath("//main//a")}
    assert links["en"] == ("en/", "en", "English")
    assert links["ko"] == ("ko/", "ko", "한국어")
    assert links["th"] == ("th/", "th", "ไทย")


def test_switcher_goes_to_the_same_page_and_marks_untranslated(built: Path) -> None:
    tree = page(built, "ko", "sessions/talk/")
    switch = tree.xpath("//nav[contains(@class,'languages')]//a")
    assert [a.get("hreflang") for a in switch] == LANGS
    hrefs = {a.get("hreflang"): a.get("href") for a in switch}
    assert hrefs["en"] == "../../../en/sessions/talk/"
    # talk has no translations: ko and th are marked untranslated, en is not
    marked = {a.get("hreflang") for a in switch if "untranslated" in (a.get("class") or "")}
    assert marked == {"th"}  # ko is the current page, shown as current
    current = [a.get("hreflang") for a in switch if a.get("aria-current")]
    assert current == ["ko"]


def test_hreflang_sets_are_reciprocal_and_exclude_fallbacks(built: Path) -> None:
    sets = {}
    for lang in LANGS:
        for path in PAGES:
            tree = page(built, lang, path)
            alternates = {link.get("hreflang"): link.get("href") for link in tree.xpath("//link[@rel='alternate'][@hreflang]")}
            url = f"https://example.org/forum/{lang}/{path}"
            sets[url] = alternates
    for url, alternates in sets.items():
        if not alternates:
            continue
        assert alternates["x-default"].startswith("https://example.org/forum/en/")
        for hreflang, href in alternates.items():
            if hreflang == "x-default":
                continue
            assert sets[href] == alternates, (url, href)  # reciprocal: same set everywhere
        assert url in alternates.values()
    # opening is translated into ko only; its th page is a fallback
    assert set(sets["https://example.org/forum/en/sessions/opening/"]) == {"en", "ko", "x-default"}
    assert sets["https://example.org/forum/th/sessions/opening/"] == {}


def test_fallback_page_says_so_and_marks_the_real_language(built: Path) -> None:
    tree = page(built, "th", "sessions/opening/")
    article = tree.xpath("//article")[0]
    assert article.get("lang") == "en"
    notice = tree.xpath("//*[contains(@class,'notice')]")[0]
    assert notice.get("role") == "note"
    assert "ไทย" in text_of(notice)  # the missing language, named in the page's language
    assert notice.xpath("ancestor::*[@lang='en']") == []  # the notice itself is in the page's language
    canonical = tree.xpath("//link[@rel='canonical']/@href")[0]
    assert canonical == "https://example.org/forum/en/sessions/opening/"


def test_translated_page_uses_the_translation(built: Path) -> None:
    tree = page(built, "ko", "sessions/opening/")
    assert text_of(tree.xpath("//h1")[0]) == "개회식"
    assert tree.xpath("//article/@lang") == []
    assert not tree.xpath("//*[contains(@class,'notice')]")
    assert tree.xpath("//link[@rel='canonical']/@href")[0] == "https://example.org/forum/ko/sessions/opening/"


def test_fallback_texts_on_listing_pages_carry_their_language(built: Path) -> None:
    tree = page(built, "ko", "schedule/")
    titles = {text_of(a): a for a in tree.xpath("//article[contains(@class,'session')]//h3/a")}
    assert "개회식" in titles
    untranslated = titles["Talk on smart traffic"]
    assert untranslated.xpath("./span/@lang") == ["en"]


def test_dates_are_localized_in_the_event_zone(built: Path) -> None:
    ko = page(built, "ko", "sessions/opening/")
    assert "2019년 11월 25일 (월)" in text_of(ko.xpath("//dl[contains(@class,'details')]")[0])
    assert ko.xpath("//time/@datetime")[0] == "2019-11-25T09:00:00+09:00"
    th = page(built, "th", "schedule/")
    assert "พ.ย." in text_of(th.xpath("//h2")[0])


def test_markdown_links_rewritten_and_resolve(built: Path) -> None:
    for lang in LANGS:
        for path in PAGES:
            here = f"/{lang}/{path}"
            tree = page(built, lang, path)
            for href in tree.xpath("//a/@href | //link[@rel='stylesheet']/@href"):
                if urlsplit(href).scheme:
                    continue
                target = urlsplit(urljoin(here, href)).path
                file = built / target.lstrip("/")
                if target.endswith("/"):
                    file = file / "index.html"
                assert file.is_file(), f"{here}: broken link {href}"
    body_links = page(built, "ko", "sessions/opening/").xpath("//div[@class='body']//a/@href")
    assert body_links == ["../../about/"]


def test_country_names_come_from_cldr(built: Path) -> None:
    th = page(built, "th", "sessions/talk/")
    details = text_of(th.xpath("//dl[contains(@class,'details')]")[0])
    assert "ไทย" in details and "นอร์เวย์" in details  # Thailand and Norway, in Thai
    ko = page(built, "ko", "")
    assert "노르웨이" in text_of(ko.xpath("//body")[0])


def test_titles_are_plain_text(built: Path) -> None:
    for lang in LANGS:
        for path in PAGES:
            title = page(built, lang, path).xpath("//title")[0]
            assert "<" not in title.text


def test_build_is_reproducible(tmp_path: Path) -> None:
    content = write_site(tmp_path)
    build(content, tmp_path / "one")
    build(content, tmp_path / "two")
    one = {p.relative_to(tmp_path / "one"): p.read_bytes() for p in (tmp_path / "one").rglob("*") if p.is_file()}
    two = {p.relative_to(tmp_path / "two"): p.read_bytes() for p in (tmp_path / "two").rglob("*") if p.is_file()}
    assert one == two


# --- failures --------------------------------------------------------------------


def test_errors_are_all_reported_and_output_untouched(tmp_path: Path) -> None:
    content = write_site(tmp_path)
    output = tmp_path / "site"
    build(content, output)
    before = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}
    (content / "sessions" / "opening.md").write_text(
        "---\ntitle: Opening\nstart: \"2019-11-25 11:00\"\nend: \"2019-11-25 10:00\"\nroom: nowhere\nspeakers: [ghost]\n---\nx\n"
    )
    (content / "sessions" / "talk.xx.md").write_text("---\ntitle: T\n---\n")
    (content / "people" / "minister.ko.md").write_text("---\nname: 장관\ncountry: KR\n---\n")
    with pytest.raises(BuildError) as raised:
        build(content, output)
    found = {(p.path, p.line): p.message for p in raised.value.problems}
    assert "end 10:00 is not after start 11:00" in found[("content/sessions/opening.md", 4)]
    assert "unknown room 'nowhere'" in found[("content/sessions/opening.md", 5)]
    assert "unknown person 'ghost'" in found[("content/sessions/opening.md", 6)]
    assert any("'xx'" in m for (path, _), m in found.items() if path.endswith("talk.xx.md"))
    assert any("unknown field 'country'" in m for (path, _), m in found.items() if path.endswith("minister.ko.md"))
    after = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}
    assert after == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".site")]


def test_broken_body_link_is_an_error_with_line(tmp_path: Path) -> None:
    content = write_site(tmp_path, {"pages/about.md": "---\ntitle: About\n---\nFirst line.\n\nSee [missing](/sessions/nope/).\n"})
    with pytest.raises(BuildError) as raised:
        build(content, tmp_path / "site")
    [problem] = raised.value.problems
    assert (problem.path, problem.line) == ("content/pages/about.md", 6)
    assert "/sessions/nope/" in problem.message


def test_session_outside_dates_and_unknown_section(tmp_path: Path) -> None:
    content = write_site(
        tmp_path,
        {
            "sessions/late.md": "---\ntitle: Late\nstart: \"2019-12-01 10:00\"\nend: \"2019-12-01 11:00\"\n---\n",
            "exhibits/bad.md": "---\ntitle: Bad\nsection: nowhere\ncountry: KR\n---\n",
            "exhibits/far.md": "---\ntitle: Far\nsection: korea\ncountry: FR\n---\n",
        },
    )
    with pytest.raises(BuildError) as raised:
        build(content, tmp_path / "site")
    messages = {(p.path, p.line): p.message for p in raised.value.problems}
    assert "outside the event's dates" in messages[("content/sessions/late.md", 3)]
    assert "unknown exhibition section 'nowhere'" in messages[("content/exhibits/bad.md", 3)]
    assert "'FR' is not in site.yaml countries" in messages[("content/exhibits/far.md", 4)]


def test_cli_exit_codes_and_summary(tmp_path: Path) -> None:
    content = write_site(tmp_path)
    command = [sys.executable, str(PROJECT_ROOT / "build.py"), "--content", str(content), "--out", str(tmp_path / "out")]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "wrote " in done.stdout and "20 in each of 3 languages" in done.stdout  # 15 pages, the programme changes, the search page, 3 room signs
    (content / "site.yaml").write_text("title: [unclosed\n")
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode == 1
    assert "content/site.yaml:1" in done.stderr or "site.yaml:2" in done.stderr
    assert (tmp_path / "out" / "en" / "index.html").is_file()


def test_base_url_override(tmp_path: Path) -> None:
    from eventsite.build import build_site

    from .sitekit import project_for

    content = write_site(tmp_path)
    build_site(project_for(content, tmp_path / "site", base_url="https://preview.example.net/pr-7"))
    tree = page(tmp_path / "site", "en", "")
    assert tree.xpath("//link[@rel='canonical']/@href") == ["https://preview.example.net/pr-7/en/"]


def test_the_summary_says_where_and_what(tmp_path: Path) -> None:
    content = write_site(tmp_path)
    done = subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "build.py"), "--content", str(content), "--out", "out", "--no-search"],
        cwd=tmp_path, capture_output=True, text=True, check=False,
    )
    assert done.returncode == 0, done.stderr
    line = done.stdout.splitlines()[0]
    files = sum(1 for path in (tmp_path / "out").rglob("*") if path.is_file())
    assert re.fullmatch(
        rf"wrote out/ in \d+\.\d\d s: \d+ pages \(\d+ in each of 3 languages, 1 at the root \(the language chooser\)\), {files:,} files in all",
        line,
    ), line


def test_a_build_that_ends_its_process_still_says_everything(tmp_path: Path) -> None:
    """build.py ends its process at once after a build (commands/build.py, end_process): what it printed, into
    a pipe or a file (buffered), is all there, and the exit status is the build's."""
    content = write_site(tmp_path)
    command = [sys.executable, str(PROJECT_ROOT / "build.py"), "--content", str(content), "--out", str(tmp_path / "out"), "--no-search", "--timings"]
    with open(tmp_path / "said.txt", "w", encoding="utf-8") as said:
        done = subprocess.run(command, stdout=said, stderr=subprocess.PIPE, text=True, check=False)
    assert done.returncode == 0, done.stderr
    lines = (tmp_path / "said.txt").read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("wrote ") and lines[-1].startswith("total "), lines
    (content / "sessions" / "opening.md").write_text("---\ntitle: [unclosed\n---\n", encoding="utf-8")
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode == 1 and "the output was not changed" in done.stderr, done.stderr


def test_a_closed_pipe_is_not_a_traceback(tmp_path: Path) -> None:
    content = write_site(tmp_path)
    command = f"{sys.executable} {PROJECT_ROOT / 'build.py'} i18n --format json --content {content} | head -c 10"
    done = subprocess.run(["bash", "-o", "pipefail", "-c", command], capture_output=True, text=True, check=False)
    assert done.stdout == '{\n  "defau' and "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr, done.stderr


FREEZE_COUNT = """
import gc, os, sys
from pathlib import Path
import eventsite.commands.build as command
from eventsite.cli import main
arguments = ["--content", sys.argv[1], "--out", sys.argv[2], "--no-search", "--workers", "2"]
how, root = sys.argv[3], Path(sys.argv[4])
if how == "own":  # as build.py runs it: the process's own command line, which the command ends (end_process)
    command.end_process = lambda status: (print(status, gc.get_freeze_count(), flush=True), os._exit(status))
    sys.argv = ["build.py", *arguments]
    main(root=root)
    print("the command did not end the process")
else:  # called by a longer-lived program (as the tests call it): it returns
    code = main(["build", *arguments], root=root)
    print(code, gc.get_freeze_count())
"""


@pytest.mark.parametrize("how", ["own", "called"])
def test_only_a_build_that_is_the_whole_process_freezes_what_it_loaded(tmp_path: Path, how: str) -> None:
    """gc.freeze (build.settle) keeps a one-build process's loaded site out of the collector's scans;
    a program that calls main() and lives on must keep collecting it."""
    content = write_site(tmp_path)
    done = subprocess.run([sys.executable, "-c", FREEZE_COUNT, str(content), str(tmp_path / "site"), how, str(tmp_path)],
                          capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=300)
    assert "did not end" not in done.stdout
    code, frozen = map(int, done.stdout.split()[-2:])
    assert code == 0, done.stderr
    assert (frozen > 10_000) if how == "own" else (frozen == 0), frozen
    assert (tmp_path / "site" / "en" / "index.html").is_file()
