"""A need of an initiative: adding and editing it, its progress, volunteers signing up and organisers deciding,
and inviting a suggested volunteer."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as WerkzeugResponse

from webapp.accounts import confirmation
from webapp.core.extensions import db
from webapp.core.forms import ActionForm
from webapp.core.ids import utcnow
from webapp.core.pagination import page_arg
from webapp.core.redirects import safe_next
from webapp.core.reference.labels import locale_code
from webapp.core.reference.services import all_wijken
from webapp.initiatives import applicants, needs, services
from webapp.initiatives.forms import DeclineForm, NeedForm, NeedHoursForm, ProgressForm, SignupForm
from webapp.initiatives.models import InitiativeNeed, NeedKind
from webapp.initiatives.web import back_to, checked, load, load_for_organiser, load_need, render_initiative
from webapp.notifications.kinds import DECLINE_WORDS

bp = Blueprint("needs", __name__)

# -- needs ------------------------------------------------------------------------------------------------------------

def _need_data(form: NeedForm) -> needs.NeedData:
    return needs.NeedData(
        kind=form.kind.data or NeedKind.VOLUNTEERS, title=form.title.data or "",
        description=form.description.data or "", skills=form.skills.data or "",
        how_many=form.how_many.data or 1, on_date=form.on_date.data, slots=form.slots.data or [],
        is_recurring=form.frequency.data == "recurring", amount=form.amount.data, purpose=form.purpose.data or "",
        needs_screening=bool(form.needs_screening.data),
        wijk=next((w for w in all_wijken(db.session) if w.code == form.wijk.data), None),
        languages=form.languages.data or [], day_parts=form.day_parts.data or [],
        text_language=form.text_language.data or locale_code(),
    )


@bp.route("/initiatieven/<public_id>/behoeften/nieuw", methods=["GET", "POST"])
@login_required
def new_need(public_id: str) -> str | WerkzeugResponse:
    initiative = load_for_organiser(public_id)
    form = NeedForm()
    if form.validate_on_submit():
        needs.add_need(current_user, initiative, _need_data(form))
        db.session.commit()
        flash(_("The need is on the page of your initiative."), "success")
        return back_to(initiative, "needs")
    return render_template("initiatives/need_form.html", form=form, initiative=initiative, need=None)


@bp.route("/initiatieven/<public_id>/behoeften/<need_id>/bewerken", methods=["GET", "POST"])
@login_required
def edit_need(public_id: str, need_id: str) -> str | WerkzeugResponse:
    initiative = load_for_organiser(public_id)
    need = load_need(initiative, need_id)
    form = NeedForm(obj=need)
    if request.method == "GET":
        form.frequency.data = "recurring" if need.is_recurring else "once"
        form.wijk.data = need.wijk.code if need.wijk else ""
        form.day_parts.data = sorted({slot.partition("-")[2] for slot in need.slots or []}) \
            if not need.is_recurring else []
    if form.validate_on_submit():
        closed = needs.edit_need(current_user, need, _need_data(form))
        db.session.commit()
        flash(_("The need is saved."), "success")
        if closed:
            flash(ngettext("This now needs a certificate of conduct (VOG). We closed %(num)d sign-up of a volunteer "
                           "without one, with a kind message.",
                           "This now needs a certificate of conduct (VOG). We closed %(num)d sign-ups of volunteers "
                           "without one, with a kind message.", closed), "info")
        return back_to(initiative, "needs")
    return render_template("initiatives/need_form.html", form=form, initiative=initiative, need=need)


@bp.post("/initiatieven/<public_id>/behoeften/<need_id>/voortgang")
@login_required
def need_progress(public_id: str, need_id: str) -> WerkzeugResponse:
    initiative = load_for_organiser(public_id)
    need = load_need(initiative, need_id)
    form = ProgressForm()
    if not form.validate_on_submit():
        flash(_("Choose an amount from 0 to 100000 euros."), "warning")
        return back_to(initiative, f"need-{need.public_id}")
    needs.set_progress(current_user, need, form.status.data or "", form.amount_received.data)
    db.session.commit()
    flash(_("The progress is saved."), "success")
    return back_to(initiative, f"need-{need.public_id}")


@bp.post("/initiatieven/<public_id>/behoeften/<need_id>/aanmelden")
@login_required
def sign_up(public_id: str, need_id: str) -> WerkzeugResponse | tuple[str, int]:
    initiative = load(public_id)
    need = load_need(initiative, need_id)
    form = SignupForm()
    if not form.validate_on_submit():
        abort(400)
    if not confirmation.has_confirmed_address(current_user):  # the page shows no form then (initiatives/show.html)
        flash(str(confirmation.NOT_YET), "warning")
        return back_to(initiative, f"need-{need.public_id}")
    try:
        needs.sign_up(current_user, need, form.message.data or "")
    except needs.NeedsScreening:  # the page says why, with the message as typed
        flash(_("This needs a certificate of conduct (VOG), and yours has not been checked (or it has lapsed). Ask "
                "the volunteer centre how to get one."), "warning")
        return render_initiative(initiative, kept={need.public_id: form.message.data or ""}, status=403)
    except needs.AlreadySignedUp:
        flash(_("You have already signed up for this."), "info")
    except needs.NoLongerOpen:
        flash(_("This is no longer needed. Thank you for wanting to help!"), "info")
    except services.NotAllowed:
        abort(403)
    else:
        db.session.commit()
        flash(_("You signed up. The organisers will let you know."), "success")
    return back_to(initiative, f"need-{need.public_id}")


@bp.post("/initiatieven/<public_id>/behoeften/<need_id>/afmelden")
@login_required
def withdraw(public_id: str, need_id: str) -> WerkzeugResponse:
    initiative = load(public_id)
    need = load_need(initiative, need_id)
    checked()
    needs.withdraw(current_user, need)
    db.session.commit()
    flash(_("You are no longer signed up for this."), "info")
    return redirect(safe_next(request.form.get("next"), url_for("initiatives.show", public_id=initiative.public_id)
                              + f"#need-{need.public_id}"))


DECISIONS = ("bevestigen", "shortlist", "afwijzen")


def _back(need: InitiativeNeed) -> WerkzeugResponse:
    """Back to where the organiser decided: the applicants page (its `next`), else the need on the initiative."""
    fallback = url_for("initiatives.show", public_id=need.initiative.public_id) + f"#need-{need.public_id}"
    return redirect(safe_next(request.form.get("next"), fallback))


@bp.post("/initiatieven/<public_id>/behoeften/<need_id>/aanmeldingen/<signup_id>/<decision>")
@login_required
def decide(public_id: str, need_id: str, signup_id: str, decision: str) -> WerkzeugResponse:
    initiative = load_for_organiser(public_id)
    need = load_need(initiative, need_id)
    if decision not in DECISIONS:
        abort(404)
    form = DeclineForm()  # the state the organiser saw (seen), and for a no the kind words
    if not form.validate_on_submit():  # a button without the kind words is fine; a broken form is not
        abort(400)
    try:
        if decision == "bevestigen":
            needs.confirm(current_user, need, signup_id, form.seen.data or "")
        elif decision == "shortlist":
            needs.shortlist(current_user, need, signup_id, form.seen.data or "")
        else:
            needs.decline(current_user, need, signup_id, form.seen.data or "", form.reason.data or "",
                          form.words.data or "")
    except needs.NeedFull:
        db.session.rollback()
        flash(_("Enough people are confirmed already. Raise the number first if you need more."), "warning")
    except needs.NeedsScreening as refusal:
        db.session.rollback()
        flash(_("%(name)s has no valid certificate of conduct (VOG), which this needs. You cannot confirm them now.",
                name=str(refusal)), "warning")
    except needs.NoLongerOpen:
        db.session.rollback()
        flash(_("Someone else already decided this. Look at the list again."), "info")
    except services.NotAllowed:
        abort(404)
    else:
        db.session.commit()
        flash(_("Saved. The volunteer gets a message."), "success")
    return _back(need)


@bp.get("/initiatieven/<public_id>/behoeften/<need_id>/aanmeldingen")
@login_required
def applicants_page(public_id: str, need_id: str) -> str:
    """The need's applicants for its organisers: new, on the shortlist, said yes to, said no to, withdrawn."""
    initiative = load_for_organiser(public_id)
    need = load_need(initiative, need_id)
    state = request.args.get("status") or None
    page = applicants.applicants(current_user, need, state, page_arg(), current_app.config["PAGE_SIZE"])
    return render_template("initiatives/applicants.html", initiative=initiative, need=need, page=page,
                           counts=applicants.counts(need), state=state if state in applicants.STATES else None,
                           decline_words=DECLINE_WORDS, decline_form=DeclineForm(formdata=None),
                           action_form=ActionForm())


@bp.post("/initiatieven/<public_id>/behoeften/<need_id>/uren")
@login_required
def log_hours(public_id: str, need_id: str) -> WerkzeugResponse:
    """A confirmed volunteer logs hours they gave for a need (from their applications page)."""
    initiative = load(public_id)
    need = load_need(initiative, need_id)
    back = safe_next(request.form.get("next"), url_for("volunteering.applications"))
    form = NeedHoursForm()
    if not form.validate_on_submit():
        first = next((errors[0] for errors in form.errors.values() if errors), _("Fill in a number of hours."))
        flash(str(first), "warning")
        return redirect(back)
    signup = needs.signup_of(current_user, need)
    if signup is None:
        abort(403)
    try:
        applicants.log_hours(current_user, signup, form.worked_on.data or utcnow().date(), float(form.hours.data or 0))
    except applicants.NotConfirmed:
        flash(_("You can log hours once the organisers have said yes to you."), "warning")
        return redirect(back)
    db.session.commit()
    flash(_("Your hours are saved. Thank you!"), "success")
    return redirect(back)


@bp.get("/initiatieven/<public_id>/vrijwilligers")
@login_required
def volunteers(public_id: str) -> str:
    """For the organisers: their volunteers and the hours they gave (needs and activities)."""
    initiative = load_for_organiser(public_id)
    return render_template("initiatives/volunteers.html", initiative=initiative,
                           people=applicants.volunteer_hours(current_user, initiative))
