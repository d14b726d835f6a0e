""""Aanbevolen voor jou" for volunteers; inviting a suggested volunteer; "not for me"."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as WerkzeugResponse

from webapp.asks.forms import ActionForm
from webapp.asks.services import can_see, get_by_public_id
from webapp.extensions import db
from webapp.suggestions import services, stored

bp = Blueprint("suggestions", __name__, url_prefix="/aanbevolen")


@bp.get("/")
@login_required
def for_me() -> str:
    found = stored.for_volunteer(current_user, k=10, k_initiatives=5)
    page = render_template("suggestions/for_me.html", items=found.requests, initiatives=found.initiatives,
                           has_profile=stored.has_profile(current_user), action_form=ActionForm())
    db.session.commit()  # the "shown" events, and the lists when they were computed here; after rendering, so
    return page  # the page does not reload every row the commit expired


@bp.post("/<request_id>/uitnodigen/<volunteer_id>")
@login_required
def invite(request_id: str, volunteer_id: str) -> WerkzeugResponse:
    help_request = get_by_public_id(request_id)
    if help_request is None or not can_see(current_user, help_request):
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        services.invite(current_user, help_request, volunteer_id)
    except services.NotAllowed:
        abort(403)
    db.session.commit()
    flash(_("The volunteer is invited and gets a message."), "success")
    return redirect(url_for("asks.show", public_id=request_id))


@bp.post("/<request_id>/niet-voor-mij")
@login_required
def dismiss(request_id: str) -> WerkzeugResponse:
    help_request = get_by_public_id(request_id)
    if help_request is None or not can_see(current_user, help_request):
        abort(404)
    if ActionForm().validate_on_submit():
        services.dismiss(current_user, help_request)
        db.session.commit()
        flash(_("Thanks, we will show you other requests."), "info")
    return redirect(url_for("suggestions.for_me"))
