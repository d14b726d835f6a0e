"""Voting: residents of the stadsdeel, each once, choose plans that together fit in the budget (checked by the
server, whatever the page sent), and may change their ballot until the round is counted."""

from __future__ import annotations

from tests.conftest import is_checked, visible
from tests.webapp import budget_helpers as bh
from webapp.accounts.models import User
from webapp.budgets.models import BudgetProposal, BudgetVoter
from webapp.core.extensions import db


def setup_round(make, amount=10_000, **kwargs):
    staff = make.user("staff")
    round_ = bh.budget_round(make, staff, "voting", amount=amount, **kwargs)
    author = make.user("resident")
    plans = [bh.proposal(make, author, round_, title=title, cost=cost) for title, cost in
             (("Bankjes", 2_000), ("Moestuin", 6_000), ("Speeltuin", 7_000))]
    return staff, round_, plans


def votes_of(make, plan) -> int | None:
    return make.run(lambda: db.session.get(BudgetProposal, plan.id).votes)


def test_a_resident_votes_within_the_budget(make, login, tr):
    _staff, round_, (benches, garden, playground) = setup_round(make)
    resident = make.user("resident")
    client = login(resident.email, lang="en")
    page = client.get(f"/wijkbudget/{round_.public_id}/stemmen")
    assert page.status_code == 200 and not is_checked(page, "choices", benches.public_id)
    answer = client.post(f"/wijkbudget/{round_.public_id}/stemmen",
                         data={"choices": [benches.public_id, garden.public_id], "action": "vote"})
    assert answer.status_code == 302
    assert tr("en", "Thank you for voting! You can change your vote until voting ends.") in visible(
        client.get(answer.headers["Location"]))
    assert make.count(BudgetVoter) == 1
    again = client.get(f"/wijkbudget/{round_.public_id}/stemmen")  # the ballot comes back ticked, for them alone
    assert is_checked(again, "choices", benches.public_id) and is_checked(again, "choices", garden.public_id)
    assert not is_checked(again, "choices", playground.public_id)


def test_a_crafted_ballot_over_the_budget_is_refused_and_keeps_the_ticks(make, login, tr):
    """The page adds up with JavaScript, but the server decides: 2000 + 6000 + 7000 > 10000."""
    _staff, round_, plans = setup_round(make)
    resident = make.user("resident")
    client = login(resident.email, lang="nl")
    answer = client.post(f"/wijkbudget/{round_.public_id}/stemmen",
                         data={"choices": [p.public_id for p in plans], "action": "vote"})
    assert answer.status_code == 400
    assert tr("nl", "Your choice costs more than the budget. Untick a plan and send it again.") in visible(answer)
    assert all(is_checked(answer, "choices", p.public_id) for p in plans)
    assert make.count(BudgetVoter) == 0


def test_a_plan_that_is_not_on_the_ballot_is_refused(make, login, tr):
    """A rejected plan of this round, a plan of another round, or a made-up id: the whole ballot is refused."""
    staff, round_, (benches, *_rest) = setup_round(make)
    rejected = bh.proposal(make, staff, round_, title="Afgewezen", cost=100, status="rejected")
    elsewhere = bh.budget_round(make, staff, "voting", name="Haarlem-Noord", cycle="2027")
    foreign = bh.proposal(make, staff, elsewhere, title="Ander stadsdeel", cost=100)
    client = login(make.user("resident").email, lang="en")
    for bad in (rejected.public_id, foreign.public_id, "zzzzzzzzzzzz", "' OR 1=1 --"):
        answer = client.post(f"/wijkbudget/{round_.public_id}/stemmen",
                             data={"choices": [benches.public_id, bad], "action": "vote"})
        assert answer.status_code == 400, bad
        assert tr("en", "One of the plans you chose is not on the ballot (any more). Look at your choice and send it "
                        "again.") in visible(answer)
    assert make.count(BudgetVoter) == 0


def test_add_up_my_choice_works_without_javascript_and_does_not_vote(make, login, tr):
    _staff, round_, (benches, garden, playground) = setup_round(make)
    client = login(make.user("resident").email, lang="en")
    fits = client.post(f"/wijkbudget/{round_.public_id}/stemmen",
                       data={"choices": [benches.public_id, garden.public_id], "action": "check"})
    assert fits.status_code == 200
    text = visible(fits)
    assert "€\u00a08,000" in text and "€\u00a02,000" in text  # the total and what is left
    assert tr("en", "This fits in the budget. Press “Vote” to send it.") in text
    over = client.post(f"/wijkbudget/{round_.public_id}/stemmen",
                       data={"choices": [garden.public_id, playground.public_id], "action": "check"})
    assert tr("en", "This is more than the budget. Untick a plan.") in visible(over)
    assert is_checked(over, "choices", garden.public_id) and is_checked(over, "choices", playground.public_id)
    assert make.count(BudgetVoter) == 0


def test_an_empty_ballot_is_refused(make, login, tr):
    _staff, round_, _plans = setup_round(make, min_choices=2)
    client = login(make.user("resident").email, lang="en")
    answer = client.post(f"/wijkbudget/{round_.public_id}/stemmen", data={"action": "vote"})
    assert answer.status_code == 400
    assert tr("en", "Choose at least %(num)d plan.", "Choose at least %(num)d plans.", num=2) in visible(answer)


def test_changing_a_ballot_replaces_it(make, login):
    staff, round_, (benches, garden, playground) = setup_round(make)
    resident = make.user("resident")
    client = login(resident.email)
    url = f"/wijkbudget/{round_.public_id}/stemmen"
    assert client.post(url, data={"choices": [benches.public_id, garden.public_id], "action": "vote"}).status_code \
        == 302
    assert client.post(url, data={"choices": [playground.public_id], "action": "vote"}).status_code == 302
    assert make.count(BudgetVoter) == 1
    bh.count(make, staff, round_)
    assert [votes_of(make, p) for p in (benches, garden, playground)] == [0, 0, 1]


def test_one_ballot_per_person_however_often_they_send_it(make):
    staff, round_, (benches, garden, _playground) = setup_round(make)
    resident = make.user("resident")
    assert bh.vote(make, resident, round_, benches) == "cast"
    assert bh.vote(make, resident, round_, garden) == "changed"
    assert bh.vote(make, resident, round_, benches, garden) == "changed"
    assert make.count(BudgetVoter) == 1
    assert bh.count(make, staff, round_).ballots == 1


def test_moving_house_does_not_give_a_second_vote_in_the_same_cycle(make, login, tr):
    """The attack: vote in Schalkwijk, change the postcode to Haarlem-Noord, vote there too. Rounds of one cycle form a
    group; a person votes in one of them (the unique key (cycle, user))."""
    staff = make.user("staff")
    south = bh.budget_round(make, staff, "voting", name="Schalkwijk", cycle="2027")
    north = bh.budget_round(make, staff, "voting", name="Haarlem-Noord", cycle="2027")
    south_plan = bh.proposal(make, staff, south, cost=100)
    north_plan = bh.proposal(make, staff, north, cost=100)
    resident = make.user("resident", wijk_code="WK039218")
    client = login(resident.email, lang="en")
    assert client.post(f"/wijkbudget/{south.public_id}/stemmen",
                       data={"choices": [south_plan.public_id], "action": "vote"}).status_code == 302

    def move() -> None:
        db.session.get(User, resident.id).wijk_id = bh.wijk("WK039212").id  # Ter Kleefkwartier, Haarlem-Noord
        db.session.commit()

    make.run(move)
    answer = client.post(f"/wijkbudget/{north.public_id}/stemmen",
                         data={"choices": [north_plan.public_id], "action": "vote"})
    assert answer.status_code == 400
    assert tr("en", "You already voted in another stadsdeel in this round. You can change that vote there.") \
        in visible(answer)
    assert make.count(BudgetVoter) == 1


def test_only_residents_of_the_stadsdeel_with_a_confirmed_address_vote(make, login, tr):
    _staff, round_, (benches, *_rest) = setup_round(make)
    elsewhere = make.user("resident", wijk_code="WK039201")  # Centrum
    unconfirmed = make.user("resident")

    def unconfirm() -> None:
        db.session.get(User, unconfirmed.id).email_verified_at = None
        db.session.commit()

    make.run(unconfirm)
    url = f"/wijkbudget/{round_.public_id}/stemmen"
    for person, reason in ((elsewhere, tr("en", "You can vote in the stadsdeel where you live. This round is for "
                                               "%(name)s.", name="Schalkwijk")),
                           (unconfirmed, tr("en", "First confirm your e-mail address with the link we sent you. "
                                                  "Then try again."))):
        client = login(person.email, lang="en")
        answer = client.post(url, data={"choices": [benches.public_id], "action": "vote"}, follow_redirects=True)
        assert reason in visible(answer)
        assert reason in visible(client.get(f"/wijkbudget/{round_.public_id}"))
    assert make.count(BudgetVoter) == 0


def test_no_voting_before_or_after_the_voting_days(make, login):
    staff = make.user("staff")
    early = bh.budget_round(make, staff, "review", cycle="a")
    late = bh.budget_round(make, staff, "counting", cycle="b")
    plan_early = bh.proposal(make, staff, early, cost=10)
    plan_late = bh.proposal(make, staff, late, cost=10)
    client = login(make.user("resident").email)
    for round_, plan in ((early, plan_early), (late, plan_late)):
        answer = client.post(f"/wijkbudget/{round_.public_id}/stemmen",
                             data={"choices": [plan.public_id], "action": "vote"})
        assert answer.status_code == 302 and answer.headers["Location"].endswith(f"/wijkbudget/{round_.public_id}")
    assert make.count(BudgetVoter) == 0


def test_a_ballot_after_the_count_is_refused(make, login, tr):
    staff, round_, (benches, *_rest) = setup_round(make)
    resident = make.user("resident")
    bh.vote(make, resident, round_, benches)
    bh.count(make, staff, round_)
    answer = login(resident.email, lang="en").post(f"/wijkbudget/{round_.public_id}/stemmen",
                                                   data={"choices": [benches.public_id], "action": "vote"},
                                                   follow_redirects=True)
    assert tr("en", "This cannot be done at this stage of the round. Look at the dates on the round's page.") \
        in visible(answer)
    assert votes_of(make, benches) == 1


def test_anonymous_visitors_are_sent_to_log_in(make, anon):
    _staff, round_, _plans = setup_round(make)
    answer = anon("nl").get(f"/wijkbudget/{round_.public_id}/stemmen")
    assert answer.status_code == 302 and "/inloggen" in answer.headers["Location"]


def test_the_ballot_page_works_in_dutch_and_english(make, login, tr):
    _staff, round_, _plans = setup_round(make)
    resident = make.user("resident")
    for lang in ("nl", "en"):
        page = visible(login(resident.email, lang=lang).get(f"/wijkbudget/{round_.public_id}/stemmen"))
        assert tr(lang, "Add up my choice") in page
        assert tr(lang, "Vote for plans in %(name)s", name="Schalkwijk") in page
