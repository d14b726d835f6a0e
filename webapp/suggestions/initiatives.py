"""Suggestions for initiatives, from the matching engine: initiatives and their needs for a volunteer
("Aanbevolen voor jou"), and volunteers for one need of an initiative (for its organisers)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import selectinload

import matching
from webapp.accounts.models import User, VolunteerProfile
from webapp.accounts.safeguarding import screened
from webapp.core.extensions import db
from webapp.core.ids import utcnow
from webapp.core.moderation import Moderation
from webapp.core.reference.models import Wijk
from webapp.core.text_features import text_profile
from webapp.initiatives.models import (
    Initiative,
    InitiativeNeed,
    InitiativeOrganiser,
    NeedKind,
    NeedSignup,
    NeedStatus,
    SignupStatus,
    initiative_wijken,
)
from webapp.initiatives.needs import task_record
from webapp.initiatives.services import SEEKING, initiative_record, is_listed, is_public, need_text
from webapp.suggestions.records import volunteer_record

# Needs a volunteer can fill with their hands or knowledge (not a space, materials or money).
PERSON_NEEDS = (NeedKind.VOLUNTEERS, NeedKind.EXPERTISE)
MAX_CANDIDATES = 3000
ASKED_POOL = 50  # suggestions looked at again with the need's asked skills
MAX_REACH_KM = 25.0
KM_PER_DEGREE_LAT = 111.2


@dataclass(frozen=True)
class InitiativeSuggestion:
    initiative: Initiative
    need: InitiativeNeed | None  # the need the engine found the best fit, if any
    suggestion: matching.Suggestion

    @property
    def wijk_names(self) -> str:
        return ", ".join(w.name for w in self.initiative.wijken)


@dataclass(frozen=True)
class NeedVolunteerSuggestion:
    volunteer: User
    suggestion: matching.Suggestion
    is_invited: bool


def open_person_needs(*, screened_volunteer: bool = True) -> Any:
    """SQL: a need a volunteer can still fill with their hands or knowledge; for a volunteer without a valid
    certificate of conduct (`screened_volunteer` False), only needs that do not ask for one."""
    found = and_(InitiativeNeed.kind.in_(PERSON_NEEDS), InitiativeNeed.status != NeedStatus.FILLED)
    return found if screened_volunteer else and_(found, InitiativeNeed.needs_screening.is_(False))


def _me(user: User) -> tuple[matching.Volunteer, matching.TextProfile | None] | None:
    record = volunteer_record(user)
    if record is None or user.volunteer_profile is None:
        return None
    return record, text_profile(user.volunteer_profile.match_features)


@dataclass
class Candidates:
    """Initiatives that seek people and their open person needs, loaded once for many volunteers (a refresh batch).
    Most volunteers organise none of them and signed up for none of their needs: they share one ranking index."""

    rows: list[Initiative]
    needs: dict[int, list[InitiativeNeed]]
    complete: bool  # under the MAX_CANDIDATES cap: the same set a single volunteer's query would find
    # One ranking index for screened volunteers (every need) and one for the others (needs without a VOG).
    shared: dict[bool, tuple[matching.InitiativeIndex, list[Initiative], dict[int, list[InitiativeNeed]]]] = \
        field(default_factory=dict)

    @classmethod
    def load(cls) -> Candidates:
        rows, needs = _load()
        return cls(rows, needs, complete=len(rows) < MAX_CANDIDATES)


def _may_reach(lat: float, lon: float, km: float) -> Any:
    """SQL: the initiative's centre (the mean of its wijken) can lie within `km`: the box around it overlaps the
    span of its wijken. Initiatives without a wijk are centred on the city, so they always qualify."""
    south, north, west, east = _box(lat, lon, km * 1.01 + 0.1)  # a margin: the box must hold the whole circle
    link = initiative_wijken.c
    spans = (select(link.initiative_id).join(Wijk, Wijk.id == link.wijk_id).group_by(link.initiative_id)
             .having(func.min(Wijk.lat) <= north, func.max(Wijk.lat) >= south,
                     func.min(Wijk.lon) <= east, func.max(Wijk.lon) >= west))
    return or_(Initiative.id.in_(spans), Initiative.id.not_in(select(link.initiative_id)))


def _load(*, not_of: int | None = None, near: tuple[float, float, float] | None = None,
          screened_volunteer: bool = True) -> tuple[list[Initiative], dict[int, list[InitiativeNeed]]]:
    """Seeking, listed initiatives with an open person need (not organised by `not_of`, possibly within reach of
    `near`, one the volunteer may help with), and those needs in their page order; the other needs and columns stay
    in the database."""
    person_needs = open_person_needs(screened_volunteer=screened_volunteer)
    query = (select(Initiative)
             .where(Initiative.status.in_(SEEKING), is_listed(),
                    Initiative.id.in_(select(InitiativeNeed.initiative_id).where(person_needs)))
             .options(selectinload(Initiative.wijken), selectinload(Initiative.goals))
             .order_by(Initiative.id)
             .limit(MAX_CANDIDATES))
    if not_of is not None:
        query = query.where(Initiative.id.not_in(
            select(InitiativeOrganiser.initiative_id).where(InitiativeOrganiser.user_id == not_of)))
    if near is not None:
        query = query.where(_may_reach(*near))
    rows = list(db.session.execute(query).scalars())
    needs: dict[int, list[InitiativeNeed]] = {i.id: [] for i in rows}
    if rows:
        for need in db.session.execute(
                select(InitiativeNeed).where(InitiativeNeed.initiative_id.in_(list(needs)), person_needs)
                .order_by(InitiativeNeed.id)).scalars():
            needs[need.initiative_id].append(need)
    return rows, needs


def suggest_initiatives(user: User, k: int = 5, *, candidates: Candidates | None = None) -> list[InitiativeSuggestion]:
    """Initiatives within the volunteer's reach that need people, best fit first, with the engine's reasons.
    `candidates`: loaded once for a batch of volunteers; the result is the same."""
    me = _me(user)
    if me is None:
        return []
    volunteer, profile = me
    taken = set(db.session.execute(select(NeedSignup.need_id).where(
        NeedSignup.volunteer_id == user.id, NeedSignup.status != SignupStatus.WITHDRAWN)).scalars())
    vog = volunteer.screened
    if candidates is None or not candidates.complete:
        rows, needs = _load(not_of=user.id, near=(volunteer.lat, volunteer.lon, volunteer.max_distance_km),
                            screened_volunteer=vog)
        return _rank(volunteer, profile, k, *_open_to(rows, needs, taken, vog))
    mine = set(db.session.execute(
        select(InitiativeOrganiser.initiative_id).where(InitiativeOrganiser.user_id == user.id)).scalars())
    if any(i.id in mine for i in candidates.rows) or any(n.id in taken for ns in candidates.needs.values() for n in ns):
        rows = [i for i in candidates.rows if i.id not in mine]
        return _rank(volunteer, profile, k, *_open_to(rows, candidates.needs, taken, vog))
    if vog not in candidates.shared:
        rows, needs = _open_to(candidates.rows, candidates.needs, set(), vog)
        if not rows:
            return []
        candidates.shared[vog] = (matching.InitiativeIndex([initiative_record(i, needs[i.id]) for i in rows]), rows,
                                  needs)
    index, rows, needs = candidates.shared[vog]
    return _rank(volunteer, profile, k, rows, needs, index=index)


def _open_to(rows: list[Initiative], needs: dict[int, list[InitiativeNeed]], taken: set[int], screened_volunteer: bool
             ) -> tuple[list[Initiative], dict[int, list[InitiativeNeed]]]:
    """The initiatives with a need this volunteer has not signed up for yet and may help with, and those needs."""
    mine = {i.id: [n for n in needs[i.id] if n.id not in taken and (screened_volunteer or not n.needs_screening)]
            for i in rows}
    return [i for i in rows if mine[i.id]], mine


def _rank(volunteer: matching.Volunteer, profile: matching.TextProfile | None, k: int, rows: list[Initiative],
          needs: dict[int, list[InitiativeNeed]], index: matching.InitiativeIndex | None = None
          ) -> list[InitiativeSuggestion]:
    if not rows:
        return []
    if index is None:
        index = matching.InitiativeIndex([initiative_record(i, needs[i.id]) for i in rows])
    by_public = {i.public_id: i for i in rows}
    out = []
    for suggestion in index.rank_for(volunteer, profile, k):
        if suggestion.score < 0.5:  # farther than the volunteer wants to go
            continue
        initiative = by_public[suggestion.id]
        texts = {need_text(n): n for n in needs[initiative.id]}
        named = next((texts.get(r.detail) for r in suggestion.reasons if r.code == "need"), None)
        if named is None and needs[initiative.id]:
            named = needs[initiative.id][0]
        out.append(InitiativeSuggestion(initiative, named, suggestion))
    return out


def _box(lat: float, lon: float, km: float) -> tuple[float, float, float, float]:
    dlat = km / KM_PER_DEGREE_LAT
    dlon = km / (KM_PER_DEGREE_LAT * max(math.cos(math.radians(lat)), 0.1))
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


def suggest_volunteers_for_need(need: InitiativeNeed, invited: set[int], k: int = 5) -> list[NeedVolunteerSuggestion]:
    """Volunteers who may suit an open need of a confirmed initiative, for its organisers: only volunteers who chose
    to be found by organisers, only screened ones when the need asks for a VOG; never the organisers or people who
    signed up. (What one organiser may see of these in a day: suggestions.reach.)"""
    if need.kind not in PERSON_NEEDS or not need.is_open or not is_public(need.initiative):
        return []
    record = initiative_record(need.initiative, [])
    south, north, west, east = _box(record.lat, record.lon, MAX_REACH_KM)
    organisers = select(InitiativeOrganiser.user_id).where(InitiativeOrganiser.initiative_id == need.initiative_id)
    signed_up = select(NeedSignup.volunteer_id).where(NeedSignup.need_id == need.id)
    users = list(db.session.execute(
        select(User)
        .join(VolunteerProfile, VolunteerProfile.user_id == User.id)
        .join(Wijk, Wijk.id == VolunteerProfile.wijk_id)
        .where(User.is_blocked.is_(False), VolunteerProfile.moderation == Moderation.OK,
               VolunteerProfile.findable_by_organisers.is_(True),
               *((screened(),) if need.needs_screening else ()),
               User.id.not_in(organisers), User.id.not_in(signed_up),
               Wijk.lat.between(south, north), Wijk.lon.between(west, east))
        .options(selectinload(User.volunteer_profile).joinedload(VolunteerProfile.wijk))
        .limit(MAX_CANDIDATES)
    ).scalars())
    records, profiles, by_public = [], {}, {}
    for user in users:
        found = _me(user)
        if found is None:
            continue
        records.append(found[0])
        by_public[found[0].id] = user
        if found[1] is not None:
            profiles[found[0].id] = found[1]
    if not records:
        return []
    # The need as the engine sees a task (webapp.initiatives.needs.task_record): a need that names no language can be
    # done in any, so the candidates' own languages.
    request = task_record(need, frozenset(code for r in records for code in r.languages))
    index = matching.MatchIndex(records, [request], volunteer_profiles=profiles, now=utcnow())
    asked = matching.asked_skills(need.skills)
    skills = {r.id: r.skills for r in records}
    # The skills the need asks for, compared with each volunteer's own words: among a wider set, so that the one
    # whose skill says the same comes first even when the vocabulary does not know the words (matching.tasks).
    ranked = sorted((matching.with_asked_skills(s, matching.skill_match(skills[s.id], asked))
                     for s in index.rank_volunteers_for(request.id, max(k, ASKED_POOL))), key=lambda s: -s.score)
    return [NeedVolunteerSuggestion(by_public[s.id], s, by_public[s.id].id in invited) for s in ranked[:k]]
