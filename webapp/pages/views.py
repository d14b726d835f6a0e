"""Home page, "my page", language switcher and health checks."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, session
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as WerkzeugResponse

from webapp.accounts.services import set_locale
from webapp.asks.services import ListFilters, list_open_requests, requests_of, responses_of
from webapp.asks.visibility import may_see
from webapp.core import health as readiness
from webapp.core.extensions import db
from webapp.core.forms import ActionForm
from webapp.core.redirects import safe_next
from webapp.initiatives.organisers import for_person as organiser_invitations
from webapp.offers.services import asks_for_volunteer

bp = Blueprint("pages", __name__)


@bp.get("/")
def index() -> str:
    latest = list_open_requests(current_user, ListFilters(), page=1, per_page=5)
    return render_template("pages/index.html", latest=latest.items, open_total=latest.total)


@bp.get("/mijn")
@login_required
def dashboard() -> str:
    return render_template(
        "pages/dashboard.html",
        my_requests=requests_of(current_user),
        my_responses=responses_of(current_user) if current_user.has_role("volunteer") else [],
        asks=asks_for_volunteer(current_user) if current_user.has_role("volunteer") else [],
        may_see=lambda help_request: may_see(current_user, help_request),
        invitations=organiser_invitations(current_user),
        action_form=ActionForm(),
    )


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
    """Liveness: the process answers. No database, no session (a restart would not help when the database is down)."""
    return "ok", 200, {"Content-Type": "text/plain"}


@bp.get("/health/ready")
def ready() -> tuple[str, int, dict[str, str]]:
    """Readiness: 200 "ready", or 503 with the reasons in a few words. `?only=database` leaves out the e-mail check
    (for a load balancer: mail that waits is a reason to alert, not to stop serving pages)."""
    outbox_minutes = 0 if request.args.get("only") == "database" else current_app.config["HEALTH_OUTBOX_MAX_MINUTES"]
    found = readiness.problems(outbox_minutes)
    headers = {"Content-Type": "text/plain", "Cache-Control": "no-store"}
    if found:
        return "not ready: " + "; ".join(found), 503, {**headers, "Retry-After": "30"}
    return "ready", 200, headers
