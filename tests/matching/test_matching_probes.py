"""Regression test on the hand-written bilingual probe set (typos, informal words, compounds,
cross-language, only-Turkish/Arabic/Tamazight/Ukrainian/Polish requesters, screening)."""

from __future__ import annotations

import pytest
from matching_helpers import request, volunteer
from matching_probes import PROBES, REVERSE, Probe, ReverseProbe

from matching import MatchIndex, normalise_languages


def _index_for(probe: Probe) -> MatchIndex:
    vols = [
        volunteer(
            vid,
            skills,
            languages=normalise_languages(probe.volunteer_languages.get(vid, ("nl",))),
            screened=vid in probe.screened,
        )
        for vid, skills in probe.volunteers.items()
    ]
    req = request(
        "r",
        probe.title,
        probe.category,
        description=probe.description,
        languages=normalise_languages(probe.request_languages),
        needs_screening=probe.needs_screening,
    )
    return MatchIndex(vols, [req])


@pytest.mark.parametrize("probe", PROBES, ids=[p.name for p in PROBES])
def test_probe_top_volunteer(probe: Probe) -> None:
    ranked = _index_for(probe).rank_volunteers_for("r", k=10)
    ids = [s.id for s in ranked]
    assert ids and ids[0] == probe.top, f"{probe.name}: got {ids}"
    assert not set(probe.excluded) & set(ids)
    assert all(s.reasons for s in ranked)


@pytest.mark.parametrize("probe", REVERSE, ids=[p.name for p in REVERSE])
def test_probe_top_request(probe: ReverseProbe) -> None:
    vol = volunteer("v", probe.skills, languages=frozenset(probe.languages))
    reqs = [request(rid, title, cat) for rid, (title, cat) in probe.requests.items()]
    ranked = MatchIndex([vol], reqs).rank_requests_for("v", k=3)
    assert ranked and ranked[0].id == probe.top, f"{probe.name}: got {[(s.id, s.score) for s in ranked]}"


def test_probe_set_is_large_and_varied() -> None:
    kinds = {p.name.split()[0] for p in PROBES}
    assert len(PROBES) + len(REVERSE) >= 40
    assert {"typo", "informal", "compound", "xlang", "only", "screening"} <= kinds


def test_skill_reason_quotes_the_volunteers_phrase() -> None:
    probe = next(p for p in PROBES if p.name == "typo boodschapen")
    top = _index_for(probe).rank_volunteers_for("r", k=1)[0]
    assert ("skill", "boodschapen") in [(r.code, r.detail) for r in top.reasons]
