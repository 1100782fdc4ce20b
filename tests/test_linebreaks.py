"""linebreaks: words an edition keeps on one line, and no line starting with a repetition mark."""

from __future__ import annotations

from pathlib import Path

from eventsite.errors import BuildError
from eventsite.linebreaks import KEEP, NO_BREAK_SPACE, keep_together
from eventsite.load import load_content
from eventsite.validate import validate_content

from .sitekit import SITE_YAML, build, parse_html, write_site



def test_listed_words_in_text_are_wrapped() -> None:
    html = "<html><head></head><body><p>เมืองปูซาน</p><p>เมียนมา และปูซาน</p></body></html>"
    assert keep_together(html, ("ปูซาน", "เมียนมา")) == (
        f"<html><head></head><body><p>เมือง{KEEP}ปูซาน</span></p>"
        f"<p>{KEEP}เมียนมา</span> และ{KEEP}ปูซาน</span></p></body></html>"
    )


def test_metadata_attributes_scripts_and_titles_are_left_alone() -> None:
    head = '<html><head><title>ปูซาน</title><meta name="description" content="ปูซาน"></head>'
    body = (
        '<body><a href="/th/" title="ปูซาน" data-x="ปูซาน">ปูซาน</a>'
        '<script type="application/ld+json">{"name": "ปูซาน"}</script>'
        "<style>/* ปูซาน */</style><!-- ปูซาน --><textarea>ปูซาน</textarea>"
        '<select><option value="MM">ปูซาน</option></select>'
        '<svg><title>ปูซาน</title><text>ปูซาน</text></svg></body></html>'
    )
    result = keep_together(head + body, ("ปูซาน",))
    assert result == head + body.replace(">ปูซาน</a>", f">{KEEP}ปูซาน</span></a>")


def test_the_longest_listed_word_wins() -> None:
    html = "<body>ความร่วมมือ</body>"
    assert keep_together(html, ("ร่วมมือ", "ความร่วมมือ")) == f"<body>{KEEP}ความร่วมมือ</span></body>"


def test_a_line_never_starts_with_a_repetition_mark() -> None:
    html = '<body title="ต่าง ๆ"><p>ต่าง ๆ และ ใหม่\n ๆ</p><p>ບ່ອນ ໆ</p></body>'
    result = keep_together(html, ())
    assert result == (
        f'<body title="ต่าง ๆ"><p>ต่าง{NO_BREAK_SPACE}ๆ และ ใหม่{NO_BREAK_SPACE}ๆ</p><p>ບ່ອນ{NO_BREAK_SPACE}ໆ</p></body>'
    )


def test_a_mark_written_after_its_word_stays_with_the_letter_before_it() -> None:
    # Lao writes ໆ straight after the word (ອື່ນໆ); the letter keeps its marks (ື່ before ນ is part of ອື່).
    html = "<body><p>ອາຊຽນອື່ນໆ ເລື້ອຍໆ. ต่างๆ</p></body>"
    assert keep_together(html, ("ອາຊຽນ",)) == (
        f"<body><p>{KEEP}ອາຊຽນ</span>ອື່{KEEP}ນໆ</span> ເລື້ອ{KEEP}ຍໆ</span>. ต่า{KEEP}งๆ</span></p></body>"
    )
    assert keep_together("<body>ປູຊານໆ</body>", ("ປູຊານ",)) == f"<body>{KEEP}ປູຊານໆ</span></body>"


def test_a_listed_word_with_a_spaced_mark_is_found() -> None:
    assert keep_together("<body>ต่าง ๆ</body>", ("ต่าง ๆ",)) == f"<body>{KEEP}ต่าง{NO_BREAK_SPACE}ๆ</span></body>"


def test_a_word_is_kept_only_whole_with_its_marks() -> None:
    assert keep_together("<body>การ์ด การ</body>", ("การ",)) == f"<body>การ์ด {KEEP}การ</span></body>"
    assert keep_together("<body>ဘူဆန်း ဘူဆန်</body>", ("ဘူဆန်",)) == f"<body>ဘူဆန်း {KEEP}ဘူဆန်</span></body>"
    # after a Khmer coeng the match would start inside a stacked cluster
    assert keep_together("<body>ស្ត ត</body>", ("ត",)) == f"<body>ស្ត {KEEP}ត</span></body>"


def test_references_code_and_tricky_markup_are_left_alone() -> None:
    html = (
        '<BODY class="x"><p>&nbsp;nbsp &#3610; R&amp;D</p><pre>ต่าง ๆ ปูซาน</pre><code>ปูซาน</code>'
        '<a title="a > ปูซาน" data-x=\'b > ปูซาน\'>x</a>'
        "<select><option>ปูซาน<option selected>ปูซาน</select><svg-icon>ปูซาน</svg-icon></BODY>"
    )
    # only the word after the reference, and the custom element's text (<svg-icon> is not SVG)
    expected = html.replace(";nbsp ", f";{KEEP}nbsp</span> ").replace("<svg-icon>ปูซาน", f"<svg-icon>{KEEP}ปูซาน</span>")
    assert keep_together(html, ("ปูซาน", "nbsp")) == expected


def test_nothing_to_do_returns_the_same_string() -> None:
    html = "<body><p>Busan</p></body>"
    assert keep_together(html, ()) is html
    assert keep_together(html, ("ปูซาน",)) is html


def test_too_long_or_multi_line_words_are_located_errors(tmp_path: Path) -> None:
    site_yaml = SITE_YAML.replace(
        "timezone:", "locales:\n  th:\n    keep_together: [ปูซาน, '" + "ก" * 21 + "', \"a\\nb\", R&D]\ntimezone:"
    )
    content = write_site(tmp_path, {"site.yaml": site_yaml})
    try:
        validate_content(load_content(content))
    except BuildError as error:
        messages = [f"{problem.path}:{problem.line}: {problem.message}" for problem in error.problems]
    else:
        raise AssertionError("expected a BuildError")
    assert len(messages) == 3, messages
    line = site_yaml.splitlines().index("    keep_together: [ปูซาน, '" + "ก" * 21 + "', \"a\\nb\", R&D]") + 1
    assert all(message.startswith(f"content/site.yaml:{line}: locales.th.keep_together.") for message in messages), messages
    assert any("20 characters" in message for message in messages), messages
    assert any("may not contain &" in message for message in messages), messages


def test_an_edition_keeps_its_words_and_others_are_untouched(tmp_path: Path) -> None:
    site_yaml = SITE_YAML.replace("timezone:", "locales:\n  th: {keep_together: [ปูซาน]}\ntimezone:")
    content = write_site(
        tmp_path,
        {
            "site.yaml": site_yaml,
            "pages/about.th.md": "---\ntitle: เกี่ยวกับปูซาน\n---\nการประชุมที่เมืองปูซาน และเมืองอื่น ๆ\n",
            "pages/about.ko.md": "---\ntitle: 부산 소개\n---\n부산 ปูซาน\n",
        },
    )
    build(content, tmp_path / "site")  # raises BuildError on any problem
    thai = parse_html(tmp_path / "site" / "th" / "about" / "index.html")
    kept = thai.findall(".//main//span[@class='keep']")
    assert [span.text for span in kept] == ["ปูซาน"] * len(kept) and len(kept) >= 2  # heading and body
    body_text = "".join(thai.find(".//main").itertext())
    assert f"อื่น{NO_BREAK_SPACE}ๆ" in body_text
    assert thai.findtext(".//title").startswith("เกี่ยวกับปูซาน")  # the title is text, not markup
    korean = parse_html(tmp_path / "site" / "ko" / "about" / "index.html")
    assert korean.findall(".//span[@class='keep']") == []  # the list is the Thai edition's
