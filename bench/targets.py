"""Print, as JSON, what the load test needs from a seeded database: public ids to visit and accounts to log in.

Run with the app's environment (DATABASE_URL etc.): `.venv/bin/python bench/targets.py`.
"""

from __future__ import annotations

import json
import random

from sqlalchemy import select

from webapp import create_app
from webapp.accounts.models import User, UserRole, VolunteerProfile
from webapp.asks.models import HelpRequest, RequestStatus
from webapp.budgets.models import BudgetRound
from webapp.core.extensions import db
from webapp.initiatives.models import Initiative
from webapp.offers.models import Offer

SAMPLE = 200


def sample(rows: list[str], k: int = SAMPLE) -> list[str]:
    return random.Random(7).sample(rows, min(k, len(rows)))


def collect() -> dict[str, list[str]]:
    """The targets, read inside an app context (bench/profile_pages.py uses the same accounts and ids)."""
    scalars = lambda query: [str(v) for v in db.session.execute(query).scalars()]  # noqa: E731
    open_requests = scalars(select(HelpRequest.public_id).where(
        HelpRequest.status == RequestStatus.OPEN, HelpRequest.needs_screening.is_(False),
        HelpRequest.offer_id.is_(None), HelpRequest.moderation == "ok",
        HelpRequest.requester_id.not_in(select(User.id).where(User.is_blocked.is_(True)))))
    targets = {
        "requests": sample(open_requests),
        "offers": sample(scalars(select(Offer.public_id).join(User, User.id == Offer.volunteer_id).where(
            Offer.status == "open", Offer.moderation == "ok", User.is_blocked.is_(False)))),
        "initiatives": sample(scalars(select(Initiative.public_id))),
        "budget_rounds": scalars(select(BudgetRound.public_id).where(BudgetRound.counted_at.is_(None))),
        "budget_results": scalars(select(BudgetRound.public_id).where(BudgetRound.counted_at.is_not(None))),
        "volunteers": sample(scalars(
            select(User.email).join(VolunteerProfile, VolunteerProfile.user_id == User.id)
            .where(User.email.is_not(None), VolunteerProfile.is_screened.is_(True)))),
        "residents": sample(scalars(
            select(User.email).join(UserRole, UserRole.user_id == User.id)
            .where(User.email.like("bewoner%"), UserRole.role == "resident"))),
        "staff": scalars(select(User.email).join(UserRole, UserRole.user_id == User.id)
                         .where(UserRole.role == "staff", User.email.is_not(None))),
    }
    return targets


def main() -> None:
    app = create_app()
    with app.app_context():
        print(json.dumps(collect()))


if __name__ == "__main__":
    main()
