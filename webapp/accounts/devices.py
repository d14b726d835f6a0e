"""Known browsers: a signed, long-lived cookie set when someone logs in (or chooses a new password by e-mail), naming
the accounts that logged in from this browser before.

Failed logins are counted per IP address and account together, per account and per IP address (see views.login).
Those counters stop guessing, but an attacker can fill them for somebody else's address; so a browser that carries
this cookie for the account is not held back by them. It only waits after its own failures (a few more than anyone
types by mistake), counted under its own random id. The cookie proves nothing about who is at the keyboard: the
password is checked as always; it only decides which counters apply.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadData, URLSafeTimedSerializer
from werkzeug.wrappers import Response

from webapp.accounts.models import User

COOKIE = "samen_device"  # "__Host-samen_device" in production (KNOWN_DEVICE_COOKIE_NAME)
SALT = "samen.known-device"
MAX_AGE = 60 * 60 * 24 * 365
MAX_ACCOUNTS = 5  # a family computer: a few people log in from it


@dataclass(frozen=True)
class Device:
    id: str
    accounts: tuple[str, ...]  # public ids, the most recent last

    def knows(self, user: User | None) -> bool:
        return user is not None and user.public_id in self.accounts


def cookie_name() -> str:
    return str(current_app.config.get("KNOWN_DEVICE_COOKIE_NAME") or COOKIE)


def from_request(cookies: Mapping[str, str]) -> Device | None:
    return read(cookies.get(cookie_name()))


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def read(value: str | None) -> Device | None:
    """The browser's cookie, if it is one of ours, unchanged and less than a year old."""
    if not value:
        return None
    try:
        data = _serializer().loads(value, max_age=MAX_AGE)
    except BadData:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("d"), str) or not isinstance(data.get("u"), list):
        return None
    return Device(data["d"], tuple(str(u) for u in data["u"] if isinstance(u, str))[-MAX_ACCOUNTS:])


def remember(response: Response, cookies: Mapping[str, str], user: User) -> None:
    """Add this account to the browser's cookie (a new cookie when it has none)."""
    device = from_request(cookies) or Device(secrets.token_urlsafe(12), ())
    accounts = (*(a for a in device.accounts if a != user.public_id), user.public_id)[-MAX_ACCOUNTS:]
    token = _serializer().dumps({"d": device.id, "u": list(accounts)})
    response.set_cookie(cookie_name(), token, max_age=MAX_AGE, httponly=True, samesite="Lax", path="/",
                        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")))
