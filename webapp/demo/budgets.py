"""District budgets in the demo: per stadsdeel a round counted last year (its funded plans paid out, some telling
what the money did) and a round being voted on now, each with plans (from residents and from the demo initiatives
of that stadsdeel, one that staff found not feasible) and ballots of a quarter of its residents, two of them
entered by staff for residents without an account. `flask --app webapp demo seed` runs it after the staff work.

Deterministic: the same demo database, seed and date give the same rounds, plans, voters, choices and results. The
sealed ballots and the counted ballots' ids are random, as they must be (docs/BUDGETS.md). The demo log-ins have not
voted, so they can try it themselves. Runs once (does nothing when a round exists).
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from random import Random
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session, scoped_session

from webapp.accounts.models import User, UserRole
from webapp.budgets import counting, sealing
from webapp.budgets.models import (
    BudgetIntake,
    BudgetProposal,
    BudgetRound,
    BudgetVoter,
    ProposalStatus,
)
from webapp.core.ids import utcnow
from webapp.core.moderation import Moderation
from webapp.core.reference.models import Stadsdeel, Wijk
from webapp.demo.generator import DEMO_DOMAIN, SEED, fixed_now
from webapp.initiatives.models import Initiative, InitiativeOrganiser, initiative_wijken

AnySession = Session | scoped_session[Any]
SEED_OFFSET = 4099  # a random generator of its own: the older demo records do not change
FIXED_ACCOUNTS = ("inwoner", "vrijwilliger", "organisator", "consulent", "beheer")
VOTER_SHARE = 0.25

# Plans residents send in: (title, what and for whom, cost in euros).
PLANS: tuple[tuple[str, str, int], ...] = (
    ("Bankjes en schaduw bij de speeltuin", "Drie bankjes en twee bomen bij de speeltuin, zodat ouders, opa's en "
     "oma's kunnen zitten terwijl de kinderen spelen.", 4_500),
    ("Buurtkast voor boeken en spullen", "Een kast op het pleintje waar buren boeken, spelletjes en kleine spullen "
     "brengen en halen. Wij houden hem schoon.", 900),
    ("Moestuinbakken bij de flat", "Zes grote bakken om samen groente en kruiden te kweken, met gereedschap en een "
     "regenton. Iedereen uit de flat mag meedoen.", 3_200),
    ("Koffieochtend voor ouderen", "Elke week een ochtend koffie en een praatje in het buurthuis, met vervoer voor "
     "wie slecht ter been is. Het geld is voor koffie, koek en de bus.", 2_400),
    ("Zomerfeest op het plein", "Een middag met muziek, eten uit alle keukens van de buurt en spelletjes voor de "
     "kinderen. Het geld is voor een tent, geluid en tafels.", 5_000),
    ("Tienerhonk: een plek voor jongeren", "Een ruimte met een bank, een spelcomputer en thee waar tieners na "
     "school terecht kunnen, met twee vaste vrijwilligers.", 7_500),
    ("Opknapdag groenstrook", "Met de buurt de groenstrook opknappen: bloembollen, een insectenhotel en nieuwe "
     "struiken. Het geld is voor planten en gereedschap.", 1_800),
    ("Taalmaatjes: materiaal en uitjes", "Lesboeken, koffie en twee uitjes voor de taalmaatjes en de nieuwe "
     "Haarlemmers met wie zij Nederlands oefenen.", 1_500),
    ("Repair café: gereedschap", "Een soldeerstation, naaimachine en fietsgereedschap, zodat we meer spullen kunnen "
     "repareren in plaats van weggooien.", 2_100),
    ("Beweegtuin voor alle leeftijden", "Vier toestellen om buiten te bewegen, geschikt voor ouderen en mensen met "
     "een rollator, bij het grasveld.", 14_000),
    ("Buurtkeuken: een kookcursus", "Tien avonden samen koken met weinig geld, voor buren die alleen wonen of het "
     "krap hebben. Het geld is voor boodschappen en de zaal.", 2_800),
    ("Verlichting op het looppad", "Lampen langs het donkere looppad naar de bushalte, zodat buren zich 's avonds "
     "veiliger voelen.", 11_000),
)
NOT_FEASIBLE = "De grond is van de provincie; de gemeente mag daar niets neerzetten. Praat met de buurtmakelaar " \
               "over een andere plek."
OUTCOMES = (
    "Het is gelukt! Sinds het voorjaar komen er elke week buren. We hebben nieuwe mensen leren kennen.",
    "Alles is gekocht en staat er. Kinderen en ouders gebruiken het elke dag; we onderhouden het samen.",
    "Het geld is op en goed besteed. Er kwamen meer mensen dan we dachten, volgend jaar doen we het weer.",
)


@dataclass(frozen=True)
class _Area:
    stadsdeel: Stadsdeel
    wijken: list[Wijk]
    residents: list[int]  # user ids with a confirmed address, not the demo log-ins
    walk_ins: list[int]  # residents without an account
    initiatives: list[tuple[int, int]]  # (initiative id, an organiser's user id)


def budgets_present(session: AnySession) -> bool:
    return session.execute(select(func.count()).select_from(BudgetRound)).scalar_one() > 0


def seed_budgets(session: AnySession, key: bytes, *, seed: int = SEED, today: date | None = None) -> str:
    """Add the district budgets to a demo database; return a one-line summary ("" when there is no demo data)."""
    consulent = session.execute(select(User).where(User.email == f"consulent@{DEMO_DOMAIN}")).scalar_one_or_none()
    if consulent is None:
        return ""
    if budgets_present(session):
        return "District budget demo data already present."
    rng = Random(seed + SEED_OFFSET)
    day = fixed_now(today or utcnow().date()).date()
    rounds = proposals = ballots = 0
    for area in _areas(session):
        for closed in (True, False):
            plans, voters = _round(session, rng, key, area, consulent, day, closed=closed)
            rounds, proposals, ballots = rounds + 1, proposals + plans, ballots + voters
    session.flush()
    return (f"District budgets: {rounds} rounds (one counted, one being voted on, per stadsdeel), {proposals} plans, "
            f"{ballots} ballots.")


def _areas(session: AnySession) -> list[_Area]:
    fixed = select(User.id).where(User.email.in_([f"{n}@{DEMO_DOMAIN}" for n in FIXED_ACCOUNTS]))
    areas = []
    for stadsdeel in session.execute(select(Stadsdeel).order_by(Stadsdeel.id)).scalars():
        wijken = list(session.execute(select(Wijk).where(Wijk.stadsdeel_id == stadsdeel.id).order_by(Wijk.code))
                      .scalars())
        ids = [w.id for w in wijken]
        residents = list(session.execute(
            select(User.id).join(UserRole, UserRole.user_id == User.id)
            .where(UserRole.role == "resident", User.wijk_id.in_(ids), User.email_verified_at.is_not(None),
                   User.is_blocked.is_(False), User.id.not_in(fixed)).order_by(User.id)).scalars())
        walk_ins = list(session.execute(
            select(User.id).where(User.email.is_(None), User.password_hash.is_(None), User.wijk_id.in_(ids))
            .order_by(User.id).limit(2)).scalars())
        initiatives = list(session.execute(
            select(Initiative.id, func.min(InitiativeOrganiser.user_id))
            .join(initiative_wijken, initiative_wijken.c.initiative_id == Initiative.id)
            .join(InitiativeOrganiser, InitiativeOrganiser.initiative_id == Initiative.id)
            .where(initiative_wijken.c.wijk_id.in_(ids)).group_by(Initiative.id).order_by(Initiative.id)).all())
        areas.append(_Area(stadsdeel, wijken, residents, walk_ins, [(i, o) for i, o in initiatives]))
    return areas


def _public_id(rng: Random) -> str:
    return base64.urlsafe_b64encode(rng.randbytes(9)).decode("ascii")


def _round(session: AnySession, rng: Random, key: bytes, area: _Area, consulent: User, day: date, *,
           closed: bool) -> tuple[int, int]:
    year = day.year - 1 if closed else day.year
    start = day - timedelta(days=400 if closed else 40)
    amount = rng.choice((15_000, 20_000, 25_000, 30_000))
    budget_round = BudgetRound(
        public_id=_public_id(rng), stadsdeel_id=area.stadsdeel.id, cycle=str(year),
        title=f"Wijkbudget {area.stadsdeel.name} {year}",
        description=(f"Geld voor plannen van bewoners die {area.stadsdeel.name} mooier, groener en gezelliger "
                     "maken. Minstens 10 procent gaat naar nieuwe initiatieven van bewoners."),
        amount=amount, new_share_percent=10, min_choices=1, proposals_from=start,
        proposals_until=start + timedelta(days=20), voting_from=start + timedelta(days=35),
        voting_until=start + timedelta(days=49 if closed else 54), created_by_id=consulent.id,
        created_at=datetime.combine(start, datetime.min.time()) - timedelta(days=7))
    session.add(budget_round)
    session.flush()
    plans = _plans(session, rng, area, budget_round, amount)
    accepted = [p for p in plans if p.status == ProposalStatus.ACCEPTED]
    voters = _ballots(session, rng, key, area, budget_round, accepted, consulent)
    if closed:
        counting.count(None, budget_round, budget_round.voting_until + timedelta(days=1), key, announce=False)
        budget_round.counted_at = datetime.combine(budget_round.voting_until + timedelta(days=1),
                                                   datetime.min.time()) + timedelta(hours=10)
        budget_round.counted_by_id = consulent.id
        for number, plan in enumerate(p for p in accepted if p.funded_via is not None):
            if plan.need is not None:
                plan.need.amount_received = plan.cost if number % 3 != 2 else plan.cost // 2
            if number % 2 == 0:
                plan.outcome = OUTCOMES[number % len(OUTCOMES)]
                plan.outcome_at = budget_round.counted_at + timedelta(days=120 + number)
    return len(plans), voters


def _plans(session: AnySession, rng: Random, area: _Area, budget_round: BudgetRound,
           amount: int) -> list[BudgetProposal]:
    chosen = rng.sample(PLANS, k=7)
    sources = list(area.initiatives)
    rng.shuffle(sources)
    made = []
    for number, (title, summary, cost) in enumerate(chosen):
        from_initiative = sources[number] if number < min(3, len(sources)) else None
        author = from_initiative[1] if from_initiative else (
            area.residents[rng.randrange(len(area.residents))] if area.residents else None)
        rejected = number == len(chosen) - 1
        sent_in = datetime.combine(budget_round.proposals_from, datetime.min.time()) + timedelta(
            days=rng.randrange(0, 20), hours=rng.randrange(8, 22))
        plan = BudgetProposal(
            public_id=_public_id(rng), round_id=budget_round.id, round=budget_round, title=title, summary=summary,
            cost=min(cost, amount), wijk_id=area.wijken[rng.randrange(len(area.wijken))].id if number % 2 else None,
            initiative_id=from_initiative[0] if from_initiative else None, proposed_by_id=author,
            status=ProposalStatus.REJECTED if rejected else ProposalStatus.ACCEPTED, moderation=Moderation.OK,
            decision_reason=NOT_FEASIBLE if rejected else "", decided_at=sent_in + timedelta(days=14),
            created_at=sent_in, updated_at=sent_in)
        session.add(plan)
        made.append(plan)
    session.flush()
    organisations = set(session.execute(select(Initiative.id).where(Initiative.is_organisation.is_(True))).scalars())
    for plan in made:  # new initiative: a resident's own idea, or an initiative that is no organisation
        plan.is_new_initiative = plan.initiative_id is None or plan.initiative_id not in organisations
    return made


def _choice(rng: Random, plans: Sequence[BudgetProposal], amount: int, popularity: dict[int, float]) -> list[int]:
    """A voter's choice: plans in an order that favours the popular ones, taken while they fit (knapsack)."""
    order = sorted(plans, key=lambda p: -popularity[p.id] * rng.random())
    chosen: list[int] = []
    left = amount
    for plan in order:
        if plan.cost <= left and (not chosen or rng.random() < 0.7):
            chosen.append(plan.id)
            left -= plan.cost
    return chosen


def _ballots(session: AnySession, rng: Random, key: bytes, area: _Area, budget_round: BudgetRound,
             plans: Sequence[BudgetProposal], consulent: User) -> int:
    if not plans:
        return 0
    popularity = {p.id: rng.uniform(0.3, 1.0) for p in plans}
    voters = [u for u in area.residents if rng.random() < VOTER_SHARE]
    wijk_of = dict(session.execute(select(User.id, User.wijk_id).where(User.id.in_(voters + area.walk_ins))).all())
    rows = [{"round_id": budget_round.id, "user_id": user_id, "cycle": budget_round.cycle,
             "wijk_id": wijk_of[user_id], "by_intake": user_id in area.walk_ins,
             "sealed": sealing.seal(key, f"round:{budget_round.id}/voter:{user_id}",
                                    _choice(rng, plans, budget_round.amount, popularity))}
            for user_id in voters + area.walk_ins]
    for start in range(0, len(rows), 2000):
        session.execute(insert(BudgetVoter), rows[start:start + 2000])
    for user_id in area.walk_ins:  # entered by staff, with the resident's consent
        session.add(BudgetIntake(round_id=budget_round.id, resident_id=user_id, staff_id=consulent.id,
                                 consent_how=rng.choice(("phone", "in_person", "paper")), consent_given_by="resident",
                                 consent_on=budget_round.voting_from + timedelta(days=2),
                                 created_at=datetime.combine(budget_round.voting_from, datetime.min.time())
                                 + timedelta(days=2, hours=11)))
    return len(rows)
