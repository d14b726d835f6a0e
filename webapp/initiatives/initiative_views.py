"""Finding initiatives and their needs (the needs board, the city's vacancies), registering and editing an
initiative, its public page, and staff correcting its goals."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response as WerkzeugResponse

from webapp.accounts import confirmation
from webapp.core.extensions import db
from webapp.core.pagination import page_arg
from webapp.core.reference.labels import locale_code
from webapp.core.reference.models import Goal
from webapp.core.reference.services import all_wijken
from webapp.initiatives import needs, news, services
from webapp.initiatives.forms import GoalsForm, InitiativeForm
from webapp.initiatives.models import Initiative, InitiativeStatus, NeedKind
from webapp.initiatives.web import (
    LABELS,
    back_to,
    filter_options,
    load,
    load_for_organiser,
    render_initiative,
    search_filters,
    when,
)

bp = Blueprint("initiatives", __name__)


@bp.context_processor
def _labels() -> dict[str, object]:
    """For the templates of initiatives and of its sub-blueprints (needs, activities, support)."""
    return {"labels": LABELS, "progress_of": needs.progress, "when": when}


# -- finding ----------------------------------------------------------------------------------------------------------

@bp.get("/initiatieven/")
def index() -> str:
    filters = search_filters()
    page = services.search_initiatives(filters, page_arg(), current_app.config["PAGE_SIZE"])
    signed_in = current_user.is_authenticated
    return render_template("initiatives/index.html", page=page, filters=filters,
                           mine=services.initiatives_of(current_user) if signed_in else [],
                           commitments=needs.commitments_of(current_user) if signed_in else [],
                           **filter_options())


@bp.get("/initiatieven/hulp-gezocht")
def needs_board() -> str:
    filters = search_filters()
    page = services.search_needs(filters, page_arg(), current_app.config["PAGE_SIZE"])
    return render_template("initiatives/needs.html", page=page, filters=filters, vacancies=False,
                           endpoint="initiatives.needs_board", **filter_options())


@bp.get("/organisaties")
def organisations() -> str:
    """Volunteering organisations in Haarlem (checked by the volunteer centre), each with its open vacancies."""
    filters = search_filters(organisations_only=True)
    page = services.search_initiatives(filters, page_arg(), current_app.config["PAGE_SIZE"])
    return render_template("initiatives/organisations.html", page=page, filters=filters, **filter_options())


@bp.get("/mijn/initiatieven")
@login_required
def mine() -> str:
    """My initiatives: the ones I organise, follow, back, and where I signed up for a need."""
    return render_template("initiatives/mine.html", organising=services.initiatives_of(current_user),
                           following=news.followed_by(current_user), backed=services.backed_by(current_user),
                           commitments=needs.commitments_of(current_user))


@bp.get("/vacatures")
def vacancies() -> str:
    """The city's volunteer vacancies: volunteer needs of volunteering organisations."""
    filters = search_filters(organisations_only=True, kind=NeedKind.VOLUNTEERS)
    page = services.search_needs(filters, page_arg(), current_app.config["PAGE_SIZE"])
    return render_template("initiatives/needs.html", page=page, filters=filters, vacancies=True,
                           endpoint="initiatives.vacancies", **filter_options())


# -- an initiative ----------------------------------------------------------------------------------------------------

def _initiative_data(form: InitiativeForm) -> services.InitiativeData:
    codes = set(form.wijken.data or [])
    goal_ids = {int(g) for g in form.goals.data or [] if g.isdecimal()}
    return services.InitiativeData(
        name=form.name.data or "",
        description=form.description.data or "",
        is_organisation=bool(form.is_organisation.data),
        status=form.status.data or InitiativeStatus.IDEA,
        wijken=[w for w in all_wijken(db.session) if w.code in codes],
        goals=list(db.session.execute(select(Goal).where(Goal.id.in_(goal_ids))).scalars()),
        text_language=form.text_language.data or locale_code(),
    )


def _save(form: InitiativeForm, initiative: Initiative | None) -> Initiative:
    if initiative is None:
        return services.register_initiative(current_user, _initiative_data(form))
    services.edit_initiative(current_user, initiative, _initiative_data(form))
    return initiative


@bp.route("/initiatieven/nieuw", methods=["GET", "POST"])
@login_required
def new() -> str | tuple[str, int] | WerkzeugResponse:
    if not current_user.has_role("organiser"):
        return render_template("initiatives/organiser_role.html"), 403
    form = InitiativeForm()
    if request.method == "GET" and current_user.wijk is not None:
        form.wijken.data = [current_user.wijk.code]
    if form.validate_on_submit() and not confirmation.has_confirmed_address(current_user):
        flash(str(confirmation.NOT_YET), "warning")  # what was typed stays in the form
        return render_template("initiatives/form.html", form=form, initiative=None), 403
    if form.validate_on_submit():
        initiative = _save(form, None)
        db.session.commit()
        flash(_("Your initiative is saved. The volunteer centre will look at it soon; then everyone can see it. "
                "Now add what you need."), "success")
        return back_to(initiative)
    return render_template("initiatives/form.html", form=form, initiative=None)


@bp.route("/initiatieven/<public_id>/bewerken", methods=["GET", "POST"])
@login_required
def edit(public_id: str) -> str | WerkzeugResponse:
    initiative = load_for_organiser(public_id)
    form = InitiativeForm(obj=initiative)
    if request.method == "GET":
        form.wijken.data = [w.code for w in initiative.wijken]
        form.goals.data = [str(g.id) for g in initiative.goals]
    if form.validate_on_submit():
        _save(form, initiative)
        db.session.commit()
        flash(_("The initiative is saved."), "success")
        return back_to(initiative)
    return render_template("initiatives/form.html", form=form, initiative=initiative)


@bp.get("/initiatieven/<public_id>")
def show(public_id: str) -> tuple[str, int]:
    page = render_initiative(load(public_id))
    db.session.commit()  # what the page's hooks recorded (the suggested volunteers an organiser was shown)
    return page


@bp.post("/initiatieven/<public_id>/doelen")
@login_required
def correct_goals(public_id: str) -> WerkzeugResponse:
    initiative = load(public_id)
    if not current_user.is_staff:
        abort(403)
    form = GoalsForm()
    if not form.validate_on_submit():
        flash(_("Choose at least one goal."), "warning")
        return back_to(initiative, "goals")
    ids = {int(g) for g in form.goals.data or [] if g.isdecimal()}
    services.correct_goals(current_user, initiative,
                           list(db.session.execute(select(Goal).where(Goal.id.in_(ids))).scalars()))
    db.session.commit()
    flash(_("The goals are corrected."), "success")
    return back_to(initiative, "goals")
