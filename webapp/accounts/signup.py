"""Signing a newcomer up: from the sign-up page, or from a page that asks for the person's details together with
what they came to do (asking for help: webapp/asks/views.py).

Whether or not the address already has an account, what happens in the browser is the same (the page, the status,
the cookies, about the time: one argon2 hash, one e-mail rendered), so nobody learns who has an account:

* a new address gets an account (not confirmed), `then(user)` runs (it posts what the person came to do, kept as
  "waiting"), and the e-mail with the link; the link leads back to the page `then` names (or `next_url`);
* a known address gets a note to its owner (capped, silently), and nothing else is stored; what the person typed
  is kept in this browser as a draft (webapp.core.drafts), so it is back on the form when they log in here.

Nobody is logged in here; the link logs in (in this browser: the session keeps the sign-up's nonce).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from flask import after_this_request, current_app, request, session
from werkzeug.wrappers import Response

from webapp.accounts import emails, services, tokens
from webapp.accounts.forms import RegistrationForm
from webapp.accounts.models import User
from webapp.core import drafts
from webapp.core.access import Role
from webapp.core.extensions import db
from webapp.core.ratelimit import services as ratelimit
from webapp.core.redirects import safe_next
from webapp.core.reference.labels import locale_code

SIGNUP = "signup"  # a random nonce; the confirmation link logs in only in the browser whose session holds it
#: A way in that implies a role: /registreren?rol=vrijwilliger (from "I want to help", "respond", "join"),
#: /registreren?rol=bewoner (from "ask for help"). The page then leaves out the role question.
ENTRY_ROLES = {"vrijwilliger": Role.VOLUNTEER, "bewoner": Role.RESIDENT, "organisator": Role.ORGANISER}
DEFAULT_DISTANCE_KM = 3.0


@dataclass(frozen=True)
class Done:
    email: str
    wijk_name: str  # the wijk the postcode gave, to show when it was guessed (a shared postcode, none chosen)
    wijk_was_guessed: bool


def sign_up(form: RegistrationForm, roles: Iterable[str], *, next_url: str = "",
            then: Callable[[User], str] | None = None, kept_at: str = "") -> Done | ratelimit.Refusal:
    """Make the account from a valid `form` (commits). `then(user)` runs for a new account before the commit and
    returns the page the e-mail's link leads back to. A Refusal when this address has signed up too often.

    `kept_at`: the page where this browser keeps what the person typed as a draft (the caller keeps it, for a new
    address and a known one alike); the note to a known address's owner then says so, with a login link there."""
    assert form.resolved_wijk is not None
    refusal = ratelimit.hit("register", ("ip", ratelimit.client_ip()))
    if refusal:
        return refusal
    email = services.normalise_email(form.email.data or "")
    may_mail = may_mail_to(email)  # counted before the session writes anything
    nonce = tokens.new_nonce()
    roles = tuple(roles)
    try:
        user = services.register_user(
            services.Registration(
                email=email,
                password=form.password.data or "",
                first_name=form.first_name.data or "",
                last_name="",
                phone="",
                postcode=form.postcode.data or "",
                wijk=form.resolved_wijk,
                roles=roles,
                locale=locale_code(),
            )
        )
    except services.EmailTaken:
        owner = services.find_by_email(email)
        if owner is not None and not owner.is_blocked:
            mail = emails.already_registered_mail(owner, kept_at=safe_next(kept_at, ""))
            if may_mail:
                emails.send(mail)
    else:
        if Role.VOLUNTEER in roles and hasattr(form, "skills"):
            _volunteer_profile(user, form)
        back = then(user) if then is not None else next_url
        # A new account always gets its link (the cap is for mails to an existing account).
        emails.send(emails.verification_mail(user, nonce, safe_next(back, "")))
    db.session.commit()
    fresh_session()
    session[SIGNUP] = nonce
    _remember_nonce(nonce)
    return Done(email=email, wijk_name=form.resolved_wijk.name, wijk_was_guessed=form.wijk_was_guessed)


def _remember_nonce(nonce: str) -> None:
    """The nonce also in a cookie of its own (see SIGNUP_COOKIE_NAME in core/config.py), set on every sign-up answer
    alike (a new address or a known one: the same cookies)."""

    @after_this_request
    def _set(response: Response) -> Response:
        response.set_cookie(current_app.config["SIGNUP_COOKIE_NAME"], nonce, path="/", httponly=True,
                            samesite="Lax", secure=bool(current_app.config["SESSION_COOKIE_SECURE"]),
                            max_age=int(current_app.config["EMAIL_VERIFICATION_MAX_AGE"]))
        return response


def signed_up_in_this_browser(nonce: str) -> bool:
    """Whether this browser made the sign-up whose link carries `nonce` (its session or its sign-up cookie)."""
    if not nonce:
        return False
    return nonce in (session.get(SIGNUP), request.cookies.get(current_app.config["SIGNUP_COOKIE_NAME"]))


def forget_nonce() -> None:
    @after_this_request
    def _drop(response: Response) -> Response:
        response.delete_cookie(current_app.config["SIGNUP_COOKIE_NAME"], path="/", httponly=True, samesite="Lax",
                               secure=bool(current_app.config["SESSION_COOKIE_SECURE"]))
        return response


def _volunteer_profile(user: User, form: RegistrationForm) -> None:
    skills_text = str(form.skills.data or "")
    assert form.resolved_wijk is not None
    services.update_volunteer_profile(user, services.VolunteerProfileData(
        skills=[s.strip() for s in skills_text.split(",") if s.strip()][:30],
        languages=list(form.languages.data or [locale_code()]),
        postcode=user.postcode or "",
        wijk=form.resolved_wijk,
        max_distance_km=DEFAULT_DISTANCE_KM,
        availability=[],
        bio="",
    ))


def may_mail_to(email: str) -> bool:
    """Mails about an account (confirm, already registered, new password) to one address are capped (3 an hour):
    silently, so that the answer on the page stays the same and nobody can flood a mailbox from Samen."""
    return ratelimit.hit("account_mail", ("account", email)) is None


def fresh_session() -> None:
    """A new session (at each login step), keeping only the language choice and the person's drafts (what they
    typed in this browser before they could send it)."""
    lang = session.get("lang")
    kept = session.get(drafts.KEY)
    session.clear()
    if lang:
        session["lang"] = lang
    if kept:
        session[drafts.KEY] = kept
