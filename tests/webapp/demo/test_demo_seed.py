"""Demo data (`flask --app webapp seed-demo`): realistic, consistent, deterministic, private, and re-runnable."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, datetime, timedelta

import pyotp
import pytest
from flask import Flask
from sqlalchemy import func, select

from tests.conftest import page_text
from webapp.accounts.models import User, UserRole, VolunteerProfile
from webapp.asks.models import HelpRequest, Match, Response
from webapp.core.extensions import db
from webapp.core.ids import utcnow
from webapp.core.reference.models import Category, Wijk
from webapp.demo import generator
from webapp.demo.services import read_reference, seed_demo
from webapp.notifications.models import Notification
from webapp.offers.models import Offer

EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
FIXED_ROLES = {
    "inwoner@demo.samen.nl": {"resident"},
    "vrijwilliger@demo.samen.nl": {"volunteer"},
    "organisator@demo.samen.nl": {"organiser", "resident"},
    "consulent@demo.samen.nl": {"staff"},
    "beheer@demo.samen.nl": {"staff", "admin"},
}


@pytest.fixture
def today() -> date:
    return utcnow().date()


@pytest.fixture
def seeded(app: Flask, today: date) -> str:
    with app.app_context():
        summary = seed_demo(db.session, scale=1, today=today)
        db.session.commit()
        db.session.remove()
    return summary


ENGLISH_WORDS = {"the", "my", "i", "i'm", "im", "you", "u", "someone", "need", "and", "with", "to", "for", "can't"}
DUTCH_WORDS = {"ik", "mijn", "een", "het", "de", "wie", "niet", "en", "met", "voor", "u", "kan"}


def looks_english(text: str) -> bool:
    words = set(re.findall(r"[a-z']+", text.lower()))
    return len(words & ENGLISH_WORDS) > len(words & DUTCH_WORDS)


def count(model: object, *where: object) -> int:
    return db.session.execute(select(func.count()).select_from(model).where(*where)).scalar_one()  # type: ignore[arg-type]


def test_generation_is_deterministic(app: Flask) -> None:
    with app.app_context():
        reference = read_reference(db.session)
    now = datetime(2026, 6, 1)
    first = generator.generate(reference, 1, now=now)
    second = generator.generate(reference, 1, now=now)
    assert [(r.public_id, r.title, r.status) for r in first.requests] == \
           [(r.public_id, r.title, r.status) for r in second.requests]
    assert [p.email for p in first.people] == [p.email for p in second.people]
    other_seed = generator.generate(reference, 1, seed=7, now=now)
    assert [r.title for r in other_seed.requests] != [r.title for r in first.requests]
    # Nothing happens after "now"; every id is token-like and unique.
    assert max(r.created_at for r in first.requests) < now
    assert max(r.created_at for r in first.responses) < now
    ids = [p.public_id for p in first.people] + [r.public_id for r in first.requests] + \
          [r.public_id for r in first.responses] + [o.public_id for o in first.offers]
    assert len(ids) == len(set(ids)) and all(re.fullmatch(r"[A-Za-z0-9_-]{12}", i) for i in ids)


def test_seeding_at_scale_one(app: Flask, seeded: str, today: date) -> None:
    assert "Demo data loaded" in seeded and "inwoner@demo.samen.nl" in seeded
    with app.app_context():
        residents = count(UserRole, UserRole.role == "resident")
        volunteers = count(VolunteerProfile)
        screened = count(VolunteerProfile, VolunteerProfile.is_screened.is_(True))
        requests = count(HelpRequest)
        assert 180 <= residents <= 260 and 110 <= volunteers <= 135 and 380 <= requests <= 440
        assert 30 <= count(Offer) <= 50 and count(Notification) >= 50 and count(Response) > requests
        assert 0.25 <= screened / volunteers <= 0.45
        assert count(VolunteerProfile, VolunteerProfile.is_screened.is_(True),
                     VolunteerProfile.screened_at.is_(None)) == 0

        # Every wijk and every category has requests; all states occur.
        wijken_used = set(db.session.execute(select(HelpRequest.wijk_id).distinct()).scalars())
        assert wijken_used == set(db.session.execute(select(Wijk.id)).scalars())
        categories_used = set(db.session.execute(select(HelpRequest.category_key).distinct()).scalars())
        assert categories_used == set(db.session.execute(select(Category.key)).scalars())
        statuses = Counter(db.session.execute(select(HelpRequest.status)).scalars())
        assert set(statuses) == {"open", "matched", "done", "cancelled", "expired"}
        assert statuses["done"] > statuses["open"] > 10

        # 12 months of history, the open ones recent and not yet expired.
        now = datetime(today.year, today.month, today.day)
        oldest = db.session.execute(select(func.min(HelpRequest.created_at))).scalar_one()
        assert now - timedelta(days=366) <= oldest <= now - timedelta(days=300)
        open_requests = db.session.execute(select(HelpRequest).where(HelpRequest.status == "open")).scalars().all()
        assert all(r.expires_at > utcnow() and r.closed_at is None for r in open_requests)

        # Screening: 5-9 % of requests, including every paperwork and homework request.
        needs_screening = count(HelpRequest, HelpRequest.needs_screening.is_(True))
        assert 0.04 <= needs_screening / requests <= 0.09
        assert count(HelpRequest, HelpRequest.category_key.in_(("paperwork", "homework")),
                     HelpRequest.needs_screening.is_(False)) == 0
        responders = db.session.execute(
            select(VolunteerProfile.is_screened)
            .join(Response, Response.volunteer_id == VolunteerProfile.user_id)
            .join(HelpRequest, HelpRequest.id == Response.request_id)
            .where(HelpRequest.needs_screening.is_(True))
        ).scalars().all()
        assert responders and all(responders)

        # A match is an accepted response of the matched volunteer; done matches mostly have hours.
        matches = db.session.execute(select(Match)).scalars().all()
        assert len(matches) > 100
        for match in matches:
            assert match.response.request_id == match.request_id
            assert match.response.volunteer_id == match.volunteer_id
            assert match.response.status == "accepted"
            assert match.help_request.status in ("matched", "done")
            assert (match.done_at is not None) == (match.help_request.status == "done")
            assert match.created_at >= match.response.created_at >= match.help_request.created_at
        done = [m for m in matches if m.done_at is not None]
        assert sum(1 for m in done if m.hours) > 0.7 * len(done)
        assert sum(1 for m in done if m.requester_thanks) > 0.5 * len(done)

        # Some English and some informal texts; requesters who speak only another language.
        descriptions = db.session.execute(select(HelpRequest.description)).scalars().all()
        english = sum(1 for d in descriptions if looks_english(d))
        assert 0.08 <= english / requests <= 0.25
        languages = db.session.execute(select(HelpRequest.languages)).scalars().all()
        assert any(set(langs) & {"tr", "ar", "pl", "uk"} and "nl" not in langs for langs in languages)

        # Seeding again adds nothing and does not fail.
        users = count(User)
        assert "already present" in seed_demo(db.session, scale=1, today=today)
        assert count(User) == users


def test_the_same_seed_and_date_give_the_same_database(app: Flask, seeded: str, today: date) -> None:
    with app.app_context():
        stored = db.session.execute(select(HelpRequest.public_id, HelpRequest.title).order_by(HelpRequest.id)).all()
        expected = generator.generate(read_reference(db.session), 1, now=generator.fixed_now(today))
        assert [tuple(row) for row in stored] == [(r.public_id, r.title) for r in expected.requests]


def test_demo_accounts_log_in_and_tell_a_story(app: Flask, seeded: str) -> None:
    with app.app_context():
        for email, roles in FIXED_ROLES.items():
            user = db.session.execute(select(User).where(User.email == email)).scalar_one()
            assert set(user.roles) == roles, email
        karim = db.session.execute(select(User).where(User.email == "vrijwilliger@demo.samen.nl")).scalar_one()
        assert karim.is_screened and karim.volunteer_profile is not None
        profile = karim.volunteer_profile
        assert profile.skills and profile.availability and profile.bio and profile.wijk_id and profile.postcode
        assert count(Match, Match.volunteer_id == karim.id) >= 2
        ans = db.session.execute(select(User).where(User.email == "inwoner@demo.samen.nl")).scalar_one()
        mine = db.session.execute(select(HelpRequest).where(HelpRequest.requester_id == ans.id)).scalars().all()
        assert {r.status for r in mine} == {"open", "matched", "done", "cancelled", "expired"}
        assert any(r.status == "open" and [x.status for x in r.responses] == ["pending", "pending"] for r in mine)
        db.session.remove()

    for email, roles in FIXED_ROLES.items():
        client = app.test_client()
        response = client.post("/inloggen", data={"email": email, "password": generator.DEMO_PASSWORD})
        assert response.status_code == 302, email
        if {"staff", "admin"} & set(roles):  # the published demo secret gives the second step's code
            assert response.headers["Location"].endswith("/inloggen/code"), email
            code = pyotp.TOTP(generator.DEMO_TOTP_SECRET).now()
            assert client.post("/inloggen/code", data={"code": code}).status_code == 302, email
        assert client.get("/mijn").status_code == 200, email
        with app.app_context():
            assert db.session.execute(select(User.email_verified_at).where(User.email == email)).scalar_one()
            db.session.remove()
    assert app.test_client().post("/inloggen", data={
        "email": "bewoner1@demo.samen.nl", "password": generator.DEMO_PASSWORD}).status_code == 302


def test_public_list_shows_no_contact_details(app: Flask, seeded: str) -> None:
    with app.app_context():
        phones = set(db.session.execute(select(User.phone).where(User.phone != "")).scalars())
        db.session.remove()
    anonymous = app.test_client()
    volunteer = app.test_client()  # screened: also sees the requests that need screening
    volunteer.post("/inloggen", data={"email": "vrijwilliger@demo.samen.nl", "password": generator.DEMO_PASSWORD})
    for client in (anonymous, volunteer):
        seen = 0
        for page in range(1, 30):
            html = page_text(client.get(f"/vragen/?page={page}"))
            assert not EMAIL_RE.search(html), EMAIL_RE.search(html)
            assert not any(phone in html for phone in phones)
            cards = html.count('class="card"')
            seen += cards
            if 'rel="next"' not in html:
                break
        assert seen > 10


@pytest.mark.parametrize(("env", "flags", "published"), [
    ("development", [], True),
    ("production", ["--allow-production"], False),
    ("production", ["--allow-production", "--published-staff-secret"], True),
])
def test_a_public_demo_server_never_gets_the_published_staff_secret_unannounced(app, monkeypatch, env, flags,
                                                                              published):
    """The README publishes the demo password and the staff accounts' two-step secret: on a server the public can
    reach, together they would open the staff workspace to anyone. There the seed makes a new secret and prints it
    once, unless the operator keeps the published one on purpose (and is told to announce it)."""
    from webapp.demo import commands

    used = []
    monkeypatch.setattr(commands, "seed_demo", lambda *a, staff_totp_secret, **k: used.append(staff_totp_secret) or "")
    monkeypatch.setattr(commands, "seed_staff_work", lambda *a, **k: "")
    monkeypatch.setitem(app.config, "ENV_NAME", env)
    result = app.test_cli_runner().invoke(args=["demo", "seed", *flags])
    assert result.exit_code == 0, result.output
    assert (used == [generator.DEMO_TOTP_SECRET]) is published
    if env == "production" and not published:
        assert used[0] in result.output and len(used[0]) == 32
    if env == "production" and published:
        assert "PUBLISHED" in result.output
