"""Anonymising help requests: shared by account deletion and the retention job.

What goes: the title, description and every free text about the request (responses' messages, thank-you
notes, the staff-only intake and hand-over notes, the details of reports about it), the text features the
matching engine computed, its time slots and languages, the link to the requester, and the title in
notifications that point to it. What stays, for the reports to the city: category, wijk, dates, status,
hours, and the counts of responses and matches. A request only ever had a wijk, never an address, so its
location is already no finer than the wijk.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, func, select, update

from webapp.asks.models import HelpRequest, Match, RequestStatus, Response, ResponseStatus
from webapp.core import outbox
from webapp.core.extensions import db
from webapp.core.ids import utcnow
from webapp.notifications.models import Notification
from webapp.staff.models import ContactLogEntry, Handover, HandoverNote, Intake, Report

# Stored in place of the text. Language-neutral on purpose: the same row is read in Dutch and in English.
PLACEHOLDER = "—"
CLOSED_STATUSES = (RequestStatus.DONE, RequestStatus.CANCELLED, RequestStatus.EXPIRED, RequestStatus.HANDED_OVER)
BATCH = 200


def anonymise_requests(requests: Sequence[HelpRequest], now: datetime | None = None) -> int:
    """Strip every personal trace from these requests (already closed: the caller closes open ones first).
    Idempotent: a request that was anonymised before is left alone. Returns how many were changed."""
    moment = now or utcnow()
    todo = [r for r in requests if r.anonymised_at is None]
    if not todo:
        return 0
    ids = [r.id for r in todo]
    public_ids = [r.public_id for r in todo]
    outbox.redact([r.title for r in todo], PLACEHOLDER)  # mails on their way that quote a title
    for help_request in todo:
        help_request.title = PLACEHOLDER
        help_request.description = PLACEHOLDER
        help_request.slots = []
        help_request.languages = []
        help_request.match_features = None
        help_request.moderation_flags = None
        help_request.requester_id = None
        help_request.anonymised_at = moment
    db.session.execute(update(Response).where(Response.request_id.in_(ids))
                       .values(message=PLACEHOLDER).execution_options(synchronize_session="fetch"))
    db.session.execute(update(Response).where(Response.request_id.in_(ids), Response.status == ResponseStatus.PENDING)
                       .values(status=ResponseStatus.WITHDRAWN).execution_options(synchronize_session="fetch"))
    db.session.execute(update(Match).where(Match.request_id.in_(ids))
                       .values(requester_thanks="", volunteer_thanks="").execution_options(synchronize_session="fetch"))
    db.session.execute(update(Intake).where(Intake.request_id.in_(ids))
                       .values(note="", resident_id=None, address="", address_shareable=False)
                       .execution_options(synchronize_session="fetch"))
    db.session.execute(update(ContactLogEntry)
                       .where(ContactLogEntry.intake_id.in_(select(Intake.id).where(Intake.request_id.in_(ids))))
                       .values(note="").execution_options(synchronize_session="fetch"))
    db.session.execute(update(Handover).where(Handover.request_id.in_(ids))
                       .values(staff_note="").execution_options(synchronize_session="fetch"))
    db.session.execute(update(HandoverNote)  # every earlier version of the note too
                       .where(HandoverNote.handover_id.in_(select(Handover.id).where(Handover.request_id.in_(ids))))
                       .values(text="").execution_options(synchronize_session="fetch"))
    db.session.execute(update(Report).where(Report.request_id.in_(ids))
                       .values(details="").execution_options(synchronize_session="fetch"))
    forget_titles_in_notifications(public_ids)
    return len(todo)


def forget_titles_in_notifications(request_public_ids: Sequence[str]) -> None:
    """Notifications keep a copy of a request's title (and a staff note) to show the message: replace it."""
    if not request_public_ids:
        return
    notes = db.session.execute(
        select(Notification).where(Notification.params["request"].as_string().in_(list(request_public_ids)))
    ).scalars().all()
    for note in notes:
        params: dict[str, Any] = dict(note.params or {})
        changed = {key: PLACEHOLDER for key in ("title", "note") if params.get(key)}
        if changed:
            note.params = {**params, **changed}


def close_open_request(help_request: HelpRequest, now: datetime | None = None) -> bool:
    """Cancel an open request, as a conditional UPDATE: when someone accepts a helper at the same moment, one
    of the two wins and the other sees the new status. True when this call cancelled it."""
    result = cast(CursorResult[Any], db.session.execute(
        update(HelpRequest)
        .where(HelpRequest.id == help_request.id, HelpRequest.status == RequestStatus.OPEN)
        .values(status=RequestStatus.CANCELLED, closed_at=now or utcnow())
        .execution_options(synchronize_session=False)
    ))
    db.session.refresh(help_request)
    return int(result.rowcount) == 1


def end_ongoing_match(help_request: HelpRequest, now: datetime | None = None) -> bool:
    """A matched request whose requester or helper leaves: closed as cancelled. The match row stays (it counts
    as a match in the reports). True when this call closed it."""
    result = cast(CursorResult[Any], db.session.execute(
        update(HelpRequest)
        .where(HelpRequest.id == help_request.id, HelpRequest.status == RequestStatus.MATCHED)
        .values(status=RequestStatus.CANCELLED, closed_at=now or utcnow())
        .execution_options(synchronize_session=False)
    ))
    db.session.refresh(help_request)
    return int(result.rowcount) == 1


@dataclass(frozen=True)
class RetentionResult:
    count: int
    cutoff: datetime


def retention_candidates(months: int, now: datetime | None = None) -> tuple[datetime, Any]:
    """Closed requests, not yet anonymised, closed before the cut-off (a month counted as 30 days)."""
    cutoff = (now or utcnow()) - timedelta(days=30 * months)
    closed_on = func.coalesce(HelpRequest.closed_at, HelpRequest.updated_at)
    query = (select(HelpRequest)
             .where(HelpRequest.status.in_([str(s) for s in CLOSED_STATUSES]),
                    HelpRequest.anonymised_at.is_(None), closed_on < cutoff)
             .order_by(HelpRequest.id))
    return cutoff, query


def run_retention(months: int, *, dry_run: bool = False, now: datetime | None = None) -> RetentionResult:
    """Anonymise requests closed more than `months` months ago. Safe to run twice: the second run finds none."""
    moment = now or utcnow()
    cutoff, query = retention_candidates(months, moment)
    if dry_run:
        total = db.session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
        return RetentionResult(int(total), cutoff)
    done = 0
    while True:
        batch = db.session.execute(query.limit(BATCH)).scalars().all()
        if not batch:
            break
        done += anonymise_requests(batch, moment)
        db.session.flush()
    return RetentionResult(done, cutoff)
