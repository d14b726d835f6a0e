"""`flask volunteering alert`: alerts about new vacancies and needs, for a scheduler (every few minutes)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from webapp.volunteering.alerts import alert_new_needs

cli = AppGroup("volunteering", help="The front door for volunteering: alerts about new vacancies.")


@cli.command("alert")
def alert() -> None:
    """Tell the volunteers a new vacancy or need fits best (a few a day at most each). Every few minutes; a need is
    announced once, however often this runs."""
    done = alert_new_needs()
    click.echo(f"Announced {done.needs} new need(s) to {done.volunteers} volunteer(s).")
