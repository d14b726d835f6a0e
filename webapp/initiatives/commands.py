"""`flask initiatives mark-screening`: give needs that exist already the certificate-of-conduct (VOG) mark their text
calls for, once after the upgrade that introduced it (new and edited needs get it when they are saved).
`flask initiatives remind`: the reminder the day before an activity, daily."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import click
from flask import current_app
from flask.cli import AppGroup

from webapp.core.extensions import db
from webapp.initiatives.attendance import remind_tomorrow
from webapp.initiatives.needs import mark_screening_by_text

cli = AppGroup("initiatives", help="Initiatives: maintenance jobs and the reminder the day before an activity.")


@cli.command("mark-screening")
def mark_screening() -> None:
    """Mark open needs whose text is about homework support or paperwork as needing a VOG (an organiser's own mark
    is never removed), and close the sign-ups of volunteers without one, with a kind message. Safe to run twice."""
    marked, closed = mark_screening_by_text()
    db.session.commit()
    click.echo(f"Marked {marked} need(s) as needing a VOG; closed {closed} sign-up(s) of volunteers without one.")


@cli.command("remind")
def remind() -> None:
    """Remind everyone going to an activity (or a shift) that starts tomorrow, Haarlem time. Daily; each activity is
    reminded once, however often this runs."""
    done = remind_tomorrow(ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"]))
    db.session.commit()
    click.echo(f"Reminded {done.people} person(s) of {done.activities} activity(ies) tomorrow.")
