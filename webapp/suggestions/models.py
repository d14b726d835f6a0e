"""Invitations to volunteers and the stored suggestion lists (what happened between volunteers and requests is
webapp.asks.events)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Float, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.accounts.models import User
from webapp.core.extensions import Base
from webapp.core.ids import utcnow


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


class SuggestionList(Base):
    """When a volunteer's suggestions were last computed. A row with no items means "nothing suits you now";
    no row means "never computed" (or thrown away because the profile changed)."""

    __tablename__ = "suggestion_lists"

    volunteer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)


class StoredSuggestion(Base):
    """One ranked suggestion for a volunteer, as the engine computed it (by the background refresh or a page view):
    a request, or an initiative with the need it named. A page view reads these and filters them against the
    current state of the request or initiative, so nothing that closed since can show."""

    __tablename__ = "volunteer_suggestions"
    __table_args__ = (
        UniqueConstraint("volunteer_id", "kind", "rank", name="uq_volunteer_suggestions_volunteer_id_kind_rank"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))  # "request" or "initiative"
    rank: Mapped[int]
    request_id: Mapped[int | None] = mapped_column(ForeignKey("help_requests.id", ondelete="CASCADE"), index=True)
    initiative_id: Mapped[int | None] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"), index=True)
    need_id: Mapped[int | None] = mapped_column(ForeignKey("initiative_needs.id", ondelete="CASCADE"), index=True)
    score: Mapped[float] = mapped_column(Float)
    reasons: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)  # the engine's codes and details


class ShownVolunteer(Base):
    """A volunteer an organiser was shown as a suggestion for a need, and when last. Caps how many different
    volunteers one organiser sees a day, so that changing a need over and over does not page through everyone."""

    __tablename__ = "shown_volunteers"

    viewer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True,
                                              index=True)
    shown_at: Mapped[datetime] = mapped_column(default=utcnow)


class RequestPlacement(Base):
    """A request that became public (or was edited) and must be placed into the stored lists of the volunteers it
    fits (webapp.suggestions.freshness). Written in the poster's own transaction, so a crash after the commit loses
    nothing: the worker thread, or else the refresh job, places it. Due while `placed_at` is empty or older than
    `queued_at`."""

    __tablename__ = "request_placements"

    request_id: Mapped[int] = mapped_column(ForeignKey("help_requests.id", ondelete="CASCADE"), primary_key=True)
    queued_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_until: Mapped[datetime | None]
    placed_at: Mapped[datetime | None] = mapped_column(index=True)


class SuggestionNotice(Base):
    """A volunteer was told about a new request that fits them very well (notification kind "suggested_request"):
    at most once per request, and at most SUGGESTION_NOTICES_PER_DAY per volunteer in 24 hours."""

    __tablename__ = "suggestion_notices"
    __table_args__ = (
        UniqueConstraint("volunteer_id", "request_id", name="uq_suggestion_notices_volunteer_id_request_id"),
        Index("ix_suggestion_notices_volunteer_id_created_at", "volunteer_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    request_id: Mapped[int] = mapped_column(ForeignKey("help_requests.id", ondelete="CASCADE"), index=True)
    score: Mapped[float] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
