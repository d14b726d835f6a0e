"""Words for the initiative states and kinds, in the reader's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

STATUS_LABELS: dict[str, LazyString] = {
    "idea": _l("Idea: we are starting"),
    "active": _l("Active"),
    "paused": _l("Paused"),
    "ended": _l("Ended"),
}
NEED_KIND_LABELS: dict[str, LazyString] = {
    "volunteers": _l("Volunteers"),
    "expertise": _l("Expertise or advice"),
    "space": _l("A space"),
    "materials": _l("Materials"),
    "money": _l("Money"),
}
NEED_STATUS_LABELS: dict[str, LazyString] = {
    "open": _l("Still needed"),
    "partly_filled": _l("Partly filled"),
    "filled": _l("Filled"),
}
SUPPORT_KIND_LABELS: dict[str, LazyString] = {
    "advice": _l("Advice (hours)"),
    "grant": _l("A small grant"),
    "space": _l("A space"),
}
# A sign-up's state as its organisers read it (the applicants page).
APPLICANT_STATUS_LABELS: dict[str, LazyString] = {
    "pending": _l("New"),
    "shortlist": _l("On the shortlist"),
    "confirmed": _l("You said yes"),
    "declined": _l("You said no"),
    "withdrawn": _l("Withdrew"),
    "needs_vog": _l("Closed: needs a VOG"),
}
