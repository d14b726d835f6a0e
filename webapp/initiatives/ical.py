"""An iCalendar feed (RFC 5545) of an initiative's activities, written by hand: it is small.

Times are UTC ("Z"), text is escaped (backslash, semicolon, comma, newline), lines end in CRLF and are folded
at 75 octets without splitting a character, and each event's UID is stable across fetches and edits.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

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


@dataclass(frozen=True)
class Event:
    """One event of a feed. `starts`/`ends` are UTC moments, or dates for a whole day (a one-off task's day)."""

    uid: str
    summary: str
    starts: datetime | date
    ends: datetime | date
    location: str
    url: str
    updated: datetime
    sequence: int = 0
    cancelled: bool = False
    description: str = ""


def activity_event(activity: Activity, url: str) -> Event:
    return Event(uid=activity.public_id, summary=activity.title, starts=activity.starts_at, ends=activity.ends_at,
                 location=", ".join(part for part in (activity.place, activity.wijk.name) if part), url=url,
                 updated=activity.updated_at, sequence=activity.sequence,
                 cancelled=activity.status == ActivityStatus.CANCELLED, description=activity.description)


def _when(name: str, value: datetime | date) -> str:
    if isinstance(value, datetime):
        return f"{name}:{utc(value)}"
    return f"{name};VALUE=DATE:{value.strftime('%Y%m%d')}"


def feed(name: str, events: Iterable[Event], *, now: datetime) -> str:
    """A calendar named `name` with these events."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    for event in events:
        ends = event.ends if isinstance(event.ends, datetime) or event.ends > event.starts \
            else event.ends + timedelta(days=1)  # a whole day ends the next day (exclusive)
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event.uid}@{UID_DOMAIN}",
            f"DTSTAMP:{utc(now)}",
            _when("DTSTART", event.starts),
            _when("DTEND", ends),
            f"LAST-MODIFIED:{utc(event.updated)}",
            f"SEQUENCE:{event.sequence}",
            f"SUMMARY:{escape_text(event.summary)}",
            f"LOCATION:{escape_text(event.location)}",
            f"STATUS:{'CANCELLED' if event.cancelled else 'CONFIRMED'}",
            f"URL:{event.url}",
        ]
        if event.description:
            lines.append(f"DESCRIPTION:{escape_text(event.description)}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


def calendar(initiative: Initiative, activities: Iterable[Activity], *, url: str, now: datetime) -> str:
    """The initiative's public feed: its activities (its page is the link of each)."""
    return feed(initiative.name, (activity_event(a, url) for a in activities), now=now)
