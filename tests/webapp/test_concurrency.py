"""Many people at once, through the web (tests/webapp/race_helpers.py): each person is a test client with its own
session, and all of them press the button at the same moment. Nobody gets an error page, nothing is lost, and a
request never gets two helpers.

Runs on the session's database: an SQLite file in WAL mode, or PostgreSQL with TEST_DATABASE_URL."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from sqlalchemy import func, select

from tests.conftest import csrf_token, page_text, visible
from tests.webapp.race_helpers import BUDGET_SECONDS, log_in, race, statuses
from webapp.asks.models import HelpRequest, Match, Response
from webapp.core.extensions import db

pytestmark = pytest.mark.slow  # real threads and logins: seconds each (make test-quick leaves them out)


def new_request_form(n: int) -> dict[str, Any]:
    return {
        "title": f"Hulp nummer {n} bij het verhuizen",
        "description": f"Ik zoek iemand die op zaterdag doos {n} naar de zolder wil dragen.",
        "category": "groceries",
        "postcode": "2012 AB",
        "slots": ["wed-morning"],
        "languages": ["nl"],
        "frequency": "once",
    }


def test_fifty_volunteers_respond_at_once_and_every_response_is_stored(csrf_app, make, tr):
    resident = make.user("resident", locale="en")
    help_request = make.request(resident)
    volunteers = [make.user("volunteer", locale="en") for _ in range(50)]
    clients = [log_in(csrf_app, v.email) for v in volunteers]
    page = f"/vragen/{help_request.public_id}"

    def load(i: int) -> str:
        return csrf_token(page_text(clients[i].get(page)))

    def respond(i: int, token: str) -> Any:
        return clients[i].post(f"{page}/reageren", data={"message": f"Ik kan helpen, groet {i}", "csrf_token": token})

    answers, seconds = race(50, load, respond)
    assert statuses(answers) == {302: 50}, statuses(answers)
    assert seconds < BUDGET_SECONDS
    assert make.count(Response, Response.request_id == help_request.id) == 50
    sent = tr("en", "Your response is sent. You will hear when the neighbour chooses.")
    assert all(sent in visible(c.get(page)) for c in clients)


def test_fifty_acceptances_at_once_make_exactly_one_match(csrf_app, make, tr):
    """The requester has the page open in 50 tabs and chooses a different volunteer in each, at once."""
    resident = make.user("resident", locale="en")
    help_request = make.request(resident)
    response_ids = [make.respond(help_request, make.user("volunteer", locale="en")) for _ in range(50)]
    clients = [log_in(csrf_app, resident.email) for _ in range(50)]
    page = f"/vragen/{help_request.public_id}"

    def load(i: int) -> str:
        return csrf_token(page_text(clients[i].get(page)))

    def accept(i: int, token: str) -> Any:
        return clients[i].post(f"{page}/kiezen/{response_ids[i]}", data={"csrf_token": token})

    answers, seconds = race(50, load, accept)
    assert statuses(answers) == {302: 50}, statuses(answers)
    assert seconds < BUDGET_SECONDS

    pages = [visible(c.get(page)) for c in clients]
    chosen = tr("en", "You have chosen a helper. You can now see each other's contact details.")
    taken = tr("en", "This request already has a helper.")
    assert sum(chosen in p for p in pages) == 1
    assert sum(taken in p for p in pages) == 49

    def state() -> tuple[str, int, Counter[str]]:
        row = db.session.get(HelpRequest, help_request.id)
        matches = db.session.execute(select(func.count()).select_from(Match)
                                     .where(Match.request_id == help_request.id)).scalar_one()
        return row.status, matches, Counter(r.status for r in row.responses)

    assert make.run(state) == ("matched", 1, Counter({"accepted": 1, "not_chosen": 49}))


def test_volunteers_responding_while_the_requester_accepts_leave_one_match_and_nothing_pending(csrf_app, make, tr):
    """One volunteer has responded; 49 more respond at the very moment the requester chooses the first."""
    resident = make.user("resident", locale="en")
    help_request = make.request(resident)
    first = make.respond(help_request, make.user("volunteer", locale="en"))
    latecomers = [make.user("volunteer", locale="en") for _ in range(49)]
    clients = [log_in(csrf_app, resident.email)] + [log_in(csrf_app, v.email) for v in latecomers]
    page = f"/vragen/{help_request.public_id}"

    def load(i: int) -> str:
        return csrf_token(page_text(clients[i].get(page)))

    def act(i: int, token: str) -> Any:
        if i == 0:
            return clients[0].post(f"{page}/kiezen/{first}", data={"csrf_token": token})
        return clients[i].post(f"{page}/reageren", data={"message": "Ik kan ook helpen.", "csrf_token": token})

    answers, seconds = race(50, load, act)
    assert statuses(answers) == {302: 50}, statuses(answers)
    assert seconds < BUDGET_SECONDS

    def state() -> tuple[str, int, Counter[str]]:
        row = db.session.get(HelpRequest, help_request.id)
        matches = db.session.execute(select(func.count()).select_from(Match)
                                     .where(Match.request_id == help_request.id)).scalar_one()
        return row.status, matches, Counter(r.status for r in row.responses)

    status, matches, responses = make.run(state)
    assert (status, matches, responses["accepted"]) == ("matched", 1, 1)
    assert responses["pending"] == 0  # whoever got in before the choice is told they were not chosen
    # Every latecomer either got in before the choice (and hears "not chosen") or is told politely that
    # someone else helps.
    sent = tr("en", "Your response is sent. You will hear when the neighbour chooses.")
    too_late = tr("en", "Someone else is already helping with this request. Thank you for wanting to help!")
    told = Counter()
    for client, answer in zip(clients[1:], answers[1:], strict=True):
        after = client.get(answer.headers["Location"])  # where the browser goes next
        assert after.status_code == 200  # the listing for those who were too late, not "page not found"
        text = visible(after)
        told["sent" if sent in text else "too late" if too_late in text else "nothing"] += 1
    assert told == Counter({"sent": responses["not_chosen"], "too late": 49 - responses["not_chosen"]}), told


def test_volunteers_responding_while_the_request_is_edited_into_a_vog_category_leave_no_unscreened_response(
        csrf_app, make, tr):
    """Twenty volunteers without a VOG respond at the very moment the requester changes the request into homework
    support: whoever got in first has their response closed by the change, whoever came after is told kindly; no
    unscreened response waits to be chosen, and nobody sees an error page."""
    resident = make.user("resident", locale="en")
    help_request = make.request(resident)
    volunteers = [make.user("volunteer", locale="en") for _ in range(20)]
    clients = [log_in(csrf_app, resident.email)] + [log_in(csrf_app, v.email) for v in volunteers]
    page = f"/vragen/{help_request.public_id}"
    edit = {**new_request_form(0), "title": "Huiswerkhulp voor mijn zoon", "category": "homework",
            "description": "Mijn zoon van tien zoekt hulp bij rekenen, op woensdagmiddag."}

    def load(i: int) -> str:
        return csrf_token(page_text(clients[i].get(f"{page}/bewerken" if i == 0 else page)))

    def act(i: int, token: str) -> Any:
        if i == 0:
            return clients[0].post(f"{page}/bewerken", data={**edit, "csrf_token": token})
        return clients[i].post(f"{page}/reageren", data={"message": "Ik kan helpen.", "csrf_token": token})

    answers, seconds = race(21, load, act)
    assert statuses(answers) == {302: 21}, statuses(answers)
    assert seconds < BUDGET_SECONDS
    state = make.run(lambda: (db.session.get(HelpRequest, help_request.id).needs_screening,
                              Counter(r.status for r in db.session.get(HelpRequest, help_request.id).responses)))
    assert state[0] is True and state[1]["pending"] == 0, state
    told = tr("en", "This request now needs a volunteer with a certificate of conduct (VOG). Thank you for wanting "
                    "to help! Other requests are waiting for you.")
    late = sum(told in visible(c.get(a.headers["Location"])) for c, a in zip(clients[1:], answers[1:], strict=True))
    assert late + state[1]["needs_vog"] == 20


def test_two_hundred_requests_posted_at_once_are_all_stored(csrf_app, make):
    residents = [make.user("resident", locale="en") for _ in range(40)]
    clients = [log_in(csrf_app, residents[i % 40].email) for i in range(200)]

    def load(i: int) -> str:
        return csrf_token(page_text(clients[i].get("/vragen/nieuw")))

    def post(i: int, token: str) -> Any:
        return clients[i].post("/vragen/nieuw", data={**new_request_form(i), "csrf_token": token})

    answers, seconds = race(200, load, post)
    assert statuses(answers) == {302: 200}, statuses(answers)
    assert seconds < BUDGET_SECONDS
    titles = make.run(lambda: set(db.session.execute(select(HelpRequest.title)).scalars()))
    assert titles == {new_request_form(i)["title"] for i in range(200)}
    assert make.count(HelpRequest) == 200
