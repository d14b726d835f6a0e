"""Scoring blocks of volunteers against blocks of requests at once (dense B x R arrays).

Every ranking goes through :func:`score_block`: one volunteer against all requests, all volunteers
against one request, blocks of volunteers against all requests (the stored lists' refresh job,
``rank-requests``), and a new request against every volunteer (:meth:`MatchIndex.place_request`), so
all of them give the same scores. The features are those of :func:`matching.pairs.pair_block`:

- the cold-start text score ``0.6 category + 0.2 concept + 0.5 n-gram`` is ONE sparse product, of
  volunteer rows ``[0.5 n-grams | 0.6 categories | 0.2 concepts]`` with request rows
  ``[n-grams | categories | concepts]``;
- distances come from a product of 3-D unit vectors (the chord, equal to the great-circle distance to
  within 1e-7 at city scale); the distance rule is tested on the exact angle (cosine), so no pair at
  the boundary flips against haversine;
- languages and slots are bit masks, so a hard rule or an overlap is one integer operation per pair.

Reasons are computed by the caller, for the final top-k only.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from matching.geo import EARTH_RADIUS_KM
from matching.index import RequestMatrix, VolunteerMatrix
from matching.pairs import (
    COL,
    FEATURES,
    LISTED_FREE,
    LISTED_PENALTY,
    LOAD_OPEN_PENALTY,
    LOAD_RECENT_PENALTY,
    NO_DUTCH_FACTOR,
    RESPONSE_PENALTY,
    W_CATEGORY,
    W_CONCEPT,
    W_EXPERIENCE,
    W_NGRAM,
    W_PROXIMITY,
    W_SLOTS,
    W_TEXT,
    WAITING_BOOST,
    WAITING_HORIZON_DAYS,
)

SMALL_BLOCK = 16  # up to this many volunteers, a request subset is cut from the full product
F32 = npt.NDArray[np.float32]
F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
U = npt.NDArray[np.unsignedinteger[npt.NBitBase]]
B = npt.NDArray[np.bool_]


def unit_vectors(lat: F64, lon: F64) -> F64:
    """Points on the unit sphere (n x 3)."""
    p, q = np.radians(lat), np.radians(lon)
    out: F64 = np.column_stack([np.cos(p) * np.cos(q), np.cos(p) * np.sin(q), np.sin(p)])
    return out


def _bits(mat: B, dtype: type[np.unsignedinteger[npt.NBitBase]]) -> U:
    """Boolean columns as one unsigned bit mask per row."""
    out = np.zeros(mat.shape[0], dtype=dtype)
    for col in range(mat.shape[1]):
        out |= mat[:, col].astype(dtype) << dtype(col)
    return out


def _lang_dtype(n: int) -> type[np.unsignedinteger[npt.NBitBase]] | None:
    for dtype, size in ((np.uint8, 8), (np.uint16, 16), (np.uint32, 32), (np.uint64, 64)):
        if n <= size:
            return dtype  # type: ignore[return-value]
    return None


def _text_rows(ngram: sp.csr_matrix, cat: F32, concept: F32, weights: tuple[float, float, float]) -> sp.csr_matrix:
    parts = [
        sp.csr_matrix(ngram, dtype=np.float32) * np.float32(weights[0]),
        sp.csr_matrix(cat * np.float32(weights[1])),
        sp.csr_matrix(concept * np.float32(weights[2])),
    ]
    out: sp.csr_matrix = sp.csr_matrix(sp.hstack(parts, format="csr", dtype=np.float32))
    out.sort_indices()
    return out


@dataclass(frozen=True)
class Side:
    """One side's arrays: unit vectors (and transposed), language bits, text rows (and transposed), a factor."""

    unit: F64
    unit_t: F64
    lang: U | None
    text: sp.csr_matrix
    text_t: sp.csr_matrix
    text_t_cols: sp.csc_matrix  # the transpose again, for slicing columns
    factor: F64


@dataclass(frozen=True)
class GridIndex:
    """Both sides' arrays, built once per MatchIndex."""

    vol: Side
    req: Side
    vcos_max: F64  # cos of each volunteer's max distance as an angle
    vkm_scale: F32  # EARTH_RADIUS_KM / max distance: the chord times this is the distance fraction
    lang_dtype: type[np.unsignedinteger[npt.NBitBase]] | None
    columns: I64  # the text columns some volunteer uses (only those can add to a product)

    @classmethod
    def build(cls, vm: VolunteerMatrix, rm: RequestMatrix, vng: sp.csr_matrix, rng: sp.csr_matrix) -> GridIndex:
        dtype = _lang_dtype(vm.langs.shape[1])
        wide = _text_rows(vng, vm.cat, vm.concept, (W_NGRAM, W_CATEGORY, W_CONCEPT))
        # 2^18 hashed n-gram columns are mostly empty: keep the ones a volunteer uses, so products and
        # conversions work on tens of thousands of columns instead of a quarter million.
        columns = np.unique(wide.indices).astype(np.int64)
        text = sp.csr_matrix(wide[:, columns])
        text.sort_indices()
        vunit = unit_vectors(vm.lat, vm.lon)
        vside = Side(
            unit=vunit,
            unit_t=np.ascontiguousarray(vunit.T),
            lang=None if dtype is None else _bits(vm.langs, dtype),
            text=text,
            text_t=sp.csr_matrix(text.T),
            text_t_cols=sp.csc_matrix(text.T),
            factor=1.0 / (1.0 + LOAD_OPEN_PENALTY * vm.load_open + LOAD_RECENT_PENALTY * vm.load_recent),
        )
        angle = np.minimum((vm.max_km + 1e-9) / EARTH_RADIUS_KM, np.pi)
        return cls(
            vol=vside,
            req=request_side(rm, rng, dtype, columns),
            vcos_max=np.cos(angle),
            vkm_scale=(EARTH_RADIUS_KM / np.maximum(vm.max_km, 0.1)).astype(np.float32),
            lang_dtype=dtype,
            columns=columns,
        )

    def with_requests(self, rm: RequestMatrix, rng: sp.csr_matrix) -> GridIndex:
        """The same volunteers against other requests (e.g. one new request)."""
        side = request_side(rm, rng, self.lang_dtype, self.columns)
        return GridIndex(self.vol, side, self.vcos_max, self.vkm_scale, self.lang_dtype, self.columns)


def request_side(
    rm: RequestMatrix,
    rng: sp.csr_matrix,
    dtype: type[np.unsignedinteger[npt.NBitBase]] | None,
    columns: I64,
) -> Side:
    """The request side's arrays; the policy factor is the waiting boost times request-side exposure."""
    waiting = np.minimum(rm.waiting_days, WAITING_HORIZON_DAYS) / WAITING_HORIZON_DAYS
    boost = (1.0 + WAITING_BOOST * waiting) / (1.0 + WAITING_BOOST)
    spread = 1.0 / (
        1.0
        + RESPONSE_PENALTY * np.minimum(rm.responses, 5.0)
        + LISTED_PENALTY * np.maximum(rm.listed_in - LISTED_FREE, 0.0)
    )
    text = sp.csr_matrix(_text_rows(rng, rm.cat, rm.concept, (1.0, 1.0, 1.0))[:, columns])
    text.sort_indices()
    unit = unit_vectors(rm.lat, rm.lon)
    return Side(
        unit=unit,
        unit_t=np.ascontiguousarray(unit.T),
        lang=None if dtype is None else _bits(rm.langs, dtype),
        text=text,
        text_t=sp.csr_matrix(text.T),
        text_t_cols=sp.csc_matrix(text.T),
        factor=boost * spread,
    )


@dataclass(frozen=True)
class Block:
    """Scores of volunteers ``vol`` (rows) x requests ``req`` (columns); -1 where a hard rule forbids.

    ``score`` leaves out the volunteer's exposure factor ``vfactor`` when ``row_factor`` is False (it does not
    change the order of a volunteer's own list); the caller puts it back for the pairs it keeps."""

    vol: I64
    req: I64
    score: F32
    probability: F32
    vfactor: F64


def _popcount(x: npt.NDArray[Any]) -> npt.NDArray[np.uint8]:
    out: npt.NDArray[np.uint8] = np.bitwise_count(x)
    return out


def _text(vside: Side, rside: Side, vol: I64, req: I64, n_vol: int, n_req: int) -> F32:
    """The product of volunteer text rows with request text rows for every pair (one sparse product)."""
    if len(req) == n_req:
        out = (vside.text[vol] @ rside.text_t).toarray()
    elif len(vol) == n_vol:
        out = (rside.text[req] @ vside.text_t).toarray().T
    elif len(vol) <= SMALL_BLOCK:  # a few volunteers: the whole product is cheaper than converting a slice
        out = (vside.text[vol] @ rside.text_t).toarray()[:, req]
    elif len(req) >= len(vol):  # both sides a subset: slice the request columns, convert them once
        out = (vside.text[vol] @ sp.csr_matrix(rside.text_t_cols[:, req])).toarray()
    else:
        out = (rside.text[req] @ sp.csr_matrix(vside.text_t_cols[:, vol])).toarray().T
    return np.ascontiguousarray(out, dtype=np.float32)


@dataclass(frozen=True)
class Linear:
    """A logistic model folded into the block scorer: weights over FEATURES + the cold-start score, the bias,
    and the volunteer text rows weighted by the model's category, concept and n-gram weights."""

    weights: F64
    bias: float
    text: Side

    @classmethod
    def build(cls, weights: F64, bias: float, g: GridIndex, vm: VolunteerMatrix, vng: sp.csr_matrix) -> Linear:
        w = (float(weights[COL["ngram"]]), float(weights[COL["category"]]), float(weights[COL["concept"]]))
        text = sp.csr_matrix(_text_rows(vng, vm.cat, vm.concept, w)[:, g.columns])
        text.sort_indices()
        side = replace(g.vol, text=text, text_t=sp.csr_matrix(text.T), text_t_cols=sp.csc_matrix(text.T))
        return cls(weights, bias, side)


def score_block(
    vm: VolunteerMatrix,
    rm: RequestMatrix,
    g: GridIndex,
    vol: I64,
    req: I64,
    *,
    linear: Linear | None = None,
    row_factor: bool = True,
) -> Block:
    """Scores of every (volunteer in ``vol``, request in ``req``) pair, with the hard rules applied, by the
    cold-start weights or a learned logistic model (``linear``)."""
    rcols = g.req.unit_t if len(req) == len(rm.records) else np.ascontiguousarray(g.req.unit_t[:, req])
    dot = g.vol.unit[vol] @ rcols
    allowed: B = dot >= g.vcos_max[vol][:, None]
    if g.vol.lang is not None and g.req.lang is not None:
        allowed &= (g.vol.lang[vol][:, None] & g.req.lang[req][None, :]) != 0
    else:
        allowed &= (vm.langs[vol].astype(np.float32) @ rm.langs[req].T.astype(np.float32)) > 0
    needs = np.flatnonzero(rm.needs_screening[req])
    if len(needs):
        allowed[:, needs] &= vm.screened[vol][:, None]
    np.multiply(dot, -2.0, out=dot)
    dot += 2.0
    np.maximum(dot, 0.0, out=dot)
    chord = np.sqrt(dot).astype(np.float32)  # in earth radii
    vs, rs = vm.slots[vol].astype(np.uint32), rm.slots[req].astype(np.uint32)
    vflex, rflex = vs == 0, rs == 0
    shared = vs[:, None] & rs[None, :]
    conflict = shared == 0  # both gave slots and none overlaps (flexible rows and columns cleared below)
    conflict[vflex] = False
    conflict[:, rflex] = False
    n_vol, n_req = len(vm.records), len(rm.records)
    text = _text(g.vol, g.req, vol, req, n_vol, n_req)
    np.clip(text, 0.0, 1.0, out=text)
    frac = chord * g.vkm_scale[vol][:, None]  # the distance fraction (<= 1 for allowed pairs)
    both = bool((~vflex).any() and (~rflex).any())
    slot_gap: F32 | None = None  # slot overlap - 1 where both gave slots, 0 elsewhere
    if both:
        slot_gap = _popcount(shared).astype(np.float32)
        vcount = np.maximum(_popcount(vs), 1).astype(np.float32)
        rcount = np.maximum(_popcount(rs), 1).astype(np.float32)
        slot_gap /= np.minimum.outer(vcount, rcount)
        slot_gap -= np.float32(1.0)
        slot_gap[vflex] = 0.0
        slot_gap[:, rflex] = 0.0
    exp = vm.experience[vol]
    exp_grid = np.log1p(exp[:, rm.cat_index[req]]).astype(np.float32) if exp.any() else None
    # the cold-start probability
    prob = text
    prob *= np.float32(W_TEXT)
    prob += np.float32(W_PROXIMITY + W_SLOTS)
    prob -= np.float32(W_PROXIMITY) * np.minimum(frac, np.float32(1.0))
    if slot_gap is not None:
        prob += np.float32(W_SLOTS) * slot_gap
    if exp_grid is not None:
        prob += np.float32(W_EXPERIENCE) * np.minimum(exp_grid / np.float32(np.log(5.0)), np.float32(1.0))
    if linear is not None:
        w = {name: np.float32(linear.weights[COL[name]]) for name in FEATURES}
        z = _text(linear.text, g.req, vol, req, n_vol, n_req)  # the model's category, concept and n-gram terms
        z += np.float32(linear.weights[len(FEATURES)]) * prob
        z += np.float32(linear.bias)
        z += w["distance_fraction"] * np.minimum(frac, np.float32(2.0))
        z += (w["distance_km"] * np.float32(EARTH_RADIUS_KM)) * chord
        z += w["slot_overlap"] + w["slot_overlap"] * slot_gap if slot_gap is not None else w["slot_overlap"]
        flexible = vflex[:, None] | rflex[None, :]
        z += w["flexible"] * flexible
        z += (w["open_commitments"] * vm.load_open[vol] + w["recent_suggestions"] * vm.load_recent[vol]).astype(
            np.float32
        )[:, None]
        z += (w["no_dutch"] * rm.no_dutch[req] + w["waiting_days"] * rm.waiting_days[req]).astype(np.float32)[None, :]
        if len(needs):
            z[:, needs] += w["screening"] * vm.screened[vol].astype(np.float32)[:, None]
        if exp_grid is not None:
            z += w["experience"] * exp_grid
        np.negative(z, out=z)
        np.exp(z, out=z)
        z += np.float32(1.0)
        prob = np.reciprocal(z)
    probability = prob
    policy = np.clip(prob, 0.0, 1.0)  # a new array: ``probability`` keeps the value before the policy
    if row_factor:
        policy *= g.vol.factor[vol].astype(np.float32)[:, None]
    policy *= g.req.factor[req].astype(np.float32)[None, :]
    practice = np.flatnonzero(rm.dutch_practice[req])
    if len(practice):
        factor = np.where(vm.speaks_dutch[vol], np.float32(1.0), np.float32(NO_DUTCH_FACTOR)).astype(np.float32)
        policy[:, practice] *= factor[:, None]
    np.clip(policy, 0.0, 0.999999, out=policy)
    # score = 0.5 (slots fit) + 0.5 policy; -1 where a hard rule forbids (arithmetic, not masked writes)
    policy *= np.float32(0.5)
    policy += np.float32(1.5)
    policy -= np.float32(0.5) * conflict
    policy *= allowed
    policy -= np.float32(1.0)
    return Block(vol, req, policy, probability, g.vol.factor[vol])


def reach(g: GridIndex, vol: I64) -> tuple[F64, float]:
    """A spherical cap holding every point any of these volunteers may reach: (centre, cos of its radius)."""
    units = g.vol.unit[vol]
    centre = units.mean(axis=0)
    centre /= max(float(np.linalg.norm(centre)), 1e-12)
    spread = np.arccos(np.clip(units @ centre, -1.0, 1.0))
    radius = float(np.max(spread + np.arccos(np.clip(g.vcos_max[vol], -1.0, 1.0)))) + 1e-9
    return centre, float(np.cos(min(radius, np.pi)))


def spatial_order(vm: VolunteerMatrix, positions: I64) -> I64:
    """Volunteers ordered so that a block of consecutive ones lives close together with similar reach
    (max distance, then a ~1 km grid cell), which lets a block skip the requests none of them may reach."""
    lat, lon = vm.lat[positions], vm.lon[positions]
    out: I64 = positions[np.lexsort((np.floor(lon / 0.015), np.floor(lat / 0.01), np.ceil(vm.max_km[positions])))]
    return out


def top_k_rows(score: F32, k: int) -> list[list[int]]:
    """Per row, the column positions of the k best allowed scores (score descending, then position)."""
    n_rows, n_cols = score.shape
    if n_cols == 0 or k <= 0:
        return [[] for _ in range(n_rows)]
    kk = min(k, n_cols)
    part = np.argpartition(-score, kk - 1, axis=1)[:, :kk] if n_cols > kk else np.tile(np.arange(n_cols), (n_rows, 1))
    vals = np.take_along_axis(score, part, axis=1)
    order = np.lexsort((part, -vals), axis=1)
    ranked = np.take_along_axis(part, order, axis=1)
    ok = np.take_along_axis(vals, order, axis=1) >= 0.0
    return [row[mask].tolist() for row, mask in zip(ranked, ok, strict=True)]
