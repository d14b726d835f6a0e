"""The front door's filters (read from the query string: a GET form works without JavaScript) and the agenda's
buttons."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, Form, SelectChoice, SelectField

from webapp.core.extensions import db
from webapp.core.forms import DAYPART_LABELS
from webapp.core.reference.services import all_wijken
from webapp.volunteering.frontdoor import DISTANCES, KINDS, ONCE, REGULAR

KIND_LABELS = {
    "request": _l("Requests of neighbours"),
    "need": _l("Needs of initiatives"),
    "vacancy": _l("Vacancies of organisations"),
    "activity": _l("Activities with places"),
}


# The state of an application, as the volunteer reads it (webapp.volunteering.applications).
STATE_LABELS = {
    "applied": _l("Applied"),
    "shortlisted": _l("On the shortlist"),
    "accepted": _l("Accepted"),
    "waiting": _l("On the waiting list"),
    "declined": _l("Not this time"),
    "withdrawn": _l("Withdrawn"),
    "closed": _l("Closed: it needs a VOG"),
}


def _kinds() -> list[SelectChoice]:
    return [SelectChoice("", _l("Everything")), *(SelectChoice(k, str(KIND_LABELS[k])) for k in KINDS)]


def _day_parts() -> list[SelectChoice]:
    return [SelectChoice("", _l("Any time")), *(SelectChoice(k, str(v)) for k, v in DAYPART_LABELS.items())]


def _distances() -> list[SelectChoice]:
    """Called when a form is made (in a request): gettext, as a lazy string must not carry a variable."""
    return [SelectChoice("", _l("Any distance")),
            *(SelectChoice(str(km), _("Within %(km)d km", km=km)) for km in DISTANCES)]


def _rhythms() -> list[SelectChoice]:
    return [SelectChoice("", _l("Once or regularly")), SelectChoice(ONCE, _l("Once: a task on one day")),
            SelectChoice(REGULAR, _l("Regularly: for example every week"))]


def _wijken() -> list[SelectChoice]:
    return [SelectChoice("", _l("All of Haarlem")), *(SelectChoice(w.code, w.name) for w in all_wijken(db.session))]


class FrontDoorFilters(Form):
    """Every field is optional and a value that is not a choice is ignored: a link cannot make an error page."""

    kind = SelectField(_l("What"), choices=_kinds)
    dagdeel = SelectField(_l("When"), choices=_day_parts)
    km = SelectField(_l("How far"), choices=_distances)
    ritme = SelectField(_l("How often"), choices=_rhythms)
    past = BooleanField(_l("Only what suits my skills"))
    wijk = SelectField(_l("From which wijk"), choices=_wijken,
                       description=_l("With a volunteer profile we measure from your own wijk."))
