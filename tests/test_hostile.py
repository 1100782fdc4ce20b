"""Hostile and broken input (docs/security.md; /work/shared/reference/hostile-inputs.md items 1–17, 22).

Each case asserts the exact outcome: the Problem's file, line (and column
where it has one) and a key phrase of its message, or the exact sanitized
output. The dev-server items (18–21) are in tests/test_serve.py.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
import unicodedata
from dataclasses import replace
from pathlib import Path

import markdown
import pytest
import yaml

from eventsite import parallel, paths
from eventsite.build import BuildResult, build_site
from eventsite.cli import main
from eventsite.errors import BuildError, Problem
from eventsite.theme import Theme
from eventsite.write import UnsafeOutputPath, safe_output_file

from .sitekit import PROJECT_ROOT, SITE_YAML, big_site, kill_while_rendering, parse_html, project_for, snapshot, text_of, write_site

# --- helpers ------------------------------------------------------------------------


def build_uncached(content: Path, output: Path, templates: Path | None = None) -> BuildResult:
    """A build that neither reads nor fills the shared Markdown cache (each case is judged on its own)."""
    project = replace(project_for(content, output), cache=None)
    if templates is not None:
        project = replace(project, theme=Theme(templates, project.theme.locales))
    return build_site(project)


def built(tmp_path: Path, files: dict[str, str | bytes | None]) -> tuple[Path, BuildResult]:
    content = write_site(tmp_path, files)
    result = build_uncached(content, tmp_path / "site")
    return tmp_path / "site", result


def problems(tmp_path: Path, files: dict[str, str | bytes | None]) -> list[Problem]:
    content = write_site(tmp_path, files)
    with pytest.raises(BuildError) as raised:
        build_uncached(content, tmp_path / "site")
    assert not (tmp_path / "site").exists(), "a failed build must not create the output"
    return raised.value.problems


def only(found: list[Problem]) -> Problem:
    assert len(found) == 1, "\n".join(p.format() for p in found)
    return found[0]


def where(problem: Problem) -> tuple[str, int, int]:
    return problem.path, problem.line, problem.column


def body_of(page: Path):
    """The Markdown body of an entry page, as a browser parses it."""
    bodies = parse_html(page).xpath('//div[contains(concat(" ", @class, " "), " body ")]')
    assert len(bodies) == 1
    return bodies[0]


PAGE = "---\ntitle: About\nsummary: About the forum.\n---\n"  # the body starts on line 5
ABOUT = "site/en/about/index.html"


def exhibit(extra: str) -> str:
    return f"---\ntitle: 5G disaster response\nsection: korea\ncountry: KR\n{extra}\n---\nExhibit body.\n"


def assert_no_active_content(element) -> None:
    """No script, no event handler, no javascript:/data: URL anywhere in ``element``'s tree."""
    for node in element.iter():
        if not isinstance(node.tag, str):
            continue
        assert node.tag.lower() not in ("script", "style", "object", "embed", "math", "svg", "form", "base")
        if node.tag.lower() == "iframe" and node.get("src") is not None:
            assert node.get("src").startswith(("https://www.youtube-nocookie.com/", "https://player.vimeo.com/"))
        for name, value in node.attrib.items():
            assert not name.lower().startswith("on"), f"{name}= on <{node.tag}>"
            assert name.lower() != "style"
            if name.lower() in ("href", "src", "action", "formaction", "xlink:href"):
                scheme = re.sub(r"[\x00-\x20]", "", value).split(":", 1)[0].lower() if ":" in value else ""
                assert scheme in ("", "http", "https", "mailto", "tel"), f"{name}={value!r}"


# --- 1. script, handlers and javascript: in Markdown bodies ---------------------------

BODY_INJECTIONS = [
    # (id, body line 5…, exact sanitized HTML of the body, the removal reported as a warning)
    ("script", "<script>alert(1)</script>\n", "", "<script> element"),
    ("img-onerror", '<img src="x.png" onerror="alert(1)">\n', '<p><img src="x.png"></p>', "onerror= attribute on <img>"),
    ("svg-onload", '<svg onload="alert(1)"><circle r="1"/></svg>\n', "<p></p>", "<svg> element"),
    (
        "math-mtext-mglyph",  # the DOMPurify mutation-XSS shape
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>\n",
        "",
        "<math> element",
    ),
    ("markdown-javascript", "[x](javascript:alert(1))\n", "<p><a>x</a></p>", "javascript: URL in <a href>"),
    ("mixed-case-scheme", "[x](JaVaScRiPt:alert(1))\n", "<p><a>x</a></p>", "javascript: URL in <a href>"),
    ("entity-scheme", '<a href="&#106;avascript:alert(1)">x</a>\n', "<p><a>x</a></p>", "javascript: URL in <a href>"),
    ("data-image", "![x](data:text/html;base64,PHNjcmlwdD4=)\n", '<p><img alt="x" loading="lazy"></p>', "data: URL in <img src>"),
    ("style-attribute", '<span style="background:url(javascript:alert(1))">x</span>\n', "<p><span>x</span></p>", "style= attribute on <span>"),
    ("foreign-iframe", '<iframe src="https://evil.example/"></iframe>\n', "<iframe></iframe>", "<iframe> from a host not on the allow-list (evil.example)"),
]


@pytest.mark.parametrize(("body", "expected", "removed"), [case[1:] for case in BODY_INJECTIONS], ids=[case[0] for case in BODY_INJECTIONS])
def test_unsafe_markup_in_a_body_is_removed_and_reported(tmp_path: Path, body: str, expected: str, removed: str) -> None:
    site, result = built(tmp_path, {"pages/about.md": PAGE + body})
    html = (site / "en/about/index.html").read_text()
    assert re.search(r'<div class="body">\s*(.*?)\s*</div>', html, re.S).group(1) == expected
    assert_no_active_content(body_of(site / "en/about/index.html"))
    assert Problem("content/pages/about.md", 5, f"removed unsafe HTML: {removed}", 0, "warning") in result.warnings


def test_allowed_video_embed_is_kept(tmp_path: Path) -> None:
    embed = '<iframe src="https://www.youtube-nocookie.com/embed/x" width="560" height="315" allowfullscreen></iframe>\n'
    site, result = built(tmp_path, {"pages/about.md": PAGE + embed})
    iframe = body_of(site / "en/about/index.html").xpath(".//iframe")[0]
    assert iframe.get("src") == "https://www.youtube-nocookie.com/embed/x"
    assert not [w for w in result.warnings if w.path == "content/pages/about.md"]


# --- 2. front matter lands in HTML and JSON-LD as text -------------------------------


def test_title_closing_the_title_element_stays_text(tmp_path: Path) -> None:
    title = "</title><script>alert(1)</script>"
    site, _ = built(tmp_path, {"pages/about.md": f"---\ntitle: '{title}'\n---\nx\n"})
    html = (site / "en/about/index.html").read_text()
    tree = parse_html(site / "en/about/index.html")
    assert tree.findtext(".//title") == f"{title} · Test Forum"
    assert text_of(tree.xpath("//h1")[0]) == title
    assert "<script>alert(1)" not in html
    # The only scripts are the JSON-LD block and the theme's own files.
    for script in tree.iter("script"):
        assert script.get("type") == "application/ld+json" or script.get("src", "").split("/")[-2:-1] == ["static"]


def test_script_end_tag_in_text_cannot_leave_the_json_ld_block(tmp_path: Path) -> None:
    summary = "</script><script>alert(2)</script> & 'quotes' <!--"
    session = f'---\ntitle: Talk\nstart: "2019-11-26 14:00"\nend: "2019-11-26 15:30"\nsummary: "{summary}"\n---\nx\n'
    site, _ = built(tmp_path, {"sessions/talk.md": session})
    html = (site / "en/sessions/talk/index.html").read_text()
    assert "</script><script>alert(2)" not in html
    [block] = parse_html(site / "en/sessions/talk/index.html").xpath('//script[@type="application/ld+json"]')
    data = json.loads(block.text)  # still one valid JSON document …
    assert summary in json.dumps(data, ensure_ascii=False)  # … holding the text exactly
    assert "\\u003c/script\\u003e" in block.text


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "JAVASCRIPT:alert(1)", " javascript:alert(1)", "data:text/html,<script>alert(1)</script>",
     "vbscript:msgbox(1)", "//evil.example/", "/relative/path", "https:/no-host"],
)
def test_exhibit_url_must_be_http_or_https(tmp_path: Path, url: str) -> None:
    problem = only(problems(tmp_path, {"exhibits/five-g.md": exhibit(f"url: '{url}'")}))
    assert where(problem) == ("content/exhibits/five-g.md", 5, 6)
    assert problem.message == "url: must be an absolute http:// or https:// URL"


def test_organizer_url_in_site_yaml_must_be_http_or_https(tmp_path: Path) -> None:
    site_yaml = SITE_YAML.replace('url: "https://example.org/"', "url: javascript:alert(1)")
    problem = only(problems(tmp_path, {"site.yaml": site_yaml}))
    assert where(problem) == ("content/site.yaml", 10, 39)
    assert problem.message == "organizer.url: must be an absolute http:// or https:// URL"


# --- 3. content is never a template --------------------------------------------------

SSTI = "{{ cycler.__init__.__globals__.os.popen('id').read() }}"


def test_template_syntax_in_a_body_is_shown_as_written(tmp_path: Path) -> None:
    body = f"`{SSTI}`\n\n{{% include '/etc/passwd' %}}\n"
    site, _ = built(tmp_path, {"pages/about.md": PAGE + body})
    content = body_of(site / "en/about/index.html")
    assert content.xpath(".//code")[0].text == SSTI
    assert text_of(content.xpath(".//p")[1]) == "{% include '/etc/passwd' %}"
    assert "uid=" not in (site / "en/about/index.html").read_text()


def test_template_syntax_in_front_matter_is_shown_as_written(tmp_path: Path) -> None:
    site, _ = built(tmp_path, {"pages/about.md": "---\ntitle: '{{ 7 * 7 }} {% if 1 %}x{% endif %}'\n---\nx\n"})
    assert text_of(parse_html(site / "en/about/index.html").xpath("//h1")[0]) == "{{ 7 * 7 }} {% if 1 %}x{% endif %}"


# --- 4. content cannot change site policy ----------------------------------------------


@pytest.mark.parametrize("key", ["layout", "template", "permalink", "url", "slug"])
def test_policy_keys_in_front_matter_are_unknown_fields(tmp_path: Path, key: str) -> None:
    problem = only(problems(tmp_path, {"pages/about.md": f"---\ntitle: About\n{key}: ../../x\n---\nx\n"}))
    assert where(problem) == ("content/pages/about.md", 3, len(key) + 3)
    assert problem.message == f"unknown field '{key}' (allowed here: title, summary)"


# --- 5–9. YAML --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "tag"),
    [
        ("!!python/object/apply:os.system ['touch {marker}']", "tag:yaml.org,2002:python/object/apply:os.system"),
        ("!!python/name:os.system", "tag:yaml.org,2002:python/name:os.system"),
        ("!<tag:yaml.org,2002:python/object/new:os.system> ['touch {marker}']", "tag:yaml.org,2002:python/object/new:os.system"),
        ("!!binary aGVsbG8=", "tag:yaml.org,2002:binary"),
        ("!!str About", "tag:yaml.org,2002:str"),
        ("!include /etc/passwd", "!include"),
    ],
    ids=["apply", "name", "verbatim-new", "binary", "str", "local"],
)
def test_yaml_tags_are_refused_and_nothing_runs(tmp_path: Path, value: str, tag: str) -> None:
    marker = tmp_path / "pwned"
    problem = only(problems(tmp_path, {"pages/about.md": f"---\ntitle: {value.format(marker=marker)}\n---\nx\n"}))
    assert where(problem) == ("content/pages/about.md", 2, 8)
    assert problem.message == f"tags such as {tag!r} are not allowed in content"
    assert not marker.exists()


def test_alias_bomb_is_rejected_at_its_first_anchor(tmp_path: Path) -> None:
    levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for index in range(1, 9):
        name, previous = chr(ord("a") + index), chr(ord("a") + index - 1)
        levels.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    front_matter = "---\ntitle: About\n" + "\n".join(levels) + "\n---\nx\n"
    started = time.perf_counter()
    problem = only(problems(tmp_path, {"pages/about.md": front_matter}))
    print(f"alias bomb rejected in {time.perf_counter() - started:.3f} s")  # measured, not asserted
    assert where(problem) == ("content/pages/about.md", 3, 4)
    assert problem.message == "anchors (&name) are not allowed in content"


def test_yaml_11_surprises_stay_as_written(tmp_path: Path) -> None:
    person = "---\nname: 'NO'\ncountry: NO\nrole: 12:30\norganization: 1.10\n---\nBio.\n"
    site, _ = built(tmp_path, {"people/moderator.md": person})
    tree = parse_html(site / "en/people/moderator/index.html")
    page = text_of(tree.xpath("//main")[0])
    assert text_of(tree.xpath("//h1")[0]) == "NO"
    assert "12:30" in page and "1.10" in page and "Norway" in page
    assert "750" not in page and "False" not in page


def test_duplicate_key_is_an_error_naming_both_lines(tmp_path: Path) -> None:
    problem = only(problems(tmp_path, {"people/moderator.md": "---\nname: A Moderator\ncountry: NO\nname: Again\n---\nx\n"}))
    assert where(problem) == ("content/people/moderator.md", 4, 1)
    assert problem.message == "'name' is written twice (first at line 2): keep one"


@pytest.mark.parametrize(("escape", "code"), [("\\0", "0000"), ("\\x1b", "001B"), ("\\x7f", "007F"), ("\\uFFFE", "FFFE")])
def test_control_characters_from_yaml_escapes_are_refused(tmp_path: Path, escape: str, code: str) -> None:
    # They would make the Atom feed and schedule.xml unparsable (XML cannot carry them).
    problem = only(problems(tmp_path, {"news/launch.md": f'---\ntitle: "Launch{escape}"\ndate: "2019-11-20"\n---\nx\n'}))
    assert where(problem) == ("content/news/launch.md", 2, 8)
    assert problem.message == f"control character U+{code} is not allowed in content"


def test_control_character_in_a_body_is_refused_with_its_line(tmp_path: Path) -> None:
    problem = only(problems(tmp_path, {"pages/about.md": PAGE + "Fine.\nPasted \x1b[31mred\n"}))
    assert where(problem) == ("content/pages/about.md", 6, 0)
    assert problem.message == f"control character U+001B at offset {len(PAGE) + 13}"


def test_every_broken_file_is_reported_and_the_cli_exits_non_zero(tmp_path: Path, capsys) -> None:
    content = write_site(tmp_path, {
        "pages/about.md": "---\ntitle: [unclosed\n---\nx\n",
        "sessions/talk.md": "---\ntitle: Talk\nstart: \"2019-11-26 14:00\"\nstart: \"2019-11-26 15:30\"\n---\nx\n",
    })
    assert main(["build", "--content", str(content), "--out", str(tmp_path / "site"), "--no-cache"], root=PROJECT_ROOT) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0] == "content/pages/about.md:2:8: a list in [brackets] opened here is not closed with ']' (or an item lacks its ',')"
    # the file with a key written twice is still checked: it also lacks its end
    assert err[1:3] == [
        "content/sessions/talk.md:1:1: missing required field 'end'",
        "content/sessions/talk.md:4:1: 'start' is written twice (first at line 3): keep one",
    ]
    assert err[-1] == "3 errors; the output was not changed"
    assert not (tmp_path / "site").exists()


def test_bom_and_crlf_give_byte_identical_output(tmp_path: Path) -> None:
    plain = write_site(tmp_path / "plain")
    windows = write_site(tmp_path / "windows")
    for path in windows.rglob("*"):
        if path.suffix in (".md", ".yaml"):
            path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    build_uncached(plain, tmp_path / "plain-site")
    build_uncached(windows, tmp_path / "windows-site")
    assert snapshot(tmp_path / "plain-site") == snapshot(tmp_path / "windows-site")


def test_non_utf8_is_rejected_with_its_byte_offset(tmp_path: Path) -> None:
    raw = (PAGE + "Caf\xe9 au lait\n").encode("latin-1")
    problem = only(problems(tmp_path, {"pages/about.md": raw}))
    assert where(problem) == ("content/pages/about.md", 5, 0)
    assert problem.message == f"not valid UTF-8 at byte {len(PAGE) + 3}: save the file as UTF-8"


# --- 10–13. paths -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("%2e%2e.md", "file name: id '%2e%2e' must be lowercase a-z, 0-9 and single '-' between them"),
        ("a\\..\\b.md", "expected <id>.md or <id>.<lang>.md"),
        ("con.md", "file name: id 'con' is a reserved file name on Windows"),
        ("nul.md", "file name: id 'nul' is a reserved file name on Windows"),
        ("com1.md", "file name: id 'com1' is a reserved file name on Windows"),
        ("CON.md", "file name: id 'CON' must be lowercase a-z, 0-9 and single '-' between them"),
        ("About.md", "file name: id 'About' must be lowercase a-z, 0-9 and single '-' between them"),
        ("about.EN.md", "'EN' is not a language code (expected e.g. 'ko', 'zh-Hant')"),
        ("a b.md", "file name: id 'a b' must be lowercase a-z, 0-9 and single '-' between them"),
    ],
)
def test_file_names_that_could_escape_or_collide_are_refused(tmp_path: Path, name: str, message: str) -> None:
    problem = only(problems(tmp_path, {f"pages/{name}": "---\ntitle: X\n---\nx\n"}))
    assert where(problem) == (f"content/pages/{name}", 0, 0)
    assert problem.message == message


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("../../../etc/passwd", "image: path must not contain '.' or '..' segments"),
        ("%2e%2e/%2e%2e/etc/passwd", "image: percent-escapes are not allowed in paths"),
        ("/etc/passwd", "image: path must be relative to media/"),
        ("C:/Windows/win.ini", "image: path must be relative to media/"),
        ("..\\..\\secret.jpg", "image: use '/' to separate folders"),
        ("exhibits/./../../x.jpg", "image: path must not contain '.' or '..' segments"),
        ("con.jpg", "image: 'con.jpg' is a reserved file name on Windows"),
        ("missing.jpg", "media/missing.jpg does not exist"),
    ],
)
def test_media_references_cannot_leave_media(tmp_path: Path, value: str, message: str) -> None:
    problem = only(problems(tmp_path, {"exhibits/five-g.md": exhibit(f"image: '{value}'")}))
    assert where(problem) == ("content/exhibits/five-g.md", 5, 8)
    assert problem.message == message


def test_nul_in_a_media_reference_is_refused(tmp_path: Path) -> None:
    problem = only(problems(tmp_path, {"exhibits/five-g.md": exhibit('image: "x.jpg\\0../../etc/passwd"')}))
    assert where(problem) == ("content/exhibits/five-g.md", 5, 8)
    assert problem.message == "control character U+0000 is not allowed in content"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("speakers: [../../etc/passwd]", "speakers.0: id '../../etc/passwd' must be lowercase a-z, 0-9 and single '-' between them"),
        ("room: ..\\hall-a", "room: id '..\\\\hall-a' must be lowercase a-z, 0-9 and single '-' between them"),  # repr()
        ("room: con", "room: id 'con' is a reserved file name on Windows"),
    ],
)
def test_id_references_cannot_be_paths(tmp_path: Path, line: str, message: str) -> None:
    session = f'---\ntitle: Talk\nstart: "2019-11-26 14:00"\nend: "2019-11-26 15:30"\n{line}\n---\nx\n'
    problem = only(problems(tmp_path, {"sessions/talk.md": session}))
    assert (problem.path, problem.line) == ("content/sessions/talk.md", 5)
    assert problem.message == message


@pytest.mark.parametrize(
    "target",
    ["/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/media/../site.yaml", "/static/../../../../etc/passwd", "/en/../../../secret"],
)
def test_site_links_cannot_reach_outside_the_site(tmp_path: Path, target: str) -> None:
    problem = only(problems(tmp_path, {"pages/about.md": PAGE + f"Intro.\n\n[x]({target})\n"}))
    assert (problem.path, problem.line) == ("content/pages/about.md", 7)
    assert problem.message == f"link to {target}: no such page or file"


def test_language_codes_cannot_be_paths_or_case_duplicates(tmp_path: Path) -> None:
    for index, (languages, message) in enumerate([
        ("[en, ko, th, EN]", "languages: each language may be listed once (letter case does not count)"),
        ("[en, '../x']", "languages.1: '../x' is not a language code (e.g. 'ko', 'zh-Hant', 'en-GB')"),
    ]):
        site_yaml = SITE_YAML.replace("languages: [en, ko, th]", f"languages: {languages}")
        found = problems(tmp_path / str(index), {"site.yaml": site_yaml})
        assert (found[0].path, found[0].line, found[0].message) == ("content/site.yaml", 5, message)


@pytest.mark.parametrize("relative", ["../x", "en/../../x", "/etc/passwd", "..\\x", "a\x00b", ""])
def test_no_write_outside_the_output_folder(tmp_path: Path, relative: str) -> None:
    with pytest.raises(UnsafeOutputPath, match="refusing to write outside the output folder"):
        safe_output_file(tmp_path, relative)


def test_case_duplicate_media_fail_naming_both(tmp_path: Path) -> None:
    problem = only(problems(tmp_path, {"media/Plan.pdf": b"%PDF-1", "media/plan.pdf": b"%PDF-2"}))
    assert problem.format() == "content/media/plan.pdf: same output file as content/media/Plan.pdf"


def test_nfc_and_nfd_media_names_fail_naming_both(tmp_path: Path) -> None:
    nfc, nfd = unicodedata.normalize("NFC", "café.pdf"), unicodedata.normalize("NFD", "café.pdf")
    problem = only(problems(tmp_path, {f"media/{nfc}": b"%PDF-1", f"media/{nfd}": b"%PDF-2"}))
    assert {problem.path, problem.message.removeprefix("same output file as ")} == {f"content/media/{nfc}", f"content/media/{nfd}"}


def test_nfd_media_name_is_published_and_linked_as_nfc(tmp_path: Path) -> None:
    nfc, nfd = unicodedata.normalize("NFC", "café.pdf"), unicodedata.normalize("NFD", "café.pdf")
    body = PAGE + f"[typed]({'/media/' + nfc}) and [pasted from Finder]({'/media/' + nfd})\n"
    site, _ = built(tmp_path, {f"media/{nfd}": b"%PDF", "pages/about.md": body})
    assert [p.name for p in (site / "media").iterdir()] == [nfc]
    links = body_of(site / "en/about/index.html").xpath(".//a/@href")
    assert links == [f"../../media/{nfc}", f"../../media/{nfc}"]


def test_symlinks_out_of_content_and_media_are_refused_and_never_copied(tmp_path: Path) -> None:
    secret = tmp_path / "home" / ".ssh" / "id_rsa"
    secret.parent.mkdir(parents=True)
    secret.write_text("-----BEGIN OPENSSH PRIVATE KEY-----")
    content = write_site(tmp_path)
    (content / "pages" / "key.md").symlink_to(secret)
    (content / "media").mkdir()
    (content / "media" / "key.txt").symlink_to(secret)
    (content / "media" / "ssh").symlink_to(secret.parent)
    with pytest.raises(BuildError) as raised:
        build_uncached(content, tmp_path / "site")
    assert [p.format() for p in raised.value.problems] == [
        "content/media/key.txt: symbolic link points outside the content folder",
        "content/media/ssh: symbolic link points outside the content folder",
        "content/pages/key.md: symbolic link points outside the content folder",
    ]
    assert not (tmp_path / "site").exists()


def test_hidden_and_editor_files_are_never_content(tmp_path: Path) -> None:
    evil = "---\ntitle: Evil\n---\n<script>alert(1)</script>\n"
    names = [".evil.md", "..\\evil.md", ".#about.md", "about.md~", ".about.md.swp", "4913", "#about.md#"]
    site, result = built(tmp_path, {f"pages/{name}": evil for name in names})
    assert b"Evil" not in b"".join(snapshot(site).values())
    assert not [w for w in result.warnings if "Evil" in w.message or w.path.startswith("content/pages/")]


def test_ids_are_ascii_so_nfc_and_nfd_are_one_id() -> None:
    for name in ("café", "ｃｏｎ", "ﬁle", "e\u0301"):
        assert paths.id_problem(unicodedata.normalize("NFC", name)) is not None
        assert paths.id_problem(unicodedata.normalize("NFD", name)) is not None


# --- 14, 17. interruption and reproducibility ------------------------------------------------


def test_kill_9_mid_build_leaves_the_previous_output_and_the_next_build_cleans_up(tmp_path: Path) -> None:
    content = big_site(tmp_path, sessions=120, paragraphs=5)
    output = tmp_path / "site"
    build_uncached(content, output)
    before = snapshot(output)
    (content / "pages" / "about.md").write_text("---\ntitle: Changed\n---\nChanged.\n")
    command = [sys.executable, str(PROJECT_ROOT / "build.py"), "build", "--content", str(content), "--out", str(output), "--no-cache"]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    staged = kill_while_rendering(process, tmp_path)
    print(f"killed after {time.perf_counter() - started:.2f} s")
    time.sleep(0.3)  # render workers die with the build (PR_SET_PDEATHSIG) and write nothing more
    assert snapshot(output) == before  # the old site, complete and byte-identical
    leftovers = list(tmp_path.glob(".site.tmp-*"))
    assert leftovers == staged
    files_left = snapshot(leftovers[0])
    time.sleep(0.3)
    assert snapshot(leftovers[0]) == files_left  # nobody is still writing into it
    build_uncached(content, output)
    assert not list(tmp_path.glob(".site.*"))  # the next build removed the leftovers
    assert text_of(parse_html(output / "en/about/index.html").xpath("//h1")[0]) == "Changed"


def test_exception_at_page_n_leaves_the_previous_output_untouched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content = write_site(tmp_path)
    output = tmp_path / "site"
    build_uncached(content, output)
    before = snapshot(output)
    (content / "pages" / "about.md").write_text("---\ntitle: Changed\n---\nChanged.\n")
    real, calls = parallel.render_route, []

    def fails_at_the_tenth(renderer, route, recorder):
        calls.append(route.url)
        if len(calls) == 10:
            raise OSError("disk on fire")
        return real(renderer, route, recorder)

    monkeypatch.setattr(parallel, "render_route", fails_at_the_tenth)
    with pytest.raises(OSError, match="disk on fire"):
        build_uncached(content, output)
    assert len(calls) == 10
    assert snapshot(output) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "site"]  # no staging folder left


def test_two_builds_of_the_same_input_are_byte_identical(tmp_path: Path) -> None:
    content = write_site(tmp_path)
    build_uncached(content, tmp_path / "one")
    time.sleep(1.1)  # a build time stamp would now differ
    build_uncached(content, tmp_path / "two")
    one, two = snapshot(tmp_path / "one"), snapshot(tmp_path / "two")
    assert len(one) > 50 and one == two


# --- 15. strict: no broken page published with exit 0 ----------------------------------------


def test_undefined_template_variable_fails_the_build_with_its_line(tmp_path: Path) -> None:
    import shutil

    templates = tmp_path / "templates"
    shutil.copytree(PROJECT_ROOT / "templates", templates)
    source = (templates / "page.html").read_text()
    (templates / "page.html").write_text(source.replace("{{ entry.body }}", "{{ entry.body }}{{ no_such_variable }}", 1))
    line = source.splitlines().index(next(l for l in source.splitlines() if "{{ entry.body }}" in l)) + 1
    content = write_site(tmp_path)
    with pytest.raises(BuildError) as raised:
        build_uncached(content, tmp_path / "site", templates=templates)
    found = {(p.path, p.line) for p in raised.value.problems}
    assert found == {("templates/page.html", line)}
    assert all("'no_such_variable' is undefined" in p.message for p in raised.value.problems)
    assert not (tmp_path / "site").exists()


def test_check_strict_fails_on_a_warning(tmp_path: Path, capsys) -> None:
    content = write_site(tmp_path, {"pages/about.md": PAGE + "<script>alert(1)</script>\n"})
    assert main(["check", "--content", str(content)], root=PROJECT_ROOT) == 0
    assert main(["check", "--strict", "--content", str(content)], root=PROJECT_ROOT) == 1
    assert "content/pages/about.md:5: removed unsafe HTML: <script> element" in capsys.readouterr().out


# --- 16. pathological Markdown -------------------------------------------------------------------


@pytest.mark.parametrize("megabytes", [5, 10])
def test_huge_files_get_a_size_error_without_being_parsed(tmp_path: Path, megabytes: int) -> None:
    body = PAGE + "Lorem ipsum dolor sit amet. " * (megabytes * 1024 * 1024 // 28)
    started = time.perf_counter()
    problem = only(problems(tmp_path, {"pages/about.md": body}))
    print(f"{megabytes} MB rejected in {time.perf_counter() - started:.2f} s")
    assert where(problem) == ("content/pages/about.md", 0, 0)
    assert problem.message == f"file is {len(body.encode())} bytes; the limit is 2097152"


QUADRATIC = [
    # (id, body from line 5, line of the problem, key phrase) — Python-Markdown#1130, #1617; CPython's HTMLParser
    ("brackets", "Intro.\n\n" + "[" * 20000, 7, "Markdown too complex to convert (200010000 characters to scan"),
    ("open-tags", "<a " * 10000, 5, "Markdown too complex to convert"),
    ("autolinks", "<http://" * 5000, 5, "Markdown too complex to convert"),
    ("link-targets", "[a](" * 5000, 5, "Markdown too complex to convert"),
    ("brackets-on-lines", "x\n" + "- [\n" * 3000, 6, "Markdown too complex to convert"),
    ("headings", "## h\n" * 5000, 5, "5000 headings; the limit is 1000"),
    ("abbreviations", "*[HTML]: x\n" * 2000 + "HTML " * 2000, 5, "2000 abbreviations are too many"),
    ("nested-on-one-line", "- " * 5000 + "x", 5, "lists or quotes nested 5000 deep; the limit is 100"),
    ("nested-300", "".join("    " * i + "- x\n" for i in range(300)), 105, "lists or quotes nested 101 deep"),
    # Python-Markdown nests a list in each definition here; before 3.11.4 it overflowed the stack on it.
    ("long-definition-list", "a\n: b\n" * 1600, 5, "Markdown nested too deeply"),
]


@pytest.mark.parametrize(("body", "line", "phrase"), [case[1:] for case in QUADRATIC], ids=[case[0] for case in QUADRATIC])
def test_pathological_markdown_is_a_clear_error(tmp_path: Path, body: str, line: int, phrase: str) -> None:
    started = time.perf_counter()
    problem = only(problems(tmp_path, {"pages/about.md": PAGE + body}))
    print(f"rejected in {time.perf_counter() - started:.2f} s")
    assert (problem.path, problem.line) == ("content/pages/about.md", line)
    assert phrase in problem.message


def test_a_converter_that_overflows_the_stack_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever the Markdown version, a body that makes it recurse too deeply is the page's error, not a crash."""

    def overflow(self: markdown.Markdown, source: str) -> str:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(markdown.Markdown, "convert", overflow)
    # A definition list is outside the subset markup.py converts itself, so Python-Markdown converts it.
    found = problems(tmp_path, {"pages/about.md": PAGE + "term\n: its definition\n"})
    [problem] = [problem for problem in found if problem.path == "content/pages/about.md"]
    assert problem.line == 5
    assert "Markdown nested too deeply, or a list too long, to convert: split it" in problem.message


@pytest.mark.parametrize(
    ("body", "expected_text"),
    [
        ("`" * 20000 + "x", "x"),
        ("[]:0" + " " * 5000 + "0", "[]:0"),
        ("*a" * 5000, "a"),
        ("<" * 20000, "<<<<"),
        ("".join(f"- [Press release {i}](https://example.org/press/{i}/)\n" for i in range(500)), "Press release 499"),
    ],
    ids=["backtick-run", "reference-spaces", "emphasis-run", "lone-angles", "500-links"],
)
def test_long_but_harmless_markdown_builds(tmp_path: Path, body: str, expected_text: str) -> None:
    site, _ = built(tmp_path, {"pages/about.md": PAGE + body})
    assert expected_text in text_of(body_of(site / "en/about/index.html"))


def test_fifty_level_nested_list_builds_a_correct_page(tmp_path: Path) -> None:
    nested = "".join("    " * depth + f"- level {depth + 1}\n" for depth in range(50))
    site, _ = built(tmp_path, {"pages/about.md": PAGE + nested})
    body = body_of(site / "en/about/index.html")
    [deepest] = body.xpath(".//li[not(.//li)]")
    assert text_of(deepest) == "level 50"
    assert len(deepest.xpath("ancestor::ul")) == 50


# --- 22. CI trust boundary ----------------------------------------------------------------------------


def test_pull_requests_build_without_secrets_and_only_main_deploys() -> None:
    workflow = yaml.safe_load((PROJECT_ROOT / ".github/workflows/site.yml").read_text())
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as True
    assert "pull_request" in triggers and "pull_request_target" not in triggers
    assert workflow["permissions"] == {"contents": "read"}
    jobs = workflow["jobs"]
    for name, job in jobs.items():
        if name != "deploy":
            assert "secrets." not in json.dumps(job), f"{name} sees secrets"
            assert "permissions" not in job, f"{name} widens its permissions"
    deploy = jobs["deploy"]
    assert deploy["if"] == "github.event_name == 'push' && github.ref == 'refs/heads/main'"
    assert set(deploy["needs"]) == {"test", "check"}
