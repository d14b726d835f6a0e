"""Staff opening a sensitive request is written in the audit log."""

from __future__ import annotations

from collections.abc import Iterable

from webapp.accounts.models import User
from webapp.asks.models import HelpRequest, RequestStatus
from webapp.core.audit import Action, log_action, log_actions


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
    """The same for a workspace page that shows the text of several requests (one INSERT); how many were logged."""
    if viewer is None or not viewer.is_authenticated or not viewer.is_staff:
        return 0
    return log_actions(viewer, Action.VIEW_SENSITIVE, "request",
                       [r.public_id for r in requests if viewer.id != r.requester_id and is_sensitive(r)])
