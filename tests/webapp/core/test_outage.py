"""When the database goes away (stopped, or frozen: it accepts connections and never answers), every page answers a
503 with Retry-After within seconds that says what is happening, a posted form comes back on that page to be sent
again, /health/ready says "not ready" while /health stays "ok", and the app recovers by itself when the database
returns.

The PostgreSQL tests start their own throwaway cluster (scripts/pg-throwaway.sh) so they can stop, start, freeze
and thaw it without touching the suite's database. Without PostgreSQL they are skipped with the reason, except in
CI (CI=true)."""

from __future__ import annotations

import html
import os
import re
import subprocess
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from glob import glob
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import event, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.datastructures import MultiDict

from tests.conftest import app_config, csrf_token, page_text, visible
from tests.factories import PASSWORD, make_user
from webapp import create_app
from webapp.asks import services
from webapp.asks.models import HelpRequest
from webapp.core import database
from webapp.core.extensions import db
from webapp.core.ids import utcnow
from webapp.core.outbox import OutboxMail
from webapp.core.reference.services import load_reference_data

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "pg-throwaway.sh"
FAST_ENOUGH = 5.0  # seconds from request to 503 page while the database is down (or frozen)
BROKEN_PAGE_SIGNS = ("Traceback", "OperationalError", "psycopg", "sqlalchemy", "Internal Server Error")


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def postgres_or_skip() -> None:
    if not glob("/usr/lib/postgresql/*/bin/initdb"):
        reason = "PostgreSQL is not installed (apt-get install postgresql): the outage test needs its own cluster"
        if in_ci():
            pytest.fail(f"CI=true but {reason}", pytrace=False)
        pytest.skip(reason)


def cluster(*args: str) -> str:
    done = subprocess.run([str(SCRIPT), *args], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture
def own_postgres(tmp_path: Path) -> Iterator[SimpleNamespace]:
    """A PostgreSQL cluster of this test only, with the schema and a resident."""
    postgres_or_skip()
    exports = dict(re.findall(r"export (\w+)=(\S+)", cluster("start")))
    pg = SimpleNamespace(dir=exports["SAMEN_PG_DIR"], url=exports["TEST_DATABASE_URL"])
    app = create_app(app_config(pg.url, str(tmp_path), WTF_CSRF_ENABLED=True))
    try:
        with app.app_context():
            upgrade()
            load_reference_data(db.session)
            resident = make_user("resident", locale="en")
            pg.email = resident.email
            db.session.remove()
        pg.app = app
        yield pg
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        cluster("stop", pg.dir)


def timed(call: Any, *args: Any, **kwargs: Any) -> tuple[Any, float]:
    started = time.monotonic()
    answer = call(*args, **kwargs)
    return answer, time.monotonic() - started


def assert_friendly_503(answer: Any, seconds: float, tr: Any,
                        heading: str = "Samen cannot reach its database right now") -> str:
    text = visible(answer)
    assert answer.status_code == 503, text[:500]
    assert answer.headers["Retry-After"] == "30"
    assert seconds < FAST_ENOUGH, f"the 503 page took {seconds:.1f} s"
    assert tr("en", heading) in text
    assert not any(sign in text for sign in BROKEN_PAGE_SIGNS)
    return text


def retry_form(answer: Any) -> tuple[str, list[tuple[str, str]]]:
    """The "Try again" form on a 503 page: its action and its hidden fields, as a browser would send them."""
    page = page_text(answer)
    form = re.search(r'<form method="post" action="([^"]*)">(.*?)</form>', page, re.S)
    assert form, "no form to send again"
    fields = [(html.unescape(n), html.unescape(v))
              for n, v in re.findall(r'<input type="hidden" name="([^"]*)" value="([^"]*)">', form.group(2))]
    return html.unescape(form.group(1)), fields


def log_in(app: Flask, email: str) -> FlaskClient:
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    token = csrf_token(page_text(client.get("/inloggen")))
    assert client.post("/inloggen", data={"email": email, "password": PASSWORD,
                                          "csrf_token": token}).status_code == 302
    return client


NEW_REQUEST = {
    "title": "Lamp <ophangen> & \"boren\"",
    "description": "Wie helpt mij een lamp op te hangen?\nIk heb zelf een boor.",
    "category": "odd_jobs",
    "postcode": "2012 AB",
    "slots": ["wed-morning", "sat-morning"],
    "languages": ["nl", "en"],
    "frequency": "once",
}


def test_postgres_stops_pages_answer_503_quickly_forms_come_back_and_the_app_recovers(own_postgres, tr):
    app = own_postgres.app
    anonymous = app.test_client()
    anonymous.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    resident = log_in(app, own_postgres.email)
    token = csrf_token(page_text(resident.get("/vragen/nieuw")))
    login_token = csrf_token(page_text(anonymous.get("/inloggen")))  # the pool now holds connections about to die

    cluster("pause", own_postgres.dir)
    try:
        assert_friendly_503(*timed(anonymous.get, "/vragen/"), tr)
        assert_friendly_503(*timed(resident.get, "/mijn"), tr)  # fails while loading who is logged in

        posted, seconds = timed(resident.post, "/vragen/nieuw", data={**NEW_REQUEST, "csrf_token": token})
        text = assert_friendly_503(posted, seconds, tr)
        assert NEW_REQUEST["title"] in text and "Lamp &lt;ophangen&gt; &amp; &#34;boren&#34;" in page_text(posted)
        assert "odd_jobs" not in re.sub(r"<input[^>]*>", "", page_text(posted))  # codes are sent again, not shown
        action, fields = retry_form(posted)
        assert action == "/vragen/nieuw"
        assert sorted(f for f in fields if f[0] != "csrf_token") == sorted(
            (name, value) for name, values in NEW_REQUEST.items()
            for value in (values if isinstance(values, list) else [values]))

        login_form = {"email": own_postgres.email, "password": "my secret words 123", "csrf_token": login_token}
        refused_login, seconds = timed(anonymous.post, "/inloggen", data=login_form)
        text = assert_friendly_503(refused_login, seconds, tr)
        assert "my secret words 123" not in page_text(refused_login)
        assert tr("en", "For your safety we did not keep your password. You will have to type it again.") in text
        assert ("email", own_postgres.email) in retry_form(refused_login)[1]
    finally:
        cluster("resume", own_postgres.dir)

    # Back: no restart of the app, the same clients carry on, and "Try again" stores the request once.
    assert anonymous.get("/vragen/").status_code == 200
    again = resident.post(action, data=MultiDict(fields))
    assert again.status_code == 302, visible(again)[:500]
    with app.app_context():
        stored = db.session.execute(select(HelpRequest)).scalars().all()
        assert [(r.title, r.description.replace("\r\n", "\n")) for r in stored] == [
            (NEW_REQUEST["title"], NEW_REQUEST["description"])]
        assert sorted(stored[0].slots) == ["sat-morning", "wed-morning"]
        db.session.remove()


def test_database_errors_never_become_a_500_or_a_stack_trace(app, make, login, tr, monkeypatch):
    """Any view that hits a broken connection (here: the listing) gives the same 503 page; an outage while
    drawing an error page (here: a 404 while the user lookup fails) does too."""
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise OperationalError("SELECT 1", {}, Exception("server closed the connection unexpectedly"))

    resident = make.user("resident", locale="en")
    client = login(resident.email, lang="en")
    monkeypatch.setattr(services, "list_open_requests", broken)
    assert_friendly_503(*timed(client.get, "/vragen/"), tr)

    monkeypatch.setattr("webapp.accounts.services.find_by_login_id", broken)
    monkeypatch.setattr(app.login_manager, "_user_callback", broken)
    assert_friendly_503(*timed(client.get, "/bestaat-niet"), tr)


def test_the_page_says_busy_when_the_database_answered_but_had_no_room(app, make, login, tr, monkeypatch):
    """Every connection in use (or a statement that ran out of time) is not "cannot reach": the page says so."""
    client = login(make.user("resident", locale="en").email, lang="en")
    for problem in (PoolTimeout("QueuePool limit of size 5 overflow 4 reached, connection timed out"),
                    OperationalError("SELECT", {}, Exception("canceling statement due to statement timeout"))):
        def busy(*args: Any, problem: Exception = problem, **kwargs: Any) -> Any:
            raise problem

        monkeypatch.setattr(services, "list_open_requests", busy)
        text = assert_friendly_503(*timed(client.get, "/vragen/"), tr, heading="Samen is very busy right now")
        assert tr("en", "Samen cannot reach its database right now") not in text


def test_postgres_connections_wait_a_bounded_time_for_everything():
    options = database.engine_options("postgresql+psycopg://samen@db.example/samen", {
        "DATABASE_POOL_SIZE": 6, "DATABASE_MAX_OVERFLOW": 3, "DATABASE_STATEMENT_TIMEOUT": 4,
        "DATABASE_LOCK_TIMEOUT": 2, "DATABASE_POOL_TIMEOUT": 2.5})
    assert (options["pool_size"], options["max_overflow"], options["pool_timeout"]) == (6, 3, 2.5)
    args = options["connect_args"]
    assert 1 <= args["connect_timeout"] <= 5
    assert "-c statement_timeout=4000" in args["options"] and "-c lock_timeout=2000" in args["options"]
    assert args["samen_answer_timeout"] == 4 + database.ANSWER_MARGIN_SECONDS
    defaults = database.engine_options("postgresql+psycopg://samen@db.example/samen", {})
    assert defaults["pool_size"] + defaults["max_overflow"] == 9  # 8 gunicorn threads and the outbox thread


def test_postgres_frozen_pages_answer_503_within_seconds_ready_says_so_and_the_app_recovers(own_postgres, tr):
    """PostgreSQL frozen (SIGSTOP), not stopped: connections open, no answers. Its own timeouts cannot fire; the
    app's do (the ping when a connection leaves the pool, the answer timeout, the connect timeout)."""
    app = own_postgres.app
    anonymous = app.test_client()
    anonymous.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    resident = log_in(app, own_postgres.email)
    for _ in range(3):  # the pool holds connections that are about to hang
        assert anonymous.get("/vragen/").status_code == 200
        assert resident.get("/mijn").status_code == 200
    assert anonymous.get("/health/ready").get_data(as_text=True) == "ready"

    cluster("freeze", own_postgres.dir)
    watchdog = threading.Timer(20, cluster, ("thaw", own_postgres.dir))  # an app that waits forever fails, not hangs
    watchdog.start()
    try:
        assert_friendly_503(*timed(anonymous.get, "/vragen/"), tr)
        assert_friendly_503(*timed(resident.get, "/mijn"), tr)
        assert_friendly_503(*timed(anonymous.get, "/vragen/"), tr)
        alive, seconds = timed(anonymous.get, "/health")
        assert (alive.status_code, alive.get_data(as_text=True)) == (200, "ok") and seconds < 0.5
        ready, seconds = timed(anonymous.get, "/health/ready")
        assert ready.status_code == 503 and seconds < FAST_ENOUGH
        assert ready.get_data(as_text=True) == "not ready: database unreachable"
    finally:
        watchdog.cancel()
        cluster("thaw", own_postgres.dir)

    deadline = time.monotonic() + 30
    while anonymous.get("/health/ready").status_code != 200 and time.monotonic() < deadline:
        time.sleep(0.5)
    assert anonymous.get("/vragen/").status_code == 200
    assert resident.get("/mijn").status_code == 200


def test_ready_checks_the_database_and_how_long_mail_has_waited(app, make, monkeypatch):
    client = app.test_client()
    assert (client.get("/health/ready").status_code, client.get("/health/ready").get_data(as_text=True)) == (
        200, "ready")
    assert "Set-Cookie" not in client.get("/health/ready").headers
    # A mail that has waited 90 minutes (the mail server is gone): not ready, unless the caller asks about the
    # database only (a load balancer should not take every server out because mail is stuck).
    make.run(lambda: (db.session.add(OutboxMail(recipient="a@example.org", subject="Hallo", text="", html="",
                                                created_at=utcnow() - timedelta(minutes=90))), db.session.commit()))
    waiting = client.get("/health/ready")
    assert (waiting.status_code, waiting.get_data(as_text=True)) == (503, "not ready: e-mail waiting for 90 minutes")
    assert client.get("/health/ready?only=database").status_code == 200
    monkeypatch.setitem(app.config, "HEALTH_OUTBOX_MAX_MINUTES", 0)
    assert client.get("/health/ready").status_code == 200

    def down(*args: Any, **kwargs: Any) -> Any:
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(db.session, "execute", down)
    gone = client.get("/health/ready")
    assert (gone.status_code, gone.get_data(as_text=True)) == (503, "not ready: database unreachable")
    assert client.get("/health").get_data(as_text=True) == "ok"


def test_the_database_going_away_during_a_save_gives_the_503_page_not_a_500(app, make, login, tr):
    """PostgreSQL killed while a response is being saved: the flush fails, the session's objects are expired and
    the session refuses to load them again until it is rolled back. The 503 page must not try."""
    resident, volunteer = make.user("resident"), make.user("volunteer", locale="en")
    help_request = make.request(resident)
    client = login(volunteer.email)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    with app.app_context():
        engine = db.engine

    def killed(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO RESPONSES"):
            raise OperationalError(statement, {}, Exception("server closed the connection unexpectedly"))

    event.listen(engine, "before_cursor_execute", killed)
    try:
        answer, seconds = timed(client.post, f"/vragen/{help_request.public_id}/reageren",
                                data={"message": "Ik kan woensdag helpen."})
    finally:
        event.remove(engine, "before_cursor_execute", killed)
    text = assert_friendly_503(answer, seconds, tr)
    assert "Ik kan woensdag helpen." in text  # kept, to send again
    assert client.get(f"/vragen/{help_request.public_id}").status_code == 200  # and the next page is fine


def test_the_database_going_away_after_the_page_was_made_does_not_turn_it_into_a_500(app, make, login):
    """PostgreSQL killed (or frozen) between the page's last query and the end of the request: giving the
    connection back (a rollback) fails. The page was made; it is sent, and the connection is thrown away."""
    client = login(make.user("resident", locale="en").email)
    with app.app_context():
        engine = db.engine

    def killed(conn: Any) -> None:
        raise OperationalError("ROLLBACK", {}, Exception("server closed the connection unexpectedly"))

    event.listen(engine, "rollback", killed)
    try:
        answer = client.get("/vragen/nieuw")
    finally:
        event.remove(engine, "rollback", killed)
    assert answer.status_code == 200
    assert client.get("/vragen/nieuw").status_code == 200
