"""Assisted intake: staff post a request for a resident without e-mail, with the resident's consent, and act as
the contact. The volunteer sees the staff member's details after the match, never the resident's."""

from __future__ import annotations

import re
from datetime import date
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from tests.conftest import page_text, visible
from webapp.accounts.models import User
from webapp.asks.models import HelpRequest, Match
from webapp.core.audit import AuditEntry
from webapp.core.extensions import db
from webapp.notifications.models import Notification
from webapp.staff.models import Intake

RESIDENT_PHONE = "023-5550199"


def intake_form(**overrides):
    data = {
        "resident": "", "resident_first_name": "Truus", "resident_last_name": "Visserman",
        "resident_phone": RESIDENT_PHONE, "postcode": "2034 AB", "wijk": "WK039218",
        "consent_how": "phone", "consent_given_by": "resident", "consent_on": date.today().isoformat(),
        "staff_note": "Slechtziend, belt liever dan dat ze mailt.",
        "title": "Hulp bij boodschappen op vrijdag", "description": "Mevrouw kan niet meer zelf naar de winkel.",
        "category": "groceries", "languages": ["nl"], "frequency": "once",
    }
    data.update(overrides)
    return data


@pytest.fixture
def intake(make, login):
    staff = make.user("staff", first_name="Sanne", phone="023-5123456", email="sanne@vwc.example")
    client = login(staff.email)
    assert client.get("/werkruimte/intake/nieuw").status_code == 200
    response = client.post("/werkruimte/intake/nieuw", data=intake_form())
    assert response.status_code == 302, visible(response)[:800]
    public_id = response.headers["Location"].rsplit("/", 1)[-1]
    return staff, client, public_id


def test_staff_post_for_a_resident_without_email_and_record_consent(make, intake):
    staff, _client, public_id = intake

    def stored():
        row = db.session.execute(select(HelpRequest).where(HelpRequest.public_id == public_id)).scalar_one()
        entry = db.session.execute(select(Intake).where(Intake.request_id == row.id)).scalar_one()
        resident = row.requester
        return (row.contact_staff_id, row.moderation, resident.email, resident.password_hash, resident.first_name,
                resident.phone, set(resident.roles), entry.consent_how, entry.consent_given_by, entry.consent_on,
                entry.staff_id, entry.note)

    assert make.run(stored) == (staff.id, "ok", None, None, "Truus", RESIDENT_PHONE, {"resident"}, "phone",
                                "resident", date.today(), staff.id, "Slechtziend, belt liever dan dat ze mailt.")
    assert make.count(AuditEntry, AuditEntry.action == "intake", AuditEntry.actor_id == staff.id) == 1


def test_missing_consent_is_explained_and_the_input_kept(make, login, tr):
    client = login(make.user("staff", locale="en").email, lang="en")
    response = client.post("/werkruimte/intake/nieuw",
                           data=intake_form(consent_how="", resident_first_name=""))
    assert response.status_code == 400
    page = visible(response)
    assert tr("en", "Choose how the resident agreed.") in page
    assert tr("en", "Fill in the first name of the resident.") in page
    assert "Hulp bij boodschappen op vrijdag" in page and RESIDENT_PHONE in page
    assert make.count(HelpRequest) == 0 and make.count(User) == 1


def test_the_volunteer_reaches_the_staff_member_and_never_sees_the_resident(make, login, intake):
    staff, staff_client, public_id = intake
    volunteer = make.user("volunteer", first_name="Karim", phone="06-99887766")
    volunteer_client = login(volunteer.email)

    before = page_text(volunteer_client.get(f"/vragen/{public_id}"))
    for secret in (RESIDENT_PHONE, "Visserman", "023-5123456", "sanne@vwc.example", "Slechtziend"):
        assert secret not in before
    assert volunteer_client.post(f"/vragen/{public_id}/reageren", data={"message": "Ik kan vrijdag"}).status_code \
        == 302

    # The staff member hears about the response, not the resident (who never logs in).
    assert make.count(Notification, Notification.user_id == staff.id, Notification.kind == "new_response") == 1
    mine = visible(staff_client.get("/werkruimte/intakes"))
    assert "Hulp bij boodschappen op vrijdag" in mine and RESIDENT_PHONE in mine

    # The staff member chooses the volunteer on the resident's behalf.
    response_id = make.response_ids(make.fetch(HelpRequest, _id(make, public_id), "id"))[0]
    assert staff_client.post(f"/vragen/{public_id}/kiezen/{response_id}").status_code == 302
    assert make.count(Match) == 1

    after = page_text(volunteer_client.get(f"/vragen/{public_id}"))
    assert "023-5123456" in after and "sanne@vwc.example" in after  # the staff member is the contact
    for secret in (RESIDENT_PHONE, "Visserman", "Truus", "Slechtziend"):
        assert secret not in after
    staff_view = page_text(staff_client.get(f"/vragen/{public_id}"))
    assert "06-99887766" in staff_view  # the staff member sees the volunteer's details to pass them on

    # Either side closes the help; the staff member says thanks for the resident.
    assert volunteer_client.post(f"/vragen/{public_id}/klaar").status_code == 302
    assert staff_client.post(f"/vragen/{public_id}/bedanken", data={"message": "Mevrouw is blij", "hours": "2"}) \
        .status_code == 302


def _id(make, public_id):
    return make.run(lambda: db.session.execute(
        select(HelpRequest.id).where(HelpRequest.public_id == public_id)).scalar_one())


def test_other_staff_do_not_act_for_the_resident(make, login, intake):
    _staff, _client, public_id = intake
    other = login(make.user("staff").email)
    assert other.get(f"/vragen/{public_id}/bewerken").status_code == 403
    assert other.post(f"/vragen/{public_id}/annuleren").status_code == 403


def test_another_request_for_the_same_resident(make, login, intake):
    _staff, client, _public_id = intake

    def resident_id():
        return db.session.execute(select(User.public_id).where(User.email.is_(None))).scalar_one()

    resident = make.run(resident_id)
    page = client.get(f"/werkruimte/intake/nieuw?bewoner={resident}")
    assert f'value="{resident}" selected' in page_text(page) or f'selected value="{resident}"' in page_text(page)
    response = client.post("/werkruimte/intake/nieuw", data=intake_form(
        resident=resident, resident_first_name="", title="Lamp ophangen in de gang",
        description="Mevrouw heeft een nieuwe lamp en kan niet op de trap staan.", category="odd_jobs"))
    assert response.status_code == 302
    assert make.count(User, User.email.is_(None)) == 1
    assert make.count(Intake) == 2


def test_my_intakes_show_an_open_request_as_open_not_as_a_link_word(make, login, intake, tr):
    """The Dutch for "Open" the link ("Bekijken") is not the Dutch for "open" the status."""
    _staff, client, _public_id = intake
    page = visible(client.get("/werkruimte/intakes"))
    row = page.split("Hulp bij boodschappen op vrijdag", 1)[1].split("</tr>", 1)[0]
    assert tr("nl", "Open: looking for a helper") in row
    assert tr("nl", "Open") not in row.replace(tr("nl", "Open: looking for a helper"), "")


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_the_intake_form_speaks_to_the_staff_member_about_the_resident(make, login, tr, lang):
    client = login(make.user("staff").email, lang=lang)
    page = visible(client.get("/werkruimte/intake/nieuw"))
    for msgid in ("Postcode of the resident", "What does the resident need help with?",
                  "Languages the resident speaks",
                  "For example 2034 AB. Only the resident's wijk is shown, never the street."):
        assert tr(lang, msgid) in page
    for msgid in ("What do you need help with?", "Languages you speak",
                  "For example 2034 AB. We only show your wijk, never your street."):
        assert tr(lang, msgid) not in page
    refused = client.post("/werkruimte/intake/nieuw", data=intake_form(postcode=""))
    assert refused.status_code == 400
    assert tr(lang, "Fill in the resident's postcode, for example 2034 AB.") in visible(refused)
    assert tr(lang, "Fill in your postcode, for example 2034 AB.") not in visible(refused)


def test_a_colleague_sees_the_team_intakes_and_takes_one_over(make, login, intake):
    """Intakes belonged to one consulent: when she is ill her residents were stuck. A colleague takes one over,
    then sees the responses and chooses the helper; a second, late take-over from a stale page changes nothing."""
    colleague = make.user("staff", first_name="Joost")
    other = make.user("staff", first_name="Fleur")
    client, late = login(colleague.email), login(other.email)
    team = client.get("/werkruimte/intakes?team=1")
    page = team.get_data(as_text=True)
    assert "Hulp bij boodschappen op vrijdag" in visible(team) and "Sanne" in visible(team)
    form = page.split('/overnemen"', 1)[1].split("</form>", 1)[0]
    seen = re.search(r'name="seen" value="([^"]+)"', form).group(1)
    late_page = late.get("/werkruimte/intakes?team=1").get_data(as_text=True)
    public_id = re.search(r'/werkruimte/intakes/([^/"]+)/overnemen', page).group(1)

    assert client.post(f"/werkruimte/intakes/{public_id}/overnemen", data={"seen": seen}).status_code == 302
    late_seen = re.search(r'name="seen" value="([^"]+)"', late_page.split('/overnemen"', 1)[1]).group(1)
    refused = late.post(f"/werkruimte/intakes/{public_id}/overnemen", data={"seen": late_seen})
    assert refused.status_code == 302 and "team=1" in refused.headers["Location"]

    def contact():
        row = db.session.execute(select(HelpRequest).where(HelpRequest.public_id == public_id)).scalar_one()
        return row.contact_staff_id

    assert make.run(contact) == colleague.id
    assert make.count(AuditEntry, AuditEntry.action == "take_over_intake", AuditEntry.target_ref == public_id) == 1
    assert "Hulp bij boodschappen op vrijdag" in visible(client.get("/werkruimte/intakes"))

    # The new contact chooses the helper for the resident (and that is logged).
    volunteer = make.user("volunteer")
    request_id = make.run(lambda: db.session.execute(
        select(HelpRequest.id).where(HelpRequest.public_id == public_id)).scalar_one())
    response_id = make.respond(SimpleNamespace(id=request_id), volunteer)
    assert client.post(f"/vragen/{public_id}/kiezen/{response_id}").status_code == 302
    assert make.count(AuditEntry, AuditEntry.action == "choose_helper", AuditEntry.actor_id == colleague.id,
                      AuditEntry.target_ref == public_id) == 1
