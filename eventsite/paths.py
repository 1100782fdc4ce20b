"""Rules for names that become paths, so that no input can escape its folder."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path, PurePosixPath

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ID_RULE = "lowercase a-z, 0-9 and single '-' between them"
MAX_ID_LENGTH = 100

# Names Windows refuses for a file in any folder, whatever the extension.
WINDOWS_RESERVED = {"con", "prn", "aux", "nul"} | {f"com{n}" for n in range(1, 10)} | {f"lpt{n}" for n in range(1, 10)}

# Files that editors leave behind while saving; never content.
_EDITOR_LITTER = re.compile(r"(^\.|~$|\.sw[a-p]$|^4913$|^#.*#$|\.tmp$|\.bak$)")


def is_valid_id(value: str) -> bool:
    return (
        bool(ID_PATTERN.fullmatch(value))  # not match(): '$' also matches before a final '\n'
        and len(value) <= MAX_ID_LENGTH
        and value not in WINDOWS_RESERVED
    )


def id_problem(value: str) -> str | None:
    """Why ``value`` is not a valid id, or None."""
    if is_valid_id(value):
        return None
    if value in WINDOWS_RESERVED:
        return f"id {value!r} is a reserved file name on Windows"
    if len(value) > MAX_ID_LENGTH:
        return f"id is longer than {MAX_ID_LENGTH} characters"
    return f"id {value!r} must be {ID_RULE}"


def is_editor_litter(name: str) -> bool:
    return bool(_EDITOR_LITTER.search(name))


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def media_path_problem(value: str) -> str | None:
    """Why ``value`` is not a safe path relative to ``media/``, or None."""
    if "\x00" in value:
        return "path contains a NUL byte"
    if "\\" in value:
        return "use '/' to separate folders"
    if "%" in value:
        return "percent-escapes are not allowed in paths"
    if value.startswith("/") or re.match(r"^[A-Za-z]:", value):
        return "path must be relative to media/"
    parts = PurePosixPath(value).parts
    if not parts:
        return "path is empty"
    for part in value.split("/"):  # not `parts`: PurePosixPath drops '.' segments
        if part in (".", ".."):
            return "path must not contain '.' or '..' segments"
        if part.split(".")[0].lower() in WINDOWS_RESERVED:
            return f"{part!r} is a reserved file name on Windows"
    return None


def is_inside(path: Path, folder: Path) -> bool:
    """True when ``path`` resolves (following symlinks) to a place inside ``folder``."""
    try:
        path.resolve().relative_to(folder.resolve())
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a symlink loop (Python < 3.13)
        return False
    return True


def is_below(path: Path, folder: Path) -> bool:
    """``path`` is ``folder`` or lies below it, as written (no symlinks followed: for paths already resolved)."""
    return path == folder or folder in path.parents


@lru_cache(maxsize=1 << 16)  # a page links to the same few dozen targets, each page of a kind alike
def relative_url(from_url: str, to_url: str) -> str:
    """A relative link from page ``from_url`` to ``to_url`` (both site-absolute, '/'-rooted).

    Relative links keep a site working both under a sub-path of ``base_url``
    and from a plain static server at ``/``.
    """
    from_dir = from_url if from_url.endswith("/") else from_url.rsplit("/", 1)[0] + "/"
    from_parts = [part for part in from_dir.split("/") if part]
    to_parts = to_url.split("/")[1:]
    common = 0
    while common < len(from_parts) and common < len(to_parts) - 1 and from_parts[common] == to_parts[common]:
        common += 1
    ups = len(from_parts) - common
    rest = "/".join(to_parts[common:])
    link = "../" * ups + rest
    if not ups and ":" in rest.split("/", 1)[0]:
        link = "./" + link  # else 'a:b/' would read as a URL with the scheme 'a' (RFC 3986, 4.2)
    return link or "./"
