"""Daily and weekly digests: `flask --app webapp digests send`, for a scheduler (once a day is enough).

Idempotent: each person has at most one digest per period (a row with a unique key per person and period). A run
claims the row with a conditional UPDATE before sending and marks it sent, together with the notifications it
carried, afterwards. Running twice sends nothing new; after a crash halfway a rerun sends the rest. A claim left
behind by a process that died while sending is taken over after CLAIM_TIMEOUT (that mail may then arrive twice,
which is better than never).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, cast

from flask import current_app
from sqlalchemy import CursorResult, and_, delete, or_, select, update
from sqlalchemy.exc import IntegrityError

from webapp.accounts.models import User, VolunteerProfile
from webapp.core.extensions import db
from webapp.core.ids import utcnow
from webapp.core.mail import DELIVERY_ERRORS, Mail, Mailer, external_url
from webapp.notifications import kinds
from webapp.notifications.emails import DigestLine, render_digest
from webapp.notifications.models import DigestStatus, EmailDigest, Notification
from webapp.notifications.services import channels_of
from webapp.suggestions.initiatives import suggest_initiatives
from webapp.suggestions.services import suggest_requests

log = logging.getLogger(__name__)
CLAIM_TIMEOUT = timedelta(minutes=30)
MAX_AGE = timedelta(days=30)  # older news is not worth a digest
FIRST_LOOK_BACK = timedelta(days=7)  # suggestions in a person's first digest: new in the past week
SUGGESTIONS_PER_DIGEST = 5


@dataclass
class DigestReport:
    sent: dict[str, int] = field(default_factory=lambda: dict.fromkeys(kinds.DIGEST_CHANNELS, 0))
    already_sent: int = 0
    nothing_new: int = 0
    failed: int = 0

    def __str__(self) -> str:
        return (f"Digests sent: {self.sent[kinds.DAILY]} daily, {self.sent[kinds.WEEKLY]} weekly; "
                f"{self.already_sent} already sent this period, {self.nothing_new} with nothing new, "
                f"{self.failed} failed (tried again on the next run).")


def period_key(channel: str, now: datetime) -> str:
    if channel == kinds.DAILY:
        return f"daily:{now.date().isoformat()}"
    year, week, _day = now.isocalendar()
    return f"weekly:{year}-W{week:02d}"


def send_digests(now: datetime | None = None, channels: tuple[str, ...] = kinds.DIGEST_CHANNELS, *,
                 deliver: Callable[[Mailer, Mail], None] | None = None) -> DigestReport:
    """Send every digest that is due in this period. `deliver` replaces Mailer.send (tests inject failures)."""
    now = now or utcnow()
    report = DigestReport()
    send = deliver or (lambda mailer, mail: mailer.send(mail))
    with Mailer(current_app.config) as mailer:
        for channel in channels:
            key = period_key(channel, now)
            for user_id in _candidates(channel, now):
                outcome = _send_one(user_id, channel, key, now, lambda mail: send(mailer, mail))
                if outcome == "sent":
                    report.sent[channel] += 1
                elif outcome == "already":
                    report.already_sent += 1
                elif outcome == "empty":
                    report.nothing_new += 1
                else:
                    report.failed += 1
    return report


def _candidates(channel: str, now: datetime) -> list[int]:
    """People who may have something for this digest: pending news on this channel, or suggestions by it."""
    pending = db.session.execute(
        select(Notification.user_id, Notification.kind).where(
            Notification.emailed_at.is_(None), Notification.created_at >= now - MAX_AGE,
            Notification.created_at <= now)
        .distinct()
    ).all()
    volunteers = list(db.session.execute(
        select(User.id).join(VolunteerProfile, VolunteerProfile.user_id == User.id)
        .where(User.email.is_not(None), User.is_blocked.is_(False))
    ).scalars())
    channels = channels_of([row.user_id for row in pending] + volunteers)
    wanted = {row.user_id for row in pending
              if channels[row.user_id][kinds.preference_for(row.kind)] == channel}
    wanted.update(v for v in volunteers if channels[v]["suggestions"] == channel)
    db.session.commit()
    return sorted(wanted)


def _rows(statement: Any) -> int:
    return int(cast(CursorResult[Any], db.session.execute(statement)).rowcount)


def _claim(user_id: int, key: str, now: datetime) -> int | None:
    """Take the digest of this person and period, or None when it was sent (or is being sent) by another run."""
    exists = db.session.execute(
        select(EmailDigest.id).where(EmailDigest.user_id == user_id, EmailDigest.period_key == key)
    ).scalar_one_or_none()
    if exists is None:
        db.session.add(EmailDigest(user_id=user_id, period_key=key, status=DigestStatus.PENDING))
        try:
            db.session.commit()
        except IntegrityError:  # another run created it a moment ago
            db.session.rollback()
    claimed = _rows(
        update(EmailDigest)
        .where(EmailDigest.user_id == user_id, EmailDigest.period_key == key,
               or_(EmailDigest.status == DigestStatus.PENDING,
                   and_(EmailDigest.status == DigestStatus.SENDING, EmailDigest.claimed_at < now - CLAIM_TIMEOUT)))
        .values(status=DigestStatus.SENDING, claimed_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    if claimed != 1:
        return None
    return db.session.execute(
        select(EmailDigest.id).where(EmailDigest.user_id == user_id, EmailDigest.period_key == key)
    ).scalar_one()


def _release(digest_id: int) -> None:
    db.session.rollback()
    db.session.execute(
        update(EmailDigest).where(EmailDigest.id == digest_id, EmailDigest.status == DigestStatus.SENDING)
        .values(status=DigestStatus.PENDING, claimed_at=None))
    db.session.commit()


def _send_one(user_id: int, channel: str, key: str, now: datetime, send: Callable[[Mail], None]) -> str:
    digest_id = _claim(user_id, key, now)
    if digest_id is None:
        return "already"
    try:
        user = db.session.get(User, user_id)
        assert user is not None and user.email
        channels = channels_of([user_id])[user_id]
        notes = [n for n in db.session.execute(
            select(Notification).where(
                Notification.user_id == user_id, Notification.emailed_at.is_(None),
                Notification.created_at >= now - MAX_AGE, Notification.created_at <= now)
            .order_by(Notification.created_at, Notification.id)
        ).scalars() if channels[kinds.preference_for(n.kind)] == channel]
        requests: list[DigestLine] = []
        initiatives: list[DigestLine] = []
        if channels["suggestions"] == channel:
            requests, initiatives = _new_suggestions(user, _since(user_id, now))
        if not notes and not requests and not initiatives:
            db.session.execute(delete(EmailDigest).where(EmailDigest.id == digest_id))
            db.session.commit()
            return "empty"
        mail = render_digest(user, channel, notes, requests, initiatives)
        send(mail)
    except DELIVERY_ERRORS as error:
        log.warning("Digest for person %s not delivered (%s); the next run tries again", user_id, error)
        _release(digest_id)
        return "failed"
    except BaseException:
        _release(digest_id)
        raise
    # Sent: mark the digest and exactly the notifications it carried (news that came in meanwhile waits).
    sent_at = utcnow()
    db.session.execute(update(EmailDigest).where(EmailDigest.id == digest_id)
                       .values(status=DigestStatus.SENT, sent_at=sent_at,
                               item_count=len(notes) + len(requests) + len(initiatives)))
    if notes:
        db.session.execute(
            update(Notification)
            .where(Notification.id.in_([n.id for n in notes]), Notification.emailed_at.is_(None))
            .values(emailed_at=sent_at)
            .execution_options(synchronize_session=False)
        )
    db.session.commit()
    return "sent"


def _since(user_id: int, now: datetime) -> datetime:
    """Suggestions are new when posted after the person's last digest."""
    last = db.session.execute(
        select(EmailDigest.sent_at).where(EmailDigest.user_id == user_id, EmailDigest.status == DigestStatus.SENT)
        .order_by(EmailDigest.sent_at.desc()).limit(1)
    ).scalar_one_or_none()
    return last or now - FIRST_LOOK_BACK


def _new_suggestions(user: User, since: datetime) -> tuple[list[DigestLine], list[DigestLine]]:
    """Open requests and initiative needs posted since the last digest that suit this volunteer."""
    if user.volunteer_profile is None or not user.volunteer_profile.skills:
        return [], []
    requests = [
        DigestLine(item.help_request.title, external_url("asks.show", public_id=item.help_request.public_id),
                   item.help_request.wijk.name)
        for item in suggest_requests(user, k=20, record_shown=False)
        if item.help_request.created_at > since
    ][:SUGGESTIONS_PER_DIGEST]
    initiatives = [
        DigestLine(f"{item.initiative.name}: {item.need.title}" if item.need else item.initiative.name,
                   external_url("initiatives.show", public_id=item.initiative.public_id), item.wijk_names)
        for item in suggest_initiatives(user, k=20)
        if item.need is not None and item.need.created_at > since
    ][:SUGGESTIONS_PER_DIGEST]
    return requests, initiatives
