"""Certificates of conduct (VOG): staff record a check; a volunteer counts as screened only while it is valid, and
requests that need screening reach screened volunteers only: listing, detail, suggestions, invitations."""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import select

from tests.conftest import visible
from webapp.accounts.models import User, VolunteerProfile
from webapp.core.audit import AuditEntry
from webapp.core.extensions import db
from webapp.notifications.models import Notification
from webapp.staff.models import Screening
from webapp.staff.services import refresh_screening


def profile_of(user_id):
    profile = db.session.get(VolunteerProfile, user_id)
    return profile.is_screened, profile.screened_until, profile.screened_flag


def set_valid_until(user_id, day):
    profile = db.session.get(VolunteerProfile, user_id)
    profile.is_screened = True
    profile.screened_until = day
    db.session.commit()


def test_staff_record_a_check_and_the_volunteer_is_screened(make, login, tr):
    volunteer = make.user("volunteer", screened=False)
    staff = make.user("staff", first_name="Sanne")
    client = login(staff.email)
    page = client.get(f"/werkruimte/personen/{volunteer.public_id}")
    assert page.status_code == 200 and tr("nl", "Not checked") in visible(page)

    checked = date.today() - timedelta(days=10)
    response = client.post(f"/werkruimte/personen/{volunteer.public_id}/vog",
                           data={"checked_on": checked.isoformat(), "valid_until": ""})
    assert response.status_code == 302
    screened, until, _flag = make.run(profile_of, volunteer.id)
    assert screened and until == checked.replace(year=checked.year + 3)

    def the_screening():
        row = db.session.execute(select(Screening)).scalar_one()
        return row.checked_on, row.valid_until, row.recorded_by_id

    assert make.run(the_screening) == (checked, until, staff.id)
    assert make.count(AuditEntry, AuditEntry.action == "screen", AuditEntry.target_ref == volunteer.public_id) == 1
    assert "Sanne" in visible(client.get(f"/werkruimte/personen/{volunteer.public_id}"))


def test_a_bad_screening_form_keeps_the_input_and_explains(make, login, tr):
    volunteer = make.user("volunteer")
    client = login(make.user("staff", locale="en").email, lang="en")
    future = (date.today() + timedelta(days=5)).isoformat()
    response = client.post(f"/werkruimte/personen/{volunteer.public_id}/vog", data={"checked_on": future})
    assert response.status_code == 400
    assert tr("en", "This date is in the future. Choose today or an earlier day.") in visible(response)
    response = client.post(f"/werkruimte/personen/{volunteer.public_id}/vog",
                           data={"checked_on": "2026-01-10", "valid_until": "2025-01-10"})
    assert response.status_code == 400
    assert tr("en", "This date is before the date of the certificate.") in visible(response)
    assert make.count(Screening) == 0


def test_a_lapsed_certificate_no_longer_counts(make, login):
    volunteer = make.user("volunteer")
    make.run(set_valid_until, volunteer.id, date.today() - timedelta(days=1))
    screened, _until, flag = make.run(profile_of, volunteer.id)
    assert not screened and flag  # the stored flag lags; the property does not

    def in_sql():
        return db.session.execute(
            select(VolunteerProfile.user_id).where(VolunteerProfile.is_screened.is_(True))).scalars().all()

    assert make.run(in_sql) == []
    assert make.run(lambda: (refresh_screening(), db.session.commit())[0]) == 1
    assert make.run(profile_of, volunteer.id)[2] is False


def test_the_daily_job_ends_lapsed_screenings(app, make):
    volunteer = make.user("volunteer")
    make.run(set_valid_until, volunteer.id, date.today() - timedelta(days=3))
    result = app.test_cli_runner().invoke(args=["staff", "refresh-screening"])
    assert result.exit_code == 0 and "1 screening(s) ended." in result.output


def test_screening_requests_reach_only_screened_volunteers_everywhere(make, login):
    resident = make.user("resident")
    sensitive = make.request(resident, title="Hulp met mijn schulden en post", category_key="paperwork")
    screened = make.user("volunteer", screened=True)
    lapsed = make.user("volunteer", screened=True)
    make.run(set_valid_until, lapsed.id, date.today() - timedelta(days=1))
    never = make.user("volunteer", screened=False)

    assert "Hulp met mijn schulden" in visible(login(screened.email).get("/vragen/"))
    for person in (lapsed, never):
        client = login(person.email)
        assert "Hulp met mijn schulden" not in visible(client.get("/vragen/"))
        assert client.get(f"/vragen/{sensitive.public_id}").status_code == 404
        assert "Hulp met mijn schulden" not in visible(client.get("/aanbevolen/"))

    # Staff see suggestions for the request: only the screened volunteer, and only they can be invited.
    staff = login(make.user("staff").email)
    assert staff.post(f"/werkruimte/onbeantwoord/{sensitive.public_id}/uitnodigen/{lapsed.public_id}").status_code \
        == 403
    assert staff.post(f"/werkruimte/onbeantwoord/{sensitive.public_id}/uitnodigen/{never.public_id}").status_code \
        == 403
    assert make.count(Notification, Notification.user_id.in_((lapsed.id, never.id))) == 0
    assert staff.post(f"/werkruimte/onbeantwoord/{sensitive.public_id}/uitnodigen/{screened.public_id}").status_code \
        == 302
    assert make.count(Notification, Notification.user_id == screened.id, Notification.kind == "invited") == 1


def test_the_screening_list_shows_who_is_checked(make, login):
    make.user("volunteer", first_name="Gecontroleerd", screened=True)
    make.user("volunteer", first_name="Nognietgedaan", screened=False)
    client = login(make.user("staff").email)
    page = visible(client.get("/werkruimte/vog"))
    assert "Gecontroleerd" in page and "Nognietgedaan" in page
    page = visible(client.get("/werkruimte/vog?q=nognietg"))
    assert "Nognietgedaan" in page and "Gecontroleerd" not in page


def test_people_without_a_volunteer_profile_cannot_be_screened(make, login):
    resident = make.user("resident")
    response = login(make.user("staff").email).post(f"/werkruimte/personen/{resident.public_id}/vog",
                                                    data={"checked_on": "2026-01-10"})
    assert response.status_code == 400
    assert make.count(Screening) == 0
    assert make.count(User) == 2


def test_the_person_page_names_roles_in_the_readers_language(make, login, tr):
    volunteer = make.user("volunteer", "organiser")
    for lang in ("nl", "en"):
        page = visible(login(make.user("staff").email, lang=lang).get(f"/werkruimte/personen/{volunteer.public_id}"))
        shown = re.search(rf"<dt>{re.escape(tr(lang, 'Roles'))}</dt><dd>(.*?)</dd>", page).group(1)
        assert sorted(shown.split(", ")) == sorted([tr(lang, "Volunteer"), tr(lang, "Initiative organiser")])


def test_the_volunteer_list_pages_and_filters_by_certificate(make, login):
    """121 volunteers: the list stopped at 50. Now it pages, and filters by the state of the certificate."""
    for n in range(55):
        make.user("volunteer", first_name=f"Aaa{n:02d}")
    make.user("volunteer", first_name="Zoltanus", screened=True)
    ended = make.user("volunteer", first_name="Xaverius", screened=True)

    def lapse() -> None:
        profile = db.session.get(VolunteerProfile, ended.id)
        profile.screened_until = date.today() - timedelta(days=3)
        db.session.commit()

    make.run(lapse)
    client = login(make.user("staff").email)

    def table(url: str) -> str:
        return visible(client.get(url)).split("<table", 1)[1].split("</table>", 1)[0]

    names = table("/werkruimte/vog") + table("/werkruimte/vog?page=2")
    assert all(f"Aaa{n:02d}" in names for n in range(55)) and "Zoltanus" in names and "Xaverius" in names
    only_screened = table("/werkruimte/vog?status=screened")
    assert "Zoltanus" in only_screened and "Xaverius" not in only_screened and "Aaa00" not in only_screened
    only_ended = table("/werkruimte/vog?status=ended")
    assert "Xaverius" in only_ended and "Zoltanus" not in only_ended and "Aaa00" not in only_ended
    never = table("/werkruimte/vog?status=never")
    assert "Aaa00" in never and "Zoltanus" not in never and "Xaverius" not in never
    assert client.get("/werkruimte/vog?status=onzin&page=abc").status_code == 200
