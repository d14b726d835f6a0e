"""cProfile tables of the two matching jobs issue #21 times (docs/PROFILES.md, "Matching and digests"):

    python -m bench.profile_matching ranking [--volunteers 10000 --requests 5000]    # MatchIndex.rank_all_requests
    python -m bench.profile_matching digests --from-file /tmp/samen-matching-100x.db [--volunteers 2000]

`ranking` builds the simulated city of `python -m matching bench` (same seed) and profiles every volunteer's top-10;
`digests` profiles the warm digest run (`send_digests`, lists stored before) on a copy of a seeded database. Prints
the top functions by cumulative time (or --sort tottime); --out FILE keeps the raw pstats file. Asserts nothing.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def ranking(volunteers: int, requests: int) -> cProfile.Profile:
    import numpy as np

    from matching.features import encode_request, encode_volunteer
    from matching.ranker import MatchIndex
    from matching.simulate import make_people

    rng = np.random.default_rng(1)
    vols, reqs, _, _, _ = make_people(rng, volunteers, requests)
    vols = [replace(v, open_commitments=int(rng.integers(0, 3)), recent_suggestions=int(rng.integers(0, 10)))
            for v in vols]
    index = MatchIndex(vols, reqs, volunteer_profiles={v.id: encode_volunteer(v) for v in vols},
                       request_profiles={r.id: encode_request(r) for r in reqs})
    profile = cProfile.Profile()
    started = time.perf_counter()
    profile.runcall(index.rank_all_requests, 10)
    print(f"rank_all_requests, {volunteers:,} x {requests:,}, top-10, under cProfile: "
          f"{time.perf_counter() - started:.1f} s")
    return profile


def digests(from_file: Path, volunteers: int | None) -> cProfile.Profile:
    from bench.digests import prepare
    from bench.seeded import seeded_app
    from webapp.digests.services import send_digests

    with seeded_app(1, from_file) as app, app.app_context():
        wanted = prepare(keep_lists=True, limit=volunteers)
        profile = cProfile.Profile()
        started = time.perf_counter()
        report = profile.runcall(send_digests, channels=("weekly",))
        print(f"send_digests, {wanted:,} volunteers, under cProfile: {time.perf_counter() - started:.1f} s; {report}")
    return profile


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=("ranking", "digests"))
    parser.add_argument("--volunteers", type=int, default=None)
    parser.add_argument("--requests", type=int, default=5_000)
    parser.add_argument("--from-file", type=Path, default=None)
    parser.add_argument("--sort", default="cumulative", choices=("cumulative", "tottime"))
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--out", type=Path, default=None)
    options = parser.parse_args()
    if options.what == "ranking":
        profile = ranking(options.volunteers or 10_000, options.requests)
    else:
        if options.from_file is None:
            parser.error("digests needs --from-file (a database seeded before, e.g. by bench.matching_web --save)")
        profile = digests(options.from_file, options.volunteers)
    if options.out is not None:
        profile.dump_stats(options.out)
    out = io.StringIO()
    pstats.Stats(profile, stream=out).strip_dirs().sort_stats(options.sort).print_stats(options.top)
    print(out.getvalue())


if __name__ == "__main__":
    main()
