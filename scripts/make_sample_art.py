#!/usr/bin/env python3
"""Draw the sample portraits of a few people and the sample logos of the partners.

    python scripts/make_sample_art.py            # everything
    python scripts/make_sample_art.py portraits  # or: logos

Sample material, not the real thing (README says so): the Busan content has
no photographs, and the partners' real emblems are theirs to give.

* ``content/media/people/<person-id>.jpg``: 800×800 abstract portraits,
  a head-and-shoulders figure made of flat geometric shapes over a pattern,
  clearly drawn and not a photograph of anyone. Colours and pattern come
  from a ``random.Random`` seeded with the person's id.
* ``content/media/partners/<partner-id>.png``: 720×288 wordmarks, a simple
  geometric mark and the organization's name set in Noto Sans, never a copy
  of a real logo.

Deterministic: the same Pillow (and font files) write the same bytes on every
run; JPEG and PNG are written without metadata or timestamps. Shapes are drawn
at twice the size and scaled down, which smooths their edges.
"""

from __future__ import annotations

import math
import random
import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
MEDIA = ROOT / "content" / "media"
SCALE = 2

# The theme's palette (templates/static/style.css), as in make_exhibit_images.py.
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

# The people who get a sample portrait; the others keep their initials (which is what most sites look like).
PORTRAITS = ("chin-young", "head-of-delegation-indonesia", "head-of-delegation-viet-nam", "moderator-session-2")

# partner id → (mark, wordmark lines). Only organizations the event's own texts name.
LOGOS: dict[str, tuple[str, tuple[str, ...]]] = {
    "ministry-of-the-interior-and-safety": ("rings", ("Ministry of the Interior", "and Safety")),
}
FONT_BOLD = Path("/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf")
FONT_REGULAR = Path("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf")


def mix(a: Color, b: Color, t: float) -> Color:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b))  # type: ignore[return-value]


def s(value: float) -> int:
    return round(value * SCALE)


def box(x0: float, y0: float, x1: float, y1: float) -> tuple[int, int, int, int]:
    return (s(x0), s(y0), s(x1), s(y1))


# --- portraits ------------------------------------------------------------------------


def portrait(person_id: str) -> Image.Image:
    """A figure of circles and a rounded torso over concentric or striped geometry; no face, no features."""
    rng = random.Random(person_id)
    size = 800
    ground = rng.choice([MIST, mix(MIST, SAGE, 0.35), mix(PAPER, GOLD, 0.18), mix(MIST, SKY, 0.25)])
    ink = rng.choice([NAVY, TEAL, DEEP, SLATE])
    accent = rng.choice([GOLD, RED, SKY, SAGE])
    image = Image.new("RGB", (s(size), s(size)), ground)
    draw = ImageDraw.Draw(image)
    # The pattern behind: concentric rings around a random point, or diagonal bands.
    if rng.random() < 0.5:
        cx, cy = rng.uniform(150, 650), rng.uniform(120, 400)
        for index, radius in enumerate(range(900, 40, -70)):
            draw.ellipse(box(cx - radius, cy - radius, cx + radius, cy + radius), fill=mix(ground, HAZE if index % 2 else PAPER, 0.55))
    else:
        step = rng.choice([70, 90, 110])
        for index, offset in enumerate(range(-size, size * 2, step)):
            color = mix(ground, HAZE if index % 2 else PAPER, 0.5)
            draw.polygon([(s(offset), 0), (s(offset + step), 0), (s(offset + step - size), s(size)), (s(offset - size), s(size))], fill=color)
    # Small triangles scattered like confetti, the mark of a drawing.
    for _ in range(rng.randint(5, 9)):
        x, y, r = rng.uniform(40, 760), rng.uniform(40, 360), rng.uniform(14, 30)
        turn = rng.uniform(0, math.tau)
        points = [(s(x + math.cos(turn + k * math.tau / 3) * r), s(y + math.sin(turn + k * math.tau / 3) * r)) for k in range(3)]
        draw.polygon(points, fill=mix(accent, ground, rng.uniform(0, 0.4)))
    # The figure: shoulders (a wide rounded block), a collar triangle, a plain disc for the head.
    cx = 400 + rng.uniform(-20, 20)
    draw.rounded_rectangle(box(cx - 260, 560, cx + 260, 900), radius=s(200), fill=ink)
    draw.polygon([(s(cx - 70), s(560)), (s(cx + 70), s(560)), (s(cx), s(690))], fill=mix(ink, WHITE, 0.75))
    draw.polygon([(s(cx - 26), s(600)), (s(cx + 26), s(600)), (s(cx), s(700))], fill=accent)
    draw.rectangle(box(cx - 48, 470, cx + 48, 570), fill=mix(ink, ground, 0.35))
    head = 150
    draw.ellipse(box(cx - head, 200, cx + head, 200 + 2 * head), fill=mix(ink, ground, 0.25))
    # An arc across the head: the figure's one abstract "detail".
    draw.arc(box(cx - head + 26, 226, cx + head - 26, 174 + 2 * head), 200, 340, fill=mix(accent, WHITE, 0.3), width=s(18))
    return image.resize((size, size), Image.Resampling.LANCZOS)


# --- logos ----------------------------------------------------------------------------


def mark(draw: ImageDraw.ImageDraw, kind: str, cx: float, cy: float, r: float) -> None:
    if kind == "rings":  # three interlocking rings: cooperation
        for index, angle in enumerate((-math.pi / 2, math.pi / 6, 5 * math.pi / 6)):
            x, y = cx + math.cos(angle) * r * 0.42, cy + math.sin(angle) * r * 0.42
            color = (NAVY, TEAL, RED)[index]
            draw.ellipse(box(x - r * 0.55, y - r * 0.55, x + r * 0.55, y + r * 0.55), outline=color, width=s(r * 0.12))
    else:  # a square turned into a diamond
        draw.polygon([(s(cx), s(cy - r)), (s(cx + r), s(cy)), (s(cx), s(cy + r)), (s(cx - r), s(cy))], fill=NAVY)


def logo(partner_id: str) -> Image.Image:
    kind, lines = LOGOS[partner_id]
    width, height = 720, 288
    image = Image.new("RGBA", (s(width), s(height)), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    mark(draw, kind, 130, height / 2, 96)
    bold = ImageFont.truetype(str(FONT_BOLD), s(36))
    regular = ImageFont.truetype(str(FONT_REGULAR), s(36))
    top = height / 2 - len(lines) * 24
    for index, text in enumerate(lines):
        draw.text((s(260), s(top + index * 48)), text, font=bold if index == 0 else regular, fill=DEEP if index == 0 else SLATE)
    return image.resize((width, height), Image.Resampling.LANCZOS)


def main(argv: list[str]) -> int:
    wanted = set(argv) or {"portraits", "logos"}
    if wanted - {"portraits", "logos"}:
        print("usage: make_sample_art.py [portraits] [logos]", file=sys.stderr)
        return 2
    if "portraits" in wanted:
        for person_id in PORTRAITS:
            path = MEDIA / "people" / f"{person_id}.jpg"
            path.parent.mkdir(parents=True, exist_ok=True)
            # No exif, no icc_profile, no comment: Pillow then writes no timestamp or metadata.
            portrait(person_id).save(path, "JPEG", quality=82, progressive=True, optimize=True, subsampling="4:2:0")
            print(f"{path.relative_to(ROOT)}  {path.stat().st_size // 1024} KB")
    if "logos" in wanted:
        for partner_id in LOGOS:
            path = MEDIA / "partners" / f"{partner_id}.png"
            path.parent.mkdir(parents=True, exist_ok=True)
            logo(partner_id).save(path, "PNG", optimize=True)
            print(f"{path.relative_to(ROOT)}  {path.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
