"""Privacy by default: e-mail, phone and last name stay hidden on every page, for every role, until the requester
chooses a helper; then only the two matched people see each other's details. Public pages never name the
requester."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import select

from tests.conftest import page_text, visible
from webapp.asks.models import HelpRequest
from webapp.core.extensions import db

ROLES = ["anonymous", "owner", "other_resident", "responder", "bystander_volunteer", "staff"]
PUBLIC_PAGES = ("/", "/vragen/", "/aanbod/")


@dataclass
class Cast:
    owner: object
    responder: object
    not_chosen: object
    bystander_volunteer: object
    other_resident: object
    staff: object
    request: object
    offer: object

    def person(self, role):
        return None if role == "anonymous" else getattr(self, role)


def secrets_of(person):
    return {f"{person.first_name}'s e-mail": person.email, f"{person.first_name}'s phone": person.phone,
            f"{person.first_name}'s last name": person.last_name}


@pytest.fixture
def cast(make):
    owner = make.user("resident", first_name="Xandrijntje", last_name="Vanderzwaluw", phone="06-11110001",
                      email="xandrijntje.thuis@example.org")
    responder = make.user("volunteer", first_name="Quirijn", last_name="Oosterbroek", phone="06-22220002",
                          email="quirijn.prive@example.org")
    not_chosen = make.user("volunteer", first_name="Berend", last_name="Zuiderduin", phone="06-33330003",
                           email="berend.prive@example.org")
    bystander = make.user("volunteer", first_name="Tjitske", last_name="Westerwoud", phone="06-44440004",
                          email="tjitske@example.org", screened=True)
    other = make.user("resident", first_name="Hendrika", last_name="Noorderlicht", phone="06-55550005",
                      email="hendrika@example.org")
    staff = make.user("staff", first_name="Consulent", last_name="Stafmedewerker", phone="06-66660006",
                      email="consulent@example.org")
    help_request = make.request(owner, title="Hulp bij het ophangen van een lamp",
                                description="Mijn nieuwe lamp moet aan het plafond, ik heb geen ladder.")
    make.respond(help_request, responder, "Ik heb een ladder en tijd op woensdag.")
    make.respond(help_request, not_chosen, "Ik kan in het weekend.")
    offer = make.offer(responder, title="Klussen in huis")
    return Cast(owner, responder, not_chosen, bystander, other, staff, help_request, offer)


def client_for(role, cast, login, anon):
    person = cast.person(role)
    return anon("nl") if person is None else login(person.email)


def pages_for(role, cast):
    pages = [*PUBLIC_PAGES, f"/vragen/{cast.request.public_id}", f"/aanbod/{cast.offer.public_id}"]
    if role != "anonymous":
        pages += ["/mijn", "/berichten/", "/aanbevolen/"]
    return pages


def assert_absent(client, url, secrets):
    response = client.get(url)
    assert response.status_code in (200, 404), (url, response.status_code)
    for text in (page_text(response), visible(response)):
        for label, value in secrets.items():
            assert value not in text, f"{label} ({value}) shown on {url}"


@pytest.mark.parametrize("role", ROLES)
def test_contact_details_hidden_on_every_page_until_accepted(cast, login, anon, role):
    viewer = cast.person(role)
    client = client_for(role, cast, login, anon)
    secrets = {}
    for person in (cast.owner, cast.responder, cast.not_chosen):
        if person is not viewer:
            secrets.update(secrets_of(person))
    for url in pages_for(role, cast):
        assert_absent(client, url, secrets)


@pytest.mark.parametrize("role", [r for r in ROLES if r != "owner"])
def test_public_pages_never_name_the_requester(cast, login, anon, role):
    client = client_for(role, cast, login, anon)
    for url in (*PUBLIC_PAGES, f"/vragen/{cast.request.public_id}", f"/aanbod/{cast.offer.public_id}"):
        response = client.get(url)
        assert "Xandrijntje" not in visible(response), (role, url)
        assert "Vanderzwaluw" not in visible(response), (role, url)


def test_owner_sees_responders_by_first_name_only_before_choosing(cast, login):
    page = visible(login(cast.owner.email).get(f"/vragen/{cast.request.public_id}"))
    assert "Quirijn" in page and "Berend" in page
    for person in (cast.responder, cast.not_chosen):
        for value in secrets_of(person).values():
            assert value not in page


def accept(cast, make):
    response_id = make.response_ids(cast.request)[0]  # Quirijn responded first
    make.accept(cast.request, response_id)


def test_contact_details_shown_to_both_matched_people_after_accepting(cast, make, login):
    accept(cast, make)
    owner_page = visible(login(cast.owner.email).get(f"/vragen/{cast.request.public_id}"))
    for value in secrets_of(cast.responder).values():
        assert value in owner_page
    for value in secrets_of(cast.not_chosen).values():
        assert value not in owner_page

    helper_page = visible(login(cast.responder.email).get(f"/vragen/{cast.request.public_id}"))
    for value in secrets_of(cast.owner).values():
        assert value in helper_page
    assert "Xandrijntje" in helper_page


@pytest.mark.parametrize("role", ["anonymous", "other_resident", "not_chosen", "bystander_volunteer", "staff"])
def test_contact_details_stay_hidden_from_everyone_else_after_accepting(cast, make, login, anon, role):
    accept(cast, make)
    client = client_for(role, cast, login, anon)
    secrets = {**secrets_of(cast.owner), **secrets_of(cast.responder)}
    for url in pages_for(role, cast):
        assert_absent(client, url, secrets)


@pytest.mark.parametrize("role", ["owner", "responder"])
def test_matched_people_do_not_see_contact_details_on_public_pages(cast, make, login, role):
    accept(cast, make)
    client = login(cast.person(role).email)
    secrets = {**secrets_of(cast.owner), **secrets_of(cast.responder)}
    for url in PUBLIC_PAGES:
        assert_absent(client, url, secrets)


def test_contact_details_shown_after_a_volunteer_says_yes_to_a_direct_question(cast, make, login):
    login(cast.owner.email).post(f"/aanbod/{cast.offer.public_id}/vragen",
                                 data={"message": "Kunt u mijn kastdeur repareren?"})
    helper = login(cast.responder.email)
    rid = make.run(lambda: db.session.execute(
        select(HelpRequest.public_id).where(HelpRequest.offer_id == cast.offer.id)).scalar_one())
    assert f'href="/vragen/{rid}"' in helper.get("/mijn").get_data(as_text=True)
    before = visible(helper.get(f"/vragen/{rid}"))
    for value in secrets_of(cast.owner).values():
        assert value not in before
    helper.post(f"/vragen/{rid}/ja")
    after = visible(helper.get(f"/vragen/{rid}"))
    for value in secrets_of(cast.owner).values():
        assert value in after
