"""CLDR formatting and gettext catalogs, per language, without any process locale."""

from __future__ import annotations

import datetime as dt
import locale
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from eventsite import l10n

SEOUL = ZoneInfo("Asia/Seoul")
START = dt.datetime(2019, 11, 26, 9, 30, tzinfo=SEOUL)
END = dt.datetime(2019, 11, 26, 11, 0, tzinfo=SEOUL)


@pytest.mark.parametrize(
    ("lang", "day", "times"),
    [
        ("ko", "2019년 11월 26일 (화)", "오전 9:30~11:00"),
        ("th", "อังคาร 26 พ.ย. 2019", "09:30 น. – 11:00 น."),
        ("vi", "Thứ 3, 26 thg 11, 2019", "09:30–11:00"),
        ("km", "អង្គារ 26 វិច្ឆិកា 2019", "9:30 – 11:00 AM"),
        ("en", "Tue, Nov 26, 2019", "9:30 – 11:00 AM"),
    ],
)
def test_days_and_time_ranges_come_from_cldr(lang: str, day: str, times: str) -> None:
    formatter = l10n.Formatter(lang, SEOUL)
    assert formatter.day(START.date()) == day
    # CLDR separates with thin and narrow no-break spaces; compare the words.
    assert " ".join(formatter.time_range(START, END).split()) == " ".join(times.split())


def test_vietnamese_month_word_and_thai_month_names() -> None:
    assert "tháng 11" in l10n.Formatter("vi", SEOUL).date(START.date())
    assert "พฤศจิกายน" in l10n.Formatter("th", SEOUL).date(START.date())


def test_times_are_shown_in_the_event_zone_whatever_the_input_zone() -> None:
    utc = START.astimezone(dt.timezone.utc)
    assert l10n.Formatter("en", SEOUL).time(utc) == l10n.Formatter("en", SEOUL).time(START)
    assert "Korean Standard Time" == l10n.Formatter("en", SEOUL).zone_name(START)
    assert "한국 표준시" == l10n.Formatter("ko", SEOUL).zone_name(START)


@pytest.mark.parametrize(
    ("lang", "code", "name"),
    [("ko", "TH", "태국"), ("ko", "LA", "라오스"), ("th", "KR", "เกาหลีใต้"), ("th", "VN", "เวียดนาม"), ("en", "MM", "Myanmar")],  # CLDR's short form, not "Myanmar (Burma)"
)
def test_country_names_come_from_cldr(lang: str, code: str, name: str) -> None:
    assert l10n.Formatter(lang, SEOUL).country(code) == name


@pytest.mark.parametrize(
    ("code", "name", "direction"),
    [("th", "ไทย", "ltr"), ("km", "ខ្មែរ", "ltr"), ("lo", "ລາວ", "ltr"), ("my", "မြန်မာ", "ltr"), ("ko", "한국어", "ltr"), ("ar", "العربية", "rtl"), ("he", "עברית", "rtl"), ("fa", "فارسی", "rtl")],
)
def test_language_names_in_their_own_script_and_direction_from_cldr(code: str, name: str, direction: str) -> None:
    info = l10n.language(code)
    assert info.name == name
    assert info.direction == direction


def test_no_process_locale_is_touched() -> None:
    before = locale.setlocale(locale.LC_ALL)
    l10n.Formatter("th", SEOUL).day(START.date())
    assert locale.setlocale(locale.LC_ALL) == before


def _po(path: Path, lang: str, entries: dict[str, str], plural: tuple[str, str, list[str]] | None = None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = ['msgid ""', 'msgstr ""', f'"Language: {lang}\\n"', '"Content-Type: text/plain; charset=UTF-8\\n"', '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"', ""]
    for msgid, msgstr in entries.items():
        lines += [f'msgid "{msgid}"', f'msgstr "{msgstr}"', ""]
    if plural:
        singular, plural_id, forms = plural
        lines += [f'msgid "{singular}"', f'msgid_plural "{plural_id}"'] + [f'msgstr[{i}] "{form}"' for i, form in enumerate(forms)] + [""]
    path.write_text("\n".join(lines), encoding="utf-8")


def test_ui_strings_follow_the_fallback_chain(tmp_path: Path) -> None:
    _po(l10n.catalog_path(tmp_path, "id"), "id", {"News": "Berita", "Home": "Beranda"})
    _po(l10n.catalog_path(tmp_path, "ms"), "ms", {"Home": "Laman utama"})
    catalogs = l10n.load_translations(tmp_path, ("en", "id", "ms"), {"en": ("en",), "id": ("id", "en"), "ms": ("ms", "id", "en")})
    assert catalogs["ms"].gettext("Home") == "Laman utama"
    assert catalogs["ms"].gettext("News") == "Berita"  # from Indonesian, next in the chain
    assert catalogs["ms"].gettext("People") == "People"  # nobody has it: the template's text
    assert catalogs["id"].gettext("Home") == "Beranda"  # the chain of one language does not leak into another


def test_incomplete_plural_is_not_used(tmp_path: Path) -> None:
    _po(l10n.catalog_path(tmp_path, "vi"), "vi", {}, plural=("%(n)s session", "%(n)s sessions", ["%(n)s phiên", ""]))
    catalog = l10n.load_translations(tmp_path, ("en", "vi"))["vi"]
    assert catalog.ngettext("%(n)s session", "%(n)s sessions", 3) == "%(n)s sessions"  # not an empty or singular form


def test_broken_catalog_is_a_located_error(tmp_path: Path) -> None:
    from eventsite.errors import BuildError

    path = l10n.catalog_path(tmp_path, "th")
    path.parent.mkdir(parents=True)
    path.write_text('msgid "Home"\nmsgstr "บ้าน"\nmsgid_typo "News"\n', encoding="utf-8")
    with pytest.raises(BuildError) as raised:
        l10n.load_translations(tmp_path, ("en", "th"))
    assert raised.value.problems[0].path.endswith("th/LC_MESSAGES/messages.po")


def test_compiled_catalogs_are_kept_by_their_text(tmp_path: Path, monkeypatch) -> None:
    """With a cache, a catalog is compiled once per text; a changed text, or a damaged entry, is compiled again."""
    from eventsite.cache import DiskCache
    from eventsite.errors import BuildError

    locales, cache = tmp_path / "locales", DiskCache(tmp_path / "cache", "catalogs")
    _po(l10n.catalog_path(locales, "id"), "id", {"Home": "Beranda"})
    compiled: list[str] = []
    real = l10n.compile_mo
    monkeypatch.setattr(l10n, "compile_mo", lambda path, lang, text=None: compiled.append(lang) or real(path, lang, text))
    assert l10n.load_translations(locales, ("en", "id"), cache=cache)["id"].gettext("Home") == "Beranda"
    assert l10n.load_translations(locales, ("en", "id"), cache=cache)["id"].gettext("Home") == "Beranda"
    assert compiled == ["id"]  # the second time from the cache

    _po(l10n.catalog_path(locales, "id"), "id", {"Home": "Laman"})  # a translator's change
    assert l10n.load_translations(locales, ("en", "id"), cache=cache)["id"].gettext("Home") == "Laman"
    assert compiled == ["id", "id"]

    text = l10n.catalog_path(locales, "id").read_bytes()
    import hashlib

    key = cache.key("mo", l10n.MO_VERSION, l10n._compiler_digest(), l10n.babel_version, "id", hashlib.sha256(text).hexdigest())
    for damaged in ({"mo": "bm90IGEgY2F0YWxvZw==", "sha256": "0" * 64}, {"mo": "%%%", "sha256": "x"}, "x"):
        cache.put(key, damaged)
        assert l10n.load_translations(locales, ("en", "id"), cache=cache)["id"].gettext("Home") == "Laman"
    assert compiled == ["id"] * 5

    # The text compiled is the text whose digest is the key: a save between reading and compiling
    # (the dev server's editors) must not file the new text under the old one's key.
    saved_text = l10n.catalog_path(locales, "id").read_bytes()

    def saved_meanwhile(path, lang, text=None):
        _po(l10n.catalog_path(locales, "id"), "id", {"Home": "Disimpan"})  # someone saves as it compiles
        return real(path, lang, text)

    monkeypatch.setattr(l10n, "compile_mo", saved_meanwhile)
    _po(l10n.catalog_path(locales, "id"), "id", {"Home": "Awal"})
    assert l10n.load_translations(locales, ("en", "id"), cache=cache)["id"].gettext("Home") == "Awal"
    assert l10n.load_translations(locales, ("en", "id"), cache=cache)["id"].gettext("Home") == "Disimpan"
    l10n.catalog_path(locales, "id").write_bytes(saved_text)
    monkeypatch.setattr(l10n, "compile_mo", lambda path, lang, text=None: compiled.append(lang) or real(path, lang, text))

    # A catalog with an error is reported every time, never kept.
    l10n.catalog_path(locales, "id").write_text('msgid "Home"\nmsgid_typo "x"\n', encoding="utf-8")
    for _ in range(2):
        with pytest.raises(BuildError):
            l10n.load_translations(locales, ("en", "id"), cache=cache)


def test_og_locale_from_likely_subtags() -> None:
    assert l10n.og_locale("ko") == "ko_KR"
    assert l10n.og_locale("th") == "th_TH"
    assert l10n.og_locale("fil") == "tl_PH"  # Facebook's code for Filipino (it refuses fil_PH)


@pytest.mark.parametrize("lang", ["en", "ko", "th", "km", "lo", "my", "ms", "id", "vi", "fil", "ar", "fa", "ja"])
def test_days_and_times_are_babels_own_with_the_pattern_found_once(lang: str) -> None:
    """Formatter keeps the pattern each skeleton matched; Babel's functions, asked each time, give the same text."""
    from babel import dates as babel_dates

    zone = ZoneInfo("Asia/Seoul")
    formatter = l10n.Formatter(lang, zone)
    skeletons = formatter.locale.datetime_skeletons
    for hour in range(24):
        moment = dt.datetime(2019, 11, 26, hour, 5, tzinfo=zone)
        assert formatter.time(moment) == babel_dates.format_skeleton(formatter._hour + "m", moment, tzinfo=zone, locale=formatter.locale)
    for offset in range(7):
        day = dt.date(2019, 11, 24) + dt.timedelta(days=offset)
        for method, skeleton in ((formatter.day, "yMMMEd"), (formatter.short_day, "MMMEd")):
            pattern = str(skeletons[babel_dates.match_skeleton(skeleton, skeletons)])
            assert method(day) == formatter._calendar.format(day, pattern, formatter.locale)
