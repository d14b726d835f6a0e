"""Score a labelled case set through the CLI contract (``python -m matching rank-volunteers``).

A case set is a JSON file ``{"volunteers": [...], "requests": [...]}`` whose records are CLI records
(MATCHING_CLI.md) plus labels on each request, which are stripped before the CLI sees them:

- ``relevant``: ids of every volunteer who fits the request (at least one; each must pass the hard rules);
- ``kind`` (optional): what the case tests, e.g. ``negation``; successes (hit@1) are counted per kind;
- ``justify`` (optional): ``{volunteer id: [skill phrases as typed]}``, the phrases of that volunteer that
  really justify the match; the top suggestion's ``skill`` reason must cite one of them;
- ``forbidden`` (optional): words that no reason of the top suggestion may contain (a ruled-out need).

Explanation accuracy = share of correct top suggestions (with ``justify`` labels for that volunteer) whose
``skill`` reason cites a justifying phrase and whose reasons avoid the forbidden words.

Usage: ``python tests/matching/score_cases.py tests/matching/data/general_set.json [--k 10] [--verbose]``
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
LABELS = ("relevant", "kind", "justify", "forbidden", "note")
EARTH_KM = 6371.0088


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    from math import asin, cos, radians, sin, sqrt

    p1, p2 = radians(lat1), radians(lat2)
    a = sin((p2 - p1) / 2) ** 2 + cos(p1) * cos(p2) * sin(radians(lon2 - lon1) / 2) ** 2
    return 2 * EARTH_KM * asin(sqrt(a))


def allowed(vol: dict[str, Any], req: dict[str, Any]) -> bool:
    """The hard rules of MATCHING_CLI.md for one pair."""
    if req.get("needs_screening") and not vol.get("screened"):
        return False
    if not {c.lower() for c in vol["languages"]} & {c.lower() for c in req["languages"]}:
        return False
    return _km(vol["lat"], vol["lon"], req["lat"], req["lon"]) <= float(vol["max_distance_km"]) + 1e-9


@dataclass
class CaseResult:
    request: str
    kind: str
    ranked: list[str]
    rank: int | None  # 1-based rank of the first relevant volunteer
    top_reasons: list[dict[str, str]]
    explained: bool | None  # None: top is wrong or has no labels


@dataclass
class Report:
    results: list[CaseResult] = field(default_factory=list)

    @property
    def hit1(self) -> float:
        return sum(r.rank == 1 for r in self.results) / len(self.results)

    @property
    def mrr(self) -> float:
        return sum(1.0 / r.rank if r.rank else 0.0 for r in self.results) / len(self.results)

    @property
    def explained(self) -> list[bool]:
        return [r.explained for r in self.results if r.explained is not None]

    @property
    def explanation_accuracy(self) -> float:
        done = self.explained
        return sum(done) / len(done) if done else float("nan")

    def per_kind(self) -> dict[str, tuple[int, int]]:
        out: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for r in self.results:
            out[r.kind][0] += int(r.rank == 1)
            out[r.kind][1] += 1
        return {k: (v[0], v[1]) for k, v in sorted(out.items())}

    def summary(self) -> str:
        kinds = ", ".join(f"{k} {s}/{n}" for k, (s, n) in self.per_kind().items())
        return (
            f"{len(self.results)} requests: hit@1 {self.hit1:.3f}, MRR {self.mrr:.3f}, explanation accuracy "
            f"{self.explanation_accuracy:.3f} ({sum(self.explained)}/{len(self.explained)}); per kind: {kinds}"
        )


def load_case_set(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    vols = {v["id"]: v for v in data["volunteers"]}
    for req in data["requests"]:
        if not req.get("relevant"):
            raise ValueError(f"{path}: request {req['id']} has no relevant volunteer")
        for vid in req["relevant"]:
            if not allowed(vols[vid], req):
                raise ValueError(f"{path}: request {req['id']}: relevant volunteer {vid} breaks a hard rule")
        for vid, phrases in (req.get("justify") or {}).items():
            missing = set(phrases) - set(vols[vid]["skills"])
            if missing:
                raise ValueError(f"{path}: request {req['id']}: {vid} has no skill {sorted(missing)}")
    return data


def run_cli(
    volunteers: list[dict[str, Any]], requests: list[dict[str, Any]], k: int, extra: tuple[str, ...] = ()
) -> dict[str, list[dict[str, Any]]]:
    """rank-volunteers through a subprocess, as every other tool calls it; request id -> suggestions."""
    with tempfile.TemporaryDirectory() as tmp:
        vpath, rpath = Path(tmp) / "v.jsonl", Path(tmp) / "r.jsonl"
        vpath.write_text("".join(json.dumps(v, ensure_ascii=False) + "\n" for v in volunteers), encoding="utf-8")
        clean = [{k_: v for k_, v in r.items() if k_ not in LABELS} for r in requests]
        rpath.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in clean), encoding="utf-8")
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "matching",
                "rank-volunteers",
                "--volunteers",
                str(vpath),
                "--requests",
                str(rpath),
                "--k",
                str(k),
                "--now",
                "2025-06-01T12:00:00",
                *extra,
            ],
            cwd=REPO,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=300,
            check=False,
        )
    if proc.returncode != 0:
        raise RuntimeError(f"matching CLI failed ({proc.returncode}): {proc.stderr}")
    lines = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    return {line["request"]: line["suggestions"] for line in lines}


def _explained(req: dict[str, Any], top: dict[str, Any]) -> bool | None:
    justify = (req.get("justify") or {}).get(top["id"])
    if justify is None:
        return None
    cited = [r["detail"] for r in top["reasons"] if r["code"] == "skill"]
    if not cited or cited[0] not in justify:
        return False
    forbidden = [w.lower() for w in req.get("forbidden") or ()]
    return not any(w in r["detail"].lower() for r in top["reasons"] for w in forbidden)


def score(path: Path, k: int = 10) -> Report:
    data = load_case_set(path)
    ranked = run_cli(data["volunteers"], data["requests"], k)
    report = Report()
    for req in data["requests"]:
        sugg = ranked[req["id"]]
        ids = [s["id"] for s in sugg]
        relevant = set(req["relevant"])
        rank = next((i + 1 for i, vid in enumerate(ids) if vid in relevant), None)
        explained = _explained(req, sugg[0]) if rank == 1 else None
        report.results.append(
            CaseResult(req["id"], req.get("kind", "general"), ids, rank, sugg[0]["reasons"] if sugg else [], explained)
        )
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("case_sets", nargs="+", type=Path)
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--verbose", action="store_true", help="print every miss and unexplained top")
    args = parser.parse_args(argv)
    for path in args.case_sets:
        report = score(path, args.k)
        print(f"{path.name}: {report.summary()}")
        if args.verbose:
            for r in report.results:
                if r.rank != 1 or r.explained is False:
                    reasons = ", ".join(f"{x['code']}:{x['detail']}" for x in r.top_reasons)
                    print(
                        f"  {r.request} [{r.kind}] rank={r.rank} explained={r.explained} "
                        f"top3={r.ranked[:3]} reasons={reasons}"
                    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
