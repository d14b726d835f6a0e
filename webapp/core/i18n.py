"""Choosing the language of a page: the switcher (session), the profile, then the browser.

`select_locale` answers with the Babel locale for formatting (webapp/core/languages.py: English is en_GB, so
dates are British with a 24-hour clock); the catalogue is found from its language part ("en"). Mail and other
work outside a request use `in_language(code)`, which does the same for a person's saved language.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from babel.support import NullTranslations
from flask import Flask, current_app, g, request, session
from flask_babel import force_locale, get_translations, lazy_gettext
from flask_login import current_user

from webapp.core.languages import formatting_locale

# Flask-Login's default message, marked for translation.
LOGIN_MESSAGE = lazy_gettext("Please log in to see this page.")

def chosen_language() -> str:
    """The language code of this request (nl, en, tr, ar, pl, uk)."""
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
    return formatting_locale(chosen_language())


def recipient_language(code: str | None) -> str:
    """A saved language if Samen speaks it, else the default: for mail to a person."""
    if code in current_app.config["LANGUAGES"]:
        return str(code)
    return str(current_app.config["BABEL_DEFAULT_LOCALE"])


@contextmanager
def in_language(code: str) -> Iterator[None]:
    """Texts, dates and numbers in this language (for mail, exports and other work for someone not asking now)."""
    with force_locale(formatting_locale(code)):
        yield


def translations() -> NullTranslations:
    """The catalogue of the language in use here (the page's, or a `force_locale` block's), looked up once per request
    instead of once per text.

    Flask-Babel finds it anew for every `_()`: three context lookups for its state, the locale's name built again,
    a dictionary of catalogues searched; a page has 40 to 200 texts, which made `_()` a seventh of drawing a page.
    Its request state has a slot for the catalogue in use (`babel_translations`), which its `force_locale` empties
    on entering and restores on leaving and its `refresh()` clears; the catalogue is kept there."""
    try:
        state = g._flask_babel
    except (AttributeError, RuntimeError):  # not yet made in this request, or outside any app context
        return get_translations()
    found = getattr(state, "babel_translations", None)
    if found is None:
        found = state.babel_translations = get_translations()
    return found


def gettext(string: str, **variables: Any) -> str:
    """Flask-Babel's `gettext` (the same catalogue, the same `%` formatting) through `translations()`: for Python code
    that words many texts in one request or one `force_locale` block (the reasons of every suggestion in a digest)."""
    text = str(translations().ugettext(string))
    return text % variables if variables else text


def install_template_gettext(app: Flask) -> None:
    """`{{ _() }}` and friends in templates through `translations()` (after Flask-Babel installed its own)."""
    def gettext(string: str) -> str:
        return str(translations().ugettext(string))

    def ngettext(singular: str, plural: str, n: int) -> str:
        return str(translations().ungettext(singular, plural, n))

    def pgettext(context: str, string: str) -> str:
        return str(translations().upgettext(context, string))

    def npgettext(context: str, singular: str, plural: str, n: int) -> str:
        return str(translations().unpgettext(context, singular, plural, n))

    callables: Any = app.jinja_env
    callables.install_gettext_callables(gettext=gettext, ngettext=ngettext, pgettext=pgettext, npgettext=npgettext,
                                        newstyle=True)
