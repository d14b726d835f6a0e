"""May this person help with this? The one rule for work that needs a certificate of conduct (VOG): requests in a
sensitive category (or where the poster asked for it), offers of such help, initiative needs and activities marked
"needs a VOG". Only volunteers whose VOG staff checked, and whose VOG has not lapsed, may help with it, see its text
as a helper, respond, sign up, be suggested, invited, chosen or confirmed.

Every feature asks here (requests in webapp.asks.visibility, offers, initiative needs and activities, suggestions,
digests, the privacy export), so a change to the rule reaches every path at once. `screened` is the same rule in SQL,
for queries over many volunteers.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement

from webapp.accounts.models import VolunteerProfile


def may_help(person: Any, needs_screening: bool) -> bool:
    """Whether this person may help with (and, as a helper, read) work that does or does not need a VOG.
    `person` is a User, the anonymous user or None."""
    if not needs_screening:
        return True
    return bool(person is not None and getattr(person, "is_authenticated", False) and person.is_screened)


def may_read(person: Any, needs_screening: bool) -> bool:
    """Whether this person may read such work without helping: the helpers `may_help` allows, and staff (who
    moderate, take requests in and hand them over)."""
    if may_help(person, needs_screening):
        return True
    return bool(person is not None and getattr(person, "is_authenticated", False) and person.is_staff)


def screened() -> ColumnElement[bool]:
    """SQL (on volunteer_profiles): a volunteer `may_help` with work that needs a VOG."""
    return VolunteerProfile.is_screened.is_(True)
