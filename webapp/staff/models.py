"""What staff record: certificate-of-conduct checks, reports, assisted intakes and hand-overs (the audit log is
webapp.core.audit)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, Boolean, Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql import expression

from webapp.accounts.models import User
from webapp.asks.models import HelpRequest
from webapp.core.extensions import Base
from webapp.core.ids import new_public_id, utcnow
from webapp.offers.models import Offer


class Screening(Base):
    """A certificate of conduct (VOG) a staff member checked for a volunteer."""

    __tablename__ = "screenings"

    id: Mapped[int] = mapped_column(primary_key=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    checked_on: Mapped[date]
    valid_until: Mapped[date]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # What an auditor asks for besides the date of issue (checked_on, the date on the certificate) and who recorded
    # it: the certificate's number and the screening profile (the Justis "functieaspecten" it was asked for, as
    # codes: webapp.staff.screening.PROFILE_CODES). Both optional.
    reference: Mapped[str | None] = mapped_column(String(20))
    profile: Mapped[list[str] | None] = mapped_column(JSON)

    volunteer: Mapped[User] = relationship(foreign_keys=[volunteer_id])
    recorded_by: Mapped[User | None] = relationship(foreign_keys=[recorded_by_id])


class ReportTarget(StrEnum):
    REQUEST = "request"
    OFFER = "offer"
    PERSON = "person"


class ReportOutcome(StrEnum):
    UPHELD = "upheld"        # staff rejected the item or blocked the person
    DISMISSED = "dismissed"  # staff kept the item, or closed the reports about the person
    VOID = "void"            # the reporter was blocked: their open reports no longer count


class Report(Base):
    """Someone reported a request, an offer or a person. In the staff queue at once; open until a staff member
    decides. `open_key` ("request:12") is set while open: one open report per reporter and target (unique)."""

    __tablename__ = "moderation_reports"
    __table_args__ = (UniqueConstraint("reporter_id", "open_key", name="uq_moderation_reports_reporter_id_open_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    target_kind: Mapped[str] = mapped_column(String(10))
    request_id: Mapped[int | None] = mapped_column(ForeignKey("help_requests.id", ondelete="CASCADE"), index=True)
    offer_id: Mapped[int | None] = mapped_column(ForeignKey("offers.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(String(20))
    details: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    open_key: Mapped[str | None] = mapped_column(String(40))
    # "unsafe" and "money": first in the queue, and e-mailed to the staff on duty.
    is_urgent: Mapped[bool] = mapped_column(Boolean, default=False, server_default=expression.false())
    # How much this report counts towards hiding the item before staff decide (how established the reporter was).
    weight: Mapped[float] = mapped_column(Float, default=1.0, server_default="1")
    outcome: Mapped[str | None] = mapped_column(String(10))

    reporter: Mapped[User | None] = relationship(foreign_keys=[reporter_id])
    help_request: Mapped[HelpRequest | None] = relationship()
    offer: Mapped[Offer | None] = relationship()
    person: Mapped[User | None] = relationship(foreign_keys=[person_id])


class Intake(Base):
    """A request a staff member posted for a resident who cannot or will not use the site, with their consent."""

    __tablename__ = "intakes"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("help_requests.id", ondelete="CASCADE"), unique=True)
    resident_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    consent_how: Mapped[str] = mapped_column(String(12))  # phone, in_person, paper
    consent_given_by: Mapped[str] = mapped_column(String(12))  # resident, family, carer, other
    consent_on: Mapped[date]
    note: Mapped[str] = mapped_column(Text, default="")  # staff only
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Which consent text the resident agreed to (webapp.staff.consent), and who recorded it when.
    consent_version: Mapped[str] = mapped_column(String(20), default="", server_default="")
    consent_recorded_at: Mapped[datetime | None]
    consent_recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The resident withdrew their consent: the request went offline, the address is no longer shared.
    withdrawn_on: Mapped[date | None]
    withdrawn_at: Mapped[datetime | None]
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The resident's address, and whether the chosen volunteer may see it (only while the match is live).
    address: Mapped[str] = mapped_column(String(200), default="", server_default="")
    address_shareable: Mapped[bool] = mapped_column(Boolean, default=False, server_default=expression.false())

    help_request: Mapped[HelpRequest] = relationship()
    resident: Mapped[User | None] = relationship(foreign_keys=[resident_id])
    staff: Mapped[User | None] = relationship(foreign_keys=[staff_id])
    consent_recorded_by: Mapped[User | None] = relationship(foreign_keys=[consent_recorded_by_id])
    withdrawn_by: Mapped[User | None] = relationship(foreign_keys=[withdrawn_by_id])


class Handover(Base):
    """A warm hand-over of a request to a professional partner. The note is for staff only."""

    __tablename__ = "handovers"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("help_requests.id", ondelete="CASCADE"), index=True)
    partner: Mapped[str] = mapped_column(String(60))
    handed_over_on: Mapped[date] = mapped_column(index=True)
    outcome: Mapped[str] = mapped_column(String(20), default="pending")
    staff_note: Mapped[str] = mapped_column(Text, default="")
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # The ground for sharing (webapp.staff.referrals): "consent" (with its date and the fields agreed to share), or a
    # legal ground that replaces consent ("safety": Veilig Thuis meldcode, "legal_duty").
    basis: Mapped[str] = mapped_column(String(20), default="consent", server_default="consent")
    consent_on: Mapped[date | None]
    shared_fields: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    resident_notified: Mapped[bool] = mapped_column(Boolean, default=True, server_default=expression.true())
    referral_sent_at: Mapped[datetime | None]
    picked_up_on: Mapped[date | None]
    reminded_at: Mapped[datetime | None]

    help_request: Mapped[HelpRequest] = relationship()
    staff: Mapped[User | None] = relationship()
    notes: Mapped[list[HandoverNote]] = relationship(order_by="HandoverNote.id.desc()",
                                                     cascade="all, delete-orphan", back_populates="handover")


class HandoverNote(Base):
    """One version of a hand-over's staff note. Never changed: an edit adds a version (`Handover.staff_note` is the
    latest, for the lists)."""

    __tablename__ = "handover_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    handover_id: Mapped[int] = mapped_column(ForeignKey("handovers.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    handover: Mapped[Handover] = relationship(back_populates="notes")
    author: Mapped[User | None] = relationship()


class ContactLogEntry(Base):
    """Staff contact with a resident they took a request in for: called, no answer, told about the match, a letter.
    Staff only."""

    __tablename__ = "contact_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    intake_id: Mapped[int] = mapped_column(ForeignKey("intakes.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # called, no_answer, told_match, letter, other
    note: Mapped[str] = mapped_column(String(500), default="")
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    staff: Mapped[User | None] = relationship()
    intake: Mapped[Intake] = relationship()


class StaffTask(Base):
    """Something a staff member must do for a person: phone them (after a block ended their match, so they hear
    what happened from a person and not only from a message). Open until a staff member marks it done."""

    __tablename__ = "staff_tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(16), unique=True, default=new_public_id)
    kind: Mapped[str] = mapped_column(String(30))  # "phone_after_block"
    person_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("help_requests.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    done_at: Mapped[datetime | None] = mapped_column(index=True)
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    person: Mapped[User | None] = relationship(foreign_keys=[person_id])
    help_request: Mapped[HelpRequest | None] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    done_by: Mapped[User | None] = relationship(foreign_keys=[done_by_id])


from webapp.staff.rescue_models import RescueNote, RescueState, VogApplication, VogReminder  # noqa: E402,F401
