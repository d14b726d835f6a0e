"""`flask reference load`: the geography of Haarlem and the categories and goals (idempotent)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from webapp.core.extensions import db
from webapp.core.reference.services import load_reference_data

cli = AppGroup("reference", help="Reference data (geography, categories, goals).")


@cli.command("load")
def load() -> None:
    """Load or refresh reference data. Idempotent."""
    load_reference_data(db.session)
    db.session.commit()
    click.echo("Reference data loaded.")
