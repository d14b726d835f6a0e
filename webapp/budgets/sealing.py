"""Sealing a ballot: the proposals a person chose, encrypted and authenticated with the ballot key, which lives in
the app's configuration (BALLOT_KEY, or derived from SECRET_KEY), never in the database.

Someone who can read the database but not the configuration sees random bytes of a fixed size; someone who changes
the bytes, or copies them to another person or round, gets a ballot that does not open. The count opens every sealed
ballot once, writes the choices without a name, and empties the sealed copies (docs/BUDGETS.md).

The construction uses the standard library only: a keystream of HMAC-SHA256 blocks over a random 128-bit nonce and a
counter (HMAC as a pseudo-random function in counter mode), then HMAC-SHA256 over everything (encrypt-then-MAC), with
separate keys for the two derived from the ballot key. With the `cryptography` package this would be AES-GCM; the
format starts with a version byte so it can change.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Iterable

VERSION = b"\x01"
NONCE_BYTES = 16
TAG_BYTES = 32
PAD_TO = 512  # every ballot of up to about 60 choices has the same size, so its length says nothing
_LABEL = b"samen/budgets/ballot-key/v1"


class Unreadable(ValueError):
    """The sealed ballot does not open with this key (another key, changed bytes, or another voter's ballot)."""


def ballot_key(secret: str) -> bytes:
    """The 32-byte ballot key from a configured secret (BALLOT_KEY, or SECRET_KEY when that is not set)."""
    return hmac.new(secret.encode("utf-8"), _LABEL, hashlib.sha256).digest()


def _subkey(key: bytes, purpose: bytes) -> bytes:
    return hmac.new(key, purpose, hashlib.sha256).digest()


def _keystream(key: bytes, nonce: bytes, length: int) -> bytes:
    enc = _subkey(key, b"encrypt")
    blocks = (hmac.new(enc, nonce + counter.to_bytes(4, "big"), hashlib.sha256).digest()
              for counter in range(-(-length // 32)))
    return b"".join(blocks)[:length]


def _tag(key: bytes, context: bytes, nonce: bytes, body: bytes) -> bytes:
    mac = _subkey(key, b"authenticate")
    return hmac.new(mac, VERSION + len(context).to_bytes(2, "big") + context + nonce + body, hashlib.sha256).digest()


def seal(key: bytes, context: str, choices: Iterable[int]) -> bytes:
    """`context` names the round and the voter, so a sealed ballot opens only where it was cast."""
    plain = json.dumps(sorted(set(choices)), separators=(",", ":")).encode("ascii")
    plain = plain.ljust(-(-len(plain) // PAD_TO) * PAD_TO)  # JSON ignores the trailing spaces
    nonce = secrets.token_bytes(NONCE_BYTES)
    body = bytes(a ^ b for a, b in zip(plain, _keystream(key, nonce, len(plain)), strict=True))
    return VERSION + nonce + body + _tag(key, context.encode("utf-8"), nonce, body)


def unseal(key: bytes, context: str, sealed: bytes) -> list[int]:
    if len(sealed) < 1 + NONCE_BYTES + TAG_BYTES or sealed[:1] != VERSION:
        raise Unreadable
    nonce, body, tag = sealed[1:1 + NONCE_BYTES], sealed[1 + NONCE_BYTES:-TAG_BYTES], sealed[-TAG_BYTES:]
    if not hmac.compare_digest(tag, _tag(key, context.encode("utf-8"), nonce, body)):
        raise Unreadable
    plain = bytes(a ^ b for a, b in zip(body, _keystream(key, nonce, len(body)), strict=True))
    try:
        choices = json.loads(plain.decode("ascii"))
    except (UnicodeDecodeError, ValueError) as error:
        raise Unreadable from error
    if not isinstance(choices, list) or not all(isinstance(c, int) and not isinstance(c, bool) for c in choices):
        raise Unreadable
    return choices
