"""The impact report's figures, computed from plain rows: per district (stadsdeel), wijk, category and societal
goal, for one period. Pure functions: no Flask, no database, no gettext, so every rule is unit-tested.

Definitions (also printed under the report):
- requests posted: requests placed in the period (rejected spam not counted); matched, done and still
  unanswered: what has happened to those requests since, up to the moment the report is made;
- median days to the first response and to the match, over the requests of the period that got one;
- active volunteers: volunteers who responded to a request in the period; new volunteers: volunteer accounts made
  in the period (volunteers without a wijk are left out, so the wijken add up to the city);
- hours given: hours the two people logged for the period's requests; hand-overs: warm hand-overs recorded in the
  period;
- per 1,000 inhabitants: by the CBS number of inhabitants of the wijk or district;
- initiatives active: resident initiatives and organisations registered before the end of the period that are
  marked active, or held an activity in the period; initiatives supported: those that got support from staff
  (advice, a grant, a space) in the period; backing: residents who backed an initiative in the period.
  An initiative counts in every wijk and goal it works for, so these need not add up to the total.
A request belongs to one category and to every goal its category serves, so goals do not add up to the total.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from itertools import pairwise
from operator import attrgetter
from statistics import median
from typing import Any, NamedTuple

from webapp.reports.periods import Period
from webapp.reports.suppression import DEFAULT_MIN_CELL, Constraint, Hidden, suppress

CellKey = tuple[Any, ...]
TOTAL: CellKey = ("total",)
DIMENSIONS = ("stadsdeel", "wijk", "category", "goal")
GEO = ("stadsdeel", "wijk")

# key, kind. Kinds: count (people or requests), sum (hours), median (days), rate (%), per_1000.
MEASURES: tuple[tuple[str, str], ...] = (
    ("posted", "count"),
    ("matched", "count"),
    ("done", "count"),
    ("match_rate", "rate"),
    ("days_to_response", "median"),
    ("days_to_match", "median"),
    ("unanswered", "count"),
    ("volunteers_active", "count"),
    ("volunteers_new", "count"),
    ("hours", "sum"),
    ("handovers", "count"),
    ("initiatives_active", "count"),
    ("initiatives_supported", "count"),
    ("backing", "count"),
    ("posted_per_1000", "per_1000"),
    ("volunteers_per_1000", "per_1000"),
)
MEASURE_KIND = dict(MEASURES)
REQUEST_MEASURES = ("posted", "matched", "done", "unanswered", "handovers", "hours")
VOLUNTEER_MEASURES = ("volunteers_active", "volunteers_new")
# Counted per initiative, in every wijk and goal it works for: their parts add up only where they happen to.
INITIATIVE_MEASURES = ("initiatives_active", "initiatives_supported", "backing")
TREND_MEASURES = ("posted", "matched")
# Measures that do not exist for a dimension (a new volunteer has no category, nor has an initiative).
NOT_APPLICABLE = {("volunteers_new", "category"), ("volunteers_new", "goal"), ("posted_per_1000", "category"),
                  ("posted_per_1000", "goal"), ("volunteers_per_1000", "category"),
                  ("volunteers_per_1000", "goal"), *((m, "category") for m in INITIATIVE_MEASURES)}


class State:
    SHOWN = "shown"
    SMALL = "small"  # 1 to min_cell - 1: "<5"
    HIDDEN = "hidden"  # hidden so that no small number can be worked out, or made from hidden numbers
    EMPTY = "empty"  # nothing to compute (a median of no values)
    NOT_APPLICABLE = "na"


# -- input rows -------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class WijkInfo:
    code: str
    name: str
    stadsdeel: str
    inhabitants: int


@dataclass(frozen=True)
class Reference:
    wijken: tuple[WijkInfo, ...]
    categories: tuple[tuple[str, str], ...]  # (key, name), in display order
    goals: tuple[tuple[int, str], ...]  # (id, name)
    category_goals: Mapping[str, tuple[int, ...]]

    @property
    def stadsdelen(self) -> list[str]:
        return sorted({w.stadsdeel for w in self.wijken})


class RequestFact(NamedTuple):  # a tuple: tens of thousands are built per report
    created_at: datetime
    wijk: str
    category: str
    status: str
    first_response_at: datetime | None = None
    matched_at: datetime | None = None
    done_at: datetime | None = None
    hours: float | None = None


class HandoverFact(NamedTuple):  # a tuple: tens of thousands are built per report
    on: date
    wijk: str
    category: str


class ActivityFact(NamedTuple):  # a tuple: tens of thousands are built per report
    """A volunteer responded to a request."""

    volunteer: int
    at: datetime
    wijk: str | None  # the volunteer's wijk
    category: str  # the request's category


class VolunteerFact(NamedTuple):  # a tuple: tens of thousands are built per report
    volunteer: int
    joined_at: datetime
    wijk: str | None


def _day(moment: datetime | date) -> date:
    return moment.date() if isinstance(moment, datetime) else moment


# Each kind of fact and the moment that places it in a period.
FACT_DATES = {"requests": "created_at", "handovers": "on", "activity": "at", "volunteers": "joined_at",
              "support": "on", "backings": "on"}  # initiatives are not cut: one made earlier can be active now


@dataclass(frozen=True)
class InitiativeFact:
    """A resident initiative or organisation: where it works, the goals it serves, and when it was busy."""

    initiative: int
    created_at: datetime
    wijken: tuple[str, ...]
    goals: tuple[int, ...]
    is_active: bool  # its status now
    activity_days: tuple[date, ...] = ()  # days of its activities (not cancelled)


@dataclass(frozen=True)
class InitiativeEvent:
    """Something that happened to an initiative on a day: staff support given, or a resident backing it."""

    initiative: int
    on: date


@dataclass(frozen=True)
class Facts:
    """The records behind a report, each kind kept in date order, so a period's records are a slice (bisect)
    instead of a pass over everything: a dashboard computes some forty periods (three reports, their trends)."""

    requests: tuple[RequestFact, ...] = ()
    handovers: tuple[HandoverFact, ...] = ()
    activity: tuple[ActivityFact, ...] = ()
    volunteers: tuple[VolunteerFact, ...] = ()
    initiatives: tuple[InitiativeFact, ...] = ()
    support: tuple[InitiativeEvent, ...] = ()
    backings: tuple[InitiativeEvent, ...] = ()

    def __post_init__(self) -> None:
        for name, attr in FACT_DATES.items():
            records: tuple[Any, ...] = getattr(self, name)
            moment = attrgetter(attr)
            if any(moment(later) < moment(earlier) for earlier, later in pairwise(records)):
                object.__setattr__(self, name, tuple(sorted(records, key=moment)))

    def within(self, period: Period) -> Facts:
        """The facts that fall in the period."""
        parts: dict[str, tuple[Any, ...]] = {}
        for name, attr in FACT_DATES.items():
            records: tuple[Any, ...] = getattr(self, name)

            def day_of(r: Any, a: str = attr) -> date:
                return _day(getattr(r, a))

            first = bisect_left(records, period.start, key=day_of)
            last = bisect_left(records, period.end, lo=first, key=day_of)
            parts[name] = records[first:last]
        narrowed = object.__new__(Facts)  # slices of sorted tuples are sorted: no need to check again
        for name, part in ({f.name: getattr(self, f.name) for f in fields(self)} | parts).items():
            object.__setattr__(narrowed, name, part)
        return narrowed


# -- output -----------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Cell:
    value: float | None
    state: str = State.SHOWN

    @property
    def shown(self) -> bool:
        return self.state == State.SHOWN

    def text(self, kind: str = "count", min_cell: int = DEFAULT_MIN_CELL) -> str:
        """Plain text for exports: numbers with a decimal point, "<5" for small numbers, "x" for hidden ones."""
        if self.state == State.SMALL:
            return f"<{min_cell}"
        if self.state == State.HIDDEN:
            return "x"
        if self.state in (State.EMPTY, State.NOT_APPLICABLE) or self.value is None:
            return ""
        if kind == "count":
            return str(int(self.value))
        return f"{self.value:.1f}"


@dataclass(frozen=True)
class Row:
    key: CellKey
    label: str
    inhabitants: int | None
    cells: Mapping[str, Cell]


@dataclass(frozen=True)
class Table:
    dimension: str
    rows: tuple[Row, ...]
    total: Row


@dataclass(frozen=True)
class TrendPoint:
    month: Period
    cells: Mapping[str, Cell]


@dataclass(frozen=True)
class Report:
    period: Period
    min_cell: int
    tables: Mapping[str, Table]
    total: Row
    trend: tuple[TrendPoint, ...] = field(default=())


# -- computing --------------------------------------------------------------------------------------------------------

class _Geo:
    def __init__(self, reference: Reference) -> None:
        self.stadsdeel = {w.code: w.stadsdeel for w in reference.wijken}
        self.goals = reference.category_goals

    def place(self, wijk: str | None) -> list[CellKey]:
        if wijk is None or wijk not in self.stadsdeel:
            return []
        return [("stadsdeel", self.stadsdeel[wijk]), ("wijk", wijk)]

    def topic(self, category: str) -> list[CellKey]:
        return [("category", category), *(("goal", g) for g in self.goals.get(category, ()))]

    def keys(self, wijk: str | None, category: str) -> list[CellKey]:
        return [TOTAL, *self.place(wijk), *self.topic(category)]

    def initiative_keys(self, initiative: InitiativeFact) -> list[CellKey]:
        """Every cell an initiative counts in, once each: the city, its wijken and their districts, its goals."""
        places = {key for wijk in initiative.wijken for key in self.place(wijk)}
        return [TOTAL, *sorted(places, key=str), *(("goal", g) for g in sorted(set(initiative.goals)))]


def all_keys(reference: Reference) -> dict[str, list[CellKey]]:
    return {
        "stadsdeel": [("stadsdeel", name) for name in reference.stadsdelen],
        "wijk": [("wijk", w.code) for w in sorted(reference.wijken, key=lambda w: (w.stadsdeel, w.name))],
        "category": [("category", key) for key, _name in reference.categories],
        "goal": [("goal", goal_id) for goal_id, _name in reference.goals],
    }


def constraints(reference: Reference, measure: str, months_in_period: Sequence[CellKey] = ()) -> list[Constraint]:
    """The sums that tie published figures together, for one measure."""
    keys = all_keys(reference)
    out: list[Constraint] = []
    geo_additive = measure in REQUEST_MEASURES or measure in VOLUNTEER_MEASURES
    if geo_additive:
        out.append(Constraint(TOTAL, tuple(keys["stadsdeel"])))
        out.append(Constraint(TOTAL, tuple(keys["wijk"])))
        for name in reference.stadsdelen:
            out.append(Constraint(("stadsdeel", name),
                                  tuple(("wijk", w.code) for w in reference.wijken if w.stadsdeel == name)))
    if measure in REQUEST_MEASURES:
        out.append(Constraint(TOTAL, tuple(keys["category"])))
        for goal_id, _name in reference.goals:
            parts = tuple(("category", c) for c, _n in reference.categories
                          if goal_id in reference.category_goals.get(c, ()))
            if parts:
                out.append(Constraint(("goal", goal_id), parts))
    if measure in TREND_MEASURES and months_in_period:
        out.append(Constraint(TOTAL, tuple(months_in_period)))
    return out


def sums_that_hold(reference: Reference, grid: Mapping[Any, float]) -> list[Constraint]:
    """For measures counted in every wijk and goal of an initiative: the sums a reader could assume (districts of
    the city, wijken of a district, goals of the city), kept only where they hold exactly in these figures. Where
    they hold, a reader may use them to work out a hidden cell, so secondary suppression must know them."""
    keys = all_keys(reference)
    candidates = [Constraint(TOTAL, tuple(keys["stadsdeel"])), Constraint(TOTAL, tuple(keys["wijk"])),
                  Constraint(TOTAL, tuple(keys["goal"]))]
    candidates += [Constraint(("stadsdeel", name), tuple(("wijk", w.code) for w in reference.wijken
                                                          if w.stadsdeel == name))
                   for name in reference.stadsdelen]
    return [c for c in candidates
            if c.total in grid and all(p in grid for p in c.parts)
            and abs(grid[c.total] - sum(grid[p] for p in c.parts)) < 1e-9]


def _days(later: datetime, earlier: datetime) -> float:
    return max(0.0, (later - earlier).total_seconds() / 86400)


def aggregate(facts: Facts, reference: Reference, period: Period) -> tuple[
        dict[str, dict[CellKey, float]], dict[str, dict[CellKey, float]], dict[str, dict[CellKey, list[float]]]]:
    """Raw sums per measure and cell, how many records make up each sum, and the values behind each median.

    Records are first summed per (wijk, category): every record of such a pair lands in the same cells, so the
    cells are filled once per pair instead of once per record.
    """
    geo = _Geo(reference)
    facts = facts.within(period)
    Pair = tuple[str | None, str]
    pair_values: dict[Pair, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    pair_lists: dict[Pair, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for r in facts.requests:
        sums = pair_values[(r.wijk, r.category)]
        sums["posted"] += 1
        if r.matched_at is not None:
            sums["matched"] += 1
            pair_lists[(r.wijk, r.category)]["days_to_match"].append(_days(r.matched_at, r.created_at))
        if r.done_at is not None:
            sums["done"] += 1
        if r.first_response_at is not None:
            pair_lists[(r.wijk, r.category)]["days_to_response"].append(_days(r.first_response_at, r.created_at))
        elif r.status == "open":
            sums["unanswered"] += 1
        if r.hours is not None:
            sums["hours"] += r.hours
            sums["hours contributors"] += 1
    for h in facts.handovers:
        pair_values[(h.wijk, h.category)]["handovers"] += 1
    values: dict[str, dict[CellKey, float]] = defaultdict(lambda: defaultdict(float))
    contributors: dict[str, dict[CellKey, float]] = defaultdict(lambda: defaultdict(float))
    lists: dict[str, dict[CellKey, list[float]]] = defaultdict(lambda: defaultdict(list))
    for (wijk, category), sums in pair_values.items():
        for key in geo.keys(wijk, category):
            for measure, value in sums.items():
                if measure == "hours contributors":
                    contributors["hours"][key] += value
                else:
                    values[measure][key] += value
    for (wijk, category), found in pair_lists.items():
        for key in geo.keys(wijk, category):
            for measure, items in found.items():
                lists[measure][key].extend(items)
    active: dict[Pair, set[int]] = defaultdict(set)
    for a in facts.activity:
        if a.wijk is not None:
            active[(a.wijk, a.category)].add(a.volunteer)
    active_per_key: dict[CellKey, set[int]] = defaultdict(set)
    for (wijk, category), people in active.items():
        for key in geo.keys(wijk, category):
            active_per_key[key].update(people)
    for key, people in active_per_key.items():
        values["volunteers_active"][key] = len(people)
    new_per_wijk: dict[str, int] = defaultdict(int)
    for v in facts.volunteers:
        if v.wijk is not None:
            new_per_wijk[v.wijk] += 1
    for wijk, count in new_per_wijk.items():
        for key in [TOTAL, *geo.place(wijk)]:
            values["volunteers_new"][key] += count
    by_id = {i.initiative: i for i in facts.initiatives}
    initiative_keys = {i.initiative: geo.initiative_keys(i) for i in facts.initiatives}  # once, not per backing
    for i in facts.initiatives:
        if i.created_at.date() <= period.last_day and (i.is_active or any(period.contains(d) for d in i.activity_days)):
            for key in initiative_keys[i.initiative]:
                values["initiatives_active"][key] += 1
    supported = {e.initiative for e in facts.support if period.contains(e.on)}
    for initiative_id in supported:
        if initiative_id in by_id:
            for key in initiative_keys[initiative_id]:
                values["initiatives_supported"][key] += 1
    backed: dict[int, int] = defaultdict(int)
    for e in facts.backings:
        if period.contains(e.on) and e.initiative in by_id:
            backed[e.initiative] += 1
    for initiative_id, count in backed.items():
        for key in initiative_keys[initiative_id]:
            values["backing"][key] += count
    return values, contributors, lists


def inhabitants(reference: Reference) -> dict[CellKey, int]:
    out: dict[CellKey, int] = defaultdict(int)
    for w in reference.wijken:
        out[("wijk", w.code)] += w.inhabitants
        out[("stadsdeel", w.stadsdeel)] += w.inhabitants
        out[TOTAL] += w.inhabitants
    return dict(out)


def _dimension_of(key: CellKey) -> str:
    return str(key[0])


def compute(facts: Facts, reference: Reference, period: Period, *, min_cell: int = DEFAULT_MIN_CELL,
            trend_months: Sequence[Period] = (), labels: Mapping[CellKey, str] | None = None) -> Report:
    """Every figure of the report for one period, with small numbers suppressed across all four tables and the
    monthly trend together (so no view of the same period lets a reader subtract their way to a hidden cell)."""
    values, contributors, lists = aggregate(facts, reference, period)
    keys = all_keys(reference)
    every_key = [TOTAL, *(k for dim in DIMENSIONS for k in keys[dim])]
    people = inhabitants(reference)

    # Monthly trend: the months are cells too, tied to the period's total when they make it up exactly.
    month_values: dict[str, dict[CellKey, float]] = {m: {} for m in TREND_MEASURES}
    for month in trend_months:  # the city totals of TREND_MEASURES ("posted", "matched"), as `aggregate` counts them
        in_month = facts.within(month).requests
        month_values["posted"][("month", month.code)] = float(len(in_month))
        month_values["matched"][("month", month.code)] = float(sum(1 for r in in_month if r.matched_at is not None))
    inside = [m for m in trend_months if period.start <= m.start and m.end <= period.end]
    exact = bool(inside) and inside[0].start == period.start and inside[-1].end == period.end
    months_in_period = [("month", m.code) for m in inside] if exact else []

    cells: dict[str, dict[CellKey, Cell]] = {}
    for measure, kind in MEASURES:
        if kind not in ("count", "sum"):
            continue
        grid = {key: float(values[measure].get(key, 0.0)) for key in every_key
                if (measure, _dimension_of(key)) not in NOT_APPLICABLE}
        if measure in TREND_MEASURES:
            grid.update(month_values[measure])
        counted = {key: float(contributors[measure].get(key, 0.0)) for key in grid} if kind == "sum" else grid
        sums = (sums_that_hold(reference, grid) if measure in INITIATIVE_MEASURES
                else constraints(reference, measure, months_in_period))
        hidden = suppress(grid, counted, sums, min_cell, counts=kind == "count")
        cells[measure] = {
            # Hours over a few matches can be any number: hidden as "x", never as "<5".
            key: Cell(None, State.SMALL if hidden[key] == Hidden.SMALL and kind == "count" else State.HIDDEN)
            if key in hidden
            else Cell(round(value, 1) if kind == "sum" else value)
            for key, value in grid.items()
        }
    for measure in ("days_to_response", "days_to_match"):
        cells[measure] = {}
        for key in every_key:
            found = lists[measure].get(key, [])
            if not found:
                cells[measure][key] = Cell(None, State.EMPTY)
            elif len(found) < min_cell:  # a median of a few people: hidden ("x"), not "<5" (it is no count)
                cells[measure][key] = Cell(None, State.HIDDEN)
            else:
                cells[measure][key] = Cell(round(median(found), 1))
    cells["match_rate"] = {}
    for key in every_key:
        posted, matched = cells["posted"][key], cells["matched"][key]
        if posted.shown and matched.shown and posted.value:
            cells["match_rate"][key] = Cell(round(100 * (matched.value or 0) / posted.value, 1))
        elif posted.shown and not posted.value:
            cells["match_rate"][key] = Cell(None, State.EMPTY)
        else:
            cells["match_rate"][key] = Cell(None, State.HIDDEN)
    for measure, base in (("posted_per_1000", "posted"), ("volunteers_per_1000", "volunteers_active")):
        cells[measure] = {}
        for key in every_key:
            if (measure, _dimension_of(key)) in NOT_APPLICABLE:
                cells[measure][key] = Cell(None, State.NOT_APPLICABLE)
                continue
            count, population = cells[base][key], people.get(key, 0)
            if count.shown and population:
                cells[measure][key] = Cell(round(1000 * (count.value or 0) / population, 2))
            else:
                cells[measure][key] = Cell(None, State.HIDDEN if not count.shown else State.EMPTY)
    for measure, _kind in MEASURES:  # not applicable cells for the counts
        for key in every_key:
            cells[measure].setdefault(key, Cell(None, State.NOT_APPLICABLE))

    names = dict(labels or {})

    def row(key: CellKey) -> Row:
        return Row(key, names.get(key, str(key[-1])), people.get(key),
                   {measure: cells[measure][key] for measure, _kind in MEASURES})

    tables = {dim: Table(dim, tuple(row(k) for k in keys[dim]), row(TOTAL)) for dim in DIMENSIONS}
    trend = tuple(
        TrendPoint(m, {measure: cells[measure][("month", m.code)] for measure in TREND_MEASURES})
        for m in trend_months
    )
    return Report(period, min_cell, tables, row(TOTAL), trend)


def measures_for(dimension: str) -> list[str]:
    """The measures a table per `dimension` shows (no empty columns, such as new volunteers per category)."""
    return [m for m, _kind in MEASURES if (m, dimension) not in NOT_APPLICABLE]


def change(current: Cell, earlier: Cell) -> float | None:
    """The change in percent, or None when either figure is hidden or the earlier one is zero."""
    if not (current.shown and earlier.shown) or not earlier.value or current.value is None:
        return None
    return round(100 * (current.value - earlier.value) / earlier.value, 1)


def rows_for_export(report: Report, dimension: str) -> Iterable[tuple[str, Row]]:
    table = report.tables[dimension]
    for item in table.rows:
        yield item.label, item
    yield "total", table.total
