"""E-mail notifications end to end: a real SMTP server on loopback receives what the app sends, in the
recipient's language, plain text and HTML, with a signed unsubscribe link that works without logging in."""

from __future__ import annotations

import html
import re
from datetime import timedelta
from pathlib import Path

import pytest
from flask_babel import force_locale
from itsdangerous import TimestampSigner
from sqlalchemy import select, update

from tests.conftest import html_lang, sibling_app, visible
from tests.webapp.mail_helpers import parts, smtp, unsubscribe_path  # noqa: F401 (smtp is a fixture)
from webapp.accounts.models import User
from webapp.core import outbox
from webapp.core.extensions import db
from webapp.core.ids import utcnow
from webapp.core.outbox import OutboxMail
from webapp.notifications import kinds, services
from webapp.notifications.emails import SUBJECTS, render_instant, unsubscribe_token
from webapp.notifications.models import Notification, NotificationPreference

LANGS = ["nl", "en"]
SECRET_TEXT = "Mijn sleutel ligt onder de mat bij nummer 12."


def prefs_of(user_id):
    return {p.kind: p.channel for p in db.session.execute(
        select(NotificationPreference).where(NotificationPreference.user_id == user_id)).scalars()}


def set_pref(user_id, kind, channel):
    services.set_channel(db.session.get(User, user_id), kind, channel)
    db.session.commit()


@pytest.fixture
def scene(make):
    def _scene(lang="nl"):
        resident = make.user("resident", locale=lang, first_name="Ans")
        volunteer = make.user("volunteer", first_name="Karim", last_name="El Amrani", phone="06-99887766",
                              email=f"karim-{lang}@example.org")
        help_request = make.request(resident, title="Hulp bij de boodschappen", description=SECRET_TEXT)
        return resident, volunteer, help_request
    return _scene


@pytest.mark.parametrize("lang", LANGS)
def test_a_response_is_emailed_straight_away_in_the_recipients_language(scene, login, smtp, tr, lang):  # noqa: F811
    resident, volunteer, help_request = scene(lang)
    # The volunteer browses in the other language: the mail follows the recipient, not the sender.
    client = login(volunteer.email, lang="en" if lang == "nl" else "nl")
    assert client.post(f"/vragen/{help_request.public_id}/reageren",
                       data={"message": "Ik kan woensdag"}).status_code == 302

    mails = smtp.to(resident.email)
    assert len(mails) == 1 and len(smtp.messages) == 1
    mail = mails[0]
    assert mail["Subject"] == tr(lang, "Samen: %(subject)s", subject=tr(lang, "New response to your request"))
    assert mail["Content-Language"] == lang
    assert mail.get_content_type() == "multipart/alternative"
    text, rich = parts(mail)
    sentence = tr(lang, "A neighbour responded to your request “%(title)s”.", title="Hulp bij de boodschappen")
    assert sentence in text and sentence in html.unescape(rich)
    assert tr(lang, "Hello %(name)s,", name="Ans") in text
    assert f'lang="{lang}"' in rich
    assert f"https://samen.example/vragen/{help_request.public_id}" in text
    # Nothing beyond the title: no description, no name, phone or e-mail of the volunteer.
    for secret in (SECRET_TEXT, "El Amrani", "06-99887766", volunteer.email, "Karim"):
        assert secret not in text and secret not in rich
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert str(mail["List-Unsubscribe"]).startswith("<https://samen.example/berichten/afmelden/")
    assert unsubscribe_path(mail) in text


@pytest.mark.parametrize("lang", LANGS)
def test_the_unsubscribe_link_asks_first_and_works_without_logging_in(scene, make, anon, smtp, tr, lang):  # noqa: F811
    resident, volunteer, help_request = scene(lang)
    make.respond(help_request, volunteer)
    path = unsubscribe_path(smtp.to(resident.email)[0])
    client = anon(lang)

    # Opening the link (as a mail scanner does) only asks; nothing changes yet.
    question = client.get(path)
    assert question.status_code == 200 and html_lang(question) == lang
    assert tr(lang, "Stop these e-mails?") in visible(question)
    assert tr(lang, "About: %(preference)s", preference=tr(lang, "Someone responds to my request")) in visible(question)
    assert f'<form method="post" action="{path}">' in question.get_data(as_text=True)
    assert make.run(prefs_of, resident.id) == {}

    # The one button, without logging in.
    page = client.post(path)
    assert page.status_code == 200 and html_lang(page) == lang
    assert tr(lang, "You get no more e-mails about this") in visible(page)
    assert make.run(prefs_of, resident.id) == {"response": "off"}

    # The next response arrives in the app, not by e-mail.
    make.respond(help_request, make.user("volunteer"))
    assert len(smtp.to(resident.email)) == 1
    assert make.count(Notification, Notification.user_id == resident.id) == 2


def test_one_click_unsubscribe_by_the_mail_program_needs_no_csrf_token(app, scene, make, smtp):  # noqa: F811
    """RFC 8058: the mail program POSTs List-Unsubscribe=One-Click to the List-Unsubscribe link, with no form."""
    resident, volunteer, help_request = scene()
    make.respond(help_request, volunteer)
    mail = smtp.to(resident.email)[0]
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    path = unsubscribe_path(mail)
    guarded = sibling_app(app, WTF_CSRF_ENABLED=True).test_client()
    response = guarded.post(path, data="List-Unsubscribe=One-Click",
                            content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert make.run(prefs_of, resident.id) == {"response": "off"}
    # Only that endpoint is exempt: Undo still needs the page's CSRF token.
    assert guarded.post(f"{path}/terug", data={"channel": "instant"}).status_code == 400
    assert make.run(prefs_of, resident.id) == {"response": "off"}


def test_undo_on_the_unsubscribe_page_turns_the_mails_back_on(scene, make, anon, smtp):  # noqa: F811
    resident, volunteer, help_request = scene()
    make.respond(help_request, volunteer)
    path = unsubscribe_path(smtp.to(resident.email)[0])
    client = anon("nl")
    assert 'name="channel"' not in client.get(path).get_data(as_text=True)  # nothing to undo yet
    page = client.post(path).get_data(as_text=True)
    assert 'name="channel" value="instant"' in page
    assert client.post(f"{path}/terug", data={"channel": "instant"}).status_code == 200
    assert make.run(prefs_of, resident.id) == {"response": "instant"}
    assert client.post(f"{path}/terug", data={"channel": "sometimes"}).status_code == 400


@pytest.mark.parametrize("lang", LANGS)
def test_a_tampered_or_expired_link_is_refused_kindly(app, scene, make, anon, smtp, tr, monkeypatch, lang):  # noqa: F811
    resident, volunteer, help_request = scene(lang)
    make.respond(help_request, volunteer)
    path = unsubscribe_path(smtp.to(resident.email)[0])
    token = path.rsplit("/", 1)[1]

    tampered = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    for bad in (f"/berichten/afmelden/{tampered}", "/berichten/afmelden/not-a-token", path.replace(".", "x", 1)):
        response = anon(lang).get(bad)
        assert response.status_code == 400 and html_lang(response) == lang
        assert tr(lang, "This link does not work") in visible(response)
        assert anon(lang).post(bad).status_code == 400

    # A link older than MAIL_UNSUBSCRIBE_MAX_AGE_DAYS: signed 91 days ago.
    old = int((utcnow() - timedelta(days=91)).timestamp())
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: old)
    with app.app_context():
        expired = unsubscribe_token(resident.public_id, "response")
    monkeypatch.undo()
    response = anon(lang).get(f"/berichten/afmelden/{expired}")
    assert response.status_code == 400
    assert tr(lang, "This link is too old") in visible(response)
    assert make.run(prefs_of, resident.id) == {}  # nothing changed


@pytest.mark.parametrize("lang", LANGS)
def test_the_settings_page_saves_a_choice_per_kind(make, login, tr, lang):
    person = make.user("resident", "volunteer", locale=lang)
    client = login(person.email, lang=lang)
    page = client.get("/mijn/e-mail")
    assert page.status_code == 200 and html_lang(page) == lang
    text = visible(page)
    assert tr(lang, "Someone responds to my request") in text
    assert tr(lang, "Once a week, in one e-mail") in text
    choices = {"response": "daily", "accepted": "instant", "done": "weekly", "asked": "off",
               "suggestions": "daily", "need_signup": "instant", "need_filled": "weekly", "activity": "off",
               "centre": "daily", "other": "off", "vacancies": "daily", "following": "weekly"}
    assert client.post("/mijn/e-mail", data=choices).status_code == 302
    assert make.run(prefs_of, person.id) == choices
    assert 'selected value="daily"' in client.get("/mijn/e-mail").get_data(as_text=True)

    # Suggestions are worked out for a digest: "straight away" is not a choice for them.
    page = client.post("/mijn/e-mail", data={**choices, "suggestions": "instant"})
    assert page.status_code == 200
    assert make.run(prefs_of, person.id)["suggestions"] == "daily"


def test_off_means_no_mail_and_daily_waits_for_the_digest(scene, make, smtp):  # noqa: F811
    resident, volunteer, help_request = scene()
    make.run(set_pref, resident.id, "response", "off")
    make.respond(help_request, volunteer)
    make.run(set_pref, resident.id, "response", "daily")
    make.respond(help_request, make.user("volunteer"))
    assert smtp.messages == []
    emailed = make.run(lambda: [n.emailed_at is not None for n in db.session.execute(
        select(Notification).where(Notification.user_id == resident.id).order_by(Notification.id)).scalars()])
    assert emailed == [True, False]  # off: done with; daily: waits for the digest


def test_without_a_mail_server_mails_go_to_the_outbox_folder(app, scene, make, monkeypatch, tmp_path):
    monkeypatch.setitem(app.config, "MAIL_SERVER", "")
    monkeypatch.setitem(app.config, "MAIL_OUTBOX_DIR", str(tmp_path))
    resident, volunteer, help_request = scene()
    make.respond(help_request, volunteer)
    assert make.count(Notification, Notification.emailed_at.is_(None)) == 0
    assert make.run(outbox.send_waiting).sent == 1
    files = list(tmp_path.glob("*.eml"))
    assert len(files) == 1
    raw = files[0].read_text()
    assert f"To: {resident.email}" in raw and "List-Unsubscribe:" in raw


def test_a_failed_delivery_waits_in_the_outbox_and_is_sent_again_later(app, scene, make, login, smtp, monkeypatch):  # noqa: F811
    resident, volunteer, help_request = scene()
    with monkeypatch.context() as down:
        down.setitem(app.config, "MAIL_PORT", 1)  # nothing listens there
        response = login(volunteer.email).post(f"/vragen/{help_request.public_id}/reageren", data={"message": "Ja"})
        assert response.status_code == 302  # the response itself is saved
        report = make.run(outbox.send_waiting)
        assert (report.sent, report.failed) == (0, 1)
    waiting = make.run(lambda: db.session.execute(select(OutboxMail)).scalar_one())
    assert waiting.sent_at is None and waiting.attempts == 1 and waiting.next_try_at > utcnow()
    assert waiting.recipient == resident.email and waiting.text  # kept whole until it is sent

    result = app.test_cli_runner().invoke(args=["notifications", "send-pending"])
    assert result.exit_code == 0 and "Sent 0 e-mail(s)" in result.output, result.output  # not due yet

    def due_now() -> None:
        db.session.execute(update(OutboxMail).values(next_try_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()

    make.run(due_now)
    result = app.test_cli_runner().invoke(args=["notifications", "send-pending"])
    assert result.exit_code == 0, result.output
    assert "Sent 1 e-mail(s)" in result.output
    assert len(smtp.to(resident.email)) == 1
    sent = make.run(lambda: db.session.execute(select(OutboxMail)).scalar_one())
    assert sent.sent_at is not None and sent.text == sent.html == ""  # only the envelope stays
    result = app.test_cli_runner().invoke(args=["notifications", "send-pending"])
    assert "Sent 0 e-mail(s)" in result.output and len(smtp.messages) == 1


def test_a_rolled_back_action_sends_no_mail(app, scene, make, smtp):  # noqa: F811
    resident, _volunteer, help_request = scene()
    with app.app_context():
        services.notify(resident.id, "new_response", title="Nooit gebeurd", request=help_request.public_id)
        db.session.rollback()
        db.session.remove()
    assert smtp.messages == [] and make.count(Notification) == 0


def test_people_without_an_email_address_get_no_mail(app, make, smtp):  # noqa: F811
    resident = make.user("resident")

    def drop_address():
        db.session.get(User, resident.id).email = None
        db.session.commit()
        services.notify(resident.id, "new_response", title="Voor iemand zonder e-mail", request="x")
        db.session.commit()

    make.run(drop_address)
    assert smtp.messages == []
    assert make.count(Notification, Notification.emailed_at.is_not(None)) == 1


def test_every_notification_kind_has_a_sentence_and_a_preference(app):
    with app.test_request_context("/"):
        for preference, members in kinds.PREFERENCES.items():
            assert preference in kinds.DEFAULTS and preference in kinds.PREFERENCE_LABELS
            for kind in members:
                assert kinds.sentence(kind, {"title": "T", "name": "N"}) != "T", kind
                assert re.search(r"\bT\b|\bN\b", kinds.sentence(kind, {"title": "T", "name": "N"})), kind


def test_kinds_without_an_email_text_stay_in_the_app(make, smtp):  # noqa: F811
    person = make.user("resident")
    make.run(lambda: (services.notify(person.id, "some_future_kind", title="Iets"), db.session.commit()))
    assert smtp.messages == []
    assert make.count(Notification, Notification.emailed_at.is_(None)) == 0


NOTIFY_CALL = re.compile(r'(?:notify|_announce)\(\s*[^,()]+(?:\([^()]*\))?\s*,\s*"([a-z_]+)"')
STORED_KIND = re.compile(r'Notification\([^)]*?kind="([a-z_]+)"', re.DOTALL)


def notification_kinds_in_the_code() -> set[str]:
    """Every kind a feature can create: the notify(...) calls in webapp/ and the kinds the demo data stores."""
    found: set[str] = set()
    for path in (Path(__file__).parents[3] / "webapp").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        found.update(NOTIFY_CALL.findall(source))
        found.update(STORED_KIND.findall(source))
    return found


def test_every_kind_in_the_code_is_known_and_emailable():
    in_code = notification_kinds_in_the_code()
    assert {"new_response", "need_signup", "moderation_rejected", "handed_over", "activity_cancelled"} <= in_code
    known = {kind for members in kinds.PREFERENCES.values() for kind in members}
    assert in_code - known == set(), "these kinds have no e-mail preference and no e-mail sentence"


@pytest.mark.parametrize("lang", LANGS)
def test_every_kind_renders_as_a_mail_in_both_languages(app, make, tr, lang):
    person = make.user("volunteer", locale=lang, first_name="Ans")
    every_kind = notification_kinds_in_the_code() | {k for members in kinds.PREFERENCES.values() for k in members}
    with app.test_request_context("/"):
        user = db.session.get(User, person.id)
        for kind in sorted(every_kind):
            for item_kind in (("request", "profile") if kind.startswith("moderation_") else ("request",)):
                params = {"title": "Titel-X", "name": "Initiatief-Y", "request": "r1", "item_kind": item_kind}
                note = Notification(user_id=user.id, kind=kind, params=params)
                with force_locale(lang):
                    sentence = kinds.sentence(kind, params)
                assert sentence not in ("", "Titel-X"), f"{kind} has no sentence"
                mail = render_instant(user, note)
                text, rich = mail.text, html.unescape(mail.html)
                assert sentence in text and sentence in rich, kind
                assert mail.locale == lang and f'lang="{lang}"' in mail.html
                assert tr(lang, "Hello %(name)s,", name="Ans") in text
                preference = kinds.preference_for(kind)
                assert preference in SUBJECTS, f"{kind}: no subject for {preference}"
                with force_locale(lang):
                    subject = str(SUBJECTS[preference])
                assert mail.subject == tr(lang, "Samen: %(subject)s", subject=subject), kind
                assert mail.headers["List-Unsubscribe"].startswith("<") and mail.headers["List-Unsubscribe-Post"]
