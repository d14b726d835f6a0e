"""The accessibility statement (toegankelijkheidsverklaring), the offline page and the service worker.

The service worker must be served from the site root to control every page, so it has its own route; the file
itself lives in static/js/sw.js. Without JavaScript none of this is needed: every page works as it is.
"""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, send_from_directory
from werkzeug.wrappers import Response as WerkzeugResponse

from webapp.core.reference.labels import locale_code

bp = Blueprint("help_pages", __name__)

# Until the volunteer centre names its own address, feedback goes to this one (override with CONTACT_EMAIL).
DEFAULT_CONTACT_EMAIL = "toegankelijkheid@samen-haarlem.nl"


@bp.get("/toegankelijkheid")
def accessibility() -> str:
    variant = "en" if locale_code() == "en" else "nl"
    return render_template(f"help_pages/accessibility_{variant}.html",
                           contact_email=current_app.config.get("CONTACT_EMAIL", DEFAULT_CONTACT_EMAIL))


@bp.get("/offline")
def offline() -> str:
    return render_template("help_pages/offline.html")


@bp.get("/sw.js")
def service_worker() -> WerkzeugResponse:
    response = send_from_directory(current_app.static_folder or "static", "js/sw.js",
                                   mimetype="text/javascript", max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    return response
