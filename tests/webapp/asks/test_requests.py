"""The request flow through the test client, in Dutch and English: post, list, edit while open, cancel,
respond, accept, done, thanks with hours, and expiry."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tests.conftest import html_lang, is_checked, page_text, visible
from tests.factories import wijk
from webapp.asks.models import HelpRequest, Match, Response
from webapp.core.extensions import db
from webapp.core.ids import utcnow
from webapp.notifications.models import Notification

LANGS = ["nl", "en"]


def request_form(**overrides):
    data = {
        "title": "Boodschappen op woensdag",
        "description": "Ik zoek iemand die op woensdag mijn boodschappen wil doen bij de Dekamarkt.",
        "category": "groceries",
        "postcode": "2012 AB",
        "on_date": (date.today() + timedelta(days=3)).isoformat(),
        "slots": ["wed-morning", "wed-afternoon"],
        "languages": ["nl", "tr"],
        "frequency": "recurring",
    }
    data.update(overrides)
    return data


def stored_request(public_id):
    row = db.session.execute(select(HelpRequest).where(HelpRequest.public_id == public_id)).scalar_one_or_none()
    if row is None:
        return None
    return {
        "title": row.title, "description": row.description, "category": row.category_key, "wijk": row.wijk.code,
        "on_date": row.on_date, "slots": row.slots, "languages": row.languages, "is_recurring": row.is_recurring,
        "needs_screening": row.needs_screening, "status": row.status, "requester_id": row.requester_id,
        "closed_at": row.closed_at,
        "responses": {r.public_id: r.status for r in row.responses},
        "match": None if row.match is None else {
            "volunteer_id": row.match.volunteer_id, "done_at": row.match.done_at, "hours": row.match.hours,
            "requester_thanks": row.match.requester_thanks, "volunteer_thanks": row.match.volunteer_thanks},
    }


def notifications_of(user_id):
    return [(n.kind, n.params.get("title")) for n in db.session.execute(
        select(Notification).where(Notification.user_id == user_id).order_by(Notification.id)).scalars()]


def all_request_ids():
    return set(db.session.execute(select(HelpRequest.public_id)).scalars())


@pytest.mark.parametrize("lang", LANGS)
def test_resident_posts_a_request_and_sees_it_online(make, login, tr, lang):
    resident = make.user("resident", locale=lang)
    client = login(resident.email)

    form = client.get("/vragen/nieuw")
    assert form.status_code == 200 and html_lang(form) == lang
    assert 'value="2034 AB"' in page_text(form)  # the postcode from the account
    assert is_checked(form, "languages", lang)  # the page language is ticked
    assert not is_checked(form, "languages", "tr")

    before = make.run(all_request_ids)
    response = client.post("/vragen/nieuw", data=request_form())
    assert response.status_code == 302
    (new_id,) = make.run(all_request_ids) - before
    assert response.headers["Location"].endswith(f"/vragen/{new_id}")

    stored = make.run(stored_request, new_id)
    assert stored["title"] == "Boodschappen op woensdag"
    assert stored["category"] == "groceries" and stored["wijk"] == "WK039202"
    assert stored["on_date"] == date.today() + timedelta(days=3)
    assert stored["slots"] == ["wed-morning", "wed-afternoon"]
    assert stored["languages"] == ["nl", "tr"]
    assert stored["is_recurring"] and not stored["needs_screening"]
    assert stored["status"] == "open" and stored["requester_id"] == resident.id

    page = client.get(f"/vragen/{new_id}")
    assert page.status_code == 200 and html_lang(page) == lang
    text = visible(page)
    assert tr(lang, "Your request is online. We will let you know when a neighbour responds.") in text
    assert "Boodschappen op woensdag" in text and "Haarlemmerhoutkwartier" in text

    for url in ("/vragen/", "/"):
        assert "Boodschappen op woensdag" in visible(client.get(url))


def test_request_in_a_sensitive_category_always_needs_a_screened_volunteer(make, login):
    resident = make.user("resident")
    client = login(resident.email)
    before = make.run(all_request_ids)
    client.post("/vragen/nieuw", data=request_form(category="paperwork", title="Hulp met de belastingaangifte"))
    client.post("/vragen/nieuw", data=request_form(category="garden", title="Tuin", needs_screening="y"))
    client.post("/vragen/nieuw", data=request_form(category="garden", title="Heg snoeien"))
    stored = {s["title"]: s["needs_screening"] for s in
              (make.run(stored_request, i) for i in make.run(all_request_ids) - before)}
    assert stored == {"Hulp met de belastingaangifte": True, "Tuin": True, "Heg snoeien": False}


@pytest.mark.parametrize("lang", LANGS)
def test_owner_edits_an_open_request(make, login, tr, lang):
    resident = make.user("resident", locale=lang)
    help_request = make.request(resident, title="Hulp bij boodschappen")
    client = login(resident.email)

    form = client.get(f"/vragen/{help_request.public_id}/bewerken")
    assert form.status_code == 200 and html_lang(form) == lang
    page = page_text(form)
    assert 'value="Hulp bij boodschappen"' in page
    assert re.search(r'<option[^>]*selected[^>]*value="groceries"|<option[^>]*value="groceries"[^>]*selected', page)
    assert is_checked(form, "slots", "wed-morning")

    response = client.post(f"/vragen/{help_request.public_id}/bewerken",
                           data=request_form(title="Boodschappen en apotheek", category="transport",
                                             postcode="2034AB", wijk="WK039220", frequency="once"))
    assert response.status_code == 302
    stored = make.run(stored_request, help_request.public_id)
    assert stored["title"] == "Boodschappen en apotheek"
    assert stored["category"] == "transport" and stored["wijk"] == "WK039220"
    assert not stored["is_recurring"] and stored["status"] == "open"
    assert tr(lang, "Your request is saved.") in visible(client.get(f"/vragen/{help_request.public_id}"))


def test_request_cannot_be_edited_once_a_helper_is_chosen(make, login, tr):
    resident = make.user("resident", locale="en")
    volunteer = make.user("volunteer")
    help_request = make.matched(resident, volunteer, title="Hulp bij boodschappen")
    client = login(resident.email)

    response = client.get(f"/vragen/{help_request.public_id}/bewerken")
    assert response.status_code == 302
    client.post(f"/vragen/{help_request.public_id}/bewerken", data=request_form(title="Iets heel anders"))
    assert make.run(stored_request, help_request.public_id)["title"] == "Hulp bij boodschappen"
    assert "This request is no longer open, so it cannot be changed." in visible(
        client.get(f"/vragen/{help_request.public_id}"))


@pytest.mark.parametrize("lang", LANGS)
def test_owner_cancels_and_responders_are_told(make, login, anon, tr, lang):
    resident = make.user("resident", locale=lang)
    volunteer = make.user("volunteer", locale=lang)
    help_request = make.request(resident, title="Hond uitlaten")
    make.respond(help_request, volunteer)
    client = login(resident.email)

    response = client.post(f"/vragen/{help_request.public_id}/annuleren")
    assert response.status_code == 302
    stored = make.run(stored_request, help_request.public_id)
    assert stored["status"] == "cancelled" and stored["closed_at"] is not None
    page = client.get(f"/vragen/{help_request.public_id}")
    assert page.status_code == 200 and tr(lang, "Your request is cancelled.") in visible(page)
    assert ("request_cancelled", "Hond uitlaten") in make.run(notifications_of, volunteer.id)

    assert "Hond uitlaten" not in visible(anon(lang).get("/vragen/"))
    assert anon(lang).get(f"/vragen/{help_request.public_id}").status_code == 404

    again = client.post(f"/vragen/{help_request.public_id}/annuleren")
    assert again.status_code == 302
    assert tr(lang, "This request is no longer open.") in visible(client.get(f"/vragen/{help_request.public_id}"))


@pytest.mark.parametrize("lang", LANGS)
def test_volunteer_responds_once_and_the_owner_sees_the_message(make, login, tr, lang):
    resident = make.user("resident", locale=lang)
    volunteer = make.user("volunteer", first_name="Karim", locale=lang)
    help_request = make.request(resident)
    client = login(volunteer.email)

    page = client.get(f"/vragen/{help_request.public_id}")
    assert page.status_code == 200 and html_lang(page) == lang
    assert f'action="/vragen/{help_request.public_id}/reageren"' in page.get_data(as_text=True)

    response = client.post(f"/vragen/{help_request.public_id}/reageren", data={"message": "Ik kan woensdag om 10 uur."})
    assert response.status_code == 302
    page = visible(client.get(f"/vragen/{help_request.public_id}"))
    assert tr(lang, "Your response is sent. You will hear when the neighbour chooses.") in page
    assert "Ik kan woensdag om 10 uur." in page

    client.post(f"/vragen/{help_request.public_id}/reageren", data={"message": "Nog een keer"})
    assert tr(lang, "You have already responded to this request.") in visible(
        client.get(f"/vragen/{help_request.public_id}"))
    assert len(make.run(stored_request, help_request.public_id)["responses"]) == 1

    owner_page = visible(login(resident.email).get(f"/vragen/{help_request.public_id}"))
    assert "Karim" in owner_page and "Ik kan woensdag om 10 uur." in owner_page


@pytest.mark.parametrize("lang", LANGS)
def test_owner_accepts_one_response_and_the_others_are_not_chosen(make, login, tr, lang):
    resident = make.user("resident", locale=lang)
    chosen = make.user("volunteer", first_name="Karim")
    other = make.user("volunteer", first_name="Lotte")
    help_request = make.request(resident, title="Lamp ophangen")
    chosen_id = make.respond(help_request, chosen)
    other_id = make.respond(help_request, other)
    client = login(resident.email)

    response = client.post(f"/vragen/{help_request.public_id}/kiezen/{chosen_id}")
    assert response.status_code == 302
    stored = make.run(stored_request, help_request.public_id)
    assert stored["status"] == "matched" and stored["closed_at"] is not None
    assert stored["responses"] == {chosen_id: "accepted", other_id: "not_chosen"}
    assert stored["match"]["volunteer_id"] == chosen.id
    page = client.get(f"/vragen/{help_request.public_id}")
    assert html_lang(page) == lang
    assert tr(lang, "You have chosen a helper. You can now see each other's contact details.") in visible(page)
    assert ("accepted", "Lamp ophangen") in make.run(notifications_of, chosen.id)
    assert ("not_chosen", "Lamp ophangen") in make.run(notifications_of, other.id)

    # Choosing again (the other one) changes nothing.
    client.post(f"/vragen/{help_request.public_id}/kiezen/{other_id}")
    assert make.run(stored_request, help_request.public_id)["responses"] == {chosen_id: "accepted",
                                                                            other_id: "not_chosen"}
    assert make.count(Match, Match.request_id == help_request.id) == 1


@pytest.mark.parametrize("lang", LANGS)
def test_done_then_thanks_with_hours_from_both_sides(make, login, tr, lang):
    resident = make.user("resident", locale=lang)
    volunteer = make.user("volunteer", locale=lang)
    help_request = make.matched(resident, volunteer, title="Gordijnen ophangen")
    rid = help_request.public_id
    volunteer_client = login(volunteer.email)
    resident_client = login(resident.email)

    assert volunteer_client.post(f"/vragen/{rid}/klaar").status_code == 302
    stored = make.run(stored_request, rid)
    assert stored["status"] == "done" and stored["match"]["done_at"] is not None
    assert ("done", "Gordijnen ophangen") in make.run(notifications_of, resident.id)
    page = visible(volunteer_client.get(f"/vragen/{rid}"))
    assert tr(lang, "Marked as done. Would you like to say thanks?") in page

    resident_client.post(f"/vragen/{rid}/klaar")
    assert tr(lang, "This help was already marked as done.") in visible(resident_client.get(f"/vragen/{rid}"))

    assert volunteer_client.post(f"/vragen/{rid}/bedanken",
                                 data={"message": "Graag gedaan, tot de volgende keer", "hours": "2.5"}
                                 ).status_code == 302
    assert resident_client.post(f"/vragen/{rid}/bedanken", data={"message": "Heel erg bedankt!"}).status_code == 302
    match = make.run(stored_request, rid)["match"]
    assert match["hours"] == 2.5
    assert match["volunteer_thanks"] == "Graag gedaan, tot de volgende keer"
    assert match["requester_thanks"] == "Heel erg bedankt!"
    assert ("thanks", "Gordijnen ophangen") in make.run(notifications_of, resident.id)
    assert ("thanks", "Gordijnen ophangen") in make.run(notifications_of, volunteer.id)

    resident_page = resident_client.get(f"/vragen/{rid}")
    assert resident_page.status_code == 200 and html_lang(resident_page) == lang
    text = visible(resident_page)
    assert "Graag gedaan, tot de volgende keer" in text
    assert ("2,5" if lang == "nl" else "2.5") in text
    assert "Heel erg bedankt!" in visible(volunteer_client.get(f"/vragen/{rid}"))


def test_thanks_before_the_help_is_done_is_refused(make, login):
    resident = make.user("resident")
    volunteer = make.user("volunteer")
    help_request = make.matched(resident, volunteer)
    response = login(volunteer.email).post(f"/vragen/{help_request.public_id}/bedanken",
                                           data={"message": "Te vroeg", "hours": "1"})
    assert response.status_code == 403
    assert make.run(stored_request, help_request.public_id)["match"]["hours"] is None


@pytest.mark.parametrize("lang", LANGS)
def test_expired_request_is_closed_by_the_daily_command(app, make, login, anon, lang):
    resident = make.user("resident", locale=lang)
    old = make.request(resident, title="Verlopen vraag")
    fresh = make.request(resident, title="Nieuwe vraag")
    make.set_request(old, expires_at=utcnow() - timedelta(minutes=1))

    result = app.test_cli_runner().invoke(args=["asks", "expire"])
    assert result.exit_code == 0, result.output
    assert "Expired 1 request(s)." in result.output
    stored = make.run(stored_request, old.public_id)
    assert stored["status"] == "expired" and stored["closed_at"] is not None
    assert make.run(stored_request, fresh.public_id)["status"] == "open"

    listing = visible(anon(lang).get("/vragen/"))
    assert "Verlopen vraag" not in listing and "Nieuwe vraag" in listing
    assert anon(lang).get(f"/vragen/{old.public_id}").status_code == 404
    owner = login(resident.email)
    page = owner.get(f"/vragen/{old.public_id}")
    assert page.status_code == 200 and 'status-expired' in page.get_data(as_text=True)
    assert owner.get(f"/vragen/{old.public_id}/bewerken").status_code == 302

    again = app.test_cli_runner().invoke(args=["asks", "expire"])
    assert "Expired 0 request(s)." in again.output


def test_request_past_its_expiry_is_hidden_even_before_the_command_runs(make, anon):
    resident = make.user("resident")
    old = make.request(resident, title="Bijna verlopen")
    make.set_request(old, expires_at=utcnow() - timedelta(seconds=1))
    assert "Bijna verlopen" not in visible(anon("en").get("/vragen/"))
    assert anon("en").get(f"/vragen/{old.public_id}").status_code == 404


def test_list_filters_by_category_stadsdeel_wijk_and_day(make, anon):
    europa = make.user("resident", wijk_code="WK039218")  # Schalkwijk
    centre = make.user("resident", wijk_code="WK039201")  # Centrum
    make.request(europa, title="Boodschappen Europawijk")
    make.request(europa, title="Tuin Europawijk", category_key="garden",
                 on_date=date.today() + timedelta(days=2))
    make.request(centre, title="Tuin Oude Stad", category_key="garden",
                 on_date=date.today() + timedelta(days=30))
    schalkwijk_id = make.run(lambda: wijk("WK039218").stadsdeel_id)
    client = anon("en")

    def titles(**args):
        page = visible(client.get("/vragen/", query_string=args))
        return {t for t in ("Boodschappen Europawijk", "Tuin Europawijk", "Tuin Oude Stad") if t in page}

    assert titles() == {"Boodschappen Europawijk", "Tuin Europawijk", "Tuin Oude Stad"}
    assert titles(category="garden") == {"Tuin Europawijk", "Tuin Oude Stad"}
    assert titles(stadsdeel=schalkwijk_id) == {"Boodschappen Europawijk", "Tuin Europawijk"}
    assert titles(wijk="WK039201") == {"Tuin Oude Stad"}
    assert titles(when="this_week") == {"Tuin Europawijk"}
    assert titles(when="flexible") == {"Boodschappen Europawijk"}
    assert titles(category="garden", wijk="WK039218") == {"Tuin Europawijk"}
    assert "3 requests found" in visible(client.get("/vragen/"))


def test_list_pages_through_many_requests(app, make, anon):
    resident = make.user("resident")
    size = app.config["PAGE_SIZE"]
    for n in range(size + 1):
        make.request(resident, title=f"Vraag nummer {n:03d}")
    client = anon("en")
    first = visible(client.get("/vragen/"))
    second = visible(client.get("/vragen/?page=2"))
    assert first.count("Vraag nummer") == size
    assert second.count("Vraag nummer") == 1
    assert "Vraag nummer 000" in second  # oldest last
    assert 'rel="next"' in client.get("/vragen/").get_data(as_text=True)


def test_response_rows_are_kept_when_the_request_is_matched(make):
    """The not-chosen responses stay (for the volunteer's own overview), with their new status."""
    resident = make.user("resident")
    a, b = make.user("volunteer"), make.user("volunteer")
    help_request = make.request(resident)
    first = make.respond(help_request, a)
    make.respond(help_request, b)
    make.accept(help_request, first)
    assert make.count(Response, Response.request_id == help_request.id) == 2


def test_hours_with_a_decimal_comma_are_accepted(make, login):
    from webapp.asks.models import Match
    from webapp.core.extensions import db

    resident = make.user("resident")
    volunteer = make.user("volunteer")
    help_request = make.request(resident)
    rid = help_request.public_id
    vclient = login(volunteer.email)
    vclient.post(f"/vragen/{rid}/reageren", data={"message": "Ik help graag"})
    (response_id,) = make.response_ids(help_request)
    login(resident.email).post(f"/vragen/{rid}/kiezen/{response_id}")
    vclient.post(f"/vragen/{rid}/klaar")
    assert vclient.post(f"/vragen/{rid}/bedanken", data={"message": "", "hours": "1,5"}).status_code == 302
    assert make.run(lambda: db.session.query(Match).one().hours) == 1.5


def test_a_postcode_in_two_wijken_offers_the_choice_on_the_empty_form(make, login):
    """2034 AB lies in more than one wijk: the new-request form shows the wijk choice at once, with the person's own
    wijk chosen, so sending it unchanged goes through instead of coming back asking for the wijk."""
    resident = make.user("resident", wijk_code="WK039218")
    own = make.run(lambda: wijk("WK039218").public_key)
    client = login(resident.email)
    html = page_text(client.get("/vragen/nieuw"))
    select = re.search(r'<select[^>]*name="wijk".*?</select>', html, re.S)
    assert select, "no wijk choice on the form"
    chosen = re.findall(r'<option[^>]*value="([^"]+)"[^>]*selected|<option[^>]*selected[^>]*value="([^"]+)"',
                        select.group(0))
    assert [a or b for a, b in chosen] == [own]
