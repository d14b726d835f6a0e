"""Values nobody types by accident but an attacker does: CR/LF in a `next=` target, "sNaN" in a number field. Each
gets a normal answer, never a 500. And numbers typed the Dutch way ("1,5") reach the server as typed."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.conftest import page_text, stays_on_site, visible
from tests.factories import PASSWORD
from webapp.accounts.models import VolunteerProfile
from webapp.asks import services as asks
from webapp.asks.models import Match
from webapp.core.extensions import db

SPLIT_HEADERS = ["/\r\nSet-Cookie: stolen=1", "/mijn\nLocation: https://evil.example/", "/\r/evil.example",
                 "/mijn%0d%0aX: y", "/\x7f", "/vragen/\tx"]


@pytest.mark.parametrize("target", SPLIT_HEADERS)
def test_a_line_break_in_next_after_login_leads_home_not_to_a_500(make, anon, target):
    person = make.user("resident")
    response = anon("en").post("/inloggen", query_string={"next": target},
                               data={"email": person.email, "password": PASSWORD})
    assert response.status_code == 302
    location = response.headers["Location"]
    assert stays_on_site(location) and "\r" not in location and "\n" not in location
    assert "stolen" not in response.headers.get("Set-Cookie", "")


@pytest.mark.parametrize("target", SPLIT_HEADERS)
def test_a_line_break_in_next_of_the_language_switcher_leads_home(anon, target):
    response = anon("en").get("/taal/nl", query_string={"next": target})
    assert response.status_code == 302 and stays_on_site(response.headers["Location"])


def done_request(make):
    resident, volunteer = make.user("resident", locale="en"), make.user("volunteer", locale="en")
    help_request = make.matched(resident, volunteer)

    def finish():
        row = asks.get_by_public_id(help_request.public_id)
        asks.mark_done(row.requester, row)
        db.session.commit()

    make.run(finish)
    return resident, volunteer, help_request


def recorded_hours():
    return db.session.execute(select(Match.hours)).scalar_one()


@pytest.mark.parametrize("value", ["sNaN", "snan", "-sNaN", "NaN", "Infinity", "-inf", "sNaN123"])
def test_not_a_number_in_the_hours_gets_a_message_not_a_500(make, login, tr, value):
    resident, _volunteer, help_request = done_request(make)
    response = login(resident.email).post(f"/vragen/{help_request.public_id}/bedanken",
                                          data={"message": "Dank je wel!", "hours": value})
    assert response.status_code == 400
    assert tr("en", "Fill in a number, for example 1,5.") in visible(response)
    assert "Dank je wel!</textarea>" in page_text(response)  # what was typed stays
    assert make.run(recorded_hours) is None


@pytest.mark.parametrize("value", ["sNaN", "NaN", "Infinity"])
def test_not_a_number_as_a_distance_gets_a_message_not_a_500(make, login, tr, value):
    volunteer = make.user("volunteer", locale="en")
    response = login(volunteer.email).post("/mijn/vrijwilligersprofiel", data={
        "skills": "koken", "languages": ["nl"], "max_distance_km": value, "postcode": "2012"})
    assert response.status_code == 200 and 'class="error-summary"' in page_text(response)
    assert tr("en", "Fill in a number, for example 1,5.") in visible(response)
    assert make.fetch(VolunteerProfile, volunteer.id, "max_distance_km").max_distance_km == 5.0


def test_number_fields_are_text_fields_with_a_number_keyboard(make, login):
    """A browser reads "1,5" in an <input type="number"> as 15 (or as nothing) when its language writes a decimal
    point; a text field with inputmode="decimal" sends what was typed and the server reads the comma."""
    resident, _volunteer, help_request = done_request(make)
    page = page_text(login(resident.email).get(f"/vragen/{help_request.public_id}"))
    field = re.search(r'<input[^>]*name="hours"[^>]*>', page)
    assert field, "no hours field"
    assert 'type="text"' in field.group(0) and 'inputmode="decimal"' in field.group(0)
    assert not re.search(r'<input[^>]*type="number"', page)


def test_hours_typed_with_a_decimal_comma_are_stored_as_one_and_a_half(make, login):
    resident, _volunteer, help_request = done_request(make)
    response = login(resident.email).post(f"/vragen/{help_request.public_id}/bedanken", data={"hours": "1,5"})
    assert response.status_code == 302
    assert make.run(recorded_hours) == 1.5
