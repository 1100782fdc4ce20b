"""eventsite/qr.py: our mask search gives segno's codes, module for module, and leaves segno as it was.

The codes are also scanned back in a browser (tests/test_signs.py); here the mask choice is compared
with segno's own search, which is the reference: the same mask, the same modules, the same SVG.
"""

from __future__ import annotations

import random
import string

import pytest
import segno
from hypothesis import given, settings
from hypothesis import strategies as st
from segno import encoder

from eventsite import qr


def segno_own(url: str) -> segno.QRCode:
    return segno.make(url, error="m", micro=False, boost_error=False)


def sample_urls() -> list[str]:
    """Session pages as the site links them, and longer and odder URLs: versions 2 to 14."""
    rng = random.Random(19)
    urls = [f"https://www.example.go.kr/busan2019/{lang}/sessions/roundtable-session-{n}/" for lang in ("en", "ko", "th", "km", "my") for n in range(1, 4)]
    alphabet = string.ascii_letters + string.digits + "/-_.~%?=&"
    urls += [f"https://example.org/{''.join(rng.choice(alphabet) for _ in range(rng.randint(1, 400)))}" for _ in range(150)]
    urls += ["https://example.org/ວຽງຈັນ/ព្រះរាជាណាចក្រ/", "HTTPS://EXAMPLE.ORG/ABC", "https://example.org/" + "9" * 300]
    return urls


@pytest.mark.parametrize("url", sample_urls(), ids=lambda url: str(len(url)))
def test_the_same_mask_and_modules_as_segnos_own_search(url: str) -> None:
    ours, theirs = qr.make(url), segno_own(url)
    assert (ours.version, ours.mask, ours.matrix) == (theirs.version, theirs.mask, theirs.matrix)


def test_the_pictures_are_the_same_bytes() -> None:
    url = "https://www.example.go.kr/busan2019/th/sessions/roundtable-opening/"
    qr.svg_data_uri.cache_clear()
    assert qr.svg_data_uri(url) == segno_own(url).svg_data_uri(border=qr.QUIET_ZONE, omitsize=True, dark="#000", light="#fff")


@settings(max_examples=200, deadline=None)
@given(st.sampled_from([21, 25, 29, 33, 45, 57]), st.integers(min_value=0, max_value=2**32))
def test_the_penalty_is_segnos_for_any_symbol(width: int, seed: int) -> None:
    rng = random.Random(seed)
    # Random modules, and some with long runs and 1:1:3:1:1 patterns, which random ones rarely have.
    density = rng.choice([0.5, 0.1, 0.9])
    matrix = tuple(bytearray(int(rng.random() < density) for _ in range(width)) for _ in range(width))
    for _ in range(rng.randint(0, 6)):
        row, start = rng.randrange(width), rng.randrange(width - 7)
        matrix[row][start : start + 7] = b"\x01\x00\x01\x01\x01\x00\x01"
    assert qr.penalty(b"".join(matrix), width) == sum(encoder.mask_scores(matrix, width, width))


def test_segno_has_its_own_search_back_after_each_code_even_a_failed_one() -> None:
    own = encoder.find_and_apply_best_mask
    qr.make("https://example.org/")
    assert encoder.find_and_apply_best_mask is own
    with pytest.raises(Exception):
        qr.make("https://example.org/" + "x" * 5000)  # too long for any QR code
    assert encoder.find_and_apply_best_mask is own


@pytest.mark.parametrize(("width", "proposed"), [(21, 5), (25, None), (33, 0), (13, None), (17, 2)])
def test_a_chosen_mask_and_micro_codes_are_segnos_own(width: int, proposed: int | None) -> None:
    rng = random.Random(width)
    modules = [bytes(rng.randint(0, 1) for _ in range(width)) for _ in range(width)]
    ours = qr.best_mask(tuple(bytearray(row) for row in modules), width, width, proposed)
    theirs = encoder.find_and_apply_best_mask(tuple(bytearray(row) for row in modules), width, width, proposed)
    assert (ours[0], tuple(ours[1])) == (theirs[0], tuple(theirs[1]))
