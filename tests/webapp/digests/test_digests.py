"""Daily and weekly digests (`flask notify digest`): one per person and period, whatever happens. Running twice
sends nothing new; a crash halfway and a rerun still give every person exactly one."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.webapp.mail_helpers import parts, smtp, unsubscribe_path  # noqa: F401 (smtp is a fixture)
from tests.webapp.suggestions.test_suggestions import _profile
from webapp.accounts.models import User
from webapp.core.extensions import db
from webapp.core.ids import utcnow
from webapp.digests.services import send_digests
from webapp.notifications import services
from webapp.notifications.models import DigestStatus, EmailDigest, Notification


def with_news(make, count=3, channel="daily", lang="nl"):
    """People who want `response` news by digest, each with one pending notification."""
    people = [make.user("resident", locale=lang) for _ in range(count)]

    def setup():
        for n, person in enumerate(people):
            user = db.session.get(User, person.id)
            services.set_channel(user, "response", channel)
            services.set_channel(user, "suggestions", "off")
            services.notify(person.id, "new_response", title=f"Vraag {n}", request=f"req{n}")
        db.session.commit()

    make.run(setup)
    return people


def run(make, **kwargs):
    return make.run(send_digests, **kwargs)


def test_running_twice_sends_one_digest_to_each_person(make, smtp):  # noqa: F811
    people = with_news(make)
    first = run(make)
    assert first.sent["daily"] == 3
    second = run(make)
    assert second.sent["daily"] == 0 and second.already_sent == 0
    assert sorted(len(smtp.to(p.email)) for p in people) == [1, 1, 1]
    assert make.count(Notification, Notification.emailed_at.is_(None)) == 0
    assert make.count(EmailDigest, EmailDigest.status == DigestStatus.SENT) == 3


def test_a_crash_halfway_and_a_rerun_give_everyone_exactly_one(make, smtp):  # noqa: F811
    people = with_news(make)
    calls = []

    def crash_after_the_first(mailer, mail):
        calls.append(mail.to)
        if len(calls) == 2:
            raise RuntimeError("the process died here")
        mailer.send(mail)

    with pytest.raises(RuntimeError):
        run(make, deliver=crash_after_the_first)
    assert len(smtp.messages) == 1
    rerun = run(make)
    assert rerun.sent["daily"] == 2
    assert sorted(len(smtp.to(p.email)) for p in people) == [1, 1, 1]
    assert run(make).sent["daily"] == 0 and len(smtp.messages) == 3


def test_the_command_sends_digests_with_plain_text_html_and_unsubscribe(app, make, smtp, tr, anon):  # noqa: F811
    [person] = with_news(make, count=1, lang="en")
    result = app.test_cli_runner().invoke(args=["digests", "send"])
    assert result.exit_code == 0, result.output
    assert "Digests sent: 1 daily, 0 weekly" in result.output
    again = app.test_cli_runner().invoke(args=["digests", "send"])
    assert "Digests sent: 0 daily, 0 weekly" in again.output

    [mail] = smtp.to(person.email)
    assert mail["Subject"] == tr("en", "Samen: your news of today")
    text, _rich = parts(mail)
    sentence = tr("en", "A neighbour responded to your request “%(title)s”.", title="Vraag 0")
    assert sentence in text and "https://samen.example/vragen/req0" in text
    assert tr("en", "No more e-mail about: %(preference)s",
              preference=tr("en", "Someone responds to my request")) in text
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # The header's link stops all e-mail at once.
    assert anon("en").post(unsubscribe_path(mail)).status_code == 200
    assert make.run(lambda: set(services.preferences_of(db.session.get(User, person.id)).values())) == {"off"}


def test_news_after_the_digest_waits_for_the_next_period(make, smtp):  # noqa: F811
    [person] = with_news(make, count=1)
    run(make)
    make.run(lambda: (services.notify(person.id, "new_response", title="Later", request="later"),
                      db.session.commit()))
    assert run(make).sent["daily"] == 0
    assert make.count(Notification, Notification.emailed_at.is_(None)) == 1
    tomorrow = utcnow() + timedelta(days=1)
    assert run(make, now=tomorrow).sent["daily"] == 1
    latest = smtp.to(person.email)[-1]
    assert "Later" in parts(latest)[0] and "Vraag 0" not in parts(latest)[0]


def test_weekly_people_get_one_digest_per_week(make, smtp):  # noqa: F811
    [person] = with_news(make, count=1, channel="weekly")
    now = utcnow()
    report = run(make, now=now)
    assert report.sent == {"daily": 0, "weekly": 1}
    make.run(lambda: (services.notify(person.id, "new_response", title="Nog een", request="x"), db.session.commit()))
    monday_next_week = now + timedelta(days=7 - now.weekday())
    assert run(make, now=now).sent["weekly"] == 0
    assert run(make, now=monday_next_week).sent["weekly"] == 1
    assert len(smtp.to(person.email)) == 2


def test_a_claim_left_by_a_dead_process_is_taken_over_later(make, smtp):  # noqa: F811
    [person] = with_news(make, count=1)

    def die_while_sending():
        user_id = person.id
        key = f"daily:{utcnow().date().isoformat()}"
        db.session.add(EmailDigest(user_id=user_id, period_key=key, status=DigestStatus.SENDING,
                                   claimed_at=utcnow()))
        db.session.commit()

    make.run(die_while_sending)
    assert run(make).sent["daily"] == 0  # someone else may still be sending it
    assert smtp.messages == []
    assert run(make, now=utcnow() + timedelta(hours=1)).sent["daily"] == 1
    assert len(smtp.to(person.email)) == 1


def test_smtp_failure_for_one_person_is_retried_on_the_next_run(app, make, smtp, monkeypatch):  # noqa: F811
    people = with_news(make, count=2)
    with monkeypatch.context() as down:
        down.setitem(app.config, "MAIL_PORT", 1)
        result = app.test_cli_runner().invoke(args=["digests", "send"])
    assert result.exit_code != 0 and "2 digest(s) could not be delivered" in result.output
    assert run(make).sent["daily"] == 2
    assert sorted(len(smtp.to(p.email)) for p in people) == [1, 1]


def test_new_suggestions_reach_volunteers_in_their_weekly_digest(make, smtp, tr):  # noqa: F811
    volunteer = make.user("volunteer", locale="en")
    resident = make.user("resident")
    make.request(resident, title="Boodschappen op donderdag", description="Een geheim detail over mijn huis.")
    report = run(make)
    assert report.sent["weekly"] == 1
    # (The volunteer fits it best of all, so they also had a notice straight away: see test_notices.py.)
    [mail] = [m for m in smtp.to(volunteer.email) if m["Subject"] == tr("en", "Samen: your news of this week")]
    text, rich = parts(mail)
    assert tr("en", "New requests that suit you") in text
    assert tr("en", "Matches your skill ‘%(skill)s’", skill="boodschappen") in text  # why, in their own words
    assert "Boodschappen op donderdag" in text and "geheim detail" not in text + rich
    assert run(make).sent["weekly"] == 0
    stored = make.run(lambda: db.session.execute(select(EmailDigest.period_key)).scalars().all())
    assert len(stored) == 1 and stored[0].startswith("weekly:")


def test_a_digest_cites_the_requests_words_only_from_its_title(make, smtp, tr):  # noqa: F811
    """Why a request fits is said in the request's own words, but an e-mail names only the title: words the engine
    found in the description are left out."""
    volunteer = make.user("volunteer", locale="en")
    _profile(make, volunteer, ["boodschappen doen"])
    make.run(lambda: (services.set_channel(db.session.get(User, volunteer.id), "best_fit", "off"),
                      db.session.commit()))
    resident = make.user("resident")
    make.request(resident, title="Hulp in huis", category_key="groceries",
                 description="Wie haalt mijn boodschappen? Mijn adres en mijn ziekte vertel ik later.")
    assert run(make).sent["weekly"] == 1
    [mail] = smtp.to(volunteer.email)
    text, rich = parts(mail)
    assert "Hulp in huis" in text and "Matches your skill ‘boodschappen doen’" in text
    assert "Asked for" not in text + rich and "adres" not in text + rich


def test_a_digest_names_only_initiative_needs_posted_since_the_last_one(make, smtp, tr):  # noqa: F811
    """Needs are read from the stored list, only those posted after the person's last digest (in the first one: the
    past week); an older need in the same list is not named again."""
    from tests.webapp import initiative_helpers as ini
    from webapp.initiatives.models import InitiativeNeed

    volunteer = make.user("volunteer", locale="en")
    ini.skills(make, volunteer, ["tuinieren"])
    organiser = make.user("organiser")
    old = ini.need(make, organiser, ini.initiative(make, organiser, name="Buurttuin Parkwijk"),
                   title="Onkruid wieden in de moestuin")
    ini.need(make, organiser, ini.initiative(make, organiser), title="Tuinieren op zaterdag")

    def age_the_old_need():
        db.session.get(InitiativeNeed, old.id).created_at = utcnow() - timedelta(days=10)
        db.session.commit()

    make.run(age_the_old_need)
    assert run(make).sent["weekly"] == 1
    [mail] = [m for m in smtp.to(volunteer.email) if m["Subject"] == tr("en", "Samen: your news of this week")]
    text, rich = parts(mail)
    assert "Moestuin Schalkwijk: Tuinieren op zaterdag" in text
    assert "Onkruid wieden" not in text + rich and "Buurttuin Parkwijk" not in text + rich
