"""What happens between a volunteer and a request (shown, opened, responded, accepted, completed, declined,
thanked): the interaction log the matching engine learns from. Kept with the requests, so that every feature above
can write it."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import insert, select

from webapp.asks.models import SuggestionEvent
from webapp.core.extensions import db
from webapp.core.ids import utcnow


def record(volunteer_id: int | None, request_id: int, outcome: str) -> None:
    if volunteer_id is None:
        return
    db.session.add(SuggestionEvent(volunteer_id=volunteer_id, request_id=request_id, outcome=outcome))


def record_shown(volunteer_id: int, request_ids: Iterable[int]) -> None:
    """The first time each of these requests is shown to this volunteer; a request shown before is not recorded
    again. So a page view that shows what it showed before (the common case: the same list, looked at again) only
    reads, and takes no write lock. What learns from these events needs no more: the training history keeps the first
    "shown" of each volunteer and request (suggestions/learning.py), and the exposure count of the ranker
    (`recent_suggestions`) counts requests newly shown, not how often a volunteer reloaded the page.

    Two views at the same moment (two tabs) may both record a request: a duplicate both readers tolerate."""
    wanted = list(dict.fromkeys(request_ids))
    if not wanted:
        return
    known = set(db.session.execute(
        select(SuggestionEvent.request_id).where(SuggestionEvent.volunteer_id == volunteer_id,
                                                 SuggestionEvent.outcome == "shown",
                                                 SuggestionEvent.request_id.in_(wanted))).scalars())
    rows = [{"volunteer_id": volunteer_id, "request_id": rid, "outcome": "shown", "created_at": utcnow()}
            for rid in wanted if rid not in known]
    if rows:
        db.session.execute(insert(SuggestionEvent), rows)  # one INSERT for the page (executemany)
