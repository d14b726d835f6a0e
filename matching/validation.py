"""Parse and validate JSON-lines input into records.

Every problem raises :class:`InputError` naming the file and line, before anything is ranked, so the
CLI can print nothing on stdout for a failing run.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol, TypeVar, cast

from matching.records import (
    OUTCOMES,
    SLOT_BITS,
    HelpRequest,
    Initiative,
    Interaction,
    Outcome,
    Volunteer,
)
from matching.taxonomy import load_taxonomy


class _HasId(Protocol):
    @property
    def id(self) -> str: ...


T = TypeVar("T", bound=_HasId)
_LANG_RE = re.compile(r"^[a-z]{2,3}$")


class InputError(ValueError):
    """Bad input; ``str(err)`` is ``"<file>:<line>: <message>"``."""

    def __init__(self, source: str, line: int, message: str) -> None:
        super().__init__(f"{source}:{line}: {message}")
        self.source = source
        self.line = line
        self.message = message


class _FieldError(ValueError):
    pass


def _get(obj: Mapping[str, object], name: str) -> object:
    if name not in obj or obj[name] is None:
        raise _FieldError(f"missing required field '{name}'")
    return obj[name]


def _str(obj: Mapping[str, object], name: str, *, required: bool = True, default: str = "") -> str:
    if not required and obj.get(name) is None:
        return default
    value = _get(obj, name)
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise _FieldError(f"field '{name}' must be a string")
    text = str(value)
    if required and name == "id" and not text.strip():
        raise _FieldError("field 'id' must not be empty")
    return text


def _number(obj: Mapping[str, object], name: str, *, required: bool = True, default: float = 0.0) -> float:
    if not required and obj.get(name) is None:
        return default
    value = _get(obj, name)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(float(value)):
        raise _FieldError(f"field '{name}' must be a number")
    return float(value)


def _int(obj: Mapping[str, object], name: str) -> int:
    value = _number(obj, name, required=False, default=0.0)
    if value < 0 or value != int(value):
        raise _FieldError(f"field '{name}' must be a non-negative whole number")
    return int(value)


def _bool(obj: Mapping[str, object], name: str) -> bool:
    value = obj.get(name)
    if value is None:
        return False
    if not isinstance(value, bool):
        raise _FieldError(f"field '{name}' must be true or false")
    return value


def _str_list(obj: Mapping[str, object], name: str, *, required: bool) -> list[str]:
    if not required and obj.get(name) is None:
        return []
    value = _get(obj, name)
    if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
        raise _FieldError(f"field '{name}' must be a list of strings")
    return [str(x) for x in value]


def _lat_lon(obj: Mapping[str, object]) -> tuple[float, float]:
    lat = _number(obj, "lat")
    lon = _number(obj, "lon")
    if not -90.0 <= lat <= 90.0:
        raise _FieldError(f"latitude {lat} out of range [-90, 90]")
    if not -180.0 <= lon <= 180.0:
        raise _FieldError(f"longitude {lon} out of range [-180, 180]")
    return lat, lon


def normalise_languages(codes: list[str] | tuple[str, ...] | frozenset[str]) -> frozenset[str]:
    """Lower-case ISO 639 codes; raise ValueError for anything that is not a 2- or 3-letter code."""
    out = set()
    for code in codes:
        norm = code.strip().lower()
        if not _LANG_RE.match(norm):
            raise ValueError(f"'{code}' is not an ISO 639 language code")
        out.add(norm)
    return frozenset(out)


def normalise_slots(slots: list[str] | tuple[str, ...] | frozenset[str]) -> frozenset[str]:
    """Lower-case slot names; raise ValueError for an unknown slot."""
    out = set()
    for slot in slots:
        norm = slot.strip().lower()
        if norm not in SLOT_BITS:
            raise ValueError(f"unknown slot '{slot}' (expected e.g. 'tue-afternoon')")
        out.add(norm)
    return frozenset(out)


def _languages(obj: Mapping[str, object]) -> frozenset[str]:
    try:
        return normalise_languages(_str_list(obj, "languages", required=True))
    except _FieldError:
        raise
    except ValueError as err:
        raise _FieldError(f"field 'languages': {err}") from err


def _slots(obj: Mapping[str, object], name: str) -> frozenset[str]:
    try:
        return normalise_slots(_str_list(obj, name, required=False))
    except _FieldError:
        raise
    except ValueError as err:
        raise _FieldError(f"field '{name}': {err}") from err


def _datetime(obj: Mapping[str, object], name: str) -> datetime | None:
    value = obj.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise _FieldError(f"field '{name}' must be an ISO 8601 date-time string")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as err:
        raise _FieldError(f"field '{name}' must be an ISO 8601 date-time string") from err
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def volunteer_from_dict(obj: Mapping[str, object]) -> Volunteer:
    lat, lon = _lat_lon(obj)
    max_km = _number(obj, "max_distance_km")
    if max_km < 0:
        raise _FieldError("field 'max_distance_km' must not be negative")
    experience_raw = obj.get("experience") or {}
    if not isinstance(experience_raw, dict):
        raise _FieldError("field 'experience' must be an object of category: count")
    experience = {str(k): int(v) for k, v in experience_raw.items() if isinstance(v, (int, float))}
    return Volunteer(
        id=_str(obj, "id"),
        skills=tuple(_str_list(obj, "skills", required=True)),
        languages=_languages(obj),
        lat=lat,
        lon=lon,
        max_distance_km=max_km,
        availability=_slots(obj, "availability"),
        screened=_bool(obj, "screened"),
        bio=_str(obj, "bio", required=False),
        open_commitments=_int(obj, "open_commitments"),
        recent_suggestions=_int(obj, "recent_suggestions"),
        experience=experience,
    )


def request_from_dict(obj: Mapping[str, object]) -> HelpRequest:
    lat, lon = _lat_lon(obj)
    category = _str(obj, "category")
    if not load_taxonomy().has_category(category):
        raise _FieldError(f"unknown category '{category}'")
    waiting = obj.get("waiting_days")
    return HelpRequest(
        id=_str(obj, "id"),
        title=_str(obj, "title"),
        category=category,
        languages=_languages(obj),
        lat=lat,
        lon=lon,
        description=_str(obj, "description", required=False),
        when=_slots(obj, "when"),
        needs_screening=_bool(obj, "needs_screening"),
        posted_at=_datetime(obj, "posted_at"),
        waiting_days=None if waiting is None else _number(obj, "waiting_days"),
        responses=_int(obj, "responses"),
        listed_in=_int(obj, "listed_in"),
    )


def initiative_from_dict(obj: Mapping[str, object]) -> Initiative:
    lat, lon = _lat_lon(obj)
    goals_raw = obj.get("goals") or []
    if not isinstance(goals_raw, list) or not all(isinstance(g, int) and not isinstance(g, bool) for g in goals_raw):
        raise _FieldError("field 'goals' must be a list of goal numbers")
    known = {g.id for g in load_taxonomy().goals}
    for goal in goals_raw:
        if goal not in known:
            raise _FieldError(f"unknown goal {goal}")
    return Initiative(
        id=_str(obj, "id"),
        name=_str(obj, "name"),
        lat=lat,
        lon=lon,
        description=_str(obj, "description", required=False),
        goals=tuple(int(g) for g in goals_raw),
        needs=tuple(_str_list(obj, "needs", required=False)),
    )


def interaction_from_dict(obj: Mapping[str, object]) -> Interaction:
    outcome = _str(obj, "outcome")
    if outcome not in OUTCOMES:
        raise _FieldError(f"unknown outcome '{outcome}' (expected one of {', '.join(OUTCOMES)})")
    return Interaction(
        volunteer=_str(obj, "volunteer"),
        request=_str(obj, "request"),
        outcome=cast(Outcome, outcome),
        at=_datetime(obj, "at"),
    )


def _iter_objects(path: Path) -> Iterator[tuple[int, dict[str, object]]]:
    source = str(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputError(source, 0, f"cannot read file: {err.strerror or err}") from err
    for number, raw in enumerate(data.split(b"\n"), start=1):
        if not raw.strip():
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as err:
            raise InputError(source, number, "not valid UTF-8") from err
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as err:
            raise InputError(source, number, f"malformed JSON: {err.msg} (column {err.colno})") from err
        if not isinstance(obj, dict):
            raise InputError(source, number, "expected a JSON object")
        yield number, obj


def read_jsonl(path: Path | str, parse: Callable[[Mapping[str, object]], T], *, unique_ids: bool = True) -> list[T]:
    """Read a JSON-lines file with ``parse`` for each object; raise InputError on the first problem."""
    file = Path(path)
    out: list[T] = []
    seen: set[str] = set()
    for number, obj in _iter_objects(file):
        try:
            record = parse(obj)
        except _FieldError as err:
            raise InputError(str(file), number, str(err)) from err
        if unique_ids:
            rid = str(record.id)
            if rid in seen:
                raise InputError(str(file), number, f"duplicate id '{rid}'")
            seen.add(rid)
        out.append(record)
    return out


def read_volunteers(path: Path | str) -> list[Volunteer]:
    return read_jsonl(path, volunteer_from_dict)


def read_requests(path: Path | str) -> list[HelpRequest]:
    return read_jsonl(path, request_from_dict)


def read_initiatives(path: Path | str) -> list[Initiative]:
    return read_jsonl(path, initiative_from_dict)


def read_interactions(
    path: Path | str, volunteer_ids: set[str] | None = None, request_ids: set[str] | None = None
) -> list[Interaction]:
    """Read interactions; with id sets given, an unknown volunteer or request id is an error."""
    file = Path(path)
    out: list[Interaction] = []
    for number, obj in _iter_objects(file):
        try:
            record = interaction_from_dict(obj)
        except _FieldError as err:
            raise InputError(str(file), number, str(err)) from err
        if volunteer_ids is not None and record.volunteer not in volunteer_ids:
            raise InputError(str(file), number, f"unknown volunteer '{record.volunteer}'")
        if request_ids is not None and record.request not in request_ids:
            raise InputError(str(file), number, f"unknown request '{record.request}'")
        out.append(record)
    return out
