"""`flask staff refresh-screening` and `flask staff handover-reminders`: daily jobs for the staff workspace."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from webapp.core.extensions import db
from webapp.staff.referrals import send_reminders
from webapp.staff.services import refresh_screening

cli = AppGroup("staff", help="Jobs for the staff workspace.")


@cli.command("refresh-screening")
def refresh_screening_command() -> None:
    """Mark certificates of conduct (VOG) whose validity ended as no longer screened (for a daily scheduler)."""
    count = refresh_screening()
    db.session.commit()
    click.echo(f"{count} screening(s) ended.")


@cli.command("handover-reminders")
def handover_reminders_command() -> None:
    """Remind staff of hand-overs no partner picked up after HANDOVER_REMINDER_DAYS days (once each; a daily job)."""
    count = send_reminders()
    db.session.commit()
    click.echo(f"{count} reminder(s) sent.")
