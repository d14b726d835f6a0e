"""The rescue queue a consulent works from (issue #16): phone numbers (staff only, each view logged once), invite
more than the top three (each volunteer once), widen to the stadsdeel (never past screening), extend from the state
seen, snooze, notes kept as a history; requests that expired unanswered stay on a phone list until handled."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from tests.conftest import visible
from webapp.accounts.models import VolunteerProfile
from webapp.asks.models import HelpRequest
from webapp.asks.services import expire_requests
from webapp.core.audit import AuditEntry
from webapp.core.extensions import db
from webapp.core.ids import utcnow
from webapp.notifications.models import Notification
from webapp.staff.rescue_models import RescueNote
from webapp.suggestions.models import Invitation

MOLENWIJK = "WK039220"  # Schalkwijk, like the factory's Europawijk, about 1.5 km from it
OUDE_STAD = "WK039201"  # Centrum: another stadsdeel


def waiting_request(make, resident, title="Hulp bij de boodschappen", days=5, **values):
    help_request = make.request(resident, title=title, **values)
    make.set_request(help_request, created_at=utcnow() - timedelta(days=days, hours=1))
    return help_request


def set_reach(user_id, km):
    db.session.get(VolunteerProfile, user_id).max_distance_km = km
    db.session.commit()


def expires_at(request_id):
    return db.session.get(HelpRequest, request_id).expires_at


def views_of(make, person):
    return make.count(AuditEntry, AuditEntry.action == "view_person", AuditEntry.target_ref == person.public_id)


def test_staff_see_phone_numbers_of_resident_and_volunteers_and_each_view_is_logged_once(make, login):
    resident = make.user("resident", first_name="Greet", phone="023 555 0199")
    waiting_request(make, resident)
    volunteer = make.user("volunteer", first_name="Mohamed", phone="06-98765432")
    client = login(make.user("staff").email, lang="en")
    for _ in range(2):
        page = client.get("/werkruimte/onbeantwoord")
        assert page.status_code == 200
    assert 'href="tel:0235550199"' in page.text and "023 555 0199" in page.text
    assert 'href="tel:06-98765432"' in page.text
    assert views_of(make, resident) == 1 and views_of(make, volunteer) == 1
    for role in ("volunteer", "resident"):
        refused = login(make.user(role).email).get("/werkruimte/onbeantwoord")
        assert refused.status_code == 403 and "06-98765432" not in refused.text


def test_invite_more_pages_beyond_the_top_three_and_invites_each_volunteer_once(make, login, tr):
    help_request = waiting_request(make, make.user("resident"))
    volunteers = [make.user("volunteer", first_name=f"Helper{n}") for n in range(5)]
    client = login(make.user("staff").email, lang="en")
    queue = visible(client.get("/werkruimte/onbeantwoord"))
    shown = [v for v in volunteers if f"Helper{v.first_name[-1]}" in queue]
    assert len(shown) == 3
    more = client.get(f"/werkruimte/onbeantwoord/{help_request.public_id}/vrijwilligers")
    assert more.status_code == 200 and all(v.first_name in visible(more) for v in volunteers)
    extra = next(v for v in volunteers if v not in shown)
    url = f"/werkruimte/onbeantwoord/{help_request.public_id}/uitnodigen/{extra.public_id}?from=more"
    first = client.post(url, follow_redirects=True)
    assert tr("en", "The volunteer is invited and gets a message.") in visible(first)
    again = client.post(url, follow_redirects=True)
    assert tr("en", "This volunteer was invited already.") in visible(again)
    assert make.count(Invitation, Invitation.volunteer_id == extra.id) == 1
    assert make.count(Notification, Notification.user_id == extra.id, Notification.kind == "invited") == 1
    listed = client.get(f"/werkruimte/onbeantwoord/{help_request.public_id}/vrijwilligers")
    assert tr("en", "Invited") in visible(listed)
    # Each volunteer shown with a phone number is logged, once.
    assert views_of(make, extra) == 1


def test_widening_reaches_the_whole_stadsdeel_only_and_leaves_the_resident_alone(make, login, tr):
    resident = make.user("resident")
    help_request = waiting_request(make, resident)
    near_in_district = make.user("volunteer", first_name="Molenaar", wijk_code=MOLENWIJK)
    other_district = make.user("volunteer", first_name="Stadsmens", wijk_code=OUDE_STAD)
    for person in (near_in_district, other_district):
        make.run(set_reach, person.id, 0.5)  # too far for the engine's distance rule
    client = login(make.user("staff").email, lang="en")
    invite = f"/werkruimte/onbeantwoord/{help_request.public_id}/uitnodigen/"
    assert "Molenaar" not in visible(client.get("/werkruimte/onbeantwoord"))
    assert client.post(invite + near_in_district.public_id).status_code == 403

    response = client.post(f"/werkruimte/onbeantwoord/{help_request.public_id}/verbreden", follow_redirects=True)
    assert response.status_code == 200 and "Molenaar" in visible(response) and "Stadsmens" not in visible(response)
    assert make.count(AuditEntry, AuditEntry.action == "widen_request",
                      AuditEntry.target_ref == help_request.public_id) == 1
    assert make.count(Notification, Notification.user_id == resident.id) == 0
    again = client.post(f"/werkruimte/onbeantwoord/{help_request.public_id}/verbreden", follow_redirects=True)
    assert tr("en", "This request was widened to the whole stadsdeel already.") in visible(again)
    assert make.count(AuditEntry, AuditEntry.action == "widen_request") == 1
    assert client.post(invite + other_district.public_id).status_code == 403
    assert client.post(invite + near_in_district.public_id).status_code == 302
    assert make.count(Invitation, Invitation.volunteer_id == near_in_district.id) == 1


def test_widening_never_passes_screening(make, login):
    """A request that needs a VOG, widened: volunteers of the stadsdeel without a valid VOG are never suggested or
    invited (webapp.accounts.safeguarding)."""
    help_request = waiting_request(make, make.user("resident"), needs_screening=True)
    unscreened = make.user("volunteer", first_name="Zondervog", wijk_code=MOLENWIJK, screened=False)
    screened = make.user("volunteer", first_name="Metvog", wijk_code=MOLENWIJK, screened=True)
    for person in (unscreened, screened):
        make.run(set_reach, person.id, 0.5)
    client = login(make.user("staff").email)
    client.post(f"/werkruimte/onbeantwoord/{help_request.public_id}/verbreden")
    page = visible(client.get("/werkruimte/onbeantwoord"))
    more = visible(client.get(f"/werkruimte/onbeantwoord/{help_request.public_id}/vrijwilligers"))
    assert "Metvog" in page and "Metvog" in more
    assert "Zondervog" not in page and "Zondervog" not in more
    invite = f"/werkruimte/onbeantwoord/{help_request.public_id}/uitnodigen/"
    assert client.post(invite + unscreened.public_id).status_code == 403
    assert make.count(Notification, Notification.user_id == unscreened.id) == 0


def test_extend_pushes_the_end_date_from_the_state_seen_only(make, login, tr):
    help_request = waiting_request(make, make.user("resident"))
    before = make.run(expires_at, help_request.id)
    client = login(make.user("staff").email, lang="en")
    url = f"/werkruimte/onbeantwoord/{help_request.public_id}/verlengen"
    assert client.post(url, data={"seen": before.isoformat()}).status_code == 302
    assert make.run(expires_at, help_request.id) == before + timedelta(days=14)
    # A second click from the same (old) page, or a colleague's tab: nothing changes.
    stale = client.post(url, data={"seen": before.isoformat()}, follow_redirects=True)
    assert tr("en", "This request changed since you opened the page (a colleague may have extended it). Look at it "
                    "again.") in visible(stale)
    assert make.run(expires_at, help_request.id) == before + timedelta(days=14)
    # Once more, from the new state: extended again.
    assert client.post(url, data={"seen": (before + timedelta(days=14)).isoformat()}).status_code == 302
    assert make.run(expires_at, help_request.id) == before + timedelta(days=28)
    assert make.count(AuditEntry, AuditEntry.action == "extend_request") == 2
    assert login(make.user("volunteer").email).post(url, data={"seen": ""}).status_code == 403
    assert make.run(expires_at, help_request.id) == before + timedelta(days=28)


def test_notes_are_a_history_never_overwritten(make, login, tr):
    help_request = waiting_request(make, make.user("resident"))
    client = login(make.user("staff", first_name="Sanne").email, lang="en")
    url = f"/werkruimte/onbeantwoord/{help_request.public_id}/notitie"
    field = f"n-{help_request.public_id}-text"
    assert client.post(url, data={field: "Gebeld met Mohamed: kan niet."}).status_code == 302
    assert client.post(url, data={field: "Buurthuis gevraagd."}).status_code == 302
    page = visible(client.get("/werkruimte/onbeantwoord"))
    assert "Gebeld met Mohamed: kan niet." in page and "Buurthuis gevraagd." in page and "Sanne" in page
    assert make.count(RescueNote, RescueNote.kind == "note") == 2
    assert make.count(AuditEntry, AuditEntry.action == "rescue_note") == 2
    too_long = "Een hele lange notitie. " * 50
    refused = client.post(url, data={field: too_long})
    assert refused.status_code == 400 and too_long.strip() in refused.text  # kept, with a message
    empty = client.post(url, data={field: "  "})
    assert empty.status_code == 400 and tr("en", "Write a short note.") in visible(empty)
    assert make.count(RescueNote, RescueNote.kind == "note") == 2


def test_a_snoozed_request_leaves_the_queue_and_comes_back_on_its_day(make, login, tr):
    help_request = waiting_request(make, make.user("resident"), title="Even laten rusten")
    client = login(make.user("staff").email, lang="en")
    url = f"/werkruimte/onbeantwoord/{help_request.public_id}/uitstellen"
    field = f"s-{help_request.public_id}-until"
    today = date.today()
    refused = client.post(url, data={field: today.isoformat()})
    assert refused.status_code == 400 and tr("en", "Choose a day after today.") in visible(refused)
    assert client.post(url, data={field: (today + timedelta(days=3)).isoformat()}).status_code == 302
    assert "Even laten rusten" not in visible(client.get("/werkruimte/onbeantwoord"))
    assert make.count(AuditEntry, AuditEntry.action == "snooze_request") == 1

    def its_day_came():
        from webapp.staff.rescue_models import RescueState
        db.session.execute(select(RescueState)).scalar_one().snoozed_until = today
        db.session.commit()

    make.run(its_day_came)
    assert "Even laten rusten" in visible(client.get("/werkruimte/onbeantwoord"))


def test_an_expired_unanswered_request_stays_on_the_phone_list_until_the_call_is_recorded(make, login, tr):
    resident = make.user("resident", first_name="Greet", phone="023-5550101")
    help_request = make.request(resident, title="Hulp bij de tuin")
    make.set_request(help_request, expires_at=utcnow() - timedelta(hours=1))
    make.run(lambda: (expire_requests(), db.session.commit()))  # the nightly job
    client = login(make.user("staff").email, lang="en")
    page = client.get("/werkruimte/verlopen")
    assert "Hulp bij de tuin" in visible(page) and 'href="tel:023-5550101"' in page.text
    url = f"/werkruimte/verlopen/{help_request.public_id}/uitkomst"
    prefix = f"o-{help_request.public_id}-"
    bad = client.post(url, data={prefix + "outcome": "gone"})
    assert bad.status_code == 400
    assert client.post(url, data={prefix + "outcome": "no_answer", prefix + "text": "Voicemail"}).status_code == 302
    page = visible(client.get("/werkruimte/verlopen"))
    assert "Hulp bij de tuin" in page and "Voicemail" in page  # no answer: phone again
    assert client.post(url, data={prefix + "outcome": "called"}).status_code == 302
    assert "Hulp bij de tuin" not in visible(client.get("/werkruimte/verlopen"))
    assert make.count(AuditEntry, AuditEntry.action == "rescue_outcome",
                      AuditEntry.target_ref == help_request.public_id) == 2
    # Handled: a second outcome (a colleague's old tab) changes nothing.
    late = client.post(url, data={prefix + "outcome": "reposted"}, follow_redirects=True)
    assert tr("en", "This request is no longer on the list: a colleague handled it already.") in visible(late)
    assert make.fetch(HelpRequest, help_request.id, "status").status == "expired"
    assert login(make.user("volunteer").email).post(url, data={prefix + "outcome": "called"}).status_code == 403


def test_reposting_puts_the_same_request_online_again(make, login):
    help_request = make.request(make.user("resident"), title="Nog steeds nodig")
    make.set_request(help_request, status="expired", closed_at=utcnow() - timedelta(days=1))
    client = login(make.user("staff").email)
    prefix = f"o-{help_request.public_id}-"
    response = client.post(f"/werkruimte/verlopen/{help_request.public_id}/uitkomst",
                           data={prefix + "outcome": "reposted"})
    assert response.status_code == 302
    row = make.fetch(HelpRequest, help_request.id, "status", "expires_at")
    assert row.status == "open" and row.expires_at > utcnow() + timedelta(days=13)
    assert "Nog steeds nodig" not in visible(client.get("/werkruimte/verlopen"))
    assert "Nog steeds nodig" in visible(client.get("/vragen/"))
