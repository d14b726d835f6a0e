"""Screening (issue #16): the "applied for" filter, the auditor's fields on a check (number, screening profile, who
recorded it), and reminders 60 and 14 days before a VOG lapses, to the volunteer and to staff, each sent once."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from tests.conftest import visible
from tests.webapp.mail_helpers import smtp  # noqa: F401 (a fixture)
from webapp.accounts.models import VolunteerProfile
from webapp.core.audit import AuditEntry
from webapp.core.extensions import db
from webapp.staff.models import Screening
from webapp.staff.rescue_models import VogReminder


def lapses_on(user_id, day):
    profile = db.session.get(VolunteerProfile, user_id)
    profile.is_screened = True
    profile.screened_until = day
    db.session.commit()


def test_applied_for_is_a_filter_until_the_certificate_is_recorded(make, login, tr):
    waiting = make.user("volunteer", first_name="Aanvrager")
    make.user("volunteer", first_name="Anderevrijwilliger")
    client = login(make.user("staff").email, lang="en")
    response = client.post(f"/werkruimte/personen/{waiting.public_id}/vog-aangevraagd",
                           data={"requested_on": (date.today() - timedelta(days=3)).isoformat()})
    assert response.status_code == 302
    assert make.count(AuditEntry, AuditEntry.action == "vog_applied", AuditEntry.target_ref == waiting.public_id) == 1
    listed = visible(client.get("/werkruimte/vog?status=applied"))
    assert "Aanvrager" in listed and "Anderevrijwilliger" not in listed
    future = client.post(f"/werkruimte/personen/{waiting.public_id}/vog-aangevraagd",
                         data={"requested_on": (date.today() + timedelta(days=3)).isoformat()})
    assert future.status_code == 400
    assert tr("en", "This date is in the future. Choose today or an earlier day.") in visible(future)
    client.post(f"/werkruimte/personen/{waiting.public_id}/vog", data={"checked_on": date.today().isoformat()})
    assert "Aanvrager" not in visible(client.get("/werkruimte/vog?status=applied"))


def test_a_check_keeps_the_number_and_screening_profile_for_an_auditor(make, login, tr):
    volunteer = make.user("volunteer", first_name="Gescreend")
    staff = make.user("staff", first_name="Sanne")
    client = login(staff.email, lang="en")
    url = f"/werkruimte/personen/{volunteer.public_id}/vog"
    checked = (date.today() - timedelta(days=2)).isoformat()
    bad = client.post(url, data={"checked_on": checked, "reference": "12?", "profile": ["84"]})
    assert bad.status_code == 400 and 'value="12?"' in bad.text
    assert tr("en", "Write the number as it is on the certificate: 6 to 20 letters and digits, for example "
                    "1234567.") in visible(bad)
    assert client.post(url, data={"checked_on": checked, "profile": ["99"]}).status_code == 400
    assert make.count(Screening) == 0
    assert client.post(url, data={"checked_on": checked, "reference": "12 34 567", "profile": ["84", "85"]}
                       ).status_code == 302

    def stored():
        row = db.session.execute(select(Screening)).scalar_one()
        return row.reference, row.profile, row.recorded_by_id

    assert make.run(stored) == ("1234567", ["84", "85"], staff.id)
    for page in (client.get(f"/werkruimte/personen/{volunteer.public_id}"), client.get("/werkruimte/vog")):
        text = visible(page)
        assert "1234567" in text and tr("en", "84 · Caring for children (minors)") in text and "Sanne" in text
    assert login(make.user("volunteer").email).post(url, data={"checked_on": checked}).status_code == 403


def test_reminders_60_and_14_days_before_a_vog_lapses_are_sent_once(app, make, smtp):  # noqa: F811
    today = date.today()
    sixty = make.user("volunteer", first_name="Zestig", locale="en")
    fourteen = make.user("volunteer", first_name="Veertien")
    later = make.user("volunteer", first_name="Later")
    staff = make.user("staff")
    make.run(lapses_on, sixty.id, today + timedelta(days=59))
    make.run(lapses_on, fourteen.id, today + timedelta(days=10))
    make.run(lapses_on, later.id, today + timedelta(days=200))
    runner = app.test_cli_runner()

    result = runner.invoke(args=["staff", "vog-reminders"])
    assert result.exit_code == 0, result.output
    assert len(smtp.to(sixty.email)) == 1 and "59 days" in smtp.to(sixty.email)[0].get_body(("plain",)).get_content()
    assert len(smtp.to(fourteen.email)) == 1  # missed the 60-day one: only the 14-day one
    assert smtp.to(later.email) == []
    [digest] = smtp.to(staff.email)
    assert "Zestig" not in digest.get_body(("plain",)).get_content()  # a count and a link, never names by e-mail

    # Running it again (or a scheduler that runs it twice) sends nothing twice.
    assert runner.invoke(args=["staff", "vog-reminders"]).exit_code == 0
    assert len(smtp.to(sixty.email)) == 1 and len(smtp.to(fourteen.email)) == 1 and len(smtp.to(staff.email)) == 1
    assert make.count(VogReminder) == 3  # 60 for one, 60 and 14 for the other

    # 46 days on, the first one's 14-day reminder is due: once.
    def later_on():
        from webapp.staff.screening import send_reminders
        found = send_reminders(today + timedelta(days=46))
        db.session.commit()
        return [r.volunteer.first_name for r in found]

    assert make.run(later_on) == ["Zestig"]
    assert make.run(later_on) == []
    assert len(smtp.to(sixty.email)) == 2 and len(smtp.to(staff.email)) == 2
