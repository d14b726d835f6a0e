"""Human names, in the current language, for slots, languages and reference rows."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from babel import Locale
from babel.core import UnknownLocaleError
from babel.dates import get_day_names
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from webapp.core.reference.models import Goal
from webapp.core.reference.names import reference_name

# Day keys of the time slots, in Babel's order (0 = Monday); the names come from CLDR for the page's locale.
DAY_INDEX = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}


def locale_code() -> str:
    """The language of the page ("en" also when dates are formatted as en_GB)."""
    found = get_locale()
    return str(found.language) if found is not None else "nl"


def slot_label(slot: str) -> str:
    day, _sep, part = slot.partition("-")
    index = DAY_INDEX.get(day)
    day_name = str(get_day_names("wide", locale=get_locale())[index]) if index is not None else day
    parts = {"morning": _("morning"), "afternoon": _("afternoon"), "evening": _("evening")}
    return _("%(day)s %(part)s", day=day_name, part=parts.get(part, part))


# Languages in our forms that CLDR knows no locale for (Locale.parse raises UnknownLocaleError).
OTHER_LANGUAGE_NAMES = {"ber": _l("Berber (Tamazight)")}


def language_label(code: str) -> str:
    return _cldr_language_name(code, locale_code()) or _other_language_name(code)


@lru_cache(maxsize=1024)
def _cldr_language_name(code: str, page_language: str) -> str | None:
    """CLDR's name of a language in another (pure: parsing two locales per label was 7 % of a list page's CPU)."""
    try:
        return str(Locale.parse(code).get_display_name(page_language) or code)
    except (ValueError, TypeError, LookupError, UnknownLocaleError):
        return None


def _other_language_name(code: str) -> str:
    name = OTHER_LANGUAGE_NAMES.get(code)
    return str(name) if name is not None else code


def localized_name(item: Any) -> str:
    """A category or goal row in the page's language (names.py: Dutch and English from the row, others translated)."""
    if item is None:
        return ""
    kind = "goal" if isinstance(item, Goal) else "category"
    return reference_name(kind, item.name_nl, item.name_en, locale_code())
