"""A repository on disk that Sveltia CMS's "Work with Local Repository" mode edits in headless Chromium.

That mode asks the browser for a folder with ``showDirectoryPicker()`` (the
File System Access API) and then reads and writes through the handle it gets.
Headless Chromium cannot answer that picker, nor the prompt for write
permission that follows: a folder dropped in through the DevTools protocol
(``Input.dispatchDragEvent``) does give a real handle, but only to read, and
``requestPermission({mode: 'readwrite'})`` then waits forever for a prompt
nobody can see. So the test answers the picker itself:
``local_repository.js`` (an init script) makes ``showDirectoryPicker`` return
a directory handle with the same methods, whose every read and write is a
call to :class:`Disk` in the test process (Playwright's ``expose_function``).
Everything above that line — the CMS, its editor, how it names, serializes
and saves files — runs as it would for an editor.
"""

from __future__ import annotations

import base64
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import BrowserContext

SCRIPT = Path(__file__).with_name("local_repository.js")


@dataclass
class Disk:
    """The file operations of ``local_repository.js``, confined to ``root``; ``calls`` records them."""

    root: Path
    calls: list[tuple[str, str]] = field(default_factory=list)
    written: list[str] = field(default_factory=list)  # files written or moved into place, in order (not temporary ones)

    def __post_init__(self) -> None:
        self.root = self.root.resolve()

    def _path(self, relative: str) -> Path:
        path = (self.root / relative).resolve() if relative else self.root
        if path != self.root and self.root not in path.parents:
            raise ValueError(f"outside the repository: {relative!r}")
        return path

    def __call__(self, operation: str, relative: str, data: Any) -> Any:
        self.calls.append((operation, relative))
        path = self._path(relative)
        if operation == "list":
            if not path.is_dir():
                return None
            return [[child.name, "directory" if child.is_dir() else "file"] for child in sorted(path.iterdir())]
        if operation == "kind":
            return "directory" if path.is_dir() else "file" if path.is_file() else None
        if operation == "mkdir":
            path.mkdir(parents=True, exist_ok=True)
            return "directory"
        if operation == "touch":
            if not path.exists():
                path.write_bytes(b"")
            return "directory" if path.is_dir() else "file"
        if operation == "read":
            if not path.is_file():
                return None
            return {"data": base64.b64encode(path.read_bytes()).decode("ascii"), "mtime": int(path.stat().st_mtime * 1000)}
        if operation == "write":
            path.write_bytes(base64.b64decode(data))
            self._saved(relative)
            return True
        if operation == "move":
            os.replace(path, self._path(data))
            self._saved(data)
            return True
        if operation == "remove":
            if path.is_dir():
                if data:
                    shutil.rmtree(path)
                else:
                    path.rmdir()
                return True
            if path.is_file():
                path.unlink()
                return True
            return False
        raise ValueError(f"unknown operation {operation!r}")

    def _saved(self, relative: str) -> None:
        if ".sveltia-tmp-" not in relative:  # Sveltia writes a temporary file, then moves it into place
            self.written.append(relative)


def offer_repository(context: BrowserContext, root: Path) -> Disk:
    """Make ``showDirectoryPicker()`` in every page of ``context`` pick ``root``."""
    disk = Disk(root)
    context.expose_function("__disk", disk)
    context.add_init_script(path=str(SCRIPT))
    return disk
