"""`flask staff refresh-screening`: a daily job for the staff workspace."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from webapp.core.extensions import db
from webapp.staff.services import refresh_screening

cli = AppGroup("staff", help="Jobs for the staff workspace.")


@cli.command("refresh-screening")
def refresh_screening_command() -> None:
    """Mark certificates of conduct (VOG) whose validity ended as no longer screened (for a daily scheduler)."""
    count = refresh_screening()
    db.session.commit()
    click.echo(f"{count} screening(s) ended.")
