"""Drive the W3C Nu HTML Checker (vnu.jar) over built pages.

The JVM takes ~2 s to start, so every call checks all given files in ONE
java process (split only if the command line would get too long).

Two traps this module guards against, both of which make vnu report
*nothing* and exit 0 -- a gate that silently passes:

* a path that does not exist is skipped without a message, so we check
  existence ourselves;
* under a non-UTF-8 locale (e.g. CI with LANG unset) Java cannot open
  non-ASCII file names and skips them too, so we force ``LC_ALL=C.UTF-8``
  and, with ``--verbose``, confirm that every file was actually checked.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .tools import VNU_JAR, require_file, require_java

HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".xht"})

# Keep argv well below Linux's ARG_MAX (2 MiB incl. the environment).
_MAX_ARGV_BYTES = 512 * 1024


class VnuError(RuntimeError):
    """vnu itself failed (crash, unparsable output, unchecked files)."""


@dataclass(frozen=True, slots=True)
class VnuMessage:
    """One message of vnu's JSON output (see the Nu checker's JSON format)."""

    type: str  # "error", "info" or "non-document-error"
    sub_type: str | None  # "fatal", "warning", "io", "schema", "internal"
    path: Path | None  # None when vnu gives no file: URL
    url: str
    line: int | None  # first line of the reported range
    column: int | None  # first column of the reported range
    last_line: int | None
    last_column: int | None
    message: str
    extract: str | None

    @property
    def is_error(self) -> bool:
        # non-document errors (I/O, internal) must fail a gate too.
        return self.type in ("error", "non-document-error")

    @property
    def is_warning(self) -> bool:
        return self.type == "info" and self.sub_type == "warning"

    def location(self) -> str:
        where = str(self.path) if self.path is not None else (self.url or "<vnu>")
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return where

    @classmethod
    def from_json(cls, raw: dict[str, object]) -> VnuMessage:
        url = str(raw.get("url", ""))
        last_line = _opt_int(raw.get("lastLine"))
        last_column = _opt_int(raw.get("lastColumn"))
        # Per the format, an absent firstLine/firstColumn equals the last one.
        first_line = _opt_int(raw.get("firstLine")) or last_line
        first_column = _opt_int(raw.get("firstColumn")) or last_column
        sub_type = raw.get("subType")
        extract = raw.get("extract")
        return cls(
            type=str(raw.get("type", "")),
            sub_type=str(sub_type) if sub_type is not None else None,
            path=_path_from_url(url),
            url=url,
            line=first_line,
            column=first_column,
            last_line=last_line,
            last_column=last_column,
            message=str(raw.get("message", "")),
            extract=str(extract) if extract is not None else None,
        )


@dataclass(frozen=True, slots=True)
class VnuReport:
    """Every message from one check, plus the files vnu confirmed it read."""

    messages: tuple[VnuMessage, ...]
    checked: tuple[Path, ...]

    @property
    def errors(self) -> list[VnuMessage]:
        return [m for m in self.messages if m.is_error]

    @property
    def warnings(self) -> list[VnuMessage]:
        return [m for m in self.messages if m.is_warning]


def validate_html(
    paths: Iterable[Path],
    *,
    langdetect: bool = True,
    filter_pattern: str | None = None,
) -> list[VnuMessage]:
    """Errors vnu reports for ``paths`` (empty list == valid). See ``check_html``."""
    report = check_html(paths, langdetect=langdetect, filter_pattern=filter_pattern)
    return report.errors


def check_html(
    paths: Iterable[Path],
    *,
    langdetect: bool = True,
    filter_pattern: str | None = None,
    timeout: float = 600.0,
) -> VnuReport:
    """Run vnu once over all ``paths`` and return errors and warnings.

    ``langdetect`` keeps vnu's html[lang] vs. text-language check (it only
    produces warnings). ``filter_pattern`` is vnu's ``--filterpattern``: a
    regex of messages to drop -- use sparingly and say why at the call site.
    """
    files = _unique_existing(paths)
    if not files:
        raise ValueError("check_html() needs at least one file")
    java = require_java()
    jar = require_file(VNU_JAR, "vnu.jar (npm package vnu-jar)")

    # JSON goes to stderr, --verbose file names to stdout: kept apart.
    base = [java, "-jar", str(jar), "--format", "json", "--verbose"]
    if not langdetect:
        base.append("--no-langdetect")
    if filter_pattern is not None:
        base += ["--filterpattern", filter_pattern]
    env = {**os.environ, "LC_ALL": "C.UTF-8"}

    messages: list[VnuMessage] = []
    checked: list[Path] = []
    for batch in _batches(files, _MAX_ARGV_BYTES - sum(len(a) + 1 for a in base)):
        proc = subprocess.run(
            [*base, *(str(p) for p in batch)],
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            env=env,
            timeout=timeout,
            check=False,
        )
        payload = _parse_json(proc.stderr)
        if proc.returncode not in (0, 1) or payload is None:
            raise VnuError(f"vnu exited {proc.returncode}; stderr:\n{proc.stderr[-4000:]}")
        batch_messages = [VnuMessage.from_json(m) for m in payload.get("messages", [])]
        if proc.returncode == 1 and not any(m.is_error for m in batch_messages):
            raise VnuError(f"vnu exited 1 without reporting an error:\n{proc.stderr}")
        messages += batch_messages
        seen = {Path(line) for line in proc.stdout.splitlines() if line.strip()}
        unchecked = [p for p in batch if p not in seen]
        if unchecked:
            raise VnuError(
                "vnu silently skipped files (locale/encoding problem?): "
                + ", ".join(map(str, unchecked[:10]))
            )
        checked += batch
    return VnuReport(tuple(messages), tuple(checked))


def html_files_under(root: Path) -> list[Path]:
    """All files vnu treats as HTML (same rule as ``--skip-non-html``), sorted."""
    return sorted(p for p in root.rglob("*") if p.suffix.lower() in HTML_SUFFIXES and p.is_file())


def format_messages(messages: Sequence[VnuMessage], *, limit: int = 50) -> str:
    """``file:line:col: [type] message`` lines, for assertion messages."""
    lines = []
    for m in messages[:limit]:
        kind = m.sub_type if m.is_warning or m.sub_type == "fatal" else m.type
        lines.append(f"{m.location()}: [{kind}] {m.message}")
        if m.extract:
            lines.append("    " + m.extract.replace("\n", "\u21b5"))
    if len(messages) > limit:
        lines.append(f"... and {len(messages) - limit} more")
    return "\n".join(lines)


def _unique_existing(paths: Iterable[Path]) -> list[Path]:
    files = list(dict.fromkeys(Path(p).resolve() for p in paths))
    missing = [p for p in files if not p.is_file()]
    if missing:
        # vnu would skip these without a word.
        raise FileNotFoundError("not files: " + ", ".join(map(str, missing[:10])))
    return files


def _batches(files: list[Path], budget: int) -> Iterable[list[Path]]:
    batch: list[Path] = []
    used = 0
    for path in files:
        cost = len(os.fsencode(path)) + 1
        if batch and used + cost > budget:
            yield batch
            batch, used = [], 0
        batch.append(path)
        used += cost
    if batch:
        yield batch


def _parse_json(stderr: str) -> dict[str, list[dict[str, object]]] | None:
    # JVM notices (e.g. "Picked up JAVA_TOOL_OPTIONS") may precede the JSON,
    # which vnu writes as a single line.
    for line in reversed(stderr.splitlines()):
        if line.startswith("{"):
            try:
                data = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(data, dict) and "messages" in data:
                return data
    return None


def _path_from_url(url: str) -> Path | None:
    parts = urlsplit(url)
    if parts.scheme != "file":
        return None
    return Path(unquote(parts.path))


def _opt_int(value: object) -> int | None:
    return value if isinstance(value, int) else None
