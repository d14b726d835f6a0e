"""The counters behind rate limits when they live in the app's own database (RATELIMIT_STORAGE_URI=samen+db://)."""

from __future__ import annotations

from sqlalchemy import Float, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from webapp.core.extensions import Base


class RateCounter(Base):
    """One fixed-window counter. The key holds hashes of e-mail addresses and IP addresses, never the values."""

    __tablename__ = "rate_counters"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
    expires_at: Mapped[float] = mapped_column(Float, index=True)  # seconds since the epoch
