"""An iCalendar feed (RFC 5545) of an initiative's activities, written by hand: it is small.

Times are UTC ("Z"), text is escaped (backslash, semicolon, comma, newline), lines end in CRLF and are folded
at 75 octets without splitting a character, and each event's UID is stable across fetches and edits.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from webapp.initiatives.models import Activity, ActivityStatus, Initiative

PRODID = "-//Samen Haarlem//Initiatives//NL"
UID_DOMAIN = "samen-haarlem"


def escape_text(value: str) -> str:
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def utc(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%SZ")  # stored as naive UTC


def fold(line: str) -> str:
    """Split a content line into chunks of at most 75 octets; continuation lines start with one space."""
    out: list[str] = []
    current, size, limit = "", 0, 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            out.append(current)
            current, size, limit = " ", 1, 75
        current += char
        size += width
    out.append(current)
    return "\r\n".join(out)


def calendar(initiative: Initiative, activities: Iterable[Activity], *, url: str, now: datetime) -> str:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(initiative.name)}",
    ]
    for activity in activities:
        location = ", ".join(part for part in (activity.place, activity.wijk.name) if part)
        lines += [
            "BEGIN:VEVENT",
            f"UID:{activity.public_id}@{UID_DOMAIN}",
            f"DTSTAMP:{utc(now)}",
            f"DTSTART:{utc(activity.starts_at)}",
            f"DTEND:{utc(activity.ends_at)}",
            f"LAST-MODIFIED:{utc(activity.updated_at)}",
            f"SEQUENCE:{activity.sequence}",
            f"SUMMARY:{escape_text(activity.title)}",
            f"LOCATION:{escape_text(location)}",
            f"STATUS:{'CANCELLED' if activity.status == ActivityStatus.CANCELLED else 'CONFIRMED'}",
            f"URL:{url}",
        ]
        if activity.description:
            lines.append(f"DESCRIPTION:{escape_text(activity.description)}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
