"""Rate limits and back-off after failures, on `limits` (fixed windows) with storage shared by every worker.

Two kinds of counting:

* `hit(name, *who)`: every attempt at an action counts (logging in, registering, posting a request, ...); past the
  limit the action is refused until the window ends.
* `back_off(kind, *who)` / `record_failure(kind, *who)`: only failures count (a wrong password, a wrong code); after
  five within fifteen minutes every further attempt is refused, even a right one, until the window ends.

`who` names the identities counted separately, e.g. ``("ip", "192.0.2.1")`` and ``("account", "a@example.nl")``.
Identities are stored as keyed hashes, never as e-mail or IP addresses. The configuration is read per app (several
apps in one process each keep their own), so the limits can be switched on and off and the clock replaced in tests.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app, request
from limits import RateLimitItem, parse_many
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter
from werkzeug.exceptions import TooManyRequests

from webapp.core.ratelimit.storage import SCHEME

EXTENSION = "samen.ratelimit"
# Every attempt counts; per client IP unless the name says otherwise.
DEFAULT_LIMITS: Mapping[str, str] = {
    "login": "20 per 15 minutes",             # per client IP
    "register": "10 per hour",                # per client IP
    "password_reset": "5 per 15 minutes",     # per client IP (per address, mails are capped: account_mail)
    "account_mail": "3 per hour",             # per e-mail address: mails about an account, capped silently
    "post_request": "10 per hour;30 per day",  # per person
    "respond": "30 per hour",                 # per person
    "send_verification": "3 per hour",        # per person
    "invite_organiser": "10 per day",         # per person: e-mails to addresses they type
    "report": "5 per day",                    # per person: reports by members (each reaches staff)
    "activity_message": "5 per day",          # per person and per activity: a message to everyone signed up
    "initiative_news": "5 per day",           # per person and per initiative: news to every follower
    "suggest_category": "300 per hour",       # per person: the request form's suggestion while typing
}
# Only failures count; then everything is refused until the window ends. Several windows: growing delays.
# Which identities each kind counts is decided by webapp.accounts.throttle.
DEFAULT_BACK_OFF: Mapping[str, str] = {
    "login": "5 per 5 minutes;10 per hour;20 per day",      # per client IP and account together
    "login_account": "10 per 15 minutes;30 per day",          # per account (known or not), unknown browsers only
    "login_ip": "10 per 15 minutes;50 per day",               # per client IP, unknown browsers only
    "login_device": "10 per 15 minutes;30 per day",           # per browser that logged in to the account before
    "two_factor": "5 per 15 minutes",                         # per person, from unknown browsers
    "two_factor_device": "10 per 15 minutes",                 # per known browser and person
    "password_check": "5 per 15 minutes;10 per day",          # the current password typed while logged in
}

Who = tuple[str, str]


@dataclass(frozen=True)
class Refusal:
    """An attempt that is refused; try again after `retry_after` seconds."""

    retry_after: int

    @property
    def minutes(self) -> int:
        return max(1, math.ceil(self.retry_after / 60))


class RateLimited(TooManyRequests):
    """Raised by a view that has nothing better to show than the translated 429 page."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(retry_after=refusal.retry_after)
        self.refusal = refusal


def register(app: Flask) -> None:
    """Create this app's limiter on the configured storage (no I/O here)."""
    uri = app.config.get("RATELIMIT_STORAGE_URI") or f"{SCHEME}://"
    options: dict[str, Any] = {}
    if uri.startswith(f"{SCHEME}://"):
        options["clock"] = lambda: _clock(app)()
    app.extensions[EXTENSION] = FixedWindowRateLimiter(storage_from_string(uri, **options))


def _clock(app: Flask) -> Callable[[], float]:
    clock: Callable[[], float] = app.config.get("RATELIMIT_CLOCK") or time.time
    return clock


def _limiter() -> FixedWindowRateLimiter:
    limiter: FixedWindowRateLimiter = current_app.extensions[EXTENSION]
    return limiter


def enabled() -> bool:
    return bool(current_app.config.get("RATELIMIT_ENABLED", True))


def client_ip() -> str:
    return request.remote_addr or "unknown"


def _items(table: str, name: str) -> list[RateLimitItem]:
    defaults = DEFAULT_LIMITS if table == "RATELIMITS" else DEFAULT_BACK_OFF
    configured: Mapping[str, str] = current_app.config.get(table) or {}
    return parse_many(configured.get(name) or defaults[name])


def _digest(who: Who) -> str:
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(secret, f"{who[0]}:{who[1]}".encode(), hashlib.sha256).hexdigest()[:32]


def _refusal(item: RateLimitItem, *identifiers: str) -> Refusal:
    reset_at = _limiter().get_window_stats(item, *identifiers).reset_time
    return Refusal(max(1, math.ceil(reset_at - _clock(current_app)())))


def _worst(refusals: Iterable[Refusal]) -> Refusal | None:
    return max(refusals, key=lambda r: r.retry_after, default=None)


def hit(name: str, *who: Who) -> Refusal | None:
    """Count one attempt at `name` for each identity; a Refusal when any of their limits is spent."""
    if not enabled():
        return None
    refusals = []
    for item in _items("RATELIMITS", name):
        for identity in who:
            keys = ("hit", name, _digest(identity))
            if not _limiter().hit(item, *keys):
                refusals.append(_refusal(item, *keys))
    return _worst(refusals)


def back_off(kind: str, *who: Who) -> Refusal | None:
    """A Refusal when any identity had too many failures of this kind lately (counts nothing)."""
    if not enabled():
        return None
    refusals = []
    for item in _items("RATELIMIT_BACK_OFF", kind):
        for identity in who:
            keys = ("failed", kind, _digest(identity))
            if not _limiter().test(item, *keys):
                refusals.append(_refusal(item, *keys))
    return _worst(refusals)


def record_failure(kind: str, *who: Who) -> None:
    if not enabled():
        return
    for item in _items("RATELIMIT_BACK_OFF", kind):
        for identity in who:
            _limiter().hit(item, "failed", kind, _digest(identity))


def forget_failures(kind: str, *who: Who) -> None:
    """After a success: the failures of these identities no longer count (never clear an IP address's)."""
    if not enabled():
        return
    for item in _items("RATELIMIT_BACK_OFF", kind):
        for identity in who:
            _limiter().storage.clear(item.key_for("failed", kind, _digest(identity)))
