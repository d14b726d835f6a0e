"""Suggestions both ways: open requests for a volunteer, volunteers for a request; invitations; training.

Ranking reads the text features stored when profiles and requests were saved, narrows candidates by area
(a bounding box around the wijk centroid) in SQL, and lets the engine score only those. "Aanbevolen voor jou"
shows the lists stored.py keeps per volunteer; it ranks (here) only when a list is missing or stale.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flask import current_app
from sqlalchemy import Select, String, case, func, or_, select
from sqlalchemy import cast as sql_cast
from sqlalchemy.orm import joinedload, selectinload, undefer

import matching
from webapp.accounts.models import User, VolunteerProfile
from webapp.asks import events, visibility
from webapp.asks.models import HelpRequest, Match, Outcome, RequestStatus, Response, SuggestionEvent
from webapp.asks.services import speaks_for
from webapp.core.database import conflict_insert
from webapp.core.extensions import db
from webapp.core.ids import utcnow
from webapp.core.moderation import Moderation
from webapp.core.reference.models import Wijk
from webapp.core.text_features import text_profile
from webapp.notifications.services import notify
from webapp.suggestions import reach
from webapp.suggestions.decoded import stored_volunteer_profiles
from webapp.suggestions.models import Invitation, StoredSuggestion
from webapp.suggestions.records import request_record, volunteer_record

log = logging.getLogger(__name__)
# Candidates per page view, nearest in kind first (see _fits_first): the engine ranks these, never all pairs.
MAX_CANDIDATES = 300
RECENT_DAYS = 14
IN_CHUNK = 900  # ids per IN (...) list: well under SQLite's limit on bound parameters
KM_PER_DEGREE_LAT = 111.2


class NotAllowed(Exception):
    pass


@dataclass(frozen=True)
class RequestSuggestion:
    help_request: HelpRequest
    suggestion: matching.Suggestion


@dataclass(frozen=True)
class VolunteerSuggestion:
    volunteer: User
    suggestion: matching.Suggestion
    is_invited: bool


# -- the model ------------------------------------------------------------------------------------------

_MODEL_KEY = "samen.matching_model"


def current_model() -> matching.TrainedModel | None:
    """The trained model, loaded once per process; None (cold start) when missing or incompatible."""
    cache = current_app.extensions.setdefault(_MODEL_KEY, {})
    path = current_app.config["MATCHING_MODEL_PATH"]
    if path not in cache:
        try:
            cache[path] = matching.load_model(path)
        except matching.ModelIncompatible as error:
            log.warning("Matching model not used, falling back to the cold-start ranker: %s", error)
            cache[path] = None
    model: matching.TrainedModel | None = cache[path]
    return model


def forget_model() -> None:
    current_app.extensions.pop(_MODEL_KEY, None)


# -- load and experience -------------------------------------------------------------------------------

def _status_is(status: str) -> Any:
    """A status test no planner uses the status index for, so these counts start from the few candidates'
    matches (index on volunteer_id) instead of every request with that status (SQLite has no statistics to tell)."""
    return func.coalesce(HelpRequest.status, "") == status


def _open_commitments(volunteer_ids: list[int]) -> dict[int, int]:
    if not volunteer_ids:
        return {}
    rows = db.session.execute(
        select(Match.volunteer_id, func.count())
        .join(HelpRequest, HelpRequest.id == Match.request_id)
        .where(Match.volunteer_id.in_(volunteer_ids), _status_is(RequestStatus.MATCHED))
        .group_by(Match.volunteer_id)
    ).all()
    return {int(v): int(n) for v, n in rows if v is not None}


def _recent_shown(volunteer_ids: list[int]) -> dict[int, int]:
    if not volunteer_ids:
        return {}
    since = utcnow() - timedelta(days=RECENT_DAYS)
    rows = db.session.execute(
        select(SuggestionEvent.volunteer_id, func.count())
        .where(SuggestionEvent.volunteer_id.in_(volunteer_ids), SuggestionEvent.outcome == "shown",
               SuggestionEvent.created_at >= since)
        .group_by(SuggestionEvent.volunteer_id)
    ).all()
    return {int(v): int(n) for v, n in rows if v is not None}


def _experience(volunteer_ids: list[int]) -> dict[int, dict[str, int]]:
    if not volunteer_ids:
        return {}
    rows = db.session.execute(
        select(Match.volunteer_id, HelpRequest.category_key, func.count())
        .join(HelpRequest, HelpRequest.id == Match.request_id)
        .where(Match.volunteer_id.in_(volunteer_ids), _status_is(RequestStatus.DONE))
        .group_by(Match.volunteer_id, HelpRequest.category_key)
    ).all()
    out: dict[int, dict[str, int]] = {}
    for volunteer_id, category, count in rows:
        if volunteer_id is None:
            continue
        out.setdefault(int(volunteer_id), {})[str(category)] = int(count)
    return out


def _volunteer_records(users: list[User]) -> tuple[list[matching.Volunteer], dict[str, matching.TextProfile]]:
    ids = [u.id for u in users]
    commitments, shown, experience = _open_commitments(ids), _recent_shown(ids), _experience(ids)
    records, profiles = [], {}
    stored_profiles = stored_volunteer_profiles([u.volunteer_profile for u in users if u.volunteer_profile])
    for user in users:
        record = volunteer_record(user, open_commitments=commitments.get(user.id, 0),
                                  recent_suggestions=shown.get(user.id, 0), experience=experience.get(user.id))
        if record is None:
            continue
        records.append(record)
        stored = stored_profiles.get(user.id)
        if stored is not None:
            profiles[record.id] = stored
    return records, profiles


def _box(lat: float, lon: float, km: float) -> tuple[float, float, float, float]:
    dlat = km / KM_PER_DEGREE_LAT
    dlon = km / (KM_PER_DEGREE_LAT * max(math.cos(math.radians(lat)), 0.1))
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


# -- requests for a volunteer -------------------------------------------------------------------------

def _open_requests_near(lat: float, lon: float, km: float) -> Select[HelpRequest]:
    south, north, west, east = _box(lat, lon, km)
    return (
        select(HelpRequest)
        .join(Wijk, Wijk.id == HelpRequest.wijk_id)
        .where(*visibility.open_to_volunteers(), Wijk.lat.between(south, north), Wijk.lon.between(west, east))
    )


# A suggestion fits when the volunteer's own words or record say why: a skill, the request's words it matched, the
# category their skills point to, or help of this kind given before. Being near and free at the time is not a reason
# on its own: a list padded with such requests explains nothing and spreads one generic request over every list.
FIT_REASONS = frozenset({"skill", "asked", "category", "experience"})


def fits(suggestion: matching.Suggestion) -> bool:
    return any(reason.code in FIT_REASONS for reason in suggestion.reasons)


def declined_by(volunteer_id: int) -> Select[int]:
    """The requests this volunteer said "not for me" to."""
    return select(SuggestionEvent.request_id).where(SuggestionEvent.volunteer_id == volunteer_id,
                                                    SuggestionEvent.outcome == Outcome.DECLINED)


def listed_in_counts(request_ids: Sequence[int], *, except_volunteers: Sequence[int] = ()) -> dict[int, int]:
    """How many volunteers' stored lists hold each of these requests now (not counting the lists of
    `except_volunteers`, which are about to be computed again)."""
    out: dict[int, int] = {}
    ids = list(request_ids)
    for start in range(0, len(ids), IN_CHUNK):
        query = (select(StoredSuggestion.request_id, func.count())
                 .where(StoredSuggestion.request_id.in_(ids[start:start + IN_CHUNK]))
                 .group_by(StoredSuggestion.request_id))
        if except_volunteers:
            query = query.where(StoredSuggestion.volunteer_id.not_in(list(except_volunteers)))
        out.update({int(r): int(n) for r, n in db.session.execute(query) if r is not None})
    return out


def suggest_requests(user: User, k: int = 10, *, record_shown: bool = True,
                     features: dict[int, matching.TextProfile | None] | None = None) -> list[RequestSuggestion]:
    """"Aanbevolen voor jou": the best open requests for this volunteer that fit them (see `fits`), with reasons.
    `features`: the requests' decoded text features by id, shared by a batch of volunteers (filled here); the
    result is the same."""
    records, profiles = _volunteer_records([user])
    if not records:
        return []
    me = records[0]
    answered = select(Response.request_id).where(Response.volunteer_id == user.id)
    query = _open_requests_near(me.lat, me.lon, me.max_distance_km).where(
        HelpRequest.requester_id != user.id, HelpRequest.id.not_in(answered),
        HelpRequest.id.not_in(declined_by(user.id)))
    if not me.screened:
        query = query.where(HelpRequest.needs_screening.is_(False))
    loads = (joinedload(HelpRequest.wijk), joinedload(HelpRequest.category))
    rows = db.session.execute(
        query.options(*loads, *(() if features is not None else (undefer(HelpRequest.match_features),)))
        .order_by(case((HelpRequest.category_key.in_(me.skills or ("",)), 0), else_=1),
                  HelpRequest.created_at.desc())
        .limit(MAX_CANDIDATES)
    ).scalars().all()
    if not rows:
        return []
    ids = [r.id for r in rows]
    counts, listed = _response_counts(ids), listed_in_counts(ids, except_volunteers=[user.id])
    now = utcnow()
    by_public = {r.public_id: r for r in rows}
    request_records = [request_record(r, responses=counts.get(r.id, 0), now=now, listed_in=listed.get(r.id, 0))
                       for r in rows]
    request_profiles = _request_profiles(rows, features)
    index = matching.MatchIndex([me], request_records, volunteer_profiles=profiles,
                                request_profiles=request_profiles, model=current_model(), now=now)
    ranked = [s for s in index.rank_requests_for(me.id, len(rows)) if fits(s)][:k]
    out = [RequestSuggestion(by_public[s.id], s) for s in ranked]
    if record_shown:
        events.record_shown(user.id, [item.help_request.id for item in out])
    return out


def _request_profiles(rows: Sequence[HelpRequest], features: dict[int, matching.TextProfile | None] | None
                      ) -> dict[str, matching.TextProfile]:
    if features is None:
        return {r.public_id: p for r in rows if (p := text_profile(r.match_features)) is not None}
    missing = [r.id for r in rows if r.id not in features]
    if missing:
        for request_id, stored in db.session.execute(
                select(HelpRequest.id, HelpRequest.match_features).where(HelpRequest.id.in_(missing))):
            features[request_id] = text_profile(stored)
    return {r.public_id: p for r in rows if (p := features[r.id]) is not None}


def _response_counts(request_ids: list[int]) -> dict[int, int]:
    if not request_ids:
        return {}
    rows = db.session.execute(
        select(Response.request_id, func.count()).where(Response.request_id.in_(request_ids))
        .group_by(Response.request_id)
    ).all()
    return {int(r): int(n) for r, n in rows}


# -- volunteers for a request -------------------------------------------------------------------------

MAX_REACH_KM = 25.0


def _fits_first(category_keys: set[str]) -> Any:
    """An ORDER BY term: volunteers with one of these skills before the others (skills are a JSON list of keys;
    a text match works on SQLite and PostgreSQL alike), so the candidate cap keeps the likeliest helpers."""
    skills = sql_cast(VolunteerProfile.skills, String)
    return case((or_(*(skills.like(f'%"{key}"%') for key in sorted(category_keys))), 0), else_=1)


def _volunteer_candidates(help_requests: list[HelpRequest]) -> Select[User]:
    """Volunteers who may be suggested, within reach of any of these requests, those with one of their skills first,
    at most MAX_CANDIDATES, with what the ranking reads loaded."""
    boxes = [_box(r.wijk.lat, r.wijk.lon, MAX_REACH_KM) for r in help_requests]
    south, north = min(b[0] for b in boxes), max(b[1] for b in boxes)
    west, east = min(b[2] for b in boxes), max(b[3] for b in boxes)
    return (
        select(User)
        .join(VolunteerProfile, VolunteerProfile.user_id == User.id)
        .join(Wijk, Wijk.id == VolunteerProfile.wijk_id)
        .where(User.is_blocked.is_(False), VolunteerProfile.moderation == Moderation.OK,
               Wijk.lat.between(south, north), Wijk.lon.between(west, east))
        .options(selectinload(User.volunteer_profile).joinedload(VolunteerProfile.wijk))
        .order_by(_fits_first({r.category_key for r in help_requests}), User.id.desc())
        .limit(MAX_CANDIDATES)
    )


def _volunteers_near(help_request: HelpRequest) -> list[User]:
    responded = select(Response.volunteer_id).where(Response.request_id == help_request.id,
                                                    Response.volunteer_id.is_not(None))
    query = _volunteer_candidates([help_request]).where(User.id != help_request.requester_id,
                                                        User.id.not_in(responded))
    if help_request.needs_screening:
        query = query.where(VolunteerProfile.is_screened.is_(True))
    return list(db.session.execute(query).scalars())


def suggest_volunteers_for_many(help_requests: list[HelpRequest], k: int = 5) -> dict[int, list[VolunteerSuggestion]]:
    """The best volunteers for each of several open requests (a page of the staff rescue queue), keyed by request
    id: one candidate query, one ranking index and a fixed number of queries for the whole page."""
    wanted = [r for r in help_requests if r.is_open and r.moderation == Moderation.OK]
    if not wanted:
        return {}
    ids = [r.id for r in wanted]
    users = list(db.session.execute(_volunteer_candidates(wanted)).scalars())
    records, profiles = _volunteer_records(users)
    if not records:
        return {}
    now = utcnow()
    counts = _response_counts(ids)
    request_records = [request_record(r, responses=counts.get(r.id, 0), now=now) for r in wanted]
    index = matching.MatchIndex(
        records, request_records, volunteer_profiles=profiles,
        request_profiles={r.public_id: p for r in wanted if (p := text_profile(r.match_features)) is not None},
        model=current_model(), now=now)
    by_public = {u.public_id: u for u in users}
    responded: dict[int, set[int | None]] = {}
    for request_id, volunteer_id in db.session.execute(
            select(Response.request_id, Response.volunteer_id).where(Response.request_id.in_(ids))):
        responded.setdefault(request_id, set()).add(volunteer_id)
    invited: dict[int, set[int]] = {}
    for request_id, volunteer_id in db.session.execute(
            select(Invitation.request_id, Invitation.volunteer_id).where(Invitation.request_id.in_(ids))):
        invited.setdefault(request_id, set()).add(volunteer_id)
    out: dict[int, list[VolunteerSuggestion]] = {}
    for help_request, record in zip(wanted, request_records, strict=True):
        excluded = {help_request.requester_id, *responded.get(help_request.id, ())}
        found: list[VolunteerSuggestion] = []
        for s in index.rank_volunteers_for(record.id, k + len(excluded)):
            user = by_public[s.id]
            profile = user.volunteer_profile
            if user.id in excluded or (help_request.needs_screening and not (profile and profile.is_screened)):
                continue
            found.append(VolunteerSuggestion(user, s, user.id in invited.get(help_request.id, set())))
            if len(found) == k:
                break
        out[help_request.id] = found
    return out


def suggest_volunteers(help_request: HelpRequest, k: int = 5) -> list[VolunteerSuggestion]:
    """The best volunteers for an open request, for its requester and staff."""
    if not help_request.is_open or help_request.moderation != Moderation.OK:
        return []
    users = _volunteers_near(help_request)
    records, profiles = _volunteer_records(users)
    if not records:
        return []
    now = utcnow()
    req = request_record(help_request, responses=len(help_request.responses), now=now)
    stored = text_profile(help_request.match_features)
    index = matching.MatchIndex(records, [req], volunteer_profiles=profiles,
                                request_profiles={req.id: stored} if stored else None,
                                model=current_model(), now=now)
    by_public = {u.public_id: u for u in users}
    invited = set(db.session.execute(
        select(Invitation.volunteer_id).where(Invitation.request_id == help_request.id)
    ).scalars())
    return [
        VolunteerSuggestion(by_public[s.id], s, by_public[s.id].id in invited)
        for s in index.rank_volunteers_for(req.id, k)
    ]


def invite(actor: User, help_request: HelpRequest, volunteer_public_id: str) -> bool:
    """Staff invite one suggested volunteer by name (from a request's page or the rescue queue): only volunteers the
    hard rules allow. Requesters never see names; they use `let_know`. False when they were invited before."""
    if not actor.is_staff or not help_request.is_open:
        raise NotAllowed
    allowed = {s.volunteer.public_id: s.volunteer for s in suggest_volunteers(help_request, k=MAX_CANDIDATES)}
    volunteer = allowed.get(volunteer_public_id)
    if volunteer is None:
        raise NotAllowed
    return _invite(actor, help_request, volunteer)


def _invite(actor: User, help_request: HelpRequest, volunteer: User) -> bool:
    """Invite once: one conditional INSERT, so two clicks at the same moment (two tabs, the requester and their staff
    contact) cannot both invite and message the volunteer. True when this call invited them."""
    statement = conflict_insert(Invitation.__table__, db.session.get_bind()).values(
        request_id=help_request.id, volunteer_id=volunteer.id, invited_by_id=actor.id, created_at=utcnow(),
    ).on_conflict_do_nothing(index_elements=["request_id", "volunteer_id"]).returning(Invitation.__table__.c.id)
    if db.session.execute(statement).first() is None:  # RETURNING, not rowcount: reliable on both databases
        return False
    notify(volunteer.id, "invited", title=help_request.title, request=help_request.public_id)
    return True


def invited_count(help_request: HelpRequest) -> int:
    return int(db.session.execute(
        select(func.count()).select_from(Invitation).where(Invitation.request_id == help_request.id)).scalar_one())


@dataclass(frozen=True)
class ForRequester:
    """What the requester sees of the suggestions: how many fit and have not heard yet, how many heard."""

    waiting: int
    invited: int


def for_requester(help_request: HelpRequest) -> ForRequester:
    """The best volunteers for the request, as the requester sees them: a number, never names. At most
    INVITES_PER_REQUEST, the most a requester may let know (suggestions.reach)."""
    wanted = int(current_app.config["INVITES_PER_REQUEST"])
    invited = invited_count(help_request)
    fitting = [s for s in suggest_volunteers(help_request, k=wanted) if not s.is_invited]
    return ForRequester(waiting=min(len(fitting), max(0, wanted - invited)), invited=invited)


@dataclass(frozen=True)
class LetKnow:
    invited: int
    day_limit: bool  # the person's limit for the day held (some) back


def let_know(actor: User, help_request: HelpRequest) -> LetKnow:
    """The requester (or their staff contact) lets the best suitable volunteers know about the request: the same
    people `for_requester` counted, within the limits of suggestions.reach."""
    if not speaks_for(actor, help_request) or not help_request.is_open:
        raise NotAllowed
    left, day_limit = reach.invitations_left(actor, invited_count(help_request))
    wanted = int(current_app.config["INVITES_PER_REQUEST"])
    fitting = [s.volunteer for s in suggest_volunteers(help_request, k=wanted) if not s.is_invited]
    invited = sum(_invite(actor, help_request, volunteer) for volunteer in fitting[:left])
    return LetKnow(invited=invited, day_limit=day_limit and len(fitting) > left)


def is_invited(user: User, help_request: HelpRequest) -> bool:
    return db.session.execute(
        select(func.count()).where(Invitation.request_id == help_request.id, Invitation.volunteer_id == user.id)
    ).scalar_one() > 0


def dismiss(user: User, help_request: HelpRequest) -> None:
    """The volunteer says "not for me": a declined outcome for training."""
    events.record(user.id, help_request.id, "declined")
