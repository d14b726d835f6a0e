"""Readiness: can this app server do its work right now? For a load balancer (take a server out while it cannot reach
its database) and for monitoring (e-mail that has waited too long). Liveness (/health) needs nothing of this."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import func, select, text

from webapp.core.errors import DATABASE_UNAVAILABLE, first_line
from webapp.core.extensions import db
from webapp.core.ids import utcnow
from webapp.core.outbox import OutboxMail

log = logging.getLogger(__name__)


def problems(outbox_max_minutes: float, now: datetime | None = None) -> list[str]:
    """What keeps this server from being ready, in a few plain words each; empty when it is ready. One round trip
    to the database (within its timeouts: webapp.core.database); the outbox is checked unless
    `outbox_max_minutes` is 0."""
    try:
        db.session.execute(text("SELECT 1")).scalar_one()
        oldest = None if not outbox_max_minutes else db.session.execute(
            select(func.min(OutboxMail.created_at))
            .where(OutboxMail.sent_at.is_(None), OutboxMail.failed_at.is_(None))).scalar()
    except DATABASE_UNAVAILABLE as error:
        log.warning("Not ready: %s", first_line(error))
        return ["database unreachable"]
    finally:
        try:
            db.session.rollback()
        except DATABASE_UNAVAILABLE:
            db.session.remove()
    if oldest is not None:
        minutes = ((now or utcnow()) - oldest).total_seconds() / 60
        if minutes > outbox_max_minutes:
            return [f"e-mail waiting for {minutes:.0f} minutes"]
    return []
