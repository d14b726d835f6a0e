"""Alerts: a new vacancy or need reaches the few volunteers it fits best, once per need and a few a day at most;
never past screening, never its own organisers, not before staff confirmed the initiative."""

from __future__ import annotations

from sqlalchemy import select, update

from tests.conftest import visible
from tests.webapp import initiative_helpers as h
from webapp.core.extensions import db
from webapp.core.ids import utcnow
from webapp.core.outbox import OutboxMail
from webapp.initiatives.models import Initiative
from webapp.notifications.models import Notification, NotificationPreference
from webapp.volunteering.alerts import alert_new_needs
from webapp.volunteering.models import NeedAlert


def run(make):
    return make.run(alert_new_needs)


def alerted(make):
    return make.run(lambda: sorted(n.user_id for n in db.session.execute(
        select(Notification).where(Notification.kind == "suggested_need")).scalars()))


def gardener(make, **profile):
    person = make.user("volunteer", **{k: v for k, v in profile.items() if k == "screened"})
    h.skills(make, person, ["tuinieren", "snoeien"])
    return person


def test_a_new_vacancy_reaches_the_volunteers_it_fits_once(make, login, app, tr):
    organiser = make.user("organiser")
    ini = h.initiative(make, organiser, is_organisation=True, name="Groenploeg")
    green, other = gardener(make), make.user("volunteer")
    h.skills(make, other, ["boodschappen"])
    h.need(make, organiser, ini, title="Snoeien in het park", skills="snoeien, tuinieren")
    done = run(make)
    assert (done.needs, done.volunteers) == (1, 1)
    assert alerted(make) == [green.id]
    assert run(make).needs == 0  # announced once, however often the job runs
    text = visible(login(green.email, lang="en").get("/berichten/"))
    assert tr("en", "New at %(name)s, and it fits you well: “%(title)s”. Can you help?", name="Groenploeg",
              title="Snoeien in het park") in text
    result = app.test_cli_runner().invoke(args=["volunteering", "alert"])
    assert result.exit_code == 0 and "Announced 0 new need(s)" in result.output


def test_alerts_are_capped_per_day(make, app, monkeypatch):
    monkeypatch.setitem(app.config, "VACANCY_ALERTS_PER_DAY", 2)
    organiser = make.user("organiser")
    ini = h.initiative(make, organiser)
    green = gardener(make)
    for n in range(4):
        h.need(make, organiser, ini, title=f"Tuinieren in vak {n}", skills="tuinieren")
    run(make)
    assert alerted(make) == [green.id, green.id]
    assert make.count(NeedAlert) == 2


def test_no_alert_past_screening_to_organisers_or_before_staff_confirmed_it(make):
    organiser = make.user("organiser", "volunteer")
    h.skills(make, organiser, ["tuinieren", "huiswerk"])
    unscreened = make.user("volunteer", screened=False)
    h.skills(make, unscreened, ["huiswerk", "rekenen"])
    waiting = h.initiative(make, organiser, name="Nog niet bevestigd", confirmed=False)
    h.need(make, organiser, waiting, title="Tuinieren bij de school", skills="tuinieren")
    club = h.initiative(make, organiser, name="Huiswerkclub")
    h.need(make, organiser, club, title="Huiswerkbegeleiding", skills="huiswerk, rekenen", needs_screening=True)
    run(make)
    assert alerted(make) == []  # the organiser never hears of their own needs; the unscreened never of VOG work
    screened = make.user("volunteer", screened=True)
    h.skills(make, screened, ["tuinieren"])
    make.run(lambda: (db.session.execute(update(Initiative).where(Initiative.name == "Nog niet bevestigd")
                                         .values(confirmed_at=utcnow())), db.session.commit()))
    run(make)
    assert alerted(make) == [screened.id]  # once confirmed, it is announced


def test_a_volunteer_who_turned_the_alerts_off_gets_them_in_the_app_only(make):
    organiser = make.user("organiser")
    ini = h.initiative(make, organiser)
    green = gardener(make)

    def turn_off() -> None:
        db.session.add(NotificationPreference(user_id=green.id, kind="vacancies", channel="off"))
        db.session.commit()
    make.run(turn_off)
    h.need(make, organiser, ini, title="Tuinieren op zondag", skills="tuinieren")
    run(make)
    emailed = make.run(lambda: db.session.execute(select(Notification.emailed_at).where(
        Notification.user_id == green.id)).scalar_one())
    assert emailed is not None  # done with by e-mail at once: nothing is sent
    assert make.count(OutboxMail) == 0
