"""`flask notifications send-pending`: e-mails that could not be delivered, for a scheduler."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from webapp.notifications.delivery import send_pending

cli = AppGroup("notifications", help="E-mail notifications: sending what is waiting.")


@cli.command("send-pending")
def pending() -> None:
    """Send the e-mails that are waiting: new ones, and those that could not be delivered before."""
    click.echo(str(send_pending()))
