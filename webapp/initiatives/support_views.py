"""Backing an initiative (once per person), and for staff: the support they give and backing per stadsdeel and
wijk."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as WerkzeugResponse

from webapp.accounts import confirmation
from webapp.core.extensions import db
from webapp.core.ids import utcnow
from webapp.initiatives import services
from webapp.initiatives.forms import SupportForm
from webapp.initiatives.web import back_to, checked, load, staff_only

bp = Blueprint("support", __name__)

# -- backing ---------------------------------------------------------------------------------------------------------

@bp.post("/initiatieven/<public_id>/steunen")
@login_required
def back(public_id: str) -> WerkzeugResponse:
    initiative = load(public_id)
    checked()
    if not confirmation.has_confirmed_address(current_user):
        flash(str(confirmation.NOT_YET), "warning")
        return back_to(initiative, "backing")
    try:
        added = services.back(current_user, initiative)
    except services.NotAllowed:
        flash(_("You organise this initiative, so you cannot back it yourself. Ask your neighbours to back it."),
              "warning")
        return back_to(initiative, "backing")
    if added:
        flash(_("Thank you for backing %(name)s!", name=initiative.name), "success")
    else:
        flash(_("You already back this initiative."), "info")
    db.session.commit()
    return back_to(initiative, "backing")


# -- for staff --------------------------------------------------------------------------------------------------------

@bp.route("/initiatieven/<public_id>/ondersteuning", methods=["GET", "POST"])
@login_required
def support(public_id: str) -> str | WerkzeugResponse:
    staff_only()
    initiative = load(public_id)
    form = SupportForm()
    if form.validate_on_submit():
        services.record_support(current_user, initiative, services.SupportData(
            kind=form.kind.data or "", hours=float(form.hours.data) if form.hours.data else None,
            amount=form.amount.data, description=form.description.data or "",
            given_on=form.given_on.data or utcnow().date()))
        db.session.commit()
        flash(_("The support is recorded."), "success")
        return redirect(url_for("initiatives.support.support", public_id=public_id))
    return render_template("initiatives/support.html", initiative=initiative, form=form,
                           items=services.support_of(initiative))


@bp.get("/initiatieven/steun-overzicht")
@login_required
def backing_overview() -> str:
    staff_only()
    return render_template("initiatives/backing_overview.html", areas=services.backing_overview())
