"""Stage 6, write: put the output on disk so that a reader never sees half a site.

A full build writes into a fresh sibling folder and swaps it with the old
output in one atomic ``renameat2(RENAME_EXCHANGE)`` where the kernel has it
(two renames elsewhere). A build that fails or is killed leaves the previous
output exactly as it was; its leftovers are removed by the next run. A build
that is the whole process leaves deleting the old output to a process of its
own (:func:`remove_folder`): it took a sixth of a full build of the Busan site.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path, PurePosixPath

from .errors import BuildError, Problem

_TEMP_PREFIX = ".tmp-"
_UMASK = os.umask(0o022)
os.umask(_UMASK)
_FILE_MODE = 0o666 & ~_UMASK  # what open() gives a new file
_OLD_PREFIX = ".old-"
_NAME_MAX = 255  # bytes in one file name: ext4, XFS, Btrfs, APFS, NTFS (in UTF-16 units)


class UnsafeOutputPath(ValueError):
    pass


def safe_output_file(root: Path, relative: str, *, follow_links: bool = True, resolved_root: str | None = None) -> Path:
    """``root / relative``, refusing anything that could land outside ``root``.

    ``follow_links=False`` skips resolving symlinks, for a fresh staging
    folder that only this build has written to. ``resolved_root``:
    ``str(root.resolve())``, when the caller checks many files below it.
    """
    pure = PurePosixPath(relative)
    if pure.is_absolute() or ".." in pure.parts or "\x00" in relative or "\\" in relative or not pure.parts:
        raise UnsafeOutputPath(f"refusing to write outside the output folder: {relative!r}")
    target = root.joinpath(*pure.parts)
    if follow_links and not str(target.resolve(strict=False)).startswith((resolved_root or str(root.resolve())) + os.sep):
        raise UnsafeOutputPath(f"refusing to write outside the output folder: {relative!r}")
    return target


def check_output_folder(output: Path, protected: list[Path]) -> None:
    """Refuse an output folder whose replacement would delete the sources."""
    resolved = output.resolve()
    if resolved == Path(resolved.anchor) or resolved == Path.home().resolve():
        raise BuildError([Problem(str(output), 0, "refusing to use this folder as output: it would be replaced")])
    for folder in protected:
        folder = folder.resolve()
        if folder == resolved or resolved in folder.parents:
            raise BuildError([Problem(str(output), 0, f"output folder would replace {folder}: choose another --out")])
        if folder in resolved.parents:
            raise BuildError([Problem(str(output), 0, f"output folder is inside {folder}: choose another --out")])


class StagedOutput:
    """A new output folder being written next to the old one."""

    def __init__(self, output: Path):
        self.output = output
        output.parent.mkdir(parents=True, exist_ok=True)
        remove_leftovers(output)
        self.root = Path(tempfile.mkdtemp(prefix=f".{output.name}{_TEMP_PREFIX}", dir=output.parent))
        self.written: list[str] = []
        self._folders: set[Path] = set()

    def write(self, relative: str, data: bytes) -> None:
        self._create(safe_output_file(self.root, relative, follow_links=False), relative, data)

    def _create(self, target: Path, relative: str, data: bytes) -> None:
        """A new file at ``target`` (staged for ``relative``): a second source for the same file fails."""
        if target.parent != self.root:
            self._folder_for(target)
        try:
            with open(target, "xb") as stream:
                stream.write(data)
        except FileExistsError:
            raise BuildError([Problem(relative, 0, "two sources map to the same output file")]) from None
        self.written.append(relative)

    def keep(self, relatives: list[str]) -> None:
        """The current output's files ``relatives``, unchanged: hard links (copies where links fail).

        Nothing may write into a kept file in place (it is the live file too):
        :meth:`write` makes new files only, and a rebuild never keeps a file it rewrites.
        """
        for relative in relatives:
            source = safe_output_file(self.output, relative, follow_links=False)
            target = safe_output_file(self.root, relative, follow_links=False)
            self._folder_for(target)
            try:
                os.link(source, target, follow_symlinks=False)
            except OSError:  # a file system without hard links, or another device
                shutil.copy2(source, target, follow_symlinks=False)
            self.written.append(relative)

    def _folder_for(self, target: Path) -> None:
        """Make the file's folder once: most pages are alone in theirs (``x/index.html``)."""
        folder = target.parent
        if folder not in self._folders:
            folder.mkdir(parents=True, exist_ok=True)
            self._folders.add(folder)

    def copy(self, relative: str, source: Path) -> None:
        target = safe_output_file(self.root, relative)
        self._folder_for(target)
        shutil.copyfile(source, target, follow_symlinks=False)
        self.written.append(relative)

    def commit(self, *, remove_old_later: bool = False) -> None:
        """Swap the new folder in; the old one is deleted afterwards (``remove_old_later``: see :func:`remove_folder`)."""
        if self.output.exists() and not self.output.is_dir():
            raise BuildError([Problem(str(self.output), 0, "output path exists and is not a folder")])
        if self.output.exists():
            if _exchange(self.root, self.output):
                remove_folder(self.root, later=remove_old_later)  # now holds the old output
                return
            old = Path(tempfile.mkdtemp(prefix=f".{self.output.name}{_OLD_PREFIX}", dir=self.output.parent))
            old.rmdir()
            os.rename(self.output, old)
            os.rename(self.root, self.output)
            remove_folder(old, later=remove_old_later)
        else:
            os.rename(self.root, self.output)

    def abort(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


class PatchedOutput(StagedOutput):
    """A rebuild's new files, written next to the live output and moved into it once all of them are valid.

    Nothing of the live output changes until :meth:`commit`; then each file
    replaces its old version by one rename (a reader sees the old page or the
    new one, never half of one), and a file whose bytes did not change is left
    as it was (:meth:`write` stages only the files that differ). Copying or linking the whole site for a few changed pages cost
    more than rendering them.
    """

    def __init__(self, output: Path):
        super().__init__(output)
        self._resolved_output = str(output.resolve())

    def write(self, relative: str, data: bytes) -> None:
        """Stage ``data`` unless the live file already has these bytes.

        Many outputs a rebuild renders again come out the same (the share cards and signs around a moved
        programme item): staging them would create a file and a folder for each, deleted again at the
        commit, and creating files is the slow part of writing (docs/performance.md, sixteenth round).
        """
        live = safe_output_file(self.output, relative, resolved_root=self._resolved_output)
        try:
            if live.stat().st_size == len(data) and live.read_bytes() == data:
                return
        except (FileNotFoundError, NotADirectoryError):
            pass
        self._create(self._staged(relative), relative, data)

    def _staged(self, relative: str) -> Path:
        """Where ``relative`` is staged: a file of its own name directly in the staging folder.

        Flat, because a page is alone in its folder (``x/index.html``): staging a tree made and deleted
        a folder per page, ~0.1 s of a moved programme item's rebuild. The name escapes ``%`` and ``/``
        (so it never contains a bare ``%`` not followed by ``25`` or ``2F``); a name too long for the
        file system goes below :data:`LONG`, as a tree, which no escaped name can be.
        """
        name = relative.replace("%", "%25").replace("/", "%2F")
        if len(name.encode("utf-8")) <= _NAME_MAX:
            return self.root / name
        return safe_output_file(self.root / self.LONG, relative, follow_links=False)

    LONG = "%long"

    def live(self, relative: str) -> Path:
        """Where ``relative`` is read before the commit: the new file if there is one, else the live one."""
        safe_output_file(self.output, relative, follow_links=False)  # refused as write refuses it
        staged = self._staged(relative)
        return staged if staged.is_file() else safe_output_file(self.output, relative)

    def commit(self) -> list[str]:  # type: ignore[override]
        """Move every new file in; the files that changed (below the output folder)."""
        if self.output.exists() and not self.output.is_dir():
            raise BuildError([Problem(str(self.output), 0, "output path exists and is not a folder")])
        staged: list[tuple[str, str]] = []  # workers wrote files this process did not list
        with os.scandir(self.root) as entries:
            for entry in entries:
                if entry.name != self.LONG:
                    staged.append((entry.path, entry.name.replace("%2F", "/").replace("%25", "%")))
        long_root = os.path.join(self.root, self.LONG)
        for folder, _, names in os.walk(long_root):
            for name in names:
                source = os.path.join(folder, name)
                staged.append((source, os.path.relpath(source, long_root).replace(os.sep, "/")))
        moved: list[str] = []
        for source, relative in staged:
            target = safe_output_file(self.output, relative, resolved_root=self._resolved_output)
            try:  # every staged file differs from its live one (write compared them)
                os.replace(source, target)
            except FileNotFoundError:  # a new page in a folder the live output does not have yet
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(source, target)
            moved.append(relative)
        shutil.rmtree(self.root, ignore_errors=True)
        return moved

    def remove(self, relative: str) -> None:
        """Delete a live file of the last build and the folders it leaves empty (after :meth:`commit`)."""
        target = safe_output_file(self.output, relative)
        target.unlink(missing_ok=True)
        folder = target.parent
        while folder != self.output and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent


def count_files(root: Path) -> int:
    return sum(len(names) for _, _, names in os.walk(root))


# Run by a Python of its own: no site packages (-S), no environment (-I), nothing but the standard library.
_REMOVE = "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)"


def remove_folder(folder: Path, *, later: bool = False) -> None:
    """Delete a folder no reader uses any more (an old output, swapped out).

    ``later``: by a process of its own, which this one does not wait for, with nothing of this
    process's open (a caller reading this build's output to its end is not kept waiting). For a
    build that is the whole process (BuildOptions.one_shot): it ends sooner. The folder has a
    leftover's name, so that a deletion cut short is finished by the next build (remove_leftovers).
    """
    if later:
        try:
            subprocess.Popen(
                [sys.executable, "-I", "-S", "-c", _REMOVE, os.fspath(folder)],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
            )
            return
        except OSError:  # no process to be had: now, then
            pass
    shutil.rmtree(folder, ignore_errors=True)


def remove_leftovers(output: Path) -> None:
    """Delete temporary folders of earlier builds that were killed mid-way."""
    if not output.parent.is_dir():
        return
    for prefix in (_TEMP_PREFIX, _OLD_PREFIX):
        for leftover in output.parent.glob(f".{output.name}{prefix}*"):
            if leftover.is_dir() and not leftover.is_symlink():
                shutil.rmtree(leftover, ignore_errors=True)


def write_file_atomic(target: Path, data: bytes) -> bool:
    """Write one file by rename (for incremental updates); False if unchanged."""
    try:
        if target.stat().st_size == len(data) and target.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".tmp-", dir=target.parent)
    try:
        os.fchmod(handle, _FILE_MODE)  # mkstemp's 0600 would hide the file from a web server
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return True


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(first: Path, second: Path) -> bool:
    """Atomically swap two paths (Linux renameat2); False where unsupported."""
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    try:
        libc = ctypes.CDLL(name, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    result = renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE)
    return result == 0
