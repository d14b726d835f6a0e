"""Messages for one person, what they want by e-mail, and the digests sent to them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from webapp.core.extensions import Base
from webapp.core.ids import utcnow


class Notification(Base):
    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_user_id_read_at", "user_id", "read_at"),
        Index("ix_notifications_emailed_at_created_at", "emailed_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    # Only what the message needs: a title, a wijk name, a link target. Never contact details.
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]
    # When the e-mail side was done with it: sent on its own, put in a digest, or not to be sent (e-mail off).
    # NULL: still to be e-mailed (straight away, or in the next daily or weekly digest).
    emailed_at: Mapped[datetime | None]


class NotificationPreference(Base):
    """How one person wants e-mail about one kind of news. No row: the default for that kind."""

    __tablename__ = "notification_preferences"
    __table_args__ = (UniqueConstraint("user_id", "kind", name="uq_notification_preferences_user_id_kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    channel: Mapped[str] = mapped_column(String(10))


class DigestStatus:
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"


class EmailDigest(Base):
    """One digest for one person in one period ("daily:2026-11-23", "weekly:2026-W48").

    The unique key makes a second digest for the same period impossible; a run claims the row with a conditional
    UPDATE before sending and marks it sent afterwards, so two runs (or a rerun after a crash) never send twice.
    """

    __tablename__ = "email_digests"
    __table_args__ = (UniqueConstraint("user_id", "period_key", name="uq_email_digests_user_id_period_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    period_key: Mapped[str] = mapped_column(String(24))
    status: Mapped[str] = mapped_column(String(10), default=DigestStatus.PENDING)
    item_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
