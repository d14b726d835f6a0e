"""What every command shares (a clear message and exit status 2 instead of a traceback), and `flask backup create`
and `flask backup restore`."""

from __future__ import annotations

import functools
import sqlite3
import sys
from pathlib import Path
from typing import Any, NoReturn

import click
from alembic.script import ScriptDirectory
from flask.cli import AppGroup, ScriptInfo
from sqlalchemy.exc import OperationalError

from webapp.core.backup import (
    BackupRefused,
    RestoreRefused,
    backup_sqlite,
    postgres_commands,
    postgres_restore_steps,
    restore_sqlite,
    sqlite_file,
)
from webapp.core.config import PROJECT_ROOT
from webapp.core.database import for_jobs
from webapp.core.extensions import db

backup_cli = AppGroup("backup", help="Backing up and restoring the database.")


def refuse(message: str) -> NoReturn:
    """A clear message on stderr and exit status 2, without a traceback."""
    click.echo(f"Error: {message}", err=True)
    sys.exit(2)


@backup_cli.command("create")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace OUT if it exists.")
def create(out: Path, force: bool) -> None:
    """Copy the SQLite database to OUT, consistently, while the app keeps running.

    For PostgreSQL this prints the pg_dump and pg_restore commands to use instead."""
    url = db.engine.url
    source = sqlite_file(url)
    if source is None:
        dump, restore = postgres_commands(url) if url.get_backend_name() == "postgresql" else ("pg_dump", "")
        refuse("this database is not an SQLite file; back PostgreSQL up with pg_dump:\n"
               f"  {dump}\nand restore it with:\n  {restore}\n(see 'Backups' in README.md)")
    try:
        result = backup_sqlite(source, out, force=force)
    except BackupRefused as error:
        refuse(str(error))
    except sqlite3.Error as error:
        refuse(f"the backup failed: {error}")
    click.echo(f"Backup written to {result.path} ({result.tables} tables, {result.size_bytes:,} bytes, "
               "integrity check ok).")


SHOWN_TABLES = ("users", "help_requests", "responses", "matches", "offers", "initiatives", "mail_outbox",
                "audit_log")


@backup_cli.command("restore")
@click.argument("backup", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask before replacing the database.")
def restore(backup: Path, yes: bool) -> None:
    """Put the SQLite backup BACKUP in place of the app's database (Samen must be stopped).

    Checks the backup, refuses while the app has the database open, keeps the current database and its -wal/-shm
    files aside (so a stale write-ahead log is never replayed onto the backup), checks the result and counts its
    rows. For PostgreSQL it prints the steps: restore into a fresh database, check it, then switch."""
    url = db.engine.url  # the URL only: this command never opens the database through the app
    target = sqlite_file(url)
    if target is None:
        steps = postgres_restore_steps(url) if url.get_backend_name() == "postgresql" else ["pg_restore"]
        refuse("this database is not an SQLite file. Restore PostgreSQL into a fresh database, then switch:\n"
               + "\n".join(f"  {n}. {step}" for n, step in enumerate(steps, 1)) + "\n(see docs/RELIABILITY.md)")
    if not yes:
        click.confirm(f"Replace {target} with {backup}? The current database is kept next to it.", abort=True)
    try:
        result = restore_sqlite(backup, target)
    except RestoreRefused as error:
        refuse(str(error))
    except (OSError, sqlite3.Error) as error:
        refuse(f"the restore failed, nothing was changed: {error}")
    counted = ", ".join(f"{name} {result.rows[name]:,}" for name in SHOWN_TABLES if name in result.rows)
    click.echo(f"Restored {backup} to {result.path}: {len(result.rows)} tables, {result.total:,} rows "
               f"({counted}); integrity check ok.")
    for path in result.kept:
        click.echo(f"Kept the replaced file as {path}")
    head = ScriptDirectory(str(PROJECT_ROOT / "migrations")).get_current_head()
    if result.revision != head:
        click.echo(f"The backup is from an older version (migration {result.revision or 'none'}): run "
                   "`flask --app webapp db upgrade` before starting Samen.")
    click.echo("Start Samen again.")


def as_job(command: click.Command) -> None:
    """Every command of Samen (subcommands included) runs as a job: without the web app's statement and lock
    timeouts (webapp.core.database.for_jobs), and a database that cannot be opened or has no tables yet gets one
    clear line and exit status 2, not a traceback."""
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            as_job(sub)
    callback = command.callback
    if callback is None or getattr(callback, "_samen_guarded", False):
        return

    @functools.wraps(callback)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        try:
            with click.get_current_context().ensure_object(ScriptInfo).load_app().app_context():
                for_jobs(db.engine)  # opens no connection
            return callback(*args, **kwargs)
        except OperationalError as error:
            refuse(f"the database cannot be used ({str(error.orig).strip()}). Check DATABASE_URL, and run "
                   "`flask --app webapp db upgrade` on a new database.")

    guarded._samen_guarded = True  # type: ignore[attr-defined]
    command.callback = guarded
