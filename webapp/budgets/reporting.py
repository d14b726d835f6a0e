"""What funded proposals achieved: for the impact report and the public results. A fixed number of statements,
whatever the number of proposals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from webapp.budgets.models import BudgetProposal, BudgetRound
from webapp.core.extensions import db
from webapp.core.small_counts import SMALL, Cell
from webapp.initiatives.models import Activity, ActivityParticipant, ActivityStatus, ParticipantStatus


@dataclass(frozen=True)
class Achievement:
    proposal: BudgetProposal
    received: int  # euros the initiative says it received (the money need's progress)
    activities: int  # activities of its initiative since the count (within the period)
    participants: Cell  # people going to those activities (small numbers hidden)


def _start(day: date) -> datetime:
    return datetime.combine(day, time.min)


def funded(start: date | None = None, end: date | None = None, min_cell: int = 5,
           round_id: int | None = None) -> list[Achievement]:
    """Funded proposals of rounds counted up to `end` (or of one round), with what their initiatives did after the
    count (activities between `start` and `end`, both included, when given). By stadsdeel, then round, then the
    most votes."""
    query = (select(BudgetProposal).join(BudgetRound, BudgetRound.id == BudgetProposal.round_id)
             .where(BudgetProposal.funded_via.is_not(None))
             .options(joinedload(BudgetProposal.round).joinedload(BudgetRound.stadsdeel),
                      joinedload(BudgetProposal.initiative), joinedload(BudgetProposal.need),
                      joinedload(BudgetProposal.wijk))
             .order_by(BudgetRound.stadsdeel_id, BudgetRound.counted_at.desc(), BudgetProposal.votes.desc(),
                       BudgetProposal.id))
    if end is not None:
        query = query.where(BudgetRound.counted_at < _start(end + timedelta(days=1)))
    if round_id is not None:
        query = query.where(BudgetRound.id == round_id)
    proposals = db.session.execute(query).scalars().all()
    ids = [p.id for p in proposals]
    activities: dict[int, int] = {}
    people: dict[int, int] = {}
    if ids:
        since = (select(BudgetProposal.id.label("proposal_id"), Activity.id.label("activity_id"))
                 .join(BudgetRound, BudgetRound.id == BudgetProposal.round_id)
                 .join(Activity, Activity.initiative_id == BudgetProposal.initiative_id)
                 .where(BudgetProposal.id.in_(ids), Activity.status == ActivityStatus.PLANNED,
                        Activity.starts_at >= BudgetRound.counted_at))
        if start is not None:
            since = since.where(Activity.starts_at >= _start(start))
        if end is not None:
            since = since.where(Activity.starts_at < _start(end + timedelta(days=1)))
        held = since.subquery()
        activities = dict(db.session.execute(
            select(held.c.proposal_id, func.count()).group_by(held.c.proposal_id)).all())
        people = dict(db.session.execute(
            select(held.c.proposal_id, func.count(ActivityParticipant.id))
            .join(ActivityParticipant, ActivityParticipant.activity_id == held.c.activity_id)
            .where(ActivityParticipant.status == ParticipantStatus.GOING)
            .group_by(held.c.proposal_id)).all())
    out = []
    for proposal in proposals:
        going = int(people.get(proposal.id, 0))
        out.append(Achievement(proposal, proposal.need.amount_received if proposal.need is not None else 0,
                               int(activities.get(proposal.id, 0)),
                               Cell(going, SMALL if 0 < going < min_cell else None)))
    return out
