"""Demo data generator (placeholder until the full generator lands)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session


def seed_demo(session: Session, scale: int = 1, progress: Callable[[str], None] | None = None) -> str:
    return "No demo data yet."
