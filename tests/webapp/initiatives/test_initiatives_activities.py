"""Activities: sign-up with a capacity, a waiting list that moves up by itself, changes and cancellations
announced, hours per activity, and an iCalendar feed (RFC 5545)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from tests.conftest import html_lang, visible
from tests.webapp import initiative_helpers as h
from webapp.core.extensions import db
from webapp.core.ids import utcnow
from webapp.initiatives.ical import escape_text, fold
from webapp.initiatives.models import Activity, ActivityParticipant
from webapp.notifications.models import Notification

LANGS = ["nl", "en"]


def kinds_for(make, user):
    return make.run(lambda: [n.kind for n in db.session.execute(
        select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)).scalars()])


@pytest.mark.parametrize("lang", LANGS)
def test_a_full_activity_has_a_waiting_list_that_moves_up(make, login, tr, lang):
    organiser = make.user("organiser")
    ini = h.initiative(make, organiser)
    act = h.activity(make, organiser, ini, capacity=1)
    first, second, third = (make.user("resident", locale=lang) for _ in range(3))
    url = f"/initiatieven/{ini.public_id}/activiteiten/{act.public_id}"

    assert login(first.email, lang=lang).post(f"{url}/aanmelden").status_code == 302
    client = login(second.email, lang=lang)
    client.post(f"{url}/aanmelden")
    page = client.get(f"/initiatieven/{ini.public_id}")
    assert html_lang(page) == lang
    assert tr(lang, "You are on the waiting list.") in visible(page)
    login(third.email).post(f"{url}/aanmelden")
    login(third.email).post(f"{url}/aanmelden")  # twice is harmless
    assert h.participants(make, act) == {first.id: "going", second.id: "waiting", third.id: "waiting"}

    # The first cancels: the first on the waiting list gets the place and a message.
    assert login(first.email).post(f"{url}/afmelden").status_code == 302
    assert h.participants(make, act) == {first.id: "cancelled", second.id: "going", third.id: "waiting"}
    assert kinds_for(make, second) == ["waitlist_promoted"]
    assert kinds_for(make, third) == []
    assert tr(lang, "You are going.") in visible(client.get(f"/initiatieven/{ini.public_id}"))

    # Coming back after cancelling means the end of the queue.
    login(first.email).post(f"{url}/aanmelden")
    assert h.participants(make, act)[first.id] == "waiting"


def test_more_places_promote_the_waiting_list_and_changes_are_announced(make, login):
    organiser = make.user("organiser")
    ini = h.initiative(make, organiser)
    act = h.activity(make, organiser, ini, capacity=1)
    going, waiting = make.user("resident"), make.user("resident")
    url = f"/initiatieven/{ini.public_id}/activiteiten/{act.public_id}"
    login(going.email).post(f"{url}/aanmelden")
    login(waiting.email).post(f"{url}/aanmelden")
    day = (utcnow() + timedelta(days=9)).date()
    edit = {"title": "Zaaidag (nieuwe datum)", "wijk": "WK039218", "place": "Buurthuis De Ring",
            "day": day.isoformat(), "start": "10:00", "end": "12:00", "capacity": "5"}
    assert login(organiser.email).post(f"{url}/bewerken", data=edit).status_code == 302
    assert h.participants(make, act) == {going.id: "going", waiting.id: "going"}
    assert kinds_for(make, going) == ["activity_changed"]
    assert kinds_for(make, waiting) == ["activity_changed", "waitlist_promoted"]
    # 10:00 in Haarlem is stored in UTC (08:00 or 09:00 depending on summer time).
    starts = make.run(lambda: db.session.get(Activity, act.id).starts_at)
    assert starts.hour in (8, 9) and starts.date() == day

    assert login(make.user("volunteer").email).post(f"{url}/annuleren").status_code == 403
    assert login(organiser.email).post(f"{url}/annuleren").status_code == 302
    assert kinds_for(make, going)[-1] == "activity_cancelled"
    assert login(make.user("resident").email).post(f"{url}/aanmelden").status_code == 302
    assert make.count(ActivityParticipant) == 2  # a cancelled activity takes no sign-ups


def test_hours_are_logged_per_activity_after_it_started(make, login):
    organiser = make.user("organiser")
    ini = h.initiative(make, organiser)
    act = h.activity(make, organiser, ini, capacity=None)
    volunteer = make.user("volunteer")
    url = f"/initiatieven/{ini.public_id}/activiteiten/{act.public_id}"
    login(volunteer.email).post(f"{url}/aanmelden")
    assert login(volunteer.email).post(f"{url}/uren", data={"hours": "2,5"}).status_code == 403  # not started

    def start_it():
        row = db.session.get(Activity, act.id)
        row.starts_at, row.ends_at = utcnow() - timedelta(hours=3), utcnow() - timedelta(hours=1)
        db.session.commit()

    make.run(start_it)
    assert login(volunteer.email).post(f"{url}/uren", data={"hours": "2,5"}).status_code == 302
    assert make.run(lambda: db.session.execute(select(ActivityParticipant.hours)).scalar_one()) == 2.5
    assert login(make.user("resident").email).post(f"{url}/uren", data={"hours": "3"}).status_code == 403
    assert "2,5" in visible(login(organiser.email).get(f"/initiatieven/{ini.public_id}"))


def test_the_activity_form_explains_mistakes(make, login, tr):
    organiser = make.user("organiser", locale="en")
    ini = h.initiative(make, organiser)
    client = login(organiser.email, lang="en")
    page = client.post(f"/initiatieven/{ini.public_id}/activiteiten/nieuw", data={
        "title": "Borrel", "wijk": "WK039218", "day": "2001-01-01", "start": "20:00", "end": "19:00"})
    assert page.status_code == 200
    text = visible(page)
    assert tr("en", "This date has passed. Choose today or a later day.") in text
    assert tr("en", "The end time must be after the start time.") in text
    assert 'value="Borrel"' in page.get_data(as_text=True)


def unfold(body: str) -> list[str]:
    return body.replace("\r\n ", "").split("\r\n")


def test_the_ical_feed_follows_rfc_5545(make, anon):
    organiser = make.user("organiser")
    ini = h.initiative(make, organiser, name="Moestuin; Schalkwijk, samen")
    start = datetime(2031, 3, 30, 0, 30)  # the night summer time starts: UTC stays unambiguous
    act = h.activity(make, organiser, ini, starts_at=start, title="Zaaidag, met koffie; " + "lang " * 20,
                     place="Buurthuis De Ring; zaal 2")
    response = anon("nl").get(f"/initiatieven/{ini.public_id}/agenda.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.get_data(as_text=True)
    assert body.endswith("\r\n") and "\n" not in body.replace("\r\n", "")
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    lines = unfold(body)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines and any(line.startswith("PRODID:") for line in lines)
    assert f"UID:{act.public_id}@samen-haarlem" in lines
    assert "DTSTART:20310330T003000Z" in lines and "DTEND:20310330T023000Z" in lines
    assert "X-WR-CALNAME:Moestuin\\; Schalkwijk\\, samen" in lines
    assert any(line.startswith("SUMMARY:Zaaidag\\, met koffie\\; lang") for line in lines)
    assert "DESCRIPTION:Neem handschoenen mee\\,\\nen zin." in lines
    assert any(re.fullmatch(r"DTSTAMP:\d{8}T\d{6}Z", line) for line in lines)
    # The same UID on every fetch; a change raises SEQUENCE.
    again = unfold(anon("nl").get(f"/initiatieven/{ini.public_id}/agenda.ics").get_data(as_text=True))
    assert [line for line in again if line.startswith("UID:")] == [f"UID:{act.public_id}@samen-haarlem"]


def test_ical_helpers_escape_and_fold_without_splitting_characters():
    assert escape_text("a\\b;c,d\ne") == "a\\\\b\\;c\\,d\\ne"
    folded = fold("SUMMARY:" + "é" * 60)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == "SUMMARY:" + "é" * 60
