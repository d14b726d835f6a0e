"""Following an initiative's news, taking backing back, my initiatives, and a staff grant that answers a money need
(its progress follows the grant)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.conftest import visible
from tests.webapp import initiative_helpers as h
from tests.webapp.auth_helpers import clock, limits  # noqa: F401 (fixtures)
from webapp.core.extensions import db
from webapp.initiatives.models import Backing, InitiativeFollower, InitiativeNeed, InitiativeUpdate
from webapp.notifications.models import Notification

LANGS = ["nl", "en"]


def told(make, kind):
    return make.run(lambda: sorted(n.user_id for n in db.session.execute(
        select(Notification).where(Notification.kind == kind)).scalars()))


@pytest.mark.parametrize("lang", LANGS)
def test_backers_follow_the_news_and_can_take_their_backing_back(make, login, tr, lang):
    organiser = make.user("organiser")
    ini = h.initiative(make, organiser, name="Moestuin Schalkwijk")
    url = f"/initiatieven/{ini.public_id}"
    backer, follower = make.user("resident", locale=lang), make.user("volunteer", locale=lang)
    login(backer.email).post(f"{url}/steunen")
    login(follower.email).post(f"{url}/volgen")
    assert make.count(InitiativeFollower) == 2
    org = login(organiser.email, lang=lang)
    page = org.post(f"{url}/nieuws", data={"body": "De eerste tomaten zijn rijp! Kom zaterdag proeven."})
    assert page.status_code == 302
    assert told(make, "initiative_update") == sorted([backer.id, follower.id])
    text = visible(login(backer.email, lang=lang).get(url))
    assert "De eerste tomaten zijn rijp!" in text
    assert tr(lang, "News from %(name)s: %(message)s", name="Moestuin Schalkwijk",
              message="De eerste tomaten zijn rijp! Kom zaterdag proeven.") in visible(
        login(follower.email, lang=lang).get("/berichten/"))
    # Taking backing back lowers the count; stopping to follow ends the news.
    client = login(backer.email, lang=lang)
    client.post(f"{url}/steun-intrekken")
    assert make.count(Backing) == 0
    assert tr(lang, "%(num)d neighbour backs this initiative.", "%(num)d neighbours back this initiative.",
              num=0) in visible(client.get(url))
    client.post(f"{url}/ontvolgen")
    org.post(f"{url}/nieuws", data={"body": "Zaterdag is er weer koffie in de tuin."})
    assert told(make, "initiative_update").count(backer.id) == 1


def test_news_is_public_so_it_refuses_contact_details_and_only_organisers_post(make, login):
    organiser = make.user("organiser")
    ini = h.initiative(make, organiser)
    url = f"/initiatieven/{ini.public_id}/nieuws"
    for stranger in (make.user("organiser"), make.user("volunteer")):
        assert login(stranger.email).post(url, data={"body": "Gratis spullen, bel mij op 06-12345678"}
                                          ).status_code == 403
    page = login(organiser.email, lang="en").post(url, data={"body": "Bel mij gerust op 06-12345678 voor info."})
    assert page.status_code == 400 and "leave out phone numbers" in visible(page)
    assert "Bel mij gerust op 06-12345678 voor info." in visible(page)  # kept as typed
    assert make.count(InitiativeUpdate) == 0


def test_an_initiative_not_confirmed_yet_cannot_be_followed_or_post_news(make, login):
    organiser = make.user("organiser")
    waiting = h.initiative(make, organiser, confirmed=False)
    assert login(make.user("volunteer").email).post(f"/initiatieven/{waiting.public_id}/volgen").status_code == 404
    login(organiser.email).post(f"/initiatieven/{waiting.public_id}/nieuws", data={"body": "Nieuws dat niemand leest."})
    assert make.count(InitiativeFollower) == 0 and make.count(InitiativeUpdate) == 0


def test_news_is_rate_limited(make, login, clock, app, monkeypatch):  # noqa: F811
    limits(app, monkeypatch, initiative_news="1 per day")
    organiser = make.user("organiser")
    ini = h.initiative(make, organiser)
    org = login(organiser.email)
    assert org.post(f"/initiatieven/{ini.public_id}/nieuws", data={"body": "Eerste nieuws van vandaag."}
                    ).status_code == 302
    assert org.post(f"/initiatieven/{ini.public_id}/nieuws", data={"body": "Tweede nieuws van vandaag."}
                    ).status_code == 429
    assert make.count(InitiativeUpdate) == 1


def test_my_initiatives_lists_what_i_organise_follow_back_and_signed_up_for(make, login, tr):
    organiser = make.user("organiser", "volunteer")
    mine = h.initiative(make, organiser, name="Eigen Repair Café")
    other_org = make.user("organiser")
    followed = h.initiative(make, other_org, name="Wandelgroep Zuid")
    backed = h.initiative(make, other_org, name="Buurtfeest Noord")
    need = h.need(make, other_org, backed, title="Tafels sjouwen")
    client = login(organiser.email, lang="en")
    client.post(f"/initiatieven/{followed.public_id}/volgen")
    client.post(f"/initiatieven/{backed.public_id}/steunen")
    client.post(f"/initiatieven/{backed.public_id}/behoeften/{need.public_id}/aanmelden", data={"message": ""})
    text = visible(client.get("/mijn/initiatieven"))
    for name in ("Eigen Repair Café", "Wandelgroep Zuid", "Buurtfeest Noord", "Tafels sjouwen"):
        assert name in text
    assert mine.public_id in client.get("/mijn/initiatieven").get_data(as_text=True)


def test_a_staff_grant_answers_a_money_need_and_its_progress_follows(make, login):
    organiser = make.user("organiser")
    ini = h.initiative(make, organiser)
    need = h.need(make, organiser, ini, kind="money", title="Gereedschap", amount=500, purpose="Schoppen")
    other = h.initiative(make, make.user("organiser"), name="Ander initiatief")
    login(organiser.email).post(f"/initiatieven/{ini.public_id}/behoeften/{need.public_id}/voortgang",
                                data={"amount_received": "100"})
    staff = login(make.user("staff").email, lang="en")
    url = f"/initiatieven/{ini.public_id}/ondersteuning"
    assert need.public_id in staff.get(url).get_data(as_text=True)  # the need can be chosen
    grant = {"kind": "grant", "given_on": "2026-05-01", "amount": "400", "description": "Buurtbudget",
             "need": need.public_id}
    assert staff.post(url, data=grant).status_code == 302
    row = make.run(lambda: db.session.get(InitiativeNeed, need.id))
    assert (row.amount_received, row.amount_granted, row.status) == (100, 400, "filled")
    # A need of another initiative cannot be named (the choice list is this initiative's money needs).
    page = staff.post(f"/initiatieven/{other.public_id}/ondersteuning", data=grant)
    assert page.status_code == 200
    assert make.run(lambda: db.session.get(InitiativeNeed, need.id).amount_granted) == 400
    assert "€500 of €500 received" in visible(login(organiser.email, lang="en").get(f"/initiatieven/{ini.public_id}"))
