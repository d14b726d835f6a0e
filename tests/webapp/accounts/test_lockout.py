"""Nobody can keep a person out by failing on purpose: failed logins slow guessing down (per IP address and account
together, with growing delays), but never refuse the right password from a browser that logged in before, nor the
owner's own way back through a new password. Staff are included. The forms that ask for the current password while
logged in (change password, delete account) count wrong passwords alike."""

from __future__ import annotations

import pytest

from tests.conftest import complete_second_step, page_text, visible
from tests.factories import PASSWORD
from tests.webapp.auth_helpers import clock  # noqa: F401 (a fixture)
from tests.webapp.mail_helpers import parts, smtp  # noqa: F401 (smtp is a fixture)

COOKIE = "samen_device"  # webapp.accounts.devices.COOKIE

WRONG = "dit is niet het wachtwoord"
NEW_PASSWORD = "een nieuwe zin als wachtwoord"


def from_address(client, address):
    client.environ_base["REMOTE_ADDR"] = address
    return client


def log_in(client, email, password=PASSWORD):
    return client.post("/inloggen", data={"email": email, "password": password})


def attack(anon, email, times, addresses=1, start=1):
    """Wrong passwords for `email` from `addresses` different IP addresses, `times` in all."""
    for n in range(times):
        log_in(from_address(anon(), f"198.51.{(start + n % addresses) // 250}.{(start + n % addresses) % 250 + 1}"),
               email, WRONG)


def browser_that_logged_in_before(app, anon, person, address="192.0.2.10"):
    """The person's own browser: it logged in once (and out again); the known-browser cookie stays."""
    client = from_address(anon("en"), address)
    response = log_in(client, person.email)
    complete_second_step(app, client, response, person.email)
    assert client.get("/mijn").status_code == 200
    assert client.post("/uitloggen").status_code == 302
    return client


@pytest.mark.parametrize("role", ["resident", "staff"])
def test_five_wrong_passwords_from_one_address_do_not_lock_the_owner_out_elsewhere(app, make, anon, clock, role):  # noqa: F811
    """Used to be: five failures for an address, from anywhere, and even the right password waited 15 minutes."""
    person = make.user(role)
    attack(anon, person.email, 5)
    owner = from_address(anon("en"), "192.0.2.77")
    response = log_in(owner, person.email)
    assert response.status_code == 302
    complete_second_step(app, owner, response, person.email)
    assert owner.get("/mijn").status_code == 200


def test_the_attackers_own_address_waits_with_growing_delays(make, anon, clock):  # noqa: F811
    person = make.user()
    attacker = from_address(anon("en"), "198.51.100.9")
    for _ in range(5):
        assert log_in(attacker, person.email, WRONG).status_code == 200
    refused = log_in(attacker, person.email)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) == 5 * 60
    clock.advance(5 * 60 + 1)
    for _ in range(5):
        assert log_in(attacker, person.email, WRONG).status_code == 200
    refused = log_in(attacker, person.email, WRONG)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 50 * 60  # now about an hour


@pytest.mark.parametrize("role", ["resident", "staff"])
def test_a_browser_that_logged_in_before_gets_in_whatever_others_try(app, make, anon, clock, role):  # noqa: F811
    """Thirty wrong passwords from thirty addresses hold back every unknown browser for this account; the owner's
    own browser is not held back by them."""
    person = make.user(role)
    own = browser_that_logged_in_before(app, anon, person)
    attack(anon, person.email, 30, addresses=30)
    assert log_in(from_address(anon("en"), "203.0.113.5"), person.email).status_code == 429  # an unknown browser
    response = log_in(own, person.email)
    assert response.status_code == 302
    complete_second_step(app, own, response, person.email)
    assert own.get("/mijn").status_code == 200


def test_the_owner_on_a_new_device_gets_back_in_through_a_new_password(app, make, anon, smtp, clock):  # noqa: F811
    person = make.user()
    attack(anon, person.email, 30, addresses=30)
    new_phone = from_address(anon("en"), "203.0.113.8")
    assert log_in(new_phone, person.email).status_code == 429
    assert new_phone.post("/wachtwoord-vergeten", data={"email": person.email}).status_code == 200
    [mail] = smtp.to(person.email)
    link = next(w for w in parts(mail)[0].split() if "/wachtwoord-herstellen/" in w)
    path = link[link.index("/wachtwoord-herstellen/"):]
    assert new_phone.post(path, data={"password": NEW_PASSWORD, "password_again": NEW_PASSWORD}).status_code == 302
    attack(anon, person.email, 30, addresses=30, start=100)  # and the attack goes on
    assert log_in(new_phone, person.email, NEW_PASSWORD).status_code == 302
    assert new_phone.get("/mijn").status_code == 200


def test_a_known_browser_still_waits_after_its_own_many_failures(app, make, anon, clock):  # noqa: F811
    person = make.user()
    own = browser_that_logged_in_before(app, anon, person)
    for _ in range(10):
        assert log_in(own, person.email, WRONG).status_code == 200
    assert log_in(own, person.email).status_code == 429
    assert log_in(from_address(anon("en"), "203.0.113.40"), person.email).status_code == 302  # not the account


def test_a_forged_or_borrowed_known_browser_cookie_counts_for_nothing(app, make, anon, clock):  # noqa: F811
    person, stranger = make.user(), make.user()
    own = browser_that_logged_in_before(app, anon, stranger)
    cookie = own.get_cookie(COOKIE)
    assert cookie is not None
    attack(anon, person.email, 30, addresses=30)
    for value in (cookie.value, cookie.value[:-4] + "AAAA", "nonsense"):
        other = from_address(anon("en"), "203.0.113.50")
        other.set_cookie(COOKIE, value)
        assert log_in(other, person.email).status_code == 429, value


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_wrong_passwords_on_the_delete_form_are_counted_like_on_the_change_password_form(make, login, tr, clock,  # noqa: F811
                                                                                       lang):
    """Somebody with a stolen session used to be able to guess the password on the delete form without limit
    (the change-password form already counted)."""
    person = make.user("resident", locale=lang)
    client = login(person.email, lang=lang)
    for _ in range(5):
        response = client.post("/mijn/gegevens/verwijderen", data={"password": WRONG, "confirm": "y"})
        assert response.status_code == 400
        assert tr(lang, "This password is not right.") in visible(response)
    refused = client.post("/mijn/gegevens/verwijderen", data={"password": PASSWORD, "confirm": "y"})
    assert refused.status_code == 429 and refused.headers["Retry-After"]
    assert tr(lang, "Too many attempts") in visible(refused)
    assert 'name="confirm"' in page_text(refused)
    assert client.get("/mijn").status_code == 200  # nothing was deleted
    # ... and they count together with the change-password form: it waits too.
    assert client.post("/mijn/wachtwoord", data={"current_password": PASSWORD, "password": NEW_PASSWORD,
                                                 "password_again": NEW_PASSWORD}).status_code == 429


def test_a_stolen_session_cannot_lock_the_owner_out_of_logging_in(make, login, anon, clock):  # noqa: F811
    """Wrong current passwords while logged in count for that person only; the login page is not affected."""
    person = make.user("resident")
    stolen = login(person.email)
    for _ in range(6):
        stolen.post("/mijn/wachtwoord", data={"current_password": WRONG, "password": NEW_PASSWORD,
                                              "password_again": NEW_PASSWORD})
    assert log_in(from_address(anon("en"), "192.0.2.30"), person.email).status_code == 302


def test_an_unknown_address_is_held_back_exactly_like_a_known_one(make, anon, clock):  # noqa: F811
    person = make.user()
    pages = {}
    for email in (person.email, "niemand@example.org"):
        for n in range(30):
            log_in(from_address(anon("en"), f"198.51.100.{n + 1}"), email, WRONG)
        response = log_in(from_address(anon("en"), "203.0.113.60"), email, WRONG)
        pages[email] = (response.status_code, response.headers.get("Retry-After"),
                        visible(response).replace(email, "EMAIL"))
    assert pages[person.email] == pages["niemand@example.org"]
    assert pages[person.email][0] == 429


def test_failed_logins_per_account_stay_below_the_asvs_ceiling(make, anon, clock):  # noqa: F811
    """ASVS 2.2.1: no more than 100 failed attempts per hour on one account. From unknown browsers on many addresses
    at most 10 per 15 minutes are even checked, and 30 a day."""
    person = make.user()
    checked = 0
    for n in range(200):
        response = log_in(from_address(anon("en"), f"198.51.{n // 250}.{n % 250 + 1}"), person.email, WRONG)
        checked += response.status_code == 200
        if n % 20 == 19:
            clock.advance(6 * 60)  # the 200 attempts spread over an hour
    assert checked <= 30

