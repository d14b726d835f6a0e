"""Choosing the language of a page: the switcher (session), the profile, then the browser.

A page's language (its texts, `<html lang>`, the switcher) is a plain code such as "en". Dates and numbers are
written the way people of that language *in the Netherlands* read them: English as in Britain (17 Mar 2027, 16:30),
not as in the United States (Mar 17, 2027, 4:30 PM). Flask-Babel formats with the locale the selector returns, and
gettext finds the translations of "en_GB" under "en" by itself, so the selector returns the formatting locale.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import current_app, request, session
from flask_babel import force_locale, lazy_gettext
from flask_login import current_user

# Flask-Login's default message, marked for translation.
LOGIN_MESSAGE = lazy_gettext("Please log in to see this page.")

#: Language of the interface → the CLDR locale its dates, times and numbers are written in. A language that is not
#: here formats as itself (Turkish "tr", Polish "pl", ...).
FORMATTING_LOCALES: dict[str, str] = {
    "nl": "nl_NL",
    "en": "en_GB",
}


def formatting_locale(language: str) -> str:
    return FORMATTING_LOCALES.get(language, language)


def choose_language() -> str:
    """The language code of this request ("nl", "en", ...)."""
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


def select_locale() -> str:
    """Flask-Babel's locale selector: the formatting locale of the chosen language."""
    return formatting_locale(choose_language())


@contextmanager
def in_language(language: str) -> Iterator[None]:
    """Texts, dates and numbers in this language, for work outside a person's request (e-mails, exports)."""
    with force_locale(formatting_locale(language)):
        yield
