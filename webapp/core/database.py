"""Database connection settings: SQLite gets WAL, a busy timeout and foreign keys; PostgreSQL gets timeouts on every
wait, so a database that is down, frozen or overloaded gives a quick 503 page instead of a page that hangs, and the
app recovers by itself when it is back.

PostgreSQL, per connection of the web app (all configurable, see the README's configuration table):
- connect_timeout 3 s: a new connection to a server that does not answer gives up;
- statement_timeout (DATABASE_STATEMENT_TIMEOUT, 5 s) and lock_timeout (DATABASE_LOCK_TIMEOUT, 3 s), enforced by
  the server: a runaway query or a long wait for a row lock ends with an error, not a hung worker thread;
- an answer timeout on the client (statement timeout + 2 s): a server that is frozen (not stopped) cannot enforce
  its own timeouts, so psycopg waits at most this long for any answer, then closes the connection;
- a ping with a 1.5 s answer timeout when a connection is taken from the pool (instead of pool_pre_ping, which waits
  as long as the server takes): a connection that died or hangs is replaced before a page uses it;
- a pool of DATABASE_POOL_SIZE + DATABASE_MAX_OVERFLOW connections per process, waiting at most
  DATABASE_POOL_TIMEOUT for a free one. Every gunicorn worker has its own pool: see docs/RELIABILITY.md for the sum
  over workers and app servers, which must stay below PostgreSQL's max_connections.
Command-line jobs (migrations, reports, the demo seed) run without the statement, lock and answer timeouts.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, Engine, event, exc
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.pool import Pool

CONNECT_TIMEOUT_SECONDS = 3  # an unreachable PostgreSQL gives a 503 page after this long, not a hanging one
PING_TIMEOUT_SECONDS = 1.5
ANSWER_MARGIN_SECONDS = 2.0  # the client waits this much longer than the server's own statement timeout
DEFAULTS: dict[str, float] = {
    "DATABASE_POOL_SIZE": 5, "DATABASE_MAX_OVERFLOW": 4, "DATABASE_POOL_TIMEOUT": 3,
    "DATABASE_STATEMENT_TIMEOUT": 5, "DATABASE_LOCK_TIMEOUT": 3,
}
_ANSWER_TIMEOUT = "samen_answer_timeout"  # passed from connect_args to the connection (not to libpq)


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


def _bounded_connection_class() -> Any:
    """psycopg's Connection, waiting at most `answer_timeout` seconds for any answer of the server."""
    import psycopg
    from psycopg import errors

    class BoundedConnection(psycopg.Connection):  # type: ignore[type-arg]
        answer_timeout: float | None = None

        def wait(self, gen: Any, interval: float = 0.1, timeout: float | None = None) -> Any:
            try:
                return super().wait(gen, interval, timeout if timeout is not None else self.answer_timeout)
            except errors._WaitTimeout:  # psycopg's own (private) exception for a wait that timed out
                self.pgconn.finish()  # closed: SQLAlchemy sees a disconnect and throws the connection away
                raise psycopg.OperationalError(
                    f"PostgreSQL did not answer within {self.answer_timeout} s; connection closed") from None

    return BoundedConnection


_BOUNDED: Any = None


def _connect(dialect: Any, connection_record: Any, cargs: Any, cparams: dict[str, Any]) -> Any:
    """Open PostgreSQL connections as BoundedConnection (engine event "do_connect")."""
    global _BOUNDED
    timeout = cparams.pop(_ANSWER_TIMEOUT, None)
    if timeout is None or dialect.name != "postgresql" or dialect.driver != "psycopg":
        return None  # SQLAlchemy connects as usual
    if _BOUNDED is None:
        _BOUNDED = _bounded_connection_class()
    connection = _BOUNDED.connect(*cargs, **cparams)
    connection.answer_timeout = float(timeout)
    return connection


def _ping(dbapi_connection: Any, connection_record: Any, connection_proxy: Any) -> None:
    """Before a pooled PostgreSQL connection is used: one round trip, within PING_TIMEOUT_SECONDS."""
    if _BOUNDED is None or not isinstance(dbapi_connection, _BOUNDED):
        return
    usual, autocommit = dbapi_connection.answer_timeout, dbapi_connection.autocommit
    dbapi_connection.answer_timeout = PING_TIMEOUT_SECONDS
    dbapi_connection.autocommit = True  # the ping starts no transaction: the connection stays idle
    try:
        with dbapi_connection.cursor() as cursor:
            cursor.execute(";")
    except Exception as error:
        raise exc.DisconnectionError(str(error)) from error  # the pool opens a new connection instead
    finally:
        dbapi_connection.answer_timeout = usual
        if not dbapi_connection.closed:
            dbapi_connection.autocommit = autocommit


def install_postgres_timeouts() -> None:
    if not event.contains(Engine, "do_connect", _connect):
        event.listen(Engine, "do_connect", _connect)
        event.listen(Pool, "checkout", _ping)


def engine_options(uri: str, config: Mapping[str, Any] | None = None) -> dict[str, Any]:
    if uri.startswith("sqlite"):
        return {"connect_args": {"timeout": 15, "check_same_thread": False}}
    settings = {**DEFAULTS, **{k: v for k, v in (config or {}).items() if k in DEFAULTS}}
    statement_ms = int(float(settings["DATABASE_STATEMENT_TIMEOUT"]) * 1000)
    lock_ms = int(float(settings["DATABASE_LOCK_TIMEOUT"]) * 1000)
    return {
        "pool_pre_ping": False,  # _ping does this, with a timeout
        "pool_size": int(settings["DATABASE_POOL_SIZE"]),
        "max_overflow": int(settings["DATABASE_MAX_OVERFLOW"]),
        "pool_timeout": float(settings["DATABASE_POOL_TIMEOUT"]),
        "connect_args": {
            "connect_timeout": CONNECT_TIMEOUT_SECONDS,
            "application_name": "samen",
            "options": f"-c statement_timeout={statement_ms} -c lock_timeout={lock_ms} "
                       f"-c idle_in_transaction_session_timeout={max(60_000, 4 * statement_ms)}",
            _ANSWER_TIMEOUT: float(settings["DATABASE_STATEMENT_TIMEOUT"]) + ANSWER_MARGIN_SECONDS,
        },
    }


def _without_timeouts(dbapi_connection: Any, connection_record: Any = None) -> None:
    if _BOUNDED is not None and isinstance(dbapi_connection, _BOUNDED):
        dbapi_connection.answer_timeout = None
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = 0")
            cursor.execute("SET lock_timeout = 0")
            cursor.execute("SET idle_in_transaction_session_timeout = 0")
        dbapi_connection.commit()


def for_jobs(engine: Engine) -> None:
    """Command-line jobs may run long statements (a migration, a year's report, the demo seed at 100×): their
    connections get no statement, lock or answer timeout. Only the web app's requests are bounded."""
    if engine.dialect.name != "postgresql" or event.contains(engine, "connect", _without_timeouts):
        return
    engine.dispose()  # connections opened before this keep their timeouts: open new ones
    event.listen(engine, "connect", _without_timeouts)


def lift_timeouts(connection: Connection) -> None:
    """The same for one connection (the migrations' own)."""
    if connection.dialect.name == "postgresql":
        _without_timeouts(connection.connection.driver_connection)


def conflict_insert(table: Any, bind: Engine | Connection) -> Any:
    """An INSERT that knows ON CONFLICT (DO NOTHING / DO UPDATE), on SQLite and PostgreSQL alike: the one place
    that picks the dialect. `bind`: `db.session.get_bind()`, an engine or a connection."""
    dialect = postgresql if bind.dialect.name == "postgresql" else sqlite
    return dialect.insert(table)
