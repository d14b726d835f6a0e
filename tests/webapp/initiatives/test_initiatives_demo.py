"""The demo data include initiatives and organisations with needs, backing, activities and support, and people
with every e-mail preference, so `notify digest` on a fresh demo database sends real digests."""

from __future__ import annotations

from collections import Counter

from flask import Flask
from sqlalchemy import func, select

from tests.conftest import visible
from webapp.accounts.models import User
from webapp.core.extensions import db
from webapp.core.ids import utcnow
from webapp.demo.services import seed_demo
from webapp.digests.services import send_digests
from webapp.initiatives.models import (
    Activity,
    ActivityParticipant,
    Backing,
    Initiative,
    InitiativeFollower,
    InitiativeNeed,
    InitiativeOrganiser,
    InitiativeSupport,
    InitiativeUpdate,
    NeedSignup,
    SignupHours,
)
from webapp.notifications import kinds
from webapp.notifications.models import EmailDigest, NotificationPreference


def test_demo_initiatives_and_real_digests(app: Flask, monkeypatch, tmp_path) -> None:
    monkeypatch.setitem(app.config, "MAIL_SERVER", "")
    monkeypatch.setitem(app.config, "MAIL_OUTBOX_DIR", str(tmp_path))
    with app.app_context():
        summary = seed_demo(db.session, scale=1, today=utcnow().date(), with_match_features=True)
        db.session.commit()
        assert "Initiatives: 13 (4 organisations; 1 waiting for staff to confirm it)" in summary

        def count(model, *where):
            return db.session.execute(select(func.count()).select_from(model).where(*where)).scalar_one()

        assert count(Initiative, Initiative.is_organisation.is_(True)) == 4
        assert set(db.session.execute(select(InitiativeNeed.kind).distinct()).scalars()) == {
            "volunteers", "expertise", "space", "materials", "money"}
        assert set(db.session.execute(select(InitiativeNeed.status).distinct()).scalars()) == {
            "open", "partly_filled", "filled"}
        assert count(NeedSignup, NeedSignup.status == "confirmed") > 5 and count(Backing) > 50
        assert count(ActivityParticipant, ActivityParticipant.status == "waiting") > 0
        assert count(ActivityParticipant, ActivityParticipant.hours.is_not(None)) > 0
        assert count(InitiativeSupport) > 0
        # the front door (issue #18): applicants in every state, hours, a series, shifts, followers and news
        assert {"pending", "shortlist", "declined", "confirmed"} <= set(
            db.session.execute(select(NeedSignup.status).distinct()).scalars())
        assert count(SignupHours) > 0 and count(InitiativeFollower) > 50 and count(InitiativeUpdate) > 0
        assert count(Activity, Activity.series_id.is_not(None)) >= 6
        assert count(Activity, Activity.parent_id.is_not(None)) == 3
        mirjam = db.session.execute(select(User).where(User.email == "organisator@demo.samen.nl")).scalar_one()
        assert count(InitiativeOrganiser, InitiativeOrganiser.user_id == mirjam.id) >= 1
        combinations = set(db.session.execute(
            select(NotificationPreference.kind, NotificationPreference.channel).distinct()).all())
        assert combinations == {(k, c) for k in kinds.PREFERENCES for c in kinds.channels_for(k)}
        public_id = db.session.execute(
            select(Initiative.public_id).where(Initiative.name == "Buurtfeest Oude Stad")).scalar_one()
        db.session.remove()

        report = send_digests()
        assert report.sent["daily"] > 0 and report.sent["weekly"] > 0 and report.failed == 0
        again = send_digests()
        assert again.sent == {"daily": 0, "weekly": 0}
        per_person = Counter(db.session.execute(select(EmailDigest.user_id)).scalars())
        assert set(per_person.values()) == {1} or max(per_person.values()) <= 2  # at most one daily + one weekly
        db.session.remove()
    mails = list(tmp_path.glob("*.eml"))
    assert len(mails) == report.sent["daily"] + report.sent["weekly"]
    assert any("Subject: Samen:" in m.read_text() for m in mails)

    client = app.test_client()
    assert "Chauffeurs voor de boodschappenbus" in visible(client.get("/vacatures"))
    assert "Wekelijkse inloop" in visible(client.get("/vrijwilligerswerk?kind=activity"))
    page = visible(client.get(f"/initiatieven/{public_id}"))
    assert "Buurtfeest Oude Stad" in page and "@demo.samen.nl" not in page
