"""Activities of an initiative: planning (once or repeating), shifts, changing and cancelling them, joining (or the
waiting list), leaving, logging hours, who comes (list, CSV, a message to everyone), and the iCal feed."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext, pgettext
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as WerkzeugResponse

from webapp.core.extensions import db
from webapp.core.ids import utcnow
from webapp.core.ratelimit import services as ratelimit
from webapp.core.ratelimit.pages import refused
from webapp.core.redirects import safe_next
from webapp.core.reference.labels import locale_code
from webapp.core.reference.services import all_wijken
from webapp.initiatives import activities, attendance, ical, services
from webapp.initiatives.forms import ActivityForm, HoursForm, MessageForm, ShiftForm
from webapp.initiatives.models import Activity, Initiative
from webapp.initiatives.web import (
    PAST_ACTIVITIES,
    back_to,
    checked,
    load,
    load_activity,
    load_for_organiser,
    to_local,
    to_utc,
    zone,
)

bp = Blueprint("activities", __name__)

# -- activities -------------------------------------------------------------------------------------------------------

def _activity_data(form: ActivityForm, *, repeating: bool = False) -> activities.ActivityData:
    starts, ends = form.local_times()
    wijk = next(w for w in all_wijken(db.session) if w.code == form.wijk.data)
    later = activities.repeat_dates(starts, ends, form.repeat.data or "", form.repeat_until.data) \
        if repeating and form.repeat.data and form.repeat_until.data else []
    return activities.ActivityData(
        title=form.title.data or "", description=form.description.data or "", wijk=wijk,
        place=form.place.data or "", starts_at=to_utc(starts), ends_at=to_utc(ends), capacity=form.capacity.data,
        needs_screening=bool(form.needs_screening.data),
        more_dates=tuple((to_utc(s), to_utc(e)) for s, e in later),
        text_language=form.text_language.data or locale_code(),
    )


@bp.route("/initiatieven/<public_id>/activiteiten/nieuw", methods=["GET", "POST"])
@login_required
def new_activity(public_id: str) -> str | WerkzeugResponse:
    initiative = load_for_organiser(public_id)
    form = ActivityForm()
    if request.method == "GET" and initiative.wijken:
        form.wijk.data = initiative.wijken[0].code
    if form.validate_on_submit():
        data = _activity_data(form, repeating=True)
        activities.add_activity(current_user, initiative, data)
        db.session.commit()
        if data.more_dates:
            flash(ngettext("The activity is on the page of your initiative, on %(num)d date.",
                           "The activity is on the page of your initiative, on %(num)d dates.",
                           1 + len(data.more_dates)), "success")
        else:
            flash(_("The activity is on the page of your initiative."), "success")
        return back_to(initiative, "activities")
    return render_template("initiatives/activity_form.html", form=form, initiative=initiative, activity=None)


@bp.route("/initiatieven/<public_id>/activiteiten/<activity_id>/bewerken", methods=["GET", "POST"])
@login_required
def edit_activity(public_id: str, activity_id: str) -> str | WerkzeugResponse:
    initiative = load_for_organiser(public_id)
    activity = load_activity(initiative, activity_id)
    form = ActivityForm(obj=activity)
    if request.method == "GET":
        starts, ends = to_local(activity.starts_at), to_local(activity.ends_at)
        form.wijk.data = activity.wijk.code
        form.day.data, form.start.data, form.end.data = starts.date(), starts.time(), ends.time()
    if form.validate_on_submit():
        try:
            closed = activities.edit_activity(current_user, activity, _activity_data(form))
        except activities.NoLongerOpen:
            flash(_("This activity is cancelled and cannot be changed."), "warning")
        else:
            db.session.commit()
            flash(_("The activity is saved. Everyone who signed up gets a message."), "success")
            if closed:
                flash(ngettext("This activity now needs a certificate of conduct (VOG). We cancelled the place of "
                               "%(num)d person without one, with a kind message.",
                               "This activity now needs a certificate of conduct (VOG). We cancelled the places of "
                               "%(num)d people without one, with a kind message.", closed), "info")
        return back_to(initiative, "activities")
    return render_template("initiatives/activity_form.html", form=form, initiative=initiative, activity=activity)


@bp.post("/initiatieven/<public_id>/activiteiten/<activity_id>/annuleren")
@login_required
def cancel_activity(public_id: str, activity_id: str) -> WerkzeugResponse:
    initiative = load_for_organiser(public_id)
    activity = load_activity(initiative, activity_id)
    checked()
    try:
        activities.cancel_activity(current_user, activity)
    except activities.NoLongerOpen:
        flash(_("This activity was already cancelled."), "info")
    else:
        db.session.commit()
        flash(_("The activity is cancelled. Everyone who signed up gets a message."), "info")
    return back_to(initiative, "activities")


@bp.post("/initiatieven/<public_id>/activiteiten/<activity_id>/aanmelden")
@login_required
def join_activity(public_id: str, activity_id: str) -> WerkzeugResponse:
    initiative = load(public_id)
    activity = load_activity(initiative, activity_id)
    checked()
    try:
        participant = activities.join(current_user, activity)
    except activities.AlreadyJoined:
        flash(_("You have already signed up for this activity."), "info")
    except activities.NoLongerOpen:
        flash(_("You can no longer sign up for this activity."), "info")
    except activities.NeedsScreening:
        db.session.rollback()
        flash(_("This activity needs a certificate of conduct (VOG), and yours has not been checked (or it has "
                "lapsed). Ask the volunteer centre how to get one."), "warning")
    except activities.ChooseAShift:
        db.session.rollback()
        flash(_("This activity has shifts. Choose the shift you want to help with."), "info")
    else:
        db.session.commit()
        if participant.status == "waiting":
            flash(_("The activity is full. You are on the waiting list; we will let you know when a place "
                    "becomes free."), "info")
        else:
            flash(_("You signed up. See you there!"), "success")
    return back_to(initiative, f"activity-{activity.public_id}")


@bp.post("/initiatieven/<public_id>/activiteiten/<activity_id>/afmelden")
@login_required
def leave_activity(public_id: str, activity_id: str) -> WerkzeugResponse:
    initiative = load(public_id)
    activity = load_activity(initiative, activity_id)
    checked()
    activities.leave(current_user, activity)
    db.session.commit()
    flash(_("You are no longer signed up for this activity."), "info")
    return redirect(safe_next(request.form.get("next"), url_for("initiatives.show", public_id=initiative.public_id)
                              + f"#activity-{activity.public_id}"))


@bp.post("/initiatieven/<public_id>/activiteiten/<activity_id>/uren")
@login_required
def log_hours(public_id: str, activity_id: str) -> WerkzeugResponse:
    initiative = load(public_id)
    activity = load_activity(initiative, activity_id)
    form = HoursForm()
    if not form.validate_on_submit():
        flash(form.hours.errors[0] if form.hours.errors else _("Fill in a number of hours."), "warning")
        return back_to(initiative, f"activity-{activity.public_id}")
    try:
        activities.log_hours(current_user, activity, float(form.hours.data or 0))
    except services.NotAllowed:
        abort(403)
    db.session.commit()
    flash(_("Your hours are saved. Thank you!"), "success")
    return back_to(initiative, f"activity-{activity.public_id}")


# -- shifts, who comes, a message to everyone -------------------------------------------------------------------------

@bp.route("/initiatieven/<public_id>/activiteiten/<activity_id>/diensten/nieuw", methods=["GET", "POST"])
@login_required
def new_shift(public_id: str, activity_id: str) -> str | WerkzeugResponse:
    initiative = load_for_organiser(public_id)
    activity = load_activity(initiative, activity_id)
    form = ShiftForm()
    if form.validate_on_submit():
        day = to_local(activity.starts_at).date()
        assert form.start.data is not None and form.end.data is not None  # validated
        starts, ends = datetime.combine(day, form.start.data), datetime.combine(day, form.end.data)
        try:
            activities.add_shift(current_user, activity, activities.ShiftData(
                title=form.title.data or "", starts_at=to_utc(starts), ends_at=to_utc(ends),
                capacity=form.capacity.data))
        except activities.NoLongerOpen:
            flash(_("This activity is cancelled, or is a shift itself: it cannot get shifts."), "warning")
            return back_to(initiative, f"activity-{activity.public_id}")
        db.session.commit()
        flash(_("The shift is added. People now sign up for a shift."), "success")
        return back_to(initiative, f"activity-{activity.public_id}")
    return render_template("initiatives/shift_form.html", form=form, initiative=initiative, activity=activity)


def _attendees_page(initiative: Initiative, activity: Activity, form: MessageForm, status: int = 200
                    ) -> tuple[str, int]:
    return render_template("initiatives/attendees.html", initiative=initiative, activity=activity, form=form,
                           people=attendance.attendees(current_user, activity),
                           messages=attendance.messages_of(activity)), status


@bp.get("/initiatieven/<public_id>/activiteiten/<activity_id>/deelnemers")
@login_required
def attendees(public_id: str, activity_id: str) -> tuple[str, int]:
    """Who comes, for the organisers: the list, its download and a message to everyone."""
    initiative = load_for_organiser(public_id)
    return _attendees_page(initiative, load_activity(initiative, activity_id), MessageForm(formdata=None))


@bp.get("/initiatieven/<public_id>/activiteiten/<activity_id>/deelnemers.csv")
@login_required
def attendees_csv(public_id: str, activity_id: str) -> tuple[str, int, dict[str, str]]:
    initiative = load_for_organiser(public_id)
    activity = load_activity(initiative, activity_id)
    header = [pgettext("person", "Name"), _("Wijk"), _("Status"), _("Shift"), _("Signed up"), _("Hours"),
              _("VOG checked")]
    statuses = {"going": _("Goes"), "waiting": _("Waiting list"), "cancelled": _("Signed off")}
    body = attendance.attendees_csv(attendance.attendees(current_user, activity), header, statuses, zone())
    name = f"deelnemers-{activity.public_id}.csv"
    return body, 200, {"Content-Type": "text/csv; charset=utf-8", "Cache-Control": "private, no-store",
                       "Content-Disposition": f'attachment; filename="{name}"'}


@bp.post("/initiatieven/<public_id>/activiteiten/<activity_id>/bericht")
@login_required
def message(public_id: str, activity_id: str) -> tuple[str, int] | tuple[str, int, dict[str, str]] | WerkzeugResponse:
    initiative = load_for_organiser(public_id)
    activity = load_activity(initiative, activity_id)
    form = MessageForm()
    if not form.validate_on_submit():
        return _attendees_page(initiative, activity, form, 400)
    refusal = ratelimit.hit("activity_message", ("user", current_user.public_id), ("activity", activity.public_id))
    if refusal:
        return refused("initiatives/attendees.html", refusal, initiative=initiative, activity=activity, form=form,
                       people=attendance.attendees(current_user, activity), messages=attendance.messages_of(activity))
    sent = attendance.send_message(current_user, activity, form.body.data or "")
    db.session.commit()
    flash(ngettext("Your message went to %(num)d person.", "Your message went to %(num)d people.", sent.recipients),
          "success")
    return redirect(url_for("initiatives.activities.attendees", public_id=public_id, activity_id=activity_id))


@bp.get("/initiatieven/<public_id>/agenda.ics")
def calendar(public_id: str) -> tuple[str, int, dict[str, str]]:
    initiative = load(public_id)
    now = utcnow()
    shown = [a for a in initiative.activities if a.ends_at >= now - PAST_ACTIVITIES]
    body = ical.calendar(initiative, shown, now=now,
                         url=url_for("initiatives.show", public_id=initiative.public_id, _external=True))
    return body, 200, {"Content-Type": "text/calendar; charset=utf-8",
                       "Content-Disposition": f'inline; filename="{initiative.public_id}.ics"'}
