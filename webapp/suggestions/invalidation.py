"""Throwing away a volunteer's stored suggestions (see stored.py). Kept apart, with only model imports, because
the services that change a profile (accounts, staff) are imported by the ones that rank."""

from __future__ import annotations

from sqlalchemy import delete

from webapp.core.extensions import db
from webapp.suggestions.models import StoredSuggestion, SuggestionList


def invalidate(user_id: int) -> None:
    """Throw away a volunteer's stored suggestions (their profile or screening changed): the next page view or
    refresh ranks again."""
    for model in (StoredSuggestion, SuggestionList):
        db.session.execute(delete(model).where(model.volunteer_id == user_id)
                           .execution_options(synchronize_session=False))
