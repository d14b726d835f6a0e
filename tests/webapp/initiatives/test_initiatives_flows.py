"""Registering and editing initiatives and organisations, in Dutch and English; who may edit; what the public
page shows (and never shows)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.conftest import html_lang, visible
from tests.webapp import initiative_helpers as h
from webapp.core.extensions import db
from webapp.initiatives.models import Initiative, InitiativeOrganiser

LANGS = ["nl", "en"]
REFUSED = (403, 404)

FORM = {"name": "Repair Café Oost", "description": "Elke maand repareren we samen spullen in het buurthuis.",
        "status": "active", "wijken": ["WK039218", "WK039219"], "goals": ["1", "2"]}


def stored(public_id):
    row = db.session.execute(select(Initiative).where(Initiative.public_id == public_id)).scalar_one()
    return {"name": row.name, "status": row.status, "is_organisation": row.is_organisation,
            "wijken": sorted(w.code for w in row.wijken), "goals": [g.id for g in row.goals],
            "organisers": sorted((o.user_id, o.is_owner) for o in row.organisers)}


@pytest.mark.parametrize("lang", LANGS)
def test_an_organiser_registers_an_initiative_and_gets_a_public_page(make, login, anon, tr, lang):
    organiser = make.user("organiser", locale=lang, phone="06-11112222", last_name="Hoogland")
    client = login(organiser.email, lang=lang)
    page = client.get("/initiatieven/nieuw")
    assert page.status_code == 200 and html_lang(page) == lang
    assert tr(lang, "Register an initiative") in visible(page)

    response = client.post("/initiatieven/nieuw", data={**FORM, "is_organisation": "y"})
    assert response.status_code == 302
    public_id = response.headers["Location"].rsplit("/", 1)[1]
    assert len(public_id) >= 12 and not public_id.isdecimal()  # opaque, not a counter
    assert make.run(stored, public_id) == {
        "name": "Repair Café Oost", "status": "active", "is_organisation": True,
        "wijken": ["WK039218", "WK039219"], "goals": [1, 2], "organisers": [(organiser.id, True)]}

    # Public once staff confirmed it (test_initiatives_confirmation.py).
    assert anon(lang).get(f"/initiatieven/{public_id}").status_code == 404
    assert login(make.user("staff").email).post(f"/werkruimte/initiatieven/{public_id}/bevestigen").status_code == 302
    public = anon(lang).get(f"/initiatieven/{public_id}")
    assert public.status_code == 200 and html_lang(public) == lang
    text = visible(public)
    assert "Repair Café Oost" in text and tr(lang, "Organisation") in text and tr(lang, "Active") in text
    for secret in (organiser.email, "06-11112222", "Hoogland"):
        assert secret not in public.get_data(as_text=True)
    listing = visible(anon(lang).get("/initiatieven/?type=organisation"))
    assert "Repair Café Oost" in listing


@pytest.mark.parametrize("lang", LANGS)
def test_without_the_organiser_role_the_page_says_how_to_get_it(make, login, tr, lang):
    resident = make.user("resident", locale=lang)
    client = login(resident.email, lang=lang)
    page = client.get("/initiatieven/nieuw")
    assert page.status_code == 403
    assert tr(lang, "To register an initiative, first add “I organise a resident initiative” on your account "
                    "page.") in visible(page)
    assert client.post("/initiatieven/nieuw", data=FORM).status_code == 403
    assert make.count(Initiative) == 0
    # Adding the role on the account page is enough.
    assert client.post("/mijn/account", data={"first_name": "Ans", "postcode": "2034 AB", "wijk": "WK039218",
                                              "roles": ["resident", "organiser"]}).status_code == 302
    assert client.get("/initiatieven/nieuw").status_code == 200


@pytest.mark.parametrize("lang", LANGS)
def test_bad_input_keeps_what_was_typed_and_explains(make, login, tr, lang):
    organiser = make.user("organiser", locale=lang)
    client = login(organiser.email, lang=lang)
    page = client.post("/initiatieven/nieuw", data={**FORM, "wijken": [], "goals": [], "name": "Buurtmoestuin"})
    assert page.status_code == 200
    text = visible(page)
    assert tr(lang, "Choose at least one wijk.") in text and tr(lang, "Choose at least one goal.") in text
    assert 'value="Buurtmoestuin"' in page.get_data(as_text=True)
    assert make.count(Initiative) == 0


def test_co_organisers_can_edit_others_cannot(make, login):
    owner = make.user("organiser")
    co = make.user("resident", email="co@example.org")
    ini = h.initiative(make, owner, co=("CO@example.org",))  # invited, and said yes (test_initiatives_organisers)

    edit = {**FORM, "name": "Nieuwe naam"}
    assert login(co.email).post(f"/initiatieven/{ini.public_id}/bewerken", data=edit).status_code == 302
    assert make.run(stored, ini.public_id)["name"] == "Nieuwe naam"

    for intruder in (make.user("organiser"), make.user("volunteer"), make.user("staff")):
        client = login(intruder.email)
        assert client.get(f"/initiatieven/{ini.public_id}/bewerken").status_code in REFUSED
        assert client.post(f"/initiatieven/{ini.public_id}/bewerken",
                           data={**edit, "name": "Gekaapt"}).status_code in REFUSED
        assert client.post(f"/initiatieven/{ini.public_id}/behoeften/nieuw",
                           data={"kind": "space", "title": "Een schuur"}).status_code in REFUSED
    assert make.run(stored, ini.public_id)["name"] == "Nieuwe naam"

    # The co-organiser stops organising; from then on they cannot edit.
    assert login(co.email).post(f"/initiatieven/{ini.public_id}/organisatoren/stoppen").status_code == 302
    assert make.count(InitiativeOrganiser) == 1
    assert login(co.email).get(f"/initiatieven/{ini.public_id}/bewerken").status_code in REFUSED


def test_staff_correct_the_goals_and_nobody_else_can(make, login):
    owner = make.user("organiser")
    ini = h.initiative(make, owner, goals=(1,))
    assert login(make.user("volunteer").email).post(f"/initiatieven/{ini.public_id}/doelen",
                                                    data={"goals": ["7"]}).status_code == 403
    assert login(owner.email).post(f"/initiatieven/{ini.public_id}/doelen",
                                   data={"goals": ["7"]}).status_code == 403
    assert login(make.user("staff").email).post(f"/initiatieven/{ini.public_id}/doelen",
                                                data={"goals": ["3", "6"]}).status_code == 302
    assert make.run(stored, ini.public_id)["goals"] == [3, 6]


def test_search_by_text_wijk_and_goal(make, anon):
    owner = make.user("organiser")
    h.initiative(make, owner, name="Taalcafé Parkwijk", wijken=("WK039219",), goals=(3, 7))
    h.initiative(make, owner, name="Moestuin Schalkwijk", wijken=("WK039218",), goals=(1, 5))
    h.initiative(make, owner, name="Oud idee", status="ended")

    def names(query):
        text = visible(anon("nl").get(f"/initiatieven/{query}"))
        return {n for n in ("Taalcafé Parkwijk", "Moestuin Schalkwijk", "Oud idee") if n in text}

    assert names("") == {"Taalcafé Parkwijk", "Moestuin Schalkwijk"}
    assert names("?ended=1") == {"Taalcafé Parkwijk", "Moestuin Schalkwijk", "Oud idee"}
    assert names("?q=taalcaf") == {"Taalcafé Parkwijk"}
    assert names("?wijk=WK039218") == {"Moestuin Schalkwijk"}
    assert names("?goal=7") == {"Taalcafé Parkwijk"}
    assert names("?q=%25") == set()  # a wildcard typed by someone is just a character
    assert anon("nl").get("/initiatieven/?page=x&goal=abc").status_code == 200


def test_unknown_initiatives_are_not_found(anon, login, make):
    assert anon("nl").get("/initiatieven/bestaat-niet").status_code == 404
    assert login(make.user("staff").email).get("/initiatieven/bestaat-niet/ondersteuning").status_code == 404
