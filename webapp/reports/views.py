"""The impact dashboard (/rapportage) and its exports, for staff."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import Blueprint, Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_date, format_datetime, format_decimal
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from werkzeug.wrappers import Response as WerkzeugResponse

from webapp.extensions import db
from webapp.ids import utcnow
from webapp.reference.labels import locale_code
from webapp.reports import charts, exports, figures, services, snapshots, svgmap
from webapp.reports.forms import DIMENSION_LABELS, KIND_LABELS, MAP_MEASURES, MEASURE_LABELS, DashboardForm
from webapp.reports.periods import KINDS, Period, PeriodError, parse, period_of, previous
from webapp.reports.suppression import DEFAULT_MIN_CELL
from webapp.staff.access import staff_required
from webapp.staff.audit import Action, log_action

bp = Blueprint("reports", __name__, url_prefix="/rapportage")


def min_cell() -> int:
    return int(current_app.config.get("REPORT_MIN_CELL", DEFAULT_MIN_CELL))


def snapshot_age() -> timedelta:
    """How long stored figures are served before they are computed again (REPORT_SNAPSHOT_MINUTES)."""
    return timedelta(minutes=float(current_app.config.get("REPORT_SNAPSHOT_MINUTES", 10)))


# A refresh does not compute figures again that are younger than this: a button pressed twice, or by two people at
# once, costs one computation.
REFRESH_GRACE = timedelta(minutes=1)


def as_of(moment: datetime | None) -> str:
    """"Figures as of 23 Nov 2026 04:40", in the reader's language and the city's time zone."""
    return _("Figures as of %(moment)s", moment=format_datetime(moment or utcnow(), "d MMM y HH:mm"))


def cell_text(cell: figures.Cell, measure: str) -> str:
    """A figure as the dashboard prints it, in the reader's language."""
    if cell.state == figures.State.SMALL:
        return f"<{min_cell()}"
    if cell.state == figures.State.HIDDEN:
        return "x"
    if cell.value is None:
        return "—"
    kind = figures.MEASURE_KIND[measure]
    if kind == "count":
        return str(format_decimal(int(cell.value)))
    if kind == "per_1000":
        return str(format_decimal(cell.value, format="#,##0.00"))
    return str(format_decimal(cell.value, format="#,##0.0"))


@bp.app_template_filter("report_cell")
def _report_cell(cell: figures.Cell, measure: str) -> str:
    return cell_text(cell, measure)


@bp.app_template_filter("report_change")
def _report_change(change: float) -> str:
    """"+48,2%" in Dutch, "+48.2%" in English."""
    return str(format_decimal(change, format="+#,##0.0;-#,##0.0")) + "%"


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


def period_label(period: Period) -> str:
    if period.kind == "month":
        return str(format_date(period.start, "MMMM y"))
    if period.kind == "quarter":
        return _("Quarter %(num)d of %(year)d", num=(period.start.month - 1) // 3 + 1, year=period.start.year)
    if period.kind == "year":
        return str(period.start.year)
    return _("%(start)s to %(end)s", start=format_date(period.start), end=format_date(period.last_day))


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
@staff_required
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
    )


def export_notes(period: Period, by: str, computed_at: datetime | None = None) -> list[str]:
    """What a reader of the file needs to use it as it is: the period with its dates, what the signs mean, how
    each figure is made. The same words as under the dashboard."""
    notes = [
        _("Samen impact report, %(period)s.", period=period_label(period)),
        as_of(computed_at) + ".",
        _("Period: %(start)s to %(end)s (both included). Made on %(today)s; what happened to the period's requests "
          "since then counts up to that day.", start=format_date(period.start, "long"),
          end=format_date(period.last_day, "long"),
          today=format_date(computed_at or utcnow(), "long")),
        _("Only counts: no names, addresses or other personal data."),
        _("“<%(num)d”: between 1 and %(max)d, hidden for privacy. “x”: hidden, because it is about fewer than "
          "%(num)d people or because a small number could be worked out from it.", num=min_cell(), max=min_cell() - 1),
        _("When a total is below %(num)d, all its parts show “<%(num)d”, also those that are 0.", num=min_cell()),
        _("An empty cell: nothing to compute (for example a median when no request got a response)."),
        _("Requests posted: placed in the period. Matched, done and still unanswered: what happened to those "
          "requests since."),
        _("Active volunteers: responded to a request in the period. New volunteers: joined in the period."),
        _("Hours given: the hours logged for the period's requests. Hand-overs: recorded in the period."),
        _("Per 1,000 inhabitants: by the number of inhabitants (CBS) of the wijk or district."),
        _("Resident initiatives active: registered before the end of the period and marked active, or with an "
          "activity in the period. Supported: got advice, a grant or a space from staff in the period. Backing: "
          "residents who backed an initiative in the period."),
        _("An initiative counts in every wijk and goal it works for, so wijken, districts and goals need not add up "
          "to the total for initiatives and backing."),
    ]
    if by == "goal":
        notes.append(_("A request serves every goal of its kind of help, so the goals do not add up to the total."))
    return notes


def export_file(period: Period, by: str, file_format: str, *, locale: str) -> tuple[bytes, str, str]:
    """(content, mimetype, file name) of an export. Also used by `flask report`. A Dutch CSV uses ";" between
    columns and a decimal comma, as Excel in Dutch expects; XLSX holds real numbers."""
    found = snapshots.reports([period], services.load_reference(locale), min_cell=min_cell(),
                              max_age=snapshot_age())[period]
    report = found.report
    rows = exports.table(report, by, {k: str(v) for k, v in MEASURE_LABELS.items()}, str(DIMENSION_LABELS[by]),
                         _("Haarlem (total)"))
    name = f"samen-{period.code.replace('..', '_')}-{by}.{file_format}"
    notes = export_notes(period, by, found.computed_at)
    if file_format == "xlsx":
        return (exports.to_xlsx(rows, period.code, notes),
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name)
    dutch = locale == "nl"
    content = exports.to_csv(rows, notes, delimiter=";" if dutch else ",", decimal="," if dutch else ".")
    return content.encode("utf-8-sig"), "text/csv; charset=utf-8", name


@bp.get("/export.<file_format>")
@staff_required
def export(file_format: str) -> Response | tuple[str, int]:
    if file_format not in ("csv", "xlsx"):
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



@bp.post("/ververs")
@staff_required
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
