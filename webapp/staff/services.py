"""What staff do: screen volunteers, block people, post for residents, hand over to professionals, rescue
unanswered requests. Plain arguments in, rows out; every action is written to the audit log."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import exists, func, or_, select, update
from sqlalchemy.orm import joinedload, selectinload, undefer

from webapp.accounts.models import AccountErasure, User, VolunteerProfile
from webapp.asks import services as asks
from webapp.asks import visibility
from webapp.asks.models import HelpRequest, Match, RequestStatus, Response, ResponseStatus
from webapp.core.access import Role
from webapp.core.audit import Action, log_action, log_view, log_views
from webapp.core.extensions import db
from webapp.core.ids import new_public_id, utcnow
from webapp.core.pagination import Page, paginate
from webapp.core.reference.models import Wijk
from webapp.notifications.services import notify
from webapp.offers.models import Offer, OfferStatus
from webapp.staff import moderation, referrals
from webapp.staff import screening as screening_extra
from webapp.staff.consent import CURRENT_VERSION, is_known
from webapp.staff.models import Handover, Intake, Report, ReportOutcome, Screening, StaffTask
from webapp.staff.rescue_models import RescueState, VogApplication
from webapp.suggestions.invalidation import invalidate as invalidate_suggestions

DEFAULT_RESCUE_AFTER_DAYS = 3
DEFAULT_SCREENING_YEARS = 3
DEFAULT_PARTNERS = ("Sociaal Wijkteam", "CJG (Centrum voor Jeugd en Gezin)", "Schuldhulpverlening", "Huisarts",
                    "Praktijkondersteuner (POH-GGZ)", "Veilig Thuis", "Wijkverpleging", "Juridisch Loket")
CONSENT_HOW = ("phone", "in_person", "paper")
CONSENT_BY = ("resident", "family", "carer", "other")
HANDOVER_OUTCOMES = ("pending", "accepted", "declined", "no_contact", "resident_declined")


class NotAllowed(Exception):
    pass


class ChangedMeanwhile(Exception):
    """Someone else changed this since the page was drawn; nothing was saved."""


def find_person(public_id: str) -> User | None:
    return db.session.execute(
        select(User).where(User.public_id == public_id).options(selectinload(User.volunteer_profile))
    ).scalar_one_or_none()


def open_person_record(actor: User, public_id: str) -> User | None:
    """A person's record (contact details, reports, screenings) as a staff member opens it: written to the audit
    log, so the volunteer centre can answer "who looked at my details?"."""
    person = find_person(public_id)
    if person is not None:
        log_view(actor, Action.VIEW_PERSON, "person", person.public_id)  # once per session (NEN 7513)
    return person


# -- screening (VOG) --------------------------------------------------------------------------------------------------

def default_valid_until(checked_on: date, years: int = DEFAULT_SCREENING_YEARS) -> date:
    try:
        return checked_on.replace(year=checked_on.year + years)
    except ValueError:  # 29 February
        return checked_on.replace(year=checked_on.year + years, day=28)


def record_screening(actor: User, volunteer: User, checked_on: date, valid_until: date, *, reference: str = "",
                     profile_codes: Sequence[str] = ()) -> Screening:
    """A staff member saw a valid certificate of conduct. The volunteer counts as screened until `valid_until`.
    `reference` (its number) and `profile_codes` (webapp.staff.screening.PROFILE_CODES) are for an auditor."""
    profile = volunteer.volunteer_profile
    if profile is None or valid_until < checked_on:
        raise NotAllowed
    if any(code not in screening_extra.PROFILE_CODES for code in profile_codes):
        raise NotAllowed
    number = screening_extra.normal_reference(reference) or None
    if number is not None and not screening_extra.valid_reference(number):
        raise NotAllowed
    screening = Screening(volunteer_id=volunteer.id, checked_on=checked_on, valid_until=valid_until,
                          recorded_by_id=actor.id, reference=number, profile=list(profile_codes) or None)
    screening_extra.received(volunteer)
    db.session.add(screening)
    profile.is_screened = True
    profile.screened_at = datetime(checked_on.year, checked_on.month, checked_on.day)
    profile.screened_until = valid_until
    invalidate_suggestions(volunteer.id)  # screening-only requests may now suit them
    log_action(actor, Action.SCREEN, "person", volunteer.public_id, checked_on=checked_on.isoformat(),
               valid_until=valid_until.isoformat(), reference=bool(number), profile=list(profile_codes))
    return screening


def refresh_screening(today: date | None = None) -> int:
    """Clear the stored flag of screenings that lapsed (for a daily job). `is_screened` already checks the
    date, so nothing depends on this running on time; it keeps the stored flag honest. Returns how many."""
    today = today or utcnow().date()
    result = db.session.execute(
        update(VolunteerProfile)
        .where(VolunteerProfile.screened_flag.is_(True), VolunteerProfile.screened_until < today)
        .values(screened_flag=False)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


SCREENING_FILTERS = ("all", "screened", "ended", "never", "applied")


def search_volunteers(actor: User, query: str = "", *, status: str = "all", page: int = 1,
                      per_page: int = 50) -> Page[User]:
    """One page of volunteers as the screening page shows them (with e-mail addresses), by name or e-mail and by
    VOG status (screened now, ended, never checked): each person shown is written to the audit log (once per
    session), never the search words (they may be a name)."""
    found = volunteer_page(query, status, page, per_page)
    log_views(actor, Action.SEARCH_PEOPLE, "person", [person.public_id for person in found.items],
              searched=bool(query.strip()))
    return found


def volunteer_page(query: str = "", status: str = "all", page: int = 1, per_page: int = 50) -> Page[User]:
    statement = (select(User).join(VolunteerProfile, VolunteerProfile.user_id == User.id)
                 .where(User.id.not_in(select(AccountErasure.user_id))))
    text = query.strip().lower()
    if text:
        like = f"%{text}%"
        statement = statement.where(or_(func.lower(User.first_name).like(like), func.lower(User.last_name).like(like),
                                        func.lower(User.email).like(like)))
    if status == "screened":
        statement = statement.where(VolunteerProfile.is_screened)
    elif status == "ended":
        statement = statement.where(~VolunteerProfile.is_screened, VolunteerProfile.screened_until.is_not(None))
    elif status == "never":
        statement = statement.where(~VolunteerProfile.is_screened, VolunteerProfile.screened_until.is_(None))
    elif status == "applied":  # applied for a VOG, not recorded yet (also a renewal while the old one is valid)
        statement = statement.where(User.id.in_(select(VogApplication.volunteer_id)))
    return paginate(statement, page, per_page, VolunteerProfile.is_screened, User.first_name, User.id,
                    options=(selectinload(User.volunteer_profile),))


def screenings_of(person: User) -> list[Screening]:
    return list(db.session.execute(
        select(Screening).where(Screening.volunteer_id == person.id)
        .options(joinedload(Screening.recorded_by)).order_by(Screening.checked_on.desc(), Screening.id.desc())
    ).scalars())


def _expiring_where(within_days: int, today: date | None) -> tuple[Any, ...]:
    today = today or utcnow().date()
    return (VolunteerProfile.screened_flag.is_(True), VolunteerProfile.screened_until.is_not(None),
            VolunteerProfile.screened_until <= today + timedelta(days=within_days))


def expiring_screenings(within_days: int = 60, today: date | None = None) -> list[VolunteerProfile]:
    return list(db.session.execute(
        select(VolunteerProfile).where(*_expiring_where(within_days, today))
        .options(joinedload(VolunteerProfile.user)).order_by(VolunteerProfile.screened_until)
    ).scalars())


def expiring_screenings_count(within_days: int = 60, today: date | None = None) -> int:
    return int(db.session.execute(
        select(func.count()).select_from(VolunteerProfile).where(*_expiring_where(within_days, today))
    ).scalar_one())


# -- blocking ---------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class BlockResult:
    matches_ended: int
    responses_withdrawn: int
    offers_closed: int
    questions_closed: int
    tasks: int


def block_person(actor: User, person: User, reason: str, *, report_threshold: float = 3) -> BlockResult:
    """A blocked person cannot log in, their sessions end now, and nobody stays exposed to them:

    * each live match they are part of ends (the request is closed as cancelled; contact details are no longer
      shown); the other side gets a discreet message (never the reason) and staff get a task to phone them;
    * their pending responses are withdrawn (the requester no longer sees them), their offers closed, and open
      questions residents asked through those offers closed with a kind message;
    * their requests leave the listings (webapp.asks.visibility);
    * open reports about them and their items are closed as upheld; open reports they filed are void (no longer
      count), and items held only by such reports go public again.
    """
    if person.id == actor.id or (person.has_role(Role.ADMIN) and not actor.has_role(Role.ADMIN)):
        raise NotAllowed
    person.is_blocked = True
    person.session_token = new_public_id()
    db.session.flush()
    ended = tasks = 0
    live = db.session.execute(
        select(HelpRequest).join(Match, Match.request_id == HelpRequest.id)
        .where(HelpRequest.status == RequestStatus.MATCHED,
               or_(Match.volunteer_id == person.id, HelpRequest.requester_id == person.id))
    ).scalars().all()
    for help_request in live:
        match = help_request.match
        if match is None or not asks.end_match(help_request):
            continue
        ended += 1
        helper_blocked = match.volunteer_id == person.id
        other = asks.requester_side_id(help_request) if helper_blocked else match.volunteer_id
        # Whom staff phone: the resident (also when staff took the request in for them), or the helper.
        to_phone = help_request.requester_id if helper_blocked else match.volunteer_id
        notify(other, "match_ended_by_centre", title=help_request.title, request=help_request.public_id)
        if to_phone is not None:
            db.session.add(StaffTask(kind=TASK_PHONE_AFTER_BLOCK, person_id=to_phone, request_id=help_request.id,
                                     created_by_id=actor.id))
            tasks += 1
    withdrawn = _rows(update(Response).where(Response.volunteer_id == person.id,
                                             Response.status == ResponseStatus.PENDING)
                      .values(status=ResponseStatus.WITHDRAWN).execution_options(synchronize_session="fetch"))
    offer_ids = list(db.session.execute(select(Offer.id).where(Offer.volunteer_id == person.id)).scalars())
    offers_closed = _rows(update(Offer).where(Offer.id.in_(offer_ids), Offer.status == OfferStatus.OPEN)
                          .values(status=OfferStatus.CLOSED).execution_options(synchronize_session="fetch"))
    questions = db.session.execute(
        select(HelpRequest).where(HelpRequest.offer_id.in_(offer_ids), HelpRequest.status == RequestStatus.OPEN)
    ).scalars().all()
    closed_questions = 0
    for question in questions:
        if asks.close_question(question):
            closed_questions += 1
            notify(question.requester_id, "ask_closed", title=question.title, request=question.public_id)
    own_requests = select(HelpRequest.id).where(HelpRequest.requester_id == person.id)
    moderation.resolve_reports(actor, ReportOutcome.UPHELD, or_(
        Report.person_id == person.id, Report.offer_id.in_(offer_ids), Report.request_id.in_(own_requests)))
    if moderation.resolve_reports(actor, ReportOutcome.VOID, Report.reporter_id == person.id):
        moderation.release_unfounded_holds(report_threshold)
    result = BlockResult(ended, withdrawn, offers_closed, closed_questions, tasks)
    log_action(actor, Action.BLOCK, "person", person.public_id, reason=reason.strip()[:200],
               matches_ended=ended, responses_withdrawn=withdrawn, offers_closed=offers_closed)
    return result


def _rows(statement: Any) -> int:
    return int(getattr(db.session.execute(statement), "rowcount", 0) or 0)


# -- tasks for staff --------------------------------------------------------------------------------------------------

TASK_PHONE_AFTER_BLOCK = "phone_after_block"


def open_tasks() -> list[StaffTask]:
    return list(db.session.execute(
        select(StaffTask).where(StaffTask.done_at.is_(None))
        .options(joinedload(StaffTask.person), joinedload(StaffTask.help_request))
        .order_by(StaffTask.created_at)
    ).scalars())


def open_task_count() -> int:
    return int(db.session.execute(select(func.count()).where(StaffTask.done_at.is_(None))).scalar_one())


def finish_task(actor: User, public_id: str) -> bool:
    """Mark a task done (a conditional UPDATE: two staff pressing at once finish it once). False when it was done
    already or does not exist."""
    task = db.session.execute(select(StaffTask).where(StaffTask.public_id == public_id)).scalar_one_or_none()
    if task is None:
        return False
    done = _rows(update(StaffTask).where(StaffTask.id == task.id, StaffTask.done_at.is_(None))
                 .values(done_at=utcnow(), done_by_id=actor.id).execution_options(synchronize_session=False))
    if done:
        log_action(actor, Action.TASK_DONE, "person", task.person.public_id if task.person else "", kind=task.kind)
    return bool(done)


def set_on_duty(member: User, on_duty: bool) -> bool:
    """Whether a staff member gets urgent reports by e-mail (webapp.staff.emails)."""
    member.staff_on_duty = on_duty
    return on_duty


def unblock_person(actor: User, person: User) -> None:
    person.is_blocked = False
    log_action(actor, Action.UNBLOCK, "person", person.public_id)


# -- assisted intake --------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ResidentData:
    first_name: str
    last_name: str
    phone: str
    postcode: str
    wijk: Wijk
    locale: str


@dataclass(frozen=True)
class Consent:
    how: str  # phone, in_person, paper
    given_by: str  # resident, family, carer, other
    on: date
    note: str = ""
    version: str = CURRENT_VERSION  # the consent text agreed to (webapp.staff.consent)
    address: str = ""  # the resident's address (optional), and whether the chosen volunteer may see it
    address_shareable: bool = False


def take_in_request(actor: User, resident: User | ResidentData, consent: Consent,
                    data: asks.RequestData) -> HelpRequest:
    """Post a request for a resident without an account (or who cannot use the site), with their consent.

    The resident gets an account without e-mail or password (they never log in). The staff member is the contact:
    after a match the volunteer sees the staff member's details, never the resident's.
    """
    if consent.how not in CONSENT_HOW or consent.given_by not in CONSENT_BY or not is_known(consent.version):
        raise ValueError("consent")
    if isinstance(resident, ResidentData):
        person = User(email=None, password_hash=None, first_name=resident.first_name.strip(),
                      last_name=resident.last_name.strip(), phone=resident.phone.strip(),
                      postcode=resident.postcode.strip().upper(), wijk=resident.wijk, locale=resident.locale)
        person.add_role(Role.RESIDENT)
        db.session.add(person)
        db.session.flush()
    else:
        person = resident
    help_request = asks.post_request(person, data, contact_staff_id=actor.id, check_duplicates=True)
    intake = Intake(request_id=help_request.id, resident_id=person.id, staff_id=actor.id, consent_how=consent.how,
                    consent_given_by=consent.given_by, consent_on=consent.on, note=consent.note.strip(),
                    consent_version=consent.version, consent_recorded_at=utcnow(), consent_recorded_by_id=actor.id,
                    address=consent.address.strip()[:200],
                    address_shareable=bool(consent.address.strip()) and consent.address_shareable)
    db.session.add(intake)
    log_action(actor, Action.INTAKE, "request", help_request.public_id, consent_how=consent.how,
               consent_given_by=consent.given_by, consent_version=consent.version)
    return help_request


def find_staff(email: str) -> User | None:
    found = db.session.execute(select(User).where(User.email == email.strip().lower())).scalar_one_or_none()
    return found if found is not None and found.is_staff else None


def person_targets(id_or_email: str) -> list[str]:
    """What the audit log may name about a person: their public id and those of their requests ([] when no
    person has this public id or e-mail address)."""
    text = id_or_email.strip()
    person = db.session.execute(
        select(User).where(or_(User.public_id == text, User.email == text.lower()))
    ).scalars().first()
    if person is None:
        return []
    requests = db.session.execute(
        select(HelpRequest.public_id).where(HelpRequest.requester_id == person.id)).scalars()
    return [person.public_id, *requests]


def open_intakes(staff: User, *, team: bool = False) -> list[Intake]:
    """The intakes page as a staff member opens it (their own, or with `team` every colleague's that is still
    open or matched): it shows each resident's phone number, so every resident shown is written to the audit log
    (once per session)."""
    found = team_intakes() if team else intakes_of(staff)
    log_views(staff, Action.VIEW_PERSON, "person", [i.resident.public_id for i in found if i.resident is not None],
              via="intakes")
    return found


def team_intakes() -> list[Intake]:
    """Every intake still open or matched, whoever holds it: a colleague who is ill leaves nobody stuck."""
    return list(db.session.execute(
        select(Intake).join(HelpRequest, HelpRequest.id == Intake.request_id)
        .where(HelpRequest.status.in_((RequestStatus.OPEN, RequestStatus.MATCHED)))
        .options(joinedload(Intake.help_request).selectinload(HelpRequest.responses),
                 joinedload(Intake.help_request).joinedload(HelpRequest.wijk),
                 joinedload(Intake.help_request).joinedload(HelpRequest.contact_staff),
                 joinedload(Intake.resident))
        .order_by(Intake.created_at.desc())
    ).unique().scalars())


class TakenMeanwhile(Exception):
    """A colleague took the intake over (or it changed hands) since the page was drawn."""


def take_over_intake(actor: User, help_request: HelpRequest, seen_contact: str) -> None:
    """Become the staff contact of a colleague's intake, from the contact the page showed (`seen_contact`, their
    public id): a conditional update, so two colleagues taking it over at once leave one contact. NotAllowed for a
    request that is not an intake; TakenMeanwhile when it changed hands."""
    previous = help_request.contact_staff
    if previous is None:
        raise NotAllowed
    if previous.id == actor.id:
        return
    if previous.public_id != seen_contact:
        raise TakenMeanwhile
    changed = db.session.execute(
        update(HelpRequest).where(HelpRequest.id == help_request.id, HelpRequest.contact_staff_id == previous.id)
        .values(contact_staff_id=actor.id).execution_options(synchronize_session=False))
    if int(getattr(changed, "rowcount", 0) or 0) != 1:
        raise TakenMeanwhile
    db.session.refresh(help_request)
    log_action(actor, Action.TAKE_OVER_INTAKE, "request", help_request.public_id, previous=previous.public_id)


def intakes_of(staff: User) -> list[Intake]:
    """The requests this staff member holds for residents, newest first."""
    return list(db.session.execute(
        select(Intake).join(HelpRequest, HelpRequest.id == Intake.request_id)
        .where(HelpRequest.contact_staff_id == staff.id)
        .options(joinedload(Intake.help_request).selectinload(HelpRequest.responses),
                 joinedload(Intake.help_request).joinedload(HelpRequest.wijk),
                 joinedload(Intake.resident))
        .order_by(Intake.created_at.desc())
    ).unique().scalars())


def intake_residents(limit: int = 200) -> list[User]:
    """Residents without a log-in whom staff took in before (to post another request for them)."""
    return list(db.session.execute(
        select(User).join(Intake, Intake.resident_id == User.id).where(User.email.is_(None))
        .distinct().order_by(User.first_name, User.id).limit(limit)
    ).scalars())


def intake_for(help_request: HelpRequest) -> Intake | None:
    return db.session.execute(select(Intake).where(Intake.request_id == help_request.id)).scalar_one_or_none()


# -- warm hand-over ---------------------------------------------------------------------------------------------------

def hand_over(actor: User, help_request: HelpRequest, partner: str, on: date, outcome: str,
              staff_note: str, *, basis: str = referrals.BASIS_CONSENT, consent_on: date | None = None,
              shared_fields: Sequence[str] = (), notify_resident: bool = True) -> Handover:
    """Hand the request over to a professional partner. It leaves the listing; the requester (or their staff
    contact) gets a kind message unless staff hold it back (`notify_resident`; webapp.staff.referrals decides the
    default). The ground for sharing is the resident's consent (on `consent_on`, for `shared_fields`) or a legal
    ground. The note is for staff only and is never shown to anyone else; its first version is kept."""
    if outcome not in HANDOVER_OUTCOMES or basis not in referrals.BASIS_LABELS:
        raise ValueError(outcome)
    if basis == referrals.BASIS_CONSENT and consent_on is None and shared_fields:
        raise ValueError("consent_on")
    asks.close_for_handover(help_request, hidden=not notify_resident)
    handover = Handover(request_id=help_request.id, partner=partner, handed_over_on=on, outcome=outcome,
                        staff_note=staff_note.strip(), staff_id=actor.id, basis=basis, consent_on=consent_on,
                        shared_fields=[f for f in referrals.FIELD_LABELS if f in shared_fields],
                        resident_notified=notify_resident)
    db.session.add(handover)
    db.session.flush()
    referrals.add_note_version(actor, handover, staff_note)
    recipient = help_request.contact_staff_id or help_request.requester_id
    if notify_resident and recipient != actor.id:
        notify(recipient, "handed_over", title=help_request.title, request=help_request.public_id)
    log_action(actor, Action.HANDOVER, "request", help_request.public_id, partner=partner, outcome=outcome,
               basis=basis, shared=list(handover.shared_fields), resident_notified=notify_resident)
    return handover


def handover_version(handover: Handover) -> str:
    """What the outcome form carries: the hand-over as it was when the page was drawn."""
    return handover.updated_at.isoformat()


def update_handover(actor: User, handover: Handover, outcome: str, staff_note: str, seen: str) -> None:
    """Record the outcome, only on the hand-over as `seen` (handover_version when the page was drawn): a conditional
    UPDATE checked by its row count. Two staff saving at once, or an old tab, get ChangedMeanwhile (roll back)."""
    if outcome not in HANDOVER_OUTCOMES:
        raise ValueError(outcome)
    if seen != handover_version(handover):
        raise ChangedMeanwhile
    previous = handover.staff_note
    changed = int(getattr(db.session.execute(
        update(Handover).where(Handover.id == handover.id, Handover.updated_at == handover.updated_at)
        .values(outcome=outcome, staff_note=staff_note.strip(), updated_at=utcnow())
        .execution_options(synchronize_session=False)), "rowcount", 0) or 0)
    if changed != 1:
        raise ChangedMeanwhile
    db.session.refresh(handover)
    log_action(actor, Action.HANDOVER_OUTCOME, "request", handover.help_request.public_id, outcome=outcome)
    if referrals.add_note_version(actor, handover, staff_note, previous) is not None:  # the old version stays
        log_action(actor, Action.HANDOVER_NOTE, "request", handover.help_request.public_id)


def handovers(limit: int = 200) -> list[Handover]:
    return list(db.session.execute(
        select(Handover).options(joinedload(Handover.help_request).joinedload(HelpRequest.wijk),
                                 joinedload(Handover.staff))
        .order_by(Handover.handed_over_on.desc(), Handover.id.desc()).limit(limit)
    ).scalars())


def get_handover(handover_id: int) -> Handover | None:
    return db.session.get(Handover, handover_id)


def handovers_of(help_request: HelpRequest) -> list[Handover]:
    return list(db.session.execute(
        select(Handover).where(Handover.request_id == help_request.id).order_by(Handover.id)
    ).scalars())


# -- rescue of unanswered requests ------------------------------------------------------------------------------------

def unanswered_where(after_days: int, now: datetime) -> tuple[Any, ...]:
    return (
        *visibility.open_to_volunteers(now),
        HelpRequest.created_at <= now - timedelta(days=after_days),
        # NOT EXISTS probes the index per request; NOT IN read every response each time (and is an anti-join
        # PostgreSQL cannot plan well).
        ~exists(select(Response.id).where(Response.request_id == HelpRequest.id)),
        # Snoozed by staff: out of the queue until the day it was snoozed to (then back by itself).
        ~exists(select(RescueState.request_id).where(RescueState.request_id == HelpRequest.id,
                                                     RescueState.snoozed_until > now.date())),
    )


def unanswered(after_days: int = DEFAULT_RESCUE_AFTER_DAYS, now: datetime | None = None, *,
               limit: int | None = None, offset: int = 0) -> list[HelpRequest]:
    """Public open requests nobody responded to for `after_days` days or more, longest waiting first."""
    now = now or utcnow()
    return list(db.session.execute(
        select(HelpRequest).where(*unanswered_where(after_days, now))
        .options(joinedload(HelpRequest.wijk), joinedload(HelpRequest.category), selectinload(HelpRequest.responses),
                 undefer(HelpRequest.match_features))
        .order_by(HelpRequest.created_at, HelpRequest.id).offset(offset).limit(limit)
    ).scalars())


def unanswered_count(after_days: int = DEFAULT_RESCUE_AFTER_DAYS, now: datetime | None = None) -> int:
    now = now or utcnow()
    return int(db.session.execute(
        select(func.count()).select_from(HelpRequest).where(*unanswered_where(after_days, now))
    ).scalar_one())


# -- the overview -----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Overview:
    held: int
    reported_people: int
    unanswered: int
    my_intakes: int
    handovers_pending: int
    screenings_expiring: int


def overview(staff: User, moderation_held: int, reported: int, after_days: int) -> Overview:
    my_intakes = db.session.execute(
        select(func.count()).where(HelpRequest.contact_staff_id == staff.id,
                                   HelpRequest.status.in_((RequestStatus.OPEN, RequestStatus.MATCHED)))
    ).scalar_one()
    pending = db.session.execute(select(func.count()).where(Handover.outcome == "pending")).scalar_one()
    return Overview(held=moderation_held, reported_people=reported, unanswered=unanswered_count(after_days),
                    my_intakes=my_intakes, handovers_pending=pending,
                    screenings_expiring=expiring_screenings_count())


@dataclass(frozen=True)
class StaffPanel:
    """What staff see about a request on its page: the intake and the hand-overs (with their staff-only notes), and
    the form to correct the hours of a match that is done."""

    intake: Intake | None
    handovers: list[Handover]
    hours_form: Any = None


def staff_panel(help_request: HelpRequest, hours_form: Any = None) -> StaffPanel:
    return StaffPanel(intake_for(help_request), handovers_of(help_request), hours_form)


# -- hours of a match -------------------------------------------------------------------------------------------------

def correct_hours(actor: User, help_request: HelpRequest, hours: float) -> None:
    """Set the hours that count for a match that is done (each side recorded its own once). Audit-logged."""
    try:
        before, after = asks.correct_hours(help_request, hours)
    except asks.NotAllowed as error:
        raise NotAllowed from error
    log_action(actor, Action.CORRECT_HOURS, "request", help_request.public_id, before=before, after=after)
