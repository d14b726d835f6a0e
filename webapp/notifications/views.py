"""The in-app notification list."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as WerkzeugResponse

from webapp.asks.forms import ActionForm
from webapp.extensions import db
from webapp.notifications import services

bp = Blueprint("notifications", __name__, url_prefix="/berichten")


@bp.get("/")
@login_required
def index() -> str:
    return render_template("notifications/index.html", items=services.recent_for(current_user.id),
                           action_form=ActionForm())


@bp.post("/gelezen")
@login_required
def mark_read() -> WerkzeugResponse:
    if ActionForm().validate_on_submit():
        services.mark_all_read(current_user.id)
        db.session.commit()
    return redirect(url_for("notifications.index"))
