"""Every volunteer's list from the block scorer (dense blocks, hard rules as masks, reasons in bulk for the kept
top-k only) against the plain definition: per volunteer, the requests the hard rules allow (haversine), the pair
features and the cold-start score in float64 (pairs.py), sorted, and the reasons of each kept pair by `explain`.
Same requests, same order, same scores (to float32's precision) and the same reasons, on a small simulated city
with screening, languages, slots, load and experience in play."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from matching import MatchIndex
from matching.pairs import apply_policy, cold_start_probability, ordering_score, pair_block
from matching.reasons import explain
from matching.records import Suggestion
from matching.simulate import make_people

K = 10
TIE = 2e-5  # float32 block scores against float64 pair scores


@pytest.fixture(scope="module")
def city() -> MatchIndex:
    rng = np.random.default_rng(17)
    vols, reqs, _, _, _ = make_people(rng, 300, 200)
    vols = [
        replace(
            v,
            open_commitments=int(rng.integers(0, 3)),
            recent_suggestions=int(rng.integers(0, 10)),
            screened=bool(rng.random() < 0.4),
            experience={r.category: int(rng.integers(1, 4))} if rng.random() < 0.2 else {},
        )
        for v, r in zip(vols, reqs * 2, strict=False)
    ]
    reqs = [replace(r, needs_screening=bool(rng.random() < 0.25)) for r in reqs]
    return MatchIndex(vols, reqs)


def simple_lists(index: MatchIndex, k: int) -> dict[str, list[Suggestion]]:
    """The definition, one volunteer at a time, no blocks and no masks."""
    vm, rm = index.volunteers, index.requests
    out: dict[str, list[Suggestion]] = {}
    for vi, vol in enumerate(vm.records):
        req, km = index.candidates_for_volunteer(vi)
        vol_idx = np.full(len(req), vi, dtype=np.int64)
        block = pair_block(vm, rm, vol_idx, req, index.vngram, index.rngram, distance_km=km)
        prob = cold_start_probability(block.features)
        score = ordering_score(apply_policy(prob, block.features) * block.request_factor, block.slot_conflict)
        order = sorted(range(len(req)), key=lambda i: (-score[i], int(req[i])))[:k]
        out[vol.id] = [
            Suggestion(
                rm.records[int(req[i])].id,
                float(score[i]),
                explain(
                    vol,
                    vm.profiles[vi],
                    rm.records[int(req[i])],
                    float(km[i]),
                    int(block.shared_slots[i]),
                    rm.profiles[int(req[i])],
                ),
                float(prob[i]),
            )
            for i in order
        ]
    return out


def test_the_city_has_every_hard_rule_in_play(city: MatchIndex) -> None:
    vm, rm = city.volunteers, city.requests
    assert rm.needs_screening.any() and not vm.screened.all() and vm.screened.any()
    assert (vm.slots > 0).any() and (rm.slots > 0).any()
    assert len({frozenset(v.languages) for v in vm.records}) > 1
    allowed = sum(len(city.candidates_for_volunteer(vi)[0]) for vi in range(len(vm.records)))
    assert 0 < allowed < len(vm.records) * len(rm.records)  # the rules cut pairs, and leave some


def test_every_list_at_once_is_the_definition(city: MatchIndex) -> None:
    fast = city.rank_all_requests(K)
    simple = simple_lists(city, K)
    assert list(fast) == list(simple)
    for vid, want in simple.items():
        got = fast[vid]
        assert len(got) == len(want), vid
        for a, b in zip(got, want, strict=True):
            assert abs(a.score - b.score) < TIE, vid
            assert abs(a.probability - b.probability) < TIE, vid
        # the same requests in the same order, except where two scores tie within float32's precision
        assert [s.id for s in got] == [s.id for s in want] or _ties_only(got, want), vid
        by_id = {s.id: s for s in want}
        for s in got:
            if s.id in by_id:
                assert s.reasons == by_id[s.id].reasons, (vid, s.id)


def _ties_only(got: list[Suggestion], want: list[Suggestion]) -> bool:
    """Order differs only among scores within TIE of each other."""
    return all(a.id == b.id or abs(a.score - b.score) < TIE for a, b in zip(got, want, strict=True))
