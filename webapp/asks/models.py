"""Help requests, the responses volunteers give, and the match that follows an acceptance."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql import expression

from webapp.accounts.models import User
from webapp.core.extensions import Base
from webapp.core.ids import new_public_id, utcnow
from webapp.core.moderation import Moderation
from webapp.core.reference.models import Category, Wijk

if TYPE_CHECKING:  # offers sit above requests: a request made from an offer points up by name only
    from webapp.offers.models import Offer


class RequestStatus(StrEnum):
    OPEN = "open"
    MATCHED = "matched"
    DONE = "done"
    CANCELLED = "cancelled"
    EXPIRED = "expired"
    HANDED_OVER = "handed_over"  # staff handed it over to a professional partner (warm hand-over)


class ResponseStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    NOT_CHOSEN = "not_chosen"
    WITHDRAWN = "withdrawn"
    # Closed because the request came to need a certificate of conduct (VOG) the volunteer does not have.
    NEEDS_SCREENING = "needs_vog"


class HelpRequest(Base):
    __tablename__ = "help_requests"
    __table_args__ = (
        Index("ix_help_requests_status_created_at", "status", "created_at"),
        # The public listing: its filters and order in one index, so counting and paging never read the rows.
        Index("ix_help_requests_listing", "status", "moderation", "needs_screening", "offer_id", "expires_at",
              "created_at", "requester_id"),
        Index("ix_help_requests_created_at", "created_at"),  # report periods
        Index("ix_help_requests_moderation", "moderation"),  # the staff moderation queue
        # Requests waiting for a first response (the staff workspace's count and the rescue queue): the equality
        # filters, then the age, then what the rest of the filter reads, so counting never reads the rows.
        Index("ix_help_requests_waiting", "status", "moderation", "offer_id", "created_at", "expires_at",
              "requester_id"),
        # A staff member's intakes still running (the workspace): thousands per staff member in a region.
        Index("ix_help_requests_contact_staff_status", "contact_staff_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(16), unique=True, default=new_public_id)
    requester_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text)
    # The language the title and description are written in (shown with their own lang attribute).
    text_language: Mapped[str] = mapped_column(String(5), default="nl", server_default="nl")
    category_key: Mapped[str] = mapped_column(ForeignKey("categories.key"), index=True)
    wijk_id: Mapped[int] = mapped_column(ForeignKey("wijken.id"), index=True)
    on_date: Mapped[date | None]
    slots: Mapped[list[str]] = mapped_column(JSON, default=list)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    is_recurring: Mapped[bool] = mapped_column(Boolean, default=False)
    needs_screening: Mapped[bool] = mapped_column(Boolean, default=False)
    # When an edit made an open request need a VOG: volunteers who had it open are told kindly for a while after.
    screening_required_at: Mapped[datetime | None]
    # Set when a resident asks a volunteer directly from an offer: not in the public listing.
    offer_id: Mapped[int | None] = mapped_column(ForeignKey("offers.id", ondelete="SET NULL"), index=True)
    status: Mapped[str] = mapped_column(String(12), default=RequestStatus.OPEN)
    # Several kB per row: loaded only where the matching engine needs it (undefer), never for lists.
    match_features: Mapped[dict[str, Any] | None] = mapped_column(JSON, deferred=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    expires_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]
    # Set when the text was replaced and the requester unlinked (account deleted, or the retention period
    # passed; see webapp.privacy.services). What stays: category, wijk, dates, status and hours.
    anonymised_at: Mapped[datetime | None] = mapped_column(index=True)
    # Automatic text checks and staff decisions: only "ok" requests are public (see webapp.core.moderation).
    moderation: Mapped[str] = mapped_column(String(10), default=Moderation.OK, server_default=Moderation.OK.value)
    moderation_flags: Mapped[list[str] | None] = mapped_column(JSON)
    # Assisted intake: the staff member who posted for the resident and is the contact after a match.
    contact_staff_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    # Handed over on a legal ground with the resident's notice held back (a Veilig Thuis meldcode hand-over): the
    # resident's own pages, messages and data download show the request as closed, and nothing of the hand-over
    # (`resident_status`). Staff see everything.
    is_handover_hidden: Mapped[bool] = mapped_column(Boolean, default=False, server_default=expression.false())

    requester: Mapped[User | None] = relationship(foreign_keys=[requester_id])
    contact_staff: Mapped[User | None] = relationship(foreign_keys=[contact_staff_id])
    category: Mapped[Category] = relationship()
    wijk: Mapped[Wijk] = relationship()
    offer: Mapped[Offer | None] = relationship("Offer")
    responses: Mapped[list[Response]] = relationship(
        back_populates="help_request", order_by="Response.created_at", cascade="all, delete-orphan"
    )
    match: Mapped[Match | None] = relationship(back_populates="help_request", uselist=False)

    @property
    def is_open(self) -> bool:
        return self.status == RequestStatus.OPEN

    @property
    def is_public_ok(self) -> bool:
        """Passed the automatic checks, or a staff member approved it."""
        return self.moderation == Moderation.OK


class Response(Base):
    __tablename__ = "responses"
    __table_args__ = (
        UniqueConstraint("request_id", "volunteer_id", name="uq_responses_request_id_volunteer_id"),
        Index("ix_responses_request_id_created_at", "request_id", "created_at"),  # first response per request
        Index("ix_responses_created_at", "created_at"),  # report periods
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(16), unique=True, default=new_public_id)
    request_id: Mapped[int] = mapped_column(ForeignKey("help_requests.id", ondelete="CASCADE"), index=True)
    volunteer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    message: Mapped[str] = mapped_column(Text)
    text_language: Mapped[str] = mapped_column(String(5), default="nl", server_default="nl")
    status: Mapped[str] = mapped_column(String(12), default=ResponseStatus.PENDING)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    help_request: Mapped[HelpRequest] = relationship(back_populates="responses")
    volunteer: Mapped[User | None] = relationship()


class Match(Base):
    """An accepted response. Unique per request: the database refuses a second one.

    Hours and thanks are recorded once per side (a conditional UPDATE on the side's `*_thanked_at`). `hours` is
    the figure the reports count: a staff correction, else the requester's figure, else the volunteer's."""

    __tablename__ = "matches"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("help_requests.id", ondelete="CASCADE"), unique=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("responses.id", ondelete="CASCADE"), unique=True)
    volunteer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    done_at: Mapped[datetime | None] = mapped_column(index=True)
    hours: Mapped[float | None] = mapped_column(Float)
    requester_thanks: Mapped[str] = mapped_column(Text, default="")
    volunteer_thanks: Mapped[str] = mapped_column(Text, default="")
    requester_hours: Mapped[float | None] = mapped_column(Float)
    volunteer_hours: Mapped[float | None] = mapped_column(Float)
    requester_thanked_at: Mapped[datetime | None]
    volunteer_thanked_at: Mapped[datetime | None]
    hours_corrected_at: Mapped[datetime | None]  # staff set `hours` (who and from what: the audit log)

    help_request: Mapped[HelpRequest] = relationship(back_populates="match")
    response: Mapped[Response] = relationship()
    volunteer: Mapped[User | None] = relationship()


class Outcome(StrEnum):
    SHOWN = "shown"
    OPENED = "opened"
    RESPONDED = "responded"
    ACCEPTED = "accepted"
    COMPLETED = "completed"
    DECLINED = "declined"
    THANKED = "thanked"  # the requester said thanks for the help


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
