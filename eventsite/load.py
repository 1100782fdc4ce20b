"""Stage 1, load: read the content folder into raw documents.

Reading is where hostile input first arrives, so this stage decides what a
file *is*: it accepts UTF-8 with or without a BOM and with CRLF or LF line
endings, rejects other encodings with the byte offset, refuses symlinks that
leave ``content/``, ignores editors' temporary files, and parses front matter
with the strict YAML dialect of :mod:`eventsite.yaml_strict`. It knows
nothing of schemas.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from . import paths
from .contentpath import NotContent, parse_name
from .documents import Document, MediaFile, split_front_matter
from .errors import BuildError, Problem, display_path
from .kinds import FOLDERS as CONTENT_FOLDERS  # folder name → content kind (eventsite/kinds/)
from .yaml_strict import CONTROL_CHARACTER, YamlProblem, parse
SITE_FILE = "site.yaml"
MEDIA_FOLDER = "media"
MAX_FILE_BYTES = 2 * 1024 * 1024  # a page of text is kilobytes; this bounds memory and Markdown time


@dataclass
class RawContent:
    root: Path
    site: Document | None  # None when site.yaml could not be read (a problem says why)
    documents: list[Document] = field(default_factory=list)
    media: list[MediaFile] = field(default_factory=list)
    # Some document was read through a symbolic link: an edit of its target is
    # reported under another name, so only a full scan notices it.
    linked: bool = False
    problems: tuple[Problem, ...] = ()  # everything wrong with the files as files (names, encoding, YAML)
    # (kind, id, lang) of content files with a proper name that could not be read: they exist,
    # so references to them are not reported as unknown on top of their own problem.
    unreadable: frozenset[tuple[str, str, str | None]] = frozenset()


@dataclass(frozen=True)
class Changes:
    """The paths a file watcher reported since ``previous`` was loaded from the same folder.

    With them, :func:`load_content` re-reads only those files instead of
    listing and stat-ing every file (the dev server's edit loop);
    :func:`missed_changes` is the safety net for a watcher that missed one.
    """

    previous: RawContent
    paths: frozenset[Path]  # absolute, with resolved folders (the file itself may be a link)


class LoadCache:
    """Parsed documents by path and file signature (mtime, size, inode).

    The dev server keeps one across rebuilds so that an edit re-reads and
    re-parses only the files that changed.
    """

    def __init__(self) -> None:
        # Keyed by the path as a string: the dev server looks up thousands of files per edit.
        self._entries: dict[str, tuple[tuple[int, int, int], Document]] = {}
        # The signatures as last saved to disk (contentcache.py), when this cache was read from there.
        self.saved: dict[str, tuple[int, int, int]] | None = None

    def get(self, path: Path | str, stat: os.stat_result) -> Document | None:
        """The document read from ``path`` when it had this ``stat`` (mtime, size, inode), else None."""
        found = self._entries.get(str(path))
        return found[1] if found is not None and found[0] == _signature(stat) else None

    def put(self, path: Path, stat: os.stat_result, document: Document) -> None:
        self._entries[str(path)] = (_signature(stat), document)

    def settled(self, before_ns: int) -> "LoadCache":
        """Only the documents of files last changed before ``before_ns``: a file saved again within the
        same tick of the file system's clock keeps its signature, so a recent one is not trusted later."""
        kept = LoadCache()
        kept._entries = {path: found for path, found in self._entries.items() if found[0][0] < before_ns}
        return kept

    def signatures(self) -> dict[str, tuple[int, int, int]]:
        return {path: found[0] for path, found in self._entries.items()}

    def discard(self, paths: "Iterable[Path | str]") -> None:
        """Forget these files' documents (ones the caller knows changed, whatever their signature says)."""
        for path in paths:
            self._entries.pop(str(path), None)

    def __len__(self) -> int:
        return len(self._entries)


def _signature(stat: os.stat_result) -> tuple[int, int, int]:
    return (stat.st_mtime_ns, stat.st_size, stat.st_ino)


def load_content(
    root: Path, cache: LoadCache | None = None, since: Changes | None = None, *, keep_going: bool = False
) -> RawContent:
    """Read every content file under ``root``; raise BuildError with all problems.

    ``keep_going``: return what could be read, with the problems in
    ``RawContent.problems``, so later stages check the rest (``check`` and
    the build report everything in one run). ``since`` (with a ``cache``):
    re-read only the reported files and take the rest from ``since.previous``;
    a report that is not plain document files (a folder, a link, anything
    unusual) falls back to the full scan.
    """
    root = root.resolve()
    problems: list[Problem] = []
    unreadable: set[tuple[str, str, str | None]] = set()
    if not root.is_dir():
        raise BuildError([Problem(str(root), 0, "content folder not found")])

    site_path = root / SITE_FILE
    site = None
    if _safe_entry(site_path, root, problems):
        site = _read_document(site_path, root, "site", "site", None, problems, front_matter=False, cache=cache)

    if since is not None and cache is not None and _patchable(root, since):
        documents, linked = _patch_documents(root, since, problems, cache), False
        media_root = root / MEDIA_FOLDER
        if any(paths.is_below(path, media_root) for path in since.paths):
            media = _load_media(root, problems)
        else:
            media = since.previous.media
    else:
        documents, linked = _scan_documents(root, problems, cache, unreadable)
        media = _load_media(root, problems)
    for document in (site, *documents):
        if document is not None:
            problems.extend(document.problems)
    if site is None and not any(problem.path == display_path(site_path, root) for problem in problems):
        problems.append(Problem(display_path(site_path, root), 0, "site.yaml is missing"))
    if problems and not keep_going:
        raise BuildError(problems)
    return RawContent(
        root=root, site=site, documents=documents, media=media, linked=linked,
        problems=tuple(problems), unreadable=frozenset(unreadable),
    )


def _scan_documents(
    root: Path, problems: list[Problem], cache: LoadCache | None, unreadable: set[tuple[str, str, str | None]]
) -> tuple[list[Document], bool]:
    documents: list[Document] = []
    linked = False
    for folder, kind in CONTENT_FOLDERS.items():
        folder_path = root / folder
        if not folder_path.exists():
            continue
        if not _safe_entry(folder_path, root, problems):
            continue
        for entry in sorted(os.scandir(folder_path), key=lambda e: e.name):
            document = _unchanged(entry, cache) or _load_entry(Path(entry.path), root, kind, problems, cache, unreadable)
            if document is not None:
                documents.append(document)
                linked = linked or entry.is_symlink()
    return documents, linked


def _patchable(root: Path, since: Changes) -> bool:
    """Whether every reported path is a plain file of a content folder (or outside what a scan reads)."""
    if since.previous.root != root or since.previous.linked or since.previous.problems:
        return False  # (after a load with problems, a full scan finds what is fixed and what is not)
    for path in since.paths:
        if not paths.is_below(path, root) or path == root / SITE_FILE or paths.is_below(path, root / MEDIA_FOLDER):
            continue  # templates and catalogs; site.yaml and media/ are read below anyway
        folder = path.parent
        if folder == root:
            if path.name in CONTENT_FOLDERS:
                return False  # a whole folder came, went or was replaced
            continue  # other files there are not content
        if folder.parent != root or folder.name not in CONTENT_FOLDERS or folder.is_symlink():
            return False  # in a sub-folder (a problem the scan reports) or through a link
        if path.is_symlink() or path.is_dir():
            return False
    return True


def _patch_documents(root: Path, since: Changes, problems: list[Problem], cache: LoadCache) -> list[Document]:
    """``since.previous``'s documents with the reported files re-read, added or removed, in scan order."""
    previous = since.previous.documents
    position = {document.path: index for index, document in enumerate(previous)}
    documents: list[Document | None] = list(previous)
    added: list[Document] = []
    for path in sorted(since.paths):
        folder = path.parent
        if folder.parent != root or folder.name not in CONTENT_FOLDERS:
            continue
        document = _load_entry(path, root, CONTENT_FOLDERS[folder.name], problems, cache) if os.path.lexists(path) else None
        index = position.get(path)
        if index is not None:
            documents[index] = document  # None: removed (or unreadable, with a problem)
        elif document is not None:
            added.append(document)
    kept = [document for document in documents if document is not None]
    if not added:
        return kept  # the common edit: same files, same order
    order = {folder: index for index, folder in enumerate(CONTENT_FOLDERS)}
    return sorted(kept + added, key=lambda document: (order[document.path.parent.name], document.path.name))


def missed_changes(root: Path, raw: RawContent, cache: LoadCache) -> set[Path]:
    """Files that differ from ``raw`` (a load patched from watcher reports): what the watcher missed.

    One ``stat`` per file, like a full scan of unchanged files; media files
    are compared by size and modification time.
    """
    root = root.resolve()
    known = {str(document.path): document for document in raw.documents}
    missed: set[Path] = set()
    for folder in CONTENT_FOLDERS:
        try:
            entries = list(os.scandir(root / folder))
        except OSError:
            continue  # the folder is gone: its documents stay in ``known``
        for entry in entries:
            if paths.is_editor_litter(paths.nfc(entry.name)):
                continue
            document = known.pop(entry.path, None)
            try:
                stat = entry.stat()
            except OSError:
                stat = None
            if document is None or stat is None or cache.get(entry.path, stat) is not document:
                missed.add(Path(entry.path))
    missed.update(Path(path) for path in known)
    site_path = root / SITE_FILE
    try:
        stat = site_path.stat()
        if cache.get(site_path, stat) is not raw.site:
            missed.add(site_path)
    except OSError:
        missed.add(site_path)
    before = {item.relative: item for item in raw.media}
    now = {item.relative: item for item in _load_media(root, [])}
    for relative in before.keys() | now.keys():
        old, new = before.get(relative), now.get(relative)
        if old is None or new is None or (old.size, old.modified_ns) != (new.size, new.modified_ns):
            missed.add((new or old).path)  # type: ignore[union-attr]
    return missed


def _unchanged(entry: os.DirEntry, cache: LoadCache | None) -> Document | None:
    """The cached document of a plain file whose signature has not changed, else None.

    A cached document passed every check of :func:`_load_entry` for this very
    path and signature, so the dev server's rescan after an edit costs one
    ``stat`` per unchanged file. Symlinks always take the slow path.
    """
    if cache is None or entry.is_symlink():
        return None
    try:
        stat = entry.stat()
    except OSError:
        return None
    return cache.get(entry.path, stat)


def _load_entry(
    path: Path,
    root: Path,
    kind: str,
    problems: list[Problem],
    cache: LoadCache | None,
    unreadable: set[tuple[str, str, str | None]] | None = None,
) -> Document | None:
    name = paths.nfc(path.name)
    shown = display_path(path, root)
    if paths.is_editor_litter(name):
        return None
    if not _safe_entry(path, root, problems):
        return None
    if path.is_dir():
        problems.append(Problem(shown, 0, "sub-folders are not allowed here"))
        return None
    try:
        content_path = parse_name(path.parent.name, name)
    except NotContent as why:
        problems.append(Problem(shown, 0, str(why)))
        return None
    item_id, lang = content_path.id, content_path.lang
    before = len(problems)
    document = _read_document(path, root, kind, item_id, lang, problems, front_matter=True, cache=cache)
    if document is None and len(problems) > before and unreadable is not None:
        unreadable.add((kind, item_id, lang))
    return document


def _safe_entry(path: Path, root: Path, problems: list[Problem]) -> bool:
    """Refuse symlinks that leave the content folder (CVE-2018-17567-style leaks), or lead nowhere."""
    if not path.is_symlink():
        return True
    if not path.exists():  # dangling, or a loop
        problems.append(Problem(display_path(path, root), 0, "symbolic link is broken (its target does not exist)"))
        return False
    if not paths.is_inside(path, root):
        problems.append(Problem(display_path(path, root), 0, "symbolic link points outside the content folder"))
        return False
    return True


def _read_document(
    path: Path,
    root: Path,
    kind: str,
    item_id: str,
    lang: str | None,
    problems: list[Problem],
    *,
    front_matter: bool,
    cache: LoadCache | None = None,
) -> Document | None:
    shown = display_path(path, root)
    try:
        stat = path.stat() if path.is_file() else None
    except FileNotFoundError:  # renamed or deleted since its folder was listed: an editor saving
        stat = None
    if stat is None:
        if kind == "site":
            problems.append(Problem(shown, 0, "site.yaml is missing"))
        return None
    if cache is not None:
        cached = cache.get(path, stat)
        if cached is not None:
            return cached
    size = stat.st_size
    if size > MAX_FILE_BYTES:
        problems.append(Problem(shown, 0, f"file is {size} bytes; the limit is {MAX_FILE_BYTES}"))
        return None
    try:
        raw = path.read_bytes()
    except FileNotFoundError:  # the same, a moment later; the dev server's watcher rebuilds again
        return None
    text = decode_text(raw, shown, problems)
    if text is None:
        return None
    if front_matter:
        split = split_front_matter(text)
        if split is None:
            problems.append(Problem(shown, 1, "expected front matter: a first line '---', YAML, then a line '---'"))
            return None
        yaml_text, body, body_line = split
        first_line = 2
    else:
        yaml_text, body, body_line, first_line = text, "", 0, 1
    try:
        meta = parse(yaml_text, first_line=first_line)
    except YamlProblem as problem:
        problems.append(Problem(shown, problem.line, problem.message, problem.column))
        return None
    found = tuple(Problem(shown, problem.line, problem.message, problem.column) for problem in meta.problems)
    if not isinstance(meta.data, dict):
        problems.append(Problem(shown, first_line, "front matter must be a mapping of keys to values"))
        return None
    document = Document(
        path=path,
        display=shown,
        kind=kind,
        id=item_id,
        lang=lang,
        meta=meta,
        body=body,
        body_line=body_line,
        sha=hashlib.sha256(raw).hexdigest(),
        problems=found,
    )
    if cache is not None:
        cache.put(path, stat, document)
    return document


def decode_text(raw: bytes, shown: str, problems: list[Problem]) -> str | None:
    """UTF-8 (BOM optional), newlines normalized to LF; else a problem with the byte offset."""
    bom = 3 if raw.startswith(b"\xef\xbb\xbf") else 0
    raw = raw[bom:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        problems.append(Problem(shown, line, f"not valid UTF-8 at byte {error.start + bom}: save the file as UTF-8"))
        return None
    control = CONTROL_CHARACTER.search(text)
    if control:
        offset = control.start()
        what = "NUL character" if control.group() == "\x00" else f"control character U+{ord(control.group()):04X}"
        problems.append(Problem(shown, text.count("\n", 0, offset) + 1, f"{what} at offset {offset}"))
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _load_media(root: Path, problems: list[Problem]) -> list[MediaFile]:
    media_root = root / MEDIA_FOLDER
    if not media_root.is_dir():
        return []
    if not _safe_entry(media_root, root, problems):
        return []
    found: dict[str, MediaFile] = {}
    for folder, dirnames, filenames in os.walk(media_root, followlinks=False):
        folder_path = Path(folder)
        for dirname in list(dirnames):
            if not _safe_entry(folder_path / dirname, root, problems):
                dirnames.remove(dirname)
        dirnames.sort()
        for filename in sorted(filenames):
            path = folder_path / filename
            if paths.is_editor_litter(filename) or not _safe_entry(path, root, problems):
                continue
            relative = paths.nfc(path.relative_to(media_root).as_posix())
            why = paths.media_path_problem(relative)
            if why:
                problems.append(Problem(display_path(path, root), 0, why))
                continue
            key = relative.casefold()
            if key in found:
                problems.append(
                    Problem(display_path(path, root), 0, f"same output file as {display_path(found[key].path, root)}")
                )
                continue
            stat = path.stat()
            found[key] = MediaFile(path=path, relative=relative, size=stat.st_size, modified_ns=stat.st_mtime_ns)
    return sorted(found.values(), key=lambda media: media.relative)
