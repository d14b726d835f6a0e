"""Who may do what: nobody edits, cancels or accepts on another person's request; volunteers cannot accept;
screening-required requests are only for screened volunteers."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.conftest import visible
from webapp.accounts.models import VolunteerProfile
from webapp.asks.models import HelpRequest, Match, Response
from webapp.core.extensions import db

REFUSED = (403, 404)


def status_of(help_request_id):
    return db.session.get(HelpRequest, help_request_id).status


def title_of(help_request_id):
    return db.session.get(HelpRequest, help_request_id).title


EDIT = {"title": "Overgenomen titel", "description": "Iemand anders probeert dit te veranderen.",
        "category": "groceries", "postcode": "2012", "languages": ["nl"], "frequency": "once"}


@pytest.fixture
def scene(make):
    owner = make.user("resident")
    volunteer = make.user("volunteer")
    help_request = make.request(owner, title="Oorspronkelijke titel")
    response_id = make.respond(help_request, volunteer)
    return owner, volunteer, help_request, response_id


@pytest.mark.parametrize("intruder_roles", [("resident",), ("volunteer",), ("staff",), ("volunteer", "staff")])
def test_nobody_edits_cancels_or_accepts_on_another_persons_request(make, login, scene, intruder_roles):
    _owner, _volunteer, help_request, response_id = scene
    intruder = login(make.user(*intruder_roles, screened=True).email)
    rid = help_request.public_id

    assert intruder.get(f"/vragen/{rid}/bewerken").status_code in REFUSED
    assert intruder.post(f"/vragen/{rid}/bewerken", data=EDIT).status_code in REFUSED
    assert intruder.post(f"/vragen/{rid}/annuleren").status_code in REFUSED
    assert intruder.post(f"/vragen/{rid}/kiezen/{response_id}").status_code in REFUSED

    assert make.run(title_of, help_request.id) == "Oorspronkelijke titel"
    assert make.run(status_of, help_request.id) == "open"
    assert make.count(Match) == 0


def test_volunteer_cannot_accept_their_own_or_any_response(make, login, scene):
    _owner, volunteer, help_request, response_id = scene
    client = login(volunteer.email)
    assert client.post(f"/vragen/{help_request.public_id}/kiezen/{response_id}").status_code in REFUSED
    assert make.run(status_of, help_request.id) == "open"
    assert make.count(Match) == 0


def test_owner_cannot_accept_a_response_of_another_request(make, login, scene):
    owner, _volunteer, help_request, _response_id = scene
    other_request = make.request(make.user("resident"))
    foreign_response = make.respond(other_request, make.user("volunteer"))
    client = login(owner.email)
    assert client.post(f"/vragen/{help_request.public_id}/kiezen/{foreign_response}").status_code in REFUSED
    assert client.post(f"/vragen/{help_request.public_id}/kiezen/does-not-exist").status_code in REFUSED
    assert make.count(Match) == 0


def test_owner_cannot_respond_to_their_own_request(make, login):
    owner = make.user("resident", "volunteer")
    help_request = make.request(owner)
    response = login(owner.email).post(f"/vragen/{help_request.public_id}/reageren", data={"message": "Ikzelf"})
    assert response.status_code in REFUSED
    assert make.count(Response) == 0


def test_resident_without_volunteer_role_cannot_respond(make, login, tr):
    help_request = make.request(make.user("resident"))
    client = login(make.user("resident", locale="en").email)
    page = visible(client.get(f"/vragen/{help_request.public_id}"))
    assert tr("en", "To respond, add the volunteer role on your account page.") in page
    response = client.post(f"/vragen/{help_request.public_id}/reageren", data={"message": "Ik help wel"})
    assert response.status_code in REFUSED
    assert make.count(Response) == 0


def test_only_the_two_matched_people_mark_done_or_say_thanks(make, login):
    owner = make.user("resident")
    helper, not_chosen = make.user("volunteer"), make.user("volunteer")
    help_request = make.request(owner)
    chosen_id = make.respond(help_request, helper)
    make.respond(help_request, not_chosen)
    make.accept(help_request, chosen_id)
    rid = help_request.public_id

    for person in (not_chosen, make.user("staff")):
        client = login(person.email)
        assert client.post(f"/vragen/{rid}/klaar").status_code in REFUSED
    assert make.run(status_of, help_request.id) == "matched"

    login(helper.email).post(f"/vragen/{rid}/klaar")
    for person in (not_chosen, make.user("staff"), make.user("resident")):
        response = login(person.email).post(f"/vragen/{rid}/bedanken", data={"message": "Nep", "hours": "9"})
        assert response.status_code in REFUSED

    def hours():
        return db.session.execute(select(Match.hours)).scalar_one()

    assert make.run(hours) is None


def test_matched_request_is_closed_to_people_who_did_not_take_part(make, login, anon):
    owner = make.user("resident")
    help_request = make.matched(owner, make.user("volunteer"))
    assert anon("en").get(f"/vragen/{help_request.public_id}").status_code == 404
    for person in (make.user("volunteer", screened=True), make.user("resident")):
        assert login(person.email).get(f"/vragen/{help_request.public_id}").status_code == 404
    assert login(make.user("staff").email).get(f"/vragen/{help_request.public_id}").status_code == 200


# Screening-required requests ---------------------------------------------------------------------------------

@pytest.fixture
def sensitive(make):
    owner = make.user("resident")
    return make.request(owner, title="Hulp met mijn schulden en post", category_key="paperwork")


def test_unscreened_volunteer_cannot_see_a_screening_request(make, login, sensitive):
    client = login(make.user("volunteer", screened=False).email)
    assert client.get(f"/vragen/{sensitive.public_id}").status_code == 404
    for url in ("/vragen/", "/vragen/?category=paperwork", "/"):
        assert "Hulp met mijn schulden" not in visible(client.get(url)), url


def test_unscreened_volunteer_cannot_respond_to_a_screening_request(make, login, sensitive):
    client = login(make.user("volunteer", screened=False).email)
    response = client.post(f"/vragen/{sensitive.public_id}/reageren", data={"message": "Ik help graag"})
    assert response.status_code == 404
    assert make.count(Response) == 0


def test_screening_request_is_hidden_from_anonymous_visitors_and_residents(make, login, anon, sensitive):
    for client in (anon("nl"), login(make.user("resident").email)):
        assert client.get(f"/vragen/{sensitive.public_id}").status_code == 404
        assert "Hulp met mijn schulden" not in visible(client.get("/vragen/"))


def test_screened_volunteer_sees_and_responds_to_a_screening_request(make, login, sensitive):
    client = login(make.user("volunteer", screened=True).email)
    assert "Hulp met mijn schulden" in visible(client.get("/vragen/"))
    assert client.get(f"/vragen/{sensitive.public_id}").status_code == 200
    response = client.post(f"/vragen/{sensitive.public_id}/reageren", data={"message": "Ik heb een VOG."})
    assert response.status_code == 302
    assert make.count(Response) == 1


def test_owner_and_staff_see_a_screening_request(make, login, sensitive):
    owner_email = make.run(lambda: db.session.get(HelpRequest, sensitive.id).requester.email)
    assert login(owner_email).get(f"/vragen/{sensitive.public_id}").status_code == 200
    staff = login(make.user("staff").email)
    assert staff.get(f"/vragen/{sensitive.public_id}").status_code == 200
    assert "Hulp met mijn schulden" in visible(staff.get("/vragen/"))


def test_volunteer_who_loses_screening_can_no_longer_respond(make, login, sensitive):
    volunteer = make.user("volunteer", screened=True)
    client = login(volunteer.email)
    assert client.get(f"/vragen/{sensitive.public_id}").status_code == 200

    def unscreen():
        db.session.get(VolunteerProfile, volunteer.id).is_screened = False
        db.session.commit()

    make.run(unscreen)
    assert client.post(f"/vragen/{sensitive.public_id}/reageren", data={"message": "Toch"}).status_code == 404
    assert make.count(Response) == 0
