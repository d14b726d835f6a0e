"""The in-app notification list, e-mail settings, and unsubscribing from a link in an e-mail (no log-in)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as WerkzeugResponse

from webapp.core.extensions import csrf, db
from webapp.core.forms import ActionForm
from webapp.notifications import kinds, services
from webapp.notifications.emails import BadToken, read_unsubscribe_token
from webapp.notifications.forms import preferences_form

bp = Blueprint("notifications", __name__)


@bp.app_context_processor
def _unread() -> dict[str, int]:
    """The number on the bell in the header of every page."""
    if "unread_notifications" not in g:  # once per request, also when a page draws parts with render_template
        g.unread_notifications = (services.unread_count(current_user.id)
                                  if current_user and current_user.is_authenticated else 0)
    return {"unread_notifications": g.unread_notifications}


@bp.get("/berichten/")
@login_required
def index() -> str:
    return render_template("notifications/index.html", items=services.recent_for(current_user.id),
                           action_form=ActionForm(), sentence=kinds.sentence)


@bp.post("/berichten/gelezen")
@login_required
def mark_read() -> WerkzeugResponse:
    if ActionForm().validate_on_submit():
        services.mark_all_read(current_user.id)
        db.session.commit()
    return redirect(url_for("notifications.index"))


@bp.route("/mijn/e-mail", methods=["GET", "POST"])
@login_required
def preferences() -> str | WerkzeugResponse:
    form = preferences_form(services.preferences_of(current_user))
    if form.validate_on_submit():
        services.set_preferences(current_user, form.choices())
        db.session.commit()
        flash(_("Your e-mail settings are saved."), "success")
        return redirect(url_for("notifications.preferences"))
    return render_template("notifications/preferences.html", form=form, names=list(kinds.PREFERENCES))


def _bad_link(error: BadToken) -> tuple[str, int]:
    return render_template("notifications/unsubscribe.html", error="expired" if error.expired else "invalid"), 400


@bp.get("/berichten/afmelden/<token>")
def confirm_unsubscribe(token: str) -> str | tuple[str, int]:
    """The link in an e-mail only asks. Mail scanners open links before people do; they must not unsubscribe."""
    try:
        user_public_id, preference = read_unsubscribe_token(token)
    except BadToken as error:
        return _bad_link(error)
    if services.find_person(user_public_id) is None:
        abort(404)
    return render_template("notifications/unsubscribe.html", error=None, confirm=True, token=token,
                           preference=kinds.preference_label(preference))


@bp.post("/berichten/afmelden/<token>")
@csrf.exempt  # the signed token is the proof; mail programs POST here without a form (RFC 8058)
def unsubscribe(token: str) -> str | tuple[str, int]:
    """The button on the confirmation page, or a mail program's one-click POST (List-Unsubscribe=One-Click)."""
    try:
        user_public_id, preference = read_unsubscribe_token(token)
    except BadToken as error:
        return _bad_link(error)
    before = None
    person = services.find_person(user_public_id)
    if person is not None and preference != kinds.ALL:
        before = services.preferences_of(person)[preference]
    if services.unsubscribe(user_public_id, preference) is None:
        abort(404)
    db.session.commit()
    return render_template("notifications/unsubscribe.html", error=None, token=token,
                           preference=kinds.preference_label(preference), before=before,
                           action_form=ActionForm())


@bp.post("/berichten/afmelden/<token>/terug")
def resubscribe(token: str) -> str | tuple[str, int] | WerkzeugResponse:
    """Undo, from the page the link opened: e-mail about this kind again, as it was before."""
    try:
        user_public_id, preference = read_unsubscribe_token(token)
    except BadToken as error:
        return _bad_link(error)
    channel = request.form.get("channel", "")
    person = services.find_person(user_public_id)
    if person is None:
        abort(404)
    if preference == kinds.ALL or channel not in kinds.channels_for(preference) or channel == kinds.OFF or \
            not ActionForm().validate_on_submit():
        abort(400)
    services.set_channel(person, preference, channel)
    db.session.commit()
    return render_template("notifications/unsubscribe.html", error=None, token=None,
                           preference=kinds.preference_label(preference), resubscribed=True)
