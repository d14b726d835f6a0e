"""``python -m matching``: the batch interface fixed in MATCHING_CLI.md.

All input is read and validated before anything is ranked or printed, so a failing run prints
nothing on stdout, a message naming file and line on stderr, and exits with status 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from matching.initiatives import rank_initiatives
from matching.model import (
    ModelIncompatible,
    TrainedModel,
    TrainingError,
    load_model,
    save_model,
    train_model,
)
from matching.ranker import rank_requests, rank_volunteers
from matching.records import Suggestion
from matching.validation import (
    InputError,
    read_initiatives,
    read_interactions,
    read_requests,
    read_volunteers,
)

EXIT_BAD_INPUT = 2


def _k(value: str) -> int:
    try:
        k = int(value)
    except ValueError as err:
        raise argparse.ArgumentTypeError(f"--k must be a whole number, not '{value}'") from err
    if k < 0:
        raise argparse.ArgumentTypeError("--k must not be negative")
    return k


def _now(value: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as err:
        raise argparse.ArgumentTypeError(f"--now must be an ISO 8601 date-time, not '{value}'") from err
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m matching", description="Samen matching engine")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, other in (
        ("rank-volunteers", "requests"),
        ("rank-requests", "requests"),
        ("rank-initiatives", "initiatives"),
    ):
        cmd = sub.add_parser(name, help=f"rank ({name.split('-')[1]}) and print one JSON line per list")
        cmd.add_argument("--volunteers", required=True, type=Path)
        cmd.add_argument(f"--{other}", required=True, type=Path)
        cmd.add_argument("--k", type=_k, default=10)
        cmd.add_argument("--model", type=Path, default=None)
        cmd.add_argument("--now", type=_now, default=None, help="reference time for posted_at (default: now, UTC)")
    train = sub.add_parser("train", help="train the learned ranker on interaction outcomes")
    train.add_argument("--volunteers", required=True, type=Path)
    train.add_argument("--requests", required=True, type=Path)
    train.add_argument("--interactions", required=True, type=Path)
    train.add_argument("--out", required=True, type=Path)
    train.add_argument("--kind", choices=("auto", "logistic", "boosting"), default="auto")
    train.add_argument("--seed", type=int, default=0)
    ev = sub.add_parser("evaluate", help="offline evaluation on a simulated Haarlem (Markdown table)")
    ev.add_argument("--seed", type=int, default=11, help="simulation seed (held out: weights were tuned on 7)")
    ev.add_argument("--volunteers", type=int, default=800, dest="n_volunteers")
    ev.add_argument("--requests", type=int, default=3000, dest="n_requests")
    ev.add_argument("--quick", action="store_true", help="a smaller city, for a fast check")
    bench = sub.add_parser("bench", help="speed and memory benchmark")
    bench.add_argument("--volunteers", type=int, default=10_000, dest="n_volunteers")
    bench.add_argument("--requests", type=int, default=5_000, dest="n_requests")
    bench.add_argument("--interactions", type=int, default=100_000, dest="n_interactions")
    bench.add_argument("--seed", type=int, default=1)
    return parser


def _line(key: str, owner: str, suggestions: list[Suggestion]) -> str:
    return json.dumps({key: owner, "suggestions": [s.to_dict() for s in suggestions]}, ensure_ascii=False)


def _model(path: Path | None) -> TrainedModel | None:
    return None if path is None else load_model(path)


def _run(args: argparse.Namespace) -> list[str]:
    """Do the work and return the stdout lines (nothing is printed here)."""
    if args.command == "rank-volunteers":
        volunteers, requests = read_volunteers(args.volunteers), read_requests(args.requests)
        model = _model(args.model)
        ranked = rank_volunteers(volunteers, requests, args.k, model=model, now=args.now or datetime.now(UTC))
        return [_line("request", r.id, ranked[r.id]) for r in requests]
    if args.command == "rank-requests":
        volunteers, requests = read_volunteers(args.volunteers), read_requests(args.requests)
        model = _model(args.model)
        ranked = rank_requests(volunteers, requests, args.k, model=model, now=args.now or datetime.now(UTC))
        return [_line("volunteer", v.id, ranked[v.id]) for v in volunteers]
    if args.command == "rank-initiatives":
        volunteers, initiatives = read_volunteers(args.volunteers), read_initiatives(args.initiatives)
        model = _model(args.model)  # applied to the needs when it beats the cold start (see InitiativeIndex)
        ranked = rank_initiatives(volunteers, initiatives, args.k, model=model)
        return [_line("volunteer", v.id, ranked[v.id]) for v in volunteers]
    if args.command == "train":
        volunteers, requests = read_volunteers(args.volunteers), read_requests(args.requests)
        interactions = read_interactions(args.interactions, {v.id for v in volunteers}, {r.id for r in requests})
        model = train_model(volunteers, requests, interactions, seed=args.seed, kind=args.kind)
        save_model(model, args.out)
        summary = {
            "model": str(args.out),
            "kind": model.kind,
            "examples": model.n_examples,
            "use_learned": model.use_learned,
            "decision": model.decision,
            "metrics": model.metrics,
        }
        return [json.dumps(summary)]
    if args.command == "evaluate":
        from matching.evaluate import (
            run_evaluation,  # heavy simulation, only for this command
        )

        return [
            run_evaluation(seed=args.seed, n_volunteers=args.n_volunteers, n_requests=args.n_requests, quick=args.quick)
        ]
    if args.command == "bench":
        from matching.bench import run_bench  # heavy, only for this command

        return [run_bench(args.n_volunteers, args.n_requests, args.n_interactions, args.seed)]
    raise AssertionError(args.command)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        lines = _run(args)
    except InputError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except ModelIncompatible as err:
        print(f"error: cannot use model: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except TrainingError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    out = sys.stdout
    if hasattr(out, "reconfigure"):
        out.reconfigure(encoding="utf-8")
    for line in lines:
        out.write(line + "\n")
    out.flush()
    return 0
