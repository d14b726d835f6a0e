"""How long it takes until a new request is in the stored lists of the volunteers it fits (issue #17: within
seconds; issue #21: at most 1 s at 100× data), measured in the web app with its database, and what the refresh job
and the worker's city index cost at that size.

    .venv/bin/python bench/freshness.py --scale 100                     # seeds ~12,100 volunteers first (minutes)
    .venv/bin/python bench/freshness.py --from-file instance/demo100.db  # a copy of a database seeded before

Steps: the refresh job computes every volunteer's stored list (timed); the worker's city index is built (timed,
once per process and after profiles change); then --requests new requests are posted one by one, and each is
placed as the worker thread does after the poster's commit (`freshness.place_pending`): scoring for every
volunteer, thresholds from the stored lists, the lists it enters rewritten, the notices. Prints p50/p95/max of
that placement; asserts nothing.
"""

from __future__ import annotations

import argparse
import random
import resource
import shutil
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select, update

from bench.seeded import arguments, seeded_app
from webapp.accounts.models import User
from webapp.asks import services as asks
from webapp.asks import visibility
from webapp.asks.models import HelpRequest
from webapp.core.extensions import db
from webapp.core.ids import utcnow
from webapp.core.reference.models import Category, Wijk
from webapp.suggestions import freshness
from webapp.suggestions.models import SuggestionList
from webapp.suggestions.stored import refresh

TEXTS = [
    ("Boodschappen doen", "groceries", "Ik kan niet goed lopen. Wie haalt op woensdag mijn boodschappen?"),
    ("Hulp met mijn laptop", "digital", "Mijn laptop doet raar en ik wil videobellen met mijn kleinkind."),
    ("Tuin winterklaar maken", "garden", "De bladeren moeten weg en de heg moet gesnoeid worden."),
    ("Samen koffie drinken", "company", "Ik zit veel alleen en zou graag iemand spreken, gewoon een kopje koffie."),
    ("Nederlands oefenen", "language", "Ik wil beter Nederlands spreken. Wie wil met mij praten?"),
    ("Lamp ophangen", "odd_jobs", "Ik heb een nieuwe lamp maar ik durf niet op de trap."),
    ("Hond uitlaten", "pets", "Na mijn operatie kan ik de hond een paar weken niet uitlaten."),
    ("Brief van de gemeente", "paperwork", "Ik begrijp een brief over de huurtoeslag niet."),
]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    arguments(parser)
    parser.add_argument("--requests", type=int, default=20, help="new requests to post and place")
    parser.add_argument("--skip-refresh", action="store_true",
                        help="the file's stored lists are fresh already (e.g. saved with --save-refreshed)")
    parser.add_argument("--save-refreshed", type=Path, default=None,
                        help="after the refresh job, copy the database here (for --skip-refresh next time)")
    options = parser.parse_args()
    with seeded_app(options.scale, options.from_file) as app, app.app_context():
        volunteers = db.session.execute(select(func.count()).select_from(User).where(
            User.id.in_(select(SuggestionList.volunteer_id)) | User.volunteer_profile.has())).scalar_one()
        open_requests = db.session.execute(select(func.count()).where(*visibility.open_to_volunteers())).scalar_one()
        print(f"{volunteers} volunteers, {open_requests} open requests")
        if options.skip_refresh:
            db.session.execute(update(SuggestionList).values(computed_at=utcnow()))  # "just computed"
            db.session.commit()
        else:
            started = time.perf_counter()
            result = refresh()
            print(f"refresh job (every list, two passes, stored): {result.volunteers} lists in "
                  f"{time.perf_counter() - started:.1f} s")
        if options.save_refreshed:
            db.session.remove()
            shutil.copyfile(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"), options.save_refreshed)
        cache = freshness.CityCache()
        started = time.perf_counter()
        cache.get()
        print(f"city index for the worker (once per process, again after profile changes): "
              f"{time.perf_counter() - started:.1f} s")
        rng = random.Random(7)
        residents = list(db.session.execute(select(User).where(~User.volunteer_profile.has(), User.email.is_not(None))
                                            .limit(200)).scalars())
        wijken = list(db.session.execute(select(Wijk)).scalars())
        categories = {c.key: c for c in db.session.execute(select(Category)).scalars()}
        seconds, entered, told = [], [], []
        for n in range(options.requests):
            title, key, text = TEXTS[n % len(TEXTS)]
            resident = rng.choice(residents)
            posted = asks.post_request(resident, asks.RequestData(
                title=f"{title} ({n})", description=text, category=categories[key], wijk=rng.choice(wijken),
                on_date=None, slots=[], languages=["nl"], is_recurring=False, needs_screening=False))
            db.session.commit()
            assert db.session.get(HelpRequest, posted.id) is not None
            started = time.perf_counter()
            placed = freshness.place_pending(cache)
            seconds.append(time.perf_counter() - started)
            entered += [len(p.entered) for p in placed]
            told += [len(p.told) for p in placed]
        ms = [1000 * s for s in seconds]
        print(f"placing a new request (worker, warm city index, {len(ms)} requests): p50 {statistics.median(ms):.0f} "
              f"ms, p95 {percentile(ms, 0.95):.0f} ms, max {max(ms):.0f} ms; it entered {statistics.mean(entered):.0f} "
              f"stored lists on average (max {max(entered)}), {statistics.mean(told):.1f} volunteers told")


if __name__ == "__main__":
    main()
    print(f"peak memory (max RSS of the process): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
