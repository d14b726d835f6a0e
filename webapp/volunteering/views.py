"""The front door for volunteering (/vrijwilligerswerk), my applications, my agenda and its calendar feed."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as WerkzeugResponse

from webapp.core.extensions import db
from webapp.core.forms import ActionForm
from webapp.core.ids import utcnow
from webapp.core.pagination import page_arg
from webapp.core.reference.services import all_wijken
from webapp.initiatives.forms import NeedHoursForm
from webapp.initiatives.labels import NEED_KIND_LABELS
from webapp.initiatives.web import when
from webapp.notifications.kinds import DECLINE_WORDS
from webapp.volunteering import agenda
from webapp.volunteering import applications as applied
from webapp.volunteering.forms import KIND_LABELS, STATE_LABELS, FrontDoorFilters
from webapp.volunteering.frontdoor import KINDS, Filters, front_door

bp = Blueprint("volunteering", __name__)


def _zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def _filters(form: FrontDoorFilters) -> Filters:
    """What the query string asks, as far as it makes sense; anything else is left out (never an error page)."""
    wijken = all_wijken(db.session)
    km = form.km.data if form.km.data and form.km.data.isdecimal() else None
    return Filters(
        kinds=frozenset({form.kind.data}) if form.kind.data in KINDS else frozenset(),
        day_part=form.dagdeel.data or None,
        km=float(km) if km and 0 < int(km) <= 50 else None,
        rhythm=form.ritme.data or None,
        suits_me=bool(form.past.data),
        wijk=next((w for w in wijken if w.code == form.wijk.data), None),
    )


@bp.get("/vrijwilligerswerk")
def index() -> str:
    """Everything that fits, in one list: for a volunteer with a profile ranked by the matching engine."""
    form = FrontDoorFilters(request.args)
    form.validate()  # choices that do not exist show as not chosen
    filters = _filters(form)
    user = current_user if current_user.is_authenticated else None
    found = front_door(user, filters, all_wijken(db.session), _zone())
    items, page, pages = found.page(page_arg(), current_app.config["PAGE_SIZE"])
    mine = applied.applications_of(current_user) if user is not None else []
    return render_template(
        "volunteering/index.html", form=form, found=found, items=items, page=page, pages=pages,
        total=len(found.items), kind_labels=KIND_LABELS, need_kind_labels=NEED_KIND_LABELS, when=when,
        my_counts=applied.counts(mine), has_profile=bool(user and user.volunteer_profile
                                                              and user.volunteer_profile.skills))


@bp.get("/mijn/aanmeldingen")
@login_required
def applications() -> str:
    """My applications: what I offered to do, with its state; withdrawing, and logging hours for a role."""
    state = request.args.get("status") or None
    everything = applied.applications_of(current_user)
    shown = [a for a in everything if a.state == state] if state in applied.STATES else everything
    per_page = current_app.config["PAGE_SIZE"]
    pages = max(1, -(-len(shown) // per_page))
    page = min(max(page_arg(), 1), pages)
    return render_template(
        "volunteering/applications.html", items=shown[(page - 1) * per_page:page * per_page], page=page, pages=pages,
        counts=applied.counts(everything), state=state if state in applied.STATES else None,
        states=applied.STATES, labels=STATE_LABELS, decline_words=DECLINE_WORDS, when=when,
        action_form=ActionForm(), hours_form=NeedHoursForm(formdata=None), today=utcnow().date())


@bp.get("/mijn/agenda")
@login_required
def my_agenda() -> str:
    feed = agenda.feed_of(current_user)
    feed_url = None
    if feed is not None:
        feed_url = url_for("volunteering.feed", feed_id=feed.feed_id, _external=True,
                           signature=agenda.signature(feed.feed_id, current_app.config["SECRET_KEY"]))
    return render_template("volunteering/agenda.html", entries=agenda.agenda_of(current_user), feed_url=feed_url,
                           when=when, action_form=ActionForm())


@bp.post("/mijn/agenda/koppeling")
@login_required
def new_feed() -> WerkzeugResponse:
    if not ActionForm().validate_on_submit():
        abort(400)
    agenda.new_feed(current_user)
    db.session.commit()
    flash(_("Your calendar link is ready. Copy it into your calendar app. An older link no longer works."), "success")
    return redirect(url_for("volunteering.my_agenda") + "#feed")


@bp.post("/mijn/agenda/koppeling/stoppen")
@login_required
def stop_feed() -> WerkzeugResponse:
    if not ActionForm().validate_on_submit():
        abort(400)
    agenda.stop_feed(current_user)
    db.session.commit()
    flash(_("Your calendar link no longer works."), "info")
    return redirect(url_for("volunteering.my_agenda") + "#feed")


@bp.get("/agenda/<feed_id>/<signature>.ics")
def feed(feed_id: str, signature: str) -> tuple[str, int, dict[str, str]]:
    """A person's own calendar feed, for calendar programs (they send no cookie): the address is the key."""
    owner = agenda.owner_of(feed_id[:64], signature[:64], current_app.config["SECRET_KEY"])
    if owner is None:
        abort(404)
    now = utcnow()
    events = agenda.feed_events(owner, now, _Links())
    body = agenda.ical.feed(_("Samen: my agenda"), events, now=now)
    return body, 200, {"Content-Type": "text/calendar; charset=utf-8", "Cache-Control": "private, no-store",
                       "Content-Disposition": 'inline; filename="samen-agenda.ics"'}


class _Links(dict[str, str]):
    """An initiative's page address by its public id, made when asked."""

    def __missing__(self, public_id: str) -> str:
        self[public_id] = url_for("initiatives.show", public_id=public_id, _external=True)
        return self[public_id]
