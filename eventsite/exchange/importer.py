"""``build.py import``: a source (file or URL) → a programme → the changes to the content folder.

The steps, each in its own module: fetch the bytes and tell the format
(here), read them into a :class:`~eventsite.exchange.programme.Programme`
(``sheet_in``, ``frab_in``, ``c3voc_in``), plan the content files
(``programme``), merge them with what is there (``writer``), check the
result in a copy, and write it (or, with ``--dry-run``, show the diff).
"""

from __future__ import annotations

import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from ..config import SiteConfig
from ..errors import BuildError, Problem, display_path
from ..load import load_content
from ..validate import validate_content
from . import c3voc_in, columns, frab_in, record as records, sheet_in, writer
from .programme import Existing, Programme, SiteState, plan_programme

MAX_BYTES = 50 * 1024 * 1024  # a schedule is megabytes at most; this bounds a download
FORMATS = ("csv", "xlsx", "frab", "c3voc")


@dataclass(frozen=True)
class Source:
    raw: bytes
    name: str  # the file name (or the URL's last segment), for the record and messages
    shown: str  # as messages show it
    format: str  # one of FORMATS


@dataclass(frozen=True)
class ImportOptions:
    mapping: Path | None = None
    add_rooms: bool = False
    format: str | None = None  # None: from the name, else from the bytes


def fetch(location: str, root_for_display: Path, format: str | None = None) -> Source:
    """A file's bytes, or a URL's (http/https only)."""
    if urlsplit(location).scheme in ("http", "https"):
        try:
            request = urllib.request.Request(location, headers={"User-Agent": "eventsite-import"})
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 (http and https only)
                raw = response.read(MAX_BYTES + 1)
        except (urllib.error.URLError, OSError, ValueError) as error:
            raise BuildError([Problem(location, 0, f"could not download it: {getattr(error, 'reason', error)}")]) from None
        if len(raw) > MAX_BYTES:
            raise BuildError([Problem(location, 0, f"larger than {MAX_BYTES // 1024 // 1024} MB: not a schedule")])
        name = urlsplit(location).path.rstrip("/").rsplit("/", 1)[-1] or location
        return Source(raw, name, location, format or detect(name, raw, location))
    path = Path(location)
    shown = display_path(path.resolve(), root_for_display)
    if not path.is_file():
        raise BuildError([Problem(shown, 0, "no such file")])
    raw = path.read_bytes()
    return Source(raw, path.name, shown, format or detect(path.name, raw, shown))


def detect(name: str, raw: bytes, shown: str) -> str:
    suffix = name.lower().rpartition(".")[2] if "." in name else ""
    by_suffix = {"csv": "csv", "tsv": "csv", "txt": "csv", "xlsx": "xlsx", "xlsm": "xlsx", "xml": "frab", "json": "c3voc"}
    if suffix in by_suffix:
        return by_suffix[suffix]
    head = raw.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if raw.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head == b"<":
        return "frab"
    if head in (b"{", b"["):
        return "c3voc"
    raise BuildError([Problem(shown, 0, f"which format is it? give --format ({', '.join(FORMATS)})")])


def site_state(content: Path, record: records.Record) -> SiteState:
    """site.yaml (which must be valid) and every content file as it is (read even if it has errors)."""
    raw = load_content(content, keep_going=True)
    valid = validate_content(raw, keep_going=True)
    if valid.site is None:
        problems = [problem for problem in valid.problems if problem.path.endswith("site.yaml")] or list(valid.problems)
        raise BuildError(problems or [Problem(str(content / "site.yaml"), 0, "site.yaml is missing")])
    files = {}
    for document in raw.documents:
        data = document.meta.data if isinstance(document.meta.data, dict) else {}
        folder = document.path.parent.name
        relative = f"{folder}/{document.path.name}"
        files[relative] = Existing(folder, document.id, document.lang, data, document.body)
    return SiteState(valid.site, files, record.recorded_ids())


def read_programme(source: Source, config: SiteConfig, options: ImportOptions, root_for_display: Path) -> Programme:
    zone = ZoneInfo(config.timezone)
    if source.format == "frab":
        return frab_in.read_programme(source.raw, source.shown, source.name, zone)
    if source.format == "c3voc":
        return c3voc_in.read_programme(source.raw, source.shown, source.name, zone)
    languages = tuple(config.languages)
    mapping = columns.Mapping()
    if options.mapping is not None:
        if not options.mapping.is_file():
            raise BuildError([Problem(str(options.mapping), 0, "no such mapping file")])
        mapping = columns.read_mapping(options.mapping, display_path(options.mapping.resolve(), root_for_display), languages)
    return sheet_in.read_programme(source.raw, source.shown, source.name, sheet_in.Options(languages, mapping, options.add_rooms))


def plan_import(
    source: Source, content: Path, options: ImportOptions, root_for_display: Path
) -> writer.Outcome:
    record_shown = display_path(records.path_of(content).resolve(), root_for_display)
    record = records.read_record(content, record_shown)
    state = site_state(content, record)
    programme = read_programme(source, state.config, options, root_for_display)
    plan = plan_programme(programme, state)
    writer.refuse(plan.problems)
    return writer.plan_changes(plan, state, record, content, programme.source)


def write_import(content: Path, outcome: writer.Outcome, examine: Callable[[Path], list[Problem]]) -> None:
    """Check the changed content in a copy; write it only when the import adds no error."""
    writer.refuse(writer.trial_check(content, outcome.changes, examine))
    writer.apply(content, outcome.changes)
