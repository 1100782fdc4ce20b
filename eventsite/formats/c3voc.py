"""C3VOC schedule JSON, version 1: ``/schedule.json`` (default language only).

The same programme as schedule.xml (both come from
:func:`eventsite.formats.schedule_of`); validated in the tests against
``../shared/schemas/schedule.json.schema.json``. Persons follow the pretalx
shape (``name`` + ``guid``): the schema requires a person to match exactly
one of its frab and pretalx shapes, so ``public_name`` is left out. Their
``role`` uses the vocabulary of schedule JSON v2.
"""

from __future__ import annotations

import json
import re
from typing import Any

from .. import __version__
from ..page import Page
from . import ScheduleEvent, ScheduleLink, schedule_of

SCHEMA_URL = "https://c3voc.de/schedule/schema.json"
_SCHEMA_SLUG = re.compile(r"^[a-z0-9_-]+[a-z0-9]$")


def render(page: Page) -> bytes:
    schedule = schedule_of(page)
    data = {
        "$schema": SCHEMA_URL,
        "generator": {"name": "eventsite", "version": __version__},
        "schedule": {
            "version": schedule.version,
            "base_url": schedule.base_url,
            "conference": {
                "acronym": schedule.acronym,
                "title": schedule.title,
                "start": schedule.start.isoformat(),
                "end": schedule.end.isoformat(),
                "daysCount": len(schedule.days),
                "timeslot_duration": schedule.timeslot_duration,
                "time_zone_name": schedule.time_zone_name,
                "url": page.links.absolute_to("home"),
                # EventFahrplan colours its events with a track's `color`.
                "tracks": [
                    {
                        "name": track.name,
                        **({"slug": track.slug} if _SCHEMA_SLUG.match(track.slug) else {}),  # 'x' is an id, not a slug
                        **({"color": track.color} if track.color else {}),
                    }
                    for track in schedule.tracks
                ],
                "rooms": [{"name": room.name, "guid": room.guid} for room in schedule.rooms],
                "days": [
                    {
                        "index": day.index,
                        "date": day.date.isoformat(),
                        "day_start": day.start.isoformat(),
                        "day_end": day.end.isoformat(),
                        "rooms": {room.name: [_event(event) for event in events] for room, events in day.rooms(schedule.rooms)},
                    }
                    for day in schedule.days
                ],
            },
        },
    }
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _event(event: ScheduleEvent) -> dict[str, Any]:
    return {
        "guid": event.guid,
        "id": event.number,
        "date": event.start.isoformat(),
        "start": event.start.strftime("%H:%M"),
        "end": event.end.isoformat(),
        "duration": event.duration,
        "room": event.room.name,
        "slug": event.slug,
        "url": event.url,
        "title": event.title.value,
        "subtitle": event.subtitle,
        "track": event.track,
        "type": event.type,
        "language": event.title.lang,
        "abstract": event.abstract,
        "description": event.description,
        "persons": [
            {"guid": person.guid, "id": person.number, "name": person.name, "role": person.role, "url": person.url}
            for person in event.persons
        ],
        "links": [_reference(link) for link in event.links if not link.is_file],
        "attachments": [_reference(link) for link in event.links if link.is_file],
    }


def _reference(link: ScheduleLink) -> dict[str, str]:
    return {"type": link.type, "url": link.url, "title": link.title}
