"""The accessibility statement (toegankelijkheidsverklaring), the offline page and the service worker.

The service worker must be served from the site root to control every page, so it has its own route; the file
itself lives in static/js/sw.js. Without JavaScript none of this is needed: every page works as it is.
"""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, send_from_directory
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response as WerkzeugResponse

from webapp.core.i18n import in_language
from webapp.core.languages import TABLE
from webapp.core.languages import language as language_of
from webapp.core.reference.labels import locale_code
from webapp.help_pages import figures

bp = Blueprint("help_pages", __name__)

# Until the volunteer centre names its own address, feedback goes to this one (override with CONTACT_EMAIL).
DEFAULT_CONTACT_EMAIL = "toegankelijkheid@samen-haarlem.nl"


@bp.get("/toegankelijkheid")
def accessibility() -> str:
    found = figures.load()
    return render_template("help_pages/accessibility.html", figures=found,
                           figures_current=found is not None and found.get("code") == figures.current_fingerprint(),
                           languages_by_code={language.code: language for language in TABLE},
                           contact_email=current_app.config.get("CONTACT_EMAIL", DEFAULT_CONTACT_EMAIL))


OFFLINE_TEXTS = {
    "title": _l("No internet"),
    "explain": _l("Your phone or computer has no internet connection right now. That is why Samen cannot show this "
                  "page."),
    "kept": _l("What you already sent is not lost. Find a place with internet or wifi and then try again."),
    "draft": _l("Did you just send a form? What you typed is kept on this device. When you have internet again, open "
                "the form: your text is put back."),
    "open_form": _l("Open the form again"),
    "again": _l("Try again"),
    "skip": _l("Skip to content"),
}


@bp.get("/offline")
def offline() -> str:
    """Every language, the page's own first: the page is cached once and shown to whoever has no internet."""
    first = locale_code()
    texts = []
    for code in [first, *(language.code for language in TABLE if language.code != first)]:
        with in_language(code):
            texts.append((language_of(code), {key: str(text) for key, text in OFFLINE_TEXTS.items()}))
    return render_template("help_pages/offline.html", texts=texts)


@bp.get("/sw.js")
def service_worker() -> WerkzeugResponse:
    response = send_from_directory(current_app.static_folder or "static", "js/sw.js",
                                   mimetype="text/javascript", max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    return response
