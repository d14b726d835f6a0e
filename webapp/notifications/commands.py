"""`flask --app webapp notify ...`: digests and retries, for a scheduler."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from webapp.notifications import kinds
from webapp.notifications.delivery import send_pending
from webapp.notifications.digest import send_digests

notify_cli = AppGroup("notify", help="E-mail notifications: digests and retries.")


@notify_cli.command("digest")
@click.option("--only", type=click.Choice(kinds.DIGEST_CHANNELS), default=None,
              help="Only the daily or only the weekly digests.")
def digest(only: str | None) -> None:
    """Send the daily and weekly digests that are due. Safe to run often: nobody gets a digest twice."""
    report = send_digests(channels=(only,) if only else kinds.DIGEST_CHANNELS)
    click.echo(str(report))
    if report.failed:
        raise click.ClickException(f"{report.failed} digest(s) could not be delivered; run again later.")


@notify_cli.command("send-pending")
def pending() -> None:
    """Send again the e-mails that should have gone out straight away but could not be delivered."""
    click.echo(f"Sent {send_pending()} pending e-mail(s).")
