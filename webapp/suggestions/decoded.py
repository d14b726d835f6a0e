"""Stored text profiles of candidates, decoded once per process and profile version."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import inspect, select

import matching
from webapp.accounts.models import VolunteerProfile
from webapp.core.extensions import db
from webapp.core.text_features import text_profile

# Decoded stored profiles by (user id, profile version): decoding the stored JSON is most of what ranking
# candidates costs, and a profile only changes when it is saved (updated_at). Derived data of this process, never
# shared state: a stale entry cannot be read, because a saved profile has a new key.
_DECODED: dict[tuple[int, datetime], matching.TextProfile | None] = {}
_DECODED_MAX = 50_000


def stored_volunteer_profiles(profiles: Sequence[VolunteerProfile]) -> dict[int, matching.TextProfile | None]:
    """user id -> the stored text profile of each volunteer profile, reading the stored features from the database
    only for profiles this process has not decoded at their current version (one query for all of those)."""
    out: dict[int, matching.TextProfile | None] = {}
    missing: list[VolunteerProfile] = []
    for profile in profiles:
        key = (profile.user_id, profile.updated_at)
        if key in _DECODED:
            out[profile.user_id] = _DECODED[key]
        elif "match_features" not in inspect(profile).unloaded:
            out[profile.user_id] = _remember(key, text_profile(profile.match_features))
        else:
            missing.append(profile)
    if missing:
        versions = {p.user_id: p.updated_at for p in missing}
        for user_id, stored in db.session.execute(
                select(VolunteerProfile.user_id, VolunteerProfile.match_features)
                .where(VolunteerProfile.user_id.in_(list(versions)))):
            out[user_id] = _remember((user_id, versions[user_id]), text_profile(stored))
    return out


def _remember(key: tuple[int, datetime], profile: matching.TextProfile | None) -> matching.TextProfile | None:
    if len(_DECODED) >= _DECODED_MAX:
        _DECODED.clear()  # simple and bounded; refilled by the next page views
    _DECODED[key] = profile
    return profile
