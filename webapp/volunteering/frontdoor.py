"""The front door: everything a person could do as a volunteer, in one list. Plain arguments in, items out.

Four kinds: neighbours' help requests, needs of resident initiatives, vacancies (the needs of volunteering
organisations) and activities with places free. Each kind's rules come from its own feature: who may see a request
(webapp.asks.visibility), which needs are listed and who may help with them (initiatives, accounts.safeguarding).

How they are put in one order. For a volunteer with a profile, every candidate goes through one ranking: requests as
they are, needs, vacancies and activities as tasks in request form (matching.tasks), all in one MatchIndex with the
volunteer, so the hard rules (screening, a shared language, the volunteer's distance) and the score scale are the
same for every kind; the skills a need asks for are compared with the volunteer's own words on top. A candidate the
rules exclude is not in the list. `python -m matching evaluate` measures this way of mixing (matching/README.md:
"Requests and tasks in one list"). For a visitor without a profile nothing is ranked: the newest first.

Candidates per kind are capped (MAX_PER_KIND, newest first, within reach in SQL), so a page costs the same at any
size of the city; filters (kind, part of the day, distance, once or regular, suits me) work on the ranked list.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import joinedload, undefer

import matching
from matching.geo import haversine_km
from webapp.accounts.models import User
from webapp.accounts.safeguarding import may_help
from webapp.asks import visibility
from webapp.asks.models import HelpRequest, Response
from webapp.core.extensions import db
from webapp.core.ids import utcnow
from webapp.core.reference.models import Wijk
from webapp.core.reference.slots import DAYPARTS
from webapp.core.text_features import text_profile
from webapp.initiatives import activities, needs
from webapp.initiatives.models import (
    Activity,
    ActivityParticipant,
    ActivityStatus,
    Initiative,
    InitiativeNeed,
    InitiativeOrganiser,
    InitiativeStatus,
    NeedSignup,
    ParticipantStatus,
    SignupStatus,
    initiative_wijken,
)
from webapp.initiatives.services import SEEKING, is_listed
from webapp.suggestions.initiatives import open_person_needs
from webapp.suggestions.records import request_record, volunteer_record
from webapp.suggestions.services import current_model

REQUEST, NEED, VACANCY, ACTIVITY = "request", "need", "vacancy", "activity"
KINDS = (REQUEST, NEED, VACANCY, ACTIVITY)
ONCE, REGULAR = "once", "regular"
DISTANCES = (1, 2, 3, 5, 10)  # km, the choices of the distance filter
MAX_PER_KIND = 300  # candidates per kind (newest first, within reach): what one page view ranks at most
# Reasons that say the item suits the volunteer's own skills ("suits me"), not only that it is near and on time.
SUITS = frozenset({"skill", "asked", "category", "experience"})
_MARGIN_KM = 1.5  # a wijk counts as within reach when its centre is this much farther (the engine checks exactly)


@dataclass(frozen=True)
class Filters:
    kinds: frozenset[str] = frozenset()  # empty: every kind
    day_part: str | None = None          # "morning", "afternoon", "evening"
    km: float | None = None              # within this distance of the person (or of `wijk`)
    rhythm: str | None = None            # ONCE or REGULAR
    suits_me: bool = False
    wijk: Wijk | None = None             # where from, for someone without a volunteer profile


@dataclass(frozen=True)
class Item:
    """One thing to do. Exactly one of help_request, need and activity is set."""

    kind: str
    posted_at: datetime
    regular: bool
    slots: tuple[str, ...]
    lat: float
    lon: float
    help_request: HelpRequest | None = None
    need: InitiativeNeed | None = None
    activity: Activity | None = None
    suggestion: matching.Suggestion | None = None
    km: float | None = None

    @property
    def public_id(self) -> str:
        row = self.help_request or self.need or self.activity
        assert row is not None
        return row.public_id

    @property
    def title(self) -> str:
        if self.help_request is not None:
            return self.help_request.title
        if self.need is not None:
            return self.need.title
        assert self.activity is not None
        return self.activity.title

    @property
    def suits(self) -> bool:
        return self.suggestion is not None and any(r.code in SUITS for r in self.suggestion.reasons)


@dataclass(frozen=True)
class FrontDoor:
    items: list[Item]      # every item that passed the filters, best (or newest) first
    ranked: bool           # ordered by the matching engine for this volunteer
    origin: Wijk | None    # where distances are measured from

    def page(self, number: int, per_page: int) -> tuple[list[Item], int, int]:
        """(the items of page `number`, moved into range; that page; the number of pages)."""
        pages = max(1, -(-len(self.items) // per_page))
        number = min(max(number, 1), pages)
        return self.items[(number - 1) * per_page:number * per_page], number, pages


# -- candidates ------------------------------------------------------------------------------------------------------

def _wijken_within(wijken: Sequence[Wijk], lat: float, lon: float, km: float) -> list[int]:
    return [w.id for w in wijken if haversine_km(lat, lon, w.lat, w.lon) <= km + _MARGIN_KM]


def _requests(user: User | None, near: list[int] | None, now: datetime) -> list[HelpRequest]:
    query = select(HelpRequest).where(*visibility.open_to_volunteers(now), *visibility.screening_for(user))
    if user is not None and user.is_authenticated:
        answered = select(Response.request_id).where(Response.volunteer_id == user.id)
        query = query.where(HelpRequest.requester_id != user.id, HelpRequest.id.not_in(answered))
    if near is not None:
        query = query.where(HelpRequest.wijk_id.in_(near))
    return list(db.session.execute(
        query.options(joinedload(HelpRequest.wijk), joinedload(HelpRequest.category),
                      undefer(HelpRequest.match_features))
        .order_by(HelpRequest.created_at.desc(), HelpRequest.id.desc()).limit(MAX_PER_KIND)).scalars())


def _not_organised_by(user: User | None) -> tuple[Any, ...]:
    if user is None or not user.is_authenticated:
        return ()
    mine = select(InitiativeOrganiser.initiative_id).where(InitiativeOrganiser.user_id == user.id)
    return (Initiative.id.not_in(mine),)


def _needs(user: User | None, near: list[int] | None) -> list[InitiativeNeed]:
    query = (select(InitiativeNeed).join(Initiative, Initiative.id == InitiativeNeed.initiative_id)
             .where(open_person_needs(screened_volunteer=may_help(user, True)), Initiative.status.in_(SEEKING),
                    is_listed(), *_not_organised_by(user)))
    if user is not None and user.is_authenticated:
        query = query.where(InitiativeNeed.id.not_in(select(NeedSignup.need_id).where(
            NeedSignup.volunteer_id == user.id, NeedSignup.status != SignupStatus.WITHDRAWN)))
    if near is not None:
        query = query.where(or_(InitiativeNeed.wijk_id.in_(near), and_(
            InitiativeNeed.wijk_id.is_(None), Initiative.id.in_(
                select(initiative_wijken.c.initiative_id).where(initiative_wijken.c.wijk_id.in_(near))))))
    return list(db.session.execute(
        query.options(joinedload(InitiativeNeed.wijk), joinedload(InitiativeNeed.initiative)
                      .selectinload(Initiative.wijken), undefer(InitiativeNeed.match_features))
        .order_by(InitiativeNeed.created_at.desc(), InitiativeNeed.id.desc()).limit(MAX_PER_KIND)).scalars())


def _activities(user: User | None, near: list[int] | None, now: datetime) -> list[Activity]:
    """Planned activities that have not started, have places free and take no sign-ups on a parent (people join one
    of its shifts); of a repeating activity only the next date."""
    going = (select(func.count()).select_from(ActivityParticipant)
             .where(ActivityParticipant.activity_id == Activity.id,
                    ActivityParticipant.status == ParticipantStatus.GOING).correlate(Activity).scalar_subquery())
    child = Activity.__table__.alias("child")
    query = (select(Activity).join(Initiative, Initiative.id == Activity.initiative_id)
             .where(Activity.status == ActivityStatus.PLANNED, Activity.starts_at > now, is_listed(),
                    Initiative.status != InitiativeStatus.ENDED, *_not_organised_by(user),
                    ~exists(select(child.c.id).where(child.c.parent_id == Activity.id)),
                    or_(Activity.capacity.is_(None), Activity.capacity > going)))
    if not may_help(user, True):
        query = query.where(Activity.needs_screening.is_(False))
    if user is not None and user.is_authenticated:
        query = query.where(Activity.id.not_in(select(ActivityParticipant.activity_id).where(
            ActivityParticipant.user_id == user.id, ActivityParticipant.status != ParticipantStatus.CANCELLED)))
    if near is not None:
        query = query.where(Activity.wijk_id.in_(near))
    rows = db.session.execute(
        query.options(joinedload(Activity.wijk), joinedload(Activity.initiative), joinedload(Activity.parent),
                      undefer(Activity.match_features))
        .order_by(Activity.starts_at, Activity.id).limit(MAX_PER_KIND)).scalars().all()
    seen: set[object] = set()
    out = []
    for row in rows:  # the next date of a series, the first free shift of an activity
        group = row.series_id or row.parent_id or row.id
        if group not in seen:
            seen.add(group)
            out.append(row)
    return out


def _items(requests: list[HelpRequest], found_needs: list[InitiativeNeed], found_activities: list[Activity],
           zone: ZoneInfo) -> list[Item]:
    out = [Item(REQUEST, r.created_at, r.is_recurring, tuple(r.slots or ()), r.wijk.lat, r.wijk.lon, help_request=r)
           for r in requests]
    for need in found_needs:
        lat, lon = needs.place_of(need)
        out.append(Item(VACANCY if need.initiative.is_organisation else NEED, need.created_at, need.is_recurring,
                        tuple(need.slots or ()), lat, lon, need=need))
    for activity in found_activities:
        out.append(Item(ACTIVITY, activity.created_at, activity.series_id is not None,
                        (activities.slot_of(activity.starts_at, zone),), activity.wijk.lat, activity.wijk.lon,
                        activity=activity))
    return out


# -- ranking ---------------------------------------------------------------------------------------------------------

def _response_counts(request_ids: list[int]) -> dict[int, int]:
    if not request_ids:
        return {}
    return {int(r): int(n) for r, n in db.session.execute(
        select(Response.request_id, func.count()).where(Response.request_id.in_(request_ids))
        .group_by(Response.request_id)).all()}


def _rank(user: User, record: matching.Volunteer, items: list[Item], zone: ZoneInfo, now: datetime) -> list[Item]:
    """The items this volunteer may do, best first, each with the engine's suggestion (and distance)."""
    if not items:
        return []
    profile = text_profile(user.volunteer_profile.match_features) if user.volunteer_profile else None
    counts = _response_counts([i.help_request.id for i in items if i.help_request is not None])
    records: list[matching.HelpRequest] = []
    profiles: dict[str, matching.TextProfile] = {}
    for item in items:
        if item.help_request is not None:
            row: Any = item.help_request
            records.append(request_record(row, responses=counts.get(row.id, 0), now=now))
        elif item.need is not None:
            row = item.need
            records.append(needs.task_record(row, record.languages))
        else:
            row = item.activity
            records.append(activities.task_record(row, record.languages, zone))
        stored = text_profile(row.match_features)
        if stored is not None:
            profiles[row.public_id] = stored
    index = matching.MatchIndex([record], records, volunteer_profiles={record.id: profile} if profile else None,
                                request_profiles=profiles, model=current_model(), now=now)
    by_id = {item.public_id: item for item in items}
    asked = {item.public_id: matching.asked_skills(item.need.skills) for item in items if item.need is not None}
    ranked = []
    for suggestion in index.rank_requests_for(record.id, len(records)):
        if suggestion.id in asked:
            match = matching.skill_match(record.skills, asked[suggestion.id])
            suggestion = matching.with_asked_skills(suggestion, match)
        item = by_id[suggestion.id]
        km = haversine_km(record.lat, record.lon, item.lat, item.lon)
        ranked.append(replace(item, suggestion=suggestion, km=km))
    return sorted(ranked, key=lambda i: -(i.suggestion.score if i.suggestion else 0.0))


def _keep(item: Item, filters: Filters) -> bool:
    if filters.kinds and item.kind not in filters.kinds:
        return False
    if filters.day_part in DAYPARTS and item.slots and not any(s.endswith(f"-{filters.day_part}") for s in item.slots):
        return False  # an item without times is flexible: it fits every part of the day
    if (filters.rhythm == ONCE and item.regular) or (filters.rhythm == REGULAR and not item.regular):
        return False
    if filters.km is not None and item.km is not None and item.km > filters.km + 1e-9:
        return False
    return not (filters.suits_me and not item.suits)


def front_door(user: User | None, filters: Filters, wijken: Sequence[Wijk], zone: ZoneInfo,
               now: datetime | None = None) -> FrontDoor:
    """Everything this person could do, filtered; ranked for a volunteer with a profile, else newest first."""
    moment = now or utcnow()
    signed_in = user if user is not None and user.is_authenticated else None
    record = volunteer_record(signed_in) if signed_in is not None else None
    if record is not None and filters.km is not None:
        record = replace(record, max_distance_km=filters.km)  # the filter is the distance they will go now
    origin = signed_in.volunteer_profile.wijk if record is not None and signed_in and signed_in.volunteer_profile \
        else None
    origin = origin or (signed_in.wijk if signed_in is not None and record is not None else None) or filters.wijk
    if record is not None:
        near = _wijken_within(wijken, record.lat, record.lon, record.max_distance_km)
    elif origin is not None and filters.km is not None:
        near = _wijken_within(wijken, origin.lat, origin.lon, filters.km)
    else:
        near = None
    wanted = filters.kinds or frozenset(KINDS)
    items = _items(_requests(signed_in, near, moment) if REQUEST in wanted else [],
                   _needs(signed_in, near) if wanted & {NEED, VACANCY} else [],
                   _activities(signed_in, near, moment) if ACTIVITY in wanted else [], zone)
    if record is not None and signed_in is not None:
        found = _rank(signed_in, record, items, zone, moment)
        return FrontDoor([i for i in found if _keep(i, filters)], True, origin)
    if origin is not None:
        items = [replace(i, km=haversine_km(origin.lat, origin.lon, i.lat, i.lon)) for i in items]
    newest = sorted(items, key=lambda i: i.posted_at, reverse=True)
    return FrontDoor([i for i in newest if _keep(replace(i, suggestion=None), replace(filters, suits_me=False))],
                     False, origin)
