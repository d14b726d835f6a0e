"""Journey (c) in a real browser on a small phone screen (360×740), in Dutch and English, with and without JavaScript.

An organiser signs up with the organiser role, registers an initiative and publishes a volunteer need on it; a staff
member confirms the new initiative from the workspace's queue (until then only its organisers see it). A
volunteer finds the need on the "Help wanted" board with the search words, and signs up. The organiser confirms the
volunteer; the need's progress goes from 0 to 1 of 2, and the volunteer reads that they are confirmed.
Every page passes the checks of support.PageChecks (axe at WCAG 2.1 A/AA with JavaScript, landmarks, lang, ...) and
weighs at most 100 KB.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.browser.support import (
    COMBINATIONS,
    PASSWORD,
    PageChecks,
    Visitor,
    confirmation_path,
    error_links,
    log_in_as_staff,
    new_visitor,
)
from tests.browser.test_staff_journey import staff_member, workspace_link
from tests.factories import PASSWORD as FACTORY_PASSWORD

pytestmark = pytest.mark.browser
CONFIRMED = ("%(num)d of %(total)d volunteer confirmed", "%(num)d of %(total)d volunteers confirmed")


@pytest.mark.parametrize(("lang", "js"), COMBINATIONS)
def test_organiser_publishes_a_need_and_a_volunteer_signs_up(lang: str, js: bool, contexts: Any, live_server: Any,
                                                             checks: PageChecks, expect: Any) -> None:
    run = uuid.uuid4().hex[:8]
    organiser = new_visitor(contexts, "organiser", lang, js, lang, live_server, checks, expect)
    volunteer = new_visitor(contexts, "volunteer", lang, js, lang, live_server, checks, expect)
    name = {"nl": f"Buurtmoestuin Kleverpark {run}", "en": f"Kleverpark community garden {run}"}[lang]
    need_title = {"nl": f"Twee mensen om te wieden {run}", "en": f"Two people to weed {run}"}[lang]

    sign_up(organiser, f"organisator-{run}@example.org", "Fatima", "organiser")
    initiative_url = organiser_registers_initiative(organiser, name)
    organiser_publishes_need(organiser, need_title)
    staff = new_visitor(contexts, "staff", lang, js, lang, live_server, checks, expect)
    staff_confirms(staff, staff_member(live_server, run, lang), name)

    sign_up(volunteer, f"helper-{run}@example.org", "Piet", "volunteer")
    volunteer_finds_and_signs_up(volunteer, run, need_title)

    organiser_confirms(organiser, initiative_url, "Piet", need_title)
    volunteer_is_confirmed(volunteer, initiative_url, need_title, f"organisator-{run}@example.org")

    journey = f"{lang}-{'js' if js else 'nojs'}"
    checks.weigh(f"{journey} organiser", organiser.weigher)
    checks.weigh(f"{journey} need volunteer", volunteer.weigher)


def sign_up(v: Visitor, email: str, first_name: str, role: str) -> None:
    page = v.page
    page.goto("/registreren")
    v.check("register")
    v.field("first_name").fill(first_name)
    v.field("email").fill(email)
    v.field("postcode").fill("2012")
    v.field("roles", "resident").uncheck()
    v.field("roles", role).check()
    v.field("password").fill(PASSWORD)
    v.follow(v.button("Create my account"))
    page.goto(confirmation_path(v.server, email))  # the link in the e-mail, opened in this browser: logged in
    v.sees_flash("Welcome to Samen, %(name)s! Your e-mail address is confirmed.", name=first_name)
    if role == "volunteer":  # a new volunteer starts on the profile; the journey (b) covers filling it in
        assert page.url.endswith("/mijn/vrijwilligersprofiel")
        v.field("skills").fill("tuinieren, sjouwen")
        v.follow(v.button("Save my profile"))
        v.sees_flash("Your volunteer profile is saved.")


def organiser_registers_initiative(v: Visitor, name: str) -> str:
    page = v.page
    v.follow(v.menu_link("Initiatives"))
    v.check("initiatives")
    v.follow(v.main().get_by_role("link", name=v.t("Register an initiative"), exact=True))
    v.check("initiative-form")

    # The empty form: every error is listed and linked to its field.
    v.follow(v.button("Save"))
    assert error_links(page, at_least=3)[:2] == ["name", "description"]  # the wijk is taken from the account
    v.check("initiative-form-errors")

    v.field("name").fill(name)
    v.field("description").fill(
        "Wij maken samen een moestuin in het park. Iedereen uit de buurt is welkom." if v.lang == "nl"
        else "Together we make a vegetable garden in the park. Everyone from the area is welcome.")
    v.field("status", "active").check()
    v.field("wijken").first.check()
    v.field("goals").first.check()
    v.follow(v.button("Save"))
    v.sees_flash("Your initiative is saved. The volunteer centre will look at it soon; then everyone can see it. "
                 "Now add what you need.")
    v.expect(page.get_by_role("heading", level=1)).to_have_text(name)
    v.check("initiative-organiser", axe=False)
    return str(page.url).split("#")[0]


def organiser_publishes_need(v: Visitor, title: str) -> None:
    page = v.page
    v.follow(v.main().get_by_role("link", name=v.t("Add a need"), exact=True))
    v.check("need-form")
    v.field("kind", "volunteers").check()
    v.field("title").fill(title)
    v.field("skills").fill("tuinieren" if v.lang == "nl" else "gardening")
    v.field("how_many").fill("2")
    v.field("frequency", "recurring").check()
    v.field("slots").first.check()
    v.follow(v.button("Save"))
    v.sees_flash("The need is on the page of your initiative.")
    card = v.main().locator("li.card").filter(has=page.get_by_role("heading", name=title))
    v.expect(card.locator(".progress-text")).to_contain_text(v.tn(*CONFIRMED, 2, num=0, total=2))
    v.check("initiative-organiser-need", axe=False)


def staff_confirms(v: Visitor, email: str, name: str) -> None:
    log_in_as_staff(v, email, FACTORY_PASSWORD)  # staff_member is made by the factories
    v.follow(workspace_link(v, "New initiatives"))
    v.check("initiatives-to-confirm")
    v.follow(v.main().get_by_role("button", name=v.t("Confirm %(name)s", name=name)))
    v.sees_flash("%(name)s is confirmed. Everyone can see it now, and its organisers hear it.", name=name)


def volunteer_finds_and_signs_up(v: Visitor, run: str, title: str) -> None:
    page = v.page
    v.follow(v.menu_link("Initiatives"))
    v.follow(v.main().get_by_role("link", name=v.t("Help wanted"), exact=True))
    v.check("needs-board")
    search = v.main().get_by_role("search") if v.main().get_by_role("search").count() else v.main().locator("form")
    search.locator("[name=q]").fill(run)
    v.follow(search.get_by_role("button", name=v.t("Show"), exact=True))
    v.expect(v.main().locator("[role=status]")).to_have_text(
        v.tn("%(num)d need found", "%(num)d needs found", 1))
    v.check("needs-board-found", axe=False)
    v.follow(v.main().get_by_role("link", name=title))
    v.check("initiative-volunteer")

    card = v.main().locator("li.card").filter(has=page.get_by_role("heading", name=title))
    card.locator("textarea[name=message]").fill(
        "Ik kan op zaterdag helpen." if v.lang == "nl" else "I can help on Saturdays.")
    v.follow(card.get_by_role("button", name=v.t("I want to help with this")))
    v.sees_flash("You signed up. The organisers will let you know.")
    v.check("initiative-volunteer-signed-up", axe=False)


def organiser_confirms(v: Visitor, initiative_url: str, volunteer_name: str, title: str) -> None:
    page = v.page
    page.goto(initiative_url)
    card = v.main().locator("li.card").filter(has=page.get_by_role("heading", name=title))
    v.expect(card).to_contain_text(volunteer_name)
    v.check("initiative-organiser-signups")
    v.follow(card.get_by_role("button", name=v.t("Confirm %(name)s", name=volunteer_name)))
    v.sees_flash("Saved. The volunteer gets a message.")
    card = v.main().locator("li.card").filter(has=page.get_by_role("heading", name=title))
    v.expect(card.locator(".progress-text")).to_contain_text(v.tn(*CONFIRMED, 2, num=1, total=2))
    v.expect(card.locator("progress")).to_have_attribute("value", "1")
    v.expect(card.locator(".progress-text .tag")).to_have_text(v.t("Partly filled"))
    v.check("initiative-organiser-confirmed", axe=False)


def volunteer_is_confirmed(v: Visitor, initiative_url: str, title: str, organiser_email: str) -> None:
    page = v.page
    page.goto(initiative_url)
    card = v.main().locator("li.card").filter(has=page.get_by_role("heading", name=title))
    v.expect(card).to_contain_text(v.t("You are confirmed for this. Thank you!"))
    v.expect(page.locator(".contact")).to_contain_text(organiser_email)  # contact details only after the match
    v.check("initiative-volunteer-confirmed")
