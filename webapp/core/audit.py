"""The audit log: every staff action, with who, when and what. Append-only: there is no function here (or
anywhere) that changes or removes an entry, and the model refuses updates and deletes."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

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


def log_action(actor: Actor | None, action: str, target_kind: str = "", target_ref: str = "",
               **details: Any) -> AuditEntry:
    """Add one entry to the log (committed with the action it records). Never put contact details in `details`."""
    entry = AuditEntry(actor_id=actor.id if actor is not None else None, action=str(action),
                       target_kind=target_kind, target_ref=target_ref[:40], details=details)
    db.session.add(entry)
    return entry


def log_actions(actor: Actor | None, action: str, target_kind: str, target_refs: Iterable[str]) -> int:
    """The same action on several targets (a staff page that shows many): one INSERT for all of them, not one per
    entry (per-row INSERTs are what the ORM sends on SQLite when it must read each new id back). How many."""
    now = utcnow()
    actor_id = actor.id if actor is not None else None
    rows: list[dict[str, Any]] = [{"created_at": now, "actor_id": actor_id, "action": str(action),
                                   "target_kind": target_kind, "target_ref": ref[:40], "details": {}}
                                  for ref in target_refs]
    if rows:
        db.session.execute(insert(AuditEntry), rows)
    return len(rows)


def log_page(page: int, per_page: int, action: str | None = None) -> Page[AuditEntry]:
    query = select(AuditEntry)
    if action:
        query = query.where(AuditEntry.action == action)
    return paginate(query, page, per_page, AuditEntry.created_at.desc(), AuditEntry.id.desc(),
                    options=(joinedload(AuditEntry.actor),))
