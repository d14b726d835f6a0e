"""`make audit`: bandit, sqlmap against the app on loopback, and the CSRF sweep; results go into SECURITY.md.

    .venv/bin/python scripts/audit.py              # everything (about 10-20 minutes on 2 cores)
    .venv/bin/python scripts/audit.py --no-sqlmap  # bandit and the CSRF sweep only (a minute)

The results replace the text between the AUDIT markers in SECURITY.md. The exit status is 1 when bandit reports
a high-severity issue, sqlmap finds anything injectable, or the CSRF sweep fails.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import platform
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pyotp

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
SECURITY_MD = ROOT / "SECURITY.md"
BEGIN, END = "<!-- AUDIT:BEGIN (written by make audit; do not edit by hand) -->", "<!-- AUDIT:END -->"

# sqlmap: what it tests and how hard. Level 1 tests every GET and POST parameter (level 2 would add cookies: the
# only cookie is the signed session); risk 1 leaves out heavy OR-based and stacked queries that could damage data.
SQLMAP_ARGS = ["--batch", "--level=1", "--risk=1", "--dbms=SQLite", "--threads=2", "--disable-coloring",
               "--drop-set-cookie", "--flush-session"]
CRAWL_EXCLUDE = "--crawl-exclude=uitloggen|/static/|sw\\.js|\\.ics|afmelden"
# Demo accounts (webapp/demo): who sqlmap logs in as, and where its crawl starts.
ACCOUNTS = (("anonymous", None, "/"),
            ("resident", "inwoner@demo.samen.nl", "/mijn"),
            ("volunteer", "vrijwilliger@demo.samen.nl", "/aanbevolen/"),
            ("organiser", "organisator@demo.samen.nl", "/initiatieven/"),
            ("staff", "consulent@demo.samen.nl", "/werkruimte/"),
            ("admin", "beheer@demo.samen.nl", "/werkruimte/logboek"))
DEMO_PASSWORD = "demo-wachtwoord-2026"  # noqa: S105 - the published demo password (README)
# Staff and admins log in in two steps: after the password, the code of their authenticator app. The demo staff
# accounts share this published secret (README). A code is accepted once per person per 30-second step.
DEMO_TOTP_SECRET = "SAMENDEMOHAARLEMTOTPSECRET234567"  # noqa: S105 - published for the demo staff accounts
CODE_PATH, SETUP_PATH = "/inloggen/code", "/inloggen/app-koppelen"
CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')
# sqlmap's words for a finding. "do not appear to be injectable" is the all-clear and does not match.
FINDING_RE = re.compile(r"identified the following injection point|parameter '[^']+' is vulnerable|"
                        r"appears to be '[^']+' injectable|might be vulnerable to cross-site scripting", re.IGNORECASE)
# A heuristic hint only: sqlmap then runs the full tests on that parameter. A hint whose full tests end in
# "does not seem to be injectable" is listed as a note, any other counts as a finding.
HINT_RE = re.compile(r"heuristic \(basic\) test shows that \w+ parameter '([^']+)' might be injectable")
TESTED_RE = re.compile(r"testing (?:URL|if \w+ parameter) '?([^'\s]+)", re.IGNORECASE)
PARAM_RE = re.compile(r"(?:GET|POST|URI) parameter '([^']+)'")


@dataclass
class Result:
    name: str
    ok: bool
    summary: str
    details: list[str] = field(default_factory=list)


def run(cmd: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    # Fixed commands of this script, never a shell, never user input.
    return subprocess.run(cmd, capture_output=True, text=True, check=False, **kwargs)  # type: ignore[call-overload]


# -- bandit -----------------------------------------------------------------------------------------------------------

def bandit() -> Result:
    done = run([str(VENV_BIN / "bandit"), "-r", "webapp", "matching", "-f", "json", "-q"], cwd=ROOT)
    report = json.loads(done.stdout)
    issues = report["results"]
    by = {s: [i for i in issues if i["issue_severity"] == s] for s in ("HIGH", "MEDIUM", "LOW")}
    version = run([str(VENV_BIN / "bandit"), "--version"]).stdout.split()[1]
    details = [f"{i['issue_severity'].lower()} {i['test_id']} {i['filename']}:{i['line_number']} {i['issue_text']}"
               for i in by["HIGH"] + by["MEDIUM"]]
    low_ids: dict[str, int] = {}
    for issue in by["LOW"]:
        low_ids[issue["test_id"]] = low_ids.get(issue["test_id"], 0) + 1
    details.append("low: " + ", ".join(f"{k} ×{v}" for k, v in sorted(low_ids.items())))
    return Result(f"bandit {version} (`bandit -r webapp matching`)", not by["HIGH"],
                  f"{len(by['HIGH'])} high, {len(by['MEDIUM'])} medium, {len(by['LOW'])} low", details)


# -- the app on loopback ----------------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve(port: int) -> None:
    """Run the app (called in a child process). CSRF is off here so that sqlmap's requests reach the form
    handlers; the CSRF sweep proves separately that every POST needs a token."""
    sys.path.insert(0, str(ROOT))
    from werkzeug.serving import run_simple

    from webapp import create_app

    app = create_app({"WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False})
    run_simple("127.0.0.1", port, app, threaded=True)


def start_app(instance: Path) -> tuple[subprocess.Popen[bytes], str, dict[str, str]]:
    env = {**os.environ, "SAMEN_INSTANCE_PATH": str(instance), "DATABASE_URL": f"sqlite:///{instance / 'samen.db'}",
           "SECRET_KEY": secrets.token_urlsafe(32), "FLASK_APP": "webapp", "MAIL_OUTBOX_DIR": str(instance / "out"),
           # Cheap password hashing, as in the tests: sqlmap sends thousands of logins, each would cost 64 MB.
           "ARGON2_TIME_COST": "1", "ARGON2_MEMORY_COST": "1024",
           # sqlmap sends thousands of requests from one address, logins and forms among them.
           "RATELIMIT_ENABLED": "false"}
    flask = str(VENV_BIN / "flask")
    for step in (["db", "upgrade"], ["reference", "load"], ["demo", "seed"]):
        done = run([flask, *step], cwd=ROOT, env=env)
        if done.returncode:
            raise SystemExit(f"flask {' '.join(step)} failed:\n{done.stderr[-2000:]}")
    port = free_port()
    process = subprocess.Popen([sys.executable, __file__, "serve", str(port)], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=open(instance / "server.log", "wb"))  # noqa: SIM115
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):  # importing scikit-learn on a busy machine can take a minute
        if process.poll() is not None:
            break
        try:
            urllib.request.urlopen(f"{base}/health", timeout=2)
            return process, base, env
        except OSError:
            time.sleep(0.5)
    process.terminate()
    raise SystemExit(f"the app did not start; see {instance / 'server.log'}")


def session_cookie(base: str, email: str) -> str:
    """Log in as a demo account as a browser would (staff and admins with the code of the demo authenticator app)
    and return the session cookie for sqlmap."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    landed = post_form(opener, f"{base}/inloggen", {"email": email, "password": DEMO_PASSWORD})
    if landed == SETUP_PATH:
        raise SystemExit(f"{email} has no authenticator app set up; was the demo seeded (flask demo seed)?")
    if landed == CODE_PATH:
        landed = second_step(opener, base, email)
    check = opener.open(f"{base}/mijn", timeout=30)
    if landed.startswith("/inloggen") or urllib.parse.urlsplit(check.geturl()).path.startswith("/inloggen"):
        raise SystemExit(f"could not log in as {email} (ended on {landed})")
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def post_form(opener: urllib.request.OpenerDirector, url: str, fields: dict[str, str]) -> str:
    """Open the form page (for its CSRF token; the audit app does not check it, a browser sends it anyway), post
    the form, follow the redirects; the path it ends on."""
    page = opener.open(url, timeout=30).read().decode("utf-8", "replace")
    found = CSRF_RE.search(page)
    if found:
        fields = {**fields, "csrf_token": found.group(1) or found.group(2)}
    answer = opener.open(url, data=urllib.parse.urlencode(fields).encode(), timeout=30)
    answer.read()
    return urllib.parse.urlsplit(answer.geturl()).path


def second_step(opener: urllib.request.OpenerDirector, base: str, email: str) -> str:
    """Type the current code of the demo authenticator app. When the app refuses it (this person used the code of
    this 30-second step already, or the clock is at a step's edge), wait for the next step and type that one."""
    for _attempt in range(3):
        landed = post_form(opener, base + CODE_PATH, {"code": pyotp.TOTP(DEMO_TOTP_SECRET).now()})
        if landed != CODE_PATH:
            return landed
        time.sleep(30 - time.time() % 30 + 1)
    raise SystemExit(f"the code of the demo authenticator app was refused three times for {email}")


def demo_ids(env: dict[str, str]) -> dict[str, str]:
    """Public ids of a few demo objects anyone may open, for sqlmap runs on URL path parameters."""
    code = ("from sqlalchemy import select\nfrom webapp import create_app\nfrom webapp.core.extensions import db\n"
            "from webapp.asks.models import HelpRequest\nfrom webapp.offers.models import Offer\n"
            "from webapp.initiatives.models import Initiative\nfrom webapp.accounts.models import User\n"
            "with create_app().app_context():\n"
            "    one = lambda m, *w: db.session.execute(select(m.public_id).where(*w).limit(1)).scalar_one()\n"
            "    print(one(HelpRequest, HelpRequest.status == 'open', HelpRequest.moderation == 'ok',\n"
            "              HelpRequest.needs_screening.is_(False), HelpRequest.offer_id.is_(None)),\n"
            "          one(Offer, Offer.status == 'open', Offer.moderation == 'ok'), one(Initiative), one(User))\n")
    done = run([sys.executable, "-c", code], cwd=ROOT, env=env)
    request, offer, initiative, person = done.stdout.split()[-4:]
    return {"request": request, "offer": offer, "initiative": initiative, "person": person}


# -- sqlmap -----------------------------------------------------------------------------------------------------------

def ensure_sqlmap() -> str | None:
    found = shutil.which("sqlmap")
    if found:
        return found
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        run(["apt-get", "install", "-y", "sqlmap"])
        return shutil.which("sqlmap")
    print("sqlmap is missing: install it with `sudo apt-get install -y sqlmap` (Debian package) and run again.")
    return None


def sqlmap_run(sqlmap: str, name: str, args: list[str], out: Path) -> tuple[list[str], set[str], str]:
    started = time.monotonic()
    done = run([sqlmap, *SQLMAP_ARGS, f"--output-dir={out / name}", *args], cwd=out)
    log = done.stdout + done.stderr
    (out / f"{name}.txt").write_text(log)
    findings = sorted({line.strip() for line in log.splitlines() if FINDING_RE.search(line)})
    notes = []
    for param in sorted(set(HINT_RE.findall(log))):
        if f"parameter '{param}' does not seem to be injectable" in log:
            notes.append(f"heuristic hint on '{param}', full tests negative")
        else:
            findings.append(f"heuristic hint on '{param}' not cleared by the full tests")
    params = set(PARAM_RE.findall(log))
    return findings, params, f"{time.monotonic() - started:.0f} s" + (f"; {'; '.join(notes)}" if notes else "")


def sqlmap_scan(out: Path) -> Result:
    sqlmap = ensure_sqlmap()
    if sqlmap is None:
        return Result("sqlmap", False, "not installed")
    version = run([sqlmap, "--version"]).stdout.strip().splitlines()[0]
    instance = Path(tempfile.mkdtemp(prefix="samen-audit-"))
    process, base, env = start_app(instance)
    details, all_findings, all_params = [], [], set()
    try:
        ids = demo_ids(env)
        for role, email, start in ACCOUNTS:
            cookie = [f"--cookie={session_cookie(base, email)}"] if email else []
            # 1. crawl from the role's start page, testing every form and every GET parameter found.
            runs = [(f"{role}-crawl", ["-u", base + start, "--crawl=2", CRAWL_EXCLUDE, "--forms", *cookie])]
            if role == "anonymous":
                # 2. explicit URLs: every query parameter the app reads, and opaque ids in URL paths (marked *).
                runs.append(("anonymous-params", ["-m", str(write_targets(out, base, ids))]))
            if role == "staff":
                runs.append(("staff-params", ["-m", str(write_staff_targets(out, base, ids)), *cookie]))
            for name, args in runs:
                findings, params, took = sqlmap_run(sqlmap, name, args, out)
                if not params:  # a run that tested nothing did not work: say so, do not count it as clean
                    findings = [*findings, f"no parameter was tested; see {out / name}.txt"]
                all_findings += [f"{name}: {f}" for f in findings]
                all_params |= {f"{name.split('-')[0]}:{p}" for p in params}
                details.append(f"{name}: {len(params)} parameters tested, {len(findings)} findings ({took})")
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(instance, ignore_errors=True)
    names = sorted({p.split(":", 1)[1] for p in all_params})
    details.append("parameters tested: " + ", ".join(names))
    details += all_findings
    return Result(f"{version} (`sqlmap {' '.join(SQLMAP_ARGS[:4])} ...`)", not all_findings,
                  f"{len(all_findings)} findings in {len(all_params)} role/parameter pairs", details)


def write_targets(out: Path, base: str, ids: dict[str, str]) -> Path:
    urls = [
        f"{base}/vragen/?category=groceries&wijk=WK039218&when=flexible&stadsdeel=1&page=1",
        f"{base}/aanbod/?category=groceries&page=1",
        f"{base}/initiatieven/?q=tuin&wijk=WK039218&goal=1&kind=volunteers&type=organisation&ended=1&page=1",
        f"{base}/initiatieven/hulp-gezocht?q=tuin&wijk=WK039218&goal=1&kind=volunteers&page=1",
        f"{base}/vacatures?q=tuin&wijk=WK039218&goal=1&page=1",
        f"{base}/inloggen?next=/mijn",
        f"{base}/taal/en?next=/vragen/",
        f"{base}/vragen/{ids['request']}*?via=aanbevolen",
        f"{base}/aanbod/{ids['offer']}*",
        f"{base}/initiatieven/{ids['initiative']}*",
        f"{base}/initiatieven/{ids['initiative']}*/agenda.ics",
    ]
    path = out / "anonymous-targets.txt"
    path.write_text("\n".join(urls) + "\n")
    return path


def write_staff_targets(out: Path, base: str, ids: dict[str, str]) -> Path:
    urls = [
        f"{base}/werkruimte/vog?q=jan",
        f"{base}/werkruimte/intake/nieuw?bewoner={ids['person']}",
        f"{base}/werkruimte/onbeantwoord?page=1",
        f"{base}/werkruimte/personen/{ids['person']}*",
        f"{base}/rapportage/?kind=quarter&period=2026-Q1&baseline=2025&by=wijk&measure=posted_per_1000",
        f"{base}/rapportage/export.csv?kind=month&period=2026-03&by=goal",
        f"{base}/melden/vraag/{ids['request']}*",
        f"{base}/mijn/herstelcodes?next=/werkruimte/",
    ]
    path = out / "staff-targets.txt"
    path.write_text("\n".join(urls) + "\n")
    return path


# -- the CSRF sweep ---------------------------------------------------------------------------------------------------

def csrf_sweep() -> Result:
    done = run([sys.executable, "-m", "pytest", "-p", "no:randomly", "tests/webapp/test_csrf_sweep.py"], cwd=ROOT)
    counts = re.findall(r"\d+ (?:passed|failed|errors?)", done.stdout)
    return Result("CSRF sweep (`pytest tests/webapp/test_csrf_sweep.py`)", done.returncode == 0,
                  ", ".join(counts) or "no result", [] if done.returncode == 0 else done.stdout.splitlines()[-30:])


# -- SECURITY.md ------------------------------------------------------------------------------------------------------

def write_security_md(results: list[Result], scanned: str) -> None:
    lines = [BEGIN, "", f"Last run: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, Python {platform.python_version()}, "
             f"{scanned}.", ""]
    for result in results:
        lines.append(f"- **{result.name}**: {'passed' if result.ok else 'FAILED'}; {result.summary}.")
        lines += [f"  - {d}" for d in result.details]
    lines += ["", END]
    text = SECURITY_MD.read_text() if SECURITY_MD.exists() else f"# Security\n\n{BEGIN}\n{END}\n"
    start, end = text.index(BEGIN), text.index(END) + len(END)
    SECURITY_MD.write_text(text[:start] + "\n".join(lines) + text[end:])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--no-sqlmap", action="store_true", help="skip the sqlmap scan")
    options = parser.parse_args()
    results = [bandit()]
    print(results[-1].name, results[-1].summary, flush=True)
    if not options.no_sqlmap:
        out = Path(tempfile.mkdtemp(prefix="samen-sqlmap-"))
        results.append(sqlmap_scan(out))
        print(results[-1].name, results[-1].summary, f"(logs in {out})", flush=True)
    results.append(csrf_sweep())
    print(results[-1].name, results[-1].summary, flush=True)
    scanned = ("the app on loopback with a fresh SQLite demo database (flask demo seed)" if not options.no_sqlmap
               else "without the sqlmap scan")
    write_security_md(results, scanned)
    for result in results:
        if not result.ok:
            print(f"FAILED: {result.name}: {result.summary}", *result.details, sep="\n  ")
    return 0 if all(r.ok for r in results) else 1


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "serve":
        serve(int(sys.argv[2]))
    else:
        sys.exit(main())
