"""Two-step login for staff and admins: a time-based code (TOTP, RFC 6238) from an authenticator app, and
one-time recovery codes for when the phone is lost.

A code is accepted once: the time step it belongs to is stored, and a conditional UPDATE refuses a step that is not
newer than the last one accepted (so a code seen over someone's shoulder cannot be used again, not even by two
requests at the same moment). Recovery codes are stored as keyed, salted hashes (HMAC-SHA-256) and each works once,
by the same kind of conditional UPDATE.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time

import pyotp
import segno
from flask import current_app
from sqlalchemy import delete, func, or_, select, update

from webapp.accounts.models import RecoveryCode, User
from webapp.core.extensions import db
from webapp.core.ids import utcnow

ISSUER = "Samen Haarlem"
STEP_SECONDS = 30
DRIFT_STEPS = 1  # a code of the previous or the next 30 seconds is still accepted (phone clocks drift)
RECOVERY_CODE_COUNT = 10
_RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to mix up
_CODE_RE = re.compile(r"^\d{6}$")


def new_secret() -> str:
    return pyotp.random_base32(32)  # 160 bits


def is_totp_code(code: str) -> bool:
    return bool(_CODE_RE.match(normalise(code)))


def normalise(code: str) -> str:
    return re.sub(r"[\s-]", "", code).upper()


def provisioning_uri(email: str, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def qr_svg(uri: str, title: str) -> str:
    """The QR code as an inline SVG element (no script, no outside request)."""
    svg = str(segno.make(uri, error="m").svg_inline(scale=5, dark="#1a1a1a", light="#ffffff", title=title))
    return svg.replace("<svg ", '<svg role="img" ', 1)  # its <title> is read out as the image's name


def readable_secret(secret: str) -> str:
    """The secret in groups of four, for typing it into an app by hand."""
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def current_code(secret: str, now: float | None = None) -> str:
    return str(pyotp.TOTP(secret).at(time.time() if now is None else now))


def matching_step(secret: str, code: str, now: float | None = None) -> int | None:
    """The time step this code belongs to (within the allowed drift), or None."""
    code = normalise(code)
    if not _CODE_RE.match(code):
        return None
    totp = pyotp.TOTP(secret)
    current = int((time.time() if now is None else now) // STEP_SECONDS)
    for step in (current, current - DRIFT_STEPS, current + DRIFT_STEPS):
        if hmac.compare_digest(totp.at(step * STEP_SECONDS), code):
            return step
    return None


def _claim_step(user: User, step: int) -> bool:
    """Record this step as used; False when it (or a later one) was used already."""
    result = db.session.execute(
        update(User)
        .where(User.id == user.id, or_(User.totp_last_step.is_(None), User.totp_last_step < step))
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return False
    db.session.refresh(user, ["totp_last_step"])
    return True


def verify_code(user: User, code: str, now: float | None = None) -> bool:
    """Whether this is a right, not yet used code of the person's authenticator app."""
    if not user.totp_secret:
        return False
    step = matching_step(user.totp_secret, code, now)
    return step is not None and _claim_step(user, step)


def enrol(user: User, secret: str, code: str, now: float | None = None) -> list[str] | None:
    """Turn on two-step login with this secret when the code proves the app has it; the new recovery codes, or
    None when the code is not right."""
    step = matching_step(secret, code, now)
    if step is None:
        return None
    user.totp_secret = secret
    user.totp_last_step = step
    return new_recovery_codes(user)


def _hash(user: User, code: str) -> str:
    """A recovery code as stored: HMAC-SHA-256 under the app's secret key, salted with the person's random public
    id (ASVS 2.6.2: the 80-bit codes are salted and keyed, so a copied table cannot be searched offline)."""
    key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, f"{user.public_id}:{normalise(code)}".encode(), hashlib.sha256).hexdigest()


def _legacy_hash(code: str) -> str:
    """How codes made before keyed hashing were stored (plain SHA-256); they still work until used or replaced."""
    return hashlib.sha256(normalise(code).encode()).hexdigest()


def new_recovery_codes(user: User) -> list[str]:
    """Replace this person's recovery codes with new ones; the plain codes are returned once and never stored."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(16))  # 80 bits
        codes.append("-".join(raw[i:i + 4] for i in range(0, 16, 4)))
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_hash(user, code)) for code in codes)
    db.session.flush()
    return codes


def use_recovery_code(user: User, code: str) -> bool:
    """Spend one recovery code; False when it is not one of this person's, or was used before."""
    if len(normalise(code)) != 16:
        return False
    result = db.session.execute(
        update(RecoveryCode)
        .where(RecoveryCode.user_id == user.id, RecoveryCode.code_hash.in_((_hash(user, code), _legacy_hash(code))),
               RecoveryCode.used_at.is_(None))
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1  # type: ignore[attr-defined]


def recovery_codes_left(user: User) -> int:
    return int(db.session.execute(
        select(func.count()).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    ).scalar_one())


def turn_off(user: User) -> None:
    """Remove the app and the recovery codes (an admin does this when someone lost their phone and codes)."""
    user.totp_secret = None
    user.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
