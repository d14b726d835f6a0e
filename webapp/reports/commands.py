"""`flask --app webapp report --from 2026-01-01 --to 2026-03-31 --by wijk --format xlsx --out report.xlsx`"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import force_locale

from webapp.extensions import db
from webapp.reports.figures import DIMENSIONS
from webapp.reports.periods import custom
from webapp.reports.views import export_file
from webapp.staff.audit import Action, log_action


@click.command("report")
@click.option("--from", "start", required=True, type=click.DateTime(formats=["%Y-%m-%d"]),
              help="First day, YYYY-MM-DD.")
@click.option("--to", "end", required=True, type=click.DateTime(formats=["%Y-%m-%d"]),
              help="Last day (included), YYYY-MM-DD.")
@click.option("--by", type=click.Choice(DIMENSIONS), default="stadsdeel", show_default=True,
              help="One row per district, wijk, kind of help or societal goal.")
@click.option("--format", "file_format", type=click.Choice(("csv", "xlsx")), default="csv", show_default=True)
@click.option("--out", required=True, type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="The file to write.")
@click.option("--lang", type=click.Choice(("nl", "en")), default="nl", show_default=True,
              help="Language of the column names.")
@with_appcontext
def report_command(start: datetime, end: datetime, by: str, file_format: str, out: Path, lang: str) -> None:
    """Export the impact report's figures (small numbers suppressed, no personal data)."""
    if end.date() < start.date():
        raise click.BadParameter("the last day is before the first day", param_hint="--to")
    if not out.parent.is_dir():
        raise click.BadParameter(f"the folder {out.parent} does not exist", param_hint="--out")
    period = custom(start.date(), end.date())
    with force_locale(lang):
        content, _mimetype, _name = export_file(period, by, file_format, locale=lang)
    out.write_bytes(content)
    log_action(None, Action.EXPORT, "report", period.code, by=by, format=file_format, via="cli")
    db.session.commit()
    click.echo(f"Report {period.code} per {by} written to {out}")
