"""Pages for offers: list, detail, post, close, and ask the volunteer."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as WerkzeugResponse

from webapp.accounts import confirmation
from webapp.core.extensions import db
from webapp.core.forms import ActionForm
from webapp.core.pagination import page_arg
from webapp.core.reference.labels import locale_code
from webapp.core.reference.services import all_categories, category_choices
from webapp.offers import services
from webapp.offers.forms import AskForm, OfferForm
from webapp.offers.models import Offer

bp = Blueprint("offers", __name__, url_prefix="/aanbod")


@bp.get("/")
def index() -> str:
    category = request.args.get("category") or None
    found = services.list_open_offers(category, page_arg(), current_app.config["PAGE_SIZE"])
    return render_template("offers/index.html", offers=found.items, page=found.page, pages=found.pages,
                           category=category,
                           categories=category_choices(db.session))


def _load(public_id: str) -> Offer:
    offer = services.get_by_public_id(public_id)
    if offer is None or not services.can_see(current_user, offer):
        abort(404)
    return offer


def _render_show(offer: Offer, form: AskForm, status: int = 200) -> tuple[str, int]:
    return render_template("offers/show.html", offer=offer, form=form, action_form=ActionForm(),
                           may_ask=services.may_ask(offer)), status


@bp.get("/<public_id>")
def show(public_id: str) -> tuple[str, int]:
    return _render_show(_load(public_id), AskForm())


@bp.post("/<public_id>/vragen")
@login_required
def ask(public_id: str) -> WerkzeugResponse | tuple[str, int]:
    offer = _load(public_id)
    form = AskForm()
    if not form.validate_on_submit():
        return _render_show(offer, form, 400)
    waiting = not confirmation.has_confirmed_address(current_user)
    try:
        help_request = services.ask_volunteer(current_user, offer, form.message.data or "", waiting=waiting,
                                              text_language=locale_code())
    except services.NeedsScreening:  # the page says why, with the question as typed
        return _render_show(offer, form, 403)
    except services.AlreadyAsked as asked:  # a second click, or the same question again
        flash(_("You already asked this volunteer. You will hear when they say yes."), "info")
        return redirect(url_for("asks.show", public_id=asked.help_request.public_id))
    except services.NotAllowed:
        abort(403)
    db.session.commit()
    if waiting:
        flash(_("Your question is saved. The volunteer gets it as soon as you confirm your e-mail address with "
                "the link we sent you."), "warning")
    else:
        flash(_("Your question is sent. You will hear when the volunteer says yes."), "success")
    return redirect(url_for("asks.show", public_id=help_request.public_id))


@bp.route("/nieuw", methods=["GET", "POST"])
@login_required
def new() -> str | WerkzeugResponse:
    form = OfferForm()
    if request.method == "GET":
        form.languages.data = [locale_code()]
        form.postcode.data = current_user.postcode
        if current_user.wijk is not None:
            form.preset_wijk(current_user.wijk)
    if form.validate_on_submit():
        assert form.resolved_wijk is not None
        category = next(c for c in all_categories(db.session) if c.key == form.category.data)
        data = services.OfferData(
            title=form.title.data or "",
            description=form.description.data or "",
            category=category,
            wijk=form.resolved_wijk,
            slots=form.slots.data or [],
            languages=form.languages.data or [],
            text_language=locale_code(),
        )
        posted = services.just_posted(current_user, data)
        if posted is not None:  # the same offer a moment ago: a second press, not a second offer
            flash(_("You posted this offer a moment ago. Here it is."), "info")
            return redirect(url_for("offers.show", public_id=posted.public_id))
        try:
            offer = services.post_offer(
                current_user,
                data,
                check_duplicates=True,
                waiting=not confirmation.has_confirmed_address(current_user),
            )
        except services.NeedsScreening:
            form.category.errors = [_("To offer this kind of help you need a certificate of conduct (VOG) checked by "
                                      "the volunteer centre. Choose another kind of help, or ask the volunteer centre "
                                      "about a VOG.")]
            return render_template("offers/form.html", form=form)
        db.session.commit()
        if offer.moderation == "waiting":
            flash(_("Your offer is saved. It goes online as soon as you confirm your e-mail address with the link "
                    "we sent you."), "warning")
        elif offer.moderation != "ok":
            flash(_("Your offer is not online yet. A staff member of the volunteer centre will look at it first."),
                  "warning")
        else:
            flash(_("Your offer is online."), "success")
        return redirect(url_for("offers.show", public_id=offer.public_id))
    return render_template("offers/form.html", form=form)


@bp.post("/<public_id>/sluiten")
@login_required
def close(public_id: str) -> WerkzeugResponse:
    offer = _load(public_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        services.close_offer(current_user, offer)
    except services.NotAllowed:
        abort(403)
    db.session.commit()
    flash(_("Your offer is closed."), "info")
    return redirect(url_for("pages.dashboard"))
