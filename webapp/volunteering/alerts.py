"""Alerts: when a vacancy or a need of an initiative appears (published, or its initiative confirmed by staff), the
few volunteers it fits best hear about it (notification kind "suggested_need": in the app, and by e-mail straight
away, in the daily or weekly digest, or not at all, as each chose for "vacancies"). `flask volunteering alert`, every
few minutes, does it for every need not announced yet; nothing waits in the organiser's click.

Who hears it: at most VACANCY_ALERTS_PER_NEED volunteers per need, best first, ranked by the matching engine as the
front door ranks (the need as a task, its asked skills compared with the volunteer's words), who may do it (screening,
distance, language), with a reason in their own skills (not only "near" and "free"), with a score of at least
MIN_SCORE; never its organisers, someone who signed up already, someone blocked or whose profile is held; once per
need and at most VACANCY_ALERTS_PER_DAY alerts per volunteer in 24 hours. An alert names the need's title and the
initiative, as the public page does.

The freshness work for requests (a worker thread placing a new request in stored lists and telling the best few,
"best_fit") can take this over later: `due_needs` and `alert_need` are what such a worker would call per need.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from flask import current_app
from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.orm import joinedload, selectinload

import matching
from webapp.accounts.models import User, VolunteerProfile
from webapp.accounts.safeguarding import screened
from webapp.core.extensions import db
from webapp.core.ids import utcnow
from webapp.core.moderation import Moderation
from webapp.core.reference.models import Wijk
from webapp.initiatives import needs
from webapp.initiatives.models import Initiative, InitiativeNeed, InitiativeOrganiser, NeedSignup
from webapp.initiatives.services import SEEKING, is_listed
from webapp.notifications.services import notify
from webapp.suggestions.decoded import stored_volunteer_profiles
from webapp.suggestions.initiatives import open_person_needs
from webapp.suggestions.records import volunteer_record
from webapp.volunteering.frontdoor import SUITS
from webapp.volunteering.models import NeedAlert

KIND = "suggested_need"
MIN_SCORE = 0.6        # on the engine's scale: a fit within the volunteer's distance and times, and more
POOL = 50              # the best candidates looked at again with the need's asked skills
MAX_CANDIDATES = 3000  # volunteers within reach looked at per need
REACH_KM = 25.0
KM_PER_DEGREE_LAT = 111.2
DAY = timedelta(days=1)


@dataclass(frozen=True)
class Alerted:
    needs: int
    volunteers: int


def due_needs() -> list[int]:
    """Needs not announced yet that volunteers could take up now (listed, seeking, a person need, still open)."""
    return list(db.session.execute(
        select(InitiativeNeed.id).join(Initiative, Initiative.id == InitiativeNeed.initiative_id)
        .where(InitiativeNeed.alerted_at.is_(None), open_person_needs(), Initiative.status.in_(SEEKING), is_listed())
        .order_by(InitiativeNeed.created_at, InitiativeNeed.id)).scalars())


def _candidates(need: InitiativeNeed) -> list[User]:
    lat, lon = needs.place_of(need)
    dlat = REACH_KM / KM_PER_DEGREE_LAT
    dlon = REACH_KM / (KM_PER_DEGREE_LAT * max(math.cos(math.radians(lat)), 0.1))
    organisers = select(InitiativeOrganiser.user_id).where(InitiativeOrganiser.initiative_id == need.initiative_id)
    signed_up = select(NeedSignup.volunteer_id).where(NeedSignup.need_id == need.id)
    query = (select(User).join(VolunteerProfile, VolunteerProfile.user_id == User.id)
             .join(Wijk, Wijk.id == VolunteerProfile.wijk_id)
             .where(User.is_blocked.is_(False), VolunteerProfile.moderation == Moderation.OK,
                    User.id.not_in(organisers), User.id.not_in(signed_up),
                    Wijk.lat.between(lat - dlat, lat + dlat), Wijk.lon.between(lon - dlon, lon + dlon))
             .options(selectinload(User.volunteer_profile).joinedload(VolunteerProfile.wijk))
             .order_by(User.id).limit(MAX_CANDIDATES))
    if need.needs_screening:
        query = query.where(screened())
    return list(db.session.execute(query).scalars())


def _under_cap(user_id: int, per_day: int, now: datetime) -> bool:
    """Fewer than `per_day` alerts in the past 24 hours. The volunteer's row is locked first (PostgreSQL), so two runs
    count one after the other; SQLite has one writer at a time anyway."""
    db.session.execute(select(User.id).where(User.id == user_id).with_for_update()).scalar_one_or_none()
    recent = db.session.execute(select(func.count()).select_from(NeedAlert).where(
        NeedAlert.volunteer_id == user_id, NeedAlert.created_at >= now - DAY)).scalar_one()
    return int(recent) < per_day


def best_for(need: InitiativeNeed, now: datetime) -> list[tuple[User, matching.Suggestion]]:
    """The volunteers this need fits, best first, with the engine's reasons (the front door's ranking, turned round)."""
    users = _candidates(need)
    records: list[matching.Volunteer] = []
    by_public: dict[str, User] = {}
    for user in users:
        record = volunteer_record(user)
        if record is not None and record.skills:
            records.append(record)
            by_public[record.id] = user
    if not records:
        return []
    stored = stored_volunteer_profiles([u.volunteer_profile for u in users if u.volunteer_profile])
    profiles = {public_id: profile for public_id, user in by_public.items()
                if (profile := stored.get(user.id)) is not None}
    task = needs.task_record(need, frozenset(code for r in records for code in r.languages))
    index = matching.MatchIndex(records, [task], volunteer_profiles=profiles, now=now)
    asked = matching.asked_skills(need.skills)
    skills = {r.id: r.skills for r in records}
    ranked = sorted((matching.with_asked_skills(s, matching.skill_match(skills[s.id], asked))
                     for s in index.rank_volunteers_for(task.id, POOL)), key=lambda s: -s.score)
    return [(by_public[s.id], s) for s in ranked]


def alert_need(need: InitiativeNeed, now: datetime | None = None) -> list[int]:
    """Tell the volunteers a need fits best (see the module's rules); returns their ids. The need is claimed first (a
    conditional UPDATE of alerted_at), so two runs never announce it twice. The caller commits."""
    moment = now or utcnow()
    claimed = int(cast(CursorResult[Any], db.session.execute(
        update(InitiativeNeed).where(InitiativeNeed.id == need.id, InitiativeNeed.alerted_at.is_(None))
        .values(alerted_at=moment).execution_options(synchronize_session=False))).rowcount)
    top, per_day = current_app.config["VACANCY_ALERTS_PER_NEED"], current_app.config["VACANCY_ALERTS_PER_DAY"]
    if claimed != 1 or top == 0 or per_day == 0:
        return []
    told: list[int] = []
    for user, suggestion in best_for(need, moment):
        if len(told) >= top:
            break
        if suggestion.score < MIN_SCORE or not any(r.code in SUITS for r in suggestion.reasons):
            continue
        if not _under_cap(user.id, per_day, moment):
            continue
        db.session.add(NeedAlert(need_id=need.id, volunteer_id=user.id, score=suggestion.score, created_at=moment))
        notify(user.id, KIND, title=need.title, name=need.initiative.name, initiative=need.initiative.public_id)
        told.append(user.id)
    db.session.flush()
    return told


def alert_new_needs(now: datetime | None = None) -> Alerted:
    """`flask volunteering alert`: every need not announced yet, one transaction each (commits)."""
    done = people = 0
    for need_id in due_needs():
        need = db.session.execute(select(InitiativeNeed).where(InitiativeNeed.id == need_id).options(
            joinedload(InitiativeNeed.initiative).selectinload(Initiative.wijken),
            joinedload(InitiativeNeed.wijk))).scalar_one()
        people += len(alert_need(need, now))
        db.session.commit()
        done += 1
    return Alerted(done, people)
