"""District budget rounds and their proposals: staff open a round, residents and initiatives send in costed
proposals, staff check them (with a public reason when they say no). Plain arguments in, rows out.

Voting is in `voting.py`, the count and the results in `counting.py`, what funded proposals achieved in
`reporting.py`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from webapp.accounts.models import User
from webapp.budgets.models import BudgetProposal, BudgetRound, Phase, ProposalStatus
from webapp.core.audit import log_action
from webapp.core.extensions import db
from webapp.core.ids import utcnow
from webapp.core.moderation import PERSONAL_DATA, Moderation, check_text, decide
from webapp.core.reference.models import Stadsdeel, Wijk
from webapp.initiatives.models import Initiative, InitiativeOrganiser
from webapp.notifications.services import notify

MAX_AMOUNT = 10_000_000  # euros in one round
MAX_PROPOSALS_PER_PERSON = 5  # per round: room for everyone, and no flooding the ballot
# Audit log actions of this feature (webapp.core.audit takes any short word).
OPEN_ROUND, CHANGE_ROUND, ACCEPT, REJECT, UNDO_DECISION = (
    "budget_open", "budget_change", "budget_accept", "budget_reject", "budget_undo")


class NotAllowed(Exception):
    """This person may not do this now. `reason` says why, in a word the view turns into a sentence."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# -- rounds -----------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class RoundData:
    stadsdeel: Stadsdeel
    cycle: str
    title: str
    description: str
    amount: int
    new_share_percent: int
    min_choices: int
    proposals_from: date
    proposals_until: date
    voting_from: date
    voting_until: date


# What a ballot depends on: fixed once voting has started (a ballot cast before a change would no longer fit).
LOCKED_WHEN_VOTING = ("stadsdeel", "cycle", "amount", "new_share_percent", "min_choices", "proposals_from",
                      "proposals_until", "voting_from")


def date_problems(data: RoundData) -> list[str]:
    """The dates in order: proposals, then (at least a day later) voting. Returns reason words."""
    problems = []
    if data.proposals_until < data.proposals_from:
        problems.append("proposals_until")
    if data.voting_from <= data.proposals_until:
        problems.append("voting_from")
    if data.voting_until < data.voting_from:
        problems.append("voting_until")
    return problems


def _apply(budget_round: BudgetRound, data: RoundData) -> None:
    budget_round.stadsdeel_id = data.stadsdeel.id
    budget_round.stadsdeel = data.stadsdeel
    budget_round.cycle = data.cycle.strip()
    budget_round.title = data.title.strip()
    budget_round.description = data.description.strip()
    budget_round.amount = data.amount
    budget_round.new_share_percent = data.new_share_percent
    budget_round.min_choices = data.min_choices
    budget_round.proposals_from, budget_round.proposals_until = data.proposals_from, data.proposals_until
    budget_round.voting_from, budget_round.voting_until = data.voting_from, data.voting_until


def _cycle_taken(stadsdeel: Stadsdeel, cycle: str, but: BudgetRound | None = None) -> bool:
    query = select(BudgetRound.id).where(BudgetRound.stadsdeel_id == stadsdeel.id, BudgetRound.cycle == cycle.strip())
    if but is not None:
        query = query.where(BudgetRound.id != but.id)
    return db.session.execute(query.limit(1)).first() is not None


def open_round(actor: User, data: RoundData) -> BudgetRound:
    """A new round. Raises NotAllowed("dates") or NotAllowed("cycle") (this stadsdeel has a round in that cycle)."""
    if date_problems(data):
        raise NotAllowed("dates")
    if _cycle_taken(data.stadsdeel, data.cycle):
        raise NotAllowed("cycle")
    budget_round = BudgetRound(created_by_id=actor.id)
    _apply(budget_round, data)
    try:
        with db.session.begin_nested():  # two staff members opening the same round at once: one of them wins
            db.session.add(budget_round)
            db.session.flush()
    except IntegrityError:
        raise NotAllowed("cycle") from None
    log_action(actor, OPEN_ROUND, "budget_round", budget_round.public_id, amount=data.amount,
               stadsdeel=data.stadsdeel.name, cycle=budget_round.cycle)
    return budget_round


def change_round(actor: User, budget_round: BudgetRound, data: RoundData, today: date) -> None:
    """Change a round. Once voting has started only the title, the text and the last day of voting may change (not
    before today); a counted round does not change, nor the stadsdeel of a round with plans. Raises
    NotAllowed("locked" | "counted" | "dates" | "cycle" | "voting_until" | "has_plans")."""
    phase = budget_round.phase(today)
    if phase == Phase.FINISHED:
        raise NotAllowed("counted")
    if date_problems(data):
        raise NotAllowed("dates")
    if phase in (Phase.VOTING, Phase.COUNTING):
        current = {"stadsdeel": budget_round.stadsdeel, **{f.name: getattr(budget_round, f.name)
                                                             for f in fields(RoundData) if f.name != "stadsdeel"}}
        changed = [name for name in LOCKED_WHEN_VOTING
                   if (getattr(data, name).strip() if name == "cycle" else getattr(data, name)) != current[name]]
        if changed:
            raise NotAllowed("locked")
        if data.voting_until < today:
            raise NotAllowed("voting_until")
    elif _cycle_taken(data.stadsdeel, data.cycle, but=budget_round):
        raise NotAllowed("cycle")
    if data.stadsdeel.id != budget_round.stadsdeel_id and db.session.execute(
            select(BudgetProposal.id).where(BudgetProposal.round_id == budget_round.id).limit(1)).first():
        raise NotAllowed("has_plans")  # its plans name wijken of this stadsdeel
    _apply(budget_round, data)
    log_action(actor, CHANGE_ROUND, "budget_round", budget_round.public_id, amount=data.amount,
               voting_from=data.voting_from.isoformat(), voting_until=data.voting_until.isoformat())


def get_round(public_id: str) -> BudgetRound | None:
    return db.session.execute(
        select(BudgetRound).where(BudgetRound.public_id == public_id).options(joinedload(BudgetRound.stadsdeel))
    ).scalar_one_or_none()


def all_rounds() -> list[BudgetRound]:
    """Every round, newest voting first, per stadsdeel."""
    return list(db.session.execute(
        select(BudgetRound).options(joinedload(BudgetRound.stadsdeel))
        .order_by(BudgetRound.voting_from.desc(), BudgetRound.stadsdeel_id, BudgetRound.id)
    ).scalars())


def proposal_counts() -> dict[int, dict[str, int]]:
    """Per round id: how many proposals per status (one grouped query, for the staff overview)."""
    counts: dict[int, dict[str, int]] = {}
    for round_id, status, number in db.session.execute(
        select(BudgetProposal.round_id, BudgetProposal.status, func.count()).group_by(BudgetProposal.round_id,
                                                                                        BudgetProposal.status)
    ):
        counts.setdefault(round_id, {})[status] = int(number)
    return counts


# -- proposals --------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ProposalData:
    title: str
    summary: str
    cost: int
    wijk: Wijk | None
    initiative: Initiative | None
    text_language: str = "nl"  # the language the title and summary are written in


def get_proposal(public_id: str) -> BudgetProposal | None:
    return db.session.execute(
        select(BudgetProposal).where(BudgetProposal.public_id == public_id).options(
            joinedload(BudgetProposal.wijk), joinedload(BudgetProposal.initiative),
            joinedload(BudgetProposal.need),
            joinedload(BudgetProposal.round).joinedload(BudgetRound.stadsdeel))
    ).scalar_one_or_none()


def is_public(proposal: BudgetProposal) -> bool:
    """Everyone may read it: its text passed the checks, or staff accepted it."""
    return proposal.moderation == Moderation.OK or proposal.status == ProposalStatus.ACCEPTED


def is_author(user: User | None, proposal: BudgetProposal) -> bool:
    """The person who sent it in, or an organiser of the initiative it is from."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if proposal.proposed_by_id == user.id:
        return True
    return proposal.initiative is not None and proposal.initiative.is_organiser(user)


def may_see(user: User | None, proposal: BudgetProposal) -> bool:
    return is_public(proposal) or is_author(user, proposal) or bool(user is not None and getattr(user, "is_staff",
                                                                                                  False))


def proposals_of_round(budget_round: BudgetRound, *, statuses: Sequence[str] | None = None,
                       public_only: bool = False) -> list[BudgetProposal]:
    """The round's proposals with their wijk and initiative, in one statement; by title."""
    query = (select(BudgetProposal).where(BudgetProposal.round_id == budget_round.id)
             .options(joinedload(BudgetProposal.wijk), joinedload(BudgetProposal.initiative))
             .order_by(BudgetProposal.title, BudgetProposal.id))
    if statuses is not None:
        query = query.where(BudgetProposal.status.in_(list(statuses)))
    if public_only:
        query = query.where((BudgetProposal.moderation == Moderation.OK)
                            | (BudgetProposal.status == ProposalStatus.ACCEPTED))
    return list(db.session.execute(query).scalars())


def ballot_proposals(budget_round: BudgetRound) -> list[BudgetProposal]:
    """What is on the ballot: the accepted proposals."""
    return proposals_of_round(budget_round, statuses=(ProposalStatus.ACCEPTED,))


def proposals_by(user: User, budget_round: BudgetRound) -> list[BudgetProposal]:
    """What this person sent in to this round (also those held for a check)."""
    return list(db.session.execute(
        select(BudgetProposal).where(BudgetProposal.round_id == budget_round.id,
                                     BudgetProposal.proposed_by_id == user.id)
        .order_by(BudgetProposal.created_at, BudgetProposal.id)
    ).scalars())


def initiatives_of(user: User) -> list[Initiative]:
    """The initiatives this person organises: a proposal may be sent in on behalf of one of them."""
    return list(db.session.execute(
        select(Initiative).join(InitiativeOrganiser, InitiativeOrganiser.initiative_id == Initiative.id)
        .where(InitiativeOrganiser.user_id == user.id).order_by(Initiative.name, Initiative.id)
    ).scalars())


def _check(author: User, budget_round: BudgetRound, data: ProposalData) -> None:
    if author.email_verified_at is None:
        raise NotAllowed("unverified")
    if not 1 <= data.cost <= budget_round.amount:
        raise NotAllowed("cost")
    if data.wijk is not None and data.wijk.stadsdeel_id != budget_round.stadsdeel_id:
        raise NotAllowed("wijk")
    if data.initiative is not None and not data.initiative.is_organiser(author):
        raise NotAllowed("initiative")


def _moderate(proposal: BudgetProposal, author: User, budget_round: BudgetRound) -> None:
    others = [f"{p.title} {p.summary}" for p in proposals_by(author, budget_round) if p.id != proposal.id]
    flags = check_text(f"{proposal.title}\n{proposal.summary}", others=others)
    proposal.moderation_flags = flags or None
    proposal.moderation = decide(flags)


def submit_proposal(author: User, budget_round: BudgetRound, data: ProposalData, today: date) -> BudgetProposal:
    """Send in a proposal while the round takes proposals. Its text is checked: one with personal data, a link or
    abuse waits for staff and is seen by its author and staff only. Raises NotAllowed("phase" | "unverified" |
    "cost" | "wijk" | "initiative" | "too_many")."""
    if budget_round.phase(today) != Phase.PROPOSALS:
        raise NotAllowed("phase")
    _check(author, budget_round, data)
    if len(proposals_by(author, budget_round)) >= MAX_PROPOSALS_PER_PERSON:
        raise NotAllowed("too_many")
    proposal = BudgetProposal(round_id=budget_round.id, round=budget_round, proposed_by_id=author.id,
                              status=ProposalStatus.SUBMITTED)
    _fill(proposal, data)
    _moderate(proposal, author, budget_round)
    db.session.add(proposal)
    db.session.flush()
    return proposal


def _fill(proposal: BudgetProposal, data: ProposalData) -> None:
    proposal.title = data.title.strip()
    proposal.summary = data.summary.strip()
    proposal.text_language = data.text_language
    proposal.cost = data.cost
    proposal.wijk_id = data.wijk.id if data.wijk is not None else None
    proposal.wijk = data.wijk
    proposal.initiative_id = data.initiative.id if data.initiative is not None else None
    proposal.initiative = data.initiative


def edit_proposal(author: User, proposal: BudgetProposal, data: ProposalData, today: date) -> None:
    """The author changes their proposal while it waits for the check and the round takes proposals."""
    budget_round = proposal.round
    if proposal.proposed_by_id != author.id:
        raise NotAllowed("author")
    if proposal.status != ProposalStatus.SUBMITTED or budget_round.phase(today) != Phase.PROPOSALS:
        raise NotAllowed("phase")
    _check(author, budget_round, data)
    _fill(proposal, data)
    _moderate(proposal, author, budget_round)
    db.session.flush()


def is_new_initiative(proposal: BudgetProposal) -> bool:
    """Counts for the share kept for new initiatives: a resident's own idea, or an initiative that is no
    (established, subsidised) organisation and had no proposal funded in an earlier round."""
    initiative = proposal.initiative
    if initiative is None:
        return True
    if initiative.is_organisation:
        return False
    funded_before = db.session.execute(
        select(BudgetProposal.id).join(BudgetRound, BudgetRound.id == BudgetProposal.round_id)
        .where(BudgetProposal.initiative_id == initiative.id, BudgetProposal.funded_via.is_not(None),
               BudgetProposal.round_id != proposal.round_id, BudgetRound.counted_at.is_not(None)).limit(1)
    ).first()
    return funded_before is None


def _decide(proposal: BudgetProposal, today: date, from_statuses: Sequence[str], **values: object) -> bool:
    """A conditional UPDATE: only from these statuses and only before voting starts. False when someone else
    decided first (or voting started)."""
    if proposal.round.phase(today) not in (Phase.UPCOMING, Phase.PROPOSALS, Phase.REVIEW):
        raise NotAllowed("phase")
    result = db.session.execute(
        update(BudgetProposal)
        .where(BudgetProposal.id == proposal.id, BudgetProposal.status.in_(list(from_statuses)))
        .values(**values, updated_at=utcnow())
        .execution_options(synchronize_session=False))
    changed = bool(getattr(result, "rowcount", 0))
    db.session.refresh(proposal)
    return changed


def accept(actor: User, proposal: BudgetProposal, today: date) -> bool:
    """Staff judged it feasible: it goes on the ballot (its text is fine too: a hold is lifted). False when it was
    decided already."""
    done = _decide(proposal, today, (ProposalStatus.SUBMITTED,), status=ProposalStatus.ACCEPTED,
                   moderation=Moderation.OK, decision_reason="", decided_at=utcnow(), decided_by_id=actor.id,
                   is_new_initiative=is_new_initiative(proposal))
    if done:
        log_action(actor, ACCEPT, "budget_proposal", proposal.public_id, cost=proposal.cost)
        notify(proposal.proposed_by_id, "budget_plan_accepted", title=proposal.title, plan=proposal.public_id)
    return done


def reject(actor: User, proposal: BudgetProposal, reason: str, today: date) -> bool:
    """Staff judged it not feasible, with a reason everyone can read on the proposal's page (a proposal held for
    personal data stays held: only its author sees it). False when it was decided already."""
    done = _decide(proposal, today, (ProposalStatus.SUBMITTED,), status=ProposalStatus.REJECTED,
                   decision_reason=reason.strip(), decided_at=utcnow(), decided_by_id=actor.id)
    if done:
        log_action(actor, REJECT, "budget_proposal", proposal.public_id)
        notify(proposal.proposed_by_id, "budget_plan_rejected", title=proposal.title, plan=proposal.public_id,
               reason=proposal.decision_reason)
    return done


def undo_decision(actor: User, proposal: BudgetProposal, today: date) -> bool:
    """Back to "waiting for the check", before voting starts (a decision made by mistake)."""
    done = _decide(proposal, today, (ProposalStatus.ACCEPTED, ProposalStatus.REJECTED),
                   status=ProposalStatus.SUBMITTED, decision_reason="", decided_at=None, decided_by_id=None,
                   is_new_initiative=False)
    if done:
        log_action(actor, UNDO_DECISION, "budget_proposal", proposal.public_id)
    return done


def reason_has_personal_data(reason: str) -> bool:
    """A public reason must not name or point at a person."""
    return bool(set(check_text(reason)) & PERSONAL_DATA)


def record_outcome(actor: User, proposal: BudgetProposal, text: str) -> None:
    """What a funded proposal achieved, in the words of its author, an organiser or staff. Public: a text with
    personal data, a link or abuse is refused (NotAllowed("text"))."""
    if not proposal.is_funded:
        raise NotAllowed("not_funded")
    if not (is_author(actor, proposal) or actor.is_staff):
        raise NotAllowed("author")
    if check_text(text):
        raise NotAllowed("text")
    proposal.outcome = text.strip()
    proposal.outcome_at = utcnow()
