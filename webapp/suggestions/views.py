""""Aanbevolen voor jou" for volunteers; suggested volunteers for a request and for an initiative's need (as
template hooks on those pages), inviting them; "not for me"."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as WerkzeugResponse

from webapp.accounts import confirmation
from webapp.asks.models import HelpRequest
from webapp.asks.services import get_by_public_id, speaks_for
from webapp.asks.visibility import may_see
from webapp.core.audit import Action, log_action
from webapp.core.extensions import db
from webapp.core.forms import ActionForm
from webapp.initiatives import needs
from webapp.initiatives.models import Initiative, InitiativeNeed
from webapp.initiatives.services import can_edit
from webapp.initiatives.web import back_to, checked, load_for_organiser, load_need
from webapp.suggestions import reach, services, stored
from webapp.suggestions.initiatives import suggest_volunteers_for_need
from webapp.suggestions.reasons import reason_lines, reason_text

bp = Blueprint("suggestions", __name__, url_prefix="/aanbevolen")
NEED_SHOWN = 5  # suggested volunteers under a need; an organiser invites only people shown to them
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
    """Staff invite one suggested volunteer by name (logged in the audit log)."""
    help_request = get_by_public_id(request_id)
    if help_request is None or not may_see(current_user, help_request):
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    if not confirmation.has_confirmed_address(current_user):
        flash(str(confirmation.NOT_YET), "warning")
        return redirect(url_for("asks.show", public_id=request_id))
    try:
        services.invite(current_user, help_request, volunteer_id)
    except services.NotAllowed:
        abort(403)
    log_action(current_user, Action.INVITE, "request", help_request.public_id, volunteer=volunteer_id)
    db.session.commit()
    flash(_("The volunteer is invited and gets a message."), "success")
    return redirect(url_for("asks.show", public_id=request_id))


@bp.post("/<request_id>/laten-weten")
@login_required
def let_know(request_id: str) -> WerkzeugResponse:
    """The requester lets the best suitable volunteers know about their request, without seeing who they are."""
    help_request = get_by_public_id(request_id)
    if help_request is None or not may_see(current_user, help_request):
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        done = services.let_know(current_user, help_request)
    except services.NotAllowed:
        abort(403)
    db.session.commit()
    if done.invited:
        flash(ngettext("We let %(num)d volunteer know about your request.",
                       "We let %(num)d volunteers know about your request.", done.invited), "success")
    if done.day_limit:
        flash(_("You have let as many volunteers know as you can today. Try again tomorrow."), "info")
    elif not done.invited:
        flash(_("The volunteers who fit your request best have heard about it already. Wait for their responses."),
              "info")
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
    if not confirmation.has_confirmed_address(current_user):
        flash(str(confirmation.NOT_YET), "warning")
        return back_to(initiative, f"need-{need.public_id}")
    # Only people the page showed this organiser: the need's suggestions, as far as they saw them today.
    seen = reach.seen_today(current_user)
    suggested = {s.volunteer.public_id: s.volunteer for s in suggest_volunteers_for_need(need, set(), k=NEED_SHOWN)
                 if s.volunteer.id in seen}
    volunteer = suggested.get(volunteer_id)
    if volunteer is None:
        abort(403)
    invited = needs.invited_ids(need)
    left, day_limit = reach.invitations_left(current_user, len(invited))
    if volunteer.id not in invited and left <= 0:  # inviting someone twice is harmless
        flash(_("You have invited as many volunteers as you can today. Try again tomorrow.") if day_limit else
              _("You have invited as many volunteers for this need as you can. Wait for their answers."), "info")
        return back_to(initiative, f"need-{need.public_id}")
    needs.invite(current_user, need, volunteer)
    db.session.commit()
    flash(_("The volunteer is invited and gets a message."), "success")
    return back_to(initiative, f"need-{need.public_id}")


# -- template hooks (registered in webapp/hooks.py) ------------------------------------------------------------------

def request_helpers(help_request: HelpRequest) -> str:
    """Suggested volunteers on an open request's page ("request-page:helpers"): for staff by name, to invite one;
    for its requester only how many fit, and one button to let them know (they never see who)."""
    if not current_user.is_authenticated or not help_request.is_open or help_request.offer_id is not None:
        return ""
    if current_user.is_staff:
        return render_template("suggestions/_for_request.html", suggested=services.suggest_volunteers(help_request),
                               help_request=help_request, action_form=ActionForm())
    if not speaks_for(current_user, help_request):
        return ""
    return render_template("suggestions/_for_requester.html", found=services.for_requester(help_request),
                           help_request=help_request, action_form=ActionForm())


def need_helpers(initiative: Initiative, need: InitiativeNeed) -> str:
    """Suggested volunteers under a need on the initiative's page, for its organisers ("need:helpers"): those who
    chose to be found, as many as the organiser may see today (the page's view commits what was shown)."""
    if not can_edit(current_user, initiative):
        return ""
    people = suggest_volunteers_for_need(need, needs.invited_ids(need), k=NEED_SHOWN)
    shown, held_back = reach.shown_to(current_user, people, ids=[p.volunteer.id for p in people])
    return render_template("suggestions/_for_need.html", people=shown, held_back=held_back, initiative=initiative,
                           need=need, action_form=ActionForm())
