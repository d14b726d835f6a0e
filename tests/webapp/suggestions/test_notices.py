"""A notice to the few volunteers a new request fits best: by e-mail straight away or in their digest, as each chose;
at most a few per request and a few per volunteer per day; never to someone who said "not for me", was invited
already, or may not see the request."""

from __future__ import annotations

import contextlib
import threading
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import undefer

from tests.webapp.mail_helpers import parts, smtp  # noqa: F401 (smtp is a fixture)
from tests.webapp.suggestions.test_suggestions import _profile
from webapp.accounts.models import User
from webapp.asks import services as asks
from webapp.asks.models import HelpRequest
from webapp.core.extensions import db
from webapp.digests.services import send_digests
from webapp.notifications import services as notifications
from webapp.notifications.models import Notification
from webapp.suggestions import freshness, notices
from webapp.suggestions.city import load_city, volunteer_ids
from webapp.suggestions.models import Invitation, SuggestionNotice


def shoppers(make: Any, count: int, **kwargs: Any) -> list[Any]:
    people = [make.user("volunteer", **kwargs) for _ in range(count)]
    for person in people:
        _profile(make, person, ["boodschappen doen"], screened=kwargs.get("screened", False))
    return people


def post(make: Any, resident: Any, n: int = 0, **overrides: Any) -> Any:
    return make.request(resident, title=f"Boodschappen doen {n}", slots=["wed-morning"],
                        description="Ik kan niet goed lopen. Wie haalt mijn boodschappen bij de supermarkt?",
                        **overrides)


def told(make: Any, request: Any | None = None) -> list[int]:
    where = [Notification.kind == notices.KIND]
    rows = make.run(lambda: db.session.execute(select(Notification.user_id, Notification.params).where(*where))
                    .all())
    return sorted(u for u, params in rows if request is None or params["request"] == request.public_id)


def place(make: Any) -> None:
    make.run(freshness.place_pending)


def test_the_few_who_fit_best_are_told(app, make, monkeypatch):
    monkeypatch.setitem(app.config, "SUGGESTION_NOTICE_TOP", 3)
    resident = make.user("resident")
    near = shoppers(make, 4)
    far = make.user("volunteer", wijk_code="WK039217")  # Spaarndam: fits, but far away
    _profile(make, far, ["boodschappen doen"], wijk_code="WK039217", km=15.0)
    dogs = make.user("volunteer")
    _profile(make, dogs, ["honden uitlaten"])
    help_request = post(make, resident)
    place(make)
    got = told(make, help_request)
    assert len(got) == 3 and set(got) <= {p.id for p in near}  # three of the four who fit best
    assert make.run(lambda: db.session.execute(select(SuggestionNotice.volunteer_id)).scalars().all()) != []
    # Placing it again (an edit) tells nobody twice.
    make.run(lambda: (freshness.queue(db.session.get(HelpRequest, help_request.id)), db.session.commit()))
    place(make)
    assert told(make, help_request) == got


def test_each_hears_it_as_they_chose_straight_away_or_in_the_digest(app, make, smtp, monkeypatch):  # noqa: F811
    monkeypatch.setitem(app.config, "SUGGESTION_NOTICE_TOP", 5)
    resident = make.user("resident")
    instant, daily, off = shoppers(make, 3)
    for person, channel in ((daily, "daily"), (off, "off")):
        make.run(lambda p=person, c=channel: (notifications.set_channel(db.session.get(User, p.id), "best_fit", c),
                                               db.session.commit()))
    help_request = post(make, resident)
    place(make)
    assert set(told(make, help_request)) == {instant.id, daily.id, off.id}  # in the app, for everyone
    mails = smtp.to(instant.email)
    assert len(mails) == 1 and help_request.title in parts(mails[0])[0]
    assert smtp.to(daily.email) == [] and smtp.to(off.email) == []
    make.run(send_digests, channels=("daily",))
    digest = smtp.to(daily.email)
    assert len(digest) == 1 and help_request.title in parts(digest[0])[0]
    assert smtp.to(off.email) == []


def test_a_volunteer_gets_at_most_the_daily_cap(app, make, monkeypatch):
    monkeypatch.setitem(app.config, "SUGGESTION_NOTICES_PER_DAY", 2)
    resident = make.user("resident")
    (only,) = shoppers(make, 1)
    posted = [post(make, resident, n) for n in range(4)]
    place(make)
    assert told(make) == [only.id, only.id]
    assert {r.id for r in posted[2:]}.isdisjoint(
        make.run(lambda: db.session.execute(select(SuggestionNotice.request_id)).scalars().all()))


def test_not_for_someone_who_said_not_for_me_or_was_invited(app, make, login, monkeypatch):
    monkeypatch.setitem(app.config, "SUGGESTION_NOTICE_TOP", 5)
    resident = make.user("resident")
    declined, invited, other = shoppers(make, 3)
    help_request = make.request(resident, title="Hulp gezocht", description="Ik zoek hulp.", category_key="other")
    place(make)  # it fits nobody yet: nobody is told
    assert told(make, help_request) == []
    login(declined.email).post(f"/aanbevolen/{help_request.public_id}/niet-voor-mij")

    def invite_and_edit() -> None:
        row = db.session.get(HelpRequest, help_request.id)
        db.session.add(Invitation(request_id=row.id, volunteer_id=invited.id, invited_by_id=resident.id))
        asks.edit_request(row.requester, row, asks.RequestData(
            title="Boodschappen doen", description="Wie haalt mijn boodschappen bij de supermarkt?",
            category=row.category, wijk=row.wijk, on_date=None, slots=["wed-morning"], languages=["nl"],
            is_recurring=False, needs_screening=False))
        db.session.commit()

    make.run(invite_and_edit)
    place(make)
    assert told(make, help_request) == [other.id]


def test_a_request_that_needs_screening_is_told_to_screened_volunteers_only(app, make, monkeypatch):
    monkeypatch.setitem(app.config, "SUGGESTION_NOTICE_TOP", 5)
    resident = make.user("resident")
    unscreened = shoppers(make, 2)
    screened = shoppers(make, 1, screened=True)
    help_request = post(make, resident, needs_screening=True)
    place(make)
    assert told(make, help_request) == [screened[0].id]
    assert all(u.id not in told(make) for u in unscreened)


@pytest.mark.parametrize("setting", ["SUGGESTION_NOTICE_TOP", "SUGGESTION_NOTICES_PER_DAY"])
def test_no_notices_when_switched_off(app, make, monkeypatch, setting):
    monkeypatch.setitem(app.config, setting, 0)
    resident = make.user("resident")
    shoppers(make, 2)
    post(make, resident)
    place(make)
    assert told(make) == []


def test_a_weak_fit_is_placed_but_not_told(app, make, login):
    resident = make.user("resident")
    (volunteer,) = shoppers(make, 1)
    login(volunteer.email).get("/aanbevolen/")
    weak = make.request(resident, title="Iets voor de buurt", category_key="other", slots=["sat-evening"],
                        description="Ik zoek iemand voor een klusje. Misschien ook boodschappen.")
    place(make)
    assert told(make, weak) == []


@pytest.mark.slow
def test_the_daily_cap_holds_when_two_requests_are_placed_at_the_same_moment(app, make, monkeypatch):
    """Two workers (two processes' threads) place two requests for the same volunteer at once: with a cap of one,
    one notice. Each worker pauses between counting the volunteer's notices and adding its own until the other
    gets there too (or 3 s pass), so without the row lock both count zero and both tell (PostgreSQL); with it the
    second waits at the lock, then counts the first's notice. SQLite has one writer at a time: a transaction that
    cannot write fails and its request is placed again in the next round."""
    monkeypatch.setitem(app.config, "SUGGESTION_NOTICES_PER_DAY", 1)
    resident = make.user("resident")
    (only,) = shoppers(make, 1)
    posted = [post(make, resident, n) for n in range(2)]
    city = make.run(lambda: load_city(volunteer_ids(), exclusions=False))
    start, counted = threading.Barrier(2), threading.Barrier(2)
    real_notify = notices.notify

    def notify_when_both_counted(*args: Any, **kwargs: Any) -> Any:
        with contextlib.suppress(threading.BrokenBarrierError):  # the other waits at the lock: go on alone
            counted.wait(timeout=3)
        return real_notify(*args, **kwargs)

    monkeypatch.setattr(notices, "notify", notify_when_both_counted)

    def worker(request_id: int) -> None:
        with app.app_context():
            help_request = db.session.execute(select(HelpRequest).where(HelpRequest.id == request_id)
                                              .options(undefer(HelpRequest.match_features))).scalar_one()
            start.wait()
            try:
                freshness.place(help_request, city)
                db.session.commit()
            except Exception:  # a failed transaction: its request is placed again by the next round
                db.session.rollback()
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker, args=(r.id,)) for r in posted]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    monkeypatch.setattr(notices, "notify", real_notify)
    while make.run(freshness.pending_count):
        make.run(freshness.place_pending)
    assert told(make) == [only.id]
