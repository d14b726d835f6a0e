"""`flask reports export --period 2026-Q1 --by wijk --format xlsx --out report.xlsx` (`--format pdf`: the PDF report;
`--period 2026 --quarters`: the year and its quarters side by side), and
`flask reports refresh` (every few minutes): store fresh figures of the periods staff open most."""

from __future__ import annotations

import time
from datetime import date, datetime
from pathlib import Path

import click
from flask.cli import AppGroup

from webapp.core.audit import Action, log_action
from webapp.core.extensions import db
from webapp.core.i18n import in_language
from webapp.reports import services, snapshots
from webapp.reports.documents import FORMATS, export_file, min_cell, year_file
from webapp.reports.figures import DIMENSIONS
from webapp.reports.pdfreport import LANGUAGES
from webapp.reports.periods import KINDS, Period, PeriodError, parse, period_of, previous, whole

cli = AppGroup("reports", help="The impact report: exports and stored figures.")


@cli.command("export")
@click.option("--period", "code", help="A whole month, quarter or year: 2026-03, 2026-Q1 or 2026.")
@click.option("--from", "start", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="First day, YYYY-MM-DD (with --to: only the first and last day of a whole month, quarter or year).")
@click.option("--to", "end", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="Last day (included), YYYY-MM-DD.")
@click.option("--by", type=click.Choice(DIMENSIONS), default="stadsdeel", show_default=True,
              help="One row per district, wijk, kind of help or societal goal.")
@click.option("--format", "file_format", type=click.Choice(FORMATS), default="csv", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="The file to write.")
@click.option("--lang", type=click.Choice(LANGUAGES), default="nl", show_default=True,
              help="Language of the column names and of the PDF report.")
@click.option("--quarters", is_flag=True,
              help="A year and its quarters side by side, with the year before (--period YYYY; csv or xlsx).")
def export_command(code: str | None, start: datetime | None, end: datetime | None, by: str, file_format: str,
                   out: Path | None, lang: str, quarters: bool) -> None:
    """Export the impact report's figures (small numbers suppressed, no personal data). Only whole months, quarters
    and years: a range of days a day shorter than another would show that day's requests by subtraction."""
    if out is None:
        raise click.UsageError("Missing option '--out'.")
    period = _period(code, start, end)
    if not out.parent.is_dir():
        raise click.BadParameter(f"the folder {out.parent} does not exist", param_hint="--out")
    if quarters and period.kind != "year":
        raise click.BadParameter("--quarters puts a year and its quarters side by side: use --period with a year, "
                                 "for example --period 2026.", param_hint="--quarters")
    if quarters and file_format == "pdf":
        raise click.BadParameter("--quarters makes a csv or xlsx file.", param_hint="--format")
    with in_language(lang):
        if quarters:
            content, _mimetype, _name = year_file(period, by, file_format, locale=lang)
        else:
            content, _mimetype, _name = export_file(period, by, file_format, locale=lang)
    out.write_bytes(content)
    log_action(None, Action.EXPORT, "report", period.code, by=by, format=file_format, via="cli",
               **({"layout": "quarters"} if quarters else {}))
    db.session.commit()
    click.echo(f"Report {period.code} per {by} written to {out}")


def _period(code: str | None, start: datetime | None, end: datetime | None) -> Period:
    if code:
        if start is not None or end is not None:
            raise click.UsageError("Use either --period or --from and --to, not both.")
        try:
            return parse(code)
        except PeriodError:
            raise click.BadParameter(f"'{code}' is not a period. Use for example 2026-03, 2026-Q1 or 2026.",
                                     param_hint="--period") from None
    if start is None or end is None:
        raise click.UsageError("Missing option '--period' (for example 2026-Q1), or '--from' and '--to'.")
    if end.date() < start.date():
        raise click.BadParameter("the last day is before the first day", param_hint="--to")
    try:
        return whole(start.date(), end.date())
    except PeriodError:
        raise click.BadParameter(
            f"{start.date().isoformat()} to {end.date().isoformat()} is not a whole month, quarter or year. The "
            "report covers only whole months, quarters and years (two ranges of days a day apart would show one "
            "day's requests by subtraction). Use for example --period 2026-03, --period 2026-Q1 or --period 2026.",
            param_hint="--from/--to") from None


def most_opened(today: date) -> list[Period]:
    """The current and the previous month, quarter and year, each with the periods its dashboard compares it with
    (the period before and the same period a year earlier)."""
    periods: list[Period] = []
    for kind in KINDS:
        current = period_of(kind, today)
        for period in (current, previous(current)):
            periods.extend(services.dashboard_periods(period))
    return list(dict.fromkeys(periods))


@cli.command("refresh")
def refresh_command() -> None:
    """Compute and store the figures of the current and previous month, quarter and year (run every few minutes)."""
    started = time.perf_counter()
    stored = snapshots.refresh(most_opened(date.today()), min_cell=min_cell())
    db.session.commit()
    codes = ", ".join(period.code for period in stored)
    click.echo(f"Stored the figures of {len(stored)} periods ({codes}), min_cell {min_cell()}, "
               f"in {time.perf_counter() - started:.1f} s")
