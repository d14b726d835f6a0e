"""Exposure fairness: how evenly suggestions are spread over volunteers."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

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
