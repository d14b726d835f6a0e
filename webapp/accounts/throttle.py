"""Which counters a login attempt (or a typed current password) is held to: failures slow guessing down, with
growing delays, and nobody can use them to keep the owner out.

A password typed on the login page, by a browser that does not know the account (see devices.py):

* per IP address and account together ("login"): 5 failures wait 5 minutes, 10 an hour, 20 a day;
* per account, from any unknown browser ("login_account"): 10 in 15 minutes, 30 a day (guessing from many addresses);
* per IP address, for any account ("login_ip"): 10 in 15 minutes, 50 a day (one address trying many accounts),
  and every attempt from one address counts ("login" limit: 20 in 15 minutes).

A browser that logged in to this account before is held only to its own failures ("login_device": 10 in 15 minutes,
30 a day): what others try elsewhere never refuses its right password. An address with or without an account is
counted the same way. Whoever is kept waiting on an unknown browser can always choose a new password by e-mail
(that page always answers), and that browser then counts as known.

The second login step (staff) is counted per person for unknown browsers and per browser for known ones. A
current password typed when logged in (changing the password, deleting the account) is counted per person
("password_check": 5 in 15 minutes, 10 a day), so a stolen session cannot be used to guess it.
"""

from __future__ import annotations

from dataclasses import dataclass

from webapp.accounts.devices import Device
from webapp.accounts.models import User
from webapp.core.ratelimit import services as ratelimit
from webapp.core.ratelimit.services import Refusal, Who


@dataclass(frozen=True)
class Attempt:
    """The failure counters an attempt is checked against, counts into when it fails, and clears when it succeeds;
    `every_try` is counted for every attempt (never cleared)."""

    counters: tuple[tuple[str, Who], ...]
    every_try: Who | None = None
    keep_on_success: frozenset[str] = frozenset()

    def refusal(self) -> Refusal | None:
        refusals = [r for kind, who in self.counters if (r := ratelimit.back_off(kind, who))]
        if not refusals and self.every_try is not None:
            refusals = [r for r in [ratelimit.hit("login", self.every_try)] if r]
        return max(refusals, key=lambda r: r.retry_after, default=None)

    def failed(self) -> None:
        for kind, who in self.counters:
            ratelimit.record_failure(kind, who)

    def succeeded(self) -> None:
        """Forget the failures of this account (never an IP address's: else logging in to one's own account would
        wipe the failures of the accounts tried before)."""
        for kind, who in self.counters:
            if kind not in self.keep_on_success:
                ratelimit.forget_failures(kind, who)


def login(email: str, ip: str, device: Device | None, user: User | None) -> Attempt:
    if device is not None and user is not None and device.knows(user):
        return Attempt((("login_device", ("device", f"{device.id}:{user.public_id}")),))
    return Attempt((("login", ("pair", f"{ip}|{email}")), ("login_account", ("account", email)),
                    ("login_ip", ("ip", ip))), every_try=("ip", ip), keep_on_success=frozenset({"login_ip"}))


def second_step(user: User, device: Device | None) -> Attempt:
    if device is not None and device.knows(user):
        return Attempt((("two_factor_device", ("device", f"{device.id}:{user.public_id}")),))
    return Attempt((("two_factor", ("user", user.public_id)),))


def current_password(user: User) -> Attempt:
    return Attempt((("password_check", ("user", user.public_id)),))


def after_reset(user: User, ip: str) -> None:
    """A new password chosen through the e-mail link: the account's failure counters start again."""
    email = user.email or ""
    for kind, who in (("login", ("pair", f"{ip}|{email}")), ("login_account", ("account", email)),
                      ("password_check", ("user", user.public_id)), ("two_factor", ("user", user.public_id))):
        ratelimit.forget_failures(kind, who)
