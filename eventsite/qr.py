"""QR codes for printed pages: a URL → an SVG picture as a ``data:`` URI (segno).

Why a ``data:`` URI in an ``<img>`` rather than inline SVG or a file of its own:
the page's Content-Security-Policy already allows ``img-src data:``, an
``<img>`` has a real ``alt`` (what the code links to), the SVG needs no style
attribute, and no extra output file per link and language has to be planned,
written and kept current.
"""

from __future__ import annotations

import importlib.metadata
from functools import lru_cache
from typing import TYPE_CHECKING

import segno

if TYPE_CHECKING:
    from .cache import DiskCache

QUIET_ZONE = 4  # modules of white around the code: the minimum the QR standard asks of readers


VERSION = "1"  # bump when the pictures change (they are kept in the build's disk cache)


def cached_svg_data_uri(url: str, cache: "DiskCache | None") -> str:
    """:func:`svg_data_uri` through the disk cache: segno's mask search was ~15 ms a code, a quarter
    of a warm build of 1,000 sessions (each has a room sign with its code)."""
    if cache is None:
        return svg_data_uri(url)
    key = cache.key("qr", VERSION, importlib.metadata.version("segno"), url)
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
    code = segno.make(url, error="m", micro=False, boost_error=False)
    return code.svg_data_uri(border=QUIET_ZONE, omitsize=True, dark="#000", light="#fff")
