"""Staff enter a vote for a resident without an account (by phone, in person, on paper), with the consent trail the
request intake keeps; a likely double entry is shown before it is saved."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from tests.conftest import visible
from tests.webapp import budget_helpers as bh
from webapp.accounts.models import User
from webapp.budgets.models import BudgetIntake, BudgetProposal, BudgetVoter
from webapp.core.audit import AuditEntry
from webapp.core.extensions import db


def setup(make):
    staff = make.user("staff")
    round_ = bh.budget_round(make, staff, "voting", amount=5_000)
    benches = bh.proposal(make, staff, round_, title="Bankjes", cost=2_000)
    garden = bh.proposal(make, staff, round_, title="Moestuin", cost=4_000)
    return staff, round_, benches, garden


def intake_form(*choices, **overrides):
    return {"resident": "", "first_name": "Truus", "last_name": "Visserman", "postcode": "2036 AB",
            "consent_how": "phone", "consent_given_by": "resident", "consent_on": date.today().isoformat(),
            "staff_note": "Belde zelf.", "choices": [c.public_id for c in choices], **overrides}


def test_staff_enter_a_vote_for_a_resident_without_an_account(make, login):
    staff, round_, benches, _garden = setup(make)
    client = login(staff.email, lang="en")
    url = f"/werkruimte/wijkbudget/{round_.public_id}/intake"
    assert client.get(url).status_code == 200
    answer = client.post(url, data=intake_form(benches))
    assert answer.status_code == 302, visible(answer)[visible(answer).find("error-summa"):][:1500]
    truus = make.run(lambda: db.session.execute(select(User).where(User.first_name == "Truus")).scalar_one())
    assert truus.email is None and truus.password_hash is None and truus.postcode == "2036 AB"
    voter = make.run(lambda: db.session.get(BudgetVoter, (round_.id, truus.id)))
    assert voter.by_intake and voter.sealed
    trail = make.run(lambda: db.session.execute(select(BudgetIntake)).scalar_one())
    assert (trail.consent_how, trail.consent_given_by, trail.staff_id, trail.resident_id) == \
        ("phone", "resident", staff.id, truus.id)
    entry = make.run(lambda: db.session.execute(
        select(AuditEntry).where(AuditEntry.action == "budget_intake_ballot")).scalar_one())
    assert set(entry.details) == {"resident", "consent_how", "consent_given_by", "changed"}  # never the choice
    assert benches.public_id not in str(entry.details)
    page = visible(client.get(f"/werkruimte/wijkbudget/{round_.public_id}"))
    assert "Truus Visserman" in page  # the consent trail, never the choice
    bh.count(make, staff, round_)
    assert make.run(lambda: db.session.get(BudgetProposal, benches.id).votes) == 1


def test_a_likely_double_entry_is_shown_and_needs_a_tick(make, login, tr):
    staff, round_, benches, garden = setup(make)
    client = login(staff.email, lang="en")
    url = f"/werkruimte/wijkbudget/{round_.public_id}/intake"
    assert client.post(url, data=intake_form(benches)).status_code == 302
    again = client.post(url, data=intake_form(garden, first_name=" truus ", postcode="2036ab"))
    assert again.status_code == 400
    text = visible(again)
    assert tr("en", "There is already someone with this name and postcode. Check that it is not the same person, "
                    "then tick the box and send again.") in text
    assert "Truus Visserman, 2036 AB" in text
    assert make.count(User, User.first_name.ilike("%truus%")) == 1
    confirmed = client.post(url, data=intake_form(garden, same_person_checked="y"))
    assert confirmed.status_code == 302
    assert make.count(User, User.first_name.ilike("%truus%")) == 2


def test_entering_again_for_the_same_resident_replaces_the_vote(make, login):
    staff, round_, benches, garden = setup(make)
    client = login(staff.email, lang="en")
    url = f"/werkruimte/wijkbudget/{round_.public_id}/intake"
    client.post(url, data=intake_form(benches))
    truus = make.run(lambda: db.session.execute(select(User).where(User.first_name == "Truus")).scalar_one())
    assert client.post(url, data=intake_form(garden, resident=truus.public_id, first_name="", last_name="",
                                             postcode="")).status_code == 302
    assert make.count(BudgetVoter) == 1 and make.count(BudgetIntake) == 2
    bh.count(make, staff, round_)
    assert make.run(lambda: (db.session.get(BudgetProposal, benches.id).votes,
                             db.session.get(BudgetProposal, garden.id).votes)) == (0, 1)


def test_an_intake_vote_is_held_to_the_budget_too(make, login, tr):
    staff, round_, benches, garden = setup(make)
    client = login(staff.email, lang="en")
    answer = client.post(f"/werkruimte/wijkbudget/{round_.public_id}/intake", data=intake_form(benches, garden))
    assert answer.status_code == 400
    assert tr("en", "Your choice costs more than the budget. Untick a plan and send it again.") in visible(answer)
    assert make.count(BudgetVoter) == 0 and make.count(User, User.first_name == "Truus") == 0  # nobody half-made


def test_a_resident_with_an_account_is_not_entered_by_staff(make, login):
    """A crafted form naming someone with an account: they vote themselves (the choice list holds walk-ins only)."""
    staff, round_, benches, _garden = setup(make)
    resident = make.user("resident")
    client = login(staff.email, lang="en")
    answer = client.post(f"/werkruimte/wijkbudget/{round_.public_id}/intake",
                         data=intake_form(benches, resident=resident.public_id))
    assert answer.status_code == 400
    assert make.count(BudgetVoter) == 0


def test_a_postcode_in_another_stadsdeel_is_refused(make, login, tr):
    staff, round_, benches, _garden = setup(make)
    client = login(staff.email, lang="en")
    answer = client.post(f"/werkruimte/wijkbudget/{round_.public_id}/intake",
                         data=intake_form(benches, postcode="2011 AB"))  # Centrum
    assert answer.status_code == 400
    assert tr("en", "You can vote in the stadsdeel where you live. This round is for %(name)s.", name="Schalkwijk") \
        in visible(answer)
    assert make.count(User, User.first_name == "Truus") == 0


def test_consent_is_required(make, login, tr):
    staff, round_, benches, _garden = setup(make)
    answer = login(staff.email, lang="en").post(f"/werkruimte/wijkbudget/{round_.public_id}/intake",
                                                data=intake_form(benches, consent_how="", consent_on=""))
    assert answer.status_code == 400
    text = visible(answer)
    assert tr("en", "Choose how the resident agreed.") in text
    assert tr("en", "Fill in the date of the agreement.") in text
    assert "Truus" in text  # what was typed is kept


def test_only_staff_enter_votes_for_residents(make, login):
    _staff, round_, benches, _garden = setup(make)
    client = login(make.user("resident").email)
    assert client.post(f"/werkruimte/wijkbudget/{round_.public_id}/intake",
                       data=intake_form(benches)).status_code == 403
    assert make.count(BudgetVoter) == 0
