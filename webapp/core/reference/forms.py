"""The postcode → wijk pair of fields that every address-like form uses.

A postcode never costs a second round. 11 of Haarlem's 20 PC4 postcodes lie in more than one wijk; the page asks
for the wijk on the same page, as an optional choice next to the postcode:

* a form without a postcode yet (sign-up) shows the choice for every shared postcode, grouped by postcode;
* a form that knows a shared postcode shows just its wijken;
* a form that knows a postcode in one wijk hides the choice (JavaScript shows it again when the postcode typed
  becomes a shared one, narrowed to its wijken; static/js/samen.js).

Whatever is chosen, the form goes through: a wijk of the postcode is taken as chosen; "not sure", or a wijk that
does not fit the postcode (a choice left from an earlier postcode), gives the postcode's most likely wijk, and
`wijk_was_guessed` tells the page to say so (the person can change it later).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

from flask_babel import lazy_gettext as _l
from wtforms import Field, SelectField, StringField
from wtforms.validators import InputRequired, ValidationError

from webapp.core.extensions import db
from webapp.core.reference.models import Wijk
from webapp.core.reference.services import (
    PostcodeError,
    lookup_postcode,
    normalise_pc4,
    normalise_postcode,
    postcode_table,
)


@dataclass(frozen=True)
class WijkQuestion:
    """What the page shows for the wijk: `groups` of (postcode or "", [(value, name)]), whether the choice is
    `shown` without JavaScript, and every postcode's wijken for the script that narrows the choice."""

    shown: bool
    groups: list[tuple[str, list[tuple[str, str]]]]
    chosen: str
    postcodes_json: str


class PostcodeWijkMixin:
    """Adds `postcode` and `wijk`. After validation, `resolved_wijk` holds the wijk (see the module's docstring)."""

    postcode = StringField(
        _l("Postcode"),
        validators=[InputRequired(message=_l("Fill in your postcode, for example 2034 AB."))],
        description=_l("For example 2034 AB. Others only see your neighbourhood, never your street."),
        render_kw={"autocomplete": "postal-code", "inputmode": "text", "maxlength": 7},
    )
    wijk = SelectField(
        _l("Your neighbourhood"), choices=[], coerce=str, validate_choice=False, default="",
        description=_l("Some postcodes lie in more than one neighbourhood. Choose yours. Not sure? Then we "
                       "choose the most likely one. You can change it later."),
    )
    resolved_wijk: Wijk | None = None
    wijk_was_guessed: bool = False
    #: The fields in the order the page shows them, as far as that differs from the order they are declared in
    #: (this mixin's fields are declared before the form's own). Iterating the form, as the error summary does,
    #: follows it: first these, then the rest in declared order.
    field_order: ClassVar[tuple[str, ...]] = ()

    def __iter__(self) -> Iterator[Field]:
        fields: dict[str, Field] = self._fields  # type: ignore[attr-defined]
        first = [fields[name] for name in self.field_order if name in fields]
        return iter(first + [f for name, f in fields.items() if name not in self.field_order])

    def validate_postcode(self, field: Field) -> None:
        self.resolved_wijk = None
        self.wijk_was_guessed = False
        try:
            found = lookup_postcode(db.session, field.data or "")
        except PostcodeError as error:
            if error.reason == "outside":
                raise ValidationError(
                    _l("This postcode is not in Haarlem. Samen is for people who live in Haarlem.")
                ) from error
            raise ValidationError(_l("This is not a Dutch postcode. Write four digits and two letters, "
                                     "for example 2034 AB.")) from error
        field.data = normalise_postcode(field.data or "")  # "2034ab" or "2034   AB" is stored as "2034 AB"
        wijk_field: Any = self.wijk  # type: ignore[attr-defined]
        chosen = next((w for w in found.wijken if w.public_key == wijk_field.data), None)
        if chosen is None:
            chosen = found.wijken[0]
            self.wijk_was_guessed = found.is_ambiguous
            wijk_field.data = ""  # shown again (other fields had a mistake): "not sure", as it was
        self.resolved_wijk = chosen

    def preset_wijk(self, wijk: Wijk | None, candidates: tuple[Wijk, ...] = ()) -> None:
        """Show the form with this wijk chosen (when its postcode lies in more than one wijk)."""
        if wijk is not None:
            wijk_field: Any = self.wijk  # type: ignore[attr-defined]
            wijk_field.data = wijk.public_key

    def wijk_question(self) -> WijkQuestion:
        table = postcode_table(db.session)
        wijk_field: Any = self.wijk  # type: ignore[attr-defined]
        postcode: Any = self.postcode  # type: ignore[attr-defined]
        try:
            pc4: str | None = normalise_pc4(postcode.data or "")
        except PostcodeError:
            pc4 = None
        shared = {code: wijken for code, wijken in table.items() if len(wijken) > 1}
        if pc4 in shared:
            groups = [("", [(w.public_key, w.name) for w in shared[pc4]])]
        else:
            groups = [(code, [(w.public_key, w.name) for w in wijken]) for code, wijken in shared.items()]
        postcodes = {code: [[w.public_key, w.name] for w in wijken] for code, wijken in table.items()}
        return WijkQuestion(shown=pc4 not in table or pc4 in shared, groups=groups, chosen=wijk_field.data or "",
                            postcodes_json=json.dumps(postcodes, separators=(",", ":"), ensure_ascii=False))
