"""Form pieces every feature uses: a button that carries only the CSRF token, a decimal field that reads "1,5",
checkbox lists, and the choices of languages and time slots."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DecimalField, SelectChoice, SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget

from webapp.core.reference.labels import language_label, slot_label
from webapp.core.reference.slots import ALL_SLOTS, DAYPARTS, LANGUAGES


class ActionForm(FlaskForm):
    """An empty form: a button that carries only the CSRF token."""


class LocalDecimalField(DecimalField):
    """A number field that accepts a decimal comma, as people in the Netherlands write it ("1,5")."""

    def process_formdata(self, valuelist: list[str]) -> None:
        if valuelist:
            valuelist = [value.strip().replace(",", ".") for value in valuelist]
        super().process_formdata(valuelist)


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
