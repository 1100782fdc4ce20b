"""Translation status: fingerprints, sign-off, outdated detection, JSON, exit codes, diff."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from eventsite.translations import fingerprints, status
from eventsite.build import Project, load_site
from eventsite.cli import main
from eventsite.theme import Theme

from .sitekit import PROJECT_ROOT, SITE_YAML, write_site

OPENING_KO = "content/sessions/opening.ko.md"


def project(root: Path) -> Project:
    return Project(root / "content", root / "site", Theme(PROJECT_ROOT / "templates", root / "locales"))


def report(root: Path) -> status.Report:
    return status.translation_report(load_site(project(root)), root / "locales")


def state(root: Path, lang: str, item_id: str) -> str:
    language = next(language for language in report(root).languages if language.lang == lang)
    return next(item.state for item in language.items if item.id == item_id)


def i18n(root: Path, *args: str) -> int:
    return main(["i18n", *args, "--content", str(root / "content"), "--locales", str(root / "locales")], root=PROJECT_ROOT)


def sign_off(root: Path, *relative: str) -> int:
    return main(["i18n", "sign-off", "--content", str(root / "content"), *(str(root / r) for r in relative)], root=PROJECT_ROOT)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (old, text)
    path.write_text(text.replace(old, new), encoding="utf-8")


# --- fingerprints ------------------------------------------------------------------


def test_fingerprint_ignores_line_endings_composition_and_edge_spaces() -> None:
    base = fingerprints.source_digest("session", {"title": "Café", "start": "2019-11-25 09:00"}, "Body\ntext\n")
    assert fingerprints.source_digest("session", {"title": "Cafe\u0301 "}, "\r\n  Body\r\ntext  \r\n") == base
    assert fingerprints.source_digest("session", {"title": "Café", "summary": None}, "Body\ntext") == base
    assert fingerprints.source_digest("session", {"title": "Café!"}, "Body\ntext") != base
    assert fingerprints.source_digest("session", {"title": "Café"}, "Body\ntext.") != base
    assert len(fingerprints.fingerprint(base)) == 16 and fingerprints.matches(fingerprints.fingerprint(base), base)


def test_file_and_model_fingerprints_agree(tmp_path: Path) -> None:
    write_site(tmp_path)
    site = load_site(project(tmp_path))
    opening = site.get("session", "opening")
    raw = (tmp_path / "content/sessions/opening.md").read_bytes()
    assert fingerprints.text_digest("session", raw) == fingerprints.entry_digest(opening)


# --- outdated, unsigned, missing ------------------------------------------------------------------


def test_sign_off_then_edits_to_translatable_text_make_it_outdated(tmp_path: Path) -> None:
    write_site(tmp_path)
    source = tmp_path / "content/sessions/opening.md"
    assert state(tmp_path, "ko", "opening") == status.UNSIGNED

    assert sign_off(tmp_path, OPENING_KO) == 0
    assert state(tmp_path, "ko", "opening") == status.UP_TO_DATE

    edit(source, "Welcome.", "Welcome, delegates.")  # the body
    assert state(tmp_path, "ko", "opening") == status.OUTDATED
    assert sign_off(tmp_path, OPENING_KO) == 0
    assert state(tmp_path, "ko", "opening") == status.UP_TO_DATE

    edit(source, "title: Opening ceremony", "title: Opening Ceremony of the Forum")  # a translatable field
    assert state(tmp_path, "ko", "opening") == status.OUTDATED
    assert sign_off(tmp_path, OPENING_KO) == 0
    assert state(tmp_path, "ko", "opening") == status.UP_TO_DATE

    # Fields that are not translated don't make a translation outdated.
    edit(source, 'start: "2019-11-25 09:00"', 'start: "2019-11-25 09:30"')
    edit(source, "room: hall-a", "room: hall-b")
    assert state(tmp_path, "ko", "opening") == status.UP_TO_DATE
    # Nor do the translation's own edits.
    edit(tmp_path / OPENING_KO, "개회식", "개막식")
    assert state(tmp_path, "ko", "opening") == status.UP_TO_DATE


def test_a_draft_is_counted_apart_marked_on_the_page_and_cleared_by_sign_off(tmp_path: Path) -> None:
    from lxml import html as lxml_html

    from eventsite.build import build_site

    write_site(tmp_path)
    translation = tmp_path / OPENING_KO
    before = translation.read_bytes()
    assert main(["i18n", "sign-off", "--draft", "--content", str(tmp_path / "content"), str(translation)], root=PROJECT_ROOT) == 0
    written = translation.read_text(encoding="utf-8")
    assert "review: draft\n---" in written and 'source_fingerprint: "' in written
    assert state(tmp_path, "ko", "opening") == status.DRAFT
    ko = next(language for language in report(tmp_path).languages if language.lang == "ko")
    assert ko.count(status.DRAFT) == 1 and ko.count(status.UP_TO_DATE) == 0

    build_site(project(tmp_path))
    page = lxml_html.fromstring((tmp_path / "site/ko/sessions/opening/index.html").read_bytes())
    notes = page.xpath("//p[contains(@class, 'notice-draft')]")
    assert len(notes) == 1
    assert notes[0].xpath(".//a/@href") == ["../../../en/sessions/opening/"]
    english = lxml_html.fromstring((tmp_path / "site/en/sessions/opening/index.html").read_bytes())
    assert not english.xpath("//p[contains(@class, 'notice-draft')]")

    # A draft whose source changed is outdated first of all.
    edit(tmp_path / "content/sessions/opening.md", "Welcome.", "Welcome, delegates.")
    assert state(tmp_path, "ko", "opening") == status.OUTDATED

    # Signing off (after review) records the new fingerprint and removes the draft mark, nothing else.
    assert sign_off(tmp_path, OPENING_KO) == 0
    assert state(tmp_path, "ko", "opening") == status.UP_TO_DATE
    after = translation.read_bytes()
    assert b"review:" not in after
    assert [line for line in after.splitlines() if not line.startswith(b"source_fingerprint")] == before.splitlines()


def test_missing_items_name_the_file_to_create_and_what_readers_see(tmp_path: Path) -> None:
    write_site(tmp_path, {"site.yaml": SITE_YAML + "fallbacks:\n  th: [ko]\n"})
    found = {language.lang: language for language in report(tmp_path).languages}
    assert list(found) == ["ko", "th"]  # the default language is not reported
    th = {item.id: item for item in found["th"].items}
    assert th["opening"].state == status.MISSING
    assert th["opening"].translation == "content/sessions/opening.th.md"
    assert th["opening"].shown_in == "ko"  # site.yaml fallbacks: th → ko → en
    assert th["talk"].shown_in == "en"
    assert found["ko"].count(status.MISSING) == len(found["ko"].items) - 1  # only opening is translated
    assert found["ko"].count(status.UNSIGNED) == 1


def test_a_wrong_fingerprint_is_outdated_and_a_longer_prefix_still_matches(tmp_path: Path) -> None:
    write_site(tmp_path)
    translation = tmp_path / OPENING_KO
    edit(translation, "title: 개회식", 'title: 개회식\nsource_fingerprint: "0123456789abcdef"')
    assert state(tmp_path, "ko", "opening") == status.OUTDATED
    site = load_site(project(tmp_path))
    digest = fingerprints.entry_digest(site.get("session", "opening"))
    edit(translation, "0123456789abcdef", digest[:40])
    assert state(tmp_path, "ko", "opening") == status.UP_TO_DATE


# --- sign-off writes one line ------------------------------------------------------------------


def test_sign_off_preserves_every_other_byte(tmp_path: Path) -> None:
    original = (
        "\ufeff---\r\n"
        "# translator's note: keep this comment\r\n"
        "title:   개회식   # odd spacing stays\r\n"
        "summary: 포럼이 시작됩니다.\r\n"
        "---\r\n"
        "환영합니다.  \r\n"
        "\r\n"
        "No newline at the end"
    ).encode("utf-8")
    write_site(tmp_path, {"sessions/opening.ko.md": original})
    path = tmp_path / OPENING_KO
    assert sign_off(tmp_path, OPENING_KO) == 0
    signed = path.read_bytes()
    lines = signed.split(b"\r\n")
    added = [line for line in lines if line.startswith(b"source_fingerprint:")]
    assert len(added) == 1 and lines.index(added[0]) == 4  # just before the closing ---
    assert b"\r\n".join(line for line in lines if line not in added) == original
    assert state(tmp_path, "ko", "opening") == status.UP_TO_DATE

    # A second sign-off after a source change rewrites that line in place.
    edit(tmp_path / "content/sessions/opening.md", "Welcome.", "Welcome!")
    assert sign_off(tmp_path, OPENING_KO) == 0
    resigned = path.read_bytes()
    assert len(resigned) == len(signed) and resigned != signed
    assert [line for line in resigned.split(b"\r\n") if not line.startswith(b"source_fingerprint:")] == [
        line for line in lines if line not in added
    ]
    # Signing off an up-to-date file changes nothing.
    assert sign_off(tmp_path, OPENING_KO) == 0
    assert path.read_bytes() == resigned


def test_sign_off_checks_every_file_before_writing_any(tmp_path: Path, capsys) -> None:
    write_site(tmp_path)
    before = (tmp_path / OPENING_KO).read_bytes()
    assert sign_off(tmp_path, OPENING_KO, "content/sessions/opening.md", "content/sessions/nothing.ko.md") == 1
    assert (tmp_path / OPENING_KO).read_bytes() == before
    errors = capsys.readouterr().err
    assert "not a translation file" in errors and "no such translation file" in errors


# --- the CLI: text, JSON, exit codes ------------------------------------------------------------------


def test_json_shape(tmp_path: Path, capsys) -> None:
    write_site(tmp_path)
    assert i18n(tmp_path, "extract") == 0
    capsys.readouterr()
    assert i18n(tmp_path, "--format", "json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["default_language"] == "en"
    assert data["ui_template"] == "locales/messages.pot"
    assert list(data["languages"]) == ["ko", "th"]
    ko = data["languages"]["ko"]
    assert ko["name"] == "한국어" and ko["english_name"] == "Korean" and ko["fallbacks"] == ["en"]
    content = ko["content"]
    assert set(content) == {"total", "translated", "up_to_date", "draft", "outdated", "unsigned", "missing", "words", "items"}
    assert set(content["words"]) == {"new", "outdated"} and content["words"]["new"] > 0  # Korean misses six items
    assert content["translated"] == content["up_to_date"] + content["draft"] + content["outdated"] + content["unsigned"] == 1
    assert content["total"] == content["translated"] + content["missing"] == 7
    item = next(item for item in content["items"] if item["id"] == "opening")
    assert item == {
        "kind": "session",
        "id": "opening",
        "state": "unsigned",
        "source": "content/sessions/opening.md",
        "translation": "content/sessions/opening.ko.md",
        "shown_in": "ko",
        "recorded_fingerprint": None,
        "source_fingerprint": item["source_fingerprint"],
    }
    assert len(item["source_fingerprint"]) == 16
    ui = ko["ui"]
    assert set(ui) == {"catalog", "exists", "total", "translated", "missing", "missing_messages", "errors"}
    assert ui["catalog"] == "locales/ko/LC_MESSAGES/messages.po" and ui["exists"] is True
    # The site's fresh catalog translates nothing; the default theme's (under it) translates everything.
    assert ui["missing"] == 0 == len(ui["missing_messages"]) and ui["translated"] == ui["total"] > 10
    # `i18n status` is the same command.
    assert i18n(tmp_path, "status", "--format", "json", "-l", "th") == 0
    assert list(json.loads(capsys.readouterr().out)["languages"]) == ["th"]


def test_text_report_lists_files(tmp_path: Path, capsys) -> None:
    write_site(tmp_path)
    assert i18n(tmp_path) == 0
    out = capsys.readouterr().out
    assert "unsigned  content/sessions/opening.ko.md" in out
    assert "missing   content/sessions/talk.th.md  (readers see en)" in out
    assert "ui       " in out and " 0 missing" in out.split("ui       ")[1]  # the default theme's catalogs


def test_fail_on_exit_codes(tmp_path: Path) -> None:
    write_site(tmp_path, {"site.yaml": SITE_YAML.replace("[en, ko, th]", "[en, ko]")})
    # Translate everything into Korean so that only the state under test varies.
    for relative in ("sessions/talk", "people/minister", "people/moderator", "pages/about", "news/launch", "exhibits/five-g"):
        field = "name" if relative.startswith("people/") else "title"
        (tmp_path / "content" / f"{relative}.ko.md").write_text(f"---\n{field}: 번역\n---\n번역.\n", encoding="utf-8")
    assert i18n(tmp_path, "--fail-on", "missing") == 0
    assert i18n(tmp_path, "--fail-on", "outdated") == 0
    assert i18n(tmp_path, "--fail-on", "unsigned") == 1
    files = [f"content/{p}" for p in ("sessions/opening.ko.md", "sessions/talk.ko.md", "people/minister.ko.md",
             "people/moderator.ko.md", "pages/about.ko.md", "news/launch.ko.md", "exhibits/five-g.ko.md")]
    assert sign_off(tmp_path, *files) == 0
    assert i18n(tmp_path, "--fail-on", "unsigned", "--fail-on", "outdated") == 0
    edit(tmp_path / "content/pages/about.md", "About text.", "About the forum.")
    assert i18n(tmp_path, "--fail-on", "outdated") == 1
    assert i18n(tmp_path, "status", "--fail-on", "outdated") == 1
    assert i18n(tmp_path, "--fail-on", "missing") == 0
    (tmp_path / "content/news/launch.ko.md").unlink()
    assert i18n(tmp_path, "--fail-on", "missing") == 1


def test_fail_on_missing_counts_ui_strings(tmp_path: Path) -> None:
    write_site(tmp_path)
    assert i18n(tmp_path, "extract") == 0
    # Content is missing too in this fixture; restrict to what we check with a fresh catalog.
    assert i18n(tmp_path, "--fail-on", "missing", "-l", "ko") == 1


# --- diff ------------------------------------------------------------------


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    write_site(tmp_path)
    git(tmp_path, "init", "-q")
    git(tmp_path, "config", "user.email", "test@example.org")
    git(tmp_path, "config", "user.name", "Test")
    git(tmp_path, "config", "commit.gpgsign", "false")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "content")
    return tmp_path


def diff(root: Path, relative: str) -> int:
    return main(["i18n", "diff", "--content", str(root / "content"), str(root / relative)], root=PROJECT_ROOT)


def test_diff_shows_the_source_change_since_sign_off(repo: Path, capsys) -> None:
    assert sign_off(repo, OPENING_KO) == 0
    git(repo, "commit", "-q", "-am", "sign off ko")
    assert diff(repo, OPENING_KO) == 0
    assert "up to date" in capsys.readouterr().out

    edit(repo / "content/sessions/opening.md", "Welcome.", "Welcome to Busan.")
    git(repo, "commit", "-q", "-am", "longer welcome")
    edit(repo / "content/sessions/opening.md", "summary: The forum opens.", "summary: The forum opens today.")  # uncommitted
    capsys.readouterr()
    assert diff(repo, OPENING_KO) == 0
    out = capsys.readouterr().out
    assert "content" in out.splitlines()[0]  # the commit's subject, as a reminder
    assert "-Welcome. See [the about page]" in out
    assert "+Welcome to Busan. See [the about page]" in out
    assert "+summary: The forum opens today." in out  # compared with the working tree
    assert "-title:" not in out  # unchanged lines are context, not changes


def test_diff_says_why_it_cannot_and_exits_2(repo: Path, tmp_path_factory, capsys) -> None:
    assert diff(repo, OPENING_KO) == 2  # never signed off
    assert "never signed off" in capsys.readouterr().err

    # Signed off against an edit that was never committed.
    edit(repo / "content/sessions/opening.md", "Welcome.", "Draft welcome.")
    assert sign_off(repo, OPENING_KO) == 0
    edit(repo / "content/sessions/opening.md", "Draft welcome.", "Final welcome.")
    capsys.readouterr()
    assert diff(repo, OPENING_KO) == 2
    assert "no commit of content/sessions/opening.md has the signed-off fingerprint" in capsys.readouterr().err

    # Not a git repository at all.
    elsewhere = tmp_path_factory.mktemp("no-git")
    write_site(elsewhere)
    assert sign_off(elsewhere, OPENING_KO) == 0
    edit(elsewhere / "content/sessions/opening.md", "Welcome.", "Hello.")
    capsys.readouterr()
    if (elsewhere / ".git").exists() or subprocess.run(["git", "rev-parse"], cwd=elsewhere, capture_output=True).returncode == 0:
        pytest.skip("the temporary folder is inside a git repository")
    assert diff(elsewhere, OPENING_KO) == 2
    assert "cannot show the change" in capsys.readouterr().err


def test_adding_a_language_lists_everything_still_missing_for_it(tmp_path) -> None:
    """Issue 3: add `ar` to the real site's languages and nothing else; the report lists all of it."""
    import json as json_module
    import subprocess
    import sys

    from .sitekit import PROJECT_ROOT, busan_with_languages

    content = busan_with_languages(tmp_path, ["ar"])
    done = subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "build.py"), "i18n", "--content", str(content), "--format", "json"],
        capture_output=True, text=True, check=False,
    )
    assert done.returncode == 0, done.stderr
    arabic = json_module.loads(done.stdout)["languages"]["ar"]
    sources = [p for p in (PROJECT_ROOT / "content").rglob("*.md") if p.name.count(".") == 1]
    # every content item is missing in Arabic, each listed, and so is every interface string
    assert arabic["content"]["total"] == arabic["content"]["missing"] == len(sources) == len(arabic["content"]["items"])
    # The generator ships a complete Arabic interface (locales/ar): nothing missing there.
    assert arabic["ui"]["exists"] is True
    assert arabic["ui"]["missing"] == 0 and arabic["ui"]["total"] > 50
