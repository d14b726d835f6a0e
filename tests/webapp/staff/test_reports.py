"""Every report reaches a person at the volunteer centre at once, with who reported; "unsafe" and "money" are
urgent and e-mailed to the staff on duty; reports cannot silence anyone: one open report per person and thing, a
few a day, and an item is hidden before staff decide only when established accounts reported it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.conftest import page_text, visible
from tests.webapp.auth_helpers import clock, limits  # noqa: F401 (fixtures)
from tests.webapp.mail_helpers import parts, smtp  # noqa: F401 (smtp is a fixture)
from tests.webapp.staff.test_staff_moderation import decide
from webapp.asks.models import HelpRequest
from webapp.core.extensions import db
from webapp.staff.models import Report


def moderation_of(public_id):
    return db.session.execute(select(HelpRequest.moderation).where(HelpRequest.public_id == public_id)).scalar_one()


def report(client, help_request, reason="spam", details=""):
    return client.post(f"/melden/vraag/{help_request.public_id}", data={"reason": reason, "details": details})


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_single_report_reaches_the_staff_queue_at_once_with_who_reported(make, login, anon, tr, lang):
    """Used to be: one report ("asks for money up front") was stored and shown nowhere until two more people
    reported the same item, while the form promised that staff read every report."""
    help_request = make.request(make.user("resident"), title="Hulp bij het behangen")
    reporter = make.user("volunteer", first_name="Wilma", last_name="Wakker")
    assert report(login(reporter.email), help_request, "money", "Vraagt om geld vooraf").status_code == 302
    assert anon("en").get(f"/vragen/{help_request.public_id}").status_code == 200  # one report hides nothing

    page = visible(login(make.user("staff", locale=lang).email, lang=lang).get("/werkruimte/moderatie"))
    assert "Hulp bij het behangen" in page and "Vraagt om geld vooraf" in page
    assert "Wilma Wakker" in page and f"/werkruimte/personen/{reporter.public_id}" in page_text(
        login(make.user("staff").email).get("/werkruimte/moderatie"))
    assert tr(lang, "Urgent") in page and tr(lang, "Reported, still public") in page
    assert tr(lang, "Keep it online and close the reports") in page


def test_urgent_reports_are_emailed_to_the_staff_on_duty(make, login, smtp):  # noqa: F811
    on_duty = make.user("staff", locale="en")
    off_duty = make.user("staff")
    assert login(off_duty.email).post("/werkruimte/dienst").status_code == 302
    help_request = make.request(make.user("resident"), title="Geheime titel")
    report(login(make.user("volunteer").email), help_request, "unsafe", "Hij vroeg mijn pincode")
    report(login(make.user("volunteer").email), help_request, "spam")  # not urgent: no mail
    [mail] = smtp.to(on_duty.email)
    text, html = parts(mail)
    assert mail["Subject"] == "Samen: an urgent report"
    assert "/werkruimte/moderatie" in text and "It feels unsafe or dishonest" in text
    assert "Geheime titel" not in text + html and "pincode" not in text + html  # never the item or the words
    assert smtp.to(off_duty.email) == []


def test_when_nobody_is_on_duty_every_staff_member_gets_urgent_reports(make, login, smtp):  # noqa: F811
    staff = [make.user("staff") for _ in range(2)]
    for member in staff:
        login(member.email).post("/werkruimte/dienst")
    report(login(make.user("volunteer").email), make.request(make.user("resident")), "money")
    assert all(len(smtp.to(member.email)) == 1 for member in staff)


def test_three_new_accounts_do_not_hide_an_item_three_established_ones_do(make, login, anon):
    help_request = make.request(make.user("resident"))
    for _ in range(3):
        report(login(make.user("volunteer").email), help_request)
    assert make.run(moderation_of, help_request.public_id) == "ok"
    assert anon().get(f"/vragen/{help_request.public_id}").status_code == 200
    other = make.request(make.user("resident"), title="Een andere vraag om hulp")
    for _ in range(3):
        report(login(make.age(make.user("volunteer")).email), other)
    assert make.run(moderation_of, other.public_id) == "held"


def test_a_reporter_staff_mostly_disagreed_with_hides_nothing(make, login):
    serial = make.age(make.user("volunteer", first_name="Sjaak"))
    client = login(serial.email)
    staff = login(make.user("staff", locale="en").email, lang="en")
    for n in range(3):
        target = make.request(make.user("resident"), title=f"Gewone vraag nummer {n}")
        report(client, target)
        decide(staff, "request", target.public_id, "goedkeuren")  # kept: report dismissed
    target = make.request(make.user("resident"), title="Weer een gewone vraag")
    report(client, target)
    for _ in range(2):
        report(login(make.age(make.user("volunteer")).email), target)
    assert make.run(moderation_of, target.public_id) == "ok"  # 0 + 1 + 1 < 3
    page = visible(staff.get("/werkruimte/moderatie"))
    assert "Often reports without reason: these reports hide nothing" in page
    assert "4 reports in all: 0 upheld, 3 not" in page


def test_reporting_the_same_thing_twenty_times_files_one_report(make, login, smtp, tr):  # noqa: F811
    staff = make.user("staff")
    help_request = make.request(make.user("resident"))
    client = login(make.user("volunteer", locale="en").email, lang="en")
    for _ in range(20):
        assert report(client, help_request, "unsafe").status_code == 302
    assert make.count(Report) == 1
    assert len(smtp.to(staff.email)) == 1
    page = visible(client.get(f"/vragen/{help_request.public_id}"))
    assert "A staff member of the volunteer centre will look at it." in page


def test_reports_per_person_are_capped_a_day_and_what_was_typed_stays(app, make, login, monkeypatch, clock, tr):  # noqa: F811
    limits(app, monkeypatch, report="2 per day")
    client = login(make.user("volunteer", locale="en").email, lang="en")
    requests = [make.request(make.user("resident"), title=f"Vraag om hulp {n}") for n in range(3)]
    assert report(client, requests[0]).status_code == 302
    assert report(client, requests[1]).status_code == 302
    refused = report(client, requests[2], "offensive", "Heel onaardig")
    assert refused.status_code == 429 and refused.headers["Retry-After"]
    assert tr("en", "Too many attempts") in visible(refused)
    assert "Heel onaardig</textarea>" in page_text(refused)
    assert make.count(Report) == 2


def test_the_persons_record_shows_the_reports_they_filed(make, login):
    reporter = make.user("volunteer")
    report(login(reporter.email), make.request(make.user("resident")))
    page = visible(login(make.user("staff", locale="en").email, lang="en").get(
        f"/werkruimte/personen/{reporter.public_id}"))
    assert "Reports this person filed" in page and "1 report in all" in page
