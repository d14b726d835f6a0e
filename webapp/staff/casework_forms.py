"""Forms of the intake page (contact log, consent withdrawn, the letter) and of a hand-over's referral and pick-up."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectChoice, SelectField, StringField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from webapp.staff.casework import CONTACT_KINDS


def _not_in_future(form: FlaskForm, field: DateField) -> None:
    if field.data is not None and field.data > date.today():
        raise ValidationError(_l("This date is in the future. Choose today or an earlier day."))


class ContactForm(FlaskForm):
    kind = SelectField(_l("What happened?"), choices=[SelectChoice(k, v) for k, v in CONTACT_KINDS.items()],
                       validators=[InputRequired(message=_l("Choose what happened."))])
    note = StringField(_l("Short note (optional)"), validators=[Optional(), Length(max=500)],
                       description=_l("Only staff read this."))


class WithdrawForm(FlaskForm):
    withdrawn_on = DateField(_l("Date the resident withdrew their agreement"),
                             validators=[InputRequired(message=_l("Fill in the date.")), _not_in_future])


class PickupForm(FlaskForm):
    picked_up_on = DateField(_l("Date the partner picked it up"),
                             validators=[InputRequired(message=_l("Fill in the date.")), _not_in_future])
