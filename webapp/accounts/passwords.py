"""Password hashing with argon2id; cost parameters come from the app configuration."""

from __future__ import annotations

import re
import string
from collections.abc import Iterable
from contextlib import suppress
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

# Verified against when an e-mail address is unknown (or has no password), so a failed login costs exactly one
# argon2 verification either way: the time of an answer tells nothing about whether the address has an account.
_DUMMY_PASSWORD = "not-a-real-password-1234"  # noqa: S105 (a decoy, never stored)


def _hasher() -> PasswordHasher:
    return PasswordHasher(
        time_cost=current_app.config["ARGON2_TIME_COST"],
        memory_cost=current_app.config["ARGON2_MEMORY_COST"],
    )


@lru_cache(maxsize=8)
def _dummy_hash(time_cost: int, memory_cost: int) -> str:
    """A hash made once per cost setting (made at the first unknown address, then reused)."""
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_cost).hash(_DUMMY_PASSWORD)


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Whether `password` matches `stored_hash`. Without a stored hash: one verification of a decoy hash with the
    same cost (never two runs: hashing and verifying), then False."""
    hasher = _hasher()
    if not stored_hash:
        decoy = _dummy_hash(hasher.time_cost, hasher.memory_cost)
        with suppress(VerificationError, InvalidHashError):
            hasher.verify(decoy, password)
        return False
    try:
        return hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# -- which passwords are allowed ---------------------------------------------------------------------------------------

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 128  # ASVS 2.1.2: at least 64 permitted, more than 128 refused
COMMON_PASSWORDS_FILE = Path(__file__).resolve().parent / "data" / "common-passwords.txt"
_EDGES = string.digits + string.punctuation + " "
_REPEATED = re.compile(r"(.+?)\1+")  # one piece over and over: "welkom01welkom01", "abcabcabcabc"


class PasswordProblem(StrEnum):
    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"
    COMMON = "common"
    PERSONAL = "personal"
    REPETITIVE = "repetitive"


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    with COMMON_PASSWORDS_FILE.open(encoding="utf-8") as lines:
        return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def _squash(text: str) -> str:
    return "".join(text.lower().split())


def password_problem(password: str, personal: Iterable[str] = ()) -> PasswordProblem | None:
    """What is wrong with this new password, or None. `personal`: the e-mail address and names of its owner.

    At least 12 characters (a short sentence of a few words qualifies); not on the list of common passwords, also
    not once digits and punctuation at its start and end are taken off ("Wachtwoord2026!"); not the e-mail address,
    the part before the @ or a name; not a few characters or one piece over and over.
    """
    if len(password) < MIN_PASSWORD_LENGTH:
        return PasswordProblem.TOO_SHORT
    if len(password) > MAX_PASSWORD_LENGTH:
        return PasswordProblem.TOO_LONG
    squashed = _squash(password)
    core = squashed.strip(_EDGES)
    if squashed in common_passwords() or not core or core in common_passwords():
        return PasswordProblem.COMMON
    words = set()
    for value in personal:
        value = _squash(value or "")
        if value:
            words.update({value, value.partition("@")[0]})
    if squashed in words or core in words:
        return PasswordProblem.PERSONAL
    if len(set(squashed)) <= 3 or _REPEATED.fullmatch(squashed):
        return PasswordProblem.REPETITIVE
    return None
