"""Backing (steunen) once per person, its public count, the staff overview per stadsdeel and wijk, and the
support staff record for reports. Only staff see or record those."""

from __future__ import annotations

import re
import threading

import pytest
from sqlalchemy import select

from tests.conftest import html_lang, visible
from tests.webapp import initiative_helpers as h
from webapp.accounts.models import User
from webapp.core.extensions import db
from webapp.initiatives.models import Backing, Initiative, InitiativeSupport
from webapp.initiatives.services import back

LANGS = ["nl", "en"]


@pytest.mark.parametrize("lang", LANGS)
def test_a_resident_backs_an_initiative_once_and_the_count_is_public(make, login, anon, tr, lang):
    organiser = make.user("organiser")
    ini = h.initiative(make, organiser)
    url = f"/initiatieven/{ini.public_id}"
    fan = make.user("resident", locale=lang)
    client = login(fan.email, lang=lang)
    assert client.post(f"{url}/steunen").status_code == 302
    assert client.post(f"{url}/steunen").status_code == 302  # a second click is harmless
    assert make.count(Backing) == 1
    assert tr(lang, "You back this initiative. Thank you!") in visible(client.get(url))
    login(make.user("volunteer").email).post(f"{url}/steunen")
    page = anon(lang).get(url)
    assert html_lang(page) == lang
    backers = tr(lang, "%(num)d neighbour backs this initiative.", "%(num)d neighbours back this initiative.", num=2)
    assert backers in visible(page)
    assert anon(lang).post(f"{url}/steunen").status_code == 302  # to the log-in page
    assert make.count(Backing) == 2


def test_two_backings_at_the_same_moment_count_once(app, make):
    organiser = make.user("organiser")
    ini = h.initiative(make, organiser)
    fan = make.user("resident")
    barrier = threading.Barrier(2)
    results = []

    def click():
        with app.app_context():
            user = db.session.get(User, fan.id)
            row = db.session.get(Initiative, ini.id)
            barrier.wait()
            results.append(back(user, row))
            db.session.commit()
            db.session.remove()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False, True]
    assert make.count(Backing) == 1


def test_only_staff_see_the_backing_overview(make, login, anon, tr):
    organiser = make.user("organiser")
    east = h.initiative(make, organiser, name="Schalkwijk Samen", wijken=("WK039218",))
    h.initiative(make, organiser, name="Oude Stad Feest", wijken=("WK039201",))
    for _ in range(3):
        login(make.user("resident").email).post(f"/initiatieven/{east.public_id}/steunen")
    assert anon("nl").get("/initiatieven/steun-overzicht").status_code == 302  # log in first
    for person in (organiser, make.user("volunteer"), make.user("resident")):
        assert login(person.email).get("/initiatieven/steun-overzicht").status_code == 403
    page = login(make.user("staff").email, lang="en").get("/initiatieven/steun-overzicht")
    assert page.status_code == 200
    text = visible(page)
    assert tr("en", "Backing per district and wijk") in text and "Schalkwijk" in text
    # Three backers: a count small enough to point at people shows as "<5", as in the reports.
    row = re.search(r"Europawijk</th><td>(\d+)</td><td>([^<]+)</td><td>([^<]+)</td>", page.get_data(as_text=True))
    assert row is not None and row.groups() == ("1", "&lt;5", "&lt;5")


def test_the_backing_overview_hides_small_counts_and_what_would_give_them_away(make, login):
    """Seven backers live in Europawijk and three in Molenwijk (both in Schalkwijk): the three show as "<5"; with
    the stadsdeel's total of ten shown, Europawijk's seven would give the three away, so it is hidden ("x")."""
    organiser = make.user("organiser")
    east = h.initiative(make, organiser, name="Schalkwijk Samen", wijken=("WK039218",))
    for n in range(10):
        fan = make.user("resident", wijk_code="WK039218" if n < 7 else "WK039220")
        login(fan.email).post(f"/initiatieven/{east.public_id}/steunen")
    html = login(make.user("staff").email, lang="en").get("/initiatieven/steun-overzicht").get_data(as_text=True)
    cells = dict(re.findall(r'(\w+)</th><td>\d+</td><td>[^<]+</td><td>([^<]+)</td>', html))
    assert cells["Europawijk"] == "x" and cells["Molenwijk"] == "&lt;5"
    assert re.search(r"Schalkwijk</th><td>\d+</td><td>10</td><td>10</td>", html)
    assert "Numbers below 5" in html


def test_only_staff_record_support(make, login, tr):
    organiser = make.user("organiser")
    ini = h.initiative(make, organiser)
    url = f"/initiatieven/{ini.public_id}/ondersteuning"
    grant = {"kind": "grant", "given_on": "2026-05-01", "amount": "750", "description": "Buurtbudget"}
    for person in (organiser, make.user("volunteer")):
        client = login(person.email)
        assert client.get(url).status_code == 403
        assert client.post(url, data=grant).status_code == 403
    assert make.count(InitiativeSupport) == 0

    staff = login(make.user("staff").email, lang="en")
    page = staff.post(url, data={"kind": "advice", "given_on": "2026-05-01"})
    assert page.status_code == 200 and tr("en", "Fill in how many hours of advice.") in visible(page)
    assert staff.post(url, data=grant).status_code == 302
    assert staff.post(url, data={"kind": "advice", "given_on": "2026-05-02", "hours": "1,5",
                                 "description": "Subsidieaanvraag"}).status_code == 302
    assert staff.post(url, data={"kind": "space", "given_on": "2026-05-03",
                                 "description": "Zaal in buurthuis De Ring"}).status_code == 302
    rows = make.run(lambda: [(s.kind, s.amount, s.hours) for s in db.session.execute(
        select(InitiativeSupport).order_by(InitiativeSupport.id)).scalars()])
    assert rows == [("grant", 750, None), ("advice", None, 1.5), ("space", None, None)]
    text = visible(staff.get(url))
    assert "Buurtbudget" in text and "€750" in text
    # The public page does not show staff support.
    assert "Buurtbudget" not in visible(login(organiser.email).get(f"/initiatieven/{ini.public_id}"))



