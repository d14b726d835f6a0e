"""Warm hand-over, the parts around the decision: consent or the legal ground that replaces it, the resident's
notice held back, the note's history, the referral with only the agreed fields (an e-mail or a PDF), the partner's
pick-up date and the reminder when nobody picked it up. Staff only, every step in the audit log."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from tests.conftest import page_text, visible
from tests.factories import PASSWORD
from tests.webapp.mail_helpers import parts, smtp  # noqa: F401 (smtp is a fixture)
from tests.webapp.race_helpers import form_fields
from webapp.core.audit import AuditEntry
from webapp.core.extensions import db
from webapp.core.outbox import OutboxMail
from webapp.notifications.models import Notification
from webapp.staff.models import Handover, HandoverNote

TODAY = date.today().isoformat()
PHONE = "06-31415926"
DESCRIPTION = "Post van de deurwaarder stapelt zich op, ze durft de brieven niet te openen."
NOTE = "Schulden bij drie partijen."
PARTNER_ADDRESS = "intake@schuldhulp.example"


def handover_form(**overrides):
    data = {"partner": "Schuldhulpverlening", "handed_over_on": TODAY, "outcome": "pending", "staff_note": NOTE,
            "basis": "consent", "consent_on": TODAY, "shared_fields": ["name"], "notice": "auto"}
    data.update(overrides)
    return data


def hand_over(make, login, **overrides):
    """A resident's request handed over by a staff member; returns (owner, staff, staff client, request, id)."""
    owner = make.user("resident", first_name="Ria", last_name="Bakker", phone=PHONE)
    help_request = make.request(owner, title="Hulp met brieven", description=DESCRIPTION)
    staff = make.user("staff", first_name="Sanne")
    client = login(staff.email)
    response = client.post(f"/werkruimte/vragen/{help_request.public_id}/overdracht", data=handover_form(**overrides))
    assert response.status_code == 302, visible(response)[:600]
    handover_id = make.run(lambda: db.session.execute(select(Handover.id).order_by(Handover.id.desc())).scalars()
                           .first())
    return owner, staff, client, help_request, handover_id


def _notified(make, owner) -> int:
    return make.count(Notification, Notification.user_id == owner.id, Notification.kind == "handed_over")


def test_a_handover_needs_consent_or_a_legal_ground_and_keeps_what_was_typed(make, login, tr):
    help_request = make.request(make.user("resident"))
    client = login(make.user("staff", locale="en").email, lang="en")
    page = f"/werkruimte/vragen/{help_request.public_id}/overdracht"
    refused = client.post(page, data=handover_form(basis=""))
    assert refused.status_code == 400
    assert tr("en", "Choose whether the resident agreed, or which legal ground applies.") in visible(refused)
    assert NOTE in refused.get_data(as_text=True)
    no_date = client.post(page, data=handover_form(consent_on=""))
    assert no_date.status_code == 400 and tr("en", "Fill in the date the resident agreed.") in visible(no_date)
    assert client.post(page, data=handover_form(basis="whatever")).status_code == 400
    assert make.count(Handover) == 0


def test_consent_is_recorded_with_its_date_and_what_may_be_shared(make, login):
    owner, _staff, _client, _help_request, handover_id = hand_over(
        make, login, shared_fields=["name", "phone"], consent_on=(date.today() - timedelta(days=1)).isoformat())
    saved = make.fetch(Handover, handover_id, "basis", "consent_on", "shared_fields", "resident_notified")
    assert (saved.basis, saved.consent_on, saved.shared_fields, saved.resident_notified) == \
        ("consent", date.today() - timedelta(days=1), ["name", "phone"], True)
    assert _notified(make, owner) == 1
    entry = make.run(lambda: db.session.execute(select(AuditEntry.details).where(AuditEntry.action == "handover"))
                     .scalar_one())
    assert entry["basis"] == "consent" and entry["shared"] == ["name", "phone"] and PHONE not in str(entry)


def test_a_veilig_thuis_handover_holds_the_residents_notice_back_by_default(make, login):
    owner, _staff, _client, _request, handover_id = hand_over(make, login, basis="safety", consent_on="")
    assert make.fetch(Handover, handover_id, "resident_notified", "consent_on").resident_notified is False
    assert _notified(make, owner) == 0


def test_staff_may_send_the_notice_for_a_legal_ground_or_hold_it_back_with_consent(make, login):
    owner, *_ = hand_over(make, login, basis="legal_duty", notice="send")
    assert _notified(make, owner) == 1
    other, *_ = hand_over(make, login, notice="hold")
    assert _notified(make, other) == 0


def test_an_edited_note_keeps_every_version_with_who_and_when(make, login):
    _owner, staff, client, _request, handover_id = hand_over(make, login)
    colleague = make.user("staff", first_name="Joost")
    other = login(colleague.email)
    action = f"/werkruimte/overdrachten/{handover_id}"
    for who, text in ((client, "Schulden bij vier partijen."), (other, "Afspraak staat op dinsdag.")):
        fields = form_fields(who.get("/werkruimte/overdrachten").get_data(as_text=True), action)
        response = who.post(action, data={**fields, f"h{handover_id}-outcome": "pending",
                                          f"h{handover_id}-staff_note": text})
        assert response.status_code == 302

    def versions():
        return [(n.text, n.author_id) for n in db.session.execute(
            select(HandoverNote).where(HandoverNote.handover_id == handover_id).order_by(HandoverNote.id)).scalars()]

    assert make.run(versions) == [(NOTE, staff.id), ("Schulden bij vier partijen.", staff.id),
                                  ("Afspraak staat op dinsdag.", colleague.id)]
    listing = visible(client.get("/werkruimte/overdrachten"))
    assert "Afspraak staat op dinsdag." in listing and NOTE not in listing  # the list shows the latest
    history = visible(client.get(f"/werkruimte/overdrachten/{handover_id}/notities"))
    assert NOTE in history and "Schulden bij vier partijen." in history and "Joost" in history
    assert make.count(AuditEntry, AuditEntry.action == "handover_note") == 2


def test_a_note_from_before_the_history_is_kept_when_it_is_first_edited(make, login):
    _owner, _staff, client, _request, handover_id = hand_over(make, login)

    def forget_versions():  # a hand-over recorded before notes had versions
        db.session.execute(HandoverNote.__table__.delete())
        db.session.commit()

    make.run(forget_versions)
    action = f"/werkruimte/overdrachten/{handover_id}"
    fields = form_fields(client.get("/werkruimte/overdrachten").get_data(as_text=True), action)
    client.post(action, data={**fields, f"h{handover_id}-outcome": "pending", f"h{handover_id}-staff_note": "Nieuw."})
    texts = make.run(lambda: list(db.session.execute(select(HandoverNote.text).order_by(HandoverNote.id)).scalars()))
    assert texts == [NOTE, "Nieuw."]


def test_the_referral_email_carries_only_the_agreed_fields(app, make, login, smtp, monkeypatch):  # noqa: F811
    monkeypatch.setitem(app.config, "HANDOVER_PARTNER_EMAILS", {"Schuldhulpverlening": PARTNER_ADDRESS})
    _owner, _staff, client, help_request, handover_id = hand_over(make, login, shared_fields=["name"])
    page = visible(client.get(f"/werkruimte/overdrachten/{handover_id}/verwijzing"))
    assert PARTNER_ADDRESS in page and "Ria Bakker" in page and PHONE not in page and DESCRIPTION not in page
    viewed = make.run(lambda: [e.details.get("via") for e in db.session.execute(
        select(AuditEntry).where(AuditEntry.action == "view_person")).scalars()])
    assert viewed == ["referral"]  # opening the referral is a view of the resident's data
    response = client.post(f"/werkruimte/overdrachten/{handover_id}/versturen")
    assert response.status_code == 302
    mails = smtp.to(PARTNER_ADDRESS)
    assert len(mails) == 1
    text, html = parts(mails[0])
    for body in (text, html, str(mails[0]["Subject"])):
        assert PHONE not in body and DESCRIPTION not in body and NOTE not in body and "deurwaarder" not in body
    assert "Ria Bakker" in text and help_request.public_id in text
    assert make.fetch(Handover, handover_id, "referral_sent_at").referral_sent_at is not None
    details = make.run(lambda: db.session.execute(
        select(AuditEntry.details).where(AuditEntry.action == "referral_sent")).scalar_one())
    assert details["fields"] == ["name"] and "Ria" not in str(details)


def test_the_referral_shares_the_phone_and_text_only_when_agreed(app, make, login, smtp, monkeypatch):  # noqa: F811
    monkeypatch.setitem(app.config, "HANDOVER_PARTNER_EMAILS", {"Schuldhulpverlening": PARTNER_ADDRESS})
    _owner, _staff, client, _request, handover_id = hand_over(make, login,
                                                              shared_fields=["phone", "request", "note"])
    client.post(f"/werkruimte/overdrachten/{handover_id}/versturen")
    text, _html = parts(smtp.to(PARTNER_ADDRESS)[0])
    assert PHONE in text and DESCRIPTION in text and NOTE in text and "Bakker" not in text


def test_without_a_partner_address_the_page_says_so_and_offers_the_pdf(make, login, tr):
    _owner, _staff, client, help_request, handover_id = hand_over(make, login, shared_fields=["name", "request"])
    queued = make.count(OutboxMail)  # the resident's notice
    sent = client.post(f"/werkruimte/overdrachten/{handover_id}/versturen", follow_redirects=True)
    assert tr("nl", "No e-mail address is set up for %(partner)s. Print the referral or download the PDF instead.",
              partner="Schuldhulpverlening") in visible(sent)
    assert make.count(OutboxMail) == queued
    pdf = client.get(f"/werkruimte/overdrachten/{handover_id}/verwijzing.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Ria Bakker" in text and help_request.public_id in text and "deurwaarder" in text
    assert PHONE not in text and NOTE not in text
    assert make.count(AuditEntry, AuditEntry.action == "referral_printed") == 1


def test_the_partner_picked_it_up_date_and_bad_dates(make, login, tr):
    _owner, _staff, client, _request, handover_id = hand_over(make, login)
    action = f"/werkruimte/overdrachten/{handover_id}/opgepakt"
    future = client.post(action, data={f"p{handover_id}-picked_up_on": (date.today() + timedelta(days=2)).isoformat()},
                         follow_redirects=True)
    assert tr("nl", "This date is in the future. Choose today or an earlier day.") in visible(future)
    before = client.post(action, data={f"p{handover_id}-picked_up_on": (date.today() - timedelta(days=3)).isoformat()},
                         follow_redirects=True)
    assert tr("nl", "This date is before the hand-over. Choose the day the partner picked it up.") in visible(before)
    assert make.fetch(Handover, handover_id, "picked_up_on").picked_up_on is None
    assert client.post(action, data={f"p{handover_id}-picked_up_on": TODAY}).status_code == 302
    assert make.fetch(Handover, handover_id, "picked_up_on").picked_up_on == date.today()
    assert make.count(AuditEntry, AuditEntry.action == "handover_picked_up") == 1


def test_a_reminder_goes_once_to_the_staff_member_when_nobody_picked_it_up(app, make, login, smtp):  # noqa: F811
    _owner, staff, client, _request, handover_id = hand_over(make, login)
    late = hand_over(make, login)[4]
    picked = hand_over(make, login)[4]

    def age(*ids):
        for row in db.session.execute(select(Handover).where(Handover.id.in_(ids))).scalars():
            row.handed_over_on = date.today() - timedelta(days=6)
        db.session.commit()

    make.run(age, handover_id, picked)
    client.post(f"/werkruimte/overdrachten/{picked}/opgepakt",
                data={f"p{picked}-picked_up_on": TODAY})
    runner = app.test_cli_runner()
    first = runner.invoke(args=["staff", "handover-reminders"])
    assert first.exit_code == 0 and "1 reminder(s) sent." in first.output
    second = runner.invoke(args=["staff", "handover-reminders"])
    assert "0 reminder(s) sent." in second.output
    assert len(smtp.to(staff.email)) == 1  # the recent hand-over (`late`, today) and the picked-up one: none
    assert make.fetch(Handover, late, "reminded_at").reminded_at is None
    assert make.count(AuditEntry, AuditEntry.action == "handover_reminder") == 1
    assert "Waiting too long" in page_text(login(staff.email, lang="en").get("/werkruimte/overdrachten"))


@pytest.mark.parametrize("path", ["verwijzing", "verwijzing.pdf", "notities"])
def test_only_staff_open_a_referral_or_the_notes(make, login, path):
    owner, _staff, _client, _request, handover_id = hand_over(make, login)
    volunteer = make.user("volunteer")
    for person in (owner, volunteer):
        assert login(person.email).get(f"/werkruimte/overdrachten/{handover_id}/{path}").status_code == 403
    assert make.count(AuditEntry, AuditEntry.action == "referral_printed") == 0


def test_nothing_of_the_referral_reaches_the_resident_or_a_responder(make, login):
    owner = make.user("resident", first_name="Ria", phone=PHONE)
    help_request = make.request(owner, title="Hulp met brieven")
    volunteer = make.user("volunteer")
    make.respond(help_request, volunteer)
    staff = login(make.user("staff").email)
    staff.post(f"/werkruimte/vragen/{help_request.public_id}/overdracht",
               data=handover_form(basis="safety", consent_on="", partner="Veilig Thuis"))
    for person in (owner, volunteer):
        text = page_text(login(person.email).get(f"/vragen/{help_request.public_id}"))
        assert "Veilig Thuis" not in text and NOTE not in text and "meldcode" not in text.lower()
    assert make.count(Notification, Notification.user_id == owner.id, Notification.kind == "handed_over") == 0


def test_deleting_the_residents_account_empties_every_version_of_the_note(make, login):
    owner, _staff, client, _request, handover_id = hand_over(make, login)
    action = f"/werkruimte/overdrachten/{handover_id}"
    fields = form_fields(client.get("/werkruimte/overdrachten").get_data(as_text=True), action)
    client.post(action, data={**fields, f"h{handover_id}-outcome": "pending", f"h{handover_id}-staff_note": "Tweede."})
    page = login(owner.email).get("/mijn/gegevens/verwijderen")
    assert page.status_code == 200
    login(owner.email).post("/mijn/gegevens/verwijderen", data={"password": PASSWORD, "confirm": "y"})
    texts = make.run(lambda: list(db.session.execute(select(HandoverNote.text)).scalars()))
    assert texts == ["", ""]
