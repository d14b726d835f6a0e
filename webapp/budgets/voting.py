"""Voting in a district budget: who may vote, checking a ballot against the budget (knapsack: the chosen proposals'
costs add up to at most the round's amount), casting and changing it, and staff entering a ballot for a resident
without an account, with the resident's consent.

One ballot per person per round and per cycle, guarded by the keys of `budget_voters`; the ballot itself is sealed
(`sealing.py`), so nobody reading the database learns what a person chose (docs/BUDGETS.md).
"""

from __future__ import annotations

import typing
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import exists, func, literal, select, update
from sqlalchemy.orm import joinedload

from webapp.accounts.models import User
from webapp.budgets import sealing
from webapp.budgets.models import BudgetIntake, BudgetProposal, BudgetRound, BudgetVoter, Phase
from webapp.budgets.services import NotAllowed, ballot_proposals
from webapp.core.access import Role
from webapp.core.audit import log_action
from webapp.core.database import conflict_insert
from webapp.core.extensions import db
from webapp.core.moderation import normalise
from webapp.core.reference.models import Wijk
from webapp.core.reference.services import PostcodeError, normalise_postcode

CONSENT_HOW = ("phone", "in_person", "paper")
CONSENT_BY = ("resident", "family", "carer", "other")
INTAKE_BALLOT = "budget_intake_ballot"  # audit log action: a staff member entered a ballot for a resident


def why_not_eligible(user: User, budget_round: BudgetRound, *, by_staff: bool = False) -> str | None:
    """None when this person may vote in this round; otherwise a reason word: "blocked", "unverified" (the e-mail
    address is not confirmed; not asked of residents taken in by staff), "no_wijk", "elsewhere" (they live in
    another stadsdeel)."""
    if user.is_blocked:
        return "blocked"
    if not by_staff and user.email_verified_at is None:
        return "unverified"
    if user.wijk_id is None or user.wijk is None:
        return "no_wijk"
    if user.wijk.stadsdeel_id != budget_round.stadsdeel_id:
        return "elsewhere"
    return None


@dataclass(frozen=True)
class Tally:
    """A ballot as chosen, checked against the round: what it costs and what is left."""

    chosen: list[BudgetProposal]
    total: int
    left: int
    problem: str | None  # None, "too_few", "over_budget"


def tally(budget_round: BudgetRound, on_ballot: Sequence[BudgetProposal], chosen_ids: Iterable[str]) -> Tally:
    """Check the chosen public ids against what is on the ballot. An id that is not on it is refused as a whole
    (NotAllowed("unknown")): a crafted form, or a page from before a change."""
    wanted = set(chosen_ids)
    by_id = {p.public_id: p for p in on_ballot}
    if not wanted <= set(by_id):
        raise NotAllowed("unknown")
    chosen = [p for p in on_ballot if p.public_id in wanted]
    total = sum(p.cost for p in chosen)
    problem = ("over_budget" if total > budget_round.amount else
               "too_few" if len(chosen) < budget_round.min_choices else None)
    return Tally(chosen, total, budget_round.amount - total, problem)


def _context(budget_round: BudgetRound, user_id: int) -> str:
    return f"round:{budget_round.id}/voter:{user_id}"


def _lock_open(budget_round: BudgetRound, today: date) -> None:
    """Hold the round (FOR SHARE on PostgreSQL) until this ballot is saved, and check it is still being voted on: the
    count takes the round exclusively first, so a ballot is either in the count or refused, never lost."""
    counted_at = db.session.execute(
        select(BudgetRound.counted_at).where(BudgetRound.id == budget_round.id).with_for_update(read=True)
    ).scalar_one()
    if counted_at is not None or budget_round.phase(today) != Phase.VOTING:
        raise NotAllowed("phase")


def _save(budget_round: BudgetRound, user: User, wijk: Wijk, sealed: bytes, *, by_intake: bool) -> str:
    """Insert the voter row, or replace their sealed ballot. Returns "cast" or "changed".

    Both statements write only while the round is not counted, checked inside the statement itself: on SQLite the
    earlier check ran outside a transaction (pysqlite starts one at the first write), and a count may have committed
    since; a statement that writes is serialised with the count's own write."""
    still_open = exists().where(BudgetRound.id == budget_round.id, BudgetRound.counted_at.is_(None))
    values = {"round_id": budget_round.id, "user_id": user.id, "cycle": budget_round.cycle, "wijk_id": wijk.id,
              "by_intake": by_intake, "sealed": sealed}
    inserted = db.session.execute(
        conflict_insert(BudgetVoter.__table__, db.session.get_bind())
        .from_select(list(values), select(*(literal(v, type_=BudgetVoter.__table__.c[k].type)
                                            for k, v in values.items())).where(still_open))
        .on_conflict_do_nothing()
        .returning(BudgetVoter.user_id)
    ).first()
    if inserted is not None:
        return "cast"
    changed = db.session.execute(
        update(BudgetVoter)
        .where(BudgetVoter.round_id == budget_round.id, BudgetVoter.user_id == user.id,
               BudgetVoter.counted.is_(None), still_open)
        .values(sealed=sealed, wijk_id=wijk.id)
        .execution_options(synchronize_session=False)
    )
    if getattr(changed, "rowcount", 0):
        return "changed"
    if db.session.execute(select(still_open)).scalar():
        raise NotAllowed("other_round")  # they voted in another stadsdeel's round of this cycle
    raise NotAllowed("phase")  # counted in the meantime


def cast(user: User, budget_round: BudgetRound, chosen_ids: Iterable[str], today: date, key: bytes, *,
         by_intake: bool = False) -> tuple[str, Tally]:
    """Cast or change this person's ballot. Returns ("cast" | "changed", the tally). Raises NotAllowed("phase" |
    "blocked" | "unverified" | "no_wijk" | "elsewhere" | "unknown" | "other_round"), or NotAllowed with the tally's
    problem ("too_few" | "over_budget") — the server checks the budget whatever the page sent."""
    if budget_round.phase(today) != Phase.VOTING:
        raise NotAllowed("phase")
    reason = why_not_eligible(user, budget_round, by_staff=by_intake)
    if reason is not None:
        raise NotAllowed(reason)
    result = tally(budget_round, ballot_proposals(budget_round), chosen_ids)
    if result.problem is not None:
        raise NotAllowed(result.problem)
    _lock_open(budget_round, today)
    assert user.wijk is not None
    sealed = sealing.seal(key, _context(budget_round, user.id), (p.id for p in result.chosen))
    return _save(budget_round, user, user.wijk, sealed, by_intake=by_intake), result


@dataclass(frozen=True)
class MyBallot:
    has_voted: bool
    chosen_ids: frozenset[str]  # public ids; empty after the count (the sealed copy is gone)
    readable: bool = True  # False: sealed with another key (see docs/BUDGETS.md); the person can vote again


def my_ballot(user: User | None, budget_round: BudgetRound, key: bytes) -> MyBallot:
    """What this person chose, for their own eyes only (to show the ballot again so they can change it)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return MyBallot(False, frozenset())
    row = db.session.get(BudgetVoter, (budget_round.id, user.id))
    if row is None:
        return MyBallot(False, frozenset())
    if row.sealed is None:
        return MyBallot(True, frozenset())
    try:
        ids = set(sealing.unseal(key, _context(budget_round, user.id), row.sealed))
    except sealing.Unreadable:
        return MyBallot(True, frozenset(), readable=False)
    public_ids = db.session.execute(
        select(BudgetProposal.public_id).where(BudgetProposal.id.in_(ids), BudgetProposal.round_id == budget_round.id)
    ).scalars()
    return MyBallot(True, frozenset(public_ids))


def voted_elsewhere(user: User, budget_round: BudgetRound) -> BudgetRound | None:
    """The round of the same cycle in another stadsdeel this person voted in, if any."""
    return db.session.execute(
        select(BudgetRound).join(BudgetVoter, BudgetVoter.round_id == BudgetRound.id)
        .where(BudgetVoter.user_id == user.id, BudgetVoter.cycle == budget_round.cycle,
               BudgetRound.id != budget_round.id).options(joinedload(BudgetRound.stadsdeel)).limit(1)
    ).scalar_one_or_none()


def voter_count(budget_round: BudgetRound) -> int:
    """How many people voted so far (for staff during voting; the public sees turnout after the count)."""
    return int(db.session.execute(
        select(func.count()).select_from(BudgetVoter).where(BudgetVoter.round_id == budget_round.id)
    ).scalar_one())


# -- staff enter a ballot for a resident without an account ------------------------------------------------------------

@dataclass(frozen=True)
class ResidentData:
    first_name: str
    last_name: str
    postcode: str
    wijk: Wijk


@dataclass(frozen=True)
class Consent:
    how: str  # phone, in_person, paper
    given_by: str  # resident, family, carer, other
    on: date
    note: str = ""


def walk_in_residents(budget_round: BudgetRound, limit: int = 300) -> list[User]:
    """Residents without an account (no e-mail, no password) who live in the round's stadsdeel, by name."""
    return list(db.session.execute(
        select(User).join(Wijk, Wijk.id == User.wijk_id)
        .where(User.email.is_(None), User.password_hash.is_(None), User.is_blocked.is_(False),
               Wijk.stadsdeel_id == budget_round.stadsdeel_id)
        .order_by(User.first_name, User.last_name, User.id).limit(limit)
    ).scalars())


def likely_duplicates(first_name: str, last_name: str, postcode: str) -> list[User]:
    """People with the same first and last name and postcode: perhaps the same person. Staff judge; the page warns.
    Compared without case, accents or extra spaces."""
    first, last = normalise(first_name), normalise(last_name)
    try:
        code = normalise_postcode(postcode)
    except PostcodeError:
        return []
    if not first:
        return []
    candidates = db.session.execute(select(User).where(User.postcode == code).limit(2000)).scalars()
    return [u for u in candidates if normalise(u.first_name) == first and normalise(u.last_name) == last]


def cast_for_resident(actor: User, budget_round: BudgetRound, resident: User | ResidentData, consent: Consent,
                      chosen_ids: Iterable[str], today: date, key: bytes) -> tuple[User, str, Tally]:
    """A staff member enters the ballot a resident without an account chose (by phone, in person, on paper), with
    the consent trail the request intake keeps. A new resident gets a record without e-mail or password, as the
    request intake makes it. Raises NotAllowed("has_account" | "consent" | the reasons of `cast`)."""
    if consent.how not in CONSENT_HOW or consent.given_by not in CONSENT_BY:
        raise NotAllowed("consent")
    if isinstance(resident, ResidentData):
        new = typing.cast(ResidentData, resident)  # mypy cannot narrow a union with a model (its base is untyped)
        if new.wijk.stadsdeel_id != budget_round.stadsdeel_id:
            raise NotAllowed("elsewhere")
        person = User(email=None, password_hash=None, first_name=new.first_name.strip(),
                      last_name=new.last_name.strip(), postcode=new.postcode.strip().upper(), wijk=new.wijk,
                      wijk_id=new.wijk.id, locale="nl")
        person.add_role(Role.RESIDENT)
    else:
        person = typing.cast(User, resident)
        if person.email is not None or person.password_hash is not None:
            raise NotAllowed("has_account")  # people with an account vote themselves
    if budget_round.phase(today) != Phase.VOTING:  # before a new person is stored
        raise NotAllowed("phase")
    with db.session.begin_nested():  # a refused ballot leaves no new resident behind
        db.session.add(person)
        db.session.flush()
        outcome, result = cast(person, budget_round, chosen_ids, today, key, by_intake=True)
    db.session.add(BudgetIntake(round_id=budget_round.id, resident_id=person.id, staff_id=actor.id,
                                consent_how=consent.how, consent_given_by=consent.given_by, consent_on=consent.on,
                                note=consent.note.strip()))
    log_action(actor, INTAKE_BALLOT, "budget_round", budget_round.public_id, resident=person.public_id,
               consent_how=consent.how, consent_given_by=consent.given_by, changed=outcome == "changed")
    return person, outcome, result


def intakes_of_round(budget_round: BudgetRound, limit: int = 200) -> list[BudgetIntake]:
    """The consent trail of the round's intake ballots, newest first (never what was chosen)."""
    return list(db.session.execute(
        select(BudgetIntake).where(BudgetIntake.round_id == budget_round.id)
        .options(joinedload(BudgetIntake.resident), joinedload(BudgetIntake.staff))
        .order_by(BudgetIntake.created_at.desc(), BudgetIntake.id.desc()).limit(limit)
    ).scalars())
