"""E-mail that goes out straight away: sent right after the transaction that created the notification commits,
so a rolled-back action never e-mails anyone. A failed delivery stays pending (emailed_at NULL) and
`flask notify send-pending` tries again.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from flask import current_app, has_app_context
from sqlalchemy import event, inspect, select, update
from sqlalchemy.orm import Session

from webapp.accounts.models import User
from webapp.extensions import db
from webapp.ids import utcnow
from webapp.notifications import kinds
from webapp.notifications.emails import render_instant
from webapp.notifications.mail import DELIVERY_ERRORS, Mailer
from webapp.notifications.models import Notification, NotificationPreference

log = logging.getLogger(__name__)
_QUEUE = "samen.instant_mail"
_COMMITTED = "samen.instant_mail_committed"  # ids of committed notifications, e-mailed when the connection is free
RETRY_AFTER = timedelta(minutes=5)   # younger pending items may still be on their way
RETRY_WITHIN = timedelta(days=2)     # older ones are not worth an e-mail any more


def queue_instant(note: Notification) -> None:
    """Send this notification by e-mail once the current transaction has committed."""
    db.session.info.setdefault(_QUEUE, []).append(note)


def _after_commit(session: Session) -> None:
    queued: list[Notification] = session.info.pop(_QUEUE, None) or []
    ids = [identity[0] for note in queued if (identity := inspect(note).identity)]
    if ids:
        session.info.setdefault(_COMMITTED, []).extend(ids)


def _after_transaction_end(session: Session, transaction: Any) -> None:
    """Deliver once the committed transaction has given its connection back to the pool. (In after_commit the
    connection is still checked out: with many requests at once, each holding one connection and waiting for a
    second one to deliver with, the pool would run dry and every request would wait for its timeout.)"""
    if transaction.parent is not None or _COMMITTED not in session.info or not has_app_context():
        return
    ids: list[int] = session.info.pop(_COMMITTED)
    try:
        deliver(ids)
    except Exception:  # the action itself succeeded; the e-mail is retried by `notify send-pending`
        log.exception("Sending e-mail straight away failed")


def _after_rollback(session: Session, previous_transaction: Any) -> None:
    session.info.pop(_QUEUE, None)


def install_hooks() -> None:
    """Listen to the app's database session (once per process)."""
    if not event.contains(db.session, "after_commit", _after_commit):
        event.listen(db.session, "after_commit", _after_commit)
        event.listen(db.session, "after_transaction_end", _after_transaction_end)
        event.listen(db.session, "after_soft_rollback", _after_rollback)


def deliver(notification_ids: Sequence[int]) -> int:
    """E-mail these notifications now, each on its own. Runs in its own session (the caller's has just committed).
    Returns how many were handled."""
    if not notification_ids:
        return 0
    with Session(db.engine) as session:
        rows = session.execute(
            select(Notification, User).join(User, User.id == Notification.user_id)
            .where(Notification.id.in_(list(notification_ids)), Notification.emailed_at.is_(None))
            .order_by(Notification.id)
        ).all()
        handled: list[int] = []
        with Mailer(current_app.config) as mailer:
            for note, user in rows:
                if user.email and not user.is_blocked:
                    try:
                        mailer.send(render_instant(user, note))
                    except DELIVERY_ERRORS as error:
                        log.warning("E-mail for notification %s not delivered (%s); it stays pending", note.id, error)
                        continue
                handled.append(note.id)
        if handled:
            session.execute(
                update(Notification).where(Notification.id.in_(handled), Notification.emailed_at.is_(None))
                .values(emailed_at=utcnow())
            )
            session.commit()
        return len(handled)


def send_pending(now: datetime | None = None) -> int:
    """Try again to send notifications that should have gone out straight away but did not."""
    now = now or utcnow()
    candidates = db.session.execute(
        select(Notification.id, Notification.user_id, Notification.kind).where(
            Notification.emailed_at.is_(None),
            Notification.created_at <= now - RETRY_AFTER,
            Notification.created_at >= now - RETRY_WITHIN,
        )
    ).all()
    if not candidates:
        return 0
    chosen: dict[tuple[int, str], str] = {
        (row.user_id, row.kind): row.channel
        for row in db.session.execute(select(NotificationPreference).where(
            NotificationPreference.user_id.in_({c.user_id for c in candidates})))
        .scalars()
    }
    ids = []
    for note_id, user_id, kind in candidates:
        preference = kinds.preference_for(kind)
        if chosen.get((user_id, preference), kinds.DEFAULTS[preference]) == kinds.INSTANT:
            ids.append(note_id)
    db.session.commit()  # end the read transaction before another session writes
    return deliver(ids)
