"""Votes are secret to everyone, staff included (docs/BUDGETS.md): no page, log or export shows who chose what; the
database holds a person's choice only sealed, and after the count not at all."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import inspect, select

from tests.conftest import page_text
from tests.factories import PASSWORD
from tests.webapp import budget_helpers as bh
from webapp.budgets import sealing
from webapp.budgets.models import BudgetBallot, BudgetProposal, BudgetVoter
from webapp.core.audit import AuditEntry
from webapp.core.extensions import db


def two_voters(make):
    """Ans chose the benches, Bram the garden: a staff member who could tell them apart would see it below."""
    staff = make.user("staff", "admin")
    round_ = bh.budget_round(make, staff, "voting")
    author = make.user("resident")
    benches = bh.proposal(make, author, round_, title="Bankjes bij de vijver", cost=2_000)
    garden = bh.proposal(make, author, round_, title="Moestuin achter de school", cost=3_000)
    ans = make.user("resident", first_name="Ans", last_name="Bankjesfan")
    bram = make.user("resident", first_name="Bram", last_name="Moestuinfan")
    bh.vote(make, ans, round_, benches)
    bh.vote(make, bram, round_, garden)
    return staff, round_, benches, garden, ans, bram


def sealed_of(make, round_, person) -> bytes:
    return make.run(lambda: db.session.get(BudgetVoter, (round_.id, person.id)).sealed)


def test_the_database_holds_only_sealed_choices_of_one_size(make):
    _staff, round_, benches, garden, ans, bram = two_voters(make)
    a, b = sealed_of(make, round_, ans), sealed_of(make, round_, bram)
    assert len(a) == len(b)  # the length says nothing about how many plans were chosen
    for blob in (a, b):
        assert b" " * 8 not in blob  # the padding of the plain text (a chance of ~1e-17 in random bytes)
        for plan in (benches, garden):
            assert f"[{plan.id}]".encode() not in blob and plan.public_id.encode() not in blob


def test_a_sealed_ballot_does_not_open_for_another_voter_round_or_key(make, app):
    """Copying Bram's sealed bytes onto Ans's row, or into another round, gives a ballot that does not open."""
    _staff, round_, _benches, _garden, ans, bram = two_voters(make)
    key = bh.key_of(app)
    blob = sealed_of(make, round_, bram)
    assert sealing.unseal(key, f"round:{round_.id}/voter:{bram.id}", blob)
    for context in (f"round:{round_.id}/voter:{ans.id}", f"round:{round_.id + 1}/voter:{bram.id}"):
        with pytest.raises(sealing.Unreadable):
            sealing.unseal(key, context, blob)
    with pytest.raises(sealing.Unreadable):
        sealing.unseal(sealing.ballot_key("another secret, somewhere else"), f"round:{round_.id}/voter:{bram.id}",
                       blob)
    tampered = blob[:-40] + bytes([blob[-40] ^ 1]) + blob[-39:]
    with pytest.raises(sealing.Unreadable):
        sealing.unseal(key, f"round:{round_.id}/voter:{bram.id}", tampered)


def test_sealing_the_same_choice_twice_gives_different_bytes(app):
    key = bh.key_of(app)
    assert sealing.seal(key, "c", [1, 2]) != sealing.seal(key, "c", [1, 2])


def test_no_staff_page_shows_who_chose_what(make, login):
    """Every page staff can open about the round, its plans and its people: the voters' names never appear on a
    page that names a plan they chose, and nothing shows a per-person choice."""
    staff, round_, benches, garden, ans, bram = two_voters(make)
    client = login(staff.email, lang="en")
    pages = [f"/werkruimte/wijkbudget/{round_.public_id}", f"/werkruimte/wijkbudget/{round_.public_id}/intake",
             "/werkruimte/wijkbudget/", f"/wijkbudget/{round_.public_id}", f"/wijkbudget/{round_.public_id}/stemmen",
             f"/werkruimte/personen/{ans.public_id}", f"/werkruimte/personen/{bram.public_id}",
             "/werkruimte/logboek", f"/wijkbudget/plannen/{benches.public_id}"]
    for url in pages:
        answer = client.get(url)
        assert answer.status_code in (200, 302, 404), url
        text = page_text(answer)
        for person, plan in ((ans, benches), (bram, garden)):
            assert not (person.last_name in text and plan.title in text), (url, person.last_name)
    # The staff member's own ballot page shows nothing ticked: they did not vote.
    ballot = page_text(client.get(f"/wijkbudget/{round_.public_id}/stemmen"))
    assert " checked" not in ballot


def test_voting_writes_nothing_to_the_audit_log(make):
    """The audit log has timestamps and names: a vote is never in it (a staff member's intake is, without choices)."""
    two_voters(make)
    actions = make.run(lambda: [e.action for e in db.session.execute(select(AuditEntry)).scalars()])
    assert actions == ["budget_open"]


def test_after_the_count_no_choice_is_linked_to_anyone(make):
    staff, round_, benches, garden, _ans, _bram = two_voters(make)
    bh.count(make, staff, round_)
    assert make.count(BudgetVoter, BudgetVoter.sealed.is_not(None)) == 0  # the sealed copies are gone
    ballots = make.run(lambda: sorted(b.choices for b in db.session.execute(select(BudgetBallot)).scalars()))
    assert ballots == [[benches.id], [garden.id]]
    columns = {c.name for c in inspect(BudgetBallot).columns}
    assert columns == {"id", "round_id", "choices"}  # no person, no time, no counter
    ids = make.run(lambda: [b.id for b in db.session.execute(select(BudgetBallot)).scalars()])
    assert all(len(i) == 12 and not i.isdigit() for i in ids)
    # Even someone with the ballot key learns nothing more: there is nothing sealed left to open.
    assert make.run(lambda: [v.sealed for v in db.session.execute(select(BudgetVoter)).scalars()]) == [None, None]


def test_a_person_sees_their_own_choice_and_nobody_elses(make, login):
    _staff, round_, benches, garden, ans, bram = two_voters(make)
    page_of_ans = page_text(login(ans.email).get(f"/wijkbudget/{round_.public_id}/stemmen"))
    page_of_bram = page_text(login(bram.email).get(f"/wijkbudget/{round_.public_id}/stemmen"))
    assert f'value="{benches.public_id}" id="choice-{benches.public_id}" data-cost="2000" checked' in page_of_ans
    assert f'value="{garden.public_id}" id="choice-{garden.public_id}" data-cost="3000" checked' not in page_of_ans
    assert f'value="{garden.public_id}" id="choice-{garden.public_id}" data-cost="3000" checked' in page_of_bram


def test_voter_rows_hold_no_time():
    """When someone voted, next to when a plan's count would move, could give a choice away: no timestamps."""
    columns = {c.name for c in inspect(BudgetVoter).columns}
    assert not {name for name in columns if name.endswith("_at") or name.endswith("_on")}


def test_my_data_says_that_i_voted_never_what(make, login):
    """The download (the right of access) lists the rounds someone voted in, not their choice: a file that proves a
    choice could be demanded by someone buying or forcing votes."""
    _staff, _round, benches, _garden, ans, _bram = two_voters(make)
    data = json.loads(login(ans.email).get("/mijn/gegevens/download").get_data(as_text=True))
    assert [v["round"] for v in data["budget_votes"]] == ["Wijkbudget Schalkwijk 2027"]
    assert benches.title not in json.dumps(data) and benches.public_id not in json.dumps(data)


def test_deleting_an_account_withdraws_a_vote_in_an_open_round(make, login):
    staff, round_, _benches, garden, ans, _bram = two_voters(make)
    client = login(ans.email)
    client.get("/mijn/gegevens/verwijderen")
    answer = client.post("/mijn/gegevens/verwijderen", data={"password": PASSWORD, "confirm": "y"})
    assert answer.status_code == 302
    assert make.count(BudgetVoter) == 1  # Bram's
    result = bh.count(make, staff, round_)
    assert (result.ballots, result.not_counted) == (1, 0)
    assert make.run(lambda: db.session.get(BudgetProposal, garden.id).votes) == 1
