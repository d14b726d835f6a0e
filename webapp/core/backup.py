"""Backups and restores. SQLite: a consistent copy of the live database through SQLite's online backup API, safe
while the app writes; a restore that never replays a stale write-ahead log onto the copy. PostgreSQL: pg_dump and
pg_restore do this better than the app could, so the app says how to use them (restore into a fresh database, check
it, then switch)."""

from __future__ import annotations

import os
import sqlite3
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
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


def _plain(url: URL, database: str | None = None) -> str:
    return URL.create("postgresql", username=url.username, host=url.host, port=url.port,
                      database=database or url.database, query=url.query).render_as_string(hide_password=False)


def postgres_commands(url: URL) -> tuple[str, str]:
    """The pg_dump and pg_restore commands for this database (password left out: use ~/.pgpass or PGPASSWORD)."""
    plain = _plain(url)
    return (f'pg_dump --format=custom --file=samen-$(date +%F).dump "{plain}"',
            f'pg_restore --clean --if-exists --no-owner --dbname="{plain}" samen-YYYY-MM-DD.dump')


def postgres_restore_steps(url: URL) -> list[str]:
    """Restoring PostgreSQL: into a fresh database next to the live one, checked, and only then switched to, so a
    dump that fails half-way never leaves the live database half-restored."""
    fresh = f"{url.database or 'samen'}_restored"
    target = _plain(url, fresh)
    return [
        f'createdb --host={url.host or "localhost"} --port={url.port or 5432} '
        f'--username={url.username or "samen"} {fresh}',
        f'pg_restore --no-owner --exit-on-error --dbname="{target}" samen-YYYY-MM-DD.dump',
        f'DATABASE_URL="{url.set(database=fresh).render_as_string(hide_password=True)}" '
        "flask --app webapp db upgrade   # the dump may be from an older version",
        f"stop the app, set DATABASE_URL to the database {fresh}, start the app; keep the old database until "
        "you are sure",
    ]


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


class RestoreRefused(Exception):
    """The restore was not done; the message says why and what to do. Nothing was changed."""


@dataclass(frozen=True)
class RestoreResult:
    path: Path
    rows: dict[str, int]
    kept: list[Path] = field(default_factory=list)  # the database that was replaced, and its -wal/-shm, moved aside
    revision: str = ""

    @property
    def total(self) -> int:
        return sum(self.rows.values())


SIDE_FILES = ("-wal", "-shm", "-journal")


def _side(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def check_sqlite(path: Path) -> tuple[dict[str, int], str]:
    """Row counts per table and the migration revision of an SQLite database, read-only; RestoreRefused when it is
    not a sound Samen database."""
    if not path.is_file():
        raise RestoreRefused(f"{path} does not exist or is not a file")
    if any(_side(path, suffix).exists() for suffix in ("-wal", "-journal")):
        raise RestoreRefused(f"{path} has a -wal or -journal file next to it: it is a live database, not a backup "
                             "made by `flask backup create`; make one from it first")
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise RestoreRefused(f"{path} cannot be opened: {error}") from error
    try:
        problems = [row[0] for row in connection.execute("PRAGMA integrity_check")]
        if problems != ["ok"]:
            raise RestoreRefused(f"{path} failed its integrity check: {'; '.join(problems[:5])}")
        tables = [row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        if "alembic_version" not in tables or "users" not in tables:
            raise RestoreRefused(f"{path} is not a Samen database (no users or alembic_version table)")
        rows = {name: int(connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0])  # noqa: S608
                for name in tables}
        revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        return rows, str(revision[0]) if revision else ""
    except sqlite3.DatabaseError as error:
        raise RestoreRefused(f"{path} is not a readable SQLite database: {error}") from error
    finally:
        connection.close()


def _refuse_if_in_use(target: Path) -> None:
    """An app (or job) with the database open keeps its connection: replacing the file under it would lose every
    write it makes afterwards. Leaving WAL mode needs the only connection, so trying it tells (and, when the app
    is stopped, folds a crashed database's log into it, so the copy kept aside is complete)."""
    if not target.exists():
        return
    try:
        connection = sqlite3.connect(target, timeout=0)
        try:
            connection.execute("PRAGMA journal_mode=DELETE").fetchone()
        finally:
            connection.close()
    except sqlite3.OperationalError as error:
        if "locked" in str(error) or "busy" in str(error):
            raise RestoreRefused(f"{target} is in use: stop Samen (the app server and its scheduled jobs) first, "
                                 "then run the restore again") from error
        # A damaged database that cannot even be opened is what a restore is for: it is kept aside below.
    except sqlite3.DatabaseError:
        pass


def restore_sqlite(backup: Path, target: Path, *, now: datetime | None = None) -> RestoreResult:
    """Put `backup` in place of the database `target`, safely:

    1. the backup must be a sound Samen database (integrity check, tables) and not a live one with a log;
    2. the app must be stopped (nobody else has `target` open);
    3. the current database and any -wal/-shm/-journal next to it are moved aside (kept, named
       `<name>.before-restore-<time>...`), so no stale write-ahead log can be replayed onto the restored copy;
    4. the backup is copied next to the target, checked again, and renamed into place in one step;
    5. the rows of every table are counted, for the person restoring to compare with what they expect."""
    if target.resolve() == backup.resolve():
        raise RestoreRefused("the backup is the database itself; give the path of a backup file")
    if not target.parent.is_dir():
        raise RestoreRefused(f"the folder {target.parent} does not exist")
    check_sqlite(backup)
    _refuse_if_in_use(target)
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%S")
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".restoring", dir=target.parent)
    os.close(handle)
    kept: list[Path] = []
    try:
        source = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
        copy = sqlite3.connect(temporary)
        try:
            source.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")
        finally:
            copy.close()
            source.close()
        with open(temporary, "rb") as written:
            os.fsync(written.fileno())
        rows, revision = check_sqlite(Path(temporary))
        for path in (target, *(_side(target, suffix) for suffix in SIDE_FILES)):
            if path.exists():
                aside = path.with_name(f"{target.name}.before-restore-{stamp}{path.name[len(target.name):]}")
                os.replace(path, aside)
                kept.append(aside)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        for aside in kept:  # put back what was moved: a failed restore changes nothing
            os.replace(aside, target.with_name(target.name + aside.name[len(f"{target.name}.before-restore-{stamp}"):]))
        raise
    return RestoreResult(path=target, rows=rows, kept=kept, revision=revision)
