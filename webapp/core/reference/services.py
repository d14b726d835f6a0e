"""Loading reference data and resolving postcodes to wijken."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import delete, select
from sqlalchemy.orm import Session, scoped_session, selectinload

from matching.taxonomy import load_taxonomy
from webapp.core.reference.models import Buurt, Category, Goal, PostcodeArea, Stadsdeel, Wijk, category_goals

DATA_DIR = Path(__file__).resolve().parent / "data"
# Categories where the helper comes close to someone's money or children: a screened volunteer is required.
DbSession = Session | scoped_session[Any]
SCREENED_CATEGORIES = frozenset({"paperwork", "homework"})
POSTCODE_RE = re.compile(r"^\s*([1-9][0-9]{3})\s*([A-Za-z]{2})?\s*$")


class PostcodeError(ValueError):
    """A postcode that is malformed ("malformed") or not in Haarlem ("outside")."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class PostcodeMatch:
    pc4: str
    wijken: tuple[Wijk, ...]  # most likely first

    @property
    def is_ambiguous(self) -> bool:
        return len(self.wijken) > 1


def normalise_pc4(text: str) -> str:
    """Return the PC4 part of a Dutch postcode ("2034", "2034 AB", "2034ab"), or raise PostcodeError."""
    found = POSTCODE_RE.match(text or "")
    if not found:
        raise PostcodeError("malformed")
    return found.group(1)


def normalise_postcode(text: str) -> str:
    """The usual spelling of a Dutch postcode: " 2034ab " → "2034 AB", "2034" → "2034". Raises PostcodeError."""
    found = POSTCODE_RE.match(text or "")
    if not found:
        raise PostcodeError("malformed")
    return f"{found.group(1)} {found.group(2).upper()}" if found.group(2) else found.group(1)


def lookup_postcode(session: DbSession, text: str) -> PostcodeMatch:
    pc4 = normalise_pc4(text)
    rows = session.execute(
        select(Wijk)
        .join(PostcodeArea, PostcodeArea.wijk_id == Wijk.id)
        .where(PostcodeArea.pc4 == pc4)
        .order_by(PostcodeArea.weight.desc(), Wijk.name)
    ).scalars().all()
    if not rows:
        raise PostcodeError("outside")
    return PostcodeMatch(pc4=pc4, wijken=tuple(rows))


def postcode_table(session: DbSession) -> dict[str, tuple[Wijk, ...]]:
    """Every Haarlem PC4 with its wijken, most likely first (20 postcodes; 11 of them lie in more than one wijk)."""
    rows = session.execute(
        select(PostcodeArea.pc4, Wijk)
        .join(Wijk, PostcodeArea.wijk_id == Wijk.id)
        .order_by(PostcodeArea.pc4, PostcodeArea.weight.desc(), Wijk.name)
    ).all()
    table: dict[str, list[Wijk]] = {}
    for pc4, wijk in rows:
        table.setdefault(pc4, []).append(wijk)
    return {pc4: tuple(wijken) for pc4, wijken in table.items()}


def _postcode_weights(row: dict[str, str]) -> dict[str, float]:
    """Estimate addresses per PC4 for one wijk row of haarlem_wijken.csv (see data/SOURCES.md)."""
    minor: dict[str, float] = {}
    for item in row["postcodes_minor"].split():
        code, _, count = item.partition("(")
        minor[code] = float(count.rstrip(")") or 1)
    main = row["postcodes"].split()
    rest = max(float(row["addresses_2024"]) - sum(minor.values()), 1.0)
    shares = list(range(len(main), 0, -1))
    weights = {code: rest * share / sum(shares) for code, share in zip(main, shares, strict=True)}
    weights.update(minor)
    return weights


def load_reference_data(session: DbSession) -> None:
    """Insert or update every reference row. Idempotent; safe on a database in use."""
    _load_goals_and_categories(session)
    _load_geography(session)
    session.flush()


def _load_goals_and_categories(session: DbSession) -> None:
    taxonomy = load_taxonomy()
    for goal in taxonomy.goals:
        session.merge(Goal(id=goal.id, name_nl=goal.nl, name_en=goal.en))
    session.flush()
    for position, cat in enumerate(taxonomy.categories):
        session.merge(
            Category(
                key=cat.key,
                name_nl=cat.nl,
                name_en=cat.en,
                position=position,
                requires_screening=cat.key in SCREENED_CATEGORIES,
            )
        )
    session.flush()
    session.execute(delete(category_goals))
    for cat in taxonomy.categories:
        for goal_id in cat.goals:
            session.execute(category_goals.insert().values(category_key=cat.key, goal_id=goal_id))


def _load_geography(session: DbSession) -> None:
    with open(DATA_DIR / "haarlem_wijken.csv", encoding="utf-8", newline="") as handle:
        wijk_rows = list(csv.DictReader(handle))
    with open(DATA_DIR / "haarlem_buurten.csv", encoding="utf-8", newline="") as handle:
        buurt_rows = list(csv.DictReader(handle))

    stadsdelen = {s.name: s for s in session.execute(select(Stadsdeel)).scalars()}
    for name in sorted({row["stadsdeel"] for row in wijk_rows}):
        if name not in stadsdelen:
            stadsdelen[name] = Stadsdeel(name=name)
            session.add(stadsdelen[name])
    session.flush()

    wijken = {w.code: w for w in session.execute(select(Wijk)).scalars()}
    for row in wijk_rows:
        wijk = wijken.get(row["cbs_wijkcode"]) or Wijk(code=row["cbs_wijkcode"])
        wijk.name = row["wijk"]
        wijk.stadsdeel = stadsdelen[row["stadsdeel"]]
        wijk.lat, wijk.lon = float(row["lat"]), float(row["lon"])
        wijk.inhabitants = int(row["inhabitants"])
        session.add(wijk)
        wijken[wijk.code] = wijk
    session.flush()
    by_name = {w.name: w for w in wijken.values()}

    existing = {(b.wijk_id, b.name): b for b in session.execute(select(Buurt)).scalars()}
    for row in buurt_rows:
        wijk = by_name[row["wijk"]]
        buurt = existing.get((wijk.id, row["buurt"])) or Buurt(name=row["buurt"], wijk=wijk)
        buurt.lat, buurt.lon = float(row["lat"]), float(row["lon"])
        session.add(buurt)

    session.execute(delete(PostcodeArea))
    for row in wijk_rows:
        wijk = wijken[row["cbs_wijkcode"]]
        for pc4, weight in _postcode_weights(row).items():
            session.add(PostcodeArea(pc4=pc4, wijk_id=wijk.id, weight=weight))


@dataclass(frozen=True)
class WijkChoice:
    id: int
    code: str
    name: str


@dataclass(frozen=True)
class StadsdeelChoice:
    id: int
    name: str
    wijken: tuple[WijkChoice, ...]


_DISTRICTS = "samen.reference.districts"


def districts(session: DbSession) -> tuple[StadsdeelChoice, ...]:
    """Every stadsdeel with its wijken (by name), as plain values for filters and choice lists, read from the
    database once per process. Reference geography changes only with `flask reference load`, which is followed by
    a restart; reading it per page cost a fifth of a logged-in request list's CPU (docs/PROFILES.md)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    found: tuple[StadsdeelChoice, ...] | None = app.extensions.get(_DISTRICTS)
    if found is None:
        rows = session.execute(
            select(Stadsdeel.id, Stadsdeel.name, Wijk.id, Wijk.code, Wijk.name)
            .join(Wijk, Wijk.stadsdeel_id == Stadsdeel.id, isouter=True).order_by(Stadsdeel.name, Wijk.name)
        ).all()
        grouped: dict[int, tuple[str, list[WijkChoice]]] = {}
        for stadsdeel_id, stadsdeel_name, wijk_id, code, wijk_name in rows:
            wijken = grouped.setdefault(stadsdeel_id, (stadsdeel_name, []))[1]
            if wijk_id is not None:
                wijken.append(WijkChoice(wijk_id, code, wijk_name))
        found = tuple(StadsdeelChoice(key, name, tuple(wijken)) for key, (name, wijken) in grouped.items())
        if found:  # not before the reference data is loaded
            app.extensions[_DISTRICTS] = found
    return found


def stadsdelen_with_wijken(session: DbSession) -> list[Stadsdeel]:
    """Every stadsdeel with its wijken loaded (two queries, not one per stadsdeel)."""
    return list(session.execute(
        select(Stadsdeel).options(selectinload(Stadsdeel.wijken)).order_by(Stadsdeel.name)).scalars())


@dataclass(frozen=True, slots=True)
class CategoryChoice:
    """A category as plain values, for filters and choice lists (`localized_name` reads it like a row)."""

    key: str
    name_nl: str
    name_en: str


_CATEGORIES = "samen.reference.categories"


def category_choices(session: DbSession) -> tuple[CategoryChoice, ...]:
    """Every category in its order, read from the database once per process like `districts` (reference data
    changes only with `flask reference load` and a restart). Pages that store a category use `all_categories`."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    found: tuple[CategoryChoice, ...] | None = app.extensions.get(_CATEGORIES)
    if found is None:
        found = tuple(CategoryChoice(key, name_nl, name_en) for key, name_nl, name_en in session.execute(
            select(Category.key, Category.name_nl, Category.name_en).order_by(Category.position)).all())
        if found:  # not before the reference data is loaded
            app.extensions[_CATEGORIES] = found
    return found


def all_categories(session: DbSession) -> list[Category]:
    return list(session.execute(select(Category).order_by(Category.position)).scalars())


def all_wijken(session: DbSession) -> list[Wijk]:
    return list(session.execute(select(Wijk).order_by(Wijk.name)).scalars())
