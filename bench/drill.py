"""`make drill`: faults under load, and what was lost (it must be nothing).

Samen runs as in production (gunicorn, `SAMEN_ENV=production`) on a throwaway PostgreSQL with the demo data, sending
e-mail to an SMTP server of the drill's own. Residents post requests and volunteers respond, as fast as they can,
through the real forms (logged in, with CSRF tokens); a person whose click fails presses "Try again" (or reloads
the page and sends it again) until it works. Meanwhile, one after the other: the mail server is killed and started
again, PostgreSQL is killed (no checkpoint) and started again, PostgreSQL is frozen (SIGSTOP: it accepts
connections and never answers) and thawed, and gunicorn workers are killed (SIGKILL); gunicorn also replaces its
workers every few hundred requests (GUNICORN_MAX_REQUESTS). Then the drill waits for the outbox to empty and counts:

- every request and response whose sender was told "saved" (a redirect to its page) is in the database;
- every e-mail the app queued reached the mail server;
- how each fault looked to the people clicking: 503 pages (and how fast), connections dropped, and any other error.

    .venv/bin/python -m bench.drill            # 4-6 minutes; writes bench/results/drill.md and prints it

Everything it starts it stops again, also on Ctrl-C or an error. Needs PostgreSQL (apt-get install postgresql).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from sqlalchemy import create_engine, text

from bench.run import (
    CLEANUP,
    CSRF_RE,
    DEMO_PASSWORD,
    ROOT,
    _terminate,
    free_port,
    log,
    log_in,
    postgres_available,
    run,
)

APP_BIN = Path(sys.executable).parent  # the venv that runs the drill has the app (gunicorn, flask)
PG = ROOT / "scripts" / "pg-throwaway.sh"
RESULTS = ROOT / "bench" / "results"
REQUEST_ID_RE = re.compile(r'href="/vragen/([A-Za-z0-9_-]{8,20})"')
ANSWER_TIMEOUT = 30.0
RETRY_FOR = 180.0  # a person keeps pressing "Try again" this long before giving up (reported as not saved)
DESCRIPTIONS = (
    "Ik zoek iemand die mijn boodschappen van de markt naar huis wil brengen.",
    "Wie kan mij helpen met het invullen van een formulier van de gemeente?",
    "Mijn fiets heeft een lekke band; wie wil die met mij plakken op zaterdag?",
    "Ik wil graag een keer samen wandelen in het park, ik loop met een rollator.",
    "Wie helpt mij de nieuwe lamp in de woonkamer op te hangen?",
    "Kan iemand mijn kat eten geven als ik in het ziekenhuis lig?",
    "Ik zoek hulp bij het opruimen van de schuur, er staan zware dozen.",
    "Wie wil mij leren videobellen met mijn kleinkinderen op de tablet?",
)


# -- what the people clicking saw ---------------------------------------------------------------------------------

@dataclass
class Answer:
    phase: str
    action: str
    outcome: str  # "ok", "503", "connection", "timeout", or another status
    seconds: float


@dataclass
class Record:
    answers: list[Answer] = field(default_factory=list)
    requests_saved: dict[str, str] = field(default_factory=dict)  # title -> phase in which the person was told

    requests_given_up: list[str] = field(default_factory=list)
    responses_saved: dict[str, str] = field(default_factory=dict)  # message -> phase in which the person was told
    responses_given_up: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    phase: str = "start"

    def add(self, action: str, outcome: str, seconds: float) -> None:
        with self.lock:
            self.answers.append(Answer(self.phase, action, outcome, seconds))


class Browser:
    """One person's browser: a kept-alive connection, cookies, and the answer of each click."""

    def __init__(self, port: int, cookies: dict[str, str], record: Record) -> None:
        self.port, self.cookies, self.record = port, dict(cookies), record
        self.connection: http.client.HTTPConnection | None = None

    def _cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def send(self, action: str, method: str, path: str, form: dict[str, Any] | None = None,
             ) -> tuple[str, int, dict[str, str], str]:
        """(outcome, status, headers, body). Never raises: a dropped connection is an outcome too."""
        body = urllib.parse.urlencode(form or {}, doseq=True) if form is not None else None
        headers = {"Cookie": self._cookie_header(), "Accept-Language": "nl"}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.monotonic()
        try:
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=ANSWER_TIMEOUT)
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            text_ = response.read().decode("utf-8", "replace")
        except TimeoutError:
            self._reset()
            self.record.add(action, "timeout", time.monotonic() - started)
            return "timeout", 0, {}, ""
        except (OSError, http.client.HTTPException):
            self._reset()
            self.record.add(action, "connection", time.monotonic() - started)
            return "connection", 0, {}, ""
        for value in response.headers.get_all("Set-Cookie") or []:
            name, _sep, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        if response.headers.get("Connection", "").lower() == "close":
            self._reset()
        status = response.status
        outcome = "ok" if status < 400 else str(status)
        self.record.add(action, outcome, time.monotonic() - started)
        return outcome, status, dict(response.headers), text_

    def _reset(self) -> None:
        if self.connection is not None:
            self.connection.close()
        self.connection = None

    def token(self, action: str, path: str) -> tuple[str | None, str]:
        outcome, _status, _headers, page = self.send(action, "GET", path)
        found = CSRF_RE.search(page) if outcome == "ok" else None
        return (found.group(1) or found.group(2)) if found else None, page


def keep_trying(attempt: Any) -> bool:
    """Press again until it works (a person on a 503 page, or after a dropped connection), for RETRY_FOR seconds;
    also after the drill stopped the load, so nobody gives up only because the drill ended."""
    deadline = time.monotonic() + RETRY_FOR
    while time.monotonic() < deadline:
        if attempt():
            return True
        time.sleep(random.uniform(1.0, 2.5))
    return False


def resident(browser: Browser, record: Record, stop: threading.Event, who: int) -> None:
    n = 0
    while not stop.is_set():
        n += 1
        title = f"Drill {who}-{n} {secrets.token_hex(3)}"
        form = {"title": title, "description": f"{DESCRIPTIONS[(who + n) % len(DESCRIPTIONS)]} ({title})",
                "category": "groceries", "postcode": "2012 AB", "slots": ["wed-morning"], "languages": ["nl"],
                "frequency": "once"}

        def post(form: dict[str, Any] = form, title: str = title) -> bool:
            token, _page = browser.token("new request form", "/vragen/nieuw")
            if token is None:
                return False
            _outcome, status, headers, _ = browser.send("post a request", "POST", "/vragen/nieuw",
                                                       {**form, "csrf_token": token})
            location = headers.get("Location", "")
            if status == 302 and re.search(r"/vragen/[A-Za-z0-9_-]+$", location):
                with record.lock:
                    record.requests_saved[title] = record.phase
                return True
            return False

        if not keep_trying(post):
            record.requests_given_up.append(title)
        time.sleep(random.uniform(0.2, 0.6))


def volunteer(browser: Browser, record: Record, stop: threading.Event, who: int) -> None:
    done: set[str] = set()
    n = 0
    while not stop.is_set():
        outcome, _status, _headers, page = browser.send("request list", "GET", "/vragen/")
        choices = [i for i in dict.fromkeys(REQUEST_ID_RE.findall(page)) if i not in done] if outcome == "ok" else []
        if not choices:
            time.sleep(1.0)
            continue
        public_id = random.choice(choices[:10])
        n += 1
        message = f"Ik kan helpen, groet van vrijwilliger {who} (drill-{who}-{n}-{secrets.token_hex(3)})"

        def respond(public_id: str = public_id, message: str = message) -> bool:
            token, _page = browser.token("request page", f"/vragen/{public_id}")
            if token is None:
                return False
            _outcome, status, headers, _ = browser.send("respond", "POST", f"/vragen/{public_id}/reageren",
                                                        {"message": message, "csrf_token": token})
            if status == 302 and headers.get("Location", "").endswith(f"/vragen/{public_id}"):
                with record.lock:
                    record.responses_saved[message] = record.phase
                return True
            return status == 302  # matched meanwhile: told politely, nothing to save

        done.add(public_id)
        if not keep_trying(respond):
            record.responses_given_up.append(message)
        time.sleep(random.uniform(0.2, 0.6))


# -- the mail server ----------------------------------------------------------------------------------------------

class Inbox:
    """What reached the mail server, by Message-ID (the outbox keeps one per mail over every try)."""

    def __init__(self) -> None:
        self.received: Counter[str] = Counter()  # Message-ID -> times received
        self.lock = threading.Lock()

    async def handle_DATA(self, server: object, session: object, envelope: Any) -> str:
        found = re.search(rb"^Message-ID:\s*(\S+)", envelope.content, re.M | re.I)
        with self.lock:
            self.received[found.group(1).decode() if found else f"<no id {secrets.token_hex(8)}>"] += 1
        return "250 Message accepted"


class MailServer:
    def __init__(self, inbox: Inbox, port: int) -> None:
        self.inbox, self.port = inbox, port
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def kill(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


# -- gunicorn -----------------------------------------------------------------------------------------------------

class Gunicorn:
    def __init__(self, env: dict[str, str], port: int, log_path: Path) -> None:
        self.port = port
        self.process = subprocess.Popen(
            [str(APP_BIN / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py")],
            env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}"}, cwd=ROOT, start_new_session=True,
            stdout=subprocess.DEVNULL, stderr=log_path.open("w"))
        CLEANUP.push("gunicorn", self.stop)

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("gunicorn exited; see its log")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/health/ready", timeout=3) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("gunicorn did not become ready within a minute")

    def workers(self) -> list[int]:
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid:
                found.append(int(stat.parent.name))
        return found

    def kill_worker(self) -> int | None:
        workers = self.workers()
        if not workers:
            return None
        victim = random.choice(workers)
        os.kill(victim, signal.SIGKILL)
        return victim

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


# -- the drill ----------------------------------------------------------------------------------------------------

def pg(command: str, pg_dir: str) -> None:
    subprocess.run([str(PG), command, pg_dir], check=True, capture_output=True, timeout=120)


def start_postgres() -> tuple[str, str]:
    """A cluster with fsync and synchronous commit on, as in production: the throwaway cluster of the tests runs
    without them (fast), and then a crash loses the last commits by design."""
    out = subprocess.run([str(PG), "start"], capture_output=True, text=True, check=True,
                         env={**os.environ, "SAMEN_PG_DURABLE": "1"}).stdout
    values = dict(re.findall(r"export (\w+)=(\S+)", out))
    pg_dir = values["SAMEN_PG_DIR"]
    CLEANUP.push("postgresql", lambda: (subprocess.run([str(PG), "thaw", pg_dir], check=False, capture_output=True),
                                        subprocess.run([str(PG), "stop", pg_dir], check=False, capture_output=True)))
    return values["TEST_DATABASE_URL"], pg_dir


@dataclass
class Lost:
    requests: list[str]
    responses: list[str]
    mails_unsent: int
    mails_not_received: int
    twice: dict[str, int]

    @property
    def total(self) -> int:
        return len(self.requests) + len(self.responses) + self.mails_unsent + self.mails_not_received


def count(url: str, record: Record, inbox: Inbox, since: datetime) -> tuple[Lost, dict[str, int]]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            titles = Counter(dict(connection.execute(text(
                "SELECT title, count(*) FROM help_requests WHERE title LIKE 'Drill %' GROUP BY title")).all()))
            messages = Counter(dict(connection.execute(text(
                "SELECT message, count(*) FROM responses WHERE message LIKE '%(drill-%' GROUP BY message")).all()))
            mails = connection.execute(text(
                "SELECT count(*), count(sent_at), count(failed_at), coalesce(sum(attempts), 0) FROM mail_outbox "
                "WHERE created_at >= :since"), {"since": since.replace(tzinfo=None)}).one()
    finally:
        engine.dispose()
    queued, sent, given_up, attempts = (int(v) for v in mails)
    received = sum(inbox.received.values())
    twice = {"requests stored twice (a retry after a dropped answer)": sum(1 for c in titles.values() if c > 1),
             "responses stored twice": sum(1 for c in messages.values() if c > 1),
             "e-mails received twice": sum(1 for c in inbox.received.values() if c > 1)}
    lost = Lost(requests=[t for t in record.requests_saved if titles[t] == 0],
                responses=[m for m in record.responses_saved if messages[m] == 0],
                mails_unsent=queued - sent, mails_not_received=max(0, sent - len(inbox.received)), twice=twice)
    facts = {"requests told saved": len(record.requests_saved), "requests in the database": sum(titles.values()),
             "responses told saved": len(record.responses_saved),
             "responses in the database": sum(messages.values()), "e-mails queued": queued, "e-mails sent": sent,
             "e-mails given up": given_up, "sending attempts": attempts, "e-mails received": received,
             "requests given up by the person": len(record.requests_given_up),
             "responses given up by the person": len(record.responses_given_up)}
    return lost, facts


def wait_for_outbox(url: str, since: datetime, seconds: float) -> float:
    engine = create_engine(url)
    started = time.monotonic()
    try:
        while time.monotonic() - started < seconds:
            with engine.connect() as connection:
                waiting = connection.execute(text(
                    "SELECT count(*) FROM mail_outbox WHERE sent_at IS NULL AND failed_at IS NULL "
                    "AND created_at >= :since"), {"since": since.replace(tzinfo=None)}).scalar_one()
            if not waiting:
                break
            time.sleep(2)
    finally:
        engine.dispose()
    return time.monotonic() - started


def phase_table(record: Record, order: list[str]) -> list[str]:
    by_phase: dict[str, list[Answer]] = defaultdict(list)
    for answer in record.answers:
        by_phase[answer.phase].append(answer)
    lines = ["| phase | clicks | ok | 503 page | connection dropped | timed out | other error | p50 ok | p95 ok | "
             "slowest 503 |", "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for name in order:
        answers = by_phase.get(name, [])
        outcomes = Counter(a.outcome for a in answers)
        ok = sorted(a.seconds for a in answers if a.outcome == "ok")
        unavailable = [a.seconds for a in answers if a.outcome == "503"]
        other = sum(v for k, v in outcomes.items() if k not in ("ok", "503", "connection", "timeout"))
        p50 = f"{statistics.median(ok) * 1000:.0f} ms" if ok else "—"
        p95 = f"{ok[int(0.95 * (len(ok) - 1))] * 1000:.0f} ms" if ok else "—"
        slowest = f"{max(unavailable):.1f} s" if unavailable else "—"
        lines.append(f"| {name} | {len(answers)} | {outcomes['ok']} | {outcomes['503']} | {outcomes['connection']} | "
                     f"{outcomes['timeout']} | {other} | {p50} | {p95} | {slowest} |")
    others = Counter(f"{a.outcome} on {a.action} ({a.phase})" for a in record.answers
                     if a.outcome not in ("ok", "503", "connection", "timeout"))
    if others:
        lines += ["", "Other errors: " + "; ".join(f"{n}× {what}" for what, n in others.most_common())]
    return lines


def drill(args: argparse.Namespace) -> int:
    started_at = datetime.now(UTC)
    tmp = Path(tempfile.mkdtemp(prefix="samen-drill-"))
    CLEANUP.push("temporary directory", lambda: shutil.rmtree(tmp, ignore_errors=True))
    url, pg_dir = start_postgres()
    instance = tmp / "instance"
    instance.mkdir()
    inbox = Inbox()
    mail = MailServer(inbox, free_port())
    mail.start()
    CLEANUP.push("mail server", mail.kill)
    env = {**os.environ, "SAMEN_ENV": "production", "SECRET_KEY": secrets.token_hex(32), "DATABASE_URL": url,
           "PRIVACY_CONTROLLER": "Samen drill", "PRIVACY_CONTACT_EMAIL": "privacy@samen.local",
           "SAMEN_INSTANCE_PATH": str(instance), "FLASK_APP": "webapp", "RATELIMIT_ENABLED": "false",
           "PYTHONDONTWRITEBYTECODE": "1", "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(mail.port),
           "MAIL_SITE_URL": "https://samen.example", "GUNICORN_WORKERS": str(args.workers), "GUNICORN_THREADS": "8",
           "GUNICORN_MAX_REQUESTS": str(args.max_requests), "PAGE_CACHE_SECONDS": "0"}
    flask = str(APP_BIN / "flask")
    run([flask, "db", "upgrade"], env, "migrations")
    run([flask, "reference", "load"], env, "reference data")
    run([flask, "demo", "seed", "--allow-production"], env, "demo seed")
    emails = run([str(APP_BIN / "python"), "-m", "bench.targets"], env, "accounts")
    targets = json.loads(emails)
    server = Gunicorn(env, free_port(), tmp / "gunicorn.log")
    server.wait_ready()
    log(f"gunicorn up ({args.workers} workers × 8 threads, a worker replaced every ~{args.max_requests} requests)")

    record = Record()
    stop = threading.Event()
    people: list[threading.Thread] = []
    for role, worker, accounts in (("residents", resident, targets["residents"]),
                                   ("volunteers", volunteer, targets["volunteers"])):
        for who, email in enumerate(accounts[:args.people]):
            cookies = log_in(server.port, email, DEMO_PASSWORD)
            if cookies is None:
                raise RuntimeError(f"could not log in {email} ({role})")
            browser = Browser(server.port, cookies, record)
            people.append(threading.Thread(target=worker, args=(browser, record, stop, who), daemon=True))
    since = datetime.now(UTC)
    for person in people:
        person.start()
    log(f"{len(people)} people clicking")

    order: list[str] = []

    def phase(name: str, seconds: float, fault: Any = None) -> Any:
        """Label the clicks from now on, then cause the fault (so the clicks it hits count in its phase)."""
        order.append(name)
        record.phase = name
        log(f"phase: {name} ({seconds:.0f} s)")
        done = fault() if fault is not None else None
        time.sleep(seconds)
        return done

    s = args.phase_seconds
    phase("steady load", s)
    phase("mail server killed", s, mail.kill)
    phase("mail server back", s / 2, mail.start)
    phase("PostgreSQL killed", s / 2, lambda: pg("crash", pg_dir))
    phase("PostgreSQL restarted", s / 2, lambda: pg("resume", pg_dir))
    phase("PostgreSQL frozen", 25, lambda: pg("freeze", pg_dir))
    phase("PostgreSQL thawed", s / 2, lambda: pg("thaw", pg_dir))
    victims = [phase("a worker killed", s / 2, server.kill_worker)]
    victims.append(phase("another worker killed", s / 2, server.kill_worker))
    record.phase = "after the load (people finishing a retry)"
    order.append(record.phase)
    stop.set()
    for person in people:
        person.join(RETRY_FOR)
    log(f"load stopped; killed workers {victims}; waiting for the outbox to empty")
    drained = wait_for_outbox(url, since, args.drain_seconds)
    lost, facts = count(url, record, inbox, since)
    server.stop()
    CLEANUP.pop("gunicorn")
    recycled = (tmp / "gunicorn.log").read_text(errors="replace").count("Autorestarting worker")
    booted = (tmp / "gunicorn.log").read_text(errors="replace").count("Booting worker")

    minutes = (datetime.now(UTC) - started_at).total_seconds() / 60
    command = f'make drill DRILL_ARGS="{args.argv}"' if args.argv else "make drill"
    lines = [
        "```",
        f"$ {command}",
        f"Fault drill, {started_at.strftime('%Y-%m-%d %H:%M')} UTC, {minutes:.1f} minutes; gunicorn {args.workers} "
        f"workers × 8 threads (a worker replaced after ~{args.max_requests} requests: {recycled} replaced, "
        f"{booted} started in all), PostgreSQL on loopback, {len(people)} people clicking without pause.",
        "",
        *phase_table(record, order),
        "",
        *(f"{name}: {value}" for name, value in facts.items()),
        f"outbox empty {drained:.0f} s after the load stopped",
        *(f"{name}: {value}" for name, value in lost.twice.items()),
        "",
        *(f"lost: {kind} {item!r}, told saved during '{phase}'" for kind, items, told in (
            ("request", lost.requests, record.requests_saved), ("response", lost.responses, record.responses_saved))
          for item in items for phase in [told[item]]),
        f"LOST: {len(lost.requests)} requests, {len(lost.responses)} responses, {lost.mails_unsent} e-mails never "
        f"sent, {lost.mails_not_received} e-mails sent but not received. Total lost: {lost.total}",
        "```",
    ]
    report = "\n".join(lines) + "\n"
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "drill.md").write_text(report, encoding="utf-8")
    shutil.copy(tmp / "gunicorn.log", RESULTS / "drill-gunicorn.log")
    print(report)
    return 0 if lost.total == 0 else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=8, help="residents and as many volunteers")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--max-requests", type=int, default=300)
    parser.add_argument("--phase-seconds", type=float, default=30)
    parser.add_argument("--drain-seconds", type=float, default=330, help="how long to wait for the outbox")
    args = parser.parse_args()
    args.argv = " ".join(sys.argv[1:])
    if not postgres_available():
        log("PostgreSQL is not installed (apt-get install -y postgresql): the drill needs it")
        return 2
    signal.signal(signal.SIGTERM, _terminate)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        return drill(args)
    except KeyboardInterrupt:
        log("interrupted; stopping what was started")
        return 130
    finally:
        CLEANUP.run_all()


if __name__ == "__main__":
    sys.exit(main())
