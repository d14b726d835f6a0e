"""A volunteer's standing offer of help."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.accounts.models import User
from webapp.core.extensions import Base
from webapp.core.ids import new_public_id, utcnow
from webapp.core.moderation import Moderation
from webapp.core.reference.models import Category, Wijk


class OfferStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class Offer(Base):
    __tablename__ = "offers"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(16), unique=True, default=new_public_id)
    volunteer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text)
    text_language: Mapped[str] = mapped_column(String(5), default="nl", server_default="nl")
    category_key: Mapped[str] = mapped_column(ForeignKey("categories.key"), index=True)
    wijk_id: Mapped[int] = mapped_column(ForeignKey("wijken.id"), index=True)
    slots: Mapped[list[str]] = mapped_column(JSON, default=list)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(12), default=OfferStatus.OPEN, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Automatic text checks and staff decisions: only "ok" offers are public (see webapp.core.moderation).
    moderation: Mapped[str] = mapped_column(String(10), default=Moderation.OK, server_default=Moderation.OK.value,
                                            index=True)
    moderation_flags: Mapped[list[str] | None] = mapped_column(JSON)

    volunteer: Mapped[User | None] = relationship()
    category: Mapped[Category] = relationship()
    wijk: Mapped[Wijk] = relationship()

    @property
    def needs_screening(self) -> bool:
        """Help of a kind that needs a certificate of conduct (VOG): homework support, paperwork."""
        return bool(self.category.requires_screening)
