"""Register, log in and out, keep an account and a volunteer profile."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response as WerkzeugResponse

from webapp.accounts import services
from webapp.accounts.forms import AccountForm, LoginForm, RegistrationForm, VolunteerProfileForm
from webapp.asks.services import asks_for_volunteer, requests_of, responses_of
from webapp.extensions import db
from webapp.pages.views import safe_next
from webapp.reference.labels import locale_code
from webapp.reference.services import lookup_postcode

bp = Blueprint("accounts", __name__)


@bp.route("/registreren", methods=["GET", "POST"])
def register() -> str | WerkzeugResponse:
    if current_user.is_authenticated:
        return redirect(url_for("accounts.dashboard"))
    form = RegistrationForm()
    if form.validate_on_submit():
        assert form.resolved_wijk is not None
        try:
            user = services.register_user(
                services.Registration(
                    email=form.email.data or "",
                    password=form.password.data or "",
                    first_name=form.first_name.data or "",
                    last_name=form.last_name.data or "",
                    phone=form.phone.data or "",
                    postcode=form.postcode.data or "",
                    wijk=form.resolved_wijk,
                    roles=tuple(form.roles.data or ()),
                    locale=locale_code(),
                )
            )
        except services.EmailTaken:
            form.email.errors = [_("There is already an account with this e-mail address. Log in instead.")]
        else:
            db.session.commit()
            session.clear()
            login_user(user)
            flash(_("Welcome to Samen, %(name)s!", name=user.first_name), "success")
            if user.has_role("volunteer"):
                return redirect(url_for("accounts.volunteer_profile"))
            return redirect(url_for("accounts.dashboard"))
    return render_template("accounts/register.html", form=form)


@bp.route("/inloggen", methods=["GET", "POST"])
def login() -> str | WerkzeugResponse:
    if current_user.is_authenticated:
        return redirect(url_for("accounts.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data or "", form.password.data or "")
        if user is None or user.is_blocked:
            form.password.errors = [_("The e-mail address or password is not right. Try again.")]
        else:
            services.record_login(user)
            db.session.commit()
            lang = session.get("lang")
            session.clear()  # a new session at login
            if lang:
                session["lang"] = lang
            login_user(user, remember=bool(form.remember.data))
            return redirect(safe_next(request.args.get("next"), url_for("accounts.dashboard")))
    return render_template("accounts/login.html", form=form)


@bp.post("/uitloggen")
@login_required
def logout() -> WerkzeugResponse:
    services.end_sessions(current_user)
    db.session.commit()
    lang = session.get("lang")
    logout_user()
    session.clear()
    if lang:
        session["lang"] = lang
    flash(_("You are logged out."), "info")
    return redirect(url_for("pages.index"))


@bp.get("/mijn")
@login_required
def dashboard() -> str:
    return render_template(
        "accounts/dashboard.html",
        my_requests=requests_of(current_user),
        my_responses=responses_of(current_user) if current_user.has_role("volunteer") else [],
        asks=asks_for_volunteer(current_user) if current_user.has_role("volunteer") else [],
    )


@bp.route("/mijn/account", methods=["GET", "POST"])
@login_required
def account() -> str | WerkzeugResponse:
    form = AccountForm(obj=current_user)
    if request.method == "GET":
        form.roles.data = sorted(current_user.roles)
        _preset_wijk(form, current_user.postcode, current_user.wijk)
    if form.validate_on_submit():
        assert form.resolved_wijk is not None
        services.update_account(
            current_user,
            first_name=form.first_name.data or "",
            last_name=form.last_name.data or "",
            phone=form.phone.data or "",
            postcode=form.postcode.data or "",
            wijk=form.resolved_wijk,
            roles=form.roles.data or [],
        )
        db.session.commit()
        flash(_("Your details are saved."), "success")
        return redirect(url_for("accounts.dashboard"))
    return render_template("accounts/account.html", form=form)


@bp.route("/mijn/vrijwilligersprofiel", methods=["GET", "POST"])
@login_required
def volunteer_profile() -> str | WerkzeugResponse:
    profile = current_user.volunteer_profile
    form = VolunteerProfileForm()
    if request.method == "GET":
        if profile is not None:
            form.skills.data = ", ".join(profile.skills)
            form.languages.data = profile.languages
            form.max_distance_km.data = profile.max_distance_km  # type: ignore[assignment]
            form.availability.data = profile.availability
            form.bio.data = profile.bio
            form.postcode.data = profile.postcode or current_user.postcode
            _preset_wijk(form, form.postcode.data, profile.wijk or current_user.wijk)
        else:
            form.languages.data = [locale_code()]
            form.postcode.data = current_user.postcode
            _preset_wijk(form, current_user.postcode, current_user.wijk)
    if form.validate_on_submit():
        assert form.resolved_wijk is not None
        skills = [s.strip() for s in (form.skills.data or "").split(",") if s.strip()]
        services.update_volunteer_profile(
            current_user,
            services.VolunteerProfileData(
                skills=skills[:30],
                languages=form.languages.data or [],
                postcode=form.postcode.data or "",
                wijk=form.resolved_wijk,
                max_distance_km=float(form.max_distance_km.data or 3),
                availability=form.availability.data or [],
                bio=form.bio.data or "",
            ),
        )
        db.session.commit()
        flash(_("Your volunteer profile is saved."), "success")
        return redirect(url_for("suggestions.for_me"))
    return render_template("accounts/volunteer_profile.html", form=form, profile=profile)


def _preset_wijk(form: AccountForm | VolunteerProfileForm, postcode: str | None, wijk: object) -> None:
    try:
        found = lookup_postcode(db.session, postcode or "")
    except ValueError:
        return
    form.preset_wijk(wijk if wijk in found.wijken else found.wijken[0], found.wijken)  # type: ignore[arg-type]
