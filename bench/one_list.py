"""How long one volunteer's "Aanbevolen voor jou" takes to rank in the page view (a list that is missing or stale),
with the cold start and with a learned (logistic) model: the page budget is 10 ms p95 for the ranking itself.

    .venv/bin/python bench/one_list.py --from-file instance/demo100.db [--volunteers 300]

A logistic model is trained on this database's own history (forced, so it is applied even where it does not beat
the cold start). Each volunteer is timed twice in the web app (`suggest_requests`: candidates from the database,
the index, the ranking, the filter) and the engine's share is timed alone (`MatchIndex.rank_requests_for` on the
same candidates). Times are CPU time of the process (time.process_time): on a machine shared with other work the
wall clock mostly measures the others. Prints p50/p95/max; asserts nothing.
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select

import matching
from bench.seeded import arguments, seeded_app
from webapp.accounts.models import User, VolunteerProfile
from webapp.core.extensions import db
from webapp.suggestions import learning, services


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def describe(label: str, ms: list[float]) -> str:
    return (f"{label}: p50 {statistics.median(ms):.1f} ms, p95 {percentile(ms, 0.95):.1f} ms, "
            f"max {max(ms):.1f} ms ({len(ms)} volunteers)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    arguments(parser)
    parser.add_argument("--volunteers", type=int, default=300)
    options = parser.parse_args()
    with seeded_app(options.scale, options.from_file) as app, app.app_context():
        started = time.perf_counter()
        found = learning.history()
        model = learning._train(found.volunteers, found.requests, found.interactions, seed=0, kind="logistic")
        print(f"trained a logistic model on {len(found.interactions)} outcomes in "
              f"{time.perf_counter() - started:.0f} s (its own decision: {model.decision}; applied here anyway)")
        forced = dataclasses.replace(model, use_learned=True)
        ids = list(db.session.execute(select(User.id).join(VolunteerProfile, VolunteerProfile.user_id == User.id)
                                      .where(User.is_blocked.is_(False))).scalars())
        chosen = random.Random(3).sample(ids, min(options.volunteers, len(ids)))
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "model.bin"
            matching.save_model(forced, path)
            for label, model_path in (("cold start", Path(tmp) / "none.bin"), ("learned (logistic)", path)):
                app.config["MATCHING_MODEL_PATH"] = str(model_path)
                services.forget_model()
                page, engine = [], []
                for user_id in chosen:
                    user = db.session.get(User, user_id)
                    assert user is not None
                    started = time.process_time()
                    services.suggest_requests(user, k=10, record_shown=False)
                    page.append(1000 * (time.process_time() - started))
                    engine.append(_engine_only(user))
                    db.session.expunge_all()
                print(describe(f"{label}, in the web app (database included)", page))
                print(describe(f"{label}, the engine's ranking alone", engine))


def _engine_only(user: User) -> float:
    """The ranking of suggest_requests without its queries: the same candidates, index built beforehand."""
    records, profiles = services._volunteer_records([user])
    if not records:
        return 0.0
    me = records[0]
    rows = db.session.execute(services._open_requests_near(me.lat, me.lon, me.max_distance_km)
                              .limit(services.MAX_CANDIDATES)).scalars().all()
    if not rows:
        return 0.0
    from webapp.core.text_features import text_profile
    from webapp.suggestions.records import request_record

    index = matching.MatchIndex([me], [request_record(r) for r in rows], volunteer_profiles=profiles,
                                request_profiles={r.public_id: p for r in rows
                                                  if (p := text_profile(r.match_features)) is not None},
                                model=services.current_model())
    started = time.process_time()
    index.rank_requests_for(me.id, len(rows))
    return 1000 * (time.process_time() - started)


if __name__ == "__main__":
    main()
    print(f"peak memory (max RSS of the process): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
