"""Translated error pages. No stack trace ever reaches a user."""

from __future__ import annotations

import logging

from flask import Flask, abort, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from webapp.extensions import db
from webapp.ratelimit.services import RateLimited

log = logging.getLogger(__name__)
PAGES = {400, 403, 404, 405, 429, 500, 503}


def register(app: Flask) -> None:
    @app.before_request
    def _refuse_nul_bytes() -> None:
        """Nobody types a NUL byte, and PostgreSQL cannot store or compare one: refuse it before any view."""
        if "\x00" in request.path or any("\x00" in key or "\x00" in value
                                          for key, value in request.values.items(multi=True)):
            abort(400)

    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError) -> tuple[str, int]:
        return render_template("errors/error.html", code=400, reason="csrf"), 400

    @app.errorhandler(RateLimited)
    def _rate_limited(error: RateLimited) -> tuple[str, int, dict[str, str]]:
        page = render_template("errors/error.html", code=429, reason=None, minutes=error.refusal.minutes)
        return page, 429, {"Retry-After": str(error.refusal.retry_after)}

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException) -> tuple[str, int]:
        code = error.code or 500
        return render_template("errors/error.html", code=code if code in PAGES else 400, reason=None), code

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> tuple[str, int]:
        log.exception("Unhandled error")
        db.session.rollback()
        return render_template("errors/error.html", code=500, reason=None), 500
