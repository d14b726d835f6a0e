"""Template globals and filters shared by every page."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import Flask, request
from flask_babel import format_date, format_datetime

from webapp.core.languages import TABLE, language
from webapp.core.numbers import format_decimal
from webapp.core.reference.labels import language_label, locale_code, localized_name, slot_label


def _format_date(value: date | datetime | None, style: str = "medium") -> str:
    if value is None:
        return ""
    return str(format_date(value, style))


def _format_isodate(value: str | None, style: str = "long") -> str:
    """A date written as 2026-12-07 (in a data file), in the page's language."""
    try:
        return str(format_date(date.fromisoformat(str(value)), style))
    except ValueError:
        return str(value or "")


def _format_datetime(value: datetime | None, style: str = "medium") -> str:
    if value is None:
        return ""
    return str(format_datetime(value, style))


def _format_number(value: float | int | None) -> str:
    if value is None:
        return ""
    return str(format_decimal(round(value, 1)))


def register(app: Flask) -> None:
    app.jinja_env.filters["number"] = _format_number
    app.jinja_env.filters["date"] = _format_date
    app.jinja_env.filters["datetime"] = _format_datetime
    app.jinja_env.filters["isodate"] = _format_isodate
    app.jinja_env.filters["slot"] = slot_label
    app.jinja_env.filters["language"] = language_label
    app.jinja_env.filters["lname"] = localized_name
    app.jinja_env.globals["text_direction"] = lambda code: language(code).direction
    app.jinja_env.globals["languages"] = TABLE

    @app.context_processor
    def _globals() -> dict[str, Any]:
        return {
            "current_locale": locale_code(),
            "current_dir": language(locale_code()).direction,
            "current_path": request.full_path.rstrip("?") if request else "/",
        }
