"""A resident staff took a request in for: the intake page's work. The contact log (called, no answer, told about
the match, a letter), the consent version and its withdrawal, the letter for a resident without e-mail, and the
address the chosen volunteer may see.

Staff only; every step is written to the audit log (the kind of contact, never the note).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from webapp.accounts.models import User
from webapp.asks import services as asks
from webapp.asks.models import HelpRequest, RequestStatus, ResponseStatus
from webapp.core.audit import Action, log_action, log_view
from webapp.core.extensions import db
from webapp.core.ids import utcnow
from webapp.notifications.services import notify
from webapp.staff.models import ContactLogEntry, Intake

CONTACT_KINDS: dict[str, LazyString] = {
    "called": _l("Called"),
    "no_answer": _l("No answer"),
    "told_match": _l("Told about the match"),
    "letter": _l("Letter sent"),
    "other": _l("Something else"),
}


class NotAllowed(Exception):
    pass


def intake_by_request(public_id: str) -> Intake | None:
    return db.session.execute(
        select(Intake).join(HelpRequest, HelpRequest.id == Intake.request_id)
        .where(HelpRequest.public_id == public_id)
        .options(joinedload(Intake.help_request), joinedload(Intake.resident), joinedload(Intake.staff))
    ).scalar_one_or_none()


def open_intake(actor: User, public_id: str) -> Intake | None:
    """The intake page as a staff member opens it: it shows the resident's phone and address, so the view is
    written to the audit log (once per session)."""
    intake = intake_by_request(public_id)
    if intake is not None and intake.resident is not None:
        log_view(actor, Action.VIEW_PERSON, "person", intake.resident.public_id, via="intake")
    return intake


# -- the contact log --------------------------------------------------------------------------------------------------

def log_contact(actor: User, intake: Intake, kind: str, note: str = "") -> ContactLogEntry:
    if kind not in CONTACT_KINDS:
        raise ValueError(kind)
    entry = ContactLogEntry(intake_id=intake.id, kind=kind, note=note.strip()[:500], staff_id=actor.id)
    db.session.add(entry)
    log_action(actor, Action.CONTACT_LOGGED, "person", intake.resident.public_id if intake.resident else "",
               kind=kind, request=intake.help_request.public_id)
    return entry


def contact_log(intake: Intake) -> list[ContactLogEntry]:
    """Newest first."""
    return list(db.session.execute(
        select(ContactLogEntry).where(ContactLogEntry.intake_id == intake.id)
        .options(joinedload(ContactLogEntry.staff))
        .order_by(ContactLogEntry.created_at.desc(), ContactLogEntry.id.desc())).scalars())


# -- consent withdrawn ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Withdrawal:
    request_closed: bool  # the open request was cancelled
    match_ended: bool  # the live match was ended (the volunteer no longer sees any contact detail)


def withdraw_consent(actor: User, intake: Intake, on: date) -> Withdrawal:
    """The resident no longer agrees: the intake records when and by whom (once: a conditional UPDATE, so a second
    click or a colleague at the same moment changes nothing); the request goes offline the way it would if the
    resident stopped it themselves (an open request is cancelled and waiting volunteers hear it; a live match is
    ended as the volunteer centre ends one, and the helper hears it kindly); the address is removed. The resident's
    name and phone stay with staff, who may still need to phone them; deleting the account is a separate step
    (the privacy page's erasure). NotAllowed when consent was withdrawn already."""
    changed = db.session.execute(
        update(Intake).where(Intake.id == intake.id, Intake.withdrawn_at.is_(None))
        .values(withdrawn_at=utcnow(), withdrawn_on=on, withdrawn_by_id=actor.id, address="",
                address_shareable=False)
        .execution_options(synchronize_session=False))
    if int(getattr(changed, "rowcount", 0) or 0) != 1:
        raise NotAllowed
    db.session.refresh(intake)
    help_request = intake.help_request
    closed = ended = False
    if help_request.status == RequestStatus.OPEN:
        closed = asks.close_question(help_request)  # refreshes: a helper chosen meanwhile shows as matched
        if closed:
            for response in help_request.responses:
                if response.status == ResponseStatus.PENDING:
                    response.status = ResponseStatus.NOT_CHOSEN
                    notify(response.volunteer_id, "request_cancelled", title=help_request.title,
                           request=help_request.public_id)
    if not closed and help_request.status == RequestStatus.MATCHED and help_request.match is not None:
        volunteer_id = help_request.match.volunteer_id
        ended = asks.end_match(help_request)
        if ended:
            notify(volunteer_id, "match_ended_by_centre", title=help_request.title, request=help_request.public_id)
    log_action(actor, Action.CONSENT_WITHDRAWN, "request", help_request.public_id, on=on.isoformat(),
               request_closed=closed, match_ended=ended)
    return Withdrawal(closed, ended)


# -- the address for the chosen volunteer -----------------------------------------------------------------------------

def address_for_helper(viewer: User | None, help_request: HelpRequest) -> str:
    """The resident's address as the chosen volunteer may see it: only when the resident agreed to share it, only
    for the volunteer of the match, and only while contact details are shown (asks.contact_details_visible, the one
    rule for that). "" for everyone and everything else."""
    if viewer is None or not viewer.is_authenticated or help_request.match is None:
        return ""
    if help_request.match.volunteer_id != viewer.id or not asks.contact_details_visible(help_request):
        return ""
    intake = db.session.execute(select(Intake).where(Intake.request_id == help_request.id)).scalar_one_or_none()
    if intake is None or intake.withdrawn_at is not None or not intake.address_shareable:
        return ""
    return intake.address


# -- the letter -------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Letter:
    resident_name: str
    title: str
    helper_name: str
    staff_name: str
    staff_phone: str
    locale: str


def letter_for(intake: Intake) -> Letter | None:
    """What the letter tells the resident, once a helper is chosen (None before that, or after consent was
    withdrawn): who helps them, and that their contact at the volunteer centre phones to agree a time."""
    help_request = intake.help_request
    match = help_request.match
    if match is None or help_request.status not in (RequestStatus.MATCHED, RequestStatus.DONE) \
            or intake.withdrawn_at is not None:
        return None
    resident, helper, contact = intake.resident, match.volunteer, help_request.contact_staff or intake.staff
    return Letter(resident_name=resident.first_name if resident else "", title=help_request.title,
                  helper_name=helper.first_name if helper else "", staff_name=contact.first_name if contact else "",
                  staff_phone=(contact.phone or "") if contact else "",
                  locale=resident.locale if resident is not None else "nl")


def log_letter_view(actor: User, intake: Intake) -> None:
    """The letter shows the resident's name: a view of their data, once per session."""
    if intake.resident is not None:
        log_view(actor, Action.VIEW_PERSON, "person", intake.resident.public_id, via="letter")


def letter_printed(actor: User, intake: Intake, note: str = "") -> ContactLogEntry:
    """The letter was printed (to be posted or handed over): a contact-log entry, and the audit log."""
    entry = log_contact(actor, intake, "letter", note)
    log_action(actor, Action.LETTER_PRINTED, "request", intake.help_request.public_id)
    return entry
