"""Factories for district budget tests: each runs in its own app context and returns plain snapshots.

`budget_round(make, staff, phase)` opens a round whose dates put it in that phase today; `proposal(...)` adds a plan
in any status (straight into the table: the phases' rules are tested through the web); `vote(...)` casts a ballot
through the service, with the app's ballot key.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask import Flask
from sqlalchemy import select

from tests.factories import snapshot
from webapp.accounts.models import User
from webapp.budgets import counting, sealing, services, voting
from webapp.budgets.models import BudgetProposal, BudgetRound, ProposalStatus
from webapp.core.extensions import db
from webapp.core.reference.models import Stadsdeel, Wijk
from webapp.initiatives.models import Initiative

ROUND_FIELDS = ("id", "public_id", "title", "amount", "cycle", "stadsdeel_id")
PROPOSAL_FIELDS = ("id", "public_id", "title", "cost", "status")
# Days relative to today: (proposals from, proposals until, voting from, voting until).
PHASE_DATES = {
    "upcoming": (5, 10, 15, 20),
    "proposals": (-1, 5, 7, 14),
    "review": (-10, -2, 2, 10),
    "voting": (-20, -10, -1, 7),
    "counting": (-30, -20, -10, -1),
}


def key_of(app: Flask) -> bytes:
    return sealing.ballot_key(app.config.get("BALLOT_KEY") or app.config["SECRET_KEY"])


def _user(person: Any) -> User:
    user = db.session.get(User, person.id)
    assert user is not None
    return user


def stadsdeel(name: str) -> Stadsdeel:
    return db.session.execute(select(Stadsdeel).where(Stadsdeel.name == name)).scalar_one()


def wijk(code: str) -> Wijk:
    return db.session.execute(select(Wijk).where(Wijk.code == code)).scalar_one()


def dates(phase: str, today: date | None = None) -> dict[str, date]:
    day = today or date.today()
    a, b, c, d = (day + timedelta(days=n) for n in PHASE_DATES[phase])
    return {"proposals_from": a, "proposals_until": b, "voting_from": c, "voting_until": d}


def budget_round(make: Any, staff: Any, phase: str = "voting", *, name: str = "Schalkwijk", amount: int = 10_000,
                 share: int = 10, min_choices: int = 1, cycle: str = "2027", title: str | None = None) -> Any:
    def build() -> Any:
        data = services.RoundData(stadsdeel=stadsdeel(name), cycle=cycle, title=title or f"Wijkbudget {name} {cycle}",
                                  description="Geld voor plannen die de buurt beter maken.", amount=amount,
                                  new_share_percent=share, min_choices=min_choices, **dates(phase))
        row = services.open_round(_user(staff), data)
        db.session.commit()
        return snapshot(row, *ROUND_FIELDS)
    return make.run(build)


def proposal(make: Any, author: Any, round_: Any, *, title: str = "Bankjes in het park", cost: int = 2_000,
             status: str = ProposalStatus.ACCEPTED, initiative: Any = None, wijk_code: str | None = None,
             summary: str = "Drie bankjes en schaduw bij de speeltuin, voor ouderen en ouders.",
             moderation: str = "ok", is_new: bool | None = None) -> Any:
    def build() -> Any:
        row = BudgetProposal(round_id=round_.id, title=title, summary=summary, cost=cost, status=status,
                             proposed_by_id=author.id if author is not None else None,
                             initiative_id=initiative.id if initiative is not None else None,
                             wijk_id=wijk(wijk_code).id if wijk_code else None, moderation=moderation)
        db.session.add(row)
        db.session.flush()
        if status == ProposalStatus.ACCEPTED:
            db.session.refresh(row)
            row.is_new_initiative = services.is_new_initiative(row) if is_new is None else is_new
        db.session.commit()
        return snapshot(row, *PROPOSAL_FIELDS)
    return make.run(build)


def vote(make: Any, person: Any, round_: Any, *plans: Any) -> str:
    def cast() -> str:
        row = db.session.get(BudgetRound, round_.id)
        assert row is not None
        outcome, _tally = voting.cast(_user(person), row, [p.public_id for p in plans], date.today(),
                                      key_of(make.app))
        db.session.commit()
        return outcome
    return make.run(cast)


def count(make: Any, staff: Any, round_: Any) -> counting.CountResult:
    def run() -> counting.CountResult:
        row = db.session.get(BudgetRound, round_.id)
        assert row is not None
        result = counting.count(_user(staff) if staff is not None else None, row, date.today(), key_of(make.app))
        db.session.commit()
        return result
    return make.run(run)


def set_round(make: Any, round_: Any, **values: Any) -> None:
    def run() -> None:
        row = db.session.get(BudgetRound, round_.id)
        assert row is not None
        for name, value in values.items():
            setattr(row, name, value)
        db.session.commit()
    make.run(run)


def to_phase(make: Any, round_: Any, phase: str) -> None:
    set_round(make, round_, **dates(phase))


def initiative_row(make: Any, public_id: str) -> Initiative | None:
    return make.run(lambda: db.session.execute(select(Initiative).where(Initiative.public_id == public_id))
                    .scalar_one_or_none())
