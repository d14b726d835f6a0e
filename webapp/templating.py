"""Template globals and filters shared by every page."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import Flask, request
from flask_babel import format_date, format_datetime, format_decimal
from flask_login import current_user

from webapp.notifications.services import unread_count
from webapp.reference.labels import language_label, locale_code, localized_name, slot_label
from webapp.suggestions.reasons import reason_text


def _format_date(value: date | datetime | None, style: str = "medium") -> str:
    if value is None:
        return ""
    return str(format_date(value, style))


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
    app.jinja_env.filters["reason"] = reason_text
    app.jinja_env.filters["reason_other"] = lambda reason: reason_text(reason, for_volunteer=False)
    app.jinja_env.filters["date"] = _format_date
    app.jinja_env.filters["datetime"] = _format_datetime
    app.jinja_env.filters["slot"] = slot_label
    app.jinja_env.filters["language"] = language_label
    app.jinja_env.filters["lname"] = localized_name

    @app.context_processor
    def _globals() -> dict[str, Any]:
        unread = 0
        if current_user and current_user.is_authenticated:
            unread = unread_count(current_user.id)
        return {
            "current_locale": locale_code(),
            "unread_notifications": unread,
            "current_path": request.full_path.rstrip("?") if request else "/",
        }
