"""My data (download as JSON), deleting an account, the goodbye page, the privacy statement, and the staff
action that deletes an account without a password."""

from __future__ import annotations

import json

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user
from werkzeug.wrappers import Response as WerkzeugResponse

from webapp.accounts import throttle
from webapp.core.access import staff_required
from webapp.core.extensions import db
from webapp.core.ratelimit.pages import refused
from webapp.core.reference.labels import locale_code
from webapp.privacy import export, services
from webapp.privacy.forms import DeleteAccountForm, StaffDeleteForm
from webapp.staff.services import find_person

bp = Blueprint("privacy", __name__)

# Until the volunteer centre fills in its own details (PRIVACY_CONTROLLER, PRIVACY_CONTACT_EMAIL in the config).
DEFAULT_CONTROLLER = "[Naam vrijwilligerscentrum Haarlem], [adres], [postcode] Haarlem"
DEFAULT_PRIVACY_EMAIL = "privacy@samen-haarlem.nl"


@bp.get("/privacy")
def statement() -> str:
    # One template per language (a legal text reads best written whole); the table of languages says which exist.
    return render_template(
        f"privacy/statement_{locale_code()}.html",
        controller=current_app.config.get("PRIVACY_CONTROLLER", DEFAULT_CONTROLLER),
        contact_email=current_app.config.get("PRIVACY_CONTACT_EMAIL", DEFAULT_PRIVACY_EMAIL),
        retention_months=current_app.config["RETENTION_MONTHS"],
        expiry_days=current_app.config["REQUEST_EXPIRY_DAYS"],
    )


@bp.get("/mijn/gegevens")
@login_required
def my_data() -> str:
    return render_template("privacy/my_data.html", has_password=bool(current_user.password_hash))


@bp.get("/mijn/gegevens/download")
@login_required
def download() -> Response:
    body = json.dumps(export.collect(current_user), ensure_ascii=False, indent=2, sort_keys=False)
    response = Response(body, mimetype="application/json")
    response.headers["Content-Disposition"] = f'attachment; filename="{export.filename(current_user)}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/mijn/gegevens/verwijderen", methods=["GET", "POST"])
@login_required
def delete_account() -> str | WerkzeugResponse | tuple[str, int] | tuple[str, int, dict[str, str]]:
    if not current_user.password_hash or current_user.is_staff:
        return render_template("privacy/delete_by_staff.html"), 200
    form = DeleteAccountForm()
    if form.validate_on_submit():
        # Wrong passwords count as on the change-password form: a stolen session cannot guess the password here.
        attempt = throttle.current_password(current_user)
        refusal = attempt.refusal()
        if refusal:
            return refused("privacy/delete.html", refusal, form=form)
        try:
            services.erase_own_account(current_user, form.password.data or "")
        except services.NeedsPassword:
            attempt.failed()
            form.password.errors = [_("This password is not right.")]
        else:
            db.session.commit()
            lang = session.get("lang")
            logout_user()
            session.clear()
            if lang:
                session["lang"] = lang
            session["account_deleted"] = True
            return redirect(url_for("privacy.goodbye"))
    return render_template("privacy/delete.html", form=form), 400 if form.errors else 200


@bp.get("/tot-ziens")
def goodbye() -> str | WerkzeugResponse:
    if not session.pop("account_deleted", False):
        return redirect(url_for("pages.index"))
    return render_template("privacy/goodbye.html")


@bp.route("/werkruimte/personen/<public_id>/verwijderen", methods=["GET", "POST"])
@staff_required
def staff_delete(public_id: str) -> str | WerkzeugResponse | tuple[str, int]:
    person = find_person(public_id)
    if person is None:
        abort(404)
    if not services.staff_may_erase(person) or services.is_erased(person):
        abort(403)
    form = StaffDeleteForm()
    if form.validate_on_submit():
        services.erase_account(person, staff=current_user)
        db.session.commit()
        flash(_("The account is deleted. What is left has no name or contact details."), "success")
        return redirect(url_for("staff.index"))
    return render_template("privacy/staff_delete.html", form=form, person=person), 400 if form.errors else 200
