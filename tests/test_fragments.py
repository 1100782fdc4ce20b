"""Kept fragments (eventsite/fragments.py): parts of pages reused by a command-line rebuild while what they read is unchanged."""

from __future__ import annotations

import marshal
from collections import Counter
import random
import shutil
from pathlib import Path

import pytest
from lxml import html as lxml_html
from markupsafe import Markup, escape

from eventsite import formats, fragments as fragments_module
from eventsite.cache import seal
from eventsite.depends import NullRecorder, Reads, Recorder
from eventsite.errors import Problem
from eventsite.fragments import Fragment, FragmentStore, PageFragments, keep, keep_macro

from .test_incremental import EDITS, apply, session_text
from .sitekit import snapshot
from .test_rebuild import Workspace


# --- the recorder: parts recorded on their own, cached values replayed -------------------


def test_a_captured_part_records_into_the_page_and_every_open_part() -> None:
    recorder = Recorder()
    recorder.record_fact("before")
    with recorder.capture() as outer:
        recorder.record(Path("/a.md"))
        with recorder.capture() as inner:
            recorder.record_fact("inner")
        recorder.record_fact("after inner")
    recorder.record_fact("outside")
    assert recorder.facts == {"before", "inner", "after inner", "outside"}
    assert outer.facts == {"inner", "after inner"} and outer.sources == {Path("/a.md")}
    assert inner.facts == {"inner"} and not inner.sources
    assert not recorder.capturing


def test_a_memo_made_outside_a_part_is_recorded_again_inside_it() -> None:
    """The hazard kept fragments have to close: a value cached on the page is read by a part later."""
    recorder = Recorder()
    store: dict = {}
    made = []

    def make() -> str:
        made.append(1)
        recorder.record_fact("front:speaker")
        recorder.record(Path("/people/speaker.md"))
        return "node"

    assert recorder.memo(store, "speaker", make) == "node"  # outside any part
    with recorder.capture() as part:
        assert recorder.memo(store, "speaker", make) == "node"
    assert made == [1]  # made once
    assert part.reads() == Reads(frozenset({Path("/people/speaker.md")}), frozenset({"front:speaker"}))


def test_a_memo_keeps_only_what_it_is_told_to() -> None:
    recorder = Recorder()
    store: dict = {}
    assert recorder.memo(store, "f", lambda: len, keep=lambda value: not callable(value)) is len
    assert store == {}


def test_recorded_properties_replay_their_reads(tmp_path: Path) -> None:
    """Views cache values (a listing's days, an item's speakers): read again inside a part, they record again."""
    from eventsite.views import recorded_property

    class FakePage:
        def __init__(self) -> None:
            self.recorder = Recorder()

    class View:
        def __init__(self, page: FakePage) -> None:
            self._page = page
            self.computed = 0

        @recorded_property
        def speakers(self) -> list[str]:
            self.computed += 1
            self._page.recorder.record_fact("people:x")
            return ["x"]

    page = FakePage()
    view = View(page)
    assert view.speakers == ["x"]
    with page.recorder.capture() as part:
        assert view.speakers == ["x"]
    assert view.computed == 1 and part.facts == {"people:x"}


# --- the store: stamps, staleness, damaged files ------------------------------------------


def saved_store(tmp_path: Path, reads: Reads) -> tuple[FragmentStore, str]:
    store = FragmentStore(tmp_path, "stamp-1")
    made = PageFragments(now={("macro", "card", ("session", "a")): Fragment(Markup("<p>a</p>"), reads)})
    assert store.save("/en/schedule/", made) == "stamp-1"
    return store, "stamp-1"


def test_a_saved_fragment_is_reused_while_nothing_it_read_changed(tmp_path: Path) -> None:
    source = tmp_path / "a.md"
    source.write_text("x")
    _, stamp = saved_store(tmp_path, Reads(frozenset({source}), frozenset({"front:a"})))
    key = ("macro", "card", ("session", "a"))
    unchanged = FragmentStore(tmp_path, "stamp-2", {"/en/schedule/": stamp}, frozenset({str(tmp_path / "b.md")}), frozenset({"front:b"}))
    found = unchanged.for_page("/en/schedule/").earlier
    assert list(found) == [key] and found[key].value == "<p>a</p>" and found[key].reads.facts == {"front:a"}
    by_fact = FragmentStore(tmp_path, "stamp-2", {"/en/schedule/": stamp}, frozenset(), frozenset({"front:a"}))
    by_file = FragmentStore(tmp_path, "stamp-2", {"/en/schedule/": stamp}, frozenset({fragments_module.normal_path(source)}), frozenset())
    assert by_fact.for_page("/en/schedule/").earlier == {}
    assert by_file.for_page("/en/schedule/").earlier == {}


def test_fragments_are_not_trusted_from_another_build_a_template_change_or_a_damaged_file(tmp_path: Path) -> None:
    store, stamp = saved_store(tmp_path, Reads())
    assert FragmentStore(tmp_path, "new", {"/en/schedule/": "other-stamp"}).for_page("/en/schedule/").earlier == {}  # a failed build's file
    assert FragmentStore(tmp_path, "new", {}).for_page("/en/schedule/").earlier == {}  # the record names none
    assert FragmentStore(tmp_path, "new", {"/en/schedule/": stamp}, reusable=False).for_page("/en/schedule/").earlier == {}
    assert FragmentStore(tmp_path, "new", {"/en/schedule/": stamp}).for_page("/en/schedule/").earlier  # the good case
    file = store.file("/en/schedule/")
    good = file.read_bytes()
    key = ("macro", "card", ("session", "a"))
    damages = [
        b"", b"not a fragments file", good[: len(good) // 2],  # empty, stray, cut
        fragments_module.MAGIC + b"\xff\x00garbage",  # damaged after the header
        good[len(fragments_module.MAGIC):],  # no header: a file of another kind
        sealed(marshal.dumps({"a": 1})),
        sealed(marshal.dumps((99, stamp, "/en/schedule/", {}, "", ()))),  # another format
        sealed(marshal.dumps((fragments_module.FORMAT, stamp, "/en/other/", {}, "", ()))),  # another page's
        sealed(marshal.dumps((fragments_module.FORMAT, stamp, "/en/schedule/", {}))),  # the layout of format 4
        sealed(marshal.dumps((fragments_module.FORMAT, stamp, "/en/schedule/", {key: ("html", b"<p>a</p>")}, "", ()))),
        sealed(marshal.dumps((fragments_module.FORMAT, stamp, "/en/schedule/", {key: ("pdf", b"x", (), (), ())}, "", ()))),
        sealed(marshal.dumps((fragments_module.FORMAT, stamp, "/en/schedule/", {key: ("html", 7, (), (), ())}, "", ()))),
        sealed(marshal.dumps((fragments_module.FORMAT, stamp, "/en/schedule/", {key: ("html", "x", (), (), ())}, "", ()))),  # format 7's text
        sealed(marshal.dumps((fragments_module.FORMAT, stamp, "/en/schedule/", {key: ("html", b"x", 5, (), ())}, "", ()))),
        sealed(marshal.dumps((fragments_module.FORMAT, stamp, "/en/schedule/", {key: ("html", b"x", frozenset(), (), ())}, "", ()))),
        sealed(marshal.dumps((fragments_module.FORMAT, stamp, "/en/schedule/", {key: ("html", b"x", (), (), [])}, "", ()))),
        sealed(marshal.dumps((fragments_module.FORMAT, stamp, "/en/schedule/", {}, 5, ()))),  # no stamp of a full file
        sealed(marshal.dumps((fragments_module.FORMAT, stamp, "/en/schedule/", {}, "../x", ()))),
        sealed(marshal.dumps((fragments_module.FORMAT, stamp, "/en/schedule/", {}, stamp, [key]))),
        sealed(marshal.dumps((fragments_module.FORMAT, stamp, "/en/schedule/", {}, stamp, (key,)))),  # over itself
    ]
    for damage in damages:
        file.write_bytes(damage)
        assert FragmentStore(tmp_path, "new", {"/en/schedule/": stamp}).for_page("/en/schedule/").earlier == {}, damage[:60]
    # A text that is not UTF-8 is found when the part is asked for (texts are decoded only then): it is made again.
    file.write_bytes(sealed(marshal.dumps((fragments_module.FORMAT, stamp, "/en/schedule/", {key: ("html", b"\xff<p>", (), (), ())}, "", ()))))
    earlier = FragmentStore(tmp_path, "new", {"/en/schedule/": stamp}).for_page("/en/schedule/").earlier
    assert earlier.get(key) is None and key not in earlier


def sealed(payload: bytes) -> bytes:
    """A fragments file around ``payload`` with a good digest: only the checks behind the digest can refuse it."""
    return seal(fragments_module.MAGIC, payload)


def test_one_changed_byte_anywhere_in_a_fragments_file_is_an_empty_store_not_a_crash(tmp_path: Path) -> None:
    """marshal may crash the interpreter on a damaged back-reference (found by review: a segmentation
    fault in every later rebuild); the file's digest is checked before marshal reads a byte."""
    reads = Reads(frozenset({tmp_path / "a.md"}), frozenset({"front:a", "languages:session:a"}))
    values = {("macro", "card", ("session", "a")): Markup("<p>a &amp; b</p>"), ("ics", "a"): "0" * 64 + "BEGIN:VEVENT"}
    FragmentStore(tmp_path, "s1").save("/en/x/", PageFragments(now={key: Fragment(value, reads) for key, value in values.items()}))
    file = FragmentStore(tmp_path, "s1").file("/en/x/")
    good = file.read_bytes()
    assert set(FragmentStore(tmp_path, "s2", {"/en/x/": "s1"}).for_page("/en/x/").earlier) == set(values)
    back_reference = good.index(b"r\t\x00\x00\x00")  # marshal's TYPE_REF to its 10th object: pointed elsewhere, it crashed
    changed = [(back_reference + 1, 0x0F), *((position, good[position] ^ 0x01) for position in range(len(good)))]
    for position, byte in changed:
        file.write_bytes(good[:position] + bytes([byte]) + good[position + 1:])
        assert FragmentStore(tmp_path, "s2", {"/en/x/": "s1"}).for_page("/en/x/").earlier == {}, position


def test_each_kind_of_kept_value_comes_back_as_it_was_and_others_are_not_kept(tmp_path: Path) -> None:
    from eventsite.structured import JSONRun, JSONText

    source = tmp_path / "a.md"
    reads = Reads(frozenset({source}), frozenset({"front:a", "languages:session:a"}))
    values = {
        ("macro", "card", ("session", "a"), 3, None, True, 1.5): Markup("<p>a &amp; b</p>"),
        ("json-ld", "a"): JSONText('{"name": "Ünïcode ✓"}'),
        ("json-ld", "day", "2019-11-25", "a", "b"): JSONRun('{"name": "a"}, {"name": "b"}'),
        ("text", "a"): "0123abcd",
        ("text", "scripts"): "ကုန်သွယ်ရေး ការច្នៃប្រឌិត นวัตกรรม 혁신",  # kept as UTF-8, decoded when taken
        ("text", "surrogate"): "a \ud800 b",  # no UTF-8 for it: not kept (the page cannot be written either)
        ("ics", "a"): "0123abcd BEGIN:VEVENT\r\nSUMMARY:ÜÑ ✓\r\n".encode("utf-8"),  # bytes stay bytes, never decoded
        ("other", "a"): ["not", "text"],  # a value of another kind: used on this rendering, made again on the next
    }
    store = FragmentStore(tmp_path, "stamp-1")
    assert store.save("/en/schedule/", PageFragments(now={key: Fragment(value, reads) for key, value in values.items()})) == "stamp-1"
    found = FragmentStore(tmp_path, "stamp-2", {"/en/schedule/": "stamp-1"}).for_page("/en/schedule/").earlier
    assert set(found) == set(values) - {("other", "a"), ("text", "surrogate")}
    for key, fragment in found.items():
        assert type(fragment.value) is type(values[key]) and fragment.value == values[key]
        assert fragment.reads.facts == reads.facts
        assert fragment.reads.sources == {Path(fragments_module.normal_path(source))}


def test_a_page_with_nothing_kept_saves_no_file(tmp_path: Path) -> None:
    store = FragmentStore(tmp_path, "stamp")
    assert store.save("/en/", PageFragments()) == ""
    assert not any(tmp_path.iterdir())



def page_parts(tmp_path: Path, count: int) -> tuple[dict[tuple, Fragment], list[Path]]:
    """``count`` cards, each having read its own file."""
    sources = [tmp_path / f"s{number}.md" for number in range(count)]
    made = {("macro", "card", ("session", f"s{number}")): Fragment(Markup(f"<p>{number}</p>" + "x" * 200), Reads(frozenset({source})))
            for number, source in enumerate(sources)}
    return made, sources


def stored_parts(store: FragmentStore, url: str) -> tuple[dict, str, tuple]:
    """What the file of ``store``'s build holds: its own parts, the full file they go over, the keys taken from it."""
    _, _, _, entries, over, taken = marshal.loads(fragments_module.unseal(fragments_module.MAGIC, store.file(url).read_bytes()))
    return entries, over, taken


def rendered_again(store: FragmentStore, url: str, remade: dict[tuple, Fragment]) -> PageFragments:
    """A rendering that takes every part still fresh and makes ``remade`` again, as keep() does."""
    page = store.for_page(url)
    for key, found in page.earlier.items():
        page.now[key] = found
    page.now.update(remade)
    return page


def test_a_page_that_takes_most_parts_again_writes_only_the_others_over_its_full_file(tmp_path: Path) -> None:
    url = "/en/schedule/"
    made, sources = page_parts(tmp_path, 8)
    keys = list(made)
    assert FragmentStore(tmp_path, "s1").save(url, PageFragments(now=dict(made))) == "s1"
    assert stored_parts(FragmentStore(tmp_path, "s1"), url)[1:] == ("", ())  # the first file is a full one

    changed = {keys[3]: Fragment(Markup("<p>moved</p>"), Reads(frozenset({sources[3]})))}
    second = FragmentStore(tmp_path, "s2", {url: "s1"}, frozenset({fragments_module.normal_path(sources[3])}))
    page = rendered_again(second, url, changed)
    assert len(page.earlier) == 7 and page.base == "s1"
    assert second.save(url, page) == "s2"
    entries, over, taken = stored_parts(second, url)
    assert list(entries) == [keys[3]] and over == "s1" and set(taken) == set(keys) - {keys[3]}
    assert FragmentStore(tmp_path, "s1").file(url).is_file()  # kept: the new file goes over it

    third = FragmentStore(tmp_path, "s3", {url: "s2"})
    found = third.for_page(url)
    assert set(found.earlier) == set(keys) and found.base == "s1"
    assert found.earlier[keys[3]].value == "<p>moved</p>" and found.earlier[keys[0]].value == made[keys[0]].value
    assert found.earlier[keys[5]].reads.sources == {Path(fragments_module.normal_path(sources[5]))}
    assert third.save(url, rendered_again(third, url, {})) == "s3"
    entries, over, taken = stored_parts(third, url)
    assert list(entries) == [keys[3]] and over == "s1"  # the part from the second build is listed again
    names = sorted(path.name.rsplit("-", 1)[1] for path in tmp_path.rglob("*.fragments"))
    assert names == ["s1.fragments", "s3.fragments"]  # the second build's file is gone: no record names it now
    assert set(FragmentStore(tmp_path, "s4", {url: "s3"}).for_page(url).earlier) == set(keys)


def test_a_page_with_many_new_parts_writes_a_full_file_and_drops_the_older_ones(tmp_path: Path) -> None:
    url = "/en/schedule/"
    made, sources = page_parts(tmp_path, 8)
    keys = list(made)
    FragmentStore(tmp_path, "s1").save(url, PageFragments(now=dict(made)))
    stale = frozenset(fragments_module.normal_path(source) for source in sources[:3])
    second = FragmentStore(tmp_path, "s2", {url: "s1"}, stale)
    remade = {key: Fragment(Markup(f"<p>new {key[2][1]}</p>"), made[key].reads) for key in keys[:3]}
    assert second.save(url, rendered_again(second, url, remade)) == "s2"
    entries, over, taken = stored_parts(second, url)
    assert set(entries) == set(keys) and over == "" and taken == ()
    assert [path.name.rsplit("-", 1)[1] for path in tmp_path.rglob("*.fragments")] == ["s2.fragments"]
    found = FragmentStore(tmp_path, "s3", {url: "s2"}).for_page(url).earlier
    assert found[keys[0]].value == "<p>new s0</p>" and found[keys[7]].value == made[keys[7]].value


def test_parts_over_a_full_file_that_is_gone_damaged_or_not_full_are_not_trusted(tmp_path: Path) -> None:
    url = "/en/schedule/"
    made, sources = page_parts(tmp_path, 8)
    keys = list(made)
    FragmentStore(tmp_path, "s1").save(url, PageFragments(now=dict(made)))
    second = FragmentStore(tmp_path, "s2", {url: "s1"}, frozenset({fragments_module.normal_path(sources[0])}))
    second.save(url, rendered_again(second, url, {keys[0]: made[keys[0]]}))
    assert stored_parts(second, url)[1] == "s1"
    full = FragmentStore(tmp_path, "s1").file(url)
    good = full.read_bytes()
    assert len(FragmentStore(tmp_path, "s3", {url: "s2"}).for_page(url).earlier) == 8

    full.write_bytes(good[:-1] + bytes([good[-1] ^ 1]))  # damaged
    assert FragmentStore(tmp_path, "s3", {url: "s2"}).for_page(url).earlier == {}
    full.unlink()  # gone
    assert FragmentStore(tmp_path, "s3", {url: "s2"}).for_page(url).earlier == {}

    # A file naming as its full file one that lists parts over another (though it has them all): one step only.
    _, _, _, entries, _, _ = marshal.loads(fragments_module.unseal(fragments_module.MAGIC, good))
    over_over = seal(fragments_module.MAGIC, marshal.dumps((fragments_module.FORMAT, "s1", url, entries, "s0", ())))
    full.write_bytes(over_over)
    assert FragmentStore(tmp_path, "s3", {url: "s2"}).for_page(url).earlier == {}
    # A stamp that is not a file name's part is never opened.
    assert FragmentStore(tmp_path, "s3", {url: "../s1"}).for_page(url).earlier == {}


# --- keep(): reuse, records, parts that report problems ------------------------------------


class FakePage:
    def __init__(self, fragments: PageFragments | None, recorder: Recorder | None = None) -> None:
        self.fragments = fragments
        self.recorder = recorder or Recorder()
        self.problems: list[Problem] = []
        self.claims: list = []


def test_keep_reuses_a_kept_value_and_records_what_it_read() -> None:
    reads = Reads(frozenset({Path("/s/a.md")}), frozenset({"front:a"}))
    page = FakePage(PageFragments(earlier={("k",): Fragment("kept", reads)}))
    assert keep(page, ("k",), lambda: pytest.fail("made again")) == "kept"  # type: ignore[arg-type]
    assert page.recorder.facts == {"front:a"} and page.recorder.sources == {Path("/s/a.md")}
    assert page.fragments is not None and page.fragments.now[("k",)].value == "kept" and page.fragments.reused == 1


def test_a_part_made_of_kept_parts_carries_them_while_it_is_taken_whole(tmp_path: Path) -> None:
    """A day's part holds its items' parts: taken whole, it takes them along into the page's file, so that
    when one item changes later, the day is made again from the other items' kept parts."""
    sources = {item: tmp_path / f"{item}.md" for item in "abc"}
    made: list[str] = []

    def render(page: FakePage) -> str:
        def item(name: str) -> str:
            def make() -> str:
                made.append(name)
                page.recorder.record(sources[name])
                return f"<li>{name}</li>"
            return keep(page, ("item", name), make)  # type: ignore[arg-type]
        return keep(page, ("day", "a", "b", "c"), lambda: "".join(item(name) for name in "abc"))  # type: ignore[arg-type]

    def rendering(stamp: str, before: str, changed: set[Path]) -> tuple[str, FakePage]:
        store = FragmentStore(tmp_path / "kept", stamp, {"/en/": before} if before else {},
                              frozenset(fragments_module.normal_path(path) for path in changed))
        page = FakePage(store.for_page("/en/"))
        assert page.fragments is not None
        html = render(page)
        assert store.save("/en/", page.fragments) == stamp
        return html, page

    first, page = rendering("s1", "", set())
    assert first == "<li>a</li><li>b</li><li>c</li>" and made == ["a", "b", "c"]
    assert page.fragments is not None and page.fragments.now[("day", "a", "b", "c")].inner == (("item", "a"), ("item", "b"), ("item", "c"))
    made.clear()
    second, page = rendering("s2", "s1", set())  # the day is taken whole, its items with it
    assert second == first and made == [] and page.fragments is not None and page.fragments.reused == 1
    assert set(page.fragments.now) == {("day", "a", "b", "c")}
    assert page.fragments.carried == {("item", "a"), ("item", "b"), ("item", "c")}  # kept again, not made into parts
    third, page = rendering("s3", "s2", {sources["b"]})  # b changed: the day is made again, a and c taken
    assert third == first and made == ["b"] and page.fragments is not None and page.fragments.reused == 2
    assert page.recorder.sources == set(sources.values())


def test_the_dev_servers_kept_parts_carry_inner_parts_too(tmp_path: Path) -> None:
    """In memory (MemoryFragments) as on disk: a day taken whole keeps its items for the update that remakes it."""
    from eventsite.fragments import MemoryFragments

    sources = {item: tmp_path / f"{item}.md" for item in "ab"}
    made: list[str] = []
    kept = MemoryFragments()

    def update(changed: set[Path]) -> str:
        kept.begin(frozenset(changed), frozenset(), reusable=True)
        page = FakePage(kept.for_page("/en/"))

        def item(name: str) -> str:
            def make() -> str:
                made.append(name)
                page.recorder.record(sources[name])
                return name
            return keep(page, ("item", name), make)  # type: ignore[arg-type]

        value = keep(page, ("day", "a", "b"), lambda: item("a") + item("b"))  # type: ignore[arg-type]
        assert page.fragments is not None
        kept.save("/en/", page.fragments)
        kept.commit(["/en/"])
        return value

    assert update(set()) == "ab" and made == ["a", "b"]
    assert update(set()) == "ab" and made == ["a", "b"]  # the day taken whole
    assert set(kept.pages["/en/"]) == {("day", "a", "b"), ("item", "a"), ("item", "b")}
    assert update({sources["a"]}) == "ab" and made == ["a", "b", "a"]  # b taken from the carried parts


def test_keep_makes_a_missing_value_and_keeps_it_with_its_reads() -> None:
    page = FakePage(PageFragments())

    def make() -> str:
        page.recorder.record_fact("front:b")
        return "made"

    assert keep(page, ("k",), make) == "made"  # type: ignore[arg-type]
    assert page.fragments is not None and page.fragments.now[("k",)].reads.facts == {"front:b"}


def test_a_part_that_reports_a_problem_is_not_kept() -> None:
    page = FakePage(PageFragments())

    def make() -> str:
        page.problems.append(Problem("content/a.md", 3, "unknown link"))
        return "made"

    assert keep(page, ("k",), make) == "made"  # type: ignore[arg-type]
    assert page.fragments is not None and page.fragments.now == {}


def test_without_a_store_or_a_record_keep_only_makes() -> None:
    for page in (FakePage(None), FakePage(PageFragments(earlier={("k",): Fragment("old", Reads())}), NullRecorder())):
        assert keep(page, ("k",), lambda: "new") == "new"  # type: ignore[arg-type]


def test_a_markup_argument_names_its_own_fragment_and_the_page_is_still_saved(tmp_path: Path) -> None:
    """Markup is a str: as a key it was kept as such, which marshal cannot write, and every fragment of
    the page was dropped when it was saved (found by review)."""

    class Macro:
        name = "line"

        def __call__(self, text: str) -> str:
            return f"<li>{escape(text)}</li>"

    page = FakePage(PageFragments())
    made = [keep_macro(page, None, Macro(), text) for text in ("<b>", Markup("<b>"))]  # type: ignore[arg-type]
    assert made == ["<li>&lt;b&gt;</li>", "<li><b></li>"]  # two parts: the same text, escaped or not
    assert page.fragments is not None and len(page.fragments.now) == 2
    store = FragmentStore(tmp_path, "s1")
    assert store.save("/en/", page.fragments) == "s1"
    kept = FragmentStore(tmp_path, "s2", {"/en/": "s1"}).for_page("/en/").earlier
    assert sorted(str(fragment.value) for fragment in kept.values()) == sorted(made)


def test_keep_in_a_template_refuses_an_argument_that_cannot_name_a_fragment(tmp_path: Path, capsys) -> None:
    space = Workspace(tmp_path)
    schedule = space.templates / "schedule.html"
    schedule.write_text(schedule.read_text(encoding="utf-8").replace("keep(room_grid, day)", "keep(room_grid, day.date)"), encoding="utf-8")
    code, _, err = space.build(capsys)
    assert code == 1
    assert "schedule.html:" in err and "cannot name a kept fragment" in err


# --- end to end: command-line rebuilds ------------------------------------------------------


def programme_times(output: Path) -> dict[str, str]:
    page = lxml_html.fromstring((output / "en" / "schedule" / "index.html").read_bytes())
    return {article.get("id"): article.get("data-start") for article in page.xpath("//article[@data-start]")}


def test_moving_one_item_reuses_the_other_cards_and_matches_a_full_build(tmp_path: Path, capsys, monkeypatch) -> None:
    space = Workspace(tmp_path)
    space.build(capsys)
    counts = count_kept(monkeypatch)
    apply(space.content / "sessions" / "talk.md", session_text("Talk", 6, 16, speakers="[]", room="hall-b"))
    code, out, err = space.build(capsys, "--workers", "1")  # in this process, where keep is counted
    assert code == 0 and out.startswith("updated "), err
    assert programme_times(space.output)["session-talk"].startswith("2019-11-26T16:00")
    assert counts["reused"], "no kept fragment was reused"
    assert counts["made"], "the moved item's card was not made again"
    space.assert_same_as_a_full_build()


def test_a_moved_item_makes_again_only_the_room_grid_of_its_day(tmp_path: Path, capsys, monkeypatch) -> None:
    space = Workspace(tmp_path)
    sessions = space.content / "sessions"
    apply(sessions / "beside-opening.md", session_text("Beside the opening", 5, 9, speakers="[]", room="hall-b"))
    apply(sessions / "beside-talk.md", session_text("Beside the talk", 6, 14, speakers="[]", room="hall-a"))
    apply(sessions / "talk.md", session_text("Talk", 6, 14, speakers="[]", room="hall-b"))
    code, _, err = space.build(capsys)
    assert code == 0, err
    calls = kept_calls(monkeypatch, fragments_module)

    def grids() -> list[tuple[str, bool]]:  # (day, taken from the last build) on the English programme
        return [(key[2][1], taken) for url, key, taken in calls if key[:2] == ("macro", "room_grid") and url == "/en/schedule/"]

    later = session_text("Beside the talk", 6, 14, speakers="[]", room="hall-a").replace("14:00", "14:15").replace("14:45", "15:00")
    apply(sessions / "beside-talk.md", later)  # a quarter of an hour later, still beside the talk
    code, out, err = space.build(capsys, "--workers", "1")
    assert code == 0 and out.startswith("updated "), err
    assert dict(grids()) == {"2019-11-25": True, "2019-11-26": False}, grids()
    page = lxml_html.fromstring((space.output / "en" / "schedule" / "index.html").read_bytes())
    moved = page.xpath('//section[@id="day-2019-11-26"]//table[@class="room-grid"]//td[a[contains(., "Beside the talk")]]//span[@class="grid-time"]')
    assert [cell.text_content() for cell in moved] == ["2:15\u2009\u2013\u20093:00\u202fPM"]
    space.assert_same_as_a_full_build()

    # Moved to the other day: both days group other items now, and both grids are made again.
    calls.clear()
    apply(sessions / "beside-talk.md", session_text("Beside the talk", 5, 9, speakers="[]", room="hall-a"))
    code, out, err = space.build(capsys, "--workers", "1")
    assert code == 0, err
    assert sorted(grids()) == [("2019-11-25", False), ("2019-11-26", False)], grids()
    space.assert_same_as_a_full_build()


def test_the_programme_exports_keep_each_description_and_make_the_edited_one_again(tmp_path: Path, capsys, monkeypatch) -> None:
    space = Workspace(tmp_path)
    code, _, err = space.build(capsys)
    assert code == 0, err
    calls = kept_calls(monkeypatch, formats)
    talk = space.content / "sessions" / "talk.md"
    apply(talk, talk.read_text(encoding="utf-8").replace("Traffic.", "A new body for the talk."))
    code, out, err = space.build(capsys, "--workers", "1")
    assert code == 0 and out.startswith("updated "), err
    descriptions = [(key[1], taken) for _, key, taken in calls if key[0] == "description"]  # (item, taken from the last build)
    taken = dict(descriptions)
    assert taken["talk"] is False and taken["opening"] is True, descriptions
    assert len(descriptions) == len(taken), "the second export made the schedule again"
    xml = lxml_html.fromstring((space.output / "schedule.xml").read_bytes())
    assert any("A new body for the talk." in (text or "") for text in xml.xpath("//description/text()"))
    space.assert_same_as_a_full_build()


def kept_calls(monkeypatch, module) -> list[tuple[str, tuple, bool]]:
    """Every ``keep`` call made through ``module`` (builds run with --workers 1, in this process):
    (the page's URL, the part's key, whether it was taken from the last build)."""
    calls: list[tuple[str, tuple, bool]] = []
    original = module.keep

    def counting(page, key, make, views=()):
        fragments = page.fragments
        before = fragments.reused if fragments is not None else 0
        value = original(page, key, make, views)
        calls.append((page.route.url, key, fragments is not None and fragments.reused > before))
        return value

    monkeypatch.setattr(module, "keep", counting)
    return calls


def count_kept(monkeypatch) -> dict[str, list[int]]:
    """Fragments taken from the last build and made anew (builds run with --workers 1, in this process)."""
    counts: dict[str, list[int]] = {"reused": [], "made": []}
    original = fragments_module.keep

    def counting(page, key, make, views=()):
        fragments = page.fragments
        before = fragments.reused if fragments is not None else 0
        value = original(page, key, make, views)
        counts["reused" if fragments is not None and fragments.reused > before else "made"].append(1)
        return value

    monkeypatch.setattr(fragments_module, "keep", counting)
    return counts


def test_a_full_build_after_the_output_was_deleted_takes_the_kept_parts_that_are_still_true(tmp_path: Path, capsys, monkeypatch) -> None:
    space = Workspace(tmp_path)
    code, _, err = space.build(capsys)
    assert code == 0, err
    shutil.rmtree(space.output)
    apply(space.content / "sessions" / "talk.md", session_text("Talk", 6, 16, speakers="[]", room="hall-b"))
    counts = count_kept(monkeypatch)
    code, out, err = space.build(capsys, "--workers", "1")
    assert code == 0 and "full build: site/ is empty or missing" in out, out + err
    assert counts["reused"], "no kept fragment was taken"
    assert counts["made"], "the moved item's parts were not made again"
    assert programme_times(space.output)["session-talk"].startswith("2019-11-26T16:00")
    space.assert_same_as_a_full_build()


@pytest.mark.parametrize("change", ["site.yaml", "template"])
def test_a_full_build_after_the_output_was_deleted_takes_no_part_once_site_yaml_or_a_template_changed(
    tmp_path: Path, capsys, monkeypatch, change: str
) -> None:
    space = Workspace(tmp_path)
    code, _, err = space.build(capsys)
    assert code == 0, err
    shutil.rmtree(space.output)
    if change == "site.yaml":  # what site.yaml says is not in a fragment's record
        site_yaml = space.content / "site.yaml"
        site_yaml.write_text(site_yaml.read_text(encoding="utf-8").replace("hall-b: {name: Hall B}", "hall-b: {name: Hall C}"), encoding="utf-8")
    else:  # nor are the templates
        macros = space.templates / "_macros.html"
        macros.write_text(macros.read_text(encoding="utf-8").replace('<span class="room">', '<span class="room venue-room">'), encoding="utf-8")
    counts = count_kept(monkeypatch)
    code, out, err = space.build(capsys, "--workers", "1")
    assert code == 0, out + err
    assert counts["made"] and not counts["reused"], counts
    schedule = (space.output / "en" / "schedule" / "index.html").read_text(encoding="utf-8")
    assert ("Hall C" in schedule) if change == "site.yaml" else ('class="room venue-room"' in schedule)
    space.assert_same_as_a_full_build()


def calendar_cache_entries(root: Path) -> dict[Path, bytes]:
    """The programme calendars' cache entries (formats/ics.py _EventBlocks): JSON objects of VEVENT lines, more than one
    (an item's own calendar has one event, made again whenever the item changes)."""
    return {path: path.read_bytes() for path in (root / ".cache").rglob("*.json") if path.read_bytes().count(b'"BEGIN:VEVENT') > 1}


def test_a_rebuild_takes_kept_events_with_their_lines_and_leaves_the_calendars_cache_entry(tmp_path: Path, capsys) -> None:
    space = Workspace(tmp_path)
    space.build(capsys)
    entries = calendar_cache_entries(tmp_path)
    assert entries, "a full build keeps each programme calendar's events"
    apply(space.content / "sessions" / "talk.md", session_text("Talk", 6, 16, speakers="[]", room="hall-b"))
    code, out, err = space.build(capsys)
    assert code == 0 and out.startswith("updated "), err
    calendar = (space.output / "en" / "schedule.ics").read_text(encoding="utf-8")
    assert "DTSTART;TZID=Asia/Seoul:20191126T160000" in calendar
    space.assert_same_as_a_full_build()
    assert calendar_cache_entries(tmp_path) == entries  # neither read nor written: the kept events carry their lines
    # A build that makes every event again, with that (now lagging) entry: the moved event is made, the rest found.
    # Without the saved state (a build after the output alone was deleted would take the kept events).
    shutil.rmtree(space.output)
    states = list((tmp_path / ".cache").rglob("*.state"))
    assert states
    for state in states:
        state.unlink()
    code, out, err = space.build(capsys)
    assert code == 0 and out.startswith("wrote "), out
    space.assert_same_as_a_full_build()
    assert calendar_cache_entries(tmp_path) != entries  # brought up to date


def test_a_failed_rebuild_leaves_no_fragment_the_next_one_trusts(tmp_path: Path, capsys) -> None:
    """A broken edit renders (and saves fragments for) pages, then fails: the state keeps the old stamps."""
    space = Workspace(tmp_path)
    space.build(capsys)
    minister, about = space.content / "people" / "minister.md", space.content / "pages" / "about.md"
    originals = {minister: minister.read_text(encoding="utf-8"), about: about.read_text(encoding="utf-8")}
    apply(minister, "---\nname: Minister Renamed\ncountry: KR\n---\nBio.\n")
    apply(about, "---\ntitle: About\n---\n[broken](/nowhere/)\n")
    code, _, err = space.build(capsys)
    assert code == 1, err
    assert any(b"Renamed" in file.read_bytes() for file in (tmp_path / ".cache").rglob("*.fragments"))  # its cards were kept
    for path, text in originals.items():  # both back as the last good build saw them
        apply(path, text)
    # Another item moves, so the programme renders again: the failed build's cards must not come back.
    apply(space.content / "sessions" / "talk.md", session_text("Talk", 6, 16, speakers="[]", room="hall-b"))
    code, out, err = space.build(capsys)
    assert code == 0, err
    assert "Minister Renamed" not in (space.output / "en" / "schedule" / "index.html").read_text(encoding="utf-8")
    space.assert_same_as_a_full_build()


@pytest.mark.parametrize("seed", range(3, 6))
def test_random_programme_edits_with_kept_fragments_match_full_builds(tmp_path: Path, capsys, seed: int) -> None:
    """Times, rooms, speakers and their names, translations: the edits that reach kept cards and nodes."""
    space = Workspace(tmp_path)
    space.build(capsys)
    rng = random.Random(seed)
    programme_edits = [EDITS[index] for index in (0, 1, 2, 3, 4, 5, 6, 7, 8, 9)]
    for step in range(8):
        path, text = rng.choice(programme_edits)(space.content, rng)
        apply(path, text)
        code, out, err = space.build(capsys)
        assert code == 0, err
        space.assert_same_as_a_full_build(f"seed {seed}, step {step}: {path.name}\n{out}")


def test_paths_are_resolved_afresh_for_each_build(tmp_path: Path) -> None:
    """Two builds in one process: a folder that is a link may point elsewhere by the second (found by review)."""
    first, second, link = tmp_path / "first", tmp_path / "second", tmp_path / "content"
    first.mkdir()
    second.mkdir()
    link.symlink_to(first)
    assert fragments_module.normal_path(link / "a.md") == str(first.resolve() / "a.md")
    link.unlink()
    link.symlink_to(second)
    fragments_module.forget_resolved_paths()  # as rebuild.build_with_state does first
    assert fragments_module.normal_path(link / "new.md") == str(second.resolve() / "new.md")
    assert fragments_module.normal_path(link / "a.md") == str(second.resolve() / "a.md")


# --- parts shared by the pages of a folder (keep_shared) ---------------------------------


def count_shared(monkeypatch) -> Counter:
    """How many shared parts of each macro were made and how many taken from another page (with --workers 1)."""
    counts: Counter = Counter()
    original = fragments_module.SharedParts.keep

    def counting(self, page, macro, arguments):
        before = self.reused
        value = original(self, page, macro, arguments)
        counts[macro.name, "reused" if self.reused > before else "made"] += 1
        return value

    monkeypatch.setattr(fragments_module.SharedParts, "keep", counting)
    return counts


def country_page(output: Path, lang: str, code: str):
    return lxml_html.fromstring((output / lang / "countries" / code / "index.html").read_bytes())


def test_country_pages_share_session_cards_with_the_bytes_of_cards_made_on_each_page(tmp_path: Path, capsys, monkeypatch) -> None:
    """The talk (Thailand, Norway) is on two country pages per language: made on one, taken on the other."""
    shared = Workspace(tmp_path / "shared")
    counts = count_shared(monkeypatch)
    code, _, err = shared.build(capsys, "--workers", "1", "--no-cache")
    assert code == 0, err
    assert counts["session_item", "reused"] >= 3, counts  # the talk's card in en, ko and th
    each = Workspace(tmp_path / "each")
    country = each.templates / "country.html"
    source = country.read_text(encoding="utf-8")
    assert "keep_shared(session_item, session)" in source
    country.write_text(source.replace("keep_shared(session_item, session)", "keep(session_item, session)"), encoding="utf-8")
    code, _, err = each.build(capsys, "--workers", "1", "--no-cache")
    assert code == 0, err
    assert snapshot(shared.output) == snapshot(each.output)
    for code in ("th", "no"):
        titles = country_page(shared.output, "en", code).xpath("//article[@id='session-talk']//a/@href")
        assert titles[0] == "../../sessions/talk/"


def add_to_country_page(space: Workspace, macro: str, call: str) -> None:
    country = space.templates / "country.html"
    source = country.read_text(encoding="utf-8")
    source = source.replace('{% block main %}', '{% block main %}\n' + macro + '\n' + call, 1)
    country.write_text(source, encoding="utf-8")


def test_a_shared_part_linking_into_its_pages_own_folder_is_made_again_where_the_link_differs(tmp_path: Path, capsys, monkeypatch) -> None:
    space = Workspace(tmp_path)
    add_to_country_page(
        space,
        '{% macro to_thailand() %}<a class="to-th" href="{{ links.to(\'country\', \'th\') }}">TH</a>{% endmacro %}',
        "{{ keep_shared(to_thailand) }}",
    )
    counts = count_shared(monkeypatch)
    code, _, err = space.build(capsys, "--workers", "1")
    assert code == 0, err
    links = {code: country_page(space.output, "en", code).xpath("//a[@class='to-th']/@href") for code in ("kr", "th", "no")}
    assert links == {"kr": ["../th/"], "th": ["./"], "no": ["../th/"]}
    assert counts["to_thailand", "reused"] == 3, counts  # kr and no make the same link (en, ko, th): one took it from the other
    assert counts["to_thailand", "made"] == 6, counts


def test_a_shared_part_that_shows_a_body_is_made_on_every_page(tmp_path: Path, capsys, monkeypatch) -> None:
    """A body's links are made for its page's URL, and may come from the cache untraced: never shared."""
    space = Workspace(tmp_path, {"sessions/talk.md": session_text("Talk", 6, 14, speakers="[]", room="hall-b").replace(
        "[About](/about/)", "[Thailand](/countries/th/)").replace("kind: plenary", "kind: plenary\ncountries: [TH, NO]")})
    add_to_country_page(space, "{% macro talk_body(session) %}<div class=\"talk-body\">{{ session.body }}</div>{% endmacro %}",
                        "{% for session in country.sessions %}{{ keep_shared(talk_body, session) }}{% endfor %}")
    counts = count_shared(monkeypatch)
    code, _, err = space.build(capsys, "--workers", "1")
    assert code == 0, err
    for lang in ("en", "ko", "th"):  # ko and th convert the body as en did, from the conversions' cache
        links = {code: country_page(space.output, lang, code).xpath("//div[@class='talk-body']//a/@href") for code in ("th", "no")}
        assert links == {"th": ["./"], "no": ["../th/"]}, lang
    # The talk on th and no, the opening on kr, in three languages: each made on its page.
    assert counts["talk_body", "made"] == 9 and not counts["talk_body", "reused"], counts
    assert counts["session_item", "reused"] >= 3, counts  # the cards beside them still are


def test_a_page_that_took_a_shared_part_is_stale_when_what_the_part_read_changes(tmp_path: Path, capsys) -> None:
    space = Workspace(tmp_path)
    code, _, err = space.build(capsys, "--workers", "1")
    assert code == 0, err
    talk = space.content / "sessions" / "talk.md"
    apply(talk, talk.read_text(encoding="utf-8").replace("Talk on smart traffic", "Talk on smart buses"))
    code, out, err = space.build(capsys, "--workers", "1")
    assert code == 0 and out.startswith("updated "), err
    for code in ("th", "no"):
        titles = country_page(space.output, "en", code).xpath("//article[@id='session-talk']//a/text()")
        assert "Talk on smart buses" in titles, code
    space.assert_same_as_a_full_build()


class SharingPage(FakePage):
    """A page at ``url`` with the links and route a shared part looks at."""

    def __init__(self, url: str, lang: str = "en", kind: str = "country") -> None:
        from types import SimpleNamespace

        from eventsite.links import LinkTrace
        from eventsite.paths import relative_url

        super().__init__(PageFragments())
        self.lang = lang
        self.route = SimpleNamespace(url=url, kind=SimpleNamespace(name=kind))
        page = self

        class Links:
            trace: LinkTrace | None = None

            def url(self, target: str) -> str:
                link = relative_url(page.route.url, target)
                if self.trace is not None:
                    self.trace.links.append((target, link))
                return link

        self.links = Links()


class CardMacro:
    """A macro as Jinja gives it: called with its arguments alone, on the page it was rendered for."""

    name = "card"

    def __init__(self, page: SharingPage, calls: list[str]) -> None:
        self.page, self.calls = page, calls

    def __call__(self, person: str) -> str:
        page = self.page
        self.calls.append(page.route.url)
        page.recorder.record(Path(f"/people/{person}.md"))
        page.recorder.record_fact(f"route:/en/people/{person}/")
        return f'<a href="{page.links.url(f"/en/people/{person}/")}">{person}</a>'


def test_a_part_taken_from_another_page_records_what_it_read_there() -> None:
    """The page that takes a part must be stale when what the part read changes, as if it had made it."""
    shared = fragments_module.SharedParts()
    calls: list[str] = []
    first, second = SharingPage("/en/countries/kr/"), SharingPage("/en/countries/th/")
    made = shared.keep(first, CardMacro(first, calls), ("ana",))  # type: ignore[arg-type]
    taken = shared.keep(second, CardMacro(second, calls), ("ana",))  # type: ignore[arg-type]
    assert made == taken == '<a href="../../people/ana/">ana</a>'
    assert calls == ["/en/countries/kr/"] and shared.reused == 1
    for page in (first, second):
        assert page.recorder.sources == {Path("/people/ana.md")} and page.recorder.facts == {"route:/en/people/ana/"}
        assert page.fragments is not None and page.fragments.now[("macro", "card", "ana")].value == made  # kept for the next build too


def test_a_part_is_not_taken_across_languages_folders_or_kinds() -> None:
    shared = fragments_module.SharedParts()
    calls: list[str] = []
    pages = (
        SharingPage("/en/countries/kr/"), SharingPage("/ko/countries/th/", "ko"), SharingPage("/en/speakers/ana/"),
        SharingPage("/en/countries/th/", kind="country-map"),
    )
    for page in pages:  # the same links from each (../../people/ana/), but another language, folder or kind
        shared.keep(page, CardMacro(page, calls), ("ana",))  # type: ignore[arg-type]
    assert shared.reused == 0 and len(calls) == 4


def test_a_listed_kinds_part_is_named_by_its_items_in_order() -> None:
    """The search page keeps each kind's list as one part (views.ListedViews): reordered or changed
    items name another part; its items' views are recorded again when it is kept."""
    from eventsite.fragments import _macro_key
    from eventsite.views import ListedViews

    class View(fragments_module.EntryView):  # type: ignore[misc]
        def __init__(self, ident: str) -> None:
            self._ident = ident

        @property
        def kind(self) -> str:
            return "session"

        @property
        def id(self) -> str:
            return self._ident

    class Macro:
        name = "search_items"

    first, second = View("a"), View("b")
    key, views = _macro_key(Macro(), (ListedViews("session", (first, second)),))
    assert key == ("macro", "search_items", ("listed", "session", ("session", "a"), ("session", "b")))
    assert views == (first, second)
    assert _macro_key(Macro(), (ListedViews("session", (second, first)),))[0] != key
    assert list(ListedViews("session", (first,))) == [first] and not ListedViews("session", ())
