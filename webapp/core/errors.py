"""Translated error pages. No stack trace ever reaches a user.

When the database cannot be used, every page answers 503 with a Retry-After header, quickly and without touching
the database again, and says what is happening: "Samen cannot reach its database" (PostgreSQL stopped, restarting
or not answering) or "Samen is very busy" (every connection in use, SQLite locked for longer than the busy timeout,
a statement or a lock wait longer than its timeout). A posted form comes back on that page so it can be sent
again with one press. Nothing else is needed to recover: the next request gets a fresh connection.
"""

from __future__ import annotations

import logging
import re
from contextlib import suppress

from flask import Flask, abort, g, render_template, request
from flask_babel import get_locale
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException

from webapp.core.extensions import db, login_manager
from webapp.core.ratelimit.services import RateLimited

log = logging.getLogger(__name__)
PAGES = {400, 403, 404, 405, 429, 500, 503}
RETRY_AFTER_SECONDS = 30
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError, PoolTimeout)
# Fields that are never written back into a page; the person types them again.
SECRET_FIELD = re.compile(r"password|wachtwoord|secret|token", re.IGNORECASE)
# A value that is a code from a choice list or a number ("wed-morning", "nl", "3"): sent again, not shown.
CODE_VALUE = re.compile(r"[a-z0-9_.-]*")
ErrorPage = tuple[str, int, dict[str, str]]


def register(app: Flask) -> None:
    @app.before_request
    def _refuse_nul_bytes() -> None:
        """Nobody types a NUL byte, and PostgreSQL cannot store or compare one: refuse it before any view."""
        if "\x00" in request.path or any("\x00" in key or "\x00" in value
                                          for key, value in request.values.items(multi=True)):
            abort(400)

    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError) -> ErrorPage:
        return _error_page(400, "csrf")

    @app.errorhandler(RateLimited)
    def _rate_limited(error: RateLimited) -> tuple[str, int, dict[str, str]]:
        page = render_template("errors/error.html", code=429, reason=None, minutes=error.refusal.minutes)
        return page, 429, {"Retry-After": str(error.refusal.retry_after)}

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException) -> ErrorPage:
        code = error.code or 500
        return _error_page(code if code in PAGES else 400, None, status=code)

    for exception in DATABASE_UNAVAILABLE:
        app.register_error_handler(exception, database_unavailable)

    # Runs before Flask-SQLAlchemy's own teardown (teardowns run last-registered first), which would raise.
    app.teardown_appcontext(_give_back_connection)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> ErrorPage:
        log.exception("Unhandled error")
        _end_transaction()
        return _error_page(500, None)


def _error_page(code: int, reason: str | None, status: int | None = None) -> ErrorPage:
    """The error page; if drawing it needs the database (who is logged in) and that fails, the 503 page."""
    try:
        return render_template("errors/error.html", code=code, reason=reason), status or code, {}
    except DATABASE_UNAVAILABLE as error:
        return database_unavailable(error)


BUSY_SIGNS = ("database is locked", "statement timeout", "lock timeout")


def cause(error: Exception) -> str:
    """"busy": the database answered but had no room in time; "unreachable": it did not answer at all."""
    if isinstance(error, PoolTimeout):
        return "busy"
    text = str(getattr(error, "orig", None) or error).lower()
    return "busy" if any(sign in text for sign in BUSY_SIGNS) else "unreachable"


def database_unavailable(error: Exception) -> ErrorPage:
    """503 with Retry-After. Drawn without the database: the person is shown as logged out on this page only."""
    log.warning("Database unavailable during %s %s: %s", request.method, request.path, first_line(error))
    if "_login_user" in g:  # already loaded: their language is known without asking the database again
        # SQLAlchemyError: a save that failed half-way leaves the session refusing to load anything until it is
        # rolled back (PendingRollbackError); the page is then in the language of the browser.
        with suppress(SQLAlchemyError):
            get_locale()
    _end_transaction()
    g.database_unavailable = True
    g._login_user = login_manager.anonymous_user()  # Flask-Login's per-request user; no user lookup on this page
    kept, dropped_secret = _kept_fields() if request.method == "POST" else ([], False)
    page = render_template(
        "errors/unavailable.html",
        cause=cause(error),
        resend=request.method == "POST",
        kept=kept,
        shown=[value for name, value in kept if not CODE_VALUE.fullmatch(value)],
        dropped_secret=dropped_secret,
        retry_url=request.full_path.rstrip("?"),
    )
    return page, 503, {"Retry-After": str(RETRY_AFTER_SECONDS)}


def _kept_fields() -> tuple[list[tuple[str, str]], bool]:
    """The posted fields to send again, without the CSRF token (the page has a fresh one) and without secrets."""
    kept, dropped_secret = [], False
    for name, value in request.form.items(multi=True):
        if name == "csrf_token":
            continue
        if SECRET_FIELD.search(name):
            dropped_secret = dropped_secret or bool(value)
            continue
        kept.append((name, value))
    return kept, dropped_secret


def _give_back_connection(error: BaseException | None) -> None:
    """End the request's transaction. When the database went away after the page was made (the rollback fails or
    does not answer), the page is still sent: the connection is thrown away instead of raising at the very end."""
    try:
        db.session.close()
    except SQLAlchemyError as failure:
        log.warning("Giving the database connection back failed (%s); it is thrown away", first_line(failure))
        db.session().invalidate()


def _end_transaction() -> None:
    """Roll back what this request did; a connection that is gone is thrown away by the pool."""
    try:
        db.session.rollback()
    except Exception:  # the connection is already dead: nothing to roll back
        log.debug("Rollback after an error failed", exc_info=True)
        db.session.remove()


def first_line(error: Exception) -> str:
    text = str(getattr(error, "orig", None) or error)
    return f"{type(error).__name__}: {text.strip().splitlines()[0] if text.strip() else ''}"
