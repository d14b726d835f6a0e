"""What organisers write (an initiative, its needs and activities) is marked with the language it is written in
(WCAG 3.1.2), as requests and offers are: stored with the text, shown with its own lang and dir, and "Written in
Turkish" for readers of a page in another language."""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import select

from tests.conftest import visible
from tests.webapp import initiative_helpers as h
from webapp.core.extensions import db
from webapp.initiatives.models import Activity, Initiative, InitiativeNeed

FORM = {"name": "Çay ve sohbet", "description": "Her hafta mahallede çay içip sohbet ediyoruz, herkes gelebilir.",
        "status": "active", "wijken": ["WK039218"], "goals": ["1"]}


def _language(make, model, column, public_id):
    return make.run(lambda: db.session.execute(
        select(model.text_language).where(column == public_id)).scalar_one())


def test_the_initiative_form_starts_with_the_page_language(make, login):
    client = login(make.user("organiser").email, lang="tr")
    page = visible(client.get("/initiatieven/nieuw"))
    assert re.search(r'<option selected value="tr">Türkçe</option>|<option value="tr" selected>Türkçe</option>', page)


def test_an_initiative_written_in_turkish_is_marked_on_dutch_pages(make, login, anon, tr):
    organiser = make.user("organiser")
    response = login(organiser.email, lang="tr").post("/initiatieven/nieuw", data={**FORM, "text_language": "tr"})
    assert response.status_code == 302
    public_id = response.headers["Location"].rstrip("/").split("/")[-1]
    assert _language(make, Initiative, Initiative.public_id, public_id) == "tr"
    make.run(lambda: _confirm(public_id))

    dutch = visible(anon("nl").get(f"/initiatieven/{public_id}"))
    assert '<h1 lang="tr" dir="ltr">Çay ve sohbet</h1>' in dutch
    assert '<div class="description" lang="tr" dir="ltr">' in dutch
    assert tr("nl", "Written in %(language)s", language="Turks") in dutch
    assert 'lang="tr" dir="ltr">Çay ve sohbet</a>' in visible(anon("nl").get("/initiatieven/"))
    turkish = visible(anon("tr").get(f"/initiatieven/{public_id}"))
    assert tr("tr", "Written in %(language)s", language="Türkçe") not in turkish  # the page's own language: no note


def _confirm(public_id):
    from webapp.core.ids import utcnow
    row = db.session.execute(select(Initiative).where(Initiative.public_id == public_id)).scalar_one()
    row.confirmed_at = utcnow()
    db.session.commit()


def test_editing_keeps_the_language_unless_the_organiser_changes_it(make, login):
    organiser = make.user("organiser")
    ini = h.initiative(make, organiser)
    client = login(organiser.email, lang="en")  # an English page does not turn a Dutch text into English
    page = visible(client.get(f"/initiatieven/{ini.public_id}/bewerken"))
    assert re.search(r'<option selected value="nl">|<option value="nl" selected>', page)
    edit = {**FORM, "name": "Moestuin", "text_language": "ar"}
    assert client.post(f"/initiatieven/{ini.public_id}/bewerken", data=edit).status_code == 302
    assert _language(make, Initiative, Initiative.public_id, ini.public_id) == "ar"
    assert '<h1 lang="ar" dir="rtl">Moestuin</h1>' in visible(client.get(f"/initiatieven/{ini.public_id}"))


def test_a_need_and_an_activity_carry_their_own_language(make, login, anon, tr):
    organiser = make.user("organiser")
    ini = h.initiative(make, organiser)
    client = login(organiser.email, lang="pl")
    answer = client.post(f"/initiatieven/{ini.public_id}/behoeften/nieuw", data={
        "kind": "volunteers", "title": "Pomoc w ogrodzie", "description": "Szukamy dwóch osób do pracy w ogrodzie.",
        "how_many": "2", "frequency": "once", "text_language": "pl"})
    assert answer.status_code == 302
    day = (date.today() + timedelta(days=5)).isoformat()
    answer = client.post(f"/initiatieven/{ini.public_id}/activiteiten/nieuw", data={
        "title": "Спільний обід", "description": "Готуємо і їмо разом.", "wijk": "WK039218", "day": day,
        "start": "18:00", "end": "20:00", "text_language": "uk"})
    assert answer.status_code == 302
    assert make.run(lambda: db.session.execute(select(InitiativeNeed.text_language)).scalar_one()) == "pl"
    assert make.run(lambda: db.session.execute(select(Activity.text_language)).scalar_one()) == "uk"

    dutch = visible(anon("nl").get(f"/initiatieven/{ini.public_id}"))
    assert '<h3 lang="pl" dir="ltr">Pomoc w ogrodzie</h3>' in dutch
    assert '<p class="description" lang="pl" dir="ltr">Szukamy' in dutch
    assert '<span lang="uk" dir="ltr">Спільний обід</span>' in dutch
    assert tr("nl", "Written in %(language)s", language="Pools") in dutch
    assert tr("nl", "Written in %(language)s", language="Oekraïens") in dutch
    assert 'lang="pl" dir="ltr">Pomoc w ogrodzie</a>' in visible(anon("nl").get("/initiatieven/hulp-gezocht"))


def test_an_unknown_language_is_refused_and_the_text_kept(make, login):
    organiser = make.user("organiser")
    ini = h.initiative(make, organiser)
    page = login(organiser.email).post(f"/initiatieven/{ini.public_id}/behoeften/nieuw", data={
        "kind": "volunteers", "title": "Tuinieren op zaterdag", "how_many": "2", "frequency": "once",
        "text_language": "xx"})
    assert page.status_code == 200
    assert "Tuinieren op zaterdag" in visible(page)
    assert make.run(lambda: db.session.execute(select(InitiativeNeed)).first()) is None
