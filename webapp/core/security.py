"""Security headers on every response, and which reverse proxies to believe about the visitor's address.

Every page for a logged-in person is sent with `Cache-Control: no-store`: such pages may hold contact details (a
match's phone number, a resident's record in the staff workspace, one's own account), and neither the browser's
cache nor a shared proxy may keep them after logout. Public pages (the page cache serves them to visitors who are
not logged in) and static files keep their own caching.
"""

from __future__ import annotations

from flask import Flask, g, request
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Response

CSP = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))


def register(app: Flask) -> None:
    proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if proxies:  # X-Forwarded-For/-Proto set by this many proxies: rate limits see the visitor, not the proxy
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]
    is_production = app.config.get("ENV_NAME") == "production"

    @app.after_request
    def _headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if is_production:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        if request.endpoint != "static" and _logged_in():
            headers["Cache-Control"] = "no-store"
        return response


def _logged_in() -> bool:
    """Whether this response was made for a logged-in person. Reads what Flask-Login loaded for the request (every
    page draws the header, which loads the person), so an error page drawn without the database needs no query."""
    user = g.get("_login_user")
    # `is_anonymous`, not `is_authenticated`: the latter reads the row, and after the request's commit that row is
    # expired, so it would cost two queries (the person and their roles) on every form sent. A blocked person's
    # pages are no-store as well.
    return bool(user is not None and not user.is_anonymous)
