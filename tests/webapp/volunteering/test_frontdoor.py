"""The front door (/vrijwilligerswerk): requests, needs, vacancies and activities with places in one list, ranked for
a volunteer with a profile, filtered, paged, without JavaScript; and what it never shows to whom."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import update

from tests.conftest import html_lang, visible
from tests.webapp import initiative_helpers as h
from webapp.accounts.models import User
from webapp.core.extensions import db
from webapp.core.ids import utcnow

LANGS = ["nl", "en"]
URL = "/vrijwilligerswerk"


def titles(page) -> list[str]:
    """The titles of the things to do, in the page's order."""
    return [re.sub(r"<[^>]+>", "", t).strip() for t in re.findall(r'<h2 class="h3"><a href="[^"]+">(.*?)</a></h2>',
                                                                    page.get_data(as_text=True))]


def city(make):
    """A gardener; a gardening need of a resident initiative, a gardening vacancy of an organisation, a request for
    groceries of a neighbour and a coffee morning with places."""
    organiser = make.user("organiser")
    moestuin = h.initiative(make, organiser, name="Moestuin Europawijk")
    h.need(make, organiser, moestuin, title="Tuinieren in de moestuin", skills="tuinieren, onkruid wieden")
    centre = h.initiative(make, organiser, name="Groenploeg Haarlem", is_organisation=True)
    h.need(make, organiser, centre, title="Vrijwilliger voor het groen", skills="tuinieren, snoeien",
           is_recurring=True, slots=["sat-morning"])
    h.activity(make, organiser, moestuin, title="Koffieochtend in de tuin", capacity=10)
    make.request(make.user("resident"), title="Boodschappen halen bij de Dirk", category_key="groceries")
    gardener = make.user("volunteer", first_name="Gerda")
    h.skills(make, gardener, ["tuinieren", "snoeien"], max_distance_km=5.0)
    return organiser, gardener


@pytest.mark.parametrize("lang", LANGS)
def test_one_list_holds_every_kind_ranked_for_the_volunteer_with_reasons(make, login, tr, lang):
    _organiser, gardener = city(make)
    page = login(gardener.email, lang=lang).get(URL)
    assert page.status_code == 200 and html_lang(page) == lang
    found = titles(page)
    assert set(found) == {"Tuinieren in de moestuin", "Vrijwilliger voor het groen", "Koffieochtend in de tuin",
                          "Boodschappen halen bij de Dirk"}
    # What suits the gardener's skills comes before a neighbour's groceries.
    assert found.index("Boodschappen halen bij de Dirk") > max(found.index("Tuinieren in de moestuin"),
                                                               found.index("Vrijwilliger voor het groen"))
    text = visible(page)
    for kind in ("Requests of neighbours", "Needs of initiatives", "Vacancies of organisations",
                 "Activities with places"):
        assert tr(lang, kind) in text
    assert tr(lang, "Matches your skill ‘%(skill)s’", skill="tuinieren") in text
    assert tr(lang, "%(num)d thing to do found", "%(num)d things to do found", num=4) in text


def test_filters_narrow_the_list_and_nonsense_in_the_address_changes_nothing(make, login):
    _organiser, gardener = city(make)
    client = login(gardener.email, lang="en")
    assert titles(client.get(f"{URL}?kind=vacancy")) == ["Vrijwilliger voor het groen"]
    assert titles(client.get(f"{URL}?kind=request")) == ["Boodschappen halen bij de Dirk"]
    assert "Vrijwilliger voor het groen" in titles(client.get(f"{URL}?ritme=regular"))
    assert "Vrijwilliger voor het groen" not in titles(client.get(f"{URL}?ritme=once"))
    # The vacancy is on Saturday mornings: not in the evening (items without a time are flexible: they stay).
    assert "Vrijwilliger voor het groen" not in titles(client.get(f"{URL}?dagdeel=evening"))
    assert "Vrijwilliger voor het groen" in titles(client.get(f"{URL}?dagdeel=morning"))
    suits = titles(client.get(f"{URL}?past=y"))
    assert "Tuinieren in de moestuin" in suits and "Boodschappen halen bij de Dirk" not in suits
    for nonsense in ("?kind=everything", "?km=-3", "?km=99999999999999", "?dagdeel=night", "?page=abc",
                     "?ritme=x%27--", "?wijk=<script>", "?page=99999", "?kind=request&kind=need"):
        response = client.get(URL + nonsense)
        assert response.status_code == 200, nonsense


def test_distance_counts_from_the_volunteers_own_wijk(make, login):
    """A need in Haarlem Noord (about 5 km from Schalkwijk) is outside 2 km and inside 10 km."""
    organiser = make.user("organiser")
    north = h.initiative(make, organiser, name="Noord Groen", wijken=("WK039206",))
    h.need(make, organiser, north, title="Bollen planten in Noord", skills="tuinieren")
    gardener = make.user("volunteer")
    h.skills(make, gardener, ["tuinieren"], max_distance_km=10.0)
    client = login(gardener.email)
    assert "Bollen planten in Noord" in titles(client.get(f"{URL}?km=10"))
    assert "Bollen planten in Noord" not in titles(client.get(f"{URL}?km=2"))


@pytest.mark.parametrize("lang", LANGS)
def test_visitors_see_everything_newest_first_and_are_asked_to_sign_up(make, anon, tr, lang):
    city(make)
    page = anon(lang).get(URL)
    assert page.status_code == 200 and html_lang(page) == lang
    text = visible(page)
    assert tr(lang, "Sign up as a volunteer and tell us what you like to do. Then this list shows first what "
                    "suits you.") in text
    assert len(titles(page)) == 4
    assert "Matches your skill" not in text and "Past bij" not in text  # nothing is ranked for nobody
    assert 'method="get"' in page.get_data(as_text=True)  # the filters are a plain form: no JavaScript needed


def test_the_home_page_and_the_menu_lead_to_the_front_door(anon, tr):
    html = anon("en").get("/").get_data(as_text=True)
    assert html.count(f'href="{URL}"') >= 2  # the main menu and the home page


def test_the_list_is_paged(make, login, monkeypatch, app):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 2)
    _organiser, gardener = city(make)
    client = login(gardener.email)
    first, second = titles(client.get(URL)), titles(client.get(f"{URL}?page=2"))
    assert len(first) == 2 and len(second) == 2 and not set(first) & set(second)


# -- what it never shows ------------------------------------------------------------------------------------------

def test_work_that_needs_a_vog_never_reaches_a_volunteer_without_one(make, login):
    organiser = make.user("organiser")
    club = h.initiative(make, organiser, name="Huiswerkclub")
    h.need(make, organiser, club, title="Huiswerkbegeleiding voor kinderen", skills="rekenen",
           needs_screening=True)
    h.activity(make, organiser, club, title="Voorleesmiddag met kinderen", needs_screening=True)
    make.request(make.user("resident"), title="Hulp met mijn belastingpapieren", category_key="paperwork",
                 needs_screening=True)
    unscreened = make.user("volunteer", screened=False)
    screened = make.user("volunteer", screened=True)
    for person in (unscreened, screened):
        h.skills(make, person, ["rekenen", "voorlezen", "administratie"])
    hidden = {"Huiswerkbegeleiding voor kinderen", "Voorleesmiddag met kinderen", "Hulp met mijn belastingpapieren"}
    assert not hidden & set(titles(login(unscreened.email).get(URL)))
    assert not hidden & set(titles(login(unscreened.email).get(f"{URL}?page=1&kind=need")))
    assert hidden <= set(titles(login(screened.email).get(URL)))


def test_unconfirmed_initiatives_blocked_organisers_own_initiatives_and_answered_requests_stay_out(make, login):
    organiser = make.user("organiser")
    waiting = h.initiative(make, organiser, name="Nog niet bevestigd", confirmed=False)
    h.need(make, organiser, waiting, title="Nog niet zichtbaar", skills="tuinieren")
    mine = h.initiative(make, organiser, name="Eigen tuin")
    h.need(make, organiser, mine, title="Mijn eigen vraag", skills="tuinieren")
    spammer = make.user("organiser")
    spam = h.initiative(make, spammer, name="Geblokkeerd")
    h.need(make, spammer, spam, title="Van een geblokkeerde organisator", skills="tuinieren")
    make.run(lambda: (db.session.execute(update(User).where(User.id == spammer.id).values(is_blocked=True)),
                      db.session.commit()))
    request = make.request(make.user("resident"), title="Al beantwoord door mij")
    volunteer = make.user("volunteer", "organiser")
    h.skills(make, volunteer, ["tuinieren"])
    make.respond(request, volunteer)
    # The organiser of "Eigen tuin" is also a volunteer here: their own need is not offered to them.
    h.skills(make, organiser, ["tuinieren"])
    seen_by_volunteer = set(titles(login(volunteer.email).get(URL)))
    assert "Mijn eigen vraag" in seen_by_volunteer
    assert not {"Nog niet zichtbaar", "Van een geblokkeerde organisator", "Al beantwoord door mij"} & seen_by_volunteer
    assert "Mijn eigen vraag" not in set(titles(login(organiser.email).get(URL)))


def test_full_past_and_cancelled_activities_and_the_parent_of_shifts_are_not_offered(make, login):
    organiser = make.user("organiser")
    ini = h.initiative(make, organiser)
    full = h.activity(make, organiser, ini, title="Al vol", capacity=1)
    h.activity(make, organiser, ini, title="Al geweest", starts_at=utcnow() - timedelta(days=1))
    someone = make.user("volunteer")
    login(someone.email).post(f"/initiatieven/{ini.public_id}/activiteiten/{full.public_id}/aanmelden")
    volunteer = make.user("volunteer")
    h.skills(make, volunteer, ["tuinieren"])
    found = set(titles(login(volunteer.email).get(f"{URL}?kind=activity")))
    assert not {"Al vol", "Al geweest"} & found
