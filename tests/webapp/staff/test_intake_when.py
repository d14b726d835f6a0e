"""The staff intake form asks "when" the way the resident's own form does (#15): "whenever it suits" or "on
specific days", then the day parts; the same form piece (asks/_when.html), not a wall of 21 checkboxes."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.conftest import is_checked, page_text, visible
from tests.webapp.staff.test_staff_intake import intake_form
from webapp.asks.models import HelpRequest
from webapp.core.extensions import db


def newest_times(make):
    def _newest():
        row = db.session.execute(select(HelpRequest).order_by(HelpRequest.id.desc()).limit(1)).scalar_one()
        return row.slots, row.on_date
    return make.run(_newest)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_intake_form_asks_when_in_plain_terms_with_the_day_parts_under_specific_days(make, login, tr, lang):
    client = login(make.user("staff").email, lang=lang)
    response = client.get("/werkruimte/intake/nieuw")
    html, text = page_text(response), visible(response)
    assert tr(lang, "When can someone help?") in text
    assert tr(lang, "Whenever it suits") in text and tr(lang, "On specific days") in text
    assert is_checked(response, "when", "any")  # a new intake: no times yet
    # The day parts sit in the grid under "on specific days", not as a list of 21 labelled checkboxes.
    grid = re.search(r'<div class="when-days">.*?</table>', html, re.S)
    assert grid and grid.group(0).count('name="slots"') == 21
    assert html.count('name="slots"') == 21


def test_whenever_it_suits_stores_no_times_on_an_intake(make, login):
    client = login(make.user("staff").email)
    response = client.post("/werkruimte/intake/nieuw",
                           data=intake_form(when="any", slots=["mon-morning"]))
    assert response.status_code == 302, visible(response)[:500]
    assert newest_times(make) == ([], None)


def test_specific_days_on_an_intake_keeps_the_day_parts(make, login):
    client = login(make.user("staff").email)
    response = client.post("/werkruimte/intake/nieuw",
                           data=intake_form(when="days", slots=["mon-morning", "fri-evening"]))
    assert response.status_code == 302, visible(response)[:500]
    assert newest_times(make)[0] == ["mon-morning", "fri-evening"]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_specific_days_without_a_day_on_an_intake_says_what_to_do_and_keeps_everything(make, login, tr, lang):
    client = login(make.user("staff").email, lang=lang)
    response = client.post("/werkruimte/intake/nieuw", data=intake_form(when="days"))
    assert response.status_code == 400
    assert tr(lang, "Choose a day or the parts of the week that suit you. Or choose \"Whenever it suits\".") \
        in visible(response)
    assert "Hulp bij boodschappen op vrijdag" in page_text(response)
    assert is_checked(response, "when", "days")
