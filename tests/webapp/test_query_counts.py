"""No N+1: the number of SQL statements a list page issues does not grow with the number of rows on it.

Every list page is requested with a few rows of each kind and again with ten times as many; the statement
counts must be equal. A loop that loads a relation per row adds statements per row and fails this test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, select

from tests.factories import make_offer, make_request, make_user, wijk
from webapp.accounts.models import User
from webapp.asks import services as asks
from webapp.asks.models import HelpRequest
from webapp.core.audit import log_action
from webapp.core.extensions import db
from webapp.core.ids import utcnow
from webapp.core.reference.models import Goal
from webapp.initiatives import activities, applicants, needs, news
from webapp.initiatives import services as initiatives
from webapp.initiatives.models import Activity, InitiativeNeed
from webapp.staff import moderation
from webapp.staff import services as staff

FEW, MANY = 3, 30
# Pages that show at most k items (suggestions, the rescue queue) may add a statement or two between 3 and k
# items (a batched INSERT of the "shown" events); a query per row adds at least seven (10 - 3). So: a bound.
ALLOWED_EXTRA = 2


@contextmanager
def counting(app: Flask) -> Iterator[list[str]]:
    """Collect every SQL statement sent to the database while the block runs."""
    statements: list[str] = []
    with app.app_context():
        engine = db.engine

    def before(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", before)


def statements_for(app: Flask, client: FlaskClient, url: str) -> int:
    client.get(url)  # warm-up: first-use loads (reference caches, the model file) are not per row
    with counting(app) as statements:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(statements)


class World:
    """People and rows that fill every list page; `grow(n)` adds n of each kind."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.added = 0
        with app.app_context():
            self.resident = make_user("resident", email="resident@example.org").id
            self.volunteer = make_user("volunteer", email="volunteer@example.org", screened=True).id
            self.fresh_volunteer = make_user("volunteer", email="fresh@example.org", screened=True).id
            self.staff = make_user("staff", "admin", email="staff@example.org").id
            self.organiser = make_user("resident", "organiser", email="organiser@example.org").id
            # One organisation whose vacancy and activity collect more applicants and people as the world grows.
            organiser = self._user(self.organiser)
            organisation = initiatives.register_initiative(organiser, initiatives.InitiativeData(
                name="Voedselbank Haarlem", description="Wij delen elke week voedselpakketten uit in de stad.",
                is_organisation=True, status="active", wijken=[wijk()], goals=list(db.session.execute(
                    select(Goal).limit(1)).scalars())))
            organisation.confirmed_at = organisation.created_at
            self.big_need = needs.add_need(organiser, organisation, needs.NeedData(
                kind="volunteers", title="Inpakkers op vrijdag", skills="inpakken", how_many=500,
                is_recurring=True, slots=["fri-morning"])).id
            self.big_activity = activities.add_activity(organiser, organisation, activities.ActivityData(
                title="Uitdeeldag", description="", wijk=wijk(), place="Buurthuis", capacity=None,
                starts_at=utcnow() + timedelta(days=3), ends_at=utcnow() + timedelta(days=3, hours=2))).id
            self.organisation = organisation.public_id
            db.session.commit()

    def _user(self, user_id: int) -> User:
        user = db.session.get(User, user_id)
        assert user is not None
        return user

    def grow(self, n: int) -> None:
        with self.app.app_context():
            staff_member, resident = self._user(self.staff), self._user(self.resident)
            volunteer, organiser = self._user(self.volunteer), self._user(self.organiser)
            goals = list(db.session.execute(select(Goal).limit(2)).scalars())
            for i in range(self.added, self.added + n):
                helper = make_user("volunteer", screened=i % 2 == 0)
                other = make_user("resident")
                # The resident's own requests, each with a response (my requests, the dashboard, notifications).
                mine = make_request(resident, title=f"Boodschappen doen, week {i}",
                                    description=f"Ik zoek hulp met de boodschappen in week {i}, graag op woensdag.")
                asks.respond(helper, mine, "Ik kan helpen.")
                # Another resident's open request: the public list, suggestions, responses of the volunteer.
                theirs = make_request(other, title=f"Hulp met de computer {i}", category_key="digital",
                                      description=f"Mijn laptop doet het niet goed, vraag nummer {i}.")
                asks.respond(volunteer, theirs, "Dat lukt mij wel.")
                old = make_request(other, title=f"Tuin opruimen {i}", category_key="garden",
                                   description=f"De tuin moet opgeruimd worden, verzoek {i}, liefst zaterdag.")
                old.created_at = utcnow() - timedelta(days=10)  # unanswered: the rescue queue
                # Matched and done: the impact dashboard.
                done = make_request(other, title=f"Samen wandelen {i}", category_key="company",
                                    description=f"Ik wil graag samen wandelen in het park, keer {i}.")
                response = asks.respond(helper, done, "Graag!")
                asks.accept_response(other, done, response.public_id)
                asks.mark_done(other, done)
                make_offer(helper, title=f"Klusjes in huis {i}", description=f"Ik doe kleine klusjes, aanbod {i}.")
                # Staff work: a report, a screening, an intake, a hand-over, audit entries.
                moderation.report(other, "request", theirs, "spam", f"melding {i}", threshold=1)
                staff.record_screening(staff_member, helper, date.today(), date.today() + timedelta(days=30))
                intake = staff.take_in_request(
                    staff_member,
                    staff.ResidentData(first_name=f"Intake{i}", last_name="Bewoner", phone="023-1234567",
                                       postcode="2034 AB", wijk=wijk(), locale="nl"),
                    staff.Consent(how="phone", given_by="resident", on=date.today()),
                    asks.RequestData(title=f"Vervoer naar de dokter {i}", description=f"Rit naar de huisarts {i}.",
                                     category=mine.category, wijk=wijk(), on_date=None, slots=[],
                                     languages=["nl"], is_recurring=False, needs_screening=False))
                # A sensitive request in the moderation queue: opening the queue writes an audit entry for it.
                moderation.report(other, "request", intake, "spam", f"melding over intake {i}", threshold=1)
                handed = make_request(other, title=f"Schulden en post {i}", category_key="paperwork",
                                      description=f"Ik heb veel post en rekeningen, stapel {i}.")
                staff.hand_over(staff_member, handed, "Sociaal Wijkteam", date.today(), "pending", "")
                log_action(staff_member, "view_person", "person", other.public_id)
                # An initiative with a need.
                initiative = initiatives.register_initiative(organiser, initiatives.InitiativeData(
                    name=f"Buurtmoestuin {i}", description=f"Samen groente kweken, tuin nummer {i}.",
                    is_organisation=False, status="active", wijken=[wijk()], goals=goals))
                initiative.confirmed_at = initiative.created_at  # staff confirmed it: listed
                need = needs.add_need(organiser, initiative, needs.NeedData(
                    kind="volunteers", title=f"Tuinieren op zaterdag {i}", skills="tuinieren", how_many=2))
                # The front door: a dated activity with places, the volunteer's applications, agenda and
                # initiatives; the organisation's applicants, people coming and volunteers' hours.
                activity = activities.add_activity(organiser, initiative, activities.ActivityData(
                    title=f"Zaaidag {i}", description="", wijk=wijk(), place="Buurthuis", capacity=10,
                    starts_at=utcnow() + timedelta(days=2 + i % 20), ends_at=utcnow() + timedelta(days=2 + i % 20,
                                                                                                   hours=2)))
                activities.join(volunteer, activity)
                needs.sign_up(volunteer, need, "Ik help graag.")
                news.follow(volunteer, initiative)
                initiatives.back(volunteer, initiative)
                big_need = db.session.get(InitiativeNeed, self.big_need)
                applicant = needs.sign_up(helper, big_need, f"Aanmelding {i}")
                if i % 2 == 0:
                    needs.confirm(organiser, big_need, applicant.public_id, "pending")
                    applicants.log_hours(helper, applicant, date.today(), 2.0)
                activities.join(helper, db.session.get(Activity, self.big_activity))
                db.session.commit()
            self.added += n

    def as_organiser(self) -> tuple[str, ...]:
        base = "/initiatieven/<initiative>"
        return (f"{base}/behoeften/<need>/aanmeldingen", f"{base}/vrijwilligers",
                f"{base}/activiteiten/<activity>/deelnemers", f"{base}/activiteiten/<activity>/deelnemers.csv")

    def public_ids(self) -> dict[str, str]:
        """What the placeholders in the organiser's pages stand for (the counts are keyed by the placeholders)."""
        with self.app.app_context():
            need = db.session.get(InitiativeNeed, self.big_need)
            activity = db.session.get(Activity, self.big_activity)
            assert need is not None and activity is not None
            return {"<initiative>": self.organisation, "<need>": need.public_id, "<activity>": activity.public_id}

    def first_request_id(self) -> str:
        with self.app.app_context():
            return db.session.execute(
                select(HelpRequest.public_id).where(HelpRequest.requester_id == self.resident)
                .order_by(HelpRequest.id).limit(1)
            ).scalar_one()


ANONYMOUS = ("/", "/vragen/", "/aanbod/", "/initiatieven/", "/initiatieven/hulp-gezocht", "/vacatures",
             "/vrijwilligerswerk", "/organisaties")
AS_RESIDENT = ("/mijn", "/berichten/")
AS_VOLUNTEER = ("/mijn", "/berichten/", "/vragen/", "/vrijwilligerswerk", "/vrijwilligerswerk?kind=need&km=5",
                "/mijn/aanmeldingen", "/mijn/agenda", "/mijn/initiatieven")
AS_FRESH_VOLUNTEER = ("/aanbevolen/",)
AS_STAFF = ("/werkruimte/", "/werkruimte/moderatie", "/werkruimte/onbeantwoord", "/werkruimte/vog",
            "/werkruimte/logboek", "/werkruimte/overdrachten", "/werkruimte/intakes",
            "/initiatieven/steun-overzicht", "/rapportage/", "/rapportage/?kind=year",
            "/rapportage/export.csv?kind=year")


def all_counts(app: Flask, world: World, login: Callable[..., FlaskClient]) -> dict[str, int]:
    counts: dict[str, int] = {}
    own_request = world.first_request_id()
    clients = {
        "anonymous": (app.test_client(), ANONYMOUS),
        "resident": (login("resident@example.org"), (*AS_RESIDENT, f"/vragen/{own_request}")),
        "volunteer": (login("volunteer@example.org"), AS_VOLUNTEER),
        "fresh volunteer": (login("fresh@example.org"), AS_FRESH_VOLUNTEER),
        "staff": (login("staff@example.org"), AS_STAFF),
        "organiser": (login("organiser@example.org"), world.as_organiser()),
    }
    ids = world.public_ids()
    for who, (client, urls) in clients.items():
        for url in urls:
            real = url
            for placeholder, public_id in ids.items():
                real = real.replace(placeholder, public_id)
            counts[f"{who} {url.replace(own_request, '<id>')}"] = statements_for(app, client, real)
    return counts


# The statements one view of each logged-in page costs, at most (docs/PROFILES.md has the before and after). What
# every logged-in page pays: the person with their roles and volunteer profile (one query, joined), the unread count
# of the header (one). A figure going up is a page that got slower: find the statement that came in (run
# `python -m bench.profile_pages --pages "..." --sql`), and raise the figure here only for something the page needs.
PINNED = {
    "resident /mijn": 5,
    "resident /berichten/": 3,
    "resident /vragen/<id>": 16,
    "volunteer /mijn": 8,
    "volunteer /berichten/": 3,
    "volunteer /vragen/": 5,
    "fresh volunteer /aanbevolen/": 7,
    "volunteer /vrijwilligerswerk": 15,
    "volunteer /vrijwilligerswerk?kind=need&km=5": 12,
    "volunteer /mijn/aanmeldingen": 6,
    "volunteer /mijn/agenda": 5,
    "volunteer /mijn/initiatieven": 10,
    "organiser /initiatieven/<initiative>/behoeften/<need>/aanmeldingen": 14,
    "organiser /initiatieven/<initiative>/vrijwilligers": 13,
    "organiser /initiatieven/<initiative>/activiteiten/<activity>/deelnemers": 15,
    "organiser /initiatieven/<initiative>/activiteiten/<activity>/deelnemers.csv": 13,
    "staff /werkruimte/": 15,
    "staff /werkruimte/moderatie": 15,  # + the open requests under "other" (webapp/staff/uncategorised.py)
    # The rescue queue (#16) also reads the page's widened requests and notes, and logs the phone numbers it shows.
    "staff /werkruimte/onbeantwoord": 18,
    "staff /werkruimte/vog": 12,  # paged: one count; the latest check and open application of the people shown (#16)
    "staff /werkruimte/logboek": 5,
    "staff /werkruimte/overdrachten": 4,
    "staff /werkruimte/intakes": 6,  # the team's open intakes
    "staff /initiatieven/steun-overzicht": 7,
    # Whole years stored together, the first request's date for the flag. The memo's measures (hours in initiatives,
    # grant euros, requests of vulnerable groups and the kinds it counted) are stored with the figures: the four
    # statements that read the reference again for the definition beside them are gone.
    "staff /rapportage/": 16,
    "staff /rapportage/?kind=year": 15,
    "staff /rapportage/export.csv?kind=year": 11,
}


def _over_pinned(counts: dict[str, int]) -> dict[str, tuple[int, int]]:
    return {page: (counts[page], limit) for page, limit in PINNED.items() if counts[page] > limit}


def test_list_pages_issue_the_same_number_of_queries_for_few_and_many_rows(
        app: Flask, login: Callable[..., FlaskClient]) -> None:
    world = World(app)
    world.grow(FEW)
    few = all_counts(app, world, login)
    world.grow(MANY - FEW)
    many = all_counts(app, world, login)
    grown = {page: (few[page], many[page]) for page in few if many[page] > few[page] + ALLOWED_EXTRA}
    assert not grown, f"statements per page grow with the rows on it (few → many): {grown}"
    assert not _over_pinned(many), f"above the pinned figure (counted, pinned): {_over_pinned(many)}"


def test_logged_in_pages_stay_at_their_pinned_statement_counts(app: Flask, login: Callable[..., FlaskClient]) -> None:
    world = World(app)
    world.grow(FEW)
    counts = all_counts(app, world, login)
    logged_in = {page: count for page, count in counts.items() if not page.startswith("anonymous")}
    assert set(PINNED) == set(logged_in), f"pages without a figure: {sorted(set(logged_in) - set(PINNED))}"
    assert not _over_pinned(counts), f"above the pinned figure (counted, pinned): {_over_pinned(counts)}"


def test_a_logged_in_form_sent_costs_no_reload_of_the_person_after_its_commit(
        app: Flask, login: Callable[..., FlaskClient]) -> None:
    """The security headers ask whether the response was for a logged-in person. Asked of the loaded row after the
    view committed (which expires it), that reloaded the person and their roles on every form sent."""
    with app.app_context():
        make_user("resident", email="reader@example.org")
    client = login("reader@example.org")
    with counting(app) as statements:
        response = client.post("/berichten/gelezen")
    assert response.status_code == 302
    assert response.headers["Cache-Control"] == "no-store"
    reloads = [s for s in statements if " ".join(s.split()).endswith("FROM users WHERE users.id = ?")]
    assert reloads == [], reloads


def test_the_counter_sees_a_query_per_row(app: Flask) -> None:
    """The measuring stick itself: a loop with one query per row is counted as such."""
    with app.app_context():
        people = [make_user("resident").id for _i in range(4)]
    with counting(app) as statements, app.app_context():
        for person in people:
            db.session.execute(select(User.email).where(User.id == person)).one()
    assert len(statements) == len(people)


def test_health_is_a_constant_without_database_or_session(app: Flask) -> None:
    """/health is the benchmark's reference for what the machine can do: no SQL, no session cookie."""
    client = app.test_client()
    with counting(app) as statements:
        response = client.get("/health")
    assert response.status_code == 200 and response.get_data(as_text=True) == "ok"
    assert statements == []
    assert "Set-Cookie" not in response.headers


def test_suggestions_page_reads_stored_features_and_never_encodes_texts(app: Flask, login: Callable[..., FlaskClient],
                                                                         monkeypatch: Any) -> None:
    """Text features are stored when a profile or request is saved; a page view only reads them. Encoding in a
    page view (the expensive part of all-pairs work) fails this test."""
    import matching.index

    with app.app_context():
        make_user("volunteer", email="helper@example.org", screened=True)
        resident = make_user("resident")
        for i in range(5):
            make_request(resident, title=f"Boodschappen doen {i}", description=f"Wie haalt mijn boodschappen {i}?")

    def refuse(*_args: Any) -> None:
        raise AssertionError("a page view encoded a text")

    monkeypatch.setattr(matching.index, "encode_request", refuse)
    monkeypatch.setattr(matching.index, "encode_volunteer", refuse)
    page = login("helper@example.org").get("/aanbevolen/")
    assert page.status_code == 200
    assert "Boodschappen doen" in page.get_data(as_text=True)


def test_counting_the_requests_waiting_for_a_response_reads_an_index_not_the_rows(app: Flask) -> None:
    """The staff workspace and the rescue queue count the open requests nobody responded to. At 100x demo data that
    count read each candidate row and every response (NOT IN): 10 ms of CPU per view on SQLite. It must be answered
    from an index, with the responses probed per request."""
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("the plan is SQLite's; PostgreSQL chooses by its statistics")
        seen: list[tuple[str, Any]] = []

        def keep(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_args: Any) -> None:
            seen.append((statement, parameters))

        event.listen(db.engine, "before_cursor_execute", keep)
        try:
            staff.unanswered_count(3)
        finally:
            event.remove(db.engine, "before_cursor_execute", keep)
        (statement, parameters), = [s for s in seen if "count(" in s[0]]
        plan = " | ".join(str(row[-1]) for row in db.session.connection().exec_driver_sql(
            "EXPLAIN QUERY PLAN " + statement, parameters))
    assert "help_requests USING COVERING INDEX" in plan, plan
    assert "SEARCH responses USING COVERING INDEX" in plan, plan  # probed per request, never read whole


def test_the_moderation_queue_never_reads_every_request_or_offer(app: Flask, login: Callable[..., FlaskClient]) -> None:
    """The queue is the held items and those with an open report: a handful. Asked as "held OR a correlated EXISTS",
    SQLite tested every request and offer (6 ms of CPU per branch, twice per view, at 100x demo data)."""
    world = World(app)
    world.grow(FEW)
    client = login("staff@example.org")
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("the plan is SQLite's; PostgreSQL chooses by its statistics")
        seen: list[tuple[str, Any]] = []

        def keep(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_args: Any) -> None:
            seen.append((statement, parameters))

        event.listen(db.engine, "before_cursor_execute", keep)
        try:
            assert client.get("/werkruimte/moderatie").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", keep)
        scans = []
        for statement, parameters in seen:
            if statement.lstrip().upper().startswith("SELECT"):
                plan = [str(row[-1]) for row in db.session.connection().exec_driver_sql(
                    "EXPLAIN QUERY PLAN " + statement, parameters)]
                scans += [step for step in plan if step.startswith(("SCAN help_requests", "SCAN offers"))]
    assert scans == []
