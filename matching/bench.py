"""Speed and memory benchmark: ``python -m matching bench`` (prints figures, asserts nothing).

10,000 volunteers x 5,000 open requests from the simulated city: encoding on save, building the
index, top-10 requests for one volunteer (p50/p95), top-10 for every volunteer (with hard rules and
reasons) next to a brute-force sparse dot-product reference measured in the same run (and the ratio),
placing a new request in the volunteers' stored top-10s (freshness), the same with a learned model,
training on 100,000 interactions, and peak memory (max RSS of the process).
"""

from __future__ import annotations

import platform
import resource
import time
from dataclasses import replace

import numpy as np

from matching.features import encode_request, encode_volunteer
from matching.index import apply_idf, idf_weights
from matching.model import train_model
from matching.ranker import MatchIndex
from matching.records import Interaction, Outcome
from matching.simulate import make_people, sigmoid


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _interactions(rng: np.random.Generator, index: MatchIndex, n: int) -> list[Interaction]:
    vm, rm = index.volunteers, index.requests
    out: list[Interaction] = []
    while len(out) < n:
        vi = int(rng.integers(len(vm.records)))
        req, _ = index.candidates_for_volunteer(vi)
        if len(req) == 0:
            continue
        for ri in rng.choice(req, size=min(20, len(req), n - len(out)), replace=False):
            match = float(vm.cat[vi] @ rm.cat[int(ri)])
            outcome: Outcome = "responded" if rng.random() < sigmoid(-3.0 + 3.0 * match) else "shown"
            out.append(Interaction(vm.records[vi].id, rm.records[int(ri)].id, outcome))
    return out


def _reference(index: MatchIndex) -> float:
    """Brute force: TF-IDF n-gram dot products of every volunteer with every request, blocks of 500, top-10."""
    idf = idf_weights(index.requests.ngram)
    vng, rng_t = apply_idf(index.volunteers.ngram, idf), apply_idf(index.requests.ngram, idf).T.tocsc()
    t = time.perf_counter()
    for start in range(0, vng.shape[0], 500):
        block = (vng[start : start + 500] @ rng_t).toarray()
        np.argpartition(-block, 9, axis=1)[:, :10]
    return time.perf_counter() - t


def run_bench(n_volunteers: int = 10_000, n_requests: int = 5_000, n_interactions: int = 100_000, seed: int = 1) -> str:
    rng = np.random.default_rng(seed)
    lines = [
        f"Command: python -m matching bench --volunteers {n_volunteers} --requests {n_requests} "
        f"--interactions {n_interactions} --seed {seed}",
        f"Machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}, "
        f"{len(__import__('os').sched_getaffinity(0))} cores",
        "",
    ]
    vols, reqs, _, _, _ = make_people(rng, n_volunteers, n_requests)
    vols = [
        replace(v, open_commitments=int(rng.integers(0, 3)), recent_suggestions=int(rng.integers(0, 10))) for v in vols
    ]

    t = time.perf_counter()
    vprof = {v.id: encode_volunteer(v) for v in vols}
    rprof = {r.id: encode_request(r) for r in reqs}
    enc = time.perf_counter() - t
    lines.append(f"- encode on save: {1000 * enc / (len(vols) + len(reqs)):.2f} ms per profile/request (mean)")

    t = time.perf_counter()
    index = MatchIndex(vols, reqs, volunteer_profiles=vprof, request_profiles=rprof)
    lines.append(f"- build index from stored profiles: {time.perf_counter() - t:.2f} s")

    sample = rng.choice(len(vols), size=min(500, len(vols)), replace=False)
    times = []
    for vi in sample:
        t = time.perf_counter()
        index.rank_requests_for(vols[int(vi)].id, 10)
        times.append(time.perf_counter() - t)
    ms = np.array(times) * 1000
    lines.append(
        f"- top-10 requests for one volunteer (cold start, {len(sample)} volunteers): "
        f"p50 {np.percentile(ms, 50):.2f} ms, p95 {np.percentile(ms, 95):.2f} ms, max {ms.max():.2f} ms"
    )

    t = time.perf_counter()
    lists = index.rank_all_requests(10)
    every = time.perf_counter() - t
    lines.append(f"- top-10 for every volunteer (cold start, hard rules and reasons, blocks): {every:.1f} s")
    reference = _reference(index)
    lines.append(
        f"- reference: brute-force sparse dot product (char n-grams only, no rules, no reasons), every volunteer: "
        f"{reference:.1f} s; ratio {every / reference:.2f}x"
    )

    t = time.perf_counter()
    for r in reqs[:1000]:
        index.rank_volunteers_for(r.id, 10)
    lines.append(f"- top-10 volunteers for 1,000 requests (one at a time): {time.perf_counter() - t:.2f} s")

    # Freshness: a new request placed in the stored top-10 lists of the volunteers it fits.
    thresholds = {vid: sugg[-1].score for vid, sugg in lists.items() if len(sugg) >= 10}
    _, new_reqs, _, _, _ = make_people(np.random.default_rng(seed + 99), 1, 50)
    times, entered = [], []
    for r in new_reqs:
        fresh = replace(r, id=f"new-{r.id}")
        profile = encode_request(fresh)  # done on save, before the placement
        t = time.perf_counter()
        placed = index.place_request(fresh, profile, thresholds=thresholds)
        times.append(time.perf_counter() - t)
        entered.append(len(placed))
    ms = np.array(times) * 1000
    lines.append(
        f"- freshness: place one new request in the stored top-10s of {len(vols):,} volunteers "
        f"(place_request with their 10th scores): p50 {np.percentile(ms, 50):.1f} ms, "
        f"p95 {np.percentile(ms, 95):.1f} ms, max {ms.max():.1f} ms; it entered {np.mean(entered):.0f} lists on average"
    )

    interactions = _interactions(rng, index, n_interactions)
    t = time.perf_counter()
    model = train_model(vols, reqs, interactions, seed=seed)
    lines.append(
        f"- train on {len(interactions):,} interactions (auto: logistic vs boosting, chose {model.kind}): "
        f"{time.perf_counter() - t:.1f} s"
    )
    for kind in ("logistic", "boosting"):
        chosen = model if model.kind == kind else train_model(vols, reqs, interactions, kind=kind)
        chosen = replace(chosen, use_learned=True)  # measure applying it even where training preferred cold start
        learned = MatchIndex(vols, reqs, volunteer_profiles=vprof, request_profiles=rprof, model=chosen)
        times = []
        for vi in sample[:100]:
            t = time.perf_counter()
            learned.rank_requests_for(vols[int(vi)].id, 10)
            times.append(time.perf_counter() - t)
        ms = np.array(times) * 1000
        figure = (
            f"- learned ({kind}): one volunteer p50 {np.percentile(ms, 50):.2f} ms, p95 {np.percentile(ms, 95):.2f} ms"
        )
        if kind == "logistic":
            t = time.perf_counter()
            learned.rank_all_requests(10)
            figure += f"; every volunteer {time.perf_counter() - t:.1f} s"
        else:
            figure += f"; every volunteer ~{ms.mean() * len(vols) / 1000:.0f} s (extrapolated from the mean)"
        lines.append(figure)

    lines.append(f"- peak memory (max RSS of the whole process): {_peak_mb():.0f} MB")
    return "\n".join(lines)
