"""What the requester sees when choosing a helper (issue #15): the volunteer's own short introduction, when staff
have not held it."""

from __future__ import annotations

import html
import re

from tests.conftest import is_checked, page_text, visible
from webapp.accounts.models import User
from webapp.core.extensions import db


def set_bio(user_id, bio, moderation="ok"):
    profile = db.session.get(User, user_id).volunteer_profile
    profile.bio = bio
    profile.moderation = moderation
    db.session.commit()


def test_the_requester_sees_the_volunteers_introduction_on_the_response(make, login):
    requester, volunteer = make.user("resident"), make.user("volunteer", first_name="Karim")
    help_request = make.request(requester)
    make.respond(help_request, volunteer, "Ik kan woensdag.")
    make.run(set_bio, volunteer.id, "Ik ben gepensioneerd en heb een auto.")
    page = visible(login(requester.email).get(f"/vragen/{help_request.public_id}"))
    assert "Ik ben gepensioneerd en heb een auto." in page
    assert "Ik kan woensdag." in page


def test_an_introduction_staff_held_is_not_shown(make, login):
    requester, volunteer = make.user("resident"), make.user("volunteer")
    help_request = make.request(requester)
    make.respond(help_request, volunteer)
    make.run(set_bio, volunteer.id, "Bel me op 06-12345678 voor snel geld", moderation="held")
    assert "snel geld" not in page_text(login(requester.email).get(f"/vragen/{help_request.public_id}"))


def test_other_volunteers_do_not_see_the_introduction(make, login):
    requester, volunteer, other = make.user("resident"), make.user("volunteer"), make.user("volunteer")
    help_request = make.request(requester)
    make.respond(help_request, volunteer)
    make.run(set_bio, volunteer.id, "Ik ben gepensioneerd en heb een auto.")
    assert "gepensioneerd" not in page_text(login(other.email).get(f"/vragen/{help_request.public_id}"))


# -- nothing typed is cut without a word -------------------------------------------------------------------------------

def request_data(**overrides):
    data = {"title": "Hulp met boodschappen", "description": "Ik kan niet goed lopen en zoek hulp.",
            "category": "groceries", "postcode": "2034 AB", "languages": ["nl"], "frequency": "once"}
    data.update(overrides)
    return data


def test_the_request_description_has_no_maxlength_that_cuts_pasted_text(make, login):
    client = login(make.user("resident").email)
    form = page_text(client.get("/vragen/nieuw"))
    textarea = re.search(r'<textarea[^>]*name="description"[^>]*>', form).group(0)
    assert "maxlength" not in textarea
    assert 'data-count-max="2000"' in textarea


def test_a_too_long_description_comes_back_whole_with_a_clear_error(make, login, tr):
    client = login(make.user("resident").email)
    long = "Ik zoek hulp bij het opruimen van mijn zolder. " * 50  # 2,350 characters
    response = client.post("/vragen/nieuw", data=request_data(description=long))
    assert response.status_code == 200
    assert tr("nl", "Use between 10 and 2000 characters.") in visible(response)
    assert long.strip() in html.unescape(page_text(response))


# -- the request form fits on a phone -------------------------------------------------------------------------------

def test_the_request_form_folds_times_and_languages_away_with_the_persons_language_chosen(make, login):
    client = login(make.user("resident").email, lang="en")
    form = page_text(client.get("/vragen/nieuw"))
    folded = re.findall(r"<details class=\"more\"( open)?>", form)
    assert folded == [""], "languages are not folded away"
    # Times: "whenever it suits" is chosen; the day parts are on the page (a real form, without JavaScript), shown
    # by CSS under "on specific days" (test_first_minutes.py).
    assert re.search(r'<input[^>]*checked[^>]*value="any"|<input[^>]*value="any"[^>]*checked', form)
    assert 'name="slots"' in form
    assert re.search(r'<input[^>]*checked[^>]*value="en"|<input[^>]*value="en"[^>]*checked', form)
    assert "Languages: English (change)" in html.unescape(form)


def test_a_request_form_that_comes_back_opens_what_was_chosen(make, login):
    client = login(make.user("resident").email)
    response = client.post("/vragen/nieuw", data=request_data(title="", slots=["wed-morning"], languages=["nl", "en"]))
    assert re.findall(r"<details class=\"more\"( open)?>", page_text(response)) == [" open"]
    assert is_checked(response, "when", "days")
