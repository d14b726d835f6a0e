"""The same person pressing at once in ten tabs (or ten taps that all get through on a slow phone): one report, one
thank-you, one set of hours, and no error page. Through the web with CSRF tokens, released together by a barrier;
on SQLite and on PostgreSQL (TEST_DATABASE_URL)."""

from __future__ import annotations

from sqlalchemy import select

from tests.conftest import csrf_token, page_text
from tests.webapp.race_helpers import log_in, race, statuses
from webapp.asks import services as asks
from webapp.asks.models import Match
from webapp.core.extensions import db
from webapp.notifications.models import Notification
from webapp.staff.models import Report

TABS = 10


def test_ten_tabs_sending_the_same_report_file_one(csrf_app, make):
    help_request = make.request(make.user("resident"))
    reporter = make.user("volunteer")
    path = f"/melden/vraag/{help_request.public_id}"

    def prepare(_: int):
        client = log_in(csrf_app, reporter.email)
        return client, csrf_token(page_text(client.get(path)))

    def press(_: int, prepared):
        client, token = prepared
        return client.post(path, data={"reason": "unsafe", "csrf_token": token})

    answers, _seconds = race(TABS, prepare, press)
    assert statuses(answers) == {302: TABS}
    assert make.count(Report) == 1


def test_ten_tabs_saying_thanks_record_it_once_and_tell_once(csrf_app, make):
    resident, volunteer = make.user("resident"), make.user("volunteer")
    help_request = make.matched(resident, volunteer)

    def finish():
        row = asks.get_by_public_id(help_request.public_id)
        asks.mark_done(row.requester, row)
        db.session.commit()

    make.run(finish)
    path = f"/vragen/{help_request.public_id}"

    def prepare(i: int):
        client = log_in(csrf_app, resident.email)
        return client, csrf_token(page_text(client.get(path)))

    def press(i: int, prepared):
        client, token = prepared
        return client.post(f"{path}/bedanken", data={"hours": str(i + 1), "csrf_token": token})

    answers, _seconds = race(TABS, prepare, press)
    assert statuses(answers) == {302: TABS}
    assert make.count(Notification, Notification.kind == "thanks", Notification.user_id == volunteer.id) == 1

    def hours():
        match = db.session.execute(select(Match)).scalar_one()
        return match.hours, match.requester_hours

    counted, written = make.run(hours)
    assert counted == written and written in {float(i + 1) for i in range(TABS)}
