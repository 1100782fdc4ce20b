"""The tracks' colours as a stylesheet: ``/tracks.css`` (site.yaml ``tracks``).

The Content-Security-Policy allows no inline styles, so a colour chosen in
site.yaml cannot be written into a page: each track gets a class here
(``.track-roundtable``) that sets ``--track-color``, and the theme
(templates/static/style.css) draws it as a bar beside the text, never behind
it, so the text's contrast never depends on a track's colour. Colours are
checked against the page's white when site.yaml is read (eventsite/config.py).
"""

from __future__ import annotations

from ..page import Page
from ..views import track_class


def render(page: Page) -> bytes:
    lines = ["/* Track colours from site.yaml, written by eventsite (eventsite/formats/tracks.py). */"]
    for track in page.site.tracks.values():
        lines.append(f".{track_class(track.id)} {{ --track-color: {track.color}; }}")
    return ("\n".join(lines) + "\n").encode("utf-8")
