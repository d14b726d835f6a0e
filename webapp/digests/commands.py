"""`flask digests send`: the daily and weekly e-mail digests, for a scheduler."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from webapp.digests.services import send_digests
from webapp.notifications import kinds

cli = AppGroup("digests", help="Daily and weekly e-mail digests.")


@cli.command("send")
@click.option("--only", type=click.Choice(kinds.DIGEST_CHANNELS), default=None,
              help="Only the daily or only the weekly digests.")
def send(only: str | None) -> None:
    """Send the daily and weekly digests that are due. Safe to run often: nobody gets a digest twice."""
    report = send_digests(channels=(only,) if only else kinds.DIGEST_CHANNELS)
    click.echo(str(report))
    if report.failed:
        raise click.ClickException(f"{report.failed} digest(s) could not be delivered; run again later.")
