"""Pages for initiatives: find and register them, their needs and sign-ups, backing, activities with an iCal
feed, and for staff: support given and backing per stadsdeel and wijk."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_date, format_time
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response as WerkzeugResponse

from webapp.asks.forms import ActionForm
from webapp.extensions import db
from webapp.ids import utcnow
from webapp.initiatives import activities, ical, needs, services
from webapp.initiatives.forms import (
    ActivityForm,
    GoalsForm,
    HoursForm,
    InitiativeForm,
    NeedForm,
    ProgressForm,
    SignupForm,
    SupportForm,
    split_emails,
)
from webapp.initiatives.labels import NEED_KIND_LABELS, NEED_STATUS_LABELS, STATUS_LABELS, SUPPORT_KIND_LABELS
from webapp.initiatives.models import Activity, Initiative, InitiativeNeed, InitiativeStatus, NeedKind
from webapp.reference.models import Goal
from webapp.reference.services import all_wijken
from webapp.suggestions.initiatives import NeedVolunteerSuggestion, suggest_volunteers_for_need

bp = Blueprint("initiatives", __name__)
LABELS = {"status": STATUS_LABELS, "need_kind": NEED_KIND_LABELS, "need_status": NEED_STATUS_LABELS,
          "support_kind": SUPPORT_KIND_LABELS}
PAST_ACTIVITIES = timedelta(days=90)
INVITE_REACH = 200  # an invited volunteer must be among this many suggestions


@bp.context_processor
def _labels() -> dict[str, object]:
    return {"labels": LABELS, "progress_of": needs.progress, "when": _when}


def _when(activity: Activity) -> str:
    """"Tuesday 6 October 2026, 20:00 – 22:00" in the reader's language and Haarlem's time."""
    return _("%(day)s, %(start)s – %(end)s", day=format_date(activity.starts_at, "full"),
             start=format_time(activity.starts_at, "short"), end=format_time(activity.ends_at, "short"))


# -- helpers ----------------------------------------------------------------------------------------------------------

def _int_arg(name: str) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isdecimal() and len(value) < 10 else None


def _page() -> int:
    return _int_arg("page") or 1


def _load(public_id: str) -> Initiative:
    initiative = services.get_initiative(public_id)
    if initiative is None:
        abort(404)
    return initiative


def _load_for_organiser(public_id: str) -> Initiative:
    initiative = _load(public_id)
    if not services.can_edit(current_user, initiative):
        abort(403)
    return initiative


def _need(initiative: Initiative, need_id: str) -> InitiativeNeed:
    need = needs.get_need(initiative, need_id)
    if need is None:
        abort(404)
    return need


def _activity(initiative: Initiative, activity_id: str) -> Activity:
    activity = activities.get_activity(initiative, activity_id)
    if activity is None:
        abort(404)
    return activity


def _checked() -> None:
    """Buttons carry only a CSRF token."""
    if not ActionForm().validate_on_submit():
        abort(400)


def _back(initiative: Initiative, anchor: str = "") -> WerkzeugResponse:
    return redirect(url_for("initiatives.show", public_id=initiative.public_id) + (f"#{anchor}" if anchor else ""))


def _zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def _to_utc(local: datetime) -> datetime:
    return local.replace(tzinfo=_zone()).astimezone(UTC).replace(tzinfo=None)


def _to_local(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC).astimezone(_zone()).replace(tzinfo=None)


def _filters(*, organisations_only: bool = False, kind: str | None = None) -> services.Filters:
    wijk_code = request.args.get("wijk") or None
    return services.Filters(
        text=(request.args.get("q") or "")[:100],
        wijk_id=next((w.id for w in all_wijken(db.session) if w.code == wijk_code), None),
        goal_id=_int_arg("goal"),
        kind=kind or request.args.get("kind") or None,
        organisations_only=organisations_only or request.args.get("type") == "organisation",
        include_ended=request.args.get("ended") == "1",
    )


def _filter_options() -> dict[str, object]:
    return {"wijken": all_wijken(db.session),
            "goals": list(db.session.execute(select(Goal).order_by(Goal.id)).scalars()),
            "args": request.args}


# -- finding ----------------------------------------------------------------------------------------------------------

@bp.get("/initiatieven/")
def index() -> str:
    filters = _filters()
    page = services.search_initiatives(filters, _page(), current_app.config["PAGE_SIZE"])
    signed_in = current_user.is_authenticated
    return render_template("initiatives/index.html", page=page, filters=filters,
                           mine=services.initiatives_of(current_user) if signed_in else [],
                           commitments=needs.commitments_of(current_user) if signed_in else [],
                           **_filter_options())


@bp.get("/initiatieven/hulp-gezocht")
def needs_board() -> str:
    filters = _filters()
    page = services.search_needs(filters, _page(), current_app.config["PAGE_SIZE"])
    return render_template("initiatives/needs.html", page=page, filters=filters, vacancies=False,
                           endpoint="initiatives.needs_board", **_filter_options())


@bp.get("/vacatures")
def vacancies() -> str:
    """The city's volunteer vacancies: volunteer needs of volunteering organisations."""
    filters = _filters(organisations_only=True, kind=NeedKind.VOLUNTEERS)
    page = services.search_needs(filters, _page(), current_app.config["PAGE_SIZE"])
    return render_template("initiatives/needs.html", page=page, filters=filters, vacancies=True,
                           endpoint="initiatives.vacancies", **_filter_options())


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
        co_organiser_emails=split_emails(form.co_organisers.data or ""),
    )


def _save(form: InitiativeForm, initiative: Initiative | None) -> Initiative | None:
    try:
        if initiative is None:
            return services.register_initiative(current_user, _initiative_data(form))
        services.edit_initiative(current_user, initiative, _initiative_data(form))
        return initiative
    except services.UnknownPeople as error:
        db.session.rollback()
        form.co_organisers.errors = [_("There is no Samen account with this e-mail address: %(email)s. Ask them to "
                                       "sign up first.", email=error.emails[0])]
        return None


@bp.route("/initiatieven/nieuw", methods=["GET", "POST"])
@login_required
def new() -> str | tuple[str, int] | WerkzeugResponse:
    if not current_user.has_role("organiser"):
        return render_template("initiatives/organiser_role.html"), 403
    form = InitiativeForm()
    if request.method == "GET" and current_user.wijk is not None:
        form.wijken.data = [current_user.wijk.code]
    if form.validate_on_submit():
        initiative = _save(form, None)
        if initiative is not None:
            db.session.commit()
            flash(_("Your initiative is on Samen. Now add what you need."), "success")
            return _back(initiative)
    return render_template("initiatives/form.html", form=form, initiative=None)


@bp.route("/initiatieven/<public_id>/bewerken", methods=["GET", "POST"])
@login_required
def edit(public_id: str) -> str | WerkzeugResponse:
    initiative = _load_for_organiser(public_id)
    form = InitiativeForm(obj=initiative)
    if request.method == "GET":
        form.wijken.data = [w.code for w in initiative.wijken]
        form.goals.data = [str(g.id) for g in initiative.goals]
        form.co_organisers.data = "\n".join(o.user.email or "" for o in initiative.organisers
                                            if not o.is_owner and o.user.email)
    if form.validate_on_submit() and _save(form, initiative) is not None:
        db.session.commit()
        flash(_("The initiative is saved."), "success")
        return _back(initiative)
    return render_template("initiatives/form.html", form=form, initiative=initiative)


@bp.get("/initiatieven/<public_id>")
def show(public_id: str) -> str:
    initiative = _load(public_id)
    is_organiser = services.can_edit(current_user, initiative)
    now = utcnow()
    suggested: dict[int, list[NeedVolunteerSuggestion]] = {}
    if is_organiser:
        for need in initiative.needs:
            suggested[need.id] = suggest_volunteers_for_need(need, needs.invited_ids(need))
    shown_activities = [a for a in initiative.activities if a.ends_at >= now - PAST_ACTIVITIES]
    return render_template(
        "initiatives/show.html",
        initiative=initiative,
        is_organiser=is_organiser,
        is_staff=current_user.is_authenticated and current_user.is_staff,
        can_contact=needs.can_see_contacts(current_user, initiative),
        confirmed=needs.confirmed_volunteers(initiative) if is_organiser else [],
        backing_count=services.backing_count(initiative),
        has_backed=services.has_backed(current_user, initiative),
        suggested=suggested,
        activities=shown_activities,
        now=now,
        signup_of=lambda need: needs.signup_of(current_user, need),
        can_sign_up=lambda need: needs.can_sign_up(current_user, need),
        participant_of=lambda activity: activities.participant_of(current_user, activity),
        hours_logged=activities.hours_logged,
        action_form=ActionForm(),
        signup_form=SignupForm(formdata=None),
        hours_form=HoursForm(formdata=None),
        progress_form=ProgressForm(formdata=None),
        goals_form=GoalsForm(formdata=None, goals=[str(g.id) for g in initiative.goals]),
    )


@bp.post("/initiatieven/<public_id>/doelen")
@login_required
def correct_goals(public_id: str) -> WerkzeugResponse:
    initiative = _load(public_id)
    if not current_user.is_staff:
        abort(403)
    form = GoalsForm()
    if not form.validate_on_submit():
        flash(_("Choose at least one goal."), "warning")
        return _back(initiative, "goals")
    ids = {int(g) for g in form.goals.data or [] if g.isdecimal()}
    services.correct_goals(current_user, initiative,
                           list(db.session.execute(select(Goal).where(Goal.id.in_(ids))).scalars()))
    db.session.commit()
    flash(_("The goals are corrected."), "success")
    return _back(initiative, "goals")


@bp.post("/initiatieven/<public_id>/steunen")
@login_required
def back(public_id: str) -> WerkzeugResponse:
    initiative = _load(public_id)
    _checked()
    if services.back(current_user, initiative):
        flash(_("Thank you for backing %(name)s!", name=initiative.name), "success")
    else:
        flash(_("You already back this initiative."), "info")
    db.session.commit()
    return _back(initiative, "backing")


# -- needs ------------------------------------------------------------------------------------------------------------

def _need_data(form: NeedForm) -> needs.NeedData:
    return needs.NeedData(
        kind=form.kind.data or NeedKind.VOLUNTEERS, title=form.title.data or "",
        description=form.description.data or "", skills=form.skills.data or "",
        how_many=form.how_many.data or 1, on_date=form.on_date.data, slots=form.slots.data or [],
        is_recurring=form.frequency.data == "recurring", amount=form.amount.data, purpose=form.purpose.data or "",
    )


@bp.route("/initiatieven/<public_id>/behoeften/nieuw", methods=["GET", "POST"])
@login_required
def new_need(public_id: str) -> str | WerkzeugResponse:
    initiative = _load_for_organiser(public_id)
    form = NeedForm()
    if form.validate_on_submit():
        needs.add_need(current_user, initiative, _need_data(form))
        db.session.commit()
        flash(_("The need is on the page of your initiative."), "success")
        return _back(initiative, "needs")
    return render_template("initiatives/need_form.html", form=form, initiative=initiative, need=None)


@bp.route("/initiatieven/<public_id>/behoeften/<need_id>/bewerken", methods=["GET", "POST"])
@login_required
def edit_need(public_id: str, need_id: str) -> str | WerkzeugResponse:
    initiative = _load_for_organiser(public_id)
    need = _need(initiative, need_id)
    form = NeedForm(obj=need)
    if request.method == "GET":
        form.frequency.data = "recurring" if need.is_recurring else "once"
    if form.validate_on_submit():
        needs.edit_need(current_user, need, _need_data(form))
        db.session.commit()
        flash(_("The need is saved."), "success")
        return _back(initiative, "needs")
    return render_template("initiatives/need_form.html", form=form, initiative=initiative, need=need)


@bp.post("/initiatieven/<public_id>/behoeften/<need_id>/voortgang")
@login_required
def need_progress(public_id: str, need_id: str) -> WerkzeugResponse:
    initiative = _load_for_organiser(public_id)
    need = _need(initiative, need_id)
    form = ProgressForm()
    if not form.validate_on_submit():
        flash(_("Choose an amount from 0 to 100000 euros."), "warning")
        return _back(initiative, f"need-{need.public_id}")
    needs.set_progress(current_user, need, form.status.data or "", form.amount_received.data)
    db.session.commit()
    flash(_("The progress is saved."), "success")
    return _back(initiative, f"need-{need.public_id}")


@bp.post("/initiatieven/<public_id>/behoeften/<need_id>/aanmelden")
@login_required
def sign_up(public_id: str, need_id: str) -> WerkzeugResponse:
    initiative = _load(public_id)
    need = _need(initiative, need_id)
    form = SignupForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        needs.sign_up(current_user, need, form.message.data or "")
    except needs.AlreadySignedUp:
        flash(_("You have already signed up for this."), "info")
    except needs.NoLongerOpen:
        flash(_("This is no longer needed. Thank you for wanting to help!"), "info")
    except services.NotAllowed:
        abort(403)
    else:
        db.session.commit()
        flash(_("You signed up. The organisers will let you know."), "success")
    return _back(initiative, f"need-{need.public_id}")


@bp.post("/initiatieven/<public_id>/behoeften/<need_id>/afmelden")
@login_required
def withdraw(public_id: str, need_id: str) -> WerkzeugResponse:
    initiative = _load(public_id)
    need = _need(initiative, need_id)
    _checked()
    needs.withdraw(current_user, need)
    db.session.commit()
    flash(_("You are no longer signed up for this."), "info")
    return _back(initiative, f"need-{need.public_id}")


@bp.post("/initiatieven/<public_id>/behoeften/<need_id>/aanmeldingen/<signup_id>/<decision>")
@login_required
def decide(public_id: str, need_id: str, signup_id: str, decision: str) -> WerkzeugResponse:
    initiative = _load_for_organiser(public_id)
    need = _need(initiative, need_id)
    _checked()
    if decision not in ("bevestigen", "afwijzen"):
        abort(404)
    try:
        if decision == "bevestigen":
            needs.confirm(current_user, need, signup_id)
        else:
            needs.decline(current_user, need, signup_id)
    except needs.NeedFull:
        flash(_("Enough people are confirmed already. Raise the number first if you need more."), "warning")
    except needs.NoLongerOpen:
        flash(_("This was already decided."), "info")
    except services.NotAllowed:
        abort(404)
    else:
        db.session.commit()
        flash(_("Saved. The volunteer gets a message."), "success")
    return _back(initiative, f"need-{need.public_id}")


@bp.post("/initiatieven/<public_id>/behoeften/<need_id>/uitnodigen/<volunteer_id>")
@login_required
def invite(public_id: str, need_id: str, volunteer_id: str) -> WerkzeugResponse:
    initiative = _load_for_organiser(public_id)
    need = _need(initiative, need_id)
    _checked()
    suggested = {s.volunteer.public_id: s.volunteer
                 for s in suggest_volunteers_for_need(need, set(), k=INVITE_REACH)}
    volunteer = suggested.get(volunteer_id)
    if volunteer is None:
        abort(403)
    needs.invite(current_user, need, volunteer)
    db.session.commit()
    flash(_("The volunteer is invited and gets a message."), "success")
    return _back(initiative, f"need-{need.public_id}")


# -- activities -------------------------------------------------------------------------------------------------------

def _activity_data(form: ActivityForm) -> activities.ActivityData:
    starts, ends = form.local_times()
    wijk = next(w for w in all_wijken(db.session) if w.code == form.wijk.data)
    return activities.ActivityData(
        title=form.title.data or "", description=form.description.data or "", wijk=wijk,
        place=form.place.data or "", starts_at=_to_utc(starts), ends_at=_to_utc(ends), capacity=form.capacity.data,
    )


@bp.route("/initiatieven/<public_id>/activiteiten/nieuw", methods=["GET", "POST"])
@login_required
def new_activity(public_id: str) -> str | WerkzeugResponse:
    initiative = _load_for_organiser(public_id)
    form = ActivityForm()
    if request.method == "GET" and initiative.wijken:
        form.wijk.data = initiative.wijken[0].code
    if form.validate_on_submit():
        activities.add_activity(current_user, initiative, _activity_data(form))
        db.session.commit()
        flash(_("The activity is on the page of your initiative."), "success")
        return _back(initiative, "activities")
    return render_template("initiatives/activity_form.html", form=form, initiative=initiative, activity=None)


@bp.route("/initiatieven/<public_id>/activiteiten/<activity_id>/bewerken", methods=["GET", "POST"])
@login_required
def edit_activity(public_id: str, activity_id: str) -> str | WerkzeugResponse:
    initiative = _load_for_organiser(public_id)
    activity = _activity(initiative, activity_id)
    form = ActivityForm(obj=activity)
    if request.method == "GET":
        starts, ends = _to_local(activity.starts_at), _to_local(activity.ends_at)
        form.wijk.data = activity.wijk.code
        form.day.data, form.start.data, form.end.data = starts.date(), starts.time(), ends.time()
    if form.validate_on_submit():
        try:
            activities.edit_activity(current_user, activity, _activity_data(form))
        except activities.NoLongerOpen:
            flash(_("This activity is cancelled and cannot be changed."), "warning")
        else:
            db.session.commit()
            flash(_("The activity is saved. Everyone who signed up gets a message."), "success")
        return _back(initiative, "activities")
    return render_template("initiatives/activity_form.html", form=form, initiative=initiative, activity=activity)


@bp.post("/initiatieven/<public_id>/activiteiten/<activity_id>/annuleren")
@login_required
def cancel_activity(public_id: str, activity_id: str) -> WerkzeugResponse:
    initiative = _load_for_organiser(public_id)
    activity = _activity(initiative, activity_id)
    _checked()
    try:
        activities.cancel_activity(current_user, activity)
    except activities.NoLongerOpen:
        flash(_("This activity was already cancelled."), "info")
    else:
        db.session.commit()
        flash(_("The activity is cancelled. Everyone who signed up gets a message."), "info")
    return _back(initiative, "activities")


@bp.post("/initiatieven/<public_id>/activiteiten/<activity_id>/aanmelden")
@login_required
def join_activity(public_id: str, activity_id: str) -> WerkzeugResponse:
    initiative = _load(public_id)
    activity = _activity(initiative, activity_id)
    _checked()
    try:
        participant = activities.join(current_user, activity)
    except activities.AlreadyJoined:
        flash(_("You have already signed up for this activity."), "info")
    except activities.NoLongerOpen:
        flash(_("You can no longer sign up for this activity."), "info")
    else:
        db.session.commit()
        if participant.status == "waiting":
            flash(_("The activity is full. You are on the waiting list; we will let you know when a place "
                    "becomes free."), "info")
        else:
            flash(_("You signed up. See you there!"), "success")
    return _back(initiative, f"activity-{activity.public_id}")


@bp.post("/initiatieven/<public_id>/activiteiten/<activity_id>/afmelden")
@login_required
def leave_activity(public_id: str, activity_id: str) -> WerkzeugResponse:
    initiative = _load(public_id)
    activity = _activity(initiative, activity_id)
    _checked()
    activities.leave(current_user, activity)
    db.session.commit()
    flash(_("You are no longer signed up for this activity."), "info")
    return _back(initiative, f"activity-{activity.public_id}")


@bp.post("/initiatieven/<public_id>/activiteiten/<activity_id>/uren")
@login_required
def log_hours(public_id: str, activity_id: str) -> WerkzeugResponse:
    initiative = _load(public_id)
    activity = _activity(initiative, activity_id)
    form = HoursForm()
    if not form.validate_on_submit():
        flash(form.hours.errors[0] if form.hours.errors else _("Fill in a number of hours."), "warning")
        return _back(initiative, f"activity-{activity.public_id}")
    try:
        activities.log_hours(current_user, activity, float(form.hours.data or 0))
    except services.NotAllowed:
        abort(403)
    db.session.commit()
    flash(_("Your hours are saved. Thank you!"), "success")
    return _back(initiative, f"activity-{activity.public_id}")


@bp.get("/initiatieven/<public_id>/agenda.ics")
def calendar(public_id: str) -> tuple[str, int, dict[str, str]]:
    initiative = _load(public_id)
    now = utcnow()
    shown = [a for a in initiative.activities if a.ends_at >= now - PAST_ACTIVITIES]
    body = ical.calendar(initiative, shown, now=now,
                         url=url_for("initiatives.show", public_id=initiative.public_id, _external=True))
    return body, 200, {"Content-Type": "text/calendar; charset=utf-8",
                       "Content-Disposition": f'inline; filename="{initiative.public_id}.ics"'}


# -- for staff --------------------------------------------------------------------------------------------------------

def _staff_only() -> None:
    if not current_user.is_staff:
        abort(403)


@bp.route("/initiatieven/<public_id>/ondersteuning", methods=["GET", "POST"])
@login_required
def support(public_id: str) -> str | WerkzeugResponse:
    _staff_only()
    initiative = _load(public_id)
    form = SupportForm()
    if form.validate_on_submit():
        services.record_support(current_user, initiative, services.SupportData(
            kind=form.kind.data or "", hours=float(form.hours.data) if form.hours.data else None,
            amount=form.amount.data, description=form.description.data or "",
            given_on=form.given_on.data or utcnow().date()))
        db.session.commit()
        flash(_("The support is recorded."), "success")
        return redirect(url_for("initiatives.support", public_id=public_id))
    return render_template("initiatives/support.html", initiative=initiative, form=form,
                           items=services.support_of(initiative))


@bp.get("/initiatieven/steun-overzicht")
@login_required
def backing_overview() -> str:
    _staff_only()
    return render_template("initiatives/backing_overview.html", areas=services.backing_overview())

