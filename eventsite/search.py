"""Stage 6b, publish: the search index, made by Pagefind over the staged HTML.

Pagefind is a Rust program that ships inside a wheel (``pagefind-bin-extended``
on PyPI; nothing is downloaded at build time). It reads every HTML file of
the staged output and writes a static index to ``/pagefind/``, one index per
``<html lang>``; the search page (``templates/search.html`` and
``templates/static/search.js``) loads only the index of its own language.

What gets indexed is decided by the templates, not here: a content page that
is really written in the page's language marks its main content with
``data-pagefind-body`` (and ``data-pagefind-filter``/``data-pagefind-meta``);
once any page has that attribute, Pagefind skips every page that does not —
listings, the root chooser, fallback pages shown in another language, 404
pages. See docs/search.md.

Why the binary through :mod:`subprocess` and not the ``pagefind`` package's
async Python API: the API drives the very same binary (``--service``, JSON
over stdin/stdout) and adds nothing a directory index needs, but it needs an
event loop inside a synchronous build (which the dev server may already be
running), and hides the exit code and the log. One command with a timeout,
its own working folder and a scrubbed environment is simpler to reason about.

If Pagefind is missing or fails, the build still succeeds: a note says that
search is off and the search pages keep their plain list of every page.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .publish import Finished

BUNDLE = "pagefind"  # the output folder, below the site root
ENTRY = "pagefind-entry.json"
TIMEOUT_SECONDS = 600
# Pagefind also writes its ready-made UIs; the search page uses only the JS
# API (pagefind.js, its worker and the wasm), so these are not published.
UNUSED_PREFIXES = ("pagefind-ui.", "pagefind-modular-ui.", "pagefind-component-ui.", "pagefind-highlight.")
INSTALL_HINT = "pip install pagefind-bin-extended"


def find_pagefind() -> Path | None:
    """The Pagefind binary: $PAGEFIND_BINARY_PATH, the extended wheel, the plain wheel, then $PATH."""
    override = os.environ.get("PAGEFIND_BINARY_PATH")
    if override:
        return Path(override)
    for module in ("pagefind_bin_extended", "pagefind_bin"):
        try:
            package = __import__(module)
            return Path(package.get_executable())
        except (ImportError, FileNotFoundError, AttributeError):
            continue
    found = shutil.which("pagefind_extended") or shutil.which("pagefind")
    return Path(found) if found else None


def is_extended(binary: Path) -> bool:
    """The extended build segments Chinese, Japanese and Thai; the plain one does not."""
    return "extended" in binary.name


def index_site(finished: "Finished") -> None:
    """The post-build step: index the staged site into /pagefind/, or say why search is off."""
    if not finished.options.search:
        finished.notes.append("search: off (not requested); the search pages list every page")
        return
    binary = find_pagefind()
    if binary is None:
        finished.notes.append(f"search: off, Pagefind is not installed ({INSTALL_HINT}); the search pages list every page")
        return
    bundle = finished.root / BUNDLE
    failure = run_pagefind(binary, finished.root)
    if failure is None and not (bundle / ENTRY).is_file():
        failure = "Pagefind wrote no index (no page has data-pagefind-body?)"
    if failure is not None:
        shutil.rmtree(bundle, ignore_errors=True)
        finished.notes.append(f"search: off, {failure}; the search pages list every page")
        return
    try:
        counts = normalize_bundle(bundle)
    except (BundleFormatError, OSError, ValueError, KeyError, IndexError) as error:
        shutil.rmtree(bundle, ignore_errors=True)
        finished.notes.append(f"search: off, the Pagefind index could not be made reproducible ({error}); the search pages list every page")
        return
    languages = ", ".join(f"{lang} {count}" for lang, count in counts.items())
    extended = "" if is_extended(binary) else f" (plain Pagefind: Thai is not segmented; {INSTALL_HINT})"
    finished.notes.append(f"search: {sum(counts.values())} pages indexed ({languages}){extended}")


def run_pagefind(binary: Path, site: Path) -> str | None:
    """Run Pagefind over ``site``; None when it worked, else a one-line reason."""
    command = [str(binary), "--site", str(site.resolve()), "--output-subdir", BUNDLE]
    # Pagefind also reads pagefind.{yml,toml,json} from its working folder and
    # PAGEFIND_* variables: neither may change what a build publishes.
    environment = {key: value for key, value in os.environ.items() if not key.upper().startswith("PAGEFIND_")}
    with tempfile.TemporaryDirectory(prefix="eventsite-pagefind-") as workdir:
        try:
            done = subprocess.run(
                command, cwd=workdir, env=environment, capture_output=True, text=True,
                encoding="utf-8", errors="replace", timeout=TIMEOUT_SECONDS, check=False,
            )
        except subprocess.TimeoutExpired:
            return f"Pagefind did not finish in {TIMEOUT_SECONDS} s"
        except OSError as error:
            return f"Pagefind could not run ({binary}: {error.strerror or error})"
    if done.returncode != 0:
        lines = [line.strip() for line in (done.stderr + "\n" + done.stdout).splitlines() if line.strip()]
        reason = next((line for line in reversed(lines) if "error" in line.lower()), lines[-1] if lines else "")
        return f"Pagefind failed (exit {done.returncode}{': ' + reason if reason else ''})"
    return None


class BundleFormatError(ValueError):
    """The bundle is not laid out as the Pagefind versions we know write it."""


def normalize_bundle(bundle: Path) -> dict[str, int]:
    """Make the bundle reproducible and lean; return the pages indexed per language.

    Pagefind's word index and page fragments are named by content hash and
    come out identical for identical input. Three things do not, because
    Pagefind walks Rust HashMaps: the order of the values inside each filter
    file (``filter/*.pf_filter``), the order of the filters in each
    language's metadata (``pagefind.<lang>_<hash>.pf_meta``, which names the
    filter files by hash), and the order of the languages in
    pagefind-entry.json (which names the metadata files). All three are put in
    sorted order and the files renamed after their new content, so two builds
    of the same site publish the same bytes. See docs/search.md.
    """
    for path in sorted(bundle.iterdir()):
        if path.is_file() and path.name.startswith(UNUSED_PREFIXES):
            path.unlink()
    entry_path = bundle / ENTRY
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    languages = entry.get("languages")
    if not isinstance(languages, dict):
        raise BundleFormatError(f"{ENTRY}: no languages")
    renamed_filters = _sort_filter_files(bundle / "filter")
    for info in languages.values():
        info["hash"] = _sort_meta_file(bundle, info["hash"], renamed_filters)
    entry["languages"] = dict(sorted(languages.items()))
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    return {lang: int(info.get("page_count", 0)) for lang, info in entry["languages"].items()}


def _sort_filter_files(folder: Path) -> dict[str, str]:
    """Each filter file, [name, [[value, [page, …]], …]], with its values sorted; old → new file hash."""
    renamed: dict[str, str] = {}
    if not folder.is_dir():
        return renamed
    for path in sorted(folder.glob("*.pf_filter")):
        packed = _read_packed(path)
        if not isinstance(packed, list) or len(packed) != 2:
            raise BundleFormatError(f"{path.name}: not [name, [[value, pages], ...]]")
        name, values = packed
        if not isinstance(name, str) or not isinstance(values, list) or not all(
            isinstance(item, list) and len(item) == 2 and isinstance(item[0], str) for item in values
        ):
            raise BundleFormatError(f"{path.name}: not [name, [[value, pages], ...]]")
        old = path.name[: -len(".pf_filter")]
        new = _write_packed(folder, old, [name, sorted(values, key=lambda item: item[0])], ".pf_filter", 7)
        if new != old:
            path.unlink()
        renamed[old] = new
    return renamed


def _sort_meta_file(bundle: Path, old: str, renamed_filters: dict[str, str]) -> str:
    """A language's metadata with its filter list [[name, file hash], …] renamed and sorted; its new hash."""
    path = bundle / f"pagefind.{old}.pf_meta"
    meta = _read_packed(path)
    if not isinstance(meta, list) or len(meta) < 4 or not isinstance(meta[3], list):
        raise BundleFormatError(f"{path.name}: not [version, pages, index, filters, ...]")
    filters = meta[3]
    if not all(isinstance(item, list) and len(item) == 2 and item[1] in renamed_filters for item in filters):
        raise BundleFormatError(f"{path.name}: filters do not name the filter files")
    meta[3] = sorted(([name, renamed_filters[hashed]] for name, hashed in filters), key=lambda item: item[0])
    new = _write_packed(bundle, old, meta, ".pf_meta", 10, prefix="pagefind.")
    if new != old:
        path.unlink()
    return new


# --- Pagefind's file packing: gzip of b"pagefind_dcd" + CBOR ----------------------------------------------

SIGNATURE = b"pagefind_dcd"


def _read_packed(path: Path) -> object:
    data = path.read_bytes()
    if not data.startswith(SIGNATURE):
        data = gzip.decompress(data)
    if not data.startswith(SIGNATURE):
        raise BundleFormatError(f"{path.name}: no Pagefind signature")
    value, end = _cbor_decode(data, len(SIGNATURE))
    if end != len(data):
        raise BundleFormatError(f"{path.name}: trailing bytes")
    return value


def _write_packed(folder: Path, old: str, value: object, suffix: str, digits: int, prefix: str = "") -> str:
    """Write ``value`` packed as Pagefind does, named <lang>_<hash of the content>; return that name."""
    payload = SIGNATURE + _cbor_encode(value)
    lang = old.rsplit("_", 1)[0]
    new = f"{lang}_{hashlib.sha256(payload).hexdigest()[:digits]}"
    (folder / f"{prefix}{new}{suffix}").write_bytes(gzip.compress(payload, compresslevel=9, mtime=0))
    return new


def _cbor_decode(data: bytes, at: int) -> tuple[object, int]:
    """The CBOR subset Pagefind writes: integers, strings, arrays, maps, false/true/null."""
    head = data[at]
    major, info = head >> 5, head & 31
    at += 1
    if info < 24:
        number = info
    elif info in (24, 25, 26, 27):
        size = 1 << (info - 24)
        number = int.from_bytes(data[at : at + size], "big")
        at += size
    else:
        raise BundleFormatError(f"CBOR: indefinite or reserved length at byte {at - 1}")
    if major == 0:
        return number, at
    if major == 1:
        return -1 - number, at
    if major == 2:
        return bytes(data[at : at + number]), at + number
    if major == 3:
        return data[at : at + number].decode("utf-8"), at + number
    if major == 4:
        items = []
        for _ in range(number):
            item, at = _cbor_decode(data, at)
            items.append(item)
        return items, at
    if major == 5:
        mapping = {}
        for _ in range(number):
            key, at = _cbor_decode(data, at)
            mapping[key], at = _cbor_decode(data, at)
        return mapping, at
    if major == 7 and number in (20, 21, 22):
        return {20: False, 21: True, 22: None}[number], at
    raise BundleFormatError(f"CBOR: unsupported item {head:#x} at byte {at - 1}")


def _cbor_head(major: int, number: int) -> bytes:
    if number < 24:
        return bytes([major << 5 | number])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if number < 1 << (8 * size):
            return bytes([major << 5 | info]) + number.to_bytes(size, "big")
    raise BundleFormatError("CBOR: integer too large")


def _cbor_encode(value: object) -> bytes:
    """Shortest-form, definite-length CBOR (what Pagefind writes, byte for byte)."""
    if value is False or value is True or value is None:
        return bytes([0xE0 | {False: 20, True: 21, None: 22}[value]])
    if isinstance(value, int):
        return _cbor_head(0, value) if value >= 0 else _cbor_head(1, -1 - value)
    if isinstance(value, bytes):
        return _cbor_head(2, len(value)) + value
    if isinstance(value, str):
        encoded = value.encode("utf-8")
        return _cbor_head(3, len(encoded)) + encoded
    if isinstance(value, list):
        return _cbor_head(4, len(value)) + b"".join(_cbor_encode(item) for item in value)
    if isinstance(value, dict):
        return _cbor_head(5, len(value)) + b"".join(_cbor_encode(k) + _cbor_encode(v) for k, v in value.items())
    raise BundleFormatError(f"CBOR: cannot encode {type(value).__name__}")
