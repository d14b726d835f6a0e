"""Sealing a ballot: the proposals a person chose, encrypted and authenticated with the ballot key, which lives in
the app's configuration (BALLOT_KEY, or derived from SECRET_KEY), never in the database.

Someone who can read the database but not the configuration sees random bytes of a fixed size; someone who changes
the bytes, or copies them to another person or round, gets a ballot that does not open (AES-256-GCM from the
`cryptography` package, with the round and the voter as associated data). The count opens every sealed ballot once,
writes the choices without a name, and empties the sealed copies (docs/BUDGETS.md). The format starts with a version
byte so it can change.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Iterable

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

VERSION = b"\x02"
NONCE_BYTES = 12
TAG_BYTES = 16
PAD_TO = 512  # every ballot of up to about 60 choices has the same size, so its length says nothing
_LABEL = b"samen/budgets/ballot-key/v1"


class Unreadable(ValueError):
    """The sealed ballot does not open with this key (another key, changed bytes, or another voter's ballot)."""


def ballot_key(secret: str) -> bytes:
    """The 32-byte ballot key from a configured secret (BALLOT_KEY, or SECRET_KEY when that is not set)."""
    return hmac.new(secret.encode("utf-8"), _LABEL, hashlib.sha256).digest()


def seal(key: bytes, context: str, choices: Iterable[int]) -> bytes:
    """`context` names the round and the voter, so a sealed ballot opens only where it was cast."""
    plain = json.dumps(sorted(set(choices)), separators=(",", ":")).encode("ascii")
    plain = plain.ljust(-(-len(plain) // PAD_TO) * PAD_TO)  # JSON ignores the trailing spaces
    nonce = secrets.token_bytes(NONCE_BYTES)
    return VERSION + nonce + AESGCM(key).encrypt(nonce, plain, VERSION + context.encode("utf-8"))


def unseal(key: bytes, context: str, sealed: bytes) -> list[int]:
    if len(sealed) < 1 + NONCE_BYTES + TAG_BYTES or sealed[:1] != VERSION:
        raise Unreadable
    nonce, body = sealed[1:1 + NONCE_BYTES], sealed[1 + NONCE_BYTES:]
    try:
        plain = AESGCM(key).decrypt(nonce, body, VERSION + context.encode("utf-8"))
        choices = json.loads(plain.decode("ascii"))
    except (InvalidTag, UnicodeDecodeError, ValueError) as error:
        raise Unreadable from error
    if not isinstance(choices, list) or not all(isinstance(c, int) and not isinstance(c, bool) for c in choices):
        raise Unreadable
    return choices
