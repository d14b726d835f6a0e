"""Registering and finding initiatives, organisers, backing, and the support staff give. Plain arguments in.

Needs and sign-ups are in `needs.py`, activities in `activities.py`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import CursorResult, Select, and_, delete, func, or_, select, update
from sqlalchemy.orm import selectinload

import matching
from webapp.accounts.models import User
from webapp.core.access import Role
from webapp.core.audit import Action, log_action
from webapp.core.database import conflict_insert
from webapp.core.extensions import db
from webapp.core.ids import new_public_id, utcnow
from webapp.core.pagination import Page, paginate
from webapp.core.reference.models import Goal, Stadsdeel, Wijk
from webapp.core.small_counts import HIDDEN, Cell, primary, suppress
from webapp.initiatives.models import (
    Backing,
    Initiative,
    InitiativeFollower,
    InitiativeNeed,
    InitiativeOrganiser,
    InitiativeStatus,
    NeedKind,
    NeedStatus,
    initiative_goals,
    initiative_wijken,
)
from webapp.notifications.services import notify

# Initiatives that still look for people and things; ended and paused ones do not.
SEEKING = (InitiativeStatus.IDEA, InitiativeStatus.ACTIVE)


class NotAllowed(Exception):
    """This person may not do this to this initiative."""


@dataclass(frozen=True)
class InitiativeData:
    name: str
    description: str
    is_organisation: bool
    status: str
    wijken: list[Wijk]
    goals: list[Goal]
    text_language: str = "nl"  # the language the name and description are written in


def insert_ignoring_duplicates(model: Any, values: dict[str, Any], keys: list[str]) -> bool:
    """INSERT ... ON CONFLICT DO NOTHING (SQLite and PostgreSQL). True when a row was added."""
    table = model.__table__
    statement = (conflict_insert(table, db.session.get_bind()).values(**values)
                 .on_conflict_do_nothing(index_elements=keys)
                 .returning(*table.primary_key.columns))
    return db.session.execute(statement).first() is not None


def can_edit(user: User | None, initiative: Initiative) -> bool:
    return initiative.is_organiser(user)


def initiative_record(initiative: Initiative, needs: Sequence[InitiativeNeed] | None = None) -> matching.Initiative:
    """The engine's view: the centre of its wijken, its goals, and the text of its open needs."""
    wijken = initiative.wijken
    lat = sum(w.lat for w in wijken) / len(wijken) if wijken else 52.381
    lon = sum(w.lon for w in wijken) / len(wijken) if wijken else 4.637
    chosen = initiative.needs if needs is None else needs
    return matching.Initiative(
        id=initiative.public_id, name=initiative.name, lat=lat, lon=lon, description=initiative.description,
        goals=tuple(g.id for g in initiative.goals), needs=tuple(need_text(n) for n in chosen if n.is_open),
    )


def need_text(need: InitiativeNeed) -> str:
    return " ".join(part for part in (need.title, need.skills) if part).strip()


def _encode(initiative: Initiative) -> None:
    initiative.match_features = matching.encode_initiative(initiative_record(initiative)).to_dict()


def register_initiative(organiser: User, data: InitiativeData) -> Initiative:
    if not organiser.has_role(Role.ORGANISER):
        raise NotAllowed
    initiative = Initiative(public_id=new_public_id(), created_by_id=organiser.id)  # the id goes into messages
    initiative.organisers.append(InitiativeOrganiser(user_id=organiser.id, is_owner=True))
    _apply(initiative, data)
    db.session.add(initiative)
    db.session.flush()
    return initiative


def edit_initiative(editor: User, initiative: Initiative, data: InitiativeData) -> None:
    if not can_edit(editor, initiative):
        raise NotAllowed
    _apply(initiative, data)
    db.session.flush()


def _apply(initiative: Initiative, data: InitiativeData) -> None:
    """Co-organisers are not set here: they are invited and join when they accept (organisers.py)."""
    initiative.name = data.name.strip()
    initiative.description = data.description.strip()
    initiative.text_language = data.text_language
    initiative.is_organisation = data.is_organisation
    initiative.status = data.status if data.status in set(InitiativeStatus) else InitiativeStatus.IDEA
    initiative.wijken = list(data.wijken)
    initiative.goals = sorted(data.goals, key=lambda g: g.id)
    _encode(initiative)


def correct_goals(staff: User, initiative: Initiative, goals: Sequence[Goal]) -> None:
    """Staff correct the societal goals an initiative serves (what funding is judged on)."""
    if not staff.is_staff:
        raise NotAllowed
    initiative.goals = sorted(goals, key=lambda g: g.id)
    _encode(initiative)
    db.session.flush()


def is_listed() -> Any:
    """The filter for initiatives and their needs in listings, suggestions and e-mail: confirmed by staff, and at
    least one organiser not blocked by staff (as requests of blocked people leave the listings)."""
    return and_(Initiative.confirmed_at.is_not(None), Initiative.id.in_(
        select(InitiativeOrganiser.initiative_id).join(User, User.id == InitiativeOrganiser.user_id)
        .where(User.is_blocked.is_(False))))


def is_hidden(initiative: Initiative) -> bool:
    """The blocking half of the rule for one loaded initiative: every organiser is blocked (only staff see it)."""
    return not any(o.user is not None and not o.user.is_blocked for o in initiative.organisers)


def is_public(initiative: Initiative) -> bool:
    """`is_listed` for one loaded initiative: anyone may open its page and its calendar."""
    return initiative.is_confirmed and not is_hidden(initiative)


def may_see(viewer: Any, initiative: Initiative) -> bool:
    """Its page: everyone when it is public; its organisers also before staff confirmed it; staff always."""
    if viewer is not None and getattr(viewer, "is_authenticated", False) and viewer.is_staff:
        return True
    if is_hidden(initiative):
        return False
    return initiative.is_confirmed or initiative.is_organiser(viewer)


def confirm_initiative(staff: User, initiative: Initiative) -> bool:
    """Staff confirm an initiative: from now on it is public, may invite co-organisers and sees suggested
    volunteers. The organisers hear it; the audit log says who confirmed. False when it was confirmed already
    (two staff members at once: one confirmation)."""
    if not staff.is_staff:
        raise NotAllowed
    changed = int(cast(CursorResult[Any], db.session.execute(
        update(Initiative).where(Initiative.id == initiative.id, Initiative.confirmed_at.is_(None))
        .values(confirmed_at=utcnow(), confirmed_by_id=staff.id)
        .execution_options(synchronize_session=False))).rowcount)
    if changed != 1:
        return False
    db.session.refresh(initiative)
    log_action(staff, Action.CONFIRM_INITIATIVE, "initiative", initiative.public_id)
    for organiser in initiative.organisers:
        notify(organiser.user_id, "initiative_confirmed", name=initiative.name, initiative=initiative.public_id)
    return True


def to_confirm() -> list[Initiative]:
    """Initiatives waiting for staff, oldest first (blocked organisers' ones too: staff decide about those)."""
    return list(db.session.execute(
        select(Initiative).where(Initiative.confirmed_at.is_(None))
        .options(selectinload(Initiative.wijken),
                 selectinload(Initiative.organisers).joinedload(InitiativeOrganiser.user))
        .order_by(Initiative.created_at, Initiative.id)
    ).scalars())


def to_confirm_count() -> int:
    return int(db.session.execute(
        select(func.count()).select_from(Initiative).where(Initiative.confirmed_at.is_(None))).scalar_one())


def get_initiative(public_id: str) -> Initiative | None:
    return db.session.execute(
        select(Initiative).where(Initiative.public_id == public_id).options(
            selectinload(Initiative.wijken), selectinload(Initiative.goals),
            selectinload(Initiative.organisers).joinedload(InitiativeOrganiser.user),
            selectinload(Initiative.needs).selectinload(InitiativeNeed.signups),
        )
    ).scalar_one_or_none()


def card() -> tuple[Any, ...]:
    """What an initiative's card shows, loaded with the list (a list of cards is two more queries, not one a card)."""
    return selectinload(Initiative.wijken), selectinload(Initiative.needs)


def initiatives_of(user: User) -> list[Initiative]:
    return list(db.session.execute(
        select(Initiative).join(InitiativeOrganiser, InitiativeOrganiser.initiative_id == Initiative.id)
        .where(InitiativeOrganiser.user_id == user.id).options(*card()).order_by(Initiative.name)
    ).scalars())


# -- finding initiatives and needs ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Filters:
    text: str = ""
    wijk_id: int | None = None
    goal_id: int | None = None
    kind: str | None = None              # needs only
    organisations_only: bool = False
    include_ended: bool = False          # initiatives only


def _like(text: str) -> str:
    escaped = text.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _initiative_filters(query: Select[Any], filters: Filters) -> Select[Any]:
    if filters.wijk_id:
        query = query.where(Initiative.id.in_(
            select(initiative_wijken.c.initiative_id).where(initiative_wijken.c.wijk_id == filters.wijk_id)))
    if filters.goal_id:
        query = query.where(Initiative.id.in_(
            select(initiative_goals.c.initiative_id).where(initiative_goals.c.goal_id == filters.goal_id)))
    if filters.organisations_only:
        query = query.where(Initiative.is_organisation.is_(True))
    return query


def search_initiatives(filters: Filters, page: int = 1, per_page: int = 20) -> Page:
    query = select(Initiative).where(is_listed())
    if not filters.include_ended:
        query = query.where(Initiative.status != InitiativeStatus.ENDED)
    if filters.text:
        pattern = _like(filters.text)
        query = query.where(or_(func.lower(Initiative.name).like(pattern, escape="\\"),
                                func.lower(Initiative.description).like(pattern, escape="\\")))
    query = _initiative_filters(query, filters).options(selectinload(Initiative.wijken), selectinload(Initiative.needs))
    return paginate(query, page, per_page, Initiative.name, Initiative.id)


def search_needs(filters: Filters, page: int = 1, per_page: int = 20) -> Page:
    """Open needs of initiatives that are looking ("Hulp gezocht"); with organisations_only and kind volunteers,
    these are the city's volunteer vacancies."""
    query = (select(InitiativeNeed).join(Initiative, Initiative.id == InitiativeNeed.initiative_id)
             .where(InitiativeNeed.status != NeedStatus.FILLED, Initiative.status.in_(SEEKING), is_listed()))
    if filters.kind in set(NeedKind):
        query = query.where(InitiativeNeed.kind == filters.kind)
    if filters.text:
        pattern = _like(filters.text)
        query = query.where(or_(*(func.lower(column).like(pattern, escape="\\") for column in (
            InitiativeNeed.title, InitiativeNeed.description, InitiativeNeed.skills, Initiative.name))))
    query = _initiative_filters(query, filters).options(
        selectinload(InitiativeNeed.initiative).selectinload(Initiative.wijken),
        selectinload(InitiativeNeed.signups))
    return paginate(query, page, per_page, InitiativeNeed.created_at.desc(), InitiativeNeed.id.desc())


# -- backing ----------------------------------------------------------------------------------------------------------

def back(user: User, initiative: Initiative) -> bool:
    """Back an initiative. Once per person: a second click (or two at once) adds nothing. True if new. Its own
    organisers may not: backing is how neighbours say they want it."""
    if initiative.is_organiser(user):
        raise NotAllowed
    added = insert_ignoring_duplicates(Backing, {"initiative_id": initiative.id, "user_id": user.id},
                                       ["initiative_id", "user_id"])
    if added:  # backers hear its news (they can stop following)
        insert_ignoring_duplicates(InitiativeFollower, {"initiative_id": initiative.id, "user_id": user.id,
                                                        "created_at": utcnow()}, ["initiative_id", "user_id"])
    return added


def withdraw_backing(user: User, initiative: Initiative) -> bool:
    """Take one's backing back (the count goes down by one). True when there was one. Following stays as it was."""
    removed = db.session.execute(delete(Backing).where(Backing.initiative_id == initiative.id,
                                                       Backing.user_id == user.id)
                                 .execution_options(synchronize_session=False))
    return int(cast(CursorResult[Any], removed).rowcount) > 0


def backed_by(user: User) -> list[Initiative]:
    return list(db.session.execute(
        select(Initiative).join(Backing, Backing.initiative_id == Initiative.id)
        .where(Backing.user_id == user.id).options(*card()).order_by(Initiative.name)).scalars())


def backing_count(initiative: Initiative) -> int:
    return db.session.execute(
        select(func.count()).select_from(Backing).where(Backing.initiative_id == initiative.id)
    ).scalar_one()


def has_backed(user: User | None, initiative: Initiative) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return db.session.execute(
        select(func.count()).select_from(Backing).where(Backing.initiative_id == initiative.id,
                                                        Backing.user_id == user.id)
    ).scalar_one() > 0


@dataclass(frozen=True)
class BackingRow:
    name: str
    initiatives: int       # initiatives active in this area (public: not about a person)
    backings: Cell         # backings of those initiatives
    backers_living_here: Cell


@dataclass(frozen=True)
class BackingArea:
    stadsdeel: BackingRow
    wijken: list[BackingRow]


@dataclass(frozen=True)
class BackingOverview:
    areas: list[BackingArea]


def backing_overview(min_cell: int) -> BackingOverview:
    """For staff: per stadsdeel and wijk, how many initiatives, how much backing, and backers who live there. Counts of
    people follow the reports' small-number rule (webapp.core.small_counts): 1 to min_cell - 1 show as "<5".

    Backers living here add up (each person lives in one wijk): wijken to their stadsdeel, stadsdelen to the city, so
    a part that would give a small one away is hidden too, and a hidden stadsdeel hides its wijken. Backings of the
    initiatives in an area do not add up (an initiative in two wijken counts in both), so they are suppressed one by
    one."""
    places = db.session.execute(
        select(initiative_wijken.c.initiative_id, Wijk.id, Wijk.stadsdeel_id)
        .join(Wijk, Wijk.id == initiative_wijken.c.wijk_id)
    ).all()
    backings: dict[int, int] = {int(i): int(n) for i, n in db.session.execute(
        select(Backing.initiative_id, func.count()).group_by(Backing.initiative_id)).all()}
    living = db.session.execute(
        select(User.wijk_id, Wijk.stadsdeel_id, func.count(func.distinct(Backing.user_id)))
        .join(User, User.id == Backing.user_id).join(Wijk, Wijk.id == User.wijk_id)
        .group_by(User.wijk_id, Wijk.stadsdeel_id)
    ).all()
    per_wijk: dict[int, set[int]] = {}
    per_stadsdeel: dict[int, set[int]] = {}
    for initiative_id, wijk_id, stadsdeel_id in places:
        per_wijk.setdefault(wijk_id, set()).add(initiative_id)
        per_stadsdeel.setdefault(stadsdeel_id, set()).add(initiative_id)
    living_wijk = {wijk_id: int(n) for wijk_id, _s, n in living}
    living_stadsdeel: dict[int, int] = {}
    for _w, stadsdeel_id, n in living:
        living_stadsdeel[stadsdeel_id] = living_stadsdeel.get(stadsdeel_id, 0) + int(n)

    stadsdelen = list(db.session.execute(
        select(Stadsdeel).options(selectinload(Stadsdeel.wijken)).order_by(Stadsdeel.name)).scalars())
    city, _shown = suppress({s.id: living_stadsdeel.get(s.id, 0) for s in stadsdelen}, min_cell)

    def backed(ids: set[int]) -> Cell:
        return primary(sum(backings.get(i, 0) for i in ids), min_cell)

    areas = []
    for stadsdeel in stadsdelen:
        total = city[stadsdeel.id]
        wijken, _shown = suppress({w.id: living_wijk.get(w.id, 0) for w in stadsdeel.wijken}, min_cell)
        if total.state == HIDDEN:  # its wijken would add up to it
            wijken = {k: c if c.value == 0 or not c.shown else Cell(c.value, HIDDEN) for k, c in wijken.items()}
        areas.append(BackingArea(
            stadsdeel=BackingRow(stadsdeel.name, len(per_stadsdeel.get(stadsdeel.id, set())),
                                 backed(per_stadsdeel.get(stadsdeel.id, set())), total),
            wijken=[BackingRow(w.name, len(per_wijk.get(w.id, set())), backed(per_wijk.get(w.id, set())),
                               wijken[w.id]) for w in stadsdeel.wijken],
        ))
    return BackingOverview(areas)
