"""Open Graph images: ``<page>/og.png``, 1200×630, what a shared link shows.

Every HTML page kind with ``share_card`` (all but the 404 pages) gets a card
per page, rendered as a route of its own (format ``og-png``, next to the
page; :func:`card_kind`): the event, the page's title, and the lines its
kind gives (say, a day and time and a room), in the page's language, with
the same texts and formatting as the page (fallbacks included), and a
picture when the page has one (a portrait, an item's picture, the key
visual on the home page). The background is the event's primary colour
(site.yaml ``colors``; white text on it passes AA by eventsite/brand.py's
check). The site's own pages say what :data:`SITE_CARDS` gives. Every line
is drawn with a font that covers all of its characters (:mod:`eventsite.fonts`);
when one has none, the page gets no card and no ``og:image`` (no tofu).

Thai, Khmer, Lao and Myanmar need shaping: Pillow does it through libraqm
when its build has it (``PIL.features.check('raqm')``), else the basic layout
draws unshaped text (docs/deploy.md). Lines break at spaces, else between
syllables by a small rule per script (:func:`_can_break_before`).

The bytes depend only on the texts, the fonts, the colour, the picture and
Pillow: the text is drawn in grey levels and stored as a palette PNG without
metadata (no timestamp) — RGB when a picture is pasted in — and cached by a
hash of all that in the project's cache folder.
"""

from __future__ import annotations

import hashlib
import io
import math
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import PIL
from PIL import Image, ImageDraw, ImageFont, features

from .cache import DiskCache
from .config import focal_point
from .fonts import Face, candidates, coverage, font_for, prefetch, remember_coverages
from .page import Page
from .routes import PageKind
from .views import CountryView, ShareText, Shown, SiteView, listing_card

WIDTH, HEIGHT = 1200, 630
MARGIN = 72
BACKGROUND, INK = (0x0B, 0x4F, 0x8A), (0xFF, 0xFF, 0xFF)  # --brand and white, as the site's buttons
DIM = 215  # grey level of secondary lines: between the background (0) and white (255)
TITLE_SIZES = (64, 58, 52, 46, 40)
PANEL = 440  # the picture's width, at the end of the card (the right in left-to-right scripts)
VERSION = "3"  # bump when the drawing changes: old cache entries then stop matching
RAQM = features.check("raqm")


@dataclass(frozen=True)
class Line:
    """One text of a card and how it is drawn."""

    text: str
    lang: str
    face: Face
    size: int
    bold: bool = False
    direction: str = "ltr"


@dataclass(frozen=True)
class CardPicture:
    """A raster image from media/ drawn beside the texts, cropped around its focal point."""

    path: Path
    signature: str  # of the file's bytes, for the cache key
    focus: tuple[int, int]


@dataclass(frozen=True)
class Card:
    url: str  # absolute, for og:image
    output_path: str  # below the output folder
    alt: str
    event: Line | None
    title: Line
    when: Line | None
    where: Line | None
    background: tuple[int, int, int] = BACKGROUND
    picture: CardPicture | None = None
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def key(self) -> str:
        """A hash of everything the image is made of."""
        parts = [VERSION, PIL.__version__, str(RAQM), bytes(self.background).hex()]
        for line in (self.event, self.title, self.when, self.where):
            parts.append("-")
            if line is not None:
                parts += [line.text, line.lang, line.face.signature, str(line.size), str(line.bold)]
        if self.picture is not None:
            parts += [self.picture.signature, repr(self.picture.focus)]
        return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


def card(page: Page) -> Card | None:
    """The card of a page whose kind has one, or None (no card, or no font for one of its texts).

    A fallback page (English text under /th/) shows the card of the page it
    names canonical, as its og:url does: link previews follow og:url, and
    one card per text keeps large sites' builds short.
    """
    texts_of = page.route.kind.share_card
    if texts_of is None:
        return None
    if page.entry is not None and not page.is_translated:
        lang = page.entry.text_language(page.chain)
        route = page.context.plan.find(page.route.kind.name, lang, page.route.key)
        return card(page.at(route)) if route is not None else None
    prefetch(page.site.languages)  # fontconfig once per process for every language, in parallel
    site = SiteView(page)
    texts: ShareText = texts_of(page)  # records the item's files, as the page does
    title = texts.title or site.title
    over = site.title if texts.over is None else texts.over
    items: list[tuple[str, str, int, bool] | None] = [
        (over.value, over.lang, 30, False) if over else None,
        (title.value, title.lang, TITLE_SIZES[-1], True),
        (texts.when, page.lang, 34, False) if texts.when else None,
        (texts.where.value, texts.where.lang, 30, False) if texts.where else None,
    ]
    lines: list[Line | None] = []
    for item in items:
        if item is None:
            lines.append(None)
            continue
        text, lang, size, bold = item
        face = font_for(text, (lang, page.lang), bold)
        if face is None:
            return None
        lines.append(Line(text, lang, face, size, bold, page.site.language(lang).direction))
    path = page.route.url.lstrip("/") + CARD_FILE
    alt = ", ".join(part for part in (title.value, texts.when, texts.where.value if texts.where else "") if part)
    url = page.links.absolute(page.route.url + CARD_FILE)
    colours = page.site.config.colors
    background = _rgb(colours.primary) if colours is not None else BACKGROUND
    title_line = lines[1]
    assert title_line is not None
    return Card(url, path, alt, lines[0], title_line, lines[2], lines[3], background, _picture(page, texts))


def warm_up(languages: tuple[str, ...], cache_folder: Path | None = None) -> None:
    """Find every language's fonts and read their characters now (before worker processes fork);
    what each font covers is kept in the cache folder."""
    prefetch(languages)
    faces = dict.fromkeys(face for lang in languages for bold in (False, True) for face in candidates((lang,), bold))
    remember_coverages(faces, DiskCache(cache_folder, "fonts") if cache_folder is not None else None)


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


PICTURE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp")


def _picture(page: Page, texts: ShareText) -> CardPicture | None:
    """The card's picture, if the page has a raster one (an SVG is left out: Pillow cannot draw it)."""
    if texts.picture is None or not texts.picture.lower().endswith(PICTURE_SUFFIXES):
        return None
    media = page.site.media.get(texts.picture)
    if media is None or page.image(texts.picture) is None:  # page.image records the file; None: not readable
        return None
    return CardPicture(media.path, _file_signature(media.path, media.size, media.modified_ns), texts.focus)


@lru_cache(maxsize=1024)
def _file_signature(path: Path, size: int, modified_ns: int) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- what the site's own pages and the kinds' listings say ----------------------------------


def _home(page: Page) -> ShareText:
    """The event itself: its name as the title, the organizer above it, the key visual beside it."""
    site = SiteView(page)
    organizer = site.organizer["name"] if site.organizer else Shown("", page.lang, page.lang)
    where = site.venue["name"] if site.venue else None
    visual = page.site.config.key_visual
    picture, focus = (visual.file, focal_point(visual.focal_point)) if visual else (None, (50, 50))
    return ShareText(site.title, site.dates, where, picture, focus, over=organizer)


def _country(page: Page) -> ShareText:
    country = CountryView(page.route.key or "", page)
    return ShareText.about_event(page, country.name)


# The built-in pages' cards (eventsite/routes.py defines the pages; kinds/__init__.py puts these on them).
SITE_CARDS = {
    "home": _home,
    "language-chooser": _home,
    "country": _country,
    "search": listing_card("Search"),
}


def card_kind(kind: PageKind) -> PageKind:
    """The route of the cards of an HTML page kind: ``og.png`` next to each page, for published builds only."""
    return PageKind(
        f"{kind.name}-card", "og-png", None, lambda key: kind.url(key) + CARD_FILE, kind.keys,
        per_language=kind.per_language, entry=kind.entry, listed=False, published_only=True,
    )


CARD_FILE = "og.png"  # next to the page's index.html


def render(page: Page) -> bytes | None:
    """The ``og-png`` output format: the card of the page this route sits next to, drawn once per text.

    No file for a fallback page (its page names the canonical page's card) or
    when no font covers a text.
    """
    shown = page.context.plan.by_url.get(page.route.url.removesuffix(CARD_FILE))
    if shown is None:
        return None
    shown_page = page.at(shown)
    if not shown_page.is_translated:
        return None
    found = card(shown_page)
    if found is None:
        return None
    cache = page.context.cache_folder
    entry = cache / "og" / found.key[:2] / f"{found.key}.png" if cache is not None else None
    if entry is not None and entry.is_file():
        return entry.read_bytes()
    data = draw(found)
    _store(entry, data)
    return data


# --- drawing --------------------------------------------------------------------------


def draw(card: Card) -> bytes:
    image = Image.new("L", (card.width, card.height), 0)
    canvas = ImageDraw.Draw(image)
    rtl = _direction(card.title) == "rtl"
    panel = PANEL if card.picture is not None else 0
    left, right = (MARGIN + panel, card.width - MARGIN) if rtl else (MARGIN, card.width - panel - MARGIN)
    inner = right - left
    bottom = card.height - MARGIN
    below = [line for line in (card.where, card.when) if line is not None]  # from the bottom up
    for line in below:
        bottom -= _line_height(line)
    y = MARGIN
    if card.event is not None:
        # Two lines of the event's name only while the title keeps two lines (tall scripts: Khmer, Myanmar).
        smallest = Line(card.title.text, card.title.lang, card.title.face, TITLE_SIZES[-1], card.title.bold, card.title.direction)
        most = 2 if bottom - 24 - (MARGIN + 2 * _line_height(card.event) + 60) >= 2 * _line_height(smallest) else 1
        strip = _event_strip(card.event, most, left, right, card.width)
        image.paste(strip, (0, y))
        y += strip.height
    bar = right - 96 if rtl else left  # a short rule under the event
    canvas.rectangle((bar, y + 18, bar + 96, y + 25), fill=255)
    title_top = y + 60
    title_space = bottom - 24 - title_top
    title, wrapped = _fit_title(card.title, inner, title_space)
    for text in wrapped:
        title_top = _text(canvas, title, text, title_top, 255, left, right)
    last_lines: list[tuple[Line | None, int]] = [(card.when, 255), (card.where, DIM)]
    for last, fill in last_lines:
        if last is not None:
            bottom = _repeated_text(image, canvas, last, _fit(last, inner, 1)[0], bottom, fill, left, right)
    coloured = _palette(image, card.background)
    if card.picture is not None:
        coloured = coloured.convert("RGB")
        coloured.paste(_panel(card.picture, panel, card.height), (0 if rtl else card.width - panel, 0))
        # 256 colours again: a quarter of the RGB file (~100 KB), and faster to write than to compress RGB.
        coloured = coloured.quantize(256, method=Image.Quantize.FASTOCTREE)
    return _png(coloured)


@lru_cache(maxsize=64)
def _event_strip(line: Line, most: int, left: int, right: int, width: int) -> Image.Image:
    """The event's name, drawn once per language and layout: every card of a language shares it."""
    texts = _wrap(line, right - left, most) or _fit(line, right - left, most)
    strip = Image.new("L", (width, _line_height(line) * len(texts)), 0)
    canvas = ImageDraw.Draw(strip)
    y = 0
    for text in texts:
        y = _text(canvas, line, text, y, DIM, left, right)
    return strip


@lru_cache(maxsize=64)
def _panel(picture: CardPicture, width: int, height: int) -> Image.Image:
    """The picture scaled to cover width × height, cropped around its focal point (kept: cards of a person
    in ten languages share it)."""
    with Image.open(picture.path) as source:
        source.draft("RGB", (width * 2, height * 2))  # JPEG: decode at a smaller scale, much faster
        image = source.convert("RGB")
    scale = max(width / image.width, height / image.height)
    size = (max(width, round(image.width * scale)), max(height, round(image.height * scale)))
    image = image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
    fx, fy = picture.focus
    x = min(max(round(size[0] * fx / 100 - width / 2), 0), size[0] - width)
    y = min(max(round(size[1] * fy / 100 - height / 2), 0), size[1] - height)
    return image.crop((x, y, x + width, y + height))


def _fit_title(line: Line, width: int, height: int) -> tuple[Line, list[str]]:
    """The largest size at which the whole title fits in three lines, else the smallest size, cut."""
    for size in TITLE_SIZES:
        sized = Line(line.text, line.lang, line.face, size, line.bold, line.direction)
        most = max(1, min(3, height // _line_height(sized)))
        wrapped = _wrap(sized, width, most)
        if wrapped is not None:
            return sized, wrapped
    return sized, list(_fit(sized, width, most))


@lru_cache(maxsize=1024)  # a room, a country or a time slot: the same last lines on many cards
def _fit(line: Line, width: int, most: int) -> tuple[str, ...]:
    """At most ``most`` lines; the last one cut with an ellipsis when the text is longer."""
    wrapped = _wrap(line, width, 10**6) or [line.text]
    if len(wrapped) <= most:
        return tuple(wrapped)
    kept = wrapped[:most]
    ellipsis = "…" if ord("…") in coverage(line.face) else "..."
    last = kept[-1]
    while last and _length(line, last + ellipsis) > width:
        last = last[:-1]
    kept[-1] = last.rstrip().rstrip("\u17d2\u1039\u200c\u200d") + ellipsis  # no dangling stacker or joiner
    return tuple(kept)


def _text(canvas: ImageDraw.ImageDraw, line: Line, text: str, y: int, fill: int, left: int, right: int) -> int:
    """Draw one line at ``y`` (its top) between ``left`` and ``right``; the y of the next line."""
    anchor, direction, language = _placement(line)
    canvas.text((right if anchor == "ra" else left, y), text, font=_font(line), fill=fill, anchor=anchor, direction=direction, language=language)
    return y + _line_height(line)


def _placement(line: Line) -> tuple[str, str | None, str | None]:
    """(anchor, direction, language): a line starts at the right edge in a right-to-left script."""
    direction, language = _layout(line)
    return ("ra" if _direction(line) == "rtl" else "la"), direction, language


def _repeated_text(image: Image.Image, canvas: ImageDraw.ImageDraw, line: Line, text: str, y: int, fill: int, left: int, right: int) -> int:
    """:func:`_text` for a line that many cards show (a room, a country, a time slot): drawn once per
    process and copied in, a fifth of a card's drawing time.

    Copying gives the very pixels drawing would only onto blank ones (drawing blends the glyphs with what
    is there), so where anything is drawn already the line is drawn as usual.
    """
    strip, top = _line_strip(line, text, fill, left, right, image.width)
    box = (0, y + top, image.width, y + top + strip.height)
    if image.crop(box).getbbox() is not None:
        return _text(canvas, line, text, y, fill, left, right)
    image.paste(strip, box)  # clipped at the image's edges, as drawing is
    return y + _line_height(line)


@lru_cache(maxsize=256)
def _line_strip(line: Line, text: str, fill: int, left: int, right: int, width: int) -> tuple[Image.Image, int]:
    """The line drawn at y = 0 on a blank strip as wide as the card and as tall as its glyphs; and the
    strip's top relative to that y (negative where marks rise above the ascender)."""
    anchor, direction, language = _placement(line)
    _, above, _, below = _font(line).getbbox(text, anchor=anchor, direction=direction, language=language)
    top, bottom = min(math.floor(above), 0), max(math.ceil(below), 1)
    strip = Image.new("L", (width, bottom - top), 0)
    _text(ImageDraw.Draw(strip), line, text, -top, fill, left, right)
    return strip, top


def _wrap(line: Line, width: int, max_lines: int) -> list[str] | None:
    """Greedy lines of ``line.text`` no wider than ``width``; None when more than ``max_lines`` are needed."""
    text = line.text
    fits = lambda start, end: _length(line, text[start:end].strip()) <= width  # noqa: E731
    breaks = [i for i in range(1, len(text)) if _can_break_before(text, i)] + [len(text)]
    lines: list[str] = []
    start = 0
    while start < len(text):
        if len(lines) == max_lines:
            return None
        candidates = [b for b in breaks if b > start]
        at_spaces = [b for b in candidates if b == len(text) or text[b - 1].isspace()]
        end = _farthest(at_spaces, start, fits) or _farthest(candidates, start, fits) or candidates[0]
        lines.append(text[start:end].strip())
        start = end
    return lines


def _farthest(ends: list[int], start: int, fits) -> int | None:
    """The last of ``ends`` (ascending) at which text[start:end] fits, by bisection (width grows with length)."""
    low, high, found = 0, len(ends) - 1, None
    while low <= high:
        middle = (low + high) // 2
        if fits(start, ends[middle]):
            found, low = ends[middle], middle + 1
        else:
            high = middle - 1
    return found


def _can_break_before(text: str, i: int) -> bool:
    """May a line start at text[i]? After a space always; inside a word only between syllables."""
    before, char = text[i - 1], text[i]
    after = text[i + 1] if i + 1 < len(text) else ""
    if before.isspace():
        return True
    if char.isspace() or unicodedata.category(char)[0] == "M" or char in "\u200c\u200d" or before in "\u200d\u17d2\u1039":
        return False
    code = ord(char)
    if 0x0E00 <= code <= 0x0EFF:  # Thai and Lao: before a consonant or a leading vowel, not after one
        leading = "\u0e40\u0e41\u0e42\u0e43\u0e44\u0ec0\u0ec1\u0ec2\u0ec3\u0ec4"
        consonant = 0x0E01 <= code <= 0x0E2E or 0x0E81 <= code <= 0x0EAE
        vowel_carrier = char in "\u0e2d\u0e27" and before in "\u0e31\u0e37"  # อ of ือ, ว of ัว: part of a vowel
        # A leading vowel's syllable holds the next two consonants at least: เกม, the cluster of เครือ.
        second = i >= 2 and text[i - 2] in leading
        return (consonant or char in leading) and before not in leading and after not in "\u0e4c\u0ecc" and not vowel_carrier and not second
    if 0x1780 <= code <= 0x17FF:  # Khmer: before a consonant or independent vowel (not a subscript)
        return 0x1780 <= code <= 0x17B3
    if 0x1000 <= code <= 0x109F:  # Myanmar: before a consonant that is not killed (asat) nor stacked
        return 0x1000 <= code <= 0x102A and after != "\u103a"
    if unicodedata.east_asian_width(char) == "W":  # CJK: anywhere but before closing punctuation
        return char not in "、。，．）」』】〕！？ー・：；" and before not in "（「『【〔"
    return False  # inside a word of a script with spaces: only when nothing else fits


def _direction(line: Line) -> str:
    return line.direction


def _layout(line: Line) -> tuple[str | None, str | None]:
    """(direction, language): they guide raqm's shaping; the basic layout accepts neither."""
    return (_direction(line), line.lang) if RAQM else (None, None)


def _length(line: Line, text: str) -> float:
    direction, language = _layout(line)
    return _font(line).getlength(text, direction=direction, language=language)


def _line_height(line: Line) -> int:
    ascent, descent = _font(line).getmetrics()
    return int((ascent + descent) * 1.1)


@lru_cache(maxsize=256)
def _truetype(path: Path, index: int, size: int) -> ImageFont.FreeTypeFont:
    engine = ImageFont.Layout.RAQM if RAQM else ImageFont.Layout.BASIC
    return ImageFont.truetype(str(path), size, index=index, layout_engine=engine)


def _font(line: Line) -> ImageFont.FreeTypeFont:
    return _truetype(line.face.path, line.face.index, line.size)


def _palette(grey: Image.Image, background: tuple[int, int, int]) -> Image.Image:
    """Grey levels become a palette from the background to white: a small PNG.

    A palette on a copy of the grey image makes it a palette image as it is (0.04 ms; the levels
    copied out and in again took 0.8 ms a card), with the same bytes in the PNG.
    """
    image = grey.copy()
    image.putpalette(_levels(background))
    return image


@lru_cache(maxsize=64)
def _levels(background: tuple[int, int, int]) -> tuple[int, ...]:
    """The 256 colours from the background (level 0) to the ink (255), as putpalette takes them."""
    palette: list[int] = []
    for level in range(256):
        palette += [round(b + (i - b) * level / 255) for b, i in zip(background, INK)]
    return tuple(palette)


def _png(image: Image.Image) -> bytes:
    """No metadata (no timestamp): the same card is the same bytes."""
    stream = io.BytesIO()
    image.save(stream, "PNG", compress_level=3)  # twice as fast as 6, files ~20% larger (~25 KB)
    return stream.getvalue()


def _store(entry: Path | None, data: bytes) -> None:
    if entry is not None:
        try:
            entry.parent.mkdir(parents=True, exist_ok=True)
            temporary = entry.with_suffix(".tmp")
            temporary.write_bytes(data)
            temporary.replace(entry)
        except OSError:
            pass  # a read-only cache only costs time
