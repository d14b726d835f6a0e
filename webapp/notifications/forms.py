"""The e-mail settings form: one choice per kind of news."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField
from wtforms.validators import InputRequired

from webapp.notifications import kinds


class PreferencesForm(FlaskForm):
    """Fields are named after the preferences ("response", "suggestions", ...); see `preferences_form`."""

    def choices(self) -> dict[str, str]:
        return {name: str(getattr(self, name).data) for name in kinds.PREFERENCES}


def preferences_form(current: dict[str, str], **kwargs: Any) -> PreferencesForm:
    class _Form(PreferencesForm):
        pass

    for name in kinds.PREFERENCES:
        options = [SelectChoice(channel, str(kinds.CHANNEL_LABELS[channel])) for channel in kinds.channels_for(name)]
        setattr(_Form, name, SelectField(kinds.PREFERENCE_LABELS[name], choices=options, default=current[name],
                                         validators=[InputRequired()]))
    return _Form(**kwargs)
