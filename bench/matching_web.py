"""The matching engine's two web-side targets of issue #21 in one run, on one database (the second half of
`make bench-matching`; the first half is `python -m matching bench`):

- a new request placed in the stored lists of the volunteers it fits, at 100x data: at most 1 s;
- the digest run for 10,000 volunteers: at most 60 s.

    python -m bench.matching_web --scale 100 --save /tmp/samen-matching-100x.db   # seeds (minutes), refreshes, saves
    python -m bench.matching_web --from-file /tmp/samen-matching-100x.db          # reuses it (lists already stored)

Steps: the stored lists (the refresh job; skipped on a file saved by --save, whose lists count as just computed);
--requests new requests posted one by one, each placed as the worker thread does after the poster's commit
(`freshness.place_pending`, warm city index), wall clock; then the warm digest run (`send_digests`) for the first
--volunteers volunteers, mails to files, wall clock and CPU time of the process. Prints the figures and, with
--engine FILE (the output of `python -m matching bench`) and --write DOC, puts both into DOC between the markers
`<!-- bench-matching -->` and `<!-- /bench-matching -->`. Asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select, update

from bench.digests import prepare
from bench.freshness import TEXTS, percentile
from bench.seeded import arguments, seeded_app
from webapp.accounts.models import User, VolunteerProfile
from webapp.asks import services as asks
from webapp.asks import visibility
from webapp.core.extensions import db
from webapp.core.ids import utcnow
from webapp.core.reference.models import Category, Wijk
from webapp.digests.services import send_digests
from webapp.suggestions import freshness
from webapp.suggestions.models import SuggestionList
from webapp.suggestions.stored import refresh

START, END = "<!-- bench-matching -->", "<!-- /bench-matching -->"


def place(requests: int) -> list[str]:
    cache = freshness.CityCache()
    started = time.perf_counter()
    cache.get()
    lines = [f"- the worker's city index (once per process, again after profile changes): "
             f"{time.perf_counter() - started:.1f} s"]
    rng = random.Random(7)
    residents = list(db.session.execute(
        select(User).where(~User.volunteer_profile.has(), User.email.is_not(None)).order_by(User.id).limit(200)
    ).scalars())
    wijken = list(db.session.execute(select(Wijk).order_by(Wijk.id)).scalars())
    categories = {c.key: c for c in db.session.execute(select(Category)).scalars()}
    seconds, entered = [], []
    for n in range(requests):
        title, key, text = TEXTS[n % len(TEXTS)]
        asks.post_request(rng.choice(residents), asks.RequestData(
            title=f"{title} ({n})", description=text, category=categories[key], wijk=rng.choice(wijken),
            on_date=None, slots=[], languages=["nl"], is_recurring=False, needs_screening=False))
        db.session.commit()
        started = time.perf_counter()
        placed = freshness.place_pending(cache)
        seconds.append(time.perf_counter() - started)
        entered += [len(p.entered) for p in placed]
    ms = [1000 * s for s in seconds]
    lines.append(
        f"- **placement** of a new request in the stored lists of the volunteers it fits (worker, warm city index, "
        f"{len(ms)} requests, wall clock): p50 {statistics.median(ms):.0f} ms, p95 {percentile(ms, 0.95):.0f} ms, "
        f"max {max(ms):.0f} ms; it entered {statistics.mean(entered):.0f} lists on average (target: <= 1 s)")
    return lines


def digests(volunteers: int | None) -> list[str]:
    wanted = prepare(keep_lists=True, limit=volunteers)
    started, cpu = time.perf_counter(), time.process_time()
    report = send_digests(channels=("weekly",))
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    sent = report.sent["weekly"]
    return [f"- **digests** for {wanted:,} volunteers (warm: lists stored by the refresh job; mails to files): "
            f"{seconds:.1f} s wall clock, {cpu:.1f} s CPU of the process; {sent:,} sent, "
            f"{report.nothing_new:,} with nothing new; {1000 * seconds / max(1, sent):.1f} ms per digest sent "
            f"(target: <= 60 s)"]


def write(doc: Path, engine: str, web: list[str], command: str) -> None:
    text = doc.read_text(encoding="utf-8")
    if START not in text or END not in text:
        raise SystemExit(f"{doc}: no {START} ... {END} block to write the figures into")
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    block = "\n".join([
        START,
        f"Measured {when} by `{command}` (load average at the end {load}; 2 cores shared with other work).",
        "",
        "```",
        engine.strip(),
        "",
        *web,
        "```",
        END,
    ])
    head, rest = text.split(START, 1)
    doc.write_text(head + block + rest.split(END, 1)[1], encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    arguments(parser)
    parser.add_argument("--save", type=Path, default=None,
                        help="after seeding and the refresh job, copy the database here (for --from-file next time)")
    parser.add_argument("--requests", type=int, default=30, help="new requests to post and place")
    parser.add_argument("--volunteers", type=int, default=10_000, help="volunteers who want the digest")
    parser.add_argument("--engine", type=Path, default=None, help="the output of `python -m matching bench`")
    parser.add_argument("--write", type=Path, default=None, help="the document to write the figures into")
    options = parser.parse_args()
    lines: list[str] = []
    with seeded_app(options.scale, options.from_file) as app, app.app_context():
        count = db.session.execute(select(func.count()).select_from(VolunteerProfile)).scalar_one()
        open_requests = db.session.execute(select(func.count()).where(*visibility.open_to_volunteers())).scalar_one()
        lines.append(f"- data: {count:,} volunteers, {open_requests:,} open requests (SQLite)")
        if options.from_file is not None and db.session.execute(select(func.count()).select_from(SuggestionList)
                                                                ).scalar_one():
            db.session.execute(update(SuggestionList).values(computed_at=utcnow()))  # "just computed"
            db.session.commit()
        else:
            started = time.perf_counter()
            result = refresh()
            lines.append(f"- the refresh job (every list, two passes, stored): {result.volunteers:,} lists in "
                         f"{time.perf_counter() - started:.1f} s")
        if options.save is not None:
            db.session.remove()
            shutil.copyfile(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"), options.save)
        for line in lines:
            print(line, flush=True)
        for line in place(options.requests) + digests(options.volunteers):
            print(line, flush=True)
            lines.append(line)
    lines.append(f"- peak memory (max RSS of this process): "
                 f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    print(lines[-1])
    if options.write is not None and options.engine is not None:
        write(options.write, options.engine.read_text(encoding="utf-8"), lines, "make bench-matching")
        print(f"figures written to {options.write}")


if __name__ == "__main__":
    main()
