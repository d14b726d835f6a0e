"""Warm hand-over, the parts around the decision (webapp.staff.services.hand_over records it): the ground for
sharing (the resident's consent with the fields agreed, or a legal ground that replaces it), the note's history,
the referral for the partner (an e-mail through the outbox, or a printable page and PDF) with only the agreed
fields, the date the partner picked it up, and a reminder to the staff member when nobody did after N days.

Everything here is staff-only, and every step is written to the audit log (never the shared data itself).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from webapp.accounts.models import User
from webapp.core import outbox
from webapp.core.audit import Action, log_action, log_view
from webapp.core.extensions import db
from webapp.core.i18n import in_language
from webapp.core.ids import utcnow
from webapp.core.mail import Mail, external_url
from webapp.staff.models import Handover, HandoverNote, Intake

BASIS_CONSENT = "consent"
BASIS_LABELS: dict[str, LazyString] = {
    BASIS_CONSENT: _l("The resident agreed"),
    "safety": _l("Serious concern for safety (Veilig Thuis meldcode): no consent needed"),
    "legal_duty": _l("A legal duty to share: no consent needed"),
}
# What a referral may carry; each only when it was agreed (or is needed under the legal ground).
FIELD_LABELS: dict[str, LazyString] = {
    "name": _l("Name of the resident"),
    "phone": _l("Phone number"),
    "address": _l("Address"),
    "request": _l("The text of the request"),
    "note": _l("The staff note"),
}
NOTICE_CHOICES = ("auto", "send", "hold")  # auto: sent for consent, held back for a legal ground
DEFAULT_REMINDER_DAYS = 5


class NotAllowed(Exception):
    pass


def resident_is_told(basis: str, notice: str) -> bool:
    """Whether the resident gets the kind message about the hand-over: staff chose, or by default only when they
    agreed to it (a Veilig Thuis hand-over must not be announced to a household)."""
    if notice == "send":
        return True
    if notice == "hold":
        return False
    return basis == BASIS_CONSENT


# -- the note's history ---------------------------------------------------------------------------------------------

def add_note_version(actor: User | None, handover: Handover, text: str, previous: str = "") -> HandoverNote | None:
    """A new version of the note when the text changed (the old versions stay); None when it did not. `previous`:
    the note before this change, kept as the first version when the hand-over is older than the history."""
    text = text.strip()
    latest = db.session.execute(
        select(HandoverNote.text).where(HandoverNote.handover_id == handover.id)
        .order_by(HandoverNote.id.desc()).limit(1)).scalar_one_or_none()
    if latest is None and previous.strip():
        db.session.add(HandoverNote(handover_id=handover.id, text=previous.strip(), author_id=handover.staff_id,
                                    created_at=handover.created_at))
        latest = previous.strip()
    if (latest or "") == text:
        return None
    note = HandoverNote(handover_id=handover.id, text=text, author_id=actor.id if actor is not None else None)
    db.session.add(note)
    return note


def note_history(handover: Handover) -> list[HandoverNote]:
    """Every version of the note, newest first."""
    return list(db.session.execute(
        select(HandoverNote).where(HandoverNote.handover_id == handover.id)
        .options(joinedload(HandoverNote.author)).order_by(HandoverNote.id.desc())).scalars())


# -- the referral -----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Referral:
    """What a partner receives: always who sends it and why; the resident's data only as agreed."""

    partner: str
    handed_over_on: date
    reference: str
    basis: str
    consent_on: date | None
    staff_name: str
    staff_email: str
    fields: list[tuple[str, str]]  # (field key, value), only the shared ones that have a value


def partner_email(partner: str) -> str | None:
    return (current_app.config.get("HANDOVER_PARTNER_EMAILS") or {}).get(partner) or None


def referral_for(handover: Handover) -> Referral:
    help_request = handover.help_request
    resident = help_request.requester
    intake = db.session.execute(select(Intake).where(Intake.request_id == help_request.id)).scalar_one_or_none()
    values: dict[str, str] = {}
    if resident is not None:
        values["name"] = f"{resident.first_name} {resident.last_name or ''}".strip()
        values["phone"] = resident.phone or ""
        address = intake.address if intake is not None and intake.withdrawn_at is None else ""
        values["address"] = address or (f"{resident.postcode}" if resident.postcode else "")
    values["request"] = f"{help_request.title}\n{help_request.description}".strip()
    values["note"] = handover.staff_note or ""
    shared = [key for key in FIELD_LABELS if key in (handover.shared_fields or [])]
    staff = handover.staff
    return Referral(
        partner=handover.partner, handed_over_on=handover.handed_over_on, reference=help_request.public_id,
        basis=handover.basis, consent_on=handover.consent_on,
        staff_name=f"{staff.first_name} {staff.last_name or ''}".strip() if staff else "",
        staff_email=(staff.email or "") if staff else "",
        fields=[(key, values[key]) for key in shared if values.get(key)])


def send_referral(actor: User, handover: Handover) -> Mail:
    """E-mail the referral to the partner's configured address, through the outbox (sent after the commit). Only
    the agreed fields; in Dutch (the partners are Dutch organisations). NotAllowed when the partner has no
    address."""
    address = partner_email(handover.partner)
    if address is None:
        raise NotAllowed
    referral = referral_for(handover)
    template = current_app.jinja_env.get_template
    with in_language("nl"):
        context = {"referral": referral, "field_label": lambda key: str(FIELD_LABELS[key]),
                   "basis_label": str(BASIS_LABELS.get(referral.basis, referral.basis)),
                   "link": external_url("staff.handovers")}
        mail = Mail(to=address, subject=_("Referral from the volunteer centre (%(reference)s)",
                                          reference=referral.reference),
                    locale="nl", text=template("staff/email/referral.txt").render(**context),
                    html=template("staff/email/referral.html").render(**context))
    outbox.queue(mail)
    handover.referral_sent_at = utcnow()
    log_action(actor, Action.REFERRAL_SENT, "request", handover.help_request.public_id, partner=handover.partner,
               fields=[key for key, _value in referral.fields])
    return mail


def open_referral(actor: User, handover: Handover) -> Referral:
    """The referral as a staff member opens it (it shows the shared data): written to the audit log as a view of
    the resident's data, once per session."""
    referral = referral_for(handover)
    resident = handover.help_request.requester
    if resident is not None and referral.fields:
        log_view(actor, Action.VIEW_PERSON, "person", resident.public_id, via="referral")
    return referral


def log_printed(actor: User, handover: Handover) -> None:
    log_action(actor, Action.REFERRAL_PRINTED, "request", handover.help_request.public_id, partner=handover.partner,
               fields=list(handover.shared_fields or []))


# -- picked up, and the reminder when it is not -----------------------------------------------------------------------

def record_pickup(actor: User, handover: Handover, on: date) -> None:
    """The partner picked the hand-over up on `on` (not before it was handed over)."""
    if on < handover.handed_over_on:
        raise NotAllowed
    handover.picked_up_on = on
    log_action(actor, Action.HANDOVER_PICKED_UP, "request", handover.help_request.public_id,
               partner=handover.partner, on=on.isoformat())


def send_reminders(today: date | None = None, days: int | None = None) -> int:
    """Remind the staff member who handed over, once, when the partner has not picked it up after `days` days (a
    daily job). Each reminder is claimed by a conditional UPDATE, so a second run (or two at once) sends nothing
    new. Returns how many were sent."""
    today = today or utcnow().date()
    days = days if days is not None else int(current_app.config.get("HANDOVER_REMINDER_DAYS", DEFAULT_REMINDER_DAYS))
    due = db.session.execute(
        select(Handover).join(User, User.id == Handover.staff_id)
        .where(Handover.picked_up_on.is_(None), Handover.reminded_at.is_(None), Handover.outcome == "pending",
               Handover.handed_over_on <= today - timedelta(days=days), User.email.is_not(None),
               User.is_blocked.is_(False))
        .options(joinedload(Handover.staff), joinedload(Handover.help_request)).order_by(Handover.id)).scalars().all()
    sent = 0
    for handover in due:
        claimed = db.session.execute(
            update(Handover).where(Handover.id == handover.id, Handover.reminded_at.is_(None))
            .values(reminded_at=utcnow()).execution_options(synchronize_session=False))
        if int(getattr(claimed, "rowcount", 0) or 0) != 1:
            continue
        outbox.queue(_reminder_mail(handover, (today - handover.handed_over_on).days))
        log_action(None, Action.HANDOVER_REMINDER, "request", handover.help_request.public_id,
                   partner=handover.partner, staff=handover.staff.public_id if handover.staff else "")
        sent += 1
    return sent


def _reminder_mail(handover: Handover, waited: int) -> Mail:
    member = handover.staff
    assert member is not None and member.email
    locale = member.locale if member.locale in current_app.config["LANGUAGES"] else "nl"
    template = current_app.jinja_env.get_template
    with in_language(locale):
        context = {"name": member.first_name, "partner": handover.partner, "days": waited,
                   "on": handover.handed_over_on, "link": external_url("staff.handovers"), "locale": locale}
        return Mail(to=member.email, subject=str(_l("Samen: a hand-over was not picked up yet")), locale=locale,
                    text=template("staff/email/handover_reminder.txt").render(**context),
                    html=template("staff/email/handover_reminder.html").render(**context))


def pickup_due(handover: Handover, today: date | None = None, days: int | None = None) -> bool:
    """Whether the list marks this hand-over as waiting too long for the partner."""
    today = today or utcnow().date()
    days = days if days is not None else int(current_app.config.get("HANDOVER_REMINDER_DAYS", DEFAULT_REMINDER_DAYS))
    return (handover.picked_up_on is None and handover.outcome == "pending"
            and handover.handed_over_on <= today - timedelta(days=days))
