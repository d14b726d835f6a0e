"""How attention is spread over open requests, measured on the stored lists (`flask suggestions exposure`): the
share of volunteers' lists holding the most-shown request, the Gini coefficient of how often each open request is
listed, and the share of open requests in at least one list (matching.measure_exposure)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

import matching
from webapp.asks import visibility
from webapp.asks.models import HelpRequest
from webapp.core.extensions import db
from webapp.suggestions.lists import REQUEST
from webapp.suggestions.models import StoredSuggestion, SuggestionList


@dataclass(frozen=True)
class Measured:
    k: int
    exposure: matching.Exposure
    empty_lists: int
    top_category: str | None

    def __str__(self) -> str:
        e = self.exposure
        return (f"top {self.k}: {e.lists} lists ({self.empty_lists} empty), {e.items} open requests listed; "
                f"the most-shown request ({e.top_item}, {self.top_category}) is in {e.top_share:.1%} of the lists "
                f"({e.top_share * e.lists / max(1, e.lists - self.empty_lists):.1%} of the non-empty ones); "
                f"Gini {e.gini:.3f}; coverage {e.coverage:.1%} of {self.population} open requests")

    @property
    def population(self) -> int:
        return round(self.exposure.items / self.exposure.coverage) if self.exposure.coverage else 0


def measure(k: int) -> Measured:
    """Exposure over the first k still-open requests of every computed list (a list that holds nothing counts)."""
    open_rows = {rid: (public_id, category) for rid, public_id, category in db.session.execute(
        select(HelpRequest.id, HelpRequest.public_id, HelpRequest.category_key)
        .where(*visibility.open_to_volunteers()))}
    lists: dict[int, list[str]] = {v: [] for v in db.session.execute(select(SuggestionList.volunteer_id)).scalars()}
    for volunteer_id, request_id in db.session.execute(
            select(StoredSuggestion.volunteer_id, StoredSuggestion.request_id)
            .where(StoredSuggestion.kind == REQUEST).order_by(StoredSuggestion.volunteer_id, StoredSuggestion.rank)):
        items = lists.setdefault(volunteer_id, [])
        if request_id in open_rows and len(items) < k:
            items.append(open_rows[request_id][0])
    exposure = matching.measure_exposure(lists.values(), population=[p for p, _c in open_rows.values()])
    by_public = {p: c for p, c in open_rows.values()}
    return Measured(k, exposure, sum(1 for items in lists.values() if not items),
                    by_public.get(exposure.top_item) if exposure.top_item else None)
