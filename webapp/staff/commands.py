"""`flask staff refresh-screening`, `flask staff vog-reminders` and `flask staff handover-reminders`: daily jobs for the
staff workspace."""

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


@cli.command("vog-reminders")
def vog_reminders_command() -> None:
    """Remind volunteers whose certificate of conduct (VOG) lapses within 60 or 14 days, and the staff on duty, by
    e-mail (for a daily scheduler). Each reminder is sent once: running it again sends nothing twice."""
    from webapp.staff.screening import send_reminders

    reminded = send_reminders()
    db.session.commit()  # the mails are in the outbox; its worker (or `flask notifications send-pending`) sends them
    click.echo(f"{len(reminded)} volunteer(s) reminded.")
@cli.command("handover-reminders")
def handover_reminders_command() -> None:
    """Remind staff of hand-overs no partner picked up after HANDOVER_REMINDER_DAYS days (once each; a daily job)."""
    count = send_reminders()
    db.session.commit()
    click.echo(f"{count} reminder(s) sent.")
