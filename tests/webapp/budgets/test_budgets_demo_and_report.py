"""The demo has an open and a counted district budget per stadsdeel, with plans and ballots; the impact report shows
the funded plans and what they achieved."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Flask
from sqlalchemy import func, select

from tests.conftest import visible
from tests.factories import make_user
from tests.webapp import budget_helpers as bh
from tests.webapp import initiative_helpers as ini
from webapp.accounts.models import User
from webapp.budgets.models import BudgetBallot, BudgetIntake, BudgetProposal, BudgetRound, BudgetVoter, Phase
from webapp.core.extensions import db
from webapp.core.ids import utcnow
from webapp.core.reference.models import Stadsdeel
from webapp.demo.budgets import seed_budgets
from webapp.demo.services import seed_demo
from webapp.demo.staff_work import seed_staff_work
from webapp.initiatives import activities
from webapp.initiatives.models import Activity, Initiative

TODAY = date(2026, 6, 15)


def seeded(app: Flask, today: date = TODAY) -> str:
    with app.app_context():
        seed_demo(db.session, today=today, with_match_features=False)
        seed_staff_work(db.session, today=today)
        summary = seed_budgets(db.session, bh.key_of(app), today=today)
        db.session.commit()
        db.session.remove()
    return summary


def snapshot_of_budgets(app: Flask) -> list[tuple[object, ...]]:
    with app.app_context():
        rows = db.session.execute(
            select(BudgetRound.title, BudgetProposal.title, BudgetProposal.cost, BudgetProposal.status,
                   BudgetProposal.votes, BudgetProposal.funded_via)
            .join(BudgetProposal, BudgetProposal.round_id == BudgetRound.id)
            .order_by(BudgetRound.title, BudgetProposal.title)).all()
        return [tuple(r) for r in rows]


def test_every_stadsdeel_has_a_counted_and_an_open_round_with_plans_and_ballots(app, login):
    summary = seeded(app, date.today())
    assert summary.startswith("District budgets: 10 rounds")
    with app.app_context():
        for stadsdeel in db.session.execute(select(Stadsdeel)).scalars():
            rounds = db.session.execute(select(BudgetRound).where(BudgetRound.stadsdeel_id == stadsdeel.id)).scalars()
            phases = sorted(r.phase(date.today()) for r in rounds)
            assert phases == sorted([Phase.FINISHED, Phase.VOTING]), stadsdeel.name
        assert db.session.execute(select(func.count()).select_from(BudgetBallot)).scalar_one() > 0
        assert db.session.execute(select(func.count()).select_from(BudgetVoter).where(
            BudgetVoter.sealed.is_not(None))).scalar_one() > 0  # the open rounds' ballots, still sealed
        assert db.session.execute(select(func.count()).select_from(BudgetIntake)).scalar_one() > 0
        assert db.session.execute(select(func.count()).select_from(BudgetProposal).where(
            BudgetProposal.funded_via == "reserve")).scalar_one() > 0
        inwoner = db.session.execute(select(User).where(User.email == "inwoner@demo.samen.nl")).scalar_one()
        assert db.session.execute(select(func.count()).select_from(BudgetVoter).where(
            BudgetVoter.user_id == inwoner.id)).scalar_one() == 0  # the demo resident can try voting
        open_round = db.session.execute(select(BudgetRound).where(
            BudgetRound.stadsdeel_id == inwoner.wijk.stadsdeel_id, BudgetRound.counted_at.is_(None))).scalar_one()
        counted = db.session.execute(select(BudgetRound).where(BudgetRound.counted_at.is_not(None))).scalars().all()
        public_ids = [r.public_id for r in counted]
        open_id = open_round.public_id
    client = login("inwoner@demo.samen.nl", password="demo-wachtwoord-2026")
    assert client.get(f"/wijkbudget/{open_id}/stemmen").status_code == 200
    for public_id in public_ids:
        assert client.get(f"/wijkbudget/{public_id}/uitslag").status_code == 200


def test_the_demo_budgets_are_the_same_for_the_same_seed_and_date(app):
    seeded(app)
    first = snapshot_of_budgets(app)
    with app.app_context():
        for table in reversed(db.metadata.sorted_tables):
            if table.name not in {"stadsdelen", "wijken", "buurten", "postcode_areas", "goals", "categories",
                                  "category_goals", "alembic_version"}:
                db.session.execute(table.delete())
        db.session.commit()
        db.session.remove()
    seeded(app)
    assert snapshot_of_budgets(app) == first and len(first) == 70


def test_the_report_shows_funded_plans_and_what_they_achieved(make, login):
    staff, organiser = make.user("staff", email="staff@example.org"), make.user("organiser")
    garden = ini.initiative(make, organiser, name="Moestuin Europawijk")
    round_ = bh.budget_round(make, staff, "voting")
    plan = bh.proposal(make, organiser, round_, title="Regenton en gereedschap", cost=800, initiative=garden)
    bh.vote(make, make.user("resident"), round_, plan)
    bh.count(make, staff, round_)

    def activity_after_the_vote() -> None:
        row = db.session.get(Initiative, garden.id)
        made = activities.add_activity(db.session.get(User, organiser.id), row, activities.ActivityData(
            title="Zaaidag met de regenton", description="", wijk=bh.wijk("WK039218"), place="De tuin",
            starts_at=utcnow() + timedelta(days=2), ends_at=utcnow() + timedelta(days=2, hours=2),
            capacity=None))
        db.session.flush()
        for _ in range(3):
            activities.join(make_user("resident"), made)
        db.session.commit()

    make.run(activity_after_the_vote)
    assert make.count(Activity) == 1
    year = (utcnow() + timedelta(days=2)).year  # the year of the activity
    page = visible(login(staff.email, lang="en").get(f"/rapportage/?kind=year&period={year}"))
    assert "District budgets: plans that got money" in page
    assert "Regenton en gereedschap" in page and "€\u00a0800" in page
    assert "<5" in page.split("Regenton en gereedschap")[1][:600]  # three people going: a small number
