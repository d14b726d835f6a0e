"""E-mails about the account itself: a link to set a new password, a link to confirm the e-mail address.

Sent straight away through the notifications mail delivery (SMTP, or the outbox folder without MAIL_SERVER), in the
recipient's language, plain text and HTML. These e-mails cannot be switched off: they only go out when asked for.
"""

from __future__ import annotations

import logging

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from webapp.accounts import tokens
from webapp.accounts.models import User
from webapp.core import outbox
from webapp.core.i18n import in_language
from webapp.core.mail import Mail, external_url

log = logging.getLogger(__name__)


def _locale(user: User) -> str:
    languages = current_app.config["LANGUAGES"]
    return user.locale if user.locale in languages else current_app.config["BABEL_DEFAULT_LOCALE"]


def _render(template: str, **context: object) -> str:
    return current_app.jinja_env.get_template(template).render(**context)


def _mail(user: User, subject: LazyString, template: str, **context: object) -> Mail:
    assert user.email
    locale = _locale(user)
    with in_language(locale):
        context = {"name": user.first_name, "locale": locale, **context}
        return Mail(to=user.email, subject=str(subject), locale=locale,
                    text=_render(f"accounts/email/{template}.txt", **context),
                    html=_render(f"accounts/email/{template}.html", **context))


def password_reset_mail(user: User) -> Mail:
    link = external_url("accounts.reset_password", token=tokens.password_reset_token(user))
    hours = int(current_app.config["PASSWORD_RESET_MAX_AGE"]) // 3600 or 1
    return _mail(user, _l("Samen: choose a new password"), "password_reset", link=link, hours=hours)


def verification_mail(user: User, nonce: str = "", next_url: str = "") -> Mail:
    """`nonce`: the one the sign-up put in the browser's session; the link logs in only in that browser.
    `next_url`: the page the link leads back to (the request just posted, the request they want to respond to)."""
    link = external_url("accounts.verify_email", token=tokens.email_verification_token(user, nonce, next_url))
    days = int(current_app.config["EMAIL_VERIFICATION_MAX_AGE"]) // 86400 or 1
    return _mail(user, _l("Samen: confirm your e-mail address"), "verify_email", link=link, days=days)


def already_registered_mail(user: User, kept_at: str = "") -> Mail:
    """Someone signed up with the address of an existing account. The page they saw was the same as for a new
    address; the owner learns it here, with a link to choose a new password in case they forgot it.

    `kept_at`: they signed up while asking for help, and what they typed is kept in that browser only (never for
    the account: nothing goes online in the owner's name unless they log in there and post it). The mail says so
    and logs in to that page; it never repeats the words typed (a stranger could write them)."""
    link = external_url("accounts.reset_password", token=tokens.password_reset_token(user))
    hours = int(current_app.config["PASSWORD_RESET_MAX_AGE"]) // 3600 or 1
    login = external_url("accounts.login", next=kept_at) if kept_at else external_url("accounts.login")
    return _mail(user, _l("Samen: you already have an account"), "already_registered", link=link, hours=hours,
                 login=login, asked_for_help=bool(kept_at))


def send(mail: Mail) -> None:
    """Put the mail in the outbox: it goes out once the transaction commits, never while the person waits."""
    outbox.queue(mail)


def security_notice_mail(user: User, change: str) -> Mail:
    """A notice after a change to how one logs in (`change`: "password" or "two_factor"): the owner learns of it,
    and what to do when it was not them. No link that logs in; the link leads to the page to ask for a new
    password."""
    subject = (_l("Samen: your password was changed") if change == "password" else
               _l("Samen: your two-step login was reset"))
    return _mail(user, subject, "security_notice", change=change, link=external_url("accounts.forgot_password"))
