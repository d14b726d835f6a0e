"""The engine's reason codes in words, in the reader's language."""

from __future__ import annotations

from flask_babel import format_decimal
from flask_babel import gettext as _

import matching
from webapp.core.reference.labels import language_label, locale_code, slot_label
from webapp.core.reference.names import reference_name


def _category_name(key: str) -> str:
    taxonomy = matching.load_taxonomy()
    if not taxonomy.has_category(key):
        return key
    category = taxonomy.category(key)
    return reference_name("category", category.nl, category.en, locale_code())


def _goal_name(detail: str) -> str:
    taxonomy = matching.load_taxonomy()
    try:
        goal = taxonomy.goal(int(detail))
    except (ValueError, KeyError):
        return detail
    return reference_name("goal", goal.nl, goal.en, locale_code())


def reason_text(reason: matching.Reason, *, for_volunteer: bool = True) -> str:
    """One reason as a short sentence. `for_volunteer` picks "you" (the volunteer) or "they" (for the requester)."""
    detail = reason.detail
    if reason.code == "skill":
        return _("Matches your skill ‘%(skill)s’", skill=detail) if for_volunteer else \
            _("Good at ‘%(skill)s’", skill=detail)
    if reason.code == "asked":
        return _("Asked for: ‘%(asked)s’", asked=detail)
    if reason.code == "category":
        return _("You like to help with %(category)s", category=_category_name(detail).lower()) if for_volunteer \
            else _("Likes to help with %(category)s", category=_category_name(detail).lower())
    if reason.code == "distance":
        try:
            km = format_decimal(float(detail), format="#,##0.0")
        except ValueError:
            km = detail
        return _("%(km)s km from you", km=km) if for_volunteer else _("%(km)s km away", km=km)
    if reason.code == "availability":
        return _("You can help on %(slot)s", slot=slot_label(detail)) if for_volunteer else \
            _("Can help on %(slot)s", slot=slot_label(detail))
    if reason.code == "language":
        return _("You both speak %(language)s", language=language_label(detail))
    if reason.code == "screening":
        return _("You have a certificate of conduct (VOG)") if for_volunteer else \
            _("Has a certificate of conduct (VOG)")
    if reason.code == "experience":
        return _("You have helped with this before") if for_volunteer else _("Has helped with this before")
    if reason.code == "need":
        return _("They need: %(need)s", need=detail)
    if reason.code == "goal":
        return _("Serves the goal: %(goal)s", goal=_goal_name(detail))
    return detail
