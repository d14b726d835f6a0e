"""Who may see and reach suggested volunteers. Volunteers choose whether organisers may find them; a requester sees
no names, only "N volunteers nearby fit; we can let them know", and lets at most INVITES_PER_REQUEST of them know
(at most INVITES_PER_DAY a day); an organiser invites only the volunteers their page showed, and sees at most
ORGANISER_SUGGESTIONS_PER_DAY different volunteers a day however often they change a need."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.conftest import page_text, visible
from tests.factories import wijk
from tests.webapp import initiative_helpers as h
from webapp.accounts import services as accounts
from webapp.accounts.models import User
from webapp.core.extensions import db
from webapp.initiatives.models import NeedInvitation
from webapp.notifications.models import Notification

NAMES = [f"Vrijwilliger{chr(ord('A') + n)}" for n in range(20)]


def volunteers(make, count, **kwargs):
    return [make.user("volunteer", first_name=NAMES[n], **kwargs) for n in range(count)]


def invited_count(make):
    return make.count(Notification, Notification.kind.in_(("invited", "need_invited")))


def test_a_requester_sees_no_names_and_cannot_mail_volunteers_by_crafted_ids(make, login, tr):
    """The attack: one account sends invitation mails to many volunteers for one request, by posting their ids."""
    resident = make.user("resident", locale="en")
    people = volunteers(make, 12, phone="06-99990000")
    help_request = make.request(resident, title="Boodschappen doen")
    client = login(resident.email)
    page = client.get(f"/vragen/{help_request.public_id}")
    for person in people:
        assert person.first_name not in page_text(page)
    assert tr("en", "%(num)d volunteer nearby fits your request. We can let them know.",
              "%(num)d volunteers nearby fit your request. We can let them know.", num=5) in visible(page)
    for person in people:
        client.post(f"/aanbevolen/{help_request.public_id}/uitnodigen/{person.public_id}")
    assert invited_count(make) == 0

    done = client.post(f"/aanbevolen/{help_request.public_id}/laten-weten", follow_redirects=True)
    assert tr("en", "We let %(num)d volunteer know about your request.",
              "We let %(num)d volunteers know about your request.", num=5) in visible(done)
    assert invited_count(make) == 5
    client.post(f"/aanbevolen/{help_request.public_id}/laten-weten")  # again: nobody new
    assert invited_count(make) == 5
    for person in people:
        assert person.first_name not in page_text(client.get(f"/vragen/{help_request.public_id}"))


def test_a_requester_lets_at_most_invites_per_day_volunteers_know(app, make, login, tr, monkeypatch):
    monkeypatch.setitem(app.config, "INVITES_PER_DAY", 7)
    resident = make.user("resident", locale="en")
    volunteers(make, 12)
    first = make.request(resident, title="Boodschappen doen")
    second = make.request(resident, title="Boodschappen op vrijdag", slots=["fri-morning"])
    client = login(resident.email)
    client.post(f"/aanbevolen/{first.public_id}/laten-weten")
    page = client.post(f"/aanbevolen/{second.public_id}/laten-weten", follow_redirects=True)
    assert invited_count(make) == 7
    assert tr("en", "We let %(num)d volunteer know about your request.",
              "We let %(num)d volunteers know about your request.", num=2) in visible(page)
    again = client.post(f"/aanbevolen/{second.public_id}/laten-weten", follow_redirects=True)
    assert tr("en", "You have let as many volunteers know as you can today. Try again tomorrow.") in visible(again)
    assert invited_count(make) == 7


def test_organisers_see_only_volunteers_who_chose_to_be_found(make, login):
    organiser = make.user("organiser")
    ini = h.initiative(make, organiser)
    need = h.need(make, organiser, ini, title="Boodschappen rondbrengen", skills="boodschappen")
    hidden = make.user("volunteer", first_name="Verborgen")
    found = make.user("volunteer", first_name="Vindbaar", findable=True)
    client = login(organiser.email)
    page = page_text(client.get(f"/initiatieven/{ini.public_id}"))
    assert "Vindbaar" in page and "Verborgen" not in page
    url = f"/aanbevolen/initiatief/{ini.public_id}/behoefte/{need.public_id}/uitnodigen"
    assert client.post(f"{url}/{hidden.public_id}").status_code == 403
    assert client.post(f"{url}/{found.public_id}").status_code == 302
    assert make.count(NeedInvitation) == 1


def test_an_organiser_invites_only_the_volunteers_their_page_showed(make, login):
    organiser = make.user("organiser")
    ini = h.initiative(make, organiser)
    need = h.need(make, organiser, ini, title="Boodschappen rondbrengen", skills="boodschappen")
    people = volunteers(make, 12, findable=True)
    client = login(organiser.email)
    page = page_text(client.get(f"/initiatieven/{ini.public_id}"))
    shown = [p for p in people if p.first_name in page]
    assert len(shown) == 5
    url = f"/aanbevolen/initiatief/{ini.public_id}/behoefte/{need.public_id}/uitnodigen"
    for person in people:
        client.post(f"{url}/{person.public_id}")
    invited = set(make.run(lambda: list(db.session.execute(select(NeedInvitation.volunteer_id)).scalars())))
    assert invited == {p.id for p in shown}


def test_changing_a_need_again_and_again_does_not_page_through_the_volunteers(app, make, login, tr, monkeypatch):
    """The attack: change the need's skills, read the five names, change again, ... until everyone is known."""
    monkeypatch.setitem(app.config, "ORGANISER_SUGGESTIONS_PER_DAY", 8)
    organiser = make.user("organiser", locale="en")
    ini = h.initiative(make, organiser)
    need = h.need(make, organiser, ini, title="Hulp gezocht", skills="boodschappen")
    skills = ["boodschappen", "computer", "tuin", "koken", "hond uitlaten", "sporten", "klussen", "verhuizen"]
    people = []
    for skill in skills:
        for m in range(2):
            person = make.user("volunteer", first_name=f"{skill.split()[0].capitalize()}{m}")

            def set_skill(person_id=person.id, skill=skill) -> None:
                user = db.session.get(User, person_id)
                accounts.update_volunteer_profile(user, accounts.VolunteerProfileData(
                    skills=[skill], languages=["nl"], postcode="2034 AB", wijk=wijk(), max_distance_km=5.0,
                    availability=[], bio="", findable_by_organisers=True))
                db.session.commit()

            make.run(set_skill)
            people.append(person)
    client = login(organiser.email)
    seen: set[str] = set()
    last = None
    for skill in skills:
        client.post(f"/initiatieven/{ini.public_id}/behoeften/{need.public_id}/bewerken",
                    data={"kind": "volunteers", "title": "Hulp gezocht", "skills": skill, "how_many": "1",
                          "frequency": "once"})
        last = client.get(f"/initiatieven/{ini.public_id}")
        seen |= {p.first_name for p in people if re.search(rf"\b{p.first_name}\b", page_text(last))}
    assert len(seen) <= 8
    assert tr("en", "You have seen the most suggested volunteers for today. Come back tomorrow for more.") \
        in visible(last)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_volunteers_choose_in_their_profile_whether_organisers_may_find_them(make, login, tr, lang):
    volunteer = make.user("volunteer", locale=lang)
    client = login(volunteer.email)
    label = tr(lang, "Organisers of initiatives the volunteer centre confirmed may see my first name and suggest "
                     "tasks to me")
    assert label in visible(client.get("/mijn/vrijwilligersprofiel"))
    form = {"skills": "boodschappen", "languages": ["nl"], "postcode": "2034 AB", "wijk": "WK039218",
            "max_distance_km": "3"}
    client.post("/mijn/vrijwilligersprofiel", data=form)
    assert not make.run(lambda: db.session.get(User, volunteer.id).volunteer_profile.findable_by_organisers)
    client.post("/mijn/vrijwilligersprofiel", data={**form, "findable_by_organisers": "y"})
    assert make.run(lambda: db.session.get(User, volunteer.id).volunteer_profile.findable_by_organisers)


def test_new_volunteers_are_not_findable_until_they_say_so(make, anon):
    response = anon("nl").post("/registreren", data={
        "first_name": "Nieuw", "email": "nieuw@example.org", "postcode": "2034 AB", "wijk": "WK039218",
        "roles": ["volunteer"], "password": "een lange zin van mij", "password_again": "een lange zin van mij"})
    assert response.status_code == 200  # the same "check your e-mail" page for every address
    assert make.run(lambda: db.session.execute(select(User).where(User.email == "nieuw@example.org"))
                    .scalar_one().volunteer_profile.findable_by_organisers) is False
