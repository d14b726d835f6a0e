"""The report's figures as CSV and XLSX: the same suppressed cells as the dashboard, never personal data."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping, Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from webapp.reports.figures import MEASURE_KIND, Report, State, measures_for

Value = str | int | float


def table(report: Report, dimension: str, measure_labels: Mapping[str, str], dimension_label: str,
          total_label: str) -> list[list[Value]]:
    """Header and rows: one row per group and a total row. Hidden cells are text ("<5", "x")."""
    measures = measures_for(dimension)
    header: list[Value] = [dimension_label, *(measure_labels.get(m, m) for m in measures)]
    rows: list[list[Value]] = [header]
    data = report.tables[dimension]
    for row, label in [*((r, r.label) for r in data.rows), (data.total, total_label)]:
        line: list[Value] = [label]
        for measure in measures:
            cell = row.cells[measure]
            if cell.state == State.SHOWN and cell.value is not None:
                kind = MEASURE_KIND[measure]
                line.append(int(cell.value) if kind == "count" else float(cell.value))
            else:
                line.append(cell.text(MEASURE_KIND[measure], report.min_cell))
        rows.append(line)
    return rows


def _safe(value: Value) -> Value:
    """No cell may start a formula in a spreadsheet."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@") and value not in ("-",):
        return "'" + value
    return value


def _decimal(value: Value, decimal: str) -> Value:
    if isinstance(value, float) and decimal != ".":
        return repr(value).replace(".", decimal)
    return value


def to_csv(rows: Sequence[Sequence[Value]], notes: Sequence[str] = (), *, delimiter: str = ",",
           decimal: str = ".") -> str:
    """`delimiter` ";" and `decimal` "," make a CSV that Excel in Dutch opens in columns with its own numbers."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow([_safe(_decimal(v, decimal)) for v in row])
    if notes:
        writer.writerow([])
        for note in notes:
            writer.writerow([_safe(note)])
    return buffer.getvalue()


def to_xlsx(rows: Sequence[Sequence[Value]], sheet_title: str, notes: Sequence[str] = (),
            extra: Callable[[Workbook], None] | None = None) -> bytes:
    """One sheet of figures with its notes; `extra` adds sheets (the map, charts) after it."""
    return to_xlsx_sheets([(sheet_title, rows, notes)], extra)


def to_xlsx_sheets(sheets: Sequence[tuple[str, Sequence[Sequence[Value]], Sequence[str]]],
                   extra: Callable[[Workbook], None] | None = None) -> bytes:
    """A workbook with one sheet per (title, rows, notes), then what `extra` adds."""
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    workbook.remove(first)
    for sheet_title, rows, notes in sheets:
        _fill(workbook.create_sheet(sheet_title[:31] or "Samen"), rows, notes)
    if extra is not None:
        extra(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _fill(sheet: Worksheet, rows: Sequence[Sequence[Value]], notes: Sequence[str]) -> None:
    for row in rows:
        sheet.append([_safe(v) for v in row])
    for cell in sheet[1]:  # column names: bold, wrapped, and kept in view while scrolling
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "B2"
    for column in range(2, len(rows[0]) + 1 if rows else 2):
        sheet.column_dimensions[get_column_letter(column)].width = 16
    last = sheet.max_row
    for cell in sheet[last]:
        cell.font = Font(bold=True)
    if notes:
        sheet.append([])
        for note in notes:
            sheet.append([_safe(note)])
    sheet.column_dimensions["A"].width = 32
