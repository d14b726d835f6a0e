"""Security headers: a CSP without inline scripts, no framing, and HSTS only in production."""

from __future__ import annotations

import pytest

from webapp import create_app
from webapp.core.config import DEV_SECRET_KEY


def test_every_page_sends_a_strict_content_security_policy(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "geolocation=()" in response.headers["Permissions-Policy"]
    assert "Strict-Transport-Security" not in response.headers


def test_pages_contain_no_inline_script(client):
    html = client.get("/vragen/").get_data(as_text=True)
    assert "<script>" not in html and "onclick=" not in html


def test_production_refuses_the_development_secret(monkeypatch):
    monkeypatch.setenv("SAMEN_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", DEV_SECRET_KEY)
    monkeypatch.setenv("PRIVACY_CONTROLLER", "Vrijwilligerscentrum Haarlem")
    monkeypatch.setenv("PRIVACY_CONTACT_EMAIL", "privacy@example.org")
    with pytest.raises(SystemExit, match="SECRET_KEY"):
        create_app()


def test_production_sets_hsts_and_secure_cookies(monkeypatch, tmp_path):
    monkeypatch.setenv("SAMEN_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "a-long-random-production-secret-for-this-test")
    monkeypatch.setenv("PRIVACY_CONTROLLER", "Vrijwilligerscentrum Haarlem")
    monkeypatch.setenv("PRIVACY_CONTACT_EMAIL", "privacy@example.org")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'prod.db'}")
    app = create_app()
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    response = app.test_client().get("/health")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_production_cookies_carry_the_host_prefix(monkeypatch, tmp_path):
    """ASVS 3.4.4: a __Host- cookie is accepted by browsers only when Secure, with Path=/ and without a Domain, so
    no other site under the same domain can plant or read it."""
    monkeypatch.setenv("SAMEN_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "a-long-random-production-secret-for-this-test")
    monkeypatch.setenv("PRIVACY_CONTROLLER", "Vrijwilligerscentrum Haarlem")
    monkeypatch.setenv("PRIVACY_CONTACT_EMAIL", "privacy@example.org")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'prod.db'}")
    app = create_app()
    assert app.config["REMEMBER_COOKIE_NAME"].startswith("__Host-")
    assert app.config["KNOWN_DEVICE_COOKIE_NAME"].startswith("__Host-")
    cookie = app.test_client().get("/taal/en", base_url="https://samen.example").headers["Set-Cookie"]
    assert cookie.startswith("__Host-session=") and "Secure" in cookie and "Path=/" in cookie
    assert "Domain" not in cookie


def test_pages_for_a_logged_in_person_are_never_stored_by_a_browser_or_proxy(make, login):
    """A match's contact details, a resident's record, one's own account: after logout, the back button or a shared
    computer's cache must not show them again."""
    resident, volunteer = make.user("resident"), make.user("volunteer")
    help_request = make.matched(resident, volunteer)
    staff = make.user("staff")
    pages = {resident.email: [f"/vragen/{help_request.public_id}", "/mijn", "/mijn/account"],
             volunteer.email: [f"/vragen/{help_request.public_id}"],
             staff.email: [f"/werkruimte/personen/{resident.public_id}", "/werkruimte/vog", "/werkruimte/intakes"]}
    for email, urls in pages.items():
        client = login(email)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            assert response.headers.get("Cache-Control") == "no-store", url


def test_public_pages_and_static_files_keep_their_caching(client, make, login):
    assert client.get("/vragen/").headers.get("Cache-Control") != "no-store"
    person = make.user("resident")
    response = login(person.email).get("/static/css/samen.css")
    response.close()
    assert response.status_code == 200 and response.headers.get("Cache-Control") != "no-store"
