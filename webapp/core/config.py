"""Configuration: read from the environment once, when the app is created (never at import), typed and checked.

A wrong value stops the start with one line that names the variable (`ConfigError`); nothing half-configured runs.
Every variable is in the README's configuration table.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from webapp.core.languages import CODES

DEV_SECRET_KEY = "dev-only-secret-change-me"  # noqa: S105 (refused in production)
PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_INSTANCE = PROJECT_ROOT / "instance"
LANGUAGES = CODES  # webapp/core/languages.py: the table of languages


class ConfigError(ValueError):
    """A configuration value that Samen cannot start with; the message is one line naming the variable."""


class Settings(BaseSettings):
    """The environment variables Samen reads. Empty values count as not set."""

    model_config = SettingsConfigDict(case_sensitive=True, env_ignore_empty=True, extra="ignore")

    SAMEN_ENV: Literal["development", "production"] = "development"
    SECRET_KEY: str = Field(DEV_SECRET_KEY, min_length=16)
    DATABASE_URL: str | None = None
    # PostgreSQL only (webapp.core.database, docs/RELIABILITY.md): connections per process (pool + overflow: one
    # for each of gunicorn's 8 threads and the outbox thread), how long a request waits for a free one, and how
    # long the server lets one statement run or wait for a lock.
    DATABASE_POOL_SIZE: int = Field(5, ge=1, le=100)
    DATABASE_MAX_OVERFLOW: int = Field(4, ge=0, le=100)
    DATABASE_POOL_TIMEOUT: float = Field(3, gt=0, le=60)
    DATABASE_STATEMENT_TIMEOUT: float = Field(5, gt=0, le=600)
    DATABASE_LOCK_TIMEOUT: float = Field(3, gt=0, le=600)
    SAMEN_INSTANCE_PATH: Path = DEFAULT_INSTANCE
    PORT: int = Field(5000, ge=1, le=65535)  # what `make run` serves on; the default base of links in e-mails
    # Rate limits and back-off after failed logins (webapp/core/ratelimit). The counters live in the app's own
    # database unless RATELIMIT_STORAGE_URI points elsewhere (redis://host:6379 needs the `redis` package).
    RATELIMIT_ENABLED: bool = True
    RATELIMIT_STORAGE_URI: str = "samen+db://"
    TRUSTED_PROXIES: int = Field(0, ge=0, le=5)  # reverse proxies in front of the app that set X-Forwarded-For
    REQUEST_EXPIRY_DAYS: int = Field(60, ge=1, le=3650)
    # After help is marked done, the two sides still see each other's contact details this many days (not after a
    # match was ended by a block, a cancellation or a hand-over).
    CONTACT_GRACE_DAYS: int = Field(14, ge=0, le=365)
    RETENTION_MONTHS: int = Field(12, ge=1, le=1200)  # closed requests are anonymised after this long
    PRIVACY_CONTROLLER: str | None = None  # the controller on the privacy statement (required in production)
    PRIVACY_CONTACT_EMAIL: str | None = None
    PAGE_SIZE: int = Field(20, ge=1, le=200)
    PAGE_CACHE_SECONDS: float = Field(30, ge=0, le=3600)
    MODERATION_REPORT_THRESHOLD: int = Field(3, ge=1, le=100)
    RESCUE_AFTER_DAYS: int = Field(3, ge=1, le=365)
    SCREENING_VALID_YEARS: int = Field(3, ge=1, le=10)
    REPORT_MIN_CELL: int = Field(5, ge=1, le=100)
    REPORT_SNAPSHOT_MINUTES: float = Field(10, ge=0, le=1440)
    ARGON2_TIME_COST: int = Field(3, ge=1, le=20)
    ARGON2_MEMORY_COST: int = Field(65536, ge=256, le=4_194_304)
    SUGGESTIONS_MAX_AGE_MINUTES: int = Field(60, ge=1, le=10_080)
    MATCHING_MODEL_PATH: str | None = None
    # A new request that fits a volunteer very well: a notice to the few it fits best (at most this many per request,
    # each with at least this score), and at most SUGGESTION_NOTICES_PER_DAY per volunteer in 24 hours (0: none).
    SUGGESTION_NOTICE_TOP: int = Field(3, ge=0, le=20)
    SUGGESTION_NOTICE_MIN_SCORE: float = Field(0.75, ge=0, le=1)
    SUGGESTION_NOTICES_PER_DAY: int = Field(2, ge=0, le=20)
    # E-mail: SMTP when MAIL_SERVER is set; otherwise mails are written to MAIL_OUTBOX_DIR (default
    # <instance>/outbox) and the log. MAIL_SITE_URL is where links in e-mails point to.
    MAIL_SERVER: str = ""
    MAIL_PORT: int = Field(587, ge=1, le=65535)
    MAIL_USERNAME: str = ""
    MAIL_PASSWORD: str = ""
    MAIL_USE_TLS: bool = False
    MAIL_DEFAULT_SENDER: str = "Samen Haarlem <noreply@samen.local>"
    MAIL_OUTBOX_DIR: str = ""
    MAIL_SITE_URL: str | None = None
    MAIL_TIMEOUT: float = Field(10, gt=0, le=120)
    MAIL_UNSUBSCRIBE_MAX_AGE_DAYS: int = Field(90, ge=1, le=3650)
    # /health/ready answers 503 when the oldest e-mail still waiting in the outbox is older than this (0: never).
    HEALTH_OUTBOX_MAX_MINUTES: float = Field(60, ge=0, le=10_080)
    HANDOVER_PARTNERS: str | None = None  # "Sociaal Wijkteam;CJG;..." (default: webapp.staff.services)
    # Where a referral is e-mailed: "Sociaal Wijkteam=intake@swt.example;CJG=..." (a partner without one: the PDF).
    HANDOVER_PARTNER_EMAILS: str | None = None
    HANDOVER_REMINDER_DAYS: int = Field(5, ge=1, le=90)  # remind the staff member when nobody picked it up
    # Seals district budget ballots (webapp/budgets/sealing.py); derived from SECRET_KEY when not set. Keep it the
    # same while a round is being voted on, and out of the database (docs/BUDGETS.md).
    BALLOT_KEY: str | None = Field(None, min_length=32)
    # Who may reach whom (SECURITY.md, "who may see and help whom"): invitations to volunteers per request (or need) and
    # per person a day; different suggested volunteers one organiser may see a day; days an invitation to
    # co-organise an initiative works.
    INVITES_PER_REQUEST: int = Field(5, ge=1, le=50)
    INVITES_PER_DAY: int = Field(10, ge=1, le=500)
    ORGANISER_SUGGESTIONS_PER_DAY: int = Field(15, ge=1, le=500)
    ORGANISER_INVITATION_DAYS: int = Field(14, ge=1, le=90)
    # Alerts about a new vacancy or need (webapp.volunteering.alerts): the volunteers it fits best per need, and at most
    # this many alerts per volunteer a day (0 turns alerts off).
    VACANCY_ALERTS_PER_NEED: int = Field(10, ge=0, le=200)
    VACANCY_ALERTS_PER_DAY: int = Field(3, ge=0, le=50)

    @field_validator("MAIL_SITE_URL")
    @classmethod
    def _site_url(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"https?://[^\s/]+(/\S*)?", value):
            raise ValueError("use the address people open, with http:// or https://, e.g. https://samen.example.org")
        return value.rstrip("/") if value else value

    @model_validator(mode="after")
    def _production_needs(self) -> Settings:
        if self.SAMEN_ENV != "production":
            return self
        if self.SECRET_KEY == DEV_SECRET_KEY:
            raise ValueError("SECRET_KEY must be set to a long random value in production (SAMEN_ENV=production)")
        missing = [name for name in ("PRIVACY_CONTROLLER", "PRIVACY_CONTACT_EMAIL") if not getattr(self, name)]
        if missing:
            raise ValueError(f"{' and '.join(missing)} must be set in production: the privacy statement names the "
                             "volunteer centre and how to reach it")
        return self


def _one_line(error: ValidationError) -> str:
    first = error.errors()[0]
    name = ".".join(str(part) for part in first["loc"]) or "configuration"
    message = str(first["msg"]).removeprefix("Value error, ")
    if first["loc"]:
        shown = "(hidden)" if any(word in name for word in ("SECRET", "PASSWORD", "KEY")) else repr(first.get("input"))
        return f"{name}={shown}: {message}"
    return message


def from_environment(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The Flask configuration from environment variables (`environ`, by default os.environ). Raises ConfigError.

    Defaults are safe for development on one machine: an SQLite file in instance/.
    """
    try:
        if environ is None:
            settings = Settings()
        else:
            settings = Settings.model_validate({k: v for k, v in environ.items() if v != ""})
    except ValidationError as error:
        raise ConfigError(_one_line(error)) from None
    instance = settings.SAMEN_INSTANCE_PATH
    is_production = settings.SAMEN_ENV == "production"
    config: dict[str, Any] = {
        "ENV_NAME": settings.SAMEN_ENV,
        "SECRET_KEY": settings.SECRET_KEY,
        "SQLALCHEMY_DATABASE_URI": settings.DATABASE_URL or f"sqlite:///{instance / 'samen.db'}",
        "DATABASE_POOL_SIZE": settings.DATABASE_POOL_SIZE,
        "DATABASE_MAX_OVERFLOW": settings.DATABASE_MAX_OVERFLOW,
        "DATABASE_POOL_TIMEOUT": settings.DATABASE_POOL_TIMEOUT,
        "DATABASE_STATEMENT_TIMEOUT": settings.DATABASE_STATEMENT_TIMEOUT,
        "DATABASE_LOCK_TIMEOUT": settings.DATABASE_LOCK_TIMEOUT,
        # In production the cookies carry the __Host- prefix (ASVS 3.4.4): a browser accepts them only when Secure,
        # without a Domain and for the path /, so no other host under the same domain can set or read them.
        "SESSION_COOKIE_NAME": "__Host-session" if is_production else "session",
        "REMEMBER_COOKIE_NAME": "__Host-remember_token" if is_production else "remember_token",
        "KNOWN_DEVICE_COOKIE_NAME": "__Host-samen_device" if is_production else "samen_device",
        # The sign-up's nonce, next to the session: a response that was under way during the sign-up (the service
        # worker's first fetch) writes back the older session, and the link would no longer log in in this browser.
        "SIGNUP_COOKIE_NAME": "__Host-samen_signup" if is_production else "samen_signup",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": is_production,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SECURE": is_production,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_DURATION": 60 * 60 * 24 * 14,
        # A session without "stay logged in" ends when the browser closes; a permanent one lasts at most this long.
        "PERMANENT_SESSION_LIFETIME": 60 * 60 * 24 * 14,
        "RATELIMIT_ENABLED": settings.RATELIMIT_ENABLED,
        "RATELIMIT_STORAGE_URI": settings.RATELIMIT_STORAGE_URI,
        "TRUSTED_PROXIES": settings.TRUSTED_PROXIES,
        # Links in e-mails: a password reset link works for an hour, a verification link for three days.
        "PASSWORD_RESET_MAX_AGE": 60 * 60,
        "EMAIL_VERIFICATION_MAX_AGE": 60 * 60 * 24 * 3,
        "BABEL_DEFAULT_LOCALE": "nl",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Amsterdam",
        "BABEL_TRANSLATION_DIRECTORIES": str(PROJECT_ROOT / "translations"),
        "LANGUAGES": LANGUAGES,
        "REQUEST_EXPIRY_DAYS": settings.REQUEST_EXPIRY_DAYS,
        "CONTACT_GRACE_DAYS": settings.CONTACT_GRACE_DAYS,
        "RETENTION_MONTHS": settings.RETENTION_MONTHS,
        "PAGE_SIZE": settings.PAGE_SIZE,
        "PAGE_CACHE_SECONDS": settings.PAGE_CACHE_SECONDS,
        "MODERATION_REPORT_THRESHOLD": settings.MODERATION_REPORT_THRESHOLD,
        "HANDOVER_REMINDER_DAYS": settings.HANDOVER_REMINDER_DAYS,
        "RESCUE_AFTER_DAYS": settings.RESCUE_AFTER_DAYS,
        "SCREENING_VALID_YEARS": settings.SCREENING_VALID_YEARS,
        "REPORT_MIN_CELL": settings.REPORT_MIN_CELL,
        "REPORT_SNAPSHOT_MINUTES": settings.REPORT_SNAPSHOT_MINUTES,
        "ARGON2_TIME_COST": settings.ARGON2_TIME_COST,
        "ARGON2_MEMORY_COST": settings.ARGON2_MEMORY_COST,
        "SUGGESTIONS_MAX_AGE_MINUTES": settings.SUGGESTIONS_MAX_AGE_MINUTES,
        "MATCHING_MODEL_PATH": settings.MATCHING_MODEL_PATH or str(instance / "matching-model.bin"),
        "SUGGESTION_NOTICE_TOP": settings.SUGGESTION_NOTICE_TOP,
        "SUGGESTION_NOTICE_MIN_SCORE": settings.SUGGESTION_NOTICE_MIN_SCORE,
        "SUGGESTION_NOTICES_PER_DAY": settings.SUGGESTION_NOTICES_PER_DAY,
        "WTF_CSRF_TIME_LIMIT": None,
        "INSTANCE_PATH": str(instance),
        "MAIL_SERVER": settings.MAIL_SERVER,
        "MAIL_PORT": settings.MAIL_PORT,
        "MAIL_USERNAME": settings.MAIL_USERNAME,
        "MAIL_PASSWORD": settings.MAIL_PASSWORD,
        "MAIL_USE_TLS": settings.MAIL_USE_TLS,
        "MAIL_DEFAULT_SENDER": settings.MAIL_DEFAULT_SENDER,
        "MAIL_OUTBOX_DIR": settings.MAIL_OUTBOX_DIR,
        "MAIL_SITE_URL": settings.MAIL_SITE_URL or f"http://127.0.0.1:{settings.PORT}",
        "MAIL_TIMEOUT": settings.MAIL_TIMEOUT,
        "MAIL_UNSUBSCRIBE_MAX_AGE_DAYS": settings.MAIL_UNSUBSCRIBE_MAX_AGE_DAYS,
        "INVITES_PER_REQUEST": settings.INVITES_PER_REQUEST,
        "INVITES_PER_DAY": settings.INVITES_PER_DAY,
        "ORGANISER_SUGGESTIONS_PER_DAY": settings.ORGANISER_SUGGESTIONS_PER_DAY,
        "ORGANISER_INVITATION_DAYS": settings.ORGANISER_INVITATION_DAYS,
        "VACANCY_ALERTS_PER_NEED": settings.VACANCY_ALERTS_PER_NEED,
        "VACANCY_ALERTS_PER_DAY": settings.VACANCY_ALERTS_PER_DAY,
        "HEALTH_OUTBOX_MAX_MINUTES": settings.HEALTH_OUTBOX_MAX_MINUTES,
        # The outbox's worker thread sends e-mail a moment after the click that caused it (tests send it themselves).
        "MAIL_WORKER": True,
        # A worker thread places a new request into volunteers' stored lists a moment after it went public (tests
        # place with freshness.place_pending() themselves; test_freshness.py runs the thread).
        "PLACEMENT_WORKER": True,
    }
    if settings.BALLOT_KEY:
        config["BALLOT_KEY"] = settings.BALLOT_KEY
    for name in ("PRIVACY_CONTROLLER", "PRIVACY_CONTACT_EMAIL"):
        if getattr(settings, name):
            config[name] = getattr(settings, name)
    if settings.HANDOVER_PARTNERS:
        config["HANDOVER_PARTNERS"] = tuple(p.strip() for p in settings.HANDOVER_PARTNERS.split(";") if p.strip())
    if settings.HANDOVER_PARTNER_EMAILS:
        pairs = (pair.partition("=") for pair in settings.HANDOVER_PARTNER_EMAILS.split(";"))
        config["HANDOVER_PARTNER_EMAILS"] = {
            name.strip(): address.strip() for name, _, address in pairs if name.strip() and address.strip()}
    return config
