"""`flask privacy retention`: anonymise requests closed longer ago than the retention period."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from webapp.core.extensions import db
from webapp.privacy.anonymise import run_retention

cli = AppGroup("privacy", help="Privacy: remove personal data after the retention period.")


@cli.command("retention")
@click.option("--months", type=click.IntRange(1, 1200), default=None,
              help="Anonymise requests closed more than this many months ago (default: RETENTION_MONTHS, 12).")
@click.option("--dry-run", is_flag=True, help="Only count; change nothing.")
def run(months: int | None, dry_run: bool) -> None:
    """Anonymise closed requests past the retention period (for a daily scheduler; safe to run twice)."""
    period = months if months is not None else int(current_app.config["RETENTION_MONTHS"])
    result = run_retention(period, dry_run=dry_run)
    if dry_run:
        db.session.rollback()
        click.echo(f"Would anonymise {result.count} request(s) closed before {result.cutoff:%Y-%m-%d}.")
        return
    db.session.commit()
    click.echo(f"Anonymised {result.count} request(s) closed before {result.cutoff:%Y-%m-%d}.")
