"""What happened to suggestions (training data for the engine) and invitations to volunteers."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.accounts.models import User
from webapp.extensions import Base
from webapp.ids import utcnow


class Outcome(StrEnum):
    SHOWN = "shown"
    OPENED = "opened"
    RESPONDED = "responded"
    ACCEPTED = "accepted"
    COMPLETED = "completed"
    DECLINED = "declined"


class SuggestionEvent(Base):
    """One thing that happened between a volunteer and a request: shown, opened, responded, ..."""

    __tablename__ = "suggestion_events"
    __table_args__ = (
        Index("ix_suggestion_events_volunteer_id_created_at", "volunteer_id", "created_at"),
        Index("ix_suggestion_events_request_id", "request_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    request_id: Mapped[int] = mapped_column(ForeignKey("help_requests.id", ondelete="CASCADE"))
    outcome: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Invitation(Base):
    """A requester or staff member asked a suggested volunteer to look at a request."""

    __tablename__ = "invitations"
    __table_args__ = (UniqueConstraint("request_id", "volunteer_id", name="uq_invitations_request_id_volunteer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("help_requests.id", ondelete="CASCADE"), index=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    volunteer: Mapped[User] = relationship(foreign_keys=[volunteer_id])
