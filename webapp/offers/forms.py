"""Forms for offering help and for asking a volunteer from their offer."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from webapp.asks.forms import category_choices
from webapp.core.forms import MultiCheckboxField, language_choices, slot_choices
from webapp.core.reference.forms import PostcodeWijkMixin


class OfferForm(PostcodeWijkMixin, FlaskForm):
    field_order = ("title", "description", "category", "postcode", "wijk")

    title = StringField(
        _l("What do you offer?"),
        validators=[DataRequired(message=_l("Write in a few words what you offer.")),
                    Length(min=4, max=120, message=_l("Use between 4 and 120 characters."))],
        description=_l("For example: I help with the computer on Saturdays."),
    )
    description = TextAreaField(
        _l("Tell a bit more"),
        validators=[DataRequired(message=_l("Tell a bit more about your offer.")),
                    Length(min=10, max=2000, message=_l("Use between 10 and 2000 characters."))],
        description=_l("Do not write your address or phone number here. Everyone can read this text."),
    )
    category = SelectField(_l("Kind of help"), choices=category_choices,
                           validators=[InputRequired(message=_l("Choose the kind of help."))])
    slots = MultiCheckboxField(_l("When can you help?"), choices=slot_choices,
                               description=_l("Choose nothing if your time is flexible."))
    languages = MultiCheckboxField(_l("Languages you speak"), choices=language_choices,
                                   validators=[InputRequired(message=_l("Choose at least one language."))])


class AskForm(FlaskForm):
    message = TextAreaField(
        _l("What would you like help with?"),
        validators=[DataRequired(message=_l("Write a short message.")),
                    Length(min=10, max=1000, message=_l("Use between 10 and 1000 characters."))],
        description=_l("Do not share your address or phone number yet. You see each other's details once the "
                       "volunteer says yes."),
    )
