"""The count and the results: winners by votes while the money lasts, after the share kept for new initiatives;
turnout per wijk with small numbers hidden; funded plans become money needs the report follows."""

from __future__ import annotations

import html
import re
from datetime import datetime

import pytest
from sqlalchemy import select

from tests.conftest import page_text, visible
from tests.webapp import budget_helpers as bh
from tests.webapp import initiative_helpers as ini
from webapp.accounts.models import User
from webapp.budgets.counting import Candidate, winners
from webapp.budgets.models import BudgetBallot, BudgetProposal, BudgetRound, BudgetVoter, FundedVia
from webapp.core.extensions import db
from webapp.core.small_counts import HIDDEN, SMALL, suppress
from webapp.initiatives.models import Initiative, InitiativeNeed, InitiativeOrganiser

T0 = datetime(2027, 1, 1)


def cand(id_: int, cost: int, votes: int, new: bool = False, minute: int = 0) -> Candidate:
    return Candidate(id_, cost, votes, new, T0.replace(minute=minute), f"p{id_}")


# -- who wins (pure) --------------------------------------------------------------------------------------------------

def test_winners_by_votes_while_the_money_lasts_skipping_what_no_longer_fits():
    """1 (6000, 9 votes) and 2 (5000, 8 votes) do not both fit in 10000; 3 (3000, 2 votes) still does."""
    funded = winners([cand(1, 6000, 9), cand(2, 5000, 8), cand(3, 3000, 2)], amount=10_000, reserve=0)
    assert funded == {1: FundedVia.VOTES, 3: FundedVia.VOTES}


def test_the_reserved_share_goes_to_new_initiatives_first():
    """Without the reserve the established club's 9000 would take it all; 10 % (1000) is kept for the newcomer."""
    club, newcomer = cand(1, 9000, 50), cand(2, 1000, 3, new=True)
    assert winners([club, newcomer], amount=10_000, reserve=0) == {1: FundedVia.VOTES, 2: FundedVia.VOTES}
    assert winners([club, cand(2, 1500, 3, new=True)], amount=10_000, reserve=1000) == {1: FundedVia.VOTES}
    big_club = cand(1, 9500, 50)
    assert winners([big_club, newcomer], amount=10_000, reserve=1000) == {2: FundedVia.RESERVE}


def test_the_reserve_goes_to_the_most_voted_new_plans_that_fit_and_the_rest_flows_back():
    plans = [cand(1, 600, 5, new=True), cand(2, 700, 4, new=True), cand(3, 300, 1, new=True), cand(4, 8000, 9)]
    funded = winners(plans, amount=10_000, reserve=1000)
    assert funded[1] == FundedVia.RESERVE and funded[3] == FundedVia.RESERVE  # 600 + 300 of the 1000
    assert funded[4] == FundedVia.VOTES and funded[2] == FundedVia.VOTES  # 8000 + 700 fit in what is left (9100)


def test_ties_go_to_the_cheaper_plan_then_the_earlier_one():
    assert winners([cand(1, 6000, 5), cand(2, 5000, 5)], amount=6000, reserve=0) == {2: FundedVia.VOTES}
    assert winners([cand(1, 5000, 5, minute=2), cand(2, 5000, 5, minute=1)], amount=6000, reserve=0) == \
        {2: FundedVia.VOTES}


def test_a_plan_without_votes_gets_nothing():
    assert winners([cand(1, 100, 0, new=True), cand(2, 100, 0)], amount=10_000, reserve=1000) == {}


# -- small numbers (pure) ---------------------------------------------------------------------------------------------

def test_small_counts_show_as_small_and_a_second_cell_hides_them():
    cells, shown = suppress({1: 3, 2: 7, 3: 40}, 5)
    assert shown and cells[1].state == SMALL and cells[2].state == HIDDEN and cells[3].shown


def test_a_small_count_that_the_total_would_give_away_hides_everything():
    """6 = "<5" + "x (at least 5)" can only be 1 + 5: the parts are not shown at all."""
    cells, shown = suppress({1: 1, 2: 5}, 5)
    assert not shown and all(not c.shown for c in cells.values())


def test_a_small_total_makes_every_part_small_and_nothing_small_shows_as_is():
    cells, shown = suppress({1: 2, 2: 0, 3: 1}, 5)
    assert shown and all(c.state == SMALL for c in cells.values())
    cells, _shown = suppress({1: 5, 2: 0, 3: 12}, 5)
    assert all(c.shown for c in cells.values())


@pytest.mark.parametrize("counts", [{1: 1, 2: 6, 3: 7}, {1: 4, 2: 4, 3: 30}, {1: 2, 2: 9}, {1: 3, 2: 5, 3: 5}])
def test_no_small_count_can_be_worked_out_from_what_is_shown(counts):
    """Brute force: every assignment consistent with the published cells and the total leaves each hidden small
    count at least two possible values."""
    cells, shown = suppress(counts, 5)
    total = sum(counts.values())
    if not shown:
        return
    hidden = [k for k, c in cells.items() if not c.shown]
    ranges = {k: range(1, 5) if cells[k].state == SMALL else range(5, total + 1) for k in hidden}
    left = total - sum(c.value for c in cells.values() if c.shown)
    possible: dict[int, set[int]] = {k: set() for k in hidden}

    def walk(i: int, sofar: dict[int, int]) -> None:
        if i == len(hidden):
            if sum(sofar.values()) == left:
                for k, v in sofar.items():
                    possible[k].add(v)
            return
        for v in ranges[hidden[i]]:
            walk(i + 1, {**sofar, hidden[i]: v})

    walk(0, {})
    for k in hidden:
        if cells[k].state == SMALL:
            assert len(possible[k]) >= 2, (counts, k, possible[k])


# -- the count through the web ----------------------------------------------------------------------------------------

def test_staff_count_and_the_results_are_published(make, login, anon, tr):
    staff = make.user("staff")
    round_ = bh.budget_round(make, staff, "voting", amount=10_000)
    author = make.user("resident")
    benches = bh.proposal(make, author, round_, title="Bankjes", cost=2_000)
    garden = bh.proposal(make, author, round_, title="Moestuin", cost=7_000)
    playground = bh.proposal(make, author, round_, title="Speeltuin", cost=9_000)
    voters = [make.user("resident") for _ in range(5)] + [make.user("resident", wijk_code="WK039219")
                                                          for _ in range(2)]
    for person in voters[1:5]:
        bh.vote(make, person, round_, benches, garden)
    for person in voters[:1] + voters[5:]:
        bh.vote(make, person, round_, playground)
    answer = login(staff.email, lang="en").post(f"/werkruimte/wijkbudget/{round_.public_id}/tellen")
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/uitslag")
    published = anon("en").get(f"/wijkbudget/{round_.public_id}/uitslag")
    page = visible(published)
    assert tr("en", "%(num)d plan gets money", "%(num)d plans get money", num=2) in page
    assert "Bankjes" in page and "Moestuin" in page
    assert make.run(lambda: db.session.get(BudgetRound, round_.id)).ballots_counted == 7
    funded = make.run(lambda: {p.title: (p.votes, p.funded_via) for p in db.session.execute(
        select(BudgetProposal)).scalars()})
    # Bankjes is a new initiative's plan (a resident's own idea): 2000 of the 1000 reserve does not fit, so it wins
    # on votes like the others.
    assert funded == {"Bankjes": (4, "votes"), "Moestuin": (4, "votes"), "Speeltuin": (3, None)}
    # Five voted from Europawijk, two from Boerhaavewijk: "<5", and Europawijk hidden too ("x"), or 7 - 5 = 2.
    rows = {name: html.unescape(value) for name, value in re.findall(
        r'<th scope="row">([^<]+)</th><td class="num">([^<]*)</td>', page_text(published))}
    assert rows == {"Boerhaavewijk": "<5", "Europawijk": "x", "Meerwijk": "0", "Molenwijk": "0", "Schalkwijk": "7"}


def test_a_round_is_counted_once(make, login, tr):
    staff = make.user("staff")
    round_ = bh.budget_round(make, staff, "voting")
    plan = bh.proposal(make, staff, round_, cost=10)
    bh.vote(make, make.user("resident"), round_, plan)
    client = login(staff.email, lang="en")
    assert client.post(f"/werkruimte/wijkbudget/{round_.public_id}/tellen").status_code == 302
    again = client.post(f"/werkruimte/wijkbudget/{round_.public_id}/tellen", follow_redirects=True)
    assert tr("en", "This round has been counted already.") in visible(again)
    assert make.count(BudgetBallot) == 1


def test_counting_before_voting_is_refused(make, login):
    staff = make.user("staff")
    round_ = bh.budget_round(make, staff, "review")
    assert login(staff.email).post(f"/werkruimte/wijkbudget/{round_.public_id}/tellen").status_code == 302
    assert make.run(lambda: db.session.get(BudgetRound, round_.id)).counted_at is None


def test_ballots_of_blocked_accounts_are_not_counted(make):
    """Staff block fake accounts; their ballots drop out at the count, without anyone seeing what they chose."""
    staff = make.user("staff")
    round_ = bh.budget_round(make, staff, "voting")
    plan, other = bh.proposal(make, staff, round_, cost=10), bh.proposal(make, staff, round_, cost=20, title="Ander")
    honest, fake = make.user("resident"), make.user("resident")
    bh.vote(make, honest, round_, plan)
    bh.vote(make, fake, round_, other)
    def block() -> None:
        db.session.get(User, fake.id).is_blocked = True
        db.session.commit()

    make.run(block)
    result = bh.count(make, staff, round_)
    assert (result.ballots, result.not_counted) == (1, 1)
    assert make.run(lambda: db.session.get(BudgetProposal, other.id).votes) == 0
    assert make.run(lambda: db.session.get(BudgetVoter, (round_.id, fake.id)).counted) is False


def test_funded_plans_become_money_needs_and_a_residents_idea_becomes_an_initiative(make, login):
    staff, organiser, resident = make.user("staff"), make.user("organiser"), make.user("resident")
    garden = ini.initiative(make, organiser, name="Moestuin Europawijk")
    round_ = bh.budget_round(make, staff, "voting")
    from_initiative = bh.proposal(make, organiser, round_, title="Regenton en gereedschap", cost=800,
                                  initiative=garden)
    own_idea = bh.proposal(make, resident, round_, title="Picknicktafel bij de vijver", cost=1_200,
                           wijk_code="WK039219")
    bh.vote(make, make.user("resident"), round_, from_initiative, own_idea)
    bh.count(make, staff, round_)

    def needs() -> list[tuple[str, str, int, str, int]]:
        rows = db.session.execute(select(InitiativeNeed, BudgetProposal).join(
            BudgetProposal, BudgetProposal.need_id == InitiativeNeed.id).order_by(InitiativeNeed.id)).all()
        return [(need.kind, need.title, need.amount, need.initiative.name, plan.initiative_id) for need, plan in rows]

    found = make.run(needs)
    assert [row[:4] for row in found] == [
        ("money", "Regenton en gereedschap", 800, "Moestuin Europawijk"),
        ("money", "Picknicktafel bij de vijver", 1_200, "Picknicktafel bij de vijver")]
    new_initiative = make.run(lambda: db.session.execute(
        select(Initiative).where(Initiative.name == "Picknicktafel bij de vijver")).scalar_one())
    organisers = make.run(lambda: [o.user_id for o in db.session.execute(select(InitiativeOrganiser).where(
        InitiativeOrganiser.initiative_id == new_initiative.id)).scalars()])
    assert organisers == [resident.id] and new_initiative.status == "idea"
    # The resident can now tell what the money did.
    client = login(resident.email)
    answer = client.post(f"/wijkbudget/plannen/{own_idea.public_id}/resultaat",
                         data={"outcome": "De tafel staat er sinds mei. Elke zondag eten buren er samen."})
    assert answer.status_code == 302
    assert "Elke zondag eten buren er samen." in visible(client.get(f"/wijkbudget/{round_.public_id}/uitslag"))


def test_an_outcome_with_a_phone_number_is_refused(make, login, tr):
    staff, resident = make.user("staff"), make.user("resident")
    round_ = bh.budget_round(make, staff, "voting")
    plan = bh.proposal(make, resident, round_, cost=100)
    bh.vote(make, resident, round_, plan)
    bh.count(make, staff, round_)
    answer = login(resident.email, lang="en").post(f"/wijkbudget/plannen/{plan.public_id}/resultaat",
                                                   data={"outcome": "Bel Ans op 06-12345678 voor de foto's."})
    assert answer.status_code == 400
    assert tr("en", "Remove phone numbers, e-mail addresses, addresses, links and rude words: everyone can read this "
                    "text.") in visible(answer)


def test_a_changed_ballot_key_refuses_the_count_and_loses_nothing(make, login, app, tr, monkeypatch):
    staff = make.user("staff")
    round_ = bh.budget_round(make, staff, "voting")
    plan = bh.proposal(make, staff, round_, cost=10)
    bh.vote(make, make.user("resident"), round_, plan)
    monkeypatch.setitem(app.config, "BALLOT_KEY", "another-ballot-key-of-at-least-32-characters")
    answer = login(staff.email, lang="en").post(f"/werkruimte/wijkbudget/{round_.public_id}/tellen",
                                                follow_redirects=True)
    assert tr("en", "Some ballots cannot be opened: the ballot key of the server has changed. Put back the old "
                    "BALLOT_KEY (or SECRET_KEY) and count again. Nothing is lost.") in visible(answer)
    assert make.run(lambda: db.session.get(BudgetRound, round_.id)).counted_at is None
    assert make.count(BudgetVoter, BudgetVoter.sealed.is_not(None)) == 1  # the sealed ballot is still there
    monkeypatch.delitem(app.config, "BALLOT_KEY")
    assert bh.count(make, staff, round_).ballots == 1


def test_the_daily_job_counts_rounds_whose_voting_ended(make, app):
    staff = make.user("staff")
    ended = bh.budget_round(make, staff, "voting", cycle="a")
    running = bh.budget_round(make, staff, "voting", cycle="b")
    plan = bh.proposal(make, staff, ended, cost=10)
    bh.vote(make, make.user("resident"), ended, plan)
    bh.to_phase(make, ended, "counting")
    result = app.test_cli_runner().invoke(args=["budgets", "count-ended"])
    assert result.exit_code == 0, result.output
    assert "Rounds counted: 1." in result.output
    assert make.run(lambda: db.session.get(BudgetRound, ended.id)).ballots_counted == 1
    assert make.run(lambda: db.session.get(BudgetRound, running.id)).counted_at is None
    again = app.test_cli_runner().invoke(args=["budgets", "count-ended"])
    assert "Rounds counted: 0." in again.output
