"""The engine's reason codes in words, in the reader's language.

`reason_lines` is what pages and e-mails show: one line per reason, with the volunteer's skill and the words of the
request that it matched (`skill` + `asked`) said together, so a suggestion reads why it fits *this* request in both
people's own words. `reason_text` words one reason on its own.
"""

from __future__ import annotations

from collections.abc import Iterable

import matching
from webapp.core.i18n import gettext as _
from webapp.core.numbers import format_decimal
from webapp.core.reference.labels import language_label, locale_code, slot_label
from webapp.core.reference.names import reference_name

# Below this many km, "0,0 km" would read as "in your house": say "less than 100 m".
NEAR_KM = 0.1


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


def _distance(detail: str, *, for_volunteer: bool) -> str:
    try:
        km = float(detail)
    except ValueError:
        return _("%(km)s km from you", km=detail) if for_volunteer else _("%(km)s km away", km=detail)
    if km < NEAR_KM:
        return _("Less than 100 m from you") if for_volunteer else _("Less than 100 m away")
    shown = format_decimal(km, "#,##0.0")
    return _("%(km)s km from you", km=shown) if for_volunteer else _("%(km)s km away", km=shown)


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
        return _distance(detail, for_volunteer=for_volunteer)
    if reason.code == "availability":
        return _("You can help on %(slot)s", slot=slot_label(detail)) if for_volunteer else \
            _("Can help on %(slot)s", slot=slot_label(detail))
    if reason.code == "language":
        return _("You both speak %(language)s", language=language_label(detail))
    if reason.code == "speaks_dutch":
        return _("You speak Dutch, so they can practise with you") if for_volunteer else \
            _("Speaks Dutch, to practise with")
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


def _same_words(a: str, b: str) -> bool:
    return a.casefold().strip() == b.casefold().strip()


def _skill_and_asked(skill: str, asked: str, *, for_volunteer: bool) -> str:
    if _same_words(skill, asked):
        return reason_text(matching.Reason("skill", skill), for_volunteer=for_volunteer)
    if for_volunteer:
        return _("Asked for: ‘%(asked)s’. That fits your ‘%(skill)s’.", asked=asked, skill=skill)
    return _("Good at ‘%(skill)s’. Asked for: ‘%(asked)s’.", skill=skill, asked=asked)


def reason_lines(reasons: Iterable[matching.Reason], *, for_volunteer: bool = True, limit: int | None = None
                 ) -> list[str]:
    """The reasons of one suggestion as the lines a page or an e-mail shows, most telling first (at most `limit`).
    The volunteer's skill and the request's words it matched make one line; the category then adds nothing and is
    left out."""
    items = list(reasons)
    skill = next((r.detail for r in items if r.code == "skill"), None)
    asked = next((r.detail for r in items if r.code == "asked"), None)
    lines: list[str] = []
    for item in items:
        if limit is not None and len(lines) >= limit:
            break
        if item.code == "skill" and asked:
            lines.append(_skill_and_asked(item.detail, asked, for_volunteer=for_volunteer))
        elif item.code == "asked" and skill:
            continue  # said with the skill
        elif item.code == "category" and skill:
            continue
        else:
            lines.append(reason_text(item, for_volunteer=for_volunteer))
    return lines
