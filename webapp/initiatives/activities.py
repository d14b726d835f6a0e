"""Dated activities of an initiative: sign-up with a capacity, a waiting list that moves up automatically when
someone cancels, changes and cancellations announced to everyone signed up, and hours logged per activity.

Every sign-up and cancellation first claims the activity's row (a conditional UPDATE), so two people taking the
last place at the same moment go one after the other: one gets the place, the other the waiting list.
"""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import CursorResult, func, select, update

import matching
from webapp.accounts.models import User
from webapp.accounts.safeguarding import may_help
from webapp.core.extensions import db
from webapp.core.ids import new_public_id, utcnow
from webapp.core.reference.models import Wijk
from webapp.initiatives.models import Activity, ActivityParticipant, ActivityStatus, Initiative, ParticipantStatus
from webapp.initiatives.services import NotAllowed, can_edit
from webapp.notifications.services import notify


class NoLongerOpen(Exception):
    """The activity was cancelled or has already started."""


class AlreadyJoined(Exception):
    pass


class NeedsScreening(Exception):
    """The activity is for people with a certificate of conduct (VOG), and this person has none (any more)."""


class ChooseAShift(Exception):
    """The activity has shifts: people sign up for one of them, not for the whole."""


WEEKLY, MONTHLY = "weekly", "monthly"
MAX_DATES = 52  # a repeating activity: at most a year of weeks


def repeat_dates(starts: datetime, ends: datetime, repeat: str, until: date) -> list[tuple[datetime, datetime]]:
    """The later dates of a repeating activity (local times; the first is `starts`): every week, or every month on
    the same day (the last day of a shorter month), up to and including `until`, at most MAX_DATES in all."""
    if repeat not in (WEEKLY, MONTHLY):
        return []
    length = ends - starts
    out: list[tuple[datetime, datetime]] = []
    for n in range(1, MAX_DATES):
        if repeat == WEEKLY:
            moment = starts + timedelta(weeks=n)
        else:
            month = starts.month - 1 + n
            year, month = starts.year + month // 12, month % 12 + 1
            moment = starts.replace(year=year, month=month, day=min(starts.day, monthrange(year, month)[1]))
        if moment.date() > until:
            break
        out.append((moment, moment + length))
    return out


@dataclass(frozen=True)
class ActivityData:
    title: str
    description: str
    wijk: Wijk
    place: str
    starts_at: datetime  # UTC
    ends_at: datetime    # UTC
    capacity: int | None
    needs_screening: bool = False
    more_dates: tuple[tuple[datetime, datetime], ...] = ()  # UTC: the later dates of a repeating activity
    text_language: str = "nl"  # the language the title and description are written in


@dataclass(frozen=True)
class ShiftData:
    title: str           # what the shift is, e.g. "Opbouwen" or "Ochtend"
    starts_at: datetime  # UTC
    ends_at: datetime    # UTC
    capacity: int | None


def _apply(activity: Activity, data: ActivityData) -> None:
    if data.ends_at <= data.starts_at:
        raise ValueError("an activity ends after it starts")
    activity.title = data.title.strip()
    activity.description = data.description.strip()
    activity.text_language = data.text_language
    activity.wijk = data.wijk
    activity.wijk_id = data.wijk.id
    activity.place = data.place.strip()
    activity.starts_at = data.starts_at
    activity.ends_at = data.ends_at
    activity.capacity = data.capacity if data.capacity and data.capacity > 0 else None
    activity.needs_screening = data.needs_screening
    activity.match_features = matching.encode_request(matching.task_request(
        "-", activity.title, lat=data.wijk.lat, lon=data.wijk.lon, languages=frozenset({"nl"}),
        text=activity.description)).to_dict()


def slot_of(moment: datetime, zone: ZoneInfo) -> str:
    """The availability slot ("sat-morning") a UTC moment falls in, in local time."""
    local = moment.replace(tzinfo=UTC).astimezone(zone)
    part = "morning" if local.hour < 12 else "afternoon" if local.hour < 18 else "evening"
    return f"{('mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun')[local.weekday()]}-{part}"


def task_record(activity: Activity, any_language: frozenset[str], zone: ZoneInfo) -> matching.HelpRequest:
    """The engine's view of an activity with places: a task in request form (matching.tasks), at its wijk and in the
    slot it starts in; anyone may take part whatever their language (`any_language`: the volunteers being ranked)."""
    return matching.task_request(
        activity.public_id, activity.title, lat=activity.wijk.lat, lon=activity.wijk.lon, languages=any_language,
        text=activity.description, when=frozenset({slot_of(activity.starts_at, zone)}),
        needs_screening=activity.needs_screening, posted_at=activity.created_at)


def add_activity(actor: User, initiative: Initiative, data: ActivityData) -> Activity:
    """A new activity; with `more_dates`, a repeating one: one row per date, sharing a series id (each date has its
    own places, waiting list and changes). Returns the first."""
    if not can_edit(actor, initiative):
        raise NotAllowed
    series_id = new_public_id() if data.more_dates else None
    first = None
    for starts, ends in ((data.starts_at, data.ends_at), *data.more_dates[:MAX_DATES - 1]):
        activity = Activity(initiative=initiative, status=ActivityStatus.PLANNED, sequence=0, series_id=series_id)
        _apply(activity, replace(data, starts_at=starts, ends_at=ends))
        db.session.add(activity)
        first = first or activity
    db.session.flush()
    assert first is not None
    return first


def add_shift(actor: User, activity: Activity, data: ShiftData) -> Activity:
    """A shift of an activity: its own times and places, at the activity's place. People then sign up for a shift."""
    if not can_edit(actor, activity.initiative):
        raise NotAllowed
    if activity.parent_id is not None or activity.status != ActivityStatus.PLANNED:
        raise NoLongerOpen  # a shift has no shifts; a cancelled activity gets none
    if data.ends_at <= data.starts_at:
        raise ValueError("a shift ends after it starts")
    shift = Activity(initiative=activity.initiative, parent=activity, status=ActivityStatus.PLANNED, sequence=0)
    _apply(shift, ActivityData(title=data.title, description="", wijk=activity.wijk, place=activity.place,
                               starts_at=data.starts_at, ends_at=data.ends_at, capacity=data.capacity,
                               needs_screening=activity.needs_screening,
                               text_language=activity.text_language))
    db.session.add(shift)
    db.session.flush()
    return shift


def _announce(activity: Activity, kind: str) -> None:
    for person in activity.participants:
        if person.status in (ParticipantStatus.GOING, ParticipantStatus.WAITING):
            notify(person.user_id, kind, title=activity.title, name=activity.initiative.name,
                   initiative=activity.initiative.public_id)


def edit_activity(actor: User, activity: Activity, data: ActivityData) -> int:
    """Change an activity; everyone signed up hears of a new day, time or place. When it now needs a certificate of
    conduct (VOG), the places of people without one are cancelled with a kind message. Returns how many."""
    if not can_edit(actor, activity.initiative):
        raise NotAllowed
    if activity.status == ActivityStatus.CANCELLED:
        raise NoLongerOpen
    before = (activity.title, activity.wijk_id, activity.place, activity.starts_at, activity.ends_at)
    _apply(activity, data)
    after = (activity.title, activity.wijk_id, activity.place, activity.starts_at, activity.ends_at)
    activity.sequence += 1
    db.session.flush()
    closed = _close_unscreened_places(activity)
    if before != after:
        _announce(activity, "activity_changed")
    _promote(activity)
    return closed


def _close_unscreened_places(activity: Activity) -> int:
    if not activity.needs_screening:
        return 0
    closed = 0
    for person in activity.participants:
        if person.status in (ParticipantStatus.GOING, ParticipantStatus.WAITING) and not may_help(person.user, True):
            person.status = ParticipantStatus.CANCELLED
            notify(person.user_id, "activity_place_closed_screening", title=activity.title,
                   name=activity.initiative.name, initiative=activity.initiative.public_id)
            closed += 1
    db.session.flush()
    return closed


def cancel_activity(actor: User, activity: Activity) -> None:
    if not can_edit(actor, activity.initiative):
        raise NotAllowed
    if not _claim(activity, ActivityStatus.CANCELLED):
        raise NoLongerOpen
    activity.sequence += 1
    _announce(activity, "activity_cancelled")
    for shift in activity.shifts:  # its shifts go with it
        if _claim(shift, ActivityStatus.CANCELLED):
            shift.sequence += 1
            _announce(shift, "activity_cancelled")


def _claim(activity: Activity, status: str = ActivityStatus.PLANNED) -> bool:
    """Lock the planned activity's row (and optionally change its status); False when it is no longer planned."""
    changed = int(cast(CursorResult[Any], db.session.execute(
        update(Activity)
        .where(Activity.id == activity.id, Activity.status == ActivityStatus.PLANNED)
        .values(status=status, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )).rowcount)
    db.session.refresh(activity)
    return changed == 1


def _going(activity: Activity) -> int:
    return db.session.execute(
        select(func.count()).select_from(ActivityParticipant)
        .where(ActivityParticipant.activity_id == activity.id, ActivityParticipant.status == ParticipantStatus.GOING)
    ).scalar_one()


def participant_of(user: User | None, activity: Activity) -> ActivityParticipant | None:
    if user is None or not user.is_authenticated:
        return None
    return next((p for p in activity.participants if p.user_id == user.id), None)


def join(user: User, activity: Activity, now: datetime | None = None) -> ActivityParticipant:
    """Take a place, or a place on the waiting list when the activity is full."""
    if activity.starts_at <= (now or utcnow()) or not _claim(activity):
        raise NoLongerOpen
    if activity.shifts:
        raise ChooseAShift
    if not may_help(user, activity.needs_screening):  # checked once the row is ours: as the activity is now
        raise NeedsScreening
    existing = participant_of(user, activity)
    if existing is not None and existing.status != ParticipantStatus.CANCELLED:
        raise AlreadyJoined
    full = activity.capacity is not None and _going(activity) >= activity.capacity
    status = ParticipantStatus.WAITING if full else ParticipantStatus.GOING
    if existing is not None:  # back after cancelling: at the end of the waiting list
        existing.status, existing.created_at = status, utcnow()
        participant = existing
    else:
        participant = ActivityParticipant(activity=activity, user_id=user.id, status=status)
        db.session.add(participant)
    db.session.flush()
    return participant


def leave(user: User, activity: Activity) -> None:
    """Cancel one's place; the first person on the waiting list moves up and is told."""
    participant = participant_of(user, activity)
    if participant is None or participant.status == ParticipantStatus.CANCELLED:
        return
    _claim(activity, activity.status)
    participant.status = ParticipantStatus.CANCELLED
    db.session.flush()
    _promote(activity)


def _promote(activity: Activity) -> None:
    if activity.status != ActivityStatus.PLANNED:
        return
    free = None if activity.capacity is None else activity.capacity - _going(activity)
    waiting = db.session.execute(
        select(ActivityParticipant)
        .where(ActivityParticipant.activity_id == activity.id, ActivityParticipant.status == ParticipantStatus.WAITING)
        .order_by(ActivityParticipant.created_at, ActivityParticipant.id)
    ).scalars().all()
    waiting = [p for p in waiting if may_help(p.user, activity.needs_screening)]  # a lapsed VOG keeps waiting
    for participant in waiting[:free] if free is not None else waiting:
        participant.status = ParticipantStatus.GOING
        notify(participant.user_id, "waitlist_promoted", title=activity.title, name=activity.initiative.name,
               initiative=activity.initiative.public_id)
    db.session.flush()


def log_hours(user: User, activity: Activity, hours: float, now: datetime | None = None) -> None:
    """Someone who took part records how many hours they gave (after the activity has started)."""
    participant = participant_of(user, activity)
    if participant is None or participant.status != ParticipantStatus.GOING or \
            activity.status != ActivityStatus.PLANNED or activity.starts_at > (now or utcnow()):
        raise NotAllowed
    participant.hours = hours


def get_activity(initiative: Initiative, activity_public_id: str) -> Activity | None:
    return next((a for a in initiative.activities if a.public_id == activity_public_id), None)


def hours_logged(activity: Activity) -> float:
    return float(sum(p.hours or 0 for p in activity.participants if p.status == ParticipantStatus.GOING))
