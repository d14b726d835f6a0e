"""Backing an initiative (once per person) and taking it back, following its news and organisers posting news, and
for staff: the support they give and backing per stadsdeel and wijk."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as WerkzeugResponse

from webapp.accounts import confirmation
from webapp.core.extensions import db
from webapp.core.ids import utcnow
from webapp.core.ratelimit import services as ratelimit
from webapp.core.ratelimit.pages import refused
from webapp.initiatives import news, services
from webapp.initiatives import support as staff_support
from webapp.initiatives.forms import NewsForm, SupportForm
from webapp.initiatives.models import Initiative
from webapp.initiatives.web import back_to, checked, load, load_for_organiser, staff_only

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


@bp.post("/initiatieven/<public_id>/steun-intrekken")
@login_required
def withdraw_backing(public_id: str) -> WerkzeugResponse:
    initiative = load(public_id)
    checked()
    if services.withdraw_backing(current_user, initiative):
        flash(_("You no longer back %(name)s.", name=initiative.name), "info")
    db.session.commit()
    return back_to(initiative, "backing")


# -- following and news ------------------------------------------------------------------------------------------------

@bp.post("/initiatieven/<public_id>/volgen")
@login_required
def follow(public_id: str) -> WerkzeugResponse:
    initiative = load(public_id)
    checked()
    try:
        news.follow(current_user, initiative)
    except services.NotAllowed:
        abort(404)  # not public yet: its organisers see it, nobody follows it
    db.session.commit()
    flash(_("You follow %(name)s. You hear its news.", name=initiative.name), "success")
    return back_to(initiative, "news")


@bp.post("/initiatieven/<public_id>/ontvolgen")
@login_required
def unfollow(public_id: str) -> WerkzeugResponse:
    initiative = load(public_id)
    checked()
    news.unfollow(current_user, initiative)
    db.session.commit()
    flash(_("You no longer follow %(name)s.", name=initiative.name), "info")
    return back_to(initiative, "news")


@bp.route("/initiatieven/<public_id>/nieuws", methods=["GET", "POST"])
@login_required
def post_news(public_id: str) -> str | tuple[str, int] | tuple[str, int, dict[str, str]] | WerkzeugResponse:
    """Organisers post news; everyone who follows the initiative hears it."""
    initiative = load_for_organiser(public_id)
    form = NewsForm()
    if not form.validate_on_submit():
        return render_template("initiatives/news_form.html", initiative=initiative, form=form), \
            400 if request.method == "POST" else 200
    refusal = ratelimit.hit("initiative_news", ("user", current_user.public_id), ("initiative", initiative.public_id))
    if refusal:
        return refused("initiatives/news_form.html", refusal, initiative=initiative, form=form)
    try:
        _update, told = news.post_update(current_user, initiative, form.body.data or "")
    except news.PersonalData:
        form.body.errors = [_("News is for everyone to read: leave out phone numbers, e-mail addresses and home "
                              "addresses.")]
        return render_template("initiatives/news_form.html", initiative=initiative, form=form), 400
    except services.NotAllowed:
        flash(_("Once the volunteer centre has confirmed your initiative, you can post news."), "warning")
        return back_to(initiative)
    db.session.commit()
    flash(ngettext("Your news is on the page. %(num)d follower gets a message.",
                   "Your news is on the page. %(num)d followers get a message.", told), "success")
    return back_to(initiative, "news")


# -- for staff --------------------------------------------------------------------------------------------------------

def _support_form(initiative: Initiative) -> SupportForm:
    form = SupportForm()
    form.need.choices = [("", _("None")), *((n.public_id, n.title) for n in staff_support.money_needs(initiative))]
    return form


@bp.route("/initiatieven/<public_id>/ondersteuning", methods=["GET", "POST"])
@login_required
def support(public_id: str) -> str | WerkzeugResponse:
    staff_only()
    initiative = load(public_id)
    form = _support_form(initiative)
    if form.validate_on_submit():
        staff_support.record_support(current_user, initiative, staff_support.SupportData(
            kind=form.kind.data or "", hours=float(form.hours.data) if form.hours.data else None,
            amount=form.amount.data, description=form.description.data or "",
            given_on=form.given_on.data or utcnow().date(), need_public_id=form.need.data or None))
        db.session.commit()
        flash(_("The support is recorded."), "success")
        return redirect(url_for("initiatives.support.support", public_id=public_id))
    return render_template("initiatives/support.html", initiative=initiative, form=form,
                           items=staff_support.support_of(initiative))



@bp.get("/initiatieven/steun-overzicht")
@login_required
def backing_overview() -> str:
    staff_only()
    return render_template("initiatives/backing_overview.html",
                           overview=services.backing_overview(current_app.config["REPORT_MIN_CELL"]),
                           min_cell=current_app.config["REPORT_MIN_CELL"])
