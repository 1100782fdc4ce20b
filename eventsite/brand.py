"""The event's identity (site.yaml ``logo``, ``colors``, ``key_visual``): checks and the files made from it.

- Colours reach the pages through ``static/brand.css``, custom properties the
  theme's style.css reads (never inline styles: the Content-Security-Policy
  forbids them). A site without colours gets no file and keeps the theme's.
- Every colour is checked against the text pairs the theme draws with it
  (:data:`TEXT_PAIRS`, WCAG 2.x relative luminance): below AA (4.5:1) is an
  error at its line in site.yaml, and the build stops before writing.
- The logo is the header's emblem and the favicon (an SVG as it is; a PNG is
  scaled); a PNG of it (the logo itself, or ``raster`` beside an SVG) makes
  the 180×180 touch icon. SVG is not rasterized: that would need a new
  dependency (cairosvg) for one icon.
- The key visual's focal point becomes its ``object-position`` in brand.css.
"""

from __future__ import annotations

import io
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Iterable

from .colours import contrast, ratio_text
from .config import SiteConfig
from .entries import Site
from .errors import Problem
from .routes import PageKind

if TYPE_CHECKING:
    from .documents import Document
    from .page import Page

WHITE, WASH = "#ffffff", "#f3f5f8"  # the theme's paper and the tint of its panels (style.css --paper, --wash)
AA_NORMAL_TEXT = 4.5

# (colour, the other colour of the pair, where the theme puts them together), from style.css.
TEXT_PAIRS: tuple[tuple[str, str, str], ...] = (
    ("primary", WHITE, "links on the page; white text on the header and buttons"),
    ("primary", WASH, "links on tinted panels (day cards, details, the footer)"),
    ("accent", WHITE, "white text on highlights (the 'now' badge)"),
)

LOGO_SUFFIXES = (".svg", ".png")
RASTER_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp")
TOUCH_ICON_SIZE = 180
FAVICON_SIZE = 48


# --- contrast (WCAG 2.x) --------------------------------------------------------------------


def darker(colour: str, amount: float = 0.25) -> str:
    """The colour mixed with black: hover states (--brand-dark), always at least as readable on white."""
    channels = [round(int(colour[i : i + 2], 16) * (1 - amount)) for i in (1, 3, 5)]
    return "#" + "".join(f"{c:02x}" for c in channels)


# --- checks ----------------------------------------------------------------------------------


def brand_problems(config: SiteConfig, document: "Document", media: Iterable[str]) -> list[Problem]:
    """Colours below AA in the theme's text pairs, and identity files that are missing or of the wrong type."""
    found: list[Problem] = []
    colours = config.colors
    if colours is not None:
        for name, other, _where in TEXT_PAIRS:
            colour = getattr(colours, name)
            if colour is None:
                continue
            ratio = contrast(colour, other)
            if ratio < AA_NORMAL_TEXT:
                line, _column = document.meta.locate(("colors", name))
                message = (
                    f"colour {name} {colour} on {other} has contrast {ratio_text(ratio)}, "
                    f"below {AA_NORMAL_TEXT}:1 (WCAG AA)"
                )
                found.append(Problem(document.display, line, message))  # path:line: as the docs show it
    existing = set(media)
    files: list[tuple[tuple[str, ...], str | None, tuple[str, ...]]] = []
    if config.logo is not None:
        files.append((("logo", "file"), config.logo.file, LOGO_SUFFIXES))
        files.append((("logo", "raster"), config.logo.raster, (".png",)))
    if config.key_visual is not None:
        files.append((("key_visual", "file"), config.key_visual.file, RASTER_SUFFIXES))
    for path, relative, suffixes in files:
        if relative is None:
            continue
        line, column = document.meta.locate(path)
        if PurePosixPath(relative).suffix.lower() not in suffixes:
            found.append(Problem(document.display, line, f"{'.'.join(path)}: media/{relative} is not {' or '.join(s[1:].upper() for s in suffixes)}", column))
        elif relative not in existing:
            found.append(Problem(document.display, line, f"{'.'.join(path)}: media/{relative} does not exist", column))
    return found


# --- what the build makes --------------------------------------------------------------------


def logo_png(config: SiteConfig) -> str | None:
    """The PNG of the logo below media/ (the logo itself, or its raster), or None."""
    logo = config.logo
    if logo is None:
        return None
    if logo.file.lower().endswith(".png"):
        return logo.file
    return logo.raster


def stylesheet(config: SiteConfig) -> str:
    """brand.css: the colours as the custom properties style.css reads, and the key visual's crop."""
    lines = ["/* Made by the build from site.yaml (eventsite/brand.py): the event's colours. */"]
    colours = config.colors
    if colours is not None:
        properties = [f"--brand: {colours.primary};", f"--brand-dark: {darker(colours.primary)};"]
        if colours.accent is not None:
            properties.append(f"--accent: {colours.accent};")
        lines.append(":root { " + " ".join(properties) + " }")
    if config.key_visual is not None:
        lines.append(f".key-visual img {{ object-position: {config.key_visual.focal_point}; }}")
    return "\n".join(lines) + "\n"


def _has_stylesheet(site: Site) -> Iterable[None]:
    config = site.config
    return (None,) if config.colors is not None or config.key_visual is not None else ()


def _has_png_logo(site: Site) -> Iterable[None]:
    return (None,) if logo_png(site.config) is not None else ()


def render_stylesheet(page: "Page") -> bytes:
    page.recorder.record(page.site.root / "site.yaml")
    return stylesheet(page.site.config).encode("utf-8")


def render_icon(page: "Page") -> bytes | None:
    """A square PNG of the logo on white (iOS fills transparency with black), ``page.route.kind`` says how big."""
    from PIL import Image  # only builds with a PNG logo pay for it

    relative = logo_png(page.site.config)
    media = page.site.media.get(relative) if relative else None
    if media is None:
        return None
    page.recorder.record(media.path)
    size = ICON_SIZES[page.route.kind.name]
    with Image.open(media.path) as source:
        logo = source.convert("RGBA")
    margin = size // 10 if size >= TOUCH_ICON_SIZE else 0  # the touch icon's rounded corners must not cut the mark
    logo.thumbnail((size - 2 * margin, size - 2 * margin), Image.Resampling.LANCZOS)
    icon = Image.new("RGBA", (size, size), (255, 255, 255, 255 if size >= TOUCH_ICON_SIZE else 0))
    icon.alpha_composite(logo, ((size - logo.width) // 2, (size - logo.height) // 2))
    stream = io.BytesIO()
    icon.save(stream, "PNG", optimize=True)
    return stream.getvalue()


ICON_SIZES = {"touch-icon": TOUCH_ICON_SIZE, "favicon-png": FAVICON_SIZE}

# Language-neutral files below static/ (so fingerprinting names them by their bytes like the theme's assets).
BRAND_FILES: tuple[PageKind, ...] = (
    PageKind("brand-css", "brand-css", None, lambda key: "/static/brand.css", _has_stylesheet, per_language=False, listed=False),
    PageKind("touch-icon", "brand-icon", None, lambda key: "/static/touch-icon.png", _has_png_logo, per_language=False, listed=False),
    PageKind("favicon-png", "brand-icon", None, lambda key: "/static/favicon.png", _has_png_logo, per_language=False, listed=False),
)
