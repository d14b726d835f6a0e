"""Serving anonymous visitors from the cache, and filling it."""

from __future__ import annotations

import time

from flask import Flask, Response, current_app, g, request, session
from werkzeug.wrappers import Response as WerkzeugResponse

from webapp.i18n import select_locale
from webapp.pagecache import invalidation, services

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
}


def _seconds() -> float:
    return float(current_app.config.get("PAGE_CACHE_SECONDS", 0))


def _is_anonymous_visit() -> bool:
    # Read from the session cookie, not current_user: loading a person is what a cache hit should not cost.
    return "_user_id" not in session and "_flashes" not in session


def serve_from_cache() -> Response | None:
    tag = CACHEABLE.get(request.endpoint or "")
    if tag is None or request.method not in ("GET", "HEAD") or _seconds() <= 0 or not _is_anonymous_visit():
        return None
    key = services.page_key(tag, select_locale(), request.full_path)
    body = services.lookup(key)
    if body is not None:
        response = Response(body, mimetype="text/html")
        response.headers["X-Page-Cache"] = "hit"
        return response
    g.page_cache = (key, tag, time.time())
    return None


def fill_cache(response: WerkzeugResponse) -> WerkzeugResponse:
    pending = g.pop("page_cache", None)
    if pending is None or response.status_code != 200 or response.mimetype != "text/html":
        return response
    # A page that holds a form token, a message or anything else from this visitor's session is theirs alone.
    field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    if field in g or session.modified or "Set-Cookie" in response.headers or response.direct_passthrough:
        return response
    key, tag, started = pending
    services.store(key, tag, response.get_data(), rendered_since=started, seconds=_seconds())
    response.headers["X-Page-Cache"] = "miss"
    return response


def register(app: Flask) -> None:
    invalidation.install()
    app.before_request(serve_from_cache)
    app.after_request(fill_cache)
