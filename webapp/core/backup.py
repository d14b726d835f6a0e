"""Backups. SQLite: a consistent copy of the live database through SQLite's online backup API, safe while the app
writes. PostgreSQL: pg_dump and pg_restore do this better than the app could, so the app says how to use them."""

from __future__ import annotations

import os
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL


class BackupRefused(Exception):
    """The backup was not made; the message says why and what to do."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    tables: int
    size_bytes: int


def sqlite_file(url: URL) -> Path | None:
    """The database file of an SQLite URL; None for another database (or an in-memory one)."""
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database)


def postgres_commands(url: URL) -> tuple[str, str]:
    """The pg_dump and pg_restore commands for this database (password left out: use ~/.pgpass or PGPASSWORD)."""
    plain = URL.create("postgresql", username=url.username, host=url.host, port=url.port, database=url.database,
                       query=url.query).render_as_string(hide_password=False)
    return (f'pg_dump --format=custom --file=samen-$(date +%F).dump "{plain}"',
            f'pg_restore --clean --if-exists --no-owner --dbname="{plain}" samen-YYYY-MM-DD.dump')


def backup_sqlite(source: Path, out: Path, *, force: bool = False) -> BackupResult:
    """Copy the live SQLite database `source` to `out` in one consistent step.

    The copy is a snapshot of one moment: SQLite's backup API reads it in a single read transaction, which in WAL
    mode does not block the app's writers. It is written to a temporary file next to `out`, checked with
    `PRAGMA integrity_check`, made self-contained (rollback journal instead of WAL) and only then renamed to `out`,
    so a failed backup never leaves half a file or destroys an older backup."""
    if not source.is_file():
        raise BackupRefused(f"the database file {source} does not exist")
    if not out.parent.is_dir():
        raise BackupRefused(f"the folder {out.parent} does not exist; create it first")
    if out.exists() and not force:
        raise BackupRefused(f"{out} already exists; choose another name or add --force to replace it")
    if out.exists() and not out.is_file():
        raise BackupRefused(f"{out} is not a file")
    if out.resolve() == source.resolve():
        raise BackupRefused("the backup cannot replace the database itself")
    handle, temporary = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".partial", dir=out.parent)
    os.close(handle)
    try:
        tables = _copy(source, Path(temporary))
        os.replace(temporary, out)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return BackupResult(path=out, tables=tables, size_bytes=out.stat().st_size)


def _copy(source: Path, target: Path) -> int:
    live = sqlite3.connect(source, timeout=15)
    copy = sqlite3.connect(target)
    try:
        live.backup(copy)  # all pages in one step: one consistent snapshot
        copy.execute("PRAGMA journal_mode=DELETE")  # one file, no -wal/-shm next to it
        problems = [row[0] for row in copy.execute("PRAGMA integrity_check")]
        if problems != ["ok"]:
            raise BackupRefused(f"the copy failed its integrity check: {'; '.join(problems[:5])}")
        return int(copy.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0])
    finally:
        copy.close()
        live.close()
