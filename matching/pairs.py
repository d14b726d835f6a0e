"""Pair features and the cold-start score, vectorised over many (volunteer, request) pairs.

The same feature columns feed the hand-weighted cold-start score and the learned model.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from matching.geo import haversine_pairs_km
from matching.index import RequestMatrix, VolunteerMatrix

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
B = npt.NDArray[np.bool_]

FEATURES: tuple[str, ...] = (
    "category",
    "concept",
    "ngram",
    "distance_fraction",
    "distance_km",
    "slot_overlap",
    "flexible",
    "no_dutch",
    "screening",
    "open_commitments",
    "recent_suggestions",
    "waiting_days",
    "experience",
)
COL = {name: i for i, name in enumerate(FEATURES)}

# Cold-start weights (chosen on the simulation in evaluate.py; see README).
W_CATEGORY = 0.6
W_CONCEPT = 0.2
W_NGRAM = 0.5
W_TEXT = 0.65
W_PROXIMITY = 0.2
W_SLOTS = 0.1
W_EXPERIENCE = 0.05
# Policy: exposure spreading and rescue of requests that wait without a response.
LOAD_OPEN_PENALTY = 0.25
LOAD_RECENT_PENALTY = 0.03
WAITING_HORIZON_DAYS = 21.0
WAITING_BOOST = 0.3
# Request side of exposure spreading: responses already in, and lists the request already sits in.
RESPONSE_PENALTY = 0.15
LISTED_FREE = 10.0
LISTED_PENALTY = 0.02
# A request to practise Dutch with a volunteer who does not speak Dutch.
NO_DUTCH_FACTOR = 0.3


@dataclass(frozen=True, slots=True)
class PairBlock:
    """Features of a batch of pairs plus what the ordering rules and reasons need."""

    vol: I64
    req: I64
    features: F64
    distance_km: F64
    slot_conflict: B
    shared_slots: I64
    request_factor: F64


def _popcount(x: I64) -> I64:
    out: I64 = np.bitwise_count(x).astype(np.int64)
    return out


def pair_block(
    vm: VolunteerMatrix,
    rm: RequestMatrix,
    vol: I64,
    req: I64,
    vng: sp.csr_matrix,
    rng: sp.csr_matrix,
    distance_km: F64 | None = None,
    ngram: F64 | None = None,
) -> PairBlock:
    """Features for pairs ``(vol[i], req[i])``; ``vng``/``rng`` are the IDF-weighted n-gram matrices.

    ``ngram`` may carry precomputed n-gram cosines of the pairs. Used for training (arbitrary logged pairs) and
    for a non-linear model; every ranking with the cold start or a logistic model goes through grid.py."""
    n = len(vol)
    if distance_km is None:
        distance_km = haversine_pairs_km(vm.lat[vol], vm.lon[vol], rm.lat[req], rm.lon[req])
    dist = distance_km
    feats = np.zeros((n, len(FEATURES)), dtype=np.float64)
    if n == 0:
        empty = np.zeros(0, dtype=np.float64)
        return PairBlock(vol, req, feats, dist, np.zeros(0, dtype=np.bool_), np.zeros(0, dtype=np.int64), empty)
    one_vol = bool(np.all(vol == vol[0]))
    one_req = not one_vol and bool(np.all(req == req[0]))
    # concept: the volunteer's strengths over the request's concepts (request rows have unit length)
    if one_vol:
        v = int(vol[0])
        feats[:, COL["category"]] = rm.cat[req] @ vm.cat[v]
        feats[:, COL["concept"]] = rm.concept[req] @ vm.concept[v]
    elif one_req:
        r = int(req[0])
        feats[:, COL["category"]] = vm.cat[vol] @ rm.cat[r]
        feats[:, COL["concept"]] = vm.concept[vol] @ rm.concept[r]
    else:
        feats[:, COL["category"]] = np.einsum("ij,ij->i", vm.cat[vol], rm.cat[req])
        feats[:, COL["concept"]] = np.einsum("ij,ij->i", vm.concept[vol], rm.concept[req])
    if ngram is None:
        ngram = np.asarray(vng[vol].multiply(rng[req]).sum(axis=1)).ravel()
    feats[:, COL["ngram"]] = ngram
    feats[:, COL["distance_fraction"]] = np.clip(dist / np.maximum(vm.max_km[vol], 0.1), 0.0, 2.0)
    feats[:, COL["distance_km"]] = dist
    vs, rs = vm.slots[vol], rm.slots[req]
    shared = vs & rs
    overlap = _popcount(shared)
    flexible = (vs == 0) | (rs == 0)
    smaller = np.maximum(np.minimum(_popcount(vs), _popcount(rs)), 1)
    feats[:, COL["slot_overlap"]] = np.where(flexible, 1.0, overlap / smaller)
    feats[:, COL["flexible"]] = flexible
    feats[:, COL["no_dutch"]] = rm.no_dutch[req]
    feats[:, COL["screening"]] = rm.needs_screening[req] & vm.screened[vol]
    feats[:, COL["open_commitments"]] = vm.load_open[vol]
    feats[:, COL["recent_suggestions"]] = vm.load_recent[vol]
    feats[:, COL["waiting_days"]] = rm.waiting_days[req]
    feats[:, COL["experience"]] = np.log1p(vm.experience[vol, rm.cat_index[req]])
    conflict = ~flexible & (overlap == 0)
    factor = request_factor(rm.responses[req], rm.listed_in[req])
    factor = np.where(rm.dutch_practice[req] & ~vm.speaks_dutch[vol], factor * NO_DUTCH_FACTOR, factor)
    return PairBlock(vol, req, feats, dist, conflict, np.where(flexible, vs | rs, shared), factor)


def request_factor(responses: F64, listed_in: F64) -> F64:
    """Request-side exposure spreading: 1 for a request nobody answered that sits in few lists, lower for
    one that already has responses or sits in many volunteers' lists."""
    out: F64 = 1.0 / (
        1.0 + RESPONSE_PENALTY * np.minimum(responses, 5.0) + LISTED_PENALTY * np.maximum(listed_in - LISTED_FREE, 0.0)
    )
    return out


def cold_start_probability(features: F64) -> F64:
    """Heuristic match strength in [0, 1] before policy (no training data needed)."""
    f = features
    text = np.clip(
        W_CATEGORY * f[:, COL["category"]] + W_CONCEPT * f[:, COL["concept"]] + W_NGRAM * f[:, COL["ngram"]], 0.0, 1.0
    )
    proximity = 1.0 - np.clip(f[:, COL["distance_fraction"]], 0.0, 1.0)
    experience = np.minimum(1.0, f[:, COL["experience"]] / np.log(5.0))
    out: F64 = W_TEXT * text + W_PROXIMITY * proximity + W_SLOTS * f[:, COL["slot_overlap"]] + W_EXPERIENCE * experience
    return out


def apply_policy(probability: F64, features: F64) -> F64:
    """Exposure spreading (penalise open commitments and recent suggestions) and the waiting boost."""
    fairness = 1.0 / (
        1.0
        + LOAD_OPEN_PENALTY * features[:, COL["open_commitments"]]
        + LOAD_RECENT_PENALTY * features[:, COL["recent_suggestions"]]
    )
    waiting = np.minimum(features[:, COL["waiting_days"]], WAITING_HORIZON_DAYS) / WAITING_HORIZON_DAYS
    boost = (1.0 + WAITING_BOOST * waiting) / (1.0 + WAITING_BOOST)
    out: F64 = np.clip(probability, 0.0, 1.0) * fairness * boost
    return out


def ordering_score(policy_probability: F64, slot_conflict: B) -> F64:
    """Final score: pairs whose slots do not overlap land in [0, 0.5), all others in [0.5, 1]."""
    out: F64 = 0.5 * (~slot_conflict).astype(np.float64) + 0.5 * np.clip(policy_probability, 0.0, 0.999999)
    return out
