"""Letting volunteers know, pressed in several tabs at the same moment (or by the requester and their staff contact at
once): each volunteer is invited once and gets one message, and nobody sees an error page. Through the web with CSRF
tokens, released together by a barrier; on SQLite and on PostgreSQL (TEST_DATABASE_URL)."""

from __future__ import annotations

from tests.conftest import csrf_token, page_text
from tests.webapp.race_helpers import log_in, race, statuses
from webapp.notifications.models import Notification
from webapp.suggestions.models import Invitation

TABS = 8


def test_tabs_letting_volunteers_know_at_once_invite_each_volunteer_once(csrf_app, make):
    resident = make.user("resident")
    people = [make.user("volunteer") for _ in range(3)]
    help_request = make.request(resident, title="Boodschappen doen")
    page = f"/vragen/{help_request.public_id}"

    def prepare(_: int):
        client = log_in(csrf_app, resident.email)
        return client, csrf_token(page_text(client.get(page)))

    def press(_: int, prepared):
        client, token = prepared
        return client.post(f"/aanbevolen/{help_request.public_id}/laten-weten", data={"csrf_token": token})

    answers, _seconds = race(TABS, prepare, press)
    assert statuses(answers) == {302: TABS}
    assert make.count(Invitation) == len(people)
    for person in people:
        assert make.count(Notification, Notification.kind == "invited", Notification.user_id == person.id) == 1


def test_staff_inviting_the_same_volunteer_in_several_tabs_invite_once(csrf_app, make):
    help_request = make.request(make.user("resident"), title="Boodschappen doen")
    volunteer = make.user("volunteer")
    staff = make.user("staff")
    page = f"/vragen/{help_request.public_id}"
    clients = [log_in(csrf_app, staff.email) for _ in range(TABS)]  # one after another: a staff code counts once

    def prepare(i: int):
        return clients[i], csrf_token(page_text(clients[i].get(page)))

    def press(_: int, prepared):
        client, token = prepared
        return client.post(f"/aanbevolen/{help_request.public_id}/uitnodigen/{volunteer.public_id}",
                           data={"csrf_token": token})

    answers, _seconds = race(TABS, prepare, press)
    assert statuses(answers) == {302: TABS}
    assert make.count(Invitation) == 1
    assert make.count(Notification, Notification.kind == "invited", Notification.user_id == volunteer.id) == 1
