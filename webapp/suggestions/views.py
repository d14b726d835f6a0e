""""Aanbevolen voor jou" for volunteers; suggested volunteers for a request and for an initiative's need (as
template hooks on those pages), inviting them; "not for me"."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as WerkzeugResponse

from webapp.asks.models import HelpRequest
from webapp.asks.services import get_by_public_id, speaks_for
from webapp.asks.visibility import may_see
from webapp.core.extensions import db
from webapp.core.forms import ActionForm
from webapp.initiatives import needs
from webapp.initiatives.models import Initiative, InitiativeNeed
from webapp.initiatives.services import can_edit
from webapp.initiatives.web import back_to, checked, load_for_organiser, load_need
from webapp.suggestions import services, stored
from webapp.suggestions.initiatives import suggest_volunteers_for_need
from webapp.suggestions.reasons import reason_lines, reason_text

bp = Blueprint("suggestions", __name__, url_prefix="/aanbevolen")
NEED_INVITE_REACH = 200  # an invited volunteer must be among this many suggestions for the need
# Why a suggestion fits, in words: "reason"/"reasons" speak to the volunteer, "reason_other"/"reasons_other" about
# them. "reasons" turns a suggestion's reasons into the lines to show (skill and the request's words together).
bp.add_app_template_filter(reason_text, "reason")
bp.add_app_template_filter(lambda reason: reason_text(reason, for_volunteer=False), "reason_other")
bp.add_app_template_filter(reason_lines, "reasons")
bp.add_app_template_filter(lambda reasons: reason_lines(reasons, for_volunteer=False), "reasons_other")


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
    if help_request is None or not may_see(current_user, help_request):
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
    if help_request is None or not may_see(current_user, help_request):
        abort(404)
    if ActionForm().validate_on_submit():
        services.dismiss(current_user, help_request)
        db.session.commit()
        flash(_("Thanks, we will show you other requests."), "info")
    return redirect(url_for("suggestions.for_me"))


@bp.post("/initiatief/<public_id>/behoefte/<need_id>/uitnodigen/<volunteer_id>")
@login_required
def invite_to_need(public_id: str, need_id: str, volunteer_id: str) -> WerkzeugResponse:
    initiative = load_for_organiser(public_id)
    need = load_need(initiative, need_id)
    checked()
    suggested = {s.volunteer.public_id: s.volunteer
                 for s in suggest_volunteers_for_need(need, set(), k=NEED_INVITE_REACH)}
    volunteer = suggested.get(volunteer_id)
    if volunteer is None:
        abort(403)
    needs.invite(current_user, need, volunteer)
    db.session.commit()
    flash(_("The volunteer is invited and gets a message."), "success")
    return back_to(initiative, f"need-{need.public_id}")


# -- template hooks (registered in webapp/hooks.py) ------------------------------------------------------------------

def request_helpers(help_request: HelpRequest) -> str:
    """Suggested volunteers on an open request's page, for its requester and staff ("request-page:helpers")."""
    if not current_user.is_authenticated or not help_request.is_open or help_request.offer_id is not None:
        return ""
    if not (speaks_for(current_user, help_request) or current_user.is_staff):
        return ""
    return render_template("suggestions/_for_request.html", suggested=services.suggest_volunteers(help_request),
                           help_request=help_request, action_form=ActionForm())


def need_helpers(initiative: Initiative, need: InitiativeNeed) -> str:
    """Suggested volunteers under a need on the initiative's page, for its organisers ("need:helpers")."""
    if not can_edit(current_user, initiative):
        return ""
    people = suggest_volunteers_for_need(need, needs.invited_ids(need))
    return render_template("suggestions/_for_need.html", people=people, initiative=initiative, need=need,
                           action_form=ActionForm())
