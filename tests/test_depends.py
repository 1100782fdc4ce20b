"""The dependency record and its reverse index (eventsite/depends.py)."""

from __future__ import annotations

from pathlib import Path

from eventsite.depends import DependencyIndex, Recorder


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
