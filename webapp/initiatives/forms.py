"""Forms for initiatives, needs, sign-ups, activities, hours and staff support."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_babel.speaklater import LazyString
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from webapp.accounts.services import is_valid_email, normalise_email
from webapp.core.extensions import db
from webapp.core.forms import (
    DecisionForm,
    LocalDecimalField,
    MultiCheckboxField,
    daypart_choices,
    language_choices,
    slot_choices,
)
from webapp.core.reference.labels import localized_name
from webapp.core.reference.models import Goal
from webapp.core.reference.services import all_wijken
from webapp.core.text_language import text_language_field
from webapp.initiatives.labels import NEED_KIND_LABELS, NEED_STATUS_LABELS, STATUS_LABELS, SUPPORT_KIND_LABELS
from webapp.notifications.kinds import DECLINE_WORDS


def labelled(labels: dict[str, LazyString]) -> Callable[[], list[SelectChoice]]:
    """Choices whose labels are translated when the form is shown, in the reader's language (not once, at import)."""
    return lambda: [SelectChoice(key, str(label)) for key, label in labels.items()]


def wijk_choices() -> list[SelectChoice]:
    return [SelectChoice(w.code, w.name) for w in all_wijken(db.session)]


def need_wijk_choices() -> list[SelectChoice]:
    return [SelectChoice("", _l("Where the initiative is")), *wijk_choices()]


def goal_choices() -> list[SelectChoice]:
    goals = db.session.execute(select(Goal).order_by(Goal.id)).scalars()
    return [SelectChoice(str(g.id), localized_name(g)) for g in goals]


def _email_ok(form: FlaskForm, field: EmailField) -> None:
    field.data = normalise_email(field.data or "")
    if not is_valid_email(field.data):
        raise ValidationError(_l("This e-mail address is not complete. It looks like name@example.nl."))


class InitiativeForm(FlaskForm):
    name = StringField(lazy_pgettext("initiative", "Name"), validators=[
        DataRequired(message=_l("Fill in a name.")),
        Length(min=3, max=120, message=_l("Use between 3 and 120 characters."))])
    text_language = text_language_field()
    description = TextAreaField(
        _l("What do you do, and for whom?"),
        validators=[DataRequired(message=_l("Tell in a few sentences what the initiative does.")),
                    Length(min=20, max=4000, message=_l("Use between 20 and 4000 characters."))],
        description=_l("Everyone can read this. Do not write a home address or phone number here."))
    is_organisation = BooleanField(
        _l("We are a volunteering organisation (not a group of residents)"),
        description=_l("Volunteer needs of organisations are shown as vacancies."))
    status = RadioField(_l("Status"), choices=labelled(STATUS_LABELS),
                        default="idea", validators=[InputRequired(message=_l("Choose a status."))])
    wijken = MultiCheckboxField(_l("In which wijken?"), choices=wijk_choices,
                                validators=[InputRequired(message=_l("Choose at least one wijk."))])
    goals = MultiCheckboxField(
        _l("Which societal goals does it serve?"), choices=goal_choices,
        validators=[InputRequired(message=_l("Choose at least one goal."))],
        description=_l("The city's seven goals for the sociale basis. Staff may correct your choice."))


class InviteOrganiserForm(FlaskForm):
    email = EmailField(
        _l("E-mail address of the person you invite"),
        validators=[InputRequired(message=_l("Fill in an e-mail address.")), _email_ok],
        description=_l("They get an e-mail with a link. Only when they say yes do they become an organiser, and do "
                       "you see their name."),
        render_kw={"autocomplete": "off"})


class GoalsForm(FlaskForm):
    goals = MultiCheckboxField(_l("Societal goals"), choices=goal_choices,
                               validators=[InputRequired(message=_l("Choose at least one goal."))])


class NeedForm(FlaskForm):
    kind = RadioField(_l("What do you need?"), choices=labelled(NEED_KIND_LABELS),
                      default="volunteers", validators=[InputRequired(message=_l("Choose what you need."))])
    title = StringField(_l("In a few words"), validators=[
        DataRequired(message=_l("Write in a few words what you need.")),
        Length(min=4, max=120, message=_l("Use between 4 and 120 characters."))],
        description=_l("For example: Two people to cook on Friday, or Help with a subsidy application."))
    description = TextAreaField(_l("Tell a bit more (optional)"), validators=[Optional(), Length(max=2000)])
    text_language = text_language_field()
    skills = StringField(_l("Which skills or knowledge? (volunteers and expertise)"),
                         validators=[Optional(), Length(max=300)],
                         description=_l("For example: cooking, carrying, Dutch, permits."))
    how_many = IntegerField(_l("How many people? (volunteers)"), default=1,
                            validators=[Optional(), NumberRange(min=1, max=500,
                                                                message=_l("Choose a number from 1 to 500."))])
    frequency = RadioField(_l("How often? (volunteers)"),
                           choices=[SelectChoice("once", _l("Once")), SelectChoice("recurring", _l("Regularly"))],
                           default="once", validators=[Optional()],
                           description=_l("Once: a task on one day. Regularly: a role, for example every week."))
    on_date = DateField(_l("On which day? (once)"), validators=[Optional()])
    day_parts = MultiCheckboxField(_l("At what time of the day? (once)"), choices=daypart_choices)
    slots = MultiCheckboxField(_l("At what times? (regularly)"), choices=slot_choices)
    wijk = SelectField(_l("Where is the work? (volunteers and expertise)"), choices=need_wijk_choices,
                       validators=[Optional()], description=_l("A wijk, never an address. Leave it as it is when "
                                                               "the work is where the initiative is."))
    languages = MultiCheckboxField(_l("Languages that help (optional)"), choices=language_choices,
                                   description=_l("Only when it matters, for example for a language café. When you "
                                                  "tick none, every volunteer can help."))
    needs_screening = BooleanField(
        _l("Helpers need a certificate of conduct (VOG) (volunteers and expertise)"),
        description=_l("Tick this when helpers work with children or with people in a vulnerable position. Needs "
                       "about homework support or someone's paperwork always ask for a VOG."))
    amount = IntegerField(_l("How many euros? (money)"), validators=[
        Optional(), NumberRange(min=1, max=100000, message=_l("Choose an amount from 1 to 100000 euros."))])
    purpose = StringField(_l("What is the money for? (money)"), validators=[Optional(), Length(max=300)])

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        if self.kind.data == "money" and not self.amount.data and not self.amount.errors:
            self.amount.errors = [*self.amount.errors, _l("Fill in how many euros you need.")]
            valid = False
        return valid

    def validate_on_date(self, field: DateField) -> None:
        if field.data is not None and field.data < date.today():
            raise ValidationError(_l("This date has passed. Choose today or a later day."))


class ProgressForm(FlaskForm):
    status = SelectField(_l("How far is it?"), choices=labelled(NEED_STATUS_LABELS),
                         validators=[Optional()])
    amount_received = IntegerField(_l("Euros received so far"), validators=[
        Optional(), NumberRange(min=0, max=100000, message=_l("Choose an amount from 0 to 100000 euros."))])


class SignupForm(FlaskForm):
    message = TextAreaField(
        _l("A short message (optional)"), validators=[Optional(), Length(max=1000)],
        description=_l("For example when you can help. Do not share your phone number yet."))


class NewsForm(FlaskForm):
    body = TextAreaField(_l("Your news"), validators=[
        DataRequired(message=_l("Write your news.")),
        Length(min=10, max=2000, message=_l("Use between 10 and 2000 characters."))],
        description=_l("Everyone can read this on the page, and your followers get it as a message. Do not write a "
                       "phone number or home address."))


class MessageForm(FlaskForm):
    body = TextAreaField(_l("Your message"), validators=[
        DataRequired(message=_l("Write your message.")),
        Length(min=5, max=1000, message=_l("Use between 5 and 1000 characters."))],
        description=_l("Everyone who signed up gets it, in the app and by e-mail. For example: where to meet, or "
                       "what to bring."))


class DeclineForm(DecisionForm):
    """A decision on an applicant (the state the organiser saw: `seen`); saying no takes one of the kind texts, and
    words of one's own if wanted."""

    reason = RadioField(_l("What do you want to tell them?"), validators=[Optional()], validate_choice=False,
                        choices=lambda: [SelectChoice(k, str(v)) for k, v in DECLINE_WORDS.items()])
    words = TextAreaField(_l("A few words of your own (optional)"), validators=[Optional(), Length(max=1000)],
                          description=_l("They read this on their page. Be kind: they wanted to help."))


class NeedHoursForm(FlaskForm):
    worked_on = DateField(_l("On which day?"), default=date.today,
                          validators=[InputRequired(message=_l("Choose a day."))])
    hours = LocalDecimalField(_l("How many hours did you help?"), places=1, validators=[
        InputRequired(message=_l("Fill in a number of hours.")),
        NumberRange(min=0.5, max=24, message=_l("Fill in a number of hours from 0.5 to 24."))],
        render_kw={"inputmode": "decimal"})

    def validate_worked_on(self, field: DateField) -> None:
        if field.data is not None and field.data > date.today():
            raise ValidationError(_l("This day has not come yet. Log your hours afterwards."))


class ActivityForm(FlaskForm):
    title = StringField(_l("Name of the activity"), validators=[
        DataRequired(message=_l("Fill in a name.")),
        Length(min=3, max=120, message=_l("Use between 3 and 120 characters."))])
    description = TextAreaField(_l("What will happen? (optional)"), validators=[Optional(), Length(max=2000)])
    text_language = text_language_field()
    wijk = SelectField(_l("Wijk"), choices=wijk_choices, validators=[InputRequired(message=_l("Choose a wijk."))])
    place = StringField(_l("Place"), validators=[Optional(), Length(max=200)],
                        description=_l("A public place, for example a community centre. Never a home address."))
    day = DateField(_l("Day"), validators=[InputRequired(message=_l("Choose a day."))])
    start = TimeField(_l("From"), validators=[InputRequired(message=_l("Fill in a start time, like 19:30."))])
    end = TimeField(_l("Until"), validators=[InputRequired(message=_l("Fill in an end time, like 21:00."))])
    capacity = IntegerField(_l("How many people can join? (optional)"), validators=[
        Optional(), NumberRange(min=1, max=10000, message=_l("Choose a number from 1 to 10000."))],
        description=_l("Leave empty when there is no limit. When it is full, people go on a waiting list."))
    needs_screening = BooleanField(
        _l("Only for people with a certificate of conduct (VOG)"),
        description=_l("Tick this when the people who join work with children or with people in a vulnerable "
                       "position."))
    repeat = RadioField(_l("Does it repeat?"), default="", validators=[Optional()], choices=[
        SelectChoice("", _l("No, once")), SelectChoice("weekly", _l("Every week")),
        SelectChoice("monthly", _l("Every month, on the same day"))],
        description=_l("Each date gets its own places and its own list of people."))
    repeat_until = DateField(_l("Until which day? (when it repeats)"), validators=[Optional()],
                             description=_l("At most a year ahead."))

    def validate(self, extra_validators: Any = None) -> bool:
        """A repeating activity needs a last day after the first, at most a year on (Optional() would skip a field
        validator on an empty field)."""
        valid = super().validate(extra_validators)
        until, first = self.repeat_until.data, self.day.data
        problem = None
        if self.repeat.data and not self.repeat_until.errors:
            if until is None:
                problem = _l("Choose until which day it repeats.")
            elif first is not None and until <= first:
                problem = _l("Choose a day after the first date.")
            elif first is not None and until > first + timedelta(days=366):
                problem = _l("Choose a day at most a year after the first date.")
        if problem is not None:
            self.repeat_until.errors = [*self.repeat_until.errors, problem]
            return False
        return valid

    def validate_day(self, field: DateField) -> None:
        if field.data is not None and field.data < date.today():
            raise ValidationError(_l("This date has passed. Choose today or a later day."))

    def validate_end(self, field: TimeField) -> None:
        if field.data is not None and self.start.data is not None and field.data <= self.start.data:
            raise ValidationError(_l("The end time must be after the start time."))

    def local_times(self) -> tuple[datetime, datetime]:
        day: date = self.day.data  # type: ignore[assignment]
        start: time = self.start.data  # type: ignore[assignment]
        end: time = self.end.data  # type: ignore[assignment]
        return datetime.combine(day, start), datetime.combine(day, end)


class ShiftForm(FlaskForm):
    title = StringField(_l("Name of the shift"), validators=[
        DataRequired(message=_l("Fill in a name.")),
        Length(min=2, max=120, message=_l("Use between 2 and 120 characters."))],
        description=_l("For example: Setting up, Morning, or Cleaning up."))
    start = TimeField(_l("From"), validators=[InputRequired(message=_l("Fill in a start time, like 19:30."))])
    end = TimeField(_l("Until"), validators=[InputRequired(message=_l("Fill in an end time, like 21:00."))])
    capacity = IntegerField(_l("How many people for this shift? (optional)"), validators=[
        Optional(), NumberRange(min=1, max=10000, message=_l("Choose a number from 1 to 10000."))],
        description=_l("Leave empty when there is no limit."))

    def validate_end(self, field: TimeField) -> None:
        if field.data is not None and self.start.data is not None and field.data <= self.start.data:
            raise ValidationError(_l("The end time must be after the start time."))


class HoursForm(FlaskForm):
    hours = LocalDecimalField(_l("How many hours did you help?"), places=1, validators=[
        InputRequired(message=_l("Fill in a number of hours.")),
        NumberRange(min=0.5, max=24, message=_l("Fill in a number of hours from 0.5 to 24."))],
        render_kw={"inputmode": "decimal"})


class SupportForm(FlaskForm):
    kind = RadioField(_l("Kind of support"), choices=labelled(SUPPORT_KIND_LABELS),
                      validators=[InputRequired(message=_l("Choose the kind of support."))])
    given_on = DateField(_l("Date"), default=date.today,
                         validators=[InputRequired(message=_l("Choose a date."))])
    hours = LocalDecimalField(_l("Hours of advice"), places=1, validators=[
        Optional(), NumberRange(min=0.25, max=500, message=_l("Fill in a number of hours from 0.25 to 500."))],
        render_kw={"inputmode": "decimal"})
    amount = IntegerField(_l("Amount of the grant in euros"), validators=[
        Optional(), NumberRange(min=1, max=100000, message=_l("Choose an amount from 1 to 100000 euros."))])
    need = SelectField(_l("Which money need does the grant answer? (optional)"), choices=[], validators=[Optional()],
                       description=_l("Its progress then counts the grant."))
    description = StringField(_l("What was it? (optional)"), validators=[Optional(), Length(max=300)],
                              description=_l("For example: subsidy application, or the room at the community centre."))

    def validate(self, extra_validators: Any = None) -> bool:
        """Hours are needed for advice and an amount for a grant (Optional() would skip a field validator)."""
        valid = super().validate(extra_validators)
        if self.kind.data == "advice" and not self.hours.data and not self.hours.errors:
            self.hours.errors = [_l("Fill in how many hours of advice.")]
            valid = False
        if self.kind.data == "grant" and not self.amount.data and not self.amount.errors:
            self.amount.errors = [_l("Fill in the amount of the grant.")]
            valid = False
        return valid
