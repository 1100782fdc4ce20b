"""Colours as site.yaml writes them ('#rrggbb') and their WCAG 2.x contrast: one place for the
identity's text pairs (brand.py) and the tracks' bars (config.py)."""

from __future__ import annotations

import math


def relative_luminance(colour: str) -> float:
    """WCAG 2.x relative luminance of '#rrggbb'."""
    channels = [int(colour[index : index + 2], 16) / 255 for index in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: str, other: str) -> float:
    """The contrast ratio of two colours, from 1 (the same) to 21 (black on white)."""
    lighter, darker = sorted((relative_luminance(one), relative_luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def ratio_text(ratio: float) -> str:
    """'4.4:1': rounded down, so a pair just below the threshold never reads as reaching it."""
    return f"{math.floor(ratio * 10) / 10:.1f}:1"
