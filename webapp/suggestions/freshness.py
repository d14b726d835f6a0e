"""Freshness: a request that becomes public is in the stored lists ("Aanbevolen voor jou") of the volunteers it fits
within seconds, and the few it fits best hear about it (notices.py), without the poster's click waiting for any of it.

1. The asks feature sends `request_published` (webapp.core.signals) when a request is posted and passes the checks,
   is approved by staff, or is edited; `queue` (connected in webapp/hooks.py) writes a row to request_placements in
   that same transaction, so a rolled-back action places nothing and a crash after the commit loses nothing.
2. After the commit, a worker thread of the app process (woken like the outbox's, webapp.core.outbox) calls
   `place_pending`: it scores the request for every volunteer with the city index it keeps (city.py: every
   volunteer and open request, rebuilt when profiles change or after CITY_MAX_AGE), puts it into each fresh stored
   list whose last item it beats (`MatchIndex.place_request` with those lists' last scores), and hands the best
   placements to notices.py.
3. Whatever a process that died left behind is placed by the scheduled `flask suggestions refresh`, which also
   places again what was placed while it ran (a list it computed a moment before a request was posted would
   otherwise overwrite that request's placement).
"""

from __future__ import annotations

import dataclasses
import logging
import os
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from flask import Flask, current_app, has_app_context
from sqlalchemy import CursorResult, Table, and_, bindparam, delete, event, func, insert, or_, select, update
from sqlalchemy.orm import Session, aliased, joinedload, undefer

import matching
from webapp.accounts.models import User, VolunteerProfile
from webapp.accounts.safeguarding import screened
from webapp.asks import visibility
from webapp.asks.models import HelpRequest, Outcome, Response, SuggestionEvent
from webapp.core.database import conflict_insert
from webapp.core.extensions import db
from webapp.core.ids import utcnow
from webapp.core.text_features import text_profile
from webapp.suggestions import notices
from webapp.suggestions.city import City, chunks, load_city, volunteer_ids
from webapp.suggestions.lists import REQUEST, REQUESTS_STORED
from webapp.suggestions.models import RequestPlacement, StoredSuggestion, SuggestionList
from webapp.suggestions.records import request_record
from webapp.suggestions.services import _response_counts, fits

log = logging.getLogger(__name__)
CLAIM_SECONDS = 120         # a claim older than this belongs to a process that died; another may take the row
CITY_MAX_AGE = timedelta(minutes=10)  # volunteers' load and screening change without a profile save
POLL_SECONDS = 60.0         # the worker also looks every minute (requests queued by the CLI or another process)
KEEP_PLACED = timedelta(days=2)
_QUEUED = "samen.placement_queued"
_WORKER = "samen_placement_worker"


# -- 1. in the poster's transaction ------------------------------------------------------------------------------

def queue(help_request: HelpRequest) -> None:
    """Receiver of `request_published`: the request is to be placed once this transaction commits."""
    statement = conflict_insert(RequestPlacement.__table__, db.session.get_bind()).values(
        request_id=help_request.id, queued_at=utcnow(), claimed_until=None)
    db.session.execute(statement.on_conflict_do_update(
        index_elements=["request_id"], set_={"queued_at": statement.excluded.queued_at, "claimed_until": None}))
    db.session.info[_QUEUED] = True


# -- 2. after the commit -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Placed:
    """Where one request went: the volunteers whose stored list it entered, and those who were told."""

    request_id: int
    entered: tuple[int, ...] = ()
    told: tuple[int, ...] = ()


class CityCache:
    """The city index of a process. Built once in the caller's thread; after that, when a volunteer profile was
    added or saved (or someone blocked) or the index is older than CITY_MAX_AGE, a new one is built in a background
    thread while placements go on with the old one (at 100× data a build takes seconds; a placement must not wait
    for it). What the old index does not know is safe: a volunteer whose profile changed has a stale list (no
    placement into it; their page ranks again), and who may get a request is asked again (`_may_get`)."""

    def __init__(self) -> None:
        self.city: City | None = None
        self.key: tuple[Any, ...] | None = None
        self._next: tuple[City, tuple[Any, ...]] | None = None
        self._building: threading.Thread | None = None
        self._lock = threading.Lock()

    @staticmethod
    def _key() -> tuple[Any, ...]:
        profiles = db.session.execute(
            select(func.count(), func.max(VolunteerProfile.updated_at))).one()
        blocked = db.session.execute(select(func.count()).where(User.is_blocked.is_(True))).scalar_one()
        return (*profiles, blocked)

    def get(self) -> City:
        key = self._key()
        with self._lock:
            if self._next is not None:
                self.city, self.key = self._next
                self._next = None
        if self.city is None:
            self.city, self.key = load_city(volunteer_ids(), exclusions=False), key
        elif (key != self.key or utcnow() - self.city.built_at > CITY_MAX_AGE) and not self.building:
            self._start(current_app._get_current_object(), key)  # type: ignore[attr-defined]
        return self.city

    @property
    def building(self) -> bool:
        return self._building is not None and self._building.is_alive()

    def _start(self, app: Flask, key: tuple[Any, ...]) -> None:
        def build() -> None:
            try:
                with app.app_context():
                    city = load_city(volunteer_ids(), exclusions=False)
                    db.session.remove()
                with self._lock:
                    self._next = (city, key)
            except Exception:  # the old index serves until the next attempt
                log.exception("Building the city index for placements failed")

        self._building = threading.Thread(target=build, name="samen-city-index", daemon=True)
        self._building.start()

    def wait(self) -> None:
        """Let a background build finish (tests, benchmarks)."""
        if self._building is not None:
            self._building.join()


def _rows_changed(statement: Any) -> int:
    return int(cast(CursorResult[Any], db.session.execute(statement)).rowcount)


def _due() -> Any:
    return or_(RequestPlacement.placed_at.is_(None), RequestPlacement.placed_at < RequestPlacement.queued_at)


def pending_count() -> int:
    return int(db.session.execute(select(func.count()).where(_due())).scalar_one())


def _claim(request_id: int, now: datetime) -> bool:
    claimed = _rows_changed(
        update(RequestPlacement)
        .where(RequestPlacement.request_id == request_id, _due(),
               or_(RequestPlacement.claimed_until.is_(None), RequestPlacement.claimed_until < now))
        .values(claimed_until=now + timedelta(seconds=CLAIM_SECONDS))
        .execution_options(synchronize_session=False))
    db.session.commit()
    return claimed == 1


def place_pending(cache: CityCache | None = None, *, city: City | None = None, tell: bool = True,
                  limit: int = 200) -> list[Placed]:
    """Place every queued request (at most `limit`), oldest first, each in its own transaction. `city`: rank with
    this index instead of the cache's (the refresh job's own); `tell`: also send the notices."""
    now = utcnow()
    ids = list(db.session.execute(
        select(RequestPlacement.request_id)
        .where(_due(), or_(RequestPlacement.claimed_until.is_(None), RequestPlacement.claimed_until < now))
        .order_by(RequestPlacement.queued_at).limit(limit)).scalars())
    db.session.commit()
    done: list[Placed] = []
    cache = cache or CityCache()
    for request_id in ids:
        started = utcnow()
        if not _claim(request_id, started):
            continue  # another process took it
        try:
            help_request = db.session.execute(
                select(HelpRequest).where(HelpRequest.id == request_id)
                .options(joinedload(HelpRequest.wijk), joinedload(HelpRequest.requester),
                         undefer(HelpRequest.match_features))).scalar_one_or_none()
            if help_request is not None and visibility.is_open_to_volunteers(help_request):
                done.append(place(help_request, city if city is not None else cache.get(), tell=tell))
            # Placed as of when it started: a new queue entry (an edit) meanwhile makes it due again.
            db.session.execute(update(RequestPlacement).where(RequestPlacement.request_id == request_id)
                               .values(placed_at=started, claimed_until=None)
                               .execution_options(synchronize_session=False))
            db.session.commit()
        except Exception:
            db.session.rollback()
            db.session.execute(update(RequestPlacement).where(RequestPlacement.request_id == request_id)
                               .values(claimed_until=None).execution_options(synchronize_session=False))
            db.session.commit()
            raise
    return done


def _may_get(help_request: HelpRequest, user_ids: Sequence[int]) -> set[int]:
    """Of these volunteers, those this request may be suggested to now: not blocked, not its requester, not
    answered or "not for me" already, screened when it needs that (webapp.asks.visibility's rule, for a list)."""
    responded = select(Response.volunteer_id).where(Response.request_id == help_request.id,
                                                    Response.volunteer_id.is_not(None))
    declined = select(SuggestionEvent.volunteer_id).where(SuggestionEvent.request_id == help_request.id,
                                                          SuggestionEvent.outcome == Outcome.DECLINED)
    out: set[int] = set()
    for chunk in chunks(list(user_ids)):
        query = (select(User.id).join(VolunteerProfile, VolunteerProfile.user_id == User.id)
                 .where(User.id.in_(chunk), User.is_blocked.is_(False), User.id.not_in(responded),
                        User.id.not_in(declined)))
        if help_request.requester_id is not None:
            query = query.where(User.id != help_request.requester_id)
        if help_request.needs_screening:
            query = query.where(screened())  # webapp.accounts.safeguarding's rule
        out.update(db.session.execute(query).scalars())
    return out


def _thresholds(city: City) -> dict[str, float]:
    """Volunteer public id -> the score a request must beat to enter their stored list: the last item's score for a
    full list, -inf for a list with room, +inf for a list that is missing or stale (the page view ranks it again,
    new request included)."""
    max_age = timedelta(minutes=current_app.config["SUGGESTIONS_MAX_AGE_MINUTES"])
    last = aliased(StoredSuggestion)
    rows = db.session.execute(  # one pass over the fresh lists, each with its last item if it is full
        select(SuggestionList.volunteer_id, last.score)
        .join(VolunteerProfile, VolunteerProfile.user_id == SuggestionList.volunteer_id)
        .outerjoin(last, and_(last.volunteer_id == SuggestionList.volunteer_id, last.kind == REQUEST,
                              last.rank == REQUESTS_STORED - 1))
        .where(SuggestionList.computed_at >= utcnow() - max_age,
               or_(VolunteerProfile.updated_at.is_(None), SuggestionList.computed_at >= VolunteerProfile.updated_at)))
    fresh = {user_id: (float("-inf") if score is None else score) for user_id, score in rows}
    return {public_id: fresh.get(user_id, float("inf")) for public_id, user_id in city.user_ids.items()}


def place(help_request: HelpRequest, city: City, *, tell: bool = True) -> Placed:
    """Put one public request into the fresh stored lists it now fits (and take it out of the others, after an
    edit); tell the few it fits best. The caller commits."""
    record = request_record(help_request, responses=_response_counts([help_request.id]).get(help_request.id, 0),
                            now=utcnow())
    profile = text_profile(help_request.match_features)
    spread = dataclasses.replace(record, listed_in=city.typical_listed_in())
    scored = [p for p in city.index.place_request(spread, profile, thresholds=_thresholds(city)) if fits(p.suggestion)]
    allowed = _may_get(help_request, [city.user_ids[p.volunteer] for p in scored])
    entered = [(city.user_ids[p.volunteer], p.suggestion) for p in scored if city.user_ids[p.volunteer] in allowed]
    db.session.execute(delete(StoredSuggestion).where(StoredSuggestion.request_id == help_request.id)
                       .execution_options(synchronize_session=False))
    _insert(help_request.id, entered)
    told: list[int] = []
    if tell:
        told = notices.tell_best(help_request, _best(help_request, city, record, profile))
    return Placed(help_request.id, tuple(u for u, _s in entered), tuple(told))


def _best(help_request: HelpRequest, city: City, record: matching.HelpRequest,
          profile: matching.TextProfile | None) -> list[tuple[int, matching.Suggestion]]:
    """The volunteers the request fits best of all (whatever their lists hold, and however many lists hold it),
    best first, who may get it."""
    pool = [p for p in city.index.place_request(record, profile, limit=notices.POOL) if fits(p.suggestion)]
    allowed = _may_get(help_request, [city.user_ids[p.volunteer] for p in pool])
    return [(city.user_ids[p.volunteer], p.suggestion) for p in pool if city.user_ids[p.volunteer] in allowed]


def _insert(request_id: int, entered: Sequence[tuple[int, matching.Suggestion]]) -> None:
    """Insert the request into each of these volunteers' stored lists at the place its score gives it: the items
    below it move one rank down (two UPDATEs, through negative ranks so that no two rows share a rank on the way),
    and what falls off the end of a list goes. Reads only ranks and scores: a list's other rows stay untouched."""
    if not entered:
        return
    table = cast(Table, StoredSuggestion.__table__)
    c = table.c
    ranks: dict[int, list[tuple[int, float]]] = {}
    for chunk in chunks([user_id for user_id, _s in entered]):
        for user_id, rank, score in db.session.execute(
                select(c.volunteer_id, c.rank, c.score).where(c.volunteer_id.in_(chunk), c.kind == REQUEST)
                .order_by(c.volunteer_id, c.rank)):
            ranks.setdefault(user_id, []).append((rank, score))
    places = []
    for user_id, suggestion in entered:
        items = ranks.get(user_id, [])
        at = next((rank for rank, score in items if score < suggestion.score), items[-1][0] + 1 if items else 0)
        places.append((user_id, at, suggestion))
    moving = [dict(v=user_id, at=at) for user_id, at, _s in places]
    db.session.execute(update(table).where(c.volunteer_id == bindparam("v"), c.kind == REQUEST,
                                           c.rank >= bindparam("at")).values(rank=-c.rank - 2), moving)
    for chunk in chunks([user_id for user_id, _at, _s in places]):
        db.session.execute(update(table).where(c.volunteer_id.in_(chunk), c.kind == REQUEST, c.rank < 0)
                           .values(rank=-c.rank - 1))
    db.session.execute(insert(table), [
        dict(volunteer_id=user_id, kind=REQUEST, rank=at, request_id=request_id, initiative_id=None, need_id=None,
             score=suggestion.score, reasons=[r.to_dict() for r in suggestion.reasons])
        for user_id, at, suggestion in places])
    for chunk in chunks([user_id for user_id, _at, _s in places]):
        db.session.execute(delete(table).where(c.volunteer_id.in_(chunk), c.kind == REQUEST,
                                               c.rank >= REQUESTS_STORED))


def replace_placed_since(since: datetime, city: City) -> None:
    """Place again (with `city`, telling nobody again) the requests placed since `since`: the refresh job computed
    lists from a moment before they were posted and may have overwritten their placement. Also forgets rows placed
    long ago."""
    db.session.execute(update(RequestPlacement).where(RequestPlacement.placed_at >= since)
                       .values(queued_at=utcnow()).execution_options(synchronize_session=False))
    db.session.execute(delete(RequestPlacement).where(RequestPlacement.placed_at < utcnow() - KEEP_PLACED,
                                                      RequestPlacement.placed_at >= RequestPlacement.queued_at)
                       .execution_options(synchronize_session=False))
    db.session.commit()
    while place_pending(city=city, tell=False):
        pass


# -- the worker thread -------------------------------------------------------------------------------------------

class Worker:
    """A daemon thread per app process that places queued requests. Started at the first wake-up (never in
    create_app), and again in a process forked from one where it ran. Keeps the process's city index."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.cache = CityCache()
        self._wake = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._pid = 0
        self._stopped = False

    def wake(self) -> None:
        with self._lock:
            if self._stopped:
                return
            if self._thread is None or not self._thread.is_alive() or self._pid != os.getpid():
                self._pid = os.getpid()
                self.cache = CityCache()
                self._thread = threading.Thread(target=self._run, name="samen-placement", daemon=True)
                self._thread.start()
        self._wake.set()

    def stop(self) -> None:
        """End the thread after what it is doing now (a test's app that goes away)."""
        with self._lock:
            self._stopped = True
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=30)

    def _run(self) -> None:
        while True:
            self._wake.wait(timeout=POLL_SECONDS)
            self._wake.clear()
            if self._stopped:
                return
            try:
                with self.app.app_context():
                    started = time.perf_counter()
                    placed = place_pending(self.cache)
                    if placed:
                        log.info("Placed %d new request(s) in %.2f s", len(placed), time.perf_counter() - started)
                    db.session.remove()
            except Exception:  # keep the thread alive; the rows wait for the next round or the refresh job
                log.exception("Placing new requests failed")


def _after_commit(session: Session) -> None:
    if session.info.pop(_QUEUED, False) and has_app_context():
        worker = current_app.extensions.get(_WORKER)
        if worker is not None:
            worker.wake()


def _after_soft_rollback(session: Session, _previous: Any) -> None:
    session.info.pop(_QUEUED, None)


def register(app: Flask) -> None:
    """Wake the worker when a transaction that queued a placement commits (PLACEMENT_WORKER off: only the refresh job
    places, as in the tests, which call `place_pending()` themselves)."""
    if app.config.get("PLACEMENT_WORKER", True):
        app.extensions[_WORKER] = Worker(app)
    if not event.contains(db.session, "after_commit", _after_commit):
        event.listen(db.session, "after_commit", _after_commit)
        event.listen(db.session, "after_soft_rollback", _after_soft_rollback)
