"""Property-based tests: hostile content thrown at the loader, the renderer and the whole build.

Whatever the input, the outcome is one of two: a BuildError whose problems
all name a content file, or a site whose HTML parses and whose links stay
inside it. Never another exception. Bounded: about a minute in all, and
hypothesis keeps no example database in the repository (``database=None``).
"""

from __future__ import annotations

import json
import re
import tempfile
import unicodedata
from dataclasses import replace
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

import html5lib
from hypothesis import HealthCheck, Phase, assume, example, given, settings
from hypothesis import strategies as st

from eventsite import paths
from eventsite.build import build_site
from eventsite.errors import BuildError, Problem
from eventsite.load import decode_text, load_content, split_front_matter
from eventsite.markup import ALLOWED_TAGS, IFRAME_HOSTS, URL_SCHEMES, MarkdownRenderer, TooComplex, sanitize, slugify
from eventsite.model import build_model
from eventsite.kinds import PAGE_KINDS
from eventsite.routes import plan_routes
from eventsite.validate import validate_content
from eventsite.write import UnsafeOutputPath, safe_output_file
from eventsite.yaml_strict import CONTROL_CHARACTER, YamlProblem, parse

from .sitekit import project_for, write_site

FAST = settings(max_examples=100, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
# Whole builds take seconds each: few examples, and no shrinking (it could take minutes).
BUILDS = settings(
    max_examples=10, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow],
    phases=[Phase.explicit, Phase.generate],
)

# --- strategies -------------------------------------------------------------------------------

MARKDOWN_PIECES = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[x](javascript:alert(1))", "[x](JaVaScRiPt:alert(1))",
    "<a href='jav&#x09;ascript:alert(1)'>x</a>", "<a href=\"&#106;avascript:alert(1)\">x</a>", "<math><mtext><table><mglyph><style>",
    "<svg onload=alert(1)>", "<iframe src=//evil.example>", "<iframe src=https://www.youtube-nocookie.com/embed/x>", "<style>",
    "<object data=x>", "<embed src=x>", "<base href=//evil.example/>", "<meta http-equiv=refresh content='0;url=javascript:x'>",
    "<form action=javascript:alert(1)>", "<a href=data:text/html,x>x</a>", "<img srcset='javascript:x'>", "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
    "<template><script>x</script></template>", "<textarea>", "<xmp>", "<title>", "<select><option>", "<![CDATA[", "<!--", "-->", "</div>", "<div markdown=1>",
    "[a]: javascript:alert(1)\n", "[a]", "![a](javascript:x)", "<http://example.org>", "<javascript:alert(1)>", "{{ 7*7 }}", "{% raw %}",
    "[internal](/about/)", "[missing](/nowhere/)", "[media](/media/x.pdf)", "[up](/../../etc/passwd)", "[session](/sessions/talk/#background)",
    "\n\n", "\n", "- ", "1. ", "    ", "> ", "## ", "# ", "`", "```\n", "*", "_", "**", "[", "]", "(", ")", "<", ">", "&", "&#0;", "&amp;",
    "|", "| a | b |\n|---|---|\n", "---", "\t", "\\", "\u200b", "e\u0301", "é", "ภาษาไทย", "한국어", "\u202e", "*[HTML]: x\n", "Term\n: Definition\n",
]
# The loader refuses control characters (load.decode_text), so bodies never hold them.
markdown_text = st.lists(st.one_of(st.sampled_from(MARKDOWN_PIECES), st.text(max_size=12)), max_size=30).map(
    lambda pieces: CONTROL_CHARACTER.sub("", "".join(pieces))
)

YAML_PIECES = [
    "title: ", "start: ", "end: ", "kind: ", "room: ", "speakers: ", "summary: ", "layout: ", "'", '"', "[", "]", "{", "}", ", ", ": ",
    "- ", "\n", "  ", "#", "&a ", "*a", "!!python/object/apply:os.system ['id']", "!!str ", "!x ", "? ", "|\n  ", ">\n  ", "<<: ",
    "NO", "yes", "12:30", "1.10", "0o14", "~", "null", "2019-11-26 14:00", '"2019-11-26 15:30"', "\\x1b", "\\0", "\\u00e9", "%YAML 1.1\n",
    "---", "...", "\t", "\u00a0", "\ufeff", "hall-a", "minister", "ghost", "../x",
]
front_matter_text = st.lists(st.one_of(st.sampled_from(YAML_PIECES), st.text(max_size=8)), max_size=25).map("".join)

file_names = st.one_of(
    st.text(min_size=1, max_size=40).filter(lambda name: "/" not in name and "\x00" not in name),
    st.lists(st.sampled_from(["a", "b", "-", ".", "..", "md", ".md", "ko", "%2e", "\\", "con", "CON", "é", "e\u0301", " ", "~", "#", "x.md"]), min_size=1, max_size=6).map("".join),
)


def ok_file_name(name: str) -> bool:
    return name not in (".", "..") and len(name.encode("utf-8", "surrogatepass")) <= 200 and name.encode("utf-8", "ignore").decode() == name


# --- checks --------------------------------------------------------------------------------


def assert_problems_name_files(error: BuildError, content: Path) -> None:
    assert error.problems, "a BuildError without problems"
    for problem in error.problems:
        assert isinstance(problem, Problem)
        assert problem.path.startswith("content/"), problem.format()
        assert problem.line >= 0 and problem.column >= 0, problem.format()
        source = content.parent / problem.path
        if problem.line and source.is_file() and not source.is_symlink():
            lines = source.read_bytes().count(b"\n") + 1
            assert problem.line <= lines + 1, f"{problem.format()}: the file has {lines} lines"


def assert_safe_fragment(html: str) -> None:
    """Parse ``html`` as a browser would and find no script, handler or dangerous URL."""
    document = html5lib.parse(f"<!DOCTYPE html><html><head></head><body><div>{html}</div></body></html>", treebuilder="lxml", namespaceHTMLElements=False)
    assert_safe_tree(document.find(".//body/div"), html)


def assert_safe_tree(root, html: str = "") -> None:
    """Every element below ``root`` is allowed, with no handler and no dangerous URL."""
    for node in root.iterdescendants():
        if not isinstance(node.tag, str):
            continue
        tag = node.tag.lower()
        assert tag in ALLOWED_TAGS, f"<{tag}> in {html!r}"
        for name, value in node.attrib.items():
            assert not name.lower().startswith("on"), f"{name}= in {html!r}"
            assert name.lower() not in ("style", "srcset", "formaction", "action")
            if name.lower() in ("href", "src"):
                cleaned = "".join(char for char in value if ord(char) > 0x20).lower()
                scheme = urlsplit(cleaned).scheme if ":" in cleaned.split("/", 1)[0] else ""
                assert scheme in URL_SCHEMES or scheme == "", f"{name}={value!r} in {html!r}"
                if tag == "iframe":
                    assert urlsplit(value).hostname in IFRAME_HOSTS


def links_of(page: Path):
    """The links the generator made: a body's own relative links are the editor's, checked by
    ``build.py check`` (tests/test_check.py); its site-relative ones were resolved or refused by the build."""
    document = html5lib.parse(page.read_bytes(), treebuilder="lxml", namespaceHTMLElements=False)
    for node in document.iter():
        if isinstance(node.tag, str) and not node.xpath('ancestor::div[contains(concat(" ", @class, " "), " body ")]'):
            for name in ("href", "src"):
                if node.get(name) is not None:
                    yield node.get(name)


def assert_internal_links_resolve(site: Path, page: Path) -> None:
    for link in links_of(page):
        parts = urlsplit(link)
        if parts.scheme or parts.netloc or not parts.path:
            continue  # absolute (canonical, feeds, external) or a fragment of this page
        target = (page.parent / unquote(parts.path)).resolve()
        assert target == site.resolve() or site.resolve() in target.parents, f"{link} leaves the site from {page}"
        assert target.is_file() or (target / "index.html").is_file(), f"{link} from {page.relative_to(site)} is broken"


# --- properties --------------------------------------------------------------------------------


@FAST
@given(text=front_matter_text)
@example(text='title: "\\x1b"')
@example(text="a: &a [*a]")
@example(text="title: x\ntitle: y")
def test_any_front_matter_is_data_or_a_located_problem(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        content = write_site(Path(folder), {"sessions/talk.md": f"---\n{text}\n---\nBody.\n"})
        try:
            build_model(validate_content(load_content(content)))
        except BuildError as error:
            assert_problems_name_files(error, content)


@FAST
@given(text=front_matter_text)
def test_strict_yaml_returns_strings_or_its_own_problem(text: str) -> None:
    try:
        parsed = parse(text, first_line=2)
    except YamlProblem as problem:
        assert 1 <= problem.line <= text.count("\n") + 3 and problem.column >= 0
        return

    def leaves(value):
        if isinstance(value, dict):
            assert all(isinstance(key, str) for key in value)
            for item in value.values():
                yield from leaves(item)
        elif isinstance(value, list):
            for item in value:
                yield from leaves(item)
        else:
            yield value

    assert all(leaf is None or isinstance(leaf, str) for leaf in leaves(parsed.data))


@FAST
@given(name=file_names, folder=st.sampled_from(["sessions", "pages", "people", "media"]))
@example(name="e\u0301t\u00e9.md", folder="pages")
@example(name="..\\..\\x.md", folder="pages")
@example(name="%2e%2e.md", folder="pages")
@example(name="con.md", folder="people")
def test_any_file_name_loads_or_is_refused_by_name_and_stays_inside_the_output(name: str, folder: str) -> None:
    assume(ok_file_name(name))
    page = "---\ntitle: A page\n---\nText.\n"
    with tempfile.TemporaryDirectory() as root:
        content = write_site(Path(root), {f"{folder}/{name}": b"%PDF" if folder == "media" else page})
        try:
            site = build_model(validate_content(load_content(content)))
        except BuildError as error:
            assert_problems_name_files(error, content)
            return
        for route in plan_routes(site, PAGE_KINDS).routes:
            safe_output_file(Path(root) / "site", route.output_path)  # raises if it would leave the folder
        for media in site.media.values():
            assert media.relative == unicodedata.normalize("NFC", media.relative)
            safe_output_file(Path(root) / "site", f"media/{media.relative}")


@FAST
@given(value=st.text(max_size=60))
@example(value="../../x")
@example(value="%2e%2e%2fx")
@example(value="a\\..\\b")
@example(value="x\x00y")
@example(value="CON")
def test_any_id_or_media_path_is_inside_the_output_or_a_clean_error(value: str) -> None:
    root = Path("/srv/site")
    if paths.id_problem(value) is None:
        assert PurePosixPath(value).name == value and value.isascii()
        target = safe_output_file(root, f"en/sessions/{value}/index.html", follow_links=False)
        assert target.parent.parent == root / "en" / "sessions"
    else:
        assert isinstance(paths.id_problem(value), str)
    if paths.media_path_problem(value) is None:
        target = safe_output_file(root, f"media/{value}", follow_links=False)
        assert root / "media" in target.parents
    try:
        safe_output_file(root, value, follow_links=False)
    except UnsafeOutputPath:
        pass
    else:
        assert ".." not in PurePosixPath(value).parts and not value.startswith("/")


@FAST
@given(text=markdown_text)
@example(text="<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>")
@example(text="<dt><table><dt>")
def test_rendered_markdown_has_no_script_handler_or_dangerous_url(text: str) -> None:
    renderer = MarkdownRenderer()
    try:
        rendered = renderer.render(text, resolve=lambda target: None)
    except TooComplex:
        return
    assert_safe_fragment(rendered.html)
    assert sanitize(rendered.html) == rendered.html  # sanitizing again changes nothing


@FAST
@given(html=markdown_text)
def test_sanitizing_twice_equals_once(html: str) -> None:
    once = sanitize(html)
    assert sanitize(once) == once
    assert_safe_fragment(once)


@FAST
@given(text=st.text(max_size=40))
@example(text="Café ภาษาไทย")
@example(text="ﬁ Å Å")
def test_ids_and_slugs_are_the_same_for_nfc_and_nfd(text: str) -> None:
    nfc, nfd = unicodedata.normalize("NFC", text), unicodedata.normalize("NFD", text)
    assert slugify(nfc) == slugify(nfd)
    assert paths.nfc(nfd) == paths.nfc(nfc) == nfc
    assert (paths.id_problem(nfc) is None) == (paths.id_problem(nfd) is None)


@FAST
@given(
    meta=st.dictionaries(st.sampled_from(["title", "summary", "room", "x"]), st.text(st.characters(blacklist_categories=["Cc", "Cs"]), max_size=20), max_size=4),
    body=st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="\r\x00"), max_size=60),
)
def test_bom_and_crlf_variants_parse_the_same(meta: dict, body: str) -> None:
    text = "---\n" + "".join(f"{key}: {json.dumps(value)}\n" for key, value in meta.items()) + "---\n" + body
    results = []
    for raw in (text.encode(), b"\xef\xbb\xbf" + text.encode(), text.replace("\n", "\r\n").encode(), b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode()):
        problems: list[Problem] = []
        decoded = decode_text(raw, "x.md", problems)
        if decoded is None:  # same problem on the same line (offsets count the bytes the file has)
            results.append(tuple((p.line, re.sub(r"\d+", "N", p.message)) for p in problems))
            continue
        yaml_text, body_text, body_line = split_front_matter(decoded)
        try:
            parsed = parse(yaml_text, first_line=2)
            results.append((parsed.data, parsed.locations, body_text, body_line))
        except YamlProblem as problem:
            results.append((problem.message, problem.line, problem.column))
    assert results[1:] == results[:1] * 3


@BUILDS
@given(title=st.text(max_size=30), body=markdown_text)
@example(title="</title><script>alert(1)</script>", body="<script>alert(1)</script>[x](javascript:alert(1))")
def test_whole_build_is_an_error_naming_files_or_a_site_that_parses_and_links(title: str, body: str) -> None:
    session = f'---\ntitle: {json.dumps(title)}\nstart: "2019-11-26 14:00"\nend: "2019-11-26 15:30"\nroom: hall-b\n---\n{body}\n'
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        content = write_site(root, {"sessions/talk.md": session})
        output = root / "site"
        try:
            build_site(replace(project_for(content, output), cache=None))
        except BuildError as error:
            assert_problems_name_files(error, content)
            assert not output.exists()
            return
        for page in (output / "en/sessions/talk/index.html", output / "th/sessions/talk/index.html", output / "en/schedule/index.html"):
            assert_internal_links_resolve(output, page)
            document = html5lib.parse(page.read_bytes(), treebuilder="lxml", namespaceHTMLElements=False)
            for script in document.iter("script"):
                assert script.get("type") == "application/ld+json" or "/static/" in script.get("src", "")
            for node in document.iter():
                if isinstance(node.tag, str):
                    assert not any(name.lower().startswith("on") for name in node.attrib), page
            if "sessions" in page.parts:
                [body_element] = document.xpath('//div[contains(concat(" ", @class, " "), " body ")]')
                assert_safe_tree(body_element)
