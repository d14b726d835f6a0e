"""Route × role matrix: every endpoint and method of the app, opened by every role, gives the status declared in
tests/webapp/route_matrix.py, and a refused request changes nothing in the database.

A new route fails `test_every_route_is_in_the_matrix` until it has a line in the matrix.
Set ROUTE_MATRIX_PRINT=1 to print the statuses the app gives now, as matrix lines (to review, never to paste
blindly).
"""

from __future__ import annotations

import hashlib
import os
import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import REFERENCE_TABLES
from tests.factories import make_user
from tests.webapp.route_matrix import FIXED_WORDS, FORM_DATA, MATRIX, STAFF_ONLY_NUMBERS, entries, run_order
from tests.webapp.route_world import ROLES, World, build_world
from webapp.core.extensions import db

REFUSALS = {"login", "403", "404"}
OPAQUE = {"request", "response", "matched", "offer", "asked", "resident", "volunteer", "other", "initiative", "need",
          "activity", "signup", "walk_in", "task", "token", "reset_token", "verify_token", "budget_open",
          "budget_voting", "budget_done", "plan_waiting", "plan_on_ballot", "plan_funded", "pending_initiative",
          "invitation", "invitation_token", "feed", "feed_signature", "intake"}
# Links from e-mails, not ids of the 12-character kind: signed ones, and the long random token of an invitation;
# a calendar feed's address (a long random id and its signature).
SIGNED = {"token", "reset_token", "verify_token", "invitation_token", "feed", "feed_signature"}


def app_routes(app: Flask) -> set[tuple[str, str]]:
    return {(rule.endpoint, method) for rule in app.url_map.iter_rules()
            for method in rule.methods or () if method not in ("HEAD", "OPTIONS")}


def test_every_route_is_in_the_matrix(app):
    declared = set(MATRIX)
    routes = app_routes(app)
    missing = sorted(routes - declared)
    stale = sorted(declared - routes)
    assert not missing, "routes without a line in tests/webapp/route_matrix.py: " + ", ".join(
        f"{e} {m}" for e, m in missing)
    assert not stale, "matrix lines for routes that no longer exist: " + ", ".join(f"{e} {m}" for e, m in stale)


def test_public_urls_cannot_be_enumerated(app):
    """Every route parameter is an opaque random id from the world, a fixed word, or a number on a staff-only
    route; and the world's ids are random 12-character tokens (webapp/core/ids.py), not counters."""
    world_keys = {key for entry in MATRIX.values() for key in entry.args.values()}
    assert world_keys - FIXED_WORDS <= OPAQUE | {"handover"}
    for rule in app.url_map.iter_rules():
        for name in rule.arguments:
            if type(rule._converters[name]).__name__ != "IntegerConverter":
                continue
            assert (rule.endpoint, name) in STAFF_ONLY_NUMBERS, f"{rule.endpoint}: <int:{name}> can be counted"
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                expected = MATRIX[(rule.endpoint, method)].expected
                assert all(expected[role] in REFUSALS for role in ROLES if role not in ("staff", "admin"))


def test_world_ids_are_random_tokens(app):
    world = build_world(app)
    for key in OPAQUE - SIGNED:
        assert re.fullmatch(r"[A-Za-z0-9_-]{12}", world.values[key]), key


def fingerprint(app: Flask) -> str:
    """A hash of every row of every table except the reference data."""
    digest = hashlib.sha256()
    with app.app_context():
        for table in db.metadata.sorted_tables:
            if table.name in REFERENCE_TABLES:
                continue
            rows = sorted(repr(tuple(row)) for row in db.session.execute(table.select()))
            digest.update(f"{table.name}:{rows}".encode())
        db.session.remove()
    return digest.hexdigest()


def outcome(response: Any) -> str:
    if response.status_code in (301, 302, 303) and "/inloggen" in response.headers.get("Location", ""):
        return "login"
    return str(response.status_code)


def run_role(app: Flask, world: World, role: str, client: FlaskClient) -> list[str]:
    """Open every matrix entry as this role; return the mismatches, one line each."""
    problems = []
    for entry in run_order():
        url = world.url(app, entry.endpoint, entry.args)
        expected = entry.expected[role]
        before = fingerprint(app) if expected in REFUSALS and entry.method != "GET" else None
        data = FORM_DATA.get(entry.endpoint, {}) if entry.method == "POST" else None
        response = client.open(url, method=entry.method, data=data)
        got = outcome(response)
        response.close()
        if got != expected:
            problems.append(f"{entry.endpoint} {entry.method} as {role}: expected {expected}, got {got} ({url})")
        elif before is not None and fingerprint(app) != before:
            problems.append(f"{entry.endpoint} {entry.method} as {role}: refused, but the database changed")
    return problems


@pytest.mark.parametrize("role", ROLES)
def test_every_role_gets_the_declared_status_on_every_route(app, login, role):
    world = build_world(app)
    client = app.test_client() if role == "anonymous" else login(world.emails[role])
    problems = run_role(app, world, role, client)
    assert not problems, "\n".join(problems)


def test_a_city_account_sees_the_figures_only(app, login):
    """The municipality's read-only account: the dashboard and exports as staff see them, and a 403 on every page
    with a person, a request or a queue on it (nothing changes in the database)."""
    world = build_world(app)
    with app.app_context():
        city = make_user("city", email="beleid@haarlem.example")
        db.session.commit()
        email = str(city.email)
    client = login(email)
    problems = []
    for entry in run_order():
        if entry.endpoint == "accounts.logout":
            continue
        url = world.url(app, entry.endpoint, entry.args)
        expected = entry.expected_for_city()
        before = fingerprint(app) if expected in REFUSALS and entry.method != "GET" else None
        response = client.open(url, method=entry.method,
                               data=FORM_DATA.get(entry.endpoint, {}) if entry.method == "POST" else None)
        got = outcome(response)
        response.close()
        if got != expected:
            problems.append(f"{entry.endpoint} {entry.method} as city: expected {expected}, got {got} ({url})")
        elif before is not None and fingerprint(app) != before:
            problems.append(f"{entry.endpoint} {entry.method} as city: refused, but the database changed")
    assert not problems, "\n".join(problems)
    assert sum(entry.expected_for_city() == "200" for entry in entries()) >= 3  # the figures are open to it


@pytest.mark.skipif(not os.environ.get("ROUTE_MATRIX_PRINT"), reason="set ROUTE_MATRIX_PRINT=1 to print")
def test_print_current_statuses(app, login):  # pragma: no cover
    results: dict[tuple[str, str], dict[str, str]] = {}
    for role in ROLES:
        world = build_world(app)
        client = app.test_client() if role == "anonymous" else login(world.emails[role])
        for entry in run_order():
            response = client.open(world.url(app, entry.endpoint, entry.args), method=entry.method,
                                   data=FORM_DATA.get(entry.endpoint, {}))
            results.setdefault((entry.endpoint, entry.method), {})[role] = outcome(response)
            response.close()
        with app.app_context():
            for table in reversed(db.metadata.sorted_tables):
                if table.name not in REFERENCE_TABLES:
                    db.session.execute(table.delete())
            db.session.commit()
    for entry in entries():
        got = results[(entry.endpoint, entry.method)]
        print(f"{entry.endpoint:34} {entry.method:4} {entry.args_text:42} " + " ".join(f"{got[r]:>5}" for r in ROLES))
