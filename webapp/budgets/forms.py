"""Forms of the district budget: a round (staff), a proposal, the ballot, the check by staff, the ballot staff
enter for a resident, and what a funded proposal achieved."""

from __future__ import annotations

import re
from datetime import date
from typing import Any, ClassVar

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    Field,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import TextInput

from webapp.budgets.services import MAX_AMOUNT
from webapp.core.forms import MultiCheckboxField
from webapp.core.reference.forms import PostcodeWijkMixin
from webapp.core.text_language import text_language_field

CONSENT_HOW_LABELS = {
    "phone": _l("By phone"),
    "in_person": _l("In person"),
    "paper": _l("On a signed paper form"),
}
CONSENT_BY_LABELS = {
    "resident": _l("The resident"),
    "family": _l("A family member, with the resident's agreement"),
    "carer": _l("A carer or mentor, with the resident's agreement"),
    "other": _l("Someone else, see the note"),
}
_EUROS = re.compile(r"^(?:€\s*)?(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d{1,2})|\.(\d{2}))?(?:\s*(?:€|euro|eur))?$",
                    re.IGNORECASE)


class EuroField(IntegerField):
    """Whole euros as people write them: "1500", "1.500", "€ 1.500", "1500,00" or "1500 euro" (a text field: a number
    field would refuse the dot and the euro sign before the server sees them)."""

    widget = TextInput()

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist:
            return
        text = str(valuelist[0]).strip().replace("\u00a0", " ")
        self.raw_data = [text]
        if not text:
            self.data = None
            return
        found = _EUROS.match(text)
        cents = (found.group(2) or found.group(3) or "") if found else ""
        if found is None or cents.strip("0"):
            self.data = None
            raise ValueError(_("Fill in whole euros, for example 1500."))
        self.data = int(found.group(1).replace(".", ""))


def _not_in_past(form: FlaskForm, field: DateField) -> None:
    if field.data is not None and field.data < date.today():
        raise ValidationError(_l("This date has passed. Choose today or a later day."))


class RoundForm(FlaskForm):
    stadsdeel = SelectField(_l("Stadsdeel"), choices=[], validate_choice=True,
                            validators=[InputRequired(message=_l("Choose a stadsdeel."))])
    cycle = StringField(_l("Cycle"), validators=[DataRequired(message=_l("Fill in the cycle, for example 2027.")),
                                                 Length(max=20)],
                        description=_l("For example 2027. Rounds of the same cycle belong together: a resident "
                                       "votes in one of them."))
    title = StringField(_l("Name of the round"), validators=[
        DataRequired(message=_l("Fill in a name.")),
        Length(min=4, max=120, message=_l("Use between 4 and 120 characters."))],
        description=_l("For example: Wijkbudget Schalkwijk 2027."))
    description = TextAreaField(_l("What is the money for?"), validators=[Optional(), Length(max=4000)],
                                description=_l("Residents read this first. Say what kind of plans can get money."))
    amount = EuroField(_l("Budget in euros"), validators=[
        InputRequired(message=_l("Fill in the budget in euros.")),
        NumberRange(min=1, max=MAX_AMOUNT, message=_l("Fill in an amount from 1 to 10,000,000 euros."))],
        render_kw={"inputmode": "numeric"})
    new_share_percent = IntegerField(_l("Share kept for new initiatives (percent)"), default=10, validators=[
        InputRequired(message=_l("Fill in a percentage from 0 to 100.")),
        NumberRange(min=0, max=100, message=_l("Fill in a percentage from 0 to 100."))],
        description=_l("The residents' council asks for at least 10 percent."), render_kw={"inputmode": "numeric"})
    min_choices = IntegerField(_l("A ballot chooses at least this many proposals"), default=1, validators=[
        InputRequired(message=_l("Fill in a number from 1 to 20.")),
        NumberRange(min=1, max=20, message=_l("Fill in a number from 1 to 20."))], render_kw={"inputmode": "numeric"})
    proposals_from = DateField(_l("Proposals from"), validators=[
        InputRequired(message=_l("Fill in the first day for proposals."))])
    proposals_until = DateField(_l("Proposals until"), validators=[
        InputRequired(message=_l("Fill in the last day for proposals."))])
    voting_from = DateField(_l("Voting from"),
                            validators=[InputRequired(message=_l("Fill in the first day of voting."))],
                            description=_l("At least one day after the last day for proposals: staff check them then."))
    voting_until = DateField(_l("Voting until"), validators=[
        InputRequired(message=_l("Fill in the last day of voting."))])

    def validate_proposals_until(self, field: DateField) -> None:
        if field.data and self.proposals_from.data and field.data < self.proposals_from.data:
            raise ValidationError(_l("This day is before the first day for proposals."))

    def validate_voting_from(self, field: DateField) -> None:
        if field.data and self.proposals_until.data and field.data <= self.proposals_until.data:
            raise ValidationError(_l("Voting starts after the last day for proposals."))

    def validate_voting_until(self, field: DateField) -> None:
        if field.data and self.voting_from.data and field.data < self.voting_from.data:
            raise ValidationError(_l("This day is before the first day of voting."))


class ProposalForm(FlaskForm):
    title = StringField(_l("Name of your plan"), validators=[
        DataRequired(message=_l("Write in a few words what your plan is.")),
        Length(min=4, max=120, message=_l("Use between 4 and 120 characters."))],
        description=_l("For example: Benches and shade in the Meerwijk playground."))
    summary = TextAreaField(_l("What do you want to do, and for whom?"), validators=[
        DataRequired(message=_l("Tell what you want to do with the money.")),
        Length(min=20, max=3000, message=_l("Use between 20 and 3000 characters."))],
        description=_l("Everyone can read this. Do not write names, addresses or phone numbers."))
    text_language = text_language_field()
    cost = EuroField(_l("What does it cost, in euros?"), validators=[
        InputRequired(message=_l("Fill in what your plan costs, in whole euros.")),
        NumberRange(min=1, message=_l("Fill in an amount of at least 1 euro."))],
        description=_l("The whole amount, for example 2500."), render_kw={"inputmode": "numeric"})
    wijk = SelectField(_l("Where?"), choices=[], validate_choice=True)
    initiative = SelectField(_l("On behalf of"), choices=[], validate_choice=True,
                             description=_l("An initiative you organise, or yourself."))


class BallotForm(FlaskForm):
    """The ballot: a checkbox per proposal. The choices are checked against the round by the service (an unknown id
    gets a clear message there, not WTForms' own)."""

    choices = MultiCheckboxField(_l("Your choice"), choices=[], validate_choice=False)
    action = StringField()  # which button: "check" adds up the choice and shows it again; anything else votes


class RejectForm(FlaskForm):
    reason = TextAreaField(_l("Why can it not be done? (everyone reads this)"), validators=[
        DataRequired(message=_l("Write why the plan cannot be done.")),
        Length(min=10, max=1000, message=_l("Use between 10 and 1000 characters."))],
        description=_l("Shown on the proposal's page. Do not name people."))


class OutcomeForm(FlaskForm):
    outcome = TextAreaField(_l("What did the money do?"), validators=[
        DataRequired(message=_l("Write what happened with the money.")),
        Length(min=10, max=3000, message=_l("Use between 10 and 3000 characters."))],
        description=_l("For example what you bought or made, and how many neighbours came. Everyone can read "
                       "this. Do not write names, addresses or phone numbers."))


def _not_in_future(form: FlaskForm, field: DateField) -> None:
    if field.data is not None and field.data > date.today():
        raise ValidationError(_l("This date is in the future. Choose today or an earlier day."))


class IntakeBallotForm(PostcodeWijkMixin, FlaskForm):
    """A ballot staff enter for a resident without an account, with the resident's consent."""

    field_order: ClassVar[tuple[str, ...]] = (
        "resident", "first_name", "last_name", "postcode", "wijk", "same_person_checked", "consent_how",
        "consent_given_by", "consent_on", "staff_note", "choices")

    resident = SelectField(_l("For whom?"), choices=[], validate_choice=True, default="")
    first_name = StringField(_l("First name of the resident"), validators=[Length(max=60)])
    last_name = StringField(_l("Last name of the resident"), validators=[Length(max=80)])
    postcode = StringField(_l("Postcode of the resident"), validators=[Length(max=7)],
                           description=_l("For example 2034 AB. It decides in which stadsdeel the resident votes."),
                           render_kw={"autocomplete": "off"})
    same_person_checked = BooleanField(_l("I checked: this is a different person"))
    consent_how = RadioField(_l("How did the resident agree?"),
                             choices=[SelectChoice(k, v) for k, v in CONSENT_HOW_LABELS.items()],
                             validators=[InputRequired(message=_l("Choose how the resident agreed."))])
    consent_given_by = SelectField(_l("Who gave the agreement?"),
                                   choices=[SelectChoice(k, v) for k, v in CONSENT_BY_LABELS.items()],
                                   validators=[InputRequired(message=_l("Choose who gave the agreement."))])
    consent_on = DateField(_l("Date of the agreement"),
                           validators=[InputRequired(message=_l("Fill in the date of the agreement.")),
                                       _not_in_future])
    staff_note = TextAreaField(_l("Note for staff (optional)"), validators=[Optional(), Length(max=2000)],
                               description=_l("Only staff of the volunteer centre read this. Never write what "
                                              "the resident chose."))
    choices = MultiCheckboxField(_l("What the resident chose"), choices=[], validate_choice=False)

    def validate_first_name(self, field: Field) -> None:
        if not self.resident.data and not (field.data or "").strip():
            raise ValidationError(_l("Fill in the first name of the resident."))

    def validate_last_name(self, field: Field) -> None:
        if not self.resident.data and not (field.data or "").strip():
            raise ValidationError(_l("Fill in the last name of the resident: it helps to find a double entry."))

    def validate_postcode(self, field: Field) -> None:
        if self.resident.data:  # a resident taken in before: their own wijk counts
            self.resolved_wijk = None
            return
        if not (field.data or "").strip():
            raise ValidationError(_l("Fill in the postcode of the resident, for example 2034 AB."))
        super().validate_postcode(field)
