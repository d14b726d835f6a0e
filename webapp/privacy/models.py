"""The record that an account was erased. The user row stays as an empty shell (no name, e-mail, phone,
postcode, password), so that counts in reports, sign-ups and backings keep adding up."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from webapp.extensions import Base
from webapp.ids import utcnow


class AccountErasure(Base):
    __tablename__ = "account_erasures"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    erased_at: Mapped[datetime] = mapped_column(default=utcnow)
    by_staff: Mapped[bool] = mapped_column(Boolean, default=False)
