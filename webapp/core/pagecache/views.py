"""Serving anonymous visitors from the cache, and filling it."""

from __future__ import annotations

import time

from flask import Flask, Response, current_app, g, request, session
from werkzeug.wrappers import Response as WerkzeugResponse

from webapp.core.i18n import select_locale
from webapp.core.pagecache import services

# Endpoint -> the group it is cleared with. Only pages that look the same to every anonymous visitor.
CACHEABLE = {
    "pages.index": "requests",
    "asks.index": "requests",
    "asks.show": "requests",
    "offers.index": "offers",
    "offers.show": "offers",
    "initiatives.index": "initiatives",
    "initiatives.needs_board": "initiatives",
    "initiatives.show": "initiatives",
    "initiatives.vacancies": "initiatives",
    "initiatives.organisations": "initiatives",
    "budgets.index": "budgets",
    "budgets.show": "budgets",
    "budgets.results": "budgets",
    "volunteering.index": "volunteering",
}


# The query arguments these pages read. A URL with any other argument is rendered as usual and not stored, so that
# made-up arguments cannot fill the table with copies of the same page.
KNOWN_ARGS = frozenset({"page", "category", "wijk", "stadsdeel", "when", "q", "goal", "kind", "type", "ended",
                        "dagdeel", "km", "ritme", "past"})


def _seconds() -> float:
    return float(current_app.config.get("PAGE_CACHE_SECONDS", 0))


def _token_field() -> str:
    return str(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"))


def _session_without_token() -> dict[str, object]:
    field = _token_field()
    return {name: value for name, value in session.items() if name != field}


def _is_anonymous_visit() -> bool:
    # Read from the session cookie, not current_user: loading a person is what a cache hit should not cost.
    return "_user_id" not in session and "_flashes" not in session


def serve_from_cache() -> Response | None:
    tag = CACHEABLE.get(request.endpoint or "")
    if tag is None or request.method not in ("GET", "HEAD") or _seconds() <= 0 or not _is_anonymous_visit():
        return None
    if not KNOWN_ARGS.issuperset(request.args):
        return None
    key = services.page_key(tag, select_locale(), request.full_path)
    body = services.lookup(key)
    if body is not None:
        response = Response(body, mimetype="text/html")
        response.headers["X-Page-Cache"] = "hit"
        return response
    g.page_cache = (key, tag, time.time(), _session_without_token())
    return None


def fill_cache(response: WerkzeugResponse) -> WerkzeugResponse:
    pending = g.pop("page_cache", None)
    if pending is None or response.status_code != 200 or response.mimetype != "text/html":
        return response
    if "Set-Cookie" in response.headers or response.direct_passthrough:
        return response
    key, tag, started, session_before = pending
    body = response.get_data()
    # A page that shows this visitor's form token, or that changed their session (a message, a choice), is theirs
    # alone. A form made but not shown (a detail page builds its response form for everyone) leaves only a token
    # secret in the session: the page itself is the same for everybody.
    token = g.get(_token_field())
    if (token and token.encode() in body) or _session_without_token() != session_before:
        return response
    services.store(key, tag, body, rendered_since=started, seconds=_seconds())
    response.headers["X-Page-Cache"] = "miss"
    return response


def register(app: Flask) -> None:
    """Serve and fill the cache around every request (the clearing hooks are installed by webapp/hooks.py)."""
    app.before_request(serve_from_cache)
    app.after_request(fill_cache)
