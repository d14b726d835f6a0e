"""Password rules, changing a password, a forgotten password by e-mail, and confirming the e-mail address."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

import pytest
from flask import Flask
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from tests.conftest import page_text, visible
from tests.factories import PASSWORD
from tests.webapp.accounts.test_accounts import registration
from tests.webapp.mail_helpers import parts, smtp  # noqa: F401 (smtp is a fixture)
from tests.webapp.race_helpers import race, statuses
from webapp.accounts import services as accounts_services
from webapp.accounts import tokens
from webapp.accounts.models import User
from webapp.accounts.passwords import PasswordProblem, common_passwords, password_problem
from webapp.accounts.services import find_by_email
from webapp.core.extensions import db
from webapp.demo.generator import DEMO_PASSWORD
from webapp.privacy.services import erase_account

NEW_PASSWORD = "de fiets staat bij het station"


# -- the rules ---------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("password", "problem"), [
    ("kort maar", PasswordProblem.TOO_SHORT),
    ("x" * 201, PasswordProblem.TOO_LONG),
    ("een zin van precies honderdnegenentwintig tekens " * 2 + "x" * 31, PasswordProblem.TOO_LONG),  # 129 (ASVS 2.1.2)
    ("een heel lange zin die toch blijft werken " * 3 + "x" * 2, None),  # 128 characters are allowed
    ("wandelen 🚲 langs het Spaarne ☀️", None),  # any character, emoji too (ASVS 2.1.4)
    ("wachtwoord123", PasswordProblem.COMMON),
    ("Welkom01welkom01", PasswordProblem.REPETITIVE),
    ("abcabcabcabc", PasswordProblem.REPETITIVE),
    ("welkom01", PasswordProblem.TOO_SHORT),
    ("haarlem123456", PasswordProblem.COMMON),
    ("Wachtwoord2026!", PasswordProblem.COMMON),
    ("Password123456", PasswordProblem.COMMON),
    ("qwertyuiop123", PasswordProblem.COMMON),
    ("1234567890123", PasswordProblem.COMMON),
    ("!!!!????!!!!??", PasswordProblem.COMMON),
    ("abababababababab", PasswordProblem.REPETITIVE),
    ("fatima.elamrani@example.org", PasswordProblem.PERSONAL),
    ("fatima.elamrani", PasswordProblem.PERSONAL),
    (DEMO_PASSWORD, None),
    (PASSWORD, None),
    ("een lange zin als wachtwoord", None),
])
def test_password_rules(password, problem):
    assert password_problem(password, ("fatima.elamrani@example.org", "Fatima", "El Amrani")) == problem


def test_the_shipped_list_holds_english_and_dutch_favourites():
    listed = common_passwords()
    assert len(listed) > 30_000
    assert {"password", "iloveyou", "wachtwoord", "welkom01", "haarlem123"} <= listed


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_sign_up_refuses_a_common_password_and_keeps_the_form(anon, tr, lang):
    response = anon(lang).post("/registreren", data=registration(password="Wachtwoord2026!",
                                                                  password_again="Wachtwoord2026!"))
    assert response.status_code == 200
    assert tr(lang, "Many people use this password, so it is easy to guess. Choose another one, "
                    "for example a short sentence of your own.") in visible(response)
    assert 'value="fatima@example.org"' in page_text(response)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_sign_up_refuses_the_email_address_as_password(anon, tr, lang):
    response = anon(lang).post("/registreren", data=registration(password="fatima@example.org",
                                                                  password_again="fatima@example.org"))
    assert tr(lang, "Your password may not be your e-mail address or your name. Choose another one.") \
        in visible(response)


# -- changing the password ---------------------------------------------------------------------------------------------

def test_changing_the_password_ends_other_sessions_and_keeps_this_one(app, make, login, anon, tr):
    person = make.user()
    here, elsewhere = login(person.email, lang="en"), login(person.email)
    wrong = here.post("/mijn/wachtwoord", data={"current_password": "niet goed", "password": NEW_PASSWORD,
                                                "password_again": NEW_PASSWORD})
    assert tr("en", "Your current password is not right.") in visible(wrong)
    common = here.post("/mijn/wachtwoord", data={"current_password": PASSWORD, "password": "Wachtwoord2026!",
                                                 "password_again": "Wachtwoord2026!"})
    assert common.status_code == 200 and "Many people use this password" in visible(common)

    done = here.post("/mijn/wachtwoord", data={"current_password": PASSWORD, "password": NEW_PASSWORD,
                                               "password_again": NEW_PASSWORD})
    assert done.status_code == 302
    assert here.get("/mijn").status_code == 200
    assert elsewhere.get("/mijn").status_code == 302
    assert anon().post("/inloggen", data={"email": person.email, "password": PASSWORD}).status_code == 200
    assert anon().post("/inloggen", data={"email": person.email, "password": NEW_PASSWORD}).status_code == 302


# -- a forgotten password ----------------------------------------------------------------------------------------------

def link_in(message) -> str:
    plain, rich = parts(message)
    for word in plain.split():
        if "/wachtwoord-herstellen/" in word or "/e-mail-bevestigen/" in word:
            assert word in rich
            return urlsplit(word).path
    raise AssertionError(plain)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_reset_page_says_the_same_with_or_without_an_account(make, anon, smtp, tr, lang):  # noqa: F811
    person = make.user(locale="en")
    known = anon(lang).post("/wachtwoord-vergeten", data={"email": person.email})
    unknown = anon(lang).post("/wachtwoord-vergeten", data={"email": "niemand@example.org"})
    assert known.status_code == unknown.status_code == 200
    assert visible(known).replace(person.email, "X") == visible(unknown).replace("niemand@example.org", "X")
    assert tr(lang, "Check your e-mail") in visible(known)
    assert len(smtp.messages) == 1 and smtp.to(person.email)  # only the real account gets an e-mail
    assert smtp.messages[0]["Subject"] == tr("en", "Samen: choose a new password")  # in the person's language


def test_a_reset_link_sets_a_new_password_once_and_ends_every_session(make, login, anon, smtp, tr):  # noqa: F811
    person = make.user(locale="nl")
    logged_in = login(person.email)
    anon().post("/wachtwoord-vergeten", data={"email": person.email.upper()})
    path = link_in(smtp.to(person.email)[0])
    assert tr("nl", "Choose a new password") in visible(anon().get(path))

    weak = anon().post(path, data={"password": "wachtwoord01", "password_again": "wachtwoord01"})
    common = tr("nl", "Many people use this password, so it is easy to guess. Choose another one, for example a short "
                      "sentence of your own.")
    assert weak.status_code == 200 and common in visible(weak)
    done = anon().post(path, data={"password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
    assert done.status_code == 302 and done.headers["Location"].endswith("/inloggen")
    assert logged_in.get("/mijn").status_code == 302  # the old session has ended
    assert anon().post("/inloggen", data={"email": person.email, "password": NEW_PASSWORD}).status_code == 302

    again = anon("en").get(path)  # used once: refused kindly, with a way to ask again
    assert again.status_code == 400
    assert tr("en", "This link was used already, or it was not copied completely. Each link works only once.") \
        in visible(again)
    assert "/wachtwoord-vergeten" in page_text(again)


def test_a_tampered_reset_link_is_refused(make, anon, smtp, tr):  # noqa: F811
    person = make.user()
    anon().post("/wachtwoord-vergeten", data={"email": person.email})
    path = link_in(smtp.to(person.email)[0])
    tampered = path[:-3] + ("AAA" if not path.endswith("AAA") else "BBB")
    response = anon("en").post(tampered, data={"password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
    assert response.status_code == 400 and tr("en", "This link does not work") in visible(response)
    assert anon().post("/inloggen", data={"email": person.email, "password": PASSWORD}).status_code == 302


def old_token(app: Flask, salt: str, payload: dict, seconds_ago: int) -> str:
    class Earlier(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time()) - seconds_ago

    return URLSafeTimedSerializer(app.config["SECRET_KEY"], salt=salt, signer=Earlier).dumps(payload)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_reset_link_works_for_an_hour(app, make, anon, tr, lang):
    person = make.user()

    def payload():
        user = find_by_email(person.email)
        return {"u": user.public_id, "f": tokens.fingerprint(user.password_hash)}

    with app.app_context():
        fresh = old_token(app, tokens.RESET_SALT, payload(), 59 * 60)
        stale = old_token(app, tokens.RESET_SALT, payload(), 61 * 60)
    assert anon(lang).get(f"/wachtwoord-herstellen/{fresh}").status_code == 200
    response = anon(lang).get(f"/wachtwoord-herstellen/{stale}")
    assert response.status_code == 400
    assert tr(lang, "This link is too old. A link to choose a new password works for one hour.") in visible(response)
    assert "/wachtwoord-vergeten" in page_text(response)


# -- confirming the e-mail address -------------------------------------------------------------------------------------

BANNER = "Please confirm your e-mail address with the link we sent you."


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_sign_up_sends_a_confirmation_link_and_the_banner_goes_once_confirmed(app, anon, smtp, tr, lang):  # noqa: F811
    anon(lang).post("/registreren", data=registration())
    [message] = smtp.to("fatima@example.org")
    assert message["Subject"] == tr(lang, "Samen: confirm your e-mail address")
    client = anon(lang)  # logging in with the password works before the address is confirmed
    assert client.post("/inloggen", data={"email": "fatima@example.org",
                                          "password": "een lange zin als wachtwoord"}).status_code == 302
    dashboard = client.get("/mijn")
    assert dashboard.status_code == 200
    assert tr(lang, BANNER) in visible(dashboard)

    path = link_in(message)
    confirmed = client.get(path)
    assert confirmed.status_code == 302
    page = client.get("/mijn")
    assert tr(lang, BANNER) not in visible(page)
    assert tr(lang, "Thank you! Your e-mail address is confirmed.") in visible(page)
    with app.app_context():
        assert find_by_email("fatima@example.org").email_verified_at is not None
        db.session.remove()
    assert tr(lang, "Your e-mail address was already confirmed.") in visible(client.get(path, follow_redirects=True))


def test_the_banner_sends_the_link_again(make, login, smtp, tr):  # noqa: F811
    person = make.user()
    client = login(person.email, lang="en")
    assert tr("en", BANNER) not in visible(client.get("/mijn"))  # people made by factories count as confirmed
    make.run(lambda: setattr(find_by_email(person.email), "email_verified_at", None) or db.session.commit())
    assert tr("en", BANNER) in visible(client.get("/mijn"))
    response = client.post("/mijn/e-mail-bevestigen", data={"next": "/vragen/"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/vragen/")
    [message] = smtp.to(person.email)
    assert client.get(link_in(message)).status_code == 302
    assert tr("en", BANNER) not in visible(client.get("/mijn"))


def test_a_verification_link_for_another_address_or_changed_is_refused(app, make, anon, tr):
    person = make.user()
    with app.app_context():
        user = find_by_email(person.email)
        user.email_verified_at = None
        db.session.commit()
        other_address = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt=tokens.VERIFY_SALT).dumps(
            {"u": user.public_id, "f": tokens.fingerprint("iemand@example.org")})
        expired = old_token(app, tokens.VERIFY_SALT, {"u": user.public_id, "f": tokens.fingerprint(user.email)},
                            4 * 86400)
        db.session.remove()
    for token in (other_address, other_address[:-2], "nonsense"):
        response = anon("en").get(f"/e-mail-bevestigen/{token}")
        assert response.status_code == 400 and tr("en", "This link does not work") in visible(response)
    response = anon("en").get(f"/e-mail-bevestigen/{expired}")
    assert tr("en", "This link is too old. A link to confirm your e-mail address works for three days.") \
        in visible(response)
    assert make.run(lambda: find_by_email(person.email).email_verified_at) is None


def unconfirmed_with_link(app, make):
    person = make.user(locale="en")
    with app.app_context():
        user = find_by_email(person.email)
        user.email_verified_at = None
        db.session.commit()
        token = tokens.email_verification_token(user)
        db.session.remove()
    return person, token


def test_a_confirmation_link_opened_twice_at_once_confirms_once(app, make, anon, tr):
    _person, token = unconfirmed_with_link(app, make)
    clients = [anon("en") for _ in range(6)]
    answers, _seconds = race(6, lambda i: None, lambda i, _: clients[i].get(f"/e-mail-bevestigen/{token}"))
    assert statuses(answers) == {302: 6}, statuses(answers)
    pages = [visible(client.get("/")) for client in clients]
    assert sum(tr("en", "Thank you! Your e-mail address is confirmed.") in page for page in pages) == 1
    assert sum(tr("en", "Your e-mail address was already confirmed.") in page for page in pages) == 5


def test_a_confirmation_link_checked_before_the_account_was_deleted_confirms_nothing(app, make, anon, tr):
    """The link was checked; before it is recorded the person deletes their account (in another request)."""
    person, token = unconfirmed_with_link(app, make)
    with app.test_request_context():
        user = tokens.user_for_email_verification(token)
        with app.app_context():  # another request, with its own session, commits first
            erase_account(db.session.get(User, user.id))
            db.session.commit()
            db.session.remove()
        with pytest.raises(accounts_services.AddressChanged):
            accounts_services.mark_email_verified(user)
        db.session.rollback()
        db.session.remove()
    assert make.run(lambda: db.session.get(User, person.id).email_verified_at) is None
