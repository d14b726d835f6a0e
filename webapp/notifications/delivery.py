"""E-mail that goes out straight away: rendered when the notification is made, in the recipient's language, and
put in the outbox (webapp.core.outbox) in the same transaction, so a rolled-back action never e-mails anyone and
the click never waits for the mail server."""

from __future__ import annotations

from webapp.accounts.models import User
from webapp.core import outbox
from webapp.core.extensions import db
from webapp.core.ids import utcnow
from webapp.notifications.emails import render_instant
from webapp.notifications.models import Notification


def mail_now(note: Notification) -> None:
    user = db.session.get(User, note.user_id)
    if user is not None and user.email and not user.is_blocked:
        outbox.queue(render_instant(user, note))
    note.emailed_at = utcnow()


def send_pending() -> outbox.SendReport:
    """Send what waits in the outbox (for the scheduler; the app's worker thread does the same after each click)."""
    return outbox.send_waiting(limit=10_000)
