"""Two (or ten) people acting on one request at the same moment never corrupt it: exactly one match, and
everyone else is told politely. Each thread has its own app context and session and commits, like a web worker.
Runs on the session's database: an SQLite file in WAL mode, or PostgreSQL with TEST_DATABASE_URL."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from tests.conftest import visible
from webapp.accounts.models import User
from webapp.asks import services
from webapp.asks.models import HelpRequest, Match, Response
from webapp.core.extensions import db

THREADS = 10
TIMEOUT = 60


def run_together(app, count: int, action: Callable[[int], Any]) -> list[str]:
    """Run action(i) in `count` threads that start at the same moment; each returns an outcome string."""
    barrier = threading.Barrier(count, timeout=TIMEOUT)
    outcomes: list[str] = ["did not finish"] * count

    def worker(i: int) -> None:
        with app.app_context():
            try:
                outcomes[i] = action(i, barrier)
            except services.NoLongerOpen:
                db.session.rollback()
                outcomes[i] = "no longer open"
            except services.AlreadyResponded:
                db.session.rollback()
                outcomes[i] = "already responded"
            except Exception as error:  # anything else is a failure, reported below
                db.session.rollback()
                outcomes[i] = f"{type(error).__name__}: {error}"
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    return outcomes


def request_state(request_id):
    row = db.session.get(HelpRequest, request_id)
    matches = db.session.execute(select(Match).where(Match.request_id == request_id)).scalars().all()
    return {
        "status": row.status,
        "matches": [(m.response_id, m.volunteer_id) for m in matches],
        "responses": {r.id: r.status for r in row.responses},
    }


@pytest.fixture
def crowded_request(make):
    resident = make.user("resident", locale="en")
    volunteers = [make.user("volunteer") for _ in range(THREADS)]
    help_request = make.request(resident)
    response_ids = [make.respond(help_request, v) for v in volunteers]
    return resident, help_request, response_ids


def test_ten_simultaneous_acceptances_make_exactly_one_match(app, make, crowded_request):
    resident, help_request, response_ids = crowded_request

    def accept(i, barrier):
        row = services.get_by_public_id(help_request.public_id)
        actor = db.session.get(User, resident.id)
        assert row is not None and actor is not None and len(row.responses) == THREADS
        barrier.wait()
        services.accept_response(actor, row, response_ids[i])
        db.session.commit()
        return "accepted"

    outcomes = run_together(app, THREADS, accept)
    assert Counter(outcomes) == {"accepted": 1, "no longer open": THREADS - 1}, outcomes

    state = make.run(request_state, help_request.id)
    assert state["status"] == "matched"
    assert len(state["matches"]) == 1
    statuses = Counter(state["responses"].values())
    assert statuses == {"accepted": 1, "not_chosen": THREADS - 1}
    winner = response_ids[outcomes.index("accepted")]
    accepted_row = next(rid for rid, status in state["responses"].items() if status == "accepted")
    assert make.run(lambda: db.session.get(Response, accepted_row).public_id) == winner
    assert state["matches"][0][0] == accepted_row


def test_simultaneous_acceptances_through_the_web_give_one_match_and_polite_messages(app, make, login, tr,
                                                                                   crowded_request):
    resident, help_request, response_ids = crowded_request
    count = 5
    clients = [login(resident.email) for _ in range(count)]

    def accept(i, barrier):
        barrier.wait()
        response = clients[i].post(f"/vragen/{help_request.public_id}/kiezen/{response_ids[i]}")
        return str(response.status_code)

    outcomes = run_together(app, count, accept)
    assert outcomes == ["302"] * count, outcomes
    pages = [visible(c.get(f"/vragen/{help_request.public_id}")) for c in clients]
    chosen = tr("en", "You have chosen a helper. You can now see each other's contact details.")
    taken = tr("en", "This request already has a helper.")
    assert sum(chosen in page for page in pages) == 1
    assert sum(taken in page for page in pages) == count - 1

    state = make.run(request_state, help_request.id)
    assert state["status"] == "matched" and len(state["matches"]) == 1
    assert Counter(state["responses"].values())["accepted"] == 1


def test_cancel_and_accept_at_the_same_moment_leave_one_consistent_outcome(app, make, crowded_request):
    resident, help_request, response_ids = crowded_request

    def act(i, barrier):
        row = services.get_by_public_id(help_request.public_id)
        actor = db.session.get(User, resident.id)
        barrier.wait()
        if i == 0:
            services.cancel_request(actor, row)
            db.session.commit()
            return "cancelled"
        services.accept_response(actor, row, response_ids[i])
        db.session.commit()
        return "accepted"

    outcomes = run_together(app, 4, act)
    winners = [o for o in outcomes if o in ("cancelled", "accepted")]
    assert len(winners) == 1 and outcomes.count("no longer open") == 3, outcomes
    state = make.run(request_state, help_request.id)
    if winners == ["cancelled"]:
        assert state["status"] == "cancelled" and state["matches"] == []
        assert "accepted" not in state["responses"].values()
    else:
        assert state["status"] == "matched" and len(state["matches"]) == 1


def test_volunteer_saying_yes_twice_at_once_makes_one_match(app, make):
    volunteer = make.user("volunteer")
    resident = make.user("resident")
    offer = make.offer(volunteer)

    def ask():
        from webapp.offers.models import Offer
        from webapp.offers.services import ask_volunteer
        row = ask_volunteer(db.session.get(User, resident.id), db.session.get(Offer, offer.id),
                            "Kunt u mij helpen met de laptop?")
        db.session.commit()
        return row.id, row.public_id

    request_id, public_id = make.run(ask)

    def agree(i, barrier):
        row = services.get_by_public_id(public_id)
        actor = db.session.get(User, volunteer.id)
        barrier.wait()
        services.agree_to_ask(actor, row)
        db.session.commit()
        return "agreed"

    outcomes = run_together(app, 4, agree)
    assert Counter(outcomes) == {"agreed": 1, "no longer open": 3}, outcomes
    state = make.run(request_state, request_id)
    assert state["status"] == "matched" and len(state["matches"]) == 1
    assert list(state["responses"].values()) == ["accepted"]


def test_double_click_on_respond_stores_one_response(app, make):
    resident = make.user("resident")
    volunteer = make.user("volunteer")
    help_request = make.request(resident)

    def respond(i, barrier):
        row = services.get_by_public_id(help_request.public_id)
        actor = db.session.get(User, volunteer.id)
        barrier.wait()
        services.respond(actor, row, "Ik kan morgen helpen.")
        db.session.commit()
        return "responded"

    outcomes = run_together(app, 4, respond)
    assert Counter(outcomes) == {"responded": 1, "already responded": 3}, outcomes
    assert make.count(Response, Response.request_id == help_request.id) == 1


def test_response_arriving_while_the_owner_chooses_is_not_left_pending(app, make):
    """The owner's page was loaded before a new response came in; choosing still closes every response."""
    resident = make.user("resident")
    first, late = make.user("volunteer"), make.user("volunteer")
    help_request = make.request(resident)
    first_id = make.respond(help_request, first)
    loaded, responded = threading.Event(), threading.Event()
    outcome: list[str] = []

    def owner_chooses():
        with app.app_context():
            try:
                row = services.get_by_public_id(help_request.public_id)
                assert row is not None and len(row.responses) == 1
                loaded.set()
                assert responded.wait(TIMEOUT)
                services.accept_response(db.session.get(User, resident.id), row, first_id)
                db.session.commit()
                outcome.append("accepted")
            except Exception as error:
                db.session.rollback()
                outcome.append(f"{type(error).__name__}: {error}")
            finally:
                db.session.remove()

    thread = threading.Thread(target=owner_chooses)
    thread.start()
    assert loaded.wait(TIMEOUT)
    late_id = make.respond(help_request, late)
    responded.set()
    thread.join(TIMEOUT)

    assert outcome == ["accepted"]
    state = make.run(request_state, help_request.id)
    by_public_id = make.run(lambda: {r.public_id: r.status for r in db.session.execute(select(Response)).scalars()})
    assert by_public_id == {first_id: "accepted", late_id: "not_chosen"}
    assert state["status"] == "matched"


def test_choosing_a_helper_who_deleted_their_account_after_the_page_was_loaded_is_refused_politely(
        make, login, tr):
    resident = make.user("resident", locale="en")
    helper = make.user("volunteer")
    help_request = make.request(resident)
    response_id = make.respond(help_request, helper)
    owner = login(resident.email, lang="en")
    assert response_id in owner.get(f"/vragen/{help_request.public_id}").get_data(as_text=True)
    deleted = login(helper.email).post("/mijn/gegevens/verwijderen",
                                       data={"password": "correct horse battery", "confirm": "y"})
    assert deleted.status_code == 302

    answer = owner.post(f"/vragen/{help_request.public_id}/kiezen/{response_id}", follow_redirects=True)
    assert answer.status_code == 200
    assert tr("en", "This helper is no longer available. Please choose someone else, or wait for new "
                    "responses.") in visible(answer)
    state = make.run(request_state, help_request.id)
    assert state["status"] == "open" and state["matches"] == []
    assert list(state["responses"].values()) == ["withdrawn"]
