"""How long `flask digests send` takes for many volunteers (issue #21: 10,000 volunteers in at most 60 s).

    .venv/bin/python bench/digests.py --scale 100                    # seeds ~12,100 volunteers first (minutes)
    .venv/bin/python bench/digests.py --from-file instance/demo100.db  # a copy of a database seeded before

Every volunteer with an e-mail address is made to want new suggestions in a weekly digest, and the open requests
are dated within the past week, so every volunteer with a fitting request gets a digest. Two runs: "cold", with
no stored suggestion lists (the digest run ranks every list first, in blocks), and "warm", after the refresh job
(as in production, where `flask suggestions refresh` runs every few minutes). Mails are written to files
(MAIL_OUTBOX_DIR), or with --smtp sent over one connection to a local SMTP server (another process) that accepts
everything, as in production.
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import random
import resource
import socket
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import delete, func, select, update

from bench.seeded import arguments, seeded_app
from webapp.accounts.models import User, VolunteerProfile
from webapp.asks import visibility
from webapp.asks.models import HelpRequest
from webapp.core.extensions import db
from webapp.core.ids import utcnow
from webapp.digests.services import send_digests
from webapp.notifications.models import EmailDigest, NotificationPreference
from webapp.suggestions.models import StoredSuggestion, SuggestionList
from webapp.suggestions.stored import refresh


def prepare(*, keep_lists: bool = False, limit: int | None = None) -> int:
    """Every volunteer (or the first `limit`) wants suggestions weekly, the others none; open requests are from the
    past week; no digest was sent yet; no stored lists (or, with `keep_lists`, the file's lists count as just
    computed)."""
    volunteers = list(db.session.execute(
        select(User.id).join(VolunteerProfile, VolunteerProfile.user_id == User.id)
        .where(User.email.is_not(None), User.is_blocked.is_(False)).order_by(User.id)).scalars())
    db.session.execute(delete(NotificationPreference).where(NotificationPreference.kind == "suggestions"))
    if limit is not None:
        db.session.add_all(NotificationPreference(user_id=u, kind="suggestions", channel="off")
                           for u in volunteers[limit:])
        volunteers = volunteers[:limit]
    db.session.execute(delete(EmailDigest))
    rng = random.Random(1)
    now = utcnow()
    for request_id in db.session.execute(select(HelpRequest.id).where(*visibility.open_to_volunteers())).scalars():
        db.session.execute(update(HelpRequest).where(HelpRequest.id == request_id)
                           .values(created_at=now - timedelta(hours=rng.uniform(1, 6 * 24))))
    if keep_lists:
        db.session.execute(update(SuggestionList).values(computed_at=now))
    else:
        db.session.execute(delete(StoredSuggestion))
        db.session.execute(delete(SuggestionList))
    db.session.commit()
    return len(volunteers)


def run(label: str, volunteers: int) -> None:
    started, cpu = time.perf_counter(), time.process_time()
    report = send_digests(channels=("weekly",))
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    sent = report.sent["weekly"]
    print(f"{label}: {seconds:.1f} s ({cpu:.1f} s CPU of this process) for {volunteers} volunteers; {report}; "
          f"{1000 * seconds / max(1, sent):.1f} ms per digest sent")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    arguments(parser)
    parser.add_argument("--smtp", action="store_true",
                        help="send over SMTP to a local server that accepts everything (aiosmtpd, its own process)")
    parser.add_argument("--volunteers", type=int, default=None,
                        help="only this many volunteers want the digest (e.g. 10000 of the 12,001 at 100x)")
    parser.add_argument("--warm-only", action="store_true",
                        help="only the warm run, on the file's stored lists (e.g. saved by bench/freshness.py "
                             "--save-refreshed)")
    options = parser.parse_args()
    extra: dict[str, object] = {}
    server = None
    if options.smtp:  # in its own process, so that it takes no CPU time from the run being measured
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        server = subprocess.Popen([sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}",
                                   "-c", "aiosmtpd.handlers.Sink"])
        for _ in range(100):
            with socket.socket() as attempt:
                if attempt.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        extra = {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": port}
    try:
        with seeded_app(options.scale, options.from_file, **extra) as app, app.app_context():
            volunteers = prepare(keep_lists=options.warm_only, limit=options.volunteers)
            open_requests = db.session.execute(
                select(func.count()).where(*visibility.open_to_volunteers())).scalar_one()
            print(f"{volunteers} volunteers with an e-mail address, {open_requests} open requests "
                  f"({'SMTP' if options.smtp else 'files'})")
            if not options.warm_only:
                run("cold (no stored lists: ranked in the run)", volunteers)
                db.session.execute(delete(EmailDigest))
                db.session.commit()
                started = time.perf_counter()
                result = refresh()
                print(f"refresh job beforehand: {result.volunteers} lists in {time.perf_counter() - started:.1f} s")
            run("warm (lists stored by the refresh job)", volunteers)
    finally:
        if server is not None:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main()
    print(f"peak memory (max RSS of the process): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
