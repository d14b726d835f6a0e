"""Learning from the platform's own outcomes: `flask suggestions train` and `flask suggestions evaluate`.

Outcomes per (volunteer, request), in time order: shown (a suggestion was displayed; "opened" counts as shown),
declined ("not for me"), responded, accepted (chosen by the requester), completed (done) and thanked (the requester
said thanks) — from the interaction log (webapp.asks.events) and, for history from before that log or for data
imported without it, from responses and matches themselves. The model is trained by `matching.train_model`, which
decides whether it beats the cold start (`use_learned`); the ranker applies it only then.

`evaluate_time_split` checks that on the platform's own history: it trains on the older requests, ranks the
volunteers for each newer request with the cold start and with the learned model, and scores both against what
volunteers actually did (responded or more), with 95 % bootstrap intervals over the newer requests.
"""

from __future__ import annotations

import dataclasses
import random
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import cast

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload, undefer

import matching
from matching.evaluate import bootstrap_ci
from webapp.accounts.models import User, VolunteerProfile
from webapp.asks.models import HelpRequest, Match, Outcome, Response, ResponseStatus, SuggestionEvent
from webapp.core.extensions import db
from webapp.core.ids import utcnow
from webapp.core.text_features import text_profile
from webapp.suggestions.records import request_record
from webapp.suggestions.services import _volunteer_records

POSITIVE = frozenset({"responded", "accepted", "completed", "thanked"})
K = 10


@dataclass(frozen=True)
class History:
    volunteers: list[matching.Volunteer]
    profiles: dict[str, matching.TextProfile]
    requests: list[matching.HelpRequest]
    request_profiles: dict[str, matching.TextProfile]
    posted: dict[str, datetime]                 # request public id -> when it was posted
    interactions: list[matching.Interaction]    # in time order


def history(seed: int = 0) -> History:
    """Every volunteer and request, and every outcome between them, in time order."""
    users = list(db.session.execute(
        select(User).join(VolunteerProfile, VolunteerProfile.user_id == User.id)
        .options(selectinload(User.volunteer_profile).options(joinedload(VolunteerProfile.wijk),
                                                              undefer(VolunteerProfile.match_features)))
    ).scalars())
    volunteers, profiles = _volunteer_records(users)
    known = {v.id for v in volunteers}
    public = {u.id: u.public_id for u in users}
    rows = list(db.session.execute(select(HelpRequest).options(
        joinedload(HelpRequest.wijk), undefer(HelpRequest.match_features))).scalars())
    request_public = {r.id: r.public_id for r in rows}
    interactions: list[matching.Interaction] = []
    seen: set[tuple[str, str, str]] = set()

    def add(volunteer_id: int | None, request_id: int, outcome: str, at: datetime | None) -> None:
        if volunteer_id is None or public.get(volunteer_id) not in known or at is None:
            return
        key = (public[volunteer_id], request_public[request_id], outcome)
        if key in seen:
            return
        seen.add(key)
        interactions.append(matching.Interaction(volunteer=key[0], request=key[1],
                                                 outcome=cast(matching.Outcome, outcome), at=at))

    for event in db.session.execute(select(SuggestionEvent).order_by(SuggestionEvent.created_at)).scalars():
        add(event.volunteer_id, event.request_id, Outcome.SHOWN if event.outcome == Outcome.OPENED else event.outcome,
            event.created_at)
    # The same outcomes from the rows themselves (history from before the log, imported data); duplicates drop out.
    for response in db.session.execute(select(Response)).scalars():
        add(response.volunteer_id, response.request_id, Outcome.RESPONDED, response.created_at)
    for match in db.session.execute(select(Match).options(joinedload(Match.response))).scalars():
        if match.response is not None and match.response.status == ResponseStatus.ACCEPTED:
            add(match.volunteer_id, match.request_id, Outcome.ACCEPTED, match.created_at)
        if match.done_at is not None:
            add(match.volunteer_id, match.request_id, Outcome.COMPLETED, match.done_at)
            if match.requester_thanks:
                add(match.volunteer_id, match.request_id, Outcome.THANKED, match.done_at)
    # Without logged impressions, a few volunteers near each request who did not respond count as shown.
    shown = Counter(i.outcome for i in interactions)["shown"]
    if shown < len(interactions) - shown:
        rng = random.Random(seed)
        volunteer_ids = [u.id for u in users if public[u.id] in known]
        for r in rows:
            for volunteer_id in rng.sample(volunteer_ids, min(3, len(volunteer_ids))):
                add(volunteer_id, r.id, Outcome.SHOWN, r.created_at)
    interactions.sort(key=lambda i: i.at or utcnow())
    return History(volunteers, profiles, [request_record(r) for r in rows],
                   {r.public_id: p for r in rows if (p := text_profile(r.match_features)) is not None},
                   {r.public_id: r.created_at for r in rows}, interactions)


def training_interactions(seed: int = 0) -> tuple[list[matching.Volunteer], list[matching.HelpRequest],
                                                  list[matching.Interaction]]:
    found = history(seed)
    return found.volunteers, found.requests, found.interactions


def _train(volunteers: list[matching.Volunteer], requests: list[matching.HelpRequest],
           interactions: list[matching.Interaction], *, seed: int, kind: str = "auto") -> matching.TrainedModel:
    """train_model, with the volunteers as they were where its hold-out starts (the newest 20 % of outcomes):
    otherwise help done *in* the hold-out counts as experience, and the model seems to predict what it was told."""
    at = interactions[int(len(interactions) * 0.8)].at if interactions else None
    past = _as_of(volunteers, at) if at is not None else volunteers
    return matching.train_model(past, requests, interactions, seed=seed, kind=kind)


def train_from_database(out: Path, seed: int = 0) -> tuple[matching.TrainedModel, int]:
    volunteers, requests, interactions = training_interactions(seed)
    model = _train(volunteers, requests, interactions, seed=seed)
    out.parent.mkdir(parents=True, exist_ok=True)
    matching.save_model(model, out)
    return model, len(interactions)


# -- evaluation on a time split of the platform's own history ------------------------------------------------------

@dataclass(frozen=True)
class Evaluation:
    train_requests: int
    train_interactions: int
    test_requests: int                       # newer requests with at least one volunteer who responded
    split_at: datetime
    decision: str                            # train_model's own decision on the older part
    kind: str
    scores: dict[str, dict[str, tuple[float, float, float]]]   # ranker -> metric -> (mean, low, high)
    gain: dict[str, tuple[float, float, float]]                # metric -> learned minus cold start (paired)

    def table(self) -> str:
        lines = ["| ranker | NDCG@10 | MRR | hit@1 |", "|---|---:|---:|---:|"]
        for ranker, metrics in self.scores.items():
            cells = [f"{m:.3f} [{lo:.3f}, {hi:.3f}]" for m, lo, hi in metrics.values()]
            lines.append(f"| {ranker} | " + " | ".join(cells) + " |")
        gain = "; ".join(f"{name} {m:+.3f} [{lo:+.3f}, {hi:+.3f}]" for name, (m, lo, hi) in self.gain.items())
        return "\n".join([
            f"Time split at {self.split_at:%Y-%m-%d}: trained on {self.train_requests} older requests "
            f"({self.train_interactions} outcomes), tested on {self.test_requests} newer requests with at least one "
            "volunteer who responded; every ranker ranks only the volunteers the hard rules allow; "
            "[95 % bootstrap interval over the test requests].", "", *lines, "",
            f"Learned ({self.kind}) minus cold start, paired: {gain}.",
            f"train_model's own decision on the older part: {self.decision}."])


def _ranks(index: matching.MatchIndex, request_ids: list[str], relevant: dict[str, set[str]]
           ) -> dict[str, np.ndarray]:
    discounts = 1.0 / np.log2(np.arange(2, K + 2))
    ndcg, mrr, hit1 = [], [], []
    lists = index.rank_all_volunteers(K, request_ids)
    for rid in request_ids:
        top = [s.id for s in lists.get(rid, [])][:K]
        gains = np.array([1.0 if v in relevant[rid] else 0.0 for v in top])
        ideal = discounts[:min(len(relevant[rid]), K)].sum()
        ndcg.append(float((gains * discounts[:len(gains)]).sum() / ideal))
        first = np.flatnonzero(gains)
        mrr.append(1.0 / (first[0] + 1) if len(first) else 0.0)
        hit1.append(float(gains[0]) if len(gains) else 0.0)
    return {"NDCG@10": np.array(ndcg), "MRR": np.array(mrr), "hit@1": np.array(hit1)}


def _as_of(volunteers: list[matching.Volunteer], moment: datetime) -> list[matching.Volunteer]:
    """The volunteers as they were at `moment`: help done and help under way then, nothing suggested lately."""
    experience: dict[str, Counter[str]] = {}
    busy: Counter[str] = Counter()
    for volunteer, category, created_at, done_at in db.session.execute(
            select(User.public_id, HelpRequest.category_key, Match.created_at, Match.done_at)
            .join(Match, Match.volunteer_id == User.id).join(HelpRequest, HelpRequest.id == Match.request_id)):
        if done_at is not None and done_at < moment:
            experience.setdefault(volunteer, Counter())[category] += 1
        elif created_at < moment:
            busy[volunteer] += 1
    return [dataclasses.replace(v, experience=dict(experience.get(v.id, {})), open_commitments=busy[v.id],
                                recent_suggestions=0) for v in volunteers]


def evaluate_time_split(test_share: float = 0.2, seed: int = 0, kind: str = "auto") -> Evaluation:
    """Train on the requests posted before the split (the newest `test_share` of requests are the test), rank
    every newer request's volunteers with the cold start and with the learned model (applied even where
    train_model's decision was "cold start wins", to show the difference), and score both on who responded."""
    found = history(seed)
    order = sorted(found.posted.items(), key=lambda item: item[1])
    split_at = order[min(len(order) - 1, int(len(order) * (1 - test_share)))][1]
    older = {rid for rid, at in found.posted.items() if at < split_at}
    newer = {rid for rid in found.posted if rid not in older}
    train = [i for i in found.interactions if i.request in older]
    relevant: dict[str, set[str]] = {}
    for i in found.interactions:
        if i.request in newer and i.outcome in POSITIVE:
            relevant.setdefault(i.request, set()).add(i.volunteer)
    test = sorted(relevant)
    if not test:
        raise matching.TrainingError("no newer request has a volunteer who responded")
    model = _train(found.volunteers, [r for r in found.requests if r.id in older], train, seed=seed, kind=kind)
    volunteers = _as_of(found.volunteers, split_at)  # no experience from the test months leaks into either ranker
    applied = dataclasses.replace(model, use_learned=True)
    requests = [r for r in found.requests if r.id in relevant]
    profiles = {rid: p for rid, p in found.request_profiles.items() if rid in relevant}
    scores: dict[str, dict[str, np.ndarray]] = {}
    for name, used in (("cold start (hand ranker)", None), (f"learned ({model.kind})", applied)):
        index = matching.MatchIndex(volunteers, requests, volunteer_profiles=found.profiles,
                                    request_profiles=profiles, model=used, now=split_at)
        scores[name] = _ranks(index, test, relevant)
    cold, learned = scores.values()
    return Evaluation(
        train_requests=len(older), train_interactions=len(train), test_requests=len(test), split_at=split_at,
        decision=model.decision, kind=model.kind,
        scores={name: {m: (float(v.mean()), *bootstrap_ci(v, seed)) for m, v in per.items()}
                for name, per in scores.items()},
        gain={m: (float((learned[m] - cold[m]).mean()), *bootstrap_ci(learned[m] - cold[m], seed)) for m in cold})
