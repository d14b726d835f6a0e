"""`flask --app webapp staff refresh-screening`: a daily job for the staff workspace."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from webapp.extensions import db
from webapp.staff.services import refresh_screening

staff_cli = AppGroup("staff", help="Jobs for the staff workspace.")


@staff_cli.command("refresh-screening")
def refresh_screening_command() -> None:
    """Mark certificates of conduct (VOG) whose validity ended as no longer screened (for a daily scheduler)."""
    count = refresh_screening()
    db.session.commit()
    click.echo(f"{count} screening(s) ended.")
