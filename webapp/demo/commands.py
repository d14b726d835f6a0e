"""`flask demo seed`: deterministic, realistic demo data."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import func, select

from webapp.accounts.models import User
from webapp.accounts.two_factor import new_secret
from webapp.budgets.sealing import ballot_key
from webapp.core.extensions import db
from webapp.core.reference.services import load_reference_data
from webapp.demo.budgets import seed_budgets
from webapp.demo.generator import DEMO_TOTP_SECRET
from webapp.demo.services import seed_demo
from webapp.demo.staff_work import seed_staff_work

cli = AppGroup("demo", help="Demo data.")


@cli.command("seed")
@click.option("--scale", default=1, type=click.IntRange(1, 1000), show_default=True,
              help="Multiply the amount of demo data (100 for benchmarks).")
@click.option("--if-empty", is_flag=True, help="Only seed when there are no accounts yet.")
@click.option("--allow-production", is_flag=True,
              help="Seed even with SAMEN_ENV=production (demo accounts have a published password).")
@click.option("--published-staff-secret", is_flag=True,
              help="With SAMEN_ENV=production: give the demo staff accounts the published two-step secret anyway "
                   "(anyone can then work as staff on this server; announce it on the server's front page).")
def seed(scale: int, if_empty: bool, allow_production: bool, published_staff_secret: bool) -> None:
    """Fill the database with deterministic, realistic demo data.

    In production (a server the public can reach) the demo staff accounts get a new random two-step secret, printed
    here once, instead of the published one: a published password plus a published secret would let any visitor
    into the staff workspace. `--published-staff-secret` keeps the published one, on purpose and out loud."""
    in_production = current_app.config["ENV_NAME"] == "production"
    if in_production and not allow_production:
        raise click.ClickException(
            "Refusing to load demo data in production: its accounts have a published password. "
            "Add --allow-production for a public demo server."
        )
    if if_empty and db.session.execute(select(func.count()).select_from(User)).scalar_one():
        click.echo("Database already has accounts; demo data not loaded.")
        return
    secret = DEMO_TOTP_SECRET
    if in_production and published_staff_secret:
        click.echo("WARNING: the demo staff accounts use the PUBLISHED two-step secret. Anyone who reads the README "
                   "can log in as staff on this server. Say so on the server's front page.", err=True)
    elif in_production:
        secret = new_secret()
        click.echo(f"The demo staff accounts use a new two-step secret (not the published one): {secret}\n"
                   "Give it only to the people who show the staff workspace. It is not shown again.")
    load_reference_data(db.session)
    summary = seed_demo(db.session, scale=scale, progress=click.echo if scale > 1 else None,
                        staff_totp_secret=secret)
    summary = f"{summary} {seed_staff_work(db.session)}".strip()  # the staff workspace's screenings, intakes, ...
    key = ballot_key(current_app.config.get("BALLOT_KEY") or current_app.config["SECRET_KEY"])
    summary = f"{summary} {seed_budgets(db.session, key)}".strip()  # a counted and an open round per stadsdeel
    db.session.commit()
    click.echo(summary)
