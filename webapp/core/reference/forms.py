"""The postcode → wijk pair of fields that every address-like form uses."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import Field, SelectChoice, SelectField, StringField
from wtforms.validators import InputRequired, ValidationError

from webapp.core.extensions import db
from webapp.core.reference.models import Wijk
from webapp.core.reference.services import PostcodeError, lookup_postcode, normalise_postcode


class PostcodeWijkMixin:
    """Adds `postcode` and `wijk`. After validation, `resolved_wijk` holds the wijk.

    When the PC4 lies in one wijk, the wijk is taken from it. When it spans several, the form asks the person to
    pick one, with the most likely preselected; a pick outside that PC4 is not accepted.
    """

    postcode = StringField(
        _l("Postcode"),
        validators=[InputRequired(message=_l("Fill in your postcode, for example 2034 AB."))],
        description=_l("For example 2034 AB. We only show your wijk, never your street."),
        render_kw={"autocomplete": "postal-code", "inputmode": "text", "maxlength": 7},
    )
    wijk = SelectField(_l("Wijk"), choices=[], coerce=str, validate_choice=False)
    resolved_wijk: Wijk | None = None
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
        if not found.is_ambiguous:
            wijk_field.choices = []
            self.resolved_wijk = found.wijken[0]
            return
        wijk_field.choices = [SelectChoice(w.public_key, w.name) for w in found.wijken]
        chosen = next((w for w in found.wijken if w.public_key == wijk_field.data), None)
        if chosen is None:
            wijk_field.data = found.wijken[0].public_key
            raise ValidationError(_("Postcode %(pc4)s lies in more than one wijk. Choose the right wijk below.",
                                    pc4=found.pc4))
        self.resolved_wijk = chosen

    def preset_wijk(self, wijk: Wijk | None, candidates: tuple[Wijk, ...] = ()) -> None:
        """Show the form with this wijk chosen. When the postcode already on the form lies in several wijken, the
        choice is offered right away (otherwise the first send would come back asking for it)."""
        wijk_field: Any = self.wijk  # type: ignore[attr-defined]
        if not candidates:
            postcode: Any = self.postcode  # type: ignore[attr-defined]
            try:
                candidates = lookup_postcode(db.session, postcode.data or "").wijken
            except PostcodeError:
                candidates = ()
            if wijk is not None and candidates and wijk not in candidates:
                wijk = candidates[0]
        if len(candidates) > 1:
            wijk_field.choices = [SelectChoice(w.public_key, w.name) for w in candidates]
        if wijk is not None:
            wijk_field.data = wijk.public_key
