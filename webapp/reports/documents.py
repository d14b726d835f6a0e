"""What the city takes away from the reports: the export files (CSV, XLSX) with notes on how to read them, made from
stored figures. Used by the dashboard's export buttons and by `flask reports export`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta

from flask import current_app
from flask_babel import format_date, format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from openpyxl.workbook.workbook import Workbook

from webapp.core.i18n import in_language
from webapp.core.ids import utcnow
from webapp.reports import exports, figures, images, pdfreport, services, snapshots, svgmap, yearview
from webapp.reports.forms import DIMENSION_LABELS, MEASURE_LABELS
from webapp.reports.periods import Period
from webapp.reports.suppression import DEFAULT_MIN_CELL

FORMATS = ("csv", "xlsx", "pdf")


def min_cell() -> int:
    return int(current_app.config.get("REPORT_MIN_CELL", DEFAULT_MIN_CELL))


def snapshot_age() -> timedelta:
    """How long stored figures are served before they are computed again (REPORT_SNAPSHOT_MINUTES)."""
    return timedelta(minutes=float(current_app.config.get("REPORT_SNAPSHOT_MINUTES", 10)))


def as_of(moment: datetime | None) -> str:
    """"Figures as of 23 Nov 2026 04:40", in the reader's language and the city's time zone."""
    return _("Figures as of %(moment)s", moment=format_datetime(moment or utcnow(), "d MMM y HH:mm"))


def period_label(period: Period) -> str:
    if period.kind == "month":
        return str(format_date(period.start, "MMMM y"))
    if period.kind == "quarter":
        return _("Quarter %(num)d of %(year)d", num=(period.start.month - 1) // 3 + 1, year=period.start.year)
    if period.kind == "year":
        return str(period.start.year)
    return _("%(start)s to %(end)s", start=format_date(period.start), end=format_date(period.last_day))


def incomplete_notice(period: Period, today: date, first_day: date | None = None) -> str | None:
    """A warning for a period that is not over yet, or that began before Samen was used (`first_day`, the day of
    the first request): its counts are lower than a whole period's. None for a whole period."""
    if first_day is not None and period.start < first_day < min(period.end, today + timedelta(days=1)):
        return _("Samen was used from %(day)s: %(period)s holds only %(days)d of its %(total)d days, so its figures "
                 "are lower than those of a whole period. Compare with care.", day=format_date(first_day, "long"),
                 period=period_label(period), days=(min(period.end, today + timedelta(days=1)) - first_day).days,
                 total=period.days)
    if period.end <= today:
        return None
    if period.start > today:
        return _("%(period)s has not started yet: there are no figures.", period=period_label(period))
    return _("%(period)s is not over yet: the figures cover %(days)d of its %(total)d days, so they are lower than "
             "those of a whole period. Compare with care.", period=period_label(period),
             days=(today - period.start).days + 1, total=period.days)


def export_notes(period: Period, by: str, computed_at: datetime | None = None,
                 vulnerable: Sequence[str] = ()) -> list[str]:
    """What a reader of the file needs to use it as it is: the period with its dates, what the signs mean, how
    each figure is made. The same words as under the dashboard."""
    notice = incomplete_notice(period, (computed_at or utcnow()).date())
    return [
        _("Samen impact report, %(period)s.", period=period_label(period)),
        *([notice] if notice else []),
        as_of(computed_at) + ".",
        _("Period: %(start)s to %(end)s (both included). Made on %(today)s; what happened to the period's requests "
          "since then counts up to that day.", start=format_date(period.start, "long"),
          end=format_date(period.last_day, "long"),
          today=format_date(computed_at or utcnow(), "long")),
        _("Only counts: no names, addresses or other personal data."),
        *definitions(by, vulnerable),
    ]


def definitions(by: str = "", vulnerable: Sequence[str] = ()) -> list[str]:
    """What the signs mean and how each figure is made: under the dashboard, in the exports, in the PDF report."""
    notes = [
        _("“<%(num)d”: between 1 and %(max)d, hidden for privacy. “x”: hidden, because it is about fewer than "
          "%(num)d people or because a small number could be worked out from it.", num=min_cell(), max=min_cell() - 1),
        _("When a total is below %(num)d, all its parts show “<%(num)d”, also those that are 0: the wijken of a "
          "district, and the months and quarters of a year.", num=min_cell()),
        _("An empty cell: nothing to compute (for example a median when no request got a response)."),
        _("Requests posted: placed in the period. Matched, done and never got a response: what happened to those "
          "requests since. Never got a response: still waiting, expired or withdrawn without any response."),
        _("Expired without help: requests of the period that ended without a helper. Taken in by staff: requests "
          "that staff entered for a resident (by phone, at the desk or on paper), a measure of reach among "
          "residents without internet."),
        _("Active volunteers: responded to a request in the period. New volunteers: joined in the period. Active "
          "volunteers and hours given also count for the goal that all volunteering serves."),
        _("Hours given: the hours logged for the period's requests. Hand-overs: recorded in the period."),
        _("Hand-overs per partner: warm hand-overs to professionals recorded in the period, counted by the "
          "organisation they went to. A partner's small numbers are hidden like those of a wijk, across the months, "
          "quarters and year together, so no subtraction shows a single resident's hand-over."),
        _("Per 1,000 inhabitants: the figure of this period (not per year) by the number of inhabitants (CBS) of "
          "the wijk or district. Compare only periods of the same length."),
        _("Resident initiatives active: registered before the end of the period and marked active, or with an "
          "activity in the period. Supported: got advice, a grant or a space from staff in the period. Backing: "
          "residents who backed an initiative in the period."),
        _("An initiative counts in every wijk and goal it works for, so wijken, districts and goals need not add up "
          "to the total for initiatives and backing."),
    ]
    notes += new_measure_notes(vulnerable)
    if by == "goal":
        notes.append(_("A request serves every goal of its kind of help, so the goals do not add up to the total."))
    return notes


def new_measure_notes(vulnerable: Sequence[str]) -> list[str]:
    """How the measures of reach, initiative hours and grants are made (also under the dashboard). `vulnerable`: the
    names of the kinds of help the stored figures counted as reach of vulnerable groups (`vulnerable_names`)."""
    return [
        _("Requests from vulnerable groups: requests of the period in the kinds of help the city marks as asked for "
          "by vulnerable groups (%(kinds)s). Together with “taken in by staff” it shows the reach of residents who "
          "find it hard to ask for help.", kinds=", ".join(vulnerable)),
        _("Hours given in initiatives: hours volunteers logged for an initiative's needs and activities in the "
          "period. Grants to initiatives: euros of staff grants given in the period and of district budget plans of "
          "initiatives counted in the period. Both count in every wijk and goal of the initiative."),
    ]


def vulnerable_names(report: figures.Report, reference: figures.Reference) -> list[str]:
    """The names of the kinds of help the report counted as reach of vulnerable groups (stored with its figures), in
    the reader's language (the reference the caller loaded)."""
    names = dict(reference.categories)
    return [names.get(key, key) for key in report.vulnerable_categories]


def export_file(period: Period, by: str, file_format: str, *, locale: str) -> tuple[bytes, str, str]:
    """(content, mimetype, file name) of an export. Also used by `flask report`. A Dutch CSV uses ";" between
    columns and a decimal comma, as Excel in Dutch expects; XLSX holds real numbers. The PDF report (`by` does not
    apply: it has the figures per goal and per wijk) is in the reader's language (`pdfreport.pdf_language`)."""
    if file_format == "pdf":
        return pdf_file(period, locale=locale)
    reference = services.load_reference(locale)
    found = snapshots.reports([period], reference, min_cell=min_cell(), max_age=snapshot_age())[period]
    report = found.report
    rows = exports.table(report, by, {k: str(v) for k, v in MEASURE_LABELS.items()}, str(DIMENSION_LABELS[by]),
                         _("Haarlem (total)"))
    name = f"samen-{period.code.replace('..', '_')}-{by}.{file_format}"
    notes = export_notes(period, by, found.computed_at, vulnerable_names(report, reference))
    if file_format == "xlsx":
        return (exports.to_xlsx(rows, period.code, notes, extra=_pictures(report)),
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name)
    dutch = locale == "nl"
    content = exports.to_csv(rows, notes, delimiter=";" if dutch else ",", decimal="," if dutch else ".")
    return content.encode("utf-8-sig"), "text/csv; charset=utf-8", name


def pdf_file(period: Period, *, locale: str) -> tuple[bytes, str, str]:
    """The PDF report of the period (compared with the period before), in the reader's language (in English, with a
    note saying so, for a language the app does not know)."""
    language = pdfreport.pdf_language(locale)
    with in_language(language):
        note = None
        if language != locale:  # in English too: the PDF's fonts cannot write the reader's language
            note = _("This report is in English: a PDF in your language is not available yet. The dashboard and "
                     "the spreadsheets are in your language.")
        board = snapshots.dashboard(period, min_cell=min_cell(), locale=language, max_age=snapshot_age())
        made_on = board.computed_at or utcnow()
        notices = [notice for p in dict.fromkeys((board.current.period, board.previous.period))
                   if (notice := incomplete_notice(p, made_on.date(), services.first_day())) is not None]
        content = pdfreport.Content(
            current=board.current, previous=board.previous, title=_("Impact report"),
            period_label=period_label(period), previous_label=period_label(board.previous.period), made_on=made_on,
            min_cell=min_cell(), notices=notices,
            definitions=definitions(vulnerable=vulnerable_names(board.current, board.reference)),
            language_note=note, language=language)
        data = pdfreport.render(content)
    return data, "application/pdf", f"samen-{period.code}.pdf"


def _legend_text(low: float, high: float, measure: str) -> str:
    return pdfreport.figure(figures.Cell(low), measure, min_cell()) + (
        "" if low == high else " - " + pdfreport.figure(figures.Cell(high), measure, min_cell()))


def _map_values(report: figures.Report, measure: str) -> dict[str, float | None]:
    return {str(row.key[1]): None if row.cells[measure].state in (figures.State.SMALL, figures.State.HIDDEN)
            else row.cells[measure].value for row in report.tables["wijk"].rows}


def _add_map(workbook: Workbook, report: figures.Report, measure: str) -> None:
    png, scale = images.map_png(_map_values(report, measure))
    legend = [(b.colour, _legend_text(b.low, b.high, measure)) for b in scale]
    legend.append((svgmap.HIDDEN_FILL, _("Hidden: fewer than %(num)d", num=min_cell())))
    label = str(MEASURE_LABELS[measure])
    images.add_map_sheet(workbook, _("Map"), _("Map: %(measure)s per wijk", measure=label), png, legend)


def _bar_values(cells: Sequence[figures.Cell], measure: str) -> list[exports.Value]:
    return [yearview.cell_value(cell, measure, min_cell()) for cell in cells]


CHART_NOTE = _l("A hidden figure (“<5” or “x”) is drawn without a bar; the table above gives its label.")


def _pictures(report: figures.Report) -> Callable[[Workbook], None]:
    """The map of the period (requests per 1,000 inhabitants) and its monthly trend, as sheets after the figures."""
    def add(workbook: Workbook) -> None:
        _add_map(workbook, report, "posted_per_1000")
        if report.trend:
            images.add_chart_sheet(
                workbook, _("Chart"), _("Requests posted and matched per month"),
                [str(format_date(p.month.start, "MMM y")) for p in report.trend],
                [(str(MEASURE_LABELS[m]), _bar_values([p.cells[m] for p in report.trend], m))
                 for m in ("posted", "matched")], str(CHART_NOTE))
    return add


YEAR_MEASURE_LABELS = {"posted_per_1000": _l("Requests per 1,000 inhabitants, per year"),
                       "volunteers_per_1000": _l("Active volunteers per 1,000 inhabitants, per year")}


def year_headers(year: Period, by: str, today: date, first_day: date | None) -> yearview.Headers:
    """The columns of the side-by-side table; a period that is not whole says so in its header."""
    def header(period: Period, text: str) -> str:
        whole = period.end <= today and (first_day is None or first_day <= period.start)
        return text if whole else _("%(period)s (not a whole period)", period=text)

    before = yearview.periods_of(year)[-1]
    return yearview.Headers(
        group=str(DIMENSION_LABELS[by]), measure=_("Measure"),
        periods=[header(year, str(year.start.year)),
                 *(header(q, _("Q%(num)d %(year)d", num=i, year=year.start.year))
                   for i, q in enumerate(yearview.quarters(year), start=1)),
                 header(before, str(before.start.year))],
        change=_("Change %(year)d compared with %(before)d (%%)", year=year.start.year, before=before.start.year))


YEAR_DIMENSIONS = ("wijk", "goal", "stadsdeel", "category", "partner")


def year_notes(year: Period, computed_at: datetime | None, vulnerable: Sequence[str] = ()) -> list[str]:
    return [
        _("Samen impact report, %(year)d and its quarters side by side.", year=year.start.year),
        as_of(computed_at) + ".",
        _("The year, its quarters and the year before are hidden together: the quarters of a row add up to the "
          "year where all of them are shown, and no hidden figure can be worked out by subtracting one column from "
          "another."),
        _("Change: the year compared with the year before, in percent, only where both figures are shown. A period "
          "that is not whole (not over yet, or begun before Samen was used) says so in its column name: compare "
          "it with care."),
        _("Per 1,000 inhabitants: per year, for whole years only; the quarter columns stay empty."),
        _("Only counts: no names, addresses or other personal data."),
        *definitions(vulnerable=vulnerable),
    ]


def year_file(year: Period, by: str, file_format: str, *, locale: str) -> tuple[bytes, str, str]:
    """A year and its quarters side by side, with the year before and the change: XLSX with a sheet per wijk,
    goal, district and kind of help and the map and a chart; CSV for one dimension (`by`)."""
    if year.kind != "year":
        raise ValueError("the side-by-side table is made for a whole year")
    wanted = yearview.periods_of(year)
    reference = services.load_reference(locale)
    found = snapshots.reports(wanted, reference, min_cell=min_cell(), max_age=snapshot_age())
    reports = {p: found[p].report for p in wanted}
    computed_at = min(found[p].computed_at for p in wanted)
    today, first = computed_at.date(), services.first_day()

    def label(measure: str) -> str:
        return str(YEAR_MEASURE_LABELS.get(measure, MEASURE_LABELS[measure]))

    def sheet(dimension: str) -> list[list[exports.Value]]:
        return yearview.table(reports, year, dimension, year_headers(year, dimension, today, first), label,
                              _("Haarlem (total)"))

    notes = year_notes(year, computed_at, vulnerable_names(reports[year], reference))
    name = f"samen-{year.code}-kwartalen"
    if file_format == "xlsx":
        current = reports[year]

        def extra(workbook: Workbook) -> None:
            _add_map(workbook, current, "posted_per_1000")
            parts = [reports[q] for q in yearview.quarters(year)]
            images.add_chart_sheet(
                workbook, _("Chart"), _("Requests posted and matched per quarter"),
                [_("Q%(num)d %(year)d", num=i, year=year.start.year) for i in range(1, 5)],
                [(str(MEASURE_LABELS[m]), _bar_values([p.total.cells[m] for p in parts], m))
                 for m in ("posted", "matched")], str(CHART_NOTE))

        sheets = [(str(DIMENSION_LABELS[d]), sheet(d), notes) for d in YEAR_DIMENSIONS]
        return (exports.to_xlsx_sheets(sheets, extra),
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", f"{name}.xlsx")
    dutch = locale == "nl"
    content = exports.to_csv(sheet(by), notes, delimiter=";" if dutch else ",", decimal="," if dutch else ".")
    return content.encode("utf-8-sig"), "text/csv; charset=utf-8", f"{name}-{by}.csv"
