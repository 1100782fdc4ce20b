"""The source as it was when a translation was signed off, found in git history (``i18n diff``)."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from ..errors import BuildError
from .fingerprints import matches, text_digest


class HistoryUnavailable(Exception):
    """git, the repository or the signed-off revision is not there (exit status 2)."""


@dataclass(frozen=True)
class Revision:
    commit: str
    path: str  # relative to the repository's top, as of that commit
    raw: bytes
    summary: str  # "abc1234 2019-11-20 Subject"


def _git(cwd: Path, *args: str) -> bytes:
    try:
        done = subprocess.run(["git", "-c", "core.quotepath=off", *args], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError:
        raise HistoryUnavailable("git is not installed (or not on PATH)") from None
    if done.returncode != 0:
        raise HistoryUnavailable(f"git {args[0]} failed: {done.stderr.decode('utf-8', 'replace').strip()}")
    return done.stdout


def signed_off_revision(source: Path, kind: str, recorded: str) -> Revision:
    """The newest committed revision of ``source`` whose text has the ``recorded`` fingerprint."""
    folder = source.resolve().parent
    top = Path(_git(folder, "rev-parse", "--show-toplevel").decode("utf-8").strip())
    relative = source.resolve().relative_to(top.resolve()).as_posix()
    log = _git(top, "log", "--follow", "--format=%x00%H", "--name-only", "--", relative).decode("utf-8")
    for chunk in log.split("\x00"):
        lines = [line for line in chunk.split("\n") if line.strip()]
        if len(lines) < 2:
            continue
        commit, path = lines[0].strip(), lines[-1].strip()
        try:
            raw = _git(top, "show", f"{commit}:{path}")
            digest = text_digest(kind, raw, path)
        except (HistoryUnavailable, BuildError):
            continue  # the commit that deleted the file, or a revision that did not parse
        if matches(recorded, digest):
            summary = _git(top, "log", "-1", "--format=%h %ad %s", "--date=short", commit).decode("utf-8").strip()
            return Revision(commit, path, raw, summary)
    shallow = _git(top, "rev-parse", "--is-shallow-repository").decode("utf-8").strip() == "true"
    hint = " This is a shallow clone: `git fetch --unshallow` fetches the rest of the history." if shallow else ""
    raise HistoryUnavailable(
        f"no commit of {relative} has the signed-off fingerprint {recorded} "
        f"(signed off against an uncommitted version, or the history is incomplete).{hint}"
    )
