"""Stored reports: the figures of one period, computed once and read by every worker until they are stale.

Only aggregates are stored (counts, sums, medians, which cells are hidden): never a name, address, e-mail or phone.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from webapp.core.extensions import Base


class ReportSnapshot(Base):
    """The suppressed figures of one period (its tables and its twelve-month trend) as JSON.

    The key is what decides the figures: the period (its code names the kind: 2026-03, 2026-Q1, 2026) and the
    threshold for small numbers. The reader's language is not part of it: names of wijken, kinds of help and goals
    are put in when the figures are shown."""

    __tablename__ = "report_snapshots"

    period: Mapped[str] = mapped_column(String(32), primary_key=True)
    min_cell: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    figures: Mapped[str] = mapped_column(Text)
    computed_at: Mapped[datetime] = mapped_column(DateTime)
