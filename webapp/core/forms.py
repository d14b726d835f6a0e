"""Form pieces every feature uses: a button that carries only the CSRF token (or also the state at page load), a
decimal field that reads "1,5", checkbox lists, and the choices of languages and time slots."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DecimalField, HiddenField, SelectChoice, SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget, TextInput

from webapp.core.reference.labels import language_label, slot_label
from webapp.core.reference.slots import ALL_SLOTS, DAYPARTS, LANGUAGES


class ActionForm(FlaskForm):
    """An empty form: a button that carries only the CSRF token."""


class DecisionForm(FlaskForm):
    """A button that decides something two people could decide at once (approve, confirm, ...): it carries the
    state of the thing when the page was drawn, and the service applies the decision only from that state."""

    seen = HiddenField()


class LocalDecimalField(DecimalField):
    """A number field that accepts a decimal comma, as people in the Netherlands write it ("1,5").

    Drawn as a text field with a number keyboard (`inputmode="decimal"`), not as `<input type="number">`: a browser
    whose language writes a decimal point reads "1,5" in a number field as 15, or sends nothing at all. Values
    that are not a finite number ("NaN", "sNaN", "Infinity") are refused here, before any validator compares them
    (comparing a signalling NaN raises)."""

    widget = TextInput()

    def process_formdata(self, valuelist: list[str]) -> None:
        if valuelist:
            valuelist = [value.strip().replace(",", ".") for value in valuelist]
        super().process_formdata(valuelist)
        value: object = getattr(self, "data", None)
        if isinstance(value, Decimal) and not value.is_finite():
            self.data = None
            raise ValueError(str(_l("Fill in a number, for example 1,5.")))


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def language_choices() -> list[SelectChoice]:
    return [SelectChoice(code, language_label(code)) for code in LANGUAGES]


DAYPART_LABELS = {"morning": _l("In the morning"), "afternoon": _l("In the afternoon"), "evening": _l("In the evening")}


def daypart_choices() -> list[SelectChoice]:
    return [SelectChoice(part, str(DAYPART_LABELS[part])) for part in DAYPARTS]


def slot_choices() -> list[SelectChoice]:
    return [SelectChoice(slot, slot_label(slot)) for slot in ALL_SLOTS]
