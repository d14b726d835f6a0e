"""Rank requests for volunteers and volunteers for requests, with reason codes.

Build a :class:`MatchIndex` once from the open requests and active volunteers (with their stored
:class:`~matching.features.TextProfile` s), then ask it for one list at a time.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

import numpy as np
import numpy.typing as npt

from matching.features import TextProfile, char_ngrams, encode_request
from matching.geo import haversine_many_km
from matching.index import RequestMatrix, Space, VolunteerMatrix, apply_idf, idf_weights, is_dutch_practice
from matching.model import TrainedModel
from matching.pairs import (
    PairBlock,
    apply_policy,
    cold_start_probability,
    inverted,
    ordering_score,
    pair_block,
    query_scores,
)
from matching.records import SLOTS, HelpRequest, Reason, Suggestion, Volunteer
from matching.vocabulary import load_vocabulary

I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]
SKILL_REASON_MIN = 0.5
CATEGORY_REASON_MIN = 0.35
CLOSER_PHRASE_MIN = 0.2  # a weaker phrase is cited instead of the strongest only when this similar


def _first_slot(mask: int) -> str | None:
    for i, slot in enumerate(SLOTS):
        if mask >> i & 1:
            return slot
    return None


def _shared_language(volunteer: Volunteer, request: HelpRequest) -> str | None:
    shared = volunteer.languages & request.languages
    if not shared:
        return None
    # Name the language that matters: a requester without Dutch needs someone who speaks theirs.
    if "nl" in shared and "nl" in request.languages and len(request.languages) == 1:
        return "nl"
    non_dutch = sorted(shared - {"nl", "en"})
    if non_dutch:
        return non_dutch[0]
    return "nl" if "nl" in shared else min(shared)


def matched_concept(vprof: TextProfile, rprof: TextProfile) -> str | None:
    """The concept both sides share most strongly (None when they share none)."""
    vcon = dict(vprof.concepts)
    best, best_score = None, 0.0
    for concept, strength in rprof.concepts:
        score = strength * vcon.get(concept, 0.0)
        if score > best_score:
            best, best_score = concept, score
    return best


def _matched_category(vprof: TextProfile, rprof: TextProfile) -> tuple[str | None, float]:
    """The request category (after the text's say) the volunteer covers best, and the volunteer's weight."""
    best, best_score, weight = None, 0.0, 0.0
    for key, rweight in rprof.categories:
        vweight = vprof.category_weight(key)
        if rweight * vweight > best_score:
            best, best_score, weight = key, rweight * vweight, vweight
    return best, weight


def _request_phrase_in(rprof: TextProfile, category: str) -> str | None:
    """The request's own words for its strongest concept of ``category``."""
    vocab = load_vocabulary()
    best, best_strength = None, 0.0
    for concept, strength in rprof.concepts:
        if vocab.concept(concept).category == category and strength > best_strength:
            best, best_strength = rprof.concept_phrase(concept), strength
    return best


def _closest(phrases: list[str], asked: str) -> str:
    """Of the volunteer's phrases for one concept, the one closest in spelling to the request's words
    ("heg knippen" rather than "onkruid wieden" for "heg knippen"); the strongest on a tie."""
    if len(phrases) == 1 or not asked:
        return phrases[0]
    grams = set(char_ngrams(asked))
    best, best_sim = phrases[0], CLOSER_PHRASE_MIN
    for phrase in phrases:
        other = set(char_ngrams(phrase))
        sim = len(grams & other) / max(1, len(grams | other))
        if sim > best_sim:
            best, best_sim = phrase, sim
    return best


def explain(
    volunteer: Volunteer,
    profile: TextProfile,
    request: HelpRequest,
    distance_km: float,
    shared_slots: int,
    request_profile: TextProfile | None = None,
) -> tuple[Reason, ...]:
    """Reason codes for one pair, most telling first (never empty).

    ``skill`` cites the volunteer's phrase that matched *this* request (the concept both share, else the
    phrase behind the request category they share), ``asked`` the request's own words it matched."""
    reasons: list[Reason] = []
    rprof = request_profile or encode_request(request)
    concept = matched_concept(profile, rprof)
    cat, weight = _matched_category(profile, rprof)
    if concept is not None and profile.concept_phrase(concept) is not None:
        asked = rprof.concept_phrase(concept)
        reasons.append(Reason("skill", _closest(profile.phrases_of(concept), asked or "")))
        if asked:
            reasons.append(Reason("asked", asked))
        cat = (
            load_vocabulary().concept(concept).category
            if profile.category_weight(load_vocabulary().concept(concept).category) >= CATEGORY_REASON_MIN
            else cat
        )
    elif cat is not None and weight >= SKILL_REASON_MIN and profile.phrase_for(cat) is not None:
        reasons.append(Reason("skill", str(profile.phrase_for(cat))))
        asked = _request_phrase_in(rprof, cat)
        if asked:
            reasons.append(Reason("asked", asked))
    if cat is not None and weight >= CATEGORY_REASON_MIN:
        reasons.append(Reason("category", cat))
    exp_cat = cat if cat is not None else request.category
    if volunteer.experience.get(exp_cat, 0) > 0:
        reasons.append(Reason("experience", exp_cat))
    reasons.append(Reason("distance", f"{distance_km:.1f}"))
    slot = _first_slot(shared_slots)
    if slot is not None:
        reasons.append(Reason("availability", slot))
    lang = _shared_language(volunteer, request)
    if lang is not None:
        reasons.append(Reason("language", lang))
    if "nl" in volunteer.languages and is_dutch_practice(rprof):
        reasons.append(Reason("speaks_dutch", ""))
    if request.needs_screening and volunteer.screened:
        reasons.append(Reason("screening", ""))
    return tuple(reasons)


class MatchIndex:
    """Precomputed matrices of volunteers and open requests; scoring is vectorised per query."""

    def __init__(
        self,
        volunteers: Sequence[Volunteer],
        requests: Sequence[HelpRequest],
        *,
        volunteer_profiles: Mapping[str, TextProfile] | None = None,
        request_profiles: Mapping[str, TextProfile] | None = None,
        model: TrainedModel | None = None,
        now: datetime | None = None,
    ) -> None:
        self.space = Space.build(volunteers, requests)
        self.volunteers = VolunteerMatrix.build(volunteers, self.space, volunteer_profiles)
        self.requests = RequestMatrix.build(requests, self.space, request_profiles, now)
        idf = idf_weights(self.requests.ngram)
        self.vngram = apply_idf(self.volunteers.ngram, idf)
        self.rngram = apply_idf(self.requests.ngram, idf)
        self.rinverted = inverted(self.rngram)
        self.vinverted = inverted(self.vngram)
        self.model = model

    # -- scoring -------------------------------------------------------------------------------
    def probability(self, block: PairBlock) -> F64:
        """Calibrated (learned) or heuristic (cold start) match probability, before policy."""
        if self.model is not None:
            return self.model.predict(block.features)
        return cold_start_probability(block.features)

    def _top(self, block: PairBlock, k: int) -> list[tuple[int, float, float]]:
        if len(block.vol) == 0 or k <= 0:
            return []
        prob = self.probability(block)
        policy = apply_policy(prob, block.features) * block.request_factor
        score = ordering_score(policy, block.slot_conflict)
        part = np.argpartition(-score, k - 1)[:k] if len(score) > k else np.arange(len(score))
        # Stable order: score descending, then input position.
        order = part[np.lexsort((part, -score[part]))]
        return [(int(i), float(score[i]), float(prob[i])) for i in order]

    def _suggestions(self, block: PairBlock, k: int, by_request: bool) -> list[Suggestion]:
        out = []
        for i, score, prob in self._top(block, k):
            vi, ri = int(block.vol[i]), int(block.req[i])
            vol, req = self.volunteers.records[vi], self.requests.records[ri]
            reasons = explain(
                vol,
                self.volunteers.profiles[vi],
                req,
                float(block.distance_km[i]),
                int(block.shared_slots[i]),
                self.requests.profiles[ri],
            )
            out.append(Suggestion(id=req.id if by_request else vol.id, score=score, reasons=reasons, probability=prob))
        return out

    # -- public queries --------------------------------------------------------------------------
    def candidates_for_volunteer(self, vi: int) -> tuple[I64, F64]:
        """Requests that pass the hard rules for volunteer ``vi`` and their distances."""
        vm, rm = self.volunteers, self.requests
        dist = haversine_many_km(float(vm.lat[vi]), float(vm.lon[vi]), rm.lat, rm.lon)
        ok = dist <= vm.max_km[vi] + 1e-9
        ok &= rm.langs[:, vm.langs[vi]].any(axis=1)
        if not vm.screened[vi]:
            ok &= ~rm.needs_screening
        idx = np.flatnonzero(ok).astype(np.int64)
        return idx, dist[idx]

    def candidates_for_request(self, ri: int) -> tuple[I64, F64]:
        """Volunteers that pass the hard rules for request ``ri`` and their distances."""
        vm, rm = self.volunteers, self.requests
        dist = haversine_many_km(float(rm.lat[ri]), float(rm.lon[ri]), vm.lat, vm.lon)
        ok = dist <= vm.max_km + 1e-9
        ok &= vm.langs[:, rm.langs[ri]].any(axis=1)
        if rm.needs_screening[ri]:
            ok &= vm.screened
        idx = np.flatnonzero(ok).astype(np.int64)
        return idx, dist[idx]

    def rank_requests_for(self, volunteer_id: str, k: int = 10) -> list[Suggestion]:
        """Top-k open requests for one volunteer (KeyError for an unknown id)."""
        vi = self.volunteers.position[volunteer_id]
        req, dist = self.candidates_for_volunteer(vi)
        vol = np.full(len(req), vi, dtype=np.int64)
        ngram = query_scores(self.rinverted, self.vngram, vi, len(self.requests.records))[req]
        block = pair_block(self.volunteers, self.requests, vol, req, self.vngram, self.rngram, dist, ngram)
        return self._suggestions(block, k, by_request=True)

    def rank_volunteers_for(self, request_id: str, k: int = 10) -> list[Suggestion]:
        """Top-k volunteers for one request (KeyError for an unknown id)."""
        ri = self.requests.position[request_id]
        vol, dist = self.candidates_for_request(ri)
        req = np.full(len(vol), ri, dtype=np.int64)
        ngram = query_scores(self.vinverted, self.rngram, ri, len(self.volunteers.records))[vol]
        block = pair_block(self.volunteers, self.requests, vol, req, self.vngram, self.rngram, dist, ngram)
        return self._suggestions(block, k, by_request=False)


def rank_requests(
    volunteers: Sequence[Volunteer],
    requests: Sequence[HelpRequest],
    k: int = 10,
    *,
    model: TrainedModel | None = None,
    volunteer_profiles: Mapping[str, TextProfile] | None = None,
    request_profiles: Mapping[str, TextProfile] | None = None,
    now: datetime | None = None,
) -> dict[str, list[Suggestion]]:
    """For every volunteer (in input order), the top-k requests."""
    index = MatchIndex(
        volunteers,
        requests,
        model=model,
        volunteer_profiles=volunteer_profiles,
        request_profiles=request_profiles,
        now=now,
    )
    return {v.id: index.rank_requests_for(v.id, k) for v in volunteers}


def rank_volunteers(
    volunteers: Sequence[Volunteer],
    requests: Sequence[HelpRequest],
    k: int = 10,
    *,
    model: TrainedModel | None = None,
    volunteer_profiles: Mapping[str, TextProfile] | None = None,
    request_profiles: Mapping[str, TextProfile] | None = None,
    now: datetime | None = None,
) -> dict[str, list[Suggestion]]:
    """For every request (in input order), the top-k volunteers."""
    index = MatchIndex(
        volunteers,
        requests,
        model=model,
        volunteer_profiles=volunteer_profiles,
        request_profiles=request_profiles,
        now=now,
    )
    return {r.id: index.rank_volunteers_for(r.id, k) for r in requests}
