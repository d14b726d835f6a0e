"""What the requester sees when choosing a helper (issue #15): the volunteer's own short introduction, when staff
have not held it."""

from __future__ import annotations

from tests.conftest import page_text, visible
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
