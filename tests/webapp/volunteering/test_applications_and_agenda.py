"""My applications (one list, one vocabulary of states, signing off) and my agenda with its own calendar feed: a
secret, signed address that only shows the person's own commitments and stops working when they say so."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select, update

from tests.conftest import visible
from tests.webapp import initiative_helpers as h
from webapp.accounts.models import User
from webapp.core.extensions import db
from webapp.core.ids import utcnow
from webapp.initiatives.models import ActivityParticipant, NeedSignup
from webapp.volunteering.models import CalendarFeed

LANGS = ["nl", "en"]


def sign_up(login, person, ini, need, message=""):
    return login(person.email).post(f"/initiatieven/{ini.public_id}/behoeften/{need.public_id}/aanmelden",
                                    data={"message": message})


def decide(login, organiser, ini, need, make, person, decision):
    signup, seen = make.run(lambda: tuple(db.session.execute(select(NeedSignup.public_id, NeedSignup.status).where(
        NeedSignup.need_id == need.id, NeedSignup.volunteer_id == person.id)).one()))
    login(organiser.email).post(f"/initiatieven/{ini.public_id}/behoeften/{need.public_id}/aanmeldingen/"
                                f"{signup}/{decision}", data={"seen": seen})


@pytest.mark.parametrize("lang", LANGS)
def test_every_application_with_its_state_and_signing_off(make, login, tr, lang):
    organiser = make.user("organiser")
    ini = h.initiative(make, organiser, name="Buurthuis De Ring")
    org = h.initiative(make, organiser, name="Voedselbank", is_organisation=True)
    shortlisted = h.need(make, organiser, org, title="Inpakken op vrijdag")
    accepted = h.need(make, organiser, ini, title="Tuinieren op zaterdag")
    activity = h.activity(make, organiser, ini, title="Soep koken met de buurt")
    request = make.request(make.user("resident"), title="Lamp ophangen")
    volunteer = make.user("volunteer", locale=lang)
    sign_up(login, volunteer, org, shortlisted)
    sign_up(login, volunteer, ini, accepted)
    decide(login, organiser, org, shortlisted, make, volunteer, "shortlist")
    decide(login, organiser, ini, accepted, make, volunteer, "bevestigen")
    client = login(volunteer.email, lang=lang)
    client.post(f"/initiatieven/{ini.public_id}/activiteiten/{activity.public_id}/aanmelden")
    make.respond(request, volunteer)

    page = client.get("/mijn/aanmeldingen")
    text = visible(page)
    for title in ("Inpakken op vrijdag", "Tuinieren op zaterdag", "Soep koken met de buurt", "Lamp ophangen"):
        assert title in text
    for state in ("On the shortlist", "Accepted", "Applied"):
        assert tr(lang, state) in text
    only = visible(client.get("/mijn/aanmeldingen?status=shortlisted"))
    assert "Inpakken op vrijdag" in only and "Lamp ophangen" not in only

    # Signing off from the list comes back to the list.
    back = client.post(f"/initiatieven/{org.public_id}/behoeften/{shortlisted.public_id}/afmelden",
                       data={"next": "/mijn/aanmeldingen"})
    assert back.headers["Location"].endswith("/mijn/aanmeldingen")
    assert tr(lang, "Withdrawn") in visible(client.get("/mijn/aanmeldingen"))
    assert client.get("/mijn/aanmeldingen?status=nonsense&page=-1").status_code == 200


def test_a_request_that_came_to_need_a_vog_shows_only_its_wijk(make, login):
    request = make.request(make.user("resident"), title="Geheime papieren")
    volunteer = make.user("volunteer", screened=False)
    make.respond(request, volunteer)
    make.set_request(request, needs_screening=True)
    text = visible(login(volunteer.email, lang="en").get("/mijn/aanmeldingen"))
    assert "Geheime papieren" not in text and "Europawijk" in text


@pytest.mark.parametrize("lang", LANGS)
def test_my_agenda_and_its_feed_hold_only_my_own_commitments(make, login, anon, tr, lang):
    organiser = make.user("organiser")
    ini = h.initiative(make, organiser, name="Repair Café")
    mine = h.activity(make, organiser, ini, title="Repareren in het buurthuis")
    h.activity(make, organiser, ini, title="Niet voor mij")
    one_off = h.need(make, organiser, ini, title="Helpen bij de opening", on_date=date.today() + timedelta(days=9))
    volunteer = make.user("volunteer", locale=lang)
    client = login(volunteer.email, lang=lang)
    client.post(f"/initiatieven/{ini.public_id}/activiteiten/{mine.public_id}/aanmelden")
    sign_up(login, volunteer, ini, one_off)
    decide(login, organiser, ini, one_off, make, volunteer, "bevestigen")

    text = visible(client.get("/mijn/agenda"))
    assert "Repareren in het buurthuis" in text and "Helpen bij de opening" in text and "Niet voor mij" not in text
    assert client.post("/mijn/agenda/koppeling").status_code == 302
    page = client.get("/mijn/agenda").get_data(as_text=True)
    link = re.search(r'value="http://[^/]+(/agenda/[^"]+\.ics)"', page)
    assert link, "no calendar link on the page"
    feed = anon(lang).get(link.group(1))  # a calendar program: no cookie
    assert feed.status_code == 200 and feed.headers["Content-Type"].startswith("text/calendar")
    body = feed.get_data(as_text=True)
    assert "SUMMARY:Repareren in het buurthuis" in body and "Helpen bij de opening" in body
    assert "Niet voor mij" not in body and volunteer.email not in body
    assert "DTSTART;VALUE=DATE:" in body  # the one-off task is a whole day

    # A guessed or changed address finds nothing; a new link ends the old one; stopping ends it too.
    feed_id, signature = link.group(1).removeprefix("/agenda/").removesuffix(".ics").split("/")
    assert anon(lang).get(f"/agenda/{feed_id}/{'0' * 32}.ics").status_code == 404
    assert anon(lang).get(f"/agenda/{'x' * len(feed_id)}/{signature}.ics").status_code == 404
    client.post("/mijn/agenda/koppeling")
    assert anon(lang).get(link.group(1)).status_code == 404
    client.post("/mijn/agenda/koppeling/stoppen")
    assert make.count(CalendarFeed) == 0


def test_the_database_alone_does_not_give_the_feed_address_and_a_blocked_account_has_none(make, login, anon):
    volunteer = make.user("volunteer")
    client = login(volunteer.email)
    client.post("/mijn/agenda/koppeling")
    feed_id = make.run(lambda: db.session.execute(select(CalendarFeed.feed_id)).scalar_one())
    page = client.get("/mijn/agenda").get_data(as_text=True)
    assert feed_id in page
    signature = re.search(rf"/agenda/{re.escape(feed_id)}/([0-9a-f]+)\.ics", page).group(1)
    assert signature not in feed_id and len(signature) == 32
    make.run(lambda: (db.session.execute(update(User).where(User.id == volunteer.id).values(is_blocked=True)),
                      db.session.commit()))
    assert anon("nl").get(f"/agenda/{feed_id}/{signature}.ics").status_code == 404


def test_the_agenda_shows_the_waiting_list_and_a_cancelled_activity(make, login, tr):
    organiser = make.user("organiser")
    ini = h.initiative(make, organiser)
    full = h.activity(make, organiser, ini, title="Vol", capacity=1)
    login(make.user("volunteer").email).post(f"/initiatieven/{ini.public_id}/activiteiten/{full.public_id}/aanmelden")
    volunteer = make.user("volunteer")
    client = login(volunteer.email, lang="en")
    client.post(f"/initiatieven/{ini.public_id}/activiteiten/{full.public_id}/aanmelden")
    assert make.run(lambda: db.session.execute(select(ActivityParticipant.status).where(
        ActivityParticipant.user_id == volunteer.id)).scalar_one()) == "waiting"
    assert tr("en", "You are on the waiting list.") in visible(client.get("/mijn/agenda"))
    assert utcnow()  # the agenda reads the clock; nothing else to check here
