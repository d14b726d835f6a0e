"""The outbox: every e-mail a click causes is a row here, written in the same transaction as the action, and sent by a
worker thread of the app process (woken when such a transaction commits) or by the scheduled
`flask notifications send-pending`. A click never waits for a mail server; a rolled-back action sends nothing; a
mail that could not be delivered waits and is tried again, with growing pauses, for two days.

Two processes never send the same row: each claims a row with a conditional UPDATE before sending it (a claim
that is not finished within the claim period, because the process died, is taken over; a mail keeps its
Message-ID over every try, so the rare second delivery is one message to mail programs). A sent row keeps only its
envelope (recipient, subject, times): the body, which may hold a password-reset link, is emptied.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from flask import Flask, current_app, has_app_context
from markupsafe import escape
from sqlalchemy import JSON, CursorResult, Index, Integer, String, Text, delete, event, or_, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from webapp.core.extensions import Base, db
from webapp.core.ids import utcnow
from webapp.core.mail import DELIVERY_ERRORS, UNREACHABLE, Mail, Mailer, sender_domain

log = logging.getLogger(__name__)
# A claim older than this belongs to a process that died (killed, or its database went away after the mail was sent);
# another may take the row: long enough for one mail's SMTP dialogue (a few commands, each within MAIL_TIMEOUT).
CLAIM_MIN_SECONDS = 60
CLAIM_TIMEOUTS = 6
GIVE_UP_AFTER = timedelta(days=2)
BATCH = 100
POLL_SECONDS = 60.0          # the worker also looks every minute (mail queued by the CLI or another process)
_WOKEN = "samen.outbox_woken"


class OutboxMail(Base):
    __tablename__ = "mail_outbox"
    __table_args__ = (Index("ix_mail_outbox_sent_at_next_try_at", "sent_at", "next_try_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text, default="")
    html: Mapped[str] = mapped_column(Text, default="")
    locale: Mapped[str] = mapped_column(String(5), default="nl")
    headers: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    next_try_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_until: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(String(200), default="")
    sent_at: Mapped[datetime | None]
    failed_at: Mapped[datetime | None]  # given up after GIVE_UP_AFTER


def queue(mail: Mail) -> OutboxMail:
    """Put a mail in the outbox; it goes out once the current transaction commits."""
    row = OutboxMail(recipient=mail.to, subject=mail.subject[:200], text=mail.text, html=mail.html,
                     locale=mail.locale, headers=dict(mail.headers))
    db.session.add(row)
    db.session.info[_WOKEN] = True
    return row


def forget(recipient: str) -> None:
    """Remove every mail to this address, sent or waiting (the person's account is erased)."""
    db.session.execute(delete(OutboxMail).where(OutboxMail.recipient == recipient)
                       .execution_options(synchronize_session=False))


def redact(phrases: Iterable[str], placeholder: str) -> None:
    """Replace these phrases (a request's title that is being anonymised) in mails still on their way."""
    wanted = [phrase for phrase in phrases if phrase and phrase != placeholder]
    if not wanted:
        return
    waiting = db.session.execute(select(OutboxMail).where(OutboxMail.sent_at.is_(None))).scalars()
    for row in waiting:
        for phrase in wanted:
            if phrase in row.text or escape(phrase) in row.html:
                row.text = row.text.replace(phrase, placeholder)
                row.html = row.html.replace(str(escape(phrase)), placeholder)


@dataclass(frozen=True)
class SendReport:
    sent: int = 0
    failed: int = 0      # tried and not delivered this time; tried again later
    given_up: int = 0

    def __str__(self) -> str:
        return f"Sent {self.sent} e-mail(s); {self.failed} to try again later; {self.given_up} given up."


def _rows_changed(session: Session, statement: Any) -> int:
    return int(cast(CursorResult[Any], session.execute(statement)).rowcount)


def _pause(attempts: int) -> timedelta:
    """1, 2, 4, ... minutes, at most an hour."""
    return timedelta(minutes=min(60, 2 ** max(0, attempts - 1)))


def send_waiting(limit: int = BATCH, stop: Callable[[], bool] | None = None) -> SendReport:
    """Send what is due, in its own session (never the caller's transaction). Stops at the first failure to reach
    the mail server: the rest would only wait for the same timeout, one by one; and between two mails when `stop()`
    says so (the process is shutting down)."""
    now = utcnow()
    sent = failed = given_up = 0
    with Session(db.engine) as session:
        given_up = _rows_changed(session, update(OutboxMail).where(
            OutboxMail.sent_at.is_(None), OutboxMail.failed_at.is_(None),
            OutboxMail.created_at < now - GIVE_UP_AFTER).values(failed_at=now))
        session.commit()
        due = list(session.execute(
            select(OutboxMail.id).where(
                OutboxMail.sent_at.is_(None), OutboxMail.failed_at.is_(None), OutboxMail.next_try_at <= now,
                or_(OutboxMail.claimed_until.is_(None), OutboxMail.claimed_until < now))
            .order_by(OutboxMail.id).limit(limit)).scalars())
        session.commit()
        if not due:
            return SendReport(given_up=given_up)
        with Mailer(current_app.config) as mailer:
            for mail_id in due:
                if stop is not None and stop():
                    break
                row = _claim(session, mail_id)
                if row is None:
                    continue  # another process took it
                try:
                    headers = {**(row.headers or {}), "Message-ID": _message_id(row)}
                    mailer.send(Mail(to=row.recipient, subject=row.subject, text=row.text, html=row.html,
                                     locale=row.locale, headers=headers))
                except DELIVERY_ERRORS as error:
                    failed += 1
                    row.last_error = f"{type(error).__name__}: {error}"[:200]
                    row.next_try_at = utcnow() + _pause(row.attempts)
                    row.claimed_until = None
                    session.commit()
                    log.warning("E-mail %s to the outbox's recipient not delivered (%s); tried again later",
                                row.id, row.last_error)
                    if isinstance(error, UNREACHABLE):
                        break  # the server itself is out of reach
                    continue
                row.sent_at = utcnow()
                row.claimed_until = None
                row.text = row.html = ""  # a reset link has no business staying in the database
                session.commit()
                sent += 1
    return SendReport(sent=sent, failed=failed, given_up=given_up)


def _message_id(row: OutboxMail) -> str:
    """The same on every try of one mail: a mail that reached the server although the answer was lost (and is
    sent again) is one message to mail programs, not two."""
    stamp = row.created_at.strftime("%Y%m%d%H%M%S")
    return f"<samen.{stamp}.{row.id}@{sender_domain(current_app.config.get('MAIL_DEFAULT_SENDER') or '')}>"


def claim_seconds() -> float:
    return max(CLAIM_MIN_SECONDS, CLAIM_TIMEOUTS * float(current_app.config.get("MAIL_TIMEOUT") or 10))


def _claim(session: Session, mail_id: int) -> OutboxMail | None:
    now = utcnow()
    claimed = _rows_changed(session, update(OutboxMail).where(
        OutboxMail.id == mail_id, OutboxMail.sent_at.is_(None),
        or_(OutboxMail.claimed_until.is_(None), OutboxMail.claimed_until < now))
        .values(claimed_until=now + timedelta(seconds=claim_seconds()), attempts=OutboxMail.attempts + 1)
        .execution_options(synchronize_session=False))
    session.commit()
    return session.get(OutboxMail, mail_id, populate_existing=True) if claimed == 1 else None


class Worker:
    """A daemon thread per app process that sends the outbox. Started at the first wake-up (never in create_app),
    and again in a process forked from one where it ran (each gunicorn worker, the child of Flask's reloader)."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self._wake = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._pid = 0
        self._stopping = False

    def wake(self) -> None:
        with self._lock:
            if self._stopping:
                return  # the process is shutting down: the rows wait for the next process or send-pending
            if self._thread is None or not self._thread.is_alive() or self._pid != os.getpid():
                self._pid = os.getpid()
                self._thread = threading.Thread(target=self._run, name="samen-outbox", daemon=True)
                self._thread.start()
        self._wake.set()

    def stop(self, timeout: float | None = None) -> bool:
        """Let the thread finish the mail it is sending and end; True when it ended within `timeout`. Called when a
        gunicorn worker exits (gunicorn.conf.py), so no mail is left claimed for the claim period, and by tests."""
        with self._lock:
            self._stopping = True
            thread = self._thread if self._pid == os.getpid() else None
        self._wake.set()
        if thread is not None and thread.is_alive():
            thread.join(timeout)
            return not thread.is_alive()
        return True

    def _run(self) -> None:
        while not self._stopping:
            self._wake.wait(timeout=POLL_SECONDS)
            self._wake.clear()
            if self._stopping:
                break
            try:
                with self.app.app_context():
                    send_waiting(stop=lambda: self._stopping)
            except Exception:  # keep the thread alive; the rows wait for the next round
                log.exception("Sending the outbox failed")


def _after_commit(session: Session) -> None:
    if session.info.pop(_WOKEN, False) and has_app_context():
        worker = current_app.extensions.get("samen_outbox_worker")
        if worker is not None:
            worker.wake()


def _after_soft_rollback(session: Session, _previous: Any) -> None:
    session.info.pop(_WOKEN, None)


def register(app: Flask) -> None:
    """Wake the worker when a transaction that queued mail commits (MAIL_WORKER off: only the scheduled job sends,
    as in the tests, which send with `send_waiting()` themselves)."""
    if app.config.get("MAIL_WORKER", True):
        app.extensions["samen_outbox_worker"] = Worker(app)
    if not event.contains(db.session, "after_commit", _after_commit):
        event.listen(db.session, "after_commit", _after_commit)
        event.listen(db.session, "after_soft_rollback", _after_soft_rollback)
