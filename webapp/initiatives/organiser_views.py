"""Who organises an initiative: inviting co-organisers by e-mail address, withdrawing an invitation, answering one
(by the link in the e-mail, or from one's own page) and stopping as an organiser."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as WerkzeugResponse

from webapp.core.extensions import db
from webapp.core.forms import ActionForm
from webapp.core.ratelimit import services as ratelimit
from webapp.core.ratelimit.pages import refused
from webapp.initiatives import organisers, services
from webapp.initiatives.forms import InviteOrganiserForm
from webapp.initiatives.models import Initiative
from webapp.initiatives.web import checked, load, load_for_organiser

bp = Blueprint("organisers", __name__)
ANSWERS = {"ja": "accept", "nee": "decline"}


def _page(initiative: Initiative, form: InviteOrganiserForm, status: int = 200) -> tuple[str, int]:
    return render_template("initiatives/organisers.html", initiative=initiative, form=form,
                           invitations=organisers.pending(initiative), action_form=ActionForm(),
                           max_organisers=organisers.MAX_ORGANISERS), status


@bp.route("/initiatieven/<public_id>/organisatoren", methods=["GET", "POST"])
@login_required
def manage(public_id: str) -> tuple[str, int] | tuple[str, int, dict[str, str]] | WerkzeugResponse:
    initiative = load_for_organiser(public_id)
    form = InviteOrganiserForm()
    if not form.validate_on_submit():
        return _page(initiative, form, 400 if request.method == "POST" else 200)
    refusal = ratelimit.hit("invite_organiser", ("user", current_user.public_id))
    if refusal:
        return refused("initiatives/organisers.html", refusal, initiative=initiative, form=form,
                       invitations=organisers.pending(initiative), action_form=ActionForm(),
                       max_organisers=organisers.MAX_ORGANISERS)
    email = form.email.data or ""
    try:
        organisers.invite(current_user, initiative, email)
    except organisers.NotConfirmed:
        return _page(initiative, form, 403)  # the page says why
    except organisers.TooMany:
        flash(_("An initiative has at most %(num)d organisers and open invitations together. Withdraw an "
                "invitation first.", num=organisers.MAX_ORGANISERS), "warning")
        return _page(initiative, form, 409)
    db.session.commit()
    # The same answer for every address: whether it has an account (or organises already) stays unknown.
    flash(ngettext("If %(email)s is right, an invitation is on its way. It works for %(num)d day.",
                   "If %(email)s is right, an invitation is on its way. It works for %(num)d days.",
                   current_app.config["ORGANISER_INVITATION_DAYS"], email=email), "success")
    return redirect(url_for("initiatives.organisers.manage", public_id=public_id))


@bp.post("/initiatieven/<public_id>/organisatoren/uitnodigingen/<invitation_id>/intrekken")
@login_required
def withdraw(public_id: str, invitation_id: str) -> WerkzeugResponse:
    initiative = load_for_organiser(public_id)
    checked()
    try:
        organisers.withdraw(current_user, initiative, invitation_id)
    except organisers.BadInvitation:
        flash(_("This invitation was answered, withdrawn or has expired already."), "info")
    else:
        db.session.commit()
        flash(_("The invitation is withdrawn. The link in the e-mail no longer works."), "info")
    return redirect(url_for("initiatives.organisers.manage", public_id=public_id))


@bp.post("/initiatieven/<public_id>/organisatoren/stoppen")
@login_required
def leave(public_id: str) -> WerkzeugResponse:
    initiative = load(public_id)
    checked()
    try:
        organisers.leave(current_user, initiative)
    except services.NotAllowed:
        abort(403)
    except organisers.LastOrganiser:
        flash(_("You are the only organiser. Invite someone to take over first, or set the initiative to "
                "“Ended”."), "warning")
        return redirect(url_for("initiatives.organisers.manage", public_id=public_id))
    db.session.commit()
    flash(_("You no longer organise %(name)s.", name=initiative.name), "info")
    return redirect(url_for("initiatives.index"))


# -- answering an invitation ------------------------------------------------------------------------------------------

def _bad_link() -> tuple[str, int]:
    return render_template("initiatives/invitation.html", found=None, action_form=ActionForm()), 400


def _answer(found: organisers.Found, answer: str) -> WerkzeugResponse:
    if answer == "accept":
        try:
            organisers.accept(current_user, found)
        except organisers.TooMany:
            db.session.rollback()
            flash(_("This initiative has the most organisers it can have. Ask the organisers to make room first."),
                  "warning")
            return redirect(url_for("pages.dashboard"))
        except services.NotAllowed:
            abort(403)
        db.session.commit()
        flash(_("You are now an organiser of %(name)s.", name=found.initiative.name), "success")
        return redirect(url_for("initiatives.show", public_id=found.initiative.public_id))
    organisers.decline(found)
    db.session.commit()
    flash(_("You said no to the invitation. Thank you for letting us know."), "info")
    return redirect(url_for("pages.dashboard"))


@bp.get("/initiatieven/uitnodiging/<token>")
def invitation(token: str) -> tuple[str, int]:
    try:
        found = organisers.by_token(token)
    except organisers.BadInvitation:
        return _bad_link()
    return render_template("initiatives/invitation.html", found=found, action_form=ActionForm()), 200


@bp.post("/initiatieven/uitnodiging/<token>")
@login_required
def answer_link(token: str) -> WerkzeugResponse | tuple[str, int]:
    checked()
    answer = request.form.get("answer") or ""
    if answer not in ANSWERS.values():
        abort(400)
    try:
        found = organisers.by_token(token)
        return _answer(found, answer)
    except organisers.BadInvitation:
        db.session.rollback()
        return _bad_link()


@bp.post("/initiatieven/uitnodigingen/<invitation_id>/<answer>")
@login_required
def answer_own(invitation_id: str, answer: str) -> WerkzeugResponse:
    """From one's own page, without the link: for an invitation to the address of one's account (once confirmed)."""
    checked()
    if answer not in ANSWERS:
        abort(404)
    try:
        found = organisers.mine(current_user, invitation_id)
        return _answer(found, ANSWERS[answer])
    except organisers.BadInvitation:
        db.session.rollback()
        abort(404)
