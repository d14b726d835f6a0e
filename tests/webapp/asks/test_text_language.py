"""What people write is marked with the language it is written in (WCAG 3.1.2): a Turkish title on a Dutch page is
read with a Turkish voice, and a volunteer reads "written in Turkish" where it differs from the page."""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import select

from tests.conftest import visible
from webapp.asks.models import HelpRequest
from webapp.core.extensions import db


def _form(**overrides):
    data = {"title": "Alışverişe yardım", "description": "Çarşamba günü pazardan alışveriş için yardım arıyorum.",
            "category": "groceries", "postcode": "2012 AB", "on_date": (date.today() + timedelta(days=3)).isoformat(),
            "slots": ["wed-morning"], "languages": ["tr", "nl"], "frequency": "once"}
    data.update(overrides)
    return data


def test_the_form_asks_in_which_language_and_starts_with_the_page_language(make, login):
    client = login(make.user("resident").email, lang="tr")
    page = visible(client.get("/vragen/nieuw"))
    assert re.search(r'<option selected value="tr">Türkçe</option>|<option value="tr" selected>Türkçe</option>', page)
    assert '<option value="ar">العربية</option>' in page


def test_a_request_written_in_turkish_is_marked_on_dutch_pages(make, login, anon, tr):
    resident = make.user("resident")
    client = login(resident.email, lang="tr")
    response = client.post("/vragen/nieuw", data=_form(text_language="tr"))
    assert response.status_code == 302
    public_id = response.headers["Location"].rstrip("/").split("/")[-1]
    stored = make.run(lambda: db.session.execute(
        select(HelpRequest.text_language).where(HelpRequest.public_id == public_id)).scalar_one())
    assert stored == "tr"

    dutch = visible(anon("nl").get(f"/vragen/{public_id}"))
    assert '<h1 lang="tr" dir="ltr">Alışverişe yardım</h1>' in dutch
    assert '<div class="description" lang="tr" dir="ltr">' in dutch
    assert tr("nl", "Written in %(language)s", language="Turks") in dutch
    listing = visible(anon("nl").get("/vragen/"))
    assert 'lang="tr" dir="ltr">Alışverişe yardım</a>' in listing

    turkish = visible(anon("tr").get(f"/vragen/{public_id}"))
    assert tr("tr", "Written in %(language)s", language="Türkçe") not in turkish  # same as the page: no note


def test_an_arabic_text_is_right_to_left_inside_a_dutch_page(make, login, anon):
    client = login(make.user("resident").email)
    response = client.post("/vragen/nieuw", data=_form(title="مساعدة في التسوق", text_language="ar"))
    public_id = response.headers["Location"].rstrip("/").split("/")[-1]
    assert '<h1 lang="ar" dir="rtl">مساعدة في التسوق</h1>' in visible(anon("nl").get(f"/vragen/{public_id}"))


def test_a_response_is_marked_with_the_language_of_its_writer(make, login):
    resident, volunteer = make.user("resident"), make.user("volunteer")
    help_request = make.request(resident)
    login(volunteer.email, lang="pl").post(f"/vragen/{help_request.public_id}/reageren",
                                           data={"message": "Mogę pomóc w środę rano."})
    page = visible(login(resident.email).get(f"/vragen/{help_request.public_id}"))
    assert '<p lang="pl" dir="ltr">Mogę pomóc w środę rano.</p>' in page


def test_an_unknown_language_is_refused_and_the_text_kept(make, login):
    client = login(make.user("resident").email)
    response = client.post("/vragen/nieuw", data=_form(text_language="xx"))
    assert response.status_code == 200
    assert "Alışverişe yardım" in visible(response)
