"""What every command shares (a clear message and exit status 2 instead of a traceback), and `flask backup create`."""

from __future__ import annotations

import functools
import sqlite3
import sys
from pathlib import Path
from typing import Any, NoReturn

import click
from flask.cli import AppGroup
from sqlalchemy.exc import OperationalError

from webapp.core.backup import BackupRefused, backup_sqlite, postgres_commands, sqlite_file
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


def database_errors_as_messages(command: click.Command) -> None:
    """A database that cannot be opened or has no tables yet gets one clear line and exit status 2, not a
    traceback, from every command of Samen (subcommands included)."""
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            database_errors_as_messages(sub)
    callback = command.callback
    if callback is None or getattr(callback, "_samen_guarded", False):
        return

    @functools.wraps(callback)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        try:
            return callback(*args, **kwargs)
        except OperationalError as error:
            refuse(f"the database cannot be used ({str(error.orig).strip()}). Check DATABASE_URL, and run "
                   "`flask --app webapp db upgrade` on a new database.")

    guarded._samen_guarded = True  # type: ignore[attr-defined]
    command.callback = guarded
