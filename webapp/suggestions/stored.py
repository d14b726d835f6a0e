"""Stored suggestions: each volunteer's ranked requests and initiatives, computed by a background job
(`flask suggestions refresh`) or, when missing or stale, by the page view itself, and filtered against the current
state of every request and initiative when read. A page view runs no ranking; nothing closed since can show.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from flask import current_app
from sqlalchemy import and_, delete, exists, or_, select
from sqlalchemy.orm import joinedload, selectinload, undefer

import matching
from webapp.accounts.models import User, VolunteerProfile
from webapp.accounts.safeguarding import may_help
from webapp.asks import events, visibility
from webapp.asks.models import HelpRequest, Outcome, Response, SuggestionEvent
from webapp.core.database import conflict_insert
from webapp.core.extensions import db
from webapp.core.ids import utcnow
from webapp.initiatives.models import Initiative, InitiativeNeed, InitiativeOrganiser, NeedSignup, SignupStatus
from webapp.initiatives.services import SEEKING
from webapp.suggestions.initiatives import Candidates, InitiativeSuggestion, open_person_needs, suggest_initiatives
from webapp.suggestions.models import StoredSuggestion, SuggestionList
from webapp.suggestions.services import RequestSuggestion, suggest_requests

# More than a page shows, so that items filtered out when read (answered, closed, ...) are replaced.
REQUESTS_STORED = 30
INITIATIVES_STORED = 10
REQUEST, INITIATIVE = "request", "initiative"


@dataclass(frozen=True)
class ForVolunteer:
    requests: list[RequestSuggestion]
    initiatives: list[InitiativeSuggestion]


def has_profile(user: User) -> bool:
    return user.volunteer_profile is not None and bool(user.volunteer_profile.skills)


def _upsert(model: Any, rows: list[dict[str, Any]], keys: Sequence[str]) -> None:
    """INSERT ... ON CONFLICT DO UPDATE on SQLite and PostgreSQL alike: two page views computing the same
    volunteer's list at once both succeed, the last one wins."""
    if not rows:
        return
    statement = conflict_insert(model.__table__, db.session.get_bind()).values(rows)
    changed = {c: statement.excluded[c] for c in rows[0] if c not in keys}
    db.session.execute(statement.on_conflict_do_update(index_elements=list(keys), set_=changed))


def _reasons(suggestion: matching.Suggestion) -> list[dict[str, str]]:
    return [r.to_dict() for r in suggestion.reasons]


@dataclass
class Batch:
    """What a refresh loads once for many volunteers: decoded request features and the initiative candidates."""

    features: dict[int, matching.TextProfile | None] = field(default_factory=dict)
    initiatives: Candidates = field(default_factory=Candidates.load)


def store(user: User, batch: Batch | None = None) -> None:
    """Rank for one volunteer exactly as a page view did before, and store the lists (replacing the old ones).
    The caller commits."""
    started = utcnow()  # a profile saved while this runs makes the list stale at once
    requests = suggest_requests(user, k=REQUESTS_STORED, record_shown=False,
                                features=batch.features if batch else None)
    initiatives = [i for i in suggest_initiatives(user, k=INITIATIVES_STORED,
                                                  candidates=batch.initiatives if batch else None)
                   if i.need is not None]
    rows = [dict(volunteer_id=user.id, kind=REQUEST, rank=rank, request_id=item.help_request.id, initiative_id=None,
                 need_id=None, score=item.suggestion.score, reasons=_reasons(item.suggestion))
            for rank, item in enumerate(requests)]
    rows += [dict(volunteer_id=user.id, kind=INITIATIVE, rank=rank, request_id=None,
                  initiative_id=item.initiative.id, need_id=item.need.id if item.need else None,
                  score=item.suggestion.score, reasons=_reasons(item.suggestion))
             for rank, item in enumerate(initiatives)]
    _upsert(StoredSuggestion, rows, ("volunteer_id", "kind", "rank"))
    for kind, count in ((REQUEST, len(requests)), (INITIATIVE, len(initiatives))):
        db.session.execute(delete(StoredSuggestion).where(
            StoredSuggestion.volunteer_id == user.id, StoredSuggestion.kind == kind, StoredSuggestion.rank >= count)
            .execution_options(synchronize_session=False))
    _upsert(SuggestionList, [dict(volunteer_id=user.id, computed_at=started)], ("volunteer_id",))


def is_fresh(user: User, max_age: timedelta) -> bool:
    """A stored list exists, is younger than `max_age`, and was computed after the profile last changed."""
    computed_at = db.session.execute(
        select(SuggestionList.computed_at).where(SuggestionList.volunteer_id == user.id)).scalar_one_or_none()
    profile = user.volunteer_profile
    if computed_at is None or profile is None:
        return False
    return computed_at >= utcnow() - max_age and (profile.updated_at is None or computed_at >= profile.updated_at)


def _suggestion(public_id: str, row: StoredSuggestion) -> matching.Suggestion:
    reasons = tuple(matching.Reason(r["code"], r.get("detail", "")) for r in row.reasons)  # type: ignore[arg-type]
    return matching.Suggestion(id=public_id, score=row.score, reasons=reasons)


def stored_requests(user: User, k: int) -> list[RequestSuggestion]:
    """The first k stored requests that are still open to this volunteer now."""
    answered = select(Response.request_id).where(Response.volunteer_id == user.id)
    declined = select(SuggestionEvent.request_id).where(SuggestionEvent.volunteer_id == user.id,
                                                        SuggestionEvent.outcome == Outcome.DECLINED)
    query = (
        select(StoredSuggestion, HelpRequest)
        .join(HelpRequest, HelpRequest.id == StoredSuggestion.request_id)
        .where(StoredSuggestion.volunteer_id == user.id, StoredSuggestion.kind == REQUEST,
               *visibility.open_to_volunteers(), *visibility.screening_for(user),  # a lapsed VOG counts at once
               HelpRequest.requester_id != user.id, HelpRequest.id.not_in(answered), HelpRequest.id.not_in(declined))
        .options(joinedload(HelpRequest.wijk), joinedload(HelpRequest.category))
        .order_by(StoredSuggestion.rank)
        .limit(k)
    )
    return [RequestSuggestion(r, _suggestion(r.public_id, s)) for s, r in db.session.execute(query)]


def _listed() -> Any:
    """`initiatives.services.is_listed` as a correlated EXISTS: for a handful of initiatives it looks at their own
    organisers instead of listing the organisers of every initiative."""
    return and_(Initiative.confirmed_at.is_not(None), exists(
        select(InitiativeOrganiser.id).join(User, User.id == InitiativeOrganiser.user_id).where(
            InitiativeOrganiser.initiative_id == Initiative.id, User.is_blocked.is_(False))))


def stored_initiatives(user: User, k: int) -> list[InitiativeSuggestion]:
    """The first k stored initiatives still seeking people, whose named need is still open to this volunteer."""
    mine = select(InitiativeOrganiser.initiative_id).where(InitiativeOrganiser.user_id == user.id)
    taken = select(NeedSignup.need_id).where(NeedSignup.volunteer_id == user.id,
                                             NeedSignup.status != SignupStatus.WITHDRAWN)
    rows = db.session.execute(
        select(StoredSuggestion, Initiative, InitiativeNeed)
        .join(Initiative, Initiative.id == StoredSuggestion.initiative_id)
        .join(InitiativeNeed, InitiativeNeed.id == StoredSuggestion.need_id)
        .where(StoredSuggestion.volunteer_id == user.id, StoredSuggestion.kind == INITIATIVE,
               Initiative.status.in_(SEEKING), Initiative.id.not_in(mine), _listed(),
               InitiativeNeed.initiative_id == Initiative.id, InitiativeNeed.id.not_in(taken),
               open_person_needs(screened_volunteer=may_help(user, True)))  # a lapsed VOG counts at once
        .options(selectinload(Initiative.wijken))
        .order_by(StoredSuggestion.rank)
        .limit(k)
    ).all()
    return [InitiativeSuggestion(i, n, _suggestion(i.public_id, s)) for s, i, n in rows]


def for_volunteer(user: User, k: int = 10, k_initiatives: int = 5) -> ForVolunteer:
    """"Aanbevolen voor jou": the stored lists, computed here first when missing, stale or older than the profile;
    records the shown requests. The caller commits."""
    if not has_profile(user):
        return ForVolunteer([], [])
    max_age = timedelta(minutes=current_app.config["SUGGESTIONS_MAX_AGE_MINUTES"])
    if not is_fresh(user, max_age):
        store(user)
    requests = stored_requests(user, k)
    events.record_shown(user.id, [item.help_request.id for item in requests])
    return ForVolunteer(requests, stored_initiatives(user, k_initiatives))


@dataclass(frozen=True)
class Refreshed:
    volunteers: int
    seconds: float


def refresh(stale_minutes: int | None = None, active_days: float | None = None, *, batch: int = 50) -> Refreshed:
    """Recompute the stored lists of every volunteer with a profile (or only of those computed more than
    `stale_minutes` ago, never, or before their profile changed; or only of those who logged in within
    `active_days`); commits every `batch` volunteers so the job holds no long transaction."""
    started = time.perf_counter()
    query = (select(User.id).join(VolunteerProfile, VolunteerProfile.user_id == User.id)
             .outerjoin(SuggestionList, SuggestionList.volunteer_id == User.id)
             .where(User.is_blocked.is_(False)).order_by(User.id))
    if stale_minutes is not None:
        query = query.where(or_(SuggestionList.computed_at.is_(None),
                                SuggestionList.computed_at < utcnow() - timedelta(minutes=stale_minutes),
                                SuggestionList.computed_at < VolunteerProfile.updated_at))
    if active_days is not None:
        query = query.where(User.last_login_at >= utcnow() - timedelta(days=active_days))
    ids = list(db.session.execute(query).scalars())
    done = 0
    # Each request's features are decoded once per run (a request edited during the run is ranked on its old text
    # until the next run; its state is filtered when read anyway).
    features: dict[int, matching.TextProfile | None] = {}
    for start in range(0, len(ids), batch):
        users = db.session.execute(
            select(User).where(User.id.in_(ids[start:start + batch]))
            .options(selectinload(User.volunteer_profile).options(joinedload(VolunteerProfile.wijk),
                                                                  undefer(VolunteerProfile.match_features)))
        ).scalars().all()
        shared = Batch(features)
        for user in users:
            if has_profile(user):
                store(user, shared)
                done += 1
        db.session.commit()
        db.session.expunge_all()
    return Refreshed(done, time.perf_counter() - started)
