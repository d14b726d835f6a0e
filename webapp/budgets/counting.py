"""Counting a district budget and its results.

The count opens every sealed ballot once, writes the choices as nameless ballots in random order, and empties the
sealed copies: from then on nobody, not even with the ballot key, can tell who chose what. Ballots of accounts staff
blocked (fake accounts) are not counted.

Who wins: first the share kept for new initiatives goes to their proposals with the most votes, as long as each fits
in what is left of that share; then everything that is left goes to the proposals with the most votes, new or not,
as long as each fits in what is left of the budget (a proposal that no longer fits is passed over, a cheaper one below
it may still fit). A proposal without votes gets nothing. Equal votes: the cheaper proposal first (more of the wishes
funded for the same money), then the one sent in first. Funded proposals become money needs of their initiative (a
resident's own idea becomes an initiative of that resident), so the impact report follows them.
"""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import joinedload

import matching
from webapp.accounts.models import AccountErasure, User
from webapp.budgets import sealing
from webapp.budgets.models import (
    BudgetBallot,
    BudgetProposal,
    BudgetRound,
    BudgetVoter,
    FundedVia,
    Phase,
    ProposalStatus,
)
from webapp.budgets.services import NotAllowed, ballot_proposals
from webapp.core.access import Role
from webapp.core.audit import log_action
from webapp.core.extensions import db
from webapp.core.ids import new_public_id, utcnow
from webapp.core.reference.models import Wijk
from webapp.core.small_counts import Cell, suppress
from webapp.initiatives.models import (
    Initiative,
    InitiativeNeed,
    InitiativeOrganiser,
    InitiativeStatus,
    NeedKind,
    NeedStatus,
)
from webapp.initiatives.services import initiative_record
from webapp.notifications.services import notify

COUNT = "budget_count"  # audit log action


# -- who wins ---------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Candidate:
    id: int
    cost: int
    votes: int
    is_new: bool
    sent_in: datetime
    public_id: str


def ranked(candidates: Iterable[Candidate]) -> list[Candidate]:
    """Most votes first; equal votes: cheaper first, then the one sent in first (then the id, so it is total)."""
    return sorted(candidates, key=lambda c: (-c.votes, c.cost, c.sent_in, c.public_id))


def winners(candidates: Sequence[Candidate], amount: int, reserve: int) -> dict[int, FundedVia]:
    """Which candidates are funded, and from which part of the budget (see the module's text)."""
    order = [c for c in ranked(candidates) if c.votes > 0]
    funded: dict[int, FundedVia] = {}
    reserve_left, spent = min(reserve, amount), 0
    for candidate in order:
        if candidate.is_new and candidate.cost <= reserve_left:
            funded[candidate.id] = FundedVia.RESERVE
            reserve_left -= candidate.cost
            spent += candidate.cost
    for candidate in order:
        if candidate.id not in funded and candidate.cost <= amount - spent:
            funded[candidate.id] = FundedVia.VOTES
            spent += candidate.cost
    return funded


# -- the count --------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CountResult:
    ballots: int
    not_counted: int  # ballots of blocked accounts
    funded: int
    spent: int


def count(actor: User | None, budget_round: BudgetRound, today: date, key: bytes, *,
          announce: bool = True) -> CountResult:
    """End voting (now, if it was still running) and count. Only once: the first UPDATE is conditional, and it takes
    the round exclusively, so a ballot being saved at this moment finishes first or is refused after.

    Raises NotAllowed("phase") before voting has started, NotAllowed("counted") when counted already, and
    NotAllowed("unreadable") when a sealed ballot does not open (the ballot key changed: put the old one back; the
    caller rolls back, nothing is lost). `announce`: tell the authors of funded plans (not for demo data)."""
    if budget_round.phase(today) not in (Phase.VOTING, Phase.COUNTING):
        raise NotAllowed("counted" if budget_round.counted_at is not None else "phase")
    now = utcnow()
    claimed = db.session.execute(
        update(BudgetRound).where(BudgetRound.id == budget_round.id, BudgetRound.counted_at.is_(None))
        .values(counted_at=now, counted_by_id=actor.id if actor is not None else None)
        .execution_options(synchronize_session=False))
    if not getattr(claimed, "rowcount", 0):
        raise NotAllowed("counted")

    on_ballot = {p.id: p for p in ballot_proposals(budget_round)}
    voters = db.session.execute(
        select(BudgetVoter.user_id, BudgetVoter.sealed, User.is_blocked)
        .join(User, User.id == BudgetVoter.user_id).where(BudgetVoter.round_id == budget_round.id)
    ).all()
    ballots: list[list[int]] = []
    blocked: list[int] = []
    for user_id, sealed, is_blocked in voters:
        if sealed is None:
            continue
        try:
            choices = sealing.unseal(key, f"round:{budget_round.id}/voter:{user_id}", sealed)
        except sealing.Unreadable:
            raise NotAllowed("unreadable") from None
        if is_blocked:
            blocked.append(user_id)
            continue
        ballots.append(sorted(c for c in set(choices) if c in on_ballot))
    secrets.SystemRandom().shuffle(ballots)  # the order of the nameless ballots says nothing about who voted when
    if ballots:
        db.session.execute(insert(BudgetBallot), [
            {"id": new_public_id(), "round_id": budget_round.id, "choices": choices} for choices in ballots])
    db.session.execute(
        update(BudgetVoter).where(BudgetVoter.round_id == budget_round.id)
        .values(sealed=None, counted=BudgetVoter.user_id.not_in(blocked) if blocked else True)
        .execution_options(synchronize_session=False))

    votes = Counter(c for choices in ballots for c in choices)
    candidates = [Candidate(p.id, p.cost, votes[p.id], p.is_new_initiative, p.created_at, p.public_id)
                  for p in on_ballot.values()]
    funded = winners(candidates, budget_round.amount, budget_round.reserve)
    for proposal in on_ballot.values():
        proposal.votes = votes[proposal.id]
        proposal.funded_via = funded.get(proposal.id)
    db.session.refresh(budget_round)
    budget_round.ballots_counted = len(ballots)
    for proposal_id in funded:
        plan = on_ballot[proposal_id]
        _become_money_need(plan, budget_round)
        if announce:
            notify(plan.proposed_by_id, "budget_plan_funded", title=plan.title, plan=plan.public_id)
    spent = sum(on_ballot[i].cost for i in funded)
    log_action(actor, COUNT, "budget_round", budget_round.public_id, ballots=len(ballots), not_counted=len(blocked),
               funded=len(funded), spent=spent)
    return CountResult(len(ballots), len(blocked), len(funded), spent)


def _become_money_need(proposal: BudgetProposal, budget_round: BudgetRound) -> None:
    """The funded proposal as a money need of its initiative, so its progress (euros received) is followed. A
    resident's own idea first becomes an initiative of that resident (they may then edit it, add needs and tell
    how it went)."""
    initiative = proposal.initiative
    if initiative is None:
        initiative = _initiative_for(proposal, budget_round)
        proposal.initiative = initiative
    need = InitiativeNeed(initiative=initiative, kind=NeedKind.MONEY, title=proposal.title[:120],
                          description=proposal.summary, amount=proposal.cost, purpose=budget_round.title[:300],
                          status=NeedStatus.OPEN, text_language=proposal.text_language)
    db.session.add(need)
    db.session.flush()
    proposal.need_id = need.id


def _initiative_for(proposal: BudgetProposal, budget_round: BudgetRound) -> Initiative:
    author = db.session.get(User, proposal.proposed_by_id) if proposal.proposed_by_id is not None else None
    erased = author is not None and db.session.get(AccountErasure, author.id) is not None
    initiative = Initiative(public_id=new_public_id(), name=proposal.title[:120], description=proposal.summary,
                            text_language=proposal.text_language,
                            is_organisation=False, status=InitiativeStatus.IDEA,
                            created_by_id=author.id if author is not None and not erased else None)
    wijken = [proposal.wijk] if proposal.wijk is not None else list(db.session.execute(
        select(Wijk).where(Wijk.stadsdeel_id == budget_round.stadsdeel_id).order_by(Wijk.name)).scalars())
    initiative.wijken = wijken
    if author is not None and not erased and not author.is_blocked:
        author.add_role(Role.ORGANISER)
        initiative.organisers.append(InitiativeOrganiser(user_id=author.id, is_owner=True))
    db.session.add(initiative)
    db.session.flush()
    initiative.match_features = matching.encode_initiative(initiative_record(initiative, needs=[])).to_dict()
    return initiative


def close_ended(today: date, key: bytes) -> list[tuple[BudgetRound, CountResult | str]]:
    """Count every round whose voting has ended (for a daily job; a round counted already is left alone)."""
    due = db.session.execute(
        select(BudgetRound).where(BudgetRound.counted_at.is_(None), BudgetRound.voting_until < today)
        .order_by(BudgetRound.id)).scalars().all()
    done: list[tuple[BudgetRound, CountResult | str]] = []
    for budget_round in due:
        try:
            with db.session.begin_nested():
                done.append((budget_round, count(None, budget_round, today, key)))
        except NotAllowed as refused:
            done.append((budget_round, refused.reason))
    return done


# -- results ----------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class TurnoutRow:
    wijk: Wijk
    cell: Cell
    percent: float | None  # of the wijk's inhabitants, when the count is shown


@dataclass(frozen=True)
class Results:
    round: BudgetRound
    ranked: list[BudgetProposal]  # every proposal on the ballot, most votes first
    spent: int
    reserve_spent: int
    ballots: int
    turnout: list[TurnoutRow]
    turnout_shown: bool  # False: too few votes to show per wijk

    @property
    def funded(self) -> list[BudgetProposal]:
        return [p for p in self.ranked if p.is_funded]

    @property
    def new_spent(self) -> int:
        """To plans of new initiatives: from the share kept for them, and on votes."""
        return sum(p.cost for p in self.funded if p.is_new_initiative)

    @property
    def left(self) -> int:
        return self.round.amount - self.spent


def results(budget_round: BudgetRound, min_cell: int) -> Results:
    """The published results of a counted round, in a fixed number of statements."""
    proposals = db.session.execute(
        select(BudgetProposal).where(BudgetProposal.round_id == budget_round.id,
                                     BudgetProposal.status == ProposalStatus.ACCEPTED)
        .options(joinedload(BudgetProposal.wijk), joinedload(BudgetProposal.initiative),
                 joinedload(BudgetProposal.need))
    ).scalars().all()
    order = {c.id: n for n, c in enumerate(ranked(
        Candidate(p.id, p.cost, p.votes or 0, p.is_new_initiative, p.created_at, p.public_id) for p in proposals))}
    in_order = sorted(proposals, key=lambda p: order[p.id])
    wijken = db.session.execute(
        select(Wijk).where(Wijk.stadsdeel_id == budget_round.stadsdeel_id).order_by(Wijk.name)).scalars().all()
    per_wijk: dict[int, int] = dict(db.session.execute(  # type: ignore[arg-type]
        select(BudgetVoter.wijk_id, func.count()).where(BudgetVoter.round_id == budget_round.id,
                                                         BudgetVoter.counted.is_(True))
        .group_by(BudgetVoter.wijk_id)).all())
    cells, shown = suppress({w.id: int(per_wijk.get(w.id, 0)) for w in wijken}, min_cell)
    turnout = [TurnoutRow(w, cells[w.id], round(100 * cells[w.id].value / w.inhabitants, 1)
                          if cells[w.id].shown and w.inhabitants else None) for w in wijken]
    funded = [p for p in in_order if p.is_funded]
    return Results(budget_round, in_order, sum(p.cost for p in funded),
                   sum(p.cost for p in funded if p.funded_via == FundedVia.RESERVE),
                   budget_round.ballots_counted or 0, turnout, shown)
