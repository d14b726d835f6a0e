"""Journey (e), the district budget, in a real browser on a small phone screen (360×740), in Dutch and English, with and
without JavaScript.

A staff member opens a round for Schalkwijk. A resident sends in a plan with its cost. Staff put it on the ballot,
with two other plans, say why a fourth cannot be done, and move voting to today. A second resident votes within the
budget (first adding up the choice, then trying more than the budget and being refused, ticks kept), and changes the
vote. Staff end voting and count; the results show the plans that get money, the ballots counted and turnout per
wijk. Every page passes the checks of support.PageChecks (axe at WCAG 2.1 A/AA with JavaScript, landmarks, lang,
nothing wider than the screen, ...) and weighs at most 100 KB. The ballot page is saved as a screenshot
(artifacts/browser/budget-ballot-<lang>-<js>.png), and the results page (budget-results-...).
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import pytest

from tests.browser.conftest import ARTIFACTS
from tests.browser.support import COMBINATIONS, PageChecks, Visitor, log_in_as_staff, new_visitor
from tests.factories import PASSWORD, make_user
from webapp.budgets.models import BudgetProposal, BudgetRound
from webapp.core.extensions import db

pytestmark = pytest.mark.browser


def person(server: Any, *roles: str, email: str, lang: str) -> str:
    with server.app.app_context():
        make_user(*roles, email=email, locale=lang)  # lives in Europawijk (Schalkwijk); e-mail address confirmed
    return email


def log_in(v: Visitor, email: str) -> None:
    v.page.goto("/inloggen")
    v.field("email").fill(email)
    v.field("password").fill(PASSWORD)
    v.follow(v.button("Log in"))


@pytest.mark.parametrize(("lang", "js"), COMBINATIONS)
def test_residents_send_in_plans_vote_within_the_budget_and_see_the_results(
        lang: str, js: bool, contexts: Any, live_server: Any, checks: PageChecks, expect: Any) -> None:
    run = uuid.uuid4().hex[:8]
    staff = new_visitor(contexts, "staff", lang, js, lang, live_server, checks, expect)
    author = new_visitor(contexts, "author", lang, js, lang, live_server, checks, expect)
    voter = new_visitor(contexts, "voter", lang, js, lang, live_server, checks, expect)
    log_in_as_staff(staff, person(live_server, "staff", email=f"consulent-{run}@example.org", lang=lang), PASSWORD)
    title = f"Wijkbudget Schalkwijk {run}"

    round_url = staff_opens_a_round(staff, run, title)
    plan = {"nl": f"Bankjes bij de speeltuin {run}", "en": f"Benches at the playground {run}"}[lang]
    author_sends_in_a_plan(author, person(live_server, "resident", email=f"auteur-{run}@example.org", lang=lang),
                           title, plan)
    others = more_plans(live_server, round_url, run)
    staff_checks_the_plans(staff, round_url, [plan, *others[:2]], others[2])
    staff_starts_voting(staff)

    log_in(voter, person(live_server, "resident", email=f"kiezer-{run}@example.org", lang=lang))
    resident_votes_and_changes_the_vote(voter, round_url, plan, others, f"{lang}-{'js' if js else 'nojs'}")
    staff_counts(staff, plan)
    everyone_sees_the_results(voter, title, plan, f"{lang}-{'js' if js else 'nojs'}")

    journey = f"{lang}-{'js' if js else 'nojs'}"
    checks.weigh(f"{journey} budget staff", staff.weigher)
    checks.weigh(f"{journey} budget author", author.weigher)
    checks.weigh(f"{journey} budget voter", voter.weigher)


def staff_opens_a_round(v: Visitor, run: str, title: str) -> str:
    page = v.page
    v.follow(page.get_by_role("navigation", name=v.t("Staff workspace")).get_by_role(
        "link", name=v.t("District budgets")))
    v.check("budgets-staff")
    v.follow(v.main().get_by_role("link", name=v.t("Open a new round"), exact=True))
    v.check("budget-round-form")
    today = date.today()
    v.field("stadsdeel").select_option(label="Schalkwijk")
    v.field("cycle").fill(run)
    v.field("title").fill(title)
    v.field("description").fill("Geld voor groen, spelen en ontmoeten in Schalkwijk.")
    v.field("amount").fill("5.000")
    v.field("proposals_from").fill(today.isoformat())
    v.field("proposals_until").fill((today + timedelta(days=7)).isoformat())
    v.field("voting_from").fill((today + timedelta(days=8)).isoformat())
    v.field("voting_until").fill((today + timedelta(days=21)).isoformat())
    v.follow(v.button("Open the round"))
    v.sees_flash("The round is open. Residents can send in plans from the first day.")
    v.check("budget-round-staff")
    return str(page.url)


def author_sends_in_a_plan(v: Visitor, email: str, round_title: str, plan: str) -> None:
    page = v.page
    log_in(v, email)
    v.follow(v.menu_link("District budget"))
    v.check("budgets")
    v.follow(v.main().get_by_role("link", name=round_title))
    v.check("budget-round")
    v.follow(v.main().get_by_role("link", name=v.t("Send in a plan"), exact=True))
    v.check("budget-plan-form")
    v.follow(v.button("Send in my plan"))  # empty: every mistake is listed, nothing is lost
    assert page.locator(".error-summary a").count() >= 3
    v.check("budget-plan-form-errors")
    v.field("title").fill(plan)
    v.field("summary").fill("Drie bankjes en wat schaduw, zodat ouders en ouderen bij de speeltuin kunnen zitten.")
    v.field("cost").fill("€ 2.000")
    v.field("wijk").select_option(label="Europawijk")
    v.follow(v.button("Send in my plan"))
    v.sees_flash("Thank you! Your plan is sent in. Staff check if it can be done.")
    v.expect(page.get_by_role("heading", level=1)).to_have_text(plan)
    v.check("budget-plan")


def more_plans(server: Any, round_url: str, run: str) -> list[str]:
    """Three more plans waiting for the check (sent in by other residents)."""
    public_id = round_url.rstrip("/").split("/")[-1]
    titles = [f"Moestuinbakken {run}", f"Koffieochtend {run}", f"Zwembad op het plein {run}"]
    with server.app.app_context():
        round_ = db.session.query(BudgetRound).filter_by(public_id=public_id).one()
        someone = make_user("resident")
        for title, cost in zip(titles, (2_500, 1_000, 4_000), strict=True):
            db.session.add(BudgetProposal(round_id=round_.id, title=title, cost=cost, proposed_by_id=someone.id,
                                          summary="Een plan van een buurtbewoner, met wat het kost erbij."))
        db.session.commit()
    return titles


def card(v: Visitor, title: str) -> Any:
    return v.main().locator("li.card").filter(has=v.page.get_by_role("heading", name=title))


def staff_checks_the_plans(v: Visitor, round_url: str, feasible: list[str], not_feasible: str) -> None:
    v.page.goto(round_url)
    for title in feasible:
        v.follow(card(v, title).get_by_role("button", name=v.t("It can be done: put it on the ballot")))
        v.sees_flash("The plan is on the ballot.")
    v.check("budget-round-staff-checked", axe=False)
    rejected = card(v, not_feasible)
    rejected.locator("summary").click()  # <details> opens without JavaScript too
    rejected.locator("textarea[name=reason]").fill("Een zwembad kost veel meer dan dit budget; het past niet.")
    v.follow(rejected.get_by_role("button", name=v.t("Save the reason")))
    v.sees_flash("The plan cannot be done. The reason is on its page.")


def staff_starts_voting(v: Visitor) -> None:
    """Move voting to today (staff may, until voting has started)."""
    page = v.page
    v.follow(v.main().get_by_role("link", name=v.t("Change the round"), exact=True))
    today = date.today()
    v.field("proposals_from").fill((today - timedelta(days=2)).isoformat())
    v.field("proposals_until").fill((today - timedelta(days=1)).isoformat())
    v.field("voting_from").fill(today.isoformat())
    v.follow(v.button("Save the round"))
    v.sees_flash("The round is saved.")
    v.expect(page.locator("main .status")).to_have_text(v.t("Voting now"))


def tick(v: Visitor, title: str, on: bool = True) -> None:
    box = v.main().locator("ul.ballot li").filter(has_text=title).locator("input[type=checkbox]")
    box.check() if on else box.uncheck()


def resident_votes_and_changes_the_vote(v: Visitor, round_url: str, plan: str, others: list[str], label: str) -> None:
    page = v.page
    page.goto(round_url.replace("/werkruimte/wijkbudget/", "/wijkbudget/"))
    v.check("budget-round-voting")
    v.follow(v.main().get_by_role("link", name=v.t("Vote"), exact=True))
    v.check("budget-ballot")
    assert v.main().locator("ul.ballot li").count() == 3  # the plan that cannot be done is not on the ballot
    tick(v, plan)
    tick(v, others[0])
    if v.js:  # the total follows the ticks
        v.expect(v.main().locator("[data-total]")).to_contain_text("4")
    v.follow(v.button("Add up my choice"))
    v.expect(v.main().locator(".total")).to_contain_text(v.t("This fits in the budget. Press “Vote” to send it."))
    v.check("budget-ballot-added-up", axe=False)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"budget-ballot-{label}.png"))  # what the phone shows: the total at the bottom

    tick(v, others[1])  # 2000 + 2500 + 1000 = 5500: more than the budget of 5000
    v.follow(v.button("Vote"))
    v.expect(v.main().locator(".error-summary")).to_contain_text(
        v.t("Your choice costs more than the budget. Untick a plan and send it again."))
    assert v.main().locator("input[type=checkbox]:checked").count() == 3  # the ticks are kept
    v.check("budget-ballot-over")
    tick(v, others[0], on=False)
    v.follow(v.button("Vote"))
    v.sees_flash("Thank you for voting! You can change your vote until voting ends.")
    v.check("budget-round-voted", axe=False)

    v.follow(v.main().get_by_role("link", name=v.t("Change my vote"), exact=True))
    assert v.main().locator("input[type=checkbox]:checked").count() == 2  # their own ballot, ticked again
    tick(v, others[1], on=False)
    tick(v, others[0])
    v.follow(v.button("Vote"))
    v.sees_flash("Your vote has changed. You can change it until voting ends.")


def staff_counts(v: Visitor, plan: str) -> None:
    page = v.page
    page.reload()
    v.follow(v.main().get_by_role("button", name=v.t("End voting and count")))
    v.expect(page.locator(".flashes")).to_contain_text(v.tn("Counted: %(num)d ballot. The results are public.",
                                                            "Counted: %(num)d ballots. The results are public.", 1))
    v.expect(page.get_by_role("heading", level=1)).to_contain_text(v.t("Results: %(title)s", title="").strip())
    v.check("budget-results-staff", axe=False)


def everyone_sees_the_results(v: Visitor, round_title: str, plan: str, label: str) -> None:
    page = v.page
    v.follow(v.menu_link("District budget"))
    v.follow(v.main().get_by_role("link", name=round_title))
    v.follow(v.main().get_by_role("link", name=v.t("See the results"), exact=True))
    v.check("budget-results")
    v.expect(v.main().locator("ol.results-list")).to_contain_text(plan)
    v.expect(v.main().locator(".budget-facts div").first.locator("dd")).to_have_text("1")  # ballots counted
    assert page.locator("table.data").count() == 1  # turnout per wijk
    page.screenshot(path=str(ARTIFACTS / f"budget-results-{label}.png"), full_page=True)
