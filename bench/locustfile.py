"""Load for `make bench` (locust, headless). Two modes, chosen by BENCH_MODE:

- "page": every user requests BENCH_PAGE (a key of PAGES) as fast as it can: a page's throughput alone.
- "mix": the realistic mix of users: anonymous browsing 60 %, volunteers opening suggestions 20 %, posting and
  responding 10 %, staff dashboard and exports 10 %, each user pacing itself to BENCH_USER_RATE requests/s.

Targets (public ids, accounts) come from the JSON file BENCH_TARGETS, written by bench/targets.py. Logged-in
users share sessions that bench/run.py logged in before the load. Cookies are kept by hand: the production
configuration marks the session cookie Secure, and on plain-HTTP loopback a cookie jar would not send it back.
"""

from __future__ import annotations

import json
import os
import random
import re
from typing import Any

from locust import FastHttpUser, constant_throughput, task

TARGETS: dict[str, list[str]] = json.loads(open(os.environ["BENCH_TARGETS"], encoding="utf-8").read())  # noqa: SIM115
MODE = os.environ.get("BENCH_MODE", "mix")
PAGE = os.environ.get("BENCH_PAGE", "health")
USER_RATE = float(os.environ.get("BENCH_USER_RATE", "1.6"))
YEAR = os.environ.get("BENCH_YEAR", "")
CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')
# Every cookie the app sets (in production the session is `__Host-session`): one Set-Cookie header, or several joined
# by commas. An attribute (`; Path=/`) never follows a comma, and an Expires date's comma is not followed by `name=`.
COOKIE_RE = re.compile(r"(?:^|,)\s*([A-Za-z0-9_.\-]+)=([^;,]*)")
WIJK_RE = re.compile(r'<option[^>]*selected[^>]*value="([^"]+)"|<option[^>]*value="([^"]+)"[^>]*selected')
TASKS = ("de boodschappen", "de tuin", "een lamp ophangen", "mijn laptop", "een brief", "de hond uitlaten",
         "verhuisdozen", "een wandeling")
DAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag")
CATEGORIES = ("groceries", "transport", "odd_jobs", "garden", "company", "digital")


def pick(kind: str) -> str:
    return random.choice(TARGETS[kind])


class Visitor(FastHttpUser):
    """Base: hand-kept cookies, CSRF tokens, and a log-in."""

    abstract = True
    role: str | None = None

    def on_start(self) -> None:
        self.cookies: dict[str, str] = {}
        if self.role is not None:  # a session made before the load started (bench/run.py logs in)
            self.cookies = dict(random.choice(TARGETS["sessions"][self.role]))

    def _headers(self) -> dict[str, str]:
        jar = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return {"Cookie": jar} if jar else {}

    def _keep(self, response: Any) -> None:
        for name, value in response.headers.items():
            if name.lower() == "set-cookie":
                for cookie, content in COOKIE_RE.findall(value):
                    self.cookies[cookie] = content

    def get(self, url: str, name: str) -> Any:
        with self.client.get(url, name=name, headers=self._headers(), allow_redirects=False,
                             catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
            self._keep(response)
            return response

    def post(self, url: str, data: dict[str, Any], name: str) -> Any:
        with self.client.post(url, data=data, name=name, headers=self._headers(), allow_redirects=False,
                              catch_response=True) as response:
            if response.status_code != 302:  # a form that comes back (200) did not go through
                response.failure(f"status {response.status_code}")
            self._keep(response)
            return response

    def csrf(self, html: str | None) -> str:
        found = CSRF_RE.search(html or "")
        return (found.group(1) or found.group(2)) if found else ""


WORDS = ("lamp", "fiets", "trap", "buurvrouw", "dokter", "bus", "station", "markt", "apotheek", "brief", "formulier",
         "tablet", "printer", "gordijn", "kast", "schuur", "hek", "heg", "kat", "hond", "konijn", "soep", "taart",
         "ochtend", "middag", "avond", "zaterdag", "regen", "tuinbank", "vuilnis", "container", "zolder", "kelder",
         "rolstoel", "rollator", "bril", "sleutel", "wasmachine", "strijkijzer", "boekenkast", "schilderij", "plant",
         "bloembak", "balkon", "lift", "portiek", "wijkcentrum", "bibliotheek", "zwembad", "kapper", "bakker",
         "groenteboer", "ziekenhuis", "fysiotherapie", "tandarts", "gemeente", "belasting", "toeslag", "verzekering")

# -- one page alone ---------------------------------------------------------------------------------------------

PAGES: dict[str, tuple[str | None, Any]] = {
    "health": (None, lambda: "/health"),
    "home": (None, lambda: "/"),
    "request list": (None, lambda: "/vragen/"),
    "request list, page 3": (None, lambda: "/vragen/?page=3"),
    # Logged in, the list is rendered for every view (anonymous visitors mostly get the shared page cache).
    "request list (logged in)": ("volunteers", lambda: "/vragen/"),
    "request detail": (None, lambda: f"/vragen/{pick('requests')}"),
    "offer list": (None, lambda: "/aanbod/"),
    "initiative list": (None, lambda: "/initiatieven/"),
    "needs board": (None, lambda: "/initiatieven/hulp-gezocht"),
    "district budgets": (None, lambda: "/wijkbudget"),
    "budget round": (None, lambda: f"/wijkbudget/{pick('budget_rounds')}"),
    "budget results": (None, lambda: f"/wijkbudget/{pick('budget_results')}/uitslag"),
    "volunteering front door": (None, lambda: "/vrijwilligerswerk"),
    "vacancies": (None, lambda: "/vacatures"),
    "organisations": (None, lambda: "/organisaties"),
    "my sign-ups (volunteer)": ("volunteers", lambda: "/mijn/aanmeldingen"),
    "my agenda (volunteer)": ("volunteers", lambda: "/mijn/agenda"),
    "applicants (organiser)": ("organisers", lambda: pick("applicant_pages")),
    "suggestions (volunteer)": ("volunteers", lambda: "/aanbevolen/"),
    "my page (volunteer)": ("volunteers", lambda: "/mijn"),
    "messages (resident)": ("residents", lambda: "/berichten/"),
    "staff workspace": ("staff", lambda: "/werkruimte/"),
    "rescue queue": ("staff", lambda: "/werkruimte/onbeantwoord"),
    "report dashboard, quarter": ("staff", lambda: "/rapportage/"),
    "report dashboard, year": ("staff", lambda: f"/rapportage/?kind=year&period={YEAR}"),
    "report export csv, year": ("staff", lambda: f"/rapportage/export.csv?kind=year&period={YEAR}"),
}

if MODE == "page":
    class OnePage(Visitor):
        role = PAGES[PAGE][0]

        @task
        def visit(self) -> None:
            self.get(PAGES[PAGE][1](), PAGE)


# -- the realistic mix ------------------------------------------------------------------------------------------

if MODE == "mix":
    class Browser(Visitor):
        """Anonymous: lists and details (60 %)."""

        weight = 60
        wait_time = constant_throughput(USER_RATE)

        @task(3)
        def request_list(self) -> None:
            page = random.choice(("", "", "?page=2", f"?category={random.choice(CATEGORIES)}"))
            self.get(f"/vragen/{page}", "request list")

        @task(3)
        def request_detail(self) -> None:
            self.get(f"/vragen/{pick('requests')}", "request detail")

        @task(1)
        def home(self) -> None:
            self.get("/", "home")

        @task(1)
        def offers(self) -> None:
            self.get("/aanbod/", "offer list")

        @task(1)
        def offer_detail(self) -> None:
            self.get(f"/aanbod/{pick('offers')}", "offer detail")

        @task(1)
        def initiatives(self) -> None:
            self.get(random.choice(("/initiatieven/", "/initiatieven/hulp-gezocht")), "initiative lists")

    class Volunteer(Visitor):
        """Volunteers opening their suggestions (20 %)."""

        weight = 20
        role = "volunteers"
        wait_time = constant_throughput(USER_RATE)

        @task(3)
        def suggestions(self) -> None:
            self.get("/aanbevolen/", "suggestions (volunteer)")

        @task(1)
        def my_page(self) -> None:
            self.get("/mijn", "my page (volunteer)")

        @task(1)
        def messages(self) -> None:
            self.get("/berichten/", "messages")

    class Poster(Visitor):
        """Posting requests and responding to them (10 %): half residents, half volunteers."""

        weight = 10
        wait_time = constant_throughput(USER_RATE)

        def on_start(self) -> None:
            self.role = random.choice(("residents", "volunteers"))
            self.posted = 0
            super().on_start()

        @task
        def act(self) -> None:
            if self.role == "residents":
                self.post_request()
            else:
                self.respond()

        def post_request(self) -> None:
            form = self.get("/vragen/nieuw", "post a request (form)")
            html = form.text or ""
            postcode = re.search(r'name="postcode"[^>]*value="([^"]*)"', html)
            wijk = WIJK_RE.search(html)
            self.posted += 1
            # No long digit runs: the text checks would (rightly) take them for a phone number.
            what, when = random.choice(TASKS), random.choice(DAYS)
            self.post("/vragen/nieuw", {
                # Words drawn at random, so that one person's posts are not near-duplicates of each other
                # (the duplicate check would rightly hold them back).
                "csrf_token": self.csrf(html),
                "title": f"Hulp met {what} op {when} " + " ".join(random.sample(WORDS, 3)),
                "description": " ".join(random.sample(WORDS, 14)).capitalize() + ".",
                "category": random.choice(CATEGORIES), "slots": "wed-morning", "languages": "nl",
                "frequency": "once", "postcode": postcode.group(1) if postcode else "2034 AB",
                "wijk": (wijk.group(1) or wijk.group(2)) if wijk else "",
            }, "post a request")

        def respond(self) -> None:
            public_id = pick("requests")
            page = self.get(f"/vragen/{public_id}", "request detail (volunteer)")
            token = self.csrf(page.text)
            if 'name="message"' not in (page.text or ""):
                return  # already responded, or no longer open: nothing to post
            self.post(f"/vragen/{public_id}/reageren", {"csrf_token": token, "message": "Ik kan helpen, groet!"},
                      "respond to a request")

    class Staff(Visitor):
        """Staff: the workspace, the report dashboard and exports (10 %)."""

        weight = 10
        role = "staff"
        wait_time = constant_throughput(USER_RATE)

        @task(2)
        def workspace(self) -> None:
            self.get("/werkruimte/", "staff workspace")

        @task(1)
        def moderation(self) -> None:
            self.get("/werkruimte/moderatie", "moderation queue")

        @task(2)
        def dashboard(self) -> None:
            self.get("/rapportage/", "report dashboard, quarter")

        @task(1)
        def export(self) -> None:
            self.get("/rapportage/export.csv", "report export csv, quarter")
