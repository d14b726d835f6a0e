"""Rescue: requests nobody answered for RESCUE_AFTER_DAYS days wait in a staff queue with the engine's best
volunteers; staff invite with one click."""

from __future__ import annotations

from datetime import timedelta

from tests.conftest import visible
from webapp.core.audit import AuditEntry
from webapp.core.ids import utcnow
from webapp.notifications.models import Notification
from webapp.suggestions.models import Invitation


def test_old_unanswered_requests_wait_with_suggested_volunteers(make, login, tr):
    resident = make.user("resident")
    old = make.request(resident, title="Al vijf dagen geen reactie")
    make.set_request(old, created_at=utcnow() - timedelta(days=5, hours=2))
    fresh = make.request(resident, title="Net geplaatst verzoek")
    answered = make.request(resident, title="Verzoek met een reactie")
    make.set_request(answered, created_at=utcnow() - timedelta(days=6))
    make.respond(answered, make.user("volunteer"))
    volunteer = make.user("volunteer", first_name="Mohamed")

    client = login(make.user("staff", locale="en").email, lang="en")
    page = visible(client.get("/werkruimte/onbeantwoord"))
    assert "Al vijf dagen geen reactie" in page
    assert "Net geplaatst verzoek" not in page and "Verzoek met een reactie" not in page
    assert "waiting 5 days" in page
    assert "Mohamed" in page

    response = client.post(f"/werkruimte/onbeantwoord/{old.public_id}/uitnodigen/{volunteer.public_id}")
    assert response.status_code == 302
    assert make.count(Invitation) == 1
    assert make.count(Notification, Notification.user_id == volunteer.id, Notification.kind == "invited") == 1
    assert make.count(AuditEntry, AuditEntry.action == "invite", AuditEntry.target_ref == old.public_id) == 1
    assert tr("en", "Invited") in visible(client.get("/werkruimte/onbeantwoord"))
    del fresh


def test_the_waiting_time_is_configurable(app, make, login, monkeypatch):
    resident = make.user("resident")
    help_request = make.request(resident, title="Een dag oud verzoek")
    make.set_request(help_request, created_at=utcnow() - timedelta(days=1, hours=1))
    client = login(make.user("staff").email)
    assert "Een dag oud verzoek" not in visible(client.get("/werkruimte/onbeantwoord"))
    monkeypatch.setitem(app.config, "RESCUE_AFTER_DAYS", 1)
    assert "Een dag oud verzoek" in visible(client.get("/werkruimte/onbeantwoord"))


def test_held_requests_are_not_in_the_rescue_queue(make, login):
    resident = make.user("resident")
    help_request = make.request(resident, title="Vastgehouden verzoek")
    make.set_request(help_request, created_at=utcnow() - timedelta(days=9), moderation="held")
    client = login(make.user("staff").email)
    assert "Vastgehouden verzoek" not in visible(client.get("/werkruimte/onbeantwoord"))
