"""My applications: everything a volunteer offered to do, in one list with its state. Plain arguments in.

Three kinds of offer, each with its own rows: a sign-up for a need (of an initiative, or an organisation's vacancy),
a place at an activity, and a response to a neighbour's request. They get one vocabulary of states, so a person
reads one list: applied, on the shortlist, accepted, on the waiting list, not this time, withdrawn, closed (it came to
need a certificate of conduct). Three queries, whatever the number of rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from webapp.accounts.models import User
from webapp.accounts.safeguarding import may_help
from webapp.asks.models import HelpRequest, Response, ResponseStatus
from webapp.core.extensions import db
from webapp.initiatives.models import (
    Activity,
    ActivityParticipant,
    InitiativeNeed,
    NeedSignup,
    ParticipantStatus,
    SignupStatus,
)

APPLIED, SHORTLISTED, ACCEPTED, WAITING, DECLINED, WITHDRAWN, CLOSED = (
    "applied", "shortlisted", "accepted", "waiting", "declined", "withdrawn", "closed")
STATES = (APPLIED, SHORTLISTED, ACCEPTED, WAITING, DECLINED, WITHDRAWN, CLOSED)
_SIGNUP: dict[str, str] = {
    SignupStatus.PENDING: APPLIED, SignupStatus.SHORTLISTED: SHORTLISTED, SignupStatus.CONFIRMED: ACCEPTED,
    SignupStatus.DECLINED: DECLINED, SignupStatus.WITHDRAWN: WITHDRAWN, SignupStatus.NEEDS_SCREENING: CLOSED}
_PLACE: dict[str, str] = {
    ParticipantStatus.GOING: ACCEPTED, ParticipantStatus.WAITING: WAITING, ParticipantStatus.CANCELLED: WITHDRAWN}
_RESPONSE: dict[str, str] = {
    ResponseStatus.PENDING: APPLIED, ResponseStatus.ACCEPTED: ACCEPTED, ResponseStatus.NOT_CHOSEN: DECLINED,
    ResponseStatus.WITHDRAWN: WITHDRAWN, ResponseStatus.NEEDS_SCREENING: CLOSED}


@dataclass(frozen=True)
class Application:
    """One thing the person offered to do. `signup`, `place` or `response` is the row behind it."""

    kind: str  # "need", "vacancy", "activity" or "request"
    state: str
    created_at: datetime
    signup: NeedSignup | None = None
    place: ActivityParticipant | None = None
    response: Response | None = None
    hours: float = 0.0
    title_shown: bool = True  # False: a request that came to need a VOG this person lacks (its wijk only)
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def can_withdraw(self) -> bool:
        if self.signup is not None:
            return self.state in (APPLIED, SHORTLISTED, ACCEPTED)
        if self.place is not None:
            return self.state in (ACCEPTED, WAITING) and self.place.activity.status == "planned"
        return False

    @property
    def logs_hours(self) -> bool:
        """A confirmed volunteer logs hours for a need here (activities have their own form on their page)."""
        return self.signup is not None and self.state == ACCEPTED


def applications_of(user: User, state: str | None = None, now: datetime | None = None) -> list[Application]:
    """Everything this person applied for, newest first (or of one state)."""
    out: list[Application] = []
    signups = db.session.execute(select(NeedSignup).where(NeedSignup.volunteer_id == user.id).options(
        joinedload(NeedSignup.need).joinedload(InitiativeNeed.initiative), selectinload(NeedSignup.hours))
    ).unique().scalars()
    for signup in signups:
        kind = "vacancy" if signup.need.initiative.is_organisation else "need"
        out.append(Application(kind, _SIGNUP.get(signup.status, APPLIED), signup.created_at, signup=signup,
                               hours=sum(h.hours for h in signup.hours)))
    places = db.session.execute(select(ActivityParticipant).where(ActivityParticipant.user_id == user.id).options(
        joinedload(ActivityParticipant.activity).joinedload(Activity.initiative),
        joinedload(ActivityParticipant.activity).joinedload(Activity.wijk),
        joinedload(ActivityParticipant.activity).joinedload(Activity.parent))).unique().scalars()
    for place in places:
        out.append(Application("activity", _PLACE.get(place.status, APPLIED), place.created_at, place=place,
                               hours=float(place.hours or 0)))
    responses = db.session.execute(select(Response).where(Response.volunteer_id == user.id).options(
        joinedload(Response.help_request).joinedload(HelpRequest.wijk))).unique().scalars()
    for response in responses:
        shown = response.status == ResponseStatus.ACCEPTED or may_help(user, response.help_request.needs_screening)
        out.append(Application("request", _RESPONSE.get(response.status, APPLIED), response.created_at,
                               response=response, title_shown=shown))
    if state in STATES:
        out = [a for a in out if a.state == state]
    return sorted(out, key=lambda a: a.created_at, reverse=True)


def counts(applications: list[Application]) -> dict[str, int]:
    return {state: sum(1 for a in applications if a.state == state) for state in STATES}
