"""Repeated submissions a person would not mean twice change nothing the second time (issue #22 item 7): each
action below is sent twenty times, as an impatient finger on a slow phone would, and must leave one row and one
message (where it sends one) behind."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import func, select

from tests.webapp import initiative_helpers as ini
from tests.webapp.accounts.test_accounts import registration
from tests.webapp.asks.test_requests import request_form
from tests.webapp.auth_helpers import clock  # noqa: F401 (a fixture)
from tests.webapp.mail_helpers import smtp  # noqa: F401 (a fixture)
from tests.webapp.offers.test_offers import offer_form
from webapp.accounts.models import User
from webapp.asks import services as asks
from webapp.asks.models import HelpRequest, Match, Response
from webapp.core.extensions import db
from webapp.initiatives.models import ActivityParticipant, Backing, NeedSignup
from webapp.notifications.models import Notification
from webapp.offers.models import Offer
from webapp.staff.models import Report
from webapp.suggestions.models import Invitation

CLICKS = 20


@dataclass
class Case:
    setup: Callable[[Any, Any], tuple[Any, str, dict[str, Any]]]  # (make, login) -> (client, path, data)
    rows: Any  # the model whose rows are counted
    notified: str | None = None  # the notification kind sent once
    added: int = 1  # how many rows the twenty clicks add (0: the row was there before)


def _done_match(make):
    resident, volunteer = make.user("resident"), make.user("volunteer")
    help_request = make.matched(resident, volunteer)

    def finish():
        row = asks.get_by_public_id(help_request.public_id)
        asks.mark_done(row.requester, row)
        db.session.commit()

    make.run(finish)
    return resident, volunteer, help_request


def thanks(make, login):
    resident, _volunteer, help_request = _done_match(make)
    return login(resident.email), f"/vragen/{help_request.public_id}/bedanken", {"message": "Dank!", "hours": "2"}


def done(make, login):
    resident, volunteer = make.user("resident"), make.user("volunteer")
    help_request = make.matched(resident, volunteer)
    return login(resident.email), f"/vragen/{help_request.public_id}/klaar", {}


def respond(make, login):
    help_request = make.request(make.user("resident"))
    return login(make.user("volunteer").email), f"/vragen/{help_request.public_id}/reageren", {
        "message": "Ik kan woensdag helpen."}


def report(make, login):
    help_request = make.request(make.user("resident"))
    return login(make.user("volunteer").email), f"/melden/vraag/{help_request.public_id}", {"reason": "money"}


def accept(make, login):
    resident = make.user("resident")
    help_request = make.request(resident)
    response = make.respond(help_request, make.user("volunteer"))
    return login(resident.email), f"/vragen/{help_request.public_id}/kiezen/{response}", {}


def ask(make, login):
    offer = make.offer(make.user("volunteer"))
    return login(make.user("resident").email), f"/aanbod/{offer.public_id}/vragen", {
        "message": "Kun je mij helpen met de tablet?"}


def agree(make, login):
    volunteer = make.user("volunteer")
    offer = make.offer(volunteer)
    response = login(make.user("resident").email).post(f"/aanbod/{offer.public_id}/vragen",
                                                       data={"message": "Kun je mij helpen met de tablet?"})
    return login(volunteer.email), f"{response.headers['Location']}/ja", {}


def post_request(make, login):
    return login(make.user("resident").email), "/vragen/nieuw", request_form()


def post_offer(make, login):
    return login(make.user("volunteer").email), "/aanbod/nieuw", offer_form()


def back(make, login):
    initiative = ini.initiative(make, make.user("organiser"))
    return login(make.user("resident").email), f"/initiatieven/{initiative.public_id}/steunen", {}


def need_sign_up(make, login):
    organiser = make.user("organiser")
    initiative = ini.initiative(make, organiser)
    need = ini.need(make, organiser, initiative)
    return login(make.user("volunteer").email), \
        f"/initiatieven/{initiative.public_id}/behoeften/{need.public_id}/aanmelden", {"message": "Ik help graag."}


def join_activity(make, login):
    organiser = make.user("organiser")
    initiative = ini.initiative(make, organiser)
    activity = ini.activity(make, organiser, initiative, capacity=None)
    return login(make.user("volunteer").email), \
        f"/initiatieven/{initiative.public_id}/activiteiten/{activity.public_id}/aanmelden", {}


def invite(make, login):
    """Staff invite a suggested volunteer by name (requesters let the best ones know without seeing names)."""
    help_request = make.request(make.user("resident"))
    volunteer = make.user("volunteer")
    return (login(make.user("staff").email),
            f"/aanbevolen/{help_request.public_id}/uitnodigen/{volunteer.public_id}", {})


def let_know(make, login):
    resident = make.user("resident")
    help_request = make.request(resident)
    make.user("volunteer")
    return login(resident.email), f"/aanbevolen/{help_request.public_id}/laten-weten", {}


CASES = {
    "thanks": Case(thanks, Match, "thanks", added=0),
    "done": Case(done, Match, "done", added=0),
    "respond": Case(respond, Response, "new_response"),
    "report": Case(report, Report),
    "accept": Case(accept, Match, "accepted"),
    "ask through an offer": Case(ask, HelpRequest, "asked"),
    "say yes to a question": Case(agree, Match, "ask_agreed"),
    "post a request": Case(post_request, HelpRequest),
    "post an offer": Case(post_offer, Offer),
    "back an initiative": Case(back, Backing),
    "sign up for a need": Case(need_sign_up, NeedSignup, "need_signup"),
    "join an activity": Case(join_activity, ActivityParticipant),
    "invite a suggested volunteer": Case(invite, Invitation, "invited"),
    "let suggested volunteers know": Case(let_know, Invitation, "invited"),
}


def count(model: Any, *where: Any) -> int:
    return int(db.session.execute(select(func.count()).select_from(model).where(*where)).scalar_one())


@pytest.mark.parametrize("name", list(CASES))
def test_twenty_clicks_do_it_once(make, login, name):
    case = CASES[name]
    client, path, data = case.setup(make, login)
    rows_before = make.run(count, case.rows)
    notes_before = make.run(count, Notification, Notification.kind == case.notified) if case.notified else 0
    for _ in range(CLICKS):
        response = client.post(path, data=data)
        assert response.status_code in (200, 302), (name, response.status_code)
    assert make.run(count, case.rows) - rows_before == case.added, name
    if case.notified:
        assert make.run(count, Notification, Notification.kind == case.notified) - notes_before == 1, name


def test_signing_up_twenty_times_makes_one_account_and_few_mails(make, anon, smtp, clock):  # noqa: F811
    client = anon("en")
    for _ in range(CLICKS):
        assert client.post("/registreren", data=registration()).status_code in (200, 429)
    assert make.run(count, User) == 1
    assert len(smtp.to("fatima@example.org")) <= 4  # the link, and at most three "you already have an account"


def test_a_report_clicked_twenty_times_mails_the_staff_on_duty_once(make, login, smtp):  # noqa: F811
    staff = make.user("staff")
    client, path, data = report(make, login)
    for _ in range(CLICKS):
        client.post(path, data=data)
    assert len(smtp.to(staff.email)) == 1
