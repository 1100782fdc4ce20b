#!/usr/bin/env python3
"""Draw the schematic floor plan of the Busan venue (sample material, not BEXCO's real plan).

    python scripts/make_floor_plan.py

Writes ``content/media/venue/floor-plan.png`` (1200×720, PNG): two buildings
seen from above, Exhibition Centre 1 on the left and the Convention Hall on
the right with its three levels drawn as bands (tagged L1–L3, as in its
lifts), the main entrances at the bottom, a north arrow, and a numbered marker on each room the forum uses. The numbers are
the rooms' ``marker`` in content/site.yaml, and the page lists each number
with the room's name and level in the reader's language, so the picture
itself carries no words (only L1–L3 and N) (one file serves every edition). The alt texts in
site.yaml ``venue.floor_plan.alt`` describe what is drawn: update them when
the drawing changes. Deterministic: the same Pillow and font write the same
bytes. Shapes are drawn at twice the size and scaled down (ImageDraw does not
anti-alias).
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "content" / "media" / "venue" / "floor-plan.png"
WIDTH, HEIGHT = 1200, 720
SCALE = 2

# The theme's palette (templates/static/style.css).
PAPER = (255, 255, 255)
WASH = (243, 245, 248)
LINE = (196, 205, 216)
HALL = (221, 230, 240)
LEVEL = (232, 238, 245)
BRAND = (11, 79, 138)
SLATE = (74, 83, 97)
WHITE = (255, 255, 255)

# Room markers as site.yaml numbers them: (marker, centre x, centre y) in 1200×720 space.
MARKERS = (
    ("1", 300, 330),  # Exhibition Hall, Exhibition Centre 1
    ("5", 900, 520),  # Banquet Hall, Convention Hall level 1
    ("3", 820, 360),  # Bilateral Meeting Room A, level 2
    ("4", 980, 360),  # Bilateral Meeting Room B, level 2
    ("2", 900, 200),  # Roundtable Hall, level 3
)


def s(value: float) -> int:
    return round(value * SCALE)


def box(draw: ImageDraw.ImageDraw, left: float, top: float, right: float, bottom: float, fill, outline=LINE, width: int = 3) -> None:
    draw.rounded_rectangle((s(left), s(top), s(right), s(bottom)), radius=s(10), fill=fill, outline=outline, width=s(width))


def font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for candidate in ("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",):
        if Path(candidate).exists():
            return ImageFont.truetype(candidate, s(size))
    return ImageFont.load_default(size=s(size))


def marker(draw: ImageDraw.ImageDraw, label: str, x: float, y: float) -> None:
    radius = 34
    draw.ellipse((s(x - radius), s(y - radius), s(x + radius), s(y + radius)), fill=BRAND, outline=WHITE, width=s(4))
    draw.text((s(x), s(y)), label, fill=WHITE, font=font(36), anchor="mm")


def draw_plan() -> Image.Image:
    image = Image.new("RGB", (s(WIDTH), s(HEIGHT)), PAPER)
    draw = ImageDraw.Draw(image)
    # The site: a plaza in front of both buildings, APEC-ro along the bottom.
    box(draw, 20, 20, WIDTH - 20, HEIGHT - 20, WASH, outline=LINE, width=2)
    draw.rectangle((s(20), s(HEIGHT - 90), s(WIDTH - 20), s(HEIGHT - 20)), fill=LINE)
    # Exhibition Centre 1: one large hall.
    box(draw, 60, 60, 560, 600, HALL, outline=SLATE, width=4)
    for column in range(1, 4):  # the hall's bays, as thin dividers
        x = 60 + column * 125
        draw.line((s(x), s(90), s(x), s(570)), fill=LINE, width=s(2))
    # The Convention Hall: three levels, top = level 3.
    box(draw, 680, 60, 1140, 600, LEVEL, outline=SLATE, width=4)
    for y in (260, 440):
        draw.line((s(680), s(y), s(1140), s(y)), fill=SLATE, width=s(3))
    # Level 2's two meeting rooms side by side.
    draw.line((s(900), s(270), s(900), s(430)), fill=LINE, width=s(3))
    # A covered walkway between the buildings, and the main entrances facing the road.
    draw.rectangle((s(560), s(300), s(680), s(360)), fill=HALL, outline=SLATE, width=s(3))
    for x in (310, 910):
        draw.polygon([(s(x - 24), s(640)), (s(x + 24), s(640)), (s(x), s(606))], fill=SLATE)
    # Each level of the Convention Hall tagged as lifts are (L1 at the bottom).
    for label, y in (("L3", 160), ("L2", 350), ("L1", 520)):
        draw.rounded_rectangle((s(696), s(y - 20), s(750), s(y + 20)), radius=s(6), fill=WHITE, outline=SLATE, width=s(2))
        draw.text((s(723), s(y)), label, fill=SLATE, font=font(22), anchor="mm")
    # North arrow, top right of the plaza.
    draw.polygon([(s(1165), s(70)), (s(1150), s(110)), (s(1180), s(110))], fill=SLATE)
    draw.text((s(1165), s(130)), "N", fill=SLATE, font=font(22), anchor="mm")
    for label, x, y in MARKERS:
        marker(draw, label, x, y)
    return image.resize((WIDTH, HEIGHT), Image.Resampling.LANCZOS)


def main() -> None:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    draw_plan().save(OUT, format="PNG", optimize=True)
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
