"""`make bench`: Samen under load, as in production, on SQLite and PostgreSQL, at 1× and 100× demo data.

For each database and scale: a fresh database (an SQLite file in a temporary directory; a throwaway PostgreSQL
cluster from scripts/pg-throwaway.sh), migrations, reference data, `demo seed --scale N`; then gunicorn with the
production configuration on 127.0.0.1, a warm-up, `/health` alone (the reference), every page alone, and the
realistic mix at 200 users, driven by locust (bench/locustfile.py). Everything it starts it stops again, also on
Ctrl-C or an error: gunicorn, PostgreSQL, temporary directories.

    bench/.venv/bin/python bench/run.py                 # the full run, writes PERFORMANCE.md
    bench/.venv/bin/python bench/run.py --quick         # 1× SQLite, short, writes bench/results/quick.md
"""

from __future__ import annotations

import argparse
import base64
import csv
import hmac
import http.client
import json
import os
import platform
import re
import resource
import secrets
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import psutil

ROOT = Path(__file__).resolve().parent.parent
APP_BIN = ROOT / ".venv" / "bin"
LOCUST = Path(sys.executable).parent / "locust"
LOCUSTFILE = ROOT / "bench" / "locustfile.py"
RESULTS = ROOT / "bench" / "results"
PAGES = ("health", "home", "request list", "request list, page 3", "request list (logged in)", "request detail",
         "offer list", "initiative list", "needs board", "district budgets", "budget round", "budget results",
         "volunteering front door", "vacancies", "organisations", "my sign-ups (volunteer)",
         "my agenda (volunteer)", "applicants (organiser)",
         "suggestions (volunteer)", "my page (volunteer)",
         "messages (resident)",
         "staff workspace", "rescue queue", "report dashboard, quarter", "report dashboard, year",
         "report export csv, year")
# Pages only a logged-in person sees (budget: ≥ 0.25× /health); every other page is public (≥ 0.5×). A year's
# dashboard is measured with one user at a time and has a budget of its own.
LOGGED_IN = frozenset({"request list (logged in)", "suggestions (volunteer)", "my page (volunteer)",
                       "messages (resident)", "staff workspace", "rescue queue", "report dashboard, quarter",
                       "report export csv, year", "my sign-ups (volunteer)", "my agenda (volunteer)",
                       "applicants (organiser)"})
OWN_BUDGET = frozenset({"health", "report dashboard, year"})
MIX_USERS = 200
DEMO_PASSWORD = "demo-wachtwoord-2026"  # noqa: S105 - the published password of the demo accounts
BUDGET_MIX_RPS, BUDGET_MIX_P95, BUDGET_LIST_RATIO, BUDGET_DASHBOARD_S, BUDGET_GROWTH = 300, 100, 0.5, 1.0, 1.5
BUDGET_LOGGED_IN_RATIO = 0.25


def log(message: str) -> None:
    print(f"[bench {datetime.now().strftime('%H:%M:%S')}] {message}", flush=True)


# -- everything started here is stopped here ---------------------------------------------------------------------

class Cleanup:
    def __init__(self) -> None:
        self.actions: list[tuple[str, Any]] = []

    def push(self, label: str, action: Any) -> None:
        self.actions.append((label, action))

    def pop(self, label: str) -> None:
        for i in range(len(self.actions) - 1, -1, -1):
            if self.actions[i][0] == label:
                _label, action = self.actions.pop(i)
                action()
                return

    def run_all(self) -> None:
        while self.actions:
            label, action = self.actions.pop()
            try:
                action()
            except Exception as error:  # keep cleaning up
                log(f"cleaning up {label} failed: {error}")


CLEANUP = Cleanup()


def _terminate(*_args: Any) -> None:
    raise KeyboardInterrupt


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run(cmd: list[str], env: dict[str, str], label: str) -> str:
    started = time.monotonic()
    done = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{label} failed ({done.returncode}):\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    log(f"{label}: {time.monotonic() - started:.1f} s")
    return done.stdout


# -- databases --------------------------------------------------------------------------------------------------

def postgres_available() -> bool:
    return any(Path("/usr/lib/postgresql").glob("*/bin/initdb")) if Path("/usr/lib/postgresql").exists() else False


def start_database(kind: str, tmp: Path) -> str:
    if kind == "sqlite":
        return f"sqlite:///{tmp / 'samen.db'}"
    out = subprocess.run([str(ROOT / "scripts" / "pg-throwaway.sh"), "start"], capture_output=True, text=True,
                         check=True).stdout
    values = dict(re.findall(r"export (\w+)=(\S+)", out))
    pg_dir = values["SAMEN_PG_DIR"]
    CLEANUP.push("postgresql", lambda: subprocess.run(
        [str(ROOT / "scripts" / "pg-throwaway.sh"), "stop", pg_dir], check=False, capture_output=True))
    return values["TEST_DATABASE_URL"]


# -- gunicorn ---------------------------------------------------------------------------------------------------

class Server:
    def __init__(self, env: dict[str, str], port: int) -> None:
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.process = subprocess.Popen(
            [str(APP_BIN / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py")],
            env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}"}, cwd=ROOT, start_new_session=True,
            stdout=subprocess.DEVNULL, stderr=open(env["SAMEN_INSTANCE_PATH"] + "/gunicorn.log", "w"))  # noqa: SIM115
        CLEANUP.push("gunicorn", self.stop)
        self.peak_rss: dict[int, int] = {}
        self.cpu_seen: dict[int, float] = {}
        self._sampling = True
        self._sampler = threading.Thread(target=self._sample, daemon=True)

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({self.process.returncode}); see its log")
            try:
                with urllib.request.urlopen(self.url + "/health", timeout=2) as response:
                    if response.status == 200:
                        self._sampler.start()
                        return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("gunicorn did not answer /health within a minute")

    def workers(self) -> list[psutil.Process]:
        import psutil  # in bench/.venv only: bench/drill.py reuses this module from the app's own venv

        try:
            return psutil.Process(self.process.pid).children()
        except psutil.NoSuchProcess:
            return []

    def _sample(self) -> None:
        import psutil

        while self._sampling:
            for worker in self.workers():
                try:
                    rss = worker.memory_info().rss
                except psutil.Error:
                    continue
                self.peak_rss[worker.pid] = max(self.peak_rss.get(worker.pid, 0), rss)
            self.cpu()
            time.sleep(0.5)

    def cpu(self) -> float:
        """CPU seconds used so far by the master and every worker it ever had: gunicorn replaces workers after
        max_requests, so the last reading of each process id is kept (at most half a second of a replaced
        worker's time is missed)."""
        import psutil

        for process in [psutil.Process(self.process.pid), *self.workers()]:
            try:
                times = process.cpu_times()
            except psutil.Error:
                continue
            self.cpu_seen[process.pid] = times.user + times.system
        return sum(self.cpu_seen.values())

    def stop(self) -> None:
        self._sampling = False
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


# -- sessions -----------------------------------------------------------------------------------------------------

CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def _cookies(response: http.client.HTTPResponse, jar: dict[str, str]) -> None:
    for value in response.headers.get_all("Set-Cookie") or []:
        name, _sep, rest = value.partition("=")
        jar[name.strip()] = rest.split(";", 1)[0]


def log_in(port: int, email: str, password: str) -> dict[str, str] | None:
    """One log-in through the real form (CSRF token and all); the cookies of the new session."""
    jar: dict[str, str] = {}
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", "/inloggen")
        page = connection.getresponse()
        html = page.read().decode("utf-8", "replace")
        _cookies(page, jar)
        found = CSRF_RE.search(html)
        body = urllib.parse.urlencode({"email": email, "password": password,
                                       "csrf_token": (found.group(1) or found.group(2)) if found else ""})
        connection.request("POST", "/inloggen", body=body, headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": "; ".join(f"{k}={v}" for k, v in jar.items())})
        answer = connection.getresponse()
        answer.read()
        _cookies(answer, jar)
        if answer.status == 302 and answer.headers.get("Location", "").endswith("/inloggen/code"):
            answer = _second_step(connection, jar)  # staff and admins: the code of their authenticator app
        return jar if answer.status == 302 else None
    finally:
        connection.close()


DEMO_TOTP_SECRET = "SAMENDEMOHAARLEMTOTPSECRET234567"  # noqa: S105 - published for the demo staff accounts (see README)


def totp_now(secret: str, at: float | None = None) -> str:
    """The current 6-digit code (RFC 6238, SHA-1, 30 s), as an authenticator app shows it."""
    key = base64.b32decode(secret)
    step = int((time.time() if at is None else at) // 30)
    digest = hmac.new(key, struct.pack(">Q", step), "sha1").digest()
    offset = digest[-1] & 0x0F
    return f"{(int.from_bytes(digest[offset:offset + 4], 'big') & 0x7FFFFFFF) % 1_000_000:06d}"


def _second_step(connection: http.client.HTTPConnection, jar: dict[str, str]) -> http.client.HTTPResponse:
    cookie = {"Cookie": "; ".join(f"{k}={v}" for k, v in jar.items())}
    connection.request("GET", "/inloggen/code", headers=cookie)
    page = connection.getresponse()
    html = page.read().decode("utf-8", "replace")
    _cookies(page, jar)
    found = CSRF_RE.search(html)
    body = urllib.parse.urlencode({"code": totp_now(DEMO_TOTP_SECRET),
                                   "csrf_token": (found.group(1) or found.group(2)) if found else ""})
    connection.request("POST", "/inloggen/code", body=body, headers={
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": "; ".join(f"{k}={v}" for k, v in jar.items())})
    answer = connection.getresponse()
    answer.read()
    _cookies(answer, jar)
    return answer


def make_sessions(port: int, targets: dict[str, Any], per_role: int, password: str) -> dict[str, list[dict[str, str]]]:
    """Log in a few accounts per role before the load starts, so logged-in users do not pay argon2 during it."""
    sessions: dict[str, list[dict[str, str]]] = {}
    for role in ("volunteers", "residents", "staff", "organisers"):
        if role == "organisers" and not targets.get(role):
            continue  # no organiser with applicants in this data: that page is reported as missing
        made = [jar for email in targets[role][:per_role] if (jar := log_in(port, email, password))]
        if not made:
            raise RuntimeError(f"could not log in any of the {role}")
        sessions[role] = made
    return sessions


# -- locust -----------------------------------------------------------------------------------------------------

@dataclass
class Row:
    name: str
    requests: int
    failures: int
    rps: float
    p50: float
    p95: float
    p99: float

    @property
    def error_rate(self) -> float:
        return self.failures / self.requests if self.requests else 0.0


@dataclass
class LoadRun:
    rows: dict[str, Row]
    generator_cpu: float  # cores the load generator used on average
    app_cpu: float  # cores the app used on average
    seconds: float
    replaced: int = 0  # gunicorn workers started during the run (each costs seconds of CPU: imports, first drawings)


def _number(text: str | None) -> float:
    try:
        return float(text or 0)
    except ValueError:  # "N/A" when nothing finished
        return 0.0


def locust(server: Server, env: dict[str, str], tmp: Path, *, users: int, seconds: int, mode: str,
           page: str = "", spawn_rate: int | None = None) -> LoadRun:
    prefix = tmp / f"locust-{mode}-{re.sub(r'[^a-z0-9]+', '-', page.lower()) or 'mix'}"
    cmd = [str(LOCUST), "-f", str(LOCUSTFILE), "--headless", "--only-summary", "--reset-stats", "-u", str(users),
           "-r", str(spawn_rate or users), "-t", f"{seconds}s", "--host", server.url, "--csv", str(prefix),
           "--stop-timeout", "5", "--loglevel", "WARNING"]
    before_children = resource.getrusage(resource.RUSAGE_CHILDREN)
    app_before, started = server.cpu(), time.monotonic()
    processes_before = set(server.cpu_seen)
    subprocess.run(cmd, env={**env, "BENCH_MODE": mode, "BENCH_PAGE": page}, cwd=ROOT, check=False,
                   stdout=subprocess.DEVNULL, stderr=open(tmp / "locust.log", "a"))  # noqa: SIM115
    wall = time.monotonic() - started
    after_children = resource.getrusage(resource.RUSAGE_CHILDREN)
    generator = (after_children.ru_utime - before_children.ru_utime
                 + after_children.ru_stime - before_children.ru_stime)
    rows: dict[str, Row] = {}
    stats = Path(f"{prefix}_stats.csv")
    if stats.exists():
        with stats.open(encoding="utf-8") as handle:
            for item in csv.DictReader(handle):
                name = "mix" if item["Name"] == "Aggregated" else item["Name"]
                rows[name] = Row(name, int(item["Request Count"]), int(item["Failure Count"]),
                                 _number(item["Requests/s"]), _number(item["50%"]), _number(item["95%"]),
                                 _number(item["99%"]))
    app = server.cpu() - app_before
    return LoadRun(rows, generator / wall, app / wall, wall, len(set(server.cpu_seen) - processes_before))


# -- one database at one scale ----------------------------------------------------------------------------------

@dataclass
class Result:
    database: str
    scale: int
    seed_seconds: float = 0.0
    counts: str = ""
    pages: dict[str, dict[str, Any]] = field(default_factory=dict)
    mix: dict[str, dict[str, Any]] = field(default_factory=dict)
    mix_generator_cpu: float = 0.0
    mix_app_cpu: float = 0.0
    dashboard_year: dict[str, Any] = field(default_factory=dict)
    peak_rss_mb: list[float] = field(default_factory=list)
    workers: int = 0
    threads: int = 0
    missing: list[str] = field(default_factory=list)


def measure(kind: str, scale: int, args: argparse.Namespace) -> Result:
    result = Result(kind, scale)
    tmp = Path(tempfile.mkdtemp(prefix=f"samen-bench-{kind}-{scale}x-"))
    CLEANUP.push("temporary directory", lambda: shutil.rmtree(tmp, ignore_errors=True))
    url = start_database(kind, tmp)
    (tmp / "instance").mkdir()
    env = {**os.environ, "SAMEN_ENV": "production", "SECRET_KEY": secrets.token_hex(32), "DATABASE_URL": url,
           "PRIVACY_CONTROLLER": "Samen benchmark", "PRIVACY_CONTACT_EMAIL": "privacy@samen.local",
           "SAMEN_INSTANCE_PATH": str(tmp / "instance"), "MAIL_OUTBOX_DIR": str(tmp / "outbox"),
           "FLASK_APP": "webapp", "RATELIMIT_ENABLED": "false", "PYTHONDONTWRITEBYTECODE": "1",
           "GUNICORN_WORKERS": str(args.workers), "GUNICORN_THREADS": str(args.threads)}
    flask = str(APP_BIN / "flask")
    run([flask, "db", "upgrade"], env, f"{kind} {scale}×: migrations")
    run([flask, "reference", "load"], env, f"{kind} {scale}×: reference data")
    started = time.monotonic()
    summary = run([flask, "demo", "seed", "--scale", str(scale), "--allow-production", "--published-staff-secret"], env,
                  f"{kind} {scale}×: demo seed --scale {scale}")
    result.seed_seconds = time.monotonic() - started
    result.counts = summary.strip().splitlines()[-1][:220] if summary.strip() else ""
    targets = tmp / "targets.json"
    targets.write_text(run([str(APP_BIN / "python"), "-m", "bench.targets"], env, "targets"), encoding="utf-8")
    env["BENCH_TARGETS"] = str(targets)
    env["BENCH_YEAR"] = str(date.today().year)
    env["BENCH_USER_RATE"] = str(args.user_rate)

    server = Server(env, free_port())
    server.wait_ready()
    result.workers, result.threads = args.workers, args.threads
    plan = json.loads(targets.read_text(encoding="utf-8"))
    plan["sessions"] = make_sessions(server.port, plan, args.sessions, env.get("BENCH_PASSWORD", DEMO_PASSWORD))
    targets.write_text(json.dumps(plan), encoding="utf-8")
    # The background job production runs every few minutes, here for the volunteers who just logged in.
    run([flask, "suggestions", "refresh", "--active-days", "0.02"], env, f"{kind} {scale}×: suggestions refresh")
    run([flask, "reports", "refresh"], env, f"{kind} {scale}×: report refresh")
    log(f"{kind} {scale}×: gunicorn up ({args.workers} workers × {args.threads} threads); warming up")
    locust(server, env, tmp, users=20, seconds=args.warmup_seconds, mode="mix", spawn_rate=20)  # first-use costs
    for page in PAGES:
        users = 1 if page == "report dashboard, year" else args.page_users
        load = locust(server, env, tmp, users=users, seconds=args.page_seconds, mode="page", page=page)
        row = load.rows.get(page)
        if row is not None:
            result.pages[page] = {**asdict(row), "error_rate": row.error_rate, "generator_cpu": load.generator_cpu,
                                  "app_cpu": load.app_cpu, "seconds": load.seconds, "replaced": load.replaced}
            log(f"  {page:28} {row.rps:7.1f} req/s  p50 {row.p50:6.0f}  p95 {row.p95:6.0f}  p99 {row.p99:6.0f} ms"
                f"  errors {row.error_rate:.1%}  app {1000 * load.app_cpu * load.seconds / max(1, row.requests):.1f} ms"
                f"/request  workers started {load.replaced}")
        else:
            result.missing.append(page)
            log(f"  {page:28} no request finished within the run (see locust.log)")
    # One staff member at a time, long enough for a few requests even when one takes seconds.
    dash = locust(server, env, tmp, users=1, seconds=max(args.page_seconds, 30), mode="page",
                  page="report dashboard, year")
    if "report dashboard, year" in dash.rows:
        result.dashboard_year = asdict(dash.rows["report dashboard, year"])
    log(f"{kind} {scale}×: the mix, {MIX_USERS} users for {args.mix_seconds} s")
    mix = locust(server, env, tmp, users=MIX_USERS, seconds=args.mix_seconds, mode="mix", spawn_rate=20)
    result.mix = {name: {**asdict(row), "error_rate": row.error_rate} for name, row in mix.rows.items()}
    result.mix_generator_cpu, result.mix_app_cpu = mix.generator_cpu, mix.app_cpu
    if "mix" in mix.rows:
        m = mix.rows["mix"]
        log(f"  mix {m.rps:.1f} req/s p50 {m.p50:.0f} p95 {m.p95:.0f} p99 {m.p99:.0f} ms errors {m.error_rate:.2%};"
            f" locust used {mix.generator_cpu:.2f} cores, the app {mix.app_cpu:.2f}")
    CLEANUP.pop("gunicorn")
    if (tmp / "locust.log").exists():
        shutil.copy(tmp / "locust.log", RESULTS / f"locust-{kind}-{scale}x.log")
    shutil.copy(Path(env["SAMEN_INSTANCE_PATH"]) / "gunicorn.log", RESULTS / f"gunicorn-{kind}-{scale}x.log")
    result.peak_rss_mb = sorted((rss / 2**20 for rss in server.peak_rss.values()), reverse=True)
    if kind == "postgresql":
        CLEANUP.pop("postgresql")
    CLEANUP.pop("temporary directory")
    return result


# -- the report -------------------------------------------------------------------------------------------------

def machine() -> dict[str, str]:
    import psutil

    cpuinfo = Path("/proc/cpuinfo").read_text(encoding="utf-8") if Path("/proc/cpuinfo").exists() else ""
    model = re.search(r"model name\s*:\s*(.+)", cpuinfo)
    nproc = subprocess.run(["nproc"], capture_output=True, text=True, check=False).stdout.strip()
    return {"cpu": model.group(1).strip() if model else platform.processor(), "nproc": nproc,
            "memory": f"{psutil.virtual_memory().total / 2**30:.1f} GiB",
            "load": " ".join(f"{x:.2f}" for x in os.getloadavg()), "python": platform.python_version(),
            "os": platform.platform()}


def ms(value: float) -> str:
    return f"{value:.0f}"


def budgets(results: list[Result]) -> list[tuple[str, str, bool | None, str]]:
    out: list[tuple[str, str, bool | None, str]] = []
    for r in results:
        where = f"{r.database} {r.scale}×"
        health = r.pages.get("health", {}).get("rps", 0.0)
        listing = r.pages.get("request list", {}).get("rps", 0.0)
        if health:
            ratio = listing / health
            out.append(("request list ≥ 0.5× /health", where, ratio >= BUDGET_LIST_RATIO, f"{ratio:.2f}×"))
            for logged_in, floor in ((False, BUDGET_LIST_RATIO), (True, BUDGET_LOGGED_IN_RATIO)):
                ratios = {page: row["rps"] / health for page, row in r.pages.items()
                          if page not in OWN_BUDGET and (page in LOGGED_IN) == logged_in}
                if ratios:
                    below = ", ".join(f"{page} {x:.2f}×" for page, x in sorted(ratios.items(), key=lambda i: i[1])
                                      if x < floor)
                    lowest = min(ratios, key=ratios.__getitem__)
                    out.append((f"every {'logged-in' if logged_in else 'public'} page ≥ {floor}× /health", where,
                                not below, below or f"lowest: {lowest} {ratios[lowest]:.2f}×"))
        m = r.mix.get("mix")
        if m:
            held = m["rps"] >= BUDGET_MIX_RPS and m["p95"] <= BUDGET_MIX_P95 and m["failures"] == 0
            out.append(("mix ≥ 300 req/s, p95 ≤ 100 ms, 0 errors at 200 users", where, held,
                        f"{m['rps']:.0f} req/s, p95 {m['p95']:.0f} ms, {m['failures']} errors"))
        if r.scale >= 100 and r.dashboard_year:
            p95 = r.dashboard_year["p95"] / 1000
            out.append(("a year's dashboard on 100× ≤ 1 s", where, p95 <= BUDGET_DASHBOARD_S,
                        f"p50 {r.dashboard_year['p50'] / 1000:.2f} s, p95 {p95:.2f} s"))
    by_db: dict[str, dict[int, Result]] = {}
    for r in results:
        by_db.setdefault(r.database, {})[r.scale] = r
    for database, scales in by_db.items():
        if 1 in scales and 100 in scales:
            worst = []
            for page in PAGES:
                small, big = scales[1].pages.get(page), scales[100].pages.get(page)
                if small and big and small["p95"]:
                    worst.append((big["p95"] / small["p95"], page))
            bad = sorted([w for w in worst if w[0] > BUDGET_GROWTH], reverse=True)
            detail = ", ".join(f"{page} {g:.1f}×" for g, page in bad) or (
                f"largest: {max(worst)[1]} {max(worst)[0]:.2f}×" if worst else "")
            out.append(("every page's p95 grows ≤ 1.5× from 1× to 100×", database, not bad, detail))
    return out


def write_report(results: list[Result], args: argparse.Namespace, facts: dict[str, str], notes: list[str],
                 target: Path, seconds: float) -> None:
    lines = [
        "# Performance",
        "",
        "Measured by `make bench` (bench/run.py, load from bench/locustfile.py). Regenerate with:",
        "",
        "```sh",
        f"make bench{'-quick' if args.quick else ''}    # = bench/.venv/bin/python bench/run.py "
        f"{' '.join(args.argv)}".rstrip(),
        "```",
        "",
        f"Run on {datetime.now(UTC).strftime('%Y-%m-%d %H:%M')} UTC, took {seconds / 60:.0f} minutes. "
        f"Machine: {facts['cpu']}, `nproc` = {facts['nproc']}, {facts['memory']} RAM, load average at the start "
        f"{facts['load']}; Python {facts['python']}; {facts['os']}.",
        "",
        f"The app runs as in production: gunicorn (gthread, {args.workers} workers × {args.threads} threads, "
        "gunicorn.conf.py), `SAMEN_ENV=production`, on 127.0.0.1. Each page alone: "
        f"{args.page_users} users without pause for {args.page_seconds} s (the year dashboard: 1 user). "
        f"The mix: {MIX_USERS} users, each pacing itself to {args.user_rate:g} requests/s "
        f"(offered ≈ {MIX_USERS * args.user_rate:.0f} req/s), for {args.mix_seconds} s after all have logged in. "
        "Latencies in ms. The load generator runs on the same machine and takes CPU from the app: its share is "
        "given per run.",
        "",
    ]
    lines += [f"> {note}" for note in notes]
    if notes:
        lines.append("")
    lines += ["## Budgets", "", "| budget | where | held | measured |", "|---|---|---|---|"]
    for name, where, held, detail in budgets(results):
        lines.append(f"| {name} | {where} | {'yes' if held else 'no' if held is not None else '—'} | {detail} |")
    lines += [
        "| SQL statements per list page do not grow with rows (no N+1) | `make test` | yes | "
        "tests/webapp/test_query_counts.py |",
        "| suggestions read stored features and area candidates, no all-pairs work in a page view | `make test` | "
        "yes | tests/webapp/test_query_counts.py, tests/webapp/suggestions/test_suggestions.py |",
        "",
    ]
    for r in results:
        health = r.pages.get("health", {}).get("rps", 0.0) or 1.0
        lines += [f"## {r.database}, {r.scale}× demo data", "",
                  f"Seeding took {r.seed_seconds:.0f} s. {r.counts}", "",
                  "App CPU is the gunicorn processes' CPU time per request answered; workers started: how many "
                  "gunicorn workers were replaced during the page's run.", "",
                  "| page | req/s | × /health | p50 | p95 | p99 | errors | app CPU ms | load generator cores "
                  "| workers started |", "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for page in PAGES:
            p = r.pages.get(page)
            if p:
                answered = p.get("requests", 0)
                per_request = f"{1000 * p['app_cpu'] * p['seconds'] / answered:.1f}" if answered and "app_cpu" in p \
                    else "—"
                lines.append(f"| {page} | {p['rps']:.1f} | {p['rps'] / health:.2f} | {ms(p['p50'])} | {ms(p['p95'])} | "
                             f"{ms(p['p99'])} | {p['error_rate']:.1%} | {per_request} | "
                             f"{p.get('generator_cpu', 0.0):.2f} | {p.get('replaced', 0)} |")
        if r.missing:
            lines += ["", "No request finished within the run for: " + ", ".join(r.missing) + "."]
        if r.dashboard_year:
            d = r.dashboard_year
            lines += ["", f"A year's report dashboard, one user at a time: p50 {d['p50'] / 1000:.2f} s, "
                          f"p95 {d['p95'] / 1000:.2f} s, p99 {d['p99'] / 1000:.2f} s ({d['requests']} requests)."]
        lines += ["", f"The mix ({MIX_USERS} users): the load generator used {r.mix_generator_cpu:.2f} cores, "
                      f"the app {r.mix_app_cpu:.2f} cores.", "",
                  "| request | req/s | p50 | p95 | p99 | errors |", "|---|---:|---:|---:|---:|---:|"]
        for name, p in sorted(r.mix.items(), key=lambda kv: (kv[0] == "mix", kv[0])):
            label = "**the whole mix**" if name == "mix" else name
            lines.append(f"| {label} | {p['rps']:.1f} | {ms(p['p50'])} | {ms(p['p95'])} | {ms(p['p99'])} | "
                         f"{p['error_rate']:.2%} |")
        lines += ["", "Peak memory per gunicorn worker (RSS): "
                  + ", ".join(f"{mb:.0f} MB" for mb in r.peak_rss_mb) + ".", ""]
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (RESULTS / (target.stem + ".json")).write_text(
        json.dumps({"machine": facts, "results": [asdict(r) for r in results]}, indent=1), encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="1× SQLite only, short runs (for development)")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--scales", default="1,100")
    parser.add_argument("--page-seconds", type=int, default=10)
    parser.add_argument("--page-users", type=int, default=16)
    parser.add_argument("--mix-seconds", type=int, default=60)
    parser.add_argument("--sessions", type=int, default=10, help="accounts logged in per role")
    parser.add_argument("--warmup-seconds", type=int, default=10)
    parser.add_argument("--user-rate", type=float, default=1.6, help="requests/s per user in the mix")
    parser.add_argument("--workers", type=int, default=int(os.environ.get("GUNICORN_WORKERS") or 3))
    parser.add_argument("--threads", type=int, default=int(os.environ.get("GUNICORN_THREADS") or 8))
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--note", action="append", default=[], help="a line for the report (repeatable)")
    args = parser.parse_args()
    args.argv = sys.argv[1:]
    if args.quick:
        args.databases, args.scales = "sqlite", "1"
        args.page_seconds, args.mix_seconds = min(args.page_seconds, 4), min(args.mix_seconds, 20)
    target = args.out or (RESULTS / "quick.md" if args.quick else ROOT / "PERFORMANCE.md")
    RESULTS.mkdir(parents=True, exist_ok=True)
    notes = list(args.note)
    databases = [d.strip() for d in args.databases.split(",") if d.strip()]
    if "postgresql" in databases and not postgres_available():
        databases.remove("postgresql")
        notes.append("PostgreSQL is not installed on this machine (no /usr/lib/postgresql/*/bin/initdb), so only "
                     "SQLite was measured. `apt-get install -y postgresql` and run `make bench` again.")
        log(notes[-1])
    signal.signal(signal.SIGTERM, _terminate)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # also when started in the background
    facts = machine()
    started = time.monotonic()
    results: list[Result] = []
    try:
        for kind in databases:
            for scale in [int(s) for s in args.scales.split(",")]:
                results.append(measure(kind, scale, args))
                write_report(results, args, facts, notes, target, time.monotonic() - started)
    except KeyboardInterrupt:
        log("interrupted; stopping what was started")
        return 130
    finally:
        CLEANUP.run_all()
    log(f"done in {(time.monotonic() - started) / 60:.1f} minutes; written to {target}")
    print(target.read_text(encoding="utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
