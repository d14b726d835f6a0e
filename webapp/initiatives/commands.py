"""`flask initiatives mark-screening`: give needs that exist already the certificate-of-conduct (VOG) mark their text
calls for, once after the upgrade that introduced it (new and edited needs get it when they are saved)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from webapp.core.extensions import db
from webapp.initiatives.needs import mark_screening_by_text

cli = AppGroup("initiatives", help="Initiatives: maintenance jobs.")


@cli.command("mark-screening")
def mark_screening() -> None:
    """Mark open needs whose text is about homework support or paperwork as needing a VOG (an organiser's own mark
    is never removed), and close the sign-ups of volunteers without one, with a kind message. Safe to run twice."""
    marked, closed = mark_screening_by_text()
    db.session.commit()
    click.echo(f"Marked {marked} need(s) as needing a VOG; closed {closed} sign-up(s) of volunteers without one.")
