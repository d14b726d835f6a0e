"""Warm hand-over: staff hand a request to a professional partner; it leaves the listing, the requester reads a
kind message, waiting volunteers hear it is closed, and the staff note stays with staff."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tests.conftest import page_text, visible
from tests.webapp.race_helpers import form_fields
from webapp.asks.models import HelpRequest, Response
from webapp.core.audit import AuditEntry
from webapp.core.extensions import db
from webapp.notifications.models import Notification
from webapp.staff.models import Handover

NOTE = "Schulden bij drie partijen, deurwaarder geweest."


def handover_form(**overrides):
    data = {"partner": "Schuldhulpverlening", "handed_over_on": date.today().isoformat(), "outcome": "pending",
            "staff_note": NOTE, "basis": "consent", "consent_on": date.today().isoformat(), "notice": "auto"}
    data.update(overrides)
    return data


def test_a_handover_closes_the_request_and_keeps_the_note_with_staff(make, login, anon, tr):
    owner = make.user("resident", locale="en")
    help_request = make.request(owner, title="Hulp met brieven van de bank")
    volunteer = make.user("volunteer")
    make.respond(help_request, volunteer)
    staff = login(make.user("staff").email)

    form = staff.get(f"/werkruimte/vragen/{help_request.public_id}/overdracht")
    assert form.status_code == 200 and "Sociaal Wijkteam" in visible(form)
    response = staff.post(f"/werkruimte/vragen/{help_request.public_id}/overdracht", data=handover_form())
    assert response.status_code == 302

    assert make.fetch(HelpRequest, help_request.id, "status").status == "handed_over"
    assert make.count(Handover) == 1
    assert "Hulp met brieven van de bank" not in visible(anon("nl").get("/vragen/"))
    assert anon("nl").get(f"/vragen/{help_request.public_id}").status_code == 404

    owner_page = visible(login(owner.email, lang="en").get(f"/vragen/{help_request.public_id}"))
    assert tr("en", "A professional will help you further") in owner_page
    assert NOTE not in owner_page and "deurwaarder" not in owner_page
    assert make.count(Notification, Notification.user_id == owner.id, Notification.kind == "handed_over") == 1

    # The volunteer who responded hears the request is closed and does not see the note.
    assert make.count(Notification, Notification.user_id == volunteer.id, Notification.kind == "request_closed") == 1
    volunteer_page = page_text(login(volunteer.email).get(f"/vragen/{help_request.public_id}"))
    assert NOTE not in volunteer_page and "Schuldhulpverlening" not in volunteer_page

    def response_status():
        return db.session.execute(select(Response.status)).scalar_one()

    assert make.run(response_status) == "not_chosen"

    # Staff see the note on the request page and the list.
    assert NOTE in visible(staff.get(f"/vragen/{help_request.public_id}"))
    assert "Schuldhulpverlening" in visible(staff.get("/werkruimte/overdrachten"))
    assert make.count(AuditEntry, AuditEntry.action == "handover") == 1


def test_the_outcome_can_be_recorded_later(make, login):
    help_request = make.request(make.user("resident"))
    staff = login(make.user("staff").email)
    staff.post(f"/werkruimte/vragen/{help_request.public_id}/overdracht", data=handover_form())
    handover_id = make.run(lambda: db.session.execute(select(Handover.id)).scalar_one())
    action = f"/werkruimte/overdrachten/{handover_id}"
    fields = form_fields(staff.get("/werkruimte/overdrachten").get_data(as_text=True), action)
    response = staff.post(action, data={**fields, f"h{handover_id}-outcome": "accepted",
                                        f"h{handover_id}-staff_note": "Intake gedaan"})
    assert response.status_code == 302
    assert make.fetch(Handover, handover_id, "outcome", "staff_note").outcome == "accepted"
    assert make.count(AuditEntry, AuditEntry.action == "handover_outcome") == 1


def test_an_outcome_from_a_page_opened_before_a_colleague_saved_one_is_refused(make, login, tr):
    help_request = make.request(make.user("resident"))
    staff, colleague = login(make.user("staff").email, lang="en"), login(make.user("staff").email)
    staff.post(f"/werkruimte/vragen/{help_request.public_id}/overdracht", data=handover_form())
    handover_id = make.run(lambda: db.session.execute(select(Handover.id)).scalar_one())
    action = f"/werkruimte/overdrachten/{handover_id}"
    old_tab = form_fields(staff.get("/werkruimte/overdrachten").get_data(as_text=True), action)
    fresh = form_fields(colleague.get("/werkruimte/overdrachten").get_data(as_text=True), action)
    colleague.post(action, data={**fresh, f"h{handover_id}-outcome": "accepted",
                                 f"h{handover_id}-staff_note": "Intake gedaan op dinsdag"})

    late = staff.post(action, data={**old_tab, f"h{handover_id}-outcome": "no_contact",
                                    f"h{handover_id}-staff_note": ""}, follow_redirects=True)
    assert tr("en", "Someone else changed this hand-over since you opened the page. Look at it again.") in \
        visible(late)
    saved = make.fetch(Handover, handover_id, "outcome", "staff_note")
    assert (saved.outcome, saved.staff_note) == ("accepted", "Intake gedaan op dinsdag")
    assert make.count(AuditEntry, AuditEntry.action == "handover_outcome") == 1


def test_partners_come_from_the_configuration(app, make, login, monkeypatch):
    monkeypatch.setitem(app.config, "HANDOVER_PARTNERS", ("Buurtteam Oost", "Wijkverpleging"))
    help_request = make.request(make.user("resident"))
    staff = login(make.user("staff").email)
    assert "Buurtteam Oost" in visible(staff.get(f"/werkruimte/vragen/{help_request.public_id}/overdracht"))
    response = staff.post(f"/werkruimte/vragen/{help_request.public_id}/overdracht",
                          data=handover_form(partner="Schuldhulpverlening"))
    assert response.status_code == 400  # not a configured partner
    assert make.count(Handover) == 0


def test_bad_input_and_closed_requests(make, login, tr):
    owner = make.user("resident")
    help_request = make.request(owner)
    staff = login(make.user("staff", locale="en").email, lang="en")
    future = (date.today() + timedelta(days=3)).isoformat()
    response = staff.post(f"/werkruimte/vragen/{help_request.public_id}/overdracht",
                          data=handover_form(handed_over_on=future))
    assert response.status_code == 400
    assert tr("en", "This date is in the future. Choose today or an earlier day.") in visible(response)
    assert NOTE in visible(response)

    login(owner.email).post(f"/vragen/{help_request.public_id}/annuleren")
    response = staff.post(f"/werkruimte/vragen/{help_request.public_id}/overdracht", data=handover_form())
    assert response.status_code == 302 and make.count(Handover) == 0


def test_a_handed_over_request_counts_as_sensitive_for_staff_views(make, login):
    help_request = make.request(make.user("resident"))
    first = login(make.user("staff").email)
    first.post(f"/werkruimte/vragen/{help_request.public_id}/overdracht", data=handover_form())
    second = login(make.user("staff").email)
    second.get(f"/vragen/{help_request.public_id}")
    assert make.count(AuditEntry, AuditEntry.action == "view_sensitive",
                      AuditEntry.target_ref == help_request.public_id) == 1


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_requesters_own_page_shows_the_handover_kindly_not_closed(make, login, tr, lang):
    owner = make.user("resident", locale=lang)
    help_request = make.request(owner, title="Hulp met brieven van de bank")
    staff = login(make.user("staff").email)
    assert staff.post(f"/werkruimte/vragen/{help_request.public_id}/overdracht",
                      data=handover_form()).status_code == 302

    page = login(owner.email, lang=lang).get("/mijn")
    assert page.status_code == 200
    card = visible(page).split("Hulp met brieven van de bank", 1)[1].split("</li>", 1)[0]
    assert tr(lang, "A professional will help you further") in card
    assert tr(lang, "The volunteer centre has asked a professional to help you. They will contact you soon.") in card
    assert tr(lang, "Closed") not in card
    assert "Schuldhulpverlening" not in card and NOTE not in card
