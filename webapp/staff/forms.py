"""Forms of the staff workspace, and the report form every member can use."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from webapp.asks.forms import RequestForm
from webapp.core.forms import DecisionForm, LocalDecimalField, MultiCheckboxField
from webapp.core.moderation import PERSONAL_DATA, Flag, check_text
from webapp.staff.consent import CURRENT_VERSION, is_known
from webapp.staff.moderation import REJECT_REASONS, REPORT_REASONS
from webapp.staff.referrals import BASIS_CONSENT, BASIS_LABELS, FIELD_LABELS
from webapp.staff.screening import PROFILE_CODES, valid_reference

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
HANDOVER_OUTCOME_LABELS = {
    "pending": _l("Waiting for the partner"),
    "accepted": _l("The partner has taken it on"),
    "declined": _l("The partner cannot help"),
    "no_contact": _l("No contact with the resident yet"),
    "resident_declined": _l("The resident did not want it"),
}


def _not_in_future(form: FlaskForm, field: DateField) -> None:
    if field.data is not None and field.data > date.today():
        raise ValidationError(_l("This date is in the future. Choose today or an earlier day."))


class ReportForm(FlaskForm):
    reason = RadioField(_l("What is wrong?"), choices=[SelectChoice(k, v) for k, v in REPORT_REASONS.items()],
                        validators=[InputRequired(message=_l("Choose what is wrong."))])
    details = TextAreaField(_l("Tell us more (optional)"), validators=[Optional(), Length(max=1000)],
                            description=_l("Only staff of the volunteer centre read this."))


class RejectForm(DecisionForm):
    """A decision on a held item; `seen` is the item's moderation.version() when the queue was drawn."""

    reason = SelectField(_l("Reason the poster will read"),
                         choices=[SelectChoice(k, v) for k, v in REJECT_REASONS.items()],
                         validators=[InputRequired(message=_l("Choose a reason."))])
    note = TextAreaField(_l("A note in your own words (optional)"), validators=[Optional(), Length(max=1000)],
                         description=_l("The poster reads this note. Do not repeat personal details."))


class CorrectForm(DecisionForm):
    """Staff correct a held request's text (strike a phone number) and approve it."""

    title = StringField(_l("Title"), validators=[
        DataRequired(message=_l("Write in a few words what is needed.")),
        Length(min=4, max=120, message=_l("Use between 4 and 120 characters."))])
    description = TextAreaField(_l("Text"), validators=[
        DataRequired(message=_l("Write the text of the request.")),
        Length(min=10, max=2000, message=_l("Use between 10 and 2000 characters."))])

    def validate_description(self, field: TextAreaField) -> None:
        flags = set(check_text(f"{self.title.data or ''}\n{field.data or ''}")) & {*PERSONAL_DATA, Flag.LINK}
        if flags:
            raise ValidationError(_l("The text still has personal details or a link in it. Remove them first."))


class ScreeningForm(FlaskForm):
    checked_on = DateField(_l("Date of the certificate of conduct (VOG)"),
                           validators=[InputRequired(message=_l("Fill in the date of the certificate.")),
                                       _not_in_future])
    valid_until = DateField(_l("Valid until"), validators=[Optional()],
                            description=_l("Leave empty for three years after the date of the certificate."))

    reference = StringField(_l("Number of the certificate (optional)"), validators=[Optional(), Length(max=40)])
    profile = MultiCheckboxField(_l("Screening profile (optional)"),
                                 choices=[SelectChoice(k, v) for k, v in PROFILE_CODES.items()])

    def validate_valid_until(self, field: DateField) -> None:
        if field.data is not None and self.checked_on.data is not None and field.data < self.checked_on.data:
            raise ValidationError(_l("This date is before the date of the certificate."))

    def validate_reference(self, field: StringField) -> None:
        if field.data and field.data.strip() and not valid_reference(field.data):
            raise ValidationError(_l("Write the number as it is on the certificate: 6 to 20 letters and digits, "
                                     "for example 1234567."))


class BlockForm(FlaskForm):
    reason = StringField(_l("Why? (only staff read this)"),
                         validators=[DataRequired(message=_l("Write a short reason.")), Length(max=200)])


class IntakeForm(RequestForm):
    """A request posted by staff for a resident, with the resident's details and their consent."""

    field_order = ("resident", "resident_first_name", "resident_last_name", "resident_phone", "postcode", "wijk",
                   "resident_address", "address_shareable", "consent_version", "consent_how", "consent_given_by",
                   "consent_on", "staff_note", "title", "description", "text_language", "category")

    resident = SelectField(_l("For whom?"), choices=[], validate_choice=False, default="")
    resident_first_name = StringField(_l("First name of the resident"), validators=[Length(max=60)])
    resident_last_name = StringField(_l("Last name of the resident (optional)"),
                                     validators=[Optional(), Length(max=80)])
    resident_phone = StringField(_l("Phone number of the resident (optional)"),
                                 validators=[Optional(), Length(max=30)],
                                 description=_l("Only staff see this. Volunteers get your details, not these."))
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
                               description=_l("Only staff of the volunteer centre read this."))
    resident_address = StringField(_l("Address of the resident (optional)"), validators=[Optional(), Length(max=200)],
                                   description=_l("Street and house number. Only staff see it, and the chosen "
                                                  "volunteer if the resident agrees."))
    address_shareable = BooleanField(_l("The resident agrees that the chosen volunteer sees this address"),
                                     description=_l("Only while the help goes on. Never before the resident chooses, "
                                                    "never to other volunteers."))
    consent_version = HiddenField(default=CURRENT_VERSION)  # the consent text shown on the page

    def validate_consent_version(self, field: HiddenField) -> None:
        if field.data and not is_known(field.data):
            raise ValidationError(_l("This agreement text is not known. Open the form again and read the text "
                                     "to the resident."))

    def validate_address_shareable(self, field: BooleanField) -> None:
        if field.data and not (self.resident_address.data or "").strip():
            raise ValidationError(_l("Fill in the address, or do not tick that it may be shared."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """The request form's fields, worded for the staff member who fills them in for the resident."""
        super().__init__(*args, **kwargs)
        for name, label, description in (
                ("title", _l("What does the resident need help with?"), None),
                ("description", None, _l("Do not write the resident's name, address or phone number here. Everyone "
                                         "can read this text.")),
                ("postcode", _l("Postcode of the resident"),
                 _l("For example 2034 AB. Only the resident's wijk is shown, never the street.")),
                ("wijk", _l("Wijk of the resident"), None),
                ("languages", _l("Languages the resident speaks"), None),
                ("on_date", _l("On which day does the resident need help? (optional)"), None)):
            if name not in self._fields:
                continue
            if label is not None:
                self[name].label.text = label
            if description is not None:
                self[name].description = description
        if "postcode" in self._fields:
            self.postcode.validators = [
                InputRequired(message=_l("Fill in the resident's postcode, for example 2034 AB.")),
                *(v for v in self.postcode.validators if not isinstance(v, InputRequired))]

    def validate_resident_first_name(self, field: StringField) -> None:
        if not self.resident.data and not (field.data or "").strip():
            raise ValidationError(_l("Fill in the first name of the resident."))


class HandoverForm(FlaskForm):
    partner = SelectField(_l("Professional partner"), choices=[], validate_choice=True,
                          validators=[InputRequired(message=_l("Choose a partner."))])
    handed_over_on = DateField(_l("Date of the hand-over"),
                               validators=[InputRequired(message=_l("Fill in the date of the hand-over.")),
                                           _not_in_future])
    outcome = SelectField(_l("Outcome"), choices=[SelectChoice(k, v) for k, v in HANDOVER_OUTCOME_LABELS.items()],
                          default="pending")
    staff_note = TextAreaField(_l("Note for staff (optional)"), validators=[Optional(), Length(max=2000)],
                               description=_l("Only staff read this. It never appears on the request page."))
    basis = RadioField(
        _l("Why may you share this?"), choices=[SelectChoice(k, v) for k, v in BASIS_LABELS.items()],
        validators=[InputRequired(message=_l("Choose whether the resident agreed, or which legal ground applies."))])
    consent_on = DateField(_l("Date the resident agreed"), validators=[Optional(), _not_in_future],
                           description=_l("Only when the resident agreed."))
    shared_fields = MultiCheckboxField(
        _l("What may be shared with the partner?"), choices=[SelectChoice(k, v) for k, v in FIELD_LABELS.items()],
        description=_l("Only what the resident agreed to, or only what the legal ground needs."))
    notice = RadioField(
        _l("Message to the resident"), default="auto",
        choices=[SelectChoice("auto", _l("Send it when the resident agreed; hold it back for a legal ground")),
                 SelectChoice("send", _l("Send the resident a message")),
                 SelectChoice("hold", _l("Hold the message back: the resident hears nothing from Samen"))],
        validators=[InputRequired(message=_l("Choose whether the resident gets a message."))])

    def validate(self, extra_validators: Any = None) -> bool:
        """The date of consent is needed only when the resident agreed (an empty optional field stops the field's
        own validators, so this is checked here)."""
        valid = super().validate(extra_validators)
        if self.basis.data == BASIS_CONSENT and self.consent_on.data is None and not self.consent_on.errors:
            self.consent_on.errors = [_l("Fill in the date the resident agreed.")]
            return False
        return valid


class HandoverOutcomeForm(FlaskForm):
    outcome = SelectField(_l("Outcome"), choices=[SelectChoice(k, v) for k, v in HANDOVER_OUTCOME_LABELS.items()])
    staff_note = TextAreaField(_l("Note for staff (optional)"), validators=[Optional(), Length(max=2000)])
    seen = HiddenField()  # the hand-over's version when the page was drawn (services.handover_version)


class HoursCorrectionForm(FlaskForm):
    """Staff set the hours of a match that count in the reports (after talking to both sides)."""

    hours = LocalDecimalField(
        _l("Hours that count"), places=1,
        validators=[InputRequired(message=_l("Fill in a number of hours.")),
                    NumberRange(min=0, max=200, message=_l("Fill in a number of hours from 0 to 200."))],
        description=_l("The reports count this number from now on, whatever either side wrote."),
        render_kw={"inputmode": "decimal"})
