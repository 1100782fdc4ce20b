"""Add rooms to site.yaml and change nothing else in it.

New rooms go at the end of the ``rooms:`` block, one line each in the
block's indentation (``  stage-1: {name: "Stage 1"}``); without a ``rooms:``
key, a block is added at the end of the file. The result is read back: if
anything but the new rooms would differ (a layout this cannot edit safely,
such as ``rooms: {a: …}`` written on one line), nothing is written and the
lines to add by hand are reported instead.
"""

from __future__ import annotations

import json
import re

from ..errors import BuildError, Problem
from ..yaml_strict import YamlProblem, parse

_ROOMS = re.compile(r"^rooms[ \t]*:[ \t]*(#.*)?$")
_EMPTY_ROOMS = re.compile(r"^rooms[ \t]*:[ \t]*\{\}[ \t]*(#.*)?$")


def room_line(room_id: str, name: str) -> str:
    return f"{room_id}: {{name: {json.dumps(name, ensure_ascii=False)}}}"


def add_rooms(raw: bytes, rooms: dict[str, str], shown: str) -> bytes:
    if not rooms:
        return raw
    bom = b"\xef\xbb\xbf" if raw.startswith(b"\xef\xbb\xbf") else b""
    text = raw[len(bom):].decode("utf-8")
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.split(newline)
    entries = [room_line(room_id, name) for room_id, name in rooms.items()]
    start = next((index for index, line in enumerate(lines) if _ROOMS.match(line) or _EMPTY_ROOMS.match(line)), None)
    if start is None:
        while lines and not lines[-1].strip():
            lines.pop()
        lines += ["rooms:", *(f"  {entry}" for entry in entries), ""]
    else:
        if _EMPTY_ROOMS.match(lines[start]):
            lines[start] = "rooms:"
        end = start + 1
        while end < len(lines) and (lines[end].startswith((" ", "\t")) or not lines[end].strip()):
            end += 1
        while end > start + 1 and not lines[end - 1].strip():
            end -= 1  # blank lines after the block stay after it
        first = next((line for line in lines[start + 1:end] if line.strip() and not line.lstrip().startswith("#")), None)
        indent = first[: len(first) - len(first.lstrip())] if first is not None else "  "
        lines[end:end] = [f"{indent}{entry}" for entry in entries]
    new = bom + newline.join(lines).encode("utf-8")
    _verify(raw, new, rooms, shown)
    return new


def _verify(old: bytes, new: bytes, rooms: dict[str, str], shown: str) -> None:
    """The new file must read as the old one plus exactly these rooms."""
    try:
        before = parse(old.removeprefix(b"\xef\xbb\xbf").decode("utf-8")).data
        after = parse(new.removeprefix(b"\xef\xbb\xbf").decode("utf-8")).data
    except YamlProblem:
        before, after = None, None
    expected = dict(before) if isinstance(before, dict) else None
    if expected is not None:
        expected["rooms"] = {**(expected.get("rooms") or {}), **{room_id: {"name": name} for room_id, name in rooms.items()}}
    if expected is None or after != expected:
        lines = "\n".join(f"  {room_line(room_id, name)}" for room_id, name in rooms.items())
        raise BuildError([Problem(
            shown, 0, f"cannot add rooms to this site.yaml safely: add these lines under rooms: by hand, then import again:\n{lines}"
        )])
