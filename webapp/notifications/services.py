"""Creating and reading notifications."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, update

from webapp.extensions import db
from webapp.ids import utcnow
from webapp.notifications.models import Notification


def notify(user_id: int | None, kind: str, **params: Any) -> None:
    if user_id is None:
        return
    db.session.add(Notification(user_id=user_id, kind=kind, params=params))


def unread_count(user_id: int) -> int:
    return db.session.execute(
        select(func.count()).where(Notification.user_id == user_id, Notification.read_at.is_(None))
    ).scalar_one()


def recent_for(user_id: int, limit: int = 50) -> list[Notification]:
    return list(
        db.session.execute(
            select(Notification)
            .where(Notification.user_id == user_id)
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(limit)
        ).scalars()
    )


def mark_all_read(user_id: int) -> None:
    db.session.execute(
        update(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
