"""The parsed, validated and modelled content of the last command-line build, kept on disk.

The dev server keeps these caches in memory (:class:`~eventsite.build.Caches`);
a command-line build is a new process and would parse, validate and model
every file again: 0.5 s for 3,000 files, most of a one-file rebuild. Kept
here, a rebuild reads again only the files whose signature changed.

The file is a pickle of the three caches together (so that the model memo's
identity checks hold after loading), sealed with its digest (cache.seal). It is used only under the same build key
as the build state (this code, Python, the libraries, the folders), and
anything wrong with it (missing, damaged, another format) means an empty cache:
never a different site, only a slower build.
"""

from __future__ import annotations

import copyreg
import hashlib
import io
import os
import pickle
import time
from pathlib import Path
from types import MappingProxyType
from typing import Any, Iterable

from .build import Caches
from .buildstate import RACY_NS
from .cache import seal, unseal
from .project import Project
from .write import write_file_atomic

FORMAT = 2  # bump when the pickled layout changes in a way the build key does not see (2: sealed, cache.seal)
MAGIC = b"eventsite-content\n"


def cache_file(project: Project) -> Path | None:
    """One file per content folder; None without a cache folder (--no-cache)."""
    if project.cache is None:
        return None
    digest = hashlib.sha256(os.fsencode(project.content.resolve())).hexdigest()[:16]
    return project.cache / "content" / f"{digest}.pickle"


def restore(project: Project, key: str, changed: Iterable[Path] = ()) -> Caches:
    """The project's caches, with the content parts of the last build when it was saved under ``key``.

    ``changed``: files the build state found changed by their bytes. Their
    documents are dropped whatever their signature (mtime, size, inode) says:
    a file copied over with its old time kept must not be served from here.
    """
    caches = Caches.for_project(project)
    location = cache_file(project)
    if location is None:
        return caches
    try:
        saved = pickle.loads(unseal(MAGIC, location.read_bytes()))  # every byte checked before pickle reads one
        saved_format, saved_key, documents, validated, model = saved
    except Exception:  # missing, cut short, from other code: unpickling can raise almost anything
        return caches
    if saved_format != FORMAT or saved_key != key:
        return caches
    documents.saved = documents.signatures()
    documents.discard(changed)
    caches.documents, caches.validated, caches.model = documents, validated, model
    return caches


def keep(project: Project, key: str, caches: Caches, started_ns: int | None = None) -> None:
    """Save the content parts of ``caches`` for the next build; a disk that refuses only costs it time.

    Documents of files changed less than :data:`RACY_NS` before ``started_ns``
    (when the build began reading) are left out: see LoadCache.settled.
    """
    location = cache_file(project)
    if location is None:
        return
    started_ns = time.time_ns() if started_ns is None else started_ns
    documents = caches.documents.settled(started_ns - RACY_NS)
    saved = caches.documents.saved
    if saved is not None and documents.signatures().items() <= saved.items():
        # Nothing to keep that the file lacks (an edit saved just now is not kept yet): 18 MB not written
        # again at 3,000 files. Its stale entries are harmless: each is found only by its own signature.
        return
    try:
        write_file_atomic(location, encode((FORMAT, key, documents, caches.validated, caches.model)))
    except (OSError, pickle.PicklingError, TypeError, AttributeError, RecursionError):
        forget(project)


def encode(saved: tuple) -> bytes:
    """The pickle of what :func:`keep` saves."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    # Entries hold read-only mappings, which pickle cannot write; this pickler only (no global copyreg).
    pickler.dispatch_table = copyreg.dispatch_table.copy()
    pickler.dispatch_table[MappingProxyType] = _reduce_mapping_proxy
    pickler.dump(saved)
    return seal(MAGIC, buffer.getvalue())


def forget(project: Project) -> None:
    location = cache_file(project)
    if location is not None:
        try:
            location.unlink()
        except OSError:
            pass


def _reduce_mapping_proxy(mapping: MappingProxyType) -> tuple[Any, tuple[dict]]:
    return _mapping_proxy, (dict(mapping),)


def _mapping_proxy(values: dict) -> MappingProxyType:
    return MappingProxyType(values)
