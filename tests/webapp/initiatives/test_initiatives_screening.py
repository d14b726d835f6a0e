"""The screening rule (webapp/accounts/safeguarding.py) on initiatives: a need or an activity that works with children
or people in a vulnerable position needs a certificate of conduct (VOG). The organiser marks it, and needs whose text
is about such work are marked automatically. Volunteers without a valid VOG cannot sign up, join, be confirmed,
suggested or invited; the organiser sees who has one."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from tests.conftest import page_text, visible
from tests.webapp import initiative_helpers as h
from webapp.accounts.models import User
from webapp.core.extensions import db
from webapp.initiatives.models import Activity, InitiativeNeed, NeedInvitation, NeedSignup
from webapp.notifications.models import Notification


def signups(make, need):
    return make.run(lambda: {s.volunteer_id: s.status for s in db.session.get(InitiativeNeed, need.id).signups})


def lapse(make, person) -> None:
    def run() -> None:
        db.session.get(User, person.id).volunteer_profile.screened_until = date.today() - timedelta(days=1)
        db.session.commit()
    make.run(run)


def needs_screening(make, need) -> bool:
    return make.run(lambda: db.session.get(InitiativeNeed, need.id).needs_screening)


def test_needs_about_children_are_marked_automatically_and_organisers_can_mark_any(make, login):
    organiser = make.user("organiser")
    ini = h.initiative(make, organiser, name="Huiswerkklas Meerwijk")
    by_text = h.need(make, organiser, ini, title="Huiswerkbegeleiders", skills="huiswerkbegeleiding, rekenen")
    by_choice = h.need(make, organiser, ini, title="Helpers op dinsdag", skills="", needs_screening=True)
    plain = h.need(make, organiser, ini, title="Tuinieren op zaterdag", skills="tuinieren")
    money = h.need(make, organiser, ini, kind="money", title="Geld voor schriften", amount=100, needs_screening=True)
    assert needs_screening(make, by_text) and needs_screening(make, by_choice)
    assert not needs_screening(make, plain) and not needs_screening(make, money)  # nobody helps a money need


def test_an_unscreened_volunteer_cannot_sign_up_for_a_childrens_homework_club(make, login, tr):
    organiser = make.user("organiser")
    ini = h.initiative(make, organiser, name="Huiswerkklas Meerwijk")
    need = h.need(make, organiser, ini, title="Huiswerkbegeleiders", skills="huiswerkbegeleiding, rekenen")
    volunteer = make.user("volunteer", locale="en")
    client = login(volunteer.email)
    url = f"/initiatieven/{ini.public_id}"

    page = client.get(url)
    assert f"/behoeften/{need.public_id}/aanmelden" not in page_text(page)
    assert tr("en", "This needs a certificate of conduct (VOG). Ask the volunteer centre how to get one.") \
        in visible(page)
    refused = client.post(f"{url}/behoeften/{need.public_id}/aanmelden",
                          data={"message": "Ik help graag met rekenen."})
    assert refused.status_code == 403
    assert tr("en", "This needs a certificate of conduct (VOG), and yours has not been checked (or it has "
                    "lapsed). Ask the volunteer centre how to get one.") in visible(refused)
    assert "Ik help graag met rekenen." in visible(refused)  # what they typed is still there
    assert signups(make, need) == {}

    screened = make.user("volunteer", screened=True, first_name="Gecheckt")
    assert login(screened.email).post(f"{url}/behoeften/{need.public_id}/aanmelden",
                                      data={"message": "Ik kan op maandag."}).status_code == 302
    organiser_page = visible(login(organiser.email, lang="en").get(url))
    assert "Gecheckt" in organiser_page and tr("en", "VOG checked") in organiser_page


def test_marking_a_need_closes_unscreened_sign_ups_and_their_contact_details(make, login, tr):
    organiser = make.user("organiser", phone="06-55554444", locale="en")
    ini = h.initiative(make, organiser, name="Huiswerkklas Meerwijk")
    need = h.need(make, organiser, ini, title="Helpers op dinsdag", skills="", how_many=3)
    confirmed, waiting = make.user("volunteer"), make.user("volunteer")
    screened = make.user("volunteer", screened=True)
    url = f"/initiatieven/{ini.public_id}"
    for person in (confirmed, waiting, screened):
        login(person.email).post(f"{url}/behoeften/{need.public_id}/aanmelden", data={"message": ""})
    first = make.run(lambda: db.session.execute(select(NeedSignup.public_id).where(
        NeedSignup.volunteer_id == confirmed.id)).scalar_one())
    org = login(organiser.email)
    org.post(f"{url}/behoeften/{need.public_id}/aanmeldingen/{first}/bevestigen", data={"seen": "pending"})
    assert "06-55554444" in page_text(login(confirmed.email).get(url))

    page = org.post(f"{url}/behoeften/{need.public_id}/bewerken", data={
        "kind": "volunteers", "title": "Helpers op dinsdag", "how_many": "3", "frequency": "once",
        "needs_screening": "y"}, follow_redirects=True)
    assert tr("en", "This now needs a certificate of conduct (VOG). We closed %(num)d sign-up of a volunteer "
                    "without one, with a kind message.",
              "This now needs a certificate of conduct (VOG). We closed %(num)d sign-ups of volunteers "
              "without one, with a kind message.", num=2) in visible(page)
    assert signups(make, need) == {confirmed.id: "needs_vog", waiting.id: "needs_vog", screened.id: "pending"}
    assert "06-55554444" not in page_text(login(confirmed.email).get(url))
    assert make.count(Notification, Notification.kind == "signup_closed_screening") == 2
    assert h.need_status(make, need) == "open"


def test_an_organiser_cannot_confirm_a_volunteer_whose_vog_lapsed(make, login, tr):
    organiser = make.user("organiser", phone="06-55554444", locale="en")
    ini = h.initiative(make, organiser)
    need = h.need(make, organiser, ini, title="Huiswerkbegeleiders", skills="huiswerkbegeleiding")
    volunteer = make.user("volunteer", screened=True, first_name="Verlopen")
    url = f"/initiatieven/{ini.public_id}"
    login(volunteer.email).post(f"{url}/behoeften/{need.public_id}/aanmelden", data={"message": ""})
    lapse(make, volunteer)
    org = login(organiser.email)
    text = visible(org.get(url))
    assert tr("en", "No valid VOG") in text
    [signup] = make.run(lambda: [s.public_id for s in db.session.get(InitiativeNeed, need.id).signups])
    done = org.post(f"{url}/behoeften/{need.public_id}/aanmeldingen/{signup}/bevestigen", data={"seen": "pending"},
                    follow_redirects=True)
    assert tr("en", "%(name)s has no valid certificate of conduct (VOG), which this needs. You cannot confirm "
                    "them now.", name="Verlopen") in visible(done)
    assert signups(make, need) == {volunteer.id: "pending"}
    assert "06-55554444" not in page_text(login(volunteer.email).get(url))


def test_organisers_are_never_suggested_or_able_to_invite_unscreened_volunteers_for_a_vog_need(make, login):
    organiser = make.user("organiser")
    ini = h.initiative(make, organiser)
    need = h.need(make, organiser, ini, title="Huiswerkbegeleiders voor groep 7", skills="huiswerkbegeleiding")
    unscreened = make.user("volunteer", first_name="Zonder", findable=True)
    screened = make.user("volunteer", first_name="Met", screened=True, findable=True)
    org = login(organiser.email)
    page = visible(org.get(f"/initiatieven/{ini.public_id}"))
    assert "Met" in page and "Zonder" not in page
    base = f"/aanbevolen/initiatief/{ini.public_id}/behoefte/{need.public_id}/uitnodigen"
    assert org.post(f"{base}/{unscreened.public_id}").status_code == 403
    assert make.count(NeedInvitation, NeedInvitation.volunteer_id == unscreened.id) == 0
    # Nor is the need suggested to the unscreened volunteer ("Aanbevolen voor jou").
    assert "Huiswerkbegeleiders voor groep 7" not in visible(login(unscreened.email).get("/aanbevolen/"))
    assert "Huiswerkbegeleiders voor groep 7" in visible(login(screened.email).get("/aanbevolen/"))


def test_an_activity_that_needs_a_vog_takes_screened_people_only(make, login, tr):
    organiser = make.user("organiser")
    ini = h.initiative(make, organiser)
    act = h.activity(make, organiser, ini, capacity=None, title="Voorleesmiddag")
    early = make.user("resident")
    url = f"/initiatieven/{ini.public_id}/activiteiten/{act.public_id}"
    assert login(early.email).post(f"{url}/aanmelden").status_code == 302

    org = login(organiser.email, lang="en")
    form = {"title": "Voorleesmiddag", "description": "We lezen voor aan kinderen.", "wijk": "WK039218",
            "place": "Bibliotheek", "day": (date.today() + timedelta(days=5)).isoformat(), "start": "14:00",
            "end": "16:00", "needs_screening": "y"}
    page = org.post(f"{url}/bewerken", data=form, follow_redirects=True)
    assert tr("en", "This activity now needs a certificate of conduct (VOG). We cancelled the place of %(num)d "
                    "person without one, with a kind message.",
              "This activity now needs a certificate of conduct (VOG). We cancelled the places of %(num)d "
              "people without one, with a kind message.", num=1) in visible(page)
    assert h.participants(make, act) == {early.id: "cancelled"}
    assert make.count(Notification, Notification.user_id == early.id,
                      Notification.kind == "activity_place_closed_screening") == 1

    late = make.user("volunteer", locale="en")
    late_client = login(late.email)
    page = page_text(late_client.get(f"/initiatieven/{ini.public_id}"))
    assert f"/activiteiten/{act.public_id}/aanmelden" not in page
    refused = late_client.post(f"{url}/aanmelden", follow_redirects=True)
    assert tr("en", "This activity needs a certificate of conduct (VOG), and yours has not been checked (or it has "
                    "lapsed). Ask the volunteer centre how to get one.") in visible(refused)
    screened = make.user("volunteer", screened=True)
    assert login(screened.email).post(f"{url}/aanmelden").status_code == 302
    assert h.participants(make, act) == {early.id: "cancelled", screened.id: "going"}
    assert make.run(lambda: db.session.get(Activity, act.id).needs_screening)


def test_needs_saved_before_the_mark_get_it_from_a_one_off_command(app, make, login):
    """After the upgrade: `flask initiatives mark-screening` marks existing homework needs and closes the sign-ups of
    volunteers without a VOG (the organiser's own marks stay; running it twice changes nothing more)."""
    organiser = make.user("organiser")
    ini = h.initiative(make, organiser)
    homework = h.need(make, organiser, ini, title="Huiswerkbegeleiders", skills="huiswerkbegeleiding, rekenen")
    garden = h.need(make, organiser, ini, title="Tuinieren op zaterdag", skills="tuinieren")
    unscreened = make.user("volunteer")

    def as_before_the_upgrade() -> None:
        db.session.get(InitiativeNeed, homework.id).needs_screening = False
        db.session.add(NeedSignup(need_id=homework.id, volunteer_id=unscreened.id, public_id="aanmelding-oud"))
        db.session.commit()

    make.run(as_before_the_upgrade)
    result = app.test_cli_runner().invoke(args=["initiatives", "mark-screening"])
    assert result.exit_code == 0, result.output
    assert "Marked 1 need(s) as needing a VOG; closed 1 sign-up(s)" in result.output
    assert needs_screening(make, homework) and not needs_screening(make, garden)
    assert signups(make, homework) == {unscreened.id: "needs_vog"}
    again = app.test_cli_runner().invoke(args=["initiatives", "mark-screening"])
    assert "Marked 0 need(s)" in again.output
