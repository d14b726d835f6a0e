"""What one request to each page costs in process: CPU milliseconds and SQL statements, and where the time goes.

Wall-clock figures depend on what else the machine is doing; the CPU time of the thread that serves a request
(`time.thread_time`) and the number of SQL statements it sends do not, or much less. This script measures those
two with Flask's test client, on the same demo data `make bench` uses, for every page of PERFORMANCE.md's table:

    .venv/bin/python -m bench.profile_pages                       # 1× demo data (seeded on first use)
    .venv/bin/python -m bench.profile_pages --scale 100           # 100× (seeding takes a few minutes)
    .venv/bin/python -m bench.profile_pages --profile "rescue queue"            # + a cProfile table (top 25)
    .venv/bin/python -m bench.profile_pages --profile "rescue queue" --sort tottime --top 40
    .venv/bin/python -m bench.profile_pages --pages "my page (volunteer),messages (resident)" --repeat 50

The database is an SQLite file under --data (default /tmp/samen-profile), seeded like bench/run.py seeds it
(migrations, reference data, `demo seed --scale N`) when it does not exist yet, and reused after that; pass
--database to measure another one (a PostgreSQL URL, for instance). Accounts log in through the real forms: the
CSRF token from the page, the demo password, and for staff the second step with the demo TOTP secret. The app is
configured as in production (SAMEN_ENV=production, rate limits off as in bench/run.py), served over https://
on the test client so the __Host- cookies come back.

Printed per page: the median and the 90th percentile of the CPU ms of --repeat requests after --warmup ones,
the SQL statements of one request, and how many of those write (INSERT/UPDATE/DELETE): a GET should write none.
No flame-graph tool is among the pinned packages, so --profile prints a cProfile table; --profile-out FILE also
writes the raw pstats file (`python -m pstats FILE`, or any viewer that reads pstats).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import re
import secrets
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEMO_PASSWORD = "demo-wachtwoord-2026"  # noqa: S105 - the published password of the demo accounts
DEMO_TOTP_SECRET = "SAMENDEMOHAARLEMTOTPSECRET234567"  # noqa: S105 - published for the demo staff accounts
CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')
WRITES = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)

YEAR = date.today().year
# name: (who, url). "who" is None (anonymous), "volunteers", "residents" or "staff": the first demo account of that
# kind that bench/targets.py lists, the same accounts the load test logs in.
PAGES: dict[str, tuple[str | None, Callable[[dict[str, Any]], str]]] = {
    "health": (None, lambda t: "/health"),
    "home": (None, lambda t: "/"),
    "request list": (None, lambda t: "/vragen/"),
    "request list, page 3": (None, lambda t: "/vragen/?page=3"),
    "request detail": (None, lambda t: f"/vragen/{t['requests'][0]}"),
    "offer list": (None, lambda t: "/aanbod/"),
    "initiative list": (None, lambda t: "/initiatieven/"),
    "needs board": (None, lambda t: "/initiatieven/hulp-gezocht"),
    "request list (logged in)": ("volunteers", lambda t: "/vragen/"),
    "request detail (volunteer)": ("volunteers", lambda t: f"/vragen/{t['requests'][0]}"),
    "suggestions (volunteer)": ("volunteers", lambda t: "/aanbevolen/"),
    "my page (volunteer)": ("volunteers", lambda t: "/mijn"),
    "messages (resident)": ("residents", lambda t: "/berichten/"),
    "post a request (form)": ("residents", lambda t: "/vragen/nieuw"),
    "volunteering front door": (None, lambda t: "/vrijwilligerswerk"),
    "organisations": (None, lambda t: "/organisaties"),
    "front door (volunteer)": ("volunteers", lambda t: "/vrijwilligerswerk"),
    "my sign-ups (volunteer)": ("volunteers", lambda t: "/mijn/aanmeldingen"),
    "my agenda (volunteer)": ("volunteers", lambda t: "/mijn/agenda"),
    "staff workspace": ("staff", lambda t: "/werkruimte/"),
    "rescue queue": ("staff", lambda t: "/werkruimte/onbeantwoord"),
    "moderation queue": ("staff", lambda t: "/werkruimte/moderatie"),
    "report dashboard, quarter": ("staff", lambda t: "/rapportage/"),
    "report dashboard, year": ("staff", lambda t: f"/rapportage/?kind=year&period={YEAR}"),
    "report export csv, year": ("staff", lambda t: f"/rapportage/export.csv?kind=year&period={YEAR}"),
}


@dataclass
class Figure:
    page: str
    url: str
    status: int
    cpu_ms: list[float]
    statements: int
    writes: int
    size: int
    sql: list[tuple[str, float]]

    @property
    def median(self) -> float:
        return statistics.median(self.cpu_ms)

    @property
    def p90(self) -> float:
        ordered = sorted(self.cpu_ms)
        return ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]


def environment(database: str, data: Path) -> dict[str, str]:
    instance = data / "instance"
    instance.mkdir(parents=True, exist_ok=True)
    return {**os.environ, "SAMEN_ENV": "production",
            "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_hex(32),
            "DATABASE_URL": database, "PRIVACY_CONTROLLER": "Samen profile",
            "PRIVACY_CONTACT_EMAIL": "privacy@samen.local", "SAMEN_INSTANCE_PATH": str(instance),
            "MAIL_OUTBOX_DIR": str(data / "outbox"), "FLASK_APP": "webapp", "RATELIMIT_ENABLED": "false"}


def flask(env: dict[str, str], *args: str) -> None:
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "flask", *args], env=env, cwd=ROOT, capture_output=True, text=True,
                          check=False)
    if done.returncode != 0:
        sys.exit(f"flask {' '.join(args)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    print(f"# flask {' '.join(args)}: {time.monotonic() - started:.1f} s", file=sys.stderr)


def seed(env: dict[str, str], scale: int) -> None:
    flask(env, "db", "upgrade")
    flask(env, "reference", "load")
    # The published two-step secret, which log_in uses (in production the demo's staff would get a new one).
    flask(env, "demo", "seed", "--scale", str(scale), "--allow-production", "--published-staff-secret")


@contextmanager
def counting(engine: Any) -> Iterator[list[tuple[str, float]]]:
    """Every statement sent while the block runs, with the milliseconds (wall clock) the database took for it."""
    from sqlalchemy import event

    statements: list[tuple[str, float]] = []
    started: list[float] = []

    def before(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        started.append(time.perf_counter())

    def after(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append((statement, (time.perf_counter() - started.pop()) * 1000))

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)


def totp_now(secret: str) -> str:
    import pyotp

    return str(pyotp.TOTP(secret).now())


def log_in(app: Any, email: str, password: str) -> Any:
    """A test client logged in through the real forms (and the second step for staff)."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "127.0.0.1"
    client.environ_base["HTTP_REFERER"] = "https://localhost/inloggen"  # CSRF over https checks the referrer

    def token(html: str) -> str:
        found = CSRF_RE.search(html)
        return (found.group(1) or found.group(2)) if found else ""

    page = client.get("/inloggen", base_url="https://localhost")
    answer = client.post("/inloggen", base_url="https://localhost", data={
        "email": email, "password": password, "csrf_token": token(page.get_data(as_text=True))})
    if answer.status_code == 302 and answer.headers.get("Location", "").endswith("/inloggen/code"):
        for attempt in range(2):
            page = client.get("/inloggen/code", base_url="https://localhost")
            answer = client.post("/inloggen/code", base_url="https://localhost", data={
                "code": totp_now(DEMO_TOTP_SECRET), "csrf_token": token(page.get_data(as_text=True))})
            if answer.status_code == 302 or attempt:
                break
            # A code is accepted once: a run started within 30 s of the last one waits for the next code.
            print("# waiting for the next two-step code", file=sys.stderr)
            time.sleep(30.5 - time.time() % 30)
    if answer.status_code != 302:
        sys.exit(f"could not log in {email} (status {answer.status_code})")
    return client


def measure(app: Any, client: Any, page: str, url: str, repeat: int, warmup: int) -> Figure:
    from webapp.core.extensions import db

    with app.app_context():
        engine = db.engine
    for _i in range(warmup):
        client.get(url, base_url="https://localhost")
    times: list[float] = []
    for _i in range(repeat):
        started = time.thread_time()
        response = client.get(url, base_url="https://localhost")
        response.get_data()
        times.append((time.thread_time() - started) * 1000)
    with counting(engine) as statements:
        response = client.get(url, base_url="https://localhost")
        body = response.get_data()
    writes = sum(1 for s, _ms in statements if WRITES.match(s))
    return Figure(page, url, response.status_code, times, len(statements), writes, len(body), statements)


def profile(app: Any, client: Any, url: str, repeat: int, sort: str, top: int, out: Path | None) -> str:
    for _i in range(3):
        client.get(url, base_url="https://localhost")
    profiler = cProfile.Profile(time.thread_time)  # CPU time of this thread: stable while the machine is busy
    profiler.enable()
    for _i in range(repeat):
        client.get(url, base_url="https://localhost").get_data()
    profiler.disable()
    if out is not None:
        profiler.dump_stats(str(out))
    text = io.StringIO()
    stats = pstats.Stats(profiler, stream=text)
    stats.strip_dirs().sort_stats(sort).print_stats(top)
    return (f"cProfile of {repeat} requests to {url} (thread CPU time, sorted by {sort}, top {top}):\n"
            + text.getvalue())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=1, help="demo data scale (1 or 100 as in make bench)")
    parser.add_argument("--data", type=Path, default=Path("/tmp/samen-profile"), help="where the SQLite files live")  # noqa: S108
    parser.add_argument("--database", default=None, help="a database URL to use as it is (no seeding)")
    parser.add_argument("--repeat", type=int, default=20, help="requests measured per page")
    parser.add_argument("--warmup", type=int, default=3, help="requests before measuring (first-use costs)")
    parser.add_argument("--pages", default="", help="comma-separated page names (default: all)")
    parser.add_argument("--profile", default="", help="a page name: print a cProfile table for it")
    parser.add_argument("--sort", default="cumulative", help="pstats sort key for --profile")
    parser.add_argument("--top", type=int, default=25, help="rows of the --profile table")
    parser.add_argument("--no-refresh", action="store_true",
                        help="skip the suggestions and report jobs (an earlier run on this database ran them)")
    parser.add_argument("--sql", action="store_true", help="print the SQL statements of one request per page")
    parser.add_argument("--profile-out", type=Path, default=None, help="also write the raw pstats file")
    args = parser.parse_args()

    args.data.mkdir(parents=True, exist_ok=True)
    database = args.database or f"sqlite:///{args.data / f'samen-{args.scale}x.db'}"
    env = environment(database, args.data)
    if args.database is None and not (args.data / f"samen-{args.scale}x.db").exists():
        seed(env, args.scale)
    names = [n.strip() for n in args.pages.split(",") if n.strip()] or list(PAGES)
    if args.profile:
        names = [args.profile]
    unknown = [n for n in names if n not in PAGES]
    if unknown:
        sys.exit(f"unknown page(s): {', '.join(unknown)}; known: {', '.join(PAGES)}")

    os.environ.update(env)  # create_app reads its configuration from the environment
    sys.path.insert(0, str(ROOT))
    from bench.targets import collect
    from webapp import create_app

    app = create_app()
    with app.app_context():
        targets = collect()
    clients: dict[str | None, Any] = {None: app.test_client()}
    for who in sorted({PAGES[n][0] for n in names} - {None}):
        clients[who] = log_in(app, targets[who][0], os.environ.get("BENCH_PASSWORD", DEMO_PASSWORD))
    if not args.no_refresh and any(PAGES[n][0] == "volunteers" for n in names):
        # What production's background jobs keep ready, as bench/run.py does after logging in.
        flask(env, "suggestions", "refresh", "--active-days", "0.02")
    if not args.no_refresh and any(PAGES[n][0] == "staff" for n in names):
        flask(env, "reports", "refresh")

    if args.profile:
        who, url_of = PAGES[args.profile]
        print(profile(app, clients[who], url_of(targets), args.repeat, args.sort, args.top, args.profile_out))
        return 0

    print(f"{database} — {args.repeat} requests per page after {args.warmup} warm-up; CPU = thread time of the "
          "request, SQL = statements of one request (writes among them)")
    print(f"| {'page':28} | CPU ms p50 | CPU ms p90 | SQL | writes | status | KiB |")
    print(f"|{'-' * 30}|-----------:|-----------:|----:|-------:|-------:|----:|")
    for name in names:
        who, url_of = PAGES[name]
        f = measure(app, clients[who], name, url_of(targets), args.repeat, args.warmup)
        print(f"| {name:28} | {f.median:10.1f} | {f.p90:10.1f} | {f.statements:3} | {f.writes:6} | {f.status:6} | "
              f"{f.size / 1024:3.0f} |", flush=True)
        if args.sql:
            for statement, ms in f.sql:
                print(f"    {ms:7.2f} ms  " + " ".join(statement.split())[:400])
    return 0


if __name__ == "__main__":
    sys.exit(main())
