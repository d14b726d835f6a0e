"""Configuration, read from the environment when the app is created (never at import)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

DEV_SECRET_KEY = "dev-only-secret-change-me"  # noqa: S105 (refused in production)
PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_INSTANCE = PROJECT_ROOT / "instance"


def _bool(value: str | None, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def from_environment(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Build the configuration dictionary from environment variables.

    Defaults are safe for development on one machine: an SQLite file in instance/.
    """
    env = os.environ if environ is None else environ
    instance = Path(env.get("SAMEN_INSTANCE_PATH", str(DEFAULT_INSTANCE)))
    is_production = env.get("SAMEN_ENV", "development") == "production"
    config: dict[str, Any] = {
        "ENV_NAME": "production" if is_production else "development",
        "SECRET_KEY": env.get("SECRET_KEY", DEV_SECRET_KEY),
        "SQLALCHEMY_DATABASE_URI": env.get("DATABASE_URL", f"sqlite:///{instance / 'samen.db'}"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": is_production,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SECURE": is_production,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_DURATION": 60 * 60 * 24 * 14,
        # A session without "stay logged in" ends when the browser closes; a permanent one lasts at most this long.
        "PERMANENT_SESSION_LIFETIME": 60 * 60 * 24 * 14,
        # Rate limits and back-off after failed logins (webapp/ratelimit). The counters live in the app's own
        # database unless RATELIMIT_STORAGE_URI points elsewhere (redis://host:6379 needs the `redis` package).
        "RATELIMIT_ENABLED": _bool(env.get("RATELIMIT_ENABLED"), default=True),
        "RATELIMIT_STORAGE_URI": env.get("RATELIMIT_STORAGE_URI") or "samen+db://",
        # How many reverse proxies in front of the app set X-Forwarded-For (0: use the connecting address).
        "TRUSTED_PROXIES": int(env.get("TRUSTED_PROXIES") or "0"),
        # Links in e-mails: a password reset link works for an hour, a verification link for three days.
        "PASSWORD_RESET_MAX_AGE": 60 * 60,
        "EMAIL_VERIFICATION_MAX_AGE": 60 * 60 * 24 * 3,
        "BABEL_DEFAULT_LOCALE": "nl",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Amsterdam",
        "BABEL_TRANSLATION_DIRECTORIES": str(PROJECT_ROOT / "translations"),
        "LANGUAGES": ("nl", "en"),
        "REQUEST_EXPIRY_DAYS": int(env.get("REQUEST_EXPIRY_DAYS", "60")),
        # Privacy: closed requests are anonymised this many months after closing (flask privacy retention).
        "RETENTION_MONTHS": int(env.get("RETENTION_MONTHS") or "12"),
        # The controller on the privacy statement (webapp/privacy/views.py has clearly marked placeholders).
        **{name: env[name] for name in ("PRIVACY_CONTROLLER", "PRIVACY_CONTACT_EMAIL") if env.get(name)},
        "PAGE_SIZE": int(env.get("PAGE_SIZE", "20")),
        # Public lists and details, as anonymous visitors see them, are kept this long in the database and served
        # from there (webapp/pagecache); any change to what they show clears them at once. 0 turns it off.
        "PAGE_CACHE_SECONDS": float(env.get("PAGE_CACHE_SECONDS") or "30"),
        # Staff workspace and impact reports (webapp/staff, webapp/reports).
        "MODERATION_REPORT_THRESHOLD": int(env.get("MODERATION_REPORT_THRESHOLD", "3")),
        "RESCUE_AFTER_DAYS": int(env.get("RESCUE_AFTER_DAYS", "3")),
        "SCREENING_VALID_YEARS": int(env.get("SCREENING_VALID_YEARS", "3")),
        "REPORT_MIN_CELL": int(env.get("REPORT_MIN_CELL", "5")),
        # Stored report figures are served this long before they are computed again (flask reports refresh).
        "REPORT_SNAPSHOT_MINUTES": float(env.get("REPORT_SNAPSHOT_MINUTES") or "10"),
        "ARGON2_TIME_COST": int(env.get("ARGON2_TIME_COST", "3")),
        "ARGON2_MEMORY_COST": int(env.get("ARGON2_MEMORY_COST", "65536")),
        # "Aanbevolen voor jou" reads each volunteer's stored suggestions (flask suggestions refresh keeps them
        # fresh); a page view recomputes a list older than this many minutes.
        "SUGGESTIONS_MAX_AGE_MINUTES": int(env.get("SUGGESTIONS_MAX_AGE_MINUTES") or "60"),
        "MATCHING_MODEL_PATH": env.get("MATCHING_MODEL_PATH", str(instance / "matching-model.bin")),
        "WTF_CSRF_TIME_LIMIT": None,
        "INSTANCE_PATH": str(instance),
        # E-mail: SMTP when MAIL_SERVER is set; otherwise mails are written to MAIL_OUTBOX_DIR (default
        # <instance>/outbox) and the log. MAIL_SITE_URL is where links in e-mails point to.
        "MAIL_SERVER": env.get("MAIL_SERVER", ""),
        "MAIL_PORT": int(env.get("MAIL_PORT") or "587"),
        "MAIL_USERNAME": env.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": env.get("MAIL_PASSWORD", ""),
        "MAIL_USE_TLS": _bool(env.get("MAIL_USE_TLS"), default=False),
        "MAIL_DEFAULT_SENDER": env.get("MAIL_DEFAULT_SENDER", "Samen Haarlem <noreply@samen.local>"),
        "MAIL_OUTBOX_DIR": env.get("MAIL_OUTBOX_DIR", ""),
        "MAIL_SITE_URL": env.get("MAIL_SITE_URL", "http://127.0.0.1:5000"),
        "MAIL_TIMEOUT": float(env.get("MAIL_TIMEOUT") or "10"),
        "MAIL_UNSUBSCRIBE_MAX_AGE_DAYS": int(env.get("MAIL_UNSUBSCRIBE_MAX_AGE_DAYS") or "90"),
    }
    if env.get("HANDOVER_PARTNERS"):  # "Sociaal Wijkteam;CJG;..." (default: webapp.staff.services.DEFAULT_PARTNERS)
        config["HANDOVER_PARTNERS"] = tuple(p.strip() for p in env["HANDOVER_PARTNERS"].split(";") if p.strip())
    if is_production and config["SECRET_KEY"] == DEV_SECRET_KEY:
        raise RuntimeError(
            "SECRET_KEY must be set to a long random value in production (SAMEN_ENV=production)."
        )
    return config
