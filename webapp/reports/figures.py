"""The impact report's figures, computed from plain rows: per district (stadsdeel), wijk, category and societal
goal, for one period. Pure functions: no Flask, no database, no gettext, so every rule is unit-tested.

Definitions (also printed under the report):
- requests posted: requests placed in the period (rejected spam not counted); matched, done and still
  unanswered: what has happened to those requests since, up to the moment the report is made;
- median days to the first response and to the match, over the requests of the period that got one;
- active volunteers: volunteers who responded to a request in the period; new volunteers: volunteer accounts made
  in the period (volunteers without a wijk are left out, so the wijken add up to the city);
- hours given: hours the two people logged for the period's requests; hand-overs: warm hand-overs recorded in the
  period, also per partner organisation they went to (a dimension of its own, for hand-overs only: its small
  numbers are hidden with the year's other periods like those of wijken and goals);
- per 1,000 inhabitants: by the CBS number of inhabitants of the wijk or district;
- initiatives active: resident initiatives and organisations registered before the end of the period that are
  marked active, or held an activity in the period; initiatives supported: those that got support from staff
  (advice, a grant, a space) in the period; backing: residents who backed an initiative in the period.
  An initiative counts in every wijk and goal it works for, so these need not add up to the total;
- reach of vulnerable groups: requests of the period in the kinds of help the city marks as asked for by vulnerable
  groups (next to "taken in by staff", the requests staff entered for residents without internet);
- hours given in initiatives: hours volunteers logged for an initiative's needs and activities in the period; grant
  euros: staff grants given in the period and district budget money for plans of initiatives counted in the period.
  Both count per initiative, like the other initiative figures.
A request belongs to one category and to every goal its category serves, so goals do not add up to the total.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime
from itertools import pairwise
from operator import attrgetter
from statistics import median
from typing import Any, NamedTuple

from webapp.reports.periods import Period, period_of
from webapp.reports.suppression import DEFAULT_MIN_CELL, Constraint, Hidden, suppress

CellKey = tuple[Any, ...]
TOTAL: CellKey = ("total",)
DIMENSIONS = ("stadsdeel", "wijk", "category", "goal", "partner")
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
    ("expired_unmatched", "count"),
    ("intake", "count"),
    ("vulnerable_reach", "count"),
    ("volunteers_active", "count"),
    ("volunteers_new", "count"),
    ("hours", "sum"),
    ("handovers", "count"),
    ("initiatives_active", "count"),
    ("initiatives_supported", "count"),
    ("backing", "count"),
    ("initiative_hours", "sum"),
    ("grant_euros", "sum"),
    ("posted_per_1000", "per_1000"),
    ("volunteers_per_1000", "per_1000"),
)
MEASURE_KIND = dict(MEASURES)
REQUEST_MEASURES = ("posted", "matched", "done", "unanswered", "expired_unmatched", "intake", "handovers", "hours",
                    "vulnerable_reach")
VOLUNTEER_MEASURES = ("volunteers_active", "volunteers_new")
# Counted per initiative, in every wijk and goal it works for: their parts add up only where they happen to.
INITIATIVE_MEASURES = ("initiatives_active", "initiatives_supported", "backing", "initiative_hours", "grant_euros")
TREND_MEASURES = ("posted", "matched")
# Request measures that are volunteering (given by a volunteer): they count in the volunteering goals as well.
VOLUNTEERING_REQUEST_MEASURES = ("hours", "hours contributors")
# Measures that do not exist for a dimension (a new volunteer has no category, nor has an initiative).
NOT_APPLICABLE = {("volunteers_new", "category"), ("volunteers_new", "goal"), ("posted_per_1000", "category"),
                  ("posted_per_1000", "goal"), ("volunteers_per_1000", "category"),
                  ("volunteers_per_1000", "goal"), *((m, "category") for m in INITIATIVE_MEASURES),
                  # The partner a hand-over went to: a dimension of hand-overs alone.
                  *((m, "partner") for m, _kind in MEASURES if m != "handovers")}


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
    # Goals that every act of volunteering serves, whatever the kind of help (goal 2, "Haarlemmers zetten zich in
    # voor elkaar"): active volunteers and hours given count there too.
    volunteering_goals: tuple[int, ...] = ()
    # Kinds of help the city marks as asked for by vulnerable groups (webapp/core/reference/data/
    # vulnerable_categories.json): requests of these kinds count as reach of vulnerable groups.
    vulnerable_categories: tuple[str, ...] = ()
    # The professional organisations hand-overs go to (a partner's name is no personal data, but a partner with few
    # hand-overs could point at a resident: its small numbers are hidden like a wijk's).
    partners: tuple[str, ...] = ()

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
    via_intake: bool = False  # a staff member took it in for a resident (by phone, at the desk, on paper)


class HandoverFact(NamedTuple):  # a tuple: tens of thousands are built per report
    on: date
    wijk: str
    category: str
    partner: str = ""  # the organisation it went to


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
              "support": "on", "backings": "on", "initiative_hours": "on",
              "grants": "on"}  # initiatives are not cut: one made earlier can be active now


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


class InitiativeAmount(NamedTuple):
    """Hours a person gave to an initiative on a day (a need's weekly role or an activity), or euros it was granted
    (by staff, or by residents in a district budget). `source`: the person, or the grant, for counting how many
    make up a sum."""

    initiative: int
    on: date
    amount: float
    source: str


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
    initiative_hours: tuple[InitiativeAmount, ...] = ()
    grants: tuple[InitiativeAmount, ...] = ()

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
    # The kinds of help counted as reach of vulnerable groups when the figures were computed: stored with them, so
    # the definition printed next to a stored figure names what it counted, even after the list changes.
    vulnerable_categories: tuple[str, ...] = ()


# -- computing --------------------------------------------------------------------------------------------------------

class _Geo:
    def __init__(self, reference: Reference) -> None:
        self.stadsdeel = {w.code: w.stadsdeel for w in reference.wijken}
        self.goals = reference.category_goals
        self.volunteering = reference.volunteering_goals

    def place(self, wijk: str | None) -> list[CellKey]:
        if wijk is None or wijk not in self.stadsdeel:
            return []
        return [("stadsdeel", self.stadsdeel[wijk]), ("wijk", wijk)]

    def topic(self, category: str) -> list[CellKey]:
        return [("category", category), *(("goal", g) for g in self.goals.get(category, ()))]

    def keys(self, wijk: str | None, category: str) -> list[CellKey]:
        return [TOTAL, *self.place(wijk), *self.topic(category)]

    def volunteering_keys(self, wijk: str | None, category: str) -> list[CellKey]:
        """The cells of a volunteer's help: those of the request, and the goals that every volunteering serves."""
        keys = self.keys(wijk, category)
        return keys + [("goal", g) for g in self.volunteering if ("goal", g) not in keys]

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
        "partner": [("partner", name) for name in reference.partners],
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
    vulnerable = frozenset(reference.vulnerable_categories)
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
        elif r.status != "handed_over":  # still waiting, expired or cancelled: nobody ever responded
            sums["unanswered"] += 1
        if r.status == "expired" and r.matched_at is None:
            sums["expired_unmatched"] += 1
        if r.via_intake:
            sums["intake"] += 1
        if r.category in vulnerable:
            sums["vulnerable_reach"] += 1
        if r.hours is not None:
            sums["hours"] += r.hours
            sums["hours contributors"] += 1
    partners = frozenset(reference.partners)
    for h in facts.handovers:
        pair_values[(h.wijk, h.category)]["handovers"] += 1
    values: dict[str, dict[CellKey, float]] = defaultdict(lambda: defaultdict(float))
    contributors: dict[str, dict[CellKey, float]] = defaultdict(lambda: defaultdict(float))
    lists: dict[str, dict[CellKey, list[float]]] = defaultdict(lambda: defaultdict(list))
    for (wijk, category), sums in pair_values.items():
        request_keys = geo.keys(wijk, category)
        for key in geo.volunteering_keys(wijk, category):
            for measure, value in sums.items():
                if measure in VOLUNTEERING_REQUEST_MEASURES:  # hours were given: every volunteering goal too
                    pass
                elif key not in request_keys:
                    continue
                if measure == "hours contributors":
                    contributors["hours"][key] += value
                else:
                    values[measure][key] += value
    for (wijk, category), found in pair_lists.items():
        for key in geo.keys(wijk, category):
            for measure, items in found.items():
                lists[measure][key].extend(items)
    for h in facts.handovers:
        if h.partner in partners:
            values["handovers"][("partner", h.partner)] += 1
    active: dict[Pair, set[int]] = defaultdict(set)
    for a in facts.activity:
        if a.wijk is not None:
            active[(a.wijk, a.category)].add(a.volunteer)
    active_per_key: dict[CellKey, set[int]] = defaultdict(set)
    for (wijk, category), people in active.items():
        for key in geo.volunteering_keys(wijk, category):
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
    for measure, amounts in (("initiative_hours", facts.initiative_hours), ("grant_euros", facts.grants)):
        sources: dict[CellKey, set[str]] = defaultdict(set)  # people who gave hours, grants given
        for given in amounts:
            if period.contains(given.on) and given.initiative in by_id:
                for key in initiative_keys[given.initiative]:
                    values[measure][key] += given.amount
                    sources[key].add(given.source)
        for key, givers in sources.items():
            contributors[measure][key] = len(givers)
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


def year_periods(year: Period) -> list[Period]:
    """The periods a reader can ask for inside a calendar year: the year, its four quarters, its twelve months."""
    first = year.start.year
    quarters = [period_of("quarter", date(first, month, 1)) for month in (1, 4, 7, 10)]
    months = [period_of("month", date(first, month, 1)) for month in range(1, 13)]
    return [year, *quarters, *months]


def candidate_relations(reference: Reference, periods: Sequence[Period]) -> list[Constraint]:
    """Every sum a reader could try on published cells keyed (period code, cell key): within a period, a district
    is the sum of its wijken, the city of its districts, of its wijken and of its kinds of help, a goal of its
    kinds of help (or the whole city, for a goal that all volunteering serves), the city of the partners hand-overs
    went to; across periods, a year is the sum of
    its quarters and of its months, a quarter of its months. Which of them hold depends on the measure (people
    active in two kinds of help are counted in both; an initiative active all year is one in the year and one in
    each quarter): `holding` keeps those that hold in the figures."""
    keys = all_keys(reference)
    every_key = [TOTAL, *(k for dim in DIMENSIONS for k in keys[dim])]
    within: list[Constraint] = [
        Constraint(TOTAL, tuple(keys["stadsdeel"])), Constraint(TOTAL, tuple(keys["wijk"])),
        Constraint(TOTAL, tuple(keys["category"])), Constraint(TOTAL, tuple(keys["goal"])),
        Constraint(TOTAL, tuple(keys["partner"])),
        *(Constraint(("stadsdeel", name), tuple(("wijk", w.code) for w in reference.wijken if w.stadsdeel == name))
          for name in reference.stadsdelen),
        *(Constraint(("goal", goal_id), tuple(("category", c) for c, _n in reference.categories
                                              if goal_id in reference.category_goals.get(c, ())))
          for goal_id, _name in reference.goals),
        *(Constraint(("goal", goal_id), (TOTAL,)) for goal_id, _name in reference.goals),
    ]
    out = [Constraint((p.code, c.total), tuple((p.code, part) for part in c.parts))
           for p in periods for c in within if c.parts]
    by_kind: dict[str, list[Period]] = defaultdict(list)
    for p in periods:
        by_kind[p.kind].append(p)
    for parent_kind, child_kind in (("year", "quarter"), ("year", "month"), ("quarter", "month")):
        for parent in by_kind[parent_kind]:
            children = [c for c in by_kind[child_kind] if parent.start <= c.start and c.end <= parent.end]
            if not children or children[0].start != parent.start or children[-1].end != parent.end:
                continue
            out += [Constraint((parent.code, key), tuple((c.code, key) for c in children)) for key in every_key]
    return out


def holding(relations: Sequence[Constraint], grid: Mapping[Any, float]) -> list[Constraint]:
    """The relations whose cells are all published and that hold exactly in these figures: a reader who knows how
    the figures are made may use them, so suppression must know them."""
    return [c for c in relations
            if c.total in grid and all(p in grid for p in c.parts)
            and abs(grid[c.total] - sum(grid[p] for p in c.parts)) < 1e-9]


def compute_year(facts: Facts, reference: Reference, year: Period, *, min_cell: int = DEFAULT_MIN_CELL,
                 labels: Mapping[CellKey, str] | None = None) -> dict[Period, Report]:
    """Every figure of a calendar year, its quarters and its months, with small numbers suppressed for all of them
    together: the same cells are hidden whichever of them a reader puts side by side, so no subtraction across
    periods (a year minus three quarters, a quarter minus two months, or a chain of them through districts, wijken,
    kinds of help and goals) gives a hidden small number back. The reports have no trend (see `with_trend`)."""
    periods = year_periods(year)
    raw = {p: aggregate(facts, reference, p) for p in periods}
    keys = all_keys(reference)
    every_key = [TOTAL, *(k for dim in DIMENSIONS for k in keys[dim])]
    people = inhabitants(reference)
    relations = candidate_relations(reference, periods)

    cells: dict[Period, dict[str, dict[CellKey, Cell]]] = {p: {} for p in periods}
    for measure, kind in MEASURES:
        if kind not in ("count", "sum"):
            continue
        grid = {(p.code, key): float(raw[p][0][measure].get(key, 0.0)) for p in periods for key in every_key
                if (measure, _dimension_of(key)) not in NOT_APPLICABLE}
        counted = ({(p.code, key): float(raw[p][1][measure].get(key, 0.0)) for p in periods for key in every_key
                    if (p.code, key) in grid} if kind == "sum" else grid)
        hidden = suppress(grid, counted, holding(relations, grid), min_cell, counts=kind == "count")
        for p in periods:
            cells[p][measure] = {
                # Hours over a few matches can be any number: hidden as "x", never as "<5".
                key: Cell(None, State.SMALL if hidden[(p.code, key)] == Hidden.SMALL and kind == "count"
                          else State.HIDDEN)
                if (p.code, key) in hidden
                else Cell(round(value, 1) if kind == "sum" else value)
                for (code, key), value in grid.items() if code == p.code
            }
    names = dict(labels or {})
    out: dict[Period, Report] = {}
    for p in periods:
        found = cells[p]
        lists = raw[p][2]
        for measure in ("days_to_response", "days_to_match"):
            found[measure] = {}
            for key in every_key:
                medians = lists[measure].get(key, [])
                if (measure, _dimension_of(key)) in NOT_APPLICABLE:
                    found[measure][key] = Cell(None, State.NOT_APPLICABLE)
                elif not medians:
                    found[measure][key] = Cell(None, State.EMPTY)
                elif len(medians) < min_cell:  # a median of a few people: hidden ("x"), not "<5" (it is no count)
                    found[measure][key] = Cell(None, State.HIDDEN)
                else:
                    found[measure][key] = Cell(round(median(medians), 1))
        found["match_rate"] = {}
        for key in every_key:
            if ("match_rate", _dimension_of(key)) in NOT_APPLICABLE:
                found["match_rate"][key] = Cell(None, State.NOT_APPLICABLE)
                continue
            posted, matched = found["posted"][key], found["matched"][key]
            if posted.shown and matched.shown and posted.value:
                found["match_rate"][key] = Cell(round(100 * (matched.value or 0) / posted.value, 1))
            elif posted.shown and not posted.value:
                found["match_rate"][key] = Cell(None, State.EMPTY)
            else:
                found["match_rate"][key] = Cell(None, State.HIDDEN)
        for measure, base in (("posted_per_1000", "posted"), ("volunteers_per_1000", "volunteers_active")):
            found[measure] = {}
            for key in every_key:
                if (measure, _dimension_of(key)) in NOT_APPLICABLE:
                    found[measure][key] = Cell(None, State.NOT_APPLICABLE)
                    continue
                count, population = found[base][key], people.get(key, 0)
                if count.shown and population:
                    found[measure][key] = Cell(round(1000 * (count.value or 0) / population, 2))
                else:
                    found[measure][key] = Cell(None, State.HIDDEN if not count.shown else State.EMPTY)
        for measure, _kind in MEASURES:  # not applicable cells for the counts
            for key in every_key:
                found[measure].setdefault(key, Cell(None, State.NOT_APPLICABLE))

        def row(key: CellKey, found: dict[str, dict[CellKey, Cell]] = found) -> Row:
            return Row(key, names.get(key, str(key[-1])), people.get(key),
                       {measure: found[measure][key] for measure, _kind in MEASURES})

        tables = {dim: Table(dim, tuple(row(k) for k in keys[dim]), row(TOTAL)) for dim in DIMENSIONS}
        out[p] = Report(p, min_cell, tables, row(TOTAL), vulnerable_categories=reference.vulnerable_categories)
    return out


def with_trend(report: Report, months: Sequence[Report]) -> Report:
    """The report with its monthly trend: the city totals of the months' own (suppressed) reports."""
    trend = tuple(TrendPoint(m.period, {measure: m.total.cells[measure] for measure in TREND_MEASURES})
                  for m in months)
    return replace(report, trend=trend)


def compute(facts: Facts, reference: Reference, period: Period, *, min_cell: int = DEFAULT_MIN_CELL,
            trend_months: Sequence[Period] = (), labels: Mapping[CellKey, str] | None = None) -> Report:
    """One period's report (a month, a quarter or a year), suppressed together with every period of its calendar
    year, and its trend from the months' reports (suppressed with their own years)."""
    if period.kind not in ("month", "quarter", "year"):
        raise ValueError("only whole months, quarters and years are reported")
    years: dict[int, dict[Period, Report]] = {}
    for day in (period.start, *(m.start for m in trend_months)):
        if day.year not in years:
            years[day.year] = compute_year(facts, reference, period_of("year", day), min_cell=min_cell,
                                           labels=labels)
    report = years[period.start.year][period]
    return with_trend(report, [years[m.start.year][m] for m in trend_months])


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
