"""Stable identifiers: the same in every build and every language.

Calendars (``UID``), schedule files (``guid``, numeric ``id``), the browser's
personal agenda and JSON-LD all name sessions, people and rooms with these,
so re-importing the programme in another language updates the same events
instead of duplicating them. Nothing here depends on the build clock or on
the order of the content.
"""

from __future__ import annotations

import hashlib
import uuid
from functools import lru_cache
from typing import Iterable

from .entries import Site


def stable_uuid(site: Site, path: str) -> str:
    """UUIDv5 of an absolute URL below base_url."""
    return _url_uuid(site.config.base_url + path)


@lru_cache(maxsize=65536)
def _url_uuid(url: str) -> str:
    """uuid5 hashes and builds a UUID object each time; every calendar and schedule file asks for each programme item's."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, url))


def entry_guid(site: Site, folder: str, item_id: str) -> str:
    """The GUID of a content item: UUIDv5 of ``<base_url><folder>/<id>``."""
    return stable_uuid(site, f"{folder}/{item_id}")


def room_guid(site: Site, room_id: str | None) -> str:
    # Room ids are never empty, so "#venue" cannot collide with a real room.
    return stable_uuid(site, f"rooms/{room_id}" if room_id else "#venue")


def stable_numbers(ids: Iterable[str], namespace: str) -> dict[str, int]:
    """Positive 31-bit integers for formats that insist on numeric ids.

    Derived from a hash of the id (not from a position), so adding an item
    does not renumber the others; a rare collision moves to the next free
    number, deterministically because ids are visited in sorted order.
    """
    numbers: dict[str, int] = {}
    taken: set[int] = set()
    for item in sorted(ids):
        digest = hashlib.sha256(f"{namespace}/{item}".encode()).digest()
        number = int.from_bytes(digest[:4], "big") % (2**31 - 1) + 1
        while number in taken:
            number = number % (2**31 - 1) + 1
        taken.add(number)
        numbers[item] = number
    return numbers
