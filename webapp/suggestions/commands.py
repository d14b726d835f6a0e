"""`flask --app webapp suggestions ...`: keeping each volunteer's stored suggestions fresh, for a scheduler."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from webapp.suggestions.stored import refresh

suggestions_cli = AppGroup("suggestions", help="Stored suggestions for volunteers (\"Aanbevolen voor jou\").")


@suggestions_cli.command("refresh")
@click.option("--stale-minutes", type=click.IntRange(min=0), default=None,
              help="Only lists computed more than this many minutes ago, never, or before the profile changed.")
@click.option("--active-days", type=click.FloatRange(min=0), default=None,
              help="Only volunteers who logged in within this many days (others get theirs on their next visit).")
def refresh_command(stale_minutes: int | None, active_days: float | None) -> None:
    """Rank again for volunteers with a profile and store their lists; page views then only read them."""
    result = refresh(stale_minutes, active_days)
    click.echo(f"Refreshed the suggestions of {result.volunteers} volunteer(s) in {result.seconds:.1f} s.")
