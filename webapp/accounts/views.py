"""Register, log in (in two steps for staff) and out, passwords and e-mail confirmation, an account and a
volunteer profile."""

from __future__ import annotations

import time
from contextlib import suppress
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required, login_user, logout_user
from markupsafe import Markup
from werkzeug.wrappers import Response as WerkzeugResponse

from webapp.accounts import confirmation, devices, emails, services, signup, throttle, tokens, two_factor
from webapp.accounts.forms import (
    AccountForm,
    ChangePasswordForm,
    CodeForm,
    ForgotPasswordForm,
    LoginForm,
    RegistrationForm,
    ResetPasswordForm,
    VolunteerProfileForm,
    VolunteerSignUpForm,
)
from webapp.accounts.models import User
from webapp.core import drafts
from webapp.core.access import Role, city_may_open, only_figures
from webapp.core.extensions import db
from webapp.core.ratelimit import services as ratelimit
from webapp.core.ratelimit.pages import refused
from webapp.core.redirects import safe_next
from webapp.core.reference.labels import locale_code
from webapp.core.reference.services import lookup_postcode

bp = Blueprint("accounts", __name__)

# Session keys. Between the password and the code a staff member is NOT logged in: only PENDING is set.
PENDING = "pending_login"
PENDING_MAX_AGE = 10 * 60
TWO_FACTOR_DONE = "two_factor"
SETUP_SECRET = "totp_setup"  # noqa: S105 (a session key)
NEW_CODES = "new_recovery_codes"
NO_STORE = {"Cache-Control": "no-store"}


@bp.route("/registreren", methods=["GET", "POST"])
def register() -> Any:
    """Sign up (webapp.accounts.signup: the same answer whether or not the address has an account). `?rol=` names
    the role the way in implies (`vrijwilliger` from "I want to help", "respond", "join"): then the role question is
    left out and that role's few questions are asked instead. `?next=` is where the e-mail's link leads back to."""
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    entry = request.args.get("rol", "")
    role = signup.ENTRY_ROLES.get(entry)
    next_url = safe_next(request.args.get("next"), "")
    form: RegistrationForm = VolunteerSignUpForm() if role == Role.VOLUNTEER else RegistrationForm()
    if request.method == "GET" and isinstance(form, VolunteerSignUpForm):
        form.languages.data = [locale_code()]
    context = {"form": form, "role": role, "entry": entry if role else "", "next_url": next_url,
               "kept_response": bool(next_url) and bool(drafts.peek(next_url))}
    if form.validate_on_submit():
        roles = (role,) if role else tuple(form.roles.data or ())
        done = signup.sign_up(form, roles, next_url=next_url)
        if isinstance(done, ratelimit.Refusal):
            return refused("accounts/register.html", done, **context)
        return render_template("accounts/register_sent.html", done=done, email=done.email)
    return render_template("accounts/register.html", **context)


@bp.route("/inloggen", methods=["GET", "POST"])
def login() -> Any:
    """Log in. Failures are counted so that guessing slows down with growing delays, never so that somebody else
    can keep the owner out: see webapp.accounts.throttle."""
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        email = services.normalise_email(form.email.data or "")
        candidate = services.find_by_email(email)
        device = devices.from_request(request.cookies)
        attempt = throttle.login(email, ratelimit.client_ip(), device, candidate)
        refusal = attempt.refusal()
        if refusal:
            return refused("accounts/login.html", refusal, form=form)
        user = services.authenticate(candidate, form.password.data or "")
        if user is None:
            attempt.failed()
            form.password.errors = [_("The e-mail address or password is not right. Try again.")]
        else:
            attempt.succeeded()  # before any write of this request's session
            next_url = safe_next(request.args.get("next"), home_for(user))
            remember = bool(form.remember.data)
            if services.needs_two_factor(user):
                _start_pending(user, remember, next_url)
                step = "accounts.two_factor_step" if user.totp_secret else "accounts.two_factor_setup"
                return redirect(url_for(step))
            _finish_login(user, remember)
            return _known_from_now_on(redirect(next_url), user)
    return render_template("accounts/login.html", form=form)


def home_for(user: User) -> str:
    """Where a login lands: staff in their workspace, a city account on the figures, everyone else on their own
    dashboard."""
    if user.is_staff:
        return url_for("staff.index")
    if only_figures(user):
        return url_for("reports.dashboard")
    return url_for("pages.dashboard")


def _known_from_now_on(response: WerkzeugResponse, user: User) -> WerkzeugResponse:
    """This browser logged in to (or chose a new password for) this account: see webapp.accounts.devices."""
    devices.remember(response, request.cookies, user)
    return response


def _start_session(user: User, *, remember: bool, two_steps: bool = False) -> None:
    signup.fresh_session()
    login_user(user, remember=remember)
    if two_steps:
        session[TWO_FACTOR_DONE] = True


def _finish_login(user: User, remember: bool, *, two_steps: bool = False) -> None:
    services.record_login(user)
    db.session.commit()
    _start_session(user, remember=remember, two_steps=two_steps)


@bp.before_app_request
def _city_sees_figures_only() -> WerkzeugResponse | None:
    """A city account opens the figures and its own login, nothing else: never a request, a person or a queue.
    Its home page is the figures."""
    if not only_figures(current_user) or city_may_open(request.endpoint):
        return None
    if request.endpoint == "pages.dashboard" and request.method == "GET":
        return redirect(url_for("reports.dashboard"))
    abort(403)


def _start_pending(user: User, remember: bool, next_url: str) -> None:
    signup.fresh_session()
    session[PENDING] = {"u": user.public_id, "t": user.session_token, "r": remember, "n": next_url,
                        "at": int(time.time())}


def _pending() -> tuple[User, dict[str, Any]] | None:
    """The staff member whose password was right a moment ago in this browser, waiting for the code."""
    data = session.get(PENDING)
    if not isinstance(data, dict) or time.time() - float(data.get("at") or 0) > PENDING_MAX_AGE:
        session.pop(PENDING, None)
        return None
    user = services.find_by_login_id(f"{data.get('u')}:{data.get('t')}")
    if user is None or user.is_blocked or not services.needs_two_factor(user):
        session.pop(PENDING, None)
        return None
    return user, data


def _login_again() -> WerkzeugResponse:
    flash(_("Please log in again."), "info")
    return redirect(url_for("accounts.login"))


@bp.app_context_processor
def _confirmation() -> dict[str, Any]:
    """`address_confirmed`: whether the person may respond, report, invite, back (webapp.accounts.confirmation)."""
    return {"address_confirmed": confirmation.has_confirmed_address(current_user)}


@bp.before_app_request
def _two_steps_for_staff() -> WerkzeugResponse | None:
    """A staff member whose session did not pass the second step (a remember-me cookie, a role given while logged
    in, a session from before two-step login) is logged out and asked to log in again."""
    if request.endpoint == "static" or not current_user.is_authenticated:
        return None
    if services.needs_two_factor(current_user) and not session.get(TWO_FACTOR_DONE):
        logout_user()
        signup.fresh_session()
        flash(_("For your safety, please log in again with your password and the code from your app."), "info")
        target = request.full_path.rstrip("?") if request.method == "GET" else None
        return redirect(url_for("accounts.login", next=target))
    return None


@bp.route("/inloggen/code", methods=["GET", "POST"])
def two_factor_step() -> Any:
    pending = _pending()
    if pending is None:
        return _login_again()
    user, data = pending
    if not user.totp_secret:
        return redirect(url_for("accounts.two_factor_setup"))
    form = CodeForm()
    if form.validate_on_submit():
        attempt = throttle.second_step(user, devices.from_request(request.cookies))
        refusal = attempt.refusal()
        if refusal:
            return refused("accounts/two_factor.html", refusal, form=form)
        code = form.code.data or ""
        by_recovery = not two_factor.is_totp_code(code)
        ok = two_factor.use_recovery_code(user, code) if by_recovery else two_factor.verify_code(user, code)
        if ok:
            left = two_factor.recovery_codes_left(user) if by_recovery else None
            _finish_login(user, bool(data.get("r")), two_steps=True)
            attempt.succeeded()  # after the commit: counters use their own connection
            if left is not None:
                flash(ngettext("You logged in with a recovery code. You have %(num)d code left.",
                               "You logged in with a recovery code. You have %(num)d codes left.", left), "warning")
            return _known_from_now_on(redirect(safe_next(data.get("n"), home_for(user))), user)
        db.session.rollback()
        attempt.failed()
        form.code.errors = [_("This code is not right, or it was used already. Type the newest code from your app.")]
    return render_template("accounts/two_factor.html", form=form)


@bp.route("/inloggen/app-koppelen", methods=["GET", "POST"])
def two_factor_setup() -> Any:
    pending = _pending()
    if pending is None:
        return _login_again()
    user, data = pending
    if user.totp_secret:
        return redirect(url_for("accounts.two_factor_step"))
    secret = session.get(SETUP_SECRET)
    if not isinstance(secret, str) or len(secret) != 32:
        secret = session[SETUP_SECRET] = two_factor.new_secret()
    form = CodeForm()
    if form.validate_on_submit():
        attempt = throttle.second_step(user, devices.from_request(request.cookies))
        refusal = attempt.refusal()
        if refusal:
            return refused("accounts/two_factor_setup.html", refusal, form=form, **_setup_context(user, secret))
        codes = two_factor.enrol(user, secret, form.code.data or "")
        if codes is not None:
            _finish_login(user, bool(data.get("r")), two_steps=True)
            attempt.succeeded()
            session[NEW_CODES] = codes
            flash(_("Two-step login is on. From now on you log in with your password and a code from the app."),
                  "success")
            return _known_from_now_on(redirect(url_for("accounts.recovery_codes", next=data.get("n"))), user)
        attempt.failed()
        form.code.errors = [_("This code is not right. Type the code that the app shows now.")]
    page = render_template("accounts/two_factor_setup.html", form=form, **_setup_context(user, secret))
    return page, 200, NO_STORE


def _setup_context(user: User, secret: str) -> dict[str, Any]:
    uri = two_factor.provisioning_uri(user.email or user.public_id, secret)
    return {"qr": Markup(two_factor.qr_svg(uri, _("QR code to scan with your authenticator app"))),  # noqa: S704
            "secret": two_factor.readable_secret(secret)}


@bp.route("/mijn/herstelcodes", methods=["GET", "POST"])
@login_required
def recovery_codes() -> Any:
    if not current_user.totp_secret:
        abort(403)
    if request.method == "POST":
        session[NEW_CODES] = two_factor.new_recovery_codes(current_user)
        db.session.commit()
        return redirect(url_for("accounts.recovery_codes"))
    codes = session.pop(NEW_CODES, None)
    page = render_template("accounts/recovery_codes.html", codes=codes,
                           left=two_factor.recovery_codes_left(current_user),
                           next_url=safe_next(request.args.get("next"), url_for("pages.dashboard")))
    return page, 200, NO_STORE


@bp.post("/uitloggen")
@login_required
def logout() -> WerkzeugResponse:
    services.end_sessions(current_user)
    db.session.commit()
    logout_user()
    signup.fresh_session()
    session.pop(drafts.KEY, None)  # a shared computer: the next person does not find this one's words
    flash(_("You are logged out."), "info")
    return redirect(url_for("pages.index"))


# -- passwords and e-mail confirmation --------------------------------------------------------------------------------

@bp.route("/wachtwoord-vergeten", methods=["GET", "POST"])
def forgot_password() -> Any:
    """Always the same answer, with or without an account, however often it is asked: mails to one address are
    capped silently (see `_may_mail`), so asking again and again neither tells anything nor floods the owner. The
    mails that did go out hold working links: nobody can keep the owner from choosing a new password."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        email = services.normalise_email(form.email.data or "")
        refusal = ratelimit.hit("password_reset", ("ip", ratelimit.client_ip()))
        if refusal:
            return refused("accounts/forgot_password.html", refusal, form=form)
        may_mail = signup.may_mail_to(email)
        user = services.find_by_email(email)
        if user is not None and user.email and not user.is_blocked:
            mail = emails.password_reset_mail(user)
            if may_mail:
                emails.send(mail)
        else:  # the same work (a link signed, an e-mail rendered), so the time of the answer tells nothing
            emails.password_reset_mail(services.stand_in(email))
        db.session.commit()
        # The same answer whether or not there is an account with this address.
        return render_template("accounts/forgot_password_sent.html", email=email)
    return render_template("accounts/forgot_password.html", form=form)


@bp.route("/wachtwoord-herstellen/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> Any:
    try:
        user = tokens.user_for_password_reset(token)
    except tokens.BadLink as bad:
        return render_template("accounts/bad_link.html", expired=bad.expired, purpose="reset"), 400
    form = ResetPasswordForm(personal=(user.email or "", user.first_name, user.last_name))
    if form.validate_on_submit():
        services.set_password(user, form.password.data or "")
        # The link reached them, so the address is theirs; what an unconfirmed account posted waits for them to
        # check it (it may have been written by whoever signed up with their address).
        with suppress(services.AddressChanged):
            confirmation.confirm(user, publish=False)
        emails.send(emails.security_notice_mail(user, "password"))
        db.session.commit()
        throttle.after_reset(user, ratelimit.client_ip())
        logout_user()
        signup.fresh_session()
        flash(_("Your new password is saved. You are logged out everywhere. Log in with your new password."),
              "success")
        # Whoever read the e-mail chose this password here: this browser logs in whatever others try elsewhere.
        return _known_from_now_on(redirect(url_for("accounts.login")), user)
    return render_template("accounts/reset_password.html", form=form), 200, NO_STORE


@bp.route("/mijn/wachtwoord", methods=["GET", "POST"])
@login_required
def change_password() -> Any:
    form = ChangePasswordForm(personal=(current_user.email or "", current_user.first_name, current_user.last_name))
    if form.validate_on_submit():
        user: User = current_user._get_current_object()
        attempt = throttle.current_password(user)
        refusal = attempt.refusal()
        if refusal:
            return refused("accounts/change_password.html", refusal, form=form)
        if services.change_password(user, form.current_password.data or "", form.password.data or ""):
            if user.email:
                emails.send(emails.security_notice_mail(user, "password"))
            db.session.commit()
            attempt.succeeded()
            _start_session(user, remember=False, two_steps=bool(session.get(TWO_FACTOR_DONE)))
            flash(_("Your new password is saved. On other devices you are logged out."), "success")
            return redirect(url_for("accounts.account"))
        attempt.failed()
        form.current_password.errors = [_("Your current password is not right.")]
    return render_template("accounts/change_password.html", form=form)


@bp.get("/e-mail-bevestigen/<token>")
def verify_email(token: str) -> Any:
    """Confirm the address. In the browser that signed up (its session holds the nonce in the link), the first
    confirmation also logs the person in and leads back to the page they signed up from (the request they just
    posted, the request they want to respond to); anywhere else they log in with their password, and then go there."""
    try:
        link = tokens.verification_link(token)
    except tokens.BadLink as bad:
        return render_template("accounts/bad_link.html", expired=bad.expired, purpose="verify"), 400
    user, back = link.user, safe_next(link.next_url, "")
    try:
        confirmed = confirmation.confirm(user)  # also puts online what waited for the confirmation
    except services.AddressChanged:  # the account changed (or was deleted) since the link was checked
        db.session.rollback()
        return render_template("accounts/bad_link.html", expired=False, purpose="verify"), 400
    if not confirmed:
        flash(_("Your e-mail address was already confirmed."), "info")
        if current_user.is_authenticated:
            return redirect(back or home_for(current_user))
        return redirect(url_for("accounts.login", next=back or None))
    same_browser = signup.signed_up_in_this_browser(link.nonce)
    if not current_user.is_authenticated and same_browser and not services.needs_two_factor(user):
        _finish_login(user, remember=False)  # commits the confirmation too
        signup.forget_nonce()
        flash(_("Welcome to Samen, %(name)s! Your e-mail address is confirmed.", name=user.first_name), "success")
        if back:
            return redirect(back)
        if user.has_role("volunteer"):
            has_skills = user.volunteer_profile is not None and bool(user.volunteer_profile.skills)
            return redirect(url_for("suggestions.for_me" if has_skills else "accounts.volunteer_profile"))
        return redirect(home_for(user))
    db.session.commit()
    flash(_("Thank you! Your e-mail address is confirmed."), "success")
    if current_user.is_authenticated:
        return redirect(back or home_for(current_user))
    flash(_("Log in with your e-mail address and password."), "info")
    return redirect(url_for("accounts.login", next=back or None))


@bp.post("/mijn/e-mail-bevestigen")
@login_required
def resend_verification() -> WerkzeugResponse:
    back = safe_next(request.form.get("next"), url_for("pages.dashboard"))
    if current_user.email_verified_at is not None or not current_user.email:
        flash(_("Your e-mail address was already confirmed."), "info")
        return redirect(back)
    refusal = ratelimit.hit("send_verification", ("user", current_user.public_id))
    if refusal:
        raise ratelimit.RateLimited(refusal)
    emails.send(emails.verification_mail(current_user))
    db.session.commit()
    flash(_("We sent the e-mail again to %(email)s. Open the link in it.", email=current_user.email), "success")
    return redirect(back)


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
        return redirect(url_for("pages.dashboard"))
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
            form.findable_by_organisers.data = profile.findable_by_organisers
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
                findable_by_organisers=bool(form.findable_by_organisers.data),
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
