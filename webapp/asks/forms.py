"""Forms for posting a request, responding, and closing a match."""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from babel.dates import get_day_names
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import PasswordInput

from webapp.accounts.forms import RegistrationForm
from webapp.asks.categories import AUTO
from webapp.core.extensions import db
from webapp.core.forms import (
    LengthWithoutCutting,
    LocalDecimalField,
    MultiCheckboxField,
    language_choices,
    slot_choices,
)
from webapp.core.reference.forms import PostcodeWijkMixin
from webapp.core.reference.labels import localized_name
from webapp.core.reference.services import category_choices as categories_in_order
from webapp.core.text_language import text_language_field


def category_choices() -> list[SelectChoice]:
    return [SelectChoice(c.key, localized_name(c)) for c in categories_in_order(db.session)]


ANY_TIME, SOME_DAYS = "any", "days"


def request_category_choices() -> list[SelectChoice]:
    """The kinds of help, after "let Samen choose" (the default: the words typed decide, see asks/categories.py)."""
    return [SelectChoice(AUTO, _l("I don't know: let Samen choose")), *category_choices()]


def _not_in_past(form: FlaskForm, field: DateField) -> None:
    if field.data is not None and field.data < date.today():
        raise ValidationError(_l("This date has passed. Choose today or a later day."))


class RequestForm(PostcodeWijkMixin, FlaskForm):
    field_order: ClassVar[tuple[str, ...]] = ("title", "description", "text_language", "category", "postcode", "wijk")

    title = StringField(
        _l("What do you need help with?"),
        validators=[DataRequired(message=_l("Write in a few words what you need.")),
                    Length(min=4, max=120, message=_l("Use between 4 and 120 characters."))],
        description=_l("For example: Help with groceries on Wednesday."),
    )
    description = TextAreaField(
        _l("Tell a bit more"),
        validators=[DataRequired(message=_l("Tell a bit more, so a neighbour knows what to expect.")),
                    LengthWithoutCutting(min=10, max=2000, message=_l("Use between 10 and 2000 characters."))],
        description=_l("Do not write your name, address or phone number here. Everyone can read this text."),
        render_kw={"data-count-max": 2000, "data-count-text": _l("{num} of {max} characters")},
    )
    text_language = text_language_field(
        _l("Volunteers see in which language you wrote. They may use a translation app."))
    category = SelectField(_l("Kind of help"), choices=request_category_choices, default=AUTO,
                           validators=[InputRequired(message=_l("Choose the kind of help."))],
                           description=_l("Not sure? Then Samen chooses for you."))
    # "Whenever suits" stores no times (the matching engine reads no times as flexible); "on specific days" shows
    # the day and the day parts (the resident's form and the staff intake form, asks/_when.html). Not posted at
    # all (an older page): the times posted count.
    when = RadioField(
        _l("When can someone help?"),
        choices=[SelectChoice(ANY_TIME, _l("Whenever it suits")), SelectChoice(SOME_DAYS, _l("On specific days"))],
        validators=[Optional()],
    )
    on_date = DateField(_l("On which day? (optional)"), validators=[Optional(), _not_in_past],
                        description=_l("Leave empty if the day does not matter."))
    slots = MultiCheckboxField(_l("At what times is it possible?"), choices=slot_choices,
                               description=_l("Choose nothing if any time is fine."))
    languages = MultiCheckboxField(_l("Languages you speak"), choices=language_choices,
                                   validators=[InputRequired(message=_l("Choose at least one language."))],
                                   description=_l("Do you want to practise Dutch? Then we add Dutch for you, even if "
                                                  "you speak only a little. Then everyone who speaks Dutch can help "
                                                  "you."))
    frequency = RadioField(
        _l("How often?"),
        choices=[SelectChoice("once", _l("Once")), SelectChoice("recurring", _l("Regularly"))],
        default="once",
        validators=[InputRequired(message=_l("Choose once or regularly."))],
    )
    needs_screening = BooleanField(
        _l("Only a volunteer with a certificate of conduct (VOG) may help"),
        description=_l("For help with money, papers or children this is always the case."),
    )


    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.when.data not in (ANY_TIME, SOME_DAYS):  # not posted, or a request read back: its times decide
            self.when.data = SOME_DAYS if self.slots.data or self.on_date.data else ANY_TIME

    def validate_slots(self, field: MultiCheckboxField) -> None:
        if self.when.data == SOME_DAYS and not field.data and not self.on_date.data:
            raise ValidationError(_l("Choose a day or the parts of the week that suit you. Or choose "
                                     "\"Whenever it suits\"."))

    @staticmethod
    def day_names() -> list[str]:
        """Monday to Sunday in the page's language, for the rows of the day-part grid."""
        names = get_day_names("wide", locale=get_locale())
        return [str(names[i]) for i in range(7)]

    def chosen_times(self) -> tuple[date | None, list[str]]:
        """The day and the slots the form means: none for "whenever it suits"."""
        if self.when.data == ANY_TIME:
            return None, []
        return self.on_date.data, list(self.slots.data or [])


class ResponseForm(FlaskForm):
    message = TextAreaField(
        _l("Your message"),
        validators=[DataRequired(message=_l("Write a short message.")),
                    Length(min=2, max=1000, message=_l("Use between 2 and 1000 characters."))],
        description=_l("For example when you can come. Do not share your phone number yet."),
    )


class ThanksForm(FlaskForm):
    message = TextAreaField(_l("A thank-you message (optional)"), validators=[Optional(), Length(max=1000)])
    hours = LocalDecimalField(
        _l("How many hours did the help take? (optional)"),
        places=1,
        validators=[Optional(), NumberRange(min=0, max=200, message=_l("Fill in a number of hours from 0 to 200."))],
        render_kw={"inputmode": "decimal"},
    )



class FirstRequestForm(RequestForm, RegistrationForm):
    """A first-time resident's request and account on one page (asks/first_views.py): the request's few fields
    first, then first name, e-mail address, postcode (with the wijk on the same page when the postcode is shared)
    and a password. The postcode serves both: the account's and the request's wijk."""

    field_order = ("title", "description", "text_language", "category", "when", "on_date", "slots", "languages",
                   "frequency", "needs_screening", "first_name", "email", "postcode", "wijk", "password")

    roles = None  # type: ignore[assignment]  # this way in is a resident's: no role question

    def keep_password(self) -> None:
        """Shown again (another field had a mistake): a password that was fine stays in its field, so that a
        mistake elsewhere never costs typing it again. The page is sent with Cache-Control: no-store."""
        if self.password.data and not self.password.errors:
            self.password.widget = PasswordInput(hide_value=False)
