"""Signed, expiring, single-use links in e-mails: setting a new password and confirming an e-mail address.

A password link carries a fingerprint of the current password hash, so it stops working the moment the password
changes (it can be used once). A verification link carries a fingerprint of the address it was sent to; once the
address is confirmed, opening it again changes nothing.
"""

from __future__ import annotations

import hashlib
import secrets

from flask import current_app
from itsdangerous import BadData, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select

from webapp.accounts.models import User
from webapp.core.extensions import db

RESET_SALT = "samen.password-reset"
VERIFY_SALT = "samen.email-verification"


class BadLink(Exception):
    """A link that was changed, cut off, already used (`expired` False) or is too old (`expired` True)."""

    def __init__(self, *, expired: bool) -> None:
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def fingerprint(value: str | None) -> str:
    return hashlib.sha256((value or "").encode()).hexdigest()[:20]


def _load(token: str, salt: str, max_age: int) -> dict[str, str]:
    try:
        data = _serializer(salt).loads(token, max_age=max_age)
    except SignatureExpired as error:
        raise BadLink(expired=True) from error
    except BadData as error:
        raise BadLink(expired=False) from error
    if not isinstance(data, dict) or not all(isinstance(data.get(k), str) for k in ("u", "f")):
        raise BadLink(expired=False)
    return data


def _user(public_id: str) -> User:
    user = db.session.execute(select(User).where(User.public_id == public_id)).scalar_one_or_none()
    if user is None or user.is_blocked or not user.email:
        raise BadLink(expired=False)
    return user


def password_reset_token(user: User) -> str:
    return _serializer(RESET_SALT).dumps({"u": user.public_id, "f": fingerprint(user.password_hash)})


def user_for_password_reset(token: str) -> User:
    """The person this password link is for, or BadLink (changed, too old, or the password changed since)."""
    data = _load(token, RESET_SALT, int(current_app.config["PASSWORD_RESET_MAX_AGE"]))
    user = _user(data["u"])
    if data["f"] != fingerprint(user.password_hash):
        raise BadLink(expired=False)
    return user


def email_verification_token(user: User, nonce: str = "") -> str:
    """`nonce`: a random value the sign-up also put in that browser's session (see `verification_link`)."""
    return _serializer(VERIFY_SALT).dumps({"u": user.public_id, "f": fingerprint(user.email), "n": nonce})


def user_for_email_verification(token: str) -> User:
    """The person whose address this link confirms, or BadLink (changed, too old, or sent to another address)."""
    return verification_link(token)[0]


def verification_link(token: str) -> tuple[User, str]:
    """The person whose address this link confirms and the sign-up's nonce ("" for a link sent again later).

    Opened in the browser that signed up (its session holds the same nonce), the link may log the person in; in
    any other browser it only confirms the address, so whoever made an account with somebody else's address
    cannot have its owner log in to it by clicking the link."""
    data = _load(token, VERIFY_SALT, int(current_app.config["EMAIL_VERIFICATION_MAX_AGE"]))
    user = _user(data["u"])
    if data["f"] != fingerprint(user.email):
        raise BadLink(expired=False)
    nonce = data.get("n")
    return user, nonce if isinstance(nonce, str) else ""


def new_nonce() -> str:
    return secrets.token_urlsafe(16)
