"""The e-mails themselves: in the recipient's language, plain text and HTML, with a signed unsubscribe link.

An e-mail names only the title of a request or need and the wijk; never a description or contact details.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from itsdangerous import BadData, SignatureExpired, URLSafeTimedSerializer

from webapp.accounts.models import User
from webapp.core.i18n import in_language
from webapp.core.mail import Mail, external_url
from webapp.notifications import kinds
from webapp.notifications.models import Notification

TOKEN_SALT = "samen.unsubscribe"  # noqa: S105 (a salt, not a secret)
SUBJECTS: dict[str, LazyString] = {
    "response": _l("New response to your request"),
    "accepted": _l("You can get in touch now"),
    "done": _l("Done, and thank you"),
    "asked": _l("Someone asks for your help"),
    "vacancies": _l("A new task that fits you"),
    "following": _l("News from an initiative you follow"),
    "need_signup": _l("New sign-up for your initiative"),
    "need_filled": _l("A need of your initiative is filled"),
    "activity": _l("News about an activity"),
    "centre": _l("News from the volunteer centre"),
    "other": _l("News from Samen"),
}


class BadToken(Exception):
    """An unsubscribe link that was changed, cut off, or is too old (`expired`)."""

    def __init__(self, *, expired: bool) -> None:
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


# -- links ------------------------------------------------------------------------------------------------------------

def link_for(params: Mapping[str, Any]) -> str:
    if params.get("request"):
        return external_url("asks.show", public_id=params["request"])
    if params.get("initiative"):
        return external_url("initiatives.show", public_id=params["initiative"])
    if params.get("offer"):
        return external_url("offers.show", public_id=params["offer"])
    if params.get("profile"):
        return external_url("accounts.volunteer_profile")
    if params.get("plan"):  # a district budget plan (webapp.budgets)
        return external_url("budgets.proposal", public_id=params["plan"])
    return external_url("notifications.index")


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=TOKEN_SALT)


def unsubscribe_token(user_public_id: str, preference: str) -> str:
    return _serializer().dumps({"u": user_public_id, "k": preference})


def read_unsubscribe_token(token: str) -> tuple[str, str]:
    """(user public id, preference) from a link, or BadToken."""
    max_age = int(current_app.config.get("MAIL_UNSUBSCRIBE_MAX_AGE_DAYS") or 90) * 86400
    try:
        data = _serializer().loads(token, max_age=max_age)
    except SignatureExpired as error:
        raise BadToken(expired=True) from error
    except BadData as error:
        raise BadToken(expired=False) from error
    if not isinstance(data, dict) or not isinstance(data.get("u"), str) or \
            data.get("k") not in (*kinds.PREFERENCES, kinds.ALL):
        raise BadToken(expired=False)
    return data["u"], data["k"]


def unsubscribe_url(user: User, preference: str) -> str:
    return external_url("notifications.unsubscribe", token=unsubscribe_token(user.public_id, preference))


def _list_headers(url: str) -> dict[str, str]:
    """RFC 2369 and RFC 8058: mail programs show an unsubscribe button that POSTs to this link."""
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def _render(template: str, **context: Any) -> str:
    """Render without the page's context processors (no current user, no database)."""
    return current_app.jinja_env.get_template(template).render(**context)


def _locale(user: User) -> str:
    return user.locale if user.locale in current_app.config["LANGUAGES"] else current_app.config["BABEL_DEFAULT_LOCALE"]


# -- one message, straight away ---------------------------------------------------------------------------------------

def render_instant(user: User, note: Notification) -> Mail:
    assert user.email
    preference = kinds.preference_for(note.kind)
    locale = _locale(user)
    with in_language(locale):
        stop = unsubscribe_url(user, preference)
        context = {
            "name": user.first_name,
            "sentence": kinds.sentence(note.kind, note.params or {}),
            "link": link_for(note.params or {}),
            "preference": kinds.preference_label(preference),
            "unsubscribe": stop,
            "settings": external_url("notifications.preferences"),
            "locale": locale,
        }
        subject = _("Samen: %(subject)s", subject=str(SUBJECTS.get(preference, SUBJECTS["other"])))
        return Mail(to=user.email, subject=subject, text=_render("notifications/email/message.txt", **context),
                    html=_render("notifications/email/message.html", **context), locale=locale,
                    headers=_list_headers(stop))


# -- a digest ---------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class DigestLine:
    text: str
    link: str
    meta: str = ""


def render_digest(user: User, channel: str, notes: Sequence[Notification], requests: Iterable[DigestLine],
                  initiatives: Iterable[DigestLine]) -> Mail:
    """`requests` and `initiatives` are suggestions (title and wijk only), already in lines."""
    assert user.email
    locale = _locale(user)
    with in_language(locale):
        preferences = sorted({kinds.preference_for(n.kind) for n in notes},
                             key=lambda p: list(kinds.PREFERENCES).index(p))
        requests, initiatives = list(requests), list(initiatives)
        if requests or initiatives:
            preferences.append("suggestions")
        context = {
            "name": user.first_name,
            "channel": channel,
            "items": [DigestLine(kinds.sentence(n.kind, n.params or {}), link_for(n.params or {})) for n in notes],
            "requests": requests,
            "initiatives": initiatives,
            "stops": [(kinds.preference_label(p), unsubscribe_url(user, p)) for p in preferences],
            "settings": external_url("notifications.preferences"),
            "locale": locale,
        }
        subject = _("Samen: your news of today") if channel == kinds.DAILY else _("Samen: your news of this week")
        return Mail(to=user.email, subject=subject, text=_render("notifications/email/digest.txt", **context),
                    html=_render("notifications/email/digest.html", **context), locale=locale,
                    headers=_list_headers(unsubscribe_url(user, kinds.ALL)))
