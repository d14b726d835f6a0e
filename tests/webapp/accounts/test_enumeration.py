"""Nobody can learn whether an address has an account: not from a page, a status, a cookie, an e-mail they get,
or the time an answer takes (counted here in argon2 runs; scripts/enumeration-timing.py measures wall-clock medians).
Sign-up with a known address e-mails its owner and answers exactly like a new address."""

from __future__ import annotations

import re

import pytest
from argon2 import PasswordHasher

from tests.conftest import visible
from tests.factories import PASSWORD
from tests.webapp.accounts.test_accounts import registration
from tests.webapp.auth_helpers import clock, limits  # noqa: F401 (fixtures)
from tests.webapp.mail_helpers import parts, smtp  # noqa: F401 (smtp is a fixture)
from webapp.accounts.models import User
from webapp.accounts.services import find_by_email

WRONG = "dit is niet het wachtwoord"


@pytest.fixture
def argon2_runs(monkeypatch):
    """Counts argon2 hash and verify calls (each costs the same configured time)."""
    runs = []
    real_hash, real_verify = PasswordHasher.hash, PasswordHasher.verify

    def counting_hash(self, *args, **kwargs):
        runs.append("hash")
        return real_hash(self, *args, **kwargs)

    def counting_verify(self, *args, **kwargs):
        runs.append("verify")
        return real_verify(self, *args, **kwargs)

    monkeypatch.setattr(PasswordHasher, "hash", counting_hash)
    monkeypatch.setattr(PasswordHasher, "verify", counting_verify)
    return runs


def comparable(response, email):
    """The page with the typed address taken out: what must not differ between a known and a new address."""
    return re.sub(r'name="csrf_token"[^>]*>', "", visible(response).replace(email, "EMAIL"))


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_sign_up_with_a_known_address_answers_exactly_like_a_new_one(make, anon, smtp, tr, lang):  # noqa: F811
    owner = make.user("resident", email="bekend@example.org", locale="en")
    answers = {}
    for email in ("bekend@example.org", "nieuw@example.org"):
        client = anon(lang)
        response = client.post("/registreren", data=registration(email=email))
        answers[email] = (response.status_code, comparable(response, email),
                          sorted(c.key for c in client._cookies.values()), client.get("/mijn").status_code)
    assert answers["bekend@example.org"] == answers["nieuw@example.org"]
    status, page, _cookies, dashboard = answers["nieuw@example.org"]
    assert status == 200 and dashboard == 302  # nobody is logged in by signing up
    assert tr(lang, "Almost done: check your e-mail") in page
    assert tr(lang, "There is already an account with this e-mail address. Log in instead.") not in page

    [note] = smtp.to(owner.email)  # the owner hears it, in their own language
    assert note["Subject"] == tr("en", "Samen: you already have an account")
    assert "/wachtwoord-herstellen/" in parts(note)[0]
    [welcome] = smtp.to("nieuw@example.org")
    assert welcome["Subject"] == tr(lang, "Samen: confirm your e-mail address")
    assert make.count(User) == 2


def test_sign_up_costs_the_same_argon2_work_for_a_known_and_a_new_address(make, anon, argon2_runs):
    make.user("resident", email="bekend@example.org")
    argon2_runs.clear()
    anon().post("/registreren", data=registration(email="bekend@example.org"))
    known = list(argon2_runs)
    argon2_runs.clear()
    anon().post("/registreren", data=registration(email="nieuw@example.org"))
    assert known == argon2_runs == ["hash"]


def test_login_with_an_unknown_address_costs_one_argon2_run_like_a_wrong_password(make, anon, argon2_runs):
    person = make.user("resident")
    anon().post("/inloggen", data={"email": "warm-up@example.org", "password": WRONG})  # the decoy hash is made once
    for email in (person.email, "niemand@example.org", person.email, "niemand@example.org"):
        argon2_runs.clear()
        response = anon().post("/inloggen", data={"email": email, "password": WRONG})
        assert response.status_code == 200
        assert argon2_runs == ["verify"], email


def test_an_account_without_a_password_costs_the_same_as_any_other(make, anon, argon2_runs):
    """Residents taken in by staff have no password (and no e-mail); an erased account keeps neither."""
    person = make.user("resident")
    make.run(lambda: setattr(find_by_email(person.email), "password_hash", None) or _commit())
    anon().post("/inloggen", data={"email": "warm-up@example.org", "password": WRONG})
    argon2_runs.clear()
    assert anon().post("/inloggen", data={"email": person.email, "password": PASSWORD}).status_code == 200
    assert argon2_runs == ["verify"]


def _commit():
    from webapp.core.extensions import db
    db.session.commit()


def test_asking_for_a_new_password_again_and_again_always_answers_the_same_and_caps_the_mails(
        make, anon, smtp, clock, tr):  # noqa: F811
    """Five requests used to send five mails and then refuse the owner's own request with 429: repeated, that
    kept a person out. Now every request gets the same page; the owner gets at most three mails an hour, each
    with a working link."""
    person = make.user("resident", locale="en")
    pages = set()
    for n in range(8):
        client = anon("en")
        client.environ_base["REMOTE_ADDR"] = f"192.0.2.{n + 1}"
        response = client.post("/wachtwoord-vergeten", data={"email": person.email})
        assert response.status_code == 200, n
        pages.add(comparable(response, person.email))
    unknown = anon("en").post("/wachtwoord-vergeten", data={"email": "niemand@example.org"})
    pages.add(comparable(unknown, "niemand@example.org"))
    assert len(pages) == 1
    mails = smtp.to(person.email)
    assert len(mails) == 3
    path = next(w for w in parts(mails[0])[0].split() if "/wachtwoord-herstellen/" in w)
    path = path[path.index("/wachtwoord-herstellen/"):]
    assert anon().get(path).status_code == 200  # the owner can always choose a new password
    clock.advance(3601)
    anon("en").post("/wachtwoord-vergeten", data={"email": person.email})
    assert len(smtp.to(person.email)) == 4


def test_sign_up_with_a_known_address_cannot_flood_its_owner(make, anon, smtp, clock):  # noqa: F811
    owner = make.user("resident", email="bekend@example.org")
    for n in range(6):
        client = anon()
        client.environ_base["REMOTE_ADDR"] = f"198.51.100.{n + 1}"
        assert client.post("/registreren", data=registration(email=owner.email)).status_code == 200
    assert len(smtp.to(owner.email)) == 3


def confirmation_path(smtp, email):  # noqa: F811
    [message] = smtp.to(email)
    word = next(w for w in parts(message)[0].split() if "/e-mail-bevestigen/" in w)
    return word[word.index("/e-mail-bevestigen/"):]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_confirmation_link_logs_in_in_the_browser_that_signed_up(anon, smtp, tr, lang):  # noqa: F811
    client = anon(lang)
    client.post("/registreren", data=registration(roles=["resident", "volunteer"]))
    response = client.get(confirmation_path(smtp, "fatima@example.org"))
    assert response.status_code == 302 and response.headers["Location"].endswith("/mijn/vrijwilligersprofiel")
    page = client.get("/mijn")
    assert page.status_code == 200
    assert tr(lang, "Welcome to Samen, %(name)s! Your e-mail address is confirmed.", name="Fatima") in visible(page)


def test_the_confirmation_link_in_another_browser_confirms_but_asks_for_the_password(make, anon, smtp, tr):  # noqa: F811
    """Whoever signs up with somebody else's address chose the password: the owner clicking the link must not be
    logged in to an account the stranger can open too (account pre-hijacking)."""
    anon("en").post("/registreren", data=registration())
    elsewhere = anon("en")
    response = elsewhere.get(confirmation_path(smtp, "fatima@example.org"))
    assert response.status_code == 302 and response.headers["Location"].endswith("/inloggen")
    assert elsewhere.get("/mijn").status_code == 302
    assert make.run(lambda: find_by_email("fatima@example.org").email_verified_at) is not None


def test_the_confirmation_link_logs_in_only_once(anon, smtp):  # noqa: F811
    client = anon("en")
    client.post("/registreren", data=registration())
    path = confirmation_path(smtp, "fatima@example.org")
    assert client.get(path).status_code == 302
    client.post("/uitloggen")
    again = client.get(path)
    assert again.status_code == 302 and again.headers["Location"].endswith("/inloggen")
    assert client.get("/mijn").status_code == 302


def test_an_unconfirmed_account_logs_in_with_its_password(anon, tr):
    """A mistyped address never sends the link: the person can still log in (and is asked to confirm)."""
    anon().post("/registreren", data=registration())
    client = anon("en")
    assert client.post("/inloggen", data={"email": "fatima@example.org",
                                          "password": "een lange zin als wachtwoord"}).status_code == 302
    assert tr("nl", "Please confirm your e-mail address with the link we sent you.") in visible(client.get("/mijn"))

