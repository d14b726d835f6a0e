"""Differencing across periods, dimensions and export formats: a reader who may ask for a year, its quarters and its
months, per district, wijk, kind of help and goal, in CSV or XLSX, tries every subtraction (and every chain of them)
and never gets back a number from 1 to REPORT_MIN_CELL - 1.

The reader here is written independently of webapp.reports: its own list of sums (a year is its quarters and its
months, a quarter its months; the city is its districts, its wijken, its kinds of help, its goals and the partners
hand-overs went to; a district its wijken; a goal its kinds of help or the whole city), kept where they hold exactly
in the true figures, and integer
programming (scipy.optimize.milp) to find the smallest and largest value of each hidden small cell. The checks loop
over figures.MEASURES, so a measure added later is checked without touching this file.
"""

from __future__ import annotations

import io
import random
from collections.abc import Hashable, Mapping
from datetime import date, datetime, timedelta

import numpy as np
import pytest
from openpyxl import load_workbook
from scipy.optimize import Bounds, LinearConstraint, milp

from tests.webapp.reports.test_reports_dashboard import rows_of_csv
from webapp.reports import figures
from webapp.reports.periods import Period, month_of, parse, quarter_of, year_of

K = 5
YEAR = 2026
ADDITIVE = [m for m, kind in figures.MEASURES if kind in ("count", "sum")]


def every_period(year: int = YEAR) -> list[Period]:
    """What a reader can ask for inside a year (written out here, not taken from the code under test)."""
    start = date(year, 1, 1)
    return [year_of(start), *(quarter_of(date(year, m, 1)) for m in (1, 4, 7, 10)),
            *(month_of(date(year, m, 1)) for m in range(1, 13))]


def reader_sums(reference: figures.Reference, periods: list[Period]) -> list[tuple[Hashable, tuple[Hashable, ...]]]:
    wijken = [("wijk", w.code) for w in reference.wijken]
    districts = sorted({w.stadsdeel for w in reference.wijken})
    categories = [("category", c) for c, _n in reference.categories]
    goals = [("goal", g) for g, _n in reference.goals]
    partners = [("partner", p) for p in reference.partners]
    within = [(figures.TOTAL, tuple(("stadsdeel", d) for d in districts)), (figures.TOTAL, tuple(wijken)),
              (figures.TOTAL, tuple(categories)), (figures.TOTAL, tuple(goals)), (figures.TOTAL, tuple(partners))]
    within += [(("stadsdeel", d), tuple(("wijk", w.code) for w in reference.wijken if w.stadsdeel == d))
               for d in districts]
    within += [(("goal", g), tuple(("category", c) for c, _n in reference.categories
                                   if g in reference.category_goals.get(c, ()))) for g, _n in reference.goals]
    within += [(("goal", g), (figures.TOTAL,)) for g, _n in reference.goals]
    out = [((p.code, total), tuple((p.code, part) for part in parts)) for p in periods for total, parts in within
           if parts]
    cells = [figures.TOTAL, *(("stadsdeel", d) for d in districts), *wijken, *categories, *goals, *partners]
    for parent in periods:
        for child_kind in ("quarter", "month"):
            children = [c for c in periods if c.kind == child_kind and c != parent
                        and parent.start <= c.start and c.end <= parent.end]
            if children and parent.kind != child_kind and sum(c.days for c in children) == parent.days:
                out += [((parent.code, key), tuple((c.code, key) for c in children)) for key in cells]
    return out


def reader_range(values: Mapping[Hashable, float], hidden: Mapping[Hashable, str],
                 sums: list[tuple[Hashable, tuple[Hashable, ...]]], cell: Hashable, integral: bool) -> float:
    """How far apart the smallest and largest value of a hidden cell are, for a reader who knows the sums, the
    visible cells and the labels ("<5": 0 to 4 when its total is "<5", else 1 to 4; "x": at least 5 for counts,
    anything from 0 for sums)."""
    order = list(hidden)
    index = {key: i for i, key in enumerate(order)}
    rows, rhs = [], []
    for total, parts in sums:
        row, rest = np.zeros(len(order)), 0.0
        for key, sign in [(total, 1), *((p, -1) for p in parts)]:
            if key in index:
                row[index[key]] += sign
            else:
                rest += sign * values[key]
        if row.any():
            rows.append(row)
            rhs.append(-rest)
    zero_ok = {p for total, parts in sums if hidden.get(total) == "small" for p in parts}
    if integral:
        lower = [(0 if k in zero_ok else 1) if hidden[k] == "small" else K for k in order]
        upper = [K - 1 if hidden[k] == "small" else np.inf for k in order]
    else:
        lower, upper = [0.0] * len(order), [np.inf] * len(order)
    if not rows:
        return np.inf
    found = []
    for sign in (1, -1):
        cost = np.zeros(len(order))
        cost[index[cell]] = sign
        result = milp(cost, constraints=LinearConstraint(np.array(rows), rhs, rhs), bounds=Bounds(lower, upper),
                      integrality=np.ones(len(order)) if integral else None)
        if result.status == 3:  # unbounded: the cell can be anything
            return np.inf
        assert result.status == 0, "the published figures must be consistent"
        found.append(sign * result.fun)
    return found[1] - found[0]


def holding(sums, truth):
    return [(t, parts) for t, parts in sums
            if t in truth and all(p in truth for p in parts) and abs(truth[t] - sum(truth[p] for p in parts)) < 1e-9]


def assert_nothing_comes_back(published: Mapping[Hashable, figures.Cell], truth: Mapping[Hashable, float],
                              small: Mapping[Hashable, bool], sums, measure: str) -> int:
    """`published`: (period code, cell key) → the cell as the reader sees it; `truth`: the true values;
    `small`: whether a cell is about fewer than K people or requests. Returns how many small cells were tried."""
    values = {key: truth[key] for key in published}
    hidden = {key: ("small" if cell.state == figures.State.SMALL else "x") for key, cell in published.items()
              if cell.state in (figures.State.SMALL, figures.State.HIDDEN)}
    for key, cell in published.items():
        if cell.state == figures.State.SHOWN:
            assert cell.value is not None and abs(cell.value - truth[key]) < 0.051, (measure, key)
            assert not small[key], f"{measure} {key}: {truth[key]} is shown"
    sums = holding(sums, values)
    tried = 0
    integral = figures.MEASURE_KIND[measure] == "count"
    for key in hidden:
        if small[key] and truth[key] > 0:
            tried += 1
            spread = reader_range(values, hidden, sums, key, integral)
            assert spread >= 1 - 1e-6 if integral else spread > 1e-6, \
                f"{measure} {key}: {truth[key]} comes back by subtraction"
    return tried


# -- the figures of a year, its quarters and months -------------------------------------------------------------

REFERENCE = figures.Reference(
    wijken=(figures.WijkInfo("W1", "Een", "Noord", 1000), figures.WijkInfo("W2", "Twee", "Noord", 2000),
            figures.WijkInfo("W3", "Drie", "Zuid", 1500), figures.WijkInfo("W4", "Vier", "Zuid", 500),
            figures.WijkInfo("W5", "Vijf", "Oost", 800)),
    categories=(("groceries", "Boodschappen"), ("digital", "Digitaal"), ("paperwork", "Papieren"),
                ("company", "Gezelschap")),
    goals=((1, "Doel een"), (2, "Doel twee"), (3, "Doel drie")),
    category_goals={"groceries": (1,), "digital": (1,), "paperwork": (3,), "company": (3,)},
    volunteering_goals=(2,),
    partners=("Sociaal Wijkteam", "CJG", "Schuldhulpverlening", "Veilig Thuis"),
)


def random_year(seed: int) -> figures.Facts:
    rng = random.Random(seed)
    requests, handovers, activity = [], [], []
    for _ in range(rng.randint(40, 160)):
        created = datetime(YEAR, rng.randint(1, 12), rng.randint(1, 28), 10)
        status = rng.choice(["done", "done", "open", "expired", "expired", "cancelled", "handed_over"])
        matched = status == "done"
        responded = matched or (status != "handed_over" and rng.random() < 0.3)
        requests.append(figures.RequestFact(
            created_at=created, wijk=rng.choice(["W1", "W1", "W2", "W2", "W3", "W4", "W5"]),
            category=rng.choice(["groceries", "groceries", "digital", "paperwork", "company"]), status=status,
            first_response_at=created + timedelta(days=1) if responded else None,
            matched_at=created + timedelta(days=2) if matched else None,
            done_at=created + timedelta(days=3) if matched else None,
            hours=rng.choice([None, 1.0, 2.5, 4.0]) if matched else None, via_intake=rng.random() < 0.2))
    for _ in range(rng.randint(5, 30)):
        handovers.append(figures.HandoverFact(date(YEAR, rng.randint(1, 12), rng.randint(1, 28)),
                                              rng.choice(["W1", "W2", "W3", "W4", "W5"]),
                                              rng.choice(["groceries", "paperwork", "company"]),
                                              rng.choice(["Sociaal Wijkteam", "Sociaal Wijkteam", "CJG",
                                                          "Schuldhulpverlening", "Veilig Thuis"])))
    home = {volunteer: rng.choice(["W1", "W2", "W3", "W4", "W5", None]) for volunteer in range(1, 41)}
    for _ in range(rng.randint(10, 120)):
        volunteer = rng.randint(1, 40)
        activity.append(figures.ActivityFact(volunteer, datetime(YEAR, rng.randint(1, 12), rng.randint(1, 28)),
                                             home[volunteer], rng.choice(["groceries", "digital", "company"])))
    volunteers = tuple(figures.VolunteerFact(v, datetime(YEAR, rng.randint(1, 12), 5), home[v])
                       for v in range(1, 41) if rng.random() < 0.5)
    # Initiatives: mostly one wijk and one goal each, so their sums often hold and a reader may use them.
    initiatives, backings, support = [], [], []
    for i in range(rng.randint(5, 25)):
        wijken = tuple(rng.sample(["W1", "W2", "W3", "W4", "W5"], 1 if rng.random() < 0.85 else 2))
        goals = tuple(rng.sample([1, 2, 3], 1 if rng.random() < 0.85 else 2))
        days = tuple(sorted(date(YEAR, rng.randint(1, 12), rng.randint(1, 28)) for _ in range(rng.randint(0, 3))))
        initiatives.append(figures.InitiativeFact(i, datetime(YEAR - 1, 12, 1), wijken, goals, rng.random() < 0.3,
                                                  days))
        backings += [figures.InitiativeEvent(i, date(YEAR, rng.randint(1, 12), rng.randint(1, 28)))
                     for _ in range(rng.choice([0, 0, 1, 2, 3, 6]))]
        if rng.random() < 0.3:
            support.append(figures.InitiativeEvent(i, date(YEAR, rng.randint(1, 12), 3)))
    return figures.Facts(requests=tuple(requests), handovers=tuple(handovers), activity=tuple(activity),
                         volunteers=volunteers, initiatives=tuple(initiatives), backings=tuple(backings),
                         support=tuple(support))


def published_and_true(facts: figures.Facts, reports: Mapping[Period, figures.Report], measure: str):
    published: dict[Hashable, figures.Cell] = {}
    truth: dict[Hashable, float] = {}
    small: dict[Hashable, bool] = {}
    for period, report in reports.items():
        values, contributors, _lists = figures.aggregate(facts, REFERENCE, period)
        for row in [report.total, *(r for table in report.tables.values() for r in table.rows)]:
            cell = row.cells[measure]
            if cell.state == figures.State.NOT_APPLICABLE:
                continue
            key = (period.code, row.key)
            published[key] = cell
            truth[key] = float(values[measure].get(row.key, 0.0))
            counted = (contributors[measure].get(row.key, 0.0) if figures.MEASURE_KIND[measure] == "sum"
                       else truth[key])
            small[key] = 0 < counted < K
    return published, truth, small


@pytest.mark.parametrize("seed", range(3))
def test_no_subtraction_across_a_year_its_quarters_and_months_gives_a_small_number_back(seed):
    facts = random_year(seed)
    reports = figures.compute_year(facts, REFERENCE, year_of(date(YEAR, 1, 1)))
    assert set(reports) == set(every_period())
    sums = reader_sums(REFERENCE, every_period())
    tried = 0
    for measure in ADDITIVE:
        published, truth, small = published_and_true(facts, reports, measure)
        tried += assert_nothing_comes_back(published, truth, small, sums, measure)
    assert tried > 20  # there were small cells to attack


def test_the_quarter_the_city_asked_about_stays_hidden():
    """Indischewijk in 2026: 23 requests in the year, 5 in Q2, 10 in Q3, 5 in Q4: the 3 of Q1 must not come back as
    23 - 5 - 10 - 5."""
    plan = {1: 3, 4: 5, 7: 10, 10: 5}
    requests = []
    for month, count in plan.items():
        for i in range(count):
            day = datetime(YEAR, month + (i % 3 if count > 3 else 0), 2 + i, 10)
            requests.append(figures.RequestFact(day, "W1", "groceries", "open"))
    for i in range(40):  # the rest of the city: large numbers everywhere
        requests.append(figures.RequestFact(datetime(YEAR, i % 12 + 1, 10), f"W{2 + i % 4}", "company", "open"))
    facts = figures.Facts(requests=tuple(requests))
    reports = figures.compute_year(facts, REFERENCE, year_of(date(YEAR, 1, 1)))

    def cell(code: str) -> figures.Cell:
        report = reports[parse(code)]
        return next(r for r in report.tables["wijk"].rows if r.key == ("wijk", "W1")).cells["posted"]

    assert cell("2026-Q1").state == figures.State.SMALL
    assert not all(cell(code).shown for code in ("2026", "2026-Q2", "2026-Q3", "2026-Q4"))
    published, truth, small = published_and_true(facts, reports, "posted")
    assert assert_nothing_comes_back(published, truth, small, reader_sums(REFERENCE, every_period()), "posted")


def test_a_partners_quarters_do_not_give_its_hidden_quarter_away():
    """Schuldhulpverlening: 7 hand-overs in 2026, 2 in Q1 and 5 in Q3. The 2 of Q1 (and of its month) must not come back
    as the year minus Q3, nor by subtracting the other partners from the city; nor anywhere else."""
    handovers = [figures.HandoverFact(date(YEAR, 2, 3 + i), "W1", "paperwork", "Schuldhulpverlening")
                 for i in range(2)]
    handovers += [figures.HandoverFact(date(YEAR, 8, 3 + i), "W2", "paperwork", "Schuldhulpverlening")
                  for i in range(5)]
    for i in range(36):  # the other partners: large numbers all year
        handovers.append(figures.HandoverFact(date(YEAR, i % 12 + 1, 10 + i % 3), f"W{3 + i % 3}", "company",
                                              "Sociaal Wijkteam" if i % 2 else "CJG"))
    facts = figures.Facts(handovers=tuple(handovers))
    reports = figures.compute_year(facts, REFERENCE, year_of(date(YEAR, 1, 1)))

    def cell(code: str, partner: str = "Schuldhulpverlening") -> figures.Cell:
        return next(r for r in reports[parse(code)].tables["partner"].rows
                    if r.key == ("partner", partner)).cells["handovers"]

    assert cell("2026-Q1").state == figures.State.SMALL
    assert not (cell("2026").shown and cell("2026-Q3").shown)
    assert [r.key[1] for r in reports[parse("2026")].tables["partner"].rows] == list(REFERENCE.partners)
    assert figures.measures_for("partner") == ["handovers"]
    published, truth, small = published_and_true(facts, reports, "handovers")
    assert ("2026-Q1", ("partner", "Schuldhulpverlening")) in published
    assert assert_nothing_comes_back(published, truth, small, reader_sums(REFERENCE, every_period()), "handovers")


# -- the same through the exports -----------------------------------------------------------------------------------

@pytest.fixture
def year_history(make):
    """Requests all through 2026 in a few wijken, some small per quarter or month, one an intake; a quarter of them
    handed over to three partners."""
    resident_by_wijk = {code: make.user("resident", wijk_code=code)
                        for code in ("WK039218", "WK039219", "WK039220", "WK039202", "WK039201")}
    plan = {"WK039218": [2, 5, 9, 5], "WK039219": [6, 1, 7, 3], "WK039220": [3, 0, 0, 1],
            "WK039202": [8, 8, 2, 6], "WK039201": [0, 4, 6, 6]}
    n = 0
    handovers = []
    for code, per_quarter in plan.items():
        for quarter, count in enumerate(per_quarter):
            for i in range(count):
                n += 1
                item = make.request(resident_by_wijk[code], title=f"Verzoek {n}",
                                    category_key="groceries" if n % 3 else "digital")
                make.set_request(item, created_at=datetime(YEAR, quarter * 3 + 1 + i % 3, 2 + i, 10))
                if n % 4 == 0:  # a hand-over to a partner in the same month: 2 + 4 + 6 over the year per partner
                    handovers.append((item, datetime(YEAR, quarter * 3 + 1 + i % 3, 2 + i).date(),
                                      ("Sociaal Wijkteam", "Schuldhulpverlening", "CJG (Centrum voor Jeugd en Gezin)",
                                       "Sociaal Wijkteam")[n // 4 % 4]))
    make.run(lambda: _hand_over(handovers))


def _hand_over(handovers) -> None:
    from webapp.core.extensions import db
    from webapp.staff.models import Handover

    for item, on, partner in handovers:
        db.session.add(Handover(request_id=item.id, partner=partner, handed_over_on=on))
    db.session.commit()


def read_export(client, period: Period, by: str, file_format: str) -> dict[str, list]:
    response = client.get(f"/rapportage/export.{file_format}?period={period.code}&by={by}")
    assert response.status_code == 200, (period.code, by, file_format)
    if file_format == "csv":
        rows = rows_of_csv(response.get_data(as_text=True))
    else:
        sheet = load_workbook(io.BytesIO(response.get_data())).active
        rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header = rows[0]
    out = {}
    for row in rows[1:]:
        if not row or row[0] in (None, "") or len(row) < len(header):
            if out:
                break
            continue
        out[str(row[0])] = dict(zip(header[1:], row[1:], strict=False))
    return out


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_exports_of_every_period_and_dimension_give_nothing_away(make, login, year_history, app, file_format):
    """Every export a reader can download for 2026 (17 periods x 5 dimensions): the cells read back from the files
    are exactly the suppressed figures, and the reader's subtractions over all of them find no small number."""
    from webapp.reports import services

    client = login(make.user("staff", locale="en").email, lang="en")
    with app.app_context():
        reference = services.with_partners(services.load_reference("en"))
        facts = services.load_facts(date(YEAR, 1, 1), date(YEAR + 1, 1, 1))
    names = {w.code: w.name for w in reference.wijken}
    names |= {key: name for key, name in reference.categories} | {str(g): name for g, name in reference.goals}
    by_label = {}
    for dimension, keys in figures.all_keys(reference).items():
        for key in keys:
            label = names.get(str(key[1]), str(key[1]))
            by_label[(dimension, label)] = key
    sums = reader_sums(reference, every_period())
    tried = 0
    files = {(p, by): read_export(client, p, by, file_format) for p in every_period() for by in figures.DIMENSIONS}
    measure_names = None
    for measure in ADDITIVE:
        published: dict[Hashable, figures.Cell] = {}
        truth: dict[Hashable, float] = {}
        small: dict[Hashable, bool] = {}
        for (period, by), rows in files.items():
            values, contributors, _lists = figures.aggregate(facts, reference, period)
            header = next(iter(rows.values()))
            if measure_names is None:
                measure_names = list(header)
            column = figures_column(measure, header)
            if column is None:
                continue
            for label, row in rows.items():
                key = by_label.get((by, label), figures.TOTAL)
                raw = row[column]
                cell = (figures.Cell(None, figures.State.SMALL) if str(raw).startswith("<")
                        else figures.Cell(None, figures.State.HIDDEN) if raw == "x"
                        else figures.Cell(None, figures.State.EMPTY) if raw in ("", None)
                        else figures.Cell(float(str(raw).replace(",", "."))))
                cell_key = (period.code, key)
                if cell_key in published and published[cell_key].state != cell.state:
                    raise AssertionError(f"{measure} {cell_key} differs between exports")
                published[cell_key] = cell
                truth[cell_key] = float(values[measure].get(key, 0.0))
                counted = (contributors[measure].get(key, 0.0) if figures.MEASURE_KIND[measure] == "sum"
                           else truth[cell_key])
                small[cell_key] = 0 < counted < K
        tried += assert_nothing_comes_back(published, truth, small, sums, measure)
    assert tried > 5


def figures_column(measure: str, header: Mapping[str, object]) -> str | None:
    from webapp.reports.forms import MEASURE_LABELS

    label = str(MEASURE_LABELS.get(measure, measure))
    return label if label in header else None


# -- the same through the year and its quarters side by side --------------------------------------------------------

def read_year_export(client, file_format: str) -> dict[str, list[list]]:
    """Dimension → rows of /rapportage/jaar.<format>?year=2026 (XLSX: one sheet per dimension; CSV: one per file)."""
    out: dict[str, list[list]] = {}
    if file_format == "xlsx":
        response = client.get(f"/rapportage/jaar.xlsx?year={YEAR}")
        assert response.status_code == 200
        book = load_workbook(io.BytesIO(response.get_data()))
        from webapp.reports.documents import YEAR_DIMENSIONS

        for dimension, sheet in zip(YEAR_DIMENSIONS, book.worksheets, strict=False):
            out[dimension] = [[c.value for c in row] for row in sheet.iter_rows()]
        assert set(out) == set(figures.DIMENSIONS)
    else:
        for dimension in figures.DIMENSIONS:
            response = client.get(f"/rapportage/jaar.csv?year={YEAR}&by={dimension}")
            assert response.status_code == 200
            out[dimension] = rows_of_csv(response.get_data(as_text=True))
    return out


@pytest.mark.slow
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_year_and_its_quarters_side_by_side_give_nothing_away(make, login, year_history, app, file_format):
    """The side-by-side layout (the year, Q1 to Q4 and the year before in one row, per district, wijk, kind of help
    and goal): the reader's subtractions over every column and every row find no small number, the cells are the
    per-period reports' cells, and a change is printed only between two shown figures."""
    from webapp.reports import services, snapshots
    from webapp.reports.forms import MEASURE_LABELS

    client = login(make.user("staff", locale="en").email, lang="en")
    year = year_of(date(YEAR, 1, 1))
    columns = [year, *(quarter_of(date(YEAR, m, 1)) for m in (1, 4, 7, 10)), year_of(date(YEAR - 1, 1, 1))]
    files = read_year_export(client, file_format)
    with app.app_context():
        reference = services.with_partners(services.load_reference("en"))
        facts = services.load_facts(date(YEAR - 1, 1, 1), date(YEAR + 1, 1, 1))
        found = snapshots.reports(columns, reference, max_age=timedelta(days=1))  # what the export was made from
        stored = {period: found[period].report for period in columns}
    names = {w.code: w.name for w in reference.wijken}
    names |= {key: name for key, name in reference.categories} | {str(g): name for g, name in reference.goals}
    by_label = {(dim, names.get(str(key[1]), str(key[1]))): key
                for dim, keys in figures.all_keys(reference).items() for key in keys}
    measure_of = {str(MEASURE_LABELS[m]): m for m in ADDITIVE}
    published: dict[str, dict[Hashable, figures.Cell]] = {m: {} for m in ADDITIVE}
    for dimension, rows in files.items():
        for row in rows[1:]:
            if not row or len(row) < 9 or row[1] not in measure_of:
                continue
            measure = measure_of[row[1]]
            key = by_label.get((dimension, row[0]), figures.TOTAL)
            cells = []
            for period, raw in zip(columns, row[2:8], strict=True):
                cell = (figures.Cell(None, figures.State.SMALL) if str(raw).startswith("<")
                        else figures.Cell(None, figures.State.HIDDEN) if raw == "x"
                        else figures.Cell(None, figures.State.EMPTY) if raw in ("", None)
                        else figures.Cell(float(str(raw).replace(",", "."))))
                report_row = (stored[period].total if key == figures.TOTAL else
                              next(r for r in stored[period].tables[dimension].rows if r.key == key))
                assert cell.state == report_row.cells[measure].state, (period.code, key, measure)
                published[measure][(period.code, key)] = cell
                cells.append(cell)
            if row[8] not in ("", None):
                assert cells[0].shown and cells[5].shown, (key, measure, "a change next to a hidden figure")
    sums = reader_sums(reference, columns)
    tried = 0
    for measure in ADDITIVE:
        truth, small = {}, {}
        for period in columns:
            values, contributors, _lists = figures.aggregate(facts, reference, period)
            for (code, key) in published[measure]:
                if code != period.code:
                    continue
                truth[(code, key)] = float(values[measure].get(key, 0.0))
                counted = (contributors[measure].get(key, 0.0) if figures.MEASURE_KIND[measure] == "sum"
                           else truth[(code, key)])
                small[(code, key)] = 0 < counted < K
        tried += assert_nothing_comes_back(published[measure], truth, small, sums, measure)
    assert tried > 5
