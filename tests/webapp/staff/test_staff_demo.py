"""`flask seed-demo` gives every staff screen something to show, deterministically."""

from __future__ import annotations

from datetime import date

from flask import Flask
from sqlalchemy import func, select

from tests.conftest import REFERENCE_TABLES, visible
from webapp.accounts.models import User, VolunteerProfile
from webapp.asks.models import HelpRequest
from webapp.core.audit import AuditEntry
from webapp.core.extensions import db
from webapp.core.ids import utcnow
from webapp.demo.generator import DEMO_PASSWORD
from webapp.demo.services import seed_demo
from webapp.demo.staff_work import seed_staff_work
from webapp.staff.models import Handover, Intake, Report, Screening

TODAY = date(2026, 6, 1)


def fingerprint() -> tuple:
    return (
        tuple(db.session.execute(select(HelpRequest.public_id).where(HelpRequest.moderation != "ok")
                                 .order_by(HelpRequest.public_id)).scalars()),
        tuple(db.session.execute(select(HelpRequest.public_id).join(Handover, Handover.request_id == HelpRequest.id)
                                 .order_by(HelpRequest.public_id)).scalars()),
        # By e-mail, not by id: PostgreSQL sequences keep counting after a wipe.
        tuple(db.session.execute(select(User.email, Screening.valid_until)
                                 .join(User, User.id == Screening.volunteer_id).order_by(User.email))),
    )


def seed(app: Flask) -> tuple[str, tuple]:
    with app.app_context():
        seed_demo(db.session, today=TODAY, with_match_features=False)
        summary = seed_staff_work(db.session, today=TODAY)
        db.session.commit()
        result = summary, fingerprint()
        db.session.remove()
    return result


def wipe(app: Flask) -> None:
    with app.app_context():
        for table in reversed(db.metadata.sorted_tables):
            if table.name not in REFERENCE_TABLES:
                db.session.execute(table.delete())
        db.session.commit()
        db.session.remove()


def test_staff_work_is_deterministic_and_runs_once(app):
    summary, first = seed(app)
    assert "Staff work:" in summary and all(first)
    with app.app_context():
        assert seed_staff_work(db.session, today=TODAY) == "Staff demo data already present."
        db.session.remove()
    wipe(app)
    assert seed(app)[1] == first


def test_every_staff_screen_has_something_to_show(app, login):
    seed(app)
    with app.app_context():
        screened = db.session.execute(
            select(func.count()).where(VolunteerProfile.screened_flag.is_(True))).scalar_one()
        assert db.session.execute(select(func.count()).select_from(Screening)).scalar_one() == screened > 10
        assert db.session.execute(select(func.count()).select_from(Intake)).scalar_one() > 5
        assert db.session.execute(select(func.count()).select_from(Handover)).scalar_one() >= 2
        assert db.session.execute(select(func.count()).select_from(Report)).scalar_one() >= 3
        assert db.session.execute(select(func.count()).select_from(AuditEntry)).scalar_one() > screened
        db.session.remove()

    consulent = login("consulent@demo.samen.nl", password=DEMO_PASSWORD)
    queue = visible(consulent.get("/werkruimte/moderatie"))
    assert "Bel me gerust op 06-41234567" in queue and "klusjes.kees@example.nl" in queue
    assert queue.count('class="card"') >= 5
    assert visible(consulent.get("/werkruimte/intakes")).count("<tr>") > 5
    assert "Schuldhulpverlening" in visible(consulent.get("/werkruimte/overdrachten"))
    assert "<table" in visible(consulent.get("/werkruimte/vog"))
    assert consulent.get("/rapportage/?period=2026-Q1").status_code == 200
    admin = login("beheer@demo.samen.nl", password=DEMO_PASSWORD)
    assert "screen" in visible(admin.get("/werkruimte/logboek"))


def test_some_requests_wait_longer_than_three_days(app, login):
    with app.app_context():
        today = utcnow().date()
        seed_demo(db.session, today=today, with_match_features=False)
        seed_staff_work(db.session, today=today)
        db.session.commit()
        db.session.remove()
    page = visible(login("consulent@demo.samen.nl", password=DEMO_PASSWORD).get("/werkruimte/onbeantwoord"))
    assert page.count('class="card"') >= 3
