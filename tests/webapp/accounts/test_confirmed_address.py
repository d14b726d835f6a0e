"""Throw-away accounts reach nobody: before its e-mail address is confirmed, an account cannot respond, say yes,
report, invite, back or sign up (refused with a message that says what to do, what was typed kept); what it posts
(a request, an offer, a question to a volunteer) is kept and goes online the moment the address is confirmed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.conftest import page_text, visible
from tests.webapp import initiative_helpers as ini
from tests.webapp.asks.test_requests import request_form
from tests.webapp.mail_helpers import parts, smtp  # noqa: F401 (smtp is a fixture)
from tests.webapp.offers.test_offers import offer_form
from webapp.accounts.models import User
from webapp.asks.models import HelpRequest, Response
from webapp.core.extensions import db
from webapp.core.ids import utcnow
from webapp.initiatives.models import Backing, Initiative, NeedSignup
from webapp.notifications.models import Notification
from webapp.offers.models import Offer
from webapp.staff.models import Report
from webapp.suggestions.models import Invitation

NOT_YET = ("First confirm your e-mail address with the link we sent you. Then you can do this. No e-mail? Use "
           "the button “Send the e-mail again” at the top of the page.")


def unconfirmed(make, *roles, **kwargs):
    person = make.user(*roles, **kwargs)

    def forget():
        db.session.get(User, person.id).email_verified_at = None
        db.session.commit()

    make.run(forget)
    return person


def confirm_by_mail(client, smtp, email):  # noqa: F811
    """The person asks for the link again (the banner's button) and opens it."""
    assert client.post("/mijn/e-mail-bevestigen", data={}).status_code == 302
    mail = smtp.to(email)[-1]
    word = next(w for w in parts(mail)[0].split() if "/e-mail-bevestigen/" in w)
    assert client.get(word[word.index("/e-mail-bevestigen/"):]).status_code == 302


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_three_throwaway_accounts_cannot_take_a_request_offline_by_reporting(make, login, anon, tr, lang):
    """Used to be: three new accounts report a request and it disappears from the listing."""
    resident = make.user("resident")
    help_request = make.request(resident, title="Hulp bij het plakken van behang")
    for _ in range(3):
        client = login(unconfirmed(make, "resident").email, lang=lang)
        response = client.post(f"/melden/vraag/{help_request.public_id}",
                               data={"reason": "spam", "details": "Dit is reclame!"})
        assert response.status_code == 403
        assert tr(lang, NOT_YET) in visible(response)
        assert "Dit is reclame!</textarea>" in page_text(response)  # what was typed stays
    assert make.count(Report) == 0
    assert "Hulp bij het plakken van behang" in visible(anon("en").get("/vragen/"))


def test_an_unconfirmed_volunteer_cannot_respond_and_keeps_the_message(make, login, tr):
    help_request = make.request(make.user("resident"))
    volunteer = unconfirmed(make, "volunteer", locale="en")
    client = login(volunteer.email)
    page = visible(client.get(f"/vragen/{help_request.public_id}"))
    assert tr("en", "To respond, first confirm your e-mail address with the link we sent you. Then you can respond "
                    "here.") in page
    response = client.post(f"/vragen/{help_request.public_id}/reageren", data={"message": "Ik kom graag helpen!"})
    assert response.status_code == 403 and tr("en", NOT_YET) in visible(response)
    assert "Ik kom graag helpen!</textarea>" in page_text(response)
    assert make.count(Response) == 0


def test_an_unconfirmed_volunteer_cannot_say_yes_to_a_question_through_an_offer(make, login):
    volunteer = make.user("volunteer")
    offer = make.offer(volunteer)
    resident = make.user("resident")
    asked = login(resident.email).post(f"/aanbod/{offer.public_id}/vragen", data={"message": "Helpt u mij?"})
    public_id = asked.headers["Location"].rsplit("/", 1)[-1]
    make.run(lambda: setattr(db.session.get(User, volunteer.id), "email_verified_at", None) or db.session.commit())
    response = login(volunteer.email).post(f"/vragen/{public_id}/ja")
    assert response.status_code == 302
    assert make.run(lambda: db.session.execute(select(HelpRequest.status).where(
        HelpRequest.public_id == public_id)).scalar_one()) == "open"


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_request_posted_before_confirming_waits_and_goes_online_once_confirmed(make, login, anon, smtp, tr,  # noqa: F811
                                                                                 lang):
    person = unconfirmed(make, "resident", locale=lang)
    client = login(person.email, lang=lang)
    response = client.post("/vragen/nieuw", data=request_form(title="Hulp bij de tuin"), follow_redirects=True)
    assert response.status_code == 200
    assert tr(lang, "Your request is saved. It goes online as soon as you confirm your e-mail address with the link "
                    "we sent you.") in visible(response)
    assert tr(lang, "It goes online as soon as you confirm your e-mail address with the link we sent you. Until "
                    "then only you can see it.") in visible(response)
    public_id = make.run(lambda: db.session.execute(select(HelpRequest.public_id)).scalar_one())
    assert "Hulp bij de tuin" not in visible(anon().get("/vragen/"))
    assert login(make.user("volunteer").email).get(f"/vragen/{public_id}").status_code == 404

    make.run(_age_requests, 20)
    confirm_by_mail(client, smtp, person.email)
    assert "Hulp bij de tuin" in visible(anon().get("/vragen/"))
    expires = make.run(lambda: db.session.execute(select(HelpRequest.expires_at)).scalar_one())
    assert expires > utcnow() + timedelta(days=59)  # its full time to find a helper, counted from now


def _age_requests(days):
    for row in db.session.execute(select(HelpRequest)).scalars():
        row.expires_at -= timedelta(days=days)
    db.session.commit()


def test_a_waiting_request_with_personal_details_goes_to_staff_not_online(make, login, anon, smtp):  # noqa: F811
    person = unconfirmed(make, "resident")
    client = login(person.email, lang="en")
    client.post("/vragen/nieuw", data=request_form(description="Bel mij op 06-12345678 voor de boodschappen."))
    confirm_by_mail(client, smtp, person.email)
    assert make.run(lambda: db.session.execute(select(HelpRequest.moderation)).scalar_one()) == "held"


def test_an_offer_posted_before_confirming_waits_too(make, login, anon, smtp):  # noqa: F811
    person = unconfirmed(make, "volunteer")
    client = login(person.email, lang="en")
    client.post("/aanbod/nieuw", data=offer_form(title="Ik repareer fietsen"))
    assert make.run(lambda: db.session.execute(select(Offer.moderation)).scalar_one()) == "waiting"
    assert "Ik repareer fietsen" not in visible(anon().get("/aanbod/"))
    confirm_by_mail(client, smtp, person.email)
    assert "Ik repareer fietsen" in visible(anon().get("/aanbod/"))


def test_a_question_through_an_offer_reaches_the_volunteer_only_once_confirmed(make, login, smtp):  # noqa: F811
    volunteer = make.user("volunteer")
    offer = make.offer(volunteer)
    resident = unconfirmed(make, "resident")
    client = login(resident.email, lang="en")
    assert client.post(f"/aanbod/{offer.public_id}/vragen", data={"message": "Helpt u mij?"}).status_code == 302

    def asked_notes():
        return db.session.execute(select(Notification).where(Notification.user_id == volunteer.id,
                                                              Notification.kind == "asked")).scalars().all()

    assert make.run(lambda: len(asked_notes())) == 0
    confirm_by_mail(client, smtp, resident.email)
    assert make.run(lambda: len(asked_notes())) == 1


def test_an_unconfirmed_account_cannot_back_sign_up_invite_or_register_an_initiative(make, login, tr):
    organiser = make.user("organiser")
    initiative = ini.initiative(make, organiser)
    need = ini.need(make, organiser, initiative)
    stranger = unconfirmed(make, "resident", "volunteer", "organiser", locale="en")
    client = login(stranger.email)
    client.post(f"/initiatieven/{initiative.public_id}/steunen")
    client.post(f"/initiatieven/{initiative.public_id}/behoeften/{need.public_id}/aanmelden",
                data={"message": "Ik help graag"})
    page = visible(client.get(f"/initiatieven/{initiative.public_id}"))
    assert tr("en", NOT_YET) in page
    assert tr("en", "To sign up, first confirm your e-mail address with the link we sent you.") in page
    response = client.post("/initiatieven/nieuw", data={"name": "Buurtbankje", "description": "Een bankje op het plein "
                                                        "voor iedereen die even wil zitten.", "wijken": ["WK039218"],
                                                        "goals": ["1"], "status": "active"})
    assert response.status_code == 403 and 'value="Buurtbankje"' in page_text(response)
    assert make.count(Backing) == 0 and make.count(NeedSignup) == 0 and make.count(Initiative) == 1

    help_request = make.request(stranger)  # a request made before (through the service); now inviting for it
    make.run(lambda: setattr(db.session.get(User, stranger.id), "email_verified_at", None) or db.session.commit())
    volunteer = make.user("volunteer")
    client.post(f"/aanbevolen/{help_request.public_id}/uitnodigen/{volunteer.public_id}")
    assert make.count(Invitation) == 0


def test_staff_and_residents_taken_in_by_staff_count_as_confirmed(app, make):
    from webapp.accounts.confirmation import has_confirmed_address

    staff = make.user("staff")

    def check():
        member = db.session.get(User, staff.id)
        member.email_verified_at = None
        walk_in = User(email=None, password_hash=None, first_name="Truus")
        return has_confirmed_address(member), walk_in.email is None

    assert make.run(check) == (True, True)


def test_waiting_requests_count_nowhere_in_the_reports(make, login):
    from webapp.reports.services import load_facts

    person = unconfirmed(make, "resident")
    login(person.email).post("/vragen/nieuw", data=request_form())
    make.request(make.user("resident"))
    today = utcnow().date()
    facts = make.run(load_facts, today - timedelta(days=1), today + timedelta(days=1))
    assert len(facts.requests) == 1


def test_what_a_stranger_posted_with_my_address_does_not_go_online_when_i_take_the_account_back(make, anon, smtp,  # noqa: F811
                                                                                                 tr):
    """Someone signs up with my address, posts a request (it waits), and I choose a new password through the e-mail
    link: my address is confirmed, but the stranger's text must not go online in my name. It waits until I check
    and save it."""
    from tests.webapp.accounts.test_accounts import registration

    stranger = anon("en")
    stranger.post("/registreren", data=registration(email="mijn@example.org"))
    assert stranger.post("/inloggen", data={"email": "mijn@example.org",
                                             "password": "een lange zin als wachtwoord"}).status_code == 302
    stranger.post("/vragen/nieuw", data=request_form(title="Goedkope zonnepanelen te koop"))
    public_id = make.run(lambda: db.session.execute(select(HelpRequest.public_id)).scalar_one())

    me = anon("en")
    me.post("/wachtwoord-vergeten", data={"email": "mijn@example.org"})
    reset = next(m for m in smtp.to("mijn@example.org") if "/wachtwoord-herstellen/" in parts(m)[0])
    word = next(w for w in parts(reset)[0].split() if "/wachtwoord-herstellen/" in w)
    new = "mijn eigen nieuwe wachtzin"
    me.post(word[word.index("/wachtwoord-herstellen/"):], data={"password": new, "password_again": new})
    assert stranger.get("/mijn").status_code == 302  # the stranger's session has ended
    assert "Goedkope zonnepanelen" not in visible(anon().get("/vragen/"))

    assert me.post("/inloggen", data={"email": "mijn@example.org", "password": new}).status_code == 302
    page = visible(me.get(f"/vragen/{public_id}"))
    assert tr("en", "This was written before your e-mail address was confirmed with a new password.") in page
    me.post(f"/vragen/{public_id}/bewerken", data=request_form(title="Hulp bij mijn tuin"))
    assert "Hulp bij mijn tuin" in visible(anon().get("/vragen/"))  # checked and saved by me: online
