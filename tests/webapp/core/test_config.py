"""Configuration is read once, typed and checked: a wrong value stops the start with one line naming the variable."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from webapp.core.config import ConfigError, from_environment

ROOT = Path(__file__).resolve().parents[3]
PRODUCTION = {"SAMEN_ENV": "production", "SECRET_KEY": "x" * 40, "PRIVACY_CONTROLLER": "Vrijwilligerscentrum Haarlem",
              "PRIVACY_CONTACT_EMAIL": "privacy@example.org"}


@pytest.mark.parametrize(("variable", "value"), [
    ("PAGE_SIZE", "0"), ("REQUEST_EXPIRY_DAYS", "sixty"), ("SAMEN_ENV", "prod"), ("RATELIMIT_ENABLED", "maybe"),
    ("MAIL_PORT", "99999"), ("MAIL_SITE_URL", "samen.example.org"), ("PAGE_CACHE_SECONDS", "-1"),
])
def test_a_wrong_value_names_the_variable(variable, value):
    with pytest.raises(ConfigError) as refused:
        from_environment({variable: value})
    assert str(refused.value).startswith(f"{variable}=") and "\n" not in str(refused.value)


def test_empty_values_count_as_not_set():
    config = from_environment({"PAGE_SIZE": "", "REQUEST_EXPIRY_DAYS": ""})
    assert config["PAGE_SIZE"] == 20 and config["REQUEST_EXPIRY_DAYS"] == 60


def test_production_needs_a_secret_and_the_privacy_statements_details():
    assert from_environment(PRODUCTION)["SESSION_COOKIE_SECURE"] is True
    for missing in ("SECRET_KEY", "PRIVACY_CONTROLLER", "PRIVACY_CONTACT_EMAIL"):
        with pytest.raises(ConfigError, match=missing):
            from_environment({k: v for k, v in PRODUCTION.items() if k != missing})


def test_a_secret_is_never_printed():
    with pytest.raises(ConfigError) as refused:
        from_environment({"SECRET_KEY": "short-secret"})
    assert "short-secret" not in str(refused.value)


def test_links_in_mails_follow_the_port_make_run_serves_on():
    assert from_environment({"PORT": "5094"})["MAIL_SITE_URL"] == "http://127.0.0.1:5094"
    assert from_environment({"PORT": "5094", "MAIL_SITE_URL": "https://samen.example.org/"})["MAIL_SITE_URL"] == \
        "https://samen.example.org"


def test_the_command_line_says_one_line_not_a_traceback(tmp_path):
    env = {**os.environ, "REQUEST_EXPIRY_DAYS": "sixty", "SAMEN_INSTANCE_PATH": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "webapp", "asks", "expire"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert lines == ["Samen cannot start: REQUEST_EXPIRY_DAYS='sixty': Input should be a valid integer, unable to "
                     "parse string as an integer"], done.stderr
