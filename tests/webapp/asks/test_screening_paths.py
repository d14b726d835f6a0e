"""One rule for screening (webapp/accounts/safeguarding.py) on every path of a request: a volunteer without a valid
certificate of conduct (VOG) never reads, is never chosen for, and never gets the contact details of a request that
needs one, whichever way the request became sensitive (posted so, edited so, or the VOG lapsed).

Each attack is made through the test client, as an attacker (or an unlucky requester) would."""

from __future__ import annotations

import json
from datetime import date, timedelta

from sqlalchemy import select

from tests.conftest import page_text, visible
from webapp.accounts.models import User
from webapp.asks.models import HelpRequest, Match, Response
from webapp.core.extensions import db
from webapp.core.ids import utcnow
from webapp.digests.services import _new_suggestions
from webapp.notifications.models import Notification
from webapp.offers.models import Offer

SECRET_TITLE = "Huiswerkhulp voor Daan uit groep 7"
SECRET_TEXT = "Mijn zoon Daan (10) heeft dyslexie en zit op de Ter Cleefschool."


def request_form(**overrides):
    data = {"title": "Boodschappen op woensdag",
            "description": "Ik zoek iemand die op woensdag mijn boodschappen wil doen bij de Dekamarkt.",
            "category": "groceries", "postcode": "2034 AB", "wijk": "WK039218", "slots": ["wed-morning"],
            "languages": ["nl"], "frequency": "once"}
    data.update(overrides)
    return data


def into_homework(client, help_request):
    """The requester edits the request into a category that needs a VOG."""
    return client.post(f"/vragen/{help_request.public_id}/bewerken", data=request_form(
        title=SECRET_TITLE, description=SECRET_TEXT, category="homework"), follow_redirects=True)


def lapse(make, person) -> None:
    def run() -> None:
        profile = db.session.get(User, person.id).volunteer_profile
        profile.screened_until = date.today() - timedelta(days=1)
        db.session.commit()
    make.run(run)


def response_status(make, response_id):
    return make.run(lambda: db.session.execute(
        select(Response.status).where(Response.public_id == response_id)).scalar_one())


def test_editing_into_a_vog_category_closes_unscreened_responses_and_the_requester_cannot_choose_them(
        make, login, tr):
    resident = make.user("resident", phone="06-11112222", locale="en")
    unscreened = make.user("volunteer", first_name="Onbekend", phone="06-99998888")
    help_request = make.request(resident)
    response_id = make.respond(help_request, unscreened)
    owner = login(resident.email)

    page = visible(into_homework(owner, help_request))
    assert tr("en", "Your request is saved.") in page
    assert tr("en", "This request now needs a volunteer with a certificate of conduct (VOG). We closed "
                    "%(num)d response of a volunteer without one, with a kind message.",
              "This request now needs a volunteer with a certificate of conduct (VOG). We closed "
              "%(num)d responses of volunteers without one, with a kind message.", num=1) in page
    assert response_status(make, response_id) == "needs_vog"
    assert make.count(Notification, Notification.user_id == unscreened.id,
                      Notification.kind == "response_closed_screening") == 1

    # A crafted POST to choose the closed response: no match, no contact details either way.
    owner.post(f"/vragen/{help_request.public_id}/kiezen/{response_id}")
    assert make.count(Match, Match.request_id == help_request.id) == 0
    helper = login(unscreened.email)
    assert helper.get(f"/vragen/{help_request.public_id}").status_code == 404
    assert "06-99998888" not in page_text(owner.get(f"/vragen/{help_request.public_id}"))


def test_a_past_responder_no_longer_reads_a_request_that_became_sensitive(make, login):
    resident = make.user("resident")
    unscreened = make.user("volunteer")
    screened = make.user("volunteer", screened=True)
    help_request = make.request(resident)
    make.respond(help_request, unscreened)
    make.respond(help_request, screened)
    into_homework(login(resident.email), help_request)

    reader = login(unscreened.email)
    assert reader.get(f"/vragen/{help_request.public_id}").status_code == 404
    dashboard = visible(reader.get("/mijn"))
    assert SECRET_TITLE not in dashboard
    export = json.loads(reader.get("/mijn/gegevens/download").get_data(as_text=True))
    assert SECRET_TITLE not in json.dumps(export, ensure_ascii=False)
    # The screened responder still reads it, and may still be chosen.
    assert SECRET_TEXT in visible(login(screened.email).get(f"/vragen/{help_request.public_id}"))


def test_the_requester_cannot_choose_a_responder_whose_vog_lapsed(make, login, tr):
    resident = make.user("resident", locale="nl", phone="06-11112222")
    volunteer = make.user("volunteer", first_name="Verlopen", screened=True, phone="06-99998888")
    help_request = make.request(resident, title=SECRET_TITLE, category_key="homework")
    response_id = make.respond(help_request, volunteer)
    lapse(make, volunteer)
    owner = login(resident.email)

    page = owner.get(f"/vragen/{help_request.public_id}")
    text = visible(page)
    assert tr("nl", "%(name)s has no valid certificate of conduct (VOG) at the moment, which this request needs. "
                    "You cannot choose them now.", name="Verlopen") in text
    assert f"/kiezen/{response_id}" not in page_text(page)

    done = owner.post(f"/vragen/{help_request.public_id}/kiezen/{response_id}", follow_redirects=True)
    assert done.status_code == 200
    assert tr("nl", "This helper has no valid certificate of conduct (VOG), which this request needs. Wait for "
                    "another response, or ask the volunteer centre for help.") in visible(done)
    assert make.count(Match, Match.request_id == help_request.id) == 0
    assert make.run(lambda: db.session.get(HelpRequest, help_request.id).status) == "open"
    assert "06-99998888" not in page_text(done)
    assert "06-11112222" not in page_text(login(volunteer.email).get(f"/vragen/{help_request.public_id}"))


def test_an_unscreened_volunteer_cannot_respond_to_a_request_that_became_sensitive_a_moment_ago(make, login, tr):
    """The page was loaded before the edit; the response arrives after it. Not stored; the volunteer hears why
    (without the new text), not "page not found"."""
    resident = make.user("resident")
    volunteer = make.user("volunteer", locale="en")
    help_request = make.request(resident)
    reader = login(volunteer.email)
    assert reader.get(f"/vragen/{help_request.public_id}").status_code == 200
    into_homework(login(resident.email), help_request)
    answer = reader.post(f"/vragen/{help_request.public_id}/reageren",
                         data={"message": "Ik help graag, ik ben er woensdag."}, follow_redirects=True)
    assert tr("en", "This request now needs a volunteer with a certificate of conduct (VOG). Thank you for wanting "
                    "to help! Other requests are waiting for you.") in visible(answer)
    assert SECRET_TITLE not in visible(answer)
    assert make.count(Response, Response.request_id == help_request.id) == 0


def test_an_unscreened_volunteer_never_meets_a_sensitive_request_on_any_path(make, login, app):
    """List, page, suggestions, digests and invitations: the paths that were guarded before, each checked once."""
    resident = make.user("resident")
    unscreened = make.user("volunteer")
    screened = make.user("volunteer", screened=True)
    help_request = make.request(resident, title=SECRET_TITLE, category_key="homework",
                                description="Hulp bij boodschappen en huiswerk voor mijn zoon, computer erbij.")
    reader = login(unscreened.email)
    assert SECRET_TITLE not in visible(reader.get("/vragen/"))
    assert reader.get(f"/vragen/{help_request.public_id}").status_code == 404
    assert SECRET_TITLE not in visible(reader.get("/aanbevolen/"))
    assert reader.post(f"/vragen/{help_request.public_id}/reageren",
                       data={"message": "Ik help graag, ik ben er woensdag."}).status_code == 404
    assert make.count(Response, Response.request_id == help_request.id) == 0

    def digest_lines(person_id):
        user = db.session.get(User, person_id)
        requests, _initiatives = _new_suggestions([user], utcnow()).get(user.id, ([], []))
        return [line.title for line in requests]

    with app.test_request_context("/"):
        assert SECRET_TITLE not in make.run(digest_lines, unscreened.id)
    staff = login(make.user("staff").email)
    assert staff.post(f"/aanbevolen/{help_request.public_id}/uitnodigen/{unscreened.public_id}").status_code == 403
    assert make.count(Notification, Notification.user_id == unscreened.id) == 0
    assert SECRET_TITLE in visible(login(screened.email).get("/vragen/"))


# -- offers -------------------------------------------------------------------------------------------------------

def offer_form(**overrides):
    data = {"title": "Ik help kinderen met huiswerk",
            "description": "Na schooltijd help ik kinderen uit groep 6 tot 8 met rekenen en taal.",
            "category": "homework", "postcode": "2034 AB", "wijk": "WK039218", "slots": ["wed-afternoon"],
            "languages": ["nl"]}
    data.update(overrides)
    return data


def test_an_unscreened_volunteer_cannot_offer_help_that_needs_a_vog_and_keeps_what_they_typed(make, login, tr):
    volunteer = make.user("volunteer", locale="en")
    client = login(volunteer.email)
    page = client.post("/aanbod/nieuw", data=offer_form())
    assert page.status_code == 200
    text = visible(page)
    assert tr("en", "To offer this kind of help you need a certificate of conduct (VOG) checked by the volunteer "
                    "centre. Choose another kind of help, or ask the volunteer centre about a VOG.") in text
    assert "Na schooltijd help ik kinderen uit groep 6 tot 8 met rekenen en taal." in text
    assert make.count(Offer) == 0
    assert login(make.user("volunteer", screened=True).email).post(
        "/aanbod/nieuw", data=offer_form()).status_code == 302


def test_parents_cannot_reach_an_unscreened_volunteer_through_an_offer_that_needs_a_vog(make, login, anon, tr):
    volunteer = make.user("volunteer", screened=True)
    offer = make.offer(volunteer, title="Huiswerkhulp na school", category_key="homework")
    lapse(make, volunteer)  # the VOG lapsed after the offer went online
    assert "Huiswerkhulp na school" not in visible(anon("nl").get("/aanbod/"))

    parent = login(make.user("resident", locale="en").email)
    page = parent.post(f"/aanbod/{offer.public_id}/vragen", data={"message": SECRET_TEXT})
    assert page.status_code == 403
    assert tr("en", "This volunteer cannot take questions about this kind of help at the moment. Post a request "
                    "instead: volunteers with a checked certificate of conduct (VOG) will see it.") in visible(page)
    assert SECRET_TEXT in visible(page)  # what the parent typed is still there
    assert make.count(HelpRequest, HelpRequest.offer_id == offer.id) == 0


def test_the_volunteer_behind_an_offer_no_longer_reads_questions_that_need_a_vog_once_it_lapsed(make, login):
    volunteer = make.user("volunteer", screened=True)
    offer = make.offer(volunteer, title="Huiswerkhulp na school", category_key="homework")
    parent = make.user("resident")
    parent_client = login(parent.email)
    assert parent_client.post(f"/aanbod/{offer.public_id}/vragen", data={"message": SECRET_TEXT}).status_code == 302
    asked = make.run(lambda: db.session.execute(
        select(HelpRequest.public_id).where(HelpRequest.offer_id == offer.id)).scalar_one())
    helper = login(volunteer.email)
    assert SECRET_TEXT in visible(helper.get(f"/vragen/{asked}"))
    lapse(make, volunteer)
    assert helper.get(f"/vragen/{asked}").status_code == 404
    assert helper.post(f"/vragen/{asked}/ja").status_code in (403, 404)
    assert make.count(Match) == 0
