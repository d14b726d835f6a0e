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
