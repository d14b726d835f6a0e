"""Who comes to an activity, as its organisers see it: the list (and its CSV), a message to everyone signed up, and
the reminder the day before. Plain arguments in.

What organisers see of a participant: first name and the first letter of the last name, their wijk, whether they go
or wait (and for which shift), when they signed up, the hours they logged, and for an activity that needs a
certificate of conduct whether theirs is checked. Never an e-mail address or phone number: a message to everyone goes
through Samen (in the app and by e-mail), so nobody's address is handed out.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import joinedload, selectinload

from webapp.accounts.models import User, VolunteerProfile
from webapp.core.extensions import db
from webapp.core.ids import utcnow
from webapp.initiatives.models import (
    Activity,
    ActivityMessage,
    ActivityParticipant,
    ActivityStatus,
    ParticipantStatus,
)
from webapp.initiatives.services import NotAllowed, can_edit
from webapp.notifications.services import notify_many

SIGNED_UP = (ParticipantStatus.GOING, ParticipantStatus.WAITING)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet would run a cell that starts like this


@dataclass(frozen=True)
class Attendee:
    name: str            # first name and the first letter of the last name
    wijk: str
    status: str          # going, waiting, cancelled
    shift: str           # the shift's name and time, or ""
    signed_up_at: datetime
    hours: float | None
    screened: bool


def _short_name(user: User) -> str:
    initial = (user.last_name or "").strip()[:1]
    return f"{user.first_name} {initial}." if initial else user.first_name


def _rows(activity: Activity) -> list[Activity]:
    """The activity and its shifts: the rows people sign up at."""
    return [activity, *activity.shifts]


def attendees(actor: User, activity: Activity) -> list[Attendee]:
    """Everyone who signed up for the activity or one of its shifts, going first, then waiting, then cancelled."""
    if not can_edit(actor, activity.initiative):
        raise NotAllowed
    ids = [a.id for a in _rows(activity)]
    shift_of = {s.id: s for s in activity.shifts}
    rows = db.session.execute(
        select(ActivityParticipant).where(ActivityParticipant.activity_id.in_(ids))
        .options(joinedload(ActivityParticipant.user).selectinload(User.volunteer_profile)
                 .joinedload(VolunteerProfile.wijk), joinedload(ActivityParticipant.user).joinedload(User.wijk))
        .order_by(ActivityParticipant.created_at, ActivityParticipant.id)
    ).scalars().all()
    order = {ParticipantStatus.GOING: 0, ParticipantStatus.WAITING: 1, ParticipantStatus.CANCELLED: 2}
    out = []
    for row in sorted(rows, key=lambda r: order.get(ParticipantStatus(r.status), 3)):
        user = row.user
        profile = user.volunteer_profile
        wijk = (profile.wijk if profile and profile.wijk else None) or user.wijk
        shift = shift_of.get(row.activity_id)
        out.append(Attendee(_short_name(user), wijk.name if wijk else "", row.status,
                            shift.title if shift else "", row.created_at, row.hours, bool(user.is_screened)))
    return out


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_START) else text


def attendees_csv(people: list[Attendee], header: list[str], statuses: dict[str, str], zone: ZoneInfo) -> str:
    """The list as CSV (UTF-8 with a BOM, so spreadsheet programs read the accents); cells that a spreadsheet would
    run as a formula get a leading apostrophe."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for person in people:
        local = person.signed_up_at.replace(tzinfo=ZoneInfo("UTC")).astimezone(zone)
        writer.writerow([_cell(v) for v in (person.name, person.wijk, statuses.get(person.status, person.status),
                                            person.shift, local.strftime("%Y-%m-%d %H:%M"),
                                            "" if person.hours is None else f"{person.hours:g}",
                                            "ja" if person.screened else "")])
    return "\ufeff" + out.getvalue()


def send_message(actor: User, activity: Activity, body: str) -> ActivityMessage:
    """An organiser writes to everyone going to (or waiting for) the activity or its shifts: in the app, and by e-mail
    as each chose for activities. Returns the stored message (with how many it reached)."""
    if not can_edit(actor, activity.initiative):
        raise NotAllowed
    ids = [a.id for a in _rows(activity)]
    people = db.session.execute(select(ActivityParticipant.user_id).where(
        ActivityParticipant.activity_id.in_(ids), ActivityParticipant.status.in_(SIGNED_UP),
        ActivityParticipant.user_id != actor.id)).scalars().all()
    text = body.strip()
    told = notify_many(people, "activity_message", title=activity.title, name=activity.initiative.name,
                       message=text, initiative=activity.initiative.public_id)
    message = ActivityMessage(activity_id=activity.id, author_id=actor.id, body=text, recipients=told,
                              created_at=utcnow())
    db.session.add(message)
    db.session.flush()
    return message


def messages_of(activity: Activity) -> list[ActivityMessage]:
    return list(db.session.execute(select(ActivityMessage).where(ActivityMessage.activity_id == activity.id)
                                   .order_by(ActivityMessage.created_at.desc())).scalars())


# -- the reminder the day before ----------------------------------------------------------------------------------

def tomorrow_in_utc(now: datetime, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """Tomorrow in local time (Haarlem), as a UTC range [start, end)."""
    local_today = now.replace(tzinfo=ZoneInfo("UTC")).astimezone(zone).date()
    start = datetime.combine(local_today + timedelta(days=1), datetime.min.time(), tzinfo=zone)
    end = datetime.combine(local_today + timedelta(days=2), datetime.min.time(), tzinfo=zone)
    utc = ZoneInfo("UTC")
    return start.astimezone(utc).replace(tzinfo=None), end.astimezone(utc).replace(tzinfo=None)


@dataclass(frozen=True)
class Reminded:
    activities: int
    people: int


def remind_tomorrow(zone: ZoneInfo, now: datetime | None = None) -> Reminded:
    """Tell everyone going to an activity (or a shift) that starts tomorrow. Each activity once: it is claimed with a
    conditional UPDATE before anyone is told, so two runs (or a rerun) never remind twice. The caller commits."""
    moment = now or utcnow()
    start, end = tomorrow_in_utc(moment, zone)
    due = db.session.execute(
        select(Activity).where(Activity.status == ActivityStatus.PLANNED, Activity.reminded_at.is_(None),
                               Activity.starts_at >= start, Activity.starts_at < end)
        .options(joinedload(Activity.initiative), joinedload(Activity.parent), selectinload(Activity.participants))
        .order_by(Activity.starts_at, Activity.id)
    ).unique().scalars().all()
    activities = people = 0
    for activity in due:
        claimed = int(cast(CursorResult[Any], db.session.execute(
            update(Activity).where(Activity.id == activity.id, Activity.reminded_at.is_(None))
            .values(reminded_at=moment).execution_options(synchronize_session=False))).rowcount)
        if claimed != 1:
            continue
        going = [p.user_id for p in activity.participants if p.status == ParticipantStatus.GOING]
        title = f"{activity.parent.title}: {activity.title}" if activity.parent else activity.title
        people += notify_many(going, "activity_reminder", title=title, name=activity.initiative.name,
                              starts=activity.starts_at.isoformat(), initiative=activity.initiative.public_id)
        activities += 1
    return Reminded(activities, people)
