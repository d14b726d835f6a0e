"""Frozen input and output records of the matching engine.

These are plain values: the web app turns its ORM rows into them, the CLI turns JSON lines into them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from matching.taxonomy import DAYPARTS, WEEKDAYS

Outcome = Literal["shown", "responded", "accepted", "completed", "declined", "thanked"]
#: shown (a suggestion was displayed), declined ("not for me"), responded, accepted (chosen by the requester),
#: completed (done), thanked (the requester said thanks afterwards).
OUTCOMES: tuple[str, ...] = ("shown", "responded", "accepted", "completed", "declined", "thanked")
POSITIVE_OUTCOMES: frozenset[str] = frozenset({"responded", "accepted", "completed", "thanked"})

#: Every valid availability slot, e.g. ``"tue-afternoon"``; bit i of a slot mask is SLOTS[i].
SLOTS: tuple[str, ...] = tuple(f"{d}-{p}" for d in WEEKDAYS for p in DAYPARTS)
SLOT_BITS: Mapping[str, int] = {s: 1 << i for i, s in enumerate(SLOTS)}

ReasonCode = Literal[
    "skill",
    "asked",
    "category",
    "distance",
    "availability",
    "language",
    "speaks_dutch",
    "screening",
    "experience",
    "need",
    "goal",
]


@dataclass(frozen=True, slots=True)
class Volunteer:
    """A volunteer profile.

    ``availability`` empty means flexible. ``experience`` maps category keys to the number of
    completed helps in that category. ``open_commitments`` and ``recent_suggestions`` feed the
    exposure-spreading penalty.
    """

    id: str
    skills: tuple[str, ...]
    languages: frozenset[str]
    lat: float
    lon: float
    max_distance_km: float
    availability: frozenset[str] = frozenset()
    screened: bool = False
    bio: str = ""
    open_commitments: int = 0
    recent_suggestions: int = 0
    experience: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class HelpRequest:
    """A help request (vraag). ``when`` empty means flexible.

    ``waiting_days`` (or ``posted_at`` together with a ``now`` given to the ranker) lets a request
    that has had no response (``responses == 0``) rise in volunteers' suggestions. ``responses`` and
    ``listed_in`` (how many volunteers' stored suggestion lists hold it now) spread attention: a
    request already answered or shown to many sinks a little in further lists.
    """

    id: str
    title: str
    category: str
    languages: frozenset[str]
    lat: float
    lon: float
    description: str = ""
    when: frozenset[str] = frozenset()
    needs_screening: bool = False
    posted_at: datetime | None = None
    waiting_days: float | None = None
    responses: int = 0
    listed_in: int = 0


@dataclass(frozen=True, slots=True)
class Initiative:
    """A resident initiative with the goals it serves and free-text needs."""

    id: str
    name: str
    lat: float
    lon: float
    description: str = ""
    goals: tuple[int, ...] = ()
    needs: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Interaction:
    """One logged outcome of showing a request to a volunteer."""

    volunteer: str
    request: str
    outcome: Outcome
    at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Reason:
    """A machine-readable reason; the web app translates ``code`` and formats ``detail``."""

    code: ReasonCode
    detail: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "detail": self.detail}


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A ranked suggestion: the id of the other side, its score (higher is better) and reasons.

    ``probability`` is the model's calibrated chance of a positive response (cold start: a
    heuristic in [0, 1]) before the ordering rules were applied; ``score`` is what orders the list.
    """

    id: str
    score: float
    reasons: tuple[Reason, ...]
    probability: float = 0.0

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "score": round(self.score, 4),
            "reasons": [r.to_dict() for r in self.reasons],
        }


def slot_mask(slots: frozenset[str] | tuple[str, ...]) -> int:
    """Bit mask of slots; unknown slots raise KeyError."""
    mask = 0
    for slot in slots:
        mask |= SLOT_BITS[slot]
    return mask
