"""Blocking someone and handing a request over leave nobody exposed: the person's matches end (the other side is
told discreetly, and staff get a task to phone them), their responses, offers and open reports are dealt with, and
contact details show only while a match is live (plus two weeks after the help is done)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.conftest import visible
from webapp.asks import services as asks
from webapp.asks.models import HelpRequest, Match, Response
from webapp.core.audit import Action, AuditEntry
from webapp.core.extensions import db
from webapp.core.ids import utcnow
from webapp.notifications.models import Notification
from webapp.offers.models import Offer
from webapp.staff.models import Report

REASON = "Vroeg om geld vooraf"


def block(login, staff, person):
    return login(staff.email).post(f"/werkruimte/personen/{person.public_id}/blokkeren", data={"reason": REASON})


def status_of(public_id):
    return db.session.execute(select(HelpRequest.status).where(HelpRequest.public_id == public_id)).scalar_one()


def notes_of(user_id):
    return [(n.kind, dict(n.params)) for n in db.session.execute(
        select(Notification).where(Notification.user_id == user_id).order_by(Notification.id)).scalars()]


def test_blocking_the_helper_ends_the_match_tells_the_resident_discreetly_and_gives_staff_a_task(make, login, tr):
    """Used to be: the resident kept the blocked helper's phone number on the page and heard nothing."""
    resident = make.user("resident", locale="en", first_name="Riet")
    helper = make.user("volunteer", phone="06-99887766", last_name="Oplichter")
    help_request = make.matched(resident, helper, title="Hulp bij de boodschappen")
    page = visible(login(resident.email).get(f"/vragen/{help_request.public_id}"))
    assert "06-99887766" in page  # live: the contact details show

    staff = make.user("staff", locale="en")
    assert block(login, staff, helper).status_code == 302
    assert make.run(status_of, help_request.public_id) == "cancelled"
    page = visible(login(resident.email).get(f"/vragen/{help_request.public_id}"))
    assert "06-99887766" not in page and "Oplichter" not in page

    kinds = make.run(notes_of, resident.id)
    assert ("match_ended_by_centre", {"title": "Hulp bij de boodschappen", "request": help_request.public_id}) in kinds
    messages = visible(login(resident.email).get("/berichten/"))
    assert tr("en", "The help with “%(title)s” has ended. Someone of the volunteer centre will call you about it "
                    "soon.", title="Hulp bij de boodschappen") in messages
    assert REASON not in messages and "geld" not in messages

    tasks = visible(login(staff.email).get("/werkruimte/taken"))
    assert "Riet" in tasks and "Hulp bij de boodschappen" in tasks


def test_blocking_the_resident_ends_the_match_and_the_helper_is_told(make, login):
    resident, helper = make.user("resident", phone="06-11223344"), make.user("volunteer")
    help_request = make.matched(resident, helper)
    block(login, make.user("staff"), resident)
    assert make.run(status_of, help_request.public_id) == "cancelled"
    assert "06-11223344" not in visible(login(helper.email).get(f"/vragen/{help_request.public_id}"))
    assert [k for k, _ in make.run(notes_of, helper.id)].count("match_ended_by_centre") == 1
    from webapp.staff.models import StaffTask

    assert make.count(StaffTask, StaffTask.person_id == helper.id) == 1


def test_blocking_withdraws_responses_and_closes_offers_and_questions(make, login, anon):
    volunteer = make.user("volunteer", first_name="Geblokkeerd")
    resident = make.user("resident")
    help_request = make.request(resident)
    response_id = make.respond(help_request, volunteer)
    offer = make.offer(volunteer, title="Ik repareer fietsen")
    asked = login(make.user("resident").email).post(f"/aanbod/{offer.public_id}/vragen",
                                                    data={"message": "Kunt u mijn fiets maken?"})
    question = asked.headers["Location"].rsplit("/", 1)[-1]

    block(login, make.user("staff"), volunteer)
    owner = login(resident.email)
    assert "Geblokkeerd" not in visible(owner.get(f"/vragen/{help_request.public_id}"))
    owner.post(f"/vragen/{help_request.public_id}/kiezen/{response_id}")
    assert make.run(status_of, help_request.public_id) == "open"  # a withdrawn response cannot be chosen
    assert make.fetch(Offer, offer.id, "status").status == "closed"
    assert "Ik repareer fietsen" not in visible(anon().get("/aanbod/"))
    assert make.run(status_of, question) == "cancelled"
    assert make.count(Notification, Notification.kind == "ask_closed") == 1
    assert make.count(Response, Response.status == "pending") == 0


def test_blocking_closes_reports_about_them_and_voids_the_ones_they_filed(app, make, login, anon, monkeypatch):
    monkeypatch.setitem(app.config, "MODERATION_REPORT_THRESHOLD", 1)
    troublemaker = make.age(make.user("volunteer"))
    target = make.request(make.user("resident"), title="Een gewone vraag om hulp")
    login(troublemaker.email).post(f"/melden/vraag/{target.public_id}", data={"reason": "spam"})
    assert anon().get(f"/vragen/{target.public_id}").status_code == 404  # held by that one report
    login(make.age(make.user("resident")).email).post(f"/melden/persoon/{troublemaker.public_id}",
                                                      data={"reason": "unsafe"})

    block(login, make.user("staff"), troublemaker)
    assert anon().get(f"/vragen/{target.public_id}").status_code == 200  # public again

    def outcomes():
        return sorted((r.target_kind, r.outcome, r.resolved_at is not None)
                      for r in db.session.execute(select(Report)).scalars())

    assert make.run(outcomes) == [("person", "upheld", True), ("request", "void", True)]


def test_a_warm_handover_tells_the_helper_and_ends_their_view_of_the_contact_details(make, login, tr):
    """Used to be: after a hand-over the matched volunteer was not told and kept the resident's contact details."""
    resident = make.user("resident", phone="06-55443322")
    helper = make.user("volunteer", locale="en")
    help_request = make.matched(resident, helper, title="Post en rekeningen")
    staff = login(make.user("staff").email)
    staff.post(f"/werkruimte/vragen/{help_request.public_id}/overdracht",
               data={"partner": "Sociaal Wijkteam", "handed_over_on": utcnow().date().isoformat(),
                     "outcome": "pending", "basis": "consent", "consent_on": utcnow().date().isoformat(),
                     "notice": "auto"})
    assert make.run(status_of, help_request.public_id) == "handed_over"
    assert ("helper_handed_over", {"title": "Post en rekeningen", "request": help_request.public_id}) \
        in make.run(notes_of, helper.id)
    client = login(helper.email)
    assert "06-55443322" not in visible(client.get(f"/vragen/{help_request.public_id}"))
    assert tr("en", "The volunteer centre has asked a professional to help with “%(title)s”. Your help is no "
                    "longer needed there. Thank you for what you did!", title="Post en rekeningen") \
        in visible(client.get("/berichten/"))


@pytest.mark.parametrize(("days_ago", "visible_now"), [(0, True), (13, True), (15, False)])
def test_contact_details_show_for_two_weeks_after_the_help_is_done(make, login, days_ago, visible_now):
    resident = make.user("resident", phone="06-12121212")
    helper = make.user("volunteer", phone="06-34343434")
    help_request = make.matched(resident, helper)

    def finish():
        row = asks.get_by_public_id(help_request.public_id)
        asks.mark_done(row.requester, row)
        row.match.done_at = utcnow() - timedelta(days=days_ago)
        db.session.commit()

    make.run(finish)
    assert ("06-34343434" in visible(login(resident.email).get(f"/vragen/{help_request.public_id}"))) is visible_now
    assert ("06-12121212" in visible(login(helper.email).get(f"/vragen/{help_request.public_id}"))) is visible_now
    export = json.loads(login(helper.email).get("/mijn/gegevens/download").get_data(as_text=True))
    assert ("06-12121212" in json.dumps(export)) is visible_now


def test_a_task_is_done_once_and_that_is_in_the_audit_log(make, login):
    from webapp.staff.models import StaffTask

    resident, helper = make.user("resident"), make.user("volunteer")
    make.matched(resident, helper)
    staff_member = make.user("staff")
    block(login, staff_member, helper)
    task_id = make.run(lambda: db.session.execute(select(StaffTask.public_id)).scalar_one())
    client = login(staff_member.email)
    for _ in range(3):
        assert client.post(f"/werkruimte/taken/{task_id}/klaar").status_code == 302
    assert make.count(StaffTask, StaffTask.done_at.is_(None)) == 0
    assert make.count(AuditEntry, AuditEntry.action == Action.TASK_DONE) == 1
    assert make.count(Match) == 1  # the match stays for the reports
