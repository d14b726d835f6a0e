"""Registering, authenticating and updating people. Plain arguments in, model rows out."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import joinedload

from webapp.accounts.models import User, VolunteerProfile
from webapp.accounts.passwords import hash_password, verify_password
from webapp.core.access import Role
from webapp.core.extensions import db
from webapp.core.ids import new_public_id, utcnow
from webapp.core.moderation import Moderation, recheck
from webapp.core.reference.models import Wijk
from webapp.core.text_features import encode_volunteer_profile

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
SELF_SERVICE_ROLES = (Role.RESIDENT, Role.VOLUNTEER, Role.ORGANISER)


class EmailTaken(ValueError):
    pass


def normalise_email(email: str) -> str:
    return email.strip().lower()


def is_valid_email(email: str) -> bool:
    return bool(EMAIL_RE.match(email)) and len(email) <= 254


def find_by_email(email: str) -> User | None:
    return db.session.execute(
        select(User).where(User.email == normalise_email(email))
    ).scalar_one_or_none()


def stand_in(email: str) -> User:
    """A person who is not stored (never added to the session): lets a page do the same work for an address without
    an account as for one with, so the time of the answer tells nothing."""
    return User(public_id=new_public_id(), email=email, first_name="", password_hash="", locale="nl")


def find_by_login_id(login_id: str) -> User | None:
    """Load the user for a Flask-Login id of the form "<public_id>:<session_token>"."""
    public_id, _, token = login_id.partition(":")
    # Every logged-in page reads the roles (the menu, access checks) and most read the volunteer profile
    # (visibility, screening): one query with both joined, not three.
    user = db.session.execute(
        select(User).where(User.public_id == public_id)
        .options(joinedload(User.role_rows), joinedload(User.volunteer_profile))
    ).unique().scalar_one_or_none()
    if user is None or user.session_token != token:
        return None
    return user


@dataclass(frozen=True)
class Registration:
    email: str
    password: str
    first_name: str
    last_name: str
    phone: str
    postcode: str
    wijk: Wijk
    roles: tuple[str, ...]
    locale: str


def register_user(data: Registration) -> User:
    """A new account, its address not yet confirmed. EmailTaken when the address has an account; the password is
    hashed first either way, so both answers cost the same time."""
    email = normalise_email(data.email)
    password_hash = hash_password(data.password)
    if db.session.execute(select(func.count()).where(User.email == email)).scalar_one():
        raise EmailTaken(email)
    user = User(
        email=email,
        password_hash=password_hash,
        first_name=data.first_name.strip(),
        last_name=data.last_name.strip(),
        phone=data.phone.strip(),
        postcode=data.postcode.strip().upper(),
        wijk=data.wijk,
        locale=data.locale,
    )
    for role in data.roles or (Role.RESIDENT,):
        if role in SELF_SERVICE_ROLES:
            user.add_role(role)
    if Role.VOLUNTEER in user.roles:
        user.volunteer_profile = VolunteerProfile(
            postcode=user.postcode, wijk=data.wijk, languages=[data.locale], findable_by_organisers=False
        )
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(candidate: User | None, password: str) -> User | None:
    """`candidate` (found by the typed address, or None) when the password is right and they may log in; else None.
    Takes the same time whether or not there is a candidate (one argon2 verification)."""
    if not verify_password(candidate.password_hash if candidate else None, password):
        return None
    if candidate is None or candidate.is_blocked:
        return None
    return candidate


def record_login(user: User) -> None:
    user.last_login_at = utcnow()


def end_sessions(user: User) -> None:
    """Invalidate every session cookie issued to this person (used at logout)."""
    user.session_token = new_public_id()


def set_password(user: User, password: str) -> None:
    """A new password; every session of this person ends (a stolen session cookie stops working)."""
    user.password_hash = hash_password(password)
    end_sessions(user)


def change_password(user: User, current: str, new: str) -> bool:
    """Change the password when `current` is right; False otherwise."""
    if not verify_password(user.password_hash, current):
        return False
    set_password(user, new)
    return True


class AddressChanged(Exception):
    """The address a confirmation link was sent to is no longer the account's address (or the account is gone)."""


def mark_email_verified(user: User) -> bool:
    """Record that the person read the address `user.email` (as loaded when the link was checked); False when it was
    confirmed before. A conditional UPDATE: a link opened twice at once confirms once, and an address that changed
    meanwhile (or an account deleted meanwhile) is never confirmed by it (AddressChanged)."""
    address = user.email
    result = db.session.execute(
        update(User).where(User.id == user.id, User.email == address, User.is_blocked.is_(False),
                           User.email_verified_at.is_(None))
        .values(email_verified_at=utcnow()).execution_options(synchronize_session=False))
    db.session.refresh(user)
    if int(getattr(result, "rowcount", 0) or 0) == 1:
        return True
    if user.email != address or user.is_blocked or user.email_verified_at is None:
        raise AddressChanged
    return False


def needs_two_factor(user: User) -> bool:
    """Staff and admins log in in two steps (password, then a code from an app)."""
    return user.is_staff


def set_locale(user: User, locale: str) -> None:
    user.locale = locale


def create_staff(email: str, password: str, first_name: str, *, admin: bool = False) -> User:
    email = normalise_email(email)
    user = find_by_email(email)
    if user is None:
        user = User(email=email, first_name=first_name, locale="nl")
        db.session.add(user)
    user.password_hash = hash_password(password)
    user.add_role(Role.STAFF)
    if admin:
        user.add_role(Role.ADMIN)
    db.session.flush()
    return user


def update_account(user: User, *, first_name: str, last_name: str, phone: str, postcode: str, wijk: Wijk,
                   roles: Iterable[str]) -> None:
    user.first_name = first_name.strip()
    user.last_name = last_name.strip()
    user.phone = phone.strip()
    user.postcode = postcode.strip().upper()
    user.wijk = wijk
    wanted = {r for r in roles if r in SELF_SERVICE_ROLES} or {Role.RESIDENT.value}
    for row in list(user.role_rows):
        if row.role in SELF_SERVICE_ROLES and row.role not in wanted:
            user.role_rows.remove(row)
    for role in wanted:
        user.add_role(role)
    if Role.VOLUNTEER in user.roles and user.volunteer_profile is None:
        user.volunteer_profile = VolunteerProfile(postcode=user.postcode, wijk=wijk, languages=[user.locale],
                                                  findable_by_organisers=False)


@dataclass(frozen=True)
class VolunteerProfileData:
    skills: list[str]
    languages: list[str]
    postcode: str
    wijk: Wijk
    max_distance_km: float
    availability: list[str]
    bio: str
    findable_by_organisers: bool = False  # the volunteer's own choice, off until they tick it


def update_volunteer_profile(user: User, data: VolunteerProfileData) -> VolunteerProfile:
    profile = user.volunteer_profile or VolunteerProfile()
    user.volunteer_profile = profile
    user.add_role(Role.VOLUNTEER)
    profile.skills = data.skills
    profile.languages = data.languages
    profile.postcode = data.postcode.strip().upper()
    profile.wijk = data.wijk
    profile.max_distance_km = data.max_distance_km
    profile.availability = data.availability
    profile.bio = data.bio.strip()
    profile.findable_by_organisers = data.findable_by_organisers
    # The bio is checked like any public text; a held profile is not suggested until staff approve it.
    profile.moderation, flags = recheck(" ".join([*profile.skills, profile.bio]), others=(),
                                        current=profile.moderation or Moderation.OK,
                                        previous_flags=profile.moderation_flags)
    profile.moderation_flags = flags or None
    profile.match_features = encode_volunteer_profile(profile)
    db.session.flush()  # updated_at moves on: stored suggestions computed before now count as stale
    return profile
