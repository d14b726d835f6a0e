"""Opaque public identifiers and UTC timestamps shared by every model."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime


def new_public_id() -> str:
    """A random, URL-safe identifier that cannot be enumerated (72 bits)."""
    return secrets.token_urlsafe(9)


def utcnow() -> datetime:
    """The current time in UTC, without tzinfo (stored as naive UTC on every database)."""
    return datetime.now(UTC).replace(tzinfo=None)
