"""The dashboard's choices (read from the query string) and the names of measures and dimensions."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, StringField

MEASURE_LABELS: dict[str, LazyString] = {
    "posted": _l("Requests posted"),
    "matched": _l("Requests matched"),
    "done": _l("Requests done"),
    "match_rate": _l("Match rate (%)"),
    "days_to_response": _l("Median days to first response"),
    "days_to_match": _l("Median days to match"),
    "unanswered": _l("Never got a response"),
    "expired_unmatched": _l("Expired without help"),
    "intake": _l("Taken in by staff"),
    "vulnerable_reach": _l("Requests from vulnerable groups"),
    "volunteers_active": _l("Active volunteers"),
    "volunteers_new": _l("New volunteers"),
    "hours": _l("Hours given"),
    "handovers": _l("Hand-overs to professionals"),
    "initiatives_active": _l("Resident initiatives active"),
    "initiatives_supported": _l("Resident initiatives supported by staff"),
    "backing": _l("Backing given to initiatives"),
    "initiative_hours": _l("Hours given in initiatives"),
    "grant_euros": _l("Grants to initiatives (euros)"),
    "posted_per_1000": _l("Requests per 1,000 inhabitants, in this period"),
    "volunteers_per_1000": _l("Active volunteers per 1,000 inhabitants, in this period"),
}
DIMENSION_LABELS: dict[str, LazyString] = {
    "stadsdeel": _l("District"),
    "wijk": _l("Wijk"),
    "category": _l("Kind of help"),
    "goal": _l("Societal goal"),
    "partner": _l("Partner (hand-overs)"),
}
KIND_LABELS: dict[str, LazyString] = {"month": _l("Month"), "quarter": _l("Quarter"), "year": _l("Year")}
MAP_MEASURES = ("posted", "posted_per_1000", "matched", "match_rate", "volunteers_active", "volunteers_per_1000",
                "hours", "unanswered", "expired_unmatched", "intake", "vulnerable_reach", "handovers",
                "initiatives_active", "backing", "initiative_hours", "grant_euros")


class DashboardForm(FlaskForm):
    """Read from the query string: nothing is changed, so no CSRF token."""

    class Meta:
        csrf = False

    kind = SelectField(_l("Period"), choices=[SelectChoice(k, v) for k, v in KIND_LABELS.items()], default="quarter")
    period = StringField(_l("Which period"), description=_l("For example 2026-03, 2026-Q1 or 2026."))
    baseline = StringField(_l("Compare with a baseline period (optional)"),
                           description=_l("For example 2025 for the first year as baseline (nulmeting)."))
    by = SelectField(_l("Figures per"), choices=[SelectChoice(k, v) for k, v in DIMENSION_LABELS.items()],
                     default="stadsdeel")
    measure = SelectField(_l("Colour the map by"), choices=[SelectChoice(m, MEASURE_LABELS[m]) for m in MAP_MEASURES],
                          default="posted_per_1000")
