"""The impact dashboard (/rapportage) and its exports, for staff."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from werkzeug.wrappers import Response as WerkzeugResponse

from webapp.budgets import reporting as budget_reporting
from webapp.core.access import figures_required
from webapp.core.audit import Action, log_action
from webapp.core.extensions import db
from webapp.core.numbers import format_decimal
from webapp.core.reference.labels import locale_code
from webapp.reports import charts, figures, pdfreport, services, snapshots, svgmap
from webapp.reports.documents import (
    FORMATS,
    as_of,
    export_file,
    incomplete_notice,
    min_cell,
    new_measure_notes,
    period_label,
    snapshot_age,
    vulnerable_names,
    year_file,
)
from webapp.reports.forms import DIMENSION_LABELS, KIND_LABELS, MAP_MEASURES, MEASURE_LABELS, DashboardForm
from webapp.reports.periods import KINDS, Period, PeriodError, parse, period_of, previous

bp = Blueprint("reports", __name__, url_prefix="/rapportage")


# A refresh does not compute figures again that are younger than this: a button pressed twice, or by two people at
# once, costs one computation.
REFRESH_GRACE = timedelta(minutes=1)


def cell_text(cell: figures.Cell, measure: str) -> str:
    """A figure as the dashboard prints it, in the reader's language (the PDF prints the same)."""
    return pdfreport.figure(cell, measure, min_cell(), nothing="—")


@bp.app_template_filter("report_cell")
def _report_cell(cell: figures.Cell, measure: str) -> str:
    return cell_text(cell, measure)


@bp.app_template_filter("report_change")
def _report_change(change: float) -> str:
    """"+48,2%" in Dutch, "+48.2%" in English."""
    return str(format_decimal(change, "+#,##0.0;-#,##0.0")) + "%"


def _choices(today: date) -> dict[str, list[Period]]:
    out: dict[str, list[Period]] = {}
    for kind, count in (("month", 18), ("quarter", 8), ("year", 4)):
        current = period_of(kind, today)
        items = [current]
        for _i in range(count - 1):
            items.append(previous(items[-1]))
        out[kind] = items
    return out


def _read(form: DashboardForm, today: date) -> tuple[Period, Period | None, list[str]]:
    problems = []
    kind = form.kind.data if form.kind.data in KINDS else "quarter"
    period = period_of(kind, today)
    if form.period.data:
        try:
            period = parse(form.period.data)
        except PeriodError:
            problems.append(_("“%(value)s” is not a period. Use for example 2026-03, 2026-Q1 or 2026.",
                              value=form.period.data))
    baseline = None
    if form.baseline.data:
        try:
            baseline = parse(form.baseline.data)
        except PeriodError:
            problems.append(_("“%(value)s” is not a period. Use for example 2026-03, 2026-Q1 or 2026.",
                              value=form.baseline.data))
    return period, baseline, problems


def _map(report: figures.Report, measure: str) -> tuple[Markup, list[tuple[Markup, str]]]:
    values: dict[str, float | None] = {}
    titles: dict[str, str] = {}
    for row in report.tables["wijk"].rows:
        code = str(row.key[1])
        cell = row.cells[measure]
        titles[code] = f"{row.label}: {cell_text(cell, measure)}"
        if cell.state in (figures.State.SMALL, figures.State.HIDDEN):
            values[code] = None
        elif cell.value is not None:
            values[code] = cell.value
    label = str(MEASURE_LABELS[measure])
    svg, scale = svgmap.draw(values, titles, title=_("Map of Haarlem: %(measure)s per wijk", measure=label),
                             description=_("The table next to the map gives the same figures."))
    legend = [(Markup(svgmap.swatch(b.colour)),  # noqa: S704 - built from numbers and fixed colours only
               cell_text(figures.Cell(b.low), measure) + (
                   "" if b.low == b.high else " – " + cell_text(figures.Cell(b.high), measure)))
              for b in scale]
    legend.append((Markup(svgmap.swatch(svgmap.HIDDEN_FILL)),  # noqa: S704
                   _("Hidden: fewer than %(num)d", num=min_cell())))
    return Markup(svg), legend  # noqa: S704 - names and numbers are escaped in svgmap.draw


def _trend(report: figures.Report) -> Markup:
    series = [str(MEASURE_LABELS["posted"]), str(MEASURE_LABELS["matched"])]
    groups = [
        charts.Group(str(format_date(point.month.start, "MMM yy")), tuple(
            charts.Bar(point.cells[m].value if point.cells[m].shown else None, cell_text(point.cells[m], m))
            for m in ("posted", "matched")))
        for point in report.trend
    ]
    return Markup(charts.bars(  # noqa: S704 - labels and numbers are escaped in charts.bars
        groups, title=_("Requests posted and matched per month"),
        description=_("Twelve months up to the end of the chosen period. The table below gives the same figures."),
        series=series))


@bp.get("/")
@figures_required
def dashboard() -> str:
    form = DashboardForm(formdata=request.args)
    today = date.today()
    period, baseline, problems = _read(form, today)
    by = form.by.data if form.by.data in figures.DIMENSIONS else "stadsdeel"
    measure = form.measure.data if form.measure.data in MAP_MEASURES else "posted_per_1000"
    board = snapshots.dashboard(period, baseline, min_cell=min_cell(), locale=locale_code(), max_age=snapshot_age())
    db.session.commit()  # the figures computed now are stored for the next reader
    map_svg, legend = _map(board.current, measure)
    return render_template(
        "reports/dashboard.html", form=form, board=board, as_of=as_of(board.computed_at), by=by, map_measure=measure,
        map_svg=map_svg, legend=legend, trend_svg=_trend(board.current), problems=problems, choices=_choices(today),
        measures=[m for m, _k in figures.MEASURES], measure_labels=MEASURE_LABELS,
        dimension_labels=DIMENSION_LABELS, kind_labels=KIND_LABELS, change=figures.change, period_label=period_label,
        min_cell=min_cell(), geo=figures.GEO, measures_for=figures.measures_for,
        pdf_in_english=pdfreport.pdf_language(locale_code()) != locale_code(), made_on=today,
        measure_notes=new_measure_notes(vulnerable_names(board.current, board.reference)),
        funded=budget_reporting.funded(period.start, period.last_day, min_cell=min_cell()),
        incomplete=[notice for p in dict.fromkeys((board.current.period, board.previous.period,
                                                   board.baseline.period))
                    if (notice := incomplete_notice(p, today, services.first_day())) is not None],
    )


@bp.get("/export.<file_format>")
@figures_required
def export(file_format: str) -> Response | tuple[str, int]:
    if file_format not in FORMATS:
        return render_template("errors/error.html", code=404, reason=None), 404
    form = DashboardForm(formdata=request.args)
    period, _baseline, problems = _read(form, date.today())
    if problems:
        return render_template("errors/error.html", code=400, reason=None), 400
    by = form.by.data if form.by.data in figures.DIMENSIONS else "stadsdeel"
    content, mimetype, name = export_file(period, by, file_format, locale=locale_code())
    log_action(current_user, Action.EXPORT, "report", period.code, by=by, format=file_format)
    db.session.commit()
    response = Response(content, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response



@bp.get("/jaar.<file_format>")
@figures_required
def year_export(file_format: str) -> Response | tuple[str, int]:
    """A year and its quarters side by side (CSV per dimension, or XLSX with every dimension, the map and a chart)."""
    if file_format not in ("csv", "xlsx"):
        return render_template("errors/error.html", code=404, reason=None), 404
    code = (request.args.get("year") or str(date.today().year)).strip()[:10]
    try:
        year = parse(code)
    except PeriodError:
        year = None
    if year is None or year.kind != "year":
        return render_template("errors/error.html", code=400, reason=None), 400
    form = DashboardForm(formdata=request.args)
    by = form.by.data if form.by.data in figures.DIMENSIONS else "wijk"
    content, mimetype, name = year_file(year, by, file_format, locale=locale_code())
    log_action(current_user, Action.EXPORT, "report", year.code, by=by, format=file_format, layout="quarters")
    db.session.commit()
    response = Response(content, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.post("/ververs")
@figures_required
def refresh() -> WerkzeugResponse:
    """Compute the chosen dashboard's figures now (unless they are less than a minute old) and show it again."""
    form = DashboardForm()  # the dashboard's choices, posted back by the button
    period, baseline, problems = _read(form, date.today())
    if not problems:
        snapshots.refresh(services.dashboard_periods(period, baseline), min_cell=min_cell(),
                          unless_younger_than=REFRESH_GRACE)
        db.session.commit()
        flash(_("The figures have been computed again."), "success")
    arguments = {field.name: value for field in (form.kind, form.period, form.baseline, form.by, form.measure)
                 if field.raw_data and 0 < len(value := str(field.raw_data[0]).strip()) <= 40}  # as posted
    return redirect(url_for("reports.dashboard", **arguments))  # type: ignore[arg-type]
