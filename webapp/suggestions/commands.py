"""`flask suggestions refresh`: keeping each volunteer's stored suggestions fresh (and placing new requests a worker
left behind); `flask suggestions train`: the suggestion model, trained on what happened. Both for a scheduler.
`flask suggestions reencode`: stored text features of an older engine version encoded again; `flask suggestions
exposure`: how attention is spread over open requests in the stored lists."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

import matching
from webapp.suggestions.exposure import measure
from webapp.suggestions.learning import evaluate_time_split, train_from_database
from webapp.suggestions.reencode import reencode_old
from webapp.suggestions.services import forget_model
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
    if result.reencoded:
        click.echo(f"Encoded {result.reencoded} stored profile(s), request(s) and initiative(s) again for matching "
                   f"engine version {matching.FEATURE_VERSION}.")
    click.echo(f"Refreshed the suggestions of {result.volunteers} volunteer(s) in {result.seconds:.1f} s.")


@cli.command("reencode")
@click.option("--batch", type=click.IntRange(min=1), default=500, show_default=True,
              help="Rows per transaction.")
def reencode_command(batch: int) -> None:
    """Encode stored text features of an older matching engine version again (idempotent; the refresh job does this
    too when it finds any). Run once after upgrading the engine; then train the model again."""
    click.echo(str(reencode_old(batch)))


@cli.command("exposure")
@click.option("--k", "ks", type=click.IntRange(min=1), multiple=True, default=(10, 30), show_default=True,
              help="Look at the first k requests of each list (10: what a page shows; 30: the whole stored list).")
def exposure_command(ks: tuple[int, ...]) -> None:
    """How attention is spread over open requests in the stored lists: the share of lists holding the most-shown
    request, the Gini coefficient and the share of open requests listed at all."""
    for k in ks:
        click.echo(str(measure(k)))


@cli.command("train")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write the model (default: MATCHING_MODEL_PATH).")
@click.option("--seed", default=0, show_default=True)
def train(out: Path | None, seed: int) -> None:
    """Train the suggestion model on what happened to suggestions, responses and matches. The model is used only
    when it beats the hand-made ranker on the newest part of that history (its decision is printed)."""
    target = out or Path(current_app.config["MATCHING_MODEL_PATH"])
    try:
        model, count = train_from_database(target, seed=seed)
    except matching.TrainingError as error:
        raise click.ClickException(f"Not enough data to train: {error}") from error
    forget_model()
    click.echo(f"Trained a {model.kind} model on {count} interactions; written to {target}. "
               f"Decision: {model.decision} ({'used' if model.use_learned else 'not used'} for ranking).")


@cli.command("evaluate")
@click.option("--test-share", type=click.FloatRange(0.05, 0.5), default=0.2, show_default=True,
              help="The newest share of requests to test on; the model learns from the older ones.")
@click.option("--kind", type=click.Choice(["auto", "logistic", "boosting"]), default="auto", show_default=True)
@click.option("--seed", default=0, show_default=True)
def evaluate(test_share: float, kind: str, seed: int) -> None:
    """Does learning beat the hand-made ranker on this platform's own history? Trains on older requests, ranks the
    volunteers of newer ones both ways and scores them on who responded (NDCG@10, MRR, hit@1, 95 % intervals)."""
    try:
        result = evaluate_time_split(test_share, seed=seed, kind=kind)
    except matching.TrainingError as error:
        raise click.ClickException(f"Not enough data to evaluate: {error}") from error
    click.echo(result.table())
