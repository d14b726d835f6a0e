"""Shared fixtures: one schema per test session (built by the migrations), a clean database per test.

Set TEST_DATABASE_URL (postgresql+psycopg://user@127.0.0.1:PORT/db) to run everything on PostgreSQL.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import text

from webapp import create_app
from webapp.extensions import db
from tests.factories import Maker
from webapp.reference.services import load_reference_data

REFERENCE_TABLES = {"stadsdelen", "wijken", "buurten", "postcode_areas", "goals", "categories",
                    "category_goals", "alembic_version"}


def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


def reset_schema(url: str) -> None:
    """Start from an empty database, so the migrations build every table."""
    if url.startswith("postgresql"):
        db.session.execute(text("DROP SCHEMA public CASCADE"))
        db.session.execute(text("CREATE SCHEMA public"))
        db.session.commit()


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    url = database_url(tmp_path_factory)
    instance = tmp_path_factory.mktemp("instance")
    application = create_app({
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": url,
        "WTF_CSRF_ENABLED": False,
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_COST": 256,
        "INSTANCE_PATH": str(instance),
        "MATCHING_MODEL_PATH": str(instance / "no-model.bin"),
    })
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
    """login(user_or_email, password=...) → a fresh client logged in as that person."""

    def _login(email: str, password: str = "correct horse battery") -> FlaskClient:
        new_client = app.test_client()
        response = new_client.post("/inloggen", data={"email": email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return new_client

    return _login


CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def csrf_token(html: str) -> str:
    found = CSRF_RE.search(html)
    assert found, "no CSRF token on the page"
    return found.group(1) or found.group(2)


def page_text(response: Any) -> str:
    return str(response.get_data(as_text=True))
