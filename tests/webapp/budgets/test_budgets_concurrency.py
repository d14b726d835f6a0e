"""Many people at once on a district budget, through the web (as tests/webapp/test_concurrency.py): a ballot saved
while staff count is either counted or refused, never lost; one person sending the ballot from many tabs at once has
one ballot. Runs on the session's database (SQLite in WAL mode, or PostgreSQL with TEST_DATABASE_URL)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from tests.conftest import csrf_token, page_text, visible
from tests.webapp import budget_helpers as bh
from tests.webapp.race_helpers import BUDGET_SECONDS, log_in, race, statuses
from webapp.budgets import counting
from webapp.budgets.models import BudgetProposal, BudgetRound, BudgetVoter
from webapp.core.extensions import db


def test_ballots_sent_while_staff_count_are_counted_or_refused_never_lost(csrf_app, make):
    staff = make.user("staff")
    round_ = bh.budget_round(make, staff, "voting")
    plan = bh.proposal(make, staff, round_, cost=100)
    voters = [make.user("resident", locale="en") for _ in range(20)]
    clients = [log_in(csrf_app, v.email) for v in voters]
    page = f"/wijkbudget/{round_.public_id}/stemmen"

    def load(i: int) -> Any:
        if i == len(clients):
            return None
        return csrf_token(page_text(clients[i].get(page)))

    def press(i: int, token: Any) -> Any:
        if i == len(clients):  # staff count at the same moment
            with csrf_app.app_context():
                try:
                    result = counting.count(None, db.session.get(BudgetRound, round_.id), date.today(),
                                            bh.key_of(csrf_app))
                    db.session.commit()
                    return result
                finally:
                    db.session.remove()
        return clients[i].post(page, data={"choices": [plan.public_id], "action": "vote", "csrf_token": token})

    answers, seconds = race(len(clients) + 1, load, press)
    result = answers[-1]
    assert isinstance(result, counting.CountResult), answers[-1]
    votes = answers[:-1]
    assert all(getattr(a, "status_code", None) in (302, 400, 503) for a in votes), statuses(votes)
    thanked = "Thank you for voting!"
    cast = sum(1 for i, a in enumerate(votes)
               if a.status_code == 302 and thanked in visible(clients[i].get(a.headers["Location"])))
    assert result.ballots == cast  # every ballot that was thanked for is in the count
    # ... and nothing was saved after the count: no voter row is left uncounted.
    assert make.count(BudgetVoter, BudgetVoter.counted.is_(None)) == 0
    assert make.run(lambda: db.session.get(BudgetRound, round_.id)).ballots_counted == cast
    assert seconds < BUDGET_SECONDS


def test_one_person_sending_the_ballot_from_many_tabs_has_one_ballot(csrf_app, make):
    staff = make.user("staff")
    round_ = bh.budget_round(make, staff, "voting")
    plans = [bh.proposal(make, staff, round_, cost=100, title=f"Plan {i}") for i in range(10)]
    resident = make.user("resident", locale="en")
    clients = [log_in(csrf_app, resident.email) for _ in range(10)]
    page = f"/wijkbudget/{round_.public_id}/stemmen"

    def load(i: int) -> str:
        return csrf_token(page_text(clients[i].get(page)))

    def press(i: int, token: str) -> Any:
        return clients[i].post(page, data={"choices": [plans[i].public_id], "action": "vote", "csrf_token": token})

    answers, seconds = race(10, load, press)
    assert set(statuses(answers)) <= {302, 503}, statuses(answers)  # SQLite: a writer that waits too long: 503
    assert make.count(BudgetVoter) == 1
    result = bh.count(make, staff, round_)
    assert result.ballots == 1
    votes = make.run(lambda: sorted(p.votes for p in db.session.execute(select(BudgetProposal)).scalars()))
    assert votes == [0] * 9 + [1]  # the last one saved wins: one ballot, one choice
    assert seconds < BUDGET_SECONDS
