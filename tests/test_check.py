"""``build.py check``: every mistake reported at once, with its file and line."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from eventsite.check import SKIPPED, github_command
from eventsite.cli import main
from eventsite.errors import Problem

from .sitekit import PROJECT_ROOT, write_site

# Ten-plus different content mistakes, each in its own file, made at once. Two
# stop the loader (a bad file name, broken YAML); check must still report the rest.
TEN_MISTAKES = {
    "sessions/opening.md": """\
        ---
        title: Opening ceremony
        start: "2019-11-25 09:00"
        end: "2019-11-25 10:00"
        kind: ceremony
        room: nowhere
        speakers: [minister, ghost]
        countries: [KR]
        ---
        Welcome.
        """,
    "sessions/talk.md": """\
        ---
        title: Talk on smart traffic
        start: "2019-11-26 14:00"
        end: "2019-11-26 13:00"
        room: hall-b
        moderators: [moderator]
        ---
        Traffic.
        """,
    "sessions/late.md": '---\ntitle: Late\nstart: "2019-12-01 10:00"\nend: "2019-12-01 11:00"\n---\n',
    "sessions/Bad_Name.md": '---\ntitle: Bad\nstart: "2019-11-25 09:00"\nend: "2019-11-25 10:00"\n---\n',
    "sessions/talk.vi.md": "---\ntitle: Nói chuyện\n---\n",
    "people/minister.md": "---\nname: [The Minister\nrole: Minister\n---\nBio.\n",
    "people/moderator.md": "---\nname: A Moderator\ncountry: XX\n---\n",
    "pages/about.md": "---\ntitle: About\nsubtitle: More about us\n---\nAbout text.\n",
    "exhibits/five-g.md": "---\ntitle: 5G\nsection: korea\ncountry: FR\n---\n",
    "exhibits/untitled.md": "---\nsection: korea\ncountry: KR\n---\n",
    "news/launch.md": '---\ntitle: Launch\ndate: "20 Nov 2019"\n---\n',
}

# (file, line) → a piece of the message; line 0 means "the whole file".
EXPECTED = {
    ("content/sessions/opening.md", 6): "unknown room 'nowhere'",
    ("content/sessions/opening.md", 7): "unknown person 'ghost'",
    ("content/sessions/talk.md", 4): "end 13:00 is not after start 14:00",
    ("content/sessions/late.md", 3): "outside the event's dates",
    ("content/sessions/Bad_Name.md", 0): "file name: id 'Bad_Name'",
    ("content/sessions/talk.vi.md", 0): "language 'vi' is not in site.yaml languages",
    ("content/people/minister.md", 2): "a list in [brackets] opened here is not closed",
    ("content/people/moderator.md", 3): "'XX' is not an ISO 3166 alpha-2 country code",
    ("content/pages/about.md", 3): "unknown field 'subtitle'",
    ("content/exhibits/five-g.md", 4): "'FR' is not in site.yaml countries",
    ("content/exhibits/untitled.md", 1): "missing required field 'title'",
    ("content/news/launch.md", 3): "'20 Nov 2019' is not a date: expected a date as 'YYYY-MM-DD'",
}

LINE = re.compile(r"^(?P<path>[^:]+?)(?::(?P<line>\d+))?(?::(?P<col>\d+))?: (?P<warning>warning: )?(?P<message>.*)$")


def run_check(capsys, content: Path, *options: str, root: Path | None = None) -> tuple[int, list[str]]:
    argv = ["check", "--content", str(content), "--templates", str(PROJECT_ROOT / "templates"),
            "--locales", str(PROJECT_ROOT / "locales"), *options]
    code = main(argv, root=root or content.parent)
    return code, capsys.readouterr().out.splitlines()


def parsed(lines: list[str]) -> dict[tuple[str, int], list[str]]:
    found: dict[tuple[str, int], list[str]] = {}
    for line in lines:
        match = LINE.match(line)
        if match and match["path"].startswith("content/"):
            found.setdefault((match["path"], int(match["line"] or 0)), []).append(line)
    return found


def test_ten_content_mistakes_reported_together_with_file_and_line(tmp_path: Path, capsys) -> None:
    content = write_site(tmp_path, TEN_MISTAKES)
    code, lines = run_check(capsys, content)
    assert code == 1
    found = parsed(lines)
    for (path, line), fragment in EXPECTED.items():
        assert any(fragment in text for text in found.get((path, line), [])), (path, line, fragment, lines)
    # The broken minister.md must not cause "unknown person 'minister'" in opening.md.
    assert not [text for text in lines if "'minister'" in text]
    assert lines[-1] == f"{len(EXPECTED)} errors, 0 warnings"
    assert any(text.startswith("note: ") and "not checked" in text for text in lines)
    problem_lines = [text for text in lines if LINE.match(text) and text.startswith("content/")]
    assert problem_lines == sorted(problem_lines, key=_sort_key), "grouped by file, in order"


def _sort_key(text: str) -> tuple:
    match = LINE.match(text)
    assert match
    return match["path"], int(match["line"] or 0), int(match["col"] or 0)


def test_column_is_reported(tmp_path: Path, capsys) -> None:
    content = write_site(tmp_path, TEN_MISTAKES)
    _, lines = run_check(capsys, content)
    [ghost] = [text for text in lines if "'ghost'" in text]
    assert ghost.startswith("content/sessions/opening.md:7:22: ")


def test_github_format(tmp_path: Path, capsys) -> None:
    content = write_site(tmp_path, TEN_MISTAKES)
    code, lines = run_check(capsys, content, "--format", "github")
    assert code == 1
    commands = [line for line in lines if line.startswith("::")]
    assert len(commands) == len(EXPECTED)
    assert "::error file=content/sessions/opening.md,line=6,col=7::unknown room 'nowhere'" in "\n".join(commands)
    assert any(line.startswith("::error file=content/sessions/Bad_Name.md::file name:") for line in commands)
    assert lines[-1] == f"{len(EXPECTED)} errors, 0 warnings"


def test_github_escaping() -> None:
    problem = Problem("content/a,b:c.md", 3, "50% done\r\nnext: a, b", column=2)
    assert github_command(problem) == "::error file=content/a%2Cb%3Ac.md,line=3,col=2::50%25 done%0D%0Anext: a, b"
    warning = Problem("content/x.md", 0, "no line", severity="warning")
    assert github_command(warning) == "::warning file=content/x.md::no line"


# --- problems only the built site shows ------------------------------------------------


def _small_png() -> bytes:
    """A real (readable) PNG: an exhibit's image must be one Pillow can open."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), (11, 79, 138)).save(out, "PNG")
    return out.getvalue()


BUILT_SITE_MISTAKES: dict[str, str | bytes | None] = {
    "pages/about.md": """\
        ---
        title: About
        ---
        About text.

        See [the programme](/schedule/#nope) and [the talk](/sessions/talk/).

        ![](/media/photo.png)

        <script>alert(1)</script>
        """,
    "sessions/overlap.md": '---\ntitle: Overlap\nstart: "2019-11-25 09:30"\nend: "2019-11-25 10:30"\nroom: hall-a\n---\n',
    "people/nobody.md": "---\nname: Nobody\n---\n",
    "exhibits/pictured.md": "---\ntitle: Pictured\nsection: korea\ncountry: KR\nimage: photo.png\n---\n",
    "media/photo.png": _small_png(),
    "media/huge.jpg": b"\xff\xd8\xff" + bytes(600 * 1024),
}


def test_built_site_problems(tmp_path: Path, capsys) -> None:
    content = write_site(tmp_path, BUILT_SITE_MISTAKES)
    code, lines = run_check(capsys, content)
    assert code == 1, lines  # the broken anchor is an error; the rest are warnings
    found = parsed(lines)

    def has(path: str, line: int, *fragments: str) -> bool:
        return any(all(f in text for f in fragments) for text in found.get((path, line), []))

    assert has("content/pages/about.md", 6, "#nope", "no element with id 'nope'")
    assert has("content/pages/about.md", 8, "warning:", "photo.png", "no alt text")
    assert has("content/pages/about.md", 10, "warning:", "removed unsafe HTML", "<script>")
    assert has("content/sessions/overlap.md", 3, "warning:", "overlaps opening in room hall-a")
    assert has("content/people/nobody.md", 0, "warning:", "not a speaker or moderator")
    assert has("content/exhibits/pictured.md", 5, "warning:", "no image_alt")
    assert has("content/media/huge.jpg", 0, "warning:", "600 KB", "500 KB")
    assert not any("no translation into" in text for text in lines)  # coverage is status, not a warning
    assert any(text.strip().startswith("th  Thai: 0 of ") for text in lines)
    assert not any("photo.png" in text and "KB" in text for text in lines)  # small images are fine
    errors = [text for text in lines if text.startswith("content/") and not LINE.match(text)["warning"]]
    assert len(errors) == 1, errors  # the anchor once, though every language shows the page
    assert lines[-1].startswith("1 error, ")
    assert not any(text.startswith("note: ") for text in lines)


def test_a_clean_fixture_has_no_errors_and_site_is_not_touched(tmp_path: Path, capsys) -> None:
    content = write_site(tmp_path)
    code, lines = run_check(capsys, content, root=tmp_path)
    assert code == 0, lines
    assert lines[-1].startswith("0 errors, ")
    assert not (tmp_path / "site").exists()
    # Only the cache folder a build also keeps (converted bodies, QR codes, share cards), never output.
    assert not [p for p in tmp_path.iterdir() if p.name not in ("content", ".cache")]


def test_strict_turns_warnings_into_errors(tmp_path: Path, capsys) -> None:
    # builds, with warnings (two sessions in one room at once, a person in no session)
    content = write_site(tmp_path, {k: BUILT_SITE_MISTAKES[k] for k in ("sessions/overlap.md", "people/nobody.md")})
    code, lines = run_check(capsys, content)
    warnings = int(re.match(r"0 errors, (\d+) warnings?", lines[-1])[1])
    assert code == 0 and warnings > 0
    code, lines = run_check(capsys, content, "--strict")
    assert code == 1
    assert lines[-1] == f"{warnings} error{'s' * (warnings != 1)}, 0 warnings"
    assert not any("warning:" in text for text in lines)
    code, lines = run_check(capsys, content, "--strict", "--format", "github")
    assert code == 1 and all(not text.startswith("::warning") for text in lines)


def test_a_render_error_is_reported_and_the_built_pages_are_still_checked(tmp_path: Path, capsys) -> None:
    content = write_site(tmp_path, {
        "pages/about.md": "---\ntitle: About\n---\nFirst.\n\nSee [gone](/sessions/nope/).\n\n![](/media/photo.png)\n",
        "media/photo.png": _small_png(),
    })
    code, lines = run_check(capsys, content)
    assert code == 1
    assert any(text.startswith("content/pages/about.md:6: ") and "/sessions/nope/" in text for text in lines)
    assert any(text.startswith("content/pages/about.md:8: warning: ") and "no alt text" in text for text in lines)
    assert not any(text.startswith("note: ") for text in lines)


def test_a_missing_anchor_fails_the_build_too(tmp_path: Path, capsys) -> None:
    content = write_site(tmp_path, {"pages/about.md": "---\ntitle: About\n---\nSee [day two](/schedule/#day-2019-11-28).\n"})
    code = main(["build", "--content", str(content), "--out", str(tmp_path / "site"), "--no-search"], root=tmp_path)
    # Without the progress lines a slow phase prints on a loaded machine ("publish: done in 2.10 s").
    errors = [line for line in capsys.readouterr().err.splitlines() if not re.search(r": done in [0-9.]+ s$", line)]
    assert code == 1 and not (tmp_path / "site").exists()
    assert errors[0] == "content/pages/about.md:4: link to /schedule/#day-2019-11-28: the page has no element with id 'day-2019-11-28'"
    code, lines = run_check(capsys, content)
    assert code == 1 and [text for text in lines if text.startswith("content/")] == errors[:1]
    fixed = content / "pages" / "about.md"
    fixed.write_text(fixed.read_text(encoding="utf-8").replace("11-28", "11-26"), encoding="utf-8")
    assert main(["build", "--content", str(content), "--out", str(tmp_path / "site"), "--no-search"], root=tmp_path) == 0


def test_template_links_are_checked_against_the_built_pages(tmp_path: Path, capsys) -> None:
    templates = tmp_path / "templates"
    subprocess.run(["cp", "-r", str(PROJECT_ROOT / "templates"), str(templates)], check=True)
    base = templates / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("</body>", '<a href="missing/">x</a></body>', 1), encoding="utf-8")
    content = write_site(tmp_path)
    argv = ["check", "--content", str(content), "--templates", str(templates), "--locales", str(PROJECT_ROOT / "locales")]
    code = main(argv, root=tmp_path)
    lines = capsys.readouterr().out.splitlines()
    assert code == 1
    about = [text for text in lines if text.startswith("en/about/index.html: in the built page: link to missing/")]
    assert about and "other language versions" in about[0], lines


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_check_via_subprocess(tmp_path: Path, fmt: str) -> None:
    content = write_site(tmp_path, TEN_MISTAKES)
    command = [sys.executable, str(PROJECT_ROOT / "build.py"), "check", "--content", str(content), "--format", fmt]
    done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert done.stdout.splitlines()[-1] == f"{len(EXPECTED)} errors, 0 warnings"
    marker = "::error file=content/pages/about.md,line=3" if fmt == "github" else "content/pages/about.md:3:11: unknown field"
    assert marker in done.stdout
    assert not (tmp_path / "site").exists()


# --- the editors' nine mistakes, made together (issue: every mistake in one run) -------------

NINE_MISTAKES = {
    # 1. YAML syntax: a ': ' inside an unquoted title
    "pages/venue.md": "---\ntitle: Venue: how to get there\n---\nText.\n",
    # 2. a duplicate key (the rest of the file is still checked: 3. an unknown field)
    "pages/press.md": "---\ntitle: Press\ntitle: Press office\nsummery: For journalists\n---\nText.\n",
    # 4. a time written without its leading zero; 5. an unknown person
    "sessions/lunch.md": """\
        ---
        title: Lunch
        start: "2019-11-25 9:30"
        end: "2019-11-25 10:30"
        speakers: [ministre]
        ---
        Lunch.
        """,
    # 6. an unknown room and a bad kind in the same file
    "sessions/panel.md": """\
        ---
        title: Panel
        start: "2019-11-26 09:30"
        end: "2019-11-26 10:30"
        kind: roundtabel
        room: hall-c
        ---
        A panel. See [the schedule](/schedul/) too.
        """,
    # 7. a translation for a language site.yaml does not declare, whose source has an error
    "sessions/panel.vi.md": "---\ntitle: Thảo luận\n---\nThảo luận.\n",
    # 8. a broken link (in a file that is otherwise fine)
    "pages/about.md": "---\ntitle: About\n---\nSee [the opening](/sessions/openin/).\n",
    # 9. a missing image
    "exhibits/five-g.md": "---\ntitle: 5G\nsection: korea\ncountry: KR\nimage: exhibits/5g.jpg\nimage_alt: A mast\n---\n",
}
NINE_EXPECTED = {
    ("content/pages/venue.md", 2): "a ': ' inside a value: put the whole value in double quotes",
    ("content/pages/press.md", 3): "'title' is written twice (first at line 2)",
    ("content/pages/press.md", 4): "unknown field 'summery' (did you mean 'summary'?",
    ("content/sessions/lunch.md", 3): "write '2019-11-25 09:30'",
    ("content/sessions/lunch.md", 5): "unknown person 'ministre' (no people/ministre.md) (did you mean 'minister'?)",
    ("content/sessions/panel.md", 5): "'roundtabel' is not one of: roundtable,",
    ("content/sessions/panel.md", 6): "unknown room 'hall-c' (rooms are listed in site.yaml) (did you mean 'hall-",
    ("content/sessions/panel.md", 8): "link to /schedul/: no such page or file (did you mean '/schedule/'?)",
    ("content/sessions/panel.vi.md", 0): "language 'vi' is not in site.yaml languages (en, ko, th)",
    ("content/pages/about.md", 4): "link to /sessions/openin/: no such page or file (did you mean '/sessions/opening/'?)",
    ("content/exhibits/five-g.md", 5): "media/exhibits/5g.jpg does not exist",
}
INTERNALS = ("Input should be", "instance of", "while parsing a", "while scanning", "Value error", "pydantic", "function-after")


def test_nine_mistakes_at_once_each_with_file_line_and_plain_words(tmp_path: Path, capsys) -> None:
    content = write_site(tmp_path, NINE_MISTAKES)
    code, lines = run_check(capsys, content)
    assert code == 1
    found = parsed(lines)
    for (path, line), fragment in NINE_EXPECTED.items():
        assert any(fragment in text for text in found.get((path, line), [])), (path, line, fragment, lines)
    assert lines[-1] == f"{len(NINE_EXPECTED)} errors, 0 warnings", lines
    assert not [text for text in lines if any(internal in text for internal in INTERNALS)]
    # What could not be checked is said, once.
    assert [text for text in lines if text.startswith("note: ")] == [f"note: {SKIPPED}"]


def test_the_build_reports_the_same_problems(tmp_path: Path, capsys) -> None:
    content = write_site(tmp_path, NINE_MISTAKES)
    code = main(["build", "--content", str(content), "--out", str(tmp_path / "site"), "--no-search"], root=tmp_path)
    errors = capsys.readouterr().err.splitlines()
    assert code == 1 and not (tmp_path / "site").exists()
    for (path, line), fragment in NINE_EXPECTED.items():
        assert any(text.startswith(f"{path}:{line}" if line else f"{path}:") and fragment in text for text in errors), (path, fragment)


def test_unfinished_work_is_a_warning_and_fails_strict(tmp_path: Path, capsys) -> None:
    content = write_site(tmp_path)
    assert main(["new", "session", "closing", "--content", str(content)], root=tmp_path) == 0
    assert main(["new", "translation", "sessions/talk", "ko", "--content", str(content)], root=tmp_path) == 0
    capsys.readouterr()
    code, lines = run_check(capsys, content)
    assert code == 0
    assert any(text.startswith("content/sessions/closing.md:") and "placeholder text of `build.py new`" in text for text in lines)
    assert any(text.startswith("content/sessions/talk.ko.md: warning: the same text as talk.md") for text in lines)
    code, lines = run_check(capsys, content, "--strict")
    assert code == 1 and lines[-1].startswith("2 errors")


def test_a_second_check_takes_conversions_from_the_cache_and_reports_the_same(tmp_path: Path, capsys) -> None:
    """check uses the project's cache folder like a build: the same report, warnings of cached bodies included."""
    content = write_site(tmp_path, {
        "pages/press.md": "---\ntitle: Press\n---\nText <script>alert(1)</script> and [a dead link](/nowhere/).\n",
        "pages/about.md": "---\ntitle: About\n---\n![](/media/missing.png)\n",
    })
    first_code, first = run_check(capsys, content)
    cache = tmp_path / ".cache" / "eventsite"
    assert any((cache / "markdown").rglob("*.json")), "the first check filled the cache"
    second_code, second = run_check(capsys, content)
    assert first_code == second_code == 1
    assert first == second
    assert any("content/pages/press.md" in line and "unsafe HTML" in line for line in second), second
    assert any("content/pages/press.md" in line and "/nowhere/" in line for line in second), second


def test_no_cache_checks_without_the_cache_folder(tmp_path: Path, capsys) -> None:
    content = write_site(tmp_path)
    code, lines = run_check(capsys, content, "--no-cache", root=tmp_path)
    assert code == 0 and lines[-1].startswith("0 errors, "), lines
    assert [p.name for p in tmp_path.iterdir()] == ["content"]


@pytest.mark.parametrize("page", ["index.html", "en/index.html", "en/sessions/opening/index.html", "en/guide.html", "404.html"])
@pytest.mark.parametrize("url", ["", "#top", "#x", "?q=1", "?q=1#x", "x", "../x/", "./", "../../a.html#b", "/en/",
                                 "//example.org/a", "https://example.org/", "mailto:a@example.org", "caf%C3%A9/#%C3%A9"])
def test_links_resolve_the_same_through_the_folder_memo(page: str, url: str) -> None:
    """check._resolve keys its memo by the page's folder: only links that start with # or ? depend on the page's name."""
    from urllib.parse import unquote, urljoin, urlsplit

    from eventsite.check import _resolve

    parts = urlsplit(url)
    expected = None if parts.scheme or parts.netloc else (unquote(urlsplit(urljoin("/" + page, url)).path), unquote(parts.fragment))
    assert _resolve(page, url) == expected
    assert _resolve(page, url) == expected  # from the memo
