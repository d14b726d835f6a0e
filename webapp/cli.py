"""Every command-line group of the app (`flask --app webapp <group> <command>`), each defined in its package's
commands.py and named after it. `flask db ...` comes from Flask-Migrate."""

from __future__ import annotations

from flask import Flask
from flask.cli import AppGroup

from webapp.accounts.commands import cli as accounts_cli
from webapp.asks.commands import cli as asks_cli
from webapp.budgets.commands import cli as budgets_cli
from webapp.core.commands import as_job, backup_cli
from webapp.core.reference.commands import cli as reference_cli
from webapp.demo.commands import cli as demo_cli
from webapp.digests.commands import cli as digests_cli
from webapp.initiatives.commands import cli as initiatives_cli
from webapp.notifications.commands import cli as notifications_cli
from webapp.privacy.commands import cli as privacy_cli
from webapp.reports.commands import cli as reports_cli
from webapp.staff.commands import cli as staff_cli
from webapp.suggestions.commands import cli as suggestions_cli
from webapp.volunteering.commands import cli as volunteering_cli

GROUPS: tuple[AppGroup, ...] = (
    accounts_cli, asks_cli, backup_cli, budgets_cli, demo_cli, digests_cli, initiatives_cli, notifications_cli,
    privacy_cli, reference_cli, reports_cli, staff_cli, suggestions_cli, volunteering_cli,
)


def register(app: Flask) -> None:
    for group in GROUPS:
        as_job(group)
        app.cli.add_command(group)
