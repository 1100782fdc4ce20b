"""Old outputs set aside between timed builds, and deleted once the timing is over.

On this VM's file system (ext4 without a journal), deleting thousands of files
makes the next thousands of file creations slow: for each new file the inode
allocator skips, one by one, every inode freed in the last 60 s (360 s while the
inode table is not yet written back), so the cost grows with the square of the
files deleted and created. ``perf`` showed 35 % of a 1,000-session build's CPU in
``ext4_create → recently_deleted`` after an untimed ``rm -rf`` of its last
output; 5,000 files took 0.3 s to create on a quiet disk and 2–5.7 s right after
deleting as many (docs/performance.md, sixteenth round). A benchmark that deletes
the last output just before timing the next build measures that deletion, and
makes every tool that runs after it pay for it. Renaming the folder frees no
inode; the folders are deleted when the benchmark ends.
"""

from __future__ import annotations

import itertools
from pathlib import Path

_counter = itertools.count()


def set_aside(output: Path, trash: Path) -> None:
    """Move ``output`` (if any) into ``trash``, a folder on the same file system, deleted after the last run."""
    if output.exists():
        trash.mkdir(parents=True, exist_ok=True)
        output.rename(trash / f"{output.name}-{next(_counter)}")
