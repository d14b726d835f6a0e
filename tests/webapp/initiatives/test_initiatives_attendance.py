"""Activities that repeat and have shifts, who comes (for the organisers: a list and a CSV without contact details),
a message to everyone (rate-limited, through the outbox) and the reminder the day before."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from tests.conftest import visible
from tests.webapp import initiative_helpers as h
from tests.webapp.auth_helpers import clock, limits  # noqa: F401 (a fixture)
from webapp.core.extensions import db
from webapp.core.outbox import OutboxMail
from webapp.initiatives.activities import repeat_dates
from webapp.initiatives.attendance import remind_tomorrow
from webapp.initiatives.models import Activity, ActivityMessage, ActivityParticipant
from webapp.notifications.models import Notification

ZONE = ZoneInfo("Europe/Amsterdam")


def notes(make, kind):
    return make.run(lambda: sorted(n.user_id for n in db.session.execute(
        select(Notification).where(Notification.kind == kind)).scalars()))


def join(login, person, ini, activity):
    return login(person.email).post(f"/initiatieven/{ini.public_id}/activiteiten/{activity.public_id}/aanmelden")


def test_a_weekly_activity_is_one_date_per_week_each_with_its_own_places(make, login):
    organiser = make.user("organiser")
    ini = h.initiative(make, organiser)
    day = date.today() + timedelta(days=3)
    form = {"title": "Taalcafé op dinsdag", "wijk": "WK039218", "place": "Bibliotheek Schalkwijk",
            "day": day.isoformat(), "start": "19:30", "end": "21:00", "capacity": "2", "repeat": "weekly",
            "repeat_until": (day + timedelta(weeks=3)).isoformat()}
    client = login(organiser.email, lang="en")
    # Repeating without an end is refused with a clear message, keeping what was typed.
    page = client.post(f"/initiatieven/{ini.public_id}/activiteiten/nieuw", data={**form, "repeat_until": ""})
    assert page.status_code == 200 and "Choose until which day it repeats." in visible(page)
    assert 'value="Taalcafé op dinsdag"' in page.get_data(as_text=True)
    assert client.post(f"/initiatieven/{ini.public_id}/activiteiten/nieuw", data=form).status_code == 302
    rows = make.run(lambda: [(a.starts_at, a.series_id, a.capacity) for a in db.session.execute(
        select(Activity).order_by(Activity.starts_at)).scalars()])
    assert len(rows) == 4 and len({r[1] for r in rows}) == 1 and rows[0][1] is not None
    local = [r[0].replace(tzinfo=ZoneInfo("UTC")).astimezone(ZONE) for r in rows]
    assert {(t.hour, t.minute) for t in local} == {(19, 30)}  # the same local time, across a clock change too
    assert [t.date() for t in local] == [day + timedelta(weeks=n) for n in range(4)]


def test_monthly_dates_keep_the_day_or_take_the_last_day_of_a_short_month():
    starts = datetime(2027, 1, 31, 10, 0)
    dates = repeat_dates(starts, starts + timedelta(hours=2), "monthly", date(2027, 5, 1))
    assert [d[0].date() for d in dates] == [date(2027, 2, 28), date(2027, 3, 31), date(2027, 4, 30)]
    assert repeat_dates(starts, starts, "daily", date(2028, 1, 1)) == []
    assert len(repeat_dates(starts, starts, "weekly", date(2030, 1, 1))) == 51  # at most 52 dates in all


def test_people_join_a_shift_each_shift_has_its_own_places(make, login, tr):
    organiser = make.user("organiser")
    ini = h.initiative(make, organiser)
    fair = h.activity(make, organiser, ini, title="Buurtfeest", capacity=None)
    org = login(organiser.email)
    url = f"/initiatieven/{ini.public_id}/activiteiten/{fair.public_id}/diensten/nieuw"
    assert org.post(url, data={"title": "Opbouwen", "start": "10:00", "end": "12:00", "capacity": "1"}
                    ).status_code == 302
    assert org.post(url, data={"title": "Opruimen", "start": "16:00", "end": "18:00"}).status_code == 302
    page = org.post(url, data={"title": "Fout", "start": "18:00", "end": "16:00"})  # kept, with the reason
    assert page.status_code == 200 and 'value="Fout"' in page.get_data(as_text=True)
    shifts = make.run(lambda: {a.title: a.public_id for a in db.session.execute(
        select(Activity).where(Activity.parent_id.is_not(None))).scalars()})
    assert set(shifts) == {"Opbouwen", "Opruimen"}
    first, second = make.user("volunteer"), make.user("volunteer")
    join(login, first, ini, fair)  # the whole: refused, choose a shift
    assert make.count(ActivityParticipant) == 0
    for person in (first, second):
        login(person.email).post(f"/initiatieven/{ini.public_id}/activiteiten/{shifts['Opbouwen']}/aanmelden")
    statuses = make.run(lambda: sorted(p.status for p in db.session.execute(select(ActivityParticipant)).scalars()))
    assert statuses == ["going", "waiting"]
    page = visible(login(second.email, lang="en").get(f"/initiatieven/{ini.public_id}"))
    assert tr("en", "I help in the shift %(shift)s", shift="Opruimen") in page
    # Cancelling the activity cancels its shifts, and everyone signed up hears it.
    org.post(f"/initiatieven/{ini.public_id}/activiteiten/{fair.public_id}/annuleren")
    assert make.run(lambda: {a.status for a in db.session.execute(select(Activity)).scalars()}) == {"cancelled"}
    assert notes(make, "activity_cancelled") == sorted([first.id, second.id])


def test_only_organisers_see_who_comes_and_the_csv_has_no_contact_details(make, login):
    organiser = make.user("organiser")
    ini = h.initiative(make, organiser)
    activity = h.activity(make, organiser, ini, capacity=1)
    going = make.user("volunteer", first_name="=cmd|' /C calc'!A0", last_name="Jansen", phone="06-11112222")
    waiting = make.user("volunteer", first_name="Bram", last_name="de Vries")
    join(login, going, ini, activity)
    join(login, waiting, ini, activity)
    base = f"/initiatieven/{ini.public_id}/activiteiten/{activity.public_id}/deelnemers"
    for stranger in (going, make.user("organiser")):
        client = login(stranger.email)
        assert client.get(base).status_code == 403
        assert client.get(f"{base}.csv").status_code == 403
        assert client.post(f"/initiatieven/{ini.public_id}/activiteiten/{activity.public_id}/bericht",
                           data={"body": "Kom allemaal naar mijn feest!"}).status_code == 403
    org = login(organiser.email, lang="en")
    page = org.get(base).get_data(as_text=True)
    assert "Bram d." in page and "de Vries" not in page and waiting.email not in page and "06-11112222" not in page
    csv = org.get(f"{base}.csv")
    assert csv.headers["Content-Type"].startswith("text/csv")
    body = csv.get_data(as_text=True)
    assert body.startswith("\ufeffName,Wijk,Status")
    assert "'=cmd" in body and "\n=cmd" not in body  # a spreadsheet would run it: neutralised
    assert going.email not in body and "06-11112222" not in body and "Jansen" not in body


def test_a_message_reaches_everyone_signed_up_by_mail_and_is_rate_limited(make, login, clock, app, monkeypatch):  # noqa: F811
    limits(app, monkeypatch, activity_message="2 per day")
    organiser = make.user("organiser")
    ini = h.initiative(make, organiser)
    activity = h.activity(make, organiser, ini, capacity=1)
    going, waiting, left = (make.user("volunteer", email=f"p{n}@example.org") for n in range(3))
    for person in (going, waiting, left):
        join(login, person, ini, activity)
    login(left.email).post(f"/initiatieven/{ini.public_id}/activiteiten/{activity.public_id}/afmelden")
    # left's place went to the one waiting: now going and waiting are both going or waiting.
    org = login(organiser.email, lang="en")
    url = f"/initiatieven/{ini.public_id}/activiteiten/{activity.public_id}/bericht"
    page = org.post(url, data={"body": ""})
    assert page.status_code == 400 and "Write your message." in visible(page)
    assert org.post(url, data={"body": "We verzamelen om 9 uur bij de ingang."}).status_code == 302
    assert notes(make, "activity_message") == sorted([going.id, waiting.id])
    # The e-mail waits in the outbox (sent after the commit), in each person's language, with the words.
    mails = make.run(lambda: {o.recipient: o.text for o in db.session.execute(select(OutboxMail)).scalars()})
    assert set(mails) == {going.email, waiting.email}
    assert all("We verzamelen om 9 uur bij de ingang." in text for text in mails.values())
    assert org.post(url, data={"body": "Tweede bericht vandaag."}).status_code == 302
    refused = org.post(url, data={"body": "Derde bericht vandaag."})
    assert refused.status_code == 429 and "Derde bericht vandaag." in visible(refused)
    assert make.count(ActivityMessage) == 2


def test_the_reminder_goes_the_day_before_once_to_the_people_going(make, login, app):
    organiser = make.user("organiser")
    ini = h.initiative(make, organiser)
    now = datetime(2027, 3, 9, 8, 0)  # a Tuesday morning, UTC
    tomorrow = h.activity(make, organiser, ini, title="Morgen", capacity=1, starts_at=datetime(2027, 3, 10, 17, 0))
    later = h.activity(make, organiser, ini, title="Overmorgen", starts_at=datetime(2027, 3, 11, 17, 0))
    late_evening = h.activity(make, organiser, ini, title="Morgenavond laat", starts_at=datetime(2027, 3, 10, 22, 30))
    going, waiting = make.user("volunteer"), make.user("volunteer")

    def place(person, activity, status):
        def add():
            db.session.add(ActivityParticipant(activity_id=activity.id, user_id=person.id, status=status))
            db.session.commit()
        make.run(add)
    place(going, tomorrow, "going")
    place(waiting, tomorrow, "waiting")
    place(going, later, "going")
    place(waiting, late_evening, "going")  # 23:30 in Haarlem: still tomorrow there

    def run():
        done = remind_tomorrow(ZONE, now)
        db.session.commit()
        return done
    first = make.run(run)
    assert (first.activities, first.people) == (2, 2)
    assert notes(make, "activity_reminder") == sorted([going.id, waiting.id])
    assert make.run(run).activities == 0  # twice: nobody hears it twice
    result = app.test_cli_runner().invoke(args=["initiatives", "remind"])
    assert result.exit_code == 0 and "Reminded" in result.output
    text = visible(login(going.email, lang="en").get("/berichten/"))
    assert "Tomorrow: “Morgen”" in text
