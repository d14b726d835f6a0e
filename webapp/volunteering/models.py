"""A person's secret calendar feed, and the alerts sent about new vacancies and needs."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from webapp.core.extensions import Base
from webapp.core.ids import utcnow


class CalendarFeed(Base):
    """The address of a person's own agenda feed (iCal). The URL carries `feed_id` and a signature of it made with
    the app's secret key, so the database alone does not give anyone the address. Making a new one (or stopping it)
    deletes the row: the old address no longer works."""

    __tablename__ = "calendar_feeds"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    feed_id: Mapped[str] = mapped_column(String(32), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class NeedAlert(Base):
    """A volunteer was told that a new vacancy or need fits them: once per need, a few a day at most."""

    __tablename__ = "need_alerts"

    need_id: Mapped[int] = mapped_column(ForeignKey("initiative_needs.id", ondelete="CASCADE"), primary_key=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True,
                                              index=True)
    score: Mapped[float] = mapped_column(Float, default=0.0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
