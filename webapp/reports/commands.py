"""`flask reports export --from 2026-01-01 --to 2026-03-31 --by wijk --format xlsx --out report.xlsx`, and
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
from webapp.reports.documents import export_file, min_cell
from webapp.reports.figures import DIMENSIONS
from webapp.reports.periods import KINDS, Period, custom, period_of, previous

cli = AppGroup("reports", help="The impact report: exports and stored figures.")


@cli.command("export")
@click.option("--from", "start", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="First day, YYYY-MM-DD.")
@click.option("--to", "end", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="Last day (included), YYYY-MM-DD.")
@click.option("--by", type=click.Choice(DIMENSIONS), default="stadsdeel", show_default=True,
              help="One row per district, wijk, kind of help or societal goal.")
@click.option("--format", "file_format", type=click.Choice(("csv", "xlsx")), default="csv", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="The file to write.")
@click.option("--lang", type=click.Choice(("nl", "en")), default="nl", show_default=True,
              help="Language of the column names.")
def export_command(start: datetime | None, end: datetime | None, by: str, file_format: str, out: Path | None,
                   lang: str) -> None:
    """Export the impact report's figures (small numbers suppressed, no personal data)."""
    if start is None or end is None or out is None:
        missing = next(name for value, name in ((start, "--from"), (end, "--to"), (out, "--out")) if value is None)
        raise click.UsageError(f"Missing option '{missing}'.")
    if end.date() < start.date():
        raise click.BadParameter("the last day is before the first day", param_hint="--to")
    if not out.parent.is_dir():
        raise click.BadParameter(f"the folder {out.parent} does not exist", param_hint="--out")
    period = custom(start.date(), end.date())
    with in_language(lang):
        content, _mimetype, _name = export_file(period, by, file_format, locale=lang)
    out.write_bytes(content)
    log_action(None, Action.EXPORT, "report", period.code, by=by, format=file_format, via="cli")
    db.session.commit()
    click.echo(f"Report {period.code} per {by} written to {out}")


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
