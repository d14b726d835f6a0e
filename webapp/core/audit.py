"""The audit log: every staff action, with who, when and what. Append-only: there is no function here (or
anywhere) that changes or removes an entry, and the model refuses updates and deletes."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

from flask import has_request_context, session
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy import JSON, ForeignKey, Index, String, event, insert, select
from sqlalchemy.orm import Mapped, ORMExecuteState, Session, joinedload, mapped_column, relationship

from webapp.core.extensions import Base, db
from webapp.core.ids import utcnow
from webapp.core.pagination import Page, paginate


class Actor(Protocol):
    id: int


class AuditImmutable(RuntimeError):
    """The audit log is append-only: nothing may change or remove an entry."""


class AuditEntry(Base):
    """One staff action: who, when, what. Append-only."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_created_at", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    action: Mapped[str] = mapped_column(String(30))
    target_kind: Mapped[str] = mapped_column(String(20), default="")
    target_ref: Mapped[str] = mapped_column(String(40), default="")
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    actor: Mapped[Any] = relationship("User")


@event.listens_for(AuditEntry, "before_update")
def _refuse_update(mapper: Any, connection: Any, target: AuditEntry) -> None:
    raise AuditImmutable("audit log entries cannot be changed")


@event.listens_for(AuditEntry, "before_delete")
def _refuse_delete(mapper: Any, connection: Any, target: AuditEntry) -> None:
    raise AuditImmutable("audit log entries cannot be deleted")


def _refuse_bulk_changes(state: ORMExecuteState) -> None:
    """Bulk UPDATE and DELETE statements on the audit log through a session are refused as well."""
    if (state.is_update or state.is_delete) and any(m.class_ is AuditEntry for m in state.all_mappers):
        raise AuditImmutable("audit log entries cannot be changed or deleted")


def register() -> None:
    """Refuse bulk changes to the log in every session of the process (installed once, from create_app)."""
    if not event.contains(Session, "do_orm_execute", _refuse_bulk_changes):
        event.listen(Session, "do_orm_execute", _refuse_bulk_changes)


class Action(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"
    DISMISS_REPORTS = "dismiss_reports"
    BLOCK = "block"
    UNBLOCK = "unblock"
    SCREEN = "screen"
    INTAKE = "intake"
    HANDOVER = "handover"
    HANDOVER_OUTCOME = "handover_outcome"
    INVITE = "invite"
    EXPORT = "export"
    VIEW_SENSITIVE = "view_sensitive"
    VIEW_PERSON = "view_person"  # a staff member opened a person's record
    SEARCH_PEOPLE = "search_people"  # a staff member searched the volunteers (the ids shown, never the words)
    TASK_DONE = "task_done"  # a staff member did a task (phoned someone after a block)
    CORRECT_HOURS = "correct_hours"  # staff set the hours of a match that count in the reports
    ERASE_ACCOUNT = "erase_account"  # staff deleted the account of a person without a password (webapp.privacy)
    CONFIRM_INITIATIVE = "confirm_initiative"  # staff confirmed a new initiative: it is public from then on
    CHOOSE_HELPER = "choose_helper"  # a staff contact chose the helper for a resident they took in
    TAKE_OVER_INTAKE = "take_over_intake"  # a staff member became the contact of a colleague's intake
    EXTEND_REQUEST = "extend_request"  # staff pushed an unanswered request's end date back
    WIDEN_REQUEST = "widen_request"  # staff widened an unanswered request to its whole stadsdeel
    SNOOZE_REQUEST = "snooze_request"  # staff took an unanswered request out of the rescue queue until a day
    RESCUE_NOTE = "rescue_note"  # staff wrote a note on an unanswered request (the text stays in the history)
    RESCUE_OUTCOME = "rescue_outcome"  # staff phoned the resident of an expired request: what came of it
    VOG_APPLIED = "vog_applied"  # staff recorded that a volunteer applied for a certificate of conduct
    HANDOVER_NOTE = "handover_note"  # a new version of a hand-over's staff note (the old one is kept)
    REFERRAL_SENT = "referral_sent"  # the referral e-mail went to the partner (only the agreed fields)
    REFERRAL_PRINTED = "referral_printed"  # the printable referral (PDF) was made
    HANDOVER_PICKED_UP = "handover_picked_up"  # the partner picked the hand-over up
    HANDOVER_REMINDER = "handover_reminder"  # the staff member was reminded: not picked up after N days
    CONTACT_LOGGED = "contact_logged"  # staff noted contact with a resident (called, no answer, a letter)
    CONSENT_WITHDRAWN = "consent_withdrawn"  # a resident withdrew consent: their request went offline
    LETTER_PRINTED = "letter_printed"  # a letter for a resident without e-mail was printed


# Views of personal data (NEN 7513: who looked at whose data, when). Logged once per person per session per action.
VIEW_ACTIONS = frozenset({Action.VIEW_PERSON, Action.VIEW_SENSITIVE, Action.SEARCH_PEOPLE})
SESSION_KEY = "audit_session"  # a random id per login session (the session is new at every login)

ACTION_LABELS: dict[str, LazyString] = {
    Action.APPROVE: _l("Approved"),
    Action.REJECT: _l("Rejected"),
    Action.DISMISS_REPORTS: _l("Reports dismissed"),
    Action.BLOCK: _l("Blocked"),
    Action.UNBLOCK: _l("Unblocked"),
    Action.SCREEN: _l("VOG recorded"),
    Action.INTAKE: _l("Request taken in for a resident"),
    Action.HANDOVER: _l("Handed over to a professional"),
    Action.HANDOVER_OUTCOME: _l("Hand-over outcome"),
    Action.INVITE: _l("Volunteer invited"),
    Action.EXPORT: _l("Figures exported"),
    Action.VIEW_SENSITIVE: _l("Viewed a sensitive request"),
    Action.VIEW_PERSON: _l("Viewed a person's details"),
    Action.SEARCH_PEOPLE: _l("Viewed the volunteer list"),
    Action.TASK_DONE: _l("Task done"),
    Action.CORRECT_HOURS: _l("Hours corrected"),
    Action.ERASE_ACCOUNT: _l("Account deleted"),
    Action.CONFIRM_INITIATIVE: _l("Initiative confirmed"),
    Action.CHOOSE_HELPER: _l("Helper chosen for a resident"),
    Action.TAKE_OVER_INTAKE: _l("Intake taken over from a colleague"),
    Action.EXTEND_REQUEST: _l("Request extended"),
    Action.WIDEN_REQUEST: _l("Request widened to the stadsdeel"),
    Action.SNOOZE_REQUEST: _l("Request snoozed"),
    Action.RESCUE_NOTE: _l("Note on an unanswered request"),
    Action.RESCUE_OUTCOME: _l("Resident phoned about an expired request"),
    Action.VOG_APPLIED: _l("VOG applied for"),
    Action.HANDOVER_NOTE: _l("Hand-over note changed"),
    Action.REFERRAL_SENT: _l("Referral e-mailed to the partner"),
    Action.REFERRAL_PRINTED: _l("Referral printed"),
    Action.HANDOVER_PICKED_UP: _l("Hand-over picked up by the partner"),
    Action.HANDOVER_REMINDER: _l("Reminder: hand-over not picked up"),
    Action.CONTACT_LOGGED: _l("Contact with a resident noted"),
    Action.CONSENT_WITHDRAWN: _l("Consent withdrawn"),
    Action.LETTER_PRINTED: _l("Letter for a resident printed"),
}


def action_label(action: str) -> str:
    """The action in the reader's language; an action of a feature without a label keeps its name."""
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action


def session_id() -> str:
    """This login session's random id (made on first use; a new login starts a new session)."""
    if not has_request_context():
        return ""
    found = session.get(SESSION_KEY)
    if not isinstance(found, str) or not found:
        found = secrets.token_urlsafe(9)
        session[SESSION_KEY] = found
    return found


def log_views(actor: Actor | None, action: str, target_kind: str, target_refs: Iterable[str],
              **details: Any) -> int:
    """A view of personal data, once per person per session per action (NEN 7513): a reload, or the next page of a
    list that shows the same people again, writes nothing new. Returns how many entries were added."""
    if actor is None:
        return 0
    refs = [ref[:40] for ref in dict.fromkeys(target_refs)]
    sid = session_id()
    if not refs:
        return 0
    if sid:
        seen = set(db.session.execute(
            select(AuditEntry.target_ref).where(
                AuditEntry.actor_id == actor.id, AuditEntry.action == str(action),
                AuditEntry.target_kind == target_kind, AuditEntry.target_ref.in_(refs),
                AuditEntry.details["session"].as_string() == sid)
        ).scalars())
        refs = [ref for ref in refs if ref not in seen]
    if refs:  # one statement for the whole page, however many people it shows
        extra = {"session": sid} if sid else {}
        db.session.execute(insert(AuditEntry), [
            {"actor_id": actor.id, "action": str(action), "target_kind": target_kind, "target_ref": ref,
             "details": {**extra, **details}, "created_at": utcnow()} for ref in refs])
    return len(refs)


def log_view(actor: Actor | None, action: str, target_kind: str, target_ref: str, **details: Any) -> bool:
    """One view of one person's (or request's) data, once per session: see `log_views`."""
    return bool(log_views(actor, action, target_kind, [target_ref], **details))


def log_action(actor: Actor | None, action: str, target_kind: str = "", target_ref: str = "",
               **details: Any) -> AuditEntry:
    """Add one entry to the log (committed with the action it records). Never put contact details in `details`."""
    entry = AuditEntry(actor_id=actor.id if actor is not None else None, action=str(action),
                       target_kind=target_kind, target_ref=target_ref[:40], details=details)
    db.session.add(entry)
    return entry


def log_query(*, action: str | None = None, actor_id: int | None = None, targets: Iterable[str] = (),
              since: datetime | None = None, before: datetime | None = None) -> Any:
    """The entries that match every filter given: an action, who did it, what it touched (public ids), a time."""
    query = select(AuditEntry)
    if action:
        query = query.where(AuditEntry.action == action)
    if actor_id is not None:
        query = query.where(AuditEntry.actor_id == actor_id)
    wanted = [t[:40] for t in targets if t]
    if wanted:
        query = query.where(AuditEntry.target_ref.in_(wanted))
    if since is not None:
        query = query.where(AuditEntry.created_at >= since)
    if before is not None:
        query = query.where(AuditEntry.created_at < before)
    return query


def log_page(page: int, per_page: int, action: str | None = None, **filters: Any) -> Page[AuditEntry]:
    return paginate(log_query(action=action, **filters), page, per_page, AuditEntry.created_at.desc(),
                    AuditEntry.id.desc(), options=(joinedload(AuditEntry.actor),))


def log_entries(limit: int = 50_000, **filters: Any) -> list[AuditEntry]:
    """For an export: the newest first, at most `limit`."""
    query = log_query(**filters).order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc()).limit(limit)
    return list(db.session.execute(query.options(joinedload(AuditEntry.actor))).scalars())
