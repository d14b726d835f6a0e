"""The rescue of requests nobody answered, as a consulent works it: phone numbers to call (each view logged), every
suitable volunteer page by page to invite (once each), widening a request to its whole stadsdeel, extending it,
snoozing it, notes; and the list of requests that expired without a response, with what phoning the resident brought.
Plain arguments in, rows out; every action is written to the audit log and to the request's rescue history.

Who may be suggested or invited is the engine's ranking (webapp.suggestions) under the screening rule of
webapp.accounts.safeguarding; widening adds the volunteers of the stadsdeel that rule allows, nobody else.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import exists, func, select, update
from sqlalchemy.orm import joinedload, selectinload, undefer

import matching
from webapp.accounts import safeguarding
from webapp.accounts.models import User, VolunteerProfile
from webapp.asks import visibility
from webapp.asks.models import HelpRequest, RequestStatus, Response
from webapp.core.audit import Action, log_action, log_views
from webapp.core.database import conflict_insert
from webapp.core.extensions import db
from webapp.core.ids import utcnow
from webapp.core.moderation import Moderation
from webapp.core.reference.models import Wijk
from webapp.core.signals import request_published
from webapp.notifications.services import notify
from webapp.staff import services
from webapp.staff.rescue_models import RescueNote, RescueState
from webapp.suggestions import services as suggestions
from webapp.suggestions.models import Invitation

EXTEND_DAYS = 14
MAX_SNOOZE_DAYS = 90
# What phoning the resident of an expired request brought. "no_answer" keeps it on the list (phone again); the
# others handle it, and it leaves the list.
RESCUE_OUTCOMES = ("called", "no_answer", "no_longer_needed", "reposted")
HANDLED_OUTCOMES = ("called", "no_longer_needed", "reposted")


class NotAllowed(Exception):
    """Not for this request or this volunteer (closed, not suitable, not allowed by screening)."""


class AlreadyDone(Exception):
    """Done before (invited already, widened already): nothing changed."""


class ChangedMeanwhile(Exception):
    """The request changed since the page was drawn; nothing was saved."""


@dataclass(frozen=True)
class Candidate:
    """A volunteer staff may invite for a request: ranked by the engine (`suggestion`), or, for a widened request,
    living in its stadsdeel (`suggestion` None)."""

    volunteer: User
    suggestion: matching.Suggestion | None
    is_invited: bool


@dataclass(frozen=True)
class Waiting:
    help_request: HelpRequest
    waited_days: int
    suggested: Sequence[Candidate]
    widened: bool
    notes: Sequence[RescueNote] = field(default_factory=tuple)


# -- the queue --------------------------------------------------------------------------------------------------------

def _widened(request_ids: Sequence[int]) -> set[int]:
    if not request_ids:
        return set()
    return set(db.session.execute(select(RescueState.request_id).where(
        RescueState.request_id.in_(request_ids), RescueState.widened_at.is_not(None))).scalars())


def notes_of(request_ids: Sequence[int]) -> dict[int, list[RescueNote]]:
    """Each request's rescue history, oldest first."""
    found: dict[int, list[RescueNote]] = {}
    if not request_ids:
        return found
    for note in db.session.execute(
            select(RescueNote).where(RescueNote.request_id.in_(request_ids)).options(joinedload(RescueNote.author))
            .order_by(RescueNote.created_at, RescueNote.id)).scalars():
        found.setdefault(note.request_id, []).append(note)
    return found


def _stadsdeel_volunteers(help_request: HelpRequest, *, limit: int | None = None) -> list[User]:
    """For a widened request: the volunteers living in any wijk of its stadsdeel who may help with it (the screening
    rule of webapp.accounts.safeguarding, in SQL), not blocked, not the requester, not responded already."""
    responded = select(Response.volunteer_id).where(Response.request_id == help_request.id,
                                                    Response.volunteer_id.is_not(None))
    query = (
        select(User).join(VolunteerProfile, VolunteerProfile.user_id == User.id)
        .join(Wijk, Wijk.id == VolunteerProfile.wijk_id)
        .where(Wijk.stadsdeel_id == help_request.wijk.stadsdeel_id, User.is_blocked.is_(False),
               VolunteerProfile.moderation == Moderation.OK, User.id.not_in(responded))
        .options(selectinload(User.volunteer_profile).joinedload(VolunteerProfile.wijk))
        .order_by(User.id).limit(limit)
    )
    if help_request.requester_id is not None:
        query = query.where(User.id != help_request.requester_id)
    if help_request.needs_screening:
        query = query.where(safeguarding.screened())
    return [u for u in db.session.execute(query).scalars()
            if safeguarding.may_help(u, help_request.needs_screening)]


def _invited(request_ids: Sequence[int]) -> dict[int, set[int]]:
    invited: dict[int, set[int]] = {}
    if request_ids:
        for request_id, volunteer_id in db.session.execute(
                select(Invitation.request_id, Invitation.volunteer_id).where(Invitation.request_id.in_(request_ids))):
            invited.setdefault(request_id, set()).add(volunteer_id)
    return invited


def _with_widening(help_request: HelpRequest, ranked: Sequence[suggestions.VolunteerSuggestion], widened: bool,
                   invited: set[int], k: int | None) -> list[Candidate]:
    """The engine's volunteers first, then (widened) those of the stadsdeel it did not rank, at most `k`."""
    found = [Candidate(s.volunteer, s.suggestion, s.is_invited or s.volunteer.id in invited) for s in ranked
             if safeguarding.may_help(s.volunteer, help_request.needs_screening)]
    if widened and (k is None or len(found) < k):
        ranked_ids = {c.volunteer.id for c in found}
        for user in _stadsdeel_volunteers(help_request, limit=None if k is None else k + len(ranked_ids)):
            if user.id not in ranked_ids:
                found.append(Candidate(user, None, user.id in invited))
    return found if k is None else found[:k]


def unanswered_page(after_days: int, *, limit: int, offset: int, now: datetime) -> list[HelpRequest]:
    return list(db.session.execute(
        select(HelpRequest).where(*services.unanswered_where(after_days, now))
        .options(joinedload(HelpRequest.wijk), joinedload(HelpRequest.category), joinedload(HelpRequest.requester),
                 selectinload(HelpRequest.responses), undefer(HelpRequest.match_features))
        .order_by(HelpRequest.created_at, HelpRequest.id).offset(offset).limit(limit)
    ).scalars())


def rescue_queue(actor: User, after_days: int, *, limit: int, offset: int, per_request: int = 3,
                 now: datetime | None = None) -> tuple[list[Waiting], int]:
    """One page of the queue (snoozed requests left out) with the best volunteers for each request: the engine
    ranks the requests of this page only, in one index. It shows the phone numbers of the residents and the
    volunteers, so each person shown is written to the audit log (once per session). Returns the page and the
    total waiting."""
    now = now or utcnow()
    waiting = unanswered_page(after_days, limit=limit, offset=offset, now=now)
    ids = [r.id for r in waiting]
    ranked = suggestions.suggest_volunteers_for_many(waiting, k=per_request)
    widened, notes = _widened(ids), notes_of(ids)
    invited = _invited([i for i in ids if i in widened])  # the ranking knows whom it invited; the stadsdeel not
    page = [Waiting(r, (now - r.created_at).days,
                    _with_widening(r, ranked.get(r.id, []), r.id in widened, invited.get(r.id, set()), per_request),
                    r.id in widened, notes.get(r.id, []))
            for r in waiting]
    shown = [w.help_request.requester.public_id for w in page if w.help_request.requester is not None]
    shown += [c.volunteer.public_id for w in page for c in w.suggested]
    log_views(actor, Action.VIEW_PERSON, "person", shown, via="rescue")
    return page, services.unanswered_count(after_days, now)


@dataclass(frozen=True)
class Candidates:
    help_request: HelpRequest
    items: list[Candidate]
    page: int
    pages: int
    total: int
    widened: bool


def all_candidates(help_request: HelpRequest) -> list[Candidate]:
    """Every volunteer staff may invite for this request, best first (the engine's whole ranking, then, widened,
    the stadsdeel); [] for a request volunteers may not be shown."""
    if not visibility.is_open_to_volunteers(help_request):
        return []
    ranked = suggestions.suggest_volunteers(help_request, k=suggestions.MAX_CANDIDATES)
    return _with_widening(help_request, ranked, bool(_widened([help_request.id])),
                          _invited([help_request.id]).get(help_request.id, set()), None)


def candidates_page(actor: User, help_request: HelpRequest, page: int, per_page: int = 10) -> Candidates:
    """"Invite more": one page of all_candidates; each volunteer shown (with a phone number) is logged once per
    session."""
    every = all_candidates(help_request)
    pages = max(1, -(-len(every) // per_page))
    page = min(max(1, page), pages)
    items = every[(page - 1) * per_page: page * per_page]
    log_views(actor, Action.VIEW_PERSON, "person", [c.volunteer.public_id for c in items], via="rescue")
    return Candidates(help_request, items, page, pages, len(every), bool(_widened([help_request.id])))


def _note(actor: User, help_request: HelpRequest, kind: str, text: str = "") -> RescueNote:
    note = RescueNote(request_id=help_request.id, author_id=actor.id, kind=kind, text=text.strip())
    db.session.add(note)
    return note


def invite(actor: User, help_request: HelpRequest, volunteer_public_id: str) -> None:
    """Invite one volunteer from all_candidates: a conditional insert (one invitation per volunteer and request,
    also when two staff click at once). NotAllowed for anyone else; AlreadyDone when invited before."""
    if not actor.is_staff:
        raise NotAllowed
    allowed = {c.volunteer.public_id: c.volunteer for c in all_candidates(help_request)}
    volunteer = allowed.get(volunteer_public_id)
    if volunteer is None or not safeguarding.may_help(volunteer, help_request.needs_screening):
        raise NotAllowed
    statement = conflict_insert(Invitation.__table__, db.session.get_bind()).values(
        request_id=help_request.id, volunteer_id=volunteer.id, invited_by_id=actor.id, created_at=utcnow(),
    ).on_conflict_do_nothing(index_elements=["request_id", "volunteer_id"]).returning(Invitation.__table__.c.id)
    if db.session.execute(statement).first() is None:  # RETURNING, not rowcount: reliable on both databases
        raise AlreadyDone
    notify(volunteer.id, "invited", title=help_request.title, request=help_request.public_id)
    log_action(actor, Action.INVITE, "request", help_request.public_id, volunteer=volunteer.public_id)


def _state_row(help_request: HelpRequest) -> None:
    db.session.execute(conflict_insert(RescueState.__table__, db.session.get_bind())
                       .values(request_id=help_request.id).on_conflict_do_nothing(index_elements=["request_id"]))


def widen(actor: User, help_request: HelpRequest) -> None:
    """The request is suggested to suitable volunteers in every wijk of its stadsdeel from now on (the resident is not
    told). Once: AlreadyDone when it was widened before."""
    if not visibility.is_open_to_volunteers(help_request):
        raise NotAllowed
    _state_row(help_request)
    changed = db.session.execute(
        update(RescueState).where(RescueState.request_id == help_request.id, RescueState.widened_at.is_(None))
        .values(widened_at=utcnow()).execution_options(synchronize_session=False))
    if int(getattr(changed, "rowcount", 0) or 0) != 1:
        raise AlreadyDone
    _note(actor, help_request, "widened")
    log_action(actor, Action.WIDEN_REQUEST, "request", help_request.public_id,
               stadsdeel=help_request.wijk.stadsdeel.name)


def version(help_request: HelpRequest) -> str:
    """What the extend button carries: the end date the page showed."""
    return help_request.expires_at.isoformat()


def extend(actor: User, help_request: HelpRequest, seen: str, days: int = EXTEND_DAYS) -> datetime:
    """Push the end date back by `days`, from the end date the page showed (`seen`, `version`): a conditional
    UPDATE, so two clicks at once extend once and an old tab changes nothing (ChangedMeanwhile). Returns the new
    end date."""
    if not help_request.is_open:
        raise NotAllowed
    if seen != version(help_request):
        raise ChangedMeanwhile
    before = help_request.expires_at
    after = before + timedelta(days=days)
    changed = db.session.execute(
        update(HelpRequest).where(HelpRequest.id == help_request.id, HelpRequest.status == RequestStatus.OPEN,
                                  HelpRequest.expires_at == before)
        .values(expires_at=after).execution_options(synchronize_session=False))
    if int(getattr(changed, "rowcount", 0) or 0) != 1:
        raise ChangedMeanwhile
    db.session.refresh(help_request)
    _note(actor, help_request, "extended", after.date().isoformat())
    log_action(actor, Action.EXTEND_REQUEST, "request", help_request.public_id, before=before.isoformat(),
               after=after.isoformat())
    return after


def snooze(actor: User, help_request: HelpRequest, until: date) -> None:
    """Out of the queue until `until`; back in it on that day by itself."""
    if not help_request.is_open:
        raise NotAllowed
    _state_row(help_request)
    db.session.execute(update(RescueState).where(RescueState.request_id == help_request.id)
                       .values(snoozed_until=until).execution_options(synchronize_session=False))
    _note(actor, help_request, "snoozed", until.isoformat())
    log_action(actor, Action.SNOOZE_REQUEST, "request", help_request.public_id, until=until.isoformat())


def add_note(actor: User, help_request: HelpRequest, text: str) -> RescueNote:
    """A staff-only note, added to the history (never replacing an earlier one). The log names the request, never
    the text."""
    note = _note(actor, help_request, "note", text)
    log_action(actor, Action.RESCUE_NOTE, "request", help_request.public_id)
    return note


# -- expired without a response ---------------------------------------------------------------------------------------

def _handled() -> Any:
    return exists(select(RescueNote.id).where(RescueNote.request_id == HelpRequest.id,
                                              RescueNote.kind.in_(HANDLED_OUTCOMES)))


def expired_where() -> tuple[Any, ...]:
    """SQL: expired without a single response, and nobody handled it yet (however long ago it expired: the nightly
    expiry never drops one), its text not anonymised (then there is nobody left to phone)."""
    return (HelpRequest.status == RequestStatus.EXPIRED, HelpRequest.anonymised_at.is_(None),
            ~exists(select(Response.id).where(Response.request_id == HelpRequest.id)), ~_handled())


def expired_unanswered(actor: User, *, page: int, per_page: int) -> tuple[list[HelpRequest], int,
                                                                          dict[int, list[RescueNote]]]:
    """The list to phone from: one page, most recently expired first, the total and each request's history. It
    shows phone numbers, so each resident shown is written to the audit log (once per session)."""
    items = list(db.session.execute(
        select(HelpRequest).where(*expired_where())
        .options(joinedload(HelpRequest.wijk), joinedload(HelpRequest.requester), joinedload(HelpRequest.category))
        .order_by(HelpRequest.closed_at.desc(), HelpRequest.id.desc())
        .offset((page - 1) * per_page).limit(per_page)
    ).scalars())
    total = int(db.session.execute(select(func.count()).select_from(HelpRequest).where(*expired_where())).scalar_one())
    log_views(actor, Action.VIEW_PERSON, "person",
              [r.requester.public_id for r in items if r.requester is not None], via="expired")
    return items, total, notes_of([r.id for r in items])


def record_outcome(actor: User, help_request: HelpRequest, outcome: str, text: str = "") -> None:
    """What phoning the resident brought. "reposted" puts the same request online again for EXTEND_DAYS (from the
    state the list showed: expired; a conditional UPDATE). NotAllowed when the request is not on the list."""
    if outcome not in RESCUE_OUTCOMES:
        raise ValueError(outcome)
    on_list = db.session.execute(
        select(func.count()).select_from(HelpRequest).where(HelpRequest.id == help_request.id, *expired_where())
    ).scalar_one()
    if not on_list:
        raise NotAllowed
    if outcome == "reposted":
        changed = db.session.execute(
            update(HelpRequest).where(HelpRequest.id == help_request.id, HelpRequest.status == RequestStatus.EXPIRED)
            .values(status=RequestStatus.OPEN, closed_at=None, expires_at=utcnow() + timedelta(days=EXTEND_DAYS))
            .execution_options(synchronize_session=False))
        if int(getattr(changed, "rowcount", 0) or 0) != 1:
            raise NotAllowed
        db.session.refresh(help_request)
        if help_request.moderation == Moderation.OK:
            request_published.send(help_request)  # into the lists of the volunteers it fits (webapp/hooks.py)
    _note(actor, help_request, outcome, text)
    log_action(actor, Action.RESCUE_OUTCOME, "request", help_request.public_id, outcome=outcome)
