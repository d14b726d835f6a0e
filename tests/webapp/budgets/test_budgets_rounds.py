"""Staff open and change a district budget round; its phases follow the dates; the public finds it."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from tests.conftest import page_text, visible
from tests.webapp import budget_helpers as bh
from webapp.budgets.models import BudgetRound, Phase
from webapp.core.audit import AuditEntry
from webapp.core.extensions import db


def form(**overrides: str) -> dict[str, str]:
    today = date.today()
    return {"stadsdeel": "4", "cycle": "2027", "title": "Wijkbudget Schalkwijk 2027",
            "description": "Geld voor groen en ontmoeting.", "amount": "€ 25.000", "new_share_percent": "10",
            "min_choices": "1", "proposals_from": today.isoformat(),
            "proposals_until": (today + timedelta(days=20)).isoformat(),
            "voting_from": (today + timedelta(days=30)).isoformat(),
            "voting_until": (today + timedelta(days=40)).isoformat(), **overrides}


def stadsdeel_id(make, name="Schalkwijk") -> str:
    return str(make.run(lambda: bh.stadsdeel(name).id))


def test_staff_open_a_round_and_residents_find_it(make, login, anon):
    staff = make.user("staff")
    client = login(staff.email, lang="en")
    assert client.get("/werkruimte/wijkbudget/nieuw").status_code == 200
    answer = client.post("/werkruimte/wijkbudget/nieuw", data=form(stadsdeel=stadsdeel_id(make)))
    assert answer.status_code == 302, page_text(answer)[:2000]
    made = make.run(lambda: db.session.execute(select(BudgetRound)).scalar_one())
    assert (made.amount, made.new_share_percent, made.cycle) == (25_000, 10, "2027")
    assert made.phase(date.today()) == Phase.PROPOSALS
    assert make.run(lambda: db.session.execute(
        select(AuditEntry).where(AuditEntry.action == "budget_open")).scalar_one()).target_ref == made.public_id
    listing = visible(anon("en").get("/wijkbudget"))
    assert "Wijkbudget Schalkwijk 2027" in listing and "Send in your plan" in listing


def test_a_round_with_dates_out_of_order_is_refused_with_the_form_kept(make, login, tr):
    staff = make.user("staff")
    client = login(staff.email, lang="nl")
    today = date.today()
    answer = client.post("/werkruimte/wijkbudget/nieuw", data=form(
        stadsdeel=stadsdeel_id(make), voting_from=(today + timedelta(days=10)).isoformat(), amount="1.500,50"))
    assert answer.status_code == 400
    text = visible(answer)
    assert tr("nl", "Voting starts after the last day for proposals.") in text
    assert tr("nl", "Fill in whole euros, for example 1500.") in text
    assert 'value="Wijkbudget Schalkwijk 2027"' in text  # what was typed is kept
    assert make.count(BudgetRound) == 0


def test_one_round_per_stadsdeel_and_cycle(make, login, tr):
    staff = make.user("staff")
    bh.budget_round(make, staff, "proposals", cycle="2027")
    client = login(staff.email, lang="en")
    answer = client.post("/werkruimte/wijkbudget/nieuw", data=form(stadsdeel=stadsdeel_id(make)))
    assert answer.status_code == 400
    assert tr("en", "This stadsdeel already has a round in this cycle. Choose another cycle or change that round.") \
        in visible(answer)
    assert make.count(BudgetRound) == 1


def test_once_voting_started_the_amount_and_rules_are_locked(make, login, tr):
    """Ballots cast before a change must still fit: the amount, the share, the minimum and the first days are fixed;
    the last day of voting may move (not into the past)."""
    staff = make.user("staff")
    voting = bh.budget_round(make, staff, "voting", amount=10_000)
    current = make.run(lambda: db.session.get(BudgetRound, voting.id))
    base = form(stadsdeel=stadsdeel_id(make), cycle="2027", title="Nieuwe naam", amount="10000",
                proposals_from=current.proposals_from.isoformat(), proposals_until=current.proposals_until.isoformat(),
                voting_from=current.voting_from.isoformat(), voting_until=current.voting_until.isoformat())
    client = login(staff.email, lang="en")
    url = f"/werkruimte/wijkbudget/{voting.public_id}/bewerken"
    refused = client.post(url, data={**base, "amount": "5000"})
    assert refused.status_code == 400
    assert tr("en", "Voting has started: the amount, the rules and the first days can no longer change. You can "
                    "still change the name, the text and the last day of voting.") in visible(refused)
    assert make.run(lambda: db.session.get(BudgetRound, voting.id)).amount == 10_000
    later = (current.voting_until + timedelta(days=3)).isoformat()
    assert client.post(url, data={**base, "voting_until": later}).status_code == 302
    changed = make.run(lambda: db.session.get(BudgetRound, voting.id))
    assert (changed.title, changed.voting_until.isoformat(), changed.amount) == ("Nieuwe naam", later, 10_000)


def test_the_phases_follow_the_dates(make):
    staff = make.user("staff")
    for number, phase in enumerate(("upcoming", "proposals", "review", "voting", "counting")):
        made = bh.budget_round(make, staff, phase, cycle=f"c{number}")
        assert make.run(lambda m=made: db.session.get(BudgetRound, m.id).phase(date.today())) == phase


def test_only_staff_manage_rounds(make, login):
    resident = make.user("resident")
    client = login(resident.email)
    assert client.get("/werkruimte/wijkbudget/").status_code == 403
    assert client.post("/werkruimte/wijkbudget/nieuw", data=form()).status_code == 403
    assert make.count(BudgetRound) == 0


def test_the_round_page_says_what_to_do_in_each_phase(make, login, anon, tr):
    staff, resident = make.user("staff"), make.user("resident")
    proposals = bh.budget_round(make, staff, "proposals", cycle="a")
    voting = bh.budget_round(make, staff, "voting", cycle="b")
    assert tr("en", "Log in to send in a plan") in visible(anon("en").get(f"/wijkbudget/{proposals.public_id}"))
    assert tr("en", "Send in a plan") in visible(login(resident.email, lang="en").get(
        f"/wijkbudget/{proposals.public_id}"))
    assert tr("en", "Log in to vote") in visible(anon("en").get(f"/wijkbudget/{voting.public_id}"))
    page = visible(login(resident.email, lang="nl").get(f"/wijkbudget/{voting.public_id}"))
    assert tr("nl", "Vote") in page and tr("nl", "Voting now") in page


def test_the_stadsdeel_of_a_round_with_plans_does_not_change(make, login, tr):
    staff, resident = make.user("staff"), make.user("resident")
    round_ = bh.budget_round(make, staff, "proposals")
    bh.proposal(make, resident, round_, status="submitted", wijk_code="WK039218")
    current = make.run(lambda: db.session.get(BudgetRound, round_.id))
    answer = login(staff.email, lang="en").post(f"/werkruimte/wijkbudget/{round_.public_id}/bewerken", data=form(
        stadsdeel=stadsdeel_id(make, "Centrum"), proposals_from=current.proposals_from.isoformat(),
        proposals_until=current.proposals_until.isoformat(), voting_from=current.voting_from.isoformat(),
        voting_until=current.voting_until.isoformat()))
    assert answer.status_code == 400
    assert tr("en", "Plans were sent in for this stadsdeel, so the stadsdeel of the round cannot change. Open a new "
                    "round for the other stadsdeel.") in visible(answer)
    assert make.run(lambda: db.session.get(BudgetRound, round_.id)).stadsdeel_id == int(stadsdeel_id(make))
