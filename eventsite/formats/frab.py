"""frab/pentabarf schedule XML: ``/schedule.xml`` (default language only).

Read by Giggity, EventFahrplan, ConfClerk and the C3VOC tools; validated in
the tests against ``../shared/schemas/schedule.xml.xsd``. The XSD has no
place for a person's role, so speakers and moderators are both listed in
``<persons>`` (schedule.json carries the roles). Built with the standard
library's ElementTree: lxml is only a test dependency.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from .. import __version__
from ..page import Page
from . import ScheduleEvent, schedule_of, xml_document, xml_text


_XSD_SLUG = re.compile(r"^[a-z][a-z0-9-]+$")


def render(page: Page) -> bytes:
    schedule = schedule_of(page)
    root = ET.Element("schedule")
    ET.SubElement(root, "generator", name="eventsite", version=__version__)
    xml_text(root, "url", page.links.absolute(page.route.url))
    xml_text(root, "version", schedule.version)

    conference = ET.SubElement(root, "conference")
    xml_text(conference, "acronym", schedule.acronym)
    xml_text(conference, "title", schedule.title)
    xml_text(conference, "start", schedule.start.isoformat())
    xml_text(conference, "end", schedule.end.isoformat())
    xml_text(conference, "days", str(len(schedule.days)))
    xml_text(conference, "timeslot_duration", schedule.timeslot_duration)
    xml_text(conference, "base_url", schedule.base_url)
    xml_text(conference, "url", page.links.absolute_to("home"))
    xml_text(conference, "time_zone_name", schedule.time_zone_name)
    for track in schedule.tracks:
        attributes = {"name": track.name, **({"color": track.color} if track.color else {})}
        if _XSD_SLUG.match(track.slug):  # the XSD's slug starts with a letter; an id may start with a digit
            attributes["slug"] = track.slug
        ET.SubElement(conference, "track", attributes)

    for day in schedule.days:
        day_element = ET.SubElement(
            root, "day", index=str(day.index), date=day.date.isoformat(), start=day.start.isoformat(), end=day.end.isoformat()
        )
        for room, events in day.rooms(schedule.rooms):
            room_element = ET.SubElement(day_element, "room", name=room.name, guid=room.guid)
            for event in events:
                _event(room_element, event)

    return xml_document(root)


def _event(parent: ET.Element, event: ScheduleEvent) -> None:
    element = ET.SubElement(parent, "event", guid=event.guid, id=str(event.number))
    xml_text(element, "date", event.start.isoformat())  # local time with its UTC offset
    xml_text(element, "start", event.start.strftime("%H:%M"))
    xml_text(element, "duration", event.duration)  # elapsed time, right across DST
    xml_text(element, "room", event.room.name)
    xml_text(element, "slug", event.slug)
    xml_text(element, "url", event.url)
    xml_text(element, "title", event.title.value)
    xml_text(element, "subtitle", event.subtitle)
    xml_text(element, "track", event.track)
    xml_text(element, "type", event.type)
    xml_text(element, "language", event.title.lang)  # the text's language; the spoken one is not in the content
    xml_text(element, "abstract", event.abstract)
    xml_text(element, "description", event.description)
    persons = ET.SubElement(element, "persons")
    for person in event.persons:
        xml_text(persons, "person", person.name, id=str(person.number), guid=person.guid)
    links = ET.SubElement(element, "links")
    attachments = ET.SubElement(element, "attachments")
    for link in event.links:
        xml_text(attachments if link.is_file else links, "attachment" if link.is_file else "link", link.title, href=link.url, type=link.type)

