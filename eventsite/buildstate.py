"""The build state: what the last command-line build read and wrote, so that the next one does only what changed.

One file per output folder in the cache folder
(``.cache/eventsite/state/<digest of the output path>.state``), plain
lists, dicts, strings and numbers written with :mod:`marshal` (JSON took
0.1 s each way at 6,000 pages; the key below names the Python version, so
a file from another one is never read as this one's). It holds

- ``key``: everything besides the input files that decides the output — this
  generator's own code, Python and the libraries' versions, the build's
  options, the folders and the working directory (messages name paths
  relative to it). Another key means a full build;
- ``inputs``: size, mtime and SHA-256 of every file of the content folder and
  of the theme (templates, static files, catalogs);
- ``outputs``: size and mtime of every file the build left in the output
  folder. A file changed, added or removed there by anyone else means a full
  build: the state no longer describes what is on disk;
- per page: what it read (files and *facts*, eventsite/depends.py), its
  warnings and its links to #fragments; a digest of every fact's value;
  the fingerprinted names of the static files; the flags published.

This module is light on purpose (the standard library only): a build with
nothing to do reads the state, compares, and exits before Jinja, pydantic or
Babel are imported. eventsite/rebuild.py does the rest.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import os
import sys
import tempfile
import time
from array import array
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, NamedTuple, Sequence

from .cache import seal, unseal
from .project import BuildOptions, Project
from .timeline import head_signature
from .versions import installed_version

FORMAT = 6  # bump when the file's layout changes (2: marshal; a page's record as a list; 3: sealed, cache.seal;
#             4: an output's inode listed; 5: a record's numbers packed; 6: a record as a tuple)
MAGIC = b"eventsite-state\n"  # what the file starts with, so that a stray file is not decoded at all
# Libraries whose version can change the bytes of a build.
LIBRARIES = (
    "jinja2", "markupsafe", "markdown", "nh3", "pyyaml", "pydantic", "pydantic-core", "babel", "icalendar",
    "pillow", "minify-html", "pagefind-bin-extended", "pagefind-bin", "python-dateutil",
)
ENVIRONMENT = ("PAGEFIND_BINARY_PATH",)  # variables a build reads
_PACKAGE = Path(__file__).resolve().parent


NUMBER_SIZE = 4  # bytes of each number in a record's packed lists (array "I", little-endian in the file)


def pack(numbers: Iterable[int]) -> bytes:
    """Numbers as a record keeps them: sorted, four bytes each, little-endian.

    A record's lists as bytes: 15,000 pages read ~1.5 million numbers at 10 × 300, and making each an int
    object again was half of reading the state (~50 ms of every rebuild); searched as bytes (:func:`holds_any`).
    """
    packed = array("I", sorted(numbers))
    if sys.byteorder == "big":
        packed.byteswap()
    return packed.tobytes()


def unpack(packed: bytes) -> list[int]:
    numbers = array("I")
    numbers.frombytes(packed)
    if sys.byteorder == "big":
        numbers.byteswap()
    return numbers.tolist()


def holds_any(packed: bytes, wanted: Iterable[bytes]) -> bool:
    """Whether ``packed`` holds any of the numbers ``wanted`` (each packed alone by :func:`pack`), at a number's place."""
    for needle in wanted:
        at = packed.find(needle)
        while at >= 0:
            if at % NUMBER_SIZE == 0:
                return True
            at = packed.find(needle, at + 1)
    return False


class PageRecord(NamedTuple):
    """One planned page (or other route) of the last build.

    A named tuple, written to the file as a plain tuple: 15,000 records made into lists and back
    were ~40 ms of a rebuild at 10 × 300, as dataclasses.
    """

    output: str  # its file below the output folder
    sources: bytes  # what it read: numbers into BuildState.paths (pack)
    facts: bytes  # numbers into BuildState.fact_names (pack)
    problems: Sequence[Sequence[Any]] = ()  # its warnings: [path, line, message, column, severity]
    claims: Sequence[Sequence[Any]] = ()  # its links to #fragments: [document, line, written, target, fragment]
    fragments: str = ""  # the stamp of its kept fragments' file (eventsite/fragments.py); "": none


RECORD_FIELDS = PageRecord._fields  # a page's record in the file: these, in this order
_record_of = PageRecord._make


@dataclass
class BuildState:
    key: str
    inputs: dict[str, list[Any]]  # absolute path → [size, mtime_ns (-1: not trusted), sha256]
    outputs: dict[str, list[int]]  # path below the output folder → [size, mtime_ns]
    paths: list[str]
    fact_names: list[str]
    facts: dict[str, str]  # fact → digest of its value
    pages: dict[str, PageRecord]  # route URL → record
    assets: dict[str, str] = field(default_factory=dict)  # static/x.css → static/x.1a2b3c4d.css
    flags: list[str] = field(default_factory=list)  # the countries whose flags were published
    notes: list[str] = field(default_factory=list)  # the last build's remarks (search: …), repeated while still true

    def encode(self) -> bytes:
        # Not dataclasses.asdict: its deep copy of every page's lists took seconds at 12,000 pages.
        values = {name: getattr(self, name) for name in self.__dataclass_fields__}
        values["pages"] = {url: tuple(record) for url, record in self.pages.items()}  # marshal writes plain tuples only
        return seal(MAGIC, marshal.dumps({"format": FORMAT, **values}))

    @classmethod
    def decode(cls, data: bytes) -> "BuildState":
        """The state in ``data``; ValueError (or TypeError, KeyError) for anything else."""
        payload = unseal(MAGIC, data)  # ValueError: another kind of file, or a damaged one
        try:
            values = marshal.loads(payload)
        except EOFError:
            raise ValueError("a cut file") from None
        if not isinstance(values, dict) or values.get("format") != FORMAT:
            raise ValueError("another format")
        fields = {name: values[name] for name in cls.__dataclass_fields__}
        pages = values["pages"]
        if not isinstance(pages, dict) or not all(type(record) is tuple and len(record) == len(RECORD_FIELDS) for record in pages.values()):
            raise ValueError("a page's record of another shape")
        fields["pages"] = {url: _record_of(record) for url, record in pages.items()}
        state = cls(**fields)
        state.check()
        return state

    def check(self) -> None:
        """Raise ValueError unless every part has the shape and references it should (a damaged file)."""
        files, facts = len(self.paths), len(self.fact_names)
        for url, record in self.pages.items():
            if not isinstance(url, str) or not isinstance(record.output, str):
                raise ValueError("a page without an output")
            # The numbers are sorted (pack): the last is the largest. The seal has checked the bytes; this is
            # the shape a writer of this format gives them.
            sources, read_facts = record.sources, record.facts
            if type(sources) is not bytes or len(sources) % NUMBER_SIZE:
                raise ValueError("a page's files are not numbers")
            if type(read_facts) is not bytes or len(read_facts) % NUMBER_SIZE:
                raise ValueError("a page's facts are not numbers")
            if sources and int.from_bytes(sources[-NUMBER_SIZE:], "little") >= files:
                raise ValueError("a page reads an unknown file")
            if read_facts and int.from_bytes(read_facts[-NUMBER_SIZE:], "little") >= facts:
                raise ValueError("a page reads an unknown fact")
        for signature in self.inputs.values():
            if not isinstance(signature, list) or len(signature) < 2 or not all(isinstance(value, int) for value in signature[:2]):
                raise ValueError("a damaged file signature")
        for listed in self.outputs.values():  # as scan_outputs lists them
            if not isinstance(listed, list) or len(listed) != 3 or not all(isinstance(value, int) for value in listed):
                raise ValueError("a damaged output listing")


@dataclass
class Previous:
    """The last build compared with the folders now."""

    state: BuildState | None
    reason: str | None = None  # why it cannot be used (None: there is none, or it can)
    changed: set[Path] = field(default_factory=set)  # input files changed, added or removed
    inputs: dict[str, list[Any]] = field(default_factory=dict)  # every input now: path → [size, mtime_ns, sha256]
    checked: int = 0  # files compared
    seconds: float = 0.0
    outputs: dict[str, list[int]] | None = None  # the output folder listed (when it matched the state): path → [size, mtime_ns, inode]
    # ``changed`` lists every input changed since the last build, which had this build's key: its parsed
    # content can be reused (eventsite/contentcache.py) even when its output cannot (deleted or edited).
    compared: bool = False
    # The last build's state when only its output cannot be used (deleted or edited): the parts of pages it
    # kept (eventsite/fragments.py) can still be, where nothing they read changed.
    earlier: BuildState | None = None

    @property
    def up_to_date(self) -> bool:
        return self.state is not None and self.reason is None and not self.changed


def state_file(project: Project) -> Path | None:
    """Where the state of builds into ``project.output`` is kept; None without a cache folder (--no-cache)."""
    if project.cache is None:
        return None
    digest = hashlib.sha256(os.fsencode(project.output.resolve())).hexdigest()[:16]
    return project.cache / "state" / f"{digest}.state"


def fragment_folder(project: Project) -> Path | None:
    """Where the kept fragments of builds into ``project.output`` are (eventsite/fragments.py)."""
    state = state_file(project)
    return state.parent.parent / "fragments" / state.stem if state is not None else None


def build_key(project: Project, options: BuildOptions) -> str:
    """Everything besides the input files that decides a build's bytes."""
    digest = hashlib.sha256(_code_and_libraries().encode())
    settings = {
        "environment": {name: os.environ.get(name) for name in ENVIRONMENT},
        "options": [options.minify, options.search, options.dev],
        "content": str(project.content.resolve()),
        "output": str(project.output.resolve()),
        "theme": [str(folder.resolve()) for folder in (*project.theme.template_folders, *project.theme.locale_folders)],
        "base_url": project.base_url,
        "cwd": os.getcwd(),
        # Calendars' SEQUENCE and DTSTAMP come from git history (eventsite/timeline.py): a new commit is a full build.
        "history": head_signature(project.content),
    }
    digest.update(json.dumps(settings, sort_keys=True).encode())
    return digest.hexdigest()


@lru_cache(maxsize=1)
def _code_and_libraries() -> str:
    """This generator's own code (in a checkout as in a wheel), Python's and the libraries' versions: the
    same for the whole process (the code that runs is what it imported), asked twice a build (~12 ms each)."""
    digest = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*.py")):
        digest.update(path.relative_to(_PACKAGE).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    versions = json.dumps({"python": sys.version, "libraries": {name: installed_version(name) for name in LIBRARIES}}, sort_keys=True)
    return digest.hexdigest() + versions


def input_folders(project: Project) -> list[Path]:
    return [project.content, *project.theme.template_folders, *project.theme.locale_folders]


def scan_inputs(project: Project) -> dict[str, list[Any]]:
    """Every file a build may read: path (folders resolved, the way pages record them) → [size, mtime_ns]."""
    found: dict[str, list[Any]] = {}
    for folder in input_folders(project):
        for path, _, info in _walk(folder.resolve()):
            found[path] = [info.st_size, info.st_mtime_ns]
    return found


def scan_outputs(output: Path) -> dict[str, list[int]]:
    """Every file below the output folder: relative path → [size, mtime_ns, inode].

    The inode makes a value a file's whole signature (filememo.signature): the whole-site steps after a
    rebuild take those of the pages it did not write from here instead of asking for each again.
    """
    return {relative: _listed(info) for _, relative, info in _walk(output)}


def _listed(info: os.stat_result) -> list[int]:
    return [info.st_size, info.st_mtime_ns, info.st_ino]


def updated_outputs(output: Path, listed: dict[str, list[int]], touched: Iterable[str]) -> dict[str, list[int]]:
    """:func:`scan_outputs` after a rebuild, from the listing before it and the files it wrote or deleted.

    Listing 11,000 files again cost a quarter of a second; a file missed here
    only makes the next build a full one (its listing would differ from the state).
    """
    outputs = dict(listed)
    for relative in touched:
        try:
            info = os.stat(output / relative)
        except FileNotFoundError:
            outputs.pop(relative, None)
        else:
            outputs[relative] = _listed(info)
    return outputs


def _walk(folder: Path) -> Iterator[tuple[str, str, os.stat_result]]:
    """(path, path relative to ``folder`` with '/', stat) of every file below ``folder``, links not followed.

    Relative names by concatenation: os.path.relpath cost 20 µs a file (a fifth of a second for 11,000).
    """
    pending = [(os.fspath(folder), "")]
    while pending:
        current, prefix = pending.pop()
        try:
            entries = list(os.scandir(current))
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if entry.name not in ("__pycache__", ".git"):
                    pending.append((entry.path, prefix + entry.name + "/"))
            else:
                try:
                    yield entry.path, prefix + entry.name, entry.stat(follow_symlinks=True)
                except OSError:  # a broken link: the build reports it
                    yield entry.path, prefix + entry.name, os.stat_result((0,) * 10)


class Comparison:
    """What :func:`compare` found: the decision (:meth:`previous`) may wait for the output folder's listing."""

    def __init__(self, decide: Callable[[], Previous], inputs_changed: bool):
        self._decide = decide
        self._previous: Previous | None = None
        self.inputs_changed = inputs_changed

    @classmethod
    def settled(cls, previous: Previous) -> "Comparison":
        return cls(lambda: previous, bool(previous.changed))

    def previous(self) -> Previous:
        if self._previous is None:
            self._previous = self._decide()
        return self._previous

    @property
    def up_to_date(self) -> bool:
        """Answered without waiting for the listing when inputs changed (then it is not)."""
        return not self.inputs_changed and self.previous().up_to_date


def compare(project: Project, options: BuildOptions) -> Comparison:
    """The last build's state against the folders now: up to date, what changed, or why it cannot be used.

    Unless up to date, every input also gets its SHA-256 now, before the build
    reads it: a file saved while the build runs is then seen by the next one.
    When inputs changed, the output folder is listed by a child process while
    this one imports and loads (:class:`OutputListing`).
    """
    started, clock = time.perf_counter(), time.time_ns()
    inputs = scan_inputs(project)
    location = state_file(project)
    if location is None or not location.is_file():
        return Comparison.settled(Previous(None, inputs=_signed(inputs, {}, clock)))
    try:
        state = BuildState.decode(location.read_bytes())
    except (OSError, ValueError, KeyError, TypeError) as error:
        return Comparison.settled(Previous(None, f"the saved build state could not be read ({error})", inputs=_signed(inputs, {}, clock)))
    if state.key != build_key(project, options):
        reason = "the last build used other options or another version of eventsite, Python or a library"
        return Comparison.settled(Previous(None, reason, inputs=_signed(inputs, {}, clock)))
    changed: set[Path] = set()
    for path in inputs.keys() | state.inputs.keys():
        now, before = inputs.get(path), state.inputs.get(path)
        if now is None or before is None:
            changed.add(Path(path))
        elif now[:2] != before[:2]:
            # Same size, other time: touched or checked out again, or edited; the bytes tell.
            if now[0] != before[0] or _digest(path) != before[2]:
                changed.add(Path(path))
    if changed:
        inputs = _signed(inputs, state.inputs, clock)
    seconds = time.perf_counter() - started
    listing = OutputListing.start(project.output, elsewhere=bool(changed))

    def decide() -> Previous:
        outputs = listing.result()
        where = project.output.name or str(project.output)
        unusable = None
        if not outputs:
            unusable = f"{where}/ is empty or missing"
        elif outputs != state.outputs:
            differ = len(outputs.keys() ^ state.outputs.keys()) + sum(
                1 for name in outputs.keys() & state.outputs.keys() if outputs[name] != state.outputs[name]
            )
            unusable = f"{where}/ was changed since the last build ({differ:,} files differ)"
        if unusable is not None:  # a full build, which may still reuse what the unchanged inputs parsed to
            signed = inputs if changed else _signed(inputs, state.inputs, clock)
            return Previous(None, unusable, changed, signed, compared=True, earlier=state)
        return Previous(state, None, changed, inputs, len(inputs) + len(outputs), seconds + listing.seconds, outputs, compared=True)

    return Comparison(decide, bool(changed))


class OutputListing:
    """:func:`scan_outputs` of the output folder, made now or by a forked child process.

    After an edit, the listing is needed only once the build has imported its
    modules and loaded the content (~0.7 s at 10 × 300); listing 16,000 files
    took ~0.2 s of that on the one core the build then uses. A child forked
    this early is small, lists them on the other core and sends the listing
    back through a pipe. Anything wrong with the child: the listing is made here.
    """

    def __init__(self, output: Path, listed: dict[str, list[int]] | None, child: tuple[int, int] | None = None):
        self.output = output
        self._listed = listed
        self._child = child  # (process id, read end of its pipe)
        self.seconds = 0.0  # spent here listing (not waiting for the child)

    @classmethod
    def start(cls, output: Path, *, elsewhere: bool) -> "OutputListing":
        if elsewhere and hasattr(os, "fork"):
            try:
                reading, writing = os.pipe()
                pid = os.fork()
            except OSError:
                pass
            else:
                if pid == 0:  # the child: list, send, and leave without running anything of the parent's
                    code = 1
                    try:
                        os.close(reading)
                        with os.fdopen(writing, "wb") as stream:
                            stream.write(marshal.dumps(scan_outputs(output)))
                        code = 0
                    finally:
                        os._exit(code)
                os.close(writing)
                return cls(output, None, (pid, reading))
        listing = cls(output, None)
        listing.result()
        return listing

    def result(self) -> dict[str, list[int]]:
        if self._listed is None and self._child is not None:
            self._listed = self._from_child()
            self._child = None
        if self._listed is None:
            started = time.perf_counter()
            self._listed = scan_outputs(self.output)
            self.seconds = time.perf_counter() - started
        return self._listed

    def _from_child(self) -> dict[str, list[int]] | None:
        assert self._child is not None
        pid, reading = self._child
        try:
            with os.fdopen(reading, "rb") as stream:
                data = stream.read()
            _, status = os.waitpid(pid, 0)
            listed = marshal.loads(data) if os.waitstatus_to_exitcode(status) == 0 else None
        except (OSError, ValueError, EOFError, TypeError):
            return None
        return listed if isinstance(listed, dict) else None


# A file written this close before the scan may be written again within the
# same tick of the file system's clock, keeping its size and time: its time is
# not trusted, and the next build compares its bytes (git's "racily clean" rule).
RACY_NS = 2_000_000_000


def _signed(inputs: dict[str, list[Any]], before: dict[str, list[Any]], clock: int) -> dict[str, list[Any]]:
    """Every input as [size, mtime_ns or -1 when racy, sha256]; the digest reused when size and time match."""
    signed = {}
    for path, (size, mtime) in inputs.items():
        known = before.get(path)
        sha = known[2] if known is not None and known[:2] == [size, mtime] else _digest(path)
        signed[path] = [size, -1 if mtime >= clock - RACY_NS else mtime, sha]
    return signed


def _digest(path: str) -> str:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return ""


def save(project: Project, state: BuildState) -> None:
    """Write the state atomically; a disk that refuses only costs the next build its speed."""
    location = state_file(project)
    if location is None:
        return
    try:
        location.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=location.parent, prefix=".tmp-")
        with os.fdopen(handle, "wb") as stream:
            stream.write(state.encode())
        os.replace(temporary, location)
    except OSError:
        forget(project)


def forget(project: Project) -> None:
    """Remove the state (before a build that may leave the output in another shape)."""
    location = state_file(project)
    if location is not None:
        try:
            location.unlink()
        except OSError:
            pass
