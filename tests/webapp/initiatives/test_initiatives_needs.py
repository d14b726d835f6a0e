"""The needs board: typed needs with visible progress, sign-up and confirmation, contact only after a yes,
vacancies of organisations, search, suggestions from the engine and invitations."""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import select

from tests.conftest import html_lang, visible
from tests.webapp import initiative_helpers as h
from webapp.core.extensions import db
from webapp.initiatives.models import InitiativeNeed, NeedSignup
from webapp.notifications.models import Notification

LANGS = ["nl", "en"]
PENDING = {"seen": "pending"}  # what the decision buttons send for a sign-up that waits for an answer


def signup_ids(make, need):
    return make.run(lambda: [s.public_id for s in db.session.get(InitiativeNeed, need.id).signups])


def kinds_for(make, user):
    return make.run(lambda: [n.kind for n in db.session.execute(
        select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)).scalars()])


@pytest.mark.parametrize("lang", LANGS)
def test_volunteers_sign_up_organisers_confirm_and_progress_shows(make, login, anon, tr, lang):
    organiser = make.user("organiser", locale=lang, phone="06-55554444", email=f"org-{lang}@example.org")
    ini = h.initiative(make, organiser)
    need = h.need(make, organiser, ini, how_many=2, title="Tuinieren op zaterdag")
    first = make.user("volunteer", locale=lang, phone="06-10101010")
    second = make.user("volunteer", locale=lang)
    url = f"/initiatieven/{ini.public_id}"

    page = anon(lang).get(url)
    assert html_lang(page) == lang
    assert tr(lang, "Still needed") in visible(page) and "Tuinieren op zaterdag" in visible(page)

    for person in (first, second):
        client = login(person.email, lang=lang)
        response = client.post(f"{url}/behoeften/{need.public_id}/aanmelden", data={"message": "Ik kan!"})
        assert response.status_code == 302
        # Before a yes, nobody's contact details show.
        text = client.get(url).get_data(as_text=True)
        assert organiser.email not in text and "06-55554444" not in text
    assert kinds_for(make, organiser) == ["need_signup", "need_signup"]
    # A second click adds nothing.
    login(first.email).post(f"{url}/behoeften/{need.public_id}/aanmelden", data={"message": "Nog eens"})
    assert make.count(NeedSignup) == 2

    org = login(organiser.email, lang=lang)
    first_id, second_id = signup_ids(make, need)
    decided = org.post(f"{url}/behoeften/{need.public_id}/aanmeldingen/{first_id}/bevestigen", data=PENDING)
    assert decided.status_code == 302
    assert h.need_status(make, need) == "partly_filled"
    progress = visible(anon(lang).get(url))
    assert tr(lang, "Partly filled") in progress
    assert "1" in progress and 'value="1"' in anon(lang).get(url).get_data(as_text=True)

    # The confirmed volunteer now sees the organisers' contact details, and the organiser theirs.
    confirmed_page = login(first.email).get(url).get_data(as_text=True)
    assert organiser.email in confirmed_page and "06-55554444" in confirmed_page
    assert first.email in org.get(url).get_data(as_text=True)
    assert organiser.email not in login(second.email).get(url).get_data(as_text=True)
    assert kinds_for(make, first) == ["signup_confirmed"]

    decided = org.post(f"{url}/behoeften/{need.public_id}/aanmeldingen/{second_id}/bevestigen", data=PENDING)
    assert decided.status_code == 302
    assert h.need_status(make, need) == "filled"
    assert kinds_for(make, organiser)[-1] == "need_filled"
    assert tr(lang, "Filled") in visible(anon(lang).get(url))

    # Filled: no more sign-ups; a third confirmation is refused.
    late = make.user("volunteer")
    late_client = login(late.email)
    late_client.post(f"{url}/behoeften/{need.public_id}/aanmelden", data={"message": "Te laat"})
    assert make.count(NeedSignup) == 2

    # Someone withdraws: the need opens again.
    assert login(second.email).post(f"{url}/behoeften/{need.public_id}/afmelden").status_code == 302
    assert h.need_status(make, need) == "partly_filled"


def test_only_organisers_confirm_and_organisers_cannot_sign_up_themselves(make, login):
    organiser = make.user("organiser")
    ini = h.initiative(make, organiser)
    need = h.need(make, organiser, ini)
    volunteer = make.user("volunteer")
    url = f"/initiatieven/{ini.public_id}/behoeften/{need.public_id}"
    login(volunteer.email).post(f"{url}/aanmelden", data={"message": ""})
    [signup_id] = signup_ids(make, need)
    for intruder in (volunteer, make.user("volunteer"), make.user("staff")):
        assert login(intruder.email).post(f"{url}/aanmeldingen/{signup_id}/bevestigen").status_code in (403, 404)
    assert h.need_status(make, need) == "open"
    assert login(organiser.email).post(f"{url}/aanmelden", data={"message": ""}).status_code == 403


def test_money_space_and_expertise_needs_show_their_own_progress(make, login, anon, tr):
    organiser = make.user("organiser")
    ini = h.initiative(make, organiser)
    money = h.need(make, organiser, ini, kind="money", title="Zaden en gereedschap", amount=500,
                   purpose="Zaden en twee kruiwagens")
    space = h.need(make, organiser, ini, kind="space", title="Een schuur voor het gereedschap")
    advice = h.need(make, organiser, ini, kind="expertise", title="Hulp bij een subsidieaanvraag",
                    skills="subsidie, begroting")
    client = login(organiser.email, lang="en")
    url = f"/initiatieven/{ini.public_id}/behoeften"
    client.post(f"{url}/{money.public_id}/voortgang", data={"amount_received": "120"})
    assert h.need_status(make, money) == "partly_filled"
    text = visible(anon("en").get(f"/initiatieven/{ini.public_id}"))
    assert tr("en", "€%(done)s of €%(total)s received", done=120, total=500) in text
    assert tr("en", "For: %(purpose)s", purpose="Zaden en twee kruiwagens") in text
    client.post(f"{url}/{money.public_id}/voortgang", data={"amount_received": "500"})
    assert h.need_status(make, money) == "filled"
    client.post(f"{url}/{space.public_id}/voortgang", data={"status": "filled"})
    assert h.need_status(make, space) == "filled"
    assert h.need_status(make, advice) == "open"
    board = visible(anon("en").get("/initiatieven/hulp-gezocht"))
    assert "Hulp bij een subsidieaanvraag" in board and "Een schuur" not in board


def test_the_need_form_explains_mistakes(make, login, tr):
    organiser = make.user("organiser", locale="en")
    ini = h.initiative(make, organiser)
    client = login(organiser.email, lang="en")
    page = client.post(f"/initiatieven/{ini.public_id}/behoeften/nieuw",
                       data={"kind": "money", "title": "Gld", "amount": ""})
    assert page.status_code == 200
    text = visible(page)
    assert tr("en", "Fill in how many euros you need.") in text
    assert tr("en", "Use between 4 and 120 characters.") in text
    response = client.post(f"/initiatieven/{ini.public_id}/behoeften/nieuw",
                           data={"kind": "volunteers", "title": "Koks voor de buurtmaaltijd", "how_many": "3",
                                 "frequency": "recurring", "slots": ["fri-evening"], "skills": "koken"})
    assert response.status_code == 302
    assert "Koks voor de buurtmaaltijd" in visible(client.get(f"/initiatieven/{ini.public_id}"))


def test_vacancies_are_volunteer_needs_of_organisations(make, anon, tr):
    organiser = make.user("organiser")
    org = h.initiative(make, organiser, name="Stichting Buurtkracht", is_organisation=True)
    residents = h.initiative(make, organiser, name="Buurtfeest Oude Stad")
    h.need(make, organiser, org, title="Chauffeurs voor de boodschappenbus", skills="autorijden")
    h.need(make, organiser, org, kind="space", title="Opslagruimte")
    h.need(make, organiser, residents, title="Helpers bij het buurtfeest")
    page = anon("en").get("/vacatures")
    assert page.status_code == 200 and html_lang(page) == "en"
    text = visible(page)
    assert tr("en", "Volunteer vacancies") in text
    assert "Chauffeurs voor de boodschappenbus" in text
    assert "Opslagruimte" not in text and "Helpers bij het buurtfeest" not in text
    board = visible(anon("nl").get("/initiatieven/hulp-gezocht?kind=volunteers"))
    assert "Helpers bij het buurtfeest" in board and "Opslagruimte" not in board
    assert "Helpers" not in visible(anon("nl").get("/initiatieven/hulp-gezocht?type=organisation"))
    assert "Chauffeurs" in visible(anon("nl").get("/initiatieven/hulp-gezocht?q=AUTORIJDEN"))
    assert "Chauffeurs" not in visible(anon("nl").get("/initiatieven/hulp-gezocht?wijk=WK039201"))


@pytest.mark.parametrize("lang", LANGS)
def test_suggested_for_you_shows_initiatives_with_reasons(make, login, tr, lang):
    organiser = make.user("organiser")
    ini = h.initiative(make, organiser, name="Boodschappenhulp Schalkwijk")
    h.need(make, organiser, ini, title="Boodschappen doen voor ouderen", skills="boodschappen")
    volunteer = make.user("volunteer", locale=lang)  # skills: boodschappen, computer
    page = login(volunteer.email, lang=lang).get("/aanbevolen/")
    assert page.status_code == 200
    text = visible(page)
    assert tr(lang, "Initiatives that could use your help") in text
    assert "Boodschappenhulp Schalkwijk" in text
    assert tr(lang, "They need: %(need)s", need="Boodschappen doen voor ouderen") in text
    # The organisers themselves are not suggested their own initiative; nor is a need one signed up for.
    assert "Boodschappenhulp" not in visible(login(organiser.email).get("/aanbevolen/"))
    client = login(volunteer.email, lang=lang)
    need_id = make.run(lambda: db.session.execute(select(InitiativeNeed.public_id)).scalar_one())
    client.post(f"/initiatieven/{ini.public_id}/behoeften/{need_id}/aanmelden", data={"message": ""})
    assert "Boodschappenhulp" not in visible(client.get("/aanbevolen/"))
    mine = visible(client.get("/initiatieven/"))
    assert tr(lang, "Where you signed up") in mine and "Boodschappen doen voor ouderen" in mine


def test_organisers_see_suggested_volunteers_and_invite_them(make, login):
    organiser = make.user("organiser")
    ini = h.initiative(make, organiser)
    need = h.need(make, organiser, ini, title="Boodschappen rondbrengen", skills="boodschappen")
    volunteer = make.user("volunteer", first_name="Sanne", findable=True)
    client = login(organiser.email)
    page = client.get(f"/initiatieven/{ini.public_id}").get_data(as_text=True)
    assert "Sanne" in page and volunteer.email not in page
    url = f"/aanbevolen/initiatief/{ini.public_id}/behoefte/{need.public_id}/uitnodigen/{volunteer.public_id}"
    assert login(make.user("volunteer").email).post(url).status_code == 403
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302  # twice is harmless
    assert kinds_for(make, volunteer) == ["need_invited"]
    assert client.post(url.rsplit("/", 1)[0] + "/bestaat-niet").status_code == 403


@pytest.mark.parametrize("lang", LANGS)
def test_the_progress_bar_is_labelled_by_its_sentence_and_readable_without_css(make, login, anon, tr, lang):
    organiser = make.user("organiser")
    ini = h.initiative(make, organiser)
    need = h.need(make, organiser, ini, how_many=3, title="Tuinieren op zaterdag")
    volunteer = make.user("volunteer")
    url = f"/initiatieven/{ini.public_id}"
    login(volunteer.email).post(f"{url}/behoeften/{need.public_id}/aanmelden", data={"message": ""})
    signup = signup_ids(make, need)[0]
    login(organiser.email).post(f"{url}/behoeften/{need.public_id}/aanmeldingen/{signup}/bevestigen", data=PENDING)

    for path in (url, "/initiatieven/hulp-gezocht"):
        page = anon(lang).get(path).get_data(as_text=True)
        bar = re.search(r"<progress[^>]*>([^<]*)</progress>", page)
        assert bar, path
        assert 'max="3"' in bar.group(0) and 'value="1"' in bar.group(0)
        assert bar.group(1) == "33%"  # what a browser without <progress> support shows
        label = re.search(r'aria-labelledby="([^"]+)"', bar.group(0)).group(1)
        sentence = re.search(rf'id="{label}">(.*?)</p>', page, re.DOTALL).group(1)
        # The words come first and say the same: no need to see the bar (or any CSS) to understand.
        expected = tr(lang, "%(num)d of %(total)d volunteer confirmed", "%(num)d of %(total)d volunteers confirmed",
                      num=3, total=3).replace("3 ", "1 ", 1)
        assert expected in html.unescape(sentence), sentence
        assert tr(lang, "Partly filled") in html.unescape(sentence)
        assert page.count(f'id="{label}"') == 1


def test_expertise_suggestions_follow_the_skills_the_need_asks_for(make, login):
    """Organisers write the expertise they need in their own words ("elektra, solderen"), words the vocabulary of
    neighbours' requests mostly does not know: the volunteer whose own skills say the same comes first."""
    organiser = make.user("organiser")
    ini = h.initiative(make, organiser)
    need = h.need(make, organiser, ini, kind="expertise", title="Iemand die verstand heeft van elektra",
                  skills="elektra, solderen", how_many=1)
    for name, chosen in (("Gerrit", ["tuinieren"]), ("Bram", ["boodschappen"]), ("Ellen", ["elektricien"])):
        h.skills(make, make.user("volunteer", first_name=name), chosen)
    page = login(organiser.email, lang="en").get(f"/initiatieven/{ini.public_id}").get_data(as_text=True)
    card = page[page.index(f'id="need-{need.public_id}"'):]
    assert card.index("Ellen") < card.index("Gerrit") and card.index("Ellen") < card.index("Bram")
    assert "Asked for: ‘elektra’" in card


def test_a_vacancy_says_once_or_regular_the_part_of_the_day_where_and_which_languages_help(make, login):
    """A one-off task on a date in the evening becomes that weekday's evening slot (what the engine and the filters
    read); its wijk and languages are kept; a form with a place that does not exist is refused, as typed."""
    organiser = make.user("organiser")
    ini = h.initiative(make, organiser, is_organisation=True, name="Vrijwilligerscentrale Noord")
    client = login(organiser.email, lang="en")
    url = f"/initiatieven/{ini.public_id}/behoeften/nieuw"
    form = {"kind": "volunteers", "title": "Taalcafé helpen op vrijdag", "skills": "Nederlands, Arabisch",
            "how_many": "2", "frequency": "once", "on_date": "2099-01-02", "day_parts": ["evening"],
            "wijk": "WK039206", "languages": ["nl", "ar"]}
    assert client.post(url, data=form).status_code == 302
    row = make.run(lambda: db.session.execute(select(InitiativeNeed)).scalar_one())
    assert (row.slots, row.languages, row.is_recurring) == (["fri-evening"], ["nl", "ar"], False)
    assert make.run(lambda: db.session.execute(select(InitiativeNeed)).scalar_one().wijk.code) == "WK039206"
    assert make.run(lambda: db.session.execute(select(InitiativeNeed.match_features)).scalar_one()) is not None
    page = client.post(url, data={**form, "wijk": "WK999999", "title": "Nog een taak"})
    assert page.status_code == 200 and 'value="Nog een taak"' in page.get_data(as_text=True)
    assert make.count(InitiativeNeed) == 1
def test_a_decision_from_a_page_opened_before_a_co_organiser_decided_is_refused(make, login, tr):
    organiser, co = make.user("organiser", locale="en"), make.user("organiser")
    ini = h.initiative(make, organiser, co=(co.email,))
    need = h.need(make, organiser, ini, how_many=2)
    volunteer = make.user("volunteer")
    url = f"/initiatieven/{ini.public_id}/behoeften/{need.public_id}"
    login(volunteer.email).post(f"{url}/aanmelden", data={"message": "Ik kan op zaterdag."})
    [signup_id] = signup_ids(make, need)
    old_tab = login(organiser.email, lang="en")
    assert 'name="seen" value="pending"' in old_tab.get(f"/initiatieven/{ini.public_id}").get_data(as_text=True)
    assert login(co.email).post(f"{url}/aanmeldingen/{signup_id}/afwijzen", data=PENDING).status_code == 302

    late = old_tab.post(f"{url}/aanmeldingen/{signup_id}/bevestigen", data=PENDING, follow_redirects=True)
    assert tr("en", "Someone else already decided this. Look at the list again.") in visible(late)
    assert make.run(lambda: db.session.execute(select(NeedSignup.status)).scalar_one()) == "declined"
    assert kinds_for(make, volunteer) == ["signup_declined"]
    # The volunteer withdrew while the page was open: confirming them now changes nothing either.
    login(volunteer.email).post(f"{url}/aanmelden", data={"message": "Toch wel."})
    login(volunteer.email).post(f"{url}/afmelden")
    old_tab.post(f"{url}/aanmeldingen/{signup_id}/bevestigen", data=PENDING)
    assert make.run(lambda: db.session.execute(select(NeedSignup.status)).scalar_one()) == "withdrawn"
    assert h.need_status(make, need) == "open"
