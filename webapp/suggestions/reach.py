"""How far one person may reach into the volunteer base, so that a free account cannot mail every volunteer or read
who they all are:

- invitations: at most INVITES_PER_REQUEST volunteers per request (or per need), and INVITES_PER_DAY a day over all
  of a person's requests and needs; staff are not capped (they see every volunteer in their workspace anyway, and
  their invitations are in the audit log);
- suggested volunteers shown to an organiser: at most ORGANISER_SUGGESTIONS_PER_DAY different people a day, however
  often the need is changed; an organiser may invite only people shown to them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TypeVar

from flask import current_app
from sqlalchemy import func, select

from webapp.accounts.models import User
from webapp.core.database import conflict_insert
from webapp.core.extensions import db
from webapp.core.ids import utcnow
from webapp.initiatives.models import NeedInvitation
from webapp.suggestions.models import Invitation, ShownVolunteer

DAY = timedelta(days=1)
T = TypeVar("T")


def _config(name: str) -> int:
    return int(current_app.config[name])


def sent_today(actor: User, now: datetime | None = None) -> int:
    """Invitations to volunteers this person sent in the past day (for requests and for needs)."""
    since = (now or utcnow()) - DAY
    return sum(int(db.session.execute(select(func.count()).select_from(model).where(
        model.invited_by_id == actor.id, model.created_at >= since)).scalar_one())
        for model in (Invitation, NeedInvitation))


def invitations_left(actor: User, already_for_this: int, now: datetime | None = None) -> tuple[int, bool]:
    """How many more volunteers this person may invite for one request or need that has `already_for_this`
    invitations; and whether the day's limit (not the request's) is what holds them back."""
    if actor.is_staff:
        return 1_000_000, False
    for_this = max(0, _config("INVITES_PER_REQUEST") - already_for_this)
    today = max(0, _config("INVITES_PER_DAY") - sent_today(actor, now))
    return min(for_this, today), today < for_this


def seen_today(viewer: User, now: datetime | None = None) -> set[int]:
    """Volunteers shown to this organiser as suggestions in the past day."""
    return set(db.session.execute(select(ShownVolunteer.volunteer_id).where(
        ShownVolunteer.viewer_id == viewer.id, ShownVolunteer.shown_at >= (now or utcnow()) - DAY)).scalars())


def shown_to(viewer: User, people: Sequence[T], *, ids: Sequence[int], now: datetime | None = None
             ) -> tuple[list[T], bool]:
    """Of these suggested people (best first; `ids` their user ids), those this organiser may see now: everyone
    they saw in the past day, and new people while they are under the day's limit. Records the new ones (the caller
    commits). Second: whether someone was held back by the limit."""
    moment = now or utcnow()
    seen = seen_today(viewer, moment)
    room = _config("ORGANISER_SUGGESTIONS_PER_DAY") - len(seen)
    visible: list[T] = []
    new: list[int] = []
    held_back = False
    for person, person_id in zip(people, ids, strict=True):
        if person_id in seen:
            visible.append(person)
        elif room > 0:
            visible.append(person)
            new.append(person_id)
            room -= 1
        else:
            held_back = True
    if new:
        rows = [{"viewer_id": viewer.id, "volunteer_id": person_id, "shown_at": moment} for person_id in new]
        statement = conflict_insert(ShownVolunteer.__table__, db.session.get_bind()).values(rows)
        db.session.execute(statement.on_conflict_do_update(index_elements=["viewer_id", "volunteer_id"],
                                                           set_={"shown_at": statement.excluded.shown_at}))
    return visible, held_back
