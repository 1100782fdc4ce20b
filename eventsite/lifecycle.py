"""Where an event or a programme item stands, and how people take part: the words
pages use for them (translated at render time) and what they are in
schema.org, iCalendar and the schedule formats.

The values themselves are typed in eventsite/fields.py (``Status``,
``Attendance``) so that site.yaml and every kind validate them alike.
"""

from __future__ import annotations

from .fields import Attendance, Status


def _(message: str) -> str:
    """Marks a label for `build.py i18n extract`; it is translated when a page shows it."""
    return message


STATUS_LABELS = {
    Status.scheduled: _("Scheduled"),
    Status.cancelled: _("Cancelled"),
    Status.postponed: _("Postponed"),
    Status.rescheduled: _("Rescheduled"),
    Status.moved_online: _("Moved online"),
}

ATTENDANCE_LABELS = {
    Attendance.in_person: _("In person"),
    Attendance.online: _("Online"),
    Attendance.hybrid: _("In person and online"),
}

# The label of each kind of link a programme item offers, in the order its page lists them.
LINK_LABELS = {
    "stream": _("Watch the livestream"),
    "recording": _("Watch the recording"),
    "slides": _("Slides"),
}

SCHEMA_STATUS = {
    Status.scheduled: "https://schema.org/EventScheduled",
    Status.cancelled: "https://schema.org/EventCancelled",
    Status.postponed: "https://schema.org/EventPostponed",
    Status.rescheduled: "https://schema.org/EventRescheduled",
    Status.moved_online: "https://schema.org/EventMovedOnline",
}

SCHEMA_ATTENDANCE = {
    Attendance.in_person: "https://schema.org/OfflineEventAttendanceMode",
    Attendance.online: "https://schema.org/OnlineEventAttendanceMode",
    Attendance.hybrid: "https://schema.org/MixedEventAttendanceMode",
}

# iCalendar (RFC 5545) knows TENTATIVE, CONFIRMED and CANCELLED. A postponed item has no new
# time yet: it is not confirmed, but nobody should delete it from their calendar either.
ICAL_STATUS = {
    Status.scheduled: "CONFIRMED",
    Status.cancelled: "CANCELLED",
    Status.postponed: "TENTATIVE",
    Status.rescheduled: "CONFIRMED",
    Status.moved_online: "CONFIRMED",
}


def attendance_of(status: Status, attendance: Attendance | None, default: Attendance) -> Attendance:
    """An item moved online is online, whatever its attendance said before."""
    if status is Status.moved_online:
        return Attendance.online
    return attendance or default


def is_off(status: Status) -> bool:
    """Cancelled or postponed: listed, but not happening at the time shown."""
    return status in (Status.cancelled, Status.postponed)
