"""Stored suggestions: "Aanbevolen voor jou" reads each volunteer's ranked lists (computed by `flask suggestions
refresh` or by a page view when missing or stale) and filters them against the current state, so a warm page view
ranks nothing and still never shows a request or initiative that closed since the list was computed."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select, update

import matching
from tests.conftest import visible
from tests.webapp import initiative_helpers as h
from tests.webapp.test_query_counts import counting
from webapp.accounts import services as accounts
from webapp.accounts.models import User
from webapp.asks.models import HelpRequest, SuggestionEvent
from webapp.core.extensions import db
from webapp.core.ids import utcnow
from webapp.initiatives.models import NeedStatus
from webapp.staff import services as staff
from webapp.suggestions import stored
from webapp.suggestions.models import StoredSuggestion, SuggestionList
from webapp.suggestions.services import suggest_requests

TITLE = re.compile(r'<h2 class="h3"><a href="[^"]*"[^>]*>([^<]*)</a></h2>')


def titles(response: Any) -> list[str]:
    """The suggested requests on the page, in the order shown."""
    assert response.status_code == 200
    return TITLE.findall(response.get_data(as_text=True))


def without_tokens(response: Any) -> str:
    return re.sub(r"<input[^>]*csrf_token[^>]*>", "", response.get_data(as_text=True))


def no_ranking(monkeypatch: pytest.MonkeyPatch) -> None:
    """From here on, building a ranking index fails the test."""
    def refuse(*_args: Any, **_kwargs: Any) -> None:
        raise AssertionError("a page view ranked")

    monkeypatch.setattr(matching, "MatchIndex", refuse)
    monkeypatch.setattr(matching, "InitiativeIndex", refuse)


def stored_for(make: Any, request: Any) -> int:
    return make.count(StoredSuggestion, StoredSuggestion.request_id == request.id)


@pytest.fixture
def world(make: Any) -> Any:
    """A volunteer (skills: boodschappen, computer) with three requests and an initiative nearby."""
    resident = make.user("resident")
    volunteer = make.user("volunteer")
    requests = [make.request(resident, title=f"Boodschappen doen {n}") for n in range(3)]
    organiser = make.user("organiser")
    ini = h.initiative(make, organiser, name="Boodschappenhulp Schalkwijk")
    need = h.need(make, organiser, ini, title="Boodschappen doen voor ouderen", skills="boodschappen")
    return type("World", (), dict(resident=resident, volunteer=volunteer, requests=requests, organiser=organiser,
                                  initiative=ini, need=need))


def test_a_warm_page_view_ranks_nothing_and_shows_the_same_page(world, make, login, monkeypatch):
    client = login(world.volunteer.email)
    cold = client.get("/aanbevolen/")
    assert make.count(SuggestionList, SuggestionList.volunteer_id == world.volunteer.id) == 1
    no_ranking(monkeypatch)
    warm = client.get("/aanbevolen/")
    assert titles(warm) == titles(cold) and len(titles(warm)) == 3
    assert without_tokens(warm) == without_tokens(cold)  # the whole page, reasons and initiatives included
    assert "Boodschappenhulp Schalkwijk" in visible(warm)
    # What the page showed is recorded once: the second view showed the same requests.
    shown = make.run(lambda: db.session.execute(select(SuggestionEvent.request_id).where(
        SuggestionEvent.volunteer_id == world.volunteer.id, SuggestionEvent.outcome == "shown")).scalars().all())
    assert sorted(shown) == sorted(r.id for r in world.requests)


WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def test_looking_at_the_same_suggestions_again_writes_nothing(world, make, login):
    """At 100x data every view of "Aanbevolen voor jou" wrote a "shown" event per suggestion, so each reload took the
    database's write lock. A view that shows what was shown before only reads; a request new in the list is
    recorded on the view that first shows it, once."""
    client = login(world.volunteer.email)
    assert len(titles(client.get("/aanbevolen/"))) == 3  # the first view: lists computed, shown recorded
    app = make.app
    with counting(app) as statements:
        assert len(titles(client.get("/aanbevolen/"))) == 3
    writes = [s for s in statements if s.lstrip().upper().startswith(WRITES)]
    assert writes == []
    newcomer = make.request(world.resident, title="Boodschappen doen 3")

    def computed_again() -> None:
        stored.store(db.session.get(User, world.volunteer.id))
        db.session.commit()
    make.run(computed_again)
    assert "Boodschappen doen 3" in titles(client.get("/aanbevolen/"))
    client.get("/aanbevolen/")

    def shown(request_id: int) -> int:
        return make.count(SuggestionEvent, SuggestionEvent.volunteer_id == world.volunteer.id,
                          SuggestionEvent.request_id == request_id, SuggestionEvent.outcome == "shown")
    assert [shown(r.id) for r in [*world.requests, newcomer]] == [1, 1, 1, 1]


def test_the_stored_order_is_the_engines_order(make, login):
    resident = make.user("resident")
    volunteer = make.user("volunteer")
    for n, key in enumerate(["groceries", "pets", "digital", "garden", "groceries", "company"]):
        make.request(resident, title=f"Vraag {n}", category_key=key)
    page = titles(login(volunteer.email).get("/aanbevolen/"))

    def ranked() -> list[tuple[str, float]]:
        user = db.session.get(User, volunteer.id)
        return [(s.help_request.title, s.suggestion.score) for s in suggest_requests(user, k=10, record_shown=False)]

    engine = make.run(ranked)
    score = dict(engine)
    # The same order, up to requests with equal scores (these six differ only in category: ties, whose order the
    # last bit of the waiting time may decide).
    assert [round(score[t], 5) for t in page] == [round(s, 5) for _t, s in engine] and len(page) == 6
    assert sorted(page) == sorted(score)


CHANGES = {
    "matched": dict(status="matched"),
    "cancelled": dict(status="cancelled"),
    "handed over": dict(status="handed_over"),
    "rejected by moderation": dict(moderation="rejected"),
    "held by moderation": dict(moderation="held"),
    "expired": dict(expires_at=utcnow() - timedelta(minutes=1)),
}


@pytest.mark.parametrize("change", CHANGES)
def test_a_request_that_closed_leaves_the_page_at_once(world, make, login, monkeypatch, change):
    client = login(world.volunteer.email)
    gone, kept = world.requests[0], world.requests[1]
    assert gone.title in titles(client.get("/aanbevolen/"))
    make.set_request(gone, **CHANGES[change])
    no_ranking(monkeypatch)
    page = titles(client.get("/aanbevolen/"))
    assert gone.title not in page and kept.title in page
    assert stored_for(make, gone) == 1  # still stored: the page filtered it out


def test_requests_of_a_blocked_requester_or_bound_to_an_offer_leave_the_page(world, make, login, monkeypatch):
    other = make.user("resident")
    theirs = make.request(other, title="Boodschappen voor de buurman")
    client = login(world.volunteer.email)
    assert {"Boodschappen voor de buurman", world.requests[0].title} <= set(titles(client.get("/aanbevolen/")))
    make.run(lambda: (db.session.execute(update(User).where(User.id == other.id).values(is_blocked=True)),
                      db.session.commit()))
    offer = make.offer(make.user("volunteer"))
    make.set_request(world.requests[0], offer_id=offer.id)
    no_ranking(monkeypatch)
    page = titles(client.get("/aanbevolen/"))
    assert "Boodschappen voor de buurman" not in page and world.requests[0].title not in page
    assert world.requests[1].title in page
    assert stored_for(make, theirs) == 1 and stored_for(make, world.requests[0]) == 1


def test_answered_and_dismissed_requests_leave_the_page(world, make, login, monkeypatch):
    client = login(world.volunteer.email)
    answered, dismissed, kept = world.requests
    assert len(titles(client.get("/aanbevolen/"))) == 3
    make.respond(answered, world.volunteer)
    client.post(f"/aanbevolen/{dismissed.public_id}/niet-voor-mij")
    no_ranking(monkeypatch)
    assert titles(client.get("/aanbevolen/")) == [kept.title]


def test_a_filled_or_signed_up_need_and_a_closed_initiative_leave_the_page(world, make, login, monkeypatch):
    client = login(world.volunteer.email)
    assert "Boodschappenhulp Schalkwijk" in visible(client.get("/aanbevolen/"))
    no_ranking(monkeypatch)

    def set_need(status: str) -> None:
        from webapp.initiatives.models import InitiativeNeed

        make.run(lambda: (db.session.execute(update(InitiativeNeed).where(InitiativeNeed.id == world.need.id)
                                             .values(status=status)), db.session.commit()))

    set_need(NeedStatus.FILLED)
    assert "Boodschappenhulp Schalkwijk" not in visible(client.get("/aanbevolen/"))
    set_need(NeedStatus.OPEN)
    assert "Boodschappenhulp Schalkwijk" in visible(client.get("/aanbevolen/"))
    client.post(f"/initiatieven/{world.initiative.public_id}/behoeften/{world.need.public_id}/aanmelden",
                data={"message": ""})
    assert "Boodschappenhulp Schalkwijk" not in visible(client.get("/aanbevolen/"))
    assert make.count(StoredSuggestion, StoredSuggestion.initiative_id == world.initiative.id) == 1


def test_an_unscreened_volunteer_never_sees_a_stored_screening_request(world, make, login, monkeypatch):
    sensitive = make.request(world.resident, title="Hulp met mijn post", needs_screening=True)
    client = login(world.volunteer.email)
    assert "Hulp met mijn post" not in titles(client.get("/aanbevolen/"))

    def smuggle() -> None:  # a list stored while the volunteer was screened (or any bug that stored it)
        db.session.add(StoredSuggestion(volunteer_id=world.volunteer.id, kind="request", rank=-1,
                                        request_id=sensitive.id, score=1.0, reasons=[]))
        db.session.commit()

    make.run(smuggle)
    no_ranking(monkeypatch)
    assert "Hulp met mijn post" not in titles(client.get("/aanbevolen/"))
    assert stored_for(make, sensitive) == 1


def test_a_lapsed_certificate_hides_stored_screening_requests(make, login, monkeypatch):
    resident = make.user("resident")
    volunteer = make.user("volunteer", screened=True)
    make.request(resident, title="Hulp met mijn post", needs_screening=True)
    client = login(volunteer.email)
    assert "Hulp met mijn post" in titles(client.get("/aanbevolen/"))

    def lapse() -> None:  # the date passes; nobody touches the profile row
        profile = db.session.get(User, volunteer.id).volunteer_profile
        profile.screened_until = date.today() - timedelta(days=1)
        db.session.commit()
        db.session.execute(update(SuggestionList).values(computed_at=utcnow()))  # as if computed after
        db.session.commit()

    make.run(lapse)
    no_ranking(monkeypatch)
    assert "Hulp met mijn post" not in titles(client.get("/aanbevolen/"))


def test_a_profile_edit_or_a_screening_makes_the_list_stale(world, make, login):
    client = login(world.volunteer.email)
    sensitive = make.request(world.resident, title="Hulp met mijn post", needs_screening=True)
    client.get("/aanbevolen/")
    assert make.count(StoredSuggestion, StoredSuggestion.volunteer_id == world.volunteer.id) > 0

    def edit() -> None:
        user = db.session.get(User, world.volunteer.id)
        accounts.update_volunteer_profile(user, accounts.VolunteerProfileData(
            skills=["boodschappen doen"], languages=["nl"], postcode="2034 AB", wijk=user.volunteer_profile.wijk,
            max_distance_km=5.0, availability=[], bio=""))
        db.session.commit()

    make.run(edit)
    assert make.run(lambda: not stored.is_fresh(db.session.get(User, world.volunteer.id), timedelta(hours=1)))
    assert "Hulp met mijn post" not in titles(client.get("/aanbevolen/"))

    def screen() -> None:
        staff_member = db.session.execute(select(User).where(User.email == "beheer@example.org")).scalar_one()
        staff.record_screening(staff_member, db.session.get(User, world.volunteer.id), date.today(),
                               date.today() + timedelta(days=365))
        db.session.commit()

    make.user("staff", email="beheer@example.org")
    make.run(screen)
    assert make.count(SuggestionList, SuggestionList.volunteer_id == world.volunteer.id) == 0
    assert "Hulp met mijn post" in titles(client.get("/aanbevolen/"))
    assert stored_for(make, sensitive) == 1


def test_an_old_list_is_computed_again_by_the_page(world, make, login, monkeypatch):
    client = login(world.volunteer.email)
    client.get("/aanbevolen/")
    newer = make.request(world.resident, title="Boodschappen doen later")
    assert newer.title not in titles(client.get("/aanbevolen/"))  # the stored list is fresh: no ranking
    make.run(lambda: (db.session.execute(update(SuggestionList).values(computed_at=utcnow() - timedelta(hours=2))),
                      db.session.commit()))
    assert newer.title in titles(client.get("/aanbevolen/"))


def test_flask_suggestions_refresh_stores_lists_for_volunteers(app, world, make, login, monkeypatch):
    make.user("volunteer")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["suggestions", "refresh"])
    assert result.exit_code == 0, result.output
    assert "Refreshed the suggestions of 2 volunteer(s)" in result.output
    assert make.count(SuggestionList) == 2
    assert make.count(StoredSuggestion, StoredSuggestion.volunteer_id == world.volunteer.id) == 3 + 1
    result = runner.invoke(args=["suggestions", "refresh", "--stale-minutes", "30"])
    assert "Refreshed the suggestions of 0 volunteer(s)" in result.output
    newer = make.request(world.resident, title="Boodschappen doen later")
    make.run(lambda: (db.session.execute(update(SuggestionList).where(SuggestionList.volunteer_id == world.volunteer.id)
                                         .values(computed_at=utcnow() - timedelta(minutes=45))), db.session.commit()))
    result = runner.invoke(args=["suggestions", "refresh", "--stale-minutes", "30"])
    assert "Refreshed the suggestions of 1 volunteer(s)" in result.output
    no_ranking(monkeypatch)
    page = titles(login(world.volunteer.email).get("/aanbevolen/"))
    assert newer.title in page and len(page) == 4


def test_refresh_in_batches_stores_the_same_lists_as_in_one(world, make):
    """Each batch commits; nothing a batch loaded may be needed after that commit (the initiatives were)."""
    others = [make.user("volunteer") for _ in range(2)]

    def lists() -> set[tuple[int, str, int | None, int | None]]:  # (the three requests tie: their order may differ)
        return {(r.volunteer_id, r.kind, r.request_id, r.need_id)
                for r in db.session.execute(select(StoredSuggestion)).scalars()}

    assert make.run(stored.refresh, batch=1).volunteers == 3
    in_batches = make.run(lists)
    assert make.run(stored.refresh, batch=500).volunteers == 3
    assert make.run(lists) == in_batches
    assert {v for v, kind, *_ in in_batches if kind == "initiative"} == {world.volunteer.id, *(o.id for o in others)}


def test_refresh_can_keep_to_volunteers_who_logged_in_lately(app, world, make, login):
    login(world.volunteer.email)  # logs in now; the other volunteer never did
    make.user("volunteer")
    result = app.test_cli_runner().invoke(args=["suggestions", "refresh", "--active-days", "1"])
    assert result.exit_code == 0 and "Refreshed the suggestions of 1 volunteer(s)" in result.output
    assert make.count(SuggestionList) == 1
    assert make.count(SuggestionList, SuggestionList.volunteer_id == world.volunteer.id) == 1


def test_a_warm_page_issues_the_same_number_of_queries_for_few_and_many_rows(app, make, login):
    resident = make.user("resident")
    volunteer = make.user("volunteer")
    organiser = make.user("organiser")
    client = login(volunteer.email)

    def grow(n: int) -> int:
        for i in range(n):
            make.request(resident, title=f"Boodschappen doen {n}-{i}")
            ini = h.initiative(make, organiser, name=f"Boodschappenhulp {n}-{i}")
            h.need(make, organiser, ini, title="Boodschappen doen voor ouderen", skills="boodschappen")
        assert app.test_cli_runner().invoke(args=["suggestions", "refresh"]).exit_code == 0
        client.get("/aanbevolen/")
        with counting(app) as statements:
            assert client.get("/aanbevolen/").status_code == 200
        return len(statements)

    few = grow(2)
    many = grow(12)
    assert make.count(StoredSuggestion, StoredSuggestion.volunteer_id == volunteer.id) >= 14 + 10
    assert many == few
    assert make.count(HelpRequest) == 14
