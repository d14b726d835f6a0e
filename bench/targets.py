"""Print, as JSON, what the load test needs from a seeded database: public ids to visit and accounts to log in.

Run with the app's environment (DATABASE_URL etc.): `.venv/bin/python bench/targets.py`.
"""

from __future__ import annotations

import json
import random

from sqlalchemy import func, select

from webapp import create_app
from webapp.accounts.models import User, UserRole, VolunteerProfile
from webapp.asks.models import HelpRequest, RequestStatus
from webapp.budgets.models import BudgetRound
from webapp.core.extensions import db
from webapp.initiatives.models import Initiative, InitiativeNeed, InitiativeOrganiser, NeedSignup
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
    targets.update(organiser_pages())
    return targets


def organiser_pages() -> dict[str, list[str]]:
    """One organiser (with a password) and the applicants pages of their needs that have sign-ups, busiest first:
    the session that bench/run.py logs in must be an organiser of every page it visits."""
    rows = db.session.execute(
        select(User.email, Initiative.public_id, InitiativeNeed.public_id)
        .join(InitiativeOrganiser, InitiativeOrganiser.user_id == User.id)
        .join(Initiative, Initiative.id == InitiativeOrganiser.initiative_id)
        .join(InitiativeNeed, InitiativeNeed.initiative_id == Initiative.id)
        .join(NeedSignup, NeedSignup.need_id == InitiativeNeed.id)
        .where(User.email.is_not(None), User.password_hash.is_not(None))
        .group_by(User.email, Initiative.public_id, InitiativeNeed.public_id)
        .order_by(func.count(NeedSignup.id).desc(), User.email)).all()
    if not rows:
        return {}
    email = str(rows[0][0])
    pages = [f"/initiatieven/{ini}/behoeften/{need}/aanmeldingen" for who, ini, need in rows if who == email]
    return {"organisers": [email], "applicant_pages": pages[:SAMPLE]}


def main() -> None:
    app = create_app()
    with app.app_context():
        print(json.dumps(collect()))


if __name__ == "__main__":
    main()
