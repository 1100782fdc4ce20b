"""QR codes for printed pages: a URL → an SVG picture as a ``data:`` URI (segno).

Why a ``data:`` URI in an ``<img>`` rather than inline SVG or a file of its own:
the page's Content-Security-Policy already allows ``img-src data:``, an
``<img>`` has a real ``alt`` (what the code links to), the SVG needs no style
attribute, and no extra output file per link and language has to be planned,
written and kept current.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Callable

from .versions import installed_version

if TYPE_CHECKING:
    import segno

    from .cache import DiskCache

QUIET_ZONE = 4  # modules of white around the code: the minimum the QR standard asks of readers


VERSION = "1"  # bump when the pictures change (they are kept in the build's disk cache)


def cached_svg_data_uri(url: str, cache: "DiskCache | None") -> str:
    """:func:`svg_data_uri` through the disk cache: a code costs ~2.5 ms (it was 15 ms under the profiler
    with segno's own mask search, a quarter of a warm build of 1,000 sessions, each with a room sign)."""
    if cache is None:
        return svg_data_uri(url)
    key = cache.key("qr", VERSION, _segno_version(), url)
    found = cache.get(key)
    if isinstance(found, str):
        return found
    made = svg_data_uri(url)
    cache.put(key, made)
    return made


@lru_cache(maxsize=4096)  # the dev server renders the same signs again after each edit
def svg_data_uri(url: str) -> str:
    """A QR code of ``url`` as ``data:image/svg+xml,…``: black modules, transparent ground, sized by its viewBox.

    Error correction M (15 %) survives a crease or a smudge on a printed sheet;
    segno picks the smallest version that holds the URL.
    """
    code = make(url)
    return code.svg_data_uri(border=QUIET_ZONE, omitsize=True, dark="#000", light="#fff")


def _segno_version() -> str:
    """segno's version, without importing segno (~25 ms with what it imports: a build whose codes are all
    in the cache needs none of it)."""
    found = installed_version("segno")
    if found is None:  # not on the path as a distribution: ask the module
        import segno

        found = segno.__version__
    return found


def _encoder() -> Any:  # segno.encoder (typed loosely: segno has no stubs)
    """segno's encoder, imported when a code is first made; its own mask search kept for :func:`best_mask`."""
    global _segno_best_mask
    from segno import encoder

    if _segno_best_mask is None:
        _segno_best_mask = encoder.find_and_apply_best_mask
    return encoder


def make(url: str) -> "segno.QRCode":
    """``segno.make``, the same code made in 1.9 ms instead of 5.2 (a programme item's page URL): :func:`best_mask`.

    segno looks up ``find_and_apply_best_mask`` in its encoder module when it encodes; it is ours
    only for this call. tests/test_qr.py checks that both choose the same mask and give the same
    modules, so a segno release that changes its rules fails there, not in a reader's scanner.
    """
    import segno

    with _SWAP:  # the dev server's threads: one swap at a time, so segno's own is always what is put back
        encoder = _encoder()
        own = encoder.find_and_apply_best_mask
        encoder.find_and_apply_best_mask = best_mask
        try:
            return segno.make(url, error="m", micro=False, boost_error=False)
        finally:
            encoder.find_and_apply_best_mask = own


_segno_best_mask: Callable[..., Any] | None = None  # segno's own, once segno is imported (_encoder)
_SWAP = threading.Lock()


# --- the mask search -------------------------------------------------------------------------------
# segno tries the eight data masks (ISO/IEC 18004:2015, 7.8) module by module in Python: ~4 ms of a
# code's 5, and 10,000 programme pages have 10,000 codes. The same rules over the whole symbol at once:
# its modules as one integer of one byte each (0 or 1), a mask XORed in at once, rows and columns as
# slices of its bytes, runs and finder-like patterns found by the regular-expression and bytes engines.

_RUN = re.compile(rb"\x00{5,}|\x01{5,}")  # N1: five or more modules of one colour in a row or column
_FINDER_LIKE = b"\x01\x00\x01\x01\x01\x00\x01"  # N3: dark:light:dark:light:dark, 1:1:3:1:1
_LIGHT_EDGE = b"\x00\x00\x00\x00"  # between lines for N3: outside the symbol counts as light, as segno reads it


def best_mask(matrix, width: int, height: int, proposed_mask: int | None = None):  # noqa: ANN001, ANN201 (segno's signature)
    """What ``segno.encoder.find_and_apply_best_mask`` returns: (mask, masked matrix), the lowest penalty, the first on a tie."""
    if proposed_mask is not None or width != height or width < 21:  # a chosen mask, or a Micro QR code: segno's own way
        _encoder()
        assert _segno_best_mask is not None
        return _segno_best_mask(matrix, width, height, proposed_mask)
    modules = int.from_bytes(b"".join(matrix), "big")
    best_pattern, best_score, best_flat = -1, -1, b""
    for pattern, mask in enumerate(_masks(width)):
        flat = (modules ^ mask).to_bytes(width * width, "big")
        score = penalty(flat, width)
        if best_score < 0 or score < best_score:
            best_pattern, best_score, best_flat = pattern, score, flat
    return best_pattern, tuple(bytearray(best_flat[start : start + width]) for start in range(0, width * width, width))


def penalty(flat: bytes, width: int) -> int:
    """N1 + N2 + N3 + N4 of a masked symbol given row after row, one byte per module, as segno's ``evaluate_mask`` counts."""
    rows = [flat[start : start + width] for start in range(0, width * width, width)]
    columns = [flat[column::width] for column in range(width)]
    lines = b"\x02".join(rows + columns)  # no run crosses from one line into the next
    n1 = sum(len(run) - 2 for run in _RUN.findall(lines))
    # N2: each 2×2 block of one colour. Shifting by 8 bits moves to the module on the left, by 8 × width to the one above.
    modules = int.from_bytes(flat, "big")
    ones, inner = _ones(width)
    same_as_left = modules ^ (modules >> 8) ^ ones
    same_as_above = modules ^ (modules >> (8 * width)) ^ ones
    n2 = (same_as_left & same_as_above & (same_as_above >> 8) & inner).bit_count()
    n3 = _finder_like(_LIGHT_EDGE.join([b"", *rows, *columns, b""]))
    n4 = 10 * int(abs(float(flat.count(1)) / (width**2) * 100 - 50) / 5)
    return n1 + 3 * n2 + n3 + n4


def _finder_like(lines: bytes) -> int:
    """N3 (40 each), continuing the search where segno does (after the pattern, or at its third dark module)."""
    score = 0
    start = lines.find(_FINDER_LIKE)
    while start != -1:
        end = start + 7
        if not any(lines[start - 4 : start]) or not any(lines[end : end + 4]):
            score += 40
        else:
            end = start + 4
        start = lines.find(_FINDER_LIKE, end)
    return score


@lru_cache(maxsize=64)
def _ones(width: int) -> tuple[int, int]:
    """1 in every module; 1 in every module with a module on its left and one above it."""
    ones = int.from_bytes(b"\x01" * (width * width), "big")
    inner = int.from_bytes(b"\x00" * width + (b"\x00" + b"\x01" * (width - 1)) * (width - 1), "big")
    return ones, inner


@lru_cache(maxsize=64)
def _masks(width: int) -> tuple[int, ...]:
    """The eight masks as integers to XOR: 1 in the data region where the mask is dark."""
    encoder = _encoder()
    function_matrix = encoder.make_matrix(width, width)
    encoder.add_finder_patterns(function_matrix, width, width)
    encoder.add_alignment_patterns(function_matrix, width, width)
    function_matrix[-8][8] = 0x1  # the dark module
    return tuple(
        int.from_bytes(
            bytes(int(function_matrix[i][j] > 0x1 and pattern(i, j)) for i in range(width) for j in range(width)), "big"
        )
        for pattern in encoder.get_data_mask_functions(False)
    )
