"""Exposure fairness: how evenly suggestions are spread over volunteers."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from matching.records import Suggestion


def gini(values: Sequence[float]) -> float:
    """Gini coefficient of non-negative values (0 = perfectly even, towards 1 = concentrated)."""
    arr = np.sort(np.asarray(values, dtype=np.float64))
    n = len(arr)
    if n == 0 or arr.sum() <= 0:
        return 0.0
    cum = np.cumsum(arr)
    return float((n + 1 - 2 * (cum / cum[-1]).sum()) / n)


def exposure_gini(lists: Iterable[Sequence[Suggestion]], population: Iterable[str] = ()) -> float:
    """Gini of how often each id appears in the given suggestion lists.

    ``population`` adds ids that were never suggested (count 0), which is what makes the figure honest.
    """
    counts: Counter[str] = Counter()
    for suggestions in lists:
        counts.update(s.id for s in suggestions)
    for pid in population:
        counts.setdefault(pid, 0)
    return gini(list(counts.values()))


@dataclass(frozen=True, slots=True)
class Exposure:
    """How concentrated a set of stored lists is on a few items.

    ``top_share``: share of the lists that hold the most-shown item (``top_item``); ``gini``: Gini of how
    often each item is shown (items of ``population`` never shown count as 0); ``coverage``: share of the
    population shown at least once (1.0 without a population)."""

    lists: int
    items: int
    top_item: str | None
    top_share: float
    gini: float
    coverage: float


def measure_exposure(lists: Iterable[Sequence[Suggestion | str]], population: Iterable[str] = ()) -> Exposure:
    """Exposure over stored lists (each a sequence of suggestions or of item ids): a pure function the web app
    can run on its stored suggestion lists, e.g. ``measure_exposure(request_ids_per_volunteer, open_request_ids)``."""
    counts: Counter[str] = Counter()
    n_lists = 0
    for items in lists:
        n_lists += 1
        counts.update({(i if isinstance(i, str) else i.id) for i in items})
    shown = len(counts)
    pop = set(population)
    for pid in pop:
        counts.setdefault(pid, 0)
    top_item, top_count = counts.most_common(1)[0] if counts else (None, 0)
    return Exposure(
        lists=n_lists,
        items=shown,
        top_item=top_item if top_count else None,
        top_share=top_count / n_lists if n_lists else 0.0,
        gini=gini(list(counts.values())),
        coverage=(sum(1 for p in pop if counts[p] > 0) / len(pop)) if pop else 1.0,
    )
