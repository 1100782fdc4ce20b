#!/usr/bin/env python3
"""Draw the Busan site's sample identity: an emblem and a key visual (site.yaml logo, key_visual).

    python scripts/make_brand_images.py

Writes below ``content/media/brand/``:

- ``emblem.svg``: the emblem, written as SVG text (the header and the favicon);
- ``emblem.png``: the same drawing, 512×512 (the touch icon is made from it);
- ``key-visual.jpg``: abstract artwork, 2400×800, JPEG quality 82, progressive.

**Sample material, made up for this demonstration**: not the forum's or any
government's emblem. Eleven dots (the ten ASEAN member states and the
Republic of Korea) ring three waves (Busan is a port city), in the site's
colours (site.yaml ``colors``). The alt texts in site.yaml describe what is
drawn: update them when a motif changes.

Deterministic: the same Pillow writes the same bytes on every run (no EXIF,
no timestamp; randomness from a seeded ``random.Random``). Shapes are drawn
at twice the size and scaled down, which smooths their edges.
"""

from __future__ import annotations

import math
import random
from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "content" / "media" / "brand"

PRIMARY = (0x17, 0x4A, 0x84)  # site.yaml colors.primary
ACCENT = (0xB0, 0x28, 0x2B)  # site.yaml colors.accent
TEAL = (0x21, 0x74, 0x78)
GOLD = (0xDE, 0xA3, 0x26)
SKY = (0x80, 0xA8, 0xCC)
WHITE = (255, 255, 255)
DOTS = 11

Color = tuple[int, int, int]


def hex_of(colour: Color) -> str:
    return "#" + "".join(f"{c:02x}" for c in colour)


def dot_colour(index: int) -> Color:
    """Korea first (the host, in the accent colour), then the ten member states in gold."""
    return ACCENT if index == 0 else GOLD


# --- the emblem: a 100×100 design, as SVG and as pixels --------------------------------------

# Three waves: (y of the crest line, amplitude, stroke width, colour), inside the inner disc.
WAVES = ((44.0, 5.0, 5.0, PRIMARY), (56.0, 5.0, 5.0, TEAL), (68.0, 5.0, 5.0, SKY))


def wave_points(y: float, amplitude: float, steps: int = 48) -> list[tuple[float, float]]:
    """One and a half periods of a sine, from x=24 to x=76."""
    return [(24 + 52 * i / steps, y - amplitude * math.sin(3 * math.pi * i / steps)) for i in range(steps + 1)]


def dot_centres() -> list[tuple[float, float]]:
    return [(50 + 39 * math.sin(2 * math.pi * i / DOTS), 50 - 39 * math.cos(2 * math.pi * i / DOTS)) for i in range(DOTS)]


def emblem_svg() -> str:
    parts = [
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" width="100" height="100">',
        "<!-- Sample emblem drawn by scripts/make_brand_images.py: not an official emblem. -->",
        f'<circle cx="50" cy="50" r="49" fill="{hex_of(WHITE)}"/>',
        f'<circle cx="50" cy="50" r="46" fill="none" stroke="{hex_of(PRIMARY)}" stroke-width="4"/>',
    ]
    for index, (x, y) in enumerate(dot_centres()):
        parts.append(f'<circle cx="{x:.2f}" cy="{y:.2f}" r="3.6" fill="{hex_of(dot_colour(index))}"/>')
    for y, amplitude, width, colour in WAVES:
        points = " ".join(f"{x:.2f},{py:.2f}" for x, py in wave_points(y, amplitude))
        parts.append(
            f'<polyline points="{points}" fill="none" stroke="{hex_of(colour)}" stroke-width="{width}" '
            'stroke-linecap="round" stroke-linejoin="round"/>'
        )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def emblem_png(size: int = 512) -> Image.Image:
    scale = size * 2 / 100
    image = Image.new("RGBA", (size * 2, size * 2), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)

    def circle(cx: float, cy: float, r: float, **style) -> None:
        draw.ellipse(((cx - r) * scale, (cy - r) * scale, (cx + r) * scale, (cy + r) * scale), **style)

    circle(50, 50, 49, fill=WHITE)
    circle(50, 50, 48, outline=PRIMARY, width=round(4 * scale))
    circle(50, 50, 44, fill=WHITE)
    for index, (x, y) in enumerate(dot_centres()):
        circle(x, y, 3.6, fill=dot_colour(index))
    for y, amplitude, width, colour in WAVES:
        points = [(x * scale, py * scale) for x, py in wave_points(y, amplitude)]
        draw.line(points, fill=colour, width=round(width * scale), joint="curve")
        for x, py in (points[0], points[-1]):  # round caps
            r = width * scale / 2
            draw.ellipse((x - r, py - r, x + r, py + r), fill=colour)
    return image.resize((size, size), Image.Resampling.LANCZOS)


# --- the key visual --------------------------------------------------------------------------

KEY_WIDTH, KEY_HEIGHT = 2400, 800


def mix(a: Color, b: Color, t: float) -> Color:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b))  # type: ignore[return-value]


def key_visual() -> Image.Image:
    """Layers of waves in blues and teal, rising to the right, under a band of eleven dots."""
    width, height = KEY_WIDTH * 2, KEY_HEIGHT * 2
    rng = random.Random("busan-2019-key-visual")
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    sky_top, sky_bottom = (0xE9, 0xF0, 0xF7), (0xC9, 0xDA, 0xEA)
    for y in range(height):  # a calm sky, lighter at the top
        draw.line(((0, y), (width, y)), fill=mix(sky_top, sky_bottom, y / height))
    # A low sun behind the waves (gold, faint), at the focal point's side.
    cx, cy, r = width * 0.68, height * 0.42, height * 0.28
    for step in range(40, 0, -1):
        t = step / 40
        draw.ellipse((cx - r * t, cy - r * t, cx + r * t, cy + r * t), fill=mix(sky_bottom, GOLD, 0.55 * (1 - t) + 0.15))
    layers = 9
    for layer in range(layers):
        t = layer / (layers - 1)
        base = height * (0.42 + 0.07 * layer)
        amplitude = height * (0.035 + 0.012 * layer)
        period = width / (1.6 + 0.35 * layer)
        phase = rng.uniform(0, 2 * math.pi)
        colour = mix(mix(SKY, TEAL, 0.35), PRIMARY, t) if layer % 3 else mix(TEAL, PRIMARY, t * 0.8)
        points = [(0, height)]
        for x in range(0, width + 16, 16):
            rise = -height * 0.10 * (x / width)  # the sea rises towards the right
            y = base + rise + amplitude * math.sin(2 * math.pi * x / period + phase)
            points.append((x, y))
        points.append((width, height))
        draw.polygon(points, fill=colour)
    # Eleven dots on an arc over the sea: Korea (accent) among the ten member states (white).
    for index in range(DOTS):
        angle = math.pi * (0.18 + 0.64 * index / (DOTS - 1))
        x = width * 0.68 - math.cos(angle) * width * 0.2
        y = height * 0.62 - math.sin(angle) * height * 0.46
        r = height * 0.022
        draw.ellipse((x - r, y - r, x + r, y + r), fill=ACCENT if index == DOTS // 2 else WHITE)
    return image.resize((KEY_WIDTH, KEY_HEIGHT), Image.Resampling.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "emblem.svg").write_text(emblem_svg(), encoding="utf-8")
    emblem_png().save(OUT / "emblem.png", "PNG", optimize=True)
    key_visual().save(OUT / "key-visual.jpg", "JPEG", quality=82, progressive=True, optimize=True)
    for name in ("emblem.svg", "emblem.png", "key-visual.jpg"):
        print(f"wrote {(OUT / name).relative_to(ROOT)}")


if __name__ == "__main__":
    main()
