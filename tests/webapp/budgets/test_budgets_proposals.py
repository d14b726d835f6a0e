"""Residents and initiatives send in costed plans; staff check them, with a public reason when one cannot be done."""

from __future__ import annotations

from sqlalchemy import select

from tests.conftest import page_text, visible
from tests.webapp import budget_helpers as bh
from tests.webapp import initiative_helpers as ini
from webapp.accounts.models import User
from webapp.budgets import services
from webapp.budgets.models import BudgetProposal, BudgetRound
from webapp.core.extensions import db

PLAN = {"title": "Bankjes bij de speeltuin", "cost": "2.500", "wijk": "", "initiative": "",
        "summary": "Drie bankjes en wat schaduw, zodat ouders en ouderen kunnen zitten."}


def proposals(make) -> list[BudgetProposal]:
    return make.run(lambda: list(db.session.execute(select(BudgetProposal).order_by(BudgetProposal.id)).scalars()))


def test_a_resident_sends_in_a_plan_and_everyone_can_read_it(make, login, anon):
    staff, resident = make.user("staff"), make.user("resident")
    round_ = bh.budget_round(make, staff, "proposals")
    client = login(resident.email, lang="en")
    answer = client.post(f"/wijkbudget/{round_.public_id}/plan", data={**PLAN, "wijk": "WK039218"})
    assert answer.status_code == 302, page_text(answer)[:2000]
    (plan,) = proposals(make)
    assert (plan.cost, plan.status, plan.moderation, plan.proposed_by_id) == (2500, "submitted", "ok", resident.id)
    page = visible(anon("en").get(f"/wijkbudget/plannen/{plan.public_id}"))
    assert "Bankjes bij de speeltuin" in page and "Waiting for the check" in page and "Europawijk" in page
    assert resident.first_name not in page  # the author is not named on the public page
    assert "Bankjes bij de speeltuin" in visible(anon("en").get(f"/wijkbudget/{round_.public_id}"))


def test_a_plan_costing_more_than_the_budget_is_refused_and_the_text_is_kept(make, login, tr):
    staff, resident = make.user("staff"), make.user("resident")
    round_ = bh.budget_round(make, staff, "proposals", amount=10_000)
    client = login(resident.email, lang="nl")
    answer = client.post(f"/wijkbudget/{round_.public_id}/plan", data={**PLAN, "cost": "12000"})
    assert answer.status_code == 400
    assert tr("nl", "The cost must be between 1 euro and the whole budget of the round.") in visible(answer)
    assert "Drie bankjes en wat schaduw" in visible(answer)
    assert proposals(make) == []


def test_no_plans_outside_the_proposals_phase(make, login, tr):
    staff, resident = make.user("staff"), make.user("resident")
    round_ = bh.budget_round(make, staff, "voting")
    client = login(resident.email, lang="en")
    answer = client.post(f"/wijkbudget/{round_.public_id}/plan", data=PLAN, follow_redirects=True)
    assert tr("en", "This cannot be done at this stage of the round. Look at the dates on the round's page.") \
        in visible(answer)
    assert proposals(make) == []


def test_a_plan_with_a_phone_number_waits_for_staff_and_only_its_author_and_staff_see_it(make, login, anon):
    staff, resident, neighbour = make.user("staff"), make.user("resident"), make.user("resident")
    round_ = bh.budget_round(make, staff, "proposals")
    client = login(resident.email, lang="en")
    client.post(f"/wijkbudget/{round_.public_id}/plan", data={
        **PLAN, "summary": "Bel mij op 06-12345678 voor de bankjes bij de speeltuin."})
    (plan,) = proposals(make)
    assert plan.moderation == "held" and "phone" in plan.moderation_flags
    url = f"/wijkbudget/plannen/{plan.public_id}"
    assert anon("en").get(url).status_code == 404
    assert login(neighbour.email).get(url).status_code == 404
    assert "06-12345678" not in visible(anon("en").get(f"/wijkbudget/{round_.public_id}"))
    assert client.get(url).status_code == 200
    assert login(staff.email).get(url).status_code == 200


def test_a_plan_for_an_initiative_someone_else_organises_is_refused(make, login, tr):
    """A crafted form naming another organiser's initiative."""
    staff, organiser, stranger = make.user("staff"), make.user("organiser"), make.user("resident", "organiser")
    theirs = ini.initiative(make, organiser, name="Moestuin van een ander")
    round_ = bh.budget_round(make, staff, "proposals")
    client = login(stranger.email, lang="en")
    answer = client.post(f"/wijkbudget/{round_.public_id}/plan", data={**PLAN, "initiative": theirs.public_id})
    assert answer.status_code == 400
    assert proposals(make) == []
    mine = login(organiser.email).post(f"/wijkbudget/{round_.public_id}/plan",
                                       data={**PLAN, "initiative": theirs.public_id})
    assert mine.status_code == 302
    assert proposals(make)[0].initiative_id == theirs.id


def test_at_most_five_plans_per_person_per_round(make, login, tr):
    staff, resident = make.user("staff"), make.user("resident")
    round_ = bh.budget_round(make, staff, "proposals")
    client = login(resident.email, lang="en")
    for number in range(services.MAX_PROPOSALS_PER_PERSON):
        assert client.post(f"/wijkbudget/{round_.public_id}/plan", data={
            **PLAN, "title": f"Plan nummer {number}", "summary": f"Een heel ander plan, nummer {number}, voor de "
                                                                  f"buurt en {'x' * number}."}).status_code == 302
    answer = client.post(f"/wijkbudget/{round_.public_id}/plan", data={**PLAN, "title": "Nog een plan"})
    assert answer.status_code == 400
    assert tr("en", "You sent in %(num)d plans to this round already. That is the most we take from one person.",
              num=5) in visible(answer)
    assert len(proposals(make)) == 5


def test_the_author_changes_their_plan_while_it_waits_and_nobody_else_can(make, login):
    staff, resident, other = make.user("staff"), make.user("resident"), make.user("resident")
    round_ = bh.budget_round(make, staff, "proposals")
    plan = bh.proposal(make, resident, round_, status="submitted")
    url = f"/wijkbudget/plannen/{plan.public_id}/bewerken"
    assert login(other.email).post(url, data={**PLAN, "title": "Gekaapt"}).status_code == 403
    assert login(resident.email).post(url, data={**PLAN, "cost": "3000"}).status_code == 302
    changed = proposals(make)[0]
    assert (changed.title, changed.cost) == (PLAN["title"], 3000)


def test_staff_accept_a_plan_and_it_goes_on_the_ballot(make, login):
    staff, resident = make.user("staff"), make.user("resident")
    round_ = bh.budget_round(make, staff, "review")
    plan = bh.proposal(make, resident, round_, status="submitted")
    client = login(staff.email)
    assert client.get(f"/werkruimte/wijkbudget/{round_.public_id}").status_code == 200
    assert client.post(f"/werkruimte/wijkbudget/plannen/{plan.public_id}/goedkeuren").status_code == 302
    accepted = proposals(make)[0]
    assert accepted.status == "accepted" and accepted.is_new_initiative  # a resident's own idea counts as new


def test_a_rejection_needs_a_public_reason_without_personal_details(make, login, anon, tr):
    staff, resident = make.user("staff"), make.user("resident")
    round_ = bh.budget_round(make, staff, "review")
    plan = bh.proposal(make, resident, round_, status="submitted")
    client = login(staff.email, lang="en")
    url = f"/werkruimte/wijkbudget/plannen/{plan.public_id}/afwijzen"
    empty = client.post(url, data={"reason": ""})
    assert empty.status_code == 400 and tr("en", "Write why the plan cannot be done.") in visible(empty)
    named = client.post(url, data={"reason": "Bel de buurvrouw op 06-12345678, zij weet ervan."})
    assert named.status_code == 400
    assert tr("en", "Remove the personal details: everyone can read this reason.") in visible(named)
    assert proposals(make)[0].status == "submitted"
    reason = "De grond is van de provincie; de gemeente mag daar geen bankjes zetten."
    assert client.post(url, data={"reason": reason}).status_code == 302
    page = visible(anon("en").get(f"/wijkbudget/plannen/{plan.public_id}"))
    assert "Cannot be done" in page and reason in page


def test_two_staff_members_deciding_at_once_decide_once(make, login, tr):
    """The decision is a conditional UPDATE: the second one finds it decided and says so."""
    staff, colleague, resident = make.user("staff"), make.user("staff"), make.user("resident")
    round_ = bh.budget_round(make, staff, "review")
    plan = bh.proposal(make, resident, round_, status="submitted")
    first = login(staff.email, lang="en").post(f"/werkruimte/wijkbudget/plannen/{plan.public_id}/goedkeuren")
    second = login(colleague.email, lang="en").post(f"/werkruimte/wijkbudget/plannen/{plan.public_id}/afwijzen",
                                                     data={"reason": "Dit past niet binnen de regels."},
                                                     follow_redirects=True)
    assert first.status_code == 302
    assert tr("en", "Another staff member decided on this plan already.") in visible(second)
    assert proposals(make)[0].status == "accepted"


def test_the_ballot_is_fixed_once_voting_starts(make, login, tr):
    staff, resident = make.user("staff"), make.user("resident")
    round_ = bh.budget_round(make, staff, "voting")
    waiting = bh.proposal(make, resident, round_, status="submitted", title="Te laat")
    accepted = bh.proposal(make, resident, round_, title="Op het stembiljet")
    client = login(staff.email, lang="en")
    late = client.post(f"/werkruimte/wijkbudget/plannen/{waiting.public_id}/goedkeuren", follow_redirects=True)
    assert tr("en", "This cannot be done at this stage of the round. Look at the dates on the round's page.") \
        in visible(late)
    client.post(f"/werkruimte/wijkbudget/plannen/{accepted.public_id}/terugdraaien")
    assert [p.status for p in proposals(make)] == ["submitted", "accepted"]


def test_undo_puts_a_decision_back_before_voting(make, login):
    staff, resident = make.user("staff"), make.user("resident")
    round_ = bh.budget_round(make, staff, "review")
    plan = bh.proposal(make, resident, round_)
    assert login(staff.email).post(f"/werkruimte/wijkbudget/plannen/{plan.public_id}/terugdraaien").status_code == 302
    assert proposals(make)[0].status == "submitted"


def test_new_initiative_means_no_organisation_and_never_funded_before(make):
    """The share kept for new initiatives: a resident's idea, or an initiative that is no organisation and had no
    plan funded in an earlier round."""
    staff, organiser = make.user("staff"), make.user("organiser")
    club = ini.initiative(make, organiser, name="Buurtvereniging Oost", is_organisation=True)
    garden = ini.initiative(make, organiser, name="Moestuin Europawijk")
    earlier = bh.budget_round(make, staff, "voting", cycle="2026")
    funded_before = bh.proposal(make, organiser, earlier, initiative=garden)
    bh.vote(make, organiser, earlier, funded_before)
    bh.count(make, staff, earlier)
    now = bh.budget_round(make, staff, "voting", cycle="2027")

    def is_new(plan) -> bool:
        return make.run(lambda: services.is_new_initiative(db.session.get(BudgetProposal, plan.id)))

    assert is_new(bh.proposal(make, organiser, now, title="Zonder initiatief"))
    assert not is_new(bh.proposal(make, organiser, now, title="Van de vereniging", initiative=club))
    assert not is_new(bh.proposal(make, organiser, now, title="Weer de moestuin", initiative=garden))
    newcomer = ini.initiative(make, organiser, name="Repair Café Schalkwijk")
    assert is_new(bh.proposal(make, organiser, now, title="Van het repair café", initiative=newcomer))


def test_an_unverified_account_cannot_send_in_a_plan(make, login, tr):
    staff, resident = make.user("staff"), make.user("resident")

    def unverify() -> None:
        db.session.get(User, resident.id).email_verified_at = None
        db.session.commit()

    make.run(unverify)
    round_ = bh.budget_round(make, staff, "proposals")
    answer = login(resident.email, lang="en").post(f"/wijkbudget/{round_.public_id}/plan", data=PLAN)
    assert answer.status_code == 400
    assert tr("en", "First confirm your e-mail address with the link we sent you. Then try again.") in visible(answer)
    assert proposals(make) == [] and make.count(BudgetRound) == 1


def test_the_author_hears_what_staff_and_the_vote_decided(make, login, tr):
    staff, resident = make.user("staff"), make.user("resident", locale="en")
    round_ = bh.budget_round(make, staff, "review")
    yes = bh.proposal(make, resident, round_, status="submitted", title="Bankjes")
    no = bh.proposal(make, resident, round_, status="submitted", title="Zwembad")
    client = login(staff.email)
    client.post(f"/werkruimte/wijkbudget/plannen/{yes.public_id}/goedkeuren")
    client.post(f"/werkruimte/wijkbudget/plannen/{no.public_id}/afwijzen",
                data={"reason": "Een zwembad kost veel meer dan het hele budget."})
    bh.to_phase(make, round_, "voting")
    bh.vote(make, make.user("resident"), round_, yes)
    bh.count(make, staff, round_)
    messages = visible(login(resident.email, lang="en").get("/berichten/"))
    assert tr("en", "Your plan “%(title)s” is on the ballot of the district budget.", title="Bankjes") in messages
    assert tr("en", "Your plan “%(title)s” cannot be done.", title="Zwembad") in messages
    assert "Een zwembad kost veel meer dan het hele budget." in messages
    assert tr("en", "Good news: your plan “%(title)s” gets money from the district budget.", title="Bankjes") \
        in messages
    assert f"/wijkbudget/plannen/{yes.public_id}" in messages
