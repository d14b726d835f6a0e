"""Text features computed when a profile or request is saved, so no page view recomputes them."""

from __future__ import annotations

from typing import Any, Protocol


class _ProfileLike(Protocol):
    skills: list[str]
    bio: str


class _RequestLike(Protocol):
    title: str
    description: str
    category_key: str


def encode_volunteer_profile(profile: _ProfileLike) -> dict[str, Any] | None:
    return None


def encode_help_request(help_request: _RequestLike) -> dict[str, Any] | None:
    return None
