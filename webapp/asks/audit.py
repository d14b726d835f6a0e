"""Staff opening a sensitive request is written in the audit log."""

from __future__ import annotations

from collections.abc import Iterable

from webapp.accounts.models import User
from webapp.asks.models import HelpRequest, RequestStatus
from webapp.core.audit import Action, log_view, log_views


def is_sensitive(help_request: HelpRequest) -> bool:
    """Requests only screened volunteers may see, hand-overs, and requests staff took in for a resident."""
    return (help_request.needs_screening or help_request.status == RequestStatus.HANDED_OVER
            or help_request.contact_staff_id is not None)


def log_sensitive_view(viewer: User | None, help_request: HelpRequest) -> bool:
    """Log a staff member opening a sensitive request that is not their own, once per session (a reload or the
    next page of a queue writes nothing new). True when something was logged."""
    if viewer is None or not viewer.is_authenticated or not viewer.is_staff:
        return False
    if viewer.id == help_request.requester_id or not is_sensitive(help_request):
        return False
    return log_view(viewer, Action.VIEW_SENSITIVE, "request", help_request.public_id)


def log_sensitive_views(viewer: User | None, requests: Iterable[HelpRequest]) -> int:
    """The same for a workspace page that shows the text of several requests (one read of what this session logged
    already, one INSERT); how many were logged."""
    if viewer is None or not viewer.is_authenticated or not viewer.is_staff:
        return 0
    return log_views(viewer, Action.VIEW_SENSITIVE, "request",
                     [r.public_id for r in requests if viewer.id != r.requester_id and is_sensitive(r)])
