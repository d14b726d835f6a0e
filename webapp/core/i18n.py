"""Choosing the language of a page: the switcher (session), the profile, then the browser."""

from __future__ import annotations

from flask import current_app, request, session
from flask_babel import lazy_gettext
from flask_login import current_user

# Flask-Login's default message, marked for translation.
LOGIN_MESSAGE = lazy_gettext("Please log in to see this page.")


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    chosen = session.get("lang")
    if chosen in languages:
        return str(chosen)
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return str(current_user.locale)
    for tag, _quality in request.accept_languages:  # best first; "nl-BE" counts as Dutch
        primary = tag.split("-")[0].split("_")[0].lower()
        if primary in languages:
            return primary
    return str(current_app.config["BABEL_DEFAULT_LOCALE"])
