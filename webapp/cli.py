"""Command-line tasks: `flask --app webapp <group> <command>`."""

from __future__ import annotations

import functools
import sqlite3
import sys
from pathlib import Path
from typing import Any, NoReturn

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

import matching
from webapp.accounts import services as accounts
from webapp.accounts import two_factor
from webapp.accounts.models import User
from webapp.accounts.passwords import MIN_PASSWORD_LENGTH, PasswordProblem, password_problem
from webapp.asks.services import expire_requests
from webapp.backup import BackupRefused, backup_sqlite, postgres_commands, sqlite_file
from webapp.demo.services import seed_demo
from webapp.demo.staff_work import seed_staff_work
from webapp.extensions import db
from webapp.notifications.commands import notify_cli
from webapp.privacy.commands import retention_cli
from webapp.reference.services import load_reference_data
from webapp.reports.commands import report_command
from webapp.staff.commands import staff_cli
from webapp.suggestions.commands import suggestions_cli
from webapp.suggestions.services import forget_model, train_from_database

users_cli = AppGroup("users", help="Manage accounts.")
reference_cli = AppGroup("reference", help="Reference data (geography, categories, goals).")
requests_cli = AppGroup("requests", help="Maintenance of help requests.")
matching_cli = AppGroup("matching", help="The matching engine: training from the database.")


@matching_cli.command("train")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write the model (default: MATCHING_MODEL_PATH).")
@click.option("--seed", default=0, show_default=True)
def train(out: Path | None, seed: int) -> None:
    """Train the suggestion model on what happened to suggestions, responses and matches."""
    target = out or Path(current_app.config["MATCHING_MODEL_PATH"])
    try:
        model, count = train_from_database(target, seed=seed)
    except matching.TrainingError as error:
        raise click.ClickException(f"Not enough data to train: {error}") from error
    forget_model()
    click.echo(f"Trained a {model.kind} model on {count} interactions; written to {target}")


@users_cli.command("create-staff")
@click.argument("email")
@click.option("--first-name", default="Consulent", show_default=True)
@click.option("--admin", is_flag=True, help="Also give the admin role.")
@click.password_option(prompt="Password", confirmation_prompt=True)
def create_staff(email: str, first_name: str, admin: bool, password: str) -> None:
    """Create a staff member (or give an existing person the staff role)."""
    if not accounts.is_valid_email(accounts.normalise_email(email)):
        raise click.BadParameter("this is not an e-mail address", param_hint="EMAIL")
    problem = password_problem(password, (email, first_name))
    if problem is not None:
        raise click.BadParameter(PASSWORD_PROBLEMS[problem], param_hint="password")
    user = accounts.create_staff(email, password, first_name, admin=admin)
    db.session.commit()
    click.echo(f"Staff account ready: {user.email} ({', '.join(sorted(user.roles))}). "
               "At the first login they set up two-step login with an authenticator app.")


PASSWORD_PROBLEMS = {
    PasswordProblem.TOO_SHORT: f"use at least {MIN_PASSWORD_LENGTH} characters",
    PasswordProblem.TOO_LONG: "this password is too long",
    PasswordProblem.COMMON: "this is a common password, easy to guess; choose another one",
    PasswordProblem.PERSONAL: "the password may not be the e-mail address or the name",
    PasswordProblem.REPETITIVE: "this password repeats the same few characters; choose another one",
}


def _user_by_email(email: str) -> User:
    user = accounts.find_by_email(email)
    if user is None:
        raise click.BadParameter("there is no account with this e-mail address", param_hint="EMAIL")
    return user


@users_cli.command("reset-two-factor")
@click.argument("email")
def reset_two_factor(email: str) -> None:
    """Turn off two-step login for someone who lost both their phone and their recovery codes; at the next login
    they set it up again."""
    user = _user_by_email(email)
    two_factor.turn_off(user)
    accounts.end_sessions(user)
    db.session.commit()
    click.echo(f"Two-step login of {user.email} is reset; they set it up again at their next login.")


@click.command("totp-code")
@click.argument("email")
@with_appcontext
def totp_code_command(email: str) -> None:
    """Print the current two-step login code of an account (development and demo only)."""
    if current_app.config["ENV_NAME"] == "production":
        raise click.ClickException("Refusing to show login codes in production.")
    user = _user_by_email(email)
    if not user.totp_secret:
        raise click.ClickException(f"{user.email} has no two-step login yet; it is set up at the first login.")
    click.echo(two_factor.current_code(user.totp_secret))


@reference_cli.command("load")
def load_reference() -> None:
    """Load or refresh reference data. Idempotent."""
    load_reference_data(db.session)
    db.session.commit()
    click.echo("Reference data loaded.")


@requests_cli.command("expire")
def expire() -> None:
    """Close open requests past their expiry date (for a daily scheduler)."""
    count = expire_requests()
    db.session.commit()
    click.echo(f"Expired {count} request(s).")


@click.command("seed-demo")
@click.option("--scale", default=1, type=click.IntRange(1, 1000), show_default=True,
              help="Multiply the amount of demo data (100 for benchmarks).")
@click.option("--if-empty", is_flag=True, help="Only seed when there are no accounts yet.")
@click.option("--allow-production", is_flag=True,
              help="Seed even with SAMEN_ENV=production (demo accounts have a published password).")
def seed_demo_command(scale: int, if_empty: bool, allow_production: bool) -> None:
    """Fill the database with deterministic, realistic demo data."""
    if current_app.config["ENV_NAME"] == "production" and not allow_production:
        raise click.ClickException(
            "Refusing to load demo data in production: its accounts have a published password. "
            "Add --allow-production for a public demo server."
        )
    if if_empty and db.session.execute(select(func.count()).select_from(User)).scalar_one():
        click.echo("Database already has accounts; demo data not loaded.")
        return
    load_reference_data(db.session)
    summary = seed_demo(db.session, scale=scale, progress=click.echo if scale > 1 else None)
    summary = f"{summary} {seed_staff_work(db.session)}".strip()  # the staff workspace's screenings, intakes, ...
    db.session.commit()
    click.echo(summary)


@click.command("backup")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace OUT if it exists.")
@with_appcontext
def backup_command(out: Path, force: bool) -> None:
    """Copy the SQLite database to OUT, consistently, while the app keeps running.

    For PostgreSQL this prints the pg_dump and pg_restore commands to use instead."""
    url = db.engine.url
    source = sqlite_file(url)
    if source is None:
        dump, restore = postgres_commands(url) if url.get_backend_name() == "postgresql" else ("pg_dump", "")
        _refuse("this database is not an SQLite file; back PostgreSQL up with pg_dump:\n"
                f"  {dump}\nand restore it with:\n  {restore}\n(see 'Backups' in README.md)")
    try:
        result = backup_sqlite(source, out, force=force)
    except BackupRefused as error:
        _refuse(str(error))
    except sqlite3.Error as error:
        _refuse(f"the backup failed: {error}")
    click.echo(f"Backup written to {result.path} ({result.tables} tables, {result.size_bytes:,} bytes, "
               "integrity check ok).")


def _refuse(message: str) -> NoReturn:
    """A clear message on stderr and exit status 2, without a traceback."""
    click.echo(f"Error: {message}", err=True)
    sys.exit(2)


def _database_errors_as_messages(command: click.Command) -> None:
    """A database that cannot be opened or has no tables yet gets one clear line and exit status 2, not a
    traceback, from every command of Samen (subcommands included)."""
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            _database_errors_as_messages(sub)
    callback = command.callback
    if callback is None or getattr(callback, "_samen_guarded", False):
        return

    @functools.wraps(callback)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        try:
            return callback(*args, **kwargs)
        except OperationalError as error:
            _refuse(f"the database cannot be used ({str(error.orig).strip()}). Check DATABASE_URL, and run "
                    "`flask --app webapp db upgrade` on a new database.")

    guarded._samen_guarded = True  # type: ignore[attr-defined]
    command.callback = guarded


def register(app: Flask) -> None:
    for command in (users_cli, reference_cli, requests_cli, matching_cli, suggestions_cli, notify_cli,
                    seed_demo_command, totp_code_command, report_command, staff_cli, retention_cli, backup_command):
        _database_errors_as_messages(command)
    app.cli.add_command(users_cli)
    app.cli.add_command(reference_cli)
    app.cli.add_command(requests_cli)
    app.cli.add_command(matching_cli)
    app.cli.add_command(suggestions_cli)
    app.cli.add_command(notify_cli)
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(totp_code_command)
    app.cli.add_command(report_command)
    app.cli.add_command(staff_cli)
    app.cli.add_command(retention_cli)
    app.cli.add_command(backup_command)
