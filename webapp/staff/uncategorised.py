"""Open requests whose kind of help Samen could not tell from their words (webapp/asks/categories.py puts them under
"other"). They are online and can be answered, but the matching engine has little to go on and the city's reports
count them nowhere useful, so the moderation page lists them for a staff member to look at: read the request, and
ask the requester, or help them change it."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from webapp.asks.categories import OTHER
from webapp.asks.models import HelpRequest, RequestStatus
from webapp.core.extensions import db
from webapp.core.moderation import Moderation

SHOWN = 20


def open_requests(limit: int = SHOWN) -> list[HelpRequest]:
    """Open, public requests under "other", newest first."""
    return list(db.session.execute(
        select(HelpRequest).options(joinedload(HelpRequest.wijk))
        .where(HelpRequest.category_key == OTHER, HelpRequest.status == RequestStatus.OPEN,
               HelpRequest.moderation == Moderation.OK)
        .order_by(HelpRequest.created_at.desc(), HelpRequest.id.desc()).limit(limit)
    ).scalars())
