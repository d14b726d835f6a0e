"""Offers through the test client, in Dutch and English: post an offer, a resident asks, the volunteer says yes."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.conftest import html_lang, visible
from webapp.asks.models import HelpRequest
from webapp.core.extensions import db
from webapp.notifications.models import Notification
from webapp.offers.models import Offer

LANGS = ["nl", "en"]


def offer_form(**overrides):
    data = {
        "title": "Ik help met de computer",
        "description": "Op zaterdagochtend help ik met de computer, tablet of telefoon.",
        "category": "digital",
        "postcode": "2012 AB",
        "slots": ["sat-morning"],
        "languages": ["nl", "en"],
    }
    data.update(overrides)
    return data


def offer_ids():
    return set(db.session.execute(select(Offer.public_id)).scalars())


def stored_offer(public_id):
    row = db.session.execute(select(Offer).where(Offer.public_id == public_id)).scalar_one()
    return {"title": row.title, "category": row.category_key, "wijk": row.wijk.code, "slots": row.slots,
            "languages": row.languages, "status": row.status, "volunteer_id": row.volunteer_id}


def asked_request(offer_public_id):
    row = db.session.execute(
        select(HelpRequest).join(Offer, Offer.id == HelpRequest.offer_id).where(Offer.public_id == offer_public_id)
    ).scalar_one_or_none()
    if row is None:
        return None
    return {"public_id": row.public_id, "status": row.status, "description": row.description, "title": row.title,
            "requester_id": row.requester_id,
            "match_volunteer_id": row.match.volunteer_id if row.match else None}


def kinds(user_id):
    return [n.kind for n in db.session.execute(
        select(Notification).where(Notification.user_id == user_id).order_by(Notification.id)).scalars()]


@pytest.mark.parametrize("lang", LANGS)
def test_volunteer_posts_an_offer_and_it_is_listed(make, login, anon, tr, lang):
    volunteer = make.user("volunteer", locale=lang)
    client = login(volunteer.email)
    form = client.get("/aanbod/nieuw")
    assert form.status_code == 200 and html_lang(form) == lang

    before = make.run(offer_ids)
    response = client.post("/aanbod/nieuw", data=offer_form())
    assert response.status_code == 302
    (new_id,) = make.run(offer_ids) - before
    assert response.headers["Location"].endswith(f"/aanbod/{new_id}")
    stored = make.run(stored_offer, new_id)
    assert stored == {"title": "Ik help met de computer", "category": "digital", "wijk": "WK039202",
                      "slots": ["sat-morning"], "languages": ["en", "nl"], "status": "open",
                      "volunteer_id": volunteer.id}
    assert tr(lang, "Your offer is online.") in visible(client.get(f"/aanbod/{new_id}"))

    listing = anon(lang).get("/aanbod/")
    assert listing.status_code == 200 and html_lang(listing) == lang
    assert "Ik help met de computer" in visible(listing)
    assert "Ik help met de computer" not in visible(anon(lang).get("/aanbod/?category=garden"))


@pytest.mark.parametrize("lang", LANGS)
def test_resident_asks_from_an_offer_and_the_volunteer_says_yes(make, login, anon, tr, lang):
    volunteer = make.user("volunteer", first_name="Karim", locale=lang, phone="06-70707070")
    resident = make.user("resident", first_name="Ans", locale=lang, phone="06-80808080")
    offer = make.offer(volunteer, title="Ik help met de computer")

    resident_client = login(resident.email)
    page = resident_client.get(f"/aanbod/{offer.public_id}")
    assert page.status_code == 200 and html_lang(page) == lang
    assert f'action="/aanbod/{offer.public_id}/vragen"' in page.get_data(as_text=True)

    response = resident_client.post(f"/aanbod/{offer.public_id}/vragen",
                                    data={"message": "Mijn tablet doet het niet meer, kunt u helpen?"})
    assert response.status_code == 302
    asked = make.run(asked_request, offer.public_id)
    assert asked["status"] == "open" and asked["requester_id"] == resident.id
    assert response.headers["Location"].endswith(f"/vragen/{asked['public_id']}")
    rid = asked["public_id"]
    assert tr(lang, "Your question is sent. You will hear when the volunteer says yes.") in visible(
        resident_client.get(f"/vragen/{rid}"))
    assert "asked" in make.run(kinds, volunteer.id)

    # A direct question is private: not listed, not open to others.
    assert "Mijn tablet" not in visible(anon(lang).get("/vragen/"))
    assert anon(lang).get(f"/vragen/{rid}").status_code == 404
    stranger = make.user("volunteer", screened=True)
    assert login(stranger.email).get(f"/vragen/{rid}").status_code == 404
    assert login(stranger.email).post(f"/vragen/{rid}/reageren", data={"message": "Ik ook"}).status_code == 404

    volunteer_client = login(volunteer.email)
    dashboard = visible(volunteer_client.get("/mijn"))
    assert "Ik help met de computer" in dashboard
    page = volunteer_client.get(f"/vragen/{rid}")
    assert page.status_code == 200
    assert f'action="/vragen/{rid}/ja"' in page.get_data(as_text=True)
    assert "06-80808080" not in visible(page)  # not before saying yes

    assert volunteer_client.post(f"/vragen/{rid}/ja").status_code == 302
    asked = make.run(asked_request, offer.public_id)
    assert asked["status"] == "matched" and asked["match_volunteer_id"] == volunteer.id
    page = visible(volunteer_client.get(f"/vragen/{rid}"))
    assert tr(lang, "Thank you! You can now see each other's contact details.") in page
    assert "06-80808080" in page and resident.email in page
    assert "ask_agreed" in make.run(kinds, resident.id)
    resident_page = visible(resident_client.get(f"/vragen/{rid}"))
    assert "06-70707070" in resident_page and volunteer.email in resident_page

    # Saying yes twice does not make a second match.
    volunteer_client.post(f"/vragen/{rid}/ja")
    assert tr(lang, "This request is no longer open.") in visible(volunteer_client.get(f"/vragen/{rid}"))


def test_only_the_volunteer_behind_the_offer_can_say_yes(make, login):
    volunteer = make.user("volunteer")
    resident = make.user("resident")
    offer = make.offer(volunteer)
    login(resident.email).post(f"/aanbod/{offer.public_id}/vragen",
                               data={"message": "Kunt u mij helpen met de tablet?"})
    rid = make.run(asked_request, offer.public_id)["public_id"]

    assert login(resident.email).post(f"/vragen/{rid}/ja").status_code == 403
    assert login(make.user("volunteer", screened=True).email).post(f"/vragen/{rid}/ja").status_code == 404
    assert make.run(asked_request, offer.public_id)["status"] == "open"


def test_volunteer_cannot_ask_their_own_offer(make, login):
    volunteer = make.user("volunteer")
    offer = make.offer(volunteer)
    response = login(volunteer.email).post(f"/aanbod/{offer.public_id}/vragen",
                                           data={"message": "Kan ik mezelf helpen, denk je?"})
    assert response.status_code == 403
    assert make.run(asked_request, offer.public_id) is None


@pytest.mark.parametrize("lang", LANGS)
def test_volunteer_closes_an_offer_and_nobody_can_ask_any_more(make, login, anon, tr, lang):
    volunteer = make.user("volunteer", locale=lang)
    resident = make.user("resident", locale=lang)
    offer = make.offer(volunteer, title="Fietsen repareren")
    client = login(volunteer.email)

    assert login(resident.email).post(f"/aanbod/{offer.public_id}/sluiten").status_code == 403
    assert make.run(stored_offer, offer.public_id)["status"] == "open"

    assert client.post(f"/aanbod/{offer.public_id}/sluiten").status_code == 302
    assert make.run(stored_offer, offer.public_id)["status"] == "closed"
    assert tr(lang, "Your offer is closed.") in visible(client.get("/mijn"))
    assert "Fietsen repareren" not in visible(anon(lang).get("/aanbod/"))
    page = anon(lang).get(f"/aanbod/{offer.public_id}")
    assert page.status_code == 200 and tr(lang, "This offer is closed.") in visible(page)

    response = login(resident.email).post(f"/aanbod/{offer.public_id}/vragen",
                                          data={"message": "Mijn fiets heeft een lekke band."})
    assert response.status_code == 403
    assert make.run(asked_request, offer.public_id) is None


def test_anonymous_visitor_must_log_in_to_ask(make, anon):
    offer = make.offer(make.user("volunteer"))
    client = anon("en")
    page = client.get(f"/aanbod/{offer.public_id}")
    assert "/inloggen?next=" in page.get_data(as_text=True)
    response = client.post(f"/aanbod/{offer.public_id}/vragen", data={"message": "Graag hulp met mijn laptop"})
    assert response.status_code == 302 and "/inloggen" in response.headers["Location"]
    assert make.run(asked_request, offer.public_id) is None


# -- issue #15: the question has the resident's own words as its title, and the volunteer can say no -----------------

def test_a_question_through_an_offer_takes_the_residents_words_as_its_title(make, login):
    volunteer, resident = make.user("volunteer"), make.user("resident")
    offer = make.offer(volunteer, title="Ik help met de computer")
    client = login(resident.email)
    message = "Mijn printer drukt niets meer af. Kunt u daar eens naar kijken, liefst deze week?"
    assert client.post(f"/aanbod/{offer.public_id}/vragen", data={"message": message}).status_code == 302
    asked = make.run(asked_request, offer.public_id)
    assert asked["title"] == "Mijn printer drukt niets meer af."
    assert asked["description"] == message  # nothing cut
    # The volunteer still sees which offer it was about.
    assert "Ik help met de computer" in visible(login(volunteer.email).get("/mijn"))


def test_a_long_first_sentence_becomes_a_short_title_and_the_whole_text_stays():
    from webapp.offers.services import TITLE_LENGTH, title_from

    long = "Ik " + "zoek iemand die mij wil helpen met heel veel dingen in en om het huis " * 3 + "alstublieft"
    title = title_from(long)
    assert len(title) <= TITLE_LENGTH and title.endswith("…") and not title.endswith(" …")
    assert title_from("Kunt u helpen?  Graag!") == "Kunt u helpen?"


@pytest.mark.parametrize("lang", LANGS)
def test_the_volunteer_can_say_no_to_a_question_and_the_resident_hears_it(make, login, tr, lang):
    volunteer, resident = make.user("volunteer", locale=lang), make.user("resident", locale=lang)
    offer = make.offer(volunteer)
    login(resident.email).post(f"/aanbod/{offer.public_id}/vragen",
                               data={"message": "Mijn tablet doet het niet meer, kunt u helpen?"})
    rid = make.run(asked_request, offer.public_id)["public_id"]
    client = login(volunteer.email)
    assert f'action="/vragen/{rid}/nee"' in client.get(f"/vragen/{rid}").get_data(as_text=True)
    assert client.post(f"/vragen/{rid}/nee").status_code == 302
    assert make.run(asked_request, offer.public_id)["status"] == "cancelled"
    assert "ask_closed" in make.run(kinds, resident.id)
    # Saying no twice, or yes after no, changes nothing.
    assert client.post(f"/vragen/{rid}/nee").status_code in (302, 404)
    client.post(f"/vragen/{rid}/ja")
    asked = make.run(asked_request, offer.public_id)
    assert asked["status"] == "cancelled" and asked["match_volunteer_id"] is None
    assert make.run(kinds, resident.id).count("ask_closed") == 1


def test_only_the_volunteer_behind_the_offer_can_say_no(make, login):
    volunteer, resident, other = make.user("volunteer"), make.user("resident"), make.user("volunteer")
    offer = make.offer(volunteer)
    asker = login(resident.email)
    asker.post(f"/aanbod/{offer.public_id}/vragen", data={"message": "Mijn tablet doet het niet meer, kunt u helpen?"})
    rid = make.run(asked_request, offer.public_id)["public_id"]
    assert login(other.email).post(f"/vragen/{rid}/nee").status_code in (403, 404)
    assert asker.post(f"/vragen/{rid}/nee").status_code == 403
    assert make.run(asked_request, offer.public_id)["status"] == "open"
