"""Nothing decided twice: two people deciding the same thing at the same moment, through the web with real threads
(tests/webapp/race_helpers.py). Exactly one decision counts; the other person is told in plain words that someone
else already decided, and nobody is notified or logged twice. Also: a helper deleting their account at the moment
they are chosen never leaves a request matched to nobody.

Runs on the session's database: an SQLite file in WAL mode, or PostgreSQL with TEST_DATABASE_URL."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from sqlalchemy import select

from tests.conftest import csrf_token, page_text, visible
from tests.webapp import initiative_helpers as h
from tests.webapp.race_helpers import BUDGET_SECONDS, form_fields, log_in, race, statuses
from webapp.accounts.models import User
from webapp.asks.models import HelpRequest, Match, Response
from webapp.core.audit import AuditEntry
from webapp.core.extensions import db
from webapp.initiatives import needs as need_services
from webapp.initiatives.models import InitiativeNeed, NeedSignup
from webapp.notifications.models import Notification
from webapp.staff import services as staff_services
from webapp.staff.models import Handover

PAIRS = 8


def notification_kinds(user_id: int) -> list[str]:
    return list(db.session.execute(
        select(Notification.kind).where(Notification.user_id == user_id).order_by(Notification.id)).scalars())


def audit_actions(ref: str) -> list[str]:
    return list(db.session.execute(
        select(AuditEntry.action).where(AuditEntry.target_ref == ref).order_by(AuditEntry.id)).scalars())


def held_request(make: Any, poster: Any, n: int) -> Any:
    """A request held by the automatic checks (it holds a phone number)."""
    held = make.request(poster, title=f"Hulp bij de tuin {n}", description=f"Bel mij op 06-1234567{n % 10} graag.")
    assert make.fetch(HelpRequest, held.id, "moderation").moderation == "held"
    return held


def test_two_staff_deciding_the_same_held_items_at_once_decide_each_once(csrf_app, make, tr):
    """For each of 8 held requests one staff member approves and another rejects at the same moment."""
    posters = [make.user("resident", locale="en") for _ in range(PAIRS)]
    items = [held_request(make, poster, n) for n, poster in enumerate(posters)]
    clients = [log_in(csrf_app, make.user("staff", locale="en").email) for _ in range(2 * PAIRS)]

    def action(i: int) -> str:
        verb = "goedkeuren" if i % 2 == 0 else "afwijzen"
        return f"/werkruimte/moderatie/request/{items[i // 2].public_id}/{verb}"

    def load(i: int) -> dict[str, str]:
        return form_fields(page_text(clients[i].get("/werkruimte/moderatie")), action(i))

    def decide(i: int, fields: dict[str, str]) -> Any:
        extra = {} if i % 2 == 0 else {"reason": "personal_data", "note": "Haal het nummer weg."}
        return clients[i].post(action(i), data={**fields, **extra})

    answers, seconds = race(2 * PAIRS, load, decide)
    assert statuses(answers) == {302: 2 * PAIRS}, statuses(answers)
    assert seconds < BUDGET_SECONDS

    decided_before = tr("en", "Someone else already decided this: it is now public.")
    rejected_before = tr("en", "Someone else already decided this: it is now rejected.")
    for k, (poster, item) in enumerate(zip(posters, items, strict=True)):
        state = make.fetch(HelpRequest, item.id, "moderation").moderation
        actions = make.run(audit_actions, item.public_id)
        told = [kind for kind in make.run(notification_kinds, poster.id) if kind.startswith("moderation_")]
        assert len(actions) == 1, (k, actions)
        assert told == [{"approve": "moderation_approved", "reject": "moderation_rejected"}[actions[0]]], (k, told)
        assert state == {"approve": "ok", "reject": "rejected"}[actions[0]]
        pages = [visible(clients[2 * k + side].get(answers[2 * k + side].headers["Location"])) for side in (0, 1)]
        loser = 1 if actions[0] == "approve" else 0
        assert (decided_before if state == "ok" else rejected_before) in pages[loser], pages[loser][:2000]


def test_a_helper_deleting_their_account_while_being_chosen_never_leaves_a_request_matched_to_nobody(
        csrf_app, make, tr):
    """8 residents each choose their only helper at the moment that helper deletes their account."""
    residents = [make.user("resident", locale="en") for _ in range(PAIRS)]
    helpers = [make.user("volunteer", locale="en") for _ in range(PAIRS)]
    requests = [make.request(resident) for resident in residents]
    response_ids = [make.respond(r, helper) for r, helper in zip(requests, helpers, strict=True)]
    clients = [log_in(csrf_app, person.email) for pair in zip(residents, helpers, strict=True) for person in pair]

    def target(i: int) -> tuple[str, str]:
        k = i // 2
        if i % 2 == 0:
            choose = f"/vragen/{requests[k].public_id}/kiezen/{response_ids[k]}"
            return choose, choose  # the confirmation page carries the button that chooses
        return "/mijn/gegevens/verwijderen", "/mijn/gegevens/verwijderen"

    def load(i: int) -> dict[str, str]:
        page, action = target(i)
        html = page_text(clients[i].get(page))
        return form_fields(html, action) if i % 2 == 0 else {"csrf_token": csrf_token(html)}

    def press(i: int, fields: dict[str, str]) -> Any:
        extra = {} if i % 2 == 0 else {"password": "correct horse battery", "confirm": "y"}
        return clients[i].post(target(i)[1], data={**fields, **extra})

    answers, seconds = race(2 * PAIRS, load, press)
    assert statuses(answers) == {302: 2 * PAIRS}, statuses(answers)
    assert seconds < BUDGET_SECONDS

    chosen = tr("en", "You have chosen a helper. You can now see each other's contact details.")
    gone = tr("en", "This helper is no longer available. Please choose someone else, or wait for new responses.")

    def outcome(k: int) -> tuple[str, Any, str, list[str]]:
        row = db.session.get(HelpRequest, requests[k].id)
        match = db.session.execute(select(Match).where(Match.request_id == row.id)).scalar_one_or_none()
        response = db.session.execute(select(Response).where(Response.public_id == response_ids[k])).scalar_one()
        return row.status, match and match.volunteer_id, response.status, notification_kinds(residents[k].id)

    seen = Counter()
    for k in range(PAIRS):
        status, match_volunteer, response_status, told = make.run(outcome, k)
        page = visible(clients[2 * k].get(answers[2 * k].headers["Location"]))
        if status == "open":  # the deletion came first: the choice is refused politely, the request stays open
            assert match_volunteer is None and response_status == "withdrawn", (k, status, response_status)
            assert gone in page, page[:2000]
            seen["deleted first"] += 1
        else:  # the choice came first: the deletion ends the match and the resident is told
            assert status == "cancelled", (k, status, match_volunteer, response_status)
            assert response_status == "accepted" and "match_ended_helper_left" in told, (k, response_status, told)
            assert chosen in page
            seen["chosen first"] += 1
    assert sum(seen.values()) == PAIRS, seen


def test_two_staff_saving_a_hand_over_outcome_at_once_save_it_once(csrf_app, make, tr):
    staff = [make.user("staff", locale="en") for _ in range(PAIRS)]
    requests = [make.request(make.user("resident")) for _ in range(PAIRS // 2)]

    def hand_over(public_id: str) -> int:
        row = db.session.execute(select(HelpRequest).where(HelpRequest.public_id == public_id)).scalar_one()
        made = staff_services.hand_over(db.session.get(User, staff[0].id), row, "Sociaal Wijkteam", date.today(),
                                        "pending", "")
        db.session.commit()
        return made.id

    handover_ids = [make.run(hand_over, r.public_id) for r in requests]
    clients = [log_in(csrf_app, person.email) for person in staff]
    outcomes = ("accepted", "declined")

    def action(i: int) -> str:
        return f"/werkruimte/overdrachten/{handover_ids[i // 2]}"

    def load(i: int) -> dict[str, str]:
        return form_fields(page_text(clients[i].get("/werkruimte/overdrachten")), action(i))

    def save(i: int, fields: dict[str, str]) -> Any:
        prefix = f"h{handover_ids[i // 2]}-"
        return clients[i].post(action(i), data={**fields, f"{prefix}outcome": outcomes[i % 2],
                                                f"{prefix}staff_note": f"Gebeld door collega {i % 2}"})

    answers, _seconds = race(len(clients), load, save)
    assert statuses(answers) == {302: len(clients)}, statuses(answers)
    changed = tr("en", "Someone else changed this hand-over since you opened the page. Look at it again.")
    for k, handover_id in enumerate(handover_ids):
        row = make.fetch(Handover, handover_id, "outcome", "staff_note")
        logged = [a for a in make.run(audit_actions, requests[k].public_id) if a == "handover_outcome"]
        assert len(logged) == 1, (k, logged)
        winner = outcomes.index(row.outcome)
        assert row.staff_note == f"Gebeld door collega {winner}"
        loser_page = visible(clients[2 * k + 1 - winner].get(answers[2 * k + 1 - winner].headers["Location"]))
        assert changed in loser_page


def test_two_organisers_deciding_one_sign_up_at_once_decide_it_once(csrf_app, make, tr):
    """Each of 8 sign-ups is confirmed by one organiser and declined by another at the same moment."""
    organiser, co = make.user("organiser", locale="en"), make.user("organiser", locale="en")
    ini = h.initiative(make, organiser, co=(co.email,))
    need = h.need(make, organiser, ini, how_many=PAIRS)
    volunteers = [make.user("volunteer", locale="en") for _ in range(PAIRS)]
    make.run(lambda: _sign_up_all(need.id, [v.id for v in volunteers]))
    signup_ids = make.run(lambda: {s.volunteer_id: s.public_id
                                   for s in db.session.get(InitiativeNeed, need.id).signups})
    clients = [log_in(csrf_app, person.email) for _ in range(PAIRS) for person in (organiser, co)]
    base = f"/initiatieven/{ini.public_id}/behoeften/{need.public_id}/aanmeldingen"

    def action(i: int) -> str:
        return f"{base}/{signup_ids[volunteers[i // 2].id]}/{'bevestigen' if i % 2 == 0 else 'afwijzen'}"

    def load(i: int) -> dict[str, str]:
        return form_fields(page_text(clients[i].get(f"/initiatieven/{ini.public_id}")), action(i))

    answers, _seconds = race(len(clients), load, lambda i, fields: clients[i].post(action(i), data=fields))
    assert statuses(answers) == {302: len(clients)}, statuses(answers)
    already = tr("en", "Someone else already decided this. Look at the list again.")
    for k, person in enumerate(volunteers):
        told = [kind for kind in make.run(notification_kinds, person.id) if kind.startswith("signup_")]
        status = make.run(lambda p=person: db.session.execute(select(NeedSignup.status).where(
            NeedSignup.need_id == need.id, NeedSignup.volunteer_id == p.id)).scalar_one())
        assert len(told) == 1, (k, told)
        assert status == {"signup_confirmed": "confirmed", "signup_declined": "declined"}[told[0]]
        loser = 1 if status == "confirmed" else 0
        page = visible(clients[2 * k + loser].get(answers[2 * k + loser].headers["Location"]))
        assert already in page


def test_two_organisers_confirming_the_last_place_at_once_confirm_one_person(csrf_app, make):
    organiser, co = make.user("organiser"), make.user("organiser")
    ini = h.initiative(make, organiser, co=(co.email,))
    needs = [h.need(make, organiser, ini, how_many=1, title=f"Koken op dinsdag {k}") for k in range(PAIRS // 2)]
    volunteers = [make.user("volunteer") for _ in range(PAIRS)]
    for k, need in enumerate(needs):
        make.run(lambda n=need, k=k: _sign_up_all(n.id, [volunteers[2 * k].id, volunteers[2 * k + 1].id]))
    clients = [log_in(csrf_app, person.email) for _ in needs for person in (organiser, co)]

    def action(i: int) -> str:
        need = needs[i // 2]
        signup = make.run(lambda: db.session.execute(select(NeedSignup.public_id).where(
            NeedSignup.need_id == need.id, NeedSignup.volunteer_id == volunteers[i].id)).scalar_one())
        return f"/initiatieven/{ini.public_id}/behoeften/{need.public_id}/aanmeldingen/{signup}/bevestigen"

    actions = [action(i) for i in range(len(clients))]

    def load(i: int) -> dict[str, str]:
        return form_fields(page_text(clients[i].get(f"/initiatieven/{ini.public_id}")), actions[i])

    answers, _seconds = race(len(clients), load, lambda i, fields: clients[i].post(actions[i], data=fields))
    assert statuses(answers) == {302: len(clients)}, statuses(answers)
    for need in needs:
        confirmed = make.count(NeedSignup, NeedSignup.need_id == need.id, NeedSignup.status == "confirmed")
        assert confirmed == 1, (need.title, confirmed)
        assert h.need_status(make, need) == "filled"


def _sign_up_all(need_id: int, volunteer_ids: list[int]) -> None:
    for volunteer_id in volunteer_ids:
        need_services.sign_up(db.session.get(User, volunteer_id), db.session.get(InitiativeNeed, need_id),
                              "Ik help graag.")
    db.session.commit()
