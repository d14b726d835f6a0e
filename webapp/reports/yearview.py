"""A year and its quarters side by side, for a council memo: per wijk, district, kind of help or goal, one row per
group and measure with the year, Q1 to Q4, the year before and the change since, as a table for CSV and XLSX.

Every cell is taken from the stored reports (figures.compute_year), where a year, its quarters and its months are
suppressed together: the cells side by side are the cells the dashboard and the per-period exports show, so putting
them next to each other (the year minus three quarters) gives nothing away. A change is printed only where both
years are shown; a rate per 1,000 inhabitants is given for whole years only, and says "per year".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from webapp.reports import figures
from webapp.reports.exports import Value
from webapp.reports.periods import Period, period_of, year_of


def quarters(year: Period) -> list[Period]:
    return [period_of("quarter", date(year.start.year, month, 1)) for month in (1, 4, 7, 10)]


def periods_of(year: Period) -> list[Period]:
    """What the side-by-side table reads: the year, its quarters and the year before."""
    return [year, *quarters(year), year_of(date(year.start.year - 1, 1, 1))]


@dataclass(frozen=True)
class Headers:
    group: str
    measure: str
    periods: Sequence[str]  # the year, Q1..Q4 (with a flag when not whole), the year before
    change: str


def cell_value(cell: figures.Cell, measure: str, min_cell: int) -> Value:
    """A number where the cell is shown, "<5" / "x" where it is hidden, "" where there is nothing to compute."""
    if cell.state == figures.State.SHOWN and cell.value is not None:
        return int(cell.value) if figures.MEASURE_KIND[measure] == "count" else float(cell.value)
    return cell.text(figures.MEASURE_KIND[measure], min_cell)


def table(reports: Mapping[Period, figures.Report], year: Period, dimension: str, headers: Headers,
          measure_label: Callable[[str], str], total_label: str) -> list[list[Value]]:
    """Header and rows: for each group (and the city), one row per measure."""
    current = reports[year]
    before = reports[year_of(date(year.start.year - 1, 1, 1))]
    parts = [reports[q] for q in quarters(year)]
    rows: list[list[Value]] = [[headers.group, headers.measure, *headers.periods, headers.change]]
    data = current.tables[dimension]
    earlier = before.tables[dimension]
    def same_row(table: figures.Table, row: figures.Row) -> figures.Row:
        """The row of `table` with the key of `row` (a partner added since the year before has none: empty)."""
        if row is data.total:
            return table.total
        found = next((r for r in table.rows if r.key == row.key), None)
        return found or figures.Row(row.key, row.label, row.inhabitants,
                                    {m: figures.Cell(None, figures.State.EMPTY) for m in row.cells})

    for row, label in [*((r, r.label) for r in data.rows), (data.total, total_label)]:
        row_before = same_row(earlier, row)
        quarter_rows = [same_row(p.tables[dimension], row) for p in parts]
        for measure in figures.measures_for(dimension):
            per_year_only = figures.MEASURE_KIND[measure] == "per_1000"
            line: list[Value] = [label, measure_label(measure), cell_value(row.cells[measure], measure,
                                                                            current.min_cell)]
            for q in quarter_rows:
                line.append("" if per_year_only else cell_value(q.cells[measure], measure, current.min_cell))
            line.append(cell_value(row_before.cells[measure], measure, current.min_cell))
            change = figures.change(row.cells[measure], row_before.cells[measure])
            line.append("" if change is None else change)
            rows.append(line)
    return rows
