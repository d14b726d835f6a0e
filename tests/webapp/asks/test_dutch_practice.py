"""Practising Dutch: the engine keeps the shared-language rule literal, so a requester who wants to practise Dutch
and lists only Arabic would only get Arabic speakers. Such a request gets Dutch among its languages (the form says
so in plain words), and every Dutch speaker who fits can help."""

from __future__ import annotations

import pytest

from tests.conftest import visible
from tests.webapp.suggestions.test_suggestions import _profile
from webapp.asks.models import HelpRequest

FORM = {"category": "language", "postcode": "2034 AB", "wijk": "WK039218", "frequency": "once",
        "languages": ["ar"]}


def post(client, **fields):
    response = client.post("/vragen/nieuw", data={**FORM, **fields})
    assert response.status_code == 302, response.get_data(as_text=True)[:400]
    return response.headers["Location"].rsplit("/", 1)[-1]


def languages(make, public_id):
    from sqlalchemy import select

    from webapp.core.extensions import db

    return make.run(lambda: db.session.execute(
        select(HelpRequest.languages).where(HelpRequest.public_id == public_id)).scalar_one())


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_form_says_dutch_is_added_for_practising_it(make, login, tr, lang):
    client = login(make.user("resident", locale=lang).email, lang=lang)
    page = visible(client.get("/vragen/nieuw"))
    assert tr(lang, "Do you want to practise Dutch? Then we add Dutch for you, even if you speak only a little. "
                    "Then everyone who speaks Dutch can help you.") in page


def test_a_request_to_practise_dutch_reaches_dutch_speakers(make, login):
    resident = make.user("resident")
    client = login(resident.email)
    practise = post(client, title="Nederlands oefenen", description="Ik wil Nederlands leren spreken. Wie helpt mij?")
    other = post(client, title="Hulp met mijn fiets", category="odd_jobs",
                 description="Mijn fiets heeft een lekke band. Wie kan die plakken?")
    assert languages(make, practise) == ["ar", "nl"]
    assert languages(make, other) == ["ar"]  # only a request about practising Dutch
    buddy = make.user("volunteer")
    _profile(make, buddy, ["taalmaatje"], languages=("nl",))
    page = visible(login(buddy.email).get("/aanbevolen/"))
    assert "Nederlands oefenen" in page
    assert "Je spreekt Nederlands. Daar kan de ander mee oefenen." in page
