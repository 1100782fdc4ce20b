"""Command-line builds that start from the last one (eventsite/buildstate.py, eventsite/rebuild.py).

Every rebuild must give the bytes of a full build of the same inputs; every
doubt (a damaged or foreign state, an output changed by hand) must end in a
full build that says why; a failed rebuild must leave the output as it was.
"""

from __future__ import annotations

import re
import os
import random
import shutil
from pathlib import Path

import pytest

from eventsite.buildstate import MAGIC, BuildState, scan_outputs, state_file, pack, unpack
from eventsite.cli import main
from eventsite.project import Project
from eventsite.theme import Theme

from .sitekit import PROJECT_ROOT, snapshot, write_site
from .test_incremental import EDITS, apply, session_text


class Workspace:
    """A fixture site with its own templates, built from the command line as an editor would."""

    def __init__(self, root: Path, files: dict | None = None, *, search: bool = False):
        self.root = root
        self.content = write_site(root, files)
        self.templates = root / "templates"
        shutil.copytree(PROJECT_ROOT / "templates", self.templates)
        self.output = root / "site"
        self.flags = [] if search else ["--no-search"]

    def arguments(self, output: Path) -> list[str]:
        return ["build", "--content", str(self.content), "--templates", str(self.templates),
                "--locales", str(PROJECT_ROOT / "locales"), "--out", str(output), *self.flags]

    def build(self, capsys, *extra: str) -> tuple[int, str, str]:
        capsys.readouterr()  # not what earlier builds printed
        code = main([*self.arguments(self.output), *extra], root=self.root)
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    def rewritten_by_appending(self, capsys, relative: str, text: str) -> tuple[str, set[str], int]:
        """Append ``text`` to a content file and rebuild: what it printed, the outputs it rewrote (new inode), how many there are."""
        inodes = {path: path.stat().st_ino for path in self.output.rglob("*") if path.is_file()}
        page = self.content / relative
        page.write_text(page.read_text(encoding="utf-8") + text, encoding="utf-8")
        code, out, _ = self.build(capsys)
        assert code == 0 and out.startswith("updated "), out
        after = {path: path.stat().st_ino for path in self.output.rglob("*") if path.is_file()}
        return out, {path.relative_to(self.output).as_posix() for path in after if inodes.get(path) != after[path]}, len(after)

    def assert_same_as_a_full_build(self, label: str = "") -> None:
        reference = self.root / "reference"
        assert main([*self.arguments(reference), "--no-cache"], root=self.root) == 0
        try:
            assert snapshot(self.output) == snapshot(reference), label
        finally:
            shutil.rmtree(reference)

    def assert_state_lists_the_output(self) -> None:
        """A rebuild updates the saved listing of the output from what it wrote (not a new listing): it must match one."""
        saved = BuildState.decode(self.state.read_bytes())
        assert saved.outputs == scan_outputs(self.output)

    @property
    def project(self) -> Project:
        """As the command line makes it (its cache folder below the root)."""
        return Project(self.content, self.output, Theme(self.templates, PROJECT_ROOT / "locales"), cache=self.root / ".cache" / "eventsite")

    @property
    def state(self) -> Path:
        found = state_file(self.project)
        assert found is not None
        return found


def test_a_second_build_with_nothing_changed_writes_nothing(tmp_path: Path, capsys) -> None:
    space = Workspace(tmp_path)
    code, out, _ = space.build(capsys)
    assert code == 0 and out.startswith("wrote ")
    before = {path: path.stat().st_mtime_ns for path in space.output.rglob("*")}
    code, out, _ = space.build(capsys)
    assert code == 0
    assert out.startswith("nothing changed since the last build:"), out
    assert {path: path.stat().st_mtime_ns for path in space.output.rglob("*")} == before


def test_one_edit_rewrites_only_what_depends_on_it(tmp_path: Path, capsys) -> None:
    space = Workspace(tmp_path)
    space.build(capsys)
    out, rewritten, total = space.rewritten_by_appending(capsys, "news/launch.md", "\nOne more sentence.\n")
    assert "since the last build: content/news/launch.md changed" in out
    assert "en/news/launch/index.html" in rewritten
    assert "en/sessions/opening/index.html" not in rewritten  # kept: the same file (a hard link), not a copy
    assert len(rewritten) < total / 4, sorted(rewritten)
    space.assert_state_lists_the_output()
    space.assert_same_as_a_full_build()


def test_editing_a_translation_rewrites_only_the_pages_of_its_language(tmp_path: Path, capsys) -> None:
    """Pages record the translations along their language's fallback chain, not every translation of an item."""
    space = Workspace(tmp_path)
    space.build(capsys)
    _, rewritten, _ = space.rewritten_by_appending(capsys, "sessions/opening.ko.md", "\n한 문장 더.\n")
    assert "ko/sessions/opening/index.html" in rewritten
    # Rewritten in place: the offline worker (its version is a digest of the pages it keeps, the Korean ones
    # too) and nothing else; the host files are written again with the same bytes, so they are left alone.
    assert {path for path in rewritten if not path.startswith("ko/")} <= {"sw.js"}, sorted(rewritten)
    assert [path.name for path in tmp_path.iterdir() if path.name.startswith(".site")] == []  # no staging folder left
    space.assert_state_lists_the_output()
    space.assert_same_as_a_full_build()


def test_editing_the_original_text_leaves_the_pages_that_show_a_translation_alone(tmp_path: Path, capsys) -> None:
    """A page records the file whose body it shows: the Korean opening page shows the Korean text."""
    space = Workspace(tmp_path)
    space.build(capsys)
    _, rewritten, _ = space.rewritten_by_appending(capsys, "sessions/opening.md", "\nOne more English sentence.\n")
    assert {"en/sessions/opening/index.html", "th/sessions/opening/index.html"} <= rewritten  # th: no translation, English shown
    assert not any(path.startswith("ko/") for path in rewritten), sorted(rewritten)
    space.assert_same_as_a_full_build()
    # Emptying the Korean body shows the English one there: an edit of the Korean file, which the page recorded.
    korean = space.content / "sessions" / "opening.ko.md"
    korean.write_text(korean.read_text(encoding="utf-8").split("---\n", 2)[0] + "---\n" + korean.read_text(encoding="utf-8").split("---\n", 2)[1] + "---\n", encoding="utf-8")
    code, out, _ = space.build(capsys)
    assert code == 0 and out.startswith("updated "), out
    assert "One more English sentence." in (space.output / "ko" / "sessions" / "opening" / "index.html").read_text(encoding="utf-8")
    space.assert_same_as_a_full_build()
    # And from then on the Korean page shows the English text, so an English edit reaches it.
    _, rewritten, _ = space.rewritten_by_appending(capsys, "sessions/opening.md", "\nAnd another.\n")
    assert "ko/sessions/opening/index.html" in rewritten
    space.assert_same_as_a_full_build()


def test_listings_record_the_front_matter_and_item_pages_the_file(tmp_path: Path, capsys) -> None:
    """Editing a session's text renders its own pages again, not the programme that lists its title and time."""
    space = Workspace(tmp_path)
    space.build(capsys)
    state = BuildState.decode(space.state.read_bytes())
    opening = str((space.content / "sessions" / "opening.md").resolve())

    def reads(url: str) -> tuple[bool, bool]:
        record = state.pages[url]
        files = {state.paths[number] for number in unpack(record.sources)}
        facts = {state.fact_names[number] for number in unpack(record.facts)}
        return opening in files, any(fact.startswith("front:") and fact.endswith("sessions/opening.md") for fact in facts)

    assert reads("/en/sessions/opening/") == (True, True)
    assert reads("/en/schedule/") == (False, True)
    page = space.content / "sessions" / "opening.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    code, out, _ = space.build(capsys)
    assert code == 0 and out.startswith("updated "), out
    space.assert_same_as_a_full_build()


# 100, 102 and 105 removed a translation and found a share card left behind (a review, 2026-12-05).
@pytest.mark.parametrize("seed", [0, 1, 2, 100, 102, 105])
def test_random_edits_match_full_builds(tmp_path: Path, capsys, seed: int) -> None:
    space = Workspace(tmp_path)
    space.build(capsys)
    rng = random.Random(seed)
    for step in range(10):
        path, text = rng.choice(EDITS)(space.content, rng)
        apply(path, text)
        if rng.random() < 0.2:
            template = space.templates / rng.choice(["_macros.html", "session.html", "base.html"])
            template.write_text(template.read_text(encoding="utf-8") + f"\n{{# edit {step} #}}<!-- {step} -->\n", encoding="utf-8")
        code, out, err = space.build(capsys)
        assert code == 0, err
        space.assert_state_lists_the_output()
        space.assert_same_as_a_full_build(f"seed {seed}, step {step}: {path.name}\n{out}")
        capsys.readouterr()


def test_a_share_card_that_a_page_no_longer_has_is_deleted(tmp_path: Path, capsys) -> None:
    """A page that loses its translation falls back to the source's card: its own og.png must go, as a
    full build would not make it (found by review with random-edit seeds 100, 102 and 105)."""
    space = Workspace(tmp_path)
    card = space.output / "th" / "sessions" / "talk" / "og.png"
    translation = space.content / "sessions" / "talk.th.md"
    apply(translation, "---\ntitle: การบรรยายเรื่องการจราจร\n---\nเนื้อหา\n")
    space.build(capsys)
    assert card.is_file()
    apply(translation, None)
    code, out, err = space.build(capsys)
    assert code == 0 and out.startswith("updated "), out + err
    assert not card.exists()
    space.assert_state_lists_the_output()
    space.assert_same_as_a_full_build()


def test_with_search_minify_and_the_web_editor_the_rebuild_is_the_full_build(tmp_path: Path, capsys) -> None:
    pytest.importorskip("minify_html")
    from .sitekit import SITE_YAML

    space = Workspace(tmp_path, {"site.yaml": SITE_YAML + "admin: {backend: github, repo: ministry/forum-site}\n"}, search=True)
    space.flags.append("--minify")
    space.build(capsys)
    assert (space.output / "admin" / "config.yml").is_file()
    apply(space.content / "sessions" / "opening.md", session_text("Grand opening", 5, 9))
    code, out, _ = space.build(capsys)
    assert code == 0 and out.startswith("updated "), out
    assert "search: " in out and "pages indexed" in out
    space.assert_same_as_a_full_build()


def test_a_broken_edit_changes_nothing_and_the_fix_catches_up(tmp_path: Path, capsys) -> None:
    space = Workspace(tmp_path)
    space.build(capsys)
    apply(space.content / "sessions" / "talk.md", session_text("Talk (new)", 6, 14, room="hall-b"))
    apply(space.content / "sessions" / "opening.md", "---\ntitle: Opening\nstart: not a time\n---\n")
    before = snapshot(space.output)
    code, _, err = space.build(capsys)
    assert code == 1 and "content/sessions/opening.md" in err and "the output was not changed" in err
    assert snapshot(space.output) == before
    apply(space.content / "sessions" / "opening.md", session_text("Opening", 5, 9))
    code, out, _ = space.build(capsys)
    assert code == 0 and out.startswith("updated "), out
    assert "Talk (new)" in (space.output / "en" / "sessions" / "talk" / "index.html").read_text(encoding="utf-8")
    space.assert_same_as_a_full_build()


def test_a_fragment_that_goes_away_fails_the_page_that_links_to_it(tmp_path: Path, capsys) -> None:
    """The linking page is not rendered again, but its claim on the other page is checked again."""
    space = Workspace(tmp_path, {"pages/guide.md": "---\ntitle: Guide\n---\n## Getting there\n\nText.\n",
                                 "pages/about.md": "---\ntitle: About\n---\nSee [the way](/guide/#getting-there).\n"})
    assert space.build(capsys)[0] == 0
    before = snapshot(space.output)
    inodes = {path: path.stat().st_ino for path in space.output.rglob("*")}
    apply(space.content / "pages" / "guide.md", "---\ntitle: Guide\n---\n## Arriving\n\nText.\n")
    code, _, err = space.build(capsys)
    assert code == 1
    assert "content/pages/about.md:4: link to /guide/#getting-there: the page has no element with id 'getting-there'" in err
    # The guide was rendered again (next to the output) but never moved in: the live output is as it was.
    assert snapshot(space.output) == before
    assert {path: path.stat().st_ino for path in space.output.rglob("*")} == inodes
    assert [path.name for path in tmp_path.iterdir() if path.name.startswith(".site")] == []


def test_warnings_of_pages_not_rendered_again_are_still_shown(tmp_path: Path, capsys) -> None:
    # A page whose rendering warns (unsafe HTML removed); the edit below does not render it again.
    space = Workspace(tmp_path, {"pages/press.md": "---\ntitle: Press\n---\nText <script>alert(1)</script>\n"})
    _, _, first = space.build(capsys)
    assert any("content/pages/press.md" in line and "unsafe HTML" in line for line in warnings(first)), first
    page = space.content / "pages" / "about.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
    _, out, second = space.build(capsys)
    assert out.startswith("updated ")
    assert warnings(first) and warnings(first) == warnings(second)


def warnings(err: str) -> list[str]:
    """The problems a build printed, without its progress lines (a slow phase on a loaded machine says 'done in')."""
    return sorted(line for line in err.splitlines() if not re.search(r": done in [0-9.]+ s$", line))


@pytest.mark.parametrize("case", ["corrupt", "bad-data", "a-changed-byte", "truncated", "foreign", "output-edited", "output-added", "output-deleted", "no-cache-build"])
def test_every_doubt_is_a_full_build_that_says_why(tmp_path: Path, capsys, case: str) -> None:
    space = Workspace(tmp_path)
    space.build(capsys)
    state = space.state
    if case == "corrupt":
        state.write_bytes(b"\x00\xffnot a state")
    elif case == "bad-data":  # the right beginning, then what marshal cannot read
        state.write_bytes(MAGIC + b"\x00\xff" * 100)
    elif case == "a-changed-byte":  # marshal may crash on one: it reads nothing whose digest does not match
        data = state.read_bytes()
        middle = len(data) // 2
        state.write_bytes(data[:middle] + bytes([data[middle] ^ 0x01]) + data[middle + 1:])
    elif case == "truncated":
        state.write_bytes(state.read_bytes()[:200])
    elif case == "foreign":
        saved = BuildState.decode(state.read_bytes())
        saved.key = "0" * 64
        state.write_bytes(saved.encode())
    elif case == "output-edited":
        page = space.output / "en" / "about" / "index.html"
        page.write_bytes(page.read_bytes().replace(b"About", b"Abut"))
    elif case == "output-added":
        (space.output / "stray.html").write_text("left by hand")
    elif case == "output-deleted":
        shutil.rmtree(space.output)
    elif case == "no-cache-build":
        assert main([*space.arguments(space.output), "--no-cache"], root=tmp_path) == 0
    code, out, _ = space.build(capsys)
    assert code == 0
    assert out.startswith("wrote "), out
    assert "full build: " in out
    space.assert_same_as_a_full_build(case)
    assert space.build(capsys)[1].startswith("nothing changed")


def test_a_state_with_pages_pointing_nowhere_is_not_trusted(tmp_path: Path, capsys) -> None:
    space = Workspace(tmp_path)
    space.build(capsys)
    saved = BuildState.decode(space.state.read_bytes())
    url, record = next(iter(saved.pages.items()))
    saved.pages[url] = record._replace(sources=pack([*unpack(record.sources), 10**6]))
    space.state.write_bytes(saved.encode())
    _, out, _ = space.build(capsys)
    assert "full build: the saved build state could not be read" in out


@pytest.mark.parametrize("what", ["site.yaml", "catalog", "static", "media"])
def test_changes_that_touch_everything_are_full_builds(tmp_path: Path, capsys, what: str) -> None:
    space = Workspace(tmp_path)
    locales = tmp_path / "locales"
    shutil.copytree(PROJECT_ROOT / "locales", locales, ignore=shutil.ignore_patterns("*.mo"))
    space.arguments = lambda output, original=space.arguments: [  # type: ignore[method-assign]
        item if item != str(PROJECT_ROOT / "locales") else str(locales) for item in original(output)
    ]
    space.build(capsys)
    if what == "site.yaml":
        site = space.content / "site.yaml"
        site.write_text(site.read_text(encoding="utf-8").replace("Test Forum", "Test Forum 2"), encoding="utf-8")
    elif what == "catalog":
        catalog = locales / "ko" / "LC_MESSAGES" / "messages.po"
        catalog.write_text(catalog.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    elif what == "static":
        style = space.templates / "static" / "style.css"
        style.write_text(style.read_text(encoding="utf-8") + "\n/* edit */\n", encoding="utf-8")
    else:
        apply(space.content / "media" / "plan.txt", "a new plan\n")
    _, out, _ = space.build(capsys)
    assert out.startswith("wrote ") and "full build: " in out, out
    space.assert_same_as_a_full_build(what)


def test_touching_a_file_without_changing_it_rebuilds_nothing(tmp_path: Path, capsys) -> None:
    space = Workspace(tmp_path)
    space.build(capsys)
    page = space.content / "pages" / "about.md"
    os.utime(page, ns=(page.stat().st_atime_ns, page.stat().st_mtime_ns + 10**10))
    _, out, _ = space.build(capsys)
    assert out.startswith("nothing changed"), out


def test_an_edit_in_the_same_clock_tick_is_not_missed(tmp_path: Path, capsys) -> None:
    """Same size, same mtime, other bytes: the rule for files written just before a scan."""
    space = Workspace(tmp_path)
    page = space.content / "pages" / "about.md"
    space.build(capsys)
    stamp = page.stat()
    page.write_text(page.read_text(encoding="utf-8").replace("About", "Abotu"), encoding="utf-8")
    os.utime(page, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))  # as if written within the same tick
    assert page.stat().st_size == stamp.st_size
    _, out, _ = space.build(capsys)
    assert out.startswith("updated "), out
    space.assert_same_as_a_full_build()


def test_the_summary_counts_the_files_a_rebuild_wrote_in_workers_too(tmp_path: Path, capsys) -> None:
    """With search (a whole copy of the output) and a pool, the pages are written by the workers: the count
    of files written again is still the files that are new (not hard links to the last build's)."""
    space = Workspace(tmp_path, search=True)
    space.flags += ["--workers", "2"]
    space.build(capsys)
    out, rewritten, total = space.rewritten_by_appending(capsys, "sessions/opening.md", "\nOne more sentence.\n")
    counted = re.search(r"in [0-9.]+ s: ([0-9,]+) of ([0-9,]+) files written again", out)
    assert counted is not None, out
    assert "en/sessions/opening/index.html" in rewritten
    assert (int(counted[1].replace(",", "")), int(counted[2].replace(",", ""))) == (len(rewritten), total), sorted(rewritten)


def test_the_output_folder_is_listed_by_a_child_process_or_here_when_that_fails(tmp_path: Path, monkeypatch) -> None:
    """buildstate.OutputListing: after an edit the listing is made by a forked child while the build imports;
    the same listing as scan_outputs, and made here when the child cannot give it."""
    from eventsite import buildstate

    folder = tmp_path / "site"
    for relative in ("index.html", "en/index.html", "en/sessions/opening/index.html", "static/style.css"):
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).write_text(relative, encoding="utf-8")
    expected = scan_outputs(folder)
    assert len(expected) == 4

    listing = buildstate.OutputListing.start(folder, elsewhere=True)
    assert listing._child is not None  # forked
    assert listing.result() == expected and listing.seconds == 0.0

    parent = os.getpid()
    real = buildstate.scan_outputs

    def fails_in_the_child(output: Path) -> dict[str, list[int]]:
        if os.getpid() != parent:
            raise OSError("the child cannot list")
        return real(output)

    monkeypatch.setattr(buildstate, "scan_outputs", fails_in_the_child)
    listing = buildstate.OutputListing.start(folder, elsewhere=True)
    assert listing.result() == expected and listing.seconds > 0  # listed here instead
    assert buildstate.OutputListing.start(folder, elsewhere=False)._child is None  # nothing changed: listed at once


def test_after_an_edit_the_build_does_not_wait_for_the_listing_to_know_it_is_not_up_to_date(tmp_path: Path, capsys) -> None:
    """commands/build.py asks Comparison.up_to_date before its imports: with an input changed the answer
    is no, without waiting for the child that lists the output; the decision comes after."""
    from eventsite.buildstate import compare
    from eventsite.project import BuildOptions

    space = Workspace(tmp_path)
    assert space.build(capsys)[0] == 0
    project = space.project
    options = BuildOptions(search=False, one_shot=True)  # as the command line builds (the state's key)
    assert compare(project, options).up_to_date
    page = space.content / "news" / "launch.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    comparison = compare(project, options)
    assert not comparison.up_to_date and comparison._previous is None  # not decided yet: the listing may still run
    previous = comparison.previous()
    assert previous.state is not None and previous.reason is None and previous.changed == {page.resolve()}
    assert previous.outputs == scan_outputs(space.output)


# --- the libraries' versions in the build key ------------------------------------------------


def test_the_libraries_versions_are_those_importlib_metadata_gives() -> None:
    from importlib.metadata import PackageNotFoundError, version

    from eventsite import buildstate, versions

    for name in buildstate.LIBRARIES:
        try:
            expected: str | None = version(name)
        except PackageNotFoundError:
            expected = None
        assert versions.installed_version(name) == expected, name


def test_versions_are_read_off_dist_info_names_and_eggs_are_asked_of_importlib(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first folder on the path wins, names in any spelling; an .egg-info or a zip file on the path
    sends that name to importlib.metadata, which reads inside them."""
    import sys

    from eventsite import versions

    first, second = tmp_path / "first", tmp_path / "second"
    for folder, names in ((first, ["Jinja2-9.1.dist-info", "PyYAML-7.0b1.dist-info", "oldlib-1.0-py3.11.egg-info"]),
                          (second, ["jinja2-1.0.dist-info", "pydantic_core-3.0.post1.dist-info", "odd.dist-info"])):
        for name in names:
            (folder / name).mkdir(parents=True)
    asked: list[str] = []

    def version(name: str) -> str:
        asked.append(name)
        return "from-importlib"

    import importlib.metadata

    monkeypatch.setattr(importlib.metadata, "version", version)
    monkeypatch.setattr(sys, "path", [str(first), str(tmp_path / "missing"), str(second)])
    versions._path_listing.cache_clear()
    try:
        assert versions.installed_version("jinja2") == "9.1"
        assert versions.installed_version("pyyaml") == "7.0b1"
        assert versions.installed_version("pydantic-core") == "3.0.post1"
        assert versions.installed_version("pagefind-bin") is None and asked == []
        assert versions.installed_version("OldLib") == "from-importlib" and asked == ["OldLib"]
        (tmp_path / "lib.zip").write_bytes(b"PK")
        monkeypatch.setattr(sys, "path", [str(first), str(tmp_path / "lib.zip")])
        versions._path_listing.cache_clear()
        assert versions.installed_version("pagefind-bin") == "from-importlib"
        assert versions.installed_version("jinja2") == "9.1"
    finally:
        versions._path_listing.cache_clear()


# --- the offline worker after a rebuild -----------------------------------------------------------


def test_a_rebuild_reads_only_its_new_pages_for_the_offline_worker(tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    """The last run's findings (offline.LastRun) serve every page the rebuild did not write; the worker is a
    full build's, byte for byte, and a second rebuild takes the findings the first one kept."""
    from eventsite import offline

    space = Workspace(tmp_path)
    space.build(capsys)
    scanned: list[str] = []
    real = offline._asset_links
    monkeypatch.setattr(offline, "_asset_links", lambda page, data: scanned.append(page) or real(page, data))
    scans: list[object] = []
    real_load = offline.PageScan.load
    monkeypatch.setattr(offline.PageScan, "load", lambda *args: scans.append(args) or real_load(*args))
    for sentence in ("\nOne more English sentence.\n", "\nAnd another.\n"):
        scanned.clear()
        scans.clear()
        _, rewritten, _ = space.rewritten_by_appending(capsys, "sessions/opening.md", sentence)
        assert scans == [], "the pages' signatures were looked up again"
        assert scanned, "the pages written again are read"
        assert set(scanned) <= rewritten, set(scanned) - rewritten
        space.assert_same_as_a_full_build(sentence)


def test_the_last_runs_findings_are_taken_only_for_the_worker_it_wrote(tmp_path: Path) -> None:
    from eventsite.buildstate import scan_outputs
    from eventsite.offline import WORKER, LastRun

    root, cache = tmp_path / "site", tmp_path / "cache"
    (root / "en").mkdir(parents=True)
    (root / "en" / "index.html").write_text('<link rel="stylesheet" href="../static/a.css">')
    (root / WORKER).write_bytes(b"const VERSION = 1;")
    LastRun.save(cache, root, b"const VERSION = 1;", {"en": ["en/index.html"]}, {"en/index.html": b"\x01" * 32}, {"en/index.html": []})
    listing = scan_outputs(root)
    assert LastRun.load(cache, root, listing, frozenset()) is not None
    assert LastRun.load(cache, root, listing, None) is None  # a full build: nothing says which files are new
    assert LastRun.load(cache, root, listing, frozenset({WORKER})) is None
    assert LastRun.load(None, root, listing, frozenset()) is None
    other = dict(listing)
    other[WORKER] = [*listing[WORKER][:2], listing[WORKER][2] + 1]  # another file of that name
    assert LastRun.load(cache, root, other, frozenset()) is None
    stat = (root / WORKER).stat()
    (root / WORKER).write_bytes(b"const VERSION = 2;")  # same size and time, other bytes (another output's worker)
    import os

    os.utime(root / WORKER, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert LastRun.load(cache, root, scan_outputs(root), frozenset()) is None
    (cache / LastRun.FILE).write_bytes(b"damaged")
    assert LastRun.load(cache, root, listing, frozenset()) is None
