"""What the city takes away from the reports: the export files (CSV, XLSX) with notes on how to read them, made from
stored figures. Used by the dashboard's export buttons and by `flask reports export`."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import current_app
from flask_babel import format_date, format_datetime
from flask_babel import gettext as _

from webapp.core.i18n import in_language
from webapp.core.ids import utcnow
from webapp.reports import exports, pdfreport, services, snapshots
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


def export_notes(period: Period, by: str, computed_at: datetime | None = None) -> list[str]:
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
        *definitions(by),
    ]


def definitions(by: str = "") -> list[str]:
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
        _("Per 1,000 inhabitants: the figure of this period (not per year) by the number of inhabitants (CBS) of "
          "the wijk or district. Compare only periods of the same length."),
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
    columns and a decimal comma, as Excel in Dutch expects; XLSX holds real numbers. The PDF report (`by` does not
    apply: it has the figures per goal and per wijk) is in Dutch or English (`pdfreport.pdf_language`)."""
    if file_format == "pdf":
        return pdf_file(period, locale=locale)
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


def pdf_file(period: Period, *, locale: str) -> tuple[bytes, str, str]:
    """The PDF report of the period (compared with the period before), in the reader's language when the PDF's
    fonts can write it, else in English with a note saying so."""
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
            min_cell=min_cell(), notices=notices, definitions=definitions(), language_note=note)
        data = pdfreport.render(content)
    return data, "application/pdf", f"samen-{period.code}.pdf"
