"""Freshness: a request that goes public is in the stored lists ("Aanbevolen voor jou") of the volunteers it fits
within seconds (a worker thread places it after the poster's commit), never in the list of someone who may not see
it, and the refresh job places whatever a worker left behind."""

from __future__ import annotations

import time
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select, update

from tests.conftest import sibling_app, visible
from tests.webapp.staff.test_staff_moderation import decide
from tests.webapp.suggestions.test_suggestions import _profile
from tests.webapp.suggestions.test_suggestions_stored import titles
from webapp.accounts.models import User, VolunteerProfile
from webapp.asks import services as asks
from webapp.asks.models import HelpRequest
from webapp.core.extensions import db
from webapp.core.ids import utcnow
from webapp.suggestions import freshness
from webapp.suggestions.city import load_city, volunteer_ids
from webapp.suggestions.lists import REQUEST, mark_computed, write_lists
from webapp.suggestions.models import RequestPlacement, StoredSuggestion

GROCERIES = {"title": "Boodschappen doen op woensdag", "category": "groceries", "postcode": "2034 AB",
             "wijk": "WK039218", "languages": ["nl"], "frequency": "once",
             "description": "Ik kan niet goed lopen. Wie haalt mijn boodschappen bij de supermarkt?"}


@pytest.fixture
def people(make: Any) -> Any:
    """A resident, a volunteer for groceries, one for dogs, both with a stored list computed just now."""
    resident = make.user("resident")
    shopper = make.user("volunteer")
    _profile(make, shopper, ["boodschappen doen"])
    walker = make.user("volunteer")
    _profile(make, walker, ["honden uitlaten"])
    return type("People", (), dict(resident=resident, shopper=shopper, walker=walker))


def in_list(make: Any, volunteer: Any, request: Any) -> bool:
    return make.count(StoredSuggestion, StoredSuggestion.volunteer_id == volunteer.id,
                      StoredSuggestion.request_id == request.id) == 1


def place(make: Any) -> list[freshness.Placed]:
    return make.run(freshness.place_pending)


@pytest.fixture
def worker_app(app: Any) -> Any:
    """An app on the same database whose placement worker thread runs (the session's app has it off)."""
    other = sibling_app(app, PLACEMENT_WORKER=True)
    yield other
    other.extensions[freshness._WORKER].stop()


def test_a_posted_request_is_in_the_fitting_lists_within_5_seconds(worker_app, people):
    def client_of(person: Any) -> Any:
        client = worker_app.test_client()
        client.post("/inloggen", data={"email": person.email, "password": "correct horse battery"})
        return client

    shopper, walker, resident = client_of(people.shopper), client_of(people.walker), client_of(people.resident)
    # Both lists are computed now (empty): for the next hour the pages only read them.
    assert titles(shopper.get("/aanbevolen/")) == [] and titles(walker.get("/aanbevolen/")) == []

    started = time.perf_counter()
    posted = resident.post("/vragen/nieuw", data=GROCERIES)
    assert posted.status_code == 302
    seen = []
    while time.perf_counter() - started < 5 and not seen:
        seen = titles(shopper.get("/aanbevolen/"))
        time.sleep(0.05)
    waited = time.perf_counter() - started
    assert seen == [GROCERIES["title"]], f"not in the list after {waited:.1f} s"
    assert titles(walker.get("/aanbevolen/")) == []  # it fits the dog walker in nothing


def test_a_rolled_back_post_places_nothing(app, people, make):
    def post_and_roll_back() -> None:
        requester = db.session.get(User, people.resident.id)
        asks.post_request(requester, asks.RequestData(
            title="Boodschappen doen", description="Wie haalt mijn boodschappen?", category=_category("groceries"),
            wijk=requester.wijk, on_date=None, slots=[], languages=["nl"], is_recurring=False,
            needs_screening=False))
        db.session.rollback()

    make.run(post_and_roll_back)
    assert make.count(RequestPlacement) == 0


def _category(key: str) -> Any:
    from tests.factories import category

    return category(key)


def test_only_volunteers_who_may_see_it_get_a_request_that_needs_screening(people, make, login):
    screened = make.user("volunteer", screened=True)
    _profile(make, screened, ["boodschappen doen"], screened=True)
    for person in (people.shopper, screened):
        login(person.email).get("/aanbevolen/")
    sensitive = make.request(people.resident, title="Boodschappen en mijn bankpas", needs_screening=True,
                             description="Wie doet mijn boodschappen? Je krijgt mijn bankpas mee.")
    place(make)
    assert in_list(make, screened, sensitive) and not in_list(make, people.shopper, sensitive)
    assert sensitive.title not in visible(login(people.shopper.email).get("/aanbevolen/"))


def test_an_edited_request_moves_to_the_lists_it_fits_now(people, make, login):
    for person in (people.shopper, people.walker):
        login(person.email).get("/aanbevolen/")
    posted = make.request(people.resident, title="Boodschappen doen",
                          description="Wie haalt mijn boodschappen bij de supermarkt?")
    place(make)
    assert in_list(make, people.shopper, posted) and not in_list(make, people.walker, posted)

    def edit() -> None:
        row = db.session.get(HelpRequest, posted.id)
        asks.edit_request(row.requester, row, asks.RequestData(
            title="Hond uitlaten", description="Wie laat mijn hond uit in het park?", category=_category("pets"),
            wijk=row.wijk, on_date=None, slots=["wed-morning"], languages=["nl"], is_recurring=False,
            needs_screening=False))
        db.session.commit()

    make.run(edit)
    place(make)
    assert in_list(make, people.walker, posted) and not in_list(make, people.shopper, posted)


def test_a_held_request_is_placed_once_staff_approve_it(people, make, login):
    login(people.shopper.email).get("/aanbevolen/")
    resident = login(people.resident.email)
    posted = resident.post("/vragen/nieuw",
                           data={**GROCERIES, "description": "Wie haalt boodschappen? Bel 06-12345678"})
    public_id = posted.headers["Location"].rsplit("/", 1)[-1]
    held = make.run(lambda: db.session.execute(select(HelpRequest.id).where(HelpRequest.public_id == public_id))
                    .scalar_one())
    place(make)
    assert make.count(StoredSuggestion, StoredSuggestion.request_id == held) == 0
    staff = login(make.user("staff").email)
    assert decide(staff, "request", public_id, "goedkeuren").status_code == 302
    place(make)
    assert make.count(StoredSuggestion, StoredSuggestion.volunteer_id == people.shopper.id,
                      StoredSuggestion.request_id == held) == 1


def test_a_full_list_takes_a_new_request_only_above_its_last_item(people, make, login, monkeypatch):
    monkeypatch.setattr(freshness, "REQUESTS_STORED", 2)
    weak = [make.request(people.resident, title=f"Iets voor de buurt {n}", category_key="other",
                         description="Wie helpt? Boodschappen kan ook.") for n in range(2)]

    def write_full_list() -> None:  # a stored list of two, with low scores
        write_lists(REQUEST, {people.shopper.id: [
            dict(volunteer_id=people.shopper.id, kind=REQUEST, rank=rank, request_id=r.id, initiative_id=None,
                 need_id=None, score=score, reasons=[{"code": "skill", "detail": "boodschappen doen"}])
            for rank, (r, score) in enumerate(zip(weak, (0.52, 0.51), strict=True))]})
        mark_computed([people.shopper.id], utcnow())
        db.session.commit()

    make.run(freshness.place_pending)
    make.run(write_full_list)
    strong = make.request(people.resident, title="Boodschappen doen", description="Wie haalt mijn boodschappen?")
    place(make)
    ranks = make.run(lambda: db.session.execute(
        select(StoredSuggestion.request_id).where(StoredSuggestion.volunteer_id == people.shopper.id)
        .order_by(StoredSuggestion.rank)).scalars().all())
    assert ranks == [strong.id, weak[0].id]  # in at the top; the last item dropped out

    def raise_the_bar() -> None:
        for row in db.session.execute(select(StoredSuggestion).where(
                StoredSuggestion.volunteer_id == people.shopper.id)).scalars():
            row.score = 0.999
        db.session.commit()

    make.run(raise_the_bar)
    other = make.request(people.resident, title="Boodschappen halen", description="Wie haalt mijn boodschappen?")
    place(make)
    assert not in_list(make, people.shopper, other)


def test_the_refresh_job_places_what_a_worker_left_and_again_what_it_may_have_overwritten(app, people, make, login):
    login(people.shopper.email).get("/aanbevolen/")
    left = make.request(people.resident, title="Boodschappen doen", description="Wie haalt mijn boodschappen?")
    assert make.count(RequestPlacement, RequestPlacement.placed_at.is_(None)) == 1  # queued; no worker ran
    result = app.test_cli_runner().invoke(args=["suggestions", "refresh"])
    assert result.exit_code == 0, result.output
    assert make.count(RequestPlacement, RequestPlacement.placed_at.is_(None)) == 0
    assert in_list(make, people.shopper, left)

    # A list computed a moment before a request was posted, written after it was placed, loses the request; the
    # refresh places again what was placed since it started.
    since = make.run(utcnow)
    late = make.request(people.resident, title="Boodschappen halen", description="Wie haalt mijn boodschappen?")
    place(make)
    assert in_list(make, people.shopper, late)
    def overwrite() -> None:  # what a refresh that read the requests before `late` was posted writes
        rows = db.session.execute(select(StoredSuggestion).where(StoredSuggestion.volunteer_id == people.shopper.id,
                                                                 StoredSuggestion.request_id != late.id)).scalars()
        write_lists(REQUEST, {people.shopper.id: [
            dict(volunteer_id=r.volunteer_id, kind=REQUEST, rank=rank, request_id=r.request_id, initiative_id=None,
                 need_id=None, score=r.score, reasons=r.reasons) for rank, r in enumerate(rows)]})
        db.session.commit()

    make.run(overwrite)
    assert not in_list(make, people.shopper, late) and in_list(make, people.shopper, left)

    def again() -> None:
        freshness.replace_placed_since(since, load_city(volunteer_ids()))

    make.run(again)
    assert in_list(make, people.shopper, late) and in_list(make, people.shopper, left)


def test_a_lapsed_screening_counts_at_once_with_a_city_built_before(people, make, login):
    """The worker's city index is built from the profiles as they were; who may get a request is asked again."""
    screened = make.user("volunteer", screened=True)
    _profile(make, screened, ["boodschappen doen"], screened=True)
    login(screened.email).get("/aanbevolen/")
    cache = freshness.CityCache()
    make.run(cache.get)

    def lapse() -> None:  # the certificate ends; nothing else about the profile changes
        profile = db.session.get(User, screened.id).volunteer_profile
        db.session.execute(update(VolunteerProfile).where(VolunteerProfile.user_id == screened.id)
                           .values(screened_until=date.today() - timedelta(days=1), updated_at=profile.updated_at))
        db.session.commit()

    make.run(lapse)
    sensitive = make.request(people.resident, title="Boodschappen en mijn bankpas", needs_screening=True,
                             description="Wie doet mijn boodschappen? Je krijgt mijn bankpas mee.")
    ordinary = make.request(people.resident, title="Boodschappen doen", description="Wie haalt mijn boodschappen?")
    make.run(freshness.place_pending, cache)
    assert in_list(make, screened, ordinary) and not in_list(make, screened, sensitive)


def test_the_city_index_is_built_again_in_the_background(people, make):
    """A new profile makes the worker's index old; placing goes on with the old one while the new one is built."""
    cache = freshness.CityCache()
    first = make.run(cache.get)
    newcomer = make.user("volunteer")
    assert make.run(cache.get) is first
    cache.wait()
    now = make.run(cache.get)
    assert now is not first and newcomer.public_id in now.user_ids and newcomer.public_id not in first.user_ids


def test_a_request_goes_in_at_its_place_and_the_rest_moves_down(people, make, monkeypatch):
    monkeypatch.setattr(freshness, "REQUESTS_STORED", 4)
    others = [make.request(people.resident, title=f"Vraag {n}", category_key="other",
                           description="Wie helpt? Boodschappen kan ook.") for n in range(4)]

    def write_list() -> None:
        write_lists(REQUEST, {people.shopper.id: [
            dict(volunteer_id=people.shopper.id, kind=REQUEST, rank=rank, request_id=r.id, initiative_id=None,
                 need_id=None, score=score, reasons=[{"code": "skill", "detail": "boodschappen doen"}])
            for rank, (r, score) in enumerate(zip(others, (0.99, 0.98, 0.30, 0.20), strict=True))]})
        mark_computed([people.shopper.id], utcnow())
        db.session.commit()

    make.run(freshness.place_pending)
    make.run(write_list)
    new = make.request(people.resident, title="Boodschappen doen", description="Wie haalt mijn boodschappen?")
    place(make)
    listed = make.run(lambda: db.session.execute(
        select(StoredSuggestion.rank, StoredSuggestion.request_id).where(
            StoredSuggestion.volunteer_id == people.shopper.id).order_by(StoredSuggestion.rank)).all())
    assert [tuple(row) for row in listed] == [(0, others[0].id), (1, others[1].id), (2, new.id), (3, others[2].id)]
