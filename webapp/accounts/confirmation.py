"""A confirmed e-mail address: what it opens, and what happens the moment it is confirmed.

Accounts cost nothing, so a few throw-away ones must not be able to reach people or silence them. Until its address
is confirmed, an account may (low threshold: nothing typed is ever lost):

* read everything public, keep its account and volunteer profile, read its messages;
* post a request or an offer, or ask a volunteer from an offer: it is kept, shown only to its poster with a note
  ("goes online once you confirm your address"), and goes online, through the usual text checks, the moment the
  address is confirmed with the link from the sign-up e-mail (the features register what they publish:
  `on_confirmed`, in webapp/hooks.py). Confirmed instead by a new password through an e-mail link, it waits until
  the owner checks and saves it (see `confirm`);

and may not, until then (`has_confirmed_address`; views refuse with `NOT_YET`, keeping what was typed):

* respond to a request or say yes to one, sign up for a need of an initiative, report anything, invite a
  volunteer, back an initiative or register one.

Staff, and residents whom staff took in (no e-mail address, no password: they never log in), count as confirmed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, current_app
from flask_babel import lazy_gettext as _l

from webapp.accounts import services
from webapp.accounts.models import User

EXTENSION = "samen_on_confirmed"
Publisher = Callable[[User], object]

NOT_YET = _l("First confirm your e-mail address with the link we sent you. Then you can do this. No e-mail? Use "
             "the button “Send the e-mail again” at the top of the page.")


def has_confirmed_address(user: Any) -> bool:
    """Confirmed by the link in the e-mail (or by choosing a new password through one), staff, or taken in by staff."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return user.email_verified_at is not None or user.is_staff or not user.email


def on_confirmed(app: Flask, publisher: Publisher) -> None:
    """Run `publisher(user)` in the transaction that confirms a person's address (registered in webapp/hooks.py)."""
    app.extensions.setdefault(EXTENSION, []).append(publisher)


def confirm(user: User, *, publish: bool = True) -> bool:
    """Record that the person read their address, and publish what waited for it. False when it was confirmed
    before (then nothing else happens).

    `publish=False` when the address is confirmed by choosing a new password through an e-mail link: whoever
    signed up may not be whoever reads the mailbox (someone can sign up with another person's address), and the
    owner taking the account back must not put the stranger's texts online in their name. Those wait until the
    owner checks and saves them (asks.services.edit_request) or posts them again."""
    if not services.mark_email_verified(user):
        return False
    if publish:
        for publisher in current_app.extensions.get(EXTENSION, []):
            publisher(user)
    return True
