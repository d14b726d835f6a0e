"""Cancelling a request, choosing a helper (which shares contact details) and "the help is done" cannot be undone
(WCAG 3.3.4): the button on the request's page only opens a page that says what will happen, and that page's
button does it. A stray tap changes nothing; the confirmation pages are only for the people who may act."""

from __future__ import annotations

import re

import pytest

from tests.conftest import visible
from webapp.asks.models import HelpRequest


def _post_forms(page: str) -> list[str]:
    """The POST forms in the page's main part (the header holds "Log out")."""
    return re.findall(r'<form method="post" action="([^"]+)"', page.split("<main", 1)[1])


def _status(make, help_request) -> str:
    return make.fetch(HelpRequest, help_request.id, "status").status


def test_the_cancel_button_asks_first_and_only_the_confirmation_cancels(make, login, tr):
    resident, volunteer = make.user("resident"), make.user("volunteer")
    help_request = make.request(resident)
    make.respond(help_request, volunteer)
    client = login(resident.email)
    base = f"/vragen/{help_request.public_id}"
    page = visible(client.get(base))
    assert f"{base}/annuleren" not in _post_forms(page)  # no one-tap cancel on the request's page
    assert f'action="{base}/annuleren"' in page  # the button opens the question

    question = client.get(f"{base}/annuleren")
    text = visible(question)
    assert question.status_code == 200 and _status(make, help_request) == "open"
    assert tr("nl", "Cancel this request?") in text
    assert tr("nl", "%(num)d neighbour who responded gets a short message.",
              "%(num)d neighbours who responded get a short message.", num=1) in text
    assert _post_forms(text) == [f"{base}/annuleren"]
    assert f'href="{base}"' in text  # "No, go back"

    assert client.post(f"{base}/annuleren").status_code == 302
    assert _status(make, help_request) == "cancelled"
    assert client.get(f"{base}/annuleren").headers["Location"] == base  # nothing left to confirm


def test_choosing_a_helper_says_contact_details_will_be_shared_before_it_happens(make, login, tr):
    resident = make.user("resident")
    anna, bram = make.user("volunteer", first_name="Anna"), make.user("volunteer", first_name="Bram")
    help_request = make.request(resident)
    chosen = make.respond(help_request, anna)
    make.respond(help_request, bram)
    client = login(resident.email)
    base = f"/vragen/{help_request.public_id}"
    assert not any("/kiezen/" in action for action in _post_forms(visible(client.get(base))))

    question = visible(client.get(f"{base}/kiezen/{chosen}"))
    assert _status(make, help_request) == "open"
    assert tr("nl", "Choose %(name)s?", name="Anna") in question
    assert tr("nl", "%(name)s and you will see each other's name, phone number and e-mail address. Then you can make "
                    "an appointment together.", name="Anna") in question
    assert tr("nl", "%(num)d other neighbour who responded hears that you chose someone else.",
              "%(num)d other neighbours who responded hear that you chose someone else.", num=1) in question
    assert anna.email not in question  # nothing shared yet
    assert _post_forms(question) == [f"{base}/kiezen/{chosen}"]

    assert client.post(f"{base}/kiezen/{chosen}").status_code == 302
    assert _status(make, help_request) == "matched"


def test_the_help_is_done_asks_first_for_both_sides(make, login, tr):
    resident, volunteer = make.user("resident"), make.user("volunteer")
    help_request = make.matched(resident, volunteer)
    base = f"/vragen/{help_request.public_id}"
    for person in (resident, volunteer):
        client = login(person.email)
        assert f"{base}/klaar" not in _post_forms(visible(client.get(base)))
        question = visible(client.get(f"{base}/klaar"))
        assert tr("nl", "Is the help done?") in question and _status(make, help_request) == "matched"
        assert _post_forms(question) == [f"{base}/klaar"]
    assert login(volunteer.email).post(f"{base}/klaar").status_code == 302
    assert _status(make, help_request) == "done"


@pytest.mark.parametrize("who", ["volunteer", "stranger", "staff"])
def test_only_the_people_who_may_act_get_a_confirmation_page(make, login, who):
    resident, volunteer = make.user("resident"), make.user("volunteer")
    open_request = make.request(resident)
    response = make.respond(open_request, volunteer)
    matched = make.matched(resident, make.user("volunteer"))
    person = {"volunteer": volunteer, "stranger": make.user("resident"), "staff": make.user("staff")}[who]
    client = login(person.email)
    for url in (f"/vragen/{open_request.public_id}/annuleren",
                f"/vragen/{open_request.public_id}/kiezen/{response}", f"/vragen/{matched.public_id}/klaar"):
        assert client.get(url).status_code in (403, 404), url
    assert _status(make, open_request) == "open" and _status(make, matched) == "matched"


def test_a_confirmation_page_for_someone_elses_response_id_is_not_found(make, login):
    resident = make.user("resident")
    mine, other = make.request(resident), make.request(make.user("resident"))
    foreign = make.respond(other, make.user("volunteer"))
    assert login(resident.email).get(f"/vragen/{mine.public_id}/kiezen/{foreign}").status_code == 404
