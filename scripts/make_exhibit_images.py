#!/usr/bin/env python3
"""Draw the abstract illustration of each exhibit (no text, no photos).

    python scripts/make_exhibit_images.py            # all exhibits
    python scripts/make_exhibit_images.py smart-traffic-system

Writes ``content/media/exhibits/<exhibit-id>.jpg``: 1200×800, JPEG quality
82, progressive, without EXIF or any timestamp. Deterministic: the same
Pillow writes the same bytes on every run (randomness comes from a
``random.Random`` seeded with the exhibit id). Each picture suggests its
subject with geometric motifs in the site's restrained palette; the
``image_alt`` texts in the exhibits' front matter describe what is drawn,
so update them when a motif changes.

Shapes are drawn at twice the size and scaled down, which smooths their
edges (Pillow's ImageDraw does not anti-alias).
"""

from __future__ import annotations

import math
import random
import sys
from pathlib import Path
from typing import Callable

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "content" / "media" / "exhibits"
WIDTH, HEIGHT = 1200, 800
SCALE = 2  # supersampling factor
W, H = WIDTH * SCALE, HEIGHT * SCALE

# The theme's palette (templates/static/style.css) and a few quiet companions.
PAPER = (243, 245, 248)
MIST = (221, 230, 240)
HAZE = (196, 212, 229)
SKY = (128, 168, 204)
NAVY = (11, 79, 138)
DEEP = (8, 58, 102)
TEAL = (33, 116, 120)
SAGE = (150, 186, 178)
GOLD = (222, 163, 38)
RED = (179, 38, 30)
SLATE = (74, 83, 97)
WHITE = (255, 255, 255)

Color = tuple[int, int, int]


def mix(a: Color, b: Color, t: float) -> Color:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b))  # type: ignore[return-value]


def s(value: float) -> int:
    """A design coordinate (1200×800 space) on the supersampled canvas."""
    return round(value * SCALE)


def box(x0: float, y0: float, x1: float, y1: float) -> tuple[int, int, int, int]:
    return (s(x0), s(y0), s(x1), s(y1))


def canvas(top: Color = PAPER, bottom: Color = MIST) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    """A soft vertical gradient with a faint dot grid, the common ground of every picture."""
    image = Image.new("RGB", (W, H), top)
    draw = ImageDraw.Draw(image)
    for y in range(H):
        draw.line([(0, y), (W, y)], fill=mix(top, bottom, y / (H - 1)))
    dot = mix(bottom, HAZE, 0.6)
    for gy in range(40, 800, 40):
        for gx in range(40, 1200, 40):
            draw.ellipse(box(gx - 1.6, gy - 1.6, gx + 1.6, gy + 1.6), fill=dot)
    return image, draw


def ring(draw: ImageDraw.ImageDraw, cx: float, cy: float, r: float, color: Color, width: float) -> None:
    draw.ellipse(box(cx - r, cy - r, cx + r, cy + r), outline=color, width=s(width))


def disc(draw: ImageDraw.ImageDraw, cx: float, cy: float, r: float, color: Color) -> None:
    draw.ellipse(box(cx - r, cy - r, cx + r, cy + r), fill=color)


def arc(draw: ImageDraw.ImageDraw, cx: float, cy: float, r: float, start: float, end: float, color: Color, width: float) -> None:
    draw.arc(box(cx - r, cy - r, cx + r, cy + r), start, end, fill=color, width=s(width))


def line(draw: ImageDraw.ImageDraw, points: list[tuple[float, float]], color: Color, width: float) -> None:
    draw.line([(s(x), s(y)) for x, y in points], fill=color, width=s(width), joint="curve")
    for x, y in (points[0], points[-1]):  # round caps
        disc(draw, x, y, width / 2, color)


def rounded(draw: ImageDraw.ImageDraw, x0: float, y0: float, x1: float, y1: float, radius: float, fill=None, outline=None, width: float = 0) -> None:
    draw.rounded_rectangle(box(x0, y0, x1, y1), radius=s(radius), fill=fill, outline=outline, width=s(width) if width else 0)


def polygon(draw: ImageDraw.ImageDraw, points: list[tuple[float, float]], fill: Color) -> None:
    draw.polygon([(s(x), s(y)) for x, y in points], fill=fill)


# --- the pictures --------------------------------------------------------------------


def disaster_response_5g(rng: random.Random) -> Image.Image:
    """Concentric radio waves spreading from a mast over a city map."""
    image, draw = canvas(PAPER, MIST)
    # City blocks, in a slightly irregular street grid.
    xs, x = [], 60.0
    while x < 1180:
        xs.append(x)
        x += rng.choice([110, 130, 150])
    ys, y = [], 70.0
    while y < 780:
        ys.append(y)
        y += rng.choice([100, 120, 140])
    for x0, x1 in zip(xs, xs[1:]):
        for y0, y1 in zip(ys, ys[1:]):
            shade = rng.choice([HAZE, mix(HAZE, MIST, 0.5), mix(HAZE, SKY, 0.25)])
            rounded(draw, x0 + 14, y0 + 14, x1 - 14, y1 - 14, 8, fill=shade)
    # A river through the city.
    river = [(-20, 640), (200, 600), (420, 650), (640, 560), (900, 600), (1220, 520)]
    line(draw, river, mix(SKY, MIST, 0.35), 46)
    cx, cy = 560, 420
    # Waves: thick near the mast, fading outwards.
    for index, radius in enumerate(range(90, 720, 70)):
        fade = index / 9
        ring(draw, cx, cy, radius, mix(NAVY, MIST, min(0.85, fade)), 10 - index * 0.6)
    # Sites on the ground reached by the signal.
    for px, py in [(250, 220), (880, 250), (300, 560), (960, 560), (760, 680)]:
        line(draw, [(cx, cy), (px, py)], mix(NAVY, MIST, 0.55), 3)
        disc(draw, px, py, 20, WHITE)
        disc(draw, px, py, 13, RED if (px, py) == (880, 250) else TEAL)
    # The mast.
    polygon(draw, [(cx - 34, cy + 110), (cx + 34, cy + 110), (cx + 6, cy - 40), (cx - 6, cy - 40)], DEEP)
    disc(draw, cx, cy - 46, 22, NAVY)
    disc(draw, cx, cy - 46, 10, WHITE)
    return image


def electronic_customs_clearance(rng: random.Random) -> Image.Image:
    """Parcels travelling on a conveyor line through a scanning gate, with a check mark."""
    image, draw = canvas(PAPER, MIST)
    belt_y = 560
    rounded(draw, 40, belt_y, 1160, belt_y + 36, 18, fill=SLATE)
    for x in range(70, 1160, 60):
        disc(draw, x, belt_y + 18, 9, mix(SLATE, MIST, 0.45))

    def parcel(x: float, w: float, h: float, color: Color) -> None:
        top = belt_y - h
        depth = w * 0.28
        polygon(draw, [(x, top), (x + depth, top - depth * 0.6), (x + w + depth, top - depth * 0.6), (x + w, top)], mix(color, WHITE, 0.35))
        polygon(draw, [(x + w, top), (x + w + depth, top - depth * 0.6), (x + w + depth, belt_y - depth * 0.6), (x + w, belt_y)], mix(color, DEEP, 0.35))
        draw.rectangle(box(x, top, x + w, belt_y), fill=color)
        draw.rectangle(box(x + w * 0.42, top, x + w * 0.58, belt_y), fill=mix(color, WHITE, 0.55))  # tape

    parcel(90, 150, 120, mix(GOLD, PAPER, 0.35))
    parcel(300, 120, 170, mix(GOLD, SLATE, 0.2))
    # The gate with its scanning beam.
    gx = 560
    rounded(draw, gx - 20, 200, gx + 20, belt_y, 10, fill=DEEP)
    rounded(draw, gx + 200, 200, gx + 240, belt_y, 10, fill=DEEP)
    rounded(draw, gx - 20, 180, gx + 240, 230, 14, fill=NAVY)
    for offset in range(0, 300, 28):
        draw.line([(s(gx + 20), s(250 + offset)), (s(gx + 200), s(250 + offset))], fill=mix(SKY, PAPER, 0.3), width=s(5))
    parcel(gx + 45, 130, 140, mix(GOLD, PAPER, 0.2))
    parcel(860, 160, 110, mix(GOLD, PAPER, 0.45))
    # Cleared: a check mark on a disc, and document lines that became data.
    disc(draw, 1000, 250, 72, TEAL)
    line(draw, [(962, 252), (990, 282), (1042, 222)], WHITE, 16)
    for index, width in enumerate([260, 200, 230]):
        rounded(draw, 80, 180 + index * 52, 80 + width, 204 + index * 52, 12, fill=mix(NAVY, MIST, 0.35 + index * 0.15))
    return image


def smart_traffic_system(rng: random.Random) -> Image.Image:
    """A road grid seen from above, with flowing vehicles and traffic signals at the crossings."""
    image, draw = canvas(MIST, HAZE)
    roads_x = [230, 620, 1010]
    roads_y = [190, 560]
    road = mix(SLATE, MIST, 0.15)
    for x in roads_x:
        draw.rectangle(box(x - 46, 0, x + 46, 800), fill=road)
    for y in roads_y:
        draw.rectangle(box(0, y - 46, 1200, y + 46), fill=road)
    # Lane markings.
    lane = mix(WHITE, MIST, 0.2)
    for x in roads_x:
        for y in range(0, 800, 48):
            if all(abs(y + 12 - ry) > 60 for ry in roads_y):
                draw.rectangle(box(x - 3, y, x + 3, y + 24), fill=lane)
    for y in roads_y:
        for x in range(0, 1200, 48):
            if all(abs(x + 12 - rx) > 60 for rx in roads_x):
                draw.rectangle(box(x, y - 3, x + 24, y + 3), fill=lane)
    # Blocks between the roads.
    for x0, x1 in zip([0, *[x + 46 for x in roads_x]], [*[x - 46 for x in roads_x], 1200]):
        for y0, y1 in zip([0, *[y + 46 for y in roads_y]], [*[y - 46 for y in roads_y], 800]):
            if x1 - x0 > 60 and y1 - y0 > 60:
                rounded(draw, x0 + 26, y0 + 26, x1 - 26, y1 - 26, 14, fill=mix(PAPER, MIST, 0.3))
                rounded(draw, x0 + 50, y0 + 50, x0 + 50 + (x1 - x0) * 0.35, y1 - 50, 10, fill=mix(HAZE, PAPER, 0.3))
    # Vehicles: short rounded bars in their lanes, streaming towards the crossings.
    for x in roads_x:
        for y in range(30, 800, rng.choice([110, 130])):
            if all(abs(y - ry) > 70 for ry in roads_y):
                rounded(draw, x + 14, y, x + 34, y + 44, 8, fill=rng.choice([NAVY, NAVY, TEAL, WHITE]))
    for y in roads_y:
        for x in range(20, 1200, rng.choice([120, 140])):
            if all(abs(x - rx) > 80 for rx in roads_x):
                rounded(draw, x, y - 34, x + 48, y - 14, 8, fill=rng.choice([NAVY, DEEP, TEAL, WHITE]))
    # Signals at the crossings: a green or red light, and data links to a control node.
    hub = (820, 380)
    for index, (x, y) in enumerate((x, y) for x in roads_x for y in roads_y):
        line(draw, [(x + 60, y - 60), hub], mix(NAVY, MIST, 0.5), 3)
        rounded(draw, x + 48, y - 92, x + 72, y - 28, 10, fill=DEEP)
        disc(draw, x + 60, y - 76, 8, RED if index % 3 == 0 else mix(DEEP, SLATE, 0.5))
        disc(draw, x + 60, y - 44, 8, mix(TEAL, SAGE, 0.2) if index % 3 else mix(DEEP, SLATE, 0.5))
    disc(draw, *hub, 38, NAVY)
    ring(draw, *hub, 56, NAVY, 4)
    disc(draw, *hub, 14, WHITE)
    return image


def automated_immigration_checks(rng: random.Random) -> Image.Image:
    """Self-service gate lanes with a traveller passing through, beside a large fingerprint on a reader pad."""
    image, draw = canvas(PAPER, MIST)
    # The reader pad with a fingerprint: nested ovals, each broken by a gap.
    fx, fy = 910, 330
    rounded(draw, fx - 210, fy - 250, fx + 210, fy + 250, 48, fill=mix(PAPER, WHITE, 0.5), outline=mix(HAZE, SKY, 0.3), width=4)
    for index, radius in enumerate(range(22, 200, 19)):
        rx, ry = radius * 0.78, radius
        gap = rng.randint(0, 359)
        size = rng.randint(18, 48)
        color = mix(NAVY, TEAL, index / 12)
        bounds = box(fx - rx, fy - ry + 10, fx + rx, fy + ry + 10)
        draw.arc(bounds, gap + size, gap + 360, fill=color, width=s(8))
    # Three gate lanes, seen from the front.
    floor = 640
    draw.rectangle(box(0, floor, 1200, 800), fill=mix(HAZE, MIST, 0.4))
    for index, x in enumerate([60, 270, 480]):
        rounded(draw, x, 300, x + 46, floor, 12, fill=DEEP)
        rounded(draw, x + 134, 300, x + 180, floor, 12, fill=DEEP)
        disc(draw, x + 23, 332, 9, GOLD if index == 1 else mix(TEAL, SAGE, 0.2))
        disc(draw, x + 157, 332, 9, mix(TEAL, SAGE, 0.2))
        if index != 1:
            # Closed flaps.
            rounded(draw, x + 46, 460, x + 86, 480, 8, fill=SKY)
            rounded(draw, x + 94, 460, x + 134, 480, 8, fill=SKY)
    # The traveller in the middle lane, a simple figure, holding up a passport.
    px = 270 + 90
    disc(draw, px, 410, 30, NAVY)
    rounded(draw, px - 40, 448, px + 40, floor - 10, 34, fill=NAVY)
    rounded(draw, px + 22, 470, px + 60, 522, 6, fill=mix(RED, DEEP, 0.2))
    ring(draw, px + 41, 496, 9, mix(GOLD, WHITE, 0.3), 3)
    # Direction of travel.
    line(draw, [(80, 720), (620, 720)], mix(NAVY, MIST, 0.4), 8)
    polygon(draw, [(620, 700), (656, 720), (620, 740)], mix(NAVY, MIST, 0.4))
    return image


def cambodia_local_government_capacity(rng: random.Random) -> Image.Image:
    """A central hub linked to many small local offices, beside steps of building blocks that rise."""
    image, draw = canvas(PAPER, mix(MIST, SAGE, 0.15))
    hx, hy = 360, 390
    offices = []
    for index in range(14):
        angle = index / 14 * math.tau + 0.2
        radius = 230 + rng.randint(-30, 40)
        offices.append((hx + math.cos(angle) * radius * 1.15, hy + math.sin(angle) * radius * 0.95))
    for ox, oy in offices:
        line(draw, [(hx, hy), (ox, oy)], mix(TEAL, MIST, 0.45), 4)
    for index, (ox, oy) in enumerate(offices):
        # A small house: roof and walls.
        polygon(draw, [(ox - 24, oy - 4), (ox, oy - 26), (ox + 24, oy - 4)], DEEP if index % 3 else TEAL)
        draw.rectangle(box(ox - 18, oy - 4, ox + 18, oy + 22), fill=NAVY if index % 3 else mix(TEAL, DEEP, 0.2))
        draw.rectangle(box(ox - 5, oy + 8, ox + 5, oy + 22), fill=mix(PAPER, GOLD, 0.25))
    disc(draw, hx, hy, 70, NAVY)
    ring(draw, hx, hy, 92, mix(NAVY, MIST, 0.4), 6)
    polygon(draw, [(hx - 40, hy - 4), (hx, hy - 40), (hx + 40, hy - 4)], WHITE)
    draw.rectangle(box(hx - 30, hy - 4, hx + 30, hy + 36), fill=WHITE)
    for column in (-18, 0, 18):
        draw.rectangle(box(hx + column - 4, hy + 2, hx + column + 4, hy + 36), fill=NAVY)
    # Capacity that grows: stacked blocks rising to the right.
    base = 690
    for step in range(5):
        x = 720 + step * 88
        for level in range(step + 1):
            y = base - (level + 1) * 70
            color = mix(TEAL, NAVY, level / 5) if level < step else GOLD if step == 4 else mix(SAGE, TEAL, 0.4)
            rounded(draw, x, y, x + 78, y + 62, 8, fill=color)
    line(draw, [(700, base + 16), (1160, base + 16)], SLATE, 6)
    return image


def indonesia_complaint_management(rng: random.Random) -> Image.Image:
    """Speech bubbles from many directions converging on one platform, and answers flowing back."""
    image, draw = canvas(PAPER, MIST)
    cx, cy = 620, 420
    bubbles = [(150, 150), (130, 420), (200, 660), (420, 110), (430, 710), (1010, 140), (1060, 660)]
    for bx, by in bubbles:
        points = [(bx, by), ((bx + cx) / 2 + rng.randint(-40, 40), (by + cy) / 2 + rng.randint(-40, 40)), (cx, cy)]
        line(draw, points, mix(NAVY, MIST, 0.55), 4)
    for index, (bx, by) in enumerate(bubbles):
        w, h = 150, 92
        fill = [NAVY, TEAL, mix(NAVY, SKY, 0.45)][index % 3]
        rounded(draw, bx - w / 2, by - h / 2, bx + w / 2, by + h / 2, 26, fill=fill)
        polygon(draw, [(bx - 30, by + h / 2 - 2), (bx - 52, by + h / 2 + 30), (bx - 4, by + h / 2 - 2)], fill)
        for row in range(2):
            rounded(draw, bx - 48, by - 20 + row * 26, bx + (34 if row else 48), by - 8 + row * 26, 6, fill=mix(fill, WHITE, 0.7))
    # The platform: a stack of rounded layers, the case being followed up.
    for layer in range(3):
        y = cy - 60 + layer * 46
        rounded(draw, cx - 130, y, cx + 130, y + 36, 18, fill=mix(DEEP, SKY, layer * 0.3))
    disc(draw, cx + 150, cy - 90, 40, GOLD)
    line(draw, [(cx + 130, cy - 90), (cx + 146, cy - 74), (cx + 172, cy - 106)], WHITE, 9)
    # The answer travels back to a citizen.
    line(draw, [(cx + 140, cy + 60), (880, 560), (1040, 470)], mix(TEAL, MIST, 0.2), 8)
    disc(draw, 1060, 460, 34, TEAL)
    disc(draw, 1060, 460, 12, WHITE)
    return image


def korea_asean_cooperation_corps(rng: random.Random) -> Image.Image:
    """Eleven circles joined in a ring, with arcs linking one of them to four partners across it."""
    image, draw = canvas(PAPER, MIST)
    cx, cy, radius = 600, 400, 270
    nodes = [(cx + math.cos(-math.pi / 2 + i / 11 * math.tau) * radius * 1.25, cy + math.sin(-math.pi / 2 + i / 11 * math.tau) * radius) for i in range(11)]
    ring_color = mix(NAVY, MIST, 0.6)
    for (x0, y0), (x1, y1) in zip(nodes, nodes[1:] + nodes[:1]):
        line(draw, [(x0, y0), (x1, y1)], ring_color, 5)
    home = nodes[0]
    partners = [nodes[i] for i in (3, 5, 6, 8)]
    for px, py in partners:
        mid = ((home[0] + px) / 2 * 0.8 + cx * 0.2, (home[1] + py) / 2 * 0.8 + cy * 0.2)
        line(draw, [home, mid, (px, py)], mix(TEAL, MIST, 0.15), 7)
    for index, (x, y) in enumerate(nodes):
        if index == 0:
            disc(draw, x, y, 52, NAVY)
            ring(draw, x, y, 68, mix(NAVY, MIST, 0.4), 5)
        elif (x, y) in partners:
            disc(draw, x, y, 42, TEAL)
        else:
            disc(draw, x, y, 34, mix(SKY, NAVY, 0.2))
        disc(draw, x, y, 12, WHITE)
    # People working side by side at the centre: two pairs of overlapping figures.
    for dx, color in ((-46, NAVY), (46, TEAL)):
        disc(draw, cx + dx, cy - 34, 26, color)
        rounded(draw, cx + dx - 38, cy - 2, cx + dx + 38, cy + 76, 30, fill=color)
    return image


def korea_indonesia_egovernment_center(rng: random.Random) -> Image.Image:
    """Two rounded screens joined by a bridge of parallel data lines, with window panels behind."""
    image, draw = canvas(PAPER, MIST)
    # Window panels of an application, softly in the background.
    for index in range(5):
        x, y = 90 + index * 210, 90 + (index % 2) * 40
        rounded(draw, x, y, x + 170, y + 110, 12, fill=mix(HAZE, PAPER, 0.4))
        rounded(draw, x, y, x + 170, y + 24, 12, fill=mix(HAZE, SKY, 0.3))
    def screen(x: float, y: float, color: Color) -> None:
        rounded(draw, x, y, x + 300, y + 210, 22, fill=color)
        rounded(draw, x + 20, y + 20, x + 280, y + 190, 12, fill=mix(color, WHITE, 0.82))
        for row in range(4):
            rounded(draw, x + 44, y + 48 + row * 32, x + 44 + (190 - row * 30), y + 64 + row * 32, 8, fill=mix(color, WHITE, 0.45))
        draw.rectangle(box(x + 130, y + 210, x + 170, y + 260), fill=color)
        rounded(draw, x + 80, y + 256, x + 220, y + 276, 10, fill=color)

    screen(90, 330, NAVY)
    screen(810, 330, mix(RED, DEEP, 0.35))
    # The bridge: parallel arcs carrying packets both ways.
    for index in range(5):
        y = 380 + index * 30
        points = [(390, y + 40), (600, y - 30 - abs(2 - index) * 6), (810, y + 40)]
        line(draw, points, mix(TEAL, MIST, index * 0.12), 6)
    for index, x in enumerate((470, 560, 650, 740)):
        disc(draw, x, 390 + (index % 2) * 60, 12, GOLD if index % 2 else WHITE)
    disc(draw, 600, 610, 46, TEAL)
    ring(draw, 600, 610, 64, mix(TEAL, MIST, 0.4), 5)
    disc(draw, 600, 610, 16, WHITE)
    return image


def myanmar_participatory_development(rng: random.Random) -> Image.Image:
    """People seated around a round table on which a shared plan takes shape, rings of more people behind."""
    image, draw = canvas(PAPER, mix(MIST, SAGE, 0.2))
    cx, cy = 600, 410

    def person(x: float, y: float, size: float, color: Color) -> None:
        disc(draw, x, y - size * 1.1, size * 0.62, color)
        rounded(draw, x - size, y - size * 0.35, x + size, y + size * 1.1, size * 0.8, fill=color)

    # Outer ring: the wider community, small and light.
    for index in range(22):
        angle = index / 22 * math.tau
        person(cx + math.cos(angle) * 500, cy + math.sin(angle) * 330, 18, mix(SKY, MIST, 0.35))
    draw.ellipse(box(cx - 214, cy - 154, cx + 214, cy + 154), fill=WHITE)
    draw.ellipse(box(cx - 200, cy - 140, cx + 200, cy + 140), fill=mix(HAZE, PAPER, 0.2))
    # Inner ring: people at the table (after it: those in front overlap its edge).
    colors = [NAVY, TEAL, DEEP, mix(TEAL, SAGE, 0.3)]
    for index in range(10):
        angle = index / 10 * math.tau + 0.15
        person(cx + math.cos(angle) * 290, cy + math.sin(angle) * 200, 30, colors[index % 4])
    # The shared plan: a small map with a path joining points, one of them chosen together.
    line(draw, [(cx - 130, cy + 50), (cx - 60, cy - 30), (cx + 10, cy + 20), (cx + 90, cy - 60), (cx + 140, cy - 10)], mix(TEAL, DEEP, 0.3), 8)
    for index, (x, y) in enumerate([(cx - 130, cy + 50), (cx - 60, cy - 30), (cx + 10, cy + 20), (cx + 90, cy - 60), (cx + 140, cy - 10)]):
        disc(draw, x, y, 18 if index == 3 else 12, GOLD if index == 3 else NAVY)
    return image


def thailand_biz_portal(rng: random.Random) -> Image.Image:
    """Paths from many service tiles gathering into a single arched doorway."""
    image, draw = canvas(PAPER, MIST)
    # Service tiles on the left, in a grid.
    tiles = []
    for row in range(4):
        for column in range(3):
            x, y = 90 + column * 120, 130 + row * 140
            color = [NAVY, TEAL, mix(SKY, NAVY, 0.3), GOLD][(row * 3 + column) % 4 if (row, column) != (1, 1) else 3]
            rounded(draw, x, y, x + 92, y + 92, 16, fill=color)
            disc(draw, x + 46, y + 46, 16, mix(color, WHITE, 0.65))
            tiles.append((x + 92, y + 46))
    door_x, door_y = 900, 400
    for index, (tx, ty) in enumerate(tiles):
        mid = (640, ty * 0.4 + door_y * 0.6)
        line(draw, [(tx + 10, ty), mid, (door_x - 110, door_y + (index - 5.5) * 8)], mix(NAVY, MIST, 0.6), 3)
    # The portal: an arch with a lit doorway.
    draw.rectangle(box(door_x - 110, 240, door_x + 110, 640), fill=DEEP)
    draw.pieslice(box(door_x - 110, 130, door_x + 110, 350), 180, 360, fill=DEEP)
    draw.rectangle(box(door_x - 70, 300, door_x + 70, 640), fill=mix(GOLD, PAPER, 0.55))
    draw.pieslice(box(door_x - 70, 230, door_x + 70, 370), 180, 360, fill=mix(GOLD, PAPER, 0.55))
    # A step and a figure entering: one visit for everything.
    rounded(draw, door_x - 160, 640, door_x + 160, 666, 10, fill=SLATE)
    disc(draw, door_x, 470, 24, NAVY)
    rounded(draw, door_x - 34, 500, door_x + 34, 630, 28, fill=NAVY)
    return image


PICTURES: dict[str, Callable[[random.Random], Image.Image]] = {
    "automated-immigration-checks": automated_immigration_checks,
    "cambodia-local-government-capacity": cambodia_local_government_capacity,
    "disaster-response-5g": disaster_response_5g,
    "electronic-customs-clearance": electronic_customs_clearance,
    "indonesia-complaint-management": indonesia_complaint_management,
    "korea-asean-cooperation-corps": korea_asean_cooperation_corps,
    "korea-indonesia-egovernment-center": korea_indonesia_egovernment_center,
    "myanmar-participatory-development": myanmar_participatory_development,
    "smart-traffic-system": smart_traffic_system,
    "thailand-biz-portal": thailand_biz_portal,
}


def render(exhibit_id: str) -> Image.Image:
    """The 1200×800 picture of one exhibit."""
    big = PICTURES[exhibit_id](random.Random(exhibit_id))
    return big.resize((WIDTH, HEIGHT), Image.Resampling.LANCZOS)


def save(image: Image.Image, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # No exif, no icc_profile, no comment: Pillow then writes no timestamp or metadata.
    image.save(path, "JPEG", quality=82, progressive=True, optimize=True, subsampling="4:2:0")


def main(argv: list[str]) -> int:
    wanted = argv or sorted(PICTURES)
    unknown = [name for name in wanted if name not in PICTURES]
    if unknown:
        print(f"unknown exhibit(s): {', '.join(unknown)}; known: {', '.join(sorted(PICTURES))}", file=sys.stderr)
        return 2
    for exhibit_id in wanted:
        path = OUT / f"{exhibit_id}.jpg"
        save(render(exhibit_id), path)
        print(f"{path.relative_to(ROOT)}  {path.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
