"""Turning database rows into the matching engine's records."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

import matching
from webapp.accounts.models import User
from webapp.asks.models import HelpRequest


def volunteer_record(
    user: User,
    *,
    open_commitments: int = 0,
    recent_suggestions: int = 0,
    experience: Mapping[str, int] | None = None,
) -> matching.Volunteer | None:
    """The engine's view of a volunteer, or None when the profile has no place yet."""
    profile = user.volunteer_profile
    wijk = (profile.wijk if profile else None) or user.wijk
    if profile is None or wijk is None:
        return None
    return matching.Volunteer(
        id=user.public_id,
        skills=tuple(profile.skills),
        languages=frozenset(matching.normalise_languages(profile.languages or ["nl"])),
        lat=wijk.lat,
        lon=wijk.lon,
        max_distance_km=profile.max_distance_km,
        availability=frozenset(profile.availability),
        screened=profile.is_screened,
        bio=profile.bio,
        open_commitments=open_commitments,
        recent_suggestions=recent_suggestions,
        experience=dict(experience or {}),
    )


def request_record(
    help_request: HelpRequest, *, responses: int = 0, now: datetime | None = None, listed_in: int = 0
) -> matching.HelpRequest:
    """The engine's view of a request. `listed_in`: how many volunteers' stored lists hold it now (a request in
    many lists is ranked a little lower, so one generic request does not fill every list)."""
    waiting = None
    if now is not None and responses == 0:
        waiting = max(0.0, (now - help_request.created_at).total_seconds() / 86400)
    return matching.HelpRequest(
        id=help_request.public_id,
        title=help_request.title,
        category=help_request.category_key,
        languages=frozenset(matching.normalise_languages(help_request.languages or ["nl"])),
        lat=help_request.wijk.lat,
        lon=help_request.wijk.lon,
        description=help_request.description,
        when=frozenset(help_request.slots),
        needs_screening=help_request.needs_screening,
        posted_at=help_request.created_at,
        waiting_days=waiting,
        responses=responses,
        listed_in=listed_in,
    )
