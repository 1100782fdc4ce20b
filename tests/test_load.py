"""load: what a content file *is* — encodings, file names, symlinks, media, and all problems at once."""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

import pytest

from eventsite import load
from eventsite.errors import BuildError, Problem
from eventsite.load import LoadCache, decode_text, load_content, split_front_matter

from .sitekit import SITE_YAML, write_site

SESSION = (
    "---\n"
    "title: Opening ceremony\n"
    "start: \"2019-11-25 09:00\"\n"
    "end: \"2019-11-25 10:00\"\n"
    "countries: [KR, NO]\n"
    "---\n"
    "Welcome.\n"
    "\n"
    "Second paragraph.\n"
)


def problems_of(content: Path) -> list[Problem]:
    with pytest.raises(BuildError) as caught:
        load_content(content)
    return caught.value.problems


def only_problem(content: Path, path: str) -> Problem:
    problems = problems_of(content)
    assert [p.path for p in problems] == [path], problems
    return problems[0]


def document(raw, display: str):
    (found,) = [d for d in raw.documents if d.display == display]
    return found


# --- the happy path ------------------------------------------------------------------


def test_base_fixture_loads_every_document(tmp_path: Path) -> None:
    raw = load_content(write_site(tmp_path))
    shown = sorted(d.display for d in raw.documents)
    assert shown == [
        "content/exhibits/five-g.md",
        "content/news/launch.md",
        "content/pages/about.md",
        "content/people/minister.md",
        "content/people/moderator.md",
        "content/sessions/opening.ko.md",
        "content/sessions/opening.md",
        "content/sessions/talk.md",
    ]
    assert raw.site.kind == "site" and raw.site.display == "content/site.yaml"
    assert raw.site.meta.data["countries"] == ["KR", "TH", "NO"]  # NO stays a string
    assert raw.media == []


def test_document_fields(tmp_path: Path) -> None:
    raw = load_content(write_site(tmp_path, {"sessions/x.md": SESSION}))
    doc = document(raw, "content/sessions/x.md")
    assert (doc.kind, doc.id, doc.lang) == ("session", "x", None)
    assert doc.meta.data["countries"] == ["KR", "NO"]
    assert doc.meta.locations[("title",)] == (2, 8)  # lines are those of the file
    assert doc.meta.locations[("countries", 1)] == (5, 17)
    assert doc.body == "Welcome.\n\nSecond paragraph.\n"
    assert doc.body_line == 7
    translation = document(raw, "content/sessions/opening.ko.md")
    assert (translation.kind, translation.id, translation.lang) == ("session", "opening", "ko")


def test_kinds_follow_folders(tmp_path: Path) -> None:
    raw = load_content(write_site(tmp_path))
    kinds = {d.display.split("/")[1]: d.kind for d in raw.documents}
    assert kinds == {"sessions": "session", "exhibits": "exhibit", "people": "person", "pages": "page", "news": "news"}


def test_missing_folders_are_fine(tmp_path: Path) -> None:
    content = write_site(tmp_path, {"site.yaml": SITE_YAML}, base=False)
    raw = load_content(content)
    assert raw.documents == [] and raw.media == []


def test_zh_hant_translation_name_is_accepted(tmp_path: Path) -> None:
    raw = load_content(write_site(tmp_path, {"pages/about.zh-Hant.md": "---\ntitle: 關於\n---\n"}))
    assert document(raw, "content/pages/about.zh-Hant.md").lang == "zh-Hant"


def test_sha_is_of_the_raw_bytes(tmp_path: Path) -> None:
    import hashlib

    data = SESSION.encode()
    raw = load_content(write_site(tmp_path, {"sessions/x.md": data}))
    assert document(raw, "content/sessions/x.md").sha == hashlib.sha256(data).hexdigest()


# --- encodings and line endings ----------------------------------------------------------


def comparable(doc) -> tuple:
    return (doc.kind, doc.id, doc.lang, doc.meta.data, doc.meta.locations, doc.body, doc.body_line)


@pytest.mark.parametrize(
    "variant",
    [
        lambda text: b"\xef\xbb\xbf" + text.encode(),
        lambda text: text.replace("\n", "\r\n").encode(),
        lambda text: b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode(),
        lambda text: text.replace("\n", "\r").encode(),
    ],
    ids=["bom", "crlf", "bom+crlf", "cr"],
)
def test_bom_and_crlf_give_the_same_document_as_lf(tmp_path: Path, variant) -> None:
    raw = load_content(write_site(tmp_path, {"sessions/plain.md": SESSION, "sessions/other.md": variant(SESSION)}))
    plain = document(raw, "content/sessions/plain.md")
    other = document(raw, "content/sessions/other.md")
    assert comparable(other)[3:] == comparable(plain)[3:]
    assert "\r" not in other.body and "\ufeff" not in other.body
    assert other.sha != plain.sha  # the hash is of the bytes as stored


def test_bom_and_crlf_in_site_yaml(tmp_path: Path) -> None:
    plain = load_content(write_site(tmp_path / "a")).site
    other = load_content(
        write_site(tmp_path / "b", {"site.yaml": b"\xef\xbb\xbf" + SITE_YAML.replace("\n", "\r\n").encode()})
    ).site
    assert other.meta.data == plain.meta.data
    assert other.meta.locations == plain.meta.locations


def test_non_utf8_is_rejected_with_byte_offset_and_line(tmp_path: Path) -> None:
    data = "---\ntitle: Caf\xe9\n---\n".encode("latin-1")
    problem = only_problem(write_site(tmp_path, {"pages/cafe.md": data}), "content/pages/cafe.md")
    assert problem.line == 2
    assert "UTF-8" in problem.message
    offset = data.index(b"\xe9")  # 14
    assert f"byte {offset}" in problem.message


def test_non_utf8_byte_offset_counts_the_bom(tmp_path: Path) -> None:
    data = b"\xef\xbb\xbf---\ntitle: \xff\n---\n"
    problem = only_problem(write_site(tmp_path, {"pages/bom.md": data}), "content/pages/bom.md")
    assert problem.line == 2
    offset = data.index(b"\xff")  # an offset into the file as stored, BOM included
    assert f"byte {offset}" in problem.message


def test_utf16_is_rejected(tmp_path: Path) -> None:
    data = "---\ntitle: x\n---\n".encode("utf-16")
    problem = only_problem(write_site(tmp_path, {"pages/wide.md": data}), "content/pages/wide.md")
    assert "UTF-8" in problem.message and "byte 0" in problem.message and problem.line == 1


def test_non_utf8_site_yaml_is_located(tmp_path: Path) -> None:
    data = SITE_YAML.encode().replace(b"Test Hall", b"Test H\xe0ll")
    problem = only_problem(write_site(tmp_path, {"site.yaml": data}), "content/site.yaml")
    assert problem.line == SITE_YAML.split("\n").index("venue: {name: Test Hall, city: Busan, country: KR}") + 1


def test_nul_is_rejected_with_its_line(tmp_path: Path) -> None:
    data = b"---\ntitle: x\n---\nbody\nmore\x00text\n"
    problem = only_problem(write_site(tmp_path, {"pages/zero.md": data}), "content/pages/zero.md")
    assert problem.line == 5
    assert "NUL" in problem.message


def test_decode_text_directly() -> None:
    problems: list[Problem] = []
    assert decode_text(b"\xef\xbb\xbfa\r\nb\rc\n", "x", problems) == "a\nb\nc\n"
    assert problems == []
    assert decode_text(b"a\nb\n\x80", "x", problems) is None
    assert problems[0].path == "x" and problems[0].line == 3 and "byte 4" in problems[0].message


# --- front matter --------------------------------------------------------------------------


def test_missing_front_matter(tmp_path: Path) -> None:
    problem = only_problem(write_site(tmp_path, {"pages/bare.md": "title: x\n\nBody.\n"}), "content/pages/bare.md")
    assert problem.line == 1 and "front matter" in problem.message


def test_unterminated_front_matter(tmp_path: Path) -> None:
    problem = only_problem(write_site(tmp_path, {"pages/open.md": "---\ntitle: x\n\nBody.\n"}), "content/pages/open.md")
    assert problem.line == 1 and "front matter" in problem.message


def test_empty_file_has_no_front_matter(tmp_path: Path) -> None:
    problem = only_problem(write_site(tmp_path, {"pages/empty.md": ""}), "content/pages/empty.md")
    assert "front matter" in problem.message


def test_front_matter_must_be_a_mapping(tmp_path: Path) -> None:
    problem = only_problem(write_site(tmp_path, {"pages/list.md": "---\n- a\n- b\n---\n"}), "content/pages/list.md")
    assert problem.line == 2 and "mapping" in problem.message


def test_site_yaml_must_be_a_mapping(tmp_path: Path) -> None:
    problem = only_problem(write_site(tmp_path, {"site.yaml": "just text\n"}), "content/site.yaml")
    assert problem.line == 1 and "mapping" in problem.message


def test_empty_front_matter_is_an_empty_mapping(tmp_path: Path) -> None:
    raw = load_content(write_site(tmp_path, {"pages/blank.md": "---\n---\nBody\n"}))
    doc = document(raw, "content/pages/blank.md")
    assert doc.meta.data == {} and doc.body == "Body\n" and doc.body_line == 3


def test_closing_dots_and_trailing_spaces_are_accepted(tmp_path: Path) -> None:
    raw = load_content(write_site(tmp_path, {"pages/dots.md": "---  \ntitle: x\n...\nBody\n"}))
    doc = document(raw, "content/pages/dots.md")
    assert doc.meta.data == {"title": "x"} and doc.body == "Body\n" and doc.body_line == 4


def test_a_rule_in_the_body_is_not_the_end_of_front_matter(tmp_path: Path) -> None:
    raw = load_content(write_site(tmp_path, {"pages/rule.md": "---\ntitle: x\n---\nA\n\n---\n\nB\n"}))
    assert document(raw, "content/pages/rule.md").body == "A\n\n---\n\nB\n"


def test_yaml_problem_in_front_matter_has_the_file_line(tmp_path: Path) -> None:
    text = "---\ntitle: x\nsummary: a\ntitle: y\n---\n"
    problem = only_problem(write_site(tmp_path, {"pages/dup.md": text}), "content/pages/dup.md")
    assert (problem.line, problem.column) == (4, 1)
    assert "written twice" in problem.message and "line 2" in problem.message


def test_yaml_syntax_error_in_site_yaml_has_the_file_line(tmp_path: Path) -> None:
    problem = only_problem(write_site(tmp_path, {"site.yaml": "title: x\nlanguages: [en\ntimezone: UTC\n"}), "content/site.yaml")
    assert problem.line == 2 and "not closed" in problem.message  # at the '[' that opens the list


def test_tag_in_front_matter_is_refused(tmp_path: Path) -> None:
    text = "---\ntitle: !!python/object/apply:os.system [id]\n---\n"
    problem = only_problem(write_site(tmp_path, {"pages/evil.md": text}), "content/pages/evil.md")
    assert (problem.line, problem.column) == (2, 8) and "tag" in problem.message


def test_split_front_matter() -> None:
    assert split_front_matter("---\na: 1\n---\nbody") == ("a: 1", "body", 4)
    assert split_front_matter("---\n---\n") == ("", "", 3)
    assert split_front_matter("a: 1\n---\n") is None
    assert split_front_matter("---\na: 1\n") is None
    assert split_front_matter(" ---\na: 1\n---\n") is None


# --- file names ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("Opening.md", ["lowercase"]),
        ("OPENING.md", ["lowercase"]),
        ("CON.md", ["CON"]),
        ("con.md", ["reserved", "Windows"]),
        ("lpt1.ko.md", ["reserved"]),
        ("open_ing.md", ["lowercase"]),
        ("open--ing.md", ["lowercase"]),
        ("-opening.md", ["lowercase"]),
        ("한국.md", ["lowercase"]),
        ("café.md", ["lowercase"]),
        (("x" * 101) + ".md", ["longer"]),
        ("opening\n.md", ["lowercase"]),
    ],
)
def test_bad_ids_in_file_names(tmp_path: Path, name: str, words: list[str]) -> None:
    problem = only_problem(write_site(tmp_path, {f"sessions/{name}": SESSION}), f"content/sessions/{name}")
    assert problem.line == 0
    assert "file name" in problem.message
    for word in words:
        assert word in problem.message


@pytest.mark.parametrize("lang", ["EN", "english", "k", "ko_KR", "ko-", "ko-toolongsubtag", "1a", "한"])
def test_unknown_language_codes_in_file_names(tmp_path: Path, lang: str) -> None:
    name = f"opening.{lang}.md"
    problem = only_problem(write_site(tmp_path, {f"sessions/{name}": "---\ntitle: x\n---\n"}), f"content/sessions/{name}")
    assert "language" in problem.message and repr(lang) in problem.message


@pytest.mark.parametrize("name", ["opening.txt", "opening.MD", "opening.markdown", "a.b.c.md", "opening", "opening.md.bak2"])
def test_names_that_are_not_id_md(tmp_path: Path, name: str) -> None:
    problem = only_problem(write_site(tmp_path, {f"sessions/{name}": SESSION}), f"content/sessions/{name}")
    assert "<id>.md" in problem.message


def test_sub_folders_are_refused(tmp_path: Path) -> None:
    content = write_site(tmp_path, {"sessions/day-1/opening.md": SESSION})
    problem = only_problem(content, "content/sessions/day-1")
    assert "sub-folder" in problem.message


@pytest.mark.parametrize(
    "name",
    [".#opening.md", "opening.md~", ".opening.md.swp", ".opening.md.swx", "opening.md.swp", "4913", "#opening.md#", "opening.md.tmp", "opening.md.bak", ".DS_Store"],
)
def test_editor_litter_is_ignored(tmp_path: Path, name: str) -> None:
    content = write_site(tmp_path, {f"sessions/{name}": b"\xff\x00 not even text"})
    raw = load_content(content)
    assert all(Path(d.path).name != name for d in raw.documents)
    assert len(raw.documents) == 8


def test_editor_litter_in_media_is_ignored(tmp_path: Path) -> None:
    content = write_site(tmp_path, {"media/photo.jpg": b"jpg", "media/.#photo.jpg": b"x", "media/photo.jpg~": b"x", "media/4913": b"x"})
    assert [m.relative for m in load_content(content).media] == ["photo.jpg"]


def test_nfd_file_name_is_read_as_nfc(tmp_path: Path) -> None:
    # macOS may hand back decomposed names; ids are ASCII so a decomposed name is simply invalid, and
    # the message shows it composed.
    name = unicodedata.normalize("NFD", "café.md")
    problems = problems_of(write_site(tmp_path, {f"sessions/{name}": SESSION}))
    assert len(problems) == 1 and "'café'" in problems[0].message


# --- symlinks ---------------------------------------------------------------------------------


def test_symlinked_file_outside_content_is_refused(tmp_path: Path) -> None:
    content = write_site(tmp_path)
    secret = tmp_path / "secret.md"
    secret.write_text("---\ntitle: secret\n---\nSECRET\n")
    (content / "pages" / "leak.md").symlink_to(secret)
    problem = only_problem(content, "content/pages/leak.md")
    assert "symbolic link" in problem.message and "outside" in problem.message


def test_symlinked_folder_outside_content_is_refused(tmp_path: Path) -> None:
    content = write_site(tmp_path, {"news/launch.md": None})
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "launch.md").write_text("---\ntitle: Launch\ndate: '2019-11-20'\n---\n")
    (content / "news").symlink_to(outside, target_is_directory=True)
    problem = only_problem(content, "content/news")
    assert "outside" in problem.message


def test_symlinked_site_yaml_outside_content_is_refused(tmp_path: Path) -> None:
    content = write_site(tmp_path, {"site.yaml": None})
    (tmp_path / "shared.yaml").write_text(SITE_YAML)
    (content / "site.yaml").symlink_to(tmp_path / "shared.yaml")
    problems = problems_of(content)
    assert any(p.path == "content/site.yaml" and "outside" in p.message for p in problems), problems


def test_symlinks_in_media_pointing_outside_are_refused(tmp_path: Path) -> None:
    content = write_site(tmp_path, {"media/ok.jpg": b"ok"})
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "passwd").write_text("root:x:0:0")
    (content / "media" / "file.jpg").symlink_to(outside / "passwd")
    (content / "media" / "folder").symlink_to(outside, target_is_directory=True)
    (content / "media" / "deep").mkdir()
    (content / "media" / "deep" / "up.jpg").symlink_to("../../../outside/passwd")
    problems = problems_of(content)
    assert sorted(p.path for p in problems) == ["content/media/deep/up.jpg", "content/media/file.jpg", "content/media/folder"]
    assert all("outside" in p.message for p in problems)


def test_media_folder_itself_symlinked_outside_is_refused(tmp_path: Path) -> None:
    content = write_site(tmp_path)
    outside = tmp_path / "outside-media"
    outside.mkdir()
    (outside / "x.jpg").write_bytes(b"x")
    (content / "media").symlink_to(outside, target_is_directory=True)
    problem = only_problem(content, "content/media")
    assert "outside" in problem.message


def test_symlink_inside_content_pointing_inside_is_fine(tmp_path: Path) -> None:
    content = write_site(tmp_path, {"media/real/photo.jpg": b"photo"})
    (content / "pages" / "alias.md").symlink_to(content / "pages" / "about.md")
    (content / "media" / "photo-link.jpg").symlink_to("real/photo.jpg")
    raw = load_content(content)
    alias = document(raw, "content/pages/alias.md")
    assert alias.id == "alias" and alias.meta.data["title"] == "About"
    assert [m.relative for m in raw.media] == ["photo-link.jpg", "real/photo.jpg"]


def test_content_folder_reached_through_a_symlink_is_fine(tmp_path: Path) -> None:
    content = write_site(tmp_path / "real")
    (tmp_path / "link").symlink_to(content, target_is_directory=True)
    raw = load_content(tmp_path / "link")
    assert len(raw.documents) == 8


def test_dangling_symlinks_are_reported_not_crashed_on(tmp_path: Path) -> None:
    content = write_site(tmp_path, {"media/ok.jpg": b"ok"})
    (content / "pages" / "gone.md").symlink_to(content / "pages" / "nothing.md")
    (content / "media" / "gone.jpg").symlink_to(content / "media" / "nothing.jpg")
    problems = problems_of(content)
    assert sorted(p.path for p in problems) == ["content/media/gone.jpg", "content/pages/gone.md"]


def test_symlink_loops_are_reported_not_crashed_on(tmp_path: Path) -> None:
    content = write_site(tmp_path, {"media/ok.jpg": b"ok"})
    (content / "pages" / "loop.md").symlink_to("loop.md")
    (content / "media" / "loop.jpg").symlink_to("loop.jpg")
    problems = problems_of(content)
    assert sorted(p.path for p in problems) == ["content/media/loop.jpg", "content/pages/loop.md"]


# --- media --------------------------------------------------------------------------------------


def test_media_are_listed_sorted_with_sizes(tmp_path: Path) -> None:
    content = write_site(tmp_path, {"media/b.png": b"12345", "media/a/z.jpg": b"1", "media/a/b/c.svg": b"<svg/>"})
    media = load_content(content).media
    assert [(m.relative, m.size) for m in media] == [("a/b/c.svg", 6), ("a/z.jpg", 1), ("b.png", 5)]
    assert media[0].path == (content / "media" / "a" / "b" / "c.svg").resolve()


def test_media_names_are_nfc(tmp_path: Path) -> None:
    nfd = unicodedata.normalize("NFD", "포스터/café.jpg")
    assert nfd != unicodedata.normalize("NFC", nfd)
    content = write_site(tmp_path, {f"media/{nfd}": b"x"})
    (media,) = load_content(content).media
    assert media.relative == unicodedata.normalize("NFC", "포스터/café.jpg")
    assert media.path.exists()  # still the file as it is named on disk


def test_nfc_nfd_duplicate_media_is_an_error_naming_both(tmp_path: Path) -> None:
    nfc = unicodedata.normalize("NFC", "café.jpg")
    nfd = unicodedata.normalize("NFD", "café.jpg")
    content = write_site(tmp_path, {f"media/{nfc}": b"1", f"media/{nfd}": b"2"})
    problems = problems_of(content)
    assert len(problems) == 1
    names = {problems[0].path.rsplit("/", 1)[1], problems[0].message.rsplit("/", 1)[1]}
    assert names == {nfc, nfd}


def test_case_only_duplicate_media_is_an_error_naming_both(tmp_path: Path) -> None:
    content = write_site(tmp_path, {"media/Logo.PNG": b"1", "media/logo.png": b"2", "media/other.png": b"3"})
    problems = problems_of(content)
    assert len(problems) == 1
    assert problems[0].path == "content/media/logo.png"
    assert "content/media/Logo.PNG" in problems[0].message


def test_case_duplicate_across_folders(tmp_path: Path) -> None:
    content = write_site(tmp_path, {"media/Photos/a.jpg": b"1", "media/photos/a.jpg": b"2"})
    problems = problems_of(content)
    assert len(problems) == 1 and "Photos/a.jpg" in problems[0].message + problems[0].path
    assert "photos/a.jpg" in problems[0].message + problems[0].path


@pytest.mark.parametrize(
    ("name", "word"),
    [("con.jpg", "reserved"), ("a%2e.jpg", "percent"), ("a\\b.jpg", "'/'"), ("nul/x.jpg", "reserved")],
)
def test_unsafe_media_names(tmp_path: Path, name: str, word: str) -> None:
    problem = only_problem(write_site(tmp_path, {f"media/{name}": b"x"}), f"content/media/{name}")
    assert word in problem.message


# --- limits and the whole picture ------------------------------------------------------------------


def test_oversize_file_is_rejected_without_reading_it(tmp_path: Path) -> None:
    big = b"---\ntitle: x\n---\n" + b"a" * load.MAX_FILE_BYTES
    problem = only_problem(write_site(tmp_path, {"pages/big.md": big}), "content/pages/big.md")
    assert str(len(big)) in problem.message and str(load.MAX_FILE_BYTES) in problem.message


def test_file_at_the_limit_is_fine(tmp_path: Path) -> None:
    head = b"---\ntitle: x\n---\n"
    text = head + b"a" * (load.MAX_FILE_BYTES - len(head))
    raw = load_content(write_site(tmp_path, {"pages/edge.md": text}))
    assert len(document(raw, "content/pages/edge.md").body) == load.MAX_FILE_BYTES - len(head)


def test_missing_content_folder(tmp_path: Path) -> None:
    (problem,) = problems_of(tmp_path / "nowhere")
    assert "not found" in problem.message


def test_missing_site_yaml(tmp_path: Path) -> None:
    problem = only_problem(write_site(tmp_path, {"site.yaml": None}), "content/site.yaml")
    assert "missing" in problem.message


def test_all_problems_are_reported_together(tmp_path: Path) -> None:
    content = write_site(
        tmp_path,
        {
            "site.yaml": None,
            "sessions/Bad.md": SESSION,
            "sessions/x.english.md": SESSION,
            "sessions/sub/x.md": SESSION,
            "people/latin.md": "---\nname: Caf\xe9\n---\n".encode("latin-1"),
            "people/zero.md": b"---\nname: x\x00\n---\n",
            "pages/bare.md": "no front matter\n",
            "pages/dup.md": "---\ntitle: a\ntitle: b\n---\n",
            "news/evil.md": "---\ntitle: &a x\n---\n",
            "media/Logo.png": b"1",
            "media/logo.PNG": b"2",
        },
    )
    (content / "exhibits" / "leak.md").symlink_to(tmp_path / "elsewhere.md")
    error = pytest.raises(BuildError, load_content, content).value
    assert {p.path for p in error.problems} == {
        "content/site.yaml",
        "content/sessions/Bad.md",
        "content/sessions/x.english.md",
        "content/sessions/sub",
        "content/people/latin.md",
        "content/people/zero.md",
        "content/pages/bare.md",
        "content/pages/dup.md",
        "content/news/evil.md",
        "content/media/logo.PNG",
        "content/exhibits/leak.md",
    }
    assert len(error.problems) == 11
    assert str(error).count("\n") == 10  # one line per problem


# --- cache ---------------------------------------------------------------------------------------------


def test_cache_returns_the_same_document_until_the_file_changes(tmp_path: Path) -> None:
    content = write_site(tmp_path)
    cache = LoadCache()
    first = document(load_content(content, cache), "content/pages/about.md")
    again = document(load_content(content, cache), "content/pages/about.md")
    assert again is first
    path = content / "pages" / "about.md"
    path.write_text("---\ntitle: Changed, and longer\n---\n")
    os.utime(path, ns=(first.path.stat().st_atime_ns, first.path.stat().st_mtime_ns + 10**9))
    changed = document(load_content(content, cache), "content/pages/about.md")
    assert changed is not first and changed.meta.data["title"] == "Changed, and longer"


# --- loading only what the watcher reported ----------------------------------------------------------------


def listing(raw) -> list[tuple[str, str]]:
    return [(item.display, item.sha) for item in raw.documents]


def reload(content: Path, cache: LoadCache, previous, *changed: Path):
    return load_content(content, cache, since=load.Changes(previous, frozenset(path.resolve() for path in changed)))


def test_a_reported_edit_is_read_again_and_the_rest_is_reused(tmp_path: Path) -> None:
    content = write_site(tmp_path)
    cache = LoadCache()
    first = load_content(content, cache)
    path = content / "sessions" / "talk.md"
    path.write_text(path.read_text(encoding="utf-8").replace("title:", "title: Edited", 1), encoding="utf-8")
    patched = reload(content, cache, first, path)
    assert listing(patched) == listing(load_content(content))
    assert document(patched, "content/sessions/talk.md").meta.data["title"].startswith("Edited")
    reused = [item for item in patched.documents if item.path != path]
    assert reused and all(any(item is old for old in first.documents) for item in reused)


def test_reported_new_and_removed_files_keep_the_scan_order(tmp_path: Path) -> None:
    content = write_site(tmp_path)
    cache = LoadCache()
    first = load_content(content, cache)
    new_session, new_translation = content / "sessions" / "aaa.md", content / "sessions" / "talk.th.md"
    new_session.write_text(SESSION, encoding="utf-8")
    new_translation.write_text("---\ntitle: การบรรยาย\n---\n", encoding="utf-8")
    removed = content / "sessions" / "opening.ko.md"
    removed.unlink()
    patched = reload(content, cache, first, new_session, new_translation, removed)
    assert listing(patched) == listing(load_content(content))
    assert "content/sessions/aaa.md" in dict(listing(patched)) and "content/sessions/opening.ko.md" not in dict(listing(patched))


def test_a_reported_bad_file_is_reported_like_a_scan_would(tmp_path: Path) -> None:
    content = write_site(tmp_path)
    cache = LoadCache()
    first = load_content(content, cache)
    bad = content / "sessions" / "Bad Name.md"
    bad.write_text(SESSION, encoding="utf-8")
    with pytest.raises(BuildError) as patched:
        reload(content, cache, first, bad)
    assert patched.value.problems == problems_of(content)
    assert [problem.path for problem in patched.value.problems] == ["content/sessions/Bad Name.md"]


def test_a_reported_folder_makes_a_full_scan(tmp_path: Path) -> None:
    content = write_site(tmp_path)
    cache = LoadCache()
    first = load_content(content, cache)
    (content / "sessions" / "sub").mkdir()
    (content / "sessions" / "sub" / "x.md").write_text(SESSION, encoding="utf-8")
    for reported in (content / "sessions" / "sub", content / "sessions" / "sub" / "x.md"):
        with pytest.raises(BuildError) as raised:
            reload(content, cache, first, reported)
        assert [(p.path, p.message) for p in raised.value.problems] == [("content/sessions/sub", "sub-folders are not allowed here")]


def test_a_site_with_linked_documents_is_always_scanned(tmp_path: Path) -> None:
    content = write_site(tmp_path, {"shared/linked.md": "---\ntitle: Linked\n---\n"})
    (content / "pages" / "linked.md").symlink_to(content / "shared" / "linked.md")
    cache = LoadCache()
    first = load_content(content, cache)
    assert first.linked
    # The target is edited; the watcher reports the target's name only, and an unrelated file.
    (content / "shared" / "linked.md").write_text("---\ntitle: Linked and edited\n---\n", encoding="utf-8")
    patched = reload(content, cache, first, content / "pages" / "about.md")
    assert document(patched, "content/pages/linked.md").meta.data["title"] == "Linked and edited"


def test_missed_changes_finds_what_was_not_reported(tmp_path: Path) -> None:
    content = write_site(tmp_path)
    cache = LoadCache()
    raw = load_content(content, cache)
    assert load.missed_changes(content, raw, cache) == set()
    edited, removed, added = content / "sessions" / "talk.md", content / "sessions" / "opening.ko.md", content / "news" / "new.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
    removed.unlink()
    added.write_text("---\ntitle: New\n---\n", encoding="utf-8")
    (content / "sessions" / ".talk.md.swp").write_bytes(b"editor litter")
    missed = load.missed_changes(content, raw, cache)
    assert missed == {edited.resolve(), removed.resolve(), added.resolve()}
    site = content / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    assert load.missed_changes(content, raw, cache) == missed | {site.resolve()}
    # After a load that saw them, nothing is missed any more.
    assert load.missed_changes(content, reload(content, cache, raw, *missed), cache) == set()


def test_missed_changes_reports_each_media_file_that_came_went_or_changed(tmp_path: Path) -> None:
    content = write_site(tmp_path, {"media/plan.txt": "plan A\n", "media/old.txt": "old\n"})
    cache = LoadCache()
    raw = load_content(content, cache)
    media = content.resolve() / "media"
    (media / "new.txt").write_text("a new file\n", encoding="utf-8")
    (media / "old.txt").unlink()
    plan = media / "plan.txt"
    plan.write_text("plan B\n", encoding="utf-8")  # the same size
    os.utime(plan, ns=(plan.stat().st_atime_ns, plan.stat().st_mtime_ns + 10**9))
    assert load.missed_changes(content, raw, cache) == {media / "new.txt", media / "old.txt", plan}
    assert load.missed_changes(content, load_content(content, cache), cache) == set()
