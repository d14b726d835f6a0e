"""Database connection settings: SQLite gets WAL, a busy timeout and foreign keys; PostgreSQL a short connect
timeout and pre-ping, so an outage gives a quick 503 page and the app recovers by itself."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, event
from sqlalchemy.dialects import postgresql, sqlite


def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def install_sqlite_pragmas() -> None:
    if not event.contains(Engine, "connect", _sqlite_pragmas):
        event.listen(Engine, "connect", _sqlite_pragmas)


CONNECT_TIMEOUT_SECONDS = 3  # an unreachable PostgreSQL gives a 503 page after this long, not a hanging one


def engine_options(uri: str) -> dict[str, Any]:
    if uri.startswith("sqlite"):
        return {"connect_args": {"timeout": 15, "check_same_thread": False}}
    # pool_pre_ping: a connection that died while PostgreSQL restarted is replaced before use, so the app
    # recovers by itself when the database is back.
    return {"pool_pre_ping": True, "pool_size": 10, "max_overflow": 20,
            "connect_args": {"connect_timeout": CONNECT_TIMEOUT_SECONDS}}


def conflict_insert(table: Any, bind: Engine | Connection) -> Any:
    """An INSERT that knows ON CONFLICT (DO NOTHING / DO UPDATE), on SQLite and PostgreSQL alike: the one place
    that picks the dialect. `bind`: `db.session.get_bind()`, an engine or a connection."""
    dialect = postgresql if bind.dialect.name == "postgresql" else sqlite
    return dialect.insert(table)
