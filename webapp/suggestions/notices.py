"""A notice to the few volunteers a new request fits best (notification kind "suggested_request"), sent by the
freshness worker when it places the request. The e-mail goes as each volunteer chose for "best_fit" (straight away,
in the daily or weekly digest, or not at all); the in-app message is always there.

Who: at most SUGGESTION_NOTICE_TOP volunteers per request, best first, with a score of at least
SUGGESTION_NOTICE_MIN_SCORE and a reason in words (their skill, or the request's words it matched); never the
requester, someone who answered it, said "not for me" to it or was invited to it already, someone blocked or whose
profile is held, or someone who may not see it (screening: freshness._may_get); at most once per request, and at most
SUGGESTION_NOTICES_PER_DAY notices per volunteer in 24 hours. A notice names the request's title only, as the public
list does.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select

import matching
from webapp.accounts.models import User, VolunteerProfile
from webapp.asks.models import HelpRequest
from webapp.core.extensions import db
from webapp.core.ids import utcnow
from webapp.core.moderation import Moderation
from webapp.notifications.services import notify
from webapp.suggestions.models import Invitation, SuggestionNotice

KIND = "suggested_request"
POOL = 20  # the best placements looked at; the notices go to the first few of them who may get one
WORDS = frozenset({"skill", "asked"})


def _in_words(suggestion: matching.Suggestion) -> bool:
    return any(reason.code in WORDS for reason in suggestion.reasons)


def tell_best(help_request: HelpRequest, best: Sequence[tuple[int, matching.Suggestion]]) -> list[int]:
    """Tell the first few of `best` (volunteer user id, suggestion; best first, already allowed to get the request)
    who qualify; returns their ids. The caller commits."""
    config = current_app.config
    top, per_day = config["SUGGESTION_NOTICE_TOP"], config["SUGGESTION_NOTICES_PER_DAY"]
    wanted = [(u, s) for u, s in best if s.score >= config["SUGGESTION_NOTICE_MIN_SCORE"] and _in_words(s)]
    if not wanted or top == 0 or per_day == 0:
        return []
    ids = [u for u, _s in wanted]
    before = set(db.session.execute(select(SuggestionNotice.volunteer_id).where(
        SuggestionNotice.request_id == help_request.id)).scalars())  # told when it was placed before an edit
    top -= len(before)
    skip = set(before)
    skip |= set(db.session.execute(select(Invitation.volunteer_id).where(
        Invitation.request_id == help_request.id, Invitation.volunteer_id.in_(ids))).scalars())
    skip |= set(db.session.execute(select(VolunteerProfile.user_id).where(
        VolunteerProfile.user_id.in_(ids), VolunteerProfile.moderation != Moderation.OK)).scalars())
    told: list[int] = []
    for user_id, suggestion in wanted:
        if len(told) >= top:
            break
        if user_id in skip or not _under_cap(user_id, per_day):
            continue
        db.session.add(SuggestionNotice(volunteer_id=user_id, request_id=help_request.id, score=suggestion.score))
        notify(user_id, KIND, title=help_request.title, request=help_request.public_id)
        told.append(user_id)
    db.session.flush()
    return told


def _under_cap(user_id: int, per_day: int) -> bool:
    """Fewer than `per_day` notices in the past 24 hours. The volunteer's row is locked first (PostgreSQL), so two
    processes placing requests at once count one after the other; SQLite has one writer at a time anyway."""
    db.session.execute(select(User.id).where(User.id == user_id).with_for_update()).scalar_one_or_none()
    recent = db.session.execute(select(func.count()).where(
        SuggestionNotice.volunteer_id == user_id,
        SuggestionNotice.created_at >= utcnow() - timedelta(days=1))).scalar_one()
    return int(recent) < per_day
