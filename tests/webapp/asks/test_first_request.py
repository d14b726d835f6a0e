"""Ask for help and make an account on one page (#15, asks/first_views.py): home → this page → "check your
e-mail" → the published request. Whether the address is new or known, the answer is the same; nothing goes online
in anybody's name unless they confirm their own address or post it themselves; both rate limits count; a mistake
anywhere keeps everything typed, the password too."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.conftest import is_checked, page_text, visible
from tests.factories import PASSWORD
from tests.webapp.accounts.test_accounts import confirmation_link
from tests.webapp.accounts.test_enumeration import argon2_runs, comparable  # noqa: F401 (argon2_runs: fixture)
from tests.webapp.auth_helpers import clock, limits  # noqa: F401 (fixture)
from tests.webapp.mail_helpers import parts, smtp  # noqa: F401 (a fixture)
from webapp.accounts.models import User
from webapp.asks.models import HelpRequest
from webapp.core.extensions import db

PAGE = "/vragen/hulp-vragen"
TYPED_PASSWORD = "mijn fiets is rood en oud"


def asking(**overrides):
    data = {"title": "Wie kan mijn hond uitlaten?",
            "description": "Ik ben gevallen en kan een paar weken niet lopen.",
            "text_language": "nl", "category": "auto", "when": "any", "languages": ["nl"], "frequency": "once",
            "first_name": "Fatima", "email": "fatima@example.org", "postcode": "2012 AB", "wijk": "",
            "password": TYPED_PASSWORD}
    data.update(overrides)
    return data


def requests_of(email):
    user = db.session.execute(select(User).where(User.email == email)).scalar_one_or_none()
    if user is None:
        return None
    rows = db.session.execute(select(HelpRequest).where(HelpRequest.requester_id == user.id)).scalars().all()
    return {"roles": set(user.roles), "confirmed": user.email_verified_at is not None, "wijk": user.wijk.code,
            "requests": [(r.public_id, r.title, r.moderation, r.wijk.code) for r in rows]}


def session_of(app, client):
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    return app.session_interface.get_signing_serializer(app).loads(cookie.value) if cookie else {}


def input_value(response, name):
    found = re.search(rf'<(?:input|textarea)[^>]*name="{name}"[^>]*>', page_text(response))
    assert found, f"no field {name}"
    tag = found.group(0)
    if tag.startswith("<textarea"):
        rest = page_text(response)[found.end():]
        return rest[:rest.index("</textarea>")].strip()
    value = re.search(r'value="([^"]*)"', tag)
    return value.group(1) if value else ""


# -- the page ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["nl", "en"])
def test_ask_for_help_on_the_home_page_opens_one_page_with_the_request_first_then_the_account(anon, tr, lang):
    client = anon(lang)
    assert f'href="{PAGE}"' in page_text(client.get("/"))
    response = client.get(PAGE)
    assert response.status_code == 200
    html = page_text(response)
    order = [html.index(f'name="{name}"') for name in ("title", "description", "when", "first_name", "email",
                                                       "postcode", "password")]
    assert order == sorted(order)
    assert 'name="roles"' not in html and 'name="password_again"' not in html
    assert is_checked(response, "when", "any") and is_checked(response, "languages", lang)
    assert tr(lang, "About you") in visible(response)
    assert response.headers["Cache-Control"] == "no-store"


def test_a_logged_in_person_goes_to_the_request_form(make, login):
    client = login(make.user("resident").email)
    assert client.get(PAGE).headers["Location"].endswith("/vragen/nieuw")
    assert client.post(PAGE, data=asking()).headers["Location"].endswith("/vragen/nieuw")


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_new_address_gets_one_check_your_email_page_and_the_link_opens_the_published_request(
        app, anon, make, smtp, tr, lang):  # noqa: F811
    client = anon(lang)
    response = client.post(PAGE, data=asking(postcode="2034 AB"))
    assert response.status_code == 200
    text = visible(response)
    assert tr(lang, "Almost done: check your e-mail") in text
    assert tr(lang, "Your request goes online as soon as you open the link in the e-mail.") in text
    stored = make.run(requests_of, "fatima@example.org")
    assert stored["roles"] == {"resident"} and not stored["confirmed"]
    [(public_id, title, moderation, wijk)] = stored["requests"]
    assert (title, moderation) == ("Wie kan mijn hond uitlaten?", "waiting")
    assert wijk == stored["wijk"] == "WK039218"  # a shared postcode, no wijk chosen: the most likely one, once
    assert anon("nl").get(f"/vragen/{public_id}").status_code == 404  # not online before the link

    landed = client.get(confirmation_link(smtp))  # page 4: the link logs in and opens the request, online
    assert landed.status_code == 302 and landed.headers["Location"].endswith(f"/vragen/{public_id}")
    assert client.get(landed.headers["Location"]).status_code == 200
    assert make.run(requests_of, "fatima@example.org")["requests"][0][2] == "ok"
    assert anon("nl").get(f"/vragen/{public_id}").status_code == 200
    # What the browser kept of the request is spent: the request form is empty again.
    form = client.get("/vragen/nieuw")
    assert "Wie kan mijn hond uitlaten?" not in page_text(form)
    assert "/vragen/nieuw" not in (session_of(app, client).get("drafts") or {})


def test_posting_the_page_twice_from_another_browser_is_not_a_second_account(anon, make, smtp):  # noqa: F811
    anon("nl").post(PAGE, data=asking())
    anon("nl").post(PAGE, data=asking(title="Nog een vraag over de hond"))
    assert make.count(User) == 1 and make.count(HelpRequest) == 1


# -- a known address: the same answer, and nothing in the owner's name ---------------------------------------------

@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_known_address_gets_exactly_the_answer_a_new_one_gets(app, make, anon, smtp, tr, lang):  # noqa: F811
    owner = make.user("resident", email="bekend@example.org", locale="en")
    answers, sessions = {}, {}
    for email in ("bekend@example.org", "nieuw@example.org"):
        client = anon(lang)
        response = client.post(PAGE, data=asking(email=email))
        answers[email] = (response.status_code, comparable(response, email),
                          (sorted(response.headers.keys()), response.headers.get("Cache-Control")),
                          sorted(c.key for c in client._cookies.values()), client.get("/mijn").status_code)
        sessions[email] = session_of(app, client)
    assert answers["bekend@example.org"] == answers["nieuw@example.org"]
    known, new = sessions["bekend@example.org"], sessions["nieuw@example.org"]
    assert sorted(known) == sorted(new) and known["drafts"] == new["drafts"]  # the cookie tells nothing either
    assert answers["nieuw@example.org"][4] == 302  # nobody is logged in

    assert make.run(requests_of, "bekend@example.org")["requests"] == []  # nothing for the owner's account
    assert make.count(HelpRequest) == 1  # the new address's, waiting
    [note] = smtp.to(owner.email)
    assert note["Subject"] == tr("en", "Samen: you already have an account")
    body = parts(note)[0]
    assert tr("en", "It happened while asking for help. Nothing was posted in your name. Did you ask? Then log in "
                    "on the same device: what you typed is kept there, and you can post it.") in body
    assert "Wie kan mijn hond uitlaten?" not in body  # a stranger's words never travel in the owner's mail
    assert "/inloggen?next=/vragen/nieuw" in body  # the login leads to the request form, filled in there


def test_the_owner_who_logs_in_on_that_device_finds_the_request_typed_and_posts_it_themselves(make, anon, tr):
    owner = make.user("resident", email="bekend@example.org")
    client = anon("nl")
    client.post(PAGE, data=asking(email="bekend@example.org", when="days", slots=["tue-evening"]))
    logged_in = client.post("/inloggen?next=/vragen/nieuw", data={"email": owner.email, "password": PASSWORD})
    assert logged_in.headers["Location"].endswith("/vragen/nieuw")
    form = client.get("/vragen/nieuw")
    assert tr("nl", "We kept what you typed before. Check it, and post your request.") in visible(form)
    assert 'value="Wie kan mijn hond uitlaten?"' in page_text(form)
    assert is_checked(form, "when", "days") and is_checked(form, "slots", "tue-evening")
    assert make.count(HelpRequest) == 0  # still nothing until they press "post"
    posted = client.post("/vragen/nieuw", data=asking(email="", password=""))
    assert posted.status_code == 302
    assert [r[1] for r in make.run(requests_of, "bekend@example.org")["requests"]] == ["Wie kan mijn hond uitlaten?"]
    assert 'value="Wie kan mijn hond uitlaten?"' not in page_text(client.get("/vragen/nieuw"))


def test_the_owner_logging_in_elsewhere_finds_nothing_typed_by_someone_else(make, anon, login):
    owner = make.user("resident", email="bekend@example.org")
    anon("nl").post(PAGE, data=asking(email="bekend@example.org"))  # a stranger, with the owner's address
    form = login(owner.email).get("/vragen/nieuw")
    assert "Wie kan mijn hond uitlaten?" not in page_text(form)
    assert make.count(HelpRequest) == 0


def test_a_known_and_a_new_address_cost_the_same_argon2_work(make, anon, argon2_runs):  # noqa: F811
    make.user("resident", email="bekend@example.org")
    argon2_runs.clear()
    anon().post(PAGE, data=asking(email="bekend@example.org"))
    known = list(argon2_runs)
    argon2_runs.clear()
    anon().post(PAGE, data=asking(email="nieuw@example.org"))
    assert known == argon2_runs == ["hash"]


# -- rate limits: a bot gets no further than with sign-up alone ----------------------------------------------------

def test_a_bot_posting_the_page_makes_no_more_accounts_or_requests_than_sign_up_allows(app, anon, make,
                                                                                     monkeypatch, clock):  # noqa: F811
    limits(app, monkeypatch, register="2 per hour", post_request="10 per hour")
    statuses = [anon("nl").post(PAGE, data=asking(email=f"bot{n}@example.org")).status_code for n in range(5)]
    assert statuses == [200, 200, 429, 429, 429]
    assert make.count(User) == 2 and make.count(HelpRequest) == 2


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_limit_on_posting_requests_counts_too_and_keeps_what_was_typed(app, anon, make, monkeypatch, clock,  # noqa: F811
                                                                          tr, lang):
    limits(app, monkeypatch, register="10 per hour", post_request="1 per hour")
    assert anon(lang).post(PAGE, data=asking(email="een@example.org")).status_code == 200
    again = anon(lang).post(PAGE, data=asking(email="twee@example.org", title="Hulp bij de tuin"))
    assert again.status_code == 429 and again.headers["Retry-After"]
    assert tr(lang, "Too many attempts") in visible(again)
    assert input_value(again, "title") == "Hulp bij de tuin" and input_value(again, "email") == "twee@example.org"
    assert make.count(User) == 1 and make.count(HelpRequest) == 1


# -- bad input: a clear message, everything kept -------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize(("mistake", "message"), [
    ({"postcode": "1011 AB"}, "This postcode is not in Haarlem. Samen is for people who live in Haarlem."),
    ({"postcode": "12"}, "This is not a Dutch postcode. Write four digits and two letters, for example 2034 AB."),
    ({"title": ""}, "Write in a few words what you need."),
    ({"email": "fatima@"}, "This e-mail address is not complete. It looks like name@example.nl."),
])
def test_a_mistake_keeps_every_field_typed_and_the_password(anon, make, tr, lang, mistake, message):
    response = anon(lang).post(PAGE, data=asking(**mistake))
    assert response.status_code == 400
    assert tr(lang, message) in visible(response)
    typed = asking(**mistake)
    for name in ("title", "description", "first_name", "postcode"):
        assert input_value(response, name) == typed[name]
    assert input_value(response, "password") == TYPED_PASSWORD  # a mistake elsewhere never costs the password
    assert response.headers["Cache-Control"] == "no-store"
    assert make.count(User) == 0 and make.count(HelpRequest) == 0


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_short_password_says_why_and_keeps_everything_else(anon, make, tr, lang):
    response = anon(lang).post(PAGE, data=asking(password="kort"))
    assert response.status_code == 400
    assert tr(lang, "Use at least %(num)d characters. A short sentence works well.", num=12) in visible(response)
    assert input_value(response, "password") == ""  # the one field to type again
    for name in ("title", "description", "first_name", "email", "postcode"):
        assert input_value(response, name) == asking()[name]
    assert make.count(User) == 0


def test_the_longest_request_in_arabic_keeps_the_session_cookie_within_what_browsers_store(app, anon, smtp):  # noqa: F811
    """Browsers drop a cookie over 4,096 bytes; the session carries the draft of what was typed (and the link's
    nonce), so a whole description in Arabic letters must still fit, or the link would not log the person in."""
    client = anon("ar")
    words = "أحتاج مساعدة في التسوق ونقل الأغراض إلى الطابق الثاني كل أسبوع "
    description = (words * 40)[:2000]
    response = client.post(PAGE, data=asking(title="مساعدة في التسوق ونقل الأغراض كل أسبوع من فضلكم",
                                             description=description, text_language="ar", languages=["ar"]))
    assert response.status_code == 200
    sizes = [len(value) for name, value in response.headers.items() if name == "Set-Cookie"]
    assert sizes and max(sizes) <= 4093, sizes
    landed = client.get(confirmation_link(smtp))
    assert landed.status_code == 302 and "/vragen/" in landed.headers["Location"]
