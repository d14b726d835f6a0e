"""A first-time resident's request, typed on the page that also makes their account (asks/first_views.py), kept
in their own browser as a draft of the request form (webapp.core.drafts).

The draft is kept for a new address and a known one alike (the session cookie must not tell them apart). For a new
address the request itself is stored (waiting for the e-mail link), so the draft only matters when it was not
posted: the owner of a known address who logs in on that device finds the request form filled in, and posts it
(or not) themselves. Nothing typed there is ever stored for their account, or put online in their name.
"""

from __future__ import annotations

from typing import Any

from flask import url_for
from werkzeug.datastructures import MultiDict

from webapp.accounts.models import User
from webapp.asks import services
from webapp.asks.forms import RequestForm
from webapp.core import drafts

#: The request form's fields the draft keeps (never the account's: no password, no e-mail address).
FIELDS = ("title", "description", "text_language", "category", "when", "on_date", "slots", "languages",
          "frequency", "needs_screening", "postcode", "wijk")
LISTS = ("slots", "languages")


def draft_name() -> str:
    return url_for("asks.new")


def keep(form: RequestForm) -> None:
    """Keep the request as typed (raw, as posted) in this browser."""
    value: dict[str, Any] = {}
    for name in FIELDS:
        field = getattr(form, name)
        raw = field.raw_data or []
        value[name] = [str(v) for v in raw] if name in LISTS else (str(raw[0]) if raw else "")
    drafts.keep(draft_name(), value)


def kept_form(user: User) -> RequestForm | None:
    """The request form filled in with this browser's draft; None when there is none, or when this person posted
    it meanwhile (the link of a new account published it): then the draft is dropped."""
    kept = drafts.peek(draft_name())
    if not kept.get("title"):
        return None
    if services.has_posted(user, str(kept.get("title") or ""), str(kept.get("description") or "")):
        drafts.drop(draft_name())
        return None
    data: MultiDict[str, str] = MultiDict()
    for name in FIELDS:
        found = kept.get(name)
        if isinstance(found, list):
            for item in found:
                data.add(name, str(item))
        elif found:
            data.add(name, str(found))
    return RequestForm(formdata=data)


def posted() -> None:
    """The request form was posted: its draft is spent."""
    drafts.drop(draft_name())
