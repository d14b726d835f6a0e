"""What staff record while rescuing requests nobody answered (snoozed, widened, notes and phone outcomes) and around
certificates of conduct (applied for, reminders sent). Kept apart from webapp.staff.models, imported at its end."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.accounts.models import User
from webapp.core.extensions import Base
from webapp.core.ids import utcnow


class RescueState(Base):
    """How staff changed an unanswered request's place in the rescue queue: snoozed until a day (it is back in the
    queue on that day by itself), widened to its whole stadsdeel. No row: neither."""

    __tablename__ = "rescue_states"

    request_id: Mapped[int] = mapped_column(ForeignKey("help_requests.id", ondelete="CASCADE"), primary_key=True)
    snoozed_until: Mapped[date | None] = mapped_column(index=True)
    widened_at: Mapped[datetime | None]


class RescueNote(Base):
    """One line of a request's rescue history, never changed afterwards: a staff note, what a phone call brought
    (RESCUE_OUTCOMES), or what staff did (extended, widened, snoozed)."""

    __tablename__ = "rescue_notes"
    __table_args__ = (Index("ix_rescue_notes_request_id_created_at", "request_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("help_requests.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped[User | None] = relationship()


class VogApplication(Base):
    """A volunteer applied for a certificate of conduct (VOG) and it has not been recorded yet: the "applied for"
    filter of the screening list. Removed when staff record the certificate."""

    __tablename__ = "vog_applications"

    volunteer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    requested_on: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class VogReminder(Base):
    """A reminder that a volunteer's VOG lapses was sent, `days_before` (60 or 14) days before `valid_until`: one row
    per reminder, so the job sends each one once, however often it runs."""

    __tablename__ = "vog_reminders"
    __table_args__ = (UniqueConstraint("volunteer_id", "valid_until", "days_before",
                                       name="uq_vog_reminders_volunteer_id_valid_until_days_before"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    valid_until: Mapped[date]
    days_before: Mapped[int] = mapped_column(Integer)
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
