"""No N+1 on the district budget's pages: the SQL statements of the rounds, a round, the ballot, the results and the
staff pages do not grow with the number of plans, voters and rounds (as tests/webapp/test_query_counts.py does for
the other list pages)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from tests.webapp import budget_helpers as bh
from tests.webapp import initiative_helpers as ini
from tests.webapp.test_query_counts import FEW, MANY, statements_for
from webapp.budgets.models import ProposalStatus


class BudgetWorld:
    def __init__(self, make: Any) -> None:
        self.make = make
        self.staff = make.user("staff", email="staff@example.org")
        self.resident = make.user("resident", email="resident@example.org")
        self.organiser = make.user("organiser", email="organiser@example.org")
        self.voting = bh.budget_round(make, self.staff, "voting", cycle="v", amount=10_000_000)
        self.counted: Any = None
        self.plans: list[Any] = []
        self.added = 0

    def _plans(self, round_: Any, start: int, stop: int) -> list[Any]:
        make, made = self.make, []
        for i in range(start, stop):
            initiative = ini.initiative(make, self.organiser, name=f"Initiatief {round_.cycle} {i}")
            plan = bh.proposal(make, self.organiser, round_, title=f"Plan {i}", cost=100 + i,
                               initiative=initiative if i % 2 else None, wijk_code="WK039219" if i % 3 else None)
            bh.proposal(make, self.organiser, round_, title=f"Niet haalbaar {i}", cost=50,
                        status=ProposalStatus.REJECTED)
            bh.vote(make, make.user("resident", wijk_code=("WK039218", "WK039220")[i % 2]), round_, plan)
            made.append(plan)
        return made

    def grow(self, n: int) -> None:
        """n more plans (and voters, and upcoming rounds) in the round being voted on, and a counted round with as
        many plans as that one has now."""
        self.plans += self._plans(self.voting, self.added, self.added + n)
        for i in range(self.added, self.added + n):
            bh.budget_round(self.make, self.staff, "upcoming", cycle=f"u{i}")
        self.added += n
        self.counted = bh.budget_round(self.make, self.staff, "voting", cycle=f"c{self.added}", amount=10_000_000)
        self._plans(self.counted, 0, self.added)
        bh.count(self.make, self.staff, self.counted)
    def pages(self, app: Flask, login: Callable[..., FlaskClient]) -> dict[str, int]:
        resident, staff, anonymous = login(self.resident.email), login(self.staff.email), app.test_client()
        urls = {
            "anonymous rounds": (anonymous, "/wijkbudget"),
            "anonymous round": (anonymous, f"/wijkbudget/{self.voting.public_id}"),
            "resident round": (resident, f"/wijkbudget/{self.voting.public_id}"),
            "resident ballot": (resident, f"/wijkbudget/{self.voting.public_id}/stemmen"),
            "anonymous results": (anonymous, f"/wijkbudget/{self.counted.public_id}/uitslag"),
            "staff rounds": (staff, "/werkruimte/wijkbudget/"),
            "staff round": (staff, f"/werkruimte/wijkbudget/{self.voting.public_id}"),
            "staff intake": (staff, f"/werkruimte/wijkbudget/{self.voting.public_id}/intake"),
            "staff report": (staff, "/rapportage/?kind=year"),
        }
        return {name: statements_for(app, client, url) for name, (client, url) in urls.items()}


def test_budget_pages_issue_the_same_number_of_queries_for_few_and_many_rows(app, make, login) -> None:
    world = BudgetWorld(make)
    world.grow(FEW)
    bh.vote(make, world.resident, world.voting, *world.plans)  # read back (unsealed) on the resident's ballot page
    few = world.pages(app, login)
    world.grow(MANY - FEW)
    many = world.pages(app, login)
    grown = {page: (few[page], many[page]) for page in few if many[page] > few[page]}
    assert not grown, f"statements per page grow with the rows on it (few → many): {grown}"
