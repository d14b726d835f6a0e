"""The audit log: every staff action, with who, when and what. Append-only: there is no function here (or
anywhere) that changes or removes an entry, and the model refuses updates and deletes (see models.py)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from webapp.accounts.models import User
from webapp.asks.models import HelpRequest, RequestStatus
from webapp.extensions import db
from webapp.staff.models import AuditEntry


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
    VIEW_PERSON = "view_person"
    ERASE_ACCOUNT = "erase_account"  # staff deleted the account of a person without a password (webapp.privacy)


def log_action(actor: User | None, action: str, target_kind: str = "", target_ref: str = "",
               **details: Any) -> AuditEntry:
    """Add one entry to the log (committed with the action it records). Never put contact details in `details`."""
    entry = AuditEntry(actor_id=actor.id if actor is not None else None, action=str(action),
                       target_kind=target_kind, target_ref=target_ref[:40], details=details)
    db.session.add(entry)
    return entry


def is_sensitive(help_request: HelpRequest) -> bool:
    """Requests only screened volunteers may see, hand-overs, and requests staff took in for a resident."""
    return (help_request.needs_screening or help_request.status == RequestStatus.HANDED_OVER
            or help_request.contact_staff_id is not None)


def log_sensitive_view(viewer: User | None, help_request: HelpRequest) -> bool:
    """Log a staff member opening a sensitive request that is not their own. True when something was logged."""
    if viewer is None or not viewer.is_authenticated or not viewer.is_staff:
        return False
    if viewer.id == help_request.requester_id or not is_sensitive(help_request):
        return False
    log_action(viewer, Action.VIEW_SENSITIVE, "request", help_request.public_id)
    return True


def log_sensitive_views(viewer: User | None, requests: Iterable[HelpRequest]) -> int:
    """The same for a workspace page that shows the text of several requests; how many were logged."""
    return sum(log_sensitive_view(viewer, help_request) for help_request in requests)


@dataclass(frozen=True)
class LogPage:
    items: list[AuditEntry]
    page: int
    pages: int
    total: int


def log_page(page: int, per_page: int, action: str | None = None) -> LogPage:
    query = select(AuditEntry)
    if action:
        query = query.where(AuditEntry.action == action)
    total = db.session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    items = db.session.execute(
        query.options(joinedload(AuditEntry.actor))
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
        .offset((page - 1) * per_page).limit(per_page)
    ).scalars().all()
    return LogPage(list(items), page, pages, total)
