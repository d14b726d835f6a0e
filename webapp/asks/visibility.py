"""Who may see a help request: the one place these rules are written. The public list, a request's page, the
suggestions (computed and stored), the digests, the rescue queue and responding all ask here, so a change cannot
reach one path and miss another. `open_to_volunteers` is the SQL form of `is_open_to_volunteers`; a test checks
that the two agree. Screening is webapp.accounts.safeguarding's rule: a request that needs a certificate of conduct
(VOG) is read, as a helper, only by volunteers it allows, also by people who responded before it became sensitive
and by the volunteer behind the offer it was asked through.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, exists, or_, select

from webapp.accounts.models import User, UserRole, VolunteerProfile
from webapp.accounts.safeguarding import may_help, may_read, screened
from webapp.asks.models import HelpRequest, RequestStatus
from webapp.core.access import Role
from webapp.core.ids import utcnow
from webapp.core.moderation import Moderation


def open_to_volunteers(now: datetime | None = None) -> tuple[ColumnElement[bool], ...]:
    """SQL: a request volunteers may be shown: open, not sent to one volunteer's offer, not expired, passed
    moderation, its requester not blocked. (Screening comes on top: `screening_for`.)"""
    return (
        HelpRequest.status == RequestStatus.OPEN,
        HelpRequest.offer_id.is_(None),
        HelpRequest.expires_at > (now or utcnow()),
        HelpRequest.moderation == Moderation.OK,
        or_(HelpRequest.requester_id.is_(None),
            HelpRequest.requester_id.not_in(select(User.id).where(User.is_blocked.is_(True)))),
    )


def is_open_to_volunteers(help_request: HelpRequest, now: datetime | None = None) -> bool:
    """The same as `open_to_volunteers`, for a request in hand."""
    return (help_request.status == RequestStatus.OPEN and help_request.offer_id is None
            and help_request.expires_at > (now or utcnow()) and help_request.moderation == Moderation.OK
            and not (help_request.requester is not None and help_request.requester.is_blocked))


def sees_sensitive(viewer: Any) -> bool:
    """Requests that need a certificate of conduct (VOG) are shown to screened volunteers and staff only."""
    return may_read(viewer, True)


def screening_for(viewer: Any) -> tuple[ColumnElement[bool], ...]:
    """SQL: the requests that need screening drop out for a viewer who may not see them."""
    return () if sees_sensitive(viewer) else (HelpRequest.needs_screening.is_(False),)


def screening_for_each(viewer_id: Any) -> ColumnElement[bool]:
    """SQL, for rows that pair a request with a person (whose user id is the column `viewer_id`, e.g. a stored
    suggestion's volunteer): `screening_for` of that person, so one query serves many people (a digest run)."""
    helps = exists(select(VolunteerProfile.user_id).where(VolunteerProfile.user_id == viewer_id, screened()))
    staff = exists(select(UserRole.id).where(UserRole.user_id == viewer_id,
                                             UserRole.role.in_((Role.STAFF, Role.ADMIN))))
    return or_(HelpRequest.needs_screening.is_(False), helps, staff)


def may_see(viewer: User | None, help_request: HelpRequest) -> bool:
    """Whether this person may open the request's page at all."""
    me = viewer.id if viewer is not None and viewer.is_authenticated else None
    if me is not None and (help_request.requester_id == me or viewer.is_staff):  # type: ignore[union-attr]
        return True
    if help_request.moderation != Moderation.OK or (help_request.requester and help_request.requester.is_blocked):
        return False  # held, rejected, or posted by someone who is blocked: only the poster and staff see it
    if me is not None and help_request.match is not None and help_request.match.volunteer_id == me:
        return True  # the chosen helper (chosen under the rule below) keeps the page of their match
    if me is not None and (any(r.volunteer_id == me for r in help_request.responses)
                           or (help_request.offer is not None and help_request.offer.volunteer_id == me)):
        return may_help(viewer, help_request.needs_screening)  # also when it became sensitive since
    return is_open_to_volunteers(help_request) and may_read(viewer, help_request.needs_screening)


def matched_meanwhile(viewer: User, help_request: HelpRequest) -> bool:
    """The request got its helper a moment ago, and this person could see it while it was open (so saying
    "someone else is helping" tells them nothing the listing did not)."""
    if help_request.status != RequestStatus.MATCHED or may_see(viewer, help_request):
        return False
    was_public = help_request.moderation == Moderation.OK and help_request.offer_id is None and not (
        help_request.requester and help_request.requester.is_blocked)
    return was_public and may_help(viewer, help_request.needs_screening)


SCREENING_NEWS = timedelta(days=1)  # how long after an edit made a request sensitive its old readers hear why


def needs_screening_meanwhile(viewer: User, help_request: HelpRequest, now: datetime | None = None) -> bool:
    """An edit made the request need a certificate of conduct (VOG) this person does not have, a short while ago:
    they may have had it open, so they hear why instead of "page not found". (A request that needed one from the
    start stays unknown to them.)"""
    since = help_request.screening_required_at
    return (since is not None and since >= (now or utcnow()) - SCREENING_NEWS and help_request.needs_screening
            and not may_help(viewer, True) and not may_see(viewer, help_request)
            and is_open_to_volunteers(help_request))


def may_respond(viewer: User | None, help_request: HelpRequest) -> bool:
    return (
        viewer is not None
        and viewer.is_authenticated
        and viewer.has_role("volunteer")
        and help_request.is_open
        and help_request.requester_id != viewer.id
        and may_help(viewer, help_request.needs_screening)
        and not any(r.volunteer_id == viewer.id for r in help_request.responses)
    )
