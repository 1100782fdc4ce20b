"""Fonts for text drawn into images (the Open Graph cards): found, and checked for coverage.

fontconfig picks a font per language (``fc-match :lang=th``); known Noto
paths are the fallback where fontconfig is missing. A font is used for a
text only when its ``cmap`` maps every character of that text, so an image
never shows tofu: no covering font, no image. The ``cmap`` is read here
(formats 4 and 12, which every Unicode font has) to need no extra library.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import mmap
import os
import shutil
import struct
import subprocess
import threading
import unicodedata
from bisect import bisect_right
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence, TypeGuard

from .cache import DiskCache

# Debian's font packages (scripts/install-test-deps); the first that covers a text wins.
NOTO_FALLBACKS: tuple[str, ...] = (
    "/usr/share/fonts/truetype/noto/NotoSans-{weight}.ttf",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-{weight}.ttc",
    "/usr/share/fonts/truetype/noto/NotoSansThai-{weight}.ttf",
    "/usr/share/fonts/truetype/noto/NotoSansKhmer-{weight}.ttf",
    "/usr/share/fonts/truetype/noto/NotoSansLao-{weight}.ttf",
    "/usr/share/fonts/truetype/noto/NotoSansMyanmar-{weight}.ttf",
    "/usr/share/fonts/truetype/noto/NotoSansArabic-{weight}.ttf",
    "/usr/share/fonts/truetype/noto/NotoSansHebrew-{weight}.ttf",
    "/usr/share/fonts/truetype/noto/NotoSansDevanagari-{weight}.ttf",
)


@dataclass(frozen=True)
class Face:
    path: Path
    index: int = 0  # in a font collection (.ttc)

    @property
    def signature(self) -> str:
        """Changes when the font file does (for cache keys)."""
        return _signature(self.path, self.index)


@lru_cache(maxsize=None)  # fonts do not change while a build runs
def _signature(path: Path, index: int) -> str:
    stat = path.stat()
    return f"{path}#{index}:{stat.st_size}:{stat.st_mtime_ns}"


@lru_cache(maxsize=1 << 13)  # the site's title and dates are on every card
def font_for(text: str, languages: tuple[str, ...], bold: bool = False) -> Face | None:
    """The first font that covers ``text``: fontconfig's choice for each language in turn, then Noto."""
    needed = _needed(text)
    for face in candidates(languages, bold):
        if coverage(face).covers(needed):
            return face
    return None


@lru_cache(maxsize=None)
def candidates(languages: tuple[str, ...], bold: bool) -> tuple[Face, ...]:
    found: list[Face] = []
    for lang in languages:
        pattern = f":lang={lang}" + (":weight=bold" if bold else "")
        face = _prefetched[pattern] if pattern in _prefetched else fc_match(pattern)
        if face is not None and face not in found:
            found.append(face)
    for pattern in NOTO_FALLBACKS:
        for weight in (("Bold", "Regular") if bold else ("Regular",)):
            path = Path(pattern.format(weight=weight))
            if path.is_file() and Face(path) not in found:
                found.append(Face(path))
    return tuple(found)


def prefetch(languages: tuple[str, ...]) -> None:
    """Ask fontconfig about every language at once, then from the cache: in this process through its
    library (:class:`Fontconfig`), else one ``fc-match`` process each, in parallel."""
    patterns = [f":lang={lang}" + bold for lang in languages for bold in ("", ":weight=bold")]
    missing = [pattern for pattern in patterns if pattern not in _prefetched]
    if not missing:
        return
    if fontconfig() is not None:
        for pattern in missing:
            _prefetched[pattern] = fc_match(pattern)
        return
    with ThreadPoolExecutor(max_workers=8) as pool:
        for pattern, face in zip(missing, pool.map(fc_match, missing)):
            _prefetched[pattern] = face


_prefetched: dict[str, Face | None] = {}


@lru_cache(maxsize=None)
def fc_match(pattern: str) -> Face | None:
    """The font fontconfig chooses for ``pattern`` (as ``fc-match PATTERN`` prints it), or None."""
    library = fontconfig()
    if library is not None:
        found = library.match(pattern)
    else:
        found = _fc_match_process(pattern)
    if found is None:
        return None
    path, index = found
    return Face(path, index) if path.is_file() else None


def _fc_match_process(pattern: str) -> tuple[Path, int] | None:
    if _fc_match_program() is None:
        return None
    try:
        done = subprocess.run(
            ["fc-match", "-f", "%{file}\t%{index}", pattern], capture_output=True, text=True, timeout=20, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    path, _, index = done.stdout.partition("\t")
    if done.returncode != 0 or not path:
        return None
    return Path(path), int(index or 0)


@lru_cache(maxsize=1)
def _fc_match_program() -> str | None:
    """Looked up once: twenty patterns searched PATH twenty times (~60 ms of a rebuild)."""
    return shutil.which("fc-match")


class Fontconfig:
    """fontconfig's library in this process (ctypes): what ``fc-match`` does, without a process per question.

    Twenty ``fc-match`` processes (ten languages, regular and bold) were ~0.13 s of every build
    that draws a share card, a moved programme item's rebuild included; here they take ~7 ms
    after ~10 ms of loading. The answers are fontconfig's own, from the same configuration and
    font caches (tests/test_publish_og.py compares them with ``fc-match``); keeping its answers
    on disk instead was taken back because no key sees everything fontconfig reads
    (docs/performance.md). Loaded before the workers fork, it is shared with them.
    """

    MATCH_PATTERN = 0  # FcMatchPattern
    RESULT_MATCH = 0  # FcResultMatch

    def __init__(self, library: ctypes.CDLL):
        void_p, char_p = ctypes.c_void_p, ctypes.c_char_p
        library.FcInitLoadConfigAndFonts.restype = void_p
        library.FcInitLoadConfigAndFonts.argtypes = []
        library.FcNameParse.restype = void_p
        library.FcNameParse.argtypes = [char_p]
        library.FcConfigSubstitute.argtypes = [void_p, void_p, ctypes.c_int]
        library.FcDefaultSubstitute.argtypes = [void_p]
        library.FcFontMatch.restype = void_p
        library.FcFontMatch.argtypes = [void_p, void_p, ctypes.POINTER(ctypes.c_int)]
        library.FcPatternGetString.argtypes = [void_p, char_p, ctypes.c_int, ctypes.POINTER(char_p)]
        library.FcPatternGetInteger.argtypes = [void_p, char_p, ctypes.c_int, ctypes.POINTER(ctypes.c_int)]
        library.FcPatternDestroy.argtypes = [void_p]
        self._library = library
        self._config = library.FcInitLoadConfigAndFonts()  # kept for the process's life, as fc-match's is for its own
        if not self._config:
            raise OSError("fontconfig could not load its configuration")
        self._lock = threading.Lock()  # one question at a time: the dev server renders on threads

    def match(self, pattern: str) -> tuple[Path, int] | None:
        library = self._library
        with self._lock:
            asked = library.FcNameParse(pattern.encode("utf-8"))
            if not asked:
                return None
            try:
                library.FcConfigSubstitute(self._config, asked, self.MATCH_PATTERN)
                library.FcDefaultSubstitute(asked)
                result = ctypes.c_int(self.RESULT_MATCH)
                found = library.FcFontMatch(self._config, asked, ctypes.byref(result))
            finally:
                library.FcPatternDestroy(asked)
            if not found:
                return None
            try:
                file, index = ctypes.c_char_p(), ctypes.c_int(0)
                if library.FcPatternGetString(found, b"file", 0, ctypes.byref(file)) != self.RESULT_MATCH or not file.value:
                    return None
                if library.FcPatternGetInteger(found, b"index", 0, ctypes.byref(index)) != self.RESULT_MATCH:
                    index.value = 0
                return Path(os.fsdecode(file.value)), index.value  # copied before the pattern is freed
            finally:
                library.FcPatternDestroy(found)


@lru_cache(maxsize=1)
def fontconfig() -> Fontconfig | None:
    """The library, or None where it cannot be loaded (then ``fc-match``, then Noto's known paths)."""
    for find in (lambda: "libfontconfig.so.1", lambda: ctypes.util.find_library("fontconfig")):  # the search runs ldconfig: only if needed
        name = find()
        if not name:
            continue
        try:
            return Fontconfig(ctypes.CDLL(name))
        except (OSError, AttributeError):  # no such library, or one without these functions
            continue
    return None


def _needed(text: str) -> frozenset[int]:
    """The characters a font must have: not spaces, joiners or other invisible format characters."""
    return frozenset(ord(c) for c in text if not c.isspace() and unicodedata.category(c) not in ("Cf", "Cc", "Zs"))


class Coverage:
    """The code points a font maps to a glyph, as sorted [first, end) runs: a CJK font's 45,000 code points
    are ~1,000 runs, and making a set of them from the cache cost more than every lookup of a build."""

    __slots__ = ("_firsts", "_ends")

    def __init__(self, runs: Iterable[Sequence[int]]):
        pairs = list(runs)
        self._firsts = [first for first, _ in pairs]
        self._ends = [end for _, end in pairs]

    @classmethod
    def of(cls, code_points: Iterable[int]) -> "Coverage":
        return cls(_runs(code_points))

    @property
    def runs(self) -> list[list[int]]:
        return [[first, end] for first, end in zip(self._firsts, self._ends)]

    def __contains__(self, code: object) -> bool:
        if not isinstance(code, int):
            return False
        at = bisect_right(self._firsts, code) - 1
        return at >= 0 and code < self._ends[at]

    def covers(self, code_points: Iterable[int]) -> bool:
        return all(code in self for code in code_points)

    def __len__(self) -> int:
        return sum(end - first for first, end in zip(self._firsts, self._ends))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Coverage) and (self._firsts, self._ends) == (other._firsts, other._ends)

    __hash__ = None  # type: ignore[assignment]


def coverage(face: Face) -> Coverage:
    """Every code point the font maps to a glyph (none for a file that is not a readable font)."""
    found = _coverages.get(face)
    if found is None:
        found = _coverages[face] = Coverage.of(_read_coverage(face))
    return found


_coverages: dict[Face, Coverage] = {}  # fonts do not change while a build runs

CMAP_VERSION = "1"  # bump when _cmap reads a font differently: kept coverages then stop matching


def remember_coverages(faces: Iterable[Face], cache: DiskCache | None) -> None:
    """:func:`coverage` of each face, taken from ``cache`` while the font file is the same one (its
    path, size and time), else read now and kept there: reading a CJK font's cmap took ~10 ms, and a
    build with ten languages asks about ~20 fonts."""
    for face in faces:
        if face in _coverages:
            continue
        try:
            key = cache.key("font-coverage", CMAP_VERSION, face.signature) if cache is not None else None
        except OSError:  # the file went away: coverage() says it covers nothing
            key = None
        kept = cache.get(key) if cache is not None and key is not None else None
        if _are_runs(kept):
            _coverages[face] = Coverage(kept)
            continue
        found = coverage(face)
        if cache is not None and key is not None:
            cache.put(key, found.runs)


def _runs(code_points: Iterable[int]) -> list[list[int]]:
    """[first, end) ranges of consecutive code points: a CJK font's 45,000 in ~1,000 pairs."""
    runs: list[list[int]] = []
    for code in sorted(code_points):
        if runs and runs[-1][1] == code:
            runs[-1][1] = code + 1
        else:
            runs.append([code, code + 1])
    return runs


def _are_runs(value: object) -> TypeGuard[list[list[int]]]:
    """Pairs of ints, each run non-empty and after the one before (what :class:`Coverage` looks up in)."""
    if not isinstance(value, list):
        return False
    end = -1
    for pair in value:
        if not (isinstance(pair, list) and len(pair) == 2 and type(pair[0]) is int and type(pair[1]) is int):
            return False
        if not end <= pair[0] < pair[1]:
            return False
        end = pair[1]
    return True


def _read_coverage(face: Face) -> frozenset[int]:
    try:
        with face.path.open("rb") as stream, mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ) as data:
            return frozenset(_cmap(data, face.index))
    except (OSError, ValueError, struct.error, IndexError):
        return frozenset()


def _cmap(data: mmap.mmap, index: int) -> set[int]:
    u16 = lambda at: struct.unpack_from(">H", data, at)[0]  # noqa: E731
    u32 = lambda at: struct.unpack_from(">I", data, at)[0]  # noqa: E731
    start = 0
    if data[:4] == b"ttcf":
        start = u32(12 + 4 * index)
    table = None
    for record in range(u16(start + 4)):
        at = start + 12 + 16 * record
        if data[at : at + 4] == b"cmap":
            table = u32(at + 8)
    if table is None:
        return set()
    subtables: dict[int, int] = {}
    for record in range(u16(table + 2)):
        at = table + 4 + 8 * record
        platform, encoding, offset = u16(at), u16(at + 2), u32(at + 4)
        if (platform, encoding) in ((0, 3), (0, 4), (0, 6), (3, 1), (3, 10)):  # Unicode
            subtables.setdefault(u16(table + offset), table + offset)
    found: set[int] = set()
    if 12 in subtables:  # all of Unicode; a format 4 table beside it repeats its BMP part
        sub = subtables[12]
        for group in range(u32(sub + 12)):
            first, last, glyph = struct.unpack_from(">III", data, sub + 16 + 12 * group)
            found.update(range(first if glyph else first + 1, last + 1))
    elif 4 in subtables:
        found = _format4(data, subtables[4])
    return found


def _format4(data: mmap.mmap, sub: int) -> set[int]:
    segments = struct.unpack_from(">H", data, sub + 6)[0] // 2
    ends = struct.unpack_from(f">{segments}H", data, sub + 14)
    starts = struct.unpack_from(f">{segments}H", data, sub + 16 + 2 * segments)
    deltas = struct.unpack_from(f">{segments}H", data, sub + 16 + 4 * segments)
    ranges_at = sub + 16 + 6 * segments
    offsets = struct.unpack_from(f">{segments}H", data, ranges_at)
    found: set[int] = set()
    for segment, (first, last, delta, range_offset) in enumerate(zip(starts, ends, deltas, offsets)):
        last = min(last, 0xFFFE)
        if last < first:
            continue
        if range_offset == 0:  # glyph = code + delta: only the code that lands on glyph 0 is missing
            found.update(code for code in range(first, last + 1) if (code + delta) & 0xFFFF)
            continue
        glyphs = struct.unpack_from(f">{last - first + 1}H", data, ranges_at + 2 * segment + range_offset)
        found.update(code for code, glyph in zip(range(first, last + 1), glyphs) if glyph and (glyph + delta) & 0xFFFF)
    return found
