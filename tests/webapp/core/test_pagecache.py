"""The shared cache of public pages: anonymous visitors are served from it; any change to what a page shows
clears it at once (nothing hidden by staff, a handover or a blocked account stays visible); logged-in people and
pages with something of the visitor's own are never cached."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from flask import Flask, g
from sqlalchemy import func, select, update

from tests.conftest import visible
from tests.webapp import budget_helpers, initiative_helpers
from webapp.accounts.models import User
from webapp.asks.models import HelpRequest
from webapp.budgets.models import BudgetProposal
from webapp.core.extensions import db
from webapp.core.pagecache import services
from webapp.core.pagecache.models import CachedPage
from webapp.initiatives.models import InitiativeNeed
from webapp.notifications.models import Notification
from webapp.staff.services import block_person


@pytest.fixture
def cached(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[Flask]:
    """The app with the page cache on, as in production (the suite runs with it off). Pages are stored even right
    after a change (without the margin for clocks of several servers), so tests need not wait."""
    monkeypatch.setattr(services, "SETTLE_SECONDS", 0.0)
    with app.app_context():  # marks of changes made before this test (loading reference data)
        db.session.execute(CachedPage.__table__.delete())
        db.session.commit()
    before = app.config["PAGE_CACHE_SECONDS"]
    app.config["PAGE_CACHE_SECONDS"] = 30
    yield app
    app.config["PAGE_CACHE_SECONDS"] = before


def state(response) -> str | None:
    return response.headers.get("X-Page-Cache")


@pytest.fixture
def posted(make):
    resident = make.user("resident", first_name="Ans")
    return resident, make.request(resident, title="Boodschappen voor Ans")


def test_an_anonymous_visitor_gets_the_stored_page_and_the_same_html(cached, anon, posted):
    _resident, help_request = posted
    visitor = anon("nl")
    for url in ("/vragen/", f"/vragen/{help_request.public_id}", "/", "/vrijwilligerswerk", "/organisaties"):
        first, second = visitor.get(url), anon("nl").get(url)
        assert (state(first), state(second)) == ("miss", "hit"), url
        assert first.get_data() == second.get_data()
        assert "Boodschappen voor Ans" in visible(second) or url == "/organisaties"


def test_each_language_has_its_own_page(cached, anon, posted):
    assert state(anon("nl").get("/vragen/")) == "miss"
    english = anon("en").get("/vragen/")
    assert state(english) == "miss" and 'lang="en"' in english.get_data(as_text=True)
    assert 'lang="en"' in anon("en").get("/vragen/").get_data(as_text=True)


def test_logged_in_people_never_get_or_fill_the_cache(cached, anon, login, make, posted):
    make.user("volunteer", email="vera@example.org")
    volunteer = login("vera@example.org")
    for _ in range(2):
        response = volunteer.get("/vragen/")
        assert state(response) is None and "Uitloggen" in visible(response)
    assert state(anon("nl").get("/vragen/")) == "miss"


def test_a_change_to_a_request_shows_at_once(cached, anon, make, posted):
    _resident, help_request = posted
    detail = f"/vragen/{help_request.public_id}"
    for url in ("/vragen/", detail, "/vrijwilligerswerk"):
        anon("nl").get(url)
        assert state(anon("nl").get(url)) == "hit"
    make.set_request(help_request, title="Hulp bij het ophalen van medicijnen")
    for url in ("/vragen/", detail, "/vrijwilligerswerk"):
        response = anon("nl").get(url)
        assert state(response) == "miss" and "ophalen van medicijnen" in visible(response)


def test_a_request_hidden_by_staff_disappears_at_once_also_through_a_bulk_update(cached, anon, app, posted):
    _resident, help_request = posted
    for url in ("/vragen/", "/vrijwilligerswerk"):
        anon("nl").get(url)
        assert "Boodschappen voor Ans" in visible(anon("nl").get(url))
    with app.app_context():
        db.session.execute(update(HelpRequest).where(HelpRequest.id == help_request.id)
                           .values(moderation="rejected"))
        db.session.commit()
    for url in ("/vragen/", "/vrijwilligerswerk"):
        assert "Boodschappen voor Ans" not in visible(anon("nl").get(url))
    assert anon("nl").get(f"/vragen/{help_request.public_id}").status_code == 404


def test_blocking_a_person_clears_every_public_page(cached, anon, app, make, posted):
    resident, _help_request = posted
    staff = make.user("staff")
    anon("nl").get("/vragen/")
    anon("nl").get("/aanbod/")
    with app.app_context():
        block_person(db.session.get(User, staff.id), db.session.get(User, resident.id), "spam")
        db.session.commit()
    assert "Boodschappen voor Ans" not in visible(anon("nl").get("/vragen/"))
    assert state(anon("nl").get("/aanbod/")) == "miss"


def test_private_changes_and_log_ins_keep_the_pages(cached, anon, app, login, make, posted):
    resident, _help_request = posted
    anon("nl").get("/vragen/")
    with app.app_context():
        db.session.add(Notification(user_id=resident.id, kind="test", params={}))
        db.session.commit()
    make.user("volunteer", email="wim@example.org")
    login("wim@example.org")  # sets last_login_at on the person's row
    assert state(anon("nl").get("/vragen/")) == "hit"


def test_a_visitor_with_a_message_waiting_gets_a_fresh_page(cached, anon, posted):
    anon("nl").get("/vragen/")
    visitor = anon("nl")
    with visitor.session_transaction() as session:
        session["_flashes"] = [("info", "Je bent uitgelogd.")]
    response = visitor.get("/vragen/")
    assert state(response) is None and "Je bent uitgelogd." in visible(response)


def test_a_page_with_a_form_token_of_the_visitor_is_not_stored(cached, app):
    from flask_wtf.csrf import generate_csrf

    from webapp.core.pagecache.views import fill_cache

    with app.test_request_context("/vragen/"):
        g.page_cache = ("requests:test", "requests", time.time(), {})
        token = generate_csrf()
        fill_cache(app.response_class(f'<input name="csrf_token" value="{token}">', mimetype="text/html"))
        assert db.session.get(CachedPage, "requests:test") is None
        # A form built but not shown leaves the page the same for everybody.
        fill_cache(app.response_class("<p>no form</p>", mimetype="text/html"))
        assert db.session.get(CachedPage, "requests:test") is None  # g.page_cache was used up
    with app.test_request_context("/vragen/"):
        g.page_cache = ("requests:test", "requests", time.time(), {})
        generate_csrf()
        fill_cache(app.response_class("<p>no form</p>", mimetype="text/html"))
        assert db.session.get(CachedPage, "requests:test") is not None


def test_a_page_that_changed_the_visitors_session_is_not_stored(cached, app):
    from flask import session

    from webapp.core.pagecache.views import fill_cache

    with app.test_request_context("/vragen/"):
        g.page_cache = ("requests:mine", "requests", time.time(), {})
        session["lang"] = "en"
        fill_cache(app.response_class("<p>page</p>", mimetype="text/html"))
        assert db.session.get(CachedPage, "requests:mine") is None


def test_a_page_rendered_before_a_change_was_written_is_not_stored(cached, app):
    with app.app_context():
        started = time.time()
        services.clear(["requests"])
        assert not services.store("requests:old", "requests", b"old", rendered_since=started, seconds=30)
        assert services.store("offers:new", "offers", b"new", rendered_since=started, seconds=30)
        assert services.lookup("offers:new") == b"new" and services.lookup("requests:old") is None


def test_a_stored_page_expires(cached, app):
    with app.app_context():
        assert services.store("offers:x", "offers", b"x", rendered_since=time.time() - 5, seconds=30)
        assert services.lookup("offers:x") == b"x"
        assert services.lookup("offers:x", now=time.time() + 31) is None


def test_a_new_request_shows_when_the_stored_list_expires(cached, anon, app, make, posted):
    resident, _help_request = posted
    anon("nl").get("/vragen/")
    make.request(resident, title="Hulp bij de verhuizing")
    # Additions are not worth clearing for (posting is frequent): they show within PAGE_CACHE_SECONDS.
    assert "Hulp bij de verhuizing" not in visible(anon("nl").get("/vragen/"))
    with app.app_context():
        db.session.execute(update(CachedPage).values(expires_at=time.time() - 1))
        db.session.commit()
    assert "Hulp bij de verhuizing" in visible(anon("nl").get("/vragen/"))


def test_detail_pages_are_shared_with_form_protection_on(cached, anon, make, monkeypatch, posted):
    """As in production: a detail page builds its forms for everyone (shown only to people logged in)."""
    monkeypatch.setitem(cached.config, "WTF_CSRF_ENABLED", True)
    volunteer = make.user("volunteer")
    offer = make.offer(volunteer)
    _resident, help_request = posted
    for url in (f"/vragen/{help_request.public_id}", f"/aanbod/{offer.public_id}"):
        first, second = anon("nl").get(url), anon("nl").get(url)
        assert (state(first), state(second)) == ("miss", "hit"), url
        assert 'name="csrf_token"' not in second.get_data(as_text=True)


def test_made_up_query_arguments_are_not_stored(cached, anon, app, posted):
    assert state(anon("nl").get("/vragen/?category=groceries&page=1")) == "miss"
    for n in range(3):
        response = anon("nl").get(f"/vragen/?utm_source=x{n}")
        assert response.status_code == 200 and state(response) is None
    with app.app_context():
        assert db.session.execute(select(func.count()).select_from(CachedPage)
                                  .where(~CachedPage.key.startswith("mark:"))).scalar_one() == 1


def test_a_savepoint_inside_a_change_clears_the_pages_only_after_the_whole_change_is_committed(
        cached, anon, app, posted, monkeypatch):
    """`begin_nested` (a report, a ballot, a budget round) ends with a SAVEPOINT release, which SQLAlchemy announces
    as a commit. Clearing the cache right then wrote from a second connection while this one held SQLite's write
    lock: the click waited for the busy timeout, twice (30 s), and the pages were not cleared. Now they are cleared
    once, after the real commit, with what changed before and inside the savepoint."""
    _resident, help_request = posted
    anon("nl").get("/vragen/")
    cleared: list[set[str]] = []
    real_clear = services.clear
    monkeypatch.setattr(services, "clear", lambda tags: (cleared.append(set(tags)), real_clear(tags)))
    with app.app_context():
        row = db.session.get(HelpRequest, help_request.id)
        row.title = "Boodschappen voor Bep"
        db.session.flush()  # this connection now holds the write lock
        with db.session.begin_nested():
            row.description = "Graag op woensdag, de boodschappen voor Bep."
        assert cleared == []
        db.session.commit()
    assert len(cleared) == 1 and "requests" in cleared[0]
    assert "Boodschappen voor Bep" in visible(anon("nl").get("/vragen/"))


def test_the_front_door_is_shared_and_a_filled_need_leaves_it_at_once(cached, anon, app, make):
    """The front door lists requests and initiatives' needs together: a change to either clears it."""
    organiser = make.user("organiser", first_name="Olga")
    garden = initiative_helpers.initiative(make, organiser)
    wanted = initiative_helpers.need(make, organiser, garden, title="Onkruid wieden op zaterdag")
    url = "/vrijwilligerswerk?kind=need&dagdeel=morning"
    assert state(anon("nl").get(url)) == "miss"
    second = anon("nl").get(url)
    assert state(second) == "hit" and "Onkruid wieden op zaterdag" in visible(second)
    with app.app_context():
        db.session.execute(update(InitiativeNeed).where(InitiativeNeed.id == wanted.id).values(status="filled"))
        db.session.commit()
    after = anon("nl").get(url)
    assert state(after) == "miss" and "Onkruid wieden op zaterdag" not in visible(after)


def test_a_rounds_results_are_shared_and_a_changed_plan_shows_at_once(cached, anon, app, make, login):
    staff = make.user("staff")
    round_ = budget_helpers.budget_round(make, staff, "voting", amount=10_000)
    plan = budget_helpers.proposal(make, make.user("resident"), round_, title="Bankjes", cost=2_000)
    budget_helpers.vote(make, make.user("resident"), round_, plan)
    assert login(staff.email).post(f"/werkruimte/wijkbudget/{round_.public_id}/tellen").status_code == 302
    url = f"/wijkbudget/{round_.public_id}/uitslag"
    assert state(anon("nl").get(url)) == "miss"
    assert state(anon("nl").get(url)) == "hit"
    with app.app_context():
        db.session.execute(update(BudgetProposal).where(BudgetProposal.id == plan.id)
                           .values(title="Bankjes bij de vijver"))
        db.session.commit()
    after = anon("nl").get(url)
    assert state(after) == "miss" and "Bankjes bij de vijver" in visible(after)
