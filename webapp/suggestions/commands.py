"""`flask suggestions refresh`: keeping each volunteer's stored suggestions fresh; `flask suggestions train`: the
suggestion model, trained on what happened. Both for a scheduler."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

import matching
from webapp.suggestions.services import forget_model, train_from_database
from webapp.suggestions.stored import refresh

cli = AppGroup("suggestions", help="Stored suggestions for volunteers (\"Aanbevolen voor jou\").")


@cli.command("refresh")
@click.option("--stale-minutes", type=click.IntRange(min=0), default=None,
              help="Only lists computed more than this many minutes ago, never, or before the profile changed.")
@click.option("--active-days", type=click.FloatRange(min=0), default=None,
              help="Only volunteers who logged in within this many days (others get theirs on their next visit).")
def refresh_command(stale_minutes: int | None, active_days: float | None) -> None:
    """Rank again for volunteers with a profile and store their lists; page views then only read them."""
    result = refresh(stale_minutes, active_days)
    click.echo(f"Refreshed the suggestions of {result.volunteers} volunteer(s) in {result.seconds:.1f} s.")


@cli.command("train")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write the model (default: MATCHING_MODEL_PATH).")
@click.option("--seed", default=0, show_default=True)
def train(out: Path | None, seed: int) -> None:
    """Train the suggestion model on what happened to suggestions, responses and matches."""
    target = out or Path(current_app.config["MATCHING_MODEL_PATH"])
    try:
        model, count = train_from_database(target, seed=seed)
    except matching.TrainingError as error:
        raise click.ClickException(f"Not enough data to train: {error}") from error
    forget_model()
    click.echo(f"Trained a {model.kind} model on {count} interactions; written to {target}")
