"""Text features for the matching engine, computed when a profile, request or initiative is saved, so no page view
recomputes them."""

from __future__ import annotations

from typing import Any, Protocol

import matching
from matching.index import is_dutch_practice

# Text features do not depend on place; these coordinates only satisfy the record's validation.
_ANYWHERE = (52.38, 4.64)


class _ProfileLike(Protocol):
    skills: list[str]
    bio: str


class _RequestLike(Protocol):
    title: str
    description: str
    category_key: str


def encode_volunteer_profile(profile: _ProfileLike) -> dict[str, Any]:
    record = matching.Volunteer(
        id="-", skills=tuple(profile.skills or ()), languages=frozenset({"nl"}), lat=_ANYWHERE[0],
        lon=_ANYWHERE[1], max_distance_km=1.0, bio=profile.bio or "",
    )
    return matching.encode_volunteer(record).to_dict()


def encode_help_request(help_request: _RequestLike) -> dict[str, Any]:
    record = matching.HelpRequest(
        id="-", title=help_request.title or "", category=help_request.category_key, languages=frozenset({"nl"}),
        lat=_ANYWHERE[0], lon=_ANYWHERE[1], description=help_request.description or "",
    )
    return matching.encode_request(record).to_dict()


def text_profile(stored: dict[str, Any] | None) -> matching.TextProfile | None:
    """The stored profile, or None when missing or from an older feature version (the engine re-encodes)."""
    if not stored:
        return None
    try:
        profile = matching.TextProfile.from_dict(stored)
    except (TypeError, ValueError):
        return None
    return profile if profile.version == matching.FEATURE_VERSION else None


def practises_dutch(stored: dict[str, Any] | None) -> bool:
    """The request (by its stored text features) is about practising Dutch: taalmaatje, Nederlands oefenen, language
    buddy, ... Its requester speaks some Dutch, whatever else they listed."""
    profile = text_profile(stored)
    return profile is not None and is_dutch_practice(profile)
