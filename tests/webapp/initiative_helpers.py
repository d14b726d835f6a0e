"""Factories for initiative tests: each runs in its own app context and returns plain snapshots."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from tests.factories import snapshot
from webapp.accounts.models import User
from webapp.core.extensions import db
from webapp.core.ids import utcnow
from webapp.core.reference.models import Goal, Wijk
from webapp.initiatives import activities, needs, services
from webapp.initiatives.models import Activity, Initiative, InitiativeNeed, InitiativeOrganiser

INITIATIVE_FIELDS = ("id", "public_id", "name")
NEED_FIELDS = ("id", "public_id", "title", "status")
ACTIVITY_FIELDS = ("id", "public_id", "title")


def _user(person: Any) -> User:
    user = db.session.get(User, person.id)
    assert user is not None
    return user


def _wijken(*codes: str) -> list[Wijk]:
    return list(db.session.execute(select(Wijk).where(Wijk.code.in_(codes))).scalars())


def initiative(make: Any, organiser: Any, *, name: str = "Moestuin Schalkwijk", is_organisation: bool = False,
               wijken: tuple[str, ...] = ("WK039218",), goals: tuple[int, ...] = (1, 5), status: str = "active",
               co: tuple[str, ...] = (), description: str = "Samen groente kweken in de buurt, voor iedereen.",
               confirmed: bool = True) -> Any:
    """An initiative of `organiser`; `co`: e-mail addresses of people who accepted an invitation to organise it too;
    `confirmed`: staff confirmed it (as most tests need: unconfirmed initiatives are seen by their organisers only)."""
    def build() -> Any:
        data = services.InitiativeData(
            name=name, description=description, is_organisation=is_organisation, status=status,
            wijken=_wijken(*wijken), goals=list(db.session.execute(select(Goal).where(Goal.id.in_(goals))).scalars()))
        row = services.register_initiative(_user(organiser), data)
        for email in co:
            person = db.session.execute(select(User).where(User.email == email.lower())).scalar_one()
            row.organisers.append(InitiativeOrganiser(user_id=person.id))
        if confirmed:
            row.confirmed_at = utcnow()
        db.session.commit()
        return snapshot(row, *INITIATIVE_FIELDS)
    return make.run(build)


def need(make: Any, organiser: Any, ini: Any, **overrides: Any) -> Any:
    def build() -> Any:
        row = db.session.get(Initiative, ini.id)
        data = needs.NeedData(**{"kind": "volunteers", "title": "Tuinieren op zaterdag", "skills": "tuinieren",
                                 "how_many": 2, **overrides})
        created = needs.add_need(_user(organiser), row, data)
        db.session.commit()
        return snapshot(created, *NEED_FIELDS)
    return make.run(build)


def activity(make: Any, organiser: Any, ini: Any, *, capacity: int | None = 2, title: str = "Zaaidag, met koffie",
             starts_at: datetime | None = None, place: str = "Buurthuis De Ring; zaal 2",
             needs_screening: bool = False) -> Any:
    def build() -> Any:
        row = db.session.get(Initiative, ini.id)
        start = starts_at or (utcnow() + timedelta(days=5)).replace(microsecond=0)
        data = activities.ActivityData(title=title, description="Neem handschoenen mee,\nen zin.",
                                       wijk=_wijken("WK039218")[0], place=place, starts_at=start,
                                       ends_at=start + timedelta(hours=2), capacity=capacity,
                                       needs_screening=needs_screening)
        created = activities.add_activity(_user(organiser), row, data)
        db.session.commit()
        return snapshot(created, *ACTIVITY_FIELDS)
    return make.run(build)


def need_status(make: Any, need_snapshot: Any) -> str:
    return make.run(lambda: db.session.get(InitiativeNeed, need_snapshot.id).status)


def participants(make: Any, activity_snapshot: Any) -> dict[int, str]:
    return make.run(lambda: {p.user_id: p.status for p in db.session.get(Activity, activity_snapshot.id).participants})


def skills(make: Any, person: Any, chosen: list[str], *, languages: tuple[str, ...] = ("nl",), findable: bool = True,
           availability: tuple[str, ...] = (), wijk_code: str = "WK039218", max_distance_km: float = 5.0) -> None:
    """Give a volunteer these skills (and the rest of a profile)."""
    from webapp.accounts import services as accounts

    def build() -> None:
        accounts.update_volunteer_profile(_user(person), accounts.VolunteerProfileData(
            skills=chosen, languages=list(languages), postcode="2034 AB", wijk=_wijken(wijk_code)[0],
            max_distance_km=max_distance_km, availability=list(availability), bio="",
            findable_by_organisers=findable))
        db.session.commit()
    make.run(build)
