"""Forms for deleting an account."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField
from wtforms.validators import DataRequired


class DeleteAccountForm(FlaskForm):
    password = PasswordField(_l("Your password"), validators=[DataRequired(message=_l("Enter your password."))])
    confirm = BooleanField(_l("Yes, delete my account and everything about me"),
                           validators=[DataRequired(message=_l("Tick the box if you are sure."))])


class StaffDeleteForm(FlaskForm):
    confirm = BooleanField(_l("Yes, delete this account. The person asked for it, or agreed to it."),
                           validators=[DataRequired(message=_l("Tick the box if you are sure."))])
