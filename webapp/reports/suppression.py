"""Small-number suppression for published tables: no figure may point at a person.

Primary suppression hides every cell that counts from 1 to `min_cell - 1` people or requests ("<5"). Secondary
suppression then hides more cells until no hidden cell can be worked out from the published ones. Published figures
are tied together by sums ("constraints"): a district is the sum of its wijken, the city the sum of its districts
and of its categories, a goal the sum of its categories, a period the sum of its months.

A reader who knows those sums, the visible cells and what the labels say ("<5": between 1 and 4; "x": hidden
although not small, so at least 5) can narrow a hidden cell down. Two checks decide when to hide more:
- linear algebra: a hidden cell is fixed when its unit vector lies in the row space of the sums over the hidden
  cells (subtracting visible cells from a total);
- linear programming: the smallest and largest value a hidden small cell can take, given the sums and the label
  ranges, must differ (so "<5" next to a total of 6 and one "x" of at least 5 does not give the cell away).
While a small cell can be pinned down, the smallest visible non-zero cell of a sum it is part of is hidden too.
When a total itself is small, every part of it is shown as "<5" as well, zeros included (each is fewer than 5):
otherwise four wijken of "<5" under a city total of "<5" would each be exactly 1.

Pure functions over plain numbers (numpy and scipy): no Flask, no database.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import numpy as np
from scipy.optimize import linprog
from threadpoolctl import threadpool_limits

Key = Any  # a cell's key: any hashable value, e.g. ("wijk", "WK039201")
Bounds = Sequence[tuple[float, float | None]]
DEFAULT_MIN_CELL = 5


class Hidden(StrEnum):
    SMALL = "small"  # primary: 1 to min_cell - 1
    SECONDARY = "secondary"  # hidden so that a small cell cannot be worked out


@dataclass(frozen=True)
class Constraint:
    """`total` equals the sum of `parts` (all of them published cells)."""

    total: Hashable
    parts: tuple[Hashable, ...]


def is_small(contributors: float, min_cell: int = DEFAULT_MIN_CELL) -> bool:
    return 0 < contributors < min_cell


def _matrix(constraints: Sequence[Constraint], hidden: list[Hashable]) -> np.ndarray:
    """Rows: constraints (total - sum(parts) = 0) restricted to the hidden cells."""
    column = {key: i for i, key in enumerate(hidden)}
    rows = np.zeros((len(constraints), len(hidden)))
    for r, constraint in enumerate(constraints):
        if constraint.total in column:
            rows[r, column[constraint.total]] += 1
        for part in constraint.parts:
            if part in column:
                rows[r, column[part]] -= 1
    return rows


def determined(constraints: Sequence[Constraint], hidden: Sequence[Hashable],
               known_free: set[Hashable] | None = None) -> list[Hashable]:
    """The hidden cells a reader can compute exactly from the constraints and the visible cells (by one subtraction
    or by a chain of them: any linear combination of the published sums).

    A hidden cell is fixed exactly when its unit vector lies in the row space of the sums restricted to the hidden
    cells, that is when every solution of the homogeneous system leaves it unchanged: its column is zero in every
    vector of the null space. One singular value decomposition answers this for all cells at once.

    `known_free`: cells already shown not to be determined while fewer cells were hidden. Hiding more cells never
    makes a cell determined (a sum that gives it away would have given it away before), so they are skipped; the
    cells found not determined now are added."""
    order = list(hidden)
    if not order or not constraints:
        return []
    matrix = _matrix(constraints, order)
    matrix = matrix[np.any(matrix != 0, axis=1)]
    if matrix.shape[0] == 0:
        return []
    _u, singular, vt = np.linalg.svd(matrix, full_matrices=True)
    tolerance = max(matrix.shape) * np.finfo(float).eps * (float(singular[0]) if singular.size else 0.0)
    rank = int(np.sum(singular > tolerance))
    null = vt[rank:]
    moves = np.abs(null).max(axis=0) if null.shape[0] else np.zeros(len(order))
    out = []
    for i, key in enumerate(order):
        if known_free is not None and key in known_free:
            continue
        if moves[i] <= 1e-8:
            out.append(key)
        elif known_free is not None:
            known_free.add(key)
    return out


class _System:
    """The published sums as a matrix (one row per sum, one column per cell), to answer, for the cells hidden now:
    which of them a reader can compute exactly (by any chain of subtractions), and which visible cell, hidden too,
    would stop that. One singular value decomposition per round answers both for every cell.

    A hidden cell t is determined when some weighting y of the sums cancels every other hidden cell and keeps t
    (y'M = e_t). Every such y is y0 + Lz, with y0 one of them and L the left null space of M. Hiding a visible cell
    c adds its column m_c; t stays determined when some y also cancels m_c. That is impossible exactly when
    y0'm_c != 0 and L'm_c = 0: then c is a complement that protects t."""

    def __init__(self, constraints: Sequence[Constraint]) -> None:
        self.rows = list(constraints)
        self.entries: dict[Hashable, list[tuple[int, float]]] = {}
        for r, c in enumerate(self.rows):
            for key, sign in ((c.total, 1.0), *((part, -1.0) for part in c.parts)):
                self.entries.setdefault(key, []).append((r, sign))
        self.order: list[Hashable] = []

    def column(self, key: Hashable) -> np.ndarray:
        out = np.zeros(len(self.rows))
        for r, sign in self.entries.get(key, ()):
            out[r] += sign
        return out

    def solve(self, hidden: Mapping[Key, Hidden]) -> None:
        self.order = [key for key in hidden if key in self.entries]
        self.index = {key: i for i, key in enumerate(self.order)}
        if not self.order or not self.rows:
            self.rank, self.moves = 0, np.ones(len(self.order))
            return
        matrix = np.column_stack([self.column(key) for key in self.order])
        self.u, singular, vt = np.linalg.svd(matrix, full_matrices=True)
        tolerance = max(matrix.shape) * np.finfo(float).eps * (float(singular[0]) if singular.size else 0.0)
        self.rank = int(np.sum(singular > tolerance))
        self.singular, self.vt = singular[:self.rank], vt[:self.rank]
        null = vt[self.rank:]
        self.moves = np.abs(null).max(axis=0) if null.shape[0] else np.zeros(len(self.order))
        self.left_null = self.u[:, self.rank:]

    def determined(self) -> list[Hashable]:
        return [key for i, key in enumerate(self.order) if self.moves[i] <= 1e-8]

    def breakers(self, target: Hashable, values: Mapping[Key, float], hidden: Mapping[Key, Hidden]) -> set[Key]:
        """Visible non-zero cells each of which, hidden as well, leaves `target` undetermined."""
        if target not in self.index or self.rank == 0:
            return set()
        weights = self.u[:, :self.rank] @ (self.vt[:, self.index[target]] / self.singular)
        support = {r for r in np.flatnonzero(np.abs(weights) > 1e-9)}
        found: set[Key] = set()
        for r in support:
            c = self.rows[int(r)]
            for key in (c.total, *c.parts):
                if key in hidden or key in found or not values[key] > 0:
                    continue
                column = self.column(key)
                if abs(float(weights @ column)) > 1e-9 and (
                        self.left_null.shape[1] == 0 or np.abs(self.left_null.T @ column).max() <= 1e-8):
                    found.add(key)
        return found


def may_be_zero(hidden: Mapping[Key, Hidden], constraints: Sequence[Constraint]) -> set[Key]:
    """Cells shown as "<5" that a reader must allow to be 0: the parts of a sum whose total is "<5"."""
    return {part for c in constraints if hidden.get(c.total) == Hidden.SMALL
            for part in c.parts}


def pinned(values: Mapping[Key, float], hidden: Mapping[Key, Hidden], constraints: Sequence[Constraint],
           min_cell: int = DEFAULT_MIN_CELL, *, first_only: bool = False, counts: bool = True,
           known_free: set[Key] | None = None) -> list[Key]:
    """Hidden small cells a reader can narrow down to one value, using the sums and the label ranges.

    For counts the labels say how big a hidden cell is ("<5": 1 to 4, "x": at least 5); for sums such as hours they
    say nothing (a sum over a few matches can be any size).

    `known_free`: cells already shown to have more than one possible value while fewer cells were hidden. Hiding
    one more cell (whose true value lies within its label's range) keeps every earlier solution possible, so they
    are not checked again; the cells found free now are added."""
    order = list(hidden)
    zero_ok = may_be_zero(hidden, constraints)
    if not order:
        return []
    column = {key: i for i, key in enumerate(order)}
    rows, targets = [], []
    for constraint in constraints:
        row = np.zeros(len(order))
        rest = 0.0
        for key, sign in ((constraint.total, 1.0), *((part, -1.0) for part in constraint.parts)):
            if key in column:
                row[column[key]] += sign
            else:
                rest += sign * values[key]
        if np.any(row != 0):
            rows.append(row)
            targets.append(-rest)
    if not rows:
        return []
    matrix, goal = np.array(rows), np.array(targets)
    bounds: list[tuple[float, float | None]] = [
        ((0.0 if key in zero_ok else 1.0, float(min_cell - 1)) if hidden[key] == Hidden.SMALL
         else (float(min_cell), None)) if counts else (0.0, None)
        for key in order
    ]
    used = np.any(matrix != 0, axis=0)
    truth = [float(values[key]) for key in order]
    siblings: dict[bytes, list[int]] = {}
    for i in range(len(order)):
        siblings.setdefault(matrix[:, i].tobytes(), []).append(i)
    free = known_free if known_free is not None else set()
    candidates = []
    for i, key in enumerate(order):
        if hidden[key] != Hidden.SMALL or not used[i] or not values[key]:  # a zero may be known: it is no one
            continue
        if key in free:
            continue
        if _can_trade(i, siblings[matrix[:, i].tobytes()], truth, bounds):
            free.add(key)
            continue
        candidates.append(i)
    if len(candidates) > 1:
        free.update(order[i] for i in _moved(matrix, goal, bounds, candidates, truth))
    out: list[Key] = []
    for i in candidates:
        key = order[i]
        if key in free:
            continue
        if _only_value(matrix, goal, bounds, i, truth[i]):
            out.append(key)
            if first_only:
                break
        else:
            free.add(key)
    return out


def _moved(matrix: np.ndarray, goal: np.ndarray, bounds: Bounds, cells: list[int], truth: list[float]) -> set[int]:
    """A quick proof that many cells are not pinned at once: two linear programmes push all of them up, then all
    down; a cell that ends at least 1 away from its true value in a solution can take another value."""
    moved: set[int] = set()
    cost = np.zeros(matrix.shape[1])
    for sign in (-1.0, 1.0):
        cost[cells] = sign
        found = linprog(cost, A_eq=matrix, b_eq=goal, bounds=bounds, method="highs")
        if found.status == 0:
            moved.update(i for i in cells if abs(found.x[i] - truth[i]) >= 1 - 1e-6)
    return moved


def _can_trade(i: int, group: list[int], truth: list[float], bounds: Bounds) -> bool:
    """A quick proof that cell i is not pinned: a hidden cell in exactly the same sums can give or take one."""
    low_i, high_i = bounds[i]
    for j in group:
        if j == i:
            continue
        low_j, high_j = bounds[j]
        if truth[i] + 1 <= (high_i if high_i is not None else np.inf) and truth[j] - 1 >= low_j:
            return True
        if truth[i] - 1 >= low_i and truth[j] + 1 <= (high_j if high_j is not None else np.inf):
            return True
    return False


def _only_value(matrix: np.ndarray, goal: np.ndarray, bounds: Bounds, i: int,
                true_value: float) -> bool:
    """Whether the true value is the only one the cell can take. One linear programme usually settles it: look
    for a solution above the true value, and only when there is none, for one below."""
    cost = np.zeros(matrix.shape[1])
    for sign in (-1.0, 1.0):  # maximise, then minimise
        cost[i] = sign
        found = linprog(cost, A_eq=matrix, b_eq=goal, bounds=bounds, method="highs")
        if found.status == 0 and abs(sign * found.fun - true_value) >= 1 - 1e-6:
            return False
    return True


def _hide_parts_of_small_totals(hidden: dict[Key, Hidden], constraints: Sequence[Constraint]) -> None:
    changed = True
    while changed:
        changed = False
        for c in constraints:
            if hidden.get(c.total) == Hidden.SMALL:
                for part in c.parts:
                    if part not in hidden:
                        hidden[part] = Hidden.SMALL
                        changed = True


def _visible_nonzero(values: Mapping[Key, float], hidden: Mapping[Key, Hidden],
                     constraints: Sequence[Constraint]) -> set[Key]:
    return {
        key
        for c in constraints
        for key in (c.total, *c.parts)
        if key not in hidden and values[key] > 0
    }


def suppress(values: Mapping[Key, float], contributors: Mapping[Key, float], constraints: Sequence[Constraint],
             min_cell: int = DEFAULT_MIN_CELL, *, counts: bool = True) -> dict[Key, Hidden]:
    """Which cells to hide, and why. `contributors`: how many people or requests make up each cell (for a count,
    the value itself; for hours, the number of matches with hours). Cells missing from `contributors` use their
    value. `counts`: the values are counts (False for sums such as hours). Returns only the hidden cells.

    One BLAS thread: the matrices are a few hundred rows, and several threads on a busy server spend their time
    waiting for each other (a decomposition took 45 times as long with two threads on two busy cores)."""
    with threadpool_limits(limits=1, user_api="blas"):
        return _suppress(values, contributors, constraints, min_cell, counts=counts)


def _suppress(values: Mapping[Key, float], contributors: Mapping[Key, float], constraints: Sequence[Constraint],
              min_cell: int, *, counts: bool) -> dict[Key, Hidden]:
    hidden: dict[Key, Hidden] = {
        key: Hidden.SMALL for key in values if is_small(contributors.get(key, values[key]), min_cell)
    }
    relevant = [c for c in constraints if c.total in values and all(p in values for p in c.parts)]
    if counts:
        _hide_parts_of_small_totals(hidden, relevant)
    by_cell: dict[Key, list[Constraint]] = {}
    for c in relevant:
        for key in (c.total, *c.parts):
            by_cell.setdefault(key, []).append(c)
    system = _System(relevant)
    not_pinned: set[Key] = set()
    for _round in range(len(values) + 1):
        system.solve(hidden)
        fixed = [key for key in system.determined() if hidden[key] == Hidden.SMALL and values[key]]
        if not fixed:
            fixed = pinned(values, hidden, relevant, min_cell, first_only=True, counts=counts, known_free=not_pinned)
        if not fixed:
            break
        # Several cells per round (a joint table of a year, its quarters and months has hundreds), each with a
        # complement that breaks every chain of subtractions that gives it away, except where a sum already got a
        # new hidden cell this round (those are looked at again in the next round).
        touched: set[int] = set()
        progress = False
        for target in fixed:
            around = sorted(by_cell.get(target, ()),
                            key=lambda c: (sum(k in hidden for k in (c.total, *c.parts)), len(c.parts)))
            if any(id(c) in touched for c in around):
                continue
            candidates = system.breakers(target, values, hidden)
            if not candidates:
                # The sum that gives the cell away most directly: the fewest hidden cells, then the fewest parts.
                candidates = _visible_nonzero(values, hidden, around[:1]) or _visible_nonzero(values, hidden, around)
            if not candidates:  # only zeros around it: look in every sum that has a hidden cell
                candidates = _visible_nonzero(
                    values, hidden, [c for c in relevant if any(k in hidden for k in (c.total, *c.parts))])
            if not candidates:
                continue
            smallest = min(candidates, key=lambda key: (values[key], str(key)))
            hidden[smallest] = Hidden.SECONDARY
            touched.update(id(c) for c in by_cell.get(smallest, ()))
            touched.update(id(c) for c in around)
            progress = True
        if not progress:
            break
    return hidden


def round_to(value: float, base: int = 5) -> int:
    """Round a total to a multiple of `base` (for figures published outside a suppressed table)."""
    return int(base * round(value / base))
