"""The request form's first minutes (#15): the kind of help comes from the words typed (no silent default), and
"when" is asked in plain terms ("whenever it suits" or "on specific days")."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tests.conftest import is_checked, page_text, visible
from tests.webapp.auth_helpers import clock, limits  # noqa: F401  (fixture)
from webapp.asks.models import HelpRequest
from webapp.core.extensions import db

FORM = {"title": "Wie kan mijn hond uitlaten?", "description": "Ik ben gevallen en kan een paar weken niet lopen.",
        "category": "auto", "postcode": "2012 AB", "languages": ["nl"], "frequency": "once"}


def newest(make):
    def _newest():
        row = db.session.execute(select(HelpRequest).order_by(HelpRequest.id.desc()).limit(1)).scalar_one()
        return {"public_id": row.public_id, "category": row.category_key, "slots": row.slots, "on_date": row.on_date}
    return make.run(_newest)


def selected_category(response) -> str:
    html = page_text(response)
    start = html.index('name="category"')
    select_html = html[start:html.index("</select>", start)]
    chosen = [part.split('"')[1] for part in select_html.split("<option")[1:] if " selected" in part.split(">")[0]]
    return chosen[0] if chosen else select_html.split("<option")[1].split('"')[1]


def test_the_form_starts_at_let_samen_choose_not_at_groceries(make, login):
    client = login(make.user("resident").email)
    form = client.get("/vragen/nieuw")
    assert selected_category(form) == "auto"
    assert is_checked(form, "when", "any")


@pytest.mark.parametrize(("lang", "title", "expected"), [
    ("nl", "Wie kan mijn hond uitlaten?", "pets"),
    ("nl", "Hulp met formulieren van de gemeente", "paperwork"),
    ("en", "Someone to set up my new computer", "digital"),
])
def test_let_samen_choose_takes_the_kind_of_help_from_the_words(make, login, tr, lang, title, expected):
    client = login(make.user("resident", locale=lang).email)
    response = client.post("/vragen/nieuw", data={**FORM, "title": title, "text_language": lang})
    assert response.status_code == 302
    stored = newest(make)
    assert stored["category"] == expected
    page = visible(client.get(response.headers["Location"]))
    assert tr(lang, "We chose the kind of help for you: %(kind)s. Not right? Press \"Change\" and choose "
                    "another.").split("%(kind)s")[0] in page


def test_words_that_fit_nothing_go_to_other_and_staff_see_them(make, login, tr):
    client = login(make.user("resident").email)
    response = client.post("/vragen/nieuw", data={**FORM, "title": "Een vraag over iets",
                                                   "description": "Ik vertel het liever als we elkaar zien."})
    assert response.status_code == 302
    assert newest(make)["category"] == "other"
    assert tr("nl", "We could not tell the kind of help from your words, so it is under \"Other\" for now. "
                    "Someone from the volunteer centre will look at it. You can also choose it yourself: press "
                    "\"Change\".") in visible(client.get(response.headers["Location"]))
    queue = visible(login(make.user("staff").email).get("/werkruimte/moderatie"))
    assert "Een vraag over iets" in queue


def test_a_kind_of_help_the_person_chose_is_kept(make, login):
    client = login(make.user("resident").email)
    client.post("/vragen/nieuw", data={**FORM, "category": "transport"})
    assert newest(make)["category"] == "transport"


def test_whenever_it_suits_stores_no_times_even_when_days_were_ticked_first(make, login):
    client = login(make.user("resident").email)
    on_date = (date.today() + timedelta(days=2)).isoformat()
    response = client.post("/vragen/nieuw", data={**FORM, "when": "any", "slots": ["mon-morning", "tue-evening"],
                                                   "on_date": on_date})
    assert response.status_code == 302
    stored = newest(make)
    assert stored["slots"] == [] and stored["on_date"] is None  # no times: the matching engine reads "flexible"


def test_specific_days_keeps_the_day_parts(make, login):
    client = login(make.user("resident").email)
    client.post("/vragen/nieuw", data={**FORM, "when": "days", "slots": ["mon-morning", "tue-evening"]})
    assert newest(make)["slots"] == ["mon-morning", "tue-evening"]


def test_specific_days_without_a_day_says_what_to_do_and_keeps_the_text(make, login, tr):
    client = login(make.user("resident").email)
    response = client.post("/vragen/nieuw", data={**FORM, "when": "days"})
    assert response.status_code == 200
    text = visible(response)
    assert tr("nl", "Choose a day or the parts of the week that suit you. Or choose \"Whenever it suits\".") in text
    assert "Wie kan mijn hond uitlaten?" in page_text(response)
    assert is_checked(response, "when", "days")


def test_the_suggestion_while_typing_works_on_the_ask_and_sign_up_page_and_is_limited_per_ip(app, anon, clock,  # noqa: F811
                                                                                          monkeypatch):
    """The first-time resident's page (asks/first_views.py) has no login yet: a visitor is counted by IP."""
    limits(app, monkeypatch, suggest_category="2 per hour")
    found = anon("nl").get("/vragen/soort-voorstel?text=boodschappen+doen&lang=nl").get_json()
    assert found["category"] == "groceries"
    assert anon("nl").get("/vragen/soort-voorstel?text=tuin").status_code == 200
    assert anon("en").get("/vragen/soort-voorstel?text=tuin").status_code == 429  # another cookie, the same IP


def test_the_suggestion_while_typing_names_the_kind_of_help(make, login):
    client = login(make.user("resident").email)
    found = client.get("/vragen/soort-voorstel?text=boodschappen+doen&lang=nl").get_json()
    assert found["category"] == "groceries" and found["label"]
    assert client.get("/vragen/soort-voorstel?text=hallo&lang=nl").get_json() == {"category": None, "label": None}


def test_the_suggestion_while_typing_is_rate_limited_per_person(app, make, login, clock, monkeypatch):  # noqa: F811
    limits(app, monkeypatch, suggest_category="3 per hour")
    client = login(make.user("resident").email)
    for _ in range(3):
        assert client.get("/vragen/soort-voorstel?text=tuin").status_code == 200
    assert client.get("/vragen/soort-voorstel?text=tuin").status_code == 429
    other = login(make.user("resident").email)
    assert other.get("/vragen/soort-voorstel?text=tuin").status_code == 200
