"""Applicants for a need, as its organisers manage them (shortlist, accept, say no with kind words: the decisions are
in needs.py), the hours confirmed volunteers give, and what the organisers see of those hours. Plain arguments in.

What organisers see of an applicant: first name, wijk, whether their VOG is checked, their message and state; contact
details only once they said yes (as on the initiative's page). Hours: the organisers of the initiative see the hours
each of their confirmed volunteers logged, for needs and activities; nobody else does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import case, func, select
from sqlalchemy.orm import joinedload, selectinload

from webapp.accounts.models import User, VolunteerProfile
from webapp.core.extensions import db
from webapp.core.ids import utcnow
from webapp.core.pagination import Page, paginate
from webapp.initiatives.models import (
    Activity,
    ActivityParticipant,
    Initiative,
    InitiativeNeed,
    NeedSignup,
    ParticipantStatus,
    SignupHours,
    SignupStatus,
)
from webapp.initiatives.services import NotAllowed, can_edit

# The order organisers work through applicants: new ones first, then the shortlist, then those they said yes to.
STATES = (SignupStatus.PENDING, SignupStatus.SHORTLISTED, SignupStatus.CONFIRMED, SignupStatus.DECLINED,
          SignupStatus.WITHDRAWN)
MAX_HOURS_A_DAY = 24.0
RECENT = timedelta(days=30)


class NotConfirmed(Exception):
    """Only a volunteer the organisers said yes to logs hours for a need."""


def applicants(actor: User, need: InitiativeNeed, state: str | None, page: int, per_page: int) -> Page[NeedSignup]:
    """The need's applicants for its organisers, in the order they work through them (or of one state)."""
    if not can_edit(actor, need.initiative):
        raise NotAllowed
    query = select(NeedSignup).where(NeedSignup.need_id == need.id, NeedSignup.status.in_(STATES))
    if state in STATES:
        query = query.where(NeedSignup.status == state)
    order = case({s.value: n for n, s in enumerate(STATES)}, value=NeedSignup.status, else_=len(STATES))
    return paginate(query, page, per_page, order, NeedSignup.created_at, NeedSignup.id, options=(
        joinedload(NeedSignup.volunteer).selectinload(User.volunteer_profile).joinedload(VolunteerProfile.wijk),
        joinedload(NeedSignup.volunteer).joinedload(User.wijk)))


def counts(need: InitiativeNeed) -> dict[str, int]:
    """How many applicants are in each state (for the tabs of the applicants page)."""
    found = {str(status): int(n) for status, n in db.session.execute(
        select(NeedSignup.status, func.count()).where(NeedSignup.need_id == need.id).group_by(NeedSignup.status))}
    return {state.value: int(found.get(state.value, 0)) for state in STATES}


def log_hours(user: User, signup: NeedSignup, worked_on: date, hours: float, today: date | None = None) -> SignupHours:
    """A confirmed volunteer records hours they gave for a need, on a day that has come (at most 24 a day)."""
    if signup.volunteer_id != user.id:
        raise NotAllowed
    if signup.status != SignupStatus.CONFIRMED:
        raise NotConfirmed
    if worked_on > (today or utcnow().date()) or not 0 < hours <= MAX_HOURS_A_DAY:
        raise ValueError("hours on a day that has come, at most 24")
    row = SignupHours(signup_id=signup.id, worked_on=worked_on, hours=hours)
    db.session.add(row)
    db.session.flush()
    return row


def signup_of(user: User, need_public_id: str) -> NeedSignup | None:
    return db.session.execute(
        select(NeedSignup).join(InitiativeNeed, InitiativeNeed.id == NeedSignup.need_id)
        .where(NeedSignup.volunteer_id == user.id, InitiativeNeed.public_id == need_public_id)
        .options(joinedload(NeedSignup.need).joinedload(InitiativeNeed.initiative))
    ).scalar_one_or_none()


@dataclass(frozen=True)
class VolunteerHours:
    """One volunteer of an initiative: what they do there, and the hours they logged."""

    volunteer: User
    tasks: list[str]
    hours_total: float
    hours_recent: float  # the past 30 days
    last_on: date | None


@dataclass
class _Tally:
    volunteer: User
    tasks: list[str] = field(default_factory=list)
    total: float = 0.0
    recent: float = 0.0
    last: date | None = None

    def add(self, task: str, hours: float, on: date | None, since: date) -> None:
        if task not in self.tasks:
            self.tasks.append(task)
        self.total += hours
        if on is not None:
            self.recent += hours if on >= since else 0.0
            self.last = on if self.last is None or on > self.last else self.last


def volunteer_hours(actor: User, initiative: Initiative, now: datetime | None = None) -> list[VolunteerHours]:
    """For the organisers: every volunteer confirmed for a need or going to an activity who logged hours there, with
    their hours (needs and activities together), most hours first. A fixed number of queries, however many."""
    if not can_edit(actor, initiative):
        raise NotAllowed
    since = ((now or utcnow()) - RECENT).date()
    people: dict[int, _Tally] = {}
    signups = db.session.execute(
        select(NeedSignup).join(InitiativeNeed, InitiativeNeed.id == NeedSignup.need_id)
        .where(InitiativeNeed.initiative_id == initiative.id, NeedSignup.status == SignupStatus.CONFIRMED)
        .options(joinedload(NeedSignup.volunteer), joinedload(NeedSignup.need), selectinload(NeedSignup.hours))
    ).unique().scalars().all()
    for signup in signups:
        tally = people.setdefault(signup.volunteer_id, _Tally(signup.volunteer))
        tally.add(signup.need.title, 0.0, None, since)
        for row in signup.hours:
            tally.add(signup.need.title, row.hours, row.worked_on, since)
    places = db.session.execute(
        select(ActivityParticipant).join(Activity, Activity.id == ActivityParticipant.activity_id)
        .where(Activity.initiative_id == initiative.id, ActivityParticipant.status == ParticipantStatus.GOING,
               ActivityParticipant.hours.is_not(None))
        .options(joinedload(ActivityParticipant.user), joinedload(ActivityParticipant.activity))
    ).scalars().all()
    for place in places:
        people.setdefault(place.user_id, _Tally(place.user)).add(
            place.activity.title, float(place.hours or 0), place.activity.starts_at.date(), since)
    out = [VolunteerHours(t.volunteer, t.tasks, t.total, t.recent, t.last) for t in people.values()]
    return sorted(out, key=lambda v: (-v.hours_total, v.volunteer.first_name))
