"""Ranking many lists at once, placing a new request (freshness), exposure on both sides, practising Dutch."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from matching_helpers import request, volunteer

from matching import MatchIndex, measure_exposure
from matching.simulate import make_people


@pytest.fixture(scope="module")
def people() -> tuple[list[object], list[object]]:
    vols, reqs, _, _, _ = make_people(np.random.default_rng(5), 300, 200)
    return vols, reqs  # type: ignore[return-value]


def _same(a: list[object], b: list[object]) -> bool:
    return [(s.id, round(s.score, 5), s.reasons) for s in a] == [(s.id, round(s.score, 5), s.reasons) for s in b]  # type: ignore[attr-defined]


def test_every_list_at_once_equals_one_list_at_a_time(people: tuple[list[object], list[object]]) -> None:
    vols, reqs = people
    index = MatchIndex(vols, reqs)  # type: ignore[arg-type]
    batch = index.rank_all_requests(10)
    assert list(batch) == [v.id for v in vols]  # type: ignore[attr-defined]
    for v in vols[:60]:
        assert _same(batch[v.id], index.rank_requests_for(v.id, 10))  # type: ignore[attr-defined]
    by_request = index.rank_all_volunteers(10)
    for r in reqs[:60]:
        assert _same(by_request[r.id], index.rank_volunteers_for(r.id, 10))  # type: ignore[attr-defined]


def test_batch_lists_keep_the_hard_rules(people: tuple[list[object], list[object]]) -> None:
    vols, reqs = people
    index = MatchIndex(vols, reqs)  # type: ignore[arg-type]
    for vid, sugg in list(index.rank_all_requests(10).items())[:100]:
        vi = index.volunteers.position[vid]
        allowed, _ = index.candidates_for_volunteer(vi)
        allowed_ids = {index.requests.records[int(i)].id for i in allowed}
        assert {s.id for s in sugg} <= allowed_ids
        assert len(sugg) == min(10, len(allowed_ids))


def test_place_request_scores_a_new_request_as_the_lists_would(people: tuple[list[object], list[object]]) -> None:
    vols, reqs = people
    new = replace(reqs[0], id="new")  # type: ignore[type-var]
    old = MatchIndex(vols, reqs[1:])  # type: ignore[arg-type]
    placed = {p.volunteer: p.suggestion for p in old.place_request(new)}
    with_new = MatchIndex(vols, [*reqs[1:], new])  # type: ignore[arg-type]
    lists = with_new.rank_all_requests(len(reqs))
    for vid, sugg in placed.items():
        in_list = [s for s in lists[vid] if s.id == "new"]
        assert in_list, vid
        # the index's IDF differs by one request, so scores agree closely, not exactly
        assert abs(in_list[0].score - sugg.score) < 0.02
        assert sugg.reasons == in_list[0].reasons
    assert set(placed) == {vid for vid, sugg in lists.items() if any(s.id == "new" for s in sugg)}


def test_place_request_enters_only_lists_it_beats(people: tuple[list[object], list[object]]) -> None:
    vols, reqs = people
    index = MatchIndex(vols, reqs[1:])  # type: ignore[arg-type]
    lists = index.rank_all_requests(10)
    thresholds = {vid: sugg[-1].score for vid, sugg in lists.items() if len(sugg) == 10}
    new = replace(reqs[0], id="new")  # type: ignore[type-var]
    everyone = {p.volunteer: p.suggestion.score for p in index.place_request(new)}
    entered = index.place_request(new, thresholds=thresholds)
    assert entered and len(entered) < len(everyone)
    for p in entered:
        assert p.volunteer not in thresholds or p.suggestion.score > thresholds[p.volunteer]
    scores = [p.suggestion.score for p in entered]
    assert scores == sorted(scores, reverse=True)
    assert len(index.place_request(new, thresholds=thresholds, limit=3)) == min(3, len(entered))


def test_measure_exposure() -> None:
    lists = [["a", "b"], ["a", "c"], ["a"], ["d"]]
    exp = measure_exposure(lists, population=["a", "b", "c", "d", "e"])
    assert exp.lists == 4 and exp.items == 4
    assert exp.top_item == "a" and exp.top_share == pytest.approx(0.75)
    assert exp.coverage == pytest.approx(0.8)
    even = measure_exposure([["a"], ["b"], ["c"], ["d"], ["e"]], population=["a", "b", "c", "d", "e"])
    assert even.gini == pytest.approx(0.0) and exp.gini > 0.3


def test_request_already_in_many_lists_sinks() -> None:
    vol = volunteer("v", ["boodschappen doen"])
    busy = request("busy", "Boodschappen doen", "groceries", listed_in=200)
    quiet = request("quiet", "Boodschappen doen", "groceries")
    answered = request("answered", "Boodschappen doen", "groceries", responses=3)
    ranked = [s.id for s in MatchIndex([vol], [busy, answered, quiet]).rank_requests_for("v", 3)]
    assert ranked == ["quiet", "answered", "busy"]


def test_spreading_inside_a_batch_lowers_concentration(people: tuple[list[object], list[object]]) -> None:
    vols, reqs = people
    index = MatchIndex(vols, reqs)  # type: ignore[arg-type]
    plain = measure_exposure(index.rank_all_requests(10).values())
    spread = measure_exposure(index.rank_all_requests_spread(10).values())
    assert spread.top_share < plain.top_share and spread.gini < plain.gini
    assert measure_exposure(index.rank_all_requests(10).values()) == plain  # the counts were put back


def test_practising_dutch_needs_a_dutch_speaker() -> None:
    near = volunteer("shares_pl", ["taalmaatje"], languages=frozenset({"pl", "en"}))
    far = volunteer("speaks_nl", ["taalcoach"], languages=frozenset({"en", "nl"}), lat=52.366)
    req = request("r", "Language buddy to practise Dutch", "language", languages=frozenset({"pl", "en"}))
    ranked = MatchIndex([near, far], [req]).rank_volunteers_for("r", 2)
    assert [s.id for s in ranked] == ["speaks_nl", "shares_pl"]
    assert ("speaks_dutch", "") in [(r.code, r.detail) for r in ranked[0].reasons]
    assert "speaks_dutch" not in [r.code for r in ranked[1].reasons]


def test_other_language_requests_keep_the_shared_language_rule() -> None:  # a guard: the hard rule stays
    nl_only = volunteer("nl_only", ["taalmaatje"])
    req = request("r", "Taalmaatje", "language", languages=frozenset({"ar"}))
    assert MatchIndex([nl_only], [req]).rank_volunteers_for("r", 5) == []
