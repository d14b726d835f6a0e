"""Recording what happens to suggestions, as training data for the matching engine."""

from __future__ import annotations

from collections.abc import Iterable

from webapp.extensions import db
from webapp.suggestions.models import SuggestionEvent


def record(volunteer_id: int | None, request_id: int, outcome: str) -> None:
    if volunteer_id is None:
        return
    db.session.add(SuggestionEvent(volunteer_id=volunteer_id, request_id=request_id, outcome=outcome))


def record_shown(volunteer_id: int, request_ids: Iterable[int]) -> None:
    db.session.add_all(
        SuggestionEvent(volunteer_id=volunteer_id, request_id=rid, outcome="shown") for rid in request_ids
    )
