"""``build.py new``: scaffolds that build as they are, and clear refusals."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from eventsite.cli import main
from eventsite.kinds import BY_NAME as CONTENT_KINDS

from .sitekit import PROJECT_ROOT, build, write_site


def new(capsys, content: Path, *argv: str) -> tuple[int, str, str]:
    code = main(["new", *argv, "--content", str(content)], root=content.parent)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("kind", sorted(CONTENT_KINDS))
def test_every_kind_scaffolds_a_file_that_builds(tmp_path: Path, capsys, kind: str) -> None:
    content = write_site(tmp_path)
    code, out, err = new(capsys, content, kind, "brand-new")
    assert code == 0, err
    path = content / CONTENT_KINDS[kind].folder / "brand-new.md"
    assert out.strip() == f"wrote content/{CONTENT_KINDS[kind].folder}/brand-new.md"
    text = path.read_text(encoding="utf-8")
    model = CONTENT_KINDS[kind].meta
    for name, field in model.model_fields.items():
        prefix = f"{name}: " if field.is_required() else f"# {name}: "
        assert any(line.startswith(prefix) for line in text.splitlines()), (name, text)
    result = build(content, tmp_path / "site")  # raises BuildError if the scaffold were invalid
    assert (kind, "brand-new") in {(entry.kind, entry.id) for entry in _entries(result.site)}


def _entries(site):
    return [entry for kind in CONTENT_KINDS for entry in site.items(kind)]


def test_session_placeholder_is_the_first_day_nine_to_ten(tmp_path: Path, capsys) -> None:
    content = write_site(tmp_path)
    assert new(capsys, content, "session", "keynote")[0] == 0
    text = (content / "sessions" / "keynote.md").read_text(encoding="utf-8")
    assert 'start: "2019-11-25 09:00"' in text and 'end: "2019-11-25 10:00"' in text
    assert 'title: "Keynote"' in text
    assert "# kind: \"other\"  # what kind of programme item this is (one of: roundtable," in text


def test_uncommenting_optional_fields_keeps_a_valid_file(tmp_path: Path, capsys) -> None:
    content = write_site(tmp_path)
    assert new(capsys, content, "session", "panel")[0] == 0
    path = content / "sessions" / "panel.md"
    lines = path.read_text(encoding="utf-8").splitlines()
    filled = {"room": '"hall-b"', "speakers": '["minister"]', "moderators": "[]", "countries": '["KR"]', "summary": '"A panel."', "kind": None}
    for index, line in enumerate(lines):
        for name, value in filled.items():
            if line.startswith(f"# {name}: "):
                uncommented = line[2:]
                lines[index] = uncommented if value is None else f"{name}: {value}  # {uncommented.split('  # ', 1)[1]}"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    build(content, tmp_path / "site")


def test_translation_scaffold_holds_the_source_text(tmp_path: Path, capsys) -> None:
    content = write_site(tmp_path)
    code, out, err = new(capsys, content, "translation", "sessions/opening", "th")
    assert code == 0, err
    path = content / "sessions" / "opening.th.md"
    assert out.strip() == "wrote content/sessions/opening.th.md"
    text = path.read_text(encoding="utf-8")
    assert 'title: "Opening ceremony"' in text
    assert 'summary: "The forum opens."' in text
    assert "Welcome. See [the about page](/about/) and [the programme](/schedule/)." in text
    assert "Thai (th)" in text
    assert "i18n sign-off content/sessions/opening.th.md" in text
    for name in CONTENT_KINDS["session"].translatable:
        assert f"{name}: " in text
    assert "source_fingerprint" not in text  # written by sign-off, not by hand
    # Not translated yet: not a Thai page (no hreflang, not counted), and the build says so.
    result = build(content, tmp_path / "site")
    assert "th" not in result.site.get("session", "opening").translations
    assert any("the same text as opening.md" in warning.message for warning in result.warnings)
    page = (tmp_path / "site" / "th" / "sessions" / "opening" / "index.html").read_text(encoding="utf-8")
    assert '<link rel="alternate" hreflang="th"' not in page and '<article class="entry" lang="en"' in page
    path.write_text(text.replace('title: "Opening ceremony"', 'title: "พิธีเปิด"'), encoding="utf-8")
    result = build(content, tmp_path / "site")
    assert "th" in result.site.get("session", "opening").translations
    assert not any("the same text" in warning.message for warning in result.warnings)


def test_translation_of_a_field_the_source_leaves_out_is_commented(tmp_path: Path, capsys) -> None:
    content = write_site(tmp_path)
    assert new(capsys, content, "translation", "content/exhibits/five-g.md", "th")[0] == 0
    text = (content / "exhibits" / "five-g.th.md").read_text(encoding="utf-8")
    assert 'organization: "Test Ministry"' in text
    assert '# image_alt: ""' in text
    assert "Exhibit body." in text
    build(content, tmp_path / "site")


@pytest.mark.parametrize(
    "argv, message",
    [
        (["session", "Bad_Id"], "must be lowercase"),
        (["session", "opening"], "content/sessions/opening.md already exists"),
        (["page", "schedule"], "reserved"),
        (["talk", "x"], "unknown kind 'talk'"),
        (["session", "x", "ko"], "only a translation takes a language"),
        (["translation", "sessions/opening", "ko"], "content/sessions/opening.ko.md already exists"),
        (["translation", "sessions/opening", "en"], "'en' is the default language"),
        (["translation", "sessions/opening", "vi"], "'vi' is not in site.yaml languages (en, ko, th)"),
        (["translation", "sessions/nope", "ko"], "content/sessions/nope.md does not exist"),
        (["translation", "rooms/opening", "ko"], "expected FOLDER/ID"),
        (["translation", "sessions/opening"], "which language?"),
    ],
)
def test_refusals(tmp_path: Path, capsys, argv: list[str], message: str) -> None:
    content = write_site(tmp_path)
    before = {path: path.read_bytes() for path in content.rglob("*") if path.is_file()}
    code, out, err = new(capsys, content, *argv)
    assert code == 1
    assert message in err and err.startswith("error: ")
    after = {path: path.read_bytes() for path in content.rglob("*") if path.is_file()}
    assert after == before


def test_invalid_source_is_refused_with_its_location(tmp_path: Path, capsys) -> None:
    content = write_site(tmp_path, {"sessions/opening.md": "---\ntitle: Opening\nstart: soon\nend: \"2019-11-25 10:00\"\n---\n"})
    code, _, err = new(capsys, content, "translation", "sessions/opening", "th")
    assert code == 1
    assert "content/sessions/opening.md:3:8: start: 'soon' is not a local time 'YYYY-MM-DD HH:MM'" in err


def test_new_via_subprocess(tmp_path: Path) -> None:
    content = write_site(tmp_path)
    command = [sys.executable, str(PROJECT_ROOT / "build.py"), "new", "news", "second-call", "--content", str(content)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert (content / "news" / "second-call.md").is_file()
    again = subprocess.run(command, capture_output=True, text=True, check=False)
    assert again.returncode == 1 and "already exists" in again.stderr
