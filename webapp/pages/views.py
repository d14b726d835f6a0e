"""Home page, language switcher and health check."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, redirect, render_template, request, session
from flask_login import current_user
from werkzeug.wrappers import Response as WerkzeugResponse

from webapp.accounts.services import set_locale
from webapp.asks.services import ListFilters, list_open_requests
from webapp.extensions import db

bp = Blueprint("pages", __name__)


def safe_next(target: str | None, default: str = "/") -> str:
    """Only redirect within this site: a path, never another host."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target


@bp.get("/")
def index() -> str:
    latest = list_open_requests(current_user, ListFilters(), page=1, per_page=5)
    return render_template("pages/index.html", latest=latest.items, open_total=latest.total)


@bp.get("/taal/<code>")
def switch_language(code: str) -> WerkzeugResponse:
    if code in current_app.config["LANGUAGES"]:
        session["lang"] = code
        if current_user.is_authenticated:
            set_locale(current_user, code)
            db.session.commit()
    return redirect(safe_next(request.args.get("next")))


@bp.get("/health")
def health() -> tuple[str, int, dict[str, str]]:
    return "ok", 200, {"Content-Type": "text/plain"}
