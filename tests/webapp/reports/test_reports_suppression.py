"""Small numbers never reach a reader: 1-4 show as "<5", and no sum lets a reader work a hidden cell out.

An independent checker (integer programming with scipy.optimize.milp, written here and not shared with the code under
test) plays the reader: it knows every published sum, the visible cells and what the labels mean ("<5": 1 to 4;
"x": at least 5), and tries to narrow each small cell down to a single value.
"""

from __future__ import annotations

import random
from collections.abc import Hashable, Mapping, Sequence
from datetime import datetime

import numpy as np
import pytest
from scipy.optimize import Bounds, LinearConstraint, milp

from webapp.reports import figures
from webapp.reports.periods import month_of, months_up_to, parse
from webapp.reports.suppression import Constraint, Hidden, _only_value, may_be_zero, pinned, suppress

K = 5


def reader_range(values: Mapping[Hashable, float], hidden: Mapping[Hashable, Hidden],
                 constraints: Sequence[Constraint], cell: Hashable, min_cell: int = K,
                 zero_ok_too: frozenset = frozenset()) -> tuple[float, float]:
    """The smallest and largest whole value a reader can give a hidden cell. `zero_ok_too`: "<5" cells the reader
    knows may be 0 for a reason outside these sums (the same cell of the year or quarter is "<5")."""
    order = list(hidden)
    index = {key: i for i, key in enumerate(order)}
    rows, rhs = [], []
    for c in constraints:
        row, rest = np.zeros(len(order)), 0.0
        for key, sign in [(c.total, 1), *((p, -1) for p in c.parts)]:
            if key in index:
                row[index[key]] += sign
            else:
                rest += sign * values[key]
        if row.any():
            rows.append(row)
            rhs.append(-rest)
    # "<5" is 1 to 4, except under a total of "<5", where a part may also be 0.
    zero_ok = {p for c in constraints if hidden.get(c.total) == Hidden.SMALL for p in c.parts} | zero_ok_too
    lower = [(0 if k in zero_ok else 1) if hidden[k] == Hidden.SMALL else min_cell for k in order]
    upper = [min_cell - 1 if hidden[k] == Hidden.SMALL else np.inf for k in order]
    if not rows:
        return lower[index[cell]], upper[index[cell]]
    out = []
    for sign in (1, -1):
        cost = np.zeros(len(order))
        cost[index[cell]] = sign
        result = milp(cost, constraints=LinearConstraint(np.array(rows), rhs, rhs), bounds=Bounds(lower, upper),
                      integrality=np.ones(len(order)))
        assert result.status == 0, "the published figures must be consistent"
        out.append(sign * result.fun)
    return out[0], out[1]


def assert_safe(values, hidden, constraints, min_cell=K):
    for key, why in hidden.items():
        if why == Hidden.SMALL and values[key] > 0:
            low, high = reader_range(values, hidden, constraints, key, min_cell)
            assert high - low >= 1, f"{key} ({values[key]}) can be worked out: always {low}"


# -- primary suppression -------------------------------------------------------------------------------------------

def test_one_to_four_are_hidden_zero_and_five_are_shown():
    values = {n: float(n) for n in range(8)}
    hidden = suppress(values, values, [])
    assert set(hidden) == {1, 2, 3, 4}
    assert all(why == Hidden.SMALL for why in hidden.values())


def test_the_threshold_is_configurable():
    values = {n: float(n) for n in range(12)}
    assert set(suppress(values, values, [], min_cell=10)) == set(range(1, 10))


def test_contributors_decide_for_sums():
    # 3 matches logged 40 hours: hidden although 40 is large.
    assert suppress({"hours": 40.0}, {"hours": 3}, [], counts=False) == {"hours": Hidden.SMALL}


def test_hours_hidden_next_to_a_total_are_protected_without_ranges():
    # Hours say nothing about their size when hidden: only a sum with one hidden cell gives it away.
    values = {"T": 100.5, "a": 37.5, "b": 20.0, "c": 43.0}
    contributors = {"T": 30, "a": 3, "b": 9, "c": 18}
    constraints = [Constraint("T", ("a", "b", "c"))]
    assert suppress(values, contributors, constraints, counts=False) == {"a": Hidden.SMALL, "b": Hidden.SECONDARY}


# -- secondary suppression -----------------------------------------------------------------------------------------

def test_one_hidden_cell_in_a_sum_takes_the_next_smallest_with_it():
    values = {"T": 40.0, "a": 2.0, "b": 9.0, "c": 7.0, "d": 22.0, "e": 0.0}
    constraints = [Constraint("T", ("a", "b", "c", "d", "e"))]
    hidden = suppress(values, values, constraints)
    assert hidden == {"a": Hidden.SMALL, "c": Hidden.SECONDARY}  # 7, the next smallest; never the 0
    assert_safe(values, hidden, constraints)


def test_the_parts_of_a_small_total_are_all_shown_as_small():
    # Four wijken of "<5" under a city total of "<5" would each be exactly 1; with the zeros hidden they are not.
    values = {"T": 4.0, "a": 1.0, "b": 1.0, "c": 1.0, "d": 1.0, "e": 0.0}
    constraints = [Constraint("T", ("a", "b", "c", "d", "e"))]
    hidden = suppress(values, values, constraints)
    assert hidden == dict.fromkeys(values, Hidden.SMALL)
    assert_safe(values, hidden, constraints)


def test_a_total_of_one_part_is_hidden_with_it():
    values = {"stadsdeel": 3.0, "wijk": 3.0, "T": 3.0}
    constraints = [Constraint("stadsdeel", ("wijk",)), Constraint("T", ("stadsdeel",))]
    assert set(suppress(values, values, constraints)) == {"stadsdeel", "wijk", "T"}


def test_a_secondary_cell_of_exactly_five_next_to_a_one_is_not_enough():
    # 1 + 5 = 6: a reader who knows "x" is at least 5 would know the hidden cell is 1.
    values = {"T": 26.0, "a": 1.0, "b": 5.0, "c": 20.0}
    constraints = [Constraint("T", ("a", "b", "c"))]
    hidden = suppress(values, values, constraints)
    assert len(hidden) >= 3
    assert_safe(values, hidden, constraints)


def test_district_and_city_sums_together():
    values = {"city": 57.0, "A": 31.0, "B": 26.0, "a1": 3.0, "a2": 12.0, "a3": 16.0, "b1": 20.0, "b2": 6.0}
    constraints = [Constraint("city", ("A", "B")), Constraint("A", ("a1", "a2", "a3")), Constraint("B", ("b1", "b2")),
                   Constraint("city", ("a1", "a2", "a3", "b1", "b2"))]
    hidden = suppress(values, values, constraints)
    assert hidden["a1"] == Hidden.SMALL and hidden["a2"] == Hidden.SECONDARY
    assert_safe(values, hidden, constraints)


def test_overlapping_goals_do_not_give_a_category_away():
    # g1 = c1 + c2, g2 = c2 + c3, total = c1 + c2 + c3 + c4: three equations could solve two hidden cells.
    values = {"T": 60.0, "c1": 2.0, "c2": 11.0, "c3": 14.0, "c4": 33.0, "g1": 13.0, "g2": 25.0}
    constraints = [Constraint("T", ("c1", "c2", "c3", "c4")), Constraint("g1", ("c1", "c2")),
                   Constraint("g2", ("c2", "c3"))]
    hidden = suppress(values, values, constraints)
    assert_safe(values, hidden, constraints)


@pytest.mark.parametrize("seed", range(30))
def test_random_two_level_tables_never_give_a_small_cell_away(seed):
    rng = random.Random(seed)
    values: dict[str, float] = {}
    constraints = []
    districts = []
    for d in range(rng.randint(2, 4)):
        wijken = [f"w{d}{w}" for w in range(rng.randint(1, 4))]
        for w in wijken:
            values[w] = float(rng.choice([0, 0, 1, 2, 3, 4, 5, 6, 8, 12, 20]))
        values[f"d{d}"] = sum(values[w] for w in wijken)
        constraints.append(Constraint(f"d{d}", tuple(wijken)))
        districts.append(f"d{d}")
    values["T"] = sum(values[d] for d in districts)
    constraints.append(Constraint("T", tuple(districts)))
    constraints.append(Constraint("T", tuple(k for k in values if k.startswith("w"))))
    hidden = suppress(values, values, constraints)
    assert all(values[k] < K for k, why in hidden.items() if why == Hidden.SMALL)
    assert all(values[k] >= K for k, why in hidden.items() if why == Hidden.SECONDARY)
    assert all(k in hidden for k, v in values.items() if 0 < v < K)
    assert_safe(values, hidden, constraints)


@pytest.mark.parametrize("seed", range(40))
def test_the_quick_proofs_find_the_same_pinned_cells_as_one_programme_per_cell(seed):
    """`pinned` proves most cells free in two linear programmes for all of them at once (and remembers free cells
    between rounds); it must name exactly the cells that one programme per cell names."""
    rng = random.Random(seed)
    values: dict[str, float] = {}
    constraints = []
    districts = []
    for d in range(rng.randint(2, 5)):
        wijken = [f"w{d}{w}" for w in range(rng.randint(1, 5))]
        for w in wijken:
            values[w] = float(rng.choice([0, 1, 1, 2, 3, 4, 5, 6, 8, 12]))
        values[f"d{d}"] = sum(values[w] for w in wijken)
        constraints.append(Constraint(f"d{d}", tuple(wijken)))
        districts.append(f"d{d}")
    values["T"] = sum(values[d] for d in districts)
    constraints.append(Constraint("T", tuple(districts)))
    hidden = {k: Hidden.SMALL for k, v in values.items() if 0 < v < K}
    visible = sorted((k for k in values if k not in hidden and values[k]), key=lambda k: (values[k], k))
    for extra in visible[:rng.randint(0, 2)]:
        hidden[extra] = Hidden.SECONDARY
    one_by_one = []
    order = list(hidden)
    matrix, goal, bounds = suppression_lp(values, hidden, constraints)
    for i, key in enumerate(order):
        if hidden[key] == Hidden.SMALL and values[key] and matrix[:, i].any() \
                and _only_value(matrix, goal, bounds, i, values[key]):
            one_by_one.append(key)
    assert pinned(values, hidden, constraints) == one_by_one
    assert pinned(values, hidden, constraints, known_free=set()) == one_by_one


def suppression_lp(values, hidden, constraints):
    """The sums over the hidden cells and their label ranges, as `pinned` sets them up."""
    order = list(hidden)
    rows, goal = [], []
    for c in constraints:
        row, rest = np.zeros(len(order)), 0.0
        for key, sign in [(c.total, 1.0), *((p, -1.0) for p in c.parts)]:
            if key in hidden:
                row[order.index(key)] += sign
            else:
                rest += sign * values[key]
        if row.any():
            rows.append(row)
            goal.append(-rest)
    zero_ok = may_be_zero(hidden, constraints)
    bounds = [(0.0 if k in zero_ok else 1.0, K - 1.0) if hidden[k] == Hidden.SMALL else (float(K), None)
              for k in order]
    return (np.array(rows) if rows else np.zeros((0, len(order)))), np.array(goal), bounds


# -- the whole report: four tables and the monthly trend at once ---------------------------------------------------

REFERENCE = figures.Reference(
    wijken=(figures.WijkInfo("W1", "Een", "Noord", 1000), figures.WijkInfo("W2", "Twee", "Noord", 2000),
            figures.WijkInfo("W3", "Drie", "Zuid", 1500), figures.WijkInfo("W4", "Vier", "Zuid", 500),
            figures.WijkInfo("W5", "Vijf", "Oost", 800)),
    categories=(("groceries", "Boodschappen"), ("digital", "Digitaal"), ("paperwork", "Papieren"),
                ("company", "Gezelschap")),
    goals=((1, "Doel een"), (2, "Doel twee"), (3, "Doel drie")),
    category_goals={"groceries": (1,), "digital": (1, 2), "paperwork": (2, 3), "company": (3,)},
)


def random_facts(seed: int) -> figures.Facts:
    rng = random.Random(seed)
    requests = []
    for _ in range(rng.randint(20, 70)):
        created = datetime(2026, rng.randint(1, 3), rng.randint(1, 28), 10)
        matched = rng.random() < 0.6
        requests.append(figures.RequestFact(
            created_at=created, wijk=rng.choice(["W1", "W1", "W2", "W2", "W3", "W4", "W5"]),
            category=rng.choice(["groceries", "groceries", "digital", "paperwork", "company"]),
            status="done" if matched else "open",
            first_response_at=created if matched or rng.random() < 0.3 else None,
            matched_at=created if matched else None, done_at=created if matched else None,
            hours=rng.choice([None, 1.0, 2.5]) if matched else None))
    home = {volunteer: rng.choice(["W1", "W2", "W3", "W4", "W5"]) for volunteer in range(1, 31)}
    activity = tuple(figures.ActivityFact(volunteer, datetime(2026, 2, rng.randint(1, 28)), home[volunteer],
                                          rng.choice(["groceries", "digital", "paperwork", "company"]))
                     for volunteer in (rng.randint(1, 30) for _ in range(rng.randint(5, 60))))
    return figures.Facts(requests=tuple(requests), activity=activity)


def report_grid(report: figures.Report, measure: str) -> tuple[dict, dict]:
    """Published cells of one measure, as a reader sees them: values and hidden labels."""
    values, hidden = {}, {}
    rows = [report.total, *(row for table in report.tables.values() for row in table.rows)]
    cells = {row.key: row.cells[measure] for row in rows}
    cells.update({("month", p.month.code): p.cells[measure] for p in report.trend if measure in p.cells})
    for key, cell in cells.items():
        if cell.state == figures.State.SMALL:
            hidden[key] = Hidden.SMALL
        elif cell.state == figures.State.HIDDEN:
            hidden[key] = Hidden.SECONDARY
        elif cell.state == figures.State.SHOWN:
            values[key] = cell.value
    return values, hidden


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("code", ["2026-Q1", "2026-02"])
def test_a_whole_report_gives_nothing_away(seed, code):
    facts = random_facts(seed)
    period = parse(code)
    months = months_up_to(period, 12)
    report = figures.compute(facts, REFERENCE, period, trend_months=months)
    true_values, _contributors, _lists = figures.aggregate(facts, REFERENCE, period)
    inside = [("month", m.code) for m in months if period.start <= m.start and m.end <= period.end]
    for measure in ("posted", "matched", "done", "unanswered", "volunteers_active"):
        shown, hidden = report_grid(report, measure)
        truth = dict(shown)
        for key in hidden:
            if key[0] == "month":
                month = month_of(datetime.strptime(key[1], "%Y-%m").date())
                truth[key] = figures.aggregate(facts, REFERENCE, month)[0][measure].get(figures.TOTAL, 0.0)
            else:
                truth[key] = true_values[measure].get(key, 0.0)
        for key, why in hidden.items():
            if why == Hidden.SMALL:
                assert 0 <= truth[key] < K
        measure_constraints = figures.constraints(REFERENCE, measure,
                                                  inside if measure in figures.TREND_MEASURES else ())
        relevant = [c for c in measure_constraints if c.total in truth and all(p in truth for p in c.parts)]
        # A period's cell under the same cell of its year or quarter shown as "<5" may be 0 (the rule for parts
        # of a small total, across periods too): the reader knows it from the year's and quarter's reports.
        enclosing = [figures.compute(facts, REFERENCE, parse(code)) for code in
                     {str(period.start.year), f"{period.start.year}-Q{(period.start.month - 1) // 3 + 1}"}
                     if code != period.code]
        under_small = frozenset(key for key in hidden if any(
            row.key == key and row.cells[measure].state == figures.State.SMALL
            for other in enclosing for row in [other.total, *(r for t in other.tables.values() for r in t.rows)]))
        for key, why in hidden.items():
            if why == Hidden.SMALL and truth[key] > 0:  # a zero may be known: it points at no one
                low, high = reader_range(truth, hidden, relevant, key, zero_ok_too=under_small)
                assert high - low >= 1, (measure, key, truth[key])


def test_rates_and_per_1000_of_hidden_counts_are_hidden_too():
    facts = figures.Facts(requests=tuple(
        figures.RequestFact(datetime(2026, 1, 5), "W1", "groceries", "done", datetime(2026, 1, 5),
                            datetime(2026, 1, 6), datetime(2026, 1, 7), 2.0) for _ in range(3)))
    report = figures.compute(facts, REFERENCE, parse("2026-01"))
    row = next(r for r in report.tables["wijk"].rows if r.key == ("wijk", "W1"))
    assert row.cells["posted"].state == figures.State.SMALL
    for measure in ("match_rate", "posted_per_1000", "hours"):
        assert not row.cells[measure].shown
    assert row.cells["days_to_match"].state == figures.State.HIDDEN  # a median of three people
    assert report.total.cells["posted"].text() == "<5"


def random_initiatives(seed: int) -> figures.Facts:
    """Mostly one wijk and one goal each (so the sums often hold, and a reader may use them), some more."""
    rng = random.Random(seed)
    initiatives, backings, support = [], [], []
    for i in range(rng.randint(5, 40)):
        wijken = tuple(rng.sample(["W1", "W2", "W3", "W4", "W5"], 1 if rng.random() < 0.85 else 2))
        goals = tuple(rng.sample([1, 2, 3], 1 if rng.random() < 0.85 else 2))
        initiatives.append(figures.InitiativeFact(i, datetime(2025, 12, 1), wijken, goals, rng.random() < 0.7))
        backings += [figures.InitiativeEvent(i, datetime(2026, 2, rng.randint(1, 28)).date())
                     for _ in range(rng.choice([0, 0, 1, 2, 3, 6]))]
        if rng.random() < 0.3:
            support.append(figures.InitiativeEvent(i, datetime(2026, 2, 3).date()))
    return figures.Facts(initiatives=tuple(initiatives), backings=tuple(backings), support=tuple(support))


@pytest.mark.parametrize("seed", range(12))
def test_initiative_figures_give_no_small_cell_away_through_sums_that_hold(seed):
    facts = random_initiatives(seed)
    period = parse("2026-02")
    report = figures.compute(facts, REFERENCE, period)
    true_values, _contributors, _lists = figures.aggregate(facts, REFERENCE, period)
    checked = 0
    for measure in figures.INITIATIVE_MEASURES:
        shown, hidden = report_grid(report, measure)
        truth = {**shown, **{key: true_values[measure].get(key, 0.0) for key in hidden}}
        for key, why in hidden.items():
            if why == Hidden.SMALL:
                assert 0 <= truth[key] < K
        # The reader assumes every sum that happens to hold: districts, wijken and goals adding up to the city.
        sums = figures.sums_that_hold(REFERENCE, truth)
        checked += len(sums)
        for key, why in hidden.items():
            if why == Hidden.SMALL and truth[key] > 0:
                low, high = reader_range(truth, hidden, sums, key)
                assert high - low >= 1, (measure, key, truth[key])
    assert checked  # the sums did hold somewhere, so the check was real
