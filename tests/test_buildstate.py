"""The saved state's records: numbers packed as bytes, found at a number's place, checked when read."""

from __future__ import annotations

import random

import pytest

from eventsite.buildstate import MAGIC, BuildState, PageRecord, holds_any, pack, unpack
from eventsite.cache import seal, unseal


def state_with(*records: PageRecord, paths: int = 3, facts: int = 2) -> BuildState:
    return BuildState(
        key="k", inputs={}, outputs={}, paths=[f"/content/{number}.md" for number in range(paths)],
        fact_names=[f"fact:{number}" for number in range(facts)], facts={},
        pages={f"/en/{number}/": record for number, record in enumerate(records)},
    )


def test_numbers_are_packed_sorted_and_come_back() -> None:
    numbers = [70_000, 3, 256, 0, 65_535, 2**32 - 1]
    assert unpack(pack(numbers)) == sorted(numbers)
    assert pack([]) == b"" and unpack(b"") == []
    assert len(pack(numbers)) == 4 * len(numbers)
    assert pack([1]) == b"\x01\x00\x00\x00"  # little-endian in the file, whatever the machine


def test_a_number_is_found_only_at_a_numbers_place() -> None:
    # 256 and 1 packed: 00 01 00 00 | 01 00 00 00: the bytes of 1 also occur one byte into 256's.
    packed = pack([256, 1])
    assert holds_any(packed, [pack([1])]) and holds_any(packed, [pack([256])])
    straddling = pack([0x01000000, 0])  # 00 00 00 01 | 00 00 00 00: 1's bytes start at offset 3, not a number's place
    assert not holds_any(straddling, [pack([1])])
    assert holds_any(straddling, [pack([5]), pack([0])])
    assert not holds_any(b"", [pack([0])]) and not holds_any(packed, [])


def test_holds_any_agrees_with_sets_of_numbers() -> None:
    generator = random.Random(19)
    for _ in range(500):
        numbers = generator.sample(range(1 << generator.choice([4, 9, 17, 31])), generator.randrange(0, 12))
        wanted = [generator.randrange(0, 1 << 17) for _ in range(generator.randrange(0, 4))]
        wanted += generator.sample(numbers, min(len(numbers), generator.randrange(0, 2)))
        assert holds_any(pack(numbers), [pack([number]) for number in wanted]) == (not set(numbers).isdisjoint(wanted))


def test_a_saved_state_reads_back() -> None:
    state = state_with(PageRecord("en/0/index.html", pack([2, 0]), pack([1])), PageRecord("en/1/index.html", b"", b""))
    again = BuildState.decode(state.encode())
    assert again == state
    assert unpack(again.pages["/en/0/"].sources) == [0, 2]


@pytest.mark.parametrize(("sources", "facts", "message"), [
    (pack([3]), b"", "a page reads an unknown file"),
    (b"", pack([0, 2]), "a page reads an unknown fact"),
    (pack([1])[:3], b"", "a page's files are not numbers"),
    ([0, 1], b"", "a page's files are not numbers"),  # the list of an earlier format
])
def test_a_record_with_numbers_out_of_range_or_not_packed_is_refused(sources: object, facts: bytes, message: str) -> None:
    state = state_with(PageRecord("en/0/index.html", sources, facts))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=message):
        BuildState.decode(state.encode())


@pytest.mark.parametrize("record", [
    ["en/0/index.html", b"", b"", [], [], ""],  # the list of format 5
    ("en/0/index.html", b"", b""),  # a field short: not filled in by default
    ("en/0/index.html", b"", b"", (), (), "", "more"),
])
def test_a_record_of_another_shape_is_refused(record: object) -> None:
    import marshal

    values = marshal.loads(unseal(MAGIC, state_with().encode()))
    values["pages"] = {"/en/0/": record}
    with pytest.raises(ValueError, match="a page's record of another shape"):
        BuildState.decode(seal(MAGIC, marshal.dumps(values)))


def test_a_state_of_the_last_format_is_refused() -> None:
    import marshal

    old = {"format": 5, "key": "k", "inputs": {}, "outputs": {}, "paths": [], "fact_names": [], "facts": {}, "pages": {}}
    with pytest.raises(ValueError, match="another format"):
        BuildState.decode(seal(MAGIC, marshal.dumps(old)))


@pytest.mark.parametrize("changed", [1, 5, 40])  # few numbers searched as bytes; many: each record's numbers as a list
def test_the_saved_index_finds_the_readers_of_changed_files_and_facts(changed: int) -> None:
    from pathlib import Path

    from eventsite.rebuild import SavedIndex

    generator = random.Random(changed)
    paths, facts = [f"/content/{number}.md" for number in range(300)], [f"fact:{number}" for number in range(300)]
    reads = {f"/en/{page}/": (set(generator.sample(range(300), 20)), set(generator.sample(range(300), 30))) for page in range(200)}
    state = BuildState(
        key="k", inputs={}, outputs={}, paths=paths, fact_names=facts, facts={},
        pages={url: PageRecord(f"en/{url}/index.html", pack(files), pack(read)) for url, (files, read) in reads.items()},
    )
    changed_files = set(generator.sample(range(300), changed))
    changed_facts = set(generator.sample(range(300), changed))
    expected = {url for url, (files, read) in reads.items() if files & changed_files or read & changed_facts}
    found = SavedIndex(state).readers({Path(paths[number]) for number in changed_files} | {Path("/content/unknown.md")},
                                      {facts[number] for number in changed_facts} | {"fact:unknown"})
    assert found == expected
