"""iCalendar output: one file per session and one per programme, in every language.

The fixture sites here are shared with the other format tests: the base site
(Asia/Seoul, +09:00), one in America/New_York around the 2019-11-03 DST
switch, and one in Asia/Kathmandu (+05:45).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar
from icalendar.parser import Contentline

from eventsite.formats.ics import fold
from eventsite.l10n import load_translations
from eventsite.kinds.session import session_guid

from .sitekit import PROJECT_ROOT, SITE_YAML, build, parse_html, write_site

UTC = dt.timezone.utc
LANGS = ["en", "ko", "th"]
HOST = "example.org"


def _site_yaml(timezone: str, start: str, end: str) -> str:
    changed = SITE_YAML.replace("timezone: Asia/Seoul", f"timezone: {timezone}").replace(
        'dates: {start: "2019-11-25", end: "2019-11-26"}', f'dates: {{start: "{start}", end: "{end}"}}'
    )
    assert changed.count(timezone) == 1 and start in changed, "sitekit.SITE_YAML changed shape"
    return changed


def _session(title: str, start: str, end: str, extra: str = "room: hall-a") -> str:
    return f'---\ntitle: {title}\nstart: "{start}"\nend: "{end}"\nkind: plenary\n{extra}\n---\nAbout {title}.\n'


# Added to the base site: a session without a room, with a speaker and a moderator.
EXTRA_FILES: dict[str, str | None] = {
    "sessions/walkabout.md": _session("Walkabout", "2019-11-25 12:00", "2019-11-25 12:30", "speakers: [minister]\nmoderators: [moderator]"),
}

# Sessions on both sides of the switch from EDT (-04:00) to EST (-05:00) at
# 2019-11-03 02:00, and one running across it (2h30 on the wall, 3h30 elapsed).
DST_FILES: dict[str, str | None] = {
    "site.yaml": _site_yaml("America/New_York", "2019-11-02", "2019-11-04"),
    "sessions/opening.md": _session("Opening", "2019-11-02 09:00", "2019-11-02 10:00", "room: hall-a\nspeakers: [minister]"),
    "sessions/night.md": _session("Night watch", "2019-11-03 00:30", "2019-11-03 03:00"),
    "sessions/talk.md": _session("Talk", "2019-11-03 10:00", "2019-11-03 11:00", "room: hall-b\nmoderators: [moderator]"),
    "sessions/closing.md": _session("Closing", "2019-11-04 09:00", "2019-11-04 10:30", "room: hall-b"),
}
DST_UTC = {
    "opening": ("2019-11-02T13:00:00+00:00", "2019-11-02T14:00:00+00:00"),
    "night": ("2019-11-03T04:30:00+00:00", "2019-11-03T08:00:00+00:00"),
    "talk": ("2019-11-03T15:00:00+00:00", "2019-11-03T16:00:00+00:00"),
    "closing": ("2019-11-04T14:00:00+00:00", "2019-11-04T15:30:00+00:00"),
}

KATHMANDU_FILES: dict[str, str | None] = {"site.yaml": _site_yaml("Asia/Kathmandu", "2019-11-25", "2019-11-26"), **EXTRA_FILES}
KATHMANDU_UTC = {  # +05:45
    "opening": ("2019-11-25T03:15:00+00:00", "2019-11-25T04:15:00+00:00"),
    "walkabout": ("2019-11-25T06:15:00+00:00", "2019-11-25T06:45:00+00:00"),
    "talk": ("2019-11-26T08:15:00+00:00", "2019-11-26T09:45:00+00:00"),
}


def build_fixture(root: Path, files: dict[str, str | None]) -> Path:
    content = write_site(root, files)
    build(content, root / "site")
    return root / "site"


@pytest.fixture(scope="module")
def base_site(tmp_path_factory) -> Path:
    return build_fixture(tmp_path_factory.mktemp("base"), EXTRA_FILES)


@pytest.fixture(scope="module")
def dst_site(tmp_path_factory) -> Path:
    return build_fixture(tmp_path_factory.mktemp("dst"), DST_FILES)


@pytest.fixture(scope="module")
def kathmandu_site(tmp_path_factory) -> Path:
    return build_fixture(tmp_path_factory.mktemp("ktm"), KATHMANDU_FILES)


def session_ids(site: Path) -> set[str]:
    return {path.stem for path in (site / "en" / "sessions").glob("*.ics")}


def calendar(path: Path) -> Calendar:
    return Calendar.from_ical(path.read_bytes())


def instants(path: Path) -> dict[str, tuple[str, str]]:
    """UID → (start, end) in UTC, as ISO strings."""
    found = {}
    for event in calendar(path).events:
        found[str(event["UID"])] = (event.start.astimezone(UTC).isoformat(), event.end.astimezone(UTC).isoformat())
    return found


def uid(site_url: str, session_id: str) -> str:
    """The UID the calendar must use: the session GUID of views (as in the HTML) @ host."""
    site = SimpleNamespace(config=SimpleNamespace(base_url=site_url))
    return f"{session_guid(site, session_id)}@{HOST}"  # type: ignore[arg-type]


def translations():
    """The theme's compiled catalogs for the fixture languages."""
    return load_translations(PROJECT_ROOT / "locales", tuple(LANGS))


def linked_file(page: Path, href: str) -> Path:
    return Path(unquote(urlsplit(urljoin(page.as_uri(), href)).path))


# --- tests --------------------------------------------------------------------------


def test_every_session_has_one_event_and_the_programme_has_them_all(base_site: Path) -> None:
    ids = session_ids(base_site)
    assert ids == {"opening", "talk", "walkabout"}
    for lang in LANGS:
        whole = instants(base_site / lang / "schedule.ics")
        assert len(whole) == len(ids)
        for session_id in ids:
            single = instants(base_site / lang / "sessions" / f"{session_id}.ics")
            assert len(single) == 1
            assert single.items() <= whole.items(), (lang, session_id)


def test_uids_are_the_session_guids_in_every_language(base_site: Path) -> None:
    per_language = [set(instants(base_site / lang / "schedule.ics")) for lang in LANGS]
    assert per_language[0] == per_language[1] == per_language[2]
    assert per_language[0] == {uid("https://example.org/forum/", sid) for sid in session_ids(base_site)}


def test_event_properties_are_localized_and_complete(base_site: Path) -> None:
    cal = calendar(base_site / "ko" / "sessions" / "opening.ics")
    assert str(cal["PRODID"]) == "-//eventsite//ko"
    assert str(cal["X-WR-CALNAME"]) == "테스트 포럼"
    (event,) = cal.events
    assert str(event["SUMMARY"]) == "개회식" and event["SUMMARY"].params["LANGUAGE"] == "ko"
    assert str(event["LOCATION"]) == "A홀, Test Hall"
    assert str(event["URL"]) == "https://example.org/forum/ko/sessions/opening/"
    assert [str(c) for c in event.categories] == [translations()["ko"].gettext("Ceremony")]  # the kind label, localized
    assert int(event["SEQUENCE"]) == 0
    description = str(event["DESCRIPTION"])
    assert "포럼이 시작됩니다." in description  # the Korean summary
    assert "https://example.org/forum/ko/about/" in description  # site links made absolute
    assert "The Minister" in description
    # An untranslated session falls back to English, and says so.
    (talk,) = calendar(base_site / "th" / "sessions" / "talk.ics").events
    assert str(talk["SUMMARY"]) == "Talk on smart traffic" and talk["SUMMARY"].params["LANGUAGE"] == "en"
    assert str(talk["URL"]) == "https://example.org/forum/th/sessions/talk/"


def test_session_without_room_is_at_the_venue(base_site: Path) -> None:
    (event,) = calendar(base_site / "en" / "sessions" / "walkabout.ics").events
    assert str(event["LOCATION"]) == "Test Hall"


def test_dtstamp_comes_from_the_content_and_times_from_the_event_zone(base_site: Path) -> None:
    for event in calendar(base_site / "en" / "schedule.ics").events:
        assert event["DTSTAMP"].dt == dt.datetime(2019, 11, 25, tzinfo=UTC)  # dates.start, 00:00 UTC
        assert event["DTSTART"].params["TZID"] == "Asia/Seoul"
        assert event["DTEND"].params["TZID"] == "Asia/Seoul"


@pytest.mark.parametrize(
    "fixture, zone, expected",
    [("dst_site", "America/New_York", DST_UTC), ("kathmandu_site", "Asia/Kathmandu", KATHMANDU_UTC)],
)
def test_utc_instants_across_dst_and_odd_offsets(request, fixture: str, zone: str, expected: dict) -> None:
    site: Path = request.getfixturevalue(fixture)
    want = {uid("https://example.org/forum/", sid): times for sid, times in expected.items()}
    for lang in LANGS:
        assert instants(site / lang / "schedule.ics") == want, lang
        for session_id, times in expected.items():
            single = instants(site / lang / "sessions" / f"{session_id}.ics")
            assert list(single.values()) == [times], (lang, session_id)


@pytest.mark.parametrize(
    "fixture, zone, expected",
    [("dst_site", "America/New_York", DST_UTC), ("kathmandu_site", "Asia/Kathmandu", KATHMANDU_UTC)],
)
def test_vtimezone_alone_gives_the_same_instants(request, fixture: str, zone: str, expected: dict) -> None:
    """A client without the IANA database relies on our VTIMEZONE: check it on its own."""
    site: Path = request.getfixturevalue(fixture)
    cal = calendar(site / "en" / "schedule.ics")
    (timezone,) = cal.timezones
    assert timezone.tz_name == zone
    own = timezone.to_tz(lookup_tzid=False)  # built from the VTIMEZONE, not from zoneinfo
    by_uid = {uid("https://example.org/forum/", sid): times for sid, times in expected.items()}
    for event in cal.events:
        assert event["DTSTART"].params["TZID"] == zone
        start = event["DTSTART"].dt.replace(tzinfo=None).replace(tzinfo=own)
        end = event["DTEND"].dt.replace(tzinfo=None).replace(tzinfo=own)
        assert (start.astimezone(UTC).isoformat(), end.astimezone(UTC).isoformat()) == by_uid[str(event["UID"])]


def test_two_builds_are_byte_identical_and_uids_survive_edits(tmp_path: Path) -> None:
    first = build_fixture(tmp_path / "one", EXTRA_FILES)
    second = build_fixture(tmp_path / "two", EXTRA_FILES)
    files = sorted(p.relative_to(first) for p in first.rglob("*.ics"))
    assert len(files) == 3 * (1 + 3)
    for relative in files:
        assert (first / relative).read_bytes() == (second / relative).read_bytes(), relative
    edited = build_fixture(tmp_path / "three", {**EXTRA_FILES, "sessions/talk.md": _session("Renamed talk", "2019-11-26 16:00", "2019-11-26 17:00")})
    before, after = instants(first / "en" / "schedule.ics"), instants(edited / "en" / "schedule.ics")
    assert set(before) == set(after)
    assert before[uid("https://example.org/forum/", "talk")] != after[uid("https://example.org/forum/", "talk")]


def test_pages_link_to_the_calendar_files(base_site: Path) -> None:
    for lang in LANGS:
        page = base_site / lang / "sessions" / "opening" / "index.html"
        links = parse_html(page).xpath("//a[@type='text/calendar']/@href")
        assert len(links) == 1
        assert linked_file(page, links[0]) == base_site / lang / "sessions" / "opening.ics"
        schedule = base_site / lang / "schedule" / "index.html"
        (whole,) = parse_html(schedule).xpath("//a[@type='text/calendar']/@href")
        assert linked_file(schedule, whole) == base_site / lang / "schedule.ics"


# --- folding: our fast fold gives icalendar's bytes ------------------------------------------


@settings(max_examples=400, deadline=None, database=None)
@given(st.text(alphabet=st.sampled_from(list("ab ,;:\\^\"") + ["é", "한", "ก", "ဗ", "𝄞", "\u200b", "\t"]), max_size=500))
def test_fold_gives_the_bytes_icalendar_gives(line: str) -> None:
    assert fold(line) == Contentline(line).to_ical()


@pytest.mark.parametrize("line", ["", "a" * 74, "a" * 75, "a" * 73 + "\\n" + "b" * 80, "한" * 60, "a" * 73 + "𝄞" * 10, "^" * 200])
def test_fold_edges(line: str) -> None:
    folded = fold(line)
    assert folded == Contentline(line).to_ical()
    assert all(len(piece) <= 75 for piece in folded.split(b"\r\n"))  # 74 octets, plus the space of a continuation
    assert folded.replace(b"\r\n ", b"").decode("utf-8") == line


def test_every_busan_calendar_is_what_icalendar_would_write(busan_site: Path) -> None:
    calendars = sorted(busan_site.glob("*/schedule.ics")) + sorted(busan_site.glob("*/sessions/*.ics"))[:40]
    assert len(calendars) > 40
    for path in calendars:
        data = path.read_bytes()
        assert Calendar.from_ical(data).to_ical() == data, path


# --- the direct writer against icalendar (the oracle) ----------------------------------

ODD_FILES: dict[str, str | None] = {
    **EXTRA_FILES,
    # Every character TEXT escaping touches, a literal \N, a quote and a comma in the title's language tag's way.
    "sessions/odd.md": _session(
        "'Commas, semi; colons: back\\\\slash \\\\N and \"quotes\"'", "2019-11-25 13:00", "2019-11-25 13:30",
        "room: hall-a\nsummary: 'Semi; colon: comma, back\\\\slash'",
    ) + "Line one\r\nline two\\N\n\nthree; four, five \u2019quoted\u2019 \u0e44\u0e17\u0e22 " + "long " * 40 + "\n",
}


def calendars_both_ways(content: Path, output: Path, cache: Path | None = None):
    """(url, direct bytes, icalendar's bytes) of every calendar the site plans (events' lines cached in ``cache``)."""
    from eventsite.build import Caches, prepare
    from eventsite.cache import DiskCache
    from eventsite.depends import NullRecorder
    from eventsite.formats import ics
    from eventsite.project import BuildOptions
    from eventsite.render import Renderer

    from .sitekit import project_for

    project = project_for(content, output)
    prepared = prepare(project, Caches(), BuildOptions())
    site = prepared.site
    renderer = Renderer(site, prepared.plan, project.theme, load_translations(project.theme.locale_folders, site.languages, site.fallback_chains),
                        disk_cache=DiskCache(cache, "markdown") if cache is not None else None)
    for route in prepared.plan.routes:
        if route.kind.format == "ics":
            page = renderer.page(route, NullRecorder())
            yield route.url, ics.render(page), ics.serialize(ics.calendar_of(page))


@pytest.mark.parametrize("files", [ODD_FILES, DST_FILES, KATHMANDU_FILES], ids=["odd", "dst", "kathmandu"])
def test_the_direct_writer_gives_icalendars_bytes(tmp_path: Path, files: dict) -> None:
    compared = 0
    for url, direct, oracle in calendars_both_ways(write_site(tmp_path, files), tmp_path / "site"):
        assert direct == oracle, url
        compared += 1
    assert compared >= 4


def test_the_direct_writer_gives_icalendars_bytes_for_busan(tmp_path: Path) -> None:
    compared = 0
    for url, direct, oracle in calendars_both_ways(PROJECT_ROOT / "content", tmp_path / "site"):
        assert direct == oracle, url
        compared += 1
    assert compared >= 150  # every session in ten languages, and the ten programmes


def test_cached_event_lines_give_icalendars_bytes_after_an_edit(tmp_path: Path) -> None:
    """Programme calendars reuse each unchanged event's lines from the disk cache; the bytes stay the oracle's."""
    content = write_site(tmp_path, ODD_FILES)
    cache = tmp_path / "cache"
    cold = {url: direct for url, direct, _ in calendars_both_ways(content, tmp_path / "site", cache)}
    assert list(cache.rglob("*.json")), "the events' lines were not cached"
    warm = {url: direct for url, direct, _ in calendars_both_ways(content, tmp_path / "site", cache)}
    assert warm == cold
    odd = content / "sessions" / "odd.md"
    odd.write_text(odd.read_text(encoding="utf-8").replace("Line one", "Line one, edited", 1), encoding="utf-8")
    edited = 0
    for url, direct, oracle in calendars_both_ways(content, tmp_path / "site", cache):
        assert direct == oracle, url
        edited += direct != cold[url]
    assert edited >= 2  # the session's calendar and the programme, at least in the default language


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="[]():/ \t\nab#", max_size=60))
def test_the_inline_link_pattern_is_the_full_one_without_reference_definitions(text: str) -> None:
    """formats.body_markdown skips the slow reference-definition pattern when no "]:" can start one."""
    from eventsite.formats import _INLINE_SITE_LINK, _SITE_LINK

    mark = lambda match: match[1] + "<" + match[2] + ">"  # noqa: E731
    if "]:" not in text:
        assert _INLINE_SITE_LINK.sub(mark, text) == _SITE_LINK.sub(mark, text)
    assert _SITE_LINK.sub(mark, "[r]: /about/\n" + text).startswith("[r]: </about/>")


def test_the_vtimezone_is_kept_in_the_disk_cache_by_icalendar_version_and_zone_rules(tmp_path: Path, monkeypatch) -> None:
    """A rebuild that writes a calendar reads the VTIMEZONE from the cache instead of importing icalendar for it."""
    from eventsite.cache import DiskCache
    from eventsite.formats import ics

    page = SimpleNamespace(context=SimpleNamespace(conversions=SimpleNamespace(disk_cache=DiskCache(tmp_path, "ics"))))
    span = ("Asia/Seoul", dt.date(2019, 1, 1), dt.date(2020, 1, 1))
    made = ics._kept_vtimezone(page, *span)
    assert made == ics._vtimezone_bytes(*span) and made.startswith(b"BEGIN:VTIMEZONE\r\nTZID:Asia/Seoul")

    def not_again(*args):
        raise AssertionError("computed again")

    monkeypatch.setattr(ics, "_vtimezone_bytes", not_again)
    assert ics._kept_vtimezone(page, *span) == made  # from the cache
    monkeypatch.setattr(ics, "_zone_rules_digest", lambda tzid: "other rules")  # a new tz database
    with pytest.raises(AssertionError, match="computed again"):
        ics._kept_vtimezone(page, *span)
    monkeypatch.setattr(ics, "_zone_rules_digest", lambda tzid: None)  # rules not found: never kept
    with pytest.raises(AssertionError, match="computed again"):
        ics._kept_vtimezone(page, *span)


def test_the_zone_rules_are_found_for_real_zones_only() -> None:
    from eventsite.formats.ics import _zone_rules_digest

    assert _zone_rules_digest("Asia/Seoul") is not None and _zone_rules_digest("Asia/Seoul") != _zone_rules_digest("Asia/Bangkok")
    assert _zone_rules_digest("Nowhere/Atlantis") is None
