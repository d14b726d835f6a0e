"""Rendered public pages as anonymous visitors see them, shared by every worker and app server."""

from __future__ import annotations

from sqlalchemy import Float, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from webapp.core.extensions import Base


class CachedPage(Base):
    """One rendered page (key: a hash of language and URL), or a mark that a group of pages was just cleared.

    A page holds only what anyone can see without logging in: never contact details or anything personal.
    """

    __tablename__ = "page_cache"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    tag: Mapped[str] = mapped_column(String(20), index=True)  # the group cleared together: requests, offers, ...
    body: Mapped[bytes] = mapped_column(LargeBinary)
    expires_at: Mapped[float] = mapped_column(Float, index=True)  # seconds since the epoch
