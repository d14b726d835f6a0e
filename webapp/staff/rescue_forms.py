"""Forms of the rescue queue, the list of expired requests and the VOG application (webapp.staff.rescue_views)."""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectChoice, SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from webapp.staff.rescue import MAX_SNOOZE_DAYS

OUTCOME_LABELS = {
    "called": _l("Called: the resident knows, nothing more to do"),
    "no_answer": _l("No answer (it stays on the list)"),
    "no_longer_needed": _l("The resident no longer needs help"),
    "reposted": _l("Post it again (online for 14 more days)"),
}
HISTORY_LABELS = {
    "note": _l("Note"),
    "called": _l("Called"),
    "no_answer": _l("No answer"),
    "no_longer_needed": _l("No longer needed"),
    "reposted": _l("Posted again"),
    "extended": _l("Extended until"),
    "widened": _l("Widened to the whole stadsdeel"),
    "snoozed": _l("Snoozed until"),
}


class NoteForm(FlaskForm):
    text = TextAreaField(_l("Note (only staff read this)"),
                         validators=[DataRequired(message=_l("Write a short note.")), Length(max=1000)])


class SnoozeForm(FlaskForm):
    until = DateField(_l("Snooze until"), validators=[InputRequired(message=_l("Choose a day."))])

    def validate_until(self, field: DateField) -> None:
        if field.data is not None and field.data <= date.today():
            raise ValidationError(_l("Choose a day after today."))
        if field.data is not None and field.data > date.today() + timedelta(days=MAX_SNOOZE_DAYS):
            raise ValidationError(_l("Choose a day within %(num)d days.", num=MAX_SNOOZE_DAYS))


class OutcomeForm(FlaskForm):
    outcome = SelectField(_l("What came of the call?"), choices=[SelectChoice(k, v) for k, v in OUTCOME_LABELS.items()],
                          validators=[InputRequired(message=_l("Choose what came of the call."))])
    text = TextAreaField(_l("Note (only staff read this)"), validators=[Length(max=1000)])


class VogAppliedForm(FlaskForm):
    requested_on = DateField(_l("Applied for on"), validators=[InputRequired(message=_l("Choose a day."))])

    def validate_requested_on(self, field: DateField) -> None:
        if field.data is not None and field.data > date.today():
            raise ValidationError(_l("This date is in the future. Choose today or an earlier day."))
