"""AVG: download my data, delete my account, the retention job, the privacy statement."""

from __future__ import annotations

import json
import threading
from datetime import date, timedelta
from typing import Any

import pytest
from click.testing import Result
from sqlalchemy import select

from tests.browser.test_plain_language import jargon_in, readable_text
from tests.conftest import csrf_token, html_lang, sibling_app, visible
from tests.factories import PASSWORD
from tests.webapp import initiative_helpers as h
from webapp.accounts.models import AccountErasure, User
from webapp.asks import services as asks
from webapp.asks.models import HelpRequest, Match, Response
from webapp.core.audit import AuditEntry
from webapp.core.extensions import Base, db
from webapp.core.ids import utcnow
from webapp.initiatives.models import ActivityParticipant, Backing, Initiative, NeedSignup
from webapp.initiatives.services import back
from webapp.notifications.models import Notification
from webapp.privacy import export, services
from webapp.privacy.anonymise import PLACEHOLDER
from webapp.reports.periods import year_of
from webapp.reports.services import build_report, load_facts
from webapp.staff.models import Report

NAME, LAST, EMAIL, PHONE, POSTCODE = "Ezmeralda", "Vandertuin", "ezmeralda@example.org", "06-99887766", "2011 XY"
NEEDLES = (NAME, LAST, EMAIL, PHONE, POSTCODE)


def _facts() -> Any:
    """Everything the reports read, and the report of this year with no small-number hiding. A request's status
    only counts for "open and unanswered"; an open request that has a response counts the same when cancelled."""
    facts = load_facts(date(2000, 1, 1), date(2100, 1, 1))
    out: dict[str, Any] = {name: sorted(map(repr, getattr(facts, name))) for name in ("handovers", "activity",
                                                                                      "volunteers")}
    out["requests"] = sorted(repr(r._replace(status="open" if r.status == "open" and r.first_response_at is None
                                                 else "-")) for r in facts.requests)
    out["report"] = build_report(year_of(utcnow().date()), min_cell=1, with_trend=False)
    return out


def _set_postcode(make: Any, person: Any, postcode: str) -> None:
    def change() -> None:
        user = db.session.get(User, person.id)
        user.postcode = postcode
        if user.volunteer_profile:
            user.volunteer_profile.postcode = postcode
        db.session.commit()
    make.run(change)


def _everything_text() -> list[tuple[str, str, str]]:
    """Every text and JSON value in every table, as (table, column, text)."""
    out = []
    for table in Base.metadata.sorted_tables:
        for row in db.session.execute(select(table)).mappings():
            for column, value in row.items():
                if isinstance(value, str | dict | list):
                    out.append((table.name, column, value if isinstance(value, str) else json.dumps(value)))
    return out


@pytest.fixture
def busy_person(make: Any, login: Any) -> dict[str, Any]:
    """Ezmeralda is a resident and a volunteer with a bit of everything, and others around her."""
    me = make.user("resident", "volunteer", "organiser", first_name=NAME, last_name=LAST, email=EMAIL, phone=PHONE)
    _set_postcode(make, me, POSTCODE)
    helper = make.user("volunteer")
    other = make.user("resident")
    # her own requests: one done with thanks and hours, one matched (ongoing), one open with a response
    done = make.matched(me, helper, title=f"Boodschappen voor {NAME}", description=f"Voor mevrouw {LAST}")

    def finish() -> None:
        row = db.session.get(HelpRequest, done.id)
        asks.mark_done(row.requester, row)
        match = row.match
        match.hours = 2.5
        match.requester_thanks = f"Dank je wel, groet {NAME}"
        match.volunteer_thanks = f"Graag gedaan {NAME}"
        db.session.commit()
    make.run(finish)
    ongoing = make.matched(me, helper, title=f"Tuin van {LAST}")
    open_one = make.request(me, title="Lamp ophangen", description=f"Ik ben {NAME} {LAST}")
    make.respond(open_one, helper)
    # she helps someone else: a response and an ongoing match, with her name in the message
    theirs = make.matched(other, me, title="Hond uitlaten")
    pending = make.request(other, title="Gordijnen")
    make.respond(pending, me, message=f"Groet, {NAME}")
    make.offer(me, title=f"{NAME} helpt met fietsen", description=f"Vraag naar {NAME}")
    # initiatives: a backing, a sign-up with a message, an activity place
    organiser = make.user("organiser")
    ini = h.initiative(make, organiser)
    ini_id = ini.id
    need = h.need(make, organiser, ini)
    act = h.activity(make, organiser, ini)

    def join() -> None:
        user = db.session.get(User, me.id)
        back(user, db.session.get(Initiative, ini_id))
        db.session.add(NeedSignup(need_id=need.id, volunteer_id=me.id, message=f"Ik ben {NAME}"))
        db.session.add(ActivityParticipant(activity_id=act.id, user_id=me.id))
        db.session.add(Report(reporter_id=me.id, target_kind="request", request_id=pending.id, reason="spam",
                              details=f"Gemeld door {NAME}"))
        db.session.commit()
    make.run(join)
    return {"me": me, "helper": helper, "other": other, "done": done, "ongoing": ongoing, "open": open_one,
            "theirs": theirs, "pending": pending, "ini": ini}


# -- complete by construction --------------------------------------------------------------------------------------

def test_every_column_that_points_at_a_person_is_exported_or_excluded_with_a_reason(app):
    columns = services.user_columns()
    assert "help_requests.requester_id" in columns and "audit_log.actor_id" in columns  # the walk works
    forgotten = columns - set(export.EXPORTED) - set(export.EXCLUDED)
    assert not forgotten, f"add these to webapp/privacy/export.py (EXPORTED or EXCLUDED): {sorted(forgotten)}"
    assert not set(export.EXPORTED) & set(export.EXCLUDED)
    assert all(reason.strip() for reason in export.EXCLUDED.values())
    assert not (set(export.EXPORTED) | set(export.EXCLUDED)) - columns, "stale entries"


def test_every_column_that_points_at_a_person_is_handled_on_deletion(app):
    forgotten = services.user_columns() - services.ERASURE_HANDLED
    assert not forgotten, f"decide what deleting an account does with: {sorted(forgotten)}"


# -- download --------------------------------------------------------------------------------------------------------

def test_download_holds_my_data_and_nothing_secret_or_of_others(busy_person, login, make):
    me, other = busy_person["me"], busy_person["other"]
    client = login(EMAIL)
    page = client.get("/mijn/gegevens")
    assert page.status_code == 200 and "/mijn/gegevens/download" in visible(page)
    response = client.get("/mijn/gegevens/download")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="samen-mijn-gegevens-')
    data = json.loads(response.get_data(as_text=True))
    assert data["account"]["email"] == EMAIL and data["account"]["phone"] == PHONE
    assert data["account"]["postcode"] == POSTCODE
    assert {r["title"] for r in data["requests"]} == {f"Boodschappen voor {NAME}", f"Tuin van {LAST}",
                                                      "Lamp ophangen"}
    assert any(r["message"] == f"Groet, {NAME}" for r in data["responses"])
    assert len(data["matches"]) == 3
    assert data["offers"][0]["title"] == f"{NAME} helpt met fietsen"
    assert data["need_signups"][0]["message"] == f"Ik ben {NAME}"
    assert len(data["backings"]) == 1 and len(data["activity_signups"]) == 1
    assert data["reports_filed"][0]["details"] == f"Gemeld door {NAME}"
    assert data["volunteer_profile"]["postcode"] == POSTCODE
    assert data["notifications"], "the accepted/new-response messages are hers"
    text = response.get_data(as_text=True)
    for secret in ("argon2", "password", "session_token", make.fetch(User, me.id, "session_token").session_token):
        assert secret not in text
    # the other resident's contact details are only there because she was matched with her (she saw them)
    their_match = next(m for m in data["matches"] if m["request"] == busy_person["theirs"].public_id)
    assert their_match["other_party"]["email"] == other.email
    assert other.email not in json.dumps([m for m in data["matches"] if m is not their_match])


def test_the_download_needs_a_login(client):
    assert client.get("/mijn/gegevens/download").status_code == 302


# -- deleting an account ---------------------------------------------------------------------------------------------

def _delete(client: Any, password: str = PASSWORD) -> Any:
    page = client.get("/mijn/gegevens/verwijderen")
    return client.post("/mijn/gegevens/verwijderen", data={"password": password, "confirm": "y",
                                                            "csrf_token": csrf_token(visible(page))
                                                            if "csrf_token" in visible(page) else ""})


def test_deleting_my_account_leaves_nothing_personal_and_the_figures_unchanged(app, busy_person, login, make, tr):
    me, helper, other = busy_person["me"], busy_person["helper"], busy_person["other"]
    facts_before = make.run(_facts)
    helper_email = helper.email
    client = login(EMAIL)
    response = _delete(client)
    assert response.status_code == 302 and response.headers["Location"].endswith("/tot-ziens")
    goodbye = client.get("/tot-ziens")
    assert tr("nl", "Your account is deleted") in visible(goodbye)
    assert client.get("/mijn").status_code == 302, "logged out"

    def check() -> None:
        leftovers = [(t, c) for t, c, text in _everything_text() for needle in NEEDLES if needle in text]
        assert not leftovers, leftovers
        shell = db.session.get(User, me.id)
        assert shell.email is None and shell.password_hash is None and shell.roles == frozenset()
        assert db.session.get(AccountErasure, me.id) is not None
        # others keep their data
        assert db.session.get(User, helper.id).email == helper_email
        assert db.session.get(User, other.id).email == other.email
        assert db.session.get(HelpRequest, busy_person["pending"].id).title == "Gordijnen"
        # statistics stay: matches, hours, backing count, sign-up count
        assert db.session.get(HelpRequest, busy_person["done"].id).match.hours == 2.5
        assert db.session.execute(select(Backing)).scalars().all()
        ongoing = db.session.get(HelpRequest, busy_person["ongoing"].id)
        assert ongoing.status == "cancelled" and ongoing.title == PLACEHOLDER and ongoing.requester_id is None
        assert db.session.get(HelpRequest, busy_person["open"].id).status == "cancelled"
        # counterparts are told, kindly
        kinds = {n.kind for n in db.session.execute(select(Notification)).scalars()}
        assert {"match_ended_requester_left", "match_ended_helper_left", "request_withdrawn"} <= kinds
    make.run(check)
    assert make.run(_facts) == facts_before
    # staff no longer find her among the volunteers to screen
    staff = login(make.user("staff").email)
    assert helper.first_name in visible(staff.get("/werkruimte/vog"))
    assert PLACEHOLDER not in visible(staff.get("/werkruimte/vog")).split("<main", 1)[1]
    # she cannot log in, and the address can be used again
    assert app.test_client().post("/inloggen", data={"email": EMAIL, "password": PASSWORD}).status_code != 302
    assert make.user("resident", email=EMAIL).email == EMAIL


def test_a_wrong_password_deletes_nothing(busy_person, login, make, tr):
    client = login(EMAIL, lang="en")
    response = _delete(client, password="not my password at all")
    assert response.status_code == 400
    assert tr("en", "This password is not right.") in visible(response)
    assert make.fetch(User, busy_person["me"].id, "email").email == EMAIL


def test_a_person_without_password_is_deleted_by_staff_and_it_is_logged(make, login, tr):
    staff = make.user("staff")

    def resident_without_password() -> Any:
        user = db.session.execute(select(User).where(User.email == make_it.email)).scalar_one()
        user.email, user.password_hash = None, None
        db.session.commit()
        return user.public_id
    make_it = make.user("resident", first_name=NAME, phone=PHONE)
    public_id = make.run(resident_without_password)
    client = login(staff.email)
    page = client.get(f"/werkruimte/personen/{public_id}")
    assert f"/werkruimte/personen/{public_id}/verwijderen" in visible(page)
    refused = client.post(f"/werkruimte/personen/{public_id}/verwijderen", data={})
    assert refused.status_code == 400
    done = client.post(f"/werkruimte/personen/{public_id}/verwijderen", data={"confirm": "y"})
    assert done.status_code == 302
    entries = make.run(lambda: [(e.action, e.target_ref) for e in db.session.execute(select(AuditEntry)).scalars()])
    assert ("erase_account", public_id) in entries
    assert make.fetch(User, make_it.id, "first_name", "phone").phone == ""
    # an account with a password is the person's own to delete; a volunteer cannot use the staff page
    other = make.user("resident")
    assert client.get(f"/werkruimte/personen/{other.public_id}/verwijderen").status_code == 403
    assert login(other.email).get(f"/werkruimte/personen/{public_id}/verwijderen").status_code == 403


def test_deleting_and_accepting_at_the_same_moment_stays_consistent(app, make):
    me = make.user("resident", "volunteer")
    helper = make.user("volunteer")
    help_request = make.request(me)
    response_id = make.respond(help_request, helper)
    barrier = threading.Barrier(2, timeout=30)
    outcomes: dict[str, str] = {}

    def run(name: str, action: Any) -> None:
        with app.app_context():
            try:
                barrier.wait()
                action()
                db.session.commit()
                outcomes[name] = "ok"
            except asks.NoLongerOpen:
                db.session.rollback()
                outcomes[name] = "no longer open"
            except Exception as error:  # anything else is a failure
                db.session.rollback()
                outcomes[name] = f"{type(error).__name__}: {error}"
            finally:
                db.session.remove()

    def accept() -> None:
        row = db.session.get(HelpRequest, help_request.id)
        asks.accept_response(db.session.get(User, me.id), row, response_id)

    def erase() -> None:
        services.erase_account(db.session.get(User, me.id))

    threads = [threading.Thread(target=run, args=("accept", accept)),
               threading.Thread(target=run, args=("erase", erase))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert outcomes["erase"] == "ok", outcomes
    assert outcomes["accept"] in ("ok", "no longer open") or "database is locked" in outcomes["accept"], outcomes

    def state() -> tuple[str, str, int | None]:
        row = db.session.get(HelpRequest, help_request.id)
        return row.status, row.title, row.requester_id
    status, title, requester = make.run(state)
    assert status == "cancelled" and title == PLACEHOLDER and requester is None
    assert make.count(Match) <= 1


# -- retention -------------------------------------------------------------------------------------------------------

def _cli(app: Any, *args: str) -> Result:
    return app.test_cli_runner().invoke(args=["privacy", "retention", *args])


def test_retention_anonymises_old_closed_requests_once_and_keeps_the_figures(app, make):
    me = make.user("resident", first_name=NAME)
    helper = make.user("volunteer")
    old = make.matched(me, helper, title=f"Oud verzoek van {NAME}")
    recent = make.request(me, title="Nieuw verzoek")
    still_open = make.request(me, title="Nog open")
    long_ago = utcnow() - timedelta(days=400)

    def age() -> None:
        row = db.session.get(HelpRequest, old.id)
        asks.mark_done(row.requester, row)
        row.match.volunteer_thanks = f"Dank {NAME}"
        db.session.flush()
        row.created_at, row.closed_at = long_ago - timedelta(days=3), long_ago
        row.match.created_at = row.match.done_at = long_ago
        rec = db.session.get(HelpRequest, recent.id)
        rec.status, rec.closed_at = "cancelled", utcnow() - timedelta(days=30)
        db.session.commit()
    make.run(age)
    facts_before = make.run(_facts)
    dry = _cli(app, "--dry-run")
    assert "Would anonymise 1 request(s)" in dry.output
    assert make.fetch(HelpRequest, old.id, "title").title.startswith("Oud")
    first = _cli(app)
    assert first.exit_code == 0 and "Anonymised 1 request(s)" in first.output
    second = _cli(app)
    assert "Anonymised 0 request(s)" in second.output
    row = make.fetch(HelpRequest, old.id, "title", "description", "requester_id", "anonymised_at")
    assert row.title == PLACEHOLDER and row.requester_id is None and row.anonymised_at is not None
    assert make.fetch(HelpRequest, recent.id, "title").title == "Nieuw verzoek"
    assert make.fetch(HelpRequest, still_open.id, "title").title == "Nog open"
    texts = make.run(lambda: [r.message for r in db.session.execute(
        select(Response).where(Response.request_id == old.id)).scalars()])
    assert texts == [PLACEHOLDER]
    assert make.run(_facts) == facts_before
    # a shorter period from the command line reaches the recently closed one
    assert "Anonymised 1 request(s)" in _cli(app, "--months", "1").output


# -- the privacy statement -------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("lang", "words"), [("nl", "Autoriteit Persoonsgegevens"), ("en", "Data Protection")])
def test_the_privacy_statement_is_linked_from_every_page_and_names_the_retention_period(anon, lang, words, tr):
    client = anon(lang)
    home = client.get("/")
    assert 'href="/privacy"' in visible(home)
    assert 'href="/privacy"' in visible(client.get("/registreren"))
    page = client.get("/privacy")
    assert page.status_code == 200 and words in visible(page)
    assert "12" in visible(page)


PRIVACY_HEADINGS = {"nl": "Privacy\u00adverklaring", "en": "Privacy statement", "tr": "Gizlilik beyanı",
                    "ar": "بيان الخصوصية", "pl": "Polityka prywatności", "uk": "Заява про конфіденційність"}


@pytest.mark.parametrize("lang", sorted(PRIVACY_HEADINGS))
def test_the_privacy_statement_speaks_every_language_and_names_the_configured_centre(app, lang):
    configured = sibling_app(app, PRIVACY_CONTROLLER="Vrijwilligerscentrum Haarlem, Zijlweg 1, 2013 DA Haarlem",
                             PRIVACY_CONTACT_EMAIL="privacy@vwc-haarlem.example")
    page = configured.test_client().get("/privacy", headers={"Accept-Language": lang})
    text = visible(page)
    assert page.status_code == 200 and f"<h1>{PRIVACY_HEADINGS[lang]}</h1>" in text
    assert html_lang(page) == lang
    assert "Zijlweg 1, 2013 DA Haarlem" in text and "privacy@vwc-haarlem.example" in text
    assert "[" not in text.split("<main", 1)[1]  # no "[Naam vrijwilligerscentrum]" placeholder left


def test_the_retention_period_shown_is_the_configured_one(app):
    other = sibling_app(app, RETENTION_MONTHS=18)
    page = other.test_client().get("/privacy", headers={"Accept-Language": "nl"})
    assert "18 maanden" in visible(page)


# -- staff looking at sensitive requests -------------------------------------------------------------------------------

def _views_logged(make: Any, public_id: str) -> int:
    return make.count(AuditEntry, AuditEntry.action == "view_sensitive", AuditEntry.target_ref == public_id)


@pytest.mark.parametrize("page", ["/vragen/{id}", "/werkruimte/vragen/{id}/overdracht", "/melden/vraag/{id}",
                                  "/werkruimte/moderatie"])
def test_every_staff_page_with_a_sensitive_requests_text_is_logged(make, login, page):
    resident = make.user("resident")
    sensitive = make.request(resident, title="Hulp na ziekenhuis", needs_screening=True)
    ordinary = make.request(resident, title="Boodschappen")
    make.set_request(sensitive, moderation="held")
    make.set_request(ordinary, moderation="held")
    staff = login(make.user("staff").email)
    for target in (sensitive, ordinary):
        url = page.format(id=target.public_id)
        response = staff.get(url)
        assert response.status_code == 200, (url, response.status_code)
    assert _views_logged(make, sensitive.public_id) >= 1
    assert _views_logged(make, ordinary.public_id) == 0


def test_the_dutch_privacy_pages_use_plain_words(anon, login, make):
    person = make.user("resident")
    client = login(person.email, lang="nl")
    pages = {"statement": anon("nl").get("/privacy"), "my data": client.get("/mijn/gegevens"),
             "delete": client.get("/mijn/gegevens/verwijderen")}
    problems = [f"{name}: {entry}" for name, response in pages.items()
                for entry in jargon_in(readable_text(response.get_data(as_text=True)))]
    assert not problems, problems
