"""Moderation: automatic checks hold texts with personal data, links, abuse, spam or near-duplicates; held items
are not public; staff approve or reject with a reason the poster reads in their language; reports hold an item
after enough people reported it; blocked people cannot log in."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.conftest import visible
from tests.webapp.race_helpers import form_fields
from webapp.accounts.models import User, VolunteerProfile
from webapp.asks.models import HelpRequest
from webapp.core.audit import AuditEntry
from webapp.core.extensions import db
from webapp.core.moderation import bsn_valid, check_text, recheck
from webapp.notifications.models import Notification
from webapp.offers.models import Offer
from webapp.staff.models import Report

# -- the checks themselves ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "flag"), [
    ("Bel me op 06-12345678", "phone"),
    ("bel 0612345678 na zessen", "phone"),
    ("+31 6 12345678", "phone"),
    ("+31 (0)6-1234 5678", "phone"),
    ("0031 6 1234 5678", "phone"),
    ("vast nummer 023-5123456", "phone"),
    ("(023) 512 34 56", "phone"),
    ("mail naar jan.jansen@example.nl", "email"),
    ("jan (at) voorbeeld.nl", "email"),
    ("Ik woon op de Kerkstraat 12", "address"),
    ("Grote Markt 2 in Haarlem", "address"),
    ("Rijksstraatweg 100-2", "address"),
    ("Zijlweg 34a", "address"),
    ("mijn rekening NL91ABNA0417164300", "iban"),
    ("NL91 ABNA 0417 1643 00", "iban"),
    ("mijn bsn is 111222333", "bsn"),
    ("BSN 123.456.782", "bsn"),
    ("kijk op www.example.com", "link"),
    ("https://example.org/aanbieding", "link"),
    ("je bent een klootzak", "abuse"),
    ("What the fuck", "abuse"),
    ("Verdien snel geld met bitcoin", "spam"),
    ("Click here for cheap viagra", "spam"),
])
def test_the_checks_find_what_must_not_be_public(text, flag):
    assert flag in check_text(text)


@pytest.mark.parametrize("text", [
    "Hulp bij boodschappen op woensdag, 3 keer per week",
    "Ik ben 81 en loop met een rollator. Afspraak op 01-02-2026 om 10.00 uur.",
    "Twintig tafels van het buurthuis naar het plein, 20 tafels in totaal",
    "Samen wandelen in het Reinaldapark, 2 keer per week",
    "Mijn moeder heeft kanker en ik zoek gezelschap voor haar",
    "De huur is 123456789 euro per jaar zei de verhuurder",  # nine digits that fail the eleven-test
    "Help with my new phone, I am 74 and live in Schalkwijk",
    "Wie helpt met de aanbiedingen van de week bij de Albert Heijn?",
    "Boodschappen voor mevrouw ab12cdef\nMevrouw kan niet goed lopen",  # looks like an IBAN across a line break
    "Code ab12\tcdefghijk lmnop",
])
def test_ordinary_requests_pass(text):
    assert check_text(text) == []


def test_the_eleven_test():
    assert bsn_valid("111222333") and bsn_valid("123456782")
    assert not bsn_valid("123456789") and not bsn_valid("000000000") and not bsn_valid("12345678")


def test_near_duplicates_of_the_same_persons_open_items():
    others = ["Hulp bij boodschappen op woensdag\nIk zoek iemand voor de boodschappen"]
    assert check_text("Hulp bij de boodschappen op woensdag", others=others) == ["duplicate"]
    assert check_text("Lamp ophangen in de woonkamer", others=["Hulp bij boodschappen op woensdag"]) == []


def test_a_reported_hold_stays_until_staff_decide_and_a_rejection_stays():
    assert recheck("Nette tekst", others=(), current="held", previous_flags=["reported"]) == ("held", ["reported"])
    assert recheck("Nette tekst", others=(), current="held", previous_flags=["phone"]) == ("ok", [])
    assert recheck("Nette tekst", others=(), current="rejected", previous_flags=None) == ("rejected", [])


# -- requests through the site ------------------------------------------------------------------------------------

REQUEST = {"title": "Hulp met de computer", "category": "digital", "postcode": "2034 AB", "wijk": "WK039218",
           "languages": ["nl"],
           "frequency": "once"}


def moderation_of(model, public_id):
    row = db.session.execute(select(model).where(model.public_id == public_id)).scalar_one()
    return row.moderation, row.moderation_flags


def decide(staff, kind, public_id, verb, **data):
    """A staff member decides from the queue page, as a browser sends it (with the item's state at page load)."""
    action = f"/werkruimte/moderatie/{kind}/{public_id}/{verb}"
    fields = form_fields(staff.get("/werkruimte/moderatie").get_data(as_text=True), action)
    return staff.post(action, data={**fields, **data})


def post(client, **fields):
    response = client.post("/vragen/nieuw", data={**REQUEST, **fields})
    assert response.status_code == 302, response.get_data(as_text=True)[:400]
    return response.headers["Location"].rsplit("/", 1)[-1]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_request_with_a_phone_number_is_held_with_a_hint(make, login, anon, tr, lang):
    owner = make.user("resident", locale=lang)
    client = login(owner.email, lang=lang)
    public_id = post(client, description="Mijn laptop doet raar. Bel me op 06-12345678 als je kunt helpen.")
    assert make.run(moderation_of, HelpRequest, public_id) == ("held", ["phone"])

    page = visible(client.get(f"/vragen/{public_id}"))
    assert tr(lang, "Not public yet.") in page
    assert tr(lang, "Remove the phone number. You share it only with the helper you choose.") in page

    assert anon(lang).get(f"/vragen/{public_id}").status_code == 404
    volunteer = login(make.user("volunteer", screened=True).email)
    assert volunteer.get(f"/vragen/{public_id}").status_code == 404
    assert "Hulp met de computer" not in visible(volunteer.get("/vragen/"))
    assert "Hulp met de computer" not in visible(volunteer.get("/aanbevolen/"))
    assert "Hulp met de computer" not in visible(anon(lang).get("/"))

    # The poster removes the number: the request goes online by itself.
    response = client.post(f"/vragen/{public_id}/bewerken",
                           data={**REQUEST, "description": "Mijn laptop doet raar. Wie kan helpen?"})
    assert response.status_code == 302
    assert make.run(moderation_of, HelpRequest, public_id) == ("ok", None)
    assert volunteer.get(f"/vragen/{public_id}").status_code == 200


def test_posting_the_same_request_twice_holds_the_second(make, login):
    client = login(make.user("resident").email)
    first = post(client, description="Mijn laptop doet raar en de printer werkt niet meer.")
    second = post(client, description="Mijn laptop doet raar en de printer werkt niet meer!")
    assert make.run(moderation_of, HelpRequest, first) == ("ok", None)
    assert make.run(moderation_of, HelpRequest, second) == ("held", ["duplicate"])


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_staff_reject_with_a_reason_the_poster_reads_in_their_language(make, login, tr, lang):
    owner = make.user("resident", locale=lang)
    owner_client = login(owner.email, lang=lang)
    public_id = post(owner_client, description="Koop nu goedkoop bitcoin via mijn site, verdien snel geld")
    staff = login(make.user("staff").email)
    queue = visible(staff.get("/werkruimte/moderatie"))
    assert "Hulp met de computer" in queue

    response = decide(staff, "request", public_id, "afwijzen", reason="spam", note="Dit is reclame.")
    assert response.status_code == 302
    assert make.run(moderation_of, HelpRequest, public_id)[0] == "rejected"
    messages = visible(owner_client.get("/berichten/"))
    assert tr(lang, "The text is advertising or spam.") in messages
    assert "Dit is reclame." in messages
    assert make.count(AuditEntry, AuditEntry.action == "reject", AuditEntry.target_ref == public_id) == 1
    assert "Hulp met de computer" not in visible(staff.get("/werkruimte/moderatie"))


def test_a_reject_without_a_known_reason_is_refused(make, login):
    client = login(make.user("resident").email)
    public_id = post(client, description="Kijk op www.example.com voor meer informatie over mij.")
    staff = login(make.user("staff").email)
    response = decide(staff, "request", public_id, "afwijzen", reason="bestaat-niet")
    assert response.status_code == 400
    assert make.run(moderation_of, HelpRequest, public_id)[0] == "held"
    # The mistake is listed at the top, linked to the field of this item, which points back to the message.
    html = response.get_data(as_text=True)
    assert f'<a href="#reason-{public_id}">' in html
    assert f'id="reason-{public_id}-error"' in html
    assert re.search(rf'<select[^>]*aria-describedby="reason-{public_id}-error"[^>]*id="reason-{public_id}"', html) or \
        re.search(rf'<select[^>]*id="reason-{public_id}"[^>]*aria-describedby="reason-{public_id}-error"', html)


def test_staff_approve_and_the_request_goes_public(make, login, anon):
    owner = make.user("resident")
    client = login(owner.email)
    public_id = post(client, description="Kijk op www.haarlem.nl/afvalkalender, ik snap die niet.")
    staff = login(make.user("staff").email)
    assert decide(staff, "request", public_id, "goedkeuren").status_code == 302
    assert make.run(moderation_of, HelpRequest, public_id) == ("ok", None)
    assert anon("nl").get(f"/vragen/{public_id}").status_code == 200
    assert make.count(Notification, Notification.user_id == owner.id, Notification.kind == "moderation_approved") == 1
    assert make.count(AuditEntry, AuditEntry.action == "approve") == 1


def test_a_decision_from_a_queue_page_opened_before_a_colleague_decided_is_refused(make, login, tr, anon):
    """A colleague rejected the request (it holds a phone number); an approval from an older tab must not publish
    it, and the poster hears one decision only."""
    owner = make.user("resident", locale="en")
    public_id = post(login(owner.email), description="Bel mij op 06-12345678 voor de boodschappen.")
    old_tab, colleague = login(make.user("staff").email, lang="en"), login(make.user("staff").email)
    action = f"/werkruimte/moderatie/request/{public_id}/goedkeuren"
    fields = form_fields(old_tab.get("/werkruimte/moderatie").get_data(as_text=True), action)
    assert decide(colleague, "request", public_id, "afwijzen", reason="personal_data").status_code == 302

    late = old_tab.post(action, data=fields, follow_redirects=True)
    assert late.status_code == 200
    assert tr("en", "Someone else already decided this: it is now rejected.") in visible(late)
    assert make.run(moderation_of, HelpRequest, public_id)[0] == "rejected"
    assert anon("en").get(f"/vragen/{public_id}").status_code == 404
    assert make.count(AuditEntry, AuditEntry.target_ref == public_id) == 1
    assert [n for n in make.run(lambda: [n.kind for n in db.session.execute(
        select(Notification).where(Notification.user_id == owner.id)).scalars()]) if n.startswith("moderation")] == [
        "moderation_rejected"]


def test_a_decision_on_a_text_that_changed_since_the_page_was_drawn_is_refused(make, login, tr):
    """The poster changed the held text while the queue was open: the approval was for the old text."""
    owner = make.user("resident")
    client = login(owner.email)
    public_id = post(client, description="Kijk op www.haarlem.nl/afvalkalender, ik snap die niet.")
    staff = login(make.user("staff").email, lang="en")
    action = f"/werkruimte/moderatie/request/{public_id}/goedkeuren"
    fields = form_fields(staff.get("/werkruimte/moderatie").get_data(as_text=True), action)
    edited = client.post(f"/vragen/{public_id}/bewerken",
                         data={**REQUEST, "description": "Kijk op www.haarlem.nl en bel 06-12345678."})
    assert edited.status_code == 302
    assert make.run(moderation_of, HelpRequest, public_id)[0] == "held"

    late = staff.post(action, data=fields, follow_redirects=True)
    assert tr("en", "This item changed since you opened the page. Read it again before you decide.") in visible(late)
    assert make.run(moderation_of, HelpRequest, public_id)[0] == "held"
    assert make.count(AuditEntry, AuditEntry.target_ref == public_id) == 0
    assert make.count(Notification, Notification.user_id == owner.id, Notification.kind == "moderation_approved") == 0
    # Without the state at page load (an old form) nothing is decided either.
    assert staff.post(action, data={}).status_code == 302
    assert make.run(moderation_of, HelpRequest, public_id)[0] == "held"


def test_a_long_queue_is_paged_oldest_first_and_a_decision_returns_to_its_page(make, login, tr):
    """Thousands of held items must not make one page of thousands: the queue shows 20 at a time."""
    owner = make.user("resident")
    volunteer = make.user("volunteer")
    held = [make.request(owner, title=f"Tuinhulp {n:02d}", description=f"Bel 06-123456{n:02d} voor de tuin.")
            for n in range(41)]
    offer = make.offer(volunteer, description="Mail mij op hulp@example.org voor een afspraak.")
    staff = login(make.user("staff").email, lang="en")
    first, third = visible(staff.get("/werkruimte/moderatie")), visible(staff.get("/werkruimte/moderatie?page=3"))
    assert tr("en", "%(num)d item waits for a decision.", "%(num)d items wait for a decision.", num=42) in first
    assert sum(f"Tuinhulp {n:02d}" in first for n in range(41)) == 20 and "Tuinhulp 00" in first
    assert "Tuinhulp 40" in third and "Tuinhulp 39" not in third and offer.title in third  # the offer came last
    assert tr("en", "Page %(page)d of %(pages)d", page=3, pages=3) in third

    action = f"/werkruimte/moderatie/request/{held[25].public_id}/goedkeuren?page=2"
    fields = form_fields(staff.get("/werkruimte/moderatie?page=2").get_data(as_text=True), action)
    answer = staff.post(action, data=fields)
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/werkruimte/moderatie?page=2")
    assert make.run(moderation_of, HelpRequest, held[25].public_id)[0] == "ok"


# -- reports ------------------------------------------------------------------------------------------------------

def test_three_different_reporters_hide_a_request_until_staff_decide(make, login, anon):
    help_request = make.request(make.user("resident"))
    reporters = [login(make.age(make.user("volunteer")).email) for _ in range(3)]  # established accounts
    for client in reporters[:2]:
        response = client.post(f"/melden/vraag/{help_request.public_id}", data={"reason": "unsafe"})
        assert response.status_code == 302
    # The same person twice counts once.
    reporters[0].post(f"/melden/vraag/{help_request.public_id}", data={"reason": "spam"})
    assert anon("nl").get(f"/vragen/{help_request.public_id}").status_code == 200
    reporters[2].post(f"/melden/vraag/{help_request.public_id}", data={"reason": "offensive", "details": "Raar"})
    assert make.run(moderation_of, HelpRequest, help_request.public_id) == ("held", ["reported"])
    assert anon("nl").get(f"/vragen/{help_request.public_id}").status_code == 404

    staff = login(make.user("staff").email)
    assert "Raar" in visible(staff.get("/werkruimte/moderatie"))
    decide(staff, "request", help_request.public_id, "goedkeuren")
    assert anon("nl").get(f"/vragen/{help_request.public_id}").status_code == 200
    assert make.count(Report, Report.resolved_at.is_(None)) == 0


def test_the_threshold_is_configurable(app, make, login, anon, monkeypatch):
    monkeypatch.setitem(app.config, "MODERATION_REPORT_THRESHOLD", 1)
    help_request = make.request(make.user("resident"))
    login(make.age(make.user("volunteer")).email).post(f"/melden/vraag/{help_request.public_id}",
                                                       data={"reason": "spam"})
    assert anon("nl").get(f"/vragen/{help_request.public_id}").status_code == 404


def test_a_report_form_explains_a_missing_reason(make, login, tr):
    help_request = make.request(make.user("resident"))
    client = login(make.user("volunteer", locale="en").email, lang="en")
    assert client.get(f"/melden/vraag/{help_request.public_id}").status_code == 200
    response = client.post(f"/melden/vraag/{help_request.public_id}", data={"details": "Iets"})
    assert response.status_code == 400
    assert tr("en", "Choose what is wrong.") in visible(response)
    assert "Iets" in visible(response)


def test_reports_need_a_login_and_a_visible_target(make, login, anon):
    help_request = make.request(make.user("resident"), category_key="paperwork")
    assert anon("nl").post(f"/melden/vraag/{help_request.public_id}", data={"reason": "spam"}).status_code == 302
    unscreened = login(make.user("volunteer", screened=False).email)
    assert unscreened.post(f"/melden/vraag/{help_request.public_id}", data={"reason": "spam"}).status_code == 404
    assert unscreened.get("/melden/iets/abc").status_code == 404
    assert make.count(Report) == 0


def test_reporting_a_person_puts_them_on_the_staff_list(make, login):
    volunteer = make.user("volunteer", first_name="Gemeld")
    for _ in range(3):
        login(make.age(make.user("resident")).email).post(f"/melden/persoon/{volunteer.public_id}",
                                                          data={"reason": "unsafe", "details": "Vreemd gedrag"})
    page = visible(login(make.user("staff").email).get("/werkruimte/moderatie"))
    assert "Gemeld" in page and "Vreemd gedrag" in page

    def profile_moderation():
        return db.session.get(VolunteerProfile, volunteer.id).moderation

    assert make.run(profile_moderation) == "held"  # not suggested to anyone until staff decide


# -- offers and profiles ------------------------------------------------------------------------------------------

OFFER = {"title": "Ik help met de tuin", "category": "garden", "postcode": "2034 AB", "wijk": "WK039218",
         "languages": ["nl"]}


def test_an_offer_with_an_email_address_is_held(make, login, anon, tr):
    owner = make.user("volunteer")
    client = login(owner.email)
    response = client.post("/aanbod/nieuw", data={**OFFER, "description": "Mail me op tuin@example.org voor hulp."})
    assert response.status_code == 302
    public_id = response.headers["Location"].rsplit("/", 1)[-1]
    assert make.run(moderation_of, Offer, public_id) == ("held", ["email"])
    assert anon("nl").get(f"/aanbod/{public_id}").status_code == 404
    assert "Ik help met de tuin" not in visible(anon("nl").get("/aanbod/"))
    assert tr("nl", "Remove the e-mail address. You share it only with the helper you choose.") in \
        visible(client.get(f"/aanbod/{public_id}"))
    staff = login(make.user("staff").email)
    decide(staff, "offer", public_id, "goedkeuren")
    assert anon("nl").get(f"/aanbod/{public_id}").status_code == 200


def test_a_profile_with_a_phone_number_is_held_and_not_suggested(make, login):
    volunteer = make.user("volunteer")
    client = login(volunteer.email)
    response = client.post("/mijn/vrijwilligersprofiel", data={
        "skills": "boodschappen, computer", "languages": ["nl"], "postcode": "2034 AB", "wijk": "WK039218",
        "max_distance_km": "5",
        "bio": "Bel me gerust: 06-87654321"})
    assert response.status_code == 302

    def state():
        profile = db.session.get(VolunteerProfile, volunteer.id)
        return profile.moderation, profile.moderation_flags

    assert make.run(state) == ("held", ["phone"])
    owner = make.user("resident")
    help_request = make.request(owner)
    page = visible(login(owner.email).get(f"/vragen/{help_request.public_id}"))
    assert volunteer.first_name not in page


# -- blocking ------------------------------------------------------------------------------------------------------

def test_a_blocked_person_cannot_log_in_and_their_requests_disappear(make, login, app, anon):
    person = make.user("resident")
    help_request = make.request(person, title="Verzoek van geblokkeerde")
    session = login(person.email)
    staff = login(make.user("staff").email)
    response = staff.post(f"/werkruimte/personen/{person.public_id}/blokkeren", data={"reason": "Oplichting"})
    assert response.status_code == 302

    assert session.get("/mijn").status_code == 302  # the running session ended
    assert app.test_client().post("/inloggen", data={"email": person.email,
                                                     "password": "correct horse battery"}).status_code == 200
    assert anon("nl").get(f"/vragen/{help_request.public_id}").status_code == 404
    assert "Verzoek van geblokkeerde" not in visible(anon("nl").get("/vragen/"))

    staff.post(f"/werkruimte/personen/{person.public_id}/deblokkeren")
    assert login(person.email).get("/mijn").status_code == 200
    assert anon("nl").get(f"/vragen/{help_request.public_id}").status_code == 200
    actions = make.run(lambda: db.session.execute(select(AuditEntry.action).order_by(AuditEntry.id)).scalars().all())
    assert actions == ["block", "unblock"]


def test_a_block_needs_a_reason(make, login):
    person = make.user("resident")
    response = login(make.user("staff").email).post(f"/werkruimte/personen/{person.public_id}/blokkeren",
                                                    data={"reason": ""})
    assert response.status_code == 400

    def blocked():
        return db.session.get(User, person.id).is_blocked

    assert make.run(blocked) is False


def test_staff_cannot_block_an_admin_or_themselves(make, login):
    staff = make.user("staff")
    admin = make.user("staff", "admin")
    client = login(staff.email)
    for target in (staff, admin):
        assert client.post(f"/werkruimte/personen/{target.public_id}/blokkeren",
                           data={"reason": "test"}).status_code == 403


def test_a_held_question_from_an_offer_reaches_the_volunteer_only_after_approval(make, login):
    volunteer = make.user("volunteer")
    offer = make.offer(volunteer)
    resident = login(make.user("resident").email)
    response = resident.post(f"/aanbod/{offer.public_id}/vragen",
                             data={"message": "Kunt u helpen? Bel mij op 0612345678 alstublieft."})
    assert response.status_code == 302
    public_id = response.headers["Location"].rsplit("/", 1)[-1]
    helper = login(volunteer.email)
    assert helper.get(f"/vragen/{public_id}").status_code == 404
    assert make.count(Notification, Notification.user_id == volunteer.id, Notification.kind == "asked") == 0
    decide(login(make.user("staff").email), "request", public_id, "goedkeuren")
    assert helper.get(f"/vragen/{public_id}").status_code == 200
    assert make.count(Notification, Notification.user_id == volunteer.id, Notification.kind == "asked") == 1


def test_a_line_break_inside_something_like_an_iban_is_no_crash():
    """A title ending in letters and digits ("telefoon ab12cdef") followed by a new line once made a 500."""
    text = "Help with my new phone ab12cdef\nI have a new phone and want to learn video calls."
    assert "iban" not in check_text(text, others=())


# -- a rejected request can be fixed; staff can correct a held text ------------------------------------------------

def test_a_rejected_request_fixed_by_its_poster_goes_back_to_staff(make, login):
    owner = make.user("resident")
    client = login(owner.email)
    public_id = post(client, description="Mijn laptop doet raar. Bel me op 06-12345678 als je kunt helpen.")
    staff = login(make.user("staff").email)
    assert decide(staff, "request", public_id, "afwijzen", reason="personal_data").status_code == 302
    assert make.run(moderation_of, HelpRequest, public_id)[0] == "rejected"

    response = client.post(f"/vragen/{public_id}/bewerken",
                           data={**REQUEST, "description": "Mijn laptop doet raar. Wie kan helpen?"})
    assert response.status_code == 302
    # Not online by itself (staff rejected it once), but back in the queue for a staff member to look at again.
    assert make.run(moderation_of, HelpRequest, public_id) == ("held", ["resubmitted"])
    assert "Mijn laptop doet raar. Wie kan helpen?" in visible(staff.get("/werkruimte/moderatie"))
    assert decide(staff, "request", public_id, "goedkeuren").status_code == 302
    assert make.run(moderation_of, HelpRequest, public_id) == ("ok", None)


def test_posting_again_is_not_held_as_a_duplicate_of_ones_own_rejected_request(make, login):
    client = login(make.user("resident").email)
    first = post(client, description="Mijn laptop doet raar. Bel me op 06-12345678 als je kunt helpen.")
    staff = login(make.user("staff").email)
    assert decide(staff, "request", first, "afwijzen", reason="personal_data").status_code == 302
    second = post(client, description="Mijn laptop doet raar. Bel me als je kunt helpen.")
    assert make.run(moderation_of, HelpRequest, second) == ("ok", None)


def test_staff_strike_a_phone_number_from_a_held_text_and_approve_it(make, login):
    owner = make.user("resident")
    public_id = post(login(owner.email), description="Mijn laptop doet raar. Bel me op 06-12345678 als het kan.")
    staff_member = make.user("staff")
    staff = login(staff_member.email)
    response = decide(staff, "request", public_id, "corrigeren", title="Hulp met de computer",
                      description="Mijn laptop doet raar. Bel me als het kan.")
    assert response.status_code == 302
    assert make.run(moderation_of, HelpRequest, public_id) == ("ok", None)

    def stored():
        row = db.session.execute(select(HelpRequest).where(HelpRequest.public_id == public_id)).scalar_one()
        entry = db.session.execute(select(AuditEntry).where(AuditEntry.action == "approve",
                                                            AuditEntry.target_ref == public_id)).scalar_one()
        return row.description, entry.actor_id, entry.details

    description, actor, details = make.run(stored)
    assert description == "Mijn laptop doet raar. Bel me als het kan."
    assert actor == staff_member.id and details["corrected"] == ["description"]
    assert "06-12345678" not in str(details)  # the log says what changed, never the personal data struck out


def test_a_correction_that_still_has_a_phone_number_is_refused(make, login, tr):
    public_id = post(login(make.user("resident").email), description="Bel me op 06-12345678 als je kunt helpen.")
    staff = login(make.user("staff").email, lang="en")
    response = decide(staff, "request", public_id, "corrigeren", title="Hulp met de computer",
                      description="Bel me op 06 1234 5678 als je kunt helpen.")
    assert response.status_code == 400
    assert make.run(moderation_of, HelpRequest, public_id)[0] == "held"
    assert "06 1234 5678" in response.get_data(as_text=True)  # what was typed stays
