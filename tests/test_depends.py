"""The dependency record and its reverse index (eventsite/depends.py)."""

from __future__ import annotations

from pathlib import Path

from eventsite.depends import DependencyIndex, Reads, Recorder


def recorder(*sources: str, facts: tuple[str, ...] = ()) -> Recorder:
    return Recorder(sources={Path(source) for source in sources}, facts=set(facts))


def test_readers_of_a_file_or_a_fact() -> None:
    index = DependencyIndex({
        "/en/a/": recorder("a.md", "base.html", facts=("sessions",)),
        "/en/b/": recorder("b.md", "base.html"),
        "/en/schedule/": recorder("base.html", facts=("sessions", "rooms")),
    })
    assert index.readers({Path("a.md")}, set()) == {"/en/a/"}
    assert index.readers({Path("base.html")}, set()) == {"/en/a/", "/en/b/", "/en/schedule/"}
    assert index.readers(set(), {"rooms"}) == {"/en/schedule/"}
    assert index.readers({Path("b.md")}, {"sessions"}) == {"/en/a/", "/en/b/", "/en/schedule/"}
    assert index.readers({Path("unknown.md")}, {"unknown"}) == set()


def test_a_new_record_replaces_the_old_one_in_both_directions() -> None:
    index = DependencyIndex({"/en/a/": recorder("a.md", facts=("sessions",))})
    index.put("/en/a/", recorder("a.md", "people/x.md"))
    assert index.readers(set(), {"sessions"}) == set()  # no longer read
    assert index.readers({Path("people/x.md")}, set()) == {"/en/a/"}
    index.remove("/en/a/")
    assert index.readers({Path("a.md")}, set()) == set()
    assert index.records == {}
    index.remove("/en/never/")  # removing an unknown output is harmless


def test_a_part_gets_what_it_read_and_the_page_everything() -> None:
    page = Recorder()
    page.record(Path("base.html"))
    page.record_fact("collection:session")
    with page.capture() as card:
        page.record_fact("front:a.md")
        with page.capture() as inner:
            page.replay(Reads(frozenset({Path("room.yaml")}), frozenset({"languages:session:a"})))
        page.replay_items(("route:/en/b/",))
    page.record_fact("after")
    with page.capture() as second:  # opened after reads outside any part: those are not its
        page.record(Path("c.md"))
    assert inner.items == (Path("room.yaml"), "languages:session:a")
    assert set(card.items) == {"front:a.md", Path("room.yaml"), "languages:session:a", "route:/en/b/"}
    assert second.items == (Path("c.md"),)
    assert page.sources == {Path("base.html"), Path("room.yaml"), Path("c.md")}
    assert page.facts == {"collection:session", "front:a.md", "languages:session:a", "route:/en/b/", "after"}

    def make() -> int:
        page.record_fact("made")
        return 42

    assert page.reading(make) == (42, ("made",))
    assert len(page._log) <= 1  # what a page reads outside its parts is not kept in order
