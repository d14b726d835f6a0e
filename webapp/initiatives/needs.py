"""Needs of an initiative, and people who sign up to fill them. Progress: confirmed people against how many are
needed (volunteers), euros received against the amount (money), or the organisers' own word (other kinds).

Deciding on a sign-up is a conditional UPDATE from the state the organiser saw (the form carries it), checked by its
row count: two organisers deciding at once, or an old tab, decide once, and the volunteer hears one answer.
Confirming, declining and withdrawing first lock the need's row, so the count of confirmed people they check is
the real one: two organisers confirming for the last place confirm one person.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.orm import joinedload

import matching
from webapp.accounts.models import User
from webapp.accounts.safeguarding import may_help
from webapp.core.extensions import db
from webapp.core.ids import new_public_id, utcnow
from webapp.core.reference.models import Category, Wijk
from webapp.core.reference.slots import DAYPARTS, LANGUAGES, WEEKDAYS, clean_slots
from webapp.initiatives.models import (
    Initiative,
    InitiativeNeed,
    NeedInvitation,
    NeedKind,
    NeedSignup,
    NeedStatus,
    SignupStatus,
)
from webapp.initiatives.services import SEEKING, NotAllowed, can_edit, insert_ignoring_duplicates
from webapp.notifications.kinds import DECLINE_WORDS
from webapp.notifications.services import notify


class NoLongerOpen(Exception):
    """The need was filled, or the initiative stopped looking, in the meantime."""


class AlreadySignedUp(Exception):
    pass


class NeedFull(Exception):
    """Enough people are confirmed already."""


class NeedsScreening(Exception):
    """The need asks for a certificate of conduct (VOG) this volunteer does not have (or no longer has)."""


# A category the engine reads in a need's text counts from this score on (0..1).
GUESS_THRESHOLD = 0.5


@dataclass(frozen=True)
class NeedData:
    kind: str
    title: str
    description: str = ""
    skills: str = ""
    how_many: int = 1
    on_date: date | None = None
    slots: list[str] | None = None
    is_recurring: bool = False
    amount: int | None = None
    purpose: str = ""
    needs_screening: bool = False  # the organiser's choice; the text may mark it too
    wijk: Wijk | None = None       # where the work is; None: where the initiative is
    languages: list[str] | None = None  # languages that help; empty: any
    day_parts: list[str] | None = None  # once: parts of the day ("morning"); regularly the slots say it
    text_language: str = "nl"  # the language the title, description, skills and purpose are written in


def guessed_categories(text: str) -> list[str]:
    """The request categories the matching engine reads in a need's text, best first."""
    if not text.strip():
        return []
    found = matching.encode_initiative(matching.Initiative(id="need", name="", lat=0.0, lon=0.0, needs=(text,)))
    return [key for key, score in sorted(found.categories, key=lambda pair: -pair[1]) if score >= GUESS_THRESHOLD]


def text_needs_screening(text: str) -> bool:
    """Whether the text is about work in a category that always needs a VOG (homework support with children,
    someone's paperwork), as requests in those categories do."""
    guessed = guessed_categories(text)
    if not guessed:
        return False
    with db.session.no_autoflush:  # called while a new need is being filled in
        return bool(db.session.execute(
            select(func.count()).select_from(Category).where(Category.key.in_(guessed),
                                                             Category.requires_screening.is_(True))).scalar_one())


def _apply(need: InitiativeNeed, data: NeedData) -> None:
    if data.kind not in set(NeedKind):
        raise ValueError(data.kind)
    need.kind = data.kind
    need.title = data.title.strip()
    need.description = data.description.strip()
    need.text_language = data.text_language
    need.skills = data.skills.strip() if data.kind in (NeedKind.VOLUNTEERS, NeedKind.EXPERTISE) else ""
    is_volunteers = data.kind == NeedKind.VOLUNTEERS
    need.how_many = max(1, data.how_many) if is_volunteers else 1
    need.is_recurring = data.is_recurring if is_volunteers else False
    need.on_date = data.on_date if is_volunteers and not data.is_recurring else None
    if not is_volunteers:
        need.slots = []
    elif need.is_recurring:
        need.slots = clean_slots(data.slots or [])
    else:  # a one-off task: the parts of the day on its date (or on any day when the date is flexible)
        days = [WEEKDAYS[need.on_date.weekday()]] if need.on_date else list(WEEKDAYS)
        parts = [p for p in DAYPARTS if p in set(data.day_parts or [])]
        need.slots = clean_slots([f"{day}-{part}" for day in days for part in parts])
    need.amount = data.amount if data.kind == NeedKind.MONEY else None
    need.purpose = data.purpose.strip() if data.kind == NeedKind.MONEY else ""
    # Only people help with volunteers and expertise needs; a space, materials or money reach nobody.
    is_person = data.kind in (NeedKind.VOLUNTEERS, NeedKind.EXPERTISE)
    need.needs_screening = is_person and (data.needs_screening or text_needs_screening(
        " ".join((need.title, need.skills, need.description))))
    need.wijk = data.wijk if is_person else None
    need.wijk_id = data.wijk.id if is_person and data.wijk is not None else None
    need.languages = [code for code in LANGUAGES if code in set(data.languages or [])] if is_person else []
    with db.session.no_autoflush:  # a new need is being filled in
        need.match_features = matching.encode_request(task_record(need, frozenset({"nl"}))).to_dict() \
            if is_person else None


def place_of(need: InitiativeNeed) -> tuple[float, float]:
    """Where the work of a need is: its own wijk, else the centre of the initiative's wijken (else the city)."""
    if need.wijk is not None:
        return need.wijk.lat, need.wijk.lon
    wijken = need.initiative.wijken
    if not wijken:
        return 52.381, 4.637
    return sum(w.lat for w in wijken) / len(wijken), sum(w.lon for w in wijken) / len(wijken)


def task_record(need: InitiativeNeed, any_language: frozenset[str]) -> matching.HelpRequest:
    """The engine's view of a volunteers or expertise need: a task in request form (matching.tasks). A need that names
    no language can be done in any: `any_language` is then the languages of the volunteers being ranked."""
    lat, lon = place_of(need)
    languages = frozenset(matching.normalise_languages(need.languages)) if need.languages else any_language
    return matching.task_request(
        need.public_id or "", need.title, lat=lat, lon=lon, languages=languages,
        skills=matching.asked_skills(need.skills), text=need.description, when=frozenset(need.slots or ()),
        needs_screening=need.needs_screening, posted_at=need.created_at)


def add_need(actor: User, initiative: Initiative, data: NeedData) -> InitiativeNeed:
    if not can_edit(actor, initiative):
        raise NotAllowed
    need = InitiativeNeed(initiative=initiative, status=NeedStatus.OPEN)
    _apply(need, data)
    db.session.add(need)
    db.session.flush()
    _refresh(need, notify_filled=False)
    return need


def edit_need(actor: User, need: InitiativeNeed, data: NeedData) -> int:
    """Change a need. When it now needs a certificate of conduct (VOG), sign-ups of volunteers without one (waiting
    or confirmed) are closed with a kind message, and they no longer see the organisers' contact details. Returns
    how many were closed."""
    if not can_edit(actor, need.initiative):
        raise NotAllowed
    _apply(need, data)
    db.session.flush()
    closed = close_unscreened_signups(need)
    _refresh(need)
    return closed


def mark_screening_by_text() -> tuple[int, int]:
    """Give open volunteers and expertise needs the VOG mark their text calls for (never removing one), and close the
    sign-ups that the mark rules out. Returns (needs marked, sign-ups closed). For needs saved before the mark."""
    marked = closed = 0
    for need in list(db.session.execute(select(InitiativeNeed).where(
            InitiativeNeed.kind.in_((NeedKind.VOLUNTEERS, NeedKind.EXPERTISE)),
            InitiativeNeed.status != NeedStatus.FILLED, InitiativeNeed.needs_screening.is_(False))).scalars()):
        if text_needs_screening(" ".join((need.title, need.skills, need.description))):
            need.needs_screening = True
            marked += 1
            db.session.flush()
            closed += close_unscreened_signups(need)
            _refresh(need)
    return marked, closed


def close_unscreened_signups(need: InitiativeNeed) -> int:
    if not need.needs_screening:
        return 0
    db.session.refresh(need, ["signups"])
    closed = 0
    for signup in need.signups:
        if signup.status in (SignupStatus.PENDING, SignupStatus.CONFIRMED) and not may_help(signup.volunteer, True):
            signup.status, signup.decided_at = SignupStatus.NEEDS_SCREENING, utcnow()
            notify(signup.volunteer_id, "signup_closed_screening", title=need.title, name=need.initiative.name,
                   initiative=need.initiative.public_id)
            closed += 1
    db.session.flush()
    return closed


def set_progress(actor: User, need: InitiativeNeed, status: str, amount_received: int | None = None) -> None:
    """Organisers say how far a space, materials, expertise or money need is filled (volunteers count themselves)."""
    if not can_edit(actor, need.initiative):
        raise NotAllowed
    if need.kind == NeedKind.MONEY and amount_received is not None:
        need.amount_received = max(0, amount_received)
    elif need.kind != NeedKind.VOLUNTEERS and status in set(NeedStatus):
        _set_status(need, status)
        return
    _refresh(need)


def _set_status(need: InitiativeNeed, status: str, *, notify_filled: bool = True) -> None:
    if status == need.status:
        return
    need.status = status
    need.filled_at = utcnow() if status == NeedStatus.FILLED else None
    if status == NeedStatus.FILLED and notify_filled:
        for organiser in need.initiative.organisers:
            notify(organiser.user_id, "need_filled", title=need.title, name=need.initiative.name,
                   initiative=need.initiative.public_id)


def refresh(need: InitiativeNeed) -> None:
    """Derive the status again after its counted progress changed elsewhere (a staff grant, webapp.initiatives)."""
    _refresh(need)


def _refresh(need: InitiativeNeed, *, notify_filled: bool = True) -> None:
    """Derive the status from counted progress (volunteers, money)."""
    if need.kind == NeedKind.VOLUNTEERS:
        confirmed = db.session.execute(
            select(func.count()).select_from(NeedSignup)
            .where(NeedSignup.need_id == need.id, NeedSignup.status == SignupStatus.CONFIRMED)
        ).scalar_one()
        status = NeedStatus.FILLED if confirmed >= need.how_many else \
            NeedStatus.PARTLY_FILLED if confirmed else NeedStatus.OPEN
    elif need.kind == NeedKind.MONEY and need.amount:
        status = NeedStatus.FILLED if need.amount_done >= need.amount else \
            NeedStatus.PARTLY_FILLED if need.amount_done else NeedStatus.OPEN
    else:
        return
    _set_status(need, status, notify_filled=notify_filled)


@dataclass(frozen=True)
class Progress:
    done: int
    total: int
    percent: int


def progress(need: InitiativeNeed) -> Progress | None:
    """Counted progress for the page (a bar), or None when the organisers just say open/partly/filled."""
    if need.kind == NeedKind.VOLUNTEERS:
        done, total = need.confirmed_count, need.how_many
    elif need.kind == NeedKind.MONEY and need.amount:
        done, total = need.amount_done, need.amount
    else:
        return None
    return Progress(done, total, min(100, round(100 * done / total)) if total else 0)


def get_need(initiative: Initiative, need_public_id: str) -> InitiativeNeed | None:
    return next((n for n in initiative.needs if n.public_id == need_public_id), None)


# -- signing up -------------------------------------------------------------------------------------------------------

def can_sign_up(user: User | None, need: InitiativeNeed) -> bool:
    return bool(user is not None and user.is_authenticated and need.is_open
                and need.initiative.status in SEEKING and not need.initiative.is_organiser(user)
                and may_help(user, need.needs_screening))


def signup_of(user: User | None, need: InitiativeNeed) -> NeedSignup | None:
    if user is None or not user.is_authenticated:
        return None
    return next((s for s in need.signups if s.volunteer_id == user.id), None)


def sign_up(user: User, need: InitiativeNeed, message: str) -> NeedSignup:
    if need.initiative.is_organiser(user):
        raise NotAllowed
    if not need.is_open or need.initiative.status not in SEEKING:
        raise NoLongerOpen
    if not may_help(user, need.needs_screening):
        raise NeedsScreening
    existing = signup_of(user, need)
    if existing is not None and existing.status not in (SignupStatus.WITHDRAWN, SignupStatus.NEEDS_SCREENING):
        raise AlreadySignedUp
    if existing is not None:
        existing.status, existing.message, existing.decided_at = SignupStatus.PENDING, message.strip(), None
        signup = existing
    else:
        if not insert_ignoring_duplicates(NeedSignup, {
                "need_id": need.id, "volunteer_id": user.id, "message": message.strip(),
                "status": SignupStatus.PENDING, "public_id": new_public_id(), "created_at": utcnow()},
                ["need_id", "volunteer_id"]):
            raise AlreadySignedUp  # a second click that went through at the same moment
        db.session.refresh(need, ["signups"])
        found = signup_of(user, need)
        assert found is not None
        signup = found
    for organiser in need.initiative.organisers:
        notify(organiser.user_id, "need_signup", title=need.title, name=need.initiative.name,
               initiative=need.initiative.public_id)
    return signup


def _lock(need: InitiativeNeed) -> None:
    """Take the need's row for this transaction (an UPDATE that changes nothing): decisions on its sign-ups go one
    after the other, and each then reads what the one before it stored."""
    db.session.execute(update(InitiativeNeed).where(InitiativeNeed.id == need.id)
                       .values(id=InitiativeNeed.id).execution_options(synchronize_session=False))
    db.session.refresh(need, ["signups"])
    for signup in need.signups:
        db.session.refresh(signup)


def withdraw(user: User, need: InitiativeNeed) -> None:
    _lock(need)
    signup = signup_of(user, need)
    if signup is None or signup.status == SignupStatus.WITHDRAWN:
        return
    was_confirmed = signup.status == SignupStatus.CONFIRMED
    signup.status = SignupStatus.WITHDRAWN
    signup.decided_at = utcnow()
    db.session.flush()
    if was_confirmed:
        _refresh(need)


def _decide(actor: User, need: InitiativeNeed, signup_public_id: str, status: str, allowed_from: tuple[str, ...],
            seen: str) -> NeedSignup:
    """seen → status, where `seen` is the sign-up's status on the organiser's page; NoLongerOpen when it is not
    that any more (someone else decided, or the volunteer withdrew)."""
    if not can_edit(actor, need.initiative):
        raise NotAllowed
    signup = next((s for s in need.signups if s.public_id == signup_public_id), None)
    if signup is None:
        raise NotAllowed
    if seen not in allowed_from:
        raise NoLongerOpen
    changed = int(cast(CursorResult[Any], db.session.execute(
        update(NeedSignup)
        .where(NeedSignup.id == signup.id, NeedSignup.status == seen)
        .values(status=status, decided_at=utcnow())
        .execution_options(synchronize_session=False)
    )).rowcount)
    if changed != 1:
        raise NoLongerOpen
    db.session.refresh(signup)
    db.session.refresh(need)
    if status == SignupStatus.CONFIRMED and not may_help(signup.volunteer, need.needs_screening):
        raise NeedsScreening(signup.volunteer.first_name)  # checked on the row as it is now; the caller rolls back
    return signup


def confirm(actor: User, need: InitiativeNeed, signup_public_id: str, seen: str) -> NeedSignup:
    """An organiser says yes (`seen`: the sign-up's status on their page). Then both sides see each other's contact
    details. NeedFull when enough people are confirmed already; NoLongerOpen when it was decided meanwhile;
    NeedsScreening when the need asks for a VOG the volunteer does not have."""
    if not can_edit(actor, need.initiative):
        raise NotAllowed
    _lock(need)
    if need.kind == NeedKind.VOLUNTEERS and need.confirmed_count >= need.how_many:
        raise NeedFull
    signup = _decide(actor, need, signup_public_id, SignupStatus.CONFIRMED,
                     (SignupStatus.PENDING, SignupStatus.SHORTLISTED, SignupStatus.DECLINED), seen)
    signup.decline_reason, signup.decline_message = "", ""
    notify(signup.volunteer_id, "signup_confirmed", title=need.title, name=need.initiative.name,
           initiative=need.initiative.public_id)
    db.session.refresh(need, ["signups"])
    _refresh(need)
    return signup


def shortlist(actor: User, need: InitiativeNeed, signup_public_id: str, seen: str) -> NeedSignup:
    """The organisers put an applicant on their shortlist: not a yes yet (`seen` as for confirm). The volunteer
    hears it."""
    if not can_edit(actor, need.initiative):
        raise NotAllowed
    _lock(need)
    signup = _decide(actor, need, signup_public_id, SignupStatus.SHORTLISTED, (SignupStatus.PENDING,), seen)
    notify(signup.volunteer_id, "signup_shortlisted", title=need.title, name=need.initiative.name,
           initiative=need.initiative.public_id)
    return signup


def decline(actor: User, need: InitiativeNeed, signup_public_id: str, seen: str, reason: str = "", words: str = ""
            ) -> NeedSignup:
    """The organisers say no (`seen` as for confirm), with one of the kind texts (`reason`, a key of DECLINE_WORDS)
    and words of their own; the volunteer reads both (the kind text also in the e-mail, in their own language)."""
    if not can_edit(actor, need.initiative):
        raise NotAllowed
    _lock(need)
    signup = _decide(actor, need, signup_public_id, SignupStatus.DECLINED,
                     (SignupStatus.PENDING, SignupStatus.SHORTLISTED, SignupStatus.CONFIRMED), seen)
    signup.decline_reason = reason if reason in DECLINE_WORDS else ""
    signup.decline_message = words.strip()[:1000]
    notify(signup.volunteer_id, "signup_declined", title=need.title, name=need.initiative.name,
           initiative=need.initiative.public_id, reason=signup.decline_reason)
    db.session.refresh(need, ["signups"])
    _refresh(need)
    return signup


def can_see_contacts(user: User | None, initiative: Initiative) -> bool:
    """Organisers, and people confirmed for one of its needs: like a match, contact comes after a yes."""
    if user is None or not user.is_authenticated:
        return False
    if initiative.is_organiser(user):
        return True
    return db.session.execute(
        select(func.count()).select_from(NeedSignup).join(InitiativeNeed, InitiativeNeed.id == NeedSignup.need_id)
        .where(InitiativeNeed.initiative_id == initiative.id, NeedSignup.volunteer_id == user.id,
               NeedSignup.status == SignupStatus.CONFIRMED)
    ).scalar_one() > 0


def confirmed_volunteers(initiative: Initiative) -> list[NeedSignup]:
    return [s for n in initiative.needs for s in n.signups if s.status == SignupStatus.CONFIRMED]


def commitments_of(user: User) -> list[NeedSignup]:
    return list(db.session.execute(
        select(NeedSignup).where(NeedSignup.volunteer_id == user.id, NeedSignup.status != SignupStatus.WITHDRAWN)
        .options(joinedload(NeedSignup.need).joinedload(InitiativeNeed.initiative))
        .order_by(NeedSignup.created_at.desc())
    ).scalars())


# -- inviting suggested volunteers ------------------------------------------------------------------------------------

def invited_ids(need: InitiativeNeed) -> set[int]:
    return set(db.session.execute(
        select(NeedInvitation.volunteer_id).where(NeedInvitation.need_id == need.id)).scalars())


def invite(actor: User, need: InitiativeNeed, volunteer: User) -> bool:
    """Invite a suggested volunteer (the caller checks that the engine suggested them). True if new."""
    if not can_edit(actor, need.initiative) or not need.is_open:
        raise NotAllowed
    added = insert_ignoring_duplicates(NeedInvitation, {
        "need_id": need.id, "volunteer_id": volunteer.id, "invited_by_id": actor.id, "created_at": utcnow()},
        ["need_id", "volunteer_id"])
    if added:
        notify(volunteer.id, "need_invited", title=need.title, name=need.initiative.name,
               initiative=need.initiative.public_id)
    return added
