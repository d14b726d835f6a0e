"""Session and remember-me cookies: Secure in production, HttpOnly, SameSite=Lax, and short-lived."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import pytest

from tests.conftest import app_config
from tests.factories import PASSWORD
from tests.webapp.auth_helpers import another_app  # noqa: F401 (a fixture)
from webapp.core import config


def cookies(response):
    """{name: {attribute (lower case): value}} from the Set-Cookie headers."""
    found = {}
    for header in response.headers.getlist("Set-Cookie"):
        name_value, *attributes = [part.strip() for part in header.split(";")]
        name = name_value.split("=", 1)[0]
        found[name] = {a.split("=", 1)[0].lower(): (a.split("=", 1)[1] if "=" in a else True) for a in attributes}
    return found


def settings_for(app, env_name):
    """The configuration of `env_name`, on the test database."""
    settings = config.from_environment({"SAMEN_ENV": env_name, "SECRET_KEY": "a-long-random-test-secret-key",
                                        "PRIVACY_CONTROLLER": "Vrijwilligerscentrum Haarlem, Haarlem",
                                        "PRIVACY_CONTACT_EMAIL": "privacy@example.org"})
    settings.update(app_config(app.config["SQLALCHEMY_DATABASE_URI"], app.config["INSTANCE_PATH"]))
    return settings


@pytest.mark.parametrize("env_name", ["production", "development"])
def test_remember_me_and_session_cookies(app, make, another_app, env_name):  # noqa: F811
    person = make.user()
    application = another_app(settings=settings_for(app, env_name))
    response = application.test_client().post("/inloggen", data={"email": person.email, "password": PASSWORD,
                                                                  "remember": "y"})
    assert response.status_code == 302
    found = cookies(response)
    prefix = "__Host-" if env_name == "production" else ""  # ASVS 3.4.4
    session, remember = found[f"{prefix}session"], found[f"{prefix}remember_token"]
    device = found[f"{prefix}samen_device"]  # the known-browser cookie (webapp/accounts/devices.py)
    for cookie in (session, remember, device):
        assert cookie.get("httponly") is True
        assert cookie.get("samesite") == "Lax"
        assert (cookie.get("secure") is True) == (env_name == "production")
    assert "expires" not in session  # the session cookie ends with the browser
    expires = parsedate_to_datetime(remember["expires"])
    assert timedelta(days=13) < expires - datetime.now(UTC) <= timedelta(days=14, minutes=1)


def test_no_remember_cookie_without_the_tick(app, make):
    person = make.user()
    response = app.test_client().post("/inloggen", data={"email": person.email, "password": PASSWORD})
    assert "remember_token" not in cookies(response)


def test_production_refuses_the_development_secret():
    with pytest.raises(config.ConfigError, match="SECRET_KEY"):
        config.from_environment({"SAMEN_ENV": "production", "PRIVACY_CONTROLLER": "VWC",
                                 "PRIVACY_CONTACT_EMAIL": "privacy@example.org"})
