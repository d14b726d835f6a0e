"""Shared fixtures: one schema per test session (built by the migrations), a clean database per test.

Set TEST_DATABASE_URL (postgresql+psycopg://user@127.0.0.1:PORT/db) to run everything on PostgreSQL.
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

import pyotp
import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale, gettext, ngettext
from flask_migrate import upgrade
from sqlalchemy import create_engine, make_url, text

from tests.factories import PASSWORD, Maker
from webapp import create_app
from webapp.accounts.services import find_by_email
from webapp.core.extensions import db
from webapp.core.reference.services import load_reference_data

REFERENCE_TABLES = {"stadsdelen", "wijken", "buurten", "postcode_areas", "goals", "categories",
                    "category_goals", "alembic_version"}


def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return worker_database(url)
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"  # one file per process: per xdist worker too


def worker_database(url: str) -> str:
    """With `pytest -n 2` (pytest-xdist) each worker process gets a PostgreSQL database of its own, named after
    TEST_DATABASE_URL's with the worker's id added (made once, reused by later runs): two workers would otherwise
    reset one schema under each other."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker or not url.startswith("postgresql"):
        return url
    server = make_url(url)
    name = f"{server.database}_{worker}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            if connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}).first() \
                    is None:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return server.set(database=name).render_as_string(hide_password=False)


def reset_schema(url: str) -> None:
    """Start from an empty database, so the migrations build every table."""
    if url.startswith("postgresql"):
        db.session.execute(text("DROP SCHEMA public CASCADE"))
        db.session.execute(text("CREATE SCHEMA public"))
        db.session.commit()


def app_config(url: str, instance: str, **overrides: Any) -> dict[str, Any]:
    """The configuration of a test app; also used to build a second app (CSRF on, another database)."""
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": url,
        "WTF_CSRF_ENABLED": False,
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_COST": 256,
        "INSTANCE_PATH": instance,
        "MATCHING_MODEL_PATH": f"{instance}/no-model.bin",
        # Many tests log in quickly one after another; tests of rate limits and back-off switch them on.
        "RATELIMIT_ENABLED": False,
        # Tests send the outbox themselves (tests/webapp/mail_helpers.py); test_outbox.py runs the worker thread.
        "MAIL_WORKER": False,
        # The same for placing new requests into volunteers' stored lists (tests/webapp/suggestions/test_freshness.py).
        "PLACEMENT_WORKER": False,
        # One test process plays up to 200 people at once (tests/webapp/test_concurrency.py): a pool for that many
        # threads, where a gunicorn worker has 8 (webapp.core.database).
        "DATABASE_POOL_SIZE": 10,
        "DATABASE_MAX_OVERFLOW": 20,
        "DATABASE_POOL_TIMEOUT": 30,
        # Tests change rows and look at pages at once; tests/webapp/core/test_pagecache.py switches the cache on.
        "PAGE_CACHE_SECONDS": float(os.environ.get("TEST_PAGE_CACHE_SECONDS", "0")),
        **overrides,
    }


_SIBLINGS: list[Flask] = []


def sibling_app(app: Flask, **overrides: Any) -> Flask:
    """Another app on the same database as `app` (or another one, via SQLALCHEMY_DATABASE_URI). Its pooled
    connections are closed after the test (see _close_siblings), not whenever garbage collection gets to them."""
    other = create_app(app_config(app.config["SQLALCHEMY_DATABASE_URI"], app.config["INSTANCE_PATH"], **overrides))
    _SIBLINGS.append(other)
    return other


@pytest.fixture
def csrf_app(app: Flask) -> Flask:
    """A second app on the same database with CSRF protection on (the session app has it off)."""
    return sibling_app(app, WTF_CSRF_ENABLED=True)


@pytest.fixture(autouse=True)
def _close_siblings() -> Iterator[None]:
    """On PostgreSQL a connection left to the garbage collector raises a ResourceWarning in whatever test runs
    then; close the connections of every extra app a test made right after it."""
    yield
    while _SIBLINGS:
        with _SIBLINGS.pop().app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    url = database_url(tmp_path_factory)
    instance = tmp_path_factory.mktemp("instance")
    application = create_app(app_config(url, str(instance)))
    with application.app_context():
        reset_schema(url)
        upgrade()
        load_reference_data(db.session)
        db.session.commit()
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _clean_database(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every test starts with reference data only."""
    yield
    if "app" not in request.fixturenames:
        return
    application: Flask = request.getfixturevalue("app")
    with application.app_context():
        db.session.rollback()
        for table in reversed(db.metadata.sorted_tables):
            if table.name not in REFERENCE_TABLES:
                db.session.execute(table.delete())
        db.session.commit()
        db.session.remove()


@pytest.fixture
def ctx(app: Flask) -> Iterator[None]:
    with app.app_context():
        yield
        db.session.remove()


@pytest.fixture
def make(app: Flask) -> Maker:
    return Maker(app)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def login(app: Flask) -> Callable[..., FlaskClient]:
    """login(email, password=..., lang=None) → a fresh client logged in as that person (in that language)."""

    def _login(email: str, password: str = PASSWORD, lang: str | None = None) -> FlaskClient:
        new_client = app.test_client()
        response = new_client.post("/inloggen", data={"email": email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        complete_second_step(app, new_client, response, email)
        if lang:  # the language switcher, as a person would use it
            assert new_client.get(f"/taal/{lang}").status_code == 302
        return new_client

    return _login


SETUP_SECRET_RE = re.compile(r'class="secret">([A-Z2-7 ]+)<')


def complete_second_step(app: Flask, client: FlaskClient, response: Any, email: str) -> Any:
    """After a right password: staff and admins type a code from their authenticator app (setting the app up first
    when they have none yet), as a person with the app would. Returns the last response."""
    location = urlsplit(response.headers.get("Location", "")).path
    if location == "/inloggen/app-koppelen":
        found = SETUP_SECRET_RE.search(page_text(client.get(location)))
        assert found, "no secret on the set-up page"
        secret = found.group(1).replace(" ", "")
    elif location == "/inloggen/code":
        with app.app_context():
            user = find_by_email(email)
            assert user is not None and user.totp_secret
            secret = user.totp_secret
            # A code is accepted once per 30 seconds; tests log the same person in more often than that.
            user.totp_last_step = None
            db.session.commit()
            db.session.remove()
    else:
        return response
    done = client.post(location, data={"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 302 and "/inloggen" not in done.headers["Location"], page_text(done)[:500]
    return done


CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def csrf_token(html: str) -> str:
    found = CSRF_RE.search(html)
    assert found, "no CSRF token on the page"
    return found.group(1) or found.group(2)


def page_text(response: Any) -> str:
    return str(response.get_data(as_text=True))


def visible(response: Any) -> str:
    """The page as a person reads it: HTML entities decoded (so "it's" matches "it&#39;s")."""
    return html.unescape(page_text(response))


HTML_LANG_RE = re.compile(r'<html lang="([a-z]{2})"')


def html_lang(response: Any) -> str:
    found = HTML_LANG_RE.search(page_text(response))
    assert found, "no <html lang> on the page"
    return found.group(1)


@pytest.fixture
def tr(app: Flask) -> Callable[..., str]:
    """tr(lang, msgid, **params): what the app shows for this source string in that language, whatever the
    catalogue says right now (the Dutch catalogue is still being written). Never holds a context open."""

    def _tr(lang: str, msgid: str, plural: str | None = None, **params: Any) -> str:
        with app.test_request_context("/"), force_locale(lang):
            if plural is not None:
                count = params.pop("num")
                return str(ngettext(msgid, plural, count, **params))
            return str(gettext(msgid, **params))

    return _tr


@pytest.fixture
def anon(app: Flask) -> Callable[[str], FlaskClient]:
    """anon(lang): a logged-out client whose browser asks for that language (Accept-Language)."""

    def _anon(lang: str = "nl") -> FlaskClient:
        new_client = app.test_client()
        new_client.environ_base["HTTP_ACCEPT_LANGUAGE"] = lang
        return new_client

    return _anon


# Redirect targets that must never lead off the site (login ?next=, language switcher ?next=).
EVIL_TARGETS = ("https://evil.example/", "//evil.example/", "///evil.example/", "/\\evil.example",
                "/\\/evil.example", "\\\\evil.example", "/\t/evil.example", "javascript:alert(1)",
                "https:evil.example", " //evil.example")


def stays_on_site(location: str) -> bool:
    """A Location a browser resolves to this site: a path without a host, and nothing a browser
    would turn into one (a backslash or a control character after the first slash)."""
    parts = urlsplit(location)
    return (not parts.scheme and not parts.netloc and location.startswith("/")
            and not location.startswith("//") and "\\" not in location
            and not any(ord(ch) < 33 for ch in location))


def wtforms_message(lang: str, message: str) -> str:
    """A WTForms built-in message ("Not a valid date value.") as WTForms shows it in that language."""
    from babel import support
    from wtforms.i18n import messages_path

    return str(support.Translations.load(messages_path(), [lang], domain="wtforms").ugettext(message))


def is_checked(response: Any, name: str, value: str) -> bool:
    """Whether the checkbox or radio button name=value is ticked on the page."""
    for tag in re.findall(r"<input[^>]*>", page_text(response)):
        if f'name="{name}"' in tag and f'value="{value}"' in tag:
            return " checked" in tag
    raise AssertionError(f"no input {name}={value} on the page")
