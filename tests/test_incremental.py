"""Incremental rebuilds give exactly the bytes of a full build."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from eventsite import incremental
from eventsite.build import Project, build_site
from eventsite.depends import Recorder
from eventsite.errors import BuildError, Problem
from eventsite.incremental import IncrementalBuilder
from eventsite.publish import BuildOptions
from eventsite.render import Renderer, RouteOutput, render_route
from eventsite.routes import Route
from eventsite.theme import Theme

from .sitekit import PROJECT_ROOT, snapshot, write_site


def own_theme(tmp_path: Path) -> Theme:
    """A private copy of the templates, so tests may edit them."""
    templates = tmp_path / "templates"
    shutil.copytree(PROJECT_ROOT / "templates", templates)
    return Theme(templates=templates, locales=PROJECT_ROOT / "locales")


def started(tmp_path: Path, files: dict | None = None, cache: Path | None = None) -> tuple[IncrementalBuilder, Path]:
    """A fixture site with its own templates, fully built by an incremental builder; returns it and the content folder."""
    content = write_site(tmp_path, files)
    builder = IncrementalBuilder(Project(content=content, output=tmp_path / "site", theme=own_theme(tmp_path), cache=cache))
    builder.full_build()
    return builder, content


def assert_same_as_a_full_build(builder: IncrementalBuilder, label: str = "") -> None:
    """The dev server's output equals a fresh full build of the same inputs (publish-only steps do not run in either)."""
    project = builder.project
    reference = project.output.parent / "full-build"
    build_site(Project(content=project.content, output=reference, theme=project.theme), options=BuildOptions(dev=True))
    try:
        assert snapshot(project.output) == snapshot(reference), label
    finally:
        shutil.rmtree(reference)


def session_text(title: str, day: int, hour: int, speakers: str = "[minister]", room: str = "hall-a") -> str:
    return (
        f"---\ntitle: {title}\nstart: \"2019-11-2{day} {hour:02d}:00\"\nend: \"2019-11-2{day} {hour:02d}:45\"\n"
        f"kind: plenary\nroom: {room}\nspeakers: {speakers}\n---\nBody of {title}. [About](/about/)\n"
    )


EDITS = [
    lambda c, r: (c / "sessions/opening.md", session_text(f"Opening {r.randint(0, 99)}", 5, r.choice([8, 9, 10]))),
    lambda c, r: (c / "sessions/opening.md", session_text("Opening", 5, 9, speakers="[moderator]")),
    lambda c, r: (c / "sessions/talk.md", session_text("Talk", r.choice([5, 6]), 14, speakers="[]", room="hall-b")),
    lambda c, r: (c / "sessions/opening.ko.md", f"---\ntitle: 개회식 {r.randint(0, 9)}\n---\n본문.\n"),
    lambda c, r: (c / "sessions/talk.th.md", f"---\ntitle: การบรรยาย {r.randint(0, 9)}\n---\nเนื้อหา\n"),
    lambda c, r: (c / "sessions/talk.th.md", None),
    lambda c, r: (c / f"sessions/extra-{r.randint(1, 3)}.md", session_text("Extra", 6, r.choice([9, 11]), room="hall-b")),
    lambda c, r: (c / f"sessions/extra-{r.randint(1, 3)}.md", None),
    lambda c, r: (c / "people/minister.md", f"---\nname: Minister {r.randint(0, 99)}\ncountry: {r.choice(['KR', 'TH'])}\n---\nBio.\n"),
    lambda c, r: (c / "people/moderator.ko.md", f"---\nname: 사회자 {r.randint(0, 9)}\n---\n"),
    lambda c, r: (c / f"news/item-{r.randint(1, 2)}.md", f"---\ntitle: News {r.randint(0, 9)}\ndate: \"2019-11-2{r.randint(0, 6)}\"\n---\nText.\n"),
    lambda c, r: (c / "pages/about.md", f"---\ntitle: About {r.randint(0, 9)}\n---\nAbout.\n"),
    lambda c, r: (c / "exhibits/five-g.md", f"---\ntitle: 5G {r.randint(0, 9)}\nsection: korea\ncountry: {r.choice(['KR', 'TH'])}\n---\nText.\n"),
    lambda c, r: (c / "media/plan.txt", f"plan {r.randint(0, 9)}\n"),
    # The body alone or the front matter alone: listings read the front matter, item pages the body too.
    lambda c, r: (c / "sessions/opening.md", with_body(c / "sessions/opening.md", f"New body {r.randint(0, 99)}. [About](/about/)\n")),
    lambda c, r: (c / "sessions/opening.ko.md", with_body(c / "sessions/opening.ko.md", r.choice(["", f"본문 {r.randint(0, 9)}.\n"]))),
    lambda c, r: (c / "people/minister.md", with_body(c / "people/minister.md", f"Bio {r.randint(0, 9)}.\n")),
]


def with_body(path: Path, body: str) -> str | None:
    """The file with its front matter kept and ``body`` after it (None, a removal, if it is not there)."""
    if not path.is_file():
        return None
    _, front, _ = path.read_text(encoding="utf-8").split("---\n", 2)
    return f"---\n{front}---\n{body}"


def apply(path: Path, text: str | None) -> None:
    if text is None:
        path.unlink(missing_ok=True)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("seed, cached", [(0, False), (1, False), (2, False), (3, True)])
def test_random_edits_match_full_builds(tmp_path: Path, seed: int, cached: bool) -> None:
    """With a cache folder too, as `serve` has one: its conversions are checked against the links of each update."""
    builder, content = started(tmp_path, cache=tmp_path / "cache" if cached else None)
    assert (builder.caches.markdown is not None) == cached
    assert any((tmp_path / "cache" / "markdown").rglob("*.json")) == cached  # the full build filled it
    theme = builder.project.theme
    rng = random.Random(seed)
    for step in range(12):
        path, text = rng.choice(EDITS)(content, rng)
        apply(path, text)
        changed = {path}
        if rng.random() < 0.15:
            template = theme.templates / "_macros.html"
            template.write_text(template.read_text() + f"\n{{# edit {step} #}}\n")
            changed.add(template)
        builder.update(changed)
        assert_same_as_a_full_build(builder, f"seed {seed}, step {step}: {path.name}")


def test_one_session_edit_renders_only_dependent_pages(tmp_path: Path) -> None:
    content = write_site(tmp_path)
    project = Project(content=content, output=tmp_path / "site", theme=own_theme(tmp_path))
    builder = IncrementalBuilder(project)
    full = builder.full_build()
    path = content / "sessions/talk.md"
    path.write_text(path.read_text().replace("Talk on smart traffic", "Talk on smarter traffic"))
    update = builder.update({path})
    assert not update.full
    assert 0 < update.rendered < len(full.plan.routes) / 2
    written = set(update.written)
    assert "en/sessions/talk/index.html" in written and "en/schedule/index.html" in written
    assert "en/about/index.html" not in written
    assert "Talk on smarter traffic" in (project.output / "th/sessions/talk/index.html").read_text()


def test_a_broken_edit_writes_nothing_and_the_next_good_one_recovers(tmp_path: Path) -> None:
    builder, content = started(tmp_path)
    project = builder.project
    before = snapshot(project.output)
    path = content / "sessions/talk.md"
    good = path.read_text()
    path.write_text(good.replace("room: hall-b", "room: nowhere"))
    with pytest.raises(BuildError) as raised:
        builder.update({path})
    assert raised.value.problems[0].path == "content/sessions/talk.md"
    assert snapshot(project.output) == before
    path.write_text(good.replace("Talk on smart traffic", "Fixed talk"))
    builder.update({path})
    assert "Fixed talk" in (project.output / "en/sessions/talk/index.html").read_text()


def test_the_edited_language_comes_first(tmp_path: Path) -> None:
    """A Thai translator saving talk.th.md sees the Thai page before anything else is rendered."""
    builder, content = started(tmp_path)
    project = builder.project
    path = content / "sessions/talk.th.md"
    path.write_text("---\ntitle: การบรรยายใหม่\n---\nเนื้อหา\n", encoding="utf-8")
    seen: list[list[str]] = []
    update = builder.update({path}, on_first=lambda first: seen.append(list(first.written)))
    assert seen == [["th/sessions/talk/index.html"]]
    assert "การบรรยายใหม่" in (project.output / "th/sessions/talk/index.html").read_text(encoding="utf-8")
    # then the rest: the programme in Thai lists the new title too
    assert update.pending == 0 and "th/schedule/index.html" in update.written


def test_a_source_edit_shows_the_default_language_first(tmp_path: Path) -> None:
    builder, content = started(tmp_path)
    project = builder.project
    path = content / "sessions/opening.md"
    path.write_text(session_text("Opening moved", 5, 10), encoding="utf-8")
    seen: list[list[str]] = []
    update = builder.update({path}, on_first=lambda first: seen.append(list(first.written)))
    assert seen == [["en/sessions/opening/index.html"]]
    assert {"ko/sessions/opening/index.html", "th/sessions/opening/index.html"} <= set(update.written)


def test_an_edit_the_watcher_missed_is_caught_up(tmp_path: Path) -> None:
    """Only reported files are read again; a check of every file afterwards applies what was missed."""
    builder, content = started(tmp_path)
    reported, missed = content / "sessions/talk.md", content / "sessions/opening.md"
    reported.write_text(session_text("Reported talk", 6, 14), encoding="utf-8")
    missed.write_text(session_text("Missed opening", 5, 9), encoding="utf-8")
    (content / "sessions/new.md").write_text(session_text("Missed new session", 6, 9, room="hall-b"), encoding="utf-8")
    seen: list[str] = []
    update = builder.update({reported}, on_first=lambda first: seen.extend(first.written))
    assert seen == ["en/sessions/talk/index.html"]  # the reported edit first, as always
    assert {"en/sessions/opening/index.html", "en/sessions/new/index.html"} <= set(update.written)
    assert_same_as_a_full_build(builder)


def test_an_edit_makes_again_only_the_programme_cards_it_touched(tmp_path: Path) -> None:
    """The dev server keeps the parts of the pages it rendered (eventsite/fragments.py, in memory): after
    the first edit, the programme in each language takes every card but the edited item's as it was."""
    builder, content = started(tmp_path)
    path = content / "sessions/talk.md"
    path.write_text(session_text("Talk", 6, 14, room="hall-b"), encoding="utf-8")
    builder.update({path})  # the first update renders the listings whole: the full build kept nothing here
    assert builder.fragments.pages["/en/schedule/"]
    path.write_text(session_text("Talk moved", 6, 16, room="hall-b"), encoding="utf-8")
    update = builder.update({path})
    assert "en/schedule/index.html" in update.written
    assert builder.fragments.reused > 0
    assert "Talk moved" in (builder.project.output / "en/schedule/index.html").read_text(encoding="utf-8")
    assert_same_as_a_full_build(builder)


def test_a_card_is_made_again_when_what_it_shows_changed_while_it_was_off_the_programme(tmp_path: Path) -> None:
    """A page keeps only the parts its last rendering used: a card kept from before it left the page
    would miss what changed meanwhile (the moderator's name here) when it comes back."""
    content = write_site(tmp_path, {"sessions/opening.md": session_text("Opening", 5, 9).replace("kind: plenary", "kind: plenary\nsummary: talk shown")})
    theme = own_theme(tmp_path)
    schedule = theme.templates / "_macros.html"  # the programme's day_items: each day's cards, kept inside the day's part
    loop = "{% for session in day.sessions %}\n    {{ keep(session_item, session) }}"
    assert loop in schedule.read_text(encoding="utf-8")
    # Whether the talk is listed depends on another file than the talk's: the opening's summary.
    schedule.write_text(schedule.read_text(encoding="utf-8").replace(loop, (
        '{% set opening = site.sessions | selectattr("id", "equalto", "opening") | first %}'
        '{% for session in day.sessions %}{% if session.id != "talk" or "shown" in opening.summary.value %}'
        "{{ keep(session_item, session) }}{% endif %}"
    )), encoding="utf-8")
    builder = IncrementalBuilder(Project(content=content, output=tmp_path / "site", theme=theme))
    builder.full_build()
    programme = builder.project.output / "en/schedule/index.html"
    assert "A Moderator" in programme.read_text(encoding="utf-8")
    talk, opening, moderator = content / "sessions/talk.md", content / "sessions/opening.md", content / "people/moderator.md"
    steps = [
        (talk, talk.read_text(encoding="utf-8").replace("Talk on smart traffic", "Talk on traffic")),  # cards kept
        (opening, opening.read_text(encoding="utf-8").replace("talk shown", "talk hidden")),  # the talk's card goes
        (moderator, moderator.read_text(encoding="utf-8").replace("A Moderator", "Her Excellency")),
        (opening, opening.read_text(encoding="utf-8")),  # and comes back
    ]
    for path, text in steps:
        path.write_text(text, encoding="utf-8")
        builder.update({path})
        if path == talk:
            assert any(key[-1] == ("session", "talk") for key in builder.fragments.pages["/en/schedule/"])
    assert "Her Excellency" in programme.read_text(encoding="utf-8")
    assert_same_as_a_full_build(builder)


def test_a_failed_update_keeps_no_part_it_made(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Parts made by an update that wrote nothing are not kept: the pages and their records stay as they
    were, and the next update reads them against its own changes only."""
    builder, content = started(tmp_path)
    path = content / "sessions/talk.md"
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace("Talk on smart traffic", "Talk on traffic"), encoding="utf-8")
    builder.update({path})
    kept = dict(builder.fragments.pages)
    assert kept["/en/schedule/"]

    def failing(renderer: Renderer, route: Route, recorder: Recorder) -> RouteOutput:
        made = render_route(renderer, route, recorder)  # the programme's parts are made, then a later page fails
        if route.url == "/th/schedule/":
            made.problems.append(Problem("templates/schedule.html", 1, "failed on purpose"))
        return made

    monkeypatch.setattr(incremental, "render_route", failing)
    path.write_text(good.replace("Talk on smart traffic", "Broken talk"), encoding="utf-8")
    with pytest.raises(BuildError):
        builder.update({path})
    assert builder.fragments.pages == kept and all(builder.fragments.pages[url] is kept[url] for url in kept)
    monkeypatch.undo()
    path.write_text(good.replace("Talk on smart traffic", "Fixed talk"), encoding="utf-8")
    builder.update({path})
    assert "Broken talk" not in (builder.project.output / "en/schedule/index.html").read_text(encoding="utf-8")
    assert_same_as_a_full_build(builder)


def test_a_template_edit_reuses_no_kept_part(tmp_path: Path) -> None:
    builder, content = started(tmp_path)
    path = content / "sessions/talk.md"
    path.write_text(session_text("Talk", 6, 14, room="hall-b"), encoding="utf-8")
    builder.update({path})
    template = builder.project.theme.templates / "_macros.html"
    template.write_text(template.read_text(encoding="utf-8") + "\n{# edited #}\n", encoding="utf-8")
    builder.update({template, path})
    assert builder.fragments.reused == 0
    assert_same_as_a_full_build(builder)


def _png(path: Path | None = None, size: tuple[int, int] = (900, 600), colour: str = "navy") -> bytes:
    """A PNG picture's bytes, written to ``path`` when given."""
    import io

    from PIL import Image

    data = io.BytesIO()
    Image.new("RGB", size, colour).save(data, format="PNG")
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.getvalue())
    return data.getvalue()


@pytest.mark.parametrize("reported", ["nothing", "the folder", "each file"])
def test_media_changes_are_applied_however_they_were_reported(tmp_path: Path, reported: str) -> None:
    """Media added, changed in place (same size), and a whole media folder removed: output = full build."""
    builder, content = started(tmp_path, {"media/plan.txt": "plan A\n", "media/photos/hall.png": _png()})
    session = content / "sessions/talk.md"

    def check(step: str, changed: set[Path]) -> None:
        session.write_text(session.read_text(encoding="utf-8") + f"\n{step}\n", encoding="utf-8")
        builder.update({session} | (set() if reported == "nothing" else changed))
        assert_same_as_a_full_build(builder, step)

    plan, added = content / "media/plan.txt", content / "media/photos/stage.png"
    plan.write_text("plan B\n", encoding="utf-8")  # same size, other bytes
    _png(added, colour="maroon")
    check("edited", {plan, added} if reported == "each file" else {content / "media"})
    shutil.rmtree(content / "media/photos")
    check("folder removed", {content / "media/photos/hall.png", added, content / "media/photos"} if reported == "each file" else {content / "media/photos"})
    shutil.rmtree(content / "media")
    check("media removed", {plan, content / "media"} if reported == "each file" else {content / "media"})


def test_a_static_folder_moved_in_and_removed(tmp_path: Path) -> None:
    builder, _ = started(tmp_path)
    folder = builder.project.theme.static / "extra"
    (folder / "deep").mkdir(parents=True)
    (folder / "a.txt").write_text("a\n", encoding="utf-8")
    (folder / "deep" / "b.txt").write_text("b\n", encoding="utf-8")
    builder.update({folder})  # a watcher reports a moved folder as the folder alone
    assert_same_as_a_full_build(builder, "moved in")
    shutil.rmtree(folder)
    builder.update({folder})
    assert_same_as_a_full_build(builder, "removed")
