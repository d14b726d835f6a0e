"""Posting offers, listing them, and asking a volunteer for help from an offer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from webapp.accounts.models import User, VolunteerProfile
from webapp.accounts.safeguarding import may_help, screened
from webapp.asks.models import HelpRequest, RequestStatus
from webapp.asks.services import RequestData, post_request
from webapp.core.extensions import db
from webapp.core.ids import utcnow
from webapp.core.moderation import Moderation, decide, recheck
from webapp.core.pagination import Page, paginate
from webapp.core.reference.models import Category, Wijk
from webapp.core.reference.slots import clean_slots
from webapp.notifications.services import notify
from webapp.offers.models import Offer, OfferStatus


class NotAllowed(Exception):
    pass


class NeedsScreening(Exception):
    """Help of this kind needs a certificate of conduct (VOG) that the volunteer does not have (any more)."""
class AlreadyAsked(Exception):
    """The resident already has an open question to this offer's volunteer."""

    def __init__(self, help_request: HelpRequest) -> None:
        super().__init__(help_request.public_id)
        self.help_request = help_request


@dataclass(frozen=True)
class OfferData:
    title: str
    description: str
    category: Category
    wijk: Wijk
    slots: list[str]
    languages: list[str]
    text_language: str = "nl"  # the language the title and description are written in


def post_offer(volunteer: User, data: OfferData, *, check_duplicates: bool = False, waiting: bool = False) -> Offer:
    """Post an offer; it is checked like any public text (`check_duplicates`: as for requests, from forms). Help of a
    kind that needs a certificate of conduct (VOG) is offered by screened volunteers only. `waiting`: kept until the
    volunteer confirms their e-mail address (`publish_waiting`)."""
    if not may_help(volunteer, data.category.requires_screening):
        raise NeedsScreening
    offer = Offer(
        volunteer=volunteer,
        title=data.title.strip(),
        description=data.description.strip(),
        text_language=data.text_language,
        category_key=data.category.key,
        wijk=data.wijk,
        slots=clean_slots(data.slots),
        languages=sorted(set(data.languages)),
    )
    volunteer.add_role("volunteer")
    others = db.session.execute(
        select(Offer.title, Offer.description).where(Offer.volunteer_id == volunteer.id,
                                                     Offer.status == OfferStatus.OPEN)
    ).all() if volunteer.id is not None and check_duplicates else []
    offer.moderation, flags = recheck(f"{offer.title}\n{offer.description}",
                                      others=[f"{t}\n{d}" for t, d in others], current=Moderation.OK,
                                      previous_flags=None)
    offer.moderation_flags = flags or None
    if waiting:
        offer.moderation = Moderation.WAITING
    db.session.add(offer)
    db.session.flush()
    return offer


def just_posted(volunteer: User, data: OfferData, within: timedelta = timedelta(minutes=10)) -> Offer | None:
    """The same offer this volunteer posted a moment ago (a second press of "post")."""
    return db.session.execute(
        select(Offer).where(Offer.volunteer_id == volunteer.id, Offer.title == data.title.strip(),
                            Offer.description == data.description.strip(),
                            Offer.created_at >= utcnow() - within)
        .order_by(Offer.id.desc()).limit(1)
    ).scalar_one_or_none()


def publish_waiting(volunteer: User) -> int:
    """The volunteer confirmed their e-mail address: their waiting offers go online (or to the staff queue when the
    text checks flagged them). Returns how many. (Registered in webapp/hooks.py.)"""
    waiting = db.session.execute(
        select(Offer).where(Offer.volunteer_id == volunteer.id, Offer.moderation == Moderation.WAITING)
    ).scalars().all()
    for offer in waiting:
        offer.moderation = decide(offer.moderation_flags or [])
    return len(waiting)


def can_see(viewer: User | None, offer: Offer) -> bool:
    """Held or rejected offers, and offers of blocked people, are seen only by their volunteer and staff."""
    if viewer is not None and viewer.is_authenticated and (viewer.id == offer.volunteer_id or viewer.is_staff):
        return True
    return offer.moderation == Moderation.OK and not (offer.volunteer and offer.volunteer.is_blocked)


def may_ask(offer: Offer) -> bool:
    """Residents may ask the volunteer behind this offer: the screening rule allows them on this kind of help (a VOG
    that lapsed closes the offer to questions, and to the listing)."""
    return may_help(offer.volunteer, offer.needs_screening)


def _askable() -> Any:
    """SQL: `may_ask` for every offer of a list."""
    return or_(Offer.category_key.not_in(select(Category.key).where(Category.requires_screening.is_(True))),
               Offer.volunteer_id.in_(select(VolunteerProfile.user_id).where(screened())))


def close_offer(actor: User, offer: Offer) -> None:
    if offer.volunteer_id != actor.id:
        raise NotAllowed
    offer.status = OfferStatus.CLOSED


def get_by_public_id(public_id: str) -> Offer | None:
    return db.session.execute(select(Offer).where(Offer.public_id == public_id)).scalar_one_or_none()


def list_open_offers(category: str | None, page: int, per_page: int) -> Page[Offer]:
    query = select(Offer).where(
        Offer.status == OfferStatus.OPEN, Offer.moderation == Moderation.OK,
        or_(Offer.volunteer_id.is_(None),
            Offer.volunteer_id.not_in(select(User.id).where(User.is_blocked.is_(True)))),
        _askable(),
    )
    if category:
        query = query.where(Offer.category_key == category)
    return paginate(query, page, per_page, Offer.created_at.desc(), Offer.id.desc(),
                    options=(joinedload(Offer.wijk), joinedload(Offer.category)))


def offers_of(user: User) -> list[Offer]:
    return list(db.session.execute(
        select(Offer).where(Offer.volunteer_id == user.id).order_by(Offer.created_at.desc())
    ).scalars())


TITLE_LENGTH = 80


def title_from(message: str) -> str:
    """The title of a request asked through an offer: the resident's own first words (the offer's title is the
    volunteer's words, and every question to that offer looked the same). The whole message stays the description,
    so nothing typed is lost; a long first sentence ends at a word with "…"."""
    first = " ".join(message.split())
    for end in (". ", "? ", "! "):
        if end in first:
            first = first[: first.index(end) + 1]
    if len(first) <= TITLE_LENGTH:
        return first
    cut = first[: TITLE_LENGTH - 1].rsplit(" ", 1)[0] or first[: TITLE_LENGTH - 1]
    return cut.rstrip(",;:") + "…"


def ask_volunteer(resident: User, offer: Offer, message: str, *, waiting: bool = False,
                  text_language: str = "nl") -> HelpRequest:
    """A resident asks the volunteer behind an offer. Becomes a private request the volunteer can say yes to.
    `waiting`: the resident has not confirmed their address; the volunteer hears of it once they do."""
    if (offer.status != OfferStatus.OPEN or offer.volunteer_id == resident.id or resident.wijk is None
            or not can_see(resident, offer)):
        raise NotAllowed
    if not may_ask(offer):
        raise NeedsScreening
    open_question = db.session.execute(
        select(HelpRequest).where(HelpRequest.offer_id == offer.id, HelpRequest.requester_id == resident.id,
                                  HelpRequest.status == RequestStatus.OPEN).limit(1)
    ).scalar_one_or_none()
    if open_question is not None:
        raise AlreadyAsked(open_question)
    help_request = post_request(
        resident,
        RequestData(
            title=title_from(message),
            description=message,
            category=offer.category,
            wijk=resident.wijk,
            on_date=None,
            slots=offer.slots,
            languages=offer.languages,
            is_recurring=False,
            needs_screening=False,
            text_language=text_language,
        ),
        offer_id=offer.id,
        waiting=waiting,
    )
    if help_request.moderation == Moderation.OK:  # a held question reaches the volunteer once staff approve it
        notify(offer.volunteer_id, "asked", title=help_request.title, request=help_request.public_id)
    return help_request


def asks_for_volunteer(user: User) -> list[HelpRequest]:
    """Open requests residents sent to this volunteer from one of their offers."""
    return list(
        db.session.execute(
            select(HelpRequest)
            # From the volunteer's few offers to their requests (index on offer_id), not through every open
            # request: the status is wrapped so that no planner prefers its index (SQLite has no statistics).
            .where(HelpRequest.offer_id.in_(select(Offer.id).where(Offer.volunteer_id == user.id)),
                   func.coalesce(HelpRequest.status, "").in_((RequestStatus.OPEN, RequestStatus.MATCHED)))
            # what the page shows, and what visibility.may_see reads for each
            .options(joinedload(HelpRequest.wijk), joinedload(HelpRequest.requester), joinedload(HelpRequest.offer),
                     selectinload(HelpRequest.responses))
            .order_by(HelpRequest.created_at.desc())
        ).scalars()
    )
