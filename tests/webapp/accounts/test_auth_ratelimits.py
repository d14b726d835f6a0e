"""Rate limits and the back-off after failed logins: shared by every worker, translated, and kind to what was typed."""

from __future__ import annotations

import re

import pytest
from limits.storage import storage_from_string

from tests.conftest import page_text, visible
from tests.factories import PASSWORD
from tests.webapp.accounts.test_accounts import registration
from tests.webapp.asks.test_requests import request_form
from tests.webapp.auth_helpers import Clock, another_app, clock, limits, second_worker  # noqa: F401 (fixtures)
from webapp.accounts.services import find_by_email
from webapp.core.extensions import db
from webapp.core.ratelimit.storage import DatabaseStorage

WRONG = "dit is niet het wachtwoord"


def log_in(client, email, password=PASSWORD):
    return client.post("/inloggen", data={"email": email, "password": password})


def too_many(tr, lang, minutes):
    return tr(lang, "You tried this many times in a short while. You can try again in %(num)d minute.",
              "You tried this many times in a short while. You can try again in %(num)d minutes.", num=minutes)


def is_logged_in(client):
    return client.get("/mijn").status_code == 200


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_five_failed_logins_from_one_address_make_it_wait_even_for_the_right_password(make, anon, tr, clock,  # noqa: F811
                                                                                     lang):
    """Per IP address and account together (tests/webapp/accounts/test_lockout.py: the owner elsewhere is not held
    back)."""
    person = make.user()
    for _ in range(5):
        response = log_in(anon(lang), person.email, WRONG)
        assert response.status_code == 200
        assert tr(lang, "The e-mail address or password is not right. Try again.") in visible(response)

    client = anon(lang)
    refused = log_in(client, person.email)
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) == 5 * 60
    assert too_many(tr, lang, 5) in visible(refused)
    assert f'value="{person.email}"' in page_text(refused)  # what was typed stays
    assert not is_logged_in(client)


def test_the_wait_ends_when_its_window_is_over(make, anon, clock):  # noqa: F811
    person = make.user()
    for _ in range(5):
        log_in(anon(), person.email, WRONG)
    clock.advance(4 * 60)
    refused = log_in(anon(), person.email)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) == 60
    clock.advance(61)
    client = anon()
    assert log_in(client, person.email).status_code == 302
    assert is_logged_in(client)


def test_a_successful_login_clears_the_failures_of_the_account_not_of_the_ip_address(make, anon, clock):  # noqa: F811
    person = make.user()
    for n in range(9):
        log_in(from_address(anon(), f"192.0.2.{n}"), person.email, WRONG)
    assert log_in(anon(), person.email).status_code == 302
    for n in range(9):
        log_in(from_address(anon(), f"192.0.2.{n + 10}"), person.email, WRONG)
    assert log_in(anon(), person.email).status_code == 302
    # An address's failures are not cleared by a success (else an attacker would log in to an own account).
    for n in range(9):
        log_in(from_address(anon(), "198.51.100.1"), f"someone{n}@example.org", WRONG)
    assert log_in(from_address(anon(), "198.51.100.1"), person.email).status_code == 302
    log_in(from_address(anon(), "198.51.100.1"), "someone@example.org", WRONG)
    assert log_in(from_address(anon(), "198.51.100.1"), person.email).status_code == 429


def from_address(client, address):
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_an_unknown_address_is_locked_the_same_way(make, anon, clock):  # noqa: F811
    """No difference between an address with an account and one without: nothing to learn from trying."""
    person = make.user()
    pages = {}
    for email in (person.email, "niemand@example.org"):
        client = anon("en")
        client.environ_base["REMOTE_ADDR"] = f"192.0.2.{len(pages) + 10}"
        for _ in range(5):
            assert log_in(client, email, WRONG).status_code == 200
        response = log_in(client, email, WRONG)
        assert response.status_code == 429
        pages[email] = visible(response).replace(email, "EMAIL")
    assert pages[person.email] == pages["niemand@example.org"]


def test_failures_from_one_ip_address_lock_that_address_for_every_account(make, anon, clock):  # noqa: F811
    people = [make.user() for _ in range(11)]
    for person in people[:10]:
        client = anon()
        client.environ_base["REMOTE_ADDR"] = "198.51.100.7"
        assert log_in(client, person.email, WRONG).status_code == 200
    same_address = anon()
    same_address.environ_base["REMOTE_ADDR"] = "198.51.100.7"
    assert log_in(same_address, people[10].email).status_code == 429
    elsewhere = anon()
    elsewhere.environ_base["REMOTE_ADDR"] = "203.0.113.9"
    assert log_in(elsewhere, people[10].email).status_code == 302


def test_the_back_off_is_shared_by_two_workers_on_one_database(app, make, another_app, clock):  # noqa: F811
    person = make.user()
    other = second_worker(another_app, clock)
    for worker in (app, app, app, other, other):
        assert log_in(worker.test_client(), person.email, WRONG).status_code == 200
    assert log_in(other.test_client(), person.email).status_code == 429
    assert log_in(app.test_client(), person.email).status_code == 429
    clock.advance(15 * 60 + 1)
    assert log_in(other.test_client(), person.email).status_code == 302


def test_a_limit_is_shared_by_two_workers_on_one_database(app, another_app, monkeypatch, clock):  # noqa: F811
    limits(app, monkeypatch, register="3 per hour")
    other = second_worker(another_app, clock, RATELIMITS={"register": "3 per hour"})
    statuses = [register(worker.test_client(), n).status_code for n, worker in enumerate((app, other, app, other))]
    assert statuses == [200, 200, 200, 429]


def register(client, n):
    return client.post("/registreren", data=registration(first_name=f"Nieuw{n}", email=f"nieuw{n}@example.org"))


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_too_many_sign_ups_get_a_translated_page_that_keeps_what_was_typed(app, anon, tr, monkeypatch, clock,  # noqa: F811
                                                                          lang):
    limits(app, monkeypatch, register="1 per hour")
    assert register(anon(lang), 1).status_code == 200
    clock.advance(20 * 60)
    response = register(anon(lang), 2)
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) == 40 * 60
    text = visible(response)
    assert tr(lang, "Too many attempts") in text and too_many(tr, lang, 40) in text
    assert 'value="Nieuw2"' in page_text(response) and 'value="nieuw2@example.org"' in page_text(response)
    clock.advance(40 * 60)
    assert register(anon(lang), 3).status_code == 200


def test_posting_requests_is_limited_per_person_and_keeps_the_request_as_typed(app, make, login, monkeypatch,
                                                                               clock):  # noqa: F811
    limits(app, monkeypatch, post_request="1 per hour")
    resident = make.user()
    client = login(resident.email, lang="en")
    form = request_form(title="Hulp bij de tuin", description="Mijn tuin is te groot geworden om alleen bij te houden.")
    assert client.post("/vragen/nieuw", data=form).status_code == 302
    again = client.post("/vragen/nieuw", data={**form, "title": "Nog een vraag over de tuin"})
    assert again.status_code == 429 and again.headers["Retry-After"]
    assert 'value="Nog een vraag over de tuin"' in page_text(again)
    assert "Mijn tuin is te groot geworden" in page_text(again)
    other = login(make.user().email)  # another person is not affected
    assert other.post("/vragen/nieuw", data=form).status_code == 302


def test_responding_is_limited_per_person_and_keeps_the_message(app, make, login, monkeypatch, tr, clock):  # noqa: F811
    limits(app, monkeypatch, respond="1 per hour")
    resident = make.user()
    first, second = make.request(resident), make.request(resident, title="Hulp bij de computer")
    volunteer = login(make.user("volunteer").email, lang="en")
    assert volunteer.post(f"/vragen/{first.public_id}/reageren", data={"message": "Ik kom graag!"}).status_code == 302
    response = volunteer.post(f"/vragen/{second.public_id}/reageren", data={"message": "Ik help ook hier graag."})
    assert response.status_code == 429 and response.headers["Retry-After"]
    assert "Ik help ook hier graag." in page_text(response)
    assert tr("en", "Too many attempts") in visible(response)
    assert make.response_ids(second) == []


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_generic_429_page_is_translated_and_says_when(app, make, login, monkeypatch, tr, clock, lang):  # noqa: F811
    limits(app, monkeypatch, send_verification="1 per hour")
    person = make.user()
    client = login(person.email, lang=lang)
    assert client.post("/mijn/e-mail-bevestigen", data={}).status_code == 302  # already confirmed: nothing counted
    with app.app_context():
        find_by_email(person.email).email_verified_at = None
        db.session.commit()
        db.session.remove()
    assert client.post("/mijn/e-mail-bevestigen", data={}).status_code == 302
    response = client.post("/mijn/e-mail-bevestigen", data={})
    assert response.status_code == 429 and int(response.headers["Retry-After"]) == 3600
    assert tr(lang, "Too many attempts") in visible(response) and too_many(tr, lang, 60) in visible(response)
    assert re.search(r'<html lang="' + lang, page_text(response))


def test_password_reset_requests_are_limited_per_ip_address_never_per_account(app, make, anon, monkeypatch,
                                                                             clock):  # noqa: F811
    """Many requests from one IP address wait; requests for one account from elsewhere are always answered (their
    mails are capped silently: tests/webapp/accounts/test_enumeration.py)."""
    limits(app, monkeypatch, password_reset="2 per 15 minutes")
    person = make.user()
    for n in range(2):
        client = anon()
        client.environ_base["REMOTE_ADDR"] = "192.0.2.1"
        assert client.post("/wachtwoord-vergeten", data={"email": f"x{n}@example.org"}).status_code == 200
    same_address = anon()
    same_address.environ_base["REMOTE_ADDR"] = "192.0.2.1"
    response = same_address.post("/wachtwoord-vergeten", data={"email": person.email})
    assert response.status_code == 429 and f'value="{person.email}"' in page_text(response)
    elsewhere = anon()
    elsewhere.environ_base["REMOTE_ADDR"] = "192.0.2.99"
    assert elsewhere.post("/wachtwoord-vergeten", data={"email": person.email}).status_code == 200


def test_without_rate_limits_nothing_is_counted(app, make, anon):
    """The test configuration switches limits off (RATELIMIT_ENABLED); many quick logins all work."""
    person = make.user()
    for _ in range(7):
        log_in(anon(), person.email, WRONG)
    assert log_in(anon(), person.email).status_code == 302


def test_the_database_storage_counts_atomically_per_window(app):
    fake = Clock()
    with app.app_context():
        storage = storage_from_string("samen+db://", clock=fake)
        assert isinstance(storage, DatabaseStorage) and storage.check()
        assert [storage.incr("k", 60) for _ in range(3)] == [1, 2, 3]
        assert storage.get("k") == 3 and storage.get_expiry("k") == pytest.approx(fake.now + 60)
        fake.advance(30)
        assert storage.incr("k", 60, amount=2) == 5  # same window: the end does not move
        assert storage.get_expiry("k") == pytest.approx(fake.now + 30)
        fake.advance(31)
        assert storage.get("k") == 0
        assert storage.incr("k", 60) == 1  # a new window
        storage.clear("k")
        assert storage.get("k") == 0
        storage.incr("a", 10)
        storage.incr("b", 10)
        assert storage.reset() == 2


def test_behind_a_trusted_proxy_each_visitor_is_counted_by_their_own_address(make, another_app, clock):  # noqa: F811
    person = make.user()
    proxied = second_worker(another_app, clock, TRUSTED_PROXIES=1)

    def attempt(forwarded_for, password=WRONG, n=0):
        client = proxied.test_client()
        client.environ_base["HTTP_X_FORWARDED_FOR"] = forwarded_for
        return log_in(client, person.email if password == PASSWORD else f"x{n}-{forwarded_for}@example.org", password)

    for n in range(10):
        assert attempt("203.0.113.5", n=n).status_code == 200
    assert attempt("203.0.113.5", PASSWORD).status_code == 429
    assert attempt("203.0.113.6", PASSWORD).status_code == 302
