"""The CSRF sweep: with CSRF on (as in production), every POST route of the app, sent without a token by someone
who may use it, is refused with the translated 400 page and changes nothing. A new POST route is swept
automatically, because the list comes from app.url_map (via the route × role matrix, which must cover it)."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.conftest import PASSWORD, sibling_app, visible
from tests.webapp.route_matrix import FORM_DATA, MATRIX
from tests.webapp.route_world import ROLES, build_world, token_of
from tests.webapp.test_route_matrix import REFUSALS, app_routes, fingerprint
from webapp.extensions import csrf, db

# POST routes that need no CSRF token, and why. Nothing else may be exempt.
EXEMPT = {
    "notifications.unsubscribe": "the signed, expiring token in the URL is the proof; mail programs POST there "
                                 "without a form (RFC 8058 one-click unsubscribe)",
}
CSRF_MESSAGE = ("We could not save the form because the page was open for a long time. Go back with the back button "
                "of your browser: what you typed is usually still there. Then send it again.")


@pytest.fixture
def csrf_app(app):
    second = sibling_app(app, WTF_CSRF_ENABLED=True)
    yield second
    with second.app_context():
        db.session.remove()
        db.engine.dispose()


def logged_in(csrf_app, email: str | None) -> FlaskClient:
    """A client of the CSRF-on app, logged in the way a browser does it (with the token from the form)."""
    client = csrf_app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "nl"
    if email is not None:
        response = client.post("/inloggen", data={"email": email, "password": PASSWORD,
                                                  "csrf_token": token_of(client)})
        assert response.status_code == 302
    return client


def test_only_the_declared_routes_are_exempt_from_csrf(app):
    exempt = {name.removeprefix("webapp.").replace(".views.", ".") for name in csrf._exempt_views}
    assert exempt == set(EXEMPT)


def test_every_post_without_a_token_is_refused_and_changes_nothing(app, csrf_app, tr):
    world = build_world(app)
    clients: dict[str, FlaskClient] = {}
    posts = sorted((endpoint for endpoint, method in app_routes(app) if method == "POST"))
    assert len(posts) > 40
    problems = []
    for endpoint in posts:
        if endpoint in EXEMPT:
            continue
        expected = MATRIX[(endpoint, "POST")].expected
        role = next(r for r in ROLES if expected[r] not in REFUSALS)  # someone who may use it
        if role not in clients:
            clients[role] = logged_in(csrf_app, None if role == "anonymous" else world.emails[role])
        url = world.url(csrf_app, endpoint, MATRIX[(endpoint, "POST")].args)
        before = fingerprint(app)
        response = clients[role].post(url, data=FORM_DATA.get(endpoint, {}))
        if response.status_code != 400 or tr("nl", CSRF_MESSAGE) not in visible(response):
            problems.append(f"{endpoint} as {role}: {response.status_code}, not the CSRF page")
        if fingerprint(app) != before:
            problems.append(f"{endpoint} as {role}: the database changed")
    assert not problems, "\n".join(problems)
    for role, client in clients.items():  # nobody was logged out by the token-less POST /uitloggen
        if role != "anonymous":
            assert client.get("/mijn").status_code == 200, role


def test_the_exempt_unsubscribe_route_refuses_a_forged_link(app, csrf_app):
    build_world(app)
    before = fingerprint(app)
    client = logged_in(csrf_app, None)
    for forged in ("eyJ1IjoiYWJjIiwiayI6ImFsbCJ9.forged.signature", "x"):
        assert client.post(f"/berichten/afmelden/{forged}").status_code == 400
    assert fingerprint(app) == before
