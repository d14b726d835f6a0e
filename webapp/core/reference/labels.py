"""Human names, in the current language, for slots, languages and reference rows."""

from __future__ import annotations

from typing import Any

from babel import Locale
from babel.core import UnknownLocaleError
from flask_babel import get_locale
from flask_babel import gettext as _

DAY_NAMES = {
    "mon": ("maandag", "Monday"), "tue": ("dinsdag", "Tuesday"), "wed": ("woensdag", "Wednesday"),
    "thu": ("donderdag", "Thursday"), "fri": ("vrijdag", "Friday"), "sat": ("zaterdag", "Saturday"),
    "sun": ("zondag", "Sunday"),
}


def locale_code() -> str:
    """The language of the page ("nl", "en"): the formatting locale ("en_GB") without its region."""
    locale = get_locale()
    return str(locale.language) if locale is not None else "nl"


def slot_label(slot: str) -> str:
    day, _sep, part = slot.partition("-")
    day_name = DAY_NAMES.get(day, (day, day))[1 if locale_code() == "en" else 0]
    parts = {"morning": _("morning"), "afternoon": _("afternoon"), "evening": _("evening")}
    return _("%(day)s %(part)s", day=day_name, part=parts.get(part, part))


# Languages in our forms that CLDR knows no locale for (Locale.parse raises UnknownLocaleError): (nl, en).
OTHER_LANGUAGE_NAMES = {"ber": ("Berbers (Tamazight)", "Berber (Tamazight)")}


def language_label(code: str) -> str:
    try:
        return str(Locale.parse(code).get_display_name(locale_code()) or code)
    except (ValueError, TypeError, LookupError, UnknownLocaleError):
        names = OTHER_LANGUAGE_NAMES.get(code)
        return names[1 if locale_code() == "en" else 0] if names else code


def localized_name(item: Any) -> str:
    return str(item.name(locale_code())) if item is not None else ""
