"""Accounts through the test client, in Dutch and English: register, log in, log out, account, volunteer profile,
the session cookie and CSRF protection."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.conftest import EVIL_TARGETS, csrf_token, html_lang, page_text, stays_on_site, visible
from tests.factories import PASSWORD
from tests.webapp.mail_helpers import parts, smtp  # noqa: F401 (smtp is a fixture)
from webapp.accounts.models import User, VolunteerProfile
from webapp.asks.models import HelpRequest
from webapp.core.extensions import db

LANGS = ["nl", "en"]


def registration(**overrides):
    data = {
        "first_name": "Fatima",
        "last_name": "El Amrani",
        "email": "fatima@example.org",
        "phone": "06-55501234",
        "postcode": "2012 AB",
        "roles": ["resident"],
        "password": "een lange zin als wachtwoord",
        "password_again": "een lange zin als wachtwoord",
    }
    data.update(overrides)
    return data


def stored_user(email):
    user = db.session.execute(select(User).where(User.email == email)).scalar_one_or_none()
    if user is None:
        return None
    return {
        "roles": set(user.roles),
        "locale": user.locale,
        "wijk": user.wijk.code if user.wijk else None,
        "last_name": user.last_name,
        "phone": user.phone,
        "has_profile": user.volunteer_profile is not None,
        "password_hash": user.password_hash,
    }


@pytest.mark.parametrize("lang", LANGS)
def test_register_as_resident_stores_the_wijk_and_language_and_the_link_logs_in(anon, make, smtp, tr, lang):  # noqa: F811
    client = anon(lang)
    page = client.get("/registreren")
    assert page.status_code == 200 and html_lang(page) == lang

    response = client.post("/registreren", data=registration())
    assert response.status_code == 200 and html_lang(response) == lang
    assert tr(lang, "Almost done: check your e-mail") in visible(response)

    stored = make.run(stored_user, "fatima@example.org")
    assert stored["roles"] == {"resident"}
    assert stored["locale"] == lang
    assert stored["wijk"] == "WK039202"  # 2012 lies only in the Haarlemmerhoutkwartier
    assert stored["password_hash"] and "lange zin" not in stored["password_hash"]

    assert client.get(confirmation_link(smtp)).headers["Location"].endswith("/mijn")
    dashboard = client.get("/mijn")
    assert dashboard.status_code == 200 and html_lang(dashboard) == lang
    assert tr(lang, "Welcome to Samen, %(name)s! Your e-mail address is confirmed.", name="Fatima") \
        in visible(dashboard)


def confirmation_link(smtp, email="fatima@example.org"):  # noqa: F811
    [message] = smtp.to(email)
    word = next(w for w in parts(message)[0].split() if "/e-mail-bevestigen/" in w)
    return word[word.index("/e-mail-bevestigen/"):]


@pytest.mark.parametrize("lang", LANGS)
def test_register_with_volunteer_checkbox_gives_both_roles_and_opens_the_profile(anon, make, smtp, lang):  # noqa: F811
    client = anon(lang)
    assert client.post("/registreren", data=registration(roles=["resident", "volunteer"])).status_code == 200
    stored = make.run(stored_user, "fatima@example.org")
    assert stored["roles"] == {"resident", "volunteer"}
    assert stored["has_profile"]
    response = client.get(confirmation_link(smtp))
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/mijn/vrijwilligersprofiel")


def test_register_cannot_grant_itself_the_staff_role(anon, make):
    response = anon("en").post("/registreren", data=registration(roles=["volunteer", "staff", "admin"]))
    assert response.status_code in (200, 302, 400)
    stored = make.run(stored_user, "fatima@example.org")
    assert stored is None or not stored["roles"] & {"staff", "admin"}


def test_registered_language_is_used_on_the_next_login_without_a_browser_hint(anon, app):
    anon("en").post("/registreren", data=registration())
    client = app.test_client()  # no Accept-Language at all
    assert client.post("/inloggen", data={"email": "fatima@example.org",
                                          "password": "een lange zin als wachtwoord"}).status_code == 302
    assert html_lang(client.get("/mijn")) == "en"


@pytest.mark.parametrize("lang", LANGS)
def test_login_redirects_to_the_dashboard_and_shows_the_first_name(anon, make, lang):
    person = make.user("resident", first_name="Ans", locale=lang)
    client = anon(lang)
    response = client.post("/inloggen", data={"email": person.email.upper(), "password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"].endswith("/mijn")
    page = client.get("/mijn")
    assert page.status_code == 200 and html_lang(page) == lang
    assert "Ans" in visible(page)


def test_login_follows_a_local_next_but_not_another_host(make, anon):
    person = make.user("resident")
    response = anon("en").post("/inloggen?next=/vragen/", data={"email": person.email, "password": PASSWORD})
    assert response.headers["Location"] == "/vragen/"
    for evil in EVIL_TARGETS:
        response = anon("en").post("/inloggen", query_string={"next": evil},
                                   data={"email": person.email, "password": PASSWORD})
        assert response.status_code == 302
        assert stays_on_site(response.headers["Location"]), (evil, response.headers["Location"])


def test_pages_for_members_send_anonymous_people_to_login(anon):
    client = anon("en")
    for url in ("/mijn", "/mijn/account", "/mijn/vrijwilligersprofiel", "/vragen/nieuw", "/aanbod/nieuw",
                "/berichten/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/inloggen" in response.headers["Location"], url


@pytest.mark.parametrize("lang", LANGS)
def test_logout_ends_the_session(make, login, tr, lang):
    person = make.user("resident", locale=lang)
    client = login(person.email, lang=lang)
    response = client.post("/uitloggen")
    assert response.status_code == 302
    home = client.get("/")
    assert html_lang(home) == lang  # the chosen language survives logout
    assert tr(lang, "You are logged out.") in visible(home)
    assert client.get("/mijn").status_code == 302


def test_a_session_cookie_copied_before_logout_no_longer_works(app, make, login):
    person = make.user("resident")
    client = login(person.email)
    stolen = client.get_cookie("session")
    assert stolen is not None
    thief = app.test_client()
    thief.set_cookie("session", stolen.value)
    assert thief.get("/mijn").status_code == 200  # the copy works while the session lives

    assert client.post("/uitloggen").status_code == 302

    replay = app.test_client()
    replay.set_cookie("session", stolen.value)
    response = replay.get("/mijn")
    assert response.status_code == 302 and "/inloggen" in response.headers["Location"]


def test_a_remember_me_cookie_copied_before_logout_no_longer_works(app, make):
    person = make.user("resident")
    client = app.test_client()
    client.post("/inloggen", data={"email": person.email, "password": PASSWORD, "remember": "y"})
    remember = client.get_cookie("remember_token")
    assert remember is not None
    client.post("/uitloggen")

    replay = app.test_client()
    replay.set_cookie("remember_token", remember.value)
    assert replay.get("/mijn").status_code == 302


def test_logging_out_everywhere_also_ends_other_devices(app, make, login):
    person = make.user("resident")
    phone = login(person.email)
    laptop = login(person.email)
    laptop.post("/uitloggen")
    assert phone.get("/mijn").status_code == 302


def test_session_cookie_is_httponly_and_samesite_lax(make, app):
    person = make.user("resident")
    response = app.test_client().post("/inloggen", data={"email": person.email, "password": PASSWORD})
    assert response.status_code == 302
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert cookies, response.headers.getlist("Set-Cookie")
    flags = [part.strip().lower() for part in cookies[-1].split(";")]
    assert "httponly" in flags
    assert "samesite=lax" in flags


def test_login_starts_a_new_session(make, app):
    """No session fixation: data planted in the session before login does not survive it."""
    person = make.user("resident")
    client = app.test_client()
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    client.post("/inloggen", data={"email": person.email, "password": PASSWORD})
    with client.session_transaction() as session:
        assert "planted" not in session


def test_blocked_person_cannot_log_in(make, anon):
    person = make.user("resident")

    def block():
        db.session.get(User, person.id).is_blocked = True
        db.session.commit()

    make.run(block)
    response = anon("en").post("/inloggen", data={"email": person.email, "password": PASSWORD})
    assert response.status_code == 200
    assert "The e-mail address or password is not right." in visible(response)


@pytest.mark.parametrize("lang", LANGS)
def test_account_page_saves_name_phone_wijk_and_roles(make, login, lang):
    person = make.user("resident", locale=lang)
    client = login(person.email)
    page = client.get("/mijn/account")
    assert page.status_code == 200 and html_lang(page) == lang
    assert person.email in visible(page)  # a person sees their own address

    response = client.post("/mijn/account", data={
        "first_name": "Nieuw", "last_name": "Anders", "phone": "06-99990000",
        "postcode": "2034 AB", "wijk": "WK039220", "roles": ["resident", "volunteer"],
    })
    assert response.status_code == 302
    stored = make.run(stored_user, person.email)
    assert stored["wijk"] == "WK039220"
    assert stored["last_name"] == "Anders" and stored["phone"] == "06-99990000"
    assert stored["roles"] == {"resident", "volunteer"} and stored["has_profile"]


@pytest.mark.parametrize("lang", LANGS)
def test_volunteer_profile_is_prefilled_and_saved(make, login, lang):
    person = make.user("volunteer", locale=lang)
    client = login(person.email)
    page = client.get("/mijn/vrijwilligersprofiel")
    assert page.status_code == 200 and html_lang(page) == lang
    assert "boodschappen, computer" in visible(page)

    response = client.post("/mijn/vrijwilligersprofiel", data={
        "skills": "tuinieren, koken , ,fietsen", "languages": ["nl", "tr"], "max_distance_km": "2.5",
        "availability": ["tue-evening", "mon-morning"], "bio": "Gepensioneerd en graag buiten.",
        "postcode": "2012", "wijk": "",
    })
    assert response.status_code == 302

    def profile():
        row = db.session.get(VolunteerProfile, person.id)
        return (row.skills, row.languages, row.max_distance_km, row.availability, row.wijk.code, row.bio)

    skills, languages, distance, availability, wijk, bio = make.run(profile)
    assert skills == ["tuinieren", "koken", "fietsen"]
    assert sorted(languages) == ["nl", "tr"]
    assert distance == 2.5
    assert set(availability) == {"tue-evening", "mon-morning"}
    assert wijk == "WK039202"
    assert bio == "Gepensioneerd en graag buiten."


def test_saving_a_volunteer_profile_makes_a_resident_a_volunteer(make, login):
    person = make.user("resident")
    client = login(person.email)
    response = client.post("/mijn/vrijwilligersprofiel", data={
        "skills": "koken", "languages": ["nl"], "max_distance_km": "3", "postcode": "2012"})
    assert response.status_code == 302
    assert "volunteer" in make.run(stored_user, person.email)["roles"]


# CSRF: the session app has it switched off; `csrf_app` (conftest) is a second app with it on.


def test_forms_without_csrf_token_are_refused_and_change_nothing(csrf_app, make, tr):
    resident = make.user("resident")
    help_request = make.request(resident)
    client = csrf_app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"

    # Log in properly, with the token from the form.
    token = csrf_token(page_text(client.get("/inloggen")))
    assert client.post("/inloggen", data={"email": resident.email, "password": PASSWORD,
                                          "csrf_token": token}).status_code == 302

    refused = client.post(f"/vragen/{help_request.public_id}/annuleren")
    assert refused.status_code == 400
    assert make.fetch(HelpRequest, help_request.id, "status").status == "open"

    assert client.post("/uitloggen").status_code == 400
    assert client.get("/mijn").status_code == 200  # still logged in

    token = csrf_token(page_text(client.get(f"/vragen/{help_request.public_id}")))
    assert client.post(f"/vragen/{help_request.public_id}/annuleren", data={"csrf_token": token}).status_code == 302
    assert make.fetch(HelpRequest, help_request.id, "status").status == "cancelled"


def test_login_without_csrf_token_does_not_log_in(csrf_app, make):
    person = make.user("resident")
    client = csrf_app.test_client()
    response = client.post("/inloggen", data={"email": person.email, "password": PASSWORD})
    assert response.status_code in (200, 400)
    assert client.get("/mijn").status_code == 302
