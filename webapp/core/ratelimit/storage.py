"""A `limits` storage in the app's own database, so every worker (and every app on the same database) counts
together. Registered under the URI scheme ``samen+db://``; works on SQLite and PostgreSQL.

Each counter is one row, changed by a single atomic statement (INSERT … ON CONFLICT DO UPDATE … RETURNING), so two
workers hitting the same key at once never lose a count. Counters are written on their own connection and committed
at once, independent of the request's transaction. So count before the request's session writes anything, or after
it commits: on SQLite a second writer waits for the first, and the first is this same request.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import Any, cast

from limits.storage import Storage
from sqlalchemy import Engine, Table, case, delete, select
from sqlalchemy.exc import SQLAlchemyError

from webapp.core.database import conflict_insert
from webapp.core.extensions import db
from webapp.core.ratelimit.models import RateCounter

SCHEME = "samen+db"
PURGE_EVERY = 200  # about one hit in this many also removes long-expired counters
TABLE = cast(Table, RateCounter.__table__)


class DatabaseStorage(Storage):
    STORAGE_SCHEME = [SCHEME]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, *,
                 engine: Callable[[], Engine] | None = None, clock: Callable[[], float] | None = None,
                 **options: Any) -> None:
        """`engine` returns the engine to use (by default the current Flask app's); `clock` the time now."""
        super().__init__(uri, wrap_exceptions=wrap_exceptions)
        self._engine = engine or _current_engine
        self.clock = clock or time.time

    @property
    def base_exceptions(self) -> type[Exception] | tuple[type[Exception], ...]:
        return SQLAlchemyError

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = self.clock()
        table = TABLE
        engine = self._engine()
        insert = conflict_insert(table, engine).values(key=key, count=amount, expires_at=now + expiry)
        expired = table.c.expires_at <= now
        statement = insert.on_conflict_do_update(
            index_elements=[table.c.key],
            set_={
                "count": case((expired, amount), else_=table.c.count + amount),
                "expires_at": case((expired, now + expiry), else_=table.c.expires_at),
            },
        ).returning(table.c.count)
        with engine.begin() as connection:
            count = int(connection.execute(statement).scalar_one())
            if random.randrange(PURGE_EVERY) == 0:  # housekeeping, not security
                connection.execute(delete(table).where(table.c.expires_at < now - 3600))
        return count

    def _row(self, key: str) -> tuple[int, float] | None:
        table = TABLE
        with self._engine().connect() as connection:
            row = connection.execute(
                select(table.c.count, table.c.expires_at).where(table.c.key == key, table.c.expires_at > self.clock())
            ).first()
        return (int(row[0]), float(row[1])) if row else None

    def get(self, key: str) -> int:
        row = self._row(key)
        return row[0] if row else 0

    def get_expiry(self, key: str) -> float:
        row = self._row(key)
        return row[1] if row else self.clock()

    def check(self) -> bool:
        try:
            with self._engine().connect() as connection:
                connection.execute(select(1))
        except SQLAlchemyError:
            return False
        return True

    def reset(self) -> int | None:
        with self._engine().begin() as connection:
            return connection.execute(delete(TABLE)).rowcount

    def clear(self, key: str) -> None:
        with self._engine().begin() as connection:
            connection.execute(delete(TABLE).where(TABLE.c.key == key))


def _current_engine() -> Engine:
    return db.engine
