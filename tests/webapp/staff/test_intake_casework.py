"""The intake page: the consent text and its version, the contact log, the withdrawal of consent, the letter for a
resident without e-mail, and the resident's address for the chosen volunteer (only while the match is live)."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from tests.conftest import page_text, visible
from tests.webapp.staff.test_staff_intake import intake_form
from webapp.asks.models import HelpRequest, Match
from webapp.core.audit import AuditEntry
from webapp.core.extensions import db
from webapp.core.ids import utcnow
from webapp.notifications.models import Notification
from webapp.staff.consent import CONSENT_TEXTS, CURRENT_VERSION
from webapp.staff.models import ContactLogEntry, Intake

ADDRESS = "Zomerkade 17 zwart"
RESIDENT_PHONE = "023-5550199"


def take_in(make, login, **overrides):
    """A request a staff member took in for Truus; returns (staff, client, public id)."""
    staff = make.user("staff", first_name="Sanne", phone="023-5123456")
    client = login(staff.email)
    response = client.post("/werkruimte/intake/nieuw", data=intake_form(**overrides))
    assert response.status_code == 302, visible(response)[:800]
    return staff, client, response.headers["Location"].rsplit("/", 1)[-1]


def _row(public_id):
    return db.session.execute(select(HelpRequest).where(HelpRequest.public_id == public_id)).scalar_one()


def _intake(public_id):
    return db.session.execute(select(Intake).join(HelpRequest, HelpRequest.id == Intake.request_id)
                              .where(HelpRequest.public_id == public_id)).scalar_one()


def respond(make, public_id, volunteer):
    return make.respond(make.run(lambda: type("R", (), {"id": _row(public_id).id})()), volunteer)


def choose(client, make, public_id, response_id):
    assert client.post(f"/vragen/{public_id}/kiezen/{response_id}").status_code == 302


# -- the consent text and its version ---------------------------------------------------------------------------------

def test_the_form_shows_the_consent_text_and_the_intake_stores_its_version(make, login):
    staff = make.user("staff")
    client = login(staff.email)
    form = visible(client.get("/werkruimte/intake/nieuw"))
    assert CONSENT_TEXTS[CURRENT_VERSION]["nl"][:60] in form and CURRENT_VERSION in form
    response = client.post("/werkruimte/intake/nieuw", data=intake_form(consent_version=CURRENT_VERSION))
    public_id = response.headers["Location"].rsplit("/", 1)[-1]

    def stored():
        row = _intake(public_id)
        return row.consent_version, row.consent_recorded_by_id, row.consent_recorded_at is not None

    assert make.run(stored) == (CURRENT_VERSION, staff.id, True)
    page = visible(client.get(f"/werkruimte/intakes/{public_id}"))
    assert CURRENT_VERSION in page and CONSENT_TEXTS[CURRENT_VERSION]["nl"][:60] in page


def test_an_unknown_consent_version_is_refused_and_what_was_typed_kept(make, login, tr):
    client = login(make.user("staff", locale="en").email, lang="en")
    response = client.post("/werkruimte/intake/nieuw", data=intake_form(consent_version="1999-made-up"))
    assert response.status_code == 400
    page = visible(response)
    assert tr("en", "This agreement text is not known. Open the form again and read the text to the resident.") in page
    assert "Hulp bij boodschappen op vrijdag" in page and make.count(Intake) == 0


# -- the contact log --------------------------------------------------------------------------------------------------

def test_contact_log_newest_first_with_who_and_when_and_logged(make, login, tr):
    staff, client, public_id = take_in(make, login)
    colleague = make.user("staff", first_name="Joost")
    for who, kind, note in ((client, "no_answer", "Geen gehoor om 10 uur"),
                            (login(colleague.email), "called", "Belt vrijdag terug")):
        assert who.post(f"/werkruimte/intakes/{public_id}/contact", data={"kind": kind, "note": note}) \
            .status_code == 302
    page = visible(client.get(f"/werkruimte/intakes/{public_id}"))
    assert page.index("Belt vrijdag terug") < page.index("Geen gehoor om 10 uur")  # newest first
    assert "Joost" in page and tr("nl", "No answer") in page
    entries = make.run(lambda: [(e.kind, e.staff_id) for e in db.session.execute(
        select(ContactLogEntry).order_by(ContactLogEntry.id)).scalars()])
    assert entries == [("no_answer", staff.id), ("called", colleague.id)]
    details = make.run(lambda: [e.details for e in db.session.execute(
        select(AuditEntry).where(AuditEntry.action == "contact_logged")).scalars()])
    assert len(details) == 2 and all("Belt" not in str(d) and "gehoor" not in str(d) for d in details)


def test_a_bad_contact_entry_is_explained_and_kept(make, login, tr):
    _staff, client, public_id = take_in(make, login)
    client = login(make.user("staff", locale="en").email, lang="en")
    response = client.post(f"/werkruimte/intakes/{public_id}/contact", data={"kind": "", "note": "Wat ik typte"})
    assert response.status_code == 400
    assert tr("en", "Choose what happened.") in visible(response) and "Wat ik typte" in page_text(response)
    assert make.count(ContactLogEntry) == 0


@pytest.mark.parametrize("role", ["resident", "volunteer"])
def test_only_staff_see_or_write_the_contact_log(make, login, role):
    _staff, client, public_id = take_in(make, login)
    client.post(f"/werkruimte/intakes/{public_id}/contact", data={"kind": "called", "note": "Geheime notitie"})
    outsider = login(make.user(role).email)
    assert outsider.get(f"/werkruimte/intakes/{public_id}").status_code == 403
    assert outsider.post(f"/werkruimte/intakes/{public_id}/contact", data={"kind": "other"}).status_code == 403
    assert "Geheime notitie" not in page_text(outsider.get(f"/vragen/{public_id}"))
    assert make.count(ContactLogEntry) == 1


def test_opening_the_intake_page_is_logged_once_per_session(make, login):
    staff, client, public_id = take_in(make, login)
    client.get(f"/werkruimte/intakes/{public_id}")
    client.get(f"/werkruimte/intakes/{public_id}")
    assert make.count(AuditEntry, AuditEntry.action == "view_person", AuditEntry.actor_id == staff.id) == 1


# -- consent withdrawn ------------------------------------------------------------------------------------------------

def test_withdrawal_takes_an_open_request_offline_and_tells_the_responders(make, login, anon):
    _staff, client, public_id = take_in(make, login, resident_address=ADDRESS, address_shareable="y")
    volunteer = make.user("volunteer")
    respond(make, public_id, volunteer)
    assert client.post(f"/werkruimte/intakes/{public_id}/intrekken",
                       data={"withdrawn_on": date.today().isoformat()}).status_code == 302
    assert make.run(lambda: _row(public_id).status) == "cancelled"
    assert make.run(lambda: (_intake(public_id).address, _intake(public_id).address_shareable,
                             _intake(public_id).withdrawn_on)) == ("", False, date.today())
    assert "Hulp bij boodschappen op vrijdag" not in visible(anon("nl").get("/vragen/"))
    assert make.count(Notification, Notification.user_id == volunteer.id,
                      Notification.kind == "request_cancelled") == 1
    again = client.post(f"/werkruimte/intakes/{public_id}/intrekken", data={"withdrawn_on": date.today().isoformat()})
    assert again.status_code == 302
    assert make.count(AuditEntry, AuditEntry.action == "consent_withdrawn") == 1


def test_withdrawal_ends_a_live_match_and_the_helper_loses_the_address(make, login):
    _staff, client, public_id = take_in(make, login, resident_address=ADDRESS, address_shareable="y")
    volunteer = make.user("volunteer")
    choose(client, make, public_id, respond(make, public_id, volunteer))
    helper = login(volunteer.email)
    assert ADDRESS in page_text(helper.get(f"/vragen/{public_id}"))
    client.post(f"/werkruimte/intakes/{public_id}/intrekken", data={"withdrawn_on": date.today().isoformat()})
    assert make.run(lambda: _row(public_id).status) == "cancelled"
    after = page_text(helper.get(f"/vragen/{public_id}"))
    assert ADDRESS not in after and "023-5123456" not in after
    assert make.count(Notification, Notification.user_id == volunteer.id,
                      Notification.kind == "match_ended_by_centre") == 1


def test_a_withdrawal_date_in_the_future_is_refused(make, login, tr):
    _staff, client, public_id = take_in(make, login)
    response = client.post(f"/werkruimte/intakes/{public_id}/intrekken",
                           data={"withdrawn_on": (date.today() + timedelta(days=1)).isoformat()})
    assert response.status_code == 400
    assert tr("nl", "This date is in the future. Choose today or an earlier day.") in visible(response)
    assert make.run(lambda: _row(public_id).status) == "open"


# -- the letter -------------------------------------------------------------------------------------------------------

def test_no_letter_before_a_helper_is_chosen(make, login, tr):
    _staff, client, public_id = take_in(make, login)
    response = client.get(f"/werkruimte/intakes/{public_id}/brief", follow_redirects=True)
    assert tr("nl", "The letter can be printed once a helper is chosen.") in visible(response)
    assert client.post(f"/werkruimte/intakes/{public_id}/brief.pdf").status_code == 302
    assert make.count(ContactLogEntry) == 0


def test_the_letter_says_who_helps_and_printing_it_is_a_contact_log_entry(make, login, tr):
    staff, client, public_id = take_in(make, login)
    volunteer = make.user("volunteer", first_name="Karim", last_name="Yilmaz", phone="06-99887766")
    choose(client, make, public_id, respond(make, public_id, volunteer))
    page = client.get(f"/werkruimte/intakes/{public_id}/brief")
    text = visible(page)
    assert tr("nl", "Good news: %(helper)s will help you with: %(title)s.", helper="Karim",
              title="Hulp bij boodschappen op vrijdag") in text
    assert "023-5123456" in text and "Yilmaz" not in text and "06-99887766" not in text
    assert "css/letter.css" in page.get_data(as_text=True)  # the print styles
    english = visible(client.get(f"/werkruimte/intakes/{public_id}/brief?taal=en"))
    assert tr("en", "A helper for your request") in english
    assert client.post(f"/werkruimte/intakes/{public_id}/brief").status_code == 302
    pdf = client.post(f"/werkruimte/intakes/{public_id}/brief.pdf", data={"taal": "nl"})
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    body = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Karim" in body and "Truus" in body and "Yilmaz" not in body
    assert make.run(lambda: [e.kind for e in db.session.execute(select(ContactLogEntry)).scalars()]) == \
        ["letter", "letter"]
    assert make.count(AuditEntry, AuditEntry.action == "letter_printed", AuditEntry.actor_id == staff.id) == 2


def test_a_letter_in_a_language_the_print_fonts_lack_is_a_dutch_pdf(make, login, tr):
    _staff, client, public_id = take_in(make, login)
    choose(client, make, public_id, respond(make, public_id, make.user("volunteer", first_name="Karim")))
    letter = visible(client.get(f"/werkruimte/intakes/{public_id}/brief?taal=uk"))
    assert tr("uk", "A helper for your request") in letter
    pdf = client.post(f"/werkruimte/intakes/{public_id}/brief.pdf", data={"taal": "uk"})
    body = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert pdf.status_code == 200 and tr("nl", "A helper for your request") in body


# -- the address for the chosen volunteer -----------------------------------------------------------------------------

def test_the_address_is_never_shown_before_choosing_nor_to_other_responders(make, login):
    _staff, client, public_id = take_in(make, login, resident_address=ADDRESS, address_shareable="y")
    chosen, other = make.user("volunteer"), make.user("volunteer")
    chosen_response = respond(make, public_id, chosen)
    respond(make, public_id, other)
    for person in (chosen, other):
        assert ADDRESS not in page_text(login(person.email).get(f"/vragen/{public_id}"))  # before choosing
    choose(client, make, public_id, chosen_response)
    assert ADDRESS in page_text(login(chosen.email).get(f"/vragen/{public_id}"))
    assert ADDRESS not in page_text(login(other.email).get(f"/vragen/{public_id}"))
    assert ADDRESS not in page_text(login(make.user("volunteer").email).get(f"/vragen/{public_id}"))


def test_the_address_is_not_shown_when_the_resident_did_not_agree(make, login):
    _staff, client, public_id = take_in(make, login, resident_address=ADDRESS)
    volunteer = make.user("volunteer")
    choose(client, make, public_id, respond(make, public_id, volunteer))
    assert ADDRESS not in page_text(login(volunteer.email).get(f"/vragen/{public_id}"))
    assert ADDRESS in page_text(client.get(f"/werkruimte/intakes/{public_id}"))  # staff see it


def test_the_address_is_gone_after_the_match_ends(app, make, login):
    _staff, client, public_id = take_in(make, login, resident_address=ADDRESS, address_shareable="y")
    volunteer = make.user("volunteer")
    choose(client, make, public_id, respond(make, public_id, volunteer))
    helper = login(volunteer.email)
    assert helper.post(f"/vragen/{public_id}/klaar").status_code == 302
    assert ADDRESS in page_text(helper.get(f"/vragen/{public_id}"))  # the grace days after the help is done

    def long_ago():
        match = db.session.execute(select(Match)).scalar_one()
        match.done_at = utcnow() - timedelta(days=app.config["CONTACT_GRACE_DAYS"] + 1)
        db.session.commit()

    make.run(long_ago)
    assert ADDRESS not in page_text(helper.get(f"/vragen/{public_id}"))


def test_the_address_is_gone_after_a_handover(make, login):
    _staff, client, public_id = take_in(make, login, resident_address=ADDRESS, address_shareable="y")
    volunteer = make.user("volunteer")
    choose(client, make, public_id, respond(make, public_id, volunteer))
    assert ADDRESS in page_text(login(volunteer.email).get(f"/vragen/{public_id}"))
    client.post(f"/werkruimte/vragen/{public_id}/overdracht", data={
        "partner": "Sociaal Wijkteam", "handed_over_on": date.today().isoformat(), "outcome": "pending",
        "basis": "consent", "consent_on": date.today().isoformat(), "notice": "auto"})
    assert make.run(lambda: _row(public_id).status) == "handed_over"
    assert ADDRESS not in page_text(login(volunteer.email).get(f"/vragen/{public_id}"))


def test_sharing_an_address_that_is_not_filled_in_is_explained(make, login, tr):
    client = login(make.user("staff", locale="en").email, lang="en")
    response = client.post("/werkruimte/intake/nieuw", data=intake_form(address_shareable="y"))
    assert response.status_code == 400
    assert tr("en", "Fill in the address, or do not tick that it may be shared.") in visible(response)


# -- the resident's rights: their download, and deleting their account ------------------------------------------------

def test_deleting_the_residents_account_removes_the_address_and_the_contact_notes(make, login):
    _staff, client, public_id = take_in(make, login, resident_address=ADDRESS, address_shareable="y")
    client.post(f"/werkruimte/intakes/{public_id}/contact", data={"kind": "called", "note": "Zoon neemt op"})
    resident = make.run(lambda: _intake(public_id).resident.public_id)
    done = client.post(f"/werkruimte/personen/{resident}/verwijderen", data={"confirm": "y"})
    assert done.status_code == 302

    def left():
        intake = _intake(public_id)
        return intake.address, intake.address_shareable, [e.note for e in db.session.execute(
            select(ContactLogEntry)).scalars()]

    assert make.run(left) == ("", False, [""])


def test_the_residents_download_holds_the_consent_version_and_the_contact_log(app, make, login):
    from webapp.privacy import export

    _staff, client, public_id = take_in(make, login, resident_address=ADDRESS)
    client.post(f"/werkruimte/intakes/{public_id}/contact", data={"kind": "no_answer", "note": "Geen gehoor"})

    def collected():
        return export.collect(_intake(public_id).resident)

    data = make.run(collected)
    assert data["consent_records"][0]["consent_text_version"] == CURRENT_VERSION
    assert data["consent_records"][0]["address"] == ADDRESS
    assert [(c["kind"], c["note"]) for c in data["contact_log"]] == [("no_answer", "Geen gehoor")]
