"""Many volunteers' lists at once: one ranking index of volunteers and every open request in the city.

The refresh job (stored.refresh) ranks every list from it in blocks (`MatchIndex.rank_all_requests`), and the
freshness worker (freshness.py) keeps one per process to place a new request into the lists it now fits. Both build
it the same way, so the scores a new request gets compare with the scores of the stored lists.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload, undefer

import matching
from webapp.accounts.models import User, VolunteerProfile
from webapp.asks import visibility
from webapp.asks.models import HelpRequest, Outcome, Response, SuggestionEvent
from webapp.core.extensions import db
from webapp.core.ids import utcnow
from webapp.core.text_features import text_profile
from webapp.suggestions.records import request_record
from webapp.suggestions.services import (
    IN_CHUNK,
    _response_counts,
    _volunteer_records,
    current_model,
    fits,
    listed_in_counts,
)


@dataclass(frozen=True)
class OpenRequest:
    """What ranking needs of an open request besides its record: who may not get it in their list."""

    id: int
    public_id: str
    requester_id: int | None


@dataclass
class City:
    index: matching.MatchIndex
    user_ids: dict[str, int]            # volunteer public id -> user id
    requests: dict[str, OpenRequest]    # request public id -> the request
    listed_in: dict[str, int]           # request public id -> lists holding it (the index's current counts)
    built_at: datetime
    # user id -> ids of open requests they may not get: their own, answered or "not for me" (see `exclusions`)
    excluded: dict[int, set[int]] = field(default_factory=dict)

    def ranked(self, user_ids: Sequence[int], k: int) -> dict[int, list[matching.Suggestion]]:
        """The best k open requests that fit each of these volunteers (in the index), best first."""
        by_user = {uid: pid for pid, uid in self.user_ids.items()}
        wanted = [by_user[u] for u in user_ids if u in by_user]
        if not wanted or not self.requests:
            return {u: [] for u in user_ids}
        depth = min(len(self.requests), 2 * k + 10)  # room for what is filtered out below
        lists = self.index.rank_all_requests(depth, wanted)
        out: dict[int, list[matching.Suggestion]] = {}
        for public_id, suggestions in lists.items():
            user_id = self.user_ids[public_id]
            skip = self.excluded.get(user_id, set())
            out[user_id] = [s for s in suggestions if self.requests[s.id].id not in skip and fits(s)][:k]
        return out

    def set_listed_in(self, counts: dict[str, int]) -> None:
        self.listed_in.update(counts)
        self.index.set_listed_in(counts)

    def typical_listed_in(self) -> int:
        """How many stored lists an open request is in, on average: a new request is placed as if it were in as
        many (request-side spreading lowered the scores of the stored lists' requests by their counts; a new one
        with none would beat them all and enter thousands of lists at 100× data)."""
        return round(sum(self.listed_in.values()) / len(self.listed_in)) if self.listed_in else 0


def volunteer_ids() -> list[int]:
    """Everyone with a volunteer profile who is not blocked."""
    return list(db.session.execute(
        select(User.id).join(VolunteerProfile, VolunteerProfile.user_id == User.id)
        .where(User.is_blocked.is_(False)).order_by(User.id)).scalars())


def chunks(items: Sequence[int], size: int = IN_CHUNK) -> Iterator[list[int]]:
    for start in range(0, len(items), size):
        yield list(items[start:start + size])


def load_users(user_ids: Sequence[int]) -> list[User]:
    """These volunteers with what ranking reads (profile, wijk, stored text features)."""
    return list(db.session.execute(
        select(User).where(User.id.in_(list(user_ids)))
        .options(selectinload(User.volunteer_profile).options(joinedload(VolunteerProfile.wijk),
                                                              undefer(VolunteerProfile.match_features)))
        .order_by(User.id)
    ).scalars())


def open_requests(now: datetime | None = None) -> list[HelpRequest]:
    """Every request volunteers may be shown now, with its wijk and text features (screening is the engine's
    hard rule, and `visibility.screening_for` again when a list is read)."""
    return list(db.session.execute(
        select(HelpRequest).where(*visibility.open_to_volunteers(now))
        .options(joinedload(HelpRequest.wijk), undefer(HelpRequest.match_features))
        .order_by(HelpRequest.id)
    ).scalars())


def load_city(user_ids: Sequence[int], *, listed_in_except: Sequence[int] = (), exclusions: bool = True) -> City:
    """An index of these volunteers and every open request. `listed_in_except`: volunteers whose stored lists do
    not count for `listed_in` (they are being computed again). `exclusions`: also load who may not get what."""
    now = utcnow()
    records: list[matching.Volunteer] = []
    profiles: dict[str, matching.TextProfile] = {}
    users: dict[str, int] = {}
    for chunk in chunks(user_ids):
        loaded = load_users(chunk)
        found, found_profiles = _volunteer_records(loaded)
        records += found
        profiles.update(found_profiles)
        users.update({u.public_id: u.id for u in loaded})
        db.session.expunge_all()
    rows = open_requests(now)
    ids = [r.id for r in rows]
    responses: dict[int, int] = {}
    for chunk in chunks(ids):
        responses.update(_response_counts(chunk))
    listed = listed_in_counts(ids, except_volunteers=listed_in_except)
    request_records = [request_record(r, responses=responses.get(r.id, 0), now=now, listed_in=listed.get(r.id, 0))
                       for r in rows]
    request_profiles = {r.public_id: p for r in rows if (p := text_profile(r.match_features)) is not None}
    index = matching.MatchIndex(records, request_records, volunteer_profiles=profiles,
                                request_profiles=request_profiles, model=current_model(), now=now)
    city = City(index=index, user_ids={r.id: users[r.id] for r in records},
                requests={r.public_id: OpenRequest(r.id, r.public_id, r.requester_id) for r in rows},
                listed_in={r.public_id: listed.get(r.id, 0) for r in rows}, built_at=now)
    if exclusions:
        city.excluded = _exclusions(rows)
    db.session.expunge_all()
    return city


def _exclusions(rows: Sequence[HelpRequest]) -> dict[int, set[int]]:
    """user id -> open requests that are not for them: their own, those they answered or said "not for me" to."""
    out: dict[int, set[int]] = {}
    for r in rows:
        if r.requester_id is not None:
            out.setdefault(r.requester_id, set()).add(r.id)
    for chunk in chunks([r.id for r in rows]):
        pairs: list[tuple[int | None, int]] = [
            (v, r) for v, r in db.session.execute(select(Response.volunteer_id, Response.request_id)
                                                  .where(Response.request_id.in_(chunk)))]
        pairs += [(v, r) for v, r in db.session.execute(
            select(SuggestionEvent.volunteer_id, SuggestionEvent.request_id)
            .where(SuggestionEvent.request_id.in_(chunk), SuggestionEvent.outcome == Outcome.DECLINED))]
        for volunteer_id, request_id in pairs:
            if volunteer_id is not None:
                out.setdefault(int(volunteer_id), set()).add(int(request_id))
    return out
