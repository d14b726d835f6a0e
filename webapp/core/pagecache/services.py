"""Reading, storing and clearing cached pages. Works on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Iterable
from typing import Any, cast

from flask import current_app, has_app_context
from sqlalchemy import Engine, Table, create_engine, delete, exists, literal, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

from webapp.core import database
from webapp.core.pagecache.models import CachedPage

log = logging.getLogger(__name__)
TABLE = cast(Table, CachedPage.__table__)
ALL = "*"
# A group is cleared right after the change is committed; a page whose rendering started before that may show the
# state before the change: it is served but not stored. The margin covers clocks of several app servers that differ
# a little (keep them in sync with NTP).
SETTLE_SECONDS = 0.25
MARK = "mark:"


def engine() -> Engine:
    """The cache's own connection pool on the app's database. Clearing runs right after a commit, while the request
    may still hold its connection: borrowing a second one from the app's pool could leave every thread waiting for a
    connection that another waiting thread holds.

    Every statement here stands on its own (autocommit): a cache hit is one round trip, not BEGIN, SELECT and
    ROLLBACK, and no cache statement ever holds a lock past itself. No ping before use either: a connection that died
    with a database restart fails one read (the page is then rendered as usual) and is replaced; clearing retries."""
    found = current_app.extensions.get("samen_page_cache_engine")
    if found is None:
        uri = current_app.config["SQLALCHEMY_DATABASE_URI"]
        options: dict[str, Any] = {"connect_args": database.engine_options(uri).get("connect_args", {}),
                                   "isolation_level": "AUTOCOMMIT"}
        if current_app.testing:  # tests make many apps; none may leave pooled connections behind
            options["poolclass"] = NullPool
        else:  # about one connection per thread of a worker (gunicorn.conf.py: 8)
            options.update(pool_size=8, max_overflow=8, pool_timeout=5)
        found = current_app.extensions["samen_page_cache_engine"] = create_engine(uri, **options)
    return found


def dispose() -> None:
    found = current_app.extensions.pop("samen_page_cache_engine", None)
    if found is not None:
        found.dispose()


def page_key(tag: str, locale: str, full_path: str) -> str:
    digest = hashlib.sha256(f"{locale}\n{full_path}".encode()).hexdigest()[:48]
    return f"{tag}:{digest}"


def lookup(key: str, now: float | None = None) -> bytes | None:
    try:
        with engine().connect() as connection:
            body = connection.execute(
                select(TABLE.c.body).where(TABLE.c.key == key, TABLE.c.expires_at > (now or time.time()))
            ).scalar_one_or_none()
    except SQLAlchemyError as error:  # the cache is an aid: without it the page is rendered as usual
        log.warning("page cache not read: %s", error)
        return None
    return bytes(body) if body is not None else None


def store(key: str, tag: str, body: bytes, *, rendered_since: float, seconds: float) -> bool:
    """Keep a page for `seconds`, unless its group (or everything) was cleared after `rendered_since`."""
    now = time.time()
    mark = TABLE.alias("mark")
    marks = select(literal(1)).select_from(mark).where(mark.c.key.in_((MARK + tag, MARK + ALL)),
                                                       mark.c.expires_at > rendered_since).correlate(None)
    row = select(literal(key), literal(tag), literal(body), literal(now + seconds)).where(~exists(marks))
    try:
        with engine().connect() as connection:  # autocommit: each statement on its own
            statement = database.conflict_insert(TABLE, connection).from_select(
                ["key", "tag", "body", "expires_at"], row)
            stored = connection.execute(statement.on_conflict_do_update(
                index_elements=[TABLE.c.key],
                set_={"body": statement.excluded.body, "expires_at": statement.excluded.expires_at},
            ).returning(TABLE.c.key)).first() is not None  # rowcount is -1 for INSERT … SELECT on psycopg
            connection.execute(delete(TABLE).where(TABLE.c.expires_at < now - 60, ~TABLE.c.key.startswith(MARK)))
    except SQLAlchemyError as error:
        log.warning("page cache not written: %s", error)
        return False
    return stored


def clear(tags: Iterable[str]) -> None:
    """Forget the pages of these groups (ALL: every page) and mark the groups, so that a page being rendered right
    now from the state before the change is not stored. Runs right after the change is committed, one statement at
    a time (autocommit, so no lock is held past a statement): first the marks, then the pages, so a page stored
    before the marks were visible is deleted after them."""
    chosen = sorted(set(tags))
    if not chosen or not has_app_context():
        return
    pages = [TABLE.c.key.not_like(MARK + "%")]
    if ALL not in chosen:
        pages.append(TABLE.c.tag.in_(chosen))
    until = time.time() + SETTLE_SECONDS
    for attempt in (1, 2):  # a pooled connection may have died with a database restart: the second gets a new one
        try:
            with engine().connect() as connection:
                for tag in chosen:
                    statement = database.conflict_insert(TABLE, connection).values(
                        key=MARK + tag, tag=tag, body=b"", expires_at=until)
                    connection.execute(statement.on_conflict_do_update(index_elements=[TABLE.c.key],
                                                                       set_={"expires_at": until}))
                connection.execute(delete(TABLE).where(*pages))
            return
        except SQLAlchemyError as error:  # pages then live until they expire: say so loudly
            if attempt == 2:
                log.error("page cache not cleared for %s: %s", ", ".join(chosen), error)
