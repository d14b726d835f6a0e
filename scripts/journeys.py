"""`make journeys`: the first five minutes of newcomers, played in a real browser on a 360×740 phone screen.

    .venv/bin/python scripts/journeys.py [--only 2034] [--no-screenshots]

Starts Samen on loopback with a fresh SQLite database holding the reference data and the demo data, and drives
Debian's Chromium with Playwright (never `playwright install`):

* a first-time resident per Haarlem PC4 postcode: home page → "Ask for help" (the request and the account on one
  page) → "check your e-mail" → the link in the confirmation e-mail (read from the outbox folder) → the published
  request;
* a first-time volunteer (Dutch and English): a request → "Sign up to respond" → sign-up as a volunteer → the link
  → back on the request → a response sent.

Per journey it prints and writes to docs/JOURNEYS.md: the pages seen (with and without the e-mail step), the fields
filled, the fields typed again (a form that came back), the tallest form in px at 360 px width, and the time;
screenshots of the first resident and volunteer journey go to docs/journeys/*.png. Targets (issue #15): every
journey succeeds, nothing typed twice, a resident reaches a published request in at most 4 pages (home, the
ask-for-help page, "check your e-mail", the published request) and 10 fields, no form taller than 2,200 px.
"""

from __future__ import annotations

import argparse
import email
import re
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from email.policy import default
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402
from werkzeug.serving import WSGIRequestHandler, make_server  # noqa: E402

from webapp import create_app  # noqa: E402
from webapp.core.extensions import db  # noqa: E402
from webapp.core.reference.services import load_reference_data, postcode_table  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
VIEWPORT = {"width": 360, "height": 740}
PASSWORD = "een lange zin als wachtwoord"  # noqa: S105 (the newcomers of the journeys)
DOCS = ROOT / "docs"
SHOTS = DOCS / "journeys"
TALLEST_FORM_JS = ("Math.max(0, ...[...document.querySelectorAll('main form')]"
                   ".map(f => f.getBoundingClientRect().height))")
LINK = re.compile(r"https?://\S+?(/e-mail-bevestigen/\S+)")
MAX_PAGES, MAX_FIELDS, MAX_FORM_PX = 4, 10, 2200


class _Quiet(WSGIRequestHandler):
    def log_request(self, *args: Any, **kwargs: Any) -> None:
        pass


@dataclass
class Journey:
    name: str
    pages: list[str] = field(default_factory=list)
    filled: list[str] = field(default_factory=list)
    retyped: list[str] = field(default_factory=list)
    tallest: float = 0.0
    seconds: float = 0.0
    ok: bool = False
    error: str = ""

    @property
    def pages_without_mail(self) -> int:
        return len([p for p in self.pages if p not in ("check your e-mail", "home")])


class Run:
    def __init__(self, page: Any, journey: Journey, server: Any, shots: str | None) -> None:
        self.page, self.journey, self.server, self.shots = page, journey, server, shots

    def seen(self, name: str) -> None:
        self.journey.pages.append(name)
        self.journey.tallest = max(self.journey.tallest, float(self.page.evaluate(TALLEST_FORM_JS)))
        if self.shots:
            SHOTS.mkdir(parents=True, exist_ok=True)
            slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
            number = len(self.journey.pages)
            self.page.screenshot(path=str(SHOTS / f"{self.shots}-{number}-{slug}.png"))

    def fill(self, name: str, value: str) -> None:
        (self.journey.retyped if name in self.journey.filled else self.journey.filled).append(name)
        self.page.locator(f"main [name='{name}']").fill(value)

    def submit(self) -> None:
        with self.page.expect_navigation():
            self.page.locator("main form button[type=submit]").last.click()

    def came_back(self) -> bool:
        return self.page.locator(".error-summary").count() > 0

    def open_link(self, address: str) -> None:
        folder = Path(self.server.config["INSTANCE_PATH"]) / "outbox"
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            for path in sorted(folder.glob("*.eml")) if folder.exists() else []:
                message = email.message_from_bytes(path.read_bytes(), policy=default)
                body = message.get_body(preferencelist=("plain",))
                found = LINK.search(body.get_content()) if body is not None else None
                if found and address in str(message["To"]):
                    self.page.goto(found.group(1))
                    return
            time.sleep(0.1)
        raise AssertionError(f"no confirmation e-mail to {address}")


def resident(page: Any, server: Any, pc4: str, shots: str | None) -> tuple[Journey, str]:
    journey = Journey(f"resident {pc4}")
    run = Run(page, journey, server, shots)
    address = f"inwoner-{pc4}@example.org"
    page.goto("/")
    run.seen("home")
    with page.expect_navigation():
        page.locator("main .hero a.button").first.click()  # "Ask for help"
    run.seen("ask for help")  # the request and the account on one page (asks/first_views.py)
    title = f"Boodschappen op woensdag ({pc4})"
    run.fill("title", title)
    run.fill("description", "Ik kan slecht lopen. Wie haalt woensdag mijn boodschappen bij de supermarkt?")
    run.fill("first_name", "Ans")
    run.fill("email", address)
    run.fill("postcode", f"{pc4} AB")
    run.fill("password", PASSWORD)
    run.submit()  # the kind of help is left to Samen: it comes from the words typed
    while run.came_back() and len(journey.retyped) < 10:  # a second round: what must be typed again
        run.seen("ask for help again")
        if not page.locator("main [name='password']").input_value():
            run.fill("password", PASSWORD)
        run.submit()
    run.seen("check your e-mail")
    run.open_link(address)
    assert "/vragen/" in page.url and "inloggen" not in page.url, f"the link led to {page.url}"
    assert page.locator("h1").inner_text().strip() == title, f"no published request: {page.url}"
    run.seen("published request")
    return journey, page.url


def volunteer(page: Any, server: Any, request_url: str, lang: str, shots: str | None) -> Journey:
    journey = Journey(f"volunteer ({lang})")
    run = Run(page, journey, server, shots)
    address = f"vrijwilliger-{lang}@example.org"
    if lang != "nl":
        page.goto(f"/taal/{lang}")
    page.goto(request_url)
    run.seen("request")
    with page.expect_navigation():
        page.locator("main a[href*='rol=vrijwilliger']").first.click()  # "Sign up to respond"
    run.seen("sign-up")
    run.fill("first_name", "Karim")
    run.fill("email", address)
    run.fill("postcode", "2034")
    run.fill("skills", "boodschappen, fietsen")
    run.fill("password", PASSWORD)
    run.submit()
    while run.came_back() and len(journey.retyped) < 10:
        run.seen("sign-up again")
        run.fill("password", PASSWORD)
        run.submit()
    run.seen("check your e-mail")
    run.open_link(address)
    assert page.url == request_url, f"the link led to {page.url}, not back to the request"
    run.seen("request, logged in")
    run.fill("message", "Ik kan woensdagochtend." if lang == "nl" else "I can come on Wednesday morning.")
    run.submit()
    assert page.locator(".flash-success").count() == 1, "no confirmation that the response was sent"
    run.seen("response sent")
    return journey


# -- the guides for organisers and staff (docs/guide/organiser.md, staff.md): the same browser, a laptop screen --

GUIDE_VIEWPORT = {"width": 1024, "height": 720}
ORGANISER_PAGES = (  # (slug, path; {initiative} is the organiser's first initiative)
    ("start-an-initiative", "/initiatieven/nieuw"),
    ("my-initiatives", "/mijn/initiatieven"),
    ("initiative-page", "/initiatieven/{initiative}"),
    ("co-organisers", "/initiatieven/{initiative}/organisatoren"),
    ("add-a-need", "/initiatieven/{initiative}/behoeften/nieuw"),
    ("add-an-activity", "/initiatieven/{initiative}/activiteiten/nieuw"),
    ("district-budget", "/wijkbudget"),
)
STAFF_PAGES = (
    ("workspace", "/werkruimte/"),
    ("moderation", "/werkruimte/moderatie"),
    ("intake", "/werkruimte/intake/nieuw"),
    ("rescue-queue", "/werkruimte/onbeantwoord"),
    ("screening", "/werkruimte/vog"),
    ("hand-overs", "/werkruimte/overdrachten"),
    ("reports", "/rapportage/"),  # its figures are computed first, as the scheduled refresh does (see warm_reports)
)


def log_in(page: Any, address: str, password: str, totp_secret: str | None = None) -> None:
    page.goto("/inloggen")
    page.locator("main [name='email']").fill(address)
    page.locator("main [name='password']").fill(password)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").last.click()
    if totp_secret is not None:  # staff: the second step, the code of the authenticator app
        import pyotp

        assert "/inloggen/code" in page.url, f"no second step for {address}: {page.url}"
        page.locator("main [name='code']").fill(pyotp.TOTP(totp_secret).now())
        with page.expect_navigation():
            page.locator("main form button[type=submit]").last.click()
    assert "/inloggen" not in page.url, f"{address} could not log in: {page.url}"


def guide_tour(page: Any, name: str, pages: tuple[tuple[str, str], ...], initiative: str = "") -> list[str]:
    """Open each page and photograph the top of it (docs/journeys/<name>-<n>-<slug>.png). Returns the files."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    made = []
    for number, (slug, path) in enumerate(pages, start=1):
        response = page.goto(path.format(initiative=initiative))
        assert response is not None and response.status == 200, f"{path}: {response.status if response else '-'}"
        target = SHOTS / f"{name}-{number}-{slug}.png"
        page.screenshot(path=str(target))
        made.append(target.name)
    return made


def warm_reports(app: Any) -> float:
    """Compute and store the report figures the dashboard opens with, as the scheduled `flask reports refresh` does
    on a server (README, "Scheduled jobs"). A dashboard on a cold database computes them in the page itself: its
    three calendar years, each with nested consistent suppression of small numbers (webapp/reports/suppression.py,
    an SVD and linear programs per round). That took about 90 s on the demo data on a small shared machine, longer
    than the browser waits for a page; read again from the snapshots, the page takes a tenth of a second."""
    from webapp.reports.commands import most_opened
    from webapp.reports.documents import min_cell
    from webapp.reports.snapshots import refresh

    started = time.monotonic()
    with app.app_context():
        refresh(most_opened(date.today()), min_cell=min_cell())
        db.session.commit()
        db.session.remove()
    return time.monotonic() - started


def guides(browser: Any, url: str, app: Any) -> list[str]:
    """The organiser's and the staff member's tours through the demo data, in Dutch (the guides' pictures)."""
    from webapp.demo.generator import DEMO_DOMAIN, DEMO_PASSWORD, DEMO_TOTP_SECRET

    print(f"report figures computed in {warm_reports(app):.0f} s (the refresh job's work)", flush=True)
    made = []
    context = browser.new_context(base_url=url, viewport=GUIDE_VIEWPORT, locale="nl-NL")
    page = context.new_page()
    log_in(page, f"organisator@{DEMO_DOMAIN}", DEMO_PASSWORD)
    page.goto("/mijn/initiatieven")
    link = page.locator("main a[href^='/initiatieven/']").first.get_attribute("href") or ""
    initiative = link.rstrip("/").split("/")[-1]
    made += guide_tour(page, "organiser", ORGANISER_PAGES, initiative)
    context.close()
    context = browser.new_context(base_url=url, viewport=GUIDE_VIEWPORT, locale="nl-NL")
    page = context.new_page()
    log_in(page, f"consulent@{DEMO_DOMAIN}", DEMO_PASSWORD, DEMO_TOTP_SECRET)
    made += guide_tour(page, "staff", STAFF_PAGES)
    context.close()
    return made


def start_server(folder: Path) -> tuple[Any, str, Any]:
    app = create_app({
        "SECRET_KEY": "journeys-secret",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'journeys.db'}",
        "INSTANCE_PATH": str(folder),
        "RATELIMIT_ENABLED": False,  # every journey signs up from 127.0.0.1
    })
    with app.app_context():
        upgrade()
        load_reference_data(db.session)
        db.session.commit()
        from webapp.demo.services import seed_demo

        seed_demo(db.session)
        db.session.commit()
        postcodes = sorted(postcode_table(db.session))
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    app.config["JOURNEY_POSTCODES"] = postcodes
    return app, f"http://127.0.0.1:{server.server_port}", server


def report(journeys: list[Journey]) -> str:
    lines = [
        "# The first five minutes: newcomer journeys on a phone",
        "",
        "Made by `make journeys` (scripts/journeys.py): Debian's Chromium at 360×740, a fresh database with the",
        "demo data. A resident per Haarlem PC4 postcode goes from the home page to a published request; a volunteer",
        "from a request to a sent response. *Pages* counts every page seen; *without e-mail* leaves out the home page",
        "and \"check your e-mail\" (the step the confirmation link needs). Targets (issue #15): every journey",
        f"succeeds, nothing typed twice, a resident at most {MAX_PAGES} pages and {MAX_FIELDS} fields, no form taller",
        f"than {MAX_FORM_PX:,} px.",
        "",
        "A first-time resident asks for help and makes the account on one page (`/vragen/hulp-vragen`,",
        "webapp/asks/first_views.py): what they need first, then first name, e-mail address, postcode (the wijk on",
        "the same page when the postcode lies in more than one) and a password. The next page says \"check your",
        "e-mail\"; the link in that e-mail confirms the address, puts the request online and opens it: home → ask",
        "→ check your e-mail → published, four pages. Why: the separate sign-up cost a page and a second form. A known",
        "address gets exactly the answer a new one gets and nothing is stored for it (SECURITY.md 2a). Check:",
        "tests/webapp/asks/test_first_request.py, tests/browser/test_first_request.py, and this table.",
        "",
        "| journey | result | pages | without e-mail | fields | typed again | tallest form | time |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for j in journeys:
        result = "ok" if j.ok else f"failed: {j.error[:80]}"
        lines.append(f"| {j.name} | {result} | {len(j.pages)} | {j.pages_without_mail} | {len(j.filled)} | "
                     f"{len(j.retyped)} | {j.tallest:,.0f} px | {j.seconds:.1f} s |")
    residents = [j for j in journeys if j.name.startswith("resident")]
    met = {
        "every journey succeeds": all(j.ok for j in journeys),
        "nothing typed twice": not any(j.retyped for j in journeys),
        f"resident ≤ {MAX_PAGES} pages, the home page and \"check your e-mail\" counted":
            all(len(j.pages) <= MAX_PAGES for j in residents),
        f"resident ≤ {MAX_FIELDS} fields": all(len(j.filled) <= MAX_FIELDS for j in residents),
        f"no form taller than {MAX_FORM_PX:,} px": all(j.tallest <= MAX_FORM_PX for j in journeys),
    }
    lines += ["", "## Targets", ""] + [f"- {'met' if ok else '**not met**'}: {what}" for what, ok in met.items()]
    if journeys and journeys[0].pages:
        lines += ["", "## Pages of the first journeys", ""]
        for path in sorted(SHOTS.glob("*.png")):
            if not path.name.startswith(("resident-", "volunteer-")):
                continue  # the organiser's and staff member's pictures belong to docs/guide/
            lines.append(f"![{path.stem}](journeys/{path.name})")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="one PC4 postcode")
    parser.add_argument("--no-screenshots", action="store_true")
    parser.add_argument("--guides-only", action="store_true",
                        help="only the organiser's and staff member's pictures for docs/guide/")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="samen-journeys-") as tmp:
        app, url, server = start_server(Path(tmp))
        postcodes = [args.only] if args.only else app.config["JOURNEY_POSTCODES"]
        if args.guides_only:
            postcodes = []
        if not args.no_screenshots:
            for old in SHOTS.glob("*.png"):
                if not args.guides_only or old.name.startswith(("organiser-", "staff-")):
                    old.unlink()
        journeys: list[Journey] = []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            first_request = ""
            for number, pc4 in enumerate(postcodes):
                context = browser.new_context(base_url=url, viewport=VIEWPORT, locale="nl-NL")
                started = time.monotonic()
                shots = None if args.no_screenshots or number else "resident"
                try:
                    journey, request_url = resident(context.new_page(), app, pc4, shots)
                    journey.ok = True
                    first_request = first_request or request_url
                except Exception as error:  # the report says which journey failed and why
                    journey = Journey(f"resident {pc4}", error=str(error).splitlines()[0])
                journey.seconds = time.monotonic() - started
                journeys.append(journey)
                print(f"{journey.name}: {'ok' if journey.ok else journey.error} · {len(journey.pages)} pages · "
                      f"{len(journey.filled)} fields · {len(journey.retyped)} typed again · "
                      f"{journey.tallest:,.0f} px · {journey.seconds:.1f} s", flush=True)
                context.close()
            for lang in ("nl", "en") if first_request else ():
                context = browser.new_context(base_url=url, viewport=VIEWPORT, locale=f"{lang}-NL")
                started = time.monotonic()
                shots = None if args.no_screenshots or lang != "nl" else "volunteer"
                try:
                    journey = volunteer(context.new_page(), app, first_request, lang, shots)
                    journey.ok = True
                except Exception as error:
                    journey = Journey(f"volunteer ({lang})", error=str(error).splitlines()[0])
                journey.seconds = time.monotonic() - started
                journeys.append(journey)
                print(f"{journey.name}: {'ok' if journey.ok else journey.error} · {len(journey.pages)} pages · "
                      f"{len(journey.filled)} fields · {journey.tallest:,.0f} px · {journey.seconds:.1f} s",
                      flush=True)
                context.close()
            if not args.no_screenshots:
                print(f"guide pictures: {', '.join(guides(browser, url, app))}", flush=True)
            browser.close()
        server.shutdown()
    if args.guides_only:
        return 0
    (DOCS / "JOURNEYS.md").write_text(report(journeys), encoding="utf-8")
    print(f"written: {DOCS / 'JOURNEYS.md'}")
    return 0 if all(j.ok for j in journeys) else 1


if __name__ == "__main__":
    raise SystemExit(main())
