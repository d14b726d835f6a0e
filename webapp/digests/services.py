"""Daily and weekly digests: `flask --app webapp digests send`, for a scheduler (once a day is enough).

Idempotent: each person has at most one digest per period (a row with a unique key per person and period). A run
claims a batch of rows with a conditional UPDATE before sending and marks them sent, together with the
notifications they carried, afterwards (an exception half-way still marks what was sent and gives the rest back).
Running twice sends nothing new; after a crash halfway a rerun sends the rest. A claim left behind by a process
that was killed while sending is taken over after CLAIM_TIMEOUT (those mails may then arrive twice, which is better
than never).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, cast

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import CursorResult, Table, and_, bindparam, delete, func, or_, select, update
from sqlalchemy.orm import selectinload

import matching
from webapp.accounts.models import User, VolunteerProfile
from webapp.core.database import conflict_insert
from webapp.core.extensions import db
from webapp.core.ids import utcnow
from webapp.core.mail import DELIVERY_ERRORS, Mail, Mailer, external_links
from webapp.notifications import kinds
from webapp.notifications.emails import DigestLine, locale_of, render_digest
from webapp.notifications.models import DigestStatus, EmailDigest, Notification
from webapp.notifications.services import channels_of
from webapp.suggestions.reasons import reason_lines
from webapp.suggestions.services import IN_CHUNK, RequestSuggestion
from webapp.suggestions.stored import has_profile, refresh, stored_initiatives_of, stored_requests_of

log = logging.getLogger(__name__)
CLAIM_TIMEOUT = timedelta(minutes=30)
MAX_AGE = timedelta(days=30)  # older news is not worth a digest
FIRST_LOOK_BACK = timedelta(days=7)  # suggestions in a person's first digest: new in the past week
SUGGESTIONS_PER_DIGEST = 5
LOOK_AT = 20  # the first this many initiatives of a stored list are looked at for new needs
BATCH = 200  # people per transaction (a process killed while sending may send at most this many twice)


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
                 deliver: Callable[[Mailer, Mail], None] | None = None, batch: int = BATCH) -> DigestReport:
    """Send every digest that is due in this period. `deliver` replaces Mailer.send (tests inject failures).

    People go in batches: a batch's digests are claimed with one conditional UPDATE, its news and stored
    suggestions read with a few queries, each mail rendered and sent over the one connection, and the batch
    marked sent (or given back) in one transaction. Suggestions come from the volunteers' stored lists, which are
    ranked again first, in blocks, for those whose list is stale (webapp.suggestions.stored.refresh)."""
    now = now or utcnow()
    report = DigestReport()
    send = deliver or (lambda mailer, mail: mailer.send(mail))
    with Mailer(current_app.config) as mailer:
        for channel in channels:
            key = period_key(channel, now)
            wanted, prefs = _candidates(channel, now)
            _fresh_lists([u for u in wanted if prefs[u]["suggestions"] == channel])
            for start in range(0, len(wanted), batch):
                _send_batch(wanted[start:start + batch], channel, key, now, prefs,
                            lambda mail: send(mailer, mail), report)
    return report


def _candidates(channel: str, now: datetime) -> tuple[list[int], dict[int, dict[str, str]]]:
    """People who may have something for this digest (pending news on this channel, or suggestions by it), and
    everyone's e-mail preferences."""
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
    return sorted(wanted), channels


def _fresh_lists(user_ids: list[int]) -> None:
    """Rank again, all at once, for the volunteers among these whose stored list is missing or stale."""
    if user_ids:
        refresh(stale_minutes=current_app.config["SUGGESTIONS_MAX_AGE_MINUTES"], user_ids=user_ids)


def _rows(statement: Any) -> int:
    return int(cast(CursorResult[Any], db.session.execute(statement)).rowcount)


def _claim(user_ids: list[int], key: str, now: datetime) -> dict[int, int]:
    """Take the digests of these people for this period: user id -> digest id, for those not sent (or being sent)
    by another run."""
    statement = conflict_insert(EmailDigest.__table__, db.session.get_bind())
    db.session.execute(statement.on_conflict_do_nothing(index_elements=["user_id", "period_key"]),
                       [dict(user_id=u, period_key=key, status=DigestStatus.PENDING, item_count=0, created_at=now)
                        for u in user_ids])
    claimed = db.session.execute(
        update(EmailDigest)
        .where(EmailDigest.user_id.in_(user_ids), EmailDigest.period_key == key,
               or_(EmailDigest.status == DigestStatus.PENDING,
                   and_(EmailDigest.status == DigestStatus.SENDING, EmailDigest.claimed_at < now - CLAIM_TIMEOUT)))
        .values(status=DigestStatus.SENDING, claimed_at=now)
        .returning(EmailDigest.user_id, EmailDigest.id)
        .execution_options(synchronize_session=False)
    ).all()
    db.session.commit()
    return {int(user_id): int(digest_id) for user_id, digest_id in claimed}


@dataclass
class _Outcome:
    sent: list[tuple[int, int, list[int]]] = field(default_factory=list)  # digest id, item count, notification ids
    empty: list[int] = field(default_factory=list)


def _send_batch(user_ids: list[int], channel: str, key: str, now: datetime, prefs: dict[int, dict[str, str]],
                send: Callable[[Mail], None], report: DigestReport) -> None:
    claimed = _claim(user_ids, key, now)
    report.already_sent += len(user_ids) - len(claimed)
    if not claimed:
        return
    ids = sorted(claimed)
    users = {u.id: u for u in db.session.execute(
        select(User).where(User.id.in_(ids)).options(selectinload(User.volunteer_profile))).scalars()}
    notes: dict[int, list[Notification]] = {u: [] for u in ids}
    for note in db.session.execute(
            select(Notification).where(
                Notification.user_id.in_(ids), Notification.emailed_at.is_(None),
                Notification.created_at >= now - MAX_AGE, Notification.created_at <= now)
            .order_by(Notification.created_at, Notification.id)).scalars():
        if prefs[note.user_id][kinds.preference_for(note.kind)] == channel:
            notes[note.user_id].append(note)
    suggested = _new_suggestions([users[u] for u in ids if prefs[u]["suggestions"] == channel], now)
    outcome = _Outcome()
    try:
        for user_id in ids:
            digest_id = claimed[user_id]
            requests, initiatives = suggested.get(user_id, ([], []))
            told = {str((n.params or {}).get("request")) for n in notes[user_id] if n.kind == "suggested_request"}
            requests = [line for line in requests if line.link.rsplit("/", 1)[-1] not in told]
            if not notes[user_id] and not requests and not initiatives:
                outcome.empty.append(digest_id)
                continue
            try:
                send(render_digest(users[user_id], channel, notes[user_id], requests, initiatives))
            except DELIVERY_ERRORS as error:
                log.warning("Digest for person %s not delivered (%s); the next run tries again", user_id, error)
                report.failed += 1
                continue
            outcome.sent.append((digest_id, len(notes[user_id]) + len(requests) + len(initiatives),
                                 [n.id for n in notes[user_id]]))
            report.sent[channel] += 1
    finally:
        _finish(claimed, outcome)
    report.nothing_new += len(outcome.empty)


def _finish(claimed: dict[int, int], outcome: _Outcome) -> None:
    """Mark what was sent, and exactly the notifications it carried (news that came in meanwhile waits); forget
    the empty digests; give back the rest (not delivered, or not reached because something failed) for the next
    run. One transaction for the batch."""
    db.session.rollback()  # whatever failed half-way; the claims are committed already
    sent_at = utcnow()
    if outcome.sent:
        table = cast(Table, EmailDigest.__table__)  # a Core executemany, one row per digest
        db.session.execute(update(table).where(table.c.id == bindparam("digest_id"))
                           .values(status=DigestStatus.SENT, sent_at=sent_at, item_count=bindparam("items")),
                           [dict(digest_id=d, items=n) for d, n, _notes in outcome.sent])
        note_ids = [n for _d, _n, notes in outcome.sent for n in notes]
        for start in range(0, len(note_ids), IN_CHUNK):
            db.session.execute(update(Notification)
                               .where(Notification.id.in_(note_ids[start:start + IN_CHUNK]),
                                      Notification.emailed_at.is_(None))
                               .values(emailed_at=sent_at).execution_options(synchronize_session=False))
    if outcome.empty:
        db.session.execute(delete(EmailDigest).where(EmailDigest.id.in_(outcome.empty))
                           .execution_options(synchronize_session=False))
    done = {d for d, _n, _notes in outcome.sent} | set(outcome.empty)
    back = [d for d in claimed.values() if d not in done]
    if back:
        db.session.execute(update(EmailDigest)
                           .where(EmailDigest.id.in_(back), EmailDigest.status == DigestStatus.SENDING)
                           .values(status=DigestStatus.PENDING, claimed_at=None)
                           .execution_options(synchronize_session=False))
    db.session.commit()


def _since(user_ids: list[int], now: datetime) -> dict[int, datetime]:
    """Suggestions are new when posted after the person's last digest (in the first one: the past week)."""
    last: dict[int, datetime] = {}
    for start in range(0, len(user_ids), IN_CHUNK):
        last.update({u: at for u, at in db.session.execute(
            select(EmailDigest.user_id, func.max(EmailDigest.sent_at))
            .where(EmailDigest.user_id.in_(user_ids[start:start + IN_CHUNK]), EmailDigest.status == DigestStatus.SENT)
            .group_by(EmailDigest.user_id)) if at is not None})
    return {u: last.get(u) or now - FIRST_LOOK_BACK for u in user_ids}


def _email_reasons(item: RequestSuggestion) -> list[matching.Reason]:
    """The reasons an e-mail may show: the request's own words only where they are in its title (an e-mail names
    the title and the wijk, never the description)."""
    title = item.help_request.title.casefold()
    return [r for r in item.suggestion.reasons if r.code != "asked" or r.detail.casefold() in title]


def _new_suggestions(users: list[User], now: datetime) -> dict[int, tuple[list[DigestLine], list[DigestLine]]]:
    """Open requests and initiative needs posted since each volunteer's last digest that suit them, from their
    stored lists, each with why it fits (in the volunteer's language)."""
    volunteers = [u for u in users if has_profile(u)]
    ids = [u.id for u in volunteers]
    since = _since(ids, now)

    def after_last_digest(volunteer: Any) -> Any:
        last = (select(func.max(EmailDigest.sent_at))
                .where(EmailDigest.user_id == volunteer, EmailDigest.status == DigestStatus.SENT).scalar_subquery())
        return func.coalesce(last, now - FIRST_LOOK_BACK)

    requests_of = stored_requests_of(ids, SUGGESTIONS_PER_DIGEST, created_after=after_last_digest)
    initiatives_of = stored_initiatives_of(ids, LOOK_AT, need_after=after_last_digest)
    request_link = external_links("asks.show", "public_id")  # built once, then by string formatting
    initiative_link = external_links("initiatives.show", "public_id")
    out: dict[int, tuple[list[DigestLine], list[DigestLine]]] = {}
    for user in volunteers:
        if requests_of[user.id]:
            with force_locale(locale_of(user)):
                requests = [
                    DigestLine(item.help_request.title, request_link(item.help_request.public_id),
                               item.help_request.wijk.name,
                               why="; ".join(reason_lines(_email_reasons(item), limit=2)))
                    for item in requests_of[user.id]]
        else:
            requests = []
        initiatives = [
            DigestLine(f"{item.initiative.name}: {item.need.title}" if item.need else item.initiative.name,
                       initiative_link(item.initiative.public_id), item.wijk_names)
            for item in initiatives_of[user.id]
            if item.need is not None and item.need.created_at > since[user.id]
        ][:SUGGESTIONS_PER_DIGEST]
        out[user.id] = (requests, initiatives)
    return out
