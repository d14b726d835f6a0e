"""Many people pressing a button at the same moment, through the web: each person is a test client with its own
session, logged in through the login form (staff with their authenticator code too) and sending the CSRF token
from the page, on an app with CSRF protection on, as in production (the `csrf_app` fixture). All of them wait at
a threading.Barrier and then press at once. Used by tests/webapp/test_concurrency.py and
tests/webapp/test_decision_races.py.

Runs on the session's database: an SQLite file in WAL mode, or PostgreSQL with TEST_DATABASE_URL."""

from __future__ import annotations

import html
import re
import threading
import time
from collections import Counter
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pyotp
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update

from tests.conftest import SETUP_SECRET_RE, csrf_token, page_text
from tests.factories import PASSWORD, TOTP_SECRET
from webapp.accounts.models import User
from webapp.core.extensions import db

TIMEOUT = 60
BUDGET_SECONDS = 30  # each race, from the barrier to the last answer


def log_in(web: Flask, email: str, lang: str = "en") -> FlaskClient:
    """A client logged in through the forms; staff type the code of their authenticator app as well."""
    client = web.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = lang
    token = csrf_token(page_text(client.get("/inloggen")))
    answer = client.post("/inloggen", data={"email": email, "password": PASSWORD, "csrf_token": token})
    assert answer.status_code == 302, page_text(answer)[:300]
    step = urlsplit(answer.headers["Location"]).path
    if step in ("/inloggen/code", "/inloggen/app-koppelen"):
        page = page_text(client.get(step))
        found = SETUP_SECRET_RE.search(page)
        secret = found.group(1).replace(" ", "") if found else TOTP_SECRET
        with web.app_context():  # a code counts once per 30 seconds; tests log the same person in more often
            db.session.execute(update(User).where(User.email == email).values(totp_last_step=None))
            db.session.commit()
            db.session.remove()
        done = client.post(step, data={"code": pyotp.TOTP(secret).now(), "csrf_token": csrf_token(page)})
        assert done.status_code == 302 and "/inloggen" not in done.headers["Location"], page_text(done)[:300]
    return client


def race(count: int, prepare: Callable[[int], Any], press: Callable[[int, Any], Any]) -> tuple[list[Any], float]:
    """prepare(i) runs in each thread first (loading the page); then all threads wait at a barrier and
    press(i, prepared) at the same moment. Returns each thread's answer (an HTTP response, or the error it
    raised) and the seconds from the barrier to the last answer."""
    barrier = threading.Barrier(count + 1, timeout=TIMEOUT)
    answers: list[Any] = [None] * count

    def worker(i: int) -> None:
        try:
            prepared = prepare(i)
        except Exception as error:  # reported by the caller's assertions
            answers[i] = error
            barrier.abort()
            return
        try:
            barrier.wait()
            answers[i] = press(i, prepared)
        except Exception as error:
            answers[i] = error

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.monotonic()
    for thread in threads:
        thread.join(TIMEOUT)
    return answers, time.monotonic() - started


def statuses(answers: list[Any]) -> Counter[Any]:
    return Counter(getattr(a, "status_code", None) or f"{type(a).__name__}: {a}" for a in answers)


HIDDEN_RE = re.compile(r'<input[^>]*type="hidden"[^>]*>')


def form_fields(page: str, action: str) -> dict[str, str]:
    """The hidden fields (CSRF token, state at page load) of the form on the page that posts to `action` (or, when
    there is none, of the page's form without an action, which posts to the page itself)."""
    found = re.search(rf'<form[^>]*action="{re.escape(action)}"[^>]*>(.*?)</form>', page, re.S) or \
        re.search(r'<form(?![^>]*action=)[^>]*method="post"[^>]*>(.*?)</form>', page, re.S)
    assert found, f"no form posting to {action} on the page"
    fields = {}
    for tag in HIDDEN_RE.findall(found.group(1)):
        name, value = re.search(r'name="([^"]*)"', tag), re.search(r'value="([^"]*)"', tag)
        if name:
            fields[html.unescape(name.group(1))] = html.unescape(value.group(1)) if value else ""
    return fields
