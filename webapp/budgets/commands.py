"""`flask budgets count-ended`: count every district budget round whose voting has ended, for a daily scheduler."""

from __future__ import annotations

from datetime import date

import click
from flask import current_app
from flask.cli import AppGroup

from webapp.budgets import sealing
from webapp.budgets.counting import CountResult, close_ended
from webapp.core.extensions import db

cli = AppGroup("budgets", help="District budgets (wijkbudget): jobs.")


@cli.command("count-ended")
def count_ended() -> None:
    """Count every round whose last day of voting has passed (safe to run twice: a counted round is left alone)."""
    key = sealing.ballot_key(current_app.config.get("BALLOT_KEY") or current_app.config["SECRET_KEY"])
    done = close_ended(date.today(), key)
    db.session.commit()
    for budget_round, result in done:
        if isinstance(result, CountResult):
            click.echo(f"{budget_round.title}: {result.ballots} ballot(s) counted, {result.funded} plan(s) funded "
                       f"(EUR {result.spent}).")
        else:
            click.echo(f"{budget_round.title}: not counted ({result}).", err=True)
    click.echo(f"Rounds counted: {sum(1 for _r, result in done if isinstance(result, CountResult))}.")
