"""Raster images: their real sizes, and thumbnails for responsive ``srcset``\\s.

Before rendering, :func:`scan_images` opens every raster image below
``media/`` with Pillow — once per image per build; Pillow reads only the
header — for its displayed size (EXIF orientation applied, as browsers do).
Pages use the sizes for ``width``/``height`` attributes (no layout shift)
and list the thumbnails in ``srcset``. An entry whose picture Pillow
cannot read is a located error.

Thumbnails are made for JPEG and PNG images at :data:`THUMB_WIDTHS` that are
narrower than the original (never upscaled), with Pillow only, and written
to ``media/_thumbs/<path without extension>-<width>.<extension>``; originals
are copied untouched. Encoding settings are fixed and no metadata but the
colour profile is kept (no EXIF, no timestamps), so the bytes depend only on
the source bytes and the Pillow version. A cache folder keeps thumbnails
between builds, named by a hash of exactly those inputs; an entry carries a
checksum of its bytes and a damaged one is a miss, so the cache never
changes the output.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from types import MappingProxyType
from typing import Iterable, Mapping

import PIL
from PIL import Image, ImageOps, features

from .errors import Problem, display_path
from .documents import MediaFile
from .entries import Site

THUMB_WIDTHS = (480, 960)
THUMB_FOLDER = "_thumbs"  # below media/ in the output; reserved in content/media/
JPEG_QUALITY = 82
VERSION = 1  # bump when thumbnails are made differently
# Files Pillow is asked about even when no entry refers to them.
RASTER_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".gif", ".webp", ".bmp", ".tif", ".tiff", ".avif"})
THUMBNAIL_FORMATS = frozenset({"JPEG", "PNG"})  # what browsers all show and Pillow writes deterministically
_SWAPPING_ORIENTATIONS = frozenset({5, 6, 7, 8})  # EXIF orientations that turn the picture by 90°
_EXIF_ORIENTATION = 0x0112


@dataclass(frozen=True)
class Variant:
    """One thumbnail of an image."""

    width: int
    height: int
    relative: str  # below media/ in the output


@dataclass(frozen=True)
class ImageInfo:
    """What a page needs to show an image: its displayed size and its thumbnails."""

    relative: str  # below media/
    width: int
    height: int
    format: str  # Pillow's name: 'JPEG', 'PNG', …
    variants: tuple[Variant, ...] = ()  # narrowest first; all narrower than the original

    def candidates(self) -> list[tuple[str, int]]:
        """(path below media/, width) of every file a srcset may offer, narrowest first."""
        return [(variant.relative, variant.width) for variant in self.variants] + [(self.relative, self.width)]


@dataclass(frozen=True)
class ImageCatalog:
    """The readable raster images of one build, and the problems found reading them."""

    images: Mapping[str, ImageInfo]
    problems: tuple[Problem, ...] = ()

    def get(self, relative: str) -> ImageInfo | None:
        return self.images.get(relative)


# Kept across builds by a long-running process (build.Caches.images):
# file → (signature (mtime, size, inode), path below media/, info or None when unreadable).
SizeMemo = dict[Path, tuple[tuple[int, int, int], str, "ImageInfo | None"]]


def thumbnail_path(relative: str, width: int) -> str:
    """``exhibits/5g.jpg`` → ``_thumbs/exhibits/5g-480.jpg`` (below media/)."""
    pure = PurePosixPath(relative)
    return (PurePosixPath(THUMB_FOLDER) / pure.parent / f"{pure.stem}-{width}{pure.suffix}").as_posix()


def thumbnail_paths(relative: str) -> list[str]:
    """Every thumbnail an image at ``relative`` could have, whatever its size."""
    return [thumbnail_path(relative, width) for width in THUMB_WIDTHS]


def variants_for(relative: str, width: int, height: int, image_format: str, animated: bool = False) -> tuple[Variant, ...]:
    if image_format not in THUMBNAIL_FORMATS or animated:
        return ()
    return tuple(
        Variant(target, max(1, round(height * target / width)), thumbnail_path(relative, target))
        for target in THUMB_WIDTHS
        if target < width
    )


def read_info(path: Path, relative: str) -> ImageInfo | None:
    """The displayed size of an image file, or None if Pillow cannot read it."""
    try:
        with Image.open(path) as image:
            width, height = image.size
            image_format = image.format or ""
            animated = bool(getattr(image, "is_animated", False))
            try:
                orientation = image.getexif().get(_EXIF_ORIENTATION)
            except Exception:  # a damaged EXIF block: the pixels may still be fine
                orientation = None
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return None
    if orientation in _SWAPPING_ORIENTATIONS:
        width, height = height, width
    if width < 1 or height < 1:
        return None
    return ImageInfo(relative, width, height, image_format, variants_for(relative, width, height, image_format, animated))


def _signature(path: Path) -> tuple[int, int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_mtime_ns, stat.st_size, stat.st_ino)


# (kind name, front-matter field) of every field that holds a picture (kinds.IMAGE_FIELDS).
ImageFields = Iterable[tuple[str, str]]


def referenced_images(site: Site, fields: ImageFields) -> dict[str, list[tuple[str, int, int]]]:
    """Media paths that content uses as images → where (display path, line, column)."""
    found: dict[str, list[tuple[str, int, int]]] = {}
    for kind, field in fields:
        for entry in site.items(kind):
            image = getattr(entry.meta, field, None)
            if image:
                line, column = entry.document.meta.locate((field,))
                found.setdefault(image, []).append((entry.document.display, line, column))
    return found


def scan_images(site: Site, fields: ImageFields, memo: SizeMemo | None = None) -> ImageCatalog:
    """Read the size of every raster image (and of every file used as one in ``fields``), once.

    ``memo`` (kept by the dev server) skips files whose signature did not change.
    """
    memo = memo if memo is not None else {}
    referenced = referenced_images(site, fields)
    images: dict[str, ImageInfo] = {}
    problems: list[Problem] = []
    for relative, media in site.media.items():
        if PurePosixPath(relative).parts[0] == THUMB_FOLDER:
            problems.append(
                Problem(display_path(media.path, site.root), 0, f"media/{THUMB_FOLDER}/ is reserved for the thumbnails the build makes: rename the folder")
            )
            continue
        if media.path.suffix.lower() not in RASTER_SUFFIXES and relative not in referenced:
            continue
        signature = _signature(media.path)
        remembered = memo.get(media.path)
        if remembered is not None and signature is not None and remembered[0] == signature and remembered[1] == relative:
            info = remembered[2]
        else:
            info = read_info(media.path, relative)
            if signature is not None:
                memo[media.path] = (signature, relative, info)
        if info is not None:
            images[relative] = info
        elif relative not in referenced:
            problems.append(
                Problem(display_path(media.path, site.root), 0, f"media/{relative} is not an image Pillow can read: copied without thumbnails", severity="warning")
            )
    for relative, places in referenced.items():
        if relative in site.media and relative not in images:
            for display, line, _column in places:
                problems.append(Problem(display, line, f"media/{relative} is not an image Pillow can read"))
    return ImageCatalog(MappingProxyType(images), tuple(problems))


# --- thumbnails ----------------------------------------------------------------------


def _library_versions() -> str:
    return ";".join(
        f"{name}={value}"
        for name, value in (
            ("pillow", PIL.__version__),
            ("jpeg", features.version("jpg")),
            ("zlib", features.version("zlib")),
        )
    )


class ThumbnailCache:
    """Thumbnails kept between builds (``.cache/eventsite/thumbs/``); None folder: no cache."""

    def __init__(self, folder: Path | None):
        self.folder = folder
        self._salt = f"{VERSION};{_library_versions()};".encode()

    def key(self, source: bytes, width: int, suffix: str) -> str:
        digest = hashlib.sha256(self._salt)
        digest.update(hashlib.sha256(source).digest())
        digest.update(f";{width};{suffix.lower()}".encode())
        return digest.hexdigest()

    def get(self, key: str) -> bytes | None:
        if self.folder is None:
            return None
        try:
            stored = (self.folder / key[:2] / key).read_bytes()
        except OSError:
            return None
        checksum, data = stored[:32], stored[32:]
        return data if hashlib.sha256(data).digest() == checksum else None

    def put(self, key: str, data: bytes) -> None:
        if self.folder is None:
            return
        target = self.folder / key[:2] / key
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
            with os.fdopen(handle, "wb") as stream:
                stream.write(hashlib.sha256(data).digest() + data)
            os.replace(temporary, target)
        except OSError:
            pass  # a read-only or full disk only costs speed


def make_thumbnail(source: bytes, width: int, height: int) -> bytes:
    """``source`` (JPEG or PNG bytes) scaled to ``width``×``height``, as the same format."""
    with Image.open(io.BytesIO(source)) as opened:
        image_format = opened.format
        icc_profile = opened.info.get("icc_profile")
        try:
            turned = opened.getexif().get(_EXIF_ORIENTATION) in _SWAPPING_ORIENTATIONS
        except Exception:
            turned = False
        if image_format == "JPEG":
            # Let libjpeg decode at a reduced scale that is still at least the target size.
            opened.draft(opened.mode, (height, width) if turned else (width, height))
        image = ImageOps.exif_transpose(opened)
        image.load()
    if image_format == "JPEG":
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
    elif image.mode not in ("RGB", "RGBA", "L", "LA"):
        has_alpha = image.mode in ("PA", "RGBa", "La") or "transparency" in image.info or image.mode.endswith("A")
        image = image.convert("RGBA" if has_alpha else "RGB")
    image = image.resize((width, height), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    extra = {"icc_profile": icc_profile} if icc_profile else {}
    if image_format == "JPEG":
        image.save(out, "JPEG", quality=JPEG_QUALITY, progressive=True, optimize=True, **extra)
    else:
        image.save(out, "PNG", optimize=True, **extra)
    return out.getvalue()


def thumbnails(info: ImageInfo, media: MediaFile, cache: ThumbnailCache, root: Path) -> tuple[list[tuple[str, bytes]], list[Problem]]:
    """(path below media/, bytes) of each thumbnail of one image, from the cache when it has them.

    An image whose header reads but whose pixels do not decode is an error:
    the pages already offer its thumbnails.
    """
    if not info.variants:
        return [], []
    data = media.path.read_bytes()
    made = []
    for variant in info.variants:
        key = cache.key(data, variant.width, PurePosixPath(info.relative).suffix)
        thumb = cache.get(key)
        if thumb is None:
            try:
                thumb = make_thumbnail(data, variant.width, variant.height)
            except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as error:
                message = f"media/{info.relative}: Pillow cannot decode the image to make thumbnails ({error})"
                return [], [Problem(display_path(media.path, root), 0, message)]
            cache.put(key, thumb)
        made.append((variant.relative, thumb))
    return made, []


def thumbnail_cache(cache_root: Path | None) -> ThumbnailCache:
    """The thumbnail cache below a project's cache folder (None: no cache, e.g. --no-cache)."""
    return ThumbnailCache(cache_root / "thumbs" if cache_root is not None else None)
