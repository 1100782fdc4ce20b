"""The installed versions of libraries, read off the folders on ``sys.path`` (as importlib.metadata finds them).

The build key (eventsite/buildstate.py) and the disk caches' keys (eventsite/cache.py) name the versions of the
libraries whose output they keep; importing importlib.metadata to ask it took 15 ms of every build.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from functools import lru_cache


def installed_version(name: str) -> str | None:
    """The installed version of the distribution ``name``, as ``importlib.metadata.version`` says it.

    Read off the names of the ``.dist-info`` folders (``Jinja2-3.1.4.dist-info``) on ``sys.path``, the
    first in path order, as importlib.metadata finds them: asking it fourteen times (and importing it,
    where nothing had) was 14–35 ms of every build, one with nothing changed included. Where the path
    holds what only it reads (an ``.egg-info`` of that name, a zip file), it is asked
    (tests/test_rebuild.py compares the two).
    """
    found = _path_listing()
    normal = _normal_name(name)
    if normal in found.versions or not (found.zipped or normal in found.eggs):
        return found.versions.get(normal)
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return None


@dataclass(frozen=True)
class _PathListing:
    versions: dict[str, str]  # normal name → version, of each ``name-version.dist-info`` folder (the first)
    eggs: frozenset[str]  # normal names of ``.egg-info`` and ``.egg`` entries (their versions are inside them)
    zipped: bool  # a zip file on the path (importlib.metadata reads inside it)


@lru_cache(maxsize=1)
def _path_listing() -> _PathListing:
    versions: dict[str, str] = {}
    eggs: set[str] = set()
    zipped = False
    for folder in sys.path:
        try:
            names = os.listdir(folder or ".")
        except NotADirectoryError:
            zipped = True
            continue
        except OSError:  # a folder that is not there
            continue
        for name in names:
            stem, dot, suffix = name.rpartition(".")
            if suffix == "dist-info":
                distribution, _, found = stem.rpartition("-")
                if distribution and found:
                    versions.setdefault(_normal_name(distribution), found)
            elif dot and suffix in ("egg-info", "egg"):
                eggs.add(_normal_name(stem.split("-", 1)[0]))
    return _PathListing(versions, frozenset(eggs), zipped)


def _normal_name(name: str) -> str:
    """PEP 503's normal form: 'PyYAML', 'pydantic_core' and 'pydantic-core' are one distribution each."""
    return re.sub(r"[-_.]+", "-", name).lower()
