"""Organisers manage applicants for a need: shortlist, say yes, say no with kind words; the volunteer hears each step
and reads the words in their own language. Confirmed volunteers log hours; organisers see their volunteers' hours."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.conftest import visible
from tests.webapp import initiative_helpers as h
from webapp.core.extensions import db
from webapp.initiatives.models import InitiativeNeed, NeedSignup, SignupHours
from webapp.notifications.models import Notification

LANGS = ["nl", "en"]


def kinds_for(make, user):
    return make.run(lambda: [n.kind for n in db.session.execute(
        select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)).scalars()])


def signup_id(make, need, volunteer):
    return make.run(lambda: db.session.execute(select(NeedSignup.public_id).where(
        NeedSignup.need_id == need.id, NeedSignup.volunteer_id == volunteer.id)).scalar_one())


def status_of(make, need, volunteer):
    return make.run(lambda: db.session.execute(select(NeedSignup.status).where(
        NeedSignup.need_id == need.id, NeedSignup.volunteer_id == volunteer.id)).scalar_one())


def applied(make, login, organiser, **need):
    ini = h.initiative(make, organiser, is_organisation=True, name="Voedselbank Haarlem")
    row = h.need(make, organiser, ini, title="Inpakkers op vrijdag", how_many=2, **need)
    volunteer = make.user("volunteer", first_name="Sanne", phone="06-99887766", locale="en")
    login(volunteer.email).post(f"/initiatieven/{ini.public_id}/behoeften/{row.public_id}/aanmelden",
                                data={"message": "Ik kan elke vrijdag."})
    return ini, row, volunteer


@pytest.mark.parametrize("lang", LANGS)
def test_organisers_shortlist_then_say_no_kindly_and_the_volunteer_reads_why(make, login, tr, lang):
    organiser = make.user("organiser")
    ini, need, volunteer = applied(make, login, organiser)
    org = login(organiser.email, lang=lang)
    base = f"/initiatieven/{ini.public_id}/behoeften/{need.public_id}/aanmeldingen"
    page = org.get(base)
    assert page.status_code == 200
    text = visible(page)
    assert "Sanne" in text and "Ik kan elke vrijdag." in text
    assert "06-99887766" not in text and volunteer.email not in text  # contact only after a yes
    signup = signup_id(make, need, volunteer)

    assert org.post(f"{base}/{signup}/shortlist", data={"next": base, "seen": "pending"}).headers["Location"].endswith(
        base)
    assert status_of(make, need, volunteer) == "shortlist"
    assert org.post(f"{base}/{signup}/afwijzen", data={"reason": "enough", "words": "Misschien in de zomer!",
                                                      "seen": "shortlist"}).status_code == 302
    assert status_of(make, need, volunteer) == "declined"
    assert kinds_for(make, volunteer) == ["signup_shortlisted", "signup_declined"]
    mine = visible(login(volunteer.email, lang=lang).get("/mijn/aanmeldingen"))
    assert tr(lang, "We have found enough people for now. Thank you very much for offering, and we hope to see "
                    "you another time.") in mine
    assert "Misschien in de zomer!" in mine and tr(lang, "Not this time") in mine
    # The kind words are in the message too, in the volunteer's own language (English here).
    messages = visible(login(volunteer.email, lang=lang).get("/berichten/"))
    assert tr(lang, "We have found enough people for now. Thank you very much for offering, and we hope to see "
                    "you another time.") in messages


def test_saying_yes_shows_contact_details_on_the_applicants_page(make, login):
    organiser = make.user("organiser")
    ini, need, volunteer = applied(make, login, organiser)
    org = login(organiser.email)
    base = f"/initiatieven/{ini.public_id}/behoeften/{need.public_id}/aanmeldingen"
    signup = signup_id(make, need, volunteer)
    assert org.post(f"{base}/{signup}/bevestigen", data={"seen": "pending"}).status_code == 302
    assert "06-99887766" in org.get(base).get_data(as_text=True)
    assert kinds_for(make, volunteer) == ["signup_confirmed"]


def test_a_shortlist_or_a_no_from_a_page_opened_before_a_co_organiser_decided_is_refused(make, login, tr):
    """Two organisers with the applicants page open: the second click acts on what its page showed, so a volunteer
    a co-organiser said yes to is not turned down (or shortlisted) by an older tab."""
    organiser, co = make.user("organiser"), make.user("organiser")
    ini = h.initiative(make, organiser, is_organisation=True, name="Voedselbank Haarlem", co=(co.email,))
    need = h.need(make, organiser, ini, title="Inpakkers op vrijdag", how_many=2)
    volunteer = make.user("volunteer", first_name="Sanne")
    login(volunteer.email).post(f"/initiatieven/{ini.public_id}/behoeften/{need.public_id}/aanmelden",
                                data={"message": "Ik kan elke vrijdag."})
    base = f"/initiatieven/{ini.public_id}/behoeften/{need.public_id}/aanmeldingen"
    signup = signup_id(make, need, volunteer)
    old_tab = login(organiser.email, lang="en")
    assert 'name="seen" value="pending"' in old_tab.get(base).get_data(as_text=True)
    assert login(co.email).post(f"{base}/{signup}/bevestigen", data={"seen": "pending"}).status_code == 302

    late = old_tab.post(f"{base}/{signup}/afwijzen", data={"seen": "pending", "reason": "enough"},
                        follow_redirects=True)
    assert tr("en", "Someone else already decided this. Look at the list again.") in visible(late)
    old_tab.post(f"{base}/{signup}/shortlist", data={"seen": "pending"})
    old_tab.post(f"{base}/{signup}/afwijzen", data={"reason": "enough"})  # no state at all: refused too
    assert status_of(make, need, volunteer) == "confirmed"
    assert kinds_for(make, volunteer) == ["signup_confirmed"]


def test_a_stranger_cannot_see_or_decide_on_applicants(make, login):
    organiser = make.user("organiser")
    ini, need, volunteer = applied(make, login, organiser)
    base = f"/initiatieven/{ini.public_id}/behoeften/{need.public_id}/aanmeldingen"
    signup = signup_id(make, need, volunteer)
    for stranger in (make.user("organiser"), make.user("volunteer"), volunteer):
        client = login(stranger.email)
        assert client.get(base).status_code == 403
        for decision in ("shortlist", "bevestigen", "afwijzen"):
            assert client.post(f"{base}/{signup}/{decision}").status_code == 403
        assert client.get(f"/initiatieven/{ini.public_id}/vrijwilligers").status_code == 403
    assert status_of(make, need, volunteer) == "pending"
    # A decision the route does not know, or another need's sign-up, changes nothing either.
    org = login(organiser.email)
    assert org.post(f"{base}/{signup}/promoveren").status_code == 404
    other = h.need(make, organiser, ini, title="Chauffeurs")
    assert org.post(f"/initiatieven/{ini.public_id}/behoeften/{other.public_id}/aanmeldingen/{signup}/bevestigen"
                    ).status_code == 404
    assert status_of(make, need, volunteer) == "pending"
    # A next address elsewhere is not followed.
    response = org.post(f"{base}/{signup}/shortlist", data={"next": "https://evil.example/", "seen": "pending"})
    assert "evil.example" not in response.headers["Location"]


def test_confirmed_volunteers_log_hours_and_their_organisers_see_them(make, login):
    organiser = make.user("organiser")
    ini, need, volunteer = applied(make, login, organiser, is_recurring=True, slots=["fri-morning"])
    hours_url = f"/initiatieven/{ini.public_id}/behoeften/{need.public_id}/uren"
    client = login(volunteer.email, lang="en")
    # Not yet accepted: no hours.
    client.post(hours_url, data={"worked_on": "2026-01-02", "hours": "3"})
    assert make.count(SignupHours) == 0
    login(organiser.email).post(f"/initiatieven/{ini.public_id}/behoeften/{need.public_id}/aanmeldingen/"
                                f"{signup_id(make, need, volunteer)}/bevestigen", data={"seen": "pending"})
    assert client.post(hours_url, data={"worked_on": "2026-01-02", "hours": "2,5"}).status_code == 302
    assert client.post(hours_url, data={"worked_on": "2099-01-02", "hours": "2"}).status_code == 302  # refused
    assert client.post(hours_url, data={"worked_on": "2026-01-03", "hours": "99"}).status_code == 302  # refused
    assert make.run(lambda: [r.hours for r in db.session.execute(select(SignupHours)).scalars()]) == [2.5]
    # Someone else cannot log hours on this sign-up.
    other = make.user("volunteer")
    assert login(other.email).post(hours_url, data={"worked_on": "2026-01-02", "hours": "4"}).status_code == 403
    assert make.count(SignupHours) == 1
    page = visible(login(organiser.email, lang="en").get(f"/initiatieven/{ini.public_id}/vrijwilligers"))
    assert "Sanne" in page and "2.5" in page and "Inpakkers op vrijdag" in page


def test_the_need_is_full_after_enough_yeses_and_a_shortlisted_one_can_still_be_told_no(make, login):
    organiser = make.user("organiser")
    ini = h.initiative(make, organiser)
    need = h.need(make, organiser, ini, how_many=1)
    first, second = make.user("volunteer"), make.user("volunteer")
    for person in (first, second):
        login(person.email).post(f"/initiatieven/{ini.public_id}/behoeften/{need.public_id}/aanmelden",
                                 data={"message": ""})
    org = login(organiser.email)
    base = f"/initiatieven/{ini.public_id}/behoeften/{need.public_id}/aanmeldingen"
    org.post(f"{base}/{signup_id(make, need, second)}/shortlist", data={"seen": "pending"})
    org.post(f"{base}/{signup_id(make, need, first)}/bevestigen", data={"seen": "pending"})
    org.post(f"{base}/{signup_id(make, need, second)}/bevestigen", data={"seen": "shortlist"})  # full: refused
    assert status_of(make, need, second) == "shortlist"
    assert make.run(lambda: db.session.get(InitiativeNeed, need.id).status) == "filled"
    org.post(f"{base}/{signup_id(make, need, second)}/afwijzen", data={"reason": "bogus", "words": "",
                                                                        "seen": "shortlist"})
    assert status_of(make, need, second) == "declined"
    assert make.run(lambda: db.session.execute(select(NeedSignup.decline_reason).where(
        NeedSignup.volunteer_id == second.id)).scalar_one()) == ""  # an unknown kind text is not stored
