"""The CSRF sweep: with CSRF on (as in production), every POST route of the app, sent without a token by someone
who may use it, is refused with the translated 400 page and changes nothing. A new POST route is swept
automatically, because the list comes from app.url_map (via the route × role matrix, which must cover it)."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import visible
from tests.webapp.route_matrix import FORM_DATA, MATRIX
from tests.webapp.route_world import HALF_WAY, ROLES, build_world, half_way_login, token_of
from tests.webapp.test_route_matrix import REFUSALS, app_routes, fingerprint
from webapp.core.extensions import csrf

# POST routes that need no CSRF token, and why. Nothing else may be exempt.
EXEMPT = {
    "notifications.unsubscribe": "the signed, expiring token in the URL is the proof; mail programs POST there "
                                 "without a form (RFC 8058 one-click unsubscribe)",
}
CSRF_MESSAGE = ("We could not save the form because the page was open for a long time. Go back with the back button "
                "of your browser: what you typed is usually still there. Then send it again.")


def csrf_on(monkeypatch: pytest.MonkeyPatch, app: Flask) -> None:
    """Switch CSRF checking on, as in production (Flask-WTF reads the setting on every request)."""
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)


def test_only_the_declared_routes_are_exempt_from_csrf(app):
    exempt = {name.removeprefix("webapp.").replace(".views.", ".") for name in csrf._exempt_views}
    assert exempt == set(EXEMPT)


def test_every_post_without_a_token_is_refused_and_changes_nothing(app, login, tr, monkeypatch):
    world = build_world(app)
    posts = sorted(endpoint for endpoint, method in app_routes(app) if method == "POST")
    assert len(posts) > 40
    # For each route, someone who may use it; the second login step is for a staff member half-way through login.
    roles = {endpoint: f"half-way {endpoint}" if endpoint in HALF_WAY else
             next(r for r in ROLES if MATRIX[(endpoint, "POST")].expected[r] not in REFUSALS) for endpoint in posts}
    clients: dict[str, FlaskClient] = {}
    for endpoint, role in roles.items():  # log in first, the usual way (the shared login fixture)
        if role in clients:
            continue
        if endpoint in HALF_WAY:
            clients[role] = half_way_login(app, world, endpoint)
        else:
            clients[role] = app.test_client() if role == "anonymous" else login(world.emails[role])
        clients[role].environ_base["HTTP_ACCEPT_LANGUAGE"] = "nl"
        clients[role].get("/taal/nl")
    csrf_on(monkeypatch, app)
    problems = []
    for endpoint in posts:
        if endpoint in EXEMPT:
            continue
        role = roles[endpoint]
        url = world.url(app, endpoint, MATRIX[(endpoint, "POST")].args)
        before = fingerprint(app)
        response = clients[role].post(url, data=FORM_DATA.get(endpoint, {}))
        if response.status_code != 400 or tr("nl", CSRF_MESSAGE) not in visible(response):
            problems.append(f"{endpoint} as {role}: {response.status_code}, not the CSRF page")
        if fingerprint(app) != before:
            problems.append(f"{endpoint} as {role}: the database changed")
    assert not problems, "\n".join(problems)
    for role, client in clients.items():  # nobody was logged out by the token-less POST /uitloggen
        if role != "anonymous" and not role.startswith("half-way"):
            assert client.get("/mijn").status_code == 200, role
    for endpoint in HALF_WAY:  # and the half-way logins are still waiting for their code
        assert clients[roles[endpoint]].get(world.url(app, endpoint, {})).status_code == 200, endpoint


def test_a_post_with_the_token_goes_through(app, login, monkeypatch):
    """The sweep's refusals come from the missing token, not from something else."""
    world = build_world(app)
    client = login(world.emails["resident"])
    csrf_on(monkeypatch, app)
    url = world.url(app, "asks.cancel", {"public_id": "request"})
    assert client.post(url).status_code == 400
    assert client.post(url, data={"csrf_token": token_of(client, f"/vragen/{world.values['request']}")}
                       ).status_code == 302


def test_the_exempt_unsubscribe_route_refuses_a_forged_link(app, monkeypatch):
    build_world(app)
    csrf_on(monkeypatch, app)
    before = fingerprint(app)
    client = app.test_client()
    for forged in ("eyJ1IjoiYWJjIiwiayI6ImFsbCJ9.forged.signature", "x"):
        assert client.post(f"/berichten/afmelden/{forged}").status_code == 400
    assert fingerprint(app) == before
