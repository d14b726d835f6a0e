"""What happens between a volunteer and a request (shown, opened, responded, accepted, completed, declined,
thanked): the interaction log the matching engine learns from. Kept with the requests, so that every feature above
can write it."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import insert

from webapp.asks.models import SuggestionEvent
from webapp.core.extensions import db
from webapp.core.ids import utcnow


def record(volunteer_id: int | None, request_id: int, outcome: str) -> None:
    if volunteer_id is None:
        return
    db.session.add(SuggestionEvent(volunteer_id=volunteer_id, request_id=request_id, outcome=outcome))


def record_shown(volunteer_id: int, request_ids: Iterable[int]) -> None:
    """One INSERT for the whole page (executemany), not one per suggestion."""
    rows = [{"volunteer_id": volunteer_id, "request_id": rid, "outcome": "shown", "created_at": utcnow()}
            for rid in request_ids]
    if rows:
        db.session.execute(insert(SuggestionEvent), rows)
