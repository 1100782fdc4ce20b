"""QR codes for printed pages: a URL → an SVG picture as a ``data:`` URI (segno).

Why a ``data:`` URI in an ``<img>`` rather than inline SVG or a file of its own:
the page's Content-Security-Policy already allows ``img-src data:``, an
``<img>`` has a real ``alt`` (what the code links to), the SVG needs no style
attribute, and no extra output file per link and language has to be planned,
written and kept current.
"""

from __future__ import annotations

from functools import lru_cache

import segno

QUIET_ZONE = 4  # modules of white around the code: the minimum the QR standard asks of readers


@lru_cache(maxsize=4096)  # the dev server renders the same signs again after each edit
def svg_data_uri(url: str) -> str:
    """A QR code of ``url`` as ``data:image/svg+xml,…``: black modules, transparent ground, sized by its viewBox.

    Error correction M (15 %) survives a crease or a smudge on a printed sheet;
    segno picks the smallest version that holds the URL.
    """
    code = segno.make(url, error="m", micro=False, boost_error=False)
    return code.svg_data_uri(border=QUIET_ZONE, omitsize=True, dark="#000", light="#fff")
