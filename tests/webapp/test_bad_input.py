"""Bad input on every form: a clear message in the person's language, what they typed still in the form,
nothing stored, never a 500. Also postcodes, unknown URLs and odd query strings."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from markupsafe import escape
from sqlalchemy import select

from tests.conftest import html_lang, is_checked, page_text, visible, wtforms_message
from tests.factories import PASSWORD
from webapp.accounts.models import User, VolunteerProfile
from webapp.asks.models import HelpRequest, Match, Response
from webapp.core.extensions import db
from webapp.offers.models import Offer

LANGS = ["nl", "en"]


def assert_refused(response, *messages, status=(200, 400)):
    assert response.status_code in status, (response.status_code, page_text(response)[:300])
    text = visible(response)
    assert 'class="error-summary"' in text
    for message in messages:
        assert message in text, message


def assert_input_kept(response, **fields):
    """Each typed value is back in its <input value="...">."""
    raw = page_text(response)
    for name, value in fields.items():
        assert f'name="{name}"' in raw, name
        assert f'value="{escape(value)}"' in raw, (name, value)


def assert_text_kept(response, *values):
    """Each typed text is back in a <textarea>."""
    raw = page_text(response)
    for value in values:
        assert f"{escape(value)}</textarea>" in raw, value


# Register --------------------------------------------------------------------------------------------------

def registration(**overrides):
    data = {"first_name": "Fatima", "last_name": "El Amrani", "email": "fatima@example.org",
            "phone": "06-55501234", "postcode": "2012 AB", "roles": ["resident", "volunteer"],
            "password": "een lange zin als wachtwoord", "password_again": "een lange zin als wachtwoord"}
    data.update(overrides)
    return data


BAD_EMAIL = "This e-mail address is not complete. It looks like name@example.nl."
REGISTER_CASES = {
    "bad e-mail": ({"email": "fatima.example.org"}, BAD_EMAIL, {}),
    "e-mail with a space": ({"email": "fatima @example.org"}, BAD_EMAIL, {}),
    "short password": ({"password": "kort", "password_again": "kort"},
                       "Use at least %(num)d characters. A short sentence works well.", {"num": 12}),
    "passwords differ": ({"password_again": "een andere zin als wachtwoord"},
                         "The two passwords are not the same.", {}),
    "no first name": ({"first_name": ""}, "Fill in your first name.", {}),
    "no e-mail": ({"email": ""}, "Fill in your e-mail address.", {}),
    "malformed postcode": ({"postcode": "abc"},
                           "This is not a Dutch postcode. Write four digits and two letters, for example 2034 AB.",
                           {}),
    "postcode outside Haarlem": ({"postcode": "1012 AB"},
                                 "This postcode is not in Haarlem. Samen is for people who live in Haarlem.", {}),
}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("case", list(REGISTER_CASES))
def test_register_with_bad_input_explains_keeps_values_and_stores_nothing(anon, make, tr, lang, case):
    overrides, msgid, params = REGISTER_CASES[case]
    data = registration(**overrides)
    response = anon(lang).post("/registreren", data=data)
    assert html_lang(response) == lang
    assert_refused(response, tr(lang, msgid, **params))
    kept = {k: data[k] for k in ("first_name", "last_name", "phone", "postcode", "email") if data[k]}
    assert_input_kept(response, **kept)
    assert is_checked(response, "roles", "volunteer") and is_checked(response, "roles", "resident")
    assert not is_checked(response, "roles", "organiser")
    assert "een lange zin" not in page_text(response)  # passwords are never sent back
    assert make.count(User) == 0


@pytest.mark.parametrize("lang", LANGS)
def test_register_with_an_address_already_in_use_answers_like_a_new_one(anon, make, tr, lang):
    """Saying "there is already an account" would tell anyone who has an account (tests/webapp/accounts/
    test_enumeration.py): the page is the same as for a new address; the owner gets an e-mail."""
    make.user("resident", email="fatima@example.org")
    response = anon(lang).post("/registreren", data=registration(email="  Fatima@Example.ORG "))
    assert response.status_code == 200 and 'class="error-summary"' not in page_text(response)
    assert tr(lang, "Almost done: check your e-mail") in visible(response)
    assert make.count(User) == 1


def test_register_with_overlong_values_is_refused_not_crashed(anon, make):
    for field, value in (("first_name", "A" * 61), ("last_name", "B" * 81), ("phone", "0" * 31),
                         ("email", "a" * 250 + "@example.org"), ("password", "x" * 201)):
        data = registration(**{field: value})
        if field == "password":
            data["password_again"] = value
        response = anon("en").post("/registreren", data=data)
        assert response.status_code in (200, 400), field
        assert 'class="error-summary"' in visible(response), field
    assert make.count(User) == 0


# Log in ----------------------------------------------------------------------------------------------------

def error_summary(response):
    text = page_text(response)
    start = text.index('class="error-summary"')
    return text[start:text.index("</div>", start)]


@pytest.mark.parametrize("lang", LANGS)
def test_wrong_password_and_unknown_address_give_the_same_message(anon, make, tr, lang):
    person = make.user("resident")
    wrong_password = anon(lang).post("/inloggen", data={"email": person.email, "password": "niet het wachtwoord"})
    unknown = anon(lang).post("/inloggen", data={"email": "niemand@example.org", "password": "niet het wachtwoord"})
    assert wrong_password.status_code == unknown.status_code == 200
    message = tr(lang, "The e-mail address or password is not right. Try again.")
    assert message in visible(wrong_password) and message in visible(unknown)
    assert error_summary(wrong_password) == error_summary(unknown)
    assert_input_kept(unknown, email="niemand@example.org")
    assert "niet het wachtwoord" not in page_text(unknown)


def test_empty_login_asks_for_both_fields(anon, tr):
    response = anon("en").post("/inloggen", data={"email": "", "password": ""})
    assert_refused(response, tr("en", "Fill in your e-mail address."), tr("en", "Fill in your password."))


# Request form ----------------------------------------------------------------------------------------------

def request_form(**overrides):
    data = {"title": "Boodschappen op woensdag",
            "description": "Ik zoek iemand die op woensdag mijn boodschappen wil doen.",
            "category": "groceries", "postcode": "2012 AB",
            "on_date": (date.today() + timedelta(days=3)).isoformat(),
            "slots": ["wed-morning"], "languages": ["nl"], "frequency": "once"}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


REQUEST_CASES = {
    "empty title": ({"title": ""}, ("Write in a few words what you need.", {})),
    "title too long": ({"title": "x" * 121}, ("Use between 4 and 120 characters.", {})),
    "empty description": ({"description": ""}, ("Tell a bit more, so a neighbour knows what to expect.", {})),
    "past date": ({"on_date": (date.today() - timedelta(days=1)).isoformat()},
                  ("This date has passed. Choose today or a later day.", {})),
    "malformed date": ({"on_date": "31-12-2099"}, None),
    "not a date": ({"on_date": "morgen"}, None),
    "impossible date": ({"on_date": "2099-02-30"}, None),
    "unknown category": ({"category": "weapons"}, None),
    "missing language": ({"languages": None}, ("Choose at least one language.", {})),
    "unknown frequency": ({"frequency": "daily"}, None),
    "malformed postcode": ({"postcode": "abc"}, (
        "This is not a Dutch postcode. Write four digits and two letters, for example 2034 AB.", {})),
    "postcode outside Haarlem": ({"postcode": "1012 AB"}, (
        "This postcode is not in Haarlem. Samen is for people who live in Haarlem.", {})),
    "ambiguous postcode without a wijk": ({"postcode": "2034 AB"}, (
        "Postcode %(pc4)s lies in more than one wijk. Choose the right wijk below.", {"pc4": "2034"})),
    "wijk outside the postcode": ({"postcode": "2034 AB", "wijk": "WK039202"}, (
        "Postcode %(pc4)s lies in more than one wijk. Choose the right wijk below.", {"pc4": "2034"})),
}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("case", list(REQUEST_CASES))
def test_request_form_with_bad_input_explains_keeps_values_and_stores_nothing(make, login, tr, lang, case):
    overrides, message = REQUEST_CASES[case]
    client = login(make.user("resident", locale=lang).email)
    data = request_form(**overrides)
    response = client.post("/vragen/nieuw", data=data)
    assert html_lang(response) == lang
    assert_refused(response, *([tr(lang, message[0], **message[1])] if message else []))
    kept = {k: data[k] for k in ("title", "postcode", "on_date") if data.get(k)}
    assert_input_kept(response, **kept)
    assert_text_kept(response, data["description"]) if data.get("description") else None
    assert is_checked(response, "slots", "wed-morning") and not is_checked(response, "slots", "wed-evening")
    assert make.count(HelpRequest) == 0


@pytest.mark.parametrize("lang", LANGS)
def test_malformed_date_gets_a_message_in_the_persons_language(make, login, lang):
    client = login(make.user("resident", locale=lang).email)
    response = client.post("/vragen/nieuw", data=request_form(on_date="morgen"))
    assert_refused(response, wtforms_message(lang, "Not a valid date value."))
    assert 'id="on_date-error"' in page_text(response)


def test_edit_with_bad_input_keeps_the_stored_request(make, login):
    owner = make.user("resident")
    help_request = make.request(owner, title="Oorspronkelijke titel")
    response = login(owner.email).post(f"/vragen/{help_request.public_id}/bewerken",
                                       data=request_form(title="", description="Nieuwe tekst die niet mag"))
    assert_refused(response)
    assert_text_kept(response, "Nieuwe tekst die niet mag")
    assert make.fetch(HelpRequest, help_request.id, "title").title == "Oorspronkelijke titel"


# Postcodes -------------------------------------------------------------------------------------------------

def wijk_of_only_request():
    return db.session.execute(select(HelpRequest)).scalar_one().wijk.code


def test_ambiguous_postcode_offers_its_wijken_with_the_most_likely_preselected(make, login):
    client = login(make.user("resident", locale="en").email)
    response = client.post("/vragen/nieuw", data=request_form(postcode="2034 AB"))
    raw = page_text(response)
    assert 'name="wijk"' in raw
    for code in ("WK039218", "WK039220", "WK039208"):  # Europawijk, Molenwijk, Slachthuiswijk
        assert f'value="{code}"' in raw
    assert 'value="WK039202"' not in raw  # a wijk that 2034 does not touch
    assert 'selected value="WK039218"' in raw or 'value="WK039218" selected' in raw
    assert make.count(HelpRequest) == 0


@pytest.mark.parametrize(("postcode", "wijk", "expected"), [
    ("2034 AB", "WK039220", "WK039220"),
    ("2034ab", "WK039208", "WK039208"),
    ("2034", "WK039218", "WK039218"),
    ("2012 AB", "", "WK039202"),
    ("2012ab", "", "WK039202"),
    (" 2012 ab ", "", "WK039202"),
])
def test_postcode_accepted_in_every_usual_spelling(make, login, postcode, wijk, expected):
    client = login(make.user("resident").email)
    response = client.post("/vragen/nieuw", data=request_form(postcode=postcode, wijk=wijk))
    assert response.status_code == 302, visible(response)[:2000]
    assert make.run(wijk_of_only_request) == expected


@pytest.mark.parametrize("postcode", ["2012ab", "2012   AB", " 2012\tab ", "2034 ab"])
def test_postcode_with_odd_spacing_is_stored_in_a_normal_form(anon, make, postcode):
    response = anon("en").post("/registreren", data=registration(postcode=postcode, wijk="WK039218"))
    assert response.status_code == 200 and 'class="error-summary"' not in page_text(response), visible(response)[:2000]
    stored = make.run(lambda: db.session.execute(select(User.postcode)).scalar_one())
    assert stored == postcode.strip().upper()[:4] + " " + postcode.strip().upper()[-2:]


# Respond, thanks -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("message", "msgid"), [
    ("", "Write a short message."),
    ("   ", "Write a short message."),
    ("x", "Use between 2 and 1000 characters."),
    ("Ik help graag. " * 80, "Use between 2 and 1000 characters."),
])
def test_empty_or_odd_response_is_refused(make, login, tr, lang, message, msgid):
    help_request = make.request(make.user("resident"))
    client = login(make.user("volunteer", locale=lang).email)
    response = client.post(f"/vragen/{help_request.public_id}/reageren", data={"message": message})
    assert response.status_code == 400
    assert html_lang(response) == lang
    assert_refused(response, tr(lang, msgid))
    if message.strip():
        assert_text_kept(response, message)
    assert make.count(Response) == 0


@pytest.fixture
def done_match(make):
    resident = make.user("resident")
    volunteer = make.user("volunteer")
    help_request = make.matched(resident, volunteer)

    def finish():
        from webapp.asks.services import get_by_public_id, mark_done
        row = get_by_public_id(help_request.public_id)
        mark_done(row.requester, row)
        db.session.commit()

    make.run(finish)
    return resident, volunteer, help_request


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("hours", ["-1", "abc", "201", "nan", "inf", "1e999", "1,5,0"])
def test_thanks_with_impossible_hours_is_refused(make, login, tr, done_match, lang, hours):
    _resident, volunteer, help_request = done_match
    client = login(volunteer.email, lang=lang)
    response = client.post(f"/vragen/{help_request.public_id}/bedanken",
                           data={"message": "Het was gezellig", "hours": hours})
    assert response.status_code == 400
    assert html_lang(response) == lang
    assert_refused(response)
    assert 'id="hours-error"' in page_text(response)
    assert_text_kept(response, "Het was gezellig")
    if hours in ("-1", "201"):
        assert tr(lang, "Fill in a number of hours from 0 to 200.") in visible(response)
    if hours == "abc":
        assert wtforms_message(lang, "Not a valid decimal value.") in visible(response)

    def match_state():
        match = db.session.execute(select(Match)).scalar_one()
        return match.hours, match.volunteer_thanks

    assert make.run(match_state) == (None, "")


# Offers and asking -----------------------------------------------------------------------------------------

def offer_form(**overrides):
    data = {"title": "Ik help met de computer",
            "description": "Op zaterdagochtend help ik met de computer of telefoon.",
            "category": "digital", "postcode": "2012 AB", "slots": ["sat-morning"], "languages": ["nl"]}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


OFFER_CASES = {
    "empty title": ({"title": ""}, "Write in a few words what you offer."),
    "short description": ({"description": "Help"}, "Use between 10 and 2000 characters."),
    "unknown category": ({"category": "nonsense"}, None),
    "missing language": ({"languages": None}, "Choose at least one language."),
    "postcode outside Haarlem": ({"postcode": "1012"},
                                 "This postcode is not in Haarlem. Samen is for people who live in Haarlem."),
}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("case", list(OFFER_CASES))
def test_offer_form_with_bad_input_explains_keeps_values_and_stores_nothing(make, login, tr, lang, case):
    overrides, msgid = OFFER_CASES[case]
    client = login(make.user("volunteer", locale=lang).email)
    data = offer_form(**overrides)
    response = client.post("/aanbod/nieuw", data=data)
    assert html_lang(response) == lang
    assert_refused(response, *([tr(lang, msgid)] if msgid else []))
    assert_input_kept(response, **{k: data[k] for k in ("title", "postcode") if data.get(k)})
    assert_text_kept(response, data["description"])
    assert make.count(Offer) == 0


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("message", "msgid"), [("", "Write a short message."),
                                                ("Hoi!", "Use between 10 and 1000 characters.")])
def test_ask_form_with_bad_input_is_refused(make, login, tr, lang, message, msgid):
    offer = make.offer(make.user("volunteer"))
    client = login(make.user("resident", locale=lang).email)
    response = client.post(f"/aanbod/{offer.public_id}/vragen", data={"message": message})
    assert response.status_code == 400 and html_lang(response) == lang
    assert_refused(response, tr(lang, msgid))
    if message:
        assert_text_kept(response, message)
    assert make.count(HelpRequest) == 0


# Account and volunteer profile -----------------------------------------------------------------------------

@pytest.mark.parametrize(("overrides", "msgid"), [
    ({"languages": None}, "Choose at least one language."),
    ({"skills": ""}, "Name at least one thing you like to help with."),
    ({"max_distance_km": "0"}, "Choose a distance between 0.5 and 50 km."),
    ({"max_distance_km": "100"}, "Choose a distance between 0.5 and 50 km."),
    ({"max_distance_km": "nan"}, "Fill in a number, for example 1,5."),
    ({"max_distance_km": "ver"}, None),
    ({"postcode": "abc"}, "This is not a Dutch postcode. Write four digits and two letters, for example 2034 AB."),
])
def test_volunteer_profile_with_bad_input_is_refused(make, login, tr, overrides, msgid):
    volunteer = make.user("volunteer", locale="en")
    data = {"skills": "tuinieren, koken", "languages": ["nl"], "max_distance_km": "3", "postcode": "2012",
            "bio": "Ik ben Fatima en ik kook graag."}
    data.update(overrides)
    data = {k: v for k, v in data.items() if v is not None}
    response = login(volunteer.email).post("/mijn/vrijwilligersprofiel", data=data)
    assert_refused(response, *([tr("en", msgid)] if msgid else []))
    assert_text_kept(response, "Ik ben Fatima en ik kook graag.")
    if data.get("skills"):
        assert_input_kept(response, skills="tuinieren, koken")

    def skills():
        return db.session.get(VolunteerProfile, volunteer.id).skills

    assert make.run(skills) == ["boodschappen", "computer"]  # unchanged


def test_account_form_with_bad_input_is_refused(make, login, tr):
    person = make.user("resident", locale="en", last_name="Jansen")
    response = login(person.email).post("/mijn/account", data={
        "first_name": "", "last_name": "Pietersen", "phone": "06-1", "postcode": "1012", "roles": ["resident"]})
    assert_refused(response, tr("en", "Fill in your first name."),
                   tr("en", "This postcode is not in Haarlem. Samen is for people who live in Haarlem."))
    assert_input_kept(response, last_name="Pietersen", postcode="1012")
    assert make.fetch(User, person.id, "last_name").last_name == "Jansen"


# Bytes no person types, on every text field ----------------------------------------------------------------

def test_text_with_a_nul_byte_never_crashes_a_form(make, login, anon):
    resident = make.user("resident")
    volunteer = make.user("volunteer")
    help_request = make.request(resident)
    offer = make.offer(volunteer)
    posts = [
        (anon("en"), "/registreren", registration(first_name="Fa\x00tima")),
        (anon("en"), "/inloggen", {"email": "x\x00@example.org", "password": "a\x00b"}),
        (login(resident.email), "/vragen/nieuw", request_form(title="Hulp\x00nodig")),
        (login(volunteer.email), f"/vragen/{help_request.public_id}/reageren", {"message": "Ik\x00help"}),
        (login(volunteer.email), "/aanbod/nieuw", offer_form(description="Computer\x00hulp op zaterdag")),
        (login(resident.email), f"/aanbod/{offer.public_id}/vragen", {"message": "Graag\x00hulp met de pc"}),
        (login(resident.email), "/mijn/account", {"first_name": "An\x00s", "postcode": "2012", "roles": ["resident"]}),
    ]
    for client, url, data in posts:
        response = client.post(url, data=data)
        assert response.status_code in (200, 400), (url, response.status_code)
    assert make.count(User) == 2
    assert make.count(HelpRequest) == 1 and make.count(Response) == 0 and make.count(Offer) == 1


WHITESPACE_CASES = [
    ("/registreren", "first_name", "Fill in your first name."),
    ("/vragen/nieuw", "title", "Write in a few words what you need."),
    ("/vragen/nieuw", "description", "Tell a bit more, so a neighbour knows what to expect."),
    ("/aanbod/nieuw", "title", "Write in a few words what you offer."),
    ("/aanbod/nieuw", "description", "Tell a bit more about your offer."),
    ("respond", "message", "Write a short message."),
    ("ask", "message", "Write a short message."),
    ("/mijn/vrijwilligersprofiel", "skills", "Name at least one thing you like to help with."),
]


@pytest.mark.parametrize(("target", "field", "msgid"), WHITESPACE_CASES)
def test_only_spaces_count_as_empty(make, login, anon, tr, target, field, msgid):
    """A title of twelve spaces passes a length check but would be stored as an empty string."""
    resident = make.user("resident", locale="en")
    volunteer = make.user("volunteer", locale="en")
    blank = " " * 12
    if target == "/registreren":
        client, url, data = anon("en"), target, registration(**{field: blank})
    elif target == "/vragen/nieuw":
        client, url, data = login(resident.email), target, request_form(**{field: blank})
    elif target == "/aanbod/nieuw":
        client, url, data = login(volunteer.email), target, offer_form(**{field: blank})
    elif target == "respond":
        help_request = make.request(resident)
        client, url, data = login(volunteer.email), f"/vragen/{help_request.public_id}/reageren", {field: blank}
    elif target == "ask":
        offer = make.offer(volunteer)
        client, url, data = login(resident.email), f"/aanbod/{offer.public_id}/vragen", {field: blank}
    else:
        client, url = login(volunteer.email), target
        data = {"skills": blank, "languages": ["nl"], "max_distance_km": "3", "postcode": "2012"}
    counts = [make.count(model) for model in (User, HelpRequest, Response, Offer)]
    response = client.post(url, data=data)
    assert_refused(response, tr("en", msgid))
    assert [make.count(model) for model in (User, HelpRequest, Response, Offer)] == counts


# URLs and query strings ------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("url", ["/bestaat-niet", "/vragen/onbekend", "/aanbod/onbekend", "/vragen/x/y/z",
                                 "/taal/en/extra", "/static/geen.css", "/berichten/onbekend"])
def test_unknown_url_shows_the_translated_not_found_page(anon, tr, lang, url):
    response = anon(lang).get(url)
    assert response.status_code == 404
    assert html_lang(response) == lang
    assert tr(lang, "We cannot find this page") in visible(response)


@pytest.mark.parametrize("lang", LANGS)
def test_wrong_method_shows_a_translated_page(anon, tr, lang):
    response = anon(lang).get("/uitloggen")
    assert response.status_code == 405
    assert html_lang(response) == lang
    assert tr(lang, "This page cannot be used like this") in visible(response)


@pytest.mark.parametrize("query", [
    "page=abc", "page=999999999999", "page=999999999", "page=-1", "page=0", "page=1.5", "page=", "page=%C2%B2",
    "page=%D9%A1", "stadsdeel=abc", "stadsdeel=99999999999999999999", "stadsdeel=%C2%B2", "wijk=WK999999",
    "category=bestaat-niet", "when=yesterday", "page=2&page=3", "category=" + "x" * 5000,
])
def test_odd_query_strings_on_lists_do_not_crash(make, anon, query):
    make.request(make.user("resident"), title="Een open vraag")
    make.offer(make.user("volunteer"), title="Een open aanbod")
    client = anon("en")
    for url in ("/vragen/", "/aanbod/", "/"):
        response = client.get(f"{url}?{query}")
        assert response.status_code == 200, (url, query)


@pytest.mark.parametrize("url", ["/vragen/?wijk=%00", "/vragen/?category=%00", "/aanbod/?category=a%00b",
                                 "/vragen/%00", "/aanbod/ab%00cd", "/taal/en?next=/%00"])
def test_nul_bytes_in_urls_are_refused_not_crashed(make, anon, url):
    make.request(make.user("resident"))
    response = anon("en").get(url)
    assert response.status_code in (400, 404), (url, response.status_code)
    assert html_lang(response) == "en"


def test_a_page_number_past_the_end_shows_the_last_page(make, anon):
    make.request(make.user("resident"), title="Een open vraag")
    assert "Een open vraag" in visible(anon("en").get("/vragen/?page=999999999"))


def test_a_volunteer_cannot_post_a_login_form_for_someone_else(make, anon):
    """Posting the login form with a blank password for a known address never logs in."""
    person = make.user("resident")
    client = anon("en")
    client.post("/inloggen", data={"email": person.email, "password": ""})
    client.post("/inloggen", data={"email": person.email, "password": PASSWORD.upper()})
    assert client.get("/mijn").status_code == 302
