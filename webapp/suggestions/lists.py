"""Writing volunteers' stored suggestion lists (tables suggestion_lists and volunteer_suggestions): by the page view of
a volunteer whose list is stale, by the refresh job (stored.py) and by the freshness worker (freshness.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete

import matching
from webapp.core.database import conflict_insert
from webapp.core.extensions import db
from webapp.suggestions.initiatives import InitiativeSuggestion
from webapp.suggestions.models import StoredSuggestion, SuggestionList
from webapp.suggestions.services import IN_CHUNK

# More than a page shows, so that items filtered out when read (answered, closed, ...) are replaced.
REQUESTS_STORED = 30
INITIATIVES_STORED = 10
REQUEST, INITIATIVE = "request", "initiative"


def _upsert(model: Any, rows: list[dict[str, Any]], keys: Sequence[str]) -> None:
    """INSERT ... ON CONFLICT DO UPDATE on SQLite and PostgreSQL alike: two page views computing the same
    volunteer's list at once both succeed, the last one wins. Many rows go as one executemany."""
    if not rows:
        return
    statement = conflict_insert(model.__table__, db.session.get_bind())
    changed = {c: statement.excluded[c] for c in rows[0] if c not in keys}
    db.session.execute(statement.on_conflict_do_update(index_elements=list(keys), set_=changed), rows)


def _reasons(suggestion: matching.Suggestion) -> list[dict[str, str]]:
    return [r.to_dict() for r in suggestion.reasons]


def request_rows(user_id: int, ranked: Sequence[tuple[int, matching.Suggestion]]) -> list[dict[str, Any]]:
    """A volunteer's stored request list as rows: (request id, suggestion), best first."""
    return [dict(volunteer_id=user_id, kind=REQUEST, rank=rank, request_id=request_id, initiative_id=None,
                 need_id=None, score=s.score, reasons=_reasons(s)) for rank, (request_id, s) in enumerate(ranked)]


def initiative_rows(user_id: int, ranked: Sequence[InitiativeSuggestion]) -> list[dict[str, Any]]:
    return [dict(volunteer_id=user_id, kind=INITIATIVE, rank=rank, request_id=None,
                 initiative_id=item.initiative.id, need_id=item.need.id if item.need else None,
                 score=item.suggestion.score, reasons=_reasons(item.suggestion))
            for rank, item in enumerate(ranked)]


def write_lists(kind: str, lists: dict[int, list[dict[str, Any]]]) -> None:
    """Replace these volunteers' stored lists of one kind (rows from `request_rows` / `initiative_rows`): rows
    upserted by rank, and whatever lay beyond a list's new length removed. The caller commits."""
    _upsert(StoredSuggestion, [row for rows in lists.values() for row in rows], ("volunteer_id", "kind", "rank"))
    by_length: dict[int, list[int]] = {}
    for user_id, rows in lists.items():
        by_length.setdefault(len(rows), []).append(user_id)
    for length, user_ids in by_length.items():
        for start in range(0, len(user_ids), IN_CHUNK):
            db.session.execute(delete(StoredSuggestion).where(
                StoredSuggestion.volunteer_id.in_(user_ids[start:start + IN_CHUNK]), StoredSuggestion.kind == kind,
                StoredSuggestion.rank >= length).execution_options(synchronize_session=False))


def mark_computed(user_ids: Sequence[int], computed_at: datetime) -> None:
    _upsert(SuggestionList, [dict(volunteer_id=u, computed_at=computed_at) for u in user_ids], ("volunteer_id",))
