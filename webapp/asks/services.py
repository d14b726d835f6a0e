"""Posting, answering and closing help requests.

Every state change that two people could make at once is a conditional UPDATE checked by its row count,
so two acceptances at the same moment produce exactly one match.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, cast

from flask import current_app
from sqlalchemy import CursorResult, Select, Update, and_, func, select, update
from sqlalchemy.orm import joinedload, selectinload

from webapp.accounts.models import User
from webapp.accounts.safeguarding import may_help
from webapp.asks import events, visibility
from webapp.asks.models import HelpRequest, Match, RequestStatus, Response, ResponseStatus
from webapp.core.audit import Action, log_action
from webapp.core.extensions import db
from webapp.core.ids import utcnow
from webapp.core.moderation import Flag, Moderation, decide, recheck
from webapp.core.pagination import Page, paginate
from webapp.core.reference.models import Category, Wijk
from webapp.core.reference.slots import clean_slots
from webapp.core.signals import request_published
from webapp.core.text_features import encode_help_request, practises_dutch
from webapp.notifications.services import notify


class NotAllowed(Exception):
    """The person may not do this to this request."""


class NoLongerOpen(Exception):
    """The request was matched, cancelled or expired in the meantime."""


class AlreadyResponded(Exception):
    pass


class NeedsScreening(Exception):
    """The request needs a certificate of conduct (VOG) that this helper does not have (or no longer has)."""


class HelperGone(Exception):
    """The chosen response is no longer pending, or its volunteer deleted their account or was blocked, meanwhile."""


class AlreadyThanked(Exception):
    """This side of the match already said thanks and recorded its hours."""


@dataclass(frozen=True)
class RequestData:
    title: str
    description: str
    category: Category
    wijk: Wijk
    on_date: date | None
    slots: list[str]
    languages: list[str]
    is_recurring: bool
    needs_screening: bool
    text_language: str = "nl"  # the language the title and description are written in


def _rows_changed(statement: Update) -> int:
    """Run a conditional UPDATE and return how many rows it changed."""
    result = cast(CursorResult[Any], db.session.execute(statement))
    return int(result.rowcount)


def _apply(help_request: HelpRequest, data: RequestData) -> None:
    help_request.title = data.title.strip()
    help_request.description = data.description.strip()
    help_request.text_language = data.text_language
    help_request.category = data.category
    help_request.category_key = data.category.key
    help_request.wijk = data.wijk
    help_request.on_date = data.on_date
    help_request.slots = clean_slots(data.slots)
    help_request.languages = sorted(set(data.languages))
    help_request.is_recurring = data.is_recurring
    # Sensitive categories always need a screened volunteer; the poster may ask for one in any category.
    needs_screening = data.needs_screening or data.category.requires_screening
    if needs_screening and help_request.id is not None and not help_request.needs_screening:
        help_request.screening_required_at = utcnow()  # an edit made it sensitive
    help_request.needs_screening = needs_screening
    help_request.match_features = encode_help_request(help_request)
    if practises_dutch(help_request.match_features) and "nl" not in help_request.languages:
        # Someone who wants to practise Dutch speaks some: with Dutch listed, every Dutch speaker can help, not only
        # those who also speak their other language (the form says so).
        help_request.languages = sorted({*help_request.languages, "nl"})


def _check_text(help_request: HelpRequest, *, check_duplicates: bool) -> None:
    """The automatic checks before a request goes public: personal data, links, abuse, spam and (for what people
    type in a form) near-duplicates of the same person's open requests. A request with a flag is held for staff;
    the poster sees what to remove."""
    requester_id = help_request.requester.id if help_request.requester else help_request.requester_id
    others = [] if requester_id is None or not check_duplicates else db.session.execute(
        select(HelpRequest.title, HelpRequest.description).where(
            HelpRequest.requester_id == requester_id,
            HelpRequest.status == RequestStatus.OPEN,
            HelpRequest.moderation != Moderation.REJECTED,  # posting it again, fixed, is no duplicate
            HelpRequest.id != (help_request.id or 0),
        )
    ).all()
    help_request.moderation, flags = recheck(
        f"{help_request.title}\n{help_request.description}",
        others=[f"{title}\n{description}" for title, description in others],
        current=help_request.moderation or Moderation.OK,
        previous_flags=help_request.moderation_flags,
    )
    help_request.moderation_flags = flags or None


def speaks_for(user: User | None, help_request: HelpRequest) -> bool:
    """The requester, or the staff member who took the request in for them and acts as their contact."""
    if user is None or not user.is_authenticated:
        return False
    return user.id == help_request.requester_id or (
        help_request.contact_staff_id is not None and user.id == help_request.contact_staff_id)


def requester_side_id(help_request: HelpRequest) -> int | None:
    """Who hears news for the requester: the staff contact of an assisted intake, else the requester."""
    return help_request.contact_staff_id or help_request.requester_id


def _published(help_request: HelpRequest) -> None:
    """Tell whoever listens (the suggestions feature: volunteers' lists, see webapp/hooks.py) that the request is
    public now; a request held by the checks or sent to one volunteer's offer is not."""
    if help_request.moderation == Moderation.OK and help_request.offer_id is None and help_request.is_open:
        request_published.send(help_request)


def post_request(requester: User, data: RequestData, *, offer_id: int | None = None,
                 contact_staff_id: int | None = None, check_duplicates: bool = False,
                 waiting: bool = False) -> HelpRequest:
    """Post a request. `check_duplicates`: also hold it when it repeats an open request of the same person (the
    web forms ask for this; imports and scripts that post a series on purpose do not). `waiting`: the poster has
    not confirmed their e-mail address yet; the request is kept and goes online then (`publish_waiting`)."""
    help_request = HelpRequest(
        requester=requester,
        offer_id=offer_id,
        expires_at=utcnow() + timedelta(days=current_app.config["REQUEST_EXPIRY_DAYS"]),
        contact_staff_id=contact_staff_id,
    )
    _apply(help_request, data)
    _check_text(help_request, check_duplicates=check_duplicates)
    if waiting:
        help_request.moderation = Moderation.WAITING
    db.session.add(help_request)
    db.session.flush()
    _published(help_request)
    return help_request


def just_posted(requester: User, data: RequestData, within: timedelta = timedelta(minutes=10)) -> HelpRequest | None:
    """The same request (title and text) this person posted a moment ago: a second press of "post" (a double
    click, a reload) shows that one instead of posting it twice."""
    return db.session.execute(
        select(HelpRequest).where(HelpRequest.requester_id == requester.id, HelpRequest.offer_id.is_(None),
                                  HelpRequest.title == data.title.strip(),
                                  HelpRequest.description == data.description.strip(),
                                  HelpRequest.created_at >= utcnow() - within)
        .order_by(HelpRequest.id.desc()).limit(1)
    ).scalar_one_or_none()


def publish_waiting(requester: User) -> int:
    """The poster confirmed their e-mail address: their waiting requests go online (or to the staff queue when the
    text checks flagged them), with their full time to find a helper from now. A question asked through an offer
    reaches its volunteer now. Returns how many. (Registered in webapp/hooks.py.)"""
    waiting = db.session.execute(
        select(HelpRequest).where(HelpRequest.requester_id == requester.id,
                                  HelpRequest.moderation == Moderation.WAITING)
    ).scalars().all()
    for help_request in waiting:
        help_request.moderation = decide(help_request.moderation_flags or [])
        help_request.expires_at = utcnow() + timedelta(days=current_app.config["REQUEST_EXPIRY_DAYS"])
        if help_request.moderation == Moderation.OK and help_request.offer is not None and help_request.is_open:
            notify(help_request.offer.volunteer_id, "asked", title=help_request.title,
                   request=help_request.public_id)
        _published(help_request)
    return len(waiting)


def edit_request(editor: User, help_request: HelpRequest, data: RequestData, *,
                 check_duplicates: bool = False, may_publish: bool = False) -> int:
    """Change an open request. When it now needs a certificate of conduct (VOG), the waiting responses of
    volunteers without one are closed, and they get a kind message that names no more than the wijk (they may no
    longer read the request). Returns how many were closed. `may_publish`: the editor's address is confirmed, so a
    request still waiting (written before it was confirmed by a new password, see webapp.accounts.confirmation)
    goes online now that they saved it."""
    if not speaks_for(editor, help_request):
        raise NotAllowed
    if not help_request.is_open:
        raise NoLongerOpen
    was_rejected = help_request.moderation == Moderation.REJECTED
    _apply(help_request, data)
    _check_text(help_request, check_duplicates=check_duplicates)
    if was_rejected:  # fixed by its poster: back to staff, who rejected it once, to look at again
        help_request.moderation = Moderation.HELD
        help_request.moderation_flags = sorted({*(help_request.moderation_flags or ()), Flag.RESUBMITTED})
    if may_publish and help_request.moderation == Moderation.WAITING:
        help_request.moderation = decide(help_request.moderation_flags or [])
    db.session.flush()  # the UPDATE holds the row: a response arriving now waits, then sees the new rule
    _published(help_request)
    return close_unscreened_responses(help_request)


def close_unscreened_responses(help_request: HelpRequest) -> int:
    """Close the waiting responses of volunteers the screening rule no longer allows on this request."""
    if not help_request.needs_screening:
        return 0
    db.session.refresh(help_request, ["responses"])
    closed = 0
    for response in help_request.responses:
        if response.status == ResponseStatus.PENDING and not may_help(response.volunteer,
                                                                        help_request.needs_screening):
            response.status = ResponseStatus.NEEDS_SCREENING
            notify(response.volunteer_id, "response_closed_screening", name=help_request.wijk.name)
            closed += 1
    return closed


def cancel_request(actor: User, help_request: HelpRequest) -> None:
    if not speaks_for(actor, help_request):
        raise NotAllowed
    changed = _rows_changed(
        update(HelpRequest)
        .where(HelpRequest.id == help_request.id, HelpRequest.status == RequestStatus.OPEN)
        .values(status=RequestStatus.CANCELLED, closed_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if changed != 1:
        raise NoLongerOpen
    db.session.refresh(help_request)
    for response in help_request.responses:
        if response.status == ResponseStatus.PENDING:
            notify(response.volunteer_id, "request_cancelled", title=help_request.title,
                   request=help_request.public_id)


def respond(volunteer: User, help_request: HelpRequest, message: str, text_language: str = "nl") -> Response:
    if help_request.offer_id is not None or not visibility.may_see(volunteer, help_request):
        raise NotAllowed
    if any(r.volunteer_id == volunteer.id for r in help_request.responses):
        raise AlreadyResponded
    if not visibility.may_respond(volunteer, help_request):
        raise NoLongerOpen if not help_request.is_open else NotAllowed
    _claim_open(help_request)
    db.session.refresh(help_request)  # as it is now that the row is ours: edited into a VOG category meanwhile?
    if not may_help(volunteer, help_request.needs_screening):
        raise NeedsScreening
    if db.session.execute(select(func.count()).where(
            Response.request_id == help_request.id, Response.volunteer_id == volunteer.id)).scalar_one():
        raise AlreadyResponded  # a second click that went through at the same moment
    response = Response(help_request=help_request, volunteer=volunteer, message=message.strip(),
                        text_language=text_language)
    db.session.add(response)
    db.session.flush()
    events.record(volunteer.id, help_request.id, "responded")
    notify(requester_side_id(help_request), "new_response", title=help_request.title,
           request=help_request.public_id)
    return response


def _claim_open(help_request: HelpRequest) -> None:
    """Lock the open request's row before adding a response to it, so two people acting on it at once go one
    after the other and the second sees what the first did (instead of hitting a unique constraint)."""
    changed = _rows_changed(
        update(HelpRequest)
        .where(HelpRequest.id == help_request.id, HelpRequest.status == RequestStatus.OPEN)
        .values(updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if changed != 1:
        raise NoLongerOpen


def _close_as_matched(help_request: HelpRequest, response: Response) -> Match:
    """open → matched, and this response pending → accepted, both conditional: NoLongerOpen when the request was
    closed meanwhile, HelperGone when the response is no longer pending or its volunteer no longer exists (an
    account deleted at this very moment withdraws its pending responses the same way; see webapp.privacy)."""
    changed = _rows_changed(
        update(HelpRequest)
        .where(HelpRequest.id == help_request.id, HelpRequest.status == RequestStatus.OPEN)
        .values(status=RequestStatus.MATCHED, closed_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if changed != 1:
        raise NoLongerOpen
    # The request's row is ours now: check the helper against the request as it is (it may have been edited into a
    # VOG category a moment ago). The caller rolls back on any of these exceptions: the request stays open.
    db.session.refresh(help_request)
    db.session.refresh(response)
    if not may_help(response.volunteer, help_request.needs_screening):
        raise NeedsScreening
    taken = _rows_changed(
        update(Response)
        .where(Response.id == response.id, Response.status == ResponseStatus.PENDING,
               Response.volunteer_id.in_(select(User.id).where(User.is_blocked.is_(False))))
        .values(status=ResponseStatus.ACCEPTED)
        .execution_options(synchronize_session=False)
    )
    if taken != 1:
        raise HelperGone
    # Responses that came in after the page was loaded are closed too, not left pending.
    db.session.refresh(help_request, ["responses"])
    db.session.refresh(response)
    match = Match(help_request=help_request, response=response, volunteer_id=response.volunteer_id)
    db.session.add(match)
    for other in help_request.responses:
        if other.id != response.id and other.status == ResponseStatus.PENDING:
            other.status = ResponseStatus.NOT_CHOSEN
            notify(other.volunteer_id, "not_chosen", title=help_request.title, request=help_request.public_id)
    db.session.flush()
    db.session.refresh(help_request)
    return match


def correct_text(help_request: HelpRequest, title: str, description: str) -> list[str]:
    """Staff change the text of a held request (strike a phone number). Returns the fields that changed."""
    changed = [name for name, value in (("title", title.strip()), ("description", description.strip()))
               if getattr(help_request, name) != value]
    help_request.title, help_request.description = title.strip(), description.strip()
    help_request.match_features = encode_help_request(help_request)
    return changed


def accept_response(actor: User, help_request: HelpRequest, response_public_id: str) -> Match:
    if not speaks_for(actor, help_request):
        raise NotAllowed
    response = next((r for r in help_request.responses if r.public_id == response_public_id), None)
    if response is None:
        raise NotAllowed
    if not help_request.is_open:
        raise NoLongerOpen  # chosen a moment ago (in another tab, or by the staff contact)
    if not may_help(response.volunteer, help_request.needs_screening):
        raise NeedsScreening  # their VOG lapsed after they responded
    match = _close_as_matched(help_request, response)  # NoLongerOpen, HelperGone: what is stored decides
    if actor.id != help_request.requester_id:  # the staff contact chose for the resident they took in
        log_action(actor, Action.CHOOSE_HELPER, "request", help_request.public_id,
                   volunteer=response.volunteer.public_id if response.volunteer else "")
    events.record(response.volunteer_id, help_request.id, "accepted")
    notify(response.volunteer_id, "accepted", title=help_request.title, request=help_request.public_id)
    return match


def agree_to_ask(volunteer: User, help_request: HelpRequest, message: str = "", text_language: str = "nl") -> Match:
    """A volunteer says yes to a resident who asked them directly from their offer."""
    if help_request.offer is None or help_request.offer.volunteer_id != volunteer.id:
        raise NotAllowed
    if not may_help(volunteer, help_request.needs_screening):
        raise NotAllowed
    _claim_open(help_request)
    response = Response(help_request=help_request, volunteer=volunteer, message=message.strip(),
                        text_language=text_language)
    db.session.add(response)
    db.session.flush()
    match = _close_as_matched(help_request, response)
    notify(requester_side_id(help_request), "ask_agreed", title=help_request.title,
           request=help_request.public_id)
    return match


def decline_ask(volunteer: User, help_request: HelpRequest) -> None:
    """A volunteer says no to a resident who asked them directly from their offer: the question closes (a
    conditional update: after a yes, or a second click, NoLongerOpen) and the resident hears they can ask someone
    else."""
    if help_request.offer is None or help_request.offer.volunteer_id != volunteer.id:
        raise NotAllowed
    if not close_question(help_request):
        raise NoLongerOpen
    notify(requester_side_id(help_request), "ask_closed", title=help_request.title,
           request=help_request.public_id)


def is_party(user: User | None, help_request: HelpRequest) -> bool:
    """Requester (or their staff contact) or matched volunteer: the people who see each other's contact details."""
    if user is None or not user.is_authenticated or help_request.match is None:
        return False
    return speaks_for(user, help_request) or user.id == help_request.match.volunteer_id


def contact_details_visible(help_request: HelpRequest, now: datetime | None = None) -> bool:
    """Whether the two sides of a match see each other's contact details (full name, e-mail, phone): while the
    match is live, and for CONTACT_GRACE_DAYS after the help was marked done; never after it was ended otherwise
    (a cancellation, a block, a hand-over to a professional). Who may see them at all: `is_party`."""
    match = help_request.match
    if match is None:
        return False
    if help_request.status == RequestStatus.MATCHED:
        return True
    if help_request.status != RequestStatus.DONE or match.done_at is None:
        return False
    grace = timedelta(days=int(current_app.config.get("CONTACT_GRACE_DAYS", 14)))
    return (now or utcnow()) < match.done_at + grace


def end_match(help_request: HelpRequest, now: datetime | None = None) -> bool:
    """Close a matched request as cancelled (the volunteer centre ended it), as a conditional UPDATE: True when this
    call ended it. The match row stays (it counts as a match in the reports); contact details are no longer shown."""
    changed = _rows_changed(
        update(HelpRequest)
        .where(HelpRequest.id == help_request.id, HelpRequest.status == RequestStatus.MATCHED)
        .values(status=RequestStatus.CANCELLED, closed_at=now or utcnow())
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(help_request)
    return changed == 1


def close_question(help_request: HelpRequest, now: datetime | None = None) -> bool:
    """Close an open request (a question asked through an offer that can no longer be answered) as cancelled, as a
    conditional UPDATE: True when this call closed it."""
    changed = _rows_changed(
        update(HelpRequest)
        .where(HelpRequest.id == help_request.id, HelpRequest.status == RequestStatus.OPEN)
        .values(status=RequestStatus.CANCELLED, closed_at=now or utcnow())
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(help_request)
    return changed == 1


def mark_done(actor: User, help_request: HelpRequest) -> None:
    if not is_party(actor, help_request):
        raise NotAllowed
    changed = _rows_changed(
        update(HelpRequest)
        .where(HelpRequest.id == help_request.id, HelpRequest.status == RequestStatus.MATCHED)
        .values(status=RequestStatus.DONE)
        .execution_options(synchronize_session=False)
    )
    if changed != 1:
        raise NoLongerOpen
    assert help_request.match is not None
    help_request.match.done_at = utcnow()
    events.record(help_request.match.volunteer_id, help_request.id, "completed")
    db.session.refresh(help_request)
    other = help_request.match.volunteer_id if speaks_for(actor, help_request) else requester_side_id(help_request)
    notify(other, "done", title=help_request.title, request=help_request.public_id)


def say_thanks(actor: User, help_request: HelpRequest, message: str, hours: float | None) -> None:
    """Each side says thanks and records hours once (a second click, or a second try, raises AlreadyThanked and
    tells nobody anything). The hours that count are the requester's, else the volunteer's, unless staff
    corrected them (`correct_hours`)."""
    if not is_party(actor, help_request) or help_request.status != RequestStatus.DONE:
        raise NotAllowed
    match = help_request.match
    assert match is not None
    is_requester = speaks_for(actor, help_request)
    side = "requester" if is_requester else "volunteer"
    recorded = _rows_changed(
        update(Match)
        .where(Match.id == match.id, getattr(Match, f"{side}_thanked_at").is_(None))
        .values({f"{side}_thanked_at": utcnow(), f"{side}_thanks": message.strip(), f"{side}_hours": hours})
        .execution_options(synchronize_session=False)
    )
    if recorded != 1:
        raise AlreadyThanked
    if is_requester:
        events.record(match.volunteer_id, help_request.id, "thanked")
    db.session.execute(
        update(Match)
        .where(Match.id == match.id, Match.hours_corrected_at.is_(None))
        .values(hours=func.coalesce(Match.requester_hours, Match.volunteer_hours, Match.hours))
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(match)
    other = match.volunteer_id if is_requester else requester_side_id(help_request)
    notify(other, "thanks", title=help_request.title, request=help_request.public_id)


def correct_hours(help_request: HelpRequest, hours: float | None) -> tuple[float | None, float | None]:
    """Staff set the hours that count for a match (after talking to both sides). Returns (before, after); the
    caller writes the audit entry."""
    match = help_request.match
    if match is None or help_request.status != RequestStatus.DONE:
        raise NotAllowed
    before = match.hours
    match.hours = hours
    match.hours_corrected_at = utcnow()
    return before, hours


def expire_requests() -> int:
    """Close open requests whose time has passed. Returns how many. Idempotent."""
    now = utcnow()
    return (
        _rows_changed(
            update(HelpRequest)
            .where(HelpRequest.status == RequestStatus.OPEN, HelpRequest.expires_at <= now)
            .values(status=RequestStatus.EXPIRED, closed_at=now)
            .execution_options(synchronize_session=False)
        )
    )


def close_for_handover(help_request: HelpRequest, *, hidden: bool = False) -> None:
    """Staff hand the request over to a professional partner: it leaves the listing; waiting responders hear it
    is closed; a matched helper hears kindly that their help is no longer needed (and the two no longer see each
    other's contact details). Open or matched requests only.

    `hidden`: the resident is not told (a Veilig Thuis hand-over, notice held back). Their pages then show the
    request as closed (`resident_status`), and the matched helper, a neighbour, hears only that the volunteer
    centre closed it, not that a professional took it on."""
    was_matched = help_request.status == RequestStatus.MATCHED
    changed = _rows_changed(
        update(HelpRequest)
        .where(HelpRequest.id == help_request.id,
               HelpRequest.status.in_((RequestStatus.OPEN, RequestStatus.MATCHED)))
        .values(status=RequestStatus.HANDED_OVER, closed_at=utcnow(), is_handover_hidden=hidden)
        .execution_options(synchronize_session=False)
    )
    if changed != 1:
        raise NoLongerOpen
    db.session.refresh(help_request)
    for response in help_request.responses:
        if response.status == ResponseStatus.PENDING:
            response.status = ResponseStatus.NOT_CHOSEN
            notify(response.volunteer_id, "request_closed", title=help_request.title,
                   request=help_request.public_id)
    if was_matched and help_request.match is not None:
        notify(help_request.match.volunteer_id, "helper_request_closed" if hidden else "helper_handed_over",
               title=help_request.title, request=help_request.public_id)


def resident_status(help_request: HelpRequest) -> str:
    """The status the resident (and anyone using their login) is shown: "closed" for a hand-over they are not told
    about, so nothing on their pages, in their messages or in their data download reveals it; else the status."""
    if help_request.status == RequestStatus.HANDED_OVER and help_request.is_handover_hidden:
        return "closed"
    return str(help_request.status)


def get_many_by_public_id(public_ids: list[str]) -> list[HelpRequest]:
    """Several requests in one query (a workspace page showing many), without their responses."""
    if not public_ids:
        return []
    return list(db.session.execute(select(HelpRequest).where(HelpRequest.public_id.in_(public_ids))).scalars())


def get_by_public_id(public_id: str) -> HelpRequest | None:
    return db.session.execute(
        select(HelpRequest)
        .where(HelpRequest.public_id == public_id)
        .options(selectinload(HelpRequest.responses).joinedload(Response.volunteer),
                 joinedload(HelpRequest.category), joinedload(HelpRequest.wijk))
    ).scalar_one_or_none()


@dataclass(frozen=True)
class ListFilters:
    category: str | None = None
    stadsdeel_id: int | None = None
    wijk_id: int | None = None
    when: str | None = None  # "flexible", "this_week", or a weekday such as "tue"


def _public_listing(viewer: User | None, filters: ListFilters) -> Select[HelpRequest]:
    now = utcnow()
    query = select(HelpRequest).where(*visibility.open_to_volunteers(now), *visibility.screening_for(viewer))
    if filters.category:
        query = query.where(HelpRequest.category_key == filters.category)
    if filters.wijk_id:
        query = query.where(HelpRequest.wijk_id == filters.wijk_id)
    elif filters.stadsdeel_id:
        query = query.where(HelpRequest.wijk.has(Wijk.stadsdeel_id == filters.stadsdeel_id))
    if filters.when == "flexible":
        query = query.where(HelpRequest.on_date.is_(None))
    elif filters.when == "this_week":
        today = now.date()
        query = query.where(and_(HelpRequest.on_date >= today, HelpRequest.on_date <= today + timedelta(days=7)))
    return query


def list_open_requests(viewer: User | None, filters: ListFilters, page: int, per_page: int) -> Page:
    query = _public_listing(viewer, filters)
    return paginate(query, page, per_page, HelpRequest.created_at.desc(), HelpRequest.id.desc(),
                    options=(joinedload(HelpRequest.wijk), joinedload(HelpRequest.category)))


def requests_of(user: User) -> list[HelpRequest]:
    return list(
        db.session.execute(
            select(HelpRequest)
            .where(HelpRequest.requester_id == user.id)
            .options(selectinload(HelpRequest.responses), joinedload(HelpRequest.wijk))
            .order_by(HelpRequest.created_at.desc())
        ).scalars()
    )


def responses_of(user: User) -> list[Response]:
    return list(
        db.session.execute(
            select(Response)
            .where(Response.volunteer_id == user.id)
            # what the page shows, and what visibility.may_see reads for each (the requester, the responses)
            .options(joinedload(Response.help_request).options(
                joinedload(HelpRequest.wijk), joinedload(HelpRequest.requester), joinedload(HelpRequest.match),
                selectinload(HelpRequest.responses)))
            .order_by(Response.created_at.desc())
        ).scalars()
    )


def has_posted(requester: User, title: str, description: str) -> bool:
    """Whether this person has a request with this title and text (a draft kept in their browser that was posted
    meanwhile: asks/first_views.py)."""
    return db.session.execute(
        select(HelpRequest.id).where(HelpRequest.requester_id == requester.id,
                                     HelpRequest.title == title.strip(),
                                     HelpRequest.description == description.strip()).limit(1)
    ).first() is not None
