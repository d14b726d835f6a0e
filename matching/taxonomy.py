"""The category taxonomy and the seven societal goals (maatschappelijke doelen).

Source: Haarlem uitvraag subsidies sociale basis 2021, via project reference data
(a copy ships in ``matching/data/taxonomy.json``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAYPARTS: tuple[str, ...] = ("morning", "afternoon", "evening")


@dataclass(frozen=True, slots=True)
class Goal:
    """One of the city's seven societal goals."""

    id: int
    nl: str
    en: str


@dataclass(frozen=True, slots=True)
class Category:
    """A help-request category with the goals it serves."""

    key: str
    nl: str
    en: str
    goals: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Taxonomy:
    """Categories and goals, in the order of the reference file."""

    categories: tuple[Category, ...]
    goals: tuple[Goal, ...]

    @property
    def category_keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.categories)

    def category(self, key: str) -> Category:
        """Return the category with this key; raise KeyError if there is none."""
        for cat in self.categories:
            if cat.key == key:
                return cat
        raise KeyError(key)

    def goal(self, goal_id: int) -> Goal:
        """Return the goal with this id; raise KeyError if there is none."""
        for goal in self.goals:
            if goal.id == goal_id:
                return goal
        raise KeyError(goal_id)

    def has_category(self, key: str) -> bool:
        return any(c.key == key for c in self.categories)

    def category_index(self, key: str) -> int:
        """Position of the category in ``categories`` (used for feature vectors)."""
        for i, cat in enumerate(self.categories):
            if cat.key == key:
                return i
        raise KeyError(key)


@lru_cache(maxsize=1)
def load_taxonomy() -> Taxonomy:
    """Load the taxonomy shipped with the package (cached)."""
    text = resources.files("matching").joinpath("data/taxonomy.json").read_text(encoding="utf-8")
    raw = json.loads(text)
    goals = tuple(Goal(id=int(g["id"]), nl=str(g["nl"]), en=str(g["en"])) for g in raw["goals"])
    categories = tuple(
        Category(
            key=str(c["key"]),
            nl=str(c["nl"]),
            en=str(c["en"]),
            goals=tuple(int(x) for x in c["goals"]),
        )
        for c in raw["categories"]
    )
    return Taxonomy(categories=categories, goals=goals)
