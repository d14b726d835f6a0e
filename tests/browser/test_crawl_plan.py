"""Which pages the six-language crawl (test_every_page.py) opens for whom, and when two pages count as one: fast
checks without a browser, so a mistake in the plan shows in the quick run too."""

from __future__ import annotations

from tests.browser.test_every_page import CRAWL_ROLES, NOT_PAGES, _derived, fingerprints
from tests.webapp.route_matrix import entries
from tests.webapp.route_world import ROLES
from webapp.core.access import city_may_open


def _pages(role: str) -> set[str]:
    return {entry.endpoint for entry in entries()
            if entry.method == "GET" and entry.endpoint not in NOT_PAGES and _derived(role, entry.expected,
                                                                                      entry.endpoint)}


def test_every_role_of_the_brief_is_crawled_and_gets_pages() -> None:
    assert set(ROLES) - {"other"} <= set(CRAWL_ROLES)
    for role in ("anonymous", "resident", "volunteer", "unscreened", "organiser", "staff", "city"):
        assert role in CRAWL_ROLES and _pages(role), role


def test_the_city_opens_the_figures_and_nothing_personal() -> None:
    city = _pages("city")
    assert any(endpoint.startswith("reports.") for endpoint in city)
    assert all(city_may_open(endpoint) for endpoint in city)
    assert not any(endpoint.startswith(("staff.", "asks.", "accounts.account")) for endpoint in city)


def test_the_volunteer_without_a_vog_opens_volunteer_pages_but_not_the_screened_ones_own() -> None:
    unscreened, volunteer = _pages("unscreened"), _pages("volunteer")
    assert unscreened and unscreened <= volunteer
    owned = {entry.endpoint for entry in entries()
             if entry.method == "GET" and entry.expected["volunteer"] == "200" and entry.expected["other"] != "200"}
    assert not unscreened & owned


def test_an_admin_opens_only_what_staff_cannot() -> None:
    assert not _pages("admin") & _pages("staff")


def test_a_page_is_the_same_whatever_its_csrf_token_or_current_menu_item() -> None:
    page = ('<html lang="nl"><head><title>{title}</title></head><body><header><a href="/"{current}>Home</a>'
            '</header><main><form><input type="hidden" name="csrf_token" value="{token}"><p>{text}</p></form>'
            '</main></body></html>')
    one = fingerprints(page.format(title="Vragen", current=' aria-current="page"', token="aaa", text="Hallo"))
    two = fingerprints(page.format(title="Aanbod", current="", token="bbb", text="Hallo"))
    other_main = fingerprints(page.format(title="Vragen", current="", token="aaa", text="Dag"))
    assert one == two
    assert other_main[0] != one[0] and other_main[1] == one[1]
    other_frame = fingerprints(page.replace('lang="nl"', 'lang="en"').format(title="", current="", token="",
                                                                               text="Hallo"))
    assert other_frame[0] == one[0] and other_frame[1] != one[1]
