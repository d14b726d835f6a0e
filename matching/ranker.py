"""Rank requests for volunteers and volunteers for requests, with reason codes.

Build a :class:`MatchIndex` once from the open requests and active volunteers (with their stored
:class:`~matching.features.TextProfile` s), then ask it for one list, many lists at once
(:meth:`MatchIndex.rank_all_requests`, in blocks), or where a new request belongs
(:meth:`MatchIndex.place_request`). Scores come from :mod:`matching.grid`, reasons from
:mod:`matching.reasons`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import numpy.typing as npt

from matching.features import TextProfile
from matching.geo import haversine_many_km, haversine_pairs_km
from matching.grid import Block, GridIndex, Linear, reach, score_block, spatial_order, top_k_rows
from matching.index import RequestMatrix, Space, VolunteerMatrix, apply_idf, idf_weights
from matching.model import TrainedModel
from matching.pairs import apply_policy, ordering_score, pair_block
from matching.reasons import Explainer, explain, explain_views
from matching.records import HelpRequest, Reason, Suggestion, Volunteer

__all__ = ["MatchIndex", "Placement", "explain", "rank_requests", "rank_volunteers"]

I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]
BLOCK_PAIRS = 250_000  # pairs scored per block when ranking many lists (~30 bytes of arrays per pair)


@dataclass(frozen=True, slots=True)
class Placement:
    """A volunteer whose list a new request enters, and the suggestion to store there."""

    volunteer: str
    suggestion: Suggestion


class MatchIndex:
    """Precomputed matrices of volunteers and open requests; scoring is vectorised per block."""

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
        self.now = now
        self.idf = idf_weights(self.requests.ngram)
        self.vngram = apply_idf(self.volunteers.ngram, self.idf)
        self.rngram = apply_idf(self.requests.ngram, self.idf)
        # A model whose training found the cold start better (use_learned False) is not applied.
        self.model = model if model is not None and model.use_learned else None
        self.grid = GridIndex.build(self.volunteers, self.requests, self.vngram, self.rngram)
        self.explainer = Explainer(self.volunteers.profiles, self.requests.profiles)
        self._linear_grid: Linear | None = None
        self._concept_ids = tuple(sorted(self.space.concepts, key=lambda c: self.space.concepts[c]))
        self._category_keys = tuple(sorted(self.space.categories, key=lambda c: self.space.categories[c]))

    # -- scoring -------------------------------------------------------------------------------
    def _linear(self) -> Linear | None:
        """The logistic model folded into the block scorer (built once), None for the cold start."""
        parts = None if self.model is None else self.model.linear_parts()
        if parts is None:
            return None
        if self._linear_grid is None:
            self._linear_grid = Linear.build(parts[0], parts[1], self.grid, self.volunteers, self.vngram)
        return self._linear_grid

    def _block(self, vol: I64, req: I64, row_factor: bool = True) -> Block:
        return score_block(
            self.volunteers, self.requests, self.grid, vol, req, linear=self._linear(), row_factor=row_factor
        )

    def _reasons(self, vis: list[int], ris: list[int]) -> list[tuple[Reason, ...]]:
        """Reasons for many pairs: the matched concept and category found in bulk, the rest per pair."""
        vm, rm = self.volunteers, self.requests
        if not vis:
            return []
        v, r = np.asarray(vis, dtype=np.int64), np.asarray(ris, dtype=np.int64)
        km = haversine_pairs_km(vm.lat[v], vm.lon[v], rm.lat[r], rm.lon[r]).tolist()
        vs, rs = vm.slots[v], rm.slots[r]
        slots = np.where((vs == 0) | (rs == 0), vs | rs, vs & rs).tolist()
        con = vm.concept[v] * rm.concept[r]
        best_con = np.argmax(con, axis=1)
        best_con = np.where(np.take_along_axis(con, best_con[:, None], axis=1)[:, 0] > 0, best_con, -1)
        cat = vm.cat[v] * rm.cat[r]
        best_cat = np.argmax(cat, axis=1)
        has_cat = np.take_along_axis(cat, best_cat[:, None], axis=1)[:, 0] > 0
        weight = np.where(has_cat, vm.cat[v, best_cat], 0.0).tolist()
        best_cat = np.where(has_cat, best_cat, -1)
        return self.explainer.many(
            vm.records,
            rm.records,
            vis,
            ris,
            km,
            slots,
            best_con.tolist(),
            best_cat.tolist(),
            weight,
            self._concept_ids,
            self._category_keys,
        )

    def _slow_model(self) -> bool:
        """A learned model that is not a linear map (boosting) is scored per pair, one list at a time."""
        return self.model is not None and self._linear() is None

    def _pairs_top(self, vol: I64, req: I64, k: int) -> list[tuple[int, int, float, float]]:
        """Top-k of explicit pairs with a non-linear model (the per-pair path)."""
        if len(vol) == 0 or k <= 0 or self.model is None:
            return []
        block = pair_block(self.volunteers, self.requests, vol, req, self.vngram, self.rngram)
        prob = self.model.predict(block.features)
        score = ordering_score(apply_policy(prob, block.features) * block.request_factor, block.slot_conflict)
        part = np.argpartition(-score, k - 1)[:k] if len(score) > k else np.arange(len(score))
        order = part[np.lexsort((part, -score[part]))]
        return [(int(vol[i]), int(req[i]), float(score[i]), float(prob[i])) for i in order]

    # -- hard rules (haversine), for callers that need the candidate sets ---------------------
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

    # -- one list ------------------------------------------------------------------------------
    def rank_requests_for(self, volunteer_id: str, k: int = 10) -> list[Suggestion]:
        """Top-k open requests for one volunteer (KeyError for an unknown id)."""
        vi = self.volunteers.position[volunteer_id]
        return self.rank_all_requests(k, [volunteer_id])[self.volunteers.records[vi].id]

    def rank_volunteers_for(self, request_id: str, k: int = 10) -> list[Suggestion]:
        """Top-k volunteers for one request (KeyError for an unknown id)."""
        ri = self.requests.position[request_id]
        return self.rank_all_volunteers(k, [request_id])[self.requests.records[ri].id]

    # -- many lists at once ---------------------------------------------------------------------
    def rank_all_requests(self, k: int = 10, volunteer_ids: Sequence[str] | None = None) -> dict[str, list[Suggestion]]:
        """Top-k requests for many volunteers (default: all), scored in blocks of volunteers x all requests
        (the stored lists' refresh job); the same lists as one :meth:`rank_requests_for` at a time."""
        vm, rm = self.volunteers, self.requests
        positions = (
            np.arange(len(vm.records), dtype=np.int64)
            if volunteer_ids is None
            else np.array([vm.position[v] for v in volunteer_ids], dtype=np.int64)
        )
        all_req = np.arange(len(rm.records), dtype=np.int64)
        out: dict[str, list[Suggestion]] = {}
        if self._slow_model():
            for vi in positions.tolist():
                req, _ = self.candidates_for_volunteer(vi)
                top = self._pairs_top(np.full(len(req), vi, dtype=np.int64), req, k)
                reasons = self._reasons([t[0] for t in top], [t[1] for t in top])
                out[vm.records[vi].id] = [
                    Suggestion(rm.records[b].id, sc, rs, pr) for (_, b, sc, pr), rs in zip(top, reasons, strict=True)
                ]
            return out
        size = max(1, BLOCK_PAIRS // max(1, len(all_req)))
        ordered = spatial_order(vm, positions)
        for start in range(0, len(ordered), size):
            vol = ordered[start : start + size]
            centre, cos_radius = reach(self.grid, vol)
            near = np.flatnonzero(self.grid.req.unit @ centre >= cos_radius)  # requests any of them may reach
            req = all_req if len(near) > 0.95 * len(all_req) else near
            block = self._block(vol, req, row_factor=False)
            tops = top_k_rows(block.score, k)
            rows = np.array([row for row, cols in enumerate(tops) for _ in cols], dtype=np.int64)
            at = np.array([c for cols in tops for c in cols], dtype=np.int64)
            cols = req[at]
            raw = block.score[rows, at].astype(np.float64)
            band = np.where(raw >= 0.5, 0.5, 0.0)
            scores = (band + (raw - band) * block.vfactor[rows]).tolist()
            probs = block.probability[rows, at].astype(np.float64).tolist()
            reasons = self._reasons(vol[rows].tolist(), cols.tolist())
            ids = [rm.records[c].id for c in cols.tolist()]
            pos = 0
            for row, row_cols in enumerate(tops):  # blocks run in spatial order; the result is in input order
                end = pos + len(row_cols)
                out[vm.records[int(vol[row])].id] = [
                    Suggestion(ids[i], scores[i], reasons[i], probs[i]) for i in range(pos, end)
                ]
                pos = end
        return {vm.records[int(v)].id: out[vm.records[int(v)].id] for v in positions}

    def rank_all_volunteers(self, k: int = 10, request_ids: Sequence[str] | None = None) -> dict[str, list[Suggestion]]:
        """Top-k volunteers for many requests (default: all), in blocks of all volunteers x requests."""
        vm, rm = self.volunteers, self.requests
        positions = (
            np.arange(len(rm.records), dtype=np.int64)
            if request_ids is None
            else np.array([rm.position[r] for r in request_ids], dtype=np.int64)
        )
        all_vol = np.arange(len(vm.records), dtype=np.int64)
        out: dict[str, list[Suggestion]] = {}
        if self._slow_model():
            for ri in positions.tolist():
                vol, _ = self.candidates_for_request(ri)
                top = self._pairs_top(vol, np.full(len(vol), ri, dtype=np.int64), k)
                reasons = self._reasons([t[0] for t in top], [t[1] for t in top])
                out[rm.records[ri].id] = [
                    Suggestion(vm.records[a].id, sc, rs, pr) for (a, _, sc, pr), rs in zip(top, reasons, strict=True)
                ]
            return out
        size = max(1, BLOCK_PAIRS // max(1, len(all_vol)))
        for start in range(0, len(positions), size):
            req = positions[start : start + size]
            block = self._block(all_vol, req)
            tops = top_k_rows(np.ascontiguousarray(block.score.T), k)
            ris = [int(req[col]) for col, rows in enumerate(tops) for _ in rows]
            vis = [r for rows in tops for r in rows]
            explained = iter(self._reasons(vis, ris))
            for col, rows in enumerate(tops):
                out[rm.records[int(req[col])].id] = [
                    Suggestion(
                        vm.records[r].id, float(block.score[r, col]), next(explained), float(block.probability[r, col])
                    )
                    for r in rows
                ]
        return out

    def set_listed_in(self, counts: Mapping[str, int]) -> None:
        """Tell the index how many stored lists hold each request now (request-side exposure spreading);
        requests not named keep their count."""
        rm = self.requests
        for rid, n in counts.items():
            pos = rm.position.get(rid)
            if pos is not None:
                rm.listed_in[pos] = n
        self.grid = self.grid.with_requests(rm, self.rngram)

    def rank_all_requests_spread(self, k: int = 10) -> dict[str, list[Suggestion]]:
        """Every volunteer's top-k with request-side spreading inside the batch: a first pass counts how many
        lists each request lands in, a second pass ranks with those counts (twice the cost)."""
        first = self.rank_all_requests(k)
        counts: dict[str, int] = {}
        for sugg in first.values():
            for s in sugg:
                counts[s.id] = counts.get(s.id, 0) + 1
        base = {r.id: int(self.requests.listed_in[i]) for i, r in enumerate(self.requests.records)}
        self.set_listed_in({rid: base[rid] + counts.get(rid, 0) for rid in base})
        try:
            return self.rank_all_requests(k)
        finally:
            self.set_listed_in(base)

    # -- freshness: a new request placed in volunteers' stored lists -----------------------------
    def place_request(
        self,
        request: HelpRequest,
        profile: TextProfile | None = None,
        *,
        thresholds: Mapping[str, float] | None = None,
        limit: int | None = None,
    ) -> list[Placement]:
        """Which volunteers a new (or edited) request belongs to, with the score it would have in their lists.

        The request need not be in the index. Every volunteer who may see it (hard rules) is scored exactly as
        :meth:`rank_requests_for` scores this index's requests, so the score compares with a stored list's
        scores. ``thresholds`` maps a volunteer id to the score of the last item of their stored top-k: the
        request enters when its score is higher (a volunteer without a threshold, whose list has room, always
        gets it). Best first; reasons only for what is returned; ``limit`` caps how many are returned."""
        rm = RequestMatrix.build([request], self.space, {request.id: profile} if profile else None, self.now)
        rng = apply_idf(rm.ngram, self.idf)
        vol = np.arange(len(self.volunteers.records), dtype=np.int64)
        block = score_block(
            self.volunteers,
            rm,
            self.grid.with_requests(rm, rng),
            vol,
            np.zeros(1, dtype=np.int64),
            linear=self._linear(),
        )
        score = block.score[:, 0].astype(np.float64)
        enters = score >= 0.0
        if thresholds:
            limits = np.array([thresholds.get(v.id, -np.inf) for v in self.volunteers.records], dtype=np.float64)
            enters &= score > limits
        idx = np.flatnonzero(enters)
        idx = idx[np.lexsort((idx, -score[idx]))][:limit]
        vm = self.volunteers
        out = []
        if len(idx):
            km = haversine_many_km(request.lat, request.lon, vm.lat[idx], vm.lon[idx]).tolist()
            rview = Explainer((), (rm.profiles[0],)).request(0)
            rs = int(rm.slots[0])
            for v, d in zip(idx.tolist(), km, strict=True):
                vs = int(vm.slots[v])
                shared = vs | rs if (vs == 0 or rs == 0) else vs & rs
                reasons = explain_views(vm.records[v], self.explainer.volunteer(v), request, rview, d, shared)
                sugg = Suggestion(request.id, float(score[v]), reasons, float(block.probability[v, 0]))
                out.append(Placement(volunteer=vm.records[v].id, suggestion=sugg))
        return out


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
    return index.rank_all_requests(k)


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
    return index.rank_all_volunteers(k)
