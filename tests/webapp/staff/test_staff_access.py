"""Only staff and admins reach the workspace and the reports; the audit log is for admins only."""

from __future__ import annotations

import pytest

STAFF_PAGES = (
    "/werkruimte/",
    "/werkruimte/moderatie",
    "/werkruimte/vog",
    "/werkruimte/intake/nieuw",
    "/werkruimte/intakes",
    "/werkruimte/overdrachten",
    "/werkruimte/onbeantwoord",
    "/rapportage/",
    "/rapportage/export.csv",
)


@pytest.fixture
def pages(make):
    """Every GET page of the workspace, including those about one person or one request."""
    volunteer = make.user("volunteer")
    help_request = make.request(make.user("resident"))
    return (*STAFF_PAGES, f"/werkruimte/personen/{volunteer.public_id}",
            f"/werkruimte/vragen/{help_request.public_id}/overdracht")


def test_anonymous_visitors_are_sent_to_the_login_page(anon, pages):
    client = anon("nl")
    for url in (*pages, "/werkruimte/logboek"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/inloggen" in response.headers["Location"], url


@pytest.mark.parametrize("roles", [("resident",), ("volunteer",), ("organiser",), ("resident", "volunteer")])
def test_residents_volunteers_and_organisers_get_403(make, login, pages, roles):
    client = login(make.user(*roles, screened=True).email)
    for url in (*pages, "/werkruimte/logboek"):
        assert client.get(url).status_code == 403, url


@pytest.mark.parametrize("roles", [("staff",), ("admin",), ("staff", "admin")])
def test_staff_and_admins_reach_every_page(make, login, pages, roles):
    client = login(make.user(*roles).email)
    for url in pages:
        assert client.get(url).status_code == 200, url


def test_only_admins_read_the_audit_log(make, login):
    assert login(make.user("staff").email).get("/werkruimte/logboek").status_code == 403
    assert login(make.user("admin").email).get("/werkruimte/logboek").status_code == 200


@pytest.mark.parametrize("roles", [("resident",), ("volunteer",), ("organiser",)])
def test_nobody_else_can_post_staff_actions(make, login, roles):
    volunteer = make.user("volunteer")
    help_request = make.request(make.user("resident"))
    client = login(make.user(*roles).email)
    posts = (
        f"/werkruimte/personen/{volunteer.public_id}/vog",
        f"/werkruimte/personen/{volunteer.public_id}/blokkeren",
        f"/werkruimte/personen/{volunteer.public_id}/deblokkeren",
        f"/werkruimte/moderatie/request/{help_request.public_id}/goedkeuren",
        f"/werkruimte/moderatie/request/{help_request.public_id}/afwijzen",
        f"/werkruimte/vragen/{help_request.public_id}/overdracht",
        "/werkruimte/intake/nieuw",
        f"/werkruimte/onbeantwoord/{help_request.public_id}/uitnodigen/{volunteer.public_id}",
    )
    for url in posts:
        assert client.post(url, data={"checked_on": "2026-01-01", "reason": "x"}).status_code == 403, url


def test_the_menu_shows_the_workspace_only_to_staff(make, login):
    assert "/werkruimte/" not in login(make.user("volunteer").email).get("/").get_data(as_text=True)
    assert "/werkruimte/" in login(make.user("staff").email).get("/").get_data(as_text=True)
