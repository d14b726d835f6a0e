"""The language a person wrote a text in (a request, an offer, an initiative, a need, an activity, a budget plan).

Stored next to the text (a `text_language` column), so pages mark the text with its own `lang` and `dir` (WCAG 3.1.2:
a Dutch title on an English page is read in a Dutch voice) and tell readers of another language which language it
is (templates/_user_text.html). The form field starts at the page's language; the writer may change it.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice, SelectField

from webapp.core.languages import TABLE
from webapp.core.reference.labels import locale_code


def text_language_choices() -> list[SelectChoice]:
    return [SelectChoice(language.code, language.name) for language in TABLE]


def text_language_field(description: Any = None) -> SelectField:
    """A "Written in" field: one of the interface languages, the page's own language unless the writer says
    otherwise. An unknown code is refused by the field's choices; a form sent without the field gets the page's
    language."""
    return SelectField(
        _l("Written in"), choices=text_language_choices,
        description=description or _l("Readers see in which language you wrote. They may use a translation app."),
        default=locale_code,
    )
