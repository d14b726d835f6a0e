"""The initiatives blueprint and what its views share: loading an initiative, need or activity (404 or 403),
the CSRF check of a button, search filters from the query string, and Haarlem's time zone.

The routes are in initiative_views (the "initiatives" blueprint) and in need_views, activity_views and support_views
(its sub-blueprints "initiatives.needs", "initiatives.activities", "initiatives.support.support"); views.py nests them.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_babel import format_date, format_time
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response as WerkzeugResponse

from webapp.accounts.safeguarding import may_help
from webapp.core.extensions import db
from webapp.core.forms import ActionForm
from webapp.core.ids import utcnow
from webapp.core.pagination import int_arg
from webapp.core.reference.models import Goal
from webapp.core.reference.services import all_wijken
from webapp.initiatives import activities, needs, news, services
from webapp.initiatives.forms import GoalsForm, HoursForm, ProgressForm, SignupForm
from webapp.initiatives.labels import (
    APPLICANT_STATUS_LABELS,
    NEED_KIND_LABELS,
    NEED_STATUS_LABELS,
    STATUS_LABELS,
    SUPPORT_KIND_LABELS,
)
from webapp.initiatives.models import Activity, Initiative, InitiativeNeed

LABELS = {"status": STATUS_LABELS, "need_kind": NEED_KIND_LABELS, "need_status": NEED_STATUS_LABELS,
          "support_kind": SUPPORT_KIND_LABELS, "applicant": APPLICANT_STATUS_LABELS}
PAST_ACTIVITIES = timedelta(days=90)  # older activities leave the page and the calendar feed


def when(activity: Activity) -> str:
    """"Tuesday 6 October 2026, 20:00 – 22:00" in the reader's language and Haarlem's time."""
    return _("%(day)s, %(start)s – %(end)s", day=format_date(activity.starts_at, "full"),
             start=format_time(activity.starts_at, "short"), end=format_time(activity.ends_at, "short"))


# -- shared by the views ---------------------------------------------------------------------------------------------

def load(public_id: str) -> Initiative:
    """An initiative, or 404: also before staff confirmed it (except for its organisers), and when staff blocked every
    organiser (only staff still see it)."""
    initiative = services.get_initiative(public_id)
    if initiative is None or not services.may_see(current_user, initiative):
        abort(404)
    return initiative


def render_initiative(initiative: Initiative, *, kept: dict[str, str] | None = None, status: int = 200
                      ) -> tuple[str, int]:
    """The initiative's page. `kept`: what someone typed to sign up for a need (by the need's public id) that was
    refused, shown again so nothing is lost."""
    is_organiser = services.can_edit(current_user, initiative)
    now = utcnow()
    # Shifts show under their activity; a repeating activity shows each date.
    shown_activities = [a for a in initiative.activities if a.ends_at >= now - PAST_ACTIVITIES and a.parent_id is None]
    return render_template(
        "initiatives/show.html",
        initiative=initiative,
        is_organiser=is_organiser,
        is_staff=current_user.is_authenticated and current_user.is_staff,
        can_contact=needs.can_see_contacts(current_user, initiative),
        confirmed=needs.confirmed_volunteers(initiative) if is_organiser else [],
        backing_count=services.backing_count(initiative),
        has_backed=services.has_backed(current_user, initiative),
        updates=news.updates_of(initiative),
        following=news.is_following(current_user, initiative),
        activities=shown_activities,
        now=now,
        signup_of=lambda need: needs.signup_of(current_user, need),
        can_sign_up=lambda need: needs.can_sign_up(current_user, need),
        may_help=lambda work: may_help(current_user, work.needs_screening),
        participant_of=lambda activity: activities.participant_of(current_user, activity),
        hours_logged=activities.hours_logged,
        kept=kept or {},
        action_form=ActionForm(),
        signup_form=SignupForm(formdata=None),
        hours_form=HoursForm(formdata=None),
        progress_form=ProgressForm(formdata=None),
        goals_form=GoalsForm(formdata=None, goals=[str(g.id) for g in initiative.goals]),
    ), status


def load_for_organiser(public_id: str) -> Initiative:
    initiative = load(public_id)
    if not services.can_edit(current_user, initiative):
        abort(403)
    return initiative


def load_need(initiative: Initiative, need_id: str) -> InitiativeNeed:
    need = needs.get_need(initiative, need_id)
    if need is None:
        abort(404)
    return need


def load_activity(initiative: Initiative, activity_id: str) -> Activity:
    activity = activities.get_activity(initiative, activity_id)
    if activity is None:
        abort(404)
    return activity


def checked() -> None:
    """Buttons carry only a CSRF token."""
    if not ActionForm().validate_on_submit():
        abort(400)


def back_to(initiative: Initiative, anchor: str = "") -> WerkzeugResponse:
    return redirect(url_for("initiatives.show", public_id=initiative.public_id) + (f"#{anchor}" if anchor else ""))


def zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def to_utc(local: datetime) -> datetime:
    return local.replace(tzinfo=zone()).astimezone(UTC).replace(tzinfo=None)


def to_local(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC).astimezone(zone()).replace(tzinfo=None)


def search_filters(*, organisations_only: bool = False, kind: str | None = None) -> services.Filters:
    wijk_code = request.args.get("wijk") or None
    return services.Filters(
        text=(request.args.get("q") or "")[:100],
        wijk_id=next((w.id for w in all_wijken(db.session) if w.code == wijk_code), None),
        goal_id=int_arg("goal"),
        kind=kind or request.args.get("kind") or None,
        organisations_only=organisations_only or request.args.get("type") == "organisation",
        include_ended=request.args.get("ended") == "1",
    )


def filter_options() -> dict[str, object]:
    return {"wijken": all_wijken(db.session),
            "goals": list(db.session.execute(select(Goal).order_by(Goal.id)).scalars()),
            "args": request.args}


def staff_only() -> None:
    if not current_user.is_staff:
        abort(403)
