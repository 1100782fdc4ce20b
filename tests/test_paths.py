"""paths: ids, safe media paths, relative URLs and symlink-aware containment."""

from __future__ import annotations

import string
from pathlib import Path
from urllib.parse import urljoin

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from eventsite import paths
from eventsite.paths import (
    MAX_ID_LENGTH,
    WINDOWS_RESERVED,
    id_problem,
    is_editor_litter,
    is_inside,
    is_valid_id,
    media_path_problem,
    nfc,
    relative_url,
)

# --- ids -------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["a", "opening", "day-1", "2019", "a-b-c", "x" * MAX_ID_LENGTH, "con1", "com0", "lpt10", "auxiliary"])
def test_valid_ids(value: str) -> None:
    assert is_valid_id(value)
    assert id_problem(value) is None


@pytest.mark.parametrize(
    "value",
    ["", "A", "Opening", "day_1", "day 1", "-a", "a-", "a--b", "a.b", "a/b", "..", ".", "한국", "café", "ａ", "a\n", "\na", "a\x00"],
)
def test_invalid_ids(value: str) -> None:
    assert not is_valid_id(value)
    assert "lowercase" in id_problem(value)


@pytest.mark.parametrize("value", sorted(WINDOWS_RESERVED))
def test_windows_reserved_names_are_not_ids(value: str) -> None:
    assert not is_valid_id(value)
    assert "reserved" in id_problem(value) and "Windows" in id_problem(value)


def test_reserved_set_is_complete() -> None:
    expected = {"con", "prn", "aux", "nul"} | {f"com{n}" for n in range(1, 10)} | {f"lpt{n}" for n in range(1, 10)}
    assert WINDOWS_RESERVED == expected


def test_too_long_id() -> None:
    value = "x" * (MAX_ID_LENGTH + 1)
    assert not is_valid_id(value)
    assert str(MAX_ID_LENGTH) in id_problem(value)


def test_uppercase_reserved_name_is_reported_as_not_lowercase() -> None:
    assert "lowercase" in id_problem("CON")


@given(st.text(max_size=120))
def test_a_valid_id_is_a_safe_file_name(value: str) -> None:
    if is_valid_id(value):
        assert value == value.strip() and value.isascii() and value.lower() == value
        assert media_path_problem(value) is None
        assert "/" not in value and "." not in value and value not in WINDOWS_RESERVED
    else:
        assert id_problem(value)


# --- editor litter -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [".#x.md", "x.md~", ".x.md.swp", ".x.md.swo", "x.md.swp", "4913", "#x.md#", "x.md.tmp", "x.md.bak", ".DS_Store", ".git"],
)
def test_editor_litter(name: str) -> None:
    assert is_editor_litter(name)


@pytest.mark.parametrize("name", ["x.md", "x.ko.md", "photo.jpg", "49130", "x4913", "swap.md", "x.swz"])
def test_not_editor_litter(name: str) -> None:
    assert not is_editor_litter(name)


def test_nfc() -> None:
    assert nfc("cafe\u0301") == "caf\u00e9"
    assert nfc("ภาษาไทย") == "ภาษาไทย"


# --- media paths --------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["photo.jpg", "exhibits/5g.jpg", "a/b/c/d.png", "포스터.jpg", "a b.jpg", "...jpg", ".hidden.jpg", "a//b.jpg", "x.y.z"])
def test_safe_media_paths(value: str) -> None:
    assert media_path_problem(value) is None


@pytest.mark.parametrize(
    ("value", "word"),
    [
        ("../x", "'..'"),
        ("a/../../x", "'..'"),
        ("./x", "'.'"),
        ("a/./x", "'.'"),
        ("..", "'..'"),
        ("/abs", "relative"),
        ("/etc/passwd", "relative"),
        ("//host/share", "relative"),
        ("C:x", "relative"),
        ("c:/windows/x", "relative"),
        ("a\\b", "'/'"),
        ("..\\..\\x", "'/'"),
        ("%2e%2e/x", "percent"),
        ("a%2Fb", "percent"),
        ("x\x00.jpg", "NUL"),
        ("", "empty"),
        ("con.jpg", "reserved"),
        ("a/NUL.txt", "reserved"),
        ("LPT1", "reserved"),
        ("aux.tar.gz", "reserved"),
    ],
)
def test_unsafe_media_paths(value: str, word: str) -> None:
    problem = media_path_problem(value)
    assert problem is not None and word in problem


ALPHABET = st.sampled_from(["..", ".", "/", "\\", "%", "%2e", ":", "C:", "a", "é", "~", "\x00", " ", "con", "nul.", "\n"])


@settings(max_examples=1000, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=st.text() | st.lists(ALPHABET, max_size=10).map("".join))
@example(value="../x")
@example(value="a/../../b")
@example(value="/etc/passwd")
def test_media_path_is_rejected_or_stays_inside(tmp_path: Path, value: str) -> None:
    folder = tmp_path / "media"
    folder.mkdir(exist_ok=True)
    if media_path_problem(value) is None:
        joined = folder / value
        assert joined.resolve() != folder.resolve()
        assert is_inside(joined, folder)
        assert folder.resolve() in joined.resolve().parents


# --- relative URLs -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("from_url", "to_url", "expected"),
    [
        ("/", "/", "./"),
        ("/en/", "/en/", "./"),
        ("/en/", "/en/schedule/", "schedule/"),
        ("/en/schedule/", "/en/", "../"),
        ("/en/sessions/opening/", "/en/schedule/", "../../schedule/"),
        ("/en/sessions/opening/", "/ko/sessions/opening/", "../../../ko/sessions/opening/"),
        ("/en/sessions/opening/", "/static/style.css", "../../../static/style.css"),
        ("/en/sessions/opening/", "/media/a/b.jpg", "../../../media/a/b.jpg"),
        ("/", "/en/", "en/"),
        ("/", "/static/style.css", "static/style.css"),
        ("/en/index.html", "/en/schedule/", "schedule/"),
        ("/en/feed.xml", "/en/", "./"),
        ("/en/a/", "/en/a/b.ics", "b.ics"),
        ("/en/a/", "/en/a", "../a"),
        ("/en/a", "/en/a/", "a/"),
    ],
)
def test_relative_url_cases(from_url: str, to_url: str, expected: str) -> None:
    assert relative_url(from_url, to_url) == expected
    assert urljoin(from_url, expected) == to_url


def test_relative_url_never_looks_like_a_scheme() -> None:
    link = relative_url("/en/media/", "/en/media/a:b.jpg")
    assert urljoin("https://example.org/forum/en/media/", link) == "https://example.org/forum/en/media/a:b.jpg"


def test_relative_url_works_under_a_sub_path() -> None:
    base = "https://example.org/forum"
    link = relative_url("/en/sessions/opening/", "/ko/")
    assert urljoin(base + "/en/sessions/opening/", link) == base + "/ko/"


SEGMENT = st.text(alphabet=string.ascii_letters + string.digits + "-_~.:é한", min_size=1, max_size=6).filter(
    lambda s: s not in (".", "..")
)
SITE_PATH = st.builds(
    lambda parts, slash: "/" + "/".join(parts) + ("/" if parts and slash else ""),
    st.lists(SEGMENT, max_size=5),
    st.booleans(),
)


@given(SITE_PATH, SITE_PATH)
@example("/", "/")
@example("/a/b/", "/a/b/c")
@example("/a/b", "/a/b/")
@example("/x/", "/x/a:b")
def test_relative_url_resolves_back(from_url: str, to_url: str) -> None:
    link = relative_url(from_url, to_url)
    assert not link.startswith("/")
    assert urljoin(from_url, link) == to_url
    assert urljoin("https://example.org/sub" + from_url, link) == "https://example.org/sub" + to_url


@given(SITE_PATH, SITE_PATH)
def test_relative_url_is_as_short_as_the_shared_prefix_allows(from_url: str, to_url: str) -> None:
    assume(from_url.endswith("/"))
    link = relative_url(from_url, to_url)
    ups = link.count("../")
    assert link.startswith("../" * ups) and "../" not in link[3 * ups :]
    assert ups <= len([part for part in from_url.split("/") if part])


# --- containment ------------------------------------------------------------------------------------------


def test_is_inside_plain(tmp_path: Path) -> None:
    folder = tmp_path / "content"
    (folder / "a").mkdir(parents=True)
    assert is_inside(folder / "a", folder)
    assert is_inside(folder / "a" / "not-yet", folder)
    assert is_inside(folder, folder)
    assert not is_inside(tmp_path, folder)
    assert not is_inside(folder / ".." / "other", folder)


def test_is_inside_is_not_a_string_prefix(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "content-evil").mkdir()
    assert not is_inside(tmp_path / "content-evil" / "x", tmp_path / "content")


def test_is_inside_follows_symlinks(tmp_path: Path) -> None:
    folder = tmp_path / "content"
    outside = tmp_path / "outside"
    folder.mkdir()
    outside.mkdir()
    (outside / "secret").write_text("x")
    (folder / "escape").symlink_to(outside / "secret")
    (folder / "escape-dir").symlink_to(outside, target_is_directory=True)
    (folder / "real").write_text("x")
    (folder / "alias").symlink_to(folder / "real")
    (folder / "relative").symlink_to("../outside/secret")
    assert not is_inside(folder / "escape", folder)
    assert not is_inside(folder / "escape-dir" / "secret", folder)
    assert not is_inside(folder / "relative", folder)
    assert is_inside(folder / "alias", folder)
    # A link from outside into the folder is inside.
    (tmp_path / "into").symlink_to(folder / "real")
    assert is_inside(tmp_path / "into", folder)


def test_is_inside_a_symlinked_folder(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (real / "x").write_text("x")
    (tmp_path / "link").symlink_to(real, target_is_directory=True)
    assert is_inside(tmp_path / "link" / "x", real)
    assert is_inside(real / "x", tmp_path / "link")


def test_is_inside_with_a_symlink_loop_is_false_not_an_exception(tmp_path: Path) -> None:
    folder = tmp_path / "content"
    folder.mkdir()
    (folder / "loop").symlink_to("loop")
    (folder / "ping").symlink_to("pong")
    (folder / "pong").symlink_to("ping")
    for name in ("loop", "ping"):
        # Python < 3.13 cannot resolve a loop and raised RuntimeError here; now: not known to be inside.
        is_inside(folder / name, folder)
        assert not is_inside(folder / name, tmp_path / "elsewhere")


def test_module_exports() -> None:
    assert paths.ID_PATTERN.match("a-b")
    assert paths.ID_RULE
