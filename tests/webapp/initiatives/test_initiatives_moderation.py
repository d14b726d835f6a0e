"""The moderation filter on initiatives: blocked people and held profiles are not suggested to organisers, and an
initiative whose organisers are all blocked leaves every listing, suggestion and public page."""

from __future__ import annotations

from sqlalchemy import update

from tests.conftest import visible
from tests.webapp import initiative_helpers as h
from webapp.accounts.models import User, VolunteerProfile
from webapp.core.extensions import db


def block(make, person):
    make.run(lambda: (db.session.execute(update(User).where(User.id == person.id).values(is_blocked=True)),
                      db.session.commit()))


def hold_profile(make, person):
    make.run(lambda: (db.session.execute(update(VolunteerProfile).where(VolunteerProfile.user_id == person.id)
                                         .values(moderation="held", moderation_flags=["phone"])),
                      db.session.commit()))


def test_blocked_and_held_volunteers_are_not_suggested_for_a_need(make, login):
    organiser = make.user("organiser")
    ini = h.initiative(make, organiser)
    need = h.need(make, organiser, ini, title="Boodschappen rondbrengen", skills="boodschappen")
    make.user("volunteer", first_name="Sanne", findable=True)
    blocked = make.user("volunteer", first_name="Bartholomeus", findable=True)
    held = make.user("volunteer", first_name="Ciska", findable=True)
    client = login(organiser.email)
    page = visible(client.get(f"/initiatieven/{ini.public_id}"))
    assert "Sanne" in page and "Bartholomeus" in page and "Ciska" in page  # all suggested while all is well

    block(make, blocked)
    hold_profile(make, held)
    page = visible(client.get(f"/initiatieven/{ini.public_id}"))
    assert "Sanne" in page
    assert "Bartholomeus" not in page and "Ciska" not in page
    for person in (blocked, held):  # nor can they be invited by a crafted form
        url = f"/aanbevolen/initiatief/{ini.public_id}/behoefte/{need.public_id}/uitnodigen/{person.public_id}"
        assert client.post(url).status_code == 403


def test_an_initiative_of_blocked_organisers_leaves_listings_suggestions_and_its_page(make, login, anon):
    organiser = make.user("organiser")
    ini = h.initiative(make, organiser, name="Boodschappenhulp Schalkwijk", is_organisation=True)
    h.need(make, organiser, ini, title="Boodschappen doen voor ouderen", skills="boodschappen")
    other = make.user("organiser")
    kept = h.initiative(make, other, name="Repair Café Schalkwijk")
    h.need(make, other, kept, title="Boodschappen tassen repareren", skills="boodschappen")
    volunteer = make.user("volunteer")
    pages = ("/initiatieven/", "/initiatieven/hulp-gezocht", "/vacatures", "/initiatieven/?q=Boodschappenhulp")
    assert "Boodschappenhulp Schalkwijk" in visible(login(volunteer.email).get("/aanbevolen/"))
    assert "Boodschappenhulp Schalkwijk" in visible(anon("nl").get("/vacatures"))

    block(make, organiser)
    for path in pages:
        assert "Boodschappenhulp Schalkwijk" not in visible(anon("nl").get(path)), path
    assert "Repair Café Schalkwijk" in visible(anon("nl").get("/initiatieven/"))
    assert "Boodschappenhulp Schalkwijk" not in visible(login(volunteer.email).get("/aanbevolen/"))
    for client in (anon("nl"), login(volunteer.email)):
        assert client.get(f"/initiatieven/{ini.public_id}").status_code == 404
        assert client.get(f"/initiatieven/{ini.public_id}/agenda.ics").status_code == 404
    assert login(make.user("staff").email).get(f"/initiatieven/{ini.public_id}").status_code == 200


def test_a_co_organiser_who_is_not_blocked_keeps_the_initiative_public(make, anon):
    co = make.user("organiser")
    organiser = make.user("organiser")
    ini = h.initiative(make, organiser, name="Buurtmoestuin Delftwijk", co=(co.email,))
    block(make, organiser)
    assert "Buurtmoestuin Delftwijk" in visible(anon("nl").get("/initiatieven/"))
    assert anon("nl").get(f"/initiatieven/{ini.public_id}").status_code == 200
