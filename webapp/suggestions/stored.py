"""Stored suggestions: each volunteer's ranked requests and initiatives, computed by a background job
(`flask suggestions refresh`) or, when missing or stale, by the page view itself, and filtered against the current
state of every request and initiative when read. A page view runs no ranking; nothing closed since can show.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import ColumnElement, and_, exists, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

import matching
from webapp.accounts.models import User, VolunteerProfile
from webapp.accounts.safeguarding import screened
from webapp.asks import events, visibility
from webapp.asks.models import HelpRequest, Outcome, Response, SuggestionEvent
from webapp.core.extensions import db
from webapp.core.ids import utcnow
from webapp.initiatives.models import Initiative, InitiativeNeed, InitiativeOrganiser, NeedSignup, SignupStatus
from webapp.initiatives.services import SEEKING
from webapp.suggestions.city import chunks, load_city, load_users
from webapp.suggestions.freshness import pending_count, place_pending, replace_placed_since
from webapp.suggestions.initiatives import Candidates, InitiativeSuggestion, open_person_needs, suggest_initiatives
from webapp.suggestions.lists import (
    INITIATIVE,
    INITIATIVES_STORED,
    REQUEST,
    REQUESTS_STORED,
    initiative_rows,
    mark_computed,
    request_rows,
    write_lists,
)
from webapp.suggestions.models import StoredSuggestion, SuggestionList
from webapp.suggestions.reencode import reencode_old
from webapp.suggestions.services import RequestSuggestion, suggest_requests


@dataclass(frozen=True)
class ForVolunteer:
    requests: list[RequestSuggestion]
    initiatives: list[InitiativeSuggestion]


def has_profile(user: User) -> bool:
    return user.volunteer_profile is not None and bool(user.volunteer_profile.skills)


def store(user: User) -> None:
    """Rank for one volunteer (the page view of a volunteer whose list is missing or stale) and store the lists,
    replacing the old ones. The caller commits."""
    started = utcnow()  # a profile saved while this runs makes the list stale at once
    requests = suggest_requests(user, k=REQUESTS_STORED, record_shown=False)
    initiatives = [i for i in suggest_initiatives(user, k=INITIATIVES_STORED) if i.need is not None]
    write_lists(REQUEST, {user.id: request_rows(user.id, [(i.help_request.id, i.suggestion) for i in requests])})
    write_lists(INITIATIVE, {user.id: initiative_rows(user.id, initiatives)})
    mark_computed([user.id], started)


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
    return stored_requests_of([user.id], k)[user.id]


def _lists_of(user_ids: Sequence[int], kind: str) -> Any:
    """The stored rows of these volunteers' lists of one kind, as a CTE the database computes first (MATERIALIZED):
    without it SQLite starts from the open requests or needs and reads every list that holds one."""
    return (select(StoredSuggestion.id, StoredSuggestion.volunteer_id, StoredSuggestion.rank,
                   StoredSuggestion.request_id, StoredSuggestion.initiative_id, StoredSuggestion.need_id)
            .where(StoredSuggestion.volunteer_id.in_(list(user_ids)), StoredSuggestion.kind == kind)
            .cte("mine").prefix_with("MATERIALIZED"))


def stored_requests_of(user_ids: Sequence[int], k: int, *,
                       created_after: datetime | Callable[[Any], ColumnElement[Any]] | None = None
                       ) -> dict[int, list[RequestSuggestion]]:
    """The first k stored requests of each of these volunteers that are still open to them now, in one query per few
    hundred volunteers (a digest run reads thousands). `created_after`: only requests posted after this moment, or
    after the SQL expression this function makes of the volunteer's id column (a moment per volunteer)."""
    out: dict[int, list[RequestSuggestion]] = {u: [] for u in user_ids}
    for chunk in chunks(list(user_ids)):
        mine = _lists_of(chunk, REQUEST)
        volunteer = mine.c.volunteer_id
        answered = exists(select(Response.id).where(Response.request_id == HelpRequest.id,
                                                    Response.volunteer_id == volunteer))
        declined = exists(select(SuggestionEvent.id).where(
            SuggestionEvent.request_id == HelpRequest.id, SuggestionEvent.volunteer_id == volunteer,
            SuggestionEvent.outcome == Outcome.DECLINED))
        still_open = (
            select(mine.c.id, func.row_number().over(partition_by=volunteer, order_by=mine.c.rank).label("n"))
            .join(HelpRequest, HelpRequest.id == mine.c.request_id)
            .where(*visibility.open_to_volunteers(), visibility.screening_for_each(volunteer),  # a lapsed VOG too
                   or_(HelpRequest.requester_id.is_(None), HelpRequest.requester_id != volunteer),
                   ~answered, ~declined,
                   *(() if created_after is None else (
                       HelpRequest.created_at > (created_after if isinstance(created_after, datetime)
                                                 else created_after(volunteer)),)))
        ).subquery()
        query = (
            select(StoredSuggestion, HelpRequest)
            .join(still_open, still_open.c.id == StoredSuggestion.id)
            .join(HelpRequest, HelpRequest.id == StoredSuggestion.request_id)
            .where(still_open.c.n <= k)
            .options(joinedload(HelpRequest.wijk), joinedload(HelpRequest.category))
            .order_by(StoredSuggestion.volunteer_id, StoredSuggestion.rank)
        )
        for s, r in db.session.execute(query):
            out[s.volunteer_id].append(RequestSuggestion(r, _suggestion(r.public_id, s)))
    return out


def _listed() -> Any:
    """`initiatives.services.is_listed` as a correlated EXISTS: for a handful of initiatives it looks at their own
    organisers instead of listing the organisers of every initiative."""
    return and_(Initiative.confirmed_at.is_not(None), exists(
        select(InitiativeOrganiser.id).join(User, User.id == InitiativeOrganiser.user_id).where(
            InitiativeOrganiser.initiative_id == Initiative.id, User.is_blocked.is_(False))))


def stored_initiatives(user: User, k: int) -> list[InitiativeSuggestion]:
    """The first k stored initiatives still seeking people, whose named need is still open to this volunteer."""
    return stored_initiatives_of([user.id], k)[user.id]


def stored_initiatives_of(user_ids: Sequence[int], k: int, *,
                          need_after: Callable[[Any], ColumnElement[Any]] | None = None
                          ) -> dict[int, list[InitiativeSuggestion]]:
    """`stored_initiatives` of each of these volunteers, in one query per few hundred volunteers. `need_after`: of
    those first k, only needs posted after the moment this function makes of the volunteer's id column (a digest
    wants only new ones: the rest are not read)."""
    out: dict[int, list[InitiativeSuggestion]] = {u: [] for u in user_ids}
    for chunk in chunks(list(user_ids)):
        mine = _lists_of(chunk, INITIATIVE)
        volunteer = mine.c.volunteer_id
        organises = exists(select(InitiativeOrganiser.id).where(InitiativeOrganiser.initiative_id == Initiative.id,
                                                                InitiativeOrganiser.user_id == volunteer))
        taken = exists(select(NeedSignup.id).where(NeedSignup.need_id == InitiativeNeed.id,
                                                   NeedSignup.volunteer_id == volunteer,
                                                   NeedSignup.status != SignupStatus.WITHDRAWN))
        may_help_now = or_(InitiativeNeed.needs_screening.is_(False), exists(  # a lapsed VOG counts at once
            select(VolunteerProfile.user_id).where(VolunteerProfile.user_id == volunteer, screened())))
        still_open = (
            select(mine.c.id, func.row_number().over(partition_by=volunteer, order_by=mine.c.rank).label("n"))
            .join(Initiative, Initiative.id == mine.c.initiative_id)
            .join(InitiativeNeed, InitiativeNeed.id == mine.c.need_id)
            .where(Initiative.status.in_(SEEKING), ~organises, _listed(),
                   InitiativeNeed.initiative_id == Initiative.id, open_person_needs(), may_help_now, ~taken)
        ).subquery()
        rows = db.session.execute(
            select(StoredSuggestion, Initiative, InitiativeNeed)
            .join(still_open, still_open.c.id == StoredSuggestion.id)
            .join(Initiative, Initiative.id == StoredSuggestion.initiative_id)
            .join(InitiativeNeed, InitiativeNeed.id == StoredSuggestion.need_id)
            .where(still_open.c.n <= k, *(() if need_after is None else (
                InitiativeNeed.created_at > need_after(StoredSuggestion.volunteer_id),)))
            .options(selectinload(Initiative.wijken))
            .order_by(StoredSuggestion.volunteer_id, StoredSuggestion.rank)
        ).all()
        for s, i, n in rows:
            out[s.volunteer_id].append(InitiativeSuggestion(i, n, _suggestion(i.public_id, s)))
    return out


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
    reencoded: int = 0


def refresh(stale_minutes: int | None = None, active_days: float | None = None, *, batch: int = 500,
            user_ids: Sequence[int] | None = None) -> Refreshed:
    """Recompute the stored lists of every volunteer with a profile (or only of those computed more than
    `stale_minutes` ago, never, or before their profile changed; or only of those who logged in within
    `active_days`; or only of `user_ids`). Commits every `batch` volunteers so the job holds no long transaction.

    Stored text features of an older engine version are encoded again first. The request lists come from one index
    of these volunteers and every open request, ranked in blocks, in two passes: the first counts how many lists
    would hold each request, the second ranks with those counts (request-side spreading: one generic request does
    not fill every list). New requests placed meanwhile (freshness.py) are placed again at the end, so a list
    computed from a moment before they were posted does not lose them."""
    started = time.perf_counter()
    computed_at = utcnow()  # a profile saved or a request posted while this runs is looked at again
    reencoded = reencode_old().total
    if pending_count():
        place_pending()  # what a worker that died left behind, with its notices
    query = (select(User.id).join(VolunteerProfile, VolunteerProfile.user_id == User.id)
             .outerjoin(SuggestionList, SuggestionList.volunteer_id == User.id)
             .where(User.is_blocked.is_(False)).order_by(User.id))
    if stale_minutes is not None:
        query = query.where(or_(SuggestionList.computed_at.is_(None),
                                SuggestionList.computed_at < utcnow() - timedelta(minutes=stale_minutes),
                                SuggestionList.computed_at < VolunteerProfile.updated_at))
    if active_days is not None:
        query = query.where(User.last_login_at >= utcnow() - timedelta(days=active_days))
    ids: list[int] = []
    for chunk in ([None] if user_ids is None else chunks(list(user_ids))):
        ids += db.session.execute(query if chunk is None else query.where(User.id.in_(chunk))).scalars()
    db.session.commit()
    if not ids:
        return Refreshed(0, time.perf_counter() - started, reencoded)
    city = load_city(ids, listed_in_except=ids)
    # Pass 1: which requests each list would hold, counted on top of the lists not computed now.
    counts: Counter[str] = Counter()
    for chunk in chunks(ids, batch):
        for suggestions in city.ranked(chunk, REQUESTS_STORED).values():
            counts.update(s.id for s in suggestions)
    city.set_listed_in({rid: city.listed_in[rid] + counts[rid] for rid in city.requests})
    # Pass 2: rank with those counts and store.
    done = 0
    for chunk in chunks(ids, batch):
        initiatives = Candidates.load()  # per batch: each commit detaches the rows of the one before
        ranked = city.ranked(chunk, REQUESTS_STORED)
        loaded = load_users(chunk)
        users = [u for u in loaded if has_profile(u)]
        write_lists(REQUEST, {u.id: request_rows(u.id, [(city.requests[s.id].id, s) for s in ranked.get(u.id, [])])
                              for u in users})
        write_lists(INITIATIVE, {u.id: initiative_rows(u.id, [
            i for i in suggest_initiatives(u, k=INITIATIVES_STORED, candidates=initiatives) if i.need is not None])
            for u in users})
        # Without skills nothing is suggested: an empty list, computed now, so the next run leaves it until the
        # profile changes.
        mark_computed([u.id for u in loaded], computed_at)
        done += len(users)
        db.session.commit()
        db.session.expunge_all()
    replace_placed_since(computed_at, city)
    return Refreshed(done, time.perf_counter() - started, reencoded)
