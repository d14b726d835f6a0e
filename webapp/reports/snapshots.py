"""Stored reports: every worker reads a period's figures from the database while they are fresh, instead of
computing them again (a year at 100x data takes seconds). `flask reports refresh` keeps the periods staff open most
fresh; a period nobody stored yet, or whose figures are stale, is computed on the spot and stored.

Only aggregates are stored: counts, sums, medians and which cells are hidden. Never a name, address, e-mail or
phone; the names of wijken, kinds of help and goals are put in when the figures are read, in the reader's language.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from webapp.core.database import conflict_insert
from webapp.core.extensions import db
from webapp.core.ids import utcnow
from webapp.reports import figures, services
from webapp.reports.models import ReportSnapshot
from webapp.reports.periods import Period, year_of
from webapp.reports.suppression import DEFAULT_MIN_CELL

FORMAT = 4  # raise when the figures change meaning or shape: stored reports of another format are computed again


@dataclass(frozen=True)
class Stored:
    report: figures.Report
    computed_at: datetime


# -- to and from JSON (no pickle: the database holds plain data) -----------------------------------------------------

def _period(period: Period) -> list[str]:
    return [period.start.isoformat(), period.end.isoformat(), period.kind]


def _read_period(data: Sequence[str]) -> Period:
    return Period(date.fromisoformat(data[0]), date.fromisoformat(data[1]), data[2])


def _cells(cells: Mapping[str, figures.Cell]) -> dict[str, list[Any]]:
    return {measure: [cell.value, cell.state] for measure, cell in cells.items()}


def _read_cells(data: Mapping[str, Sequence[Any]]) -> dict[str, figures.Cell]:
    return {measure: figures.Cell(value, state) for measure, (value, state) in data.items()}


def _row(row: figures.Row) -> dict[str, Any]:
    return {"key": list(row.key), "inhabitants": row.inhabitants, "cells": _cells(row.cells)}


def _read_row(data: Mapping[str, Any], names: Mapping[figures.CellKey, str]) -> figures.Row:
    key = tuple(data["key"])
    return figures.Row(key, names.get(key, str(key[-1])), data["inhabitants"], _read_cells(data["cells"]))


def encode(report: figures.Report) -> str:
    """The report as JSON, without the names of its rows (they depend on the reader's language)."""
    return json.dumps({
        "format": FORMAT,
        "period": _period(report.period),
        "min_cell": report.min_cell,
        "tables": {dim: {"rows": [_row(r) for r in table.rows], "total": _row(table.total)}
                   for dim, table in report.tables.items()},
        "total": _row(report.total),
        "trend": [{"month": _period(point.month), "cells": _cells(point.cells)} for point in report.trend],
        "vulnerable_categories": list(report.vulnerable_categories),
    }, separators=(",", ":"))


def decode(text: str, names: Mapping[figures.CellKey, str]) -> figures.Report | None:
    """The report stored by `encode`, with row names from `names`; None when it was stored in another format."""
    data = json.loads(text)
    if data.get("format") != FORMAT:
        return None
    return figures.Report(
        period=_read_period(data["period"]),
        min_cell=int(data["min_cell"]),
        tables={dim: figures.Table(dim, tuple(_read_row(r, names) for r in table["rows"]),
                                   _read_row(table["total"], names))
                for dim, table in data["tables"].items()},
        total=_read_row(data["total"], names),
        trend=tuple(figures.TrendPoint(_read_period(p["month"]), _read_cells(p["cells"])) for p in data["trend"]),
        vulnerable_categories=tuple(data["vulnerable_categories"]),
    )


# -- in the database -----------------------------------------------------------------------------------------------

def store(report: figures.Report, computed_at: datetime) -> None:
    """Insert or replace the period's snapshot in one statement, so that two workers storing the same period at
    once do not fail on the key (SQLite and PostgreSQL both know ON CONFLICT). The newer figures win."""
    table = ReportSnapshot.__table__
    insert = conflict_insert(table, db.session.get_bind()).values(period=report.period.code, min_cell=report.min_cell,
                                          kind=report.period.kind, figures=encode(report), computed_at=computed_at)
    db.session.execute(insert.on_conflict_do_update(
        index_elements=[table.c.period, table.c.min_cell],
        set_={"kind": insert.excluded.kind, "figures": insert.excluded.figures,
              "computed_at": insert.excluded.computed_at},
        where=table.c.computed_at <= insert.excluded.computed_at,
    ))


def compute_and_store(periods: Iterable[Period], reference: figures.Reference, *,
                      min_cell: int) -> dict[Period, Stored]:
    """Compute the periods now (one read of the facts for all of them) and store them, with every other period of
    their calendar years: a year, its quarters and its months are suppressed together and always stored together,
    so what one worker reads next to another comes from the same computation."""
    wanted = list(dict.fromkeys(periods))
    if not wanted:
        return {}
    now = utcnow()
    years = {p.start.year for p in wanted}
    every = list(dict.fromkeys([*wanted, *(p for y in sorted(years)
                                           for p in figures.year_periods(year_of(date(y, 1, 1))))]))
    reports = services.compute_reports(every, reference, min_cell=min_cell)
    for report in reports.values():
        store(report, now)
    return {period: Stored(reports[period], now) for period in wanted}


def reports(periods: Sequence[Period], reference: figures.Reference, *, min_cell: int = DEFAULT_MIN_CELL,
            max_age: timedelta, now: datetime | None = None) -> dict[Period, Stored]:
    """Each period's report: from the snapshots when those of its calendar year are younger than `max_age` and all
    come from one computation; the other years are computed together, stored and returned. The caller commits."""
    now = now or utcnow()
    names = services.labels(reference)
    wanted = list(dict.fromkeys(periods))
    found: dict[Period, Stored] = {}
    if max_age > timedelta(0):
        rows = db.session.execute(
            select(ReportSnapshot.period, ReportSnapshot.figures, ReportSnapshot.computed_at).where(
                ReportSnapshot.period.in_([p.code for p in wanted]), ReportSnapshot.min_cell == min_cell,
                ReportSnapshot.computed_at > now - max_age)
        ).all()
        by_code = {p.code: p for p in wanted}
        for code, text, computed_at in rows:
            report = decode(text, names)
            if report is not None and report.period == by_code[code]:
                found[by_code[code]] = Stored(report, computed_at)
    for year in {p.start.year for p in wanted}:  # one computation per calendar year, or none of it is used
        of_year = [p for p in wanted if p.start.year == year]
        if len({found[p].computed_at if p in found else None for p in of_year}) != 1:
            for p in of_year:
                found.pop(p, None)
    missing = [p for p in wanted if p not in found]
    return found | compute_and_store(missing, reference, min_cell=min_cell)


def dashboard(period: Period, baseline: Period | None = None, *, min_cell: int = DEFAULT_MIN_CELL,
              locale: str = "nl", max_age: timedelta) -> services.Dashboard:
    """The dashboard's three reports, from snapshots where they are fresh; `computed_at` is the oldest."""
    reference = services.load_reference(locale)
    periods = services.dashboard_periods(period, baseline)
    found = reports(periods, reference, min_cell=min_cell, max_age=max_age)
    current, before, base = (found[p].report for p in periods)
    return services.Dashboard(current, before, base, reference, computed_at=min(found[p].computed_at for p in periods))


def refresh(periods: Sequence[Period], *, min_cell: int = DEFAULT_MIN_CELL,
            unless_younger_than: timedelta = timedelta(0)) -> dict[Period, Stored]:
    """Compute and store the periods now, except those computed less than `unless_younger_than` ago (so that a
    button pressed twice, or by two people at once, computes once). The caller commits."""
    reference = services.load_reference("nl")
    if unless_younger_than > timedelta(0):
        return reports(periods, reference, min_cell=min_cell, max_age=unless_younger_than)
    return compute_and_store(periods, reference, min_cell=min_cell)
