"""Small counts on pages that staff or the public read: no number may point at a person.

The rule of the reports (webapp/reports/suppression.py does it for whole tables tied together by many sums), for the
simpler tables of a feature: parts that add up to one published total. Counts from 1 to `min_cell - 1` (the
REPORT_MIN_CELL setting) show as "<5"; a part that would give a small one away shows as "x".
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import TypeVar

K = TypeVar("K", bound=Hashable)

SMALL, HIDDEN = "small", "hidden"


@dataclass(frozen=True)
class Cell:
    """A published count: its value, or why it is not shown ("small": 1 to min_cell - 1; "hidden": not small, but
    hidden so that a small one cannot be worked out from the total)."""

    value: int
    state: str | None = None

    @property
    def shown(self) -> bool:
        return self.state is None


def suppress(counts: Mapping[K, int], min_cell: int) -> tuple[dict[K, Cell], bool]:
    """Small-number suppression of parts that add up to a published total (the reports' rule, for one sum).

    Counts from 1 to min_cell - 1 show as "<5". While a hidden small count could still be worked out exactly (from
    the total, the shown parts, "<5" meaning 1 to 4 and a hidden larger one meaning at least 5), the smallest shown
    non-zero part is hidden too. When the total itself is small, every part shows as "<5". Returns the cells and
    whether the parts can be shown at all (False: even with every part hidden a small one could be worked out, so
    the page shows the total only)."""
    total = sum(counts.values())
    if total == 0:
        return {k: Cell(0) for k in counts}, True
    if total < min_cell:
        return {k: Cell(v, SMALL) for k, v in counts.items()}, True
    state = {k: (SMALL if 0 < v < min_cell else None) for k, v in counts.items()}
    if not any(state.values()):
        return {k: Cell(v) for k, v in counts.items()}, True
    while True:
        hidden = [k for k, s in state.items() if s is not None]
        left = total - sum(v for k, v in counts.items() if state[k] is None)
        low = {k: 1 if state[k] == SMALL else min_cell for k in hidden}
        high = {k: min_cell - 1 if state[k] == SMALL else None for k in hidden}
        pinned = False
        for k in hidden:
            if state[k] != SMALL:
                continue
            others_low = sum(low[o] for o in hidden if o != k)
            others_high = [high[o] for o in hidden if o != k]
            most = min(min_cell - 1, left - others_low)
            least = 1 if any(h is None for h in others_high) else max(1, left - sum(h or 0 for h in others_high))
            if most <= least:
                pinned = True
                break
        if not pinned:
            return {k: Cell(v, state[k]) for k, v in counts.items()}, True
        shown = sorted((v, k) for k, v in counts.items() if state[k] is None and v > 0)
        if not shown:
            return {k: Cell(v, HIDDEN) for k, v in counts.items()}, False
        state[shown[0][1]] = HIDDEN



def primary(value: int, min_cell: int) -> Cell:
    """A count that is part of no published sum: shown, or "<5" when it is small."""
    return Cell(value, SMALL if 0 < value < min_cell else None)
