"""Support staff give an initiative: advice (hours), a small grant (euros) or a space, for the reports. A grant may
answer one of the initiative's money needs: the need's progress then counts it (InitiativeNeed.amount_granted), so
organisers and neighbours see how far the money is, and the report can follow the grant to what it answered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from webapp.accounts.models import User
from webapp.core.extensions import db
from webapp.initiatives import needs
from webapp.initiatives.models import Initiative, InitiativeNeed, InitiativeSupport, NeedKind, SupportKind
from webapp.initiatives.services import NotAllowed


@dataclass(frozen=True)
class SupportData:
    kind: str
    hours: float | None
    amount: int | None
    description: str
    given_on: date
    need_public_id: str | None = None  # a grant: the money need it answers


def money_needs(initiative: Initiative) -> list[InitiativeNeed]:
    """The initiative's money needs a grant can answer (also filled ones: a grant may come late)."""
    return [n for n in initiative.needs if n.kind == NeedKind.MONEY]


def record_support(staff: User, initiative: Initiative, data: SupportData) -> InitiativeSupport:
    if not staff.is_staff:
        raise NotAllowed
    if data.kind not in set(SupportKind):
        raise ValueError(data.kind)
    need = next((n for n in money_needs(initiative) if n.public_id == data.need_public_id), None) \
        if data.kind == SupportKind.GRANT and data.need_public_id else None
    if data.need_public_id and data.kind == SupportKind.GRANT and need is None:
        raise ValueError(data.need_public_id)  # not a money need of this initiative
    support = InitiativeSupport(
        initiative_id=initiative.id, staff_id=staff.id, kind=data.kind,
        hours=data.hours if data.kind == SupportKind.ADVICE else None,
        amount=data.amount if data.kind == SupportKind.GRANT else None,
        description=data.description.strip(), given_on=data.given_on, need_id=need.id if need else None,
    )
    db.session.add(support)
    if need is not None and support.amount:
        need.amount_granted += support.amount
        needs.refresh(need)
    db.session.flush()
    return support


def support_of(initiative: Initiative) -> list[InitiativeSupport]:
    return list(db.session.execute(
        select(InitiativeSupport).where(InitiativeSupport.initiative_id == initiative.id)
        .options(joinedload(InitiativeSupport.need))
        .order_by(InitiativeSupport.given_on.desc(), InitiativeSupport.id.desc())
    ).scalars())
